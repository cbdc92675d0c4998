/*
 * Unit tests for meeting invitations (#18.6): the iCalendar object
 * bot/ical.c builds is read back with libical's own parser, and the
 * mail that carries it (bot/mailout.c) is read back with ours.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "check.h"
#include "ical.h"
#include "mailout.h"
#include "message.h"
#include "util.h"

/* 2026-12-10 14:00 in Tokyo (+0900) is 05:00 UTC. */
#define START 1796878800

static struct ical_event
sample(void)
{
	struct ical_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.uid = "refbot-meeting-7@refbot.example.test";
	ev.sequence = 2;
	ev.start = START;
	ev.minutes = 60;
	ev.stamp = START - 86400;
	/* Partner text: a comma, a semicolon, a line break, Japanese. */
	ev.summary = "REF-000007: Acme, Inc; \"株式会社テスト\"\nDTSTART:1";
	ev.description = "REF-000007, Acme";
	ev.organizer = "intake@example.test";
	ev.organizer_name = "Referral \"desk\"";
	ev.attendee = "yamamoto@example.test";
	return ev;
}

static icalcomponent *
parse_back(const char *ics)
{
	icalcomponent *c = icalparser_parse_string(ics);

	EXPECT(c != NULL);
	EXPECT(c != NULL && icalcomponent_isa(c) == ICAL_VCALENDAR_COMPONENT);
	return c;
}

static void
test_request_parses_back(void)
{
	struct ical_event ev = sample();
	char *ics = ical_build(&ev);
	icalcomponent *cal, *vev;
	icalproperty *p;
	struct icaltimetype s, e;

	EXPECT(ics != NULL);
	if (ics == NULL)
		return;
	/* RFC 5545 3.1: CRLF line ends, and no line over 75 octets. */
	EXPECT(strstr(ics, "\r\n") != NULL);
	{
		const char *l = ics;
		size_t n;

		for (; *l != '\0'; l += n + (l[n] == '\r' ? 2 : 0)) {
			n = strcspn(l, "\r");
			EXPECT(n <= 75);
			EXPECT(l[n] == '\0' || l[n + 1] == '\n');
		}
	}
	cal = parse_back(ics);
	EXPECT(icalcomponent_get_method(cal) == ICAL_METHOD_REQUEST);
	vev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	EXPECT(vev != NULL);
	EXPECT_STR(icalcomponent_get_uid(vev), ev.uid);
	EXPECT(icalcomponent_get_sequence(vev) == 2);
	/* The partner's text is one SUMMARY, as written: no DTSTART in it. */
	EXPECT_STR(icalcomponent_get_summary(vev), ev.summary);
	EXPECT(icalcomponent_count_properties(vev, ICAL_DTSTART_PROPERTY) ==
	    1);
	s = icalcomponent_get_dtstart(vev);
	e = icalcomponent_get_dtend(vev);
	EXPECT(icaltime_is_utc(s));
	EXPECT(!s.is_date);
	EXPECT(icaltime_as_timet(s) == START);
	EXPECT(icaltime_as_timet(e) == START + 3600);
	EXPECT(icalcomponent_get_status(vev) == ICAL_STATUS_CONFIRMED);
	p = icalcomponent_get_first_property(vev, ICAL_ORGANIZER_PROPERTY);
	EXPECT(p != NULL);
	EXPECT_STR(icalproperty_get_organizer(p), "mailto:intake@example.test");
	p = icalcomponent_get_first_property(vev, ICAL_ATTENDEE_PROPERTY);
	EXPECT(p != NULL);
	EXPECT_STR(icalproperty_get_attendee(p),
	    "mailto:yamamoto@example.test");
	EXPECT(icalproperty_get_first_parameter(p, ICAL_RSVP_PARAMETER) !=
	    NULL);
	/* Answers are asked for: they are understood (intake_rsvp.c). */
	EXPECT(icalparameter_get_rsvp(icalproperty_get_first_parameter(p,
	    ICAL_RSVP_PARAMETER)) == ICAL_RSVP_TRUE);
	EXPECT(icaltime_as_timet(icalcomponent_get_dtstamp(vev)) ==
	    START - 86400);
	icalcomponent_free(cal);
	free(ics);
}

static void
test_cancel(void)
{
	struct ical_event ev = sample();
	icalcomponent *cal, *vev;
	char *ics;

	ev.cancel = 1;
	ev.sequence = 3;
	ics = ical_build(&ev);
	cal = parse_back(ics);
	EXPECT(icalcomponent_get_method(cal) == ICAL_METHOD_CANCEL);
	vev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	EXPECT_STR(icalcomponent_get_uid(vev), ev.uid);
	EXPECT(icalcomponent_get_sequence(vev) == 3);
	EXPECT(icalcomponent_get_status(vev) == ICAL_STATUS_CANCELLED);
	icalcomponent_free(cal);
	free(ics);
}

/* A date without a time: an all-day event, no zone at all. */
static void
test_all_day(void)
{
	struct ical_event ev = sample();
	icalcomponent *cal, *vev;
	struct icaltimetype s, e;
	char *ics;

	ev.day = "2026-12-31";
	ics = ical_build(&ev);
	EXPECT_CONTAINS(ics, "DTSTART;VALUE=DATE:20261231\r\n");
	cal = parse_back(ics);
	vev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	s = icalcomponent_get_dtstart(vev);
	e = icalcomponent_get_dtend(vev);
	EXPECT(s.is_date && s.year == 2026 && s.month == 12 && s.day == 31);
	EXPECT(e.is_date && e.year == 2027 && e.month == 1 && e.day == 1);
	icalcomponent_free(cal);
	free(ics);
	ev.day = "not a date";
	EXPECT(ical_build(&ev) == NULL);
}

/* The mail: text and calendar as alternatives, plus invite.ics. */
static void
test_mail_parts(void)
{
	struct ical_event ev = sample();
	struct mailout m;
	struct message msg;
	char *ics = ical_build(&ev), *raw, *err = NULL;
	size_t len, i;
	int cal = 0, att = 0;

	memset(&m, 0, sizeof(m));
	m.from_name = "Referral desk";
	m.from_addr = "intake@example.test";
	m.to_addr = "yamamoto@example.test";
	m.subject = "[REF-000007] Meeting: Acme";
	m.body = "The meeting is recorded.\n";
	m.message_id = "r7.meeting-invite.1@refbot.example.test";
	m.calendar = ics;
	m.calendar_method = "REQUEST";
	raw = mailout_compose(&m, &len);
	EXPECT_CONTAINS(raw, "Content-Type: text/calendar; charset=UTF-8; "
	    "method=REQUEST\r\n");
	EXPECT_CONTAINS(raw, "filename=\"invite.ics\"");
	EXPECT(message_parse(raw, len, 0, &msg, &err) == MESSAGE_OK);
	EXPECT_STR(msg.content_type, "multipart/mixed");
	EXPECT_CONTAINS(msg.text, "The meeting is recorded.");
	for (i = 0; i < msg.nattachments; i++) {
		cal += strcmp(msg.attachments[i].type, "text/calendar") == 0;
		att += strcmp(msg.attachments[i].type, "application/ics") ==
		    0 && strcmp(msg.attachments[i].name, "invite.ics") == 0;
	}
	EXPECT(cal == 1 && att == 1);
	message_free(&msg);
	free(raw);
	/* A method is one of two words, whatever the caller passed. */
	m.calendar_method = "REQUEST\r\nBcc: x@example.test";
	raw = mailout_compose(&m, &len);
	EXPECT(strstr(raw, "Bcc:") == NULL);
	free(raw);
	free(ics);
	free(err);
}

int
main(void)
{
	RUN(test_request_parses_back);
	RUN(test_cancel);
	RUN(test_all_day);
	RUN(test_mail_parts);
	return check_done();
}
