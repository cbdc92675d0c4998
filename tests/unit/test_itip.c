/*
 * Unit tests for calendar answers (parsers/itip.c): the mails Outlook,
 * Gmail and Apple Mail send an invitation's organizer, in
 * tests/data/itip/ (written by its make-itip), read by the MIME parser
 * and then by itip_from_message as the parser child does; and calendar
 * objects that are not answers, or are hostile.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "itip.h"
#include "message.h"
#include "util.h"

#define UID "refbot-meeting-1@example.test"
#define DEC10_1400_JST 1796878800	/* 2026-12-10 05:00 UTC */
#define DEC11_1600_JST 1796972400	/* 2026-12-11 07:00 UTC */

/* Fixture NAME through message_parse and itip_from_message. */
static int
from_eml(const char *name, struct message *m, struct itip *t)
{
	char path[256], *raw, *err = NULL;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "tests/data/itip/%s", name);
	memset(t, 0, sizeof(*t));
	if ((raw = check_slurp(path, &len)) == NULL ||
	    message_parse(raw, len, 0, m, &err) != MESSAGE_OK) {
		printf("#   %s: %s\n", name, err ? err : "cannot read");
		free(err);
		free(raw);
		memset(m, 0, sizeof(*m));
		return -1;
	}
	free(raw);
	r = itip_from_message(m, t);
	return r;
}

static void
test_outlook_accepted(void)
{
	struct message m;
	struct itip t;

	EXPECT(from_eml("outlook-accepted.eml", &m, &t) == 1);
	EXPECT(t.method == ITIP_REPLY);
	EXPECT_STR(t.uid, UID);
	EXPECT(t.sequence == 0);
	EXPECT_STR(t.attendee, "staff1@example.test");
	EXPECT(t.partstat == ITIP_ACCEPTED);
	EXPECT_STR(itip_partstat_name(t.partstat), "accepted");
	EXPECT(t.start == -1 && t.end == -1);	/* a REPLY proposes nothing */
	EXPECT_STR(m.subject, "Accepted: REF-000001: Acme Widgets Ltd");
	itip_free(&t);
	message_free(&m);
}

/* The calendar part alone, an ISO-2022-JP subject, a mixed-case address. */
static void
test_outlook_declined_ja(void)
{
	struct message m;
	struct itip t;

	EXPECT(from_eml("outlook-declined-ja.eml", &m, &t) == 1);
	EXPECT_STR(m.content_type, "text/calendar");
	EXPECT_STR(m.subject, "辞退: REF-000001: Acme Widgets Ltd");
	EXPECT(t.method == ITIP_REPLY && t.partstat == ITIP_DECLINED);
	EXPECT(t.sequence == 2);
	EXPECT_STR(t.attendee, "yamamoto@example.test");
	EXPECT_STR(t.uid, UID);
	itip_free(&t);
	message_free(&m);
}

/* Propose New Time: the time in Outlook's own VTIMEZONE (from 1601). */
static void
test_outlook_counter(void)
{
	struct message m;
	struct itip t;

	EXPECT(from_eml("outlook-counter.eml", &m, &t) == 1);
	EXPECT(t.method == ITIP_COUNTER);
	EXPECT(t.sequence == 1);
	EXPECT_STR(t.attendee, "staff1@example.test");
	EXPECT(t.start == DEC11_1600_JST);
	EXPECT(t.end == DEC11_1600_JST + 30 * 60);
	EXPECT_STR(m.subject, "New Time Proposed: REF-000001: Acme Widgets Ltd");
	itip_free(&t);
	message_free(&m);
}

/* The calendar part inside the alternative, and invite.ics again. */
static void
test_gmail_tentative(void)
{
	struct message m;
	struct itip t;

	EXPECT(from_eml("gmail-tentative-ja.eml", &m, &t) == 1);
	EXPECT(t.method == ITIP_REPLY && t.partstat == ITIP_TENTATIVE);
	EXPECT(t.sequence == 1);
	EXPECT_STR(t.attendee, "sato.hanako@example.test");
	EXPECT_STR(t.uid, UID);
	EXPECT(strncmp(m.subject, "仮承諾: REF-000001", 20) == 0);
	EXPECT(m.nattachments == 2);
	itip_free(&t);
	message_free(&m);
}

/* An attached iCal-*.ics in quoted-printable, an Olson zone it defines. */
static void
test_apple_accepted(void)
{
	struct message m;
	struct itip t;

	EXPECT(from_eml("apple-accepted.eml", &m, &t) == 1);
	EXPECT(t.method == ITIP_REPLY && t.partstat == ITIP_ACCEPTED);
	EXPECT_STR(t.attendee, "staff2@example.test");
	EXPECT_STR(t.uid, UID);
	EXPECT(t.sequence == 0);
	itip_free(&t);
	message_free(&m);
}

/* An invitation forwarded, and a REPLY that answers nothing: not answers. */
static void
test_not_answers(void)
{
	struct message m;
	struct itip t;

	EXPECT(from_eml("request-forwarded.eml", &m, &t) == 0);
	EXPECT(t.method == ITIP_NONE && t.uid == NULL && t.attendee == NULL);
	message_free(&m);
	EXPECT(from_eml("reply-needs-action.eml", &m, &t) == 0);
	EXPECT(t.method == ITIP_NONE && t.uid == NULL);
	message_free(&m);
}

static int
parse(const char *text, struct itip *t)
{
	return itip_parse(text, strlen(text), t);
}

#define CAL(method, body) "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:" \
	method "\r\n" body "END:VCALENDAR\r\n"
#define EV(body) "BEGIN:VEVENT\r\nUID:" UID "\r\n" body "END:VEVENT\r\n"

static void
test_counter_times(void)
{
	struct itip t;

	/* UTC with a DURATION. */
	EXPECT(parse(CAL("COUNTER", EV("SEQUENCE:3\r\n"
	    "DTSTART:20261210T050000Z\r\nDURATION:PT45M\r\n"
	    "ATTENDEE:mailto:a@example.test\r\n")), &t) == 1);
	EXPECT(t.start == DEC10_1400_JST && t.end == DEC10_1400_JST + 2700);
	EXPECT(t.sequence == 3 && t.partstat == ITIP_PS_NONE);
	itip_free(&t);
	/* Floating, and a zone it does not define: the time is unknown. */
	EXPECT(parse(CAL("COUNTER", EV("DTSTART:20261210T140000\r\n")), &t) ==
	    1);
	EXPECT(t.start == -1 && t.end == -1);
	itip_free(&t);
	EXPECT(parse(CAL("COUNTER", EV("DTSTART;TZID=Asia/Tokyo:"
	    "20261210T140000\r\n")), &t) == 1);
	EXPECT(t.start == -1);
	itip_free(&t);
	/*
	 * A zone with daylight saving, as Apple Calendar writes it: its
	 * yearly rules are read (summer and winter differ by an hour).
	 */
#define NEW_YORK "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n" \
	"BEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\n" \
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nTZOFFSETFROM:-0500\r\n" \
	"TZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT\r\n" \
	"BEGIN:STANDARD\r\nDTSTART:20071104T020000\r\n" \
	"RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nTZOFFSETFROM:-0400\r\n" \
	"TZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
	EXPECT(parse(CAL("COUNTER", NEW_YORK EV("DTSTART;TZID=America/New_York:"
	    "20260710T100000\r\nDTEND;TZID=America/New_York:20261210T100000"
	    "\r\n")), &t) == 1);
	EXPECT(t.start == 1783692000);	/* 2026-07-10 14:00 UTC */
	EXPECT(t.end == 1796914800);	/* 2026-12-10 15:00 UTC */
	itip_free(&t);
	/* An end before the start is no end. */
	EXPECT(parse(CAL("COUNTER", EV("DTSTART:20261210T050000Z\r\n"
	    "DTEND:20261210T040000Z\r\n")), &t) == 1);
	EXPECT(t.start == DEC10_1400_JST && t.end == -1);
	itip_free(&t);
}

/*
 * A zone whose rule repeats every second from 1601 would have libical
 * expand it for as long as it is asked: not used, and quickly.
 */
static int
wild_zone(void *arg)
{
	struct itip t;
	int r;

	(void)arg;
	r = parse(CAL("COUNTER", "BEGIN:VTIMEZONE\r\nTZID:X\r\n"
	    "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
	    "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0900\r\n"
	    "TZOFFSETTO:+0800\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
	    EV("DTSTART;TZID=X:20261210T140000\r\n")), &t);
	r = r == 1 && t.start == -1 ? 0 : 1;
	itip_free(&t);
	return r;
}

/* Every hour of every day, in sixteen rules from 1601: not used either. */
static int
busy_zone(void *arg)
{
	struct buf b;
	struct itip t;
	int i, r;

	(void)arg;
	buf_init(&b);
	buf_adds(&b, "BEGIN:VCALENDAR\r\nMETHOD:COUNTER\r\n"
	    "BEGIN:VTIMEZONE\r\nTZID:X\r\n");
	for (i = 0; i < 16; i++)
		buf_addf(&b, "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
		    "RRULE:FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=0,1,2,"
		    "3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23\r\n"
		    "TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0%d00\r\n"
		    "END:STANDARD\r\n", i % 10);
	buf_adds(&b, "END:VTIMEZONE\r\n" EV("DTSTART;TZID=X:21991210T140000"
	    "\r\n") "END:VCALENDAR\r\n");
	r = itip_parse(b.data, b.len, &t);
	r = r == 1 && t.start == -1 ? 0 : 1;
	itip_free(&t);
	buf_free(&b);
	return r;
}

static void
test_hostile(void)
{
	struct itip t;
	char big[600];

	check_cpu_bounded("a zone repeating every second", wild_zone, NULL, 2);
	check_cpu_bounded("a zone changing every hour", busy_zone, NULL, 2);
	EXPECT(itip_parse("", 0, &t) == 0);
	EXPECT(parse("BEGIN:VCALENDAR\r\n", &t) == 0);
	EXPECT(parse("garbage\r\n\r\n:;;\r\n", &t) == 0);
	/* A REPLY without a UID, or with no answer, or without METHOD. */
	EXPECT(parse(CAL("REPLY", "BEGIN:VEVENT\r\nATTENDEE;PARTSTAT=ACCEPTED:"
	    "mailto:a@example.test\r\nEND:VEVENT\r\n"), &t) == 0);
	EXPECT(parse(CAL("REPLY", EV("ATTENDEE:mailto:a@example.test\r\n")),
	    &t) == 0);
	EXPECT(parse("BEGIN:VCALENDAR\r\n" EV("ATTENDEE;PARTSTAT=ACCEPTED:"
	    "mailto:a@example.test\r\n") "END:VCALENDAR\r\n", &t) == 0);
	/* An attendee that is no mail address: the answer, from nobody. */
	EXPECT(parse(CAL("REPLY", EV("ATTENDEE;PARTSTAT=DECLINED:"
	    "mailto:not an address\r\n")), &t) == 1);
	EXPECT(t.attendee == NULL && t.partstat == ITIP_DECLINED);
	itip_free(&t);
	/* A negative SEQUENCE is 0; a NUL ends the text. */
	EXPECT(itip_parse(CAL("REPLY", EV("SEQUENCE:-5\r\n"
	    "ATTENDEE;PARTSTAT=DELEGATED:mailto:a@example.test\r\n"))
	    "\0garbage", sizeof(CAL("REPLY", EV("SEQUENCE:-5\r\n"
	    "ATTENDEE;PARTSTAT=DELEGATED:mailto:a@example.test\r\n"))) + 7,
	    &t) == 1);
	EXPECT(t.sequence == 0 && t.partstat == ITIP_DELEGATED);
	itip_free(&t);
	/* A UID longer than ours could ever be. */
	memset(big, 'u', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	{
		char *cal = xasprintf(CAL("REPLY", "BEGIN:VEVENT\r\nUID:%s\r\n"
		    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.test\r\n"
		    "END:VEVENT\r\n"), big);
		EXPECT(parse(cal, &t) == 0);
		free(cal);
	}
}

/*
 * libical writes some complaints to stderr, sender text included ("END
 * before BEGIN", a value type it cannot read): what it is given never
 * holds them (the parser child's stderr is the daemon's log).
 */
static void
test_libical_silent(void)
{
	static const char *const inputs[] = {
		"END:VEVENT\r\n" CAL("REPLY", EV("ATTENDEE;PARTSTAT=ACCEPTED:"
		    "mailto:a@example.test\r\n")),
		CAL("REPLY", EV("TASK-MODE:secret words\r\n"
		    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.test\r\n")),
		CAL("REPLY", EV("DTSTART;VALUE=TASK-MODE:secret\r\n"
		    "ATTENDEE;PARTSTAT=ACCEPTED;VALUE=X:mailto:a@example.test"
		    "\r\n")),
		CAL("REPLY", "BEGIN:VALARM\r\nTASK-MODE:x\r\nEND:VEVENT\r\n"
		    "END:VALARM\r\n" EV("ATTENDEE;PARTSTAT=ACCEPTED:"
		    "mailto:a@example.test\r\n")),
	};
	struct itip t;
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t i;
	long n;

	EXPECT(f != NULL && saved >= 0);
	if (f == NULL || saved < 0)
		return;
	fflush(stderr);
	dup2(fileno(f), 2);
	for (i = 0; i < nitems(inputs); i++) {
		(void)parse(inputs[i], &t);
		itip_free(&t);
	}
	/* A property nobody reads is left out; the answer still counts. */
	EXPECT(parse(inputs[1], &t) == 1 && t.partstat == ITIP_ACCEPTED);
	itip_free(&t);
	/* BEGIN and END that do not pair up: no calendar client's. */
	EXPECT(parse(inputs[0], &t) == 0);
	EXPECT(parse(inputs[3], &t) == 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = ftell(f);
	fclose(f);
	EXPECT(n == 0);
}

int
main(void)
{
	RUN(test_outlook_accepted);
	RUN(test_outlook_declined_ja);
	RUN(test_outlook_counter);
	RUN(test_gmail_tentative);
	RUN(test_apple_accepted);
	RUN(test_not_answers);
	RUN(test_counter_times);
	RUN(test_hostile);
	RUN(test_libical_silent);
	return check_done();
}
