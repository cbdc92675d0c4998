/* db_meetings: a referral's meeting and its invitation's sequence. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "db_meetings.h"

int
db_meeting_get(struct db *db, int64_t referral_id, struct meeting *m)
{
	static const char sql[] = "SELECT day, coalesce(minute, -1), "
	    "coalesce(starts_at, -1), sequence, attendee, "
	    "coalesce(cancelled_at, -1), coalesce(minutes, 60) FROM meetings "
	    "WHERE referral_id = ?";

	memset(m, 0, sizeof(*m));
	return db_row(db, sql, ARGS(arg_int(referral_id)), COLS(
	    col_text(&m->day), col_int(&m->minute), col_int64(&m->starts_at),
	    col_int(&m->sequence), col_text(&m->attendee),
	    col_int64(&m->cancelled_at), col_int(&m->minutes)));
}

int
db_meeting_put(struct db *db, int64_t referral_id, const struct meeting *m,
    int64_t now)
{
	static const char sql[] = "INSERT INTO meetings (referral_id, day, "
	    "minute, starts_at, sequence, attendee, cancelled_at, updated_at, "
	    "minutes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
	    "ON CONFLICT (referral_id) DO UPDATE SET day = ?2, minute = ?3, "
	    "starts_at = ?4, sequence = ?5, attendee = ?6, cancelled_at = ?7, "
	    "updated_at = ?8, minutes = ?9";

	return db_exec(db, sql, ARGS(arg_int(referral_id), arg_text(m->day),
	    arg_opt(m->minute), arg_opt(m->starts_at), arg_int(m->sequence),
	    arg_text(m->attendee), arg_opt(m->cancelled_at), arg_int(now),
	    arg_int(m->minutes)));
}

void
meeting_free(struct meeting *m)
{
	if (m == NULL)
		return;
	free(m->day);
	free(m->attendee);
	memset(m, 0, sizeof(*m));
}
