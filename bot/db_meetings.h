/*
 * db_meetings: the meeting recorded on a referral (issue 18 item 6), one
 * row per referral (the meetings table): when, in local terms and in
 * UTC, who was invited, and the iCalendar SEQUENCE of the last
 * invitation or cancellation sent, so the next one is newer.
 *
 * db_meeting_get: 1 with *m filled (meeting_free), 0 none, -1 error.
 * db_meeting_put writes *m as the referral's meeting (insert or replace).
 */
#ifndef REFBOT_DB_MEETINGS_H
#define REFBOT_DB_MEETINGS_H

#include <stdint.h>

#include "db.h"

struct meeting {
	char *day;		/* local "YYYY-MM-DD" */
	int minute;		/* local time of day, or -1: all day */
	int64_t starts_at;	/* UTC seconds, or -1: all day */
	int minutes;		/* how long (a timed meeting) */
	int sequence;		/* of the last mail sent about it */
	char *attendee;		/* who was invited, or NULL: nobody */
	int64_t cancelled_at;	/* or -1 */
};

int db_meeting_get(struct db *, int64_t referral_id, struct meeting *m);
int db_meeting_put(struct db *, int64_t referral_id, const struct meeting *m,
    int64_t now);
void meeting_free(struct meeting *);

#endif
