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
db_pending_add_unsubscribe(struct db *db, int64_t partner_id,
    int64_t contact_id, int64_t message_row, int64_t *id)
{
	static const char sql[] = "INSERT INTO pending_requests (kind, "
	    "partner_id, contact_id, message_row, created_at) "
	    "VALUES ('unsubscribe', ?, ?, ?, ?)";

	return db_insert(db, sql, ARGS(arg_int(partner_id), arg_id(contact_id),
	    arg_int(message_row), arg_int(clock_now())), id);
}

int
db_pending_get(struct db *db, int64_t id, struct pending_request *pr)
{
	static const char sql[] = "SELECT id, kind, partner_id, "
	    "coalesce(referral_id, 0), body, coalesce(done_at, 0), "
	    "coalesce(contact_id, 0) FROM pending_requests WHERE id = ?";

	memset(pr, 0, sizeof(*pr));
	return db_row(db, sql, ARGS(arg_int(id)), COLS(col_int64(&pr->id),
	    col_text(&pr->kind), col_int64(&pr->partner_id),
	    col_int64(&pr->referral_id), col_text(&pr->body),
	    col_int64(&pr->done_at), col_int64(&pr->contact_id)));
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

int
db_forward_add(struct db *db, const struct forward_draft *d, int64_t *id)
{
	static const char sql[] = "INSERT INTO forward_drafts (partner_id, "
	    "author, sender, subject, body, message_row, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)";

	return db_insert(db, sql, ARGS(arg_int(d->partner_id),
	    arg_text(d->author), arg_text(d->sender), arg_text(d->subject),
	    arg_text(d->body), arg_id(d->message_row), arg_int(clock_now())),
	    id);
}

int
db_forward_get(struct db *db, int64_t id, struct forward_draft *d)
{
	static const char sql[] = "SELECT id, partner_id, author, sender, "
	    "subject, body, coalesce(message_row, 0), "
	    "coalesce(referral_id, 0), coalesce(confirmed_at, 0) "
	    "FROM forward_drafts WHERE id = ?";

	memset(d, 0, sizeof(*d));
	return db_row(db, sql, ARGS(arg_int(id)), COLS(col_int64(&d->id),
	    col_int64(&d->partner_id), col_text(&d->author),
	    col_text(&d->sender), col_text(&d->subject), col_text(&d->body),
	    col_int64(&d->message_row), col_int64(&d->referral_id),
	    col_int64(&d->confirmed_at)));
}

int
db_forward_done(struct db *db, int64_t id, int64_t referral_id)
{
	static const char sql[] = "UPDATE forward_drafts SET confirmed_at = ?,"
	    " referral_id = ? WHERE id = ? AND confirmed_at IS NULL";

	return db_changes(db, sql, ARGS(arg_int(clock_now()),
	    arg_id(referral_id), arg_int(id)));
}

void
forward_draft_free(struct forward_draft *d)
{
	free(d->author);
	free(d->sender);
	free(d->subject);
	free(d->body);
	memset(d, 0, sizeof(*d));
}
