/*
 * ical: the iCalendar object (RFC 5545) of a meeting invitation or its
 * cancellation (iTIP, RFC 5546), built with libical, which escapes,
 * folds and orders what we give it: a client name from a partner can
 * never add a property.
 *
 * Times are UTC ("DTSTART:20261210T050000Z"), not local time with a
 * VTIMEZONE: every client (Outlook, Gmail, Apple Calendar) reads UTC
 * and shows it in the reader's own zone, while a VTIMEZONE is another
 * thing each client may read differently (Outlook matches its rules
 * against its own zone list; libical names its built-in zones with a
 * prefix other clients do not know).  A one-off event never needs the
 * zone's rules.  A meeting with a date and no time is an all-day event
 * (VALUE=DATE), which has no zone at all.
 */
#ifndef REFBOT_ICAL_H
#define REFBOT_ICAL_H

#include <stdint.h>

struct ical_event {
	const char *uid;		/* the same for every version */
	int sequence;			/* higher for each new version */
	int cancel;			/* METHOD:CANCEL, STATUS:CANCELLED */
	const char *day;		/* "YYYY-MM-DD": all day; or NULL */
	int64_t start;			/* not all day: UTC seconds */
	int minutes;			/* not all day: how long */
	int64_t stamp;			/* DTSTAMP: when this was made */
	const char *summary;		/* UTF-8 */
	const char *description;	/* UTF-8, or NULL */
	const char *organizer;		/* address: where answers go */
	const char *organizer_name;	/* or NULL */
	const char *attendee;		/* address */
};

/*
 * The VCALENDAR with METHOD:REQUEST (or CANCEL) and one VEVENT, with
 * CRLF line ends.  Returns NULL when ev->day is not a date.  Caller
 * frees.
 */
char *ical_build(const struct ical_event *ev);

#endif
