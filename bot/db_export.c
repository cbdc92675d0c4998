/* db_export: rows for "refbot export" (db_export.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_export.h"
#include "db_int.h"

int64_t
db_change_stamp(struct db *db)
{
	return db_int64(db, "SELECT n FROM change_counter", NOARGS);
}

int
db_referrals_have(struct db *db, const char *name)
{
	static const char sql[] = "SELECT count(*) FROM "
	    "pragma_table_info('referrals') WHERE name = ?";
	int64_t n = db_int64(db, sql, ARGS(arg_text(name)));

	return n < 0 ? -1 : n > 0;
}

/*
 * Columns other work may add to referrals (who submitted it, who owns
 * it): read when there, so the export follows the schema it finds.
 */
static const char owner_sql[] = "SELECT owner FROM referrals WHERE id = ?";
static const char submitter_sql[] = "SELECT submitted_by FROM referrals "
    "WHERE id = ?";

struct ref_ctx {
	int (*cb)(const struct export_ref *, void *);
	void *arg;
	struct db *db;
	int has_owner, has_submitter, failed;
};

static int
ref_row(sqlite3_stmt *st, void *arg)
{
	struct ref_ctx *c = arg;
	struct export_ref r;
	int stop;

	memset(&r, 0, sizeof(r));
	r.id = sqlite3_column_int64(st, 0);
	r.change_seq = sqlite3_column_int64(st, 1);
	r.won_amount = db_opt(st, 2);
	r.commission = sqlite3_column_int64(st, 3);
	if ((c->has_owner && db_row(c->db, owner_sql, ARGS(arg_int(r.id)),
	    COLS(col_text(&r.owner))) < 0) || (c->has_submitter &&
	    db_row(c->db, submitter_sql, ARGS(arg_int(r.id)),
	    COLS(col_text(&r.submitter))) < 0)) {
		c->failed = 1;
		stop = 1;
	} else
		stop = c->cb(&r, c->arg);
	free(r.owner);
	free(r.submitter);
	return stop;
}

int
db_export_referrals(struct db *db, int64_t since, int64_t changed,
    int (*cb)(const struct export_ref *, void *), void *arg)
{
	static const char sql[] = "SELECT r.id, r.change_seq, r.won_amount, "
	    "(SELECT coalesce(sum(l.amount), 0) FROM ledger l "
	    "WHERE l.referral_id = r.id AND l.kind <> 'payout') "
	    "FROM referrals r WHERE r.created_at >= ? AND r.change_seq > ? "
	    "ORDER BY r.id";
	struct ref_ctx c = { cb, arg, db, 0, 0, 0 };

	if ((c.has_owner = db_referrals_have(db, "owner")) < 0 ||
	    (c.has_submitter = db_referrals_have(db, "submitted_by")) < 0)
		return -1;
	if (db_each(db, sql, ARGS(arg_int(since), arg_int(changed)), ref_row,
	    &c) != 0)
		return -1;
	return c.failed ? -1 : 0;
}

struct hist_ctx {
	int (*cb)(const struct export_hist *, void *);
	void *arg;
};

static int
hist_row(sqlite3_stmt *st, void *arg)
{
	struct hist_ctx *c = arg;
	struct export_hist h;
	int stop;

	h.id = sqlite3_column_int64(st, 0);
	h.referral_id = sqlite3_column_int64(st, 1);
	h.at = sqlite3_column_int64(st, 2);
	h.change_seq = sqlite3_column_int64(st, 3);
	h.actor = db_text(st, 4);
	h.event = db_text(st, 5);
	h.from_status = db_text(st, 6);
	h.to_status = db_text(st, 7);
	h.detail = db_text(st, 8);
	stop = c->cb(&h, c->arg);
	free(h.actor);
	free(h.event);
	free(h.from_status);
	free(h.to_status);
	free(h.detail);
	return stop;
}

int
db_export_history(struct db *db, int64_t since, int64_t changed,
    int (*cb)(const struct export_hist *, void *), void *arg)
{
	static const char sql[] = "SELECT id, referral_id, at, change_seq, "
	    "actor, event, from_status, to_status, detail FROM history "
	    "WHERE at >= ? AND change_seq > ? ORDER BY id";
	struct hist_ctx c = { cb, arg };

	return db_each(db, sql, ARGS(arg_int(since), arg_int(changed)),
	    hist_row, &c);
}
