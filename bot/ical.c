/* ical: meeting invitations as iCalendar objects (libical). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "ical.h"
#include "mailout.h"
#include "util.h"

/* "mailto:a@b" with what could end a parameter or value dropped. */
static char *
mailto(const char *addr)
{
	char *a = header_clean(addr), *p, *uri;

	for (p = a; *p != '\0'; p++)
		if (strchr(" \";:,<>", *p) != NULL)
			*p = '_';
	uri = xasprintf("mailto:%s", a);
	free(a);
	return uri;
}

static void
add(icalcomponent *c, icalproperty *p)
{
	icalcomponent_add_property(c, p);
}

char *
ical_build(const struct ical_event *ev)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	icalcomponent *cal, *vev;
	icalproperty *p;
	struct icaltimetype s, e;
	char *uri, *out, *name;
	int y, m, d;

	if (ev->day != NULL) {
		if (sscanf(ev->day, "%4d-%2d-%2d", &y, &m, &d) != 3)
			return NULL;
		s = icaltime_null_date();
		s.year = y;
		s.month = m;
		s.day = d;
		e = s;
		icaltime_adjust(&e, 1, 0, 0, 0);
	} else {
		s = icaltime_from_timet_with_zone((time_t)ev->start, 0, utc);
		e = icaltime_from_timet_with_zone((time_t)(ev->start +
		    60 * (int64_t)ev->minutes), 0, utc);
	}
	cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	add(cal, icalproperty_new_prodid("-//refbot//refbot " PACKAGE_VERSION
	    "//EN"));
	add(cal, icalproperty_new_version("2.0"));
	add(cal, icalproperty_new_calscale("GREGORIAN"));
	add(cal, icalproperty_new_method(ev->cancel ? ICAL_METHOD_CANCEL :
	    ICAL_METHOD_REQUEST));
	vev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	add(vev, icalproperty_new_uid(ev->uid));
	add(vev, icalproperty_new_sequence(ev->sequence));
	add(vev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
	    (time_t)ev->stamp, 0, utc)));
	add(vev, icalproperty_new_dtstart(s));
	add(vev, icalproperty_new_dtend(e));
	add(vev, icalproperty_new_summary(ev->summary));
	if (ev->description != NULL)
		add(vev, icalproperty_new_description(ev->description));
	add(vev, icalproperty_new_status(ev->cancel ? ICAL_STATUS_CANCELLED :
	    ICAL_STATUS_CONFIRMED));
	add(vev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	uri = mailto(ev->organizer);
	p = icalproperty_new_organizer(uri);
	free(uri);
	if (ev->organizer_name != NULL && *ev->organizer_name != '\0') {
		/* A quoted parameter value cannot hold a quote (RFC 5545 3.2). */
		name = header_clean(ev->organizer_name);
		for (uri = name; *uri != '\0'; uri++)
			if (*uri == '"')
				*uri = '\'';
		icalproperty_add_parameter(p, icalparameter_new_cn(name));
		free(name);
	}
	add(vev, p);
	uri = mailto(ev->attendee);
	p = icalproperty_new_attendee(uri);
	free(uri);
	icalproperty_add_parameter(p, icalparameter_new_cutype(
	    ICAL_CUTYPE_INDIVIDUAL));
	icalproperty_add_parameter(p, icalparameter_new_role(
	    ICAL_ROLE_REQPARTICIPANT));
	icalproperty_add_parameter(p, icalparameter_new_partstat(
	    ICAL_PARTSTAT_NEEDSACTION));
	/* Answers go to the signed organizer address (intake_rsvp.c). */
	icalproperty_add_parameter(p, icalparameter_new_rsvp(ev->cancel ?
	    ICAL_RSVP_FALSE : ICAL_RSVP_TRUE));
	add(vev, p);
	icalcomponent_add_component(cal, vev);
	out = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	return out;
}
