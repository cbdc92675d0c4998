/*
 * itip: a calendar client's answer to one of refbot's meeting
 * invitations (iTIP, RFC 5546): the text/calendar part Outlook, Gmail
 * and Apple Calendar mail the ORGANIZER when its invitee presses
 * Accept, Decline or Tentative (METHOD:REPLY), or proposes a new time
 * (METHOD:COUNTER).  Read with libical's parser; nothing here is built
 * by hand but the checks on what it gives.
 *
 * Pure: text in, struct out.  Times are resolved only against a
 * VTIMEZONE the calendar itself carries (Outlook's "Tokyo Standard
 * Time"), never against the system's zone files; a time in a zone the
 * calendar does not define, or floating, is unknown (-1).  A VTIMEZONE
 * whose rules change more than once a year is not used (real zones
 * change once or twice; libical would expand anything else for as long
 * as it is asked, for every year from the rule's start).
 */
#ifndef REFBOT_ITIP_H
#define REFBOT_ITIP_H

#include <stddef.h>
#include <stdint.h>

#include "message.h"

enum itip_method {
	ITIP_NONE,		/* no answer to an invitation */
	ITIP_REPLY,		/* accepted, declined, ... */
	ITIP_COUNTER,		/* a new time proposed */
};

enum itip_partstat {
	ITIP_PS_NONE,		/* not said (a COUNTER need not) */
	ITIP_ACCEPTED,
	ITIP_DECLINED,
	ITIP_TENTATIVE,
	ITIP_DELEGATED,
};

#define ITIP_PS_MAX ITIP_DELEGATED

struct itip {
	enum itip_method method;
	char *uid;		/* the event's UID (UTF-8); NULL: ITIP_NONE */
	int sequence;		/* SEQUENCE, 0 when absent */
	char *attendee;		/* who answers: lowercased address, or NULL */
	enum itip_partstat partstat;
	int64_t start;		/* COUNTER: the proposed DTSTART, UTC */
	int64_t end;		/* and DTEND (or DTSTART + DURATION); -1 */
};

/* The longest UID kept; a longer one is not an answer to our mail. */
#define ITIP_UID_MAX 255

/*
 * Reads one iCalendar object (len bytes, any content; NULs end it).
 * Returns 1 with *out filled when it is a REPLY with a PARTSTAT of
 * ACCEPTED, DECLINED, TENTATIVE or DELEGATED, or a COUNTER, each about
 * one VEVENT with a UID; else 0 with *out empty (method ITIP_NONE).
 * Free with itip_free either way.
 */
int itip_parse(const char *text, size_t len, struct itip *out);

/*
 * The first part of msg that is a calendar answer (text/calendar,
 * application/ics or a *.ics file: Gmail sends the same object twice),
 * as itip_parse; only the first ITIP_MAX_PARTS calendar parts are read
 * (each may hold a time zone that takes libical a while).
 */
#define ITIP_MAX_PARTS 4
int itip_from_message(const struct message *msg, struct itip *out);

void itip_free(struct itip *);

/* "accepted", "declined", "tentative", "delegated" or "none". */
const char *itip_partstat_name(enum itip_partstat);

#endif
