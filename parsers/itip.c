/* itip: a calendar client's REPLY or COUNTER to an invitation (libical). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "addr.h"
#include "itip.h"
#include "util.h"

/* A VTIMEZONE's rules that libical may expand without end are not used. */
#define ZONE_MAX_RULES 16
#define ZONE_MAX_RRULES 2
#define ZONE_MAX_RDATES 64
#define ZONE_FIRST_YEAR 1600

/* Years a proposed time may have: icaltime's and time_t's range is wider. */
#define WHEN_FIRST_YEAR 1970
#define WHEN_LAST_YEAR 2200

/* How many values a BY list of a rule holds (the list ends at the MAX). */
static int
by_count(const short *by, size_t size)
{
	size_t n = 0;

	while (n < size && by[n] != ICAL_RECURRENCE_ARRAY_MAX)
		n++;
	return (int)n;
}

/*
 * A zone's rule as real zones write it: yearly, on one day of one month
 * ("BYMONTH=3;BYDAY=2SU", or "BYMONTHDAY=8,...,14;BYDAY=SU"), so libical
 * expands one change a year, not one an hour for six centuries.
 */
static int
rule_tame(const struct icalrecurrencetype *r)
{
	int month = by_count(r->by_month, ICAL_BY_MONTH_SIZE);
	int day = by_count(r->by_day, ICAL_BY_DAY_SIZE);
	int mday = by_count(r->by_month_day, ICAL_BY_MONTHDAY_SIZE);

	return r->freq == ICAL_YEARLY_RECURRENCE &&
	    by_count(r->by_second, ICAL_BY_SECOND_SIZE) == 0 &&
	    by_count(r->by_minute, ICAL_BY_MINUTE_SIZE) == 0 &&
	    by_count(r->by_hour, ICAL_BY_HOUR_SIZE) == 0 &&
	    by_count(r->by_year_day, ICAL_BY_YEARDAY_SIZE) == 0 &&
	    by_count(r->by_week_no, ICAL_BY_WEEKNO_SIZE) == 0 &&
	    by_count(r->by_set_pos, ICAL_BY_SETPOS_SIZE) <= 1 &&
	    /*
	     * One month and in it one day: the nth weekday ("2SU"), a
	     * weekday among up to seven days, or a day; or none of them
	     * (DTSTART's date).
	     */
	    month <= 1 && day <= 1 && (month == 1 || day + mday == 0) &&
	    mday <= (day == 1 ? 7 : 1) && (day == 0 || mday > 0 ||
	    icalrecurrencetype_day_position(r->by_day[0]) != 0);
}

static int
zone_tame(icalcomponent *vtz)
{
	icalcomponent *c;
	icalproperty *p;
	icalvalue *v;
	struct icalrecurrencetype rule;
	int rules = 0, rrules, rdates;

	for (c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
	    c != NULL; c = icalcomponent_get_next_component(vtz,
	    ICAL_ANY_COMPONENT)) {
		struct icaltimetype t;

		if (++rules > ZONE_MAX_RULES)
			return 0;
		p = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
		if (p == NULL || (v = icalproperty_get_value(p)) == NULL ||
		    icalvalue_isa(v) != ICAL_DATETIME_VALUE)
			return 0;
		t = icalvalue_get_datetime(v);
		if (icaltime_is_null_time(t) || t.year < ZONE_FIRST_YEAR ||
		    t.year > WHEN_LAST_YEAR)
			return 0;
		rrules = 0;
		for (p = icalcomponent_get_first_property(c,
		    ICAL_RRULE_PROPERTY); p != NULL;
		    p = icalcomponent_get_next_property(c,
		    ICAL_RRULE_PROPERTY)) {
			if (++rrules > ZONE_MAX_RRULES ||
			    (v = icalproperty_get_value(p)) == NULL ||
			    icalvalue_isa(v) != ICAL_RECUR_VALUE)
				return 0;
			rule = icalvalue_get_recur(v);
			if (!rule_tame(&rule))
				return 0;
		}
		rdates = 0;
		for (p = icalcomponent_get_first_property(c,
		    ICAL_RDATE_PROPERTY); p != NULL;
		    p = icalcomponent_get_next_property(c,
		    ICAL_RDATE_PROPERTY))
			if (++rdates > ZONE_MAX_RDATES)
				return 0;
	}
	return rules > 0;
}

/* The zone tzid names among root's own VTIMEZONEs, when it is tame. */
static icaltimezone *
zone(icalcomponent *root, const char *tzid)
{
	icalcomponent *c;
	icalproperty *p;
	const char *id;

	for (c = icalcomponent_get_first_component(root,
	    ICAL_VTIMEZONE_COMPONENT); c != NULL;
	    c = icalcomponent_get_next_component(root,
	    ICAL_VTIMEZONE_COMPONENT)) {
		p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
		id = p != NULL ? icalproperty_get_tzid(p) : NULL;
		if (id != NULL && strcmp(id, tzid) == 0)
			return zone_tame(c) ? icalcomponent_get_timezone(root,
			    tzid) : NULL;
	}
	return NULL;
}

/* A date-time property as UTC seconds, or -1 (see itip.h). */
static int64_t
when(icalcomponent *root, icalproperty *p)
{
	icalparameter *tzp;
	icaltimezone *tz;
	icalvalue *v;
	struct icaltimetype t;
	const char *tzid;

	if (p == NULL || (v = icalproperty_get_value(p)) == NULL ||
	    icalvalue_isa(v) != ICAL_DATETIME_VALUE)
		return -1;
	t = icalvalue_get_datetime(v);
	if (icaltime_is_null_time(t) || t.is_date || !icaltime_is_valid_time(t) ||
	    t.year < WHEN_FIRST_YEAR || t.year > WHEN_LAST_YEAR ||
	    t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 ||
	    t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 ||
	    t.second < 0 || t.second > 60)
		return -1;
	if (icaltime_is_utc(t))
		return (int64_t)icaltime_as_timet_with_zone(t,
		    icaltimezone_get_utc_timezone());
	tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	if (tzp == NULL || (tzid = icalparameter_get_tzid(tzp)) == NULL ||
	    (tz = zone(root, tzid)) == NULL)
		return -1;	/* floating, or a zone we are not given */
	return (int64_t)icaltime_as_timet_with_zone(t, tz);
}

/* "mailto:Bob@Example.COM" as "bob@example.com", or NULL. */
static char *
address(const char *uri)
{
	char *a;

	if (uri == NULL || ascii_strncasecmp(uri, "mailto:", 7) != 0)
		return NULL;
	a = strtrim(xstrdup(uri + 7));
	ascii_lower(a);
	if (addr_check(a, strlen(a)) != ADDR_OK) {
		free(a);
		return NULL;
	}
	return a;
}

static enum itip_partstat
partstat(icalproperty *att)
{
	icalparameter *p;

	p = icalproperty_get_first_parameter(att, ICAL_PARTSTAT_PARAMETER);
	switch (p != NULL ? icalparameter_get_partstat(p) : ICAL_PARTSTAT_NONE) {
	case ICAL_PARTSTAT_ACCEPTED: return ITIP_ACCEPTED;
	case ICAL_PARTSTAT_DECLINED: return ITIP_DECLINED;
	case ICAL_PARTSTAT_TENTATIVE: return ITIP_TENTATIVE;
	case ICAL_PARTSTAT_DELEGATED: return ITIP_DELEGATED;
	default: return ITIP_PS_NONE;
	}
}

/*
 * Who answers: a REPLY names its attendee (RFC 5546 3.2.3: exactly one;
 * the first with an answer when a client sends more), a COUNTER the
 * attendee who proposes (the first).
 */
static void
attendee(icalcomponent *ev, struct itip *out)
{
	icalproperty *p;
	enum itip_partstat ps;

	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_ATTENDEE_PROPERTY)) {
		ps = partstat(p);
		if (out->method == ITIP_REPLY && ps == ITIP_PS_NONE)
			continue;
		out->partstat = ps;
		out->attendee = address(icalproperty_get_attendee(p));
		return;
	}
}

static int
read_event(icalcomponent *root, icalcomponent *ev, struct itip *out)
{
	icalproperty *p;
	const char *uid;
	struct icaldurationtype d;

	p = icalcomponent_get_first_property(ev, ICAL_UID_PROPERTY);
	uid = p != NULL ? icalproperty_get_uid(p) : NULL;
	if (uid == NULL || *uid == '\0' || strlen(uid) > ITIP_UID_MAX ||
	    !utf8_valid(uid, strlen(uid)))
		return 0;
	out->uid = xstrdup(uid);
	p = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
	out->sequence = p != NULL ? icalproperty_get_sequence(p) : 0;
	if (out->sequence < 0)
		out->sequence = 0;
	attendee(ev, out);
	if (out->method == ITIP_REPLY)
		return out->partstat != ITIP_PS_NONE;
	out->start = when(root, icalcomponent_get_first_property(ev,
	    ICAL_DTSTART_PROPERTY));
	if (out->start < 0)
		return 1;
	if ((p = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY)) !=
	    NULL)
		out->end = when(root, p);
	else if ((p = icalcomponent_get_first_property(ev,
	    ICAL_DURATION_PROPERTY)) != NULL) {
		d = icalproperty_get_duration(p);
		if (!icaldurationtype_is_bad_duration(d) && !d.is_neg)
			out->end = out->start + icaldurationtype_as_int(d);
	}
	if (out->end <= out->start)
		out->end = -1;
	return 1;
}

/* The properties read here, and the components that hold them. */
static const char *const kept_props[] = { "METHOD", "UID", "SEQUENCE",
    "ATTENDEE", "DTSTART", "DTEND", "DURATION", "TZID", "TZOFFSETFROM",
    "TZOFFSETTO", "RRULE", "RDATE", NULL };
static const char *const kept_comps[] = { "VCALENDAR", "VEVENT",
    "VTIMEZONE", "STANDARD", "DAYLIGHT", NULL };
#define KEPT_DEPTH 8

static int
in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && ascii_strncasecmp(*list, s, n) == 0)
			return 1;
	return 0;
}

/*
 * Whether a kept property line's parameters (between its name and the
 * first ':' outside quotes) leave its value's type alone, or name
 * DATE-TIME or DATE: libical writes a warning to stderr, with the value,
 * for a VALUE type it cannot read.  0 also when the line has no value.
 */
static int
plain_params(const char *p)
{
	int quoted = 0;

	for (; *p != '\0' && *p != '\r' && *p != '\n' && (quoted ||
	    *p != ':'); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ';' &&
		    ascii_strncasecmp(p + 1, "VALUE=", 6) == 0 &&
		    ascii_strncasecmp(p + 7, "DATE-TIME", 9) != 0 &&
		    ascii_strncasecmp(p + 7, "DATE", 4) != 0)
			return 0;
	}
	return *p == ':';
}

/*
 * What libical is given: the calendar object unfolded, with only the
 * lines read here, inside the components read here (an alarm, a to-do,
 * an X- component and whatever they hold are left out).  libical then
 * sees no property it need not parse, and no END without its BEGIN
 * (which it reports on stderr).  NULL when the BEGIN and END lines do
 * not pair up: no calendar client writes that.  Caller frees.
 */
static char *
kept_lines(const char *text)
{
	struct buf un, out;
	const char *p, *line, *v, *stack[KEPT_DEPTH];
	size_t n, vn, depth = 0, skip = 0;
	int ok = 1;

	/* Unfolded: a line break followed by a space or tab is no break. */
	buf_init(&un);
	for (p = text; *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t'))
			p += 2;
		else if (p[0] == '\n' && (p[1] == ' ' || p[1] == '\t'))
			p += 1;
		else
			buf_addc(&un, *p);
	}
	buf_addc(&un, '\0');
	buf_init(&out);
	for (line = un.data; ok && *line != '\0'; line += n + (line[n] != '\0')) {
		n = strcspn(line, "\r\n");
		if (line[n] == '\r' && line[n + 1] == '\n')
			n++;	/* the CR of CRLF: stepped over with the LF */
		vn = strcspn(line, ";:\r\n");
		if (line[vn] != ':' || !((vn == 5 &&
		    ascii_strncasecmp(line, "BEGIN", 5) == 0) || (vn == 3 &&
		    ascii_strncasecmp(line, "END", 3) == 0))) {
			if (skip == 0 && depth > 0 && in_list(kept_props, line,
			    vn) && plain_params(line + vn)) {
				buf_add(&out, line, strcspn(line, "\r\n"));
				buf_adds(&out, "\r\n");
			}
			continue;
		}
		v = line + vn + 1;
		vn = strcspn(v, "\r\n");
		if (line[0] == 'B' || line[0] == 'b') {
			if (skip > 0 || !in_list(kept_comps, v, vn))
				skip++;
			else if (depth == KEPT_DEPTH)
				ok = 0;
			else {
				stack[depth++] = v;
				buf_add(&out, line, (size_t)(v - line) + vn);
				buf_adds(&out, "\r\n");
			}
		} else if (skip > 0)
			skip--;
		else if (depth == 0 || strcspn(stack[depth - 1], "\r\n") != vn ||
		    ascii_strncasecmp(stack[depth - 1], v, vn) != 0)
			ok = 0;
		else {
			depth--;
			buf_add(&out, line, (size_t)(v - line) + vn);
			buf_adds(&out, "\r\n");
		}
	}
	buf_free(&un);
	if (!ok || depth != 0 || skip != 0 || out.len == 0) {
		buf_free(&out);
		return NULL;
	}
	return buf_steal(&out);
}

int
itip_parse(const char *text, size_t len, struct itip *out)
{
	icalcomponent *root, *ev;
	icalproperty *p;
	char *copy, *kept;
	int ok = 0;

	memset(out, 0, sizeof(*out));
	out->start = out->end = -1;
	icalerror_set_errors_are_fatal(0);
	copy = xstrndup(text, strnlen(text, len));
	kept = kept_lines(copy);
	free(copy);
	if (kept == NULL)
		return 0;
	root = icalparser_parse_string(kept);
	free(kept);
	if (root == NULL)
		return 0;
	if (icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT)
		goto out;
	p = icalcomponent_get_first_property(root, ICAL_METHOD_PROPERTY);
	switch (p != NULL ? icalproperty_get_method(p) : ICAL_METHOD_NONE) {
	case ICAL_METHOD_REPLY:
		out->method = ITIP_REPLY;
		break;
	case ICAL_METHOD_COUNTER:
		out->method = ITIP_COUNTER;
		break;
	default:
		goto out;
	}
	ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
	ok = ev != NULL && read_event(root, ev, out);
out:
	icalcomponent_free(root);
	if (!ok)
		itip_free(out);
	return ok;
}

static int
calendar_part(const struct attachment *a)
{
	size_t n = strlen(a->name);

	return a->data != NULL && (strcmp(a->type, "text/calendar") == 0 ||
	    strcmp(a->type, "application/ics") == 0 ||
	    (n >= 4 && ascii_strcasecmp(a->name + n - 4, ".ics") == 0));
}

int
itip_from_message(const struct message *msg, struct itip *out)
{
	size_t i, tried = 0;

	memset(out, 0, sizeof(*out));
	out->start = out->end = -1;
	for (i = 0; i < msg->nattachments && tried < ITIP_MAX_PARTS; i++) {
		if (!calendar_part(&msg->attachments[i]))
			continue;
		tried++;
		if (itip_parse(msg->attachments[i].data,
		    msg->attachments[i].len, out))
			return 1;
	}
	return 0;
}

void
itip_free(struct itip *t)
{
	if (t == NULL)
		return;
	free(t->uid);
	free(t->attendee);
	memset(t, 0, sizeof(*t));
	t->start = t->end = -1;
}

const char *
itip_partstat_name(enum itip_partstat ps)
{
	switch (ps) {
	case ITIP_ACCEPTED: return "accepted";
	case ITIP_DECLINED: return "declined";
	case ITIP_TENTATIVE: return "tentative";
	case ITIP_DELEGATED: return "delegated";
	case ITIP_PS_NONE: break;
	}
	return "none";
}
