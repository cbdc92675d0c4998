/* db_pending: unsigned partner requests waiting for a signed answer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_int.h"
#include "db_pending.h"

int
db_pending_add(struct db *db, const char *kind, int64_t partner_id,
    int64_t referral_id, int64_t message_row, const char *body, int64_t *id)
{
	static const char sql[] = "INSERT INTO pending_requests (kind, "
	    "partner_id, referral_id, message_row, body, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?)";

	return db_insert(db, sql, ARGS(arg_text(kind), arg_int(partner_id),
	    arg_id(referral_id), arg_int(message_row), arg_text(body),
	    arg_int(clock_now())), id);
}

int
db_pending_get(struct db *db, int64_t id, struct pending_request *pr)
{
	static const char sql[] = "SELECT id, kind, partner_id, "
	    "coalesce(referral_id, 0), body, coalesce(done_at, 0) "
	    "FROM pending_requests WHERE id = ?";

	memset(pr, 0, sizeof(*pr));
	return db_row(db, sql, ARGS(arg_int(id)), COLS(col_int64(&pr->id),
	    col_text(&pr->kind), col_int64(&pr->partner_id),
	    col_int64(&pr->referral_id), col_text(&pr->body),
	    col_int64(&pr->done_at)));
}

int
db_pending_done(struct db *db, int64_t id)
{
	static const char sql[] = "UPDATE pending_requests SET done_at = ? "
	    "WHERE id = ? AND done_at IS NULL";

	return db_changes(db, sql, ARGS(arg_int(clock_now()), arg_int(id)));
}

void
pending_request_free(struct pending_request *pr)
{
	free(pr->kind);
	free(pr->body);
	memset(pr, 0, sizeof(*pr));
}
