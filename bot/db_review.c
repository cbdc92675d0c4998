/* db_review: the review pack's and the health columns' numbers. */
#include "config.h"

#include <string.h>

#include "db_int.h"
#include "db_review.h"

/* A callback of any of the types below, and its argument. */
typedef void (*anyfn)(void);
struct fwd {
	anyfn cb;
	void *arg;
};

static int64_t
opt_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, i);
}

static int
status_row(sqlite3_stmt *st, void *arg)
{
	const struct fwd *f = arg;
	int (*cb)(const char *, int64_t, void *) =
	    (int (*)(const char *, int64_t, void *))f->cb;

	return cb((const char *)sqlite3_column_text(st, 0),
	    sqlite3_column_int64(st, 1), f->arg);
}

int
db_review_statuses(struct db *db, int64_t partner_id, int64_t from,
    int64_t to, int (*cb)(const char *, int64_t, void *), void *arg)
{
	static const char sql[] = "SELECT status, count(*) FROM referrals"
	    " WHERE partner_id = ?1 AND created_at >= ?2 AND created_at < ?3"
	    " GROUP BY status ORDER BY 2 DESC, 1";
	struct fwd f = { (anyfn)cb, arg };

	return db_each(db, sql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to)), status_row, &f);
}

static int
field_row(sqlite3_stmt *st, void *arg)
{
	const struct fwd *f = arg;
	int (*cb)(int64_t, int64_t, const char *, const char *, void *) =
	    (int (*)(int64_t, int64_t, const char *, const char *, void *))
	    f->cb;

	return cb(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
	    (const char *)sqlite3_column_text(st, 2),
	    (const char *)sqlite3_column_text(st, 3), f->arg);
}

int
db_review_disqualified(struct db *db, int64_t partner_id, int64_t from,
    int64_t to, int (*cb)(int64_t, int64_t, const char *, const char *,
    void *), void *arg)
{
	static const char sql[] = "SELECT r.id, r.partner_id, f.key, f.value"
	    " FROM referrals r JOIN referral_fields f ON f.referral_id = r.id"
	    " WHERE r.status = {DISQUALIFIED} AND r.created_at >= ?2 AND"
	    " r.created_at < ?3 AND (?1 = 0 OR r.partner_id = ?1)"
	    " ORDER BY r.id";
	struct fwd f = { (anyfn)cb, arg };

	return db_each(db, sql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to)), field_row, &f);
}

static int
open_row(sqlite3_stmt *st, void *arg)
{
	const struct fwd *f = arg;
	int (*cb)(const struct open_row *, void *) =
	    (int (*)(const struct open_row *, void *))f->cb;
	struct open_row o;

	o.id = sqlite3_column_int64(st, 0);
	o.partner_id = sqlite3_column_int64(st, 1);
	o.status = (const char *)sqlite3_column_text(st, 2);
	o.client = (const char *)sqlite3_column_text(st, 3);
	o.since = sqlite3_column_int64(st, 4);
	return cb(&o, f->arg);
}

int
db_review_open(struct db *db, int64_t partner_id, const char *states,
    int (*cb)(const struct open_row *, void *), void *arg)
{
	/*
	 * Since: as the stall check counts it (db_staff.c), read only for
	 * the states asked for (a large programme has many open referrals).
	 */
	static const char sql[] = "SELECT r.id, r.partner_id, r.status,"
	    " r.client, coalesce((SELECT max(h.at) FROM history h WHERE"
	    " h.referral_id = r.id AND h.to_status = r.status AND"
	    " (h.from_status IS NULL OR h.from_status <> r.status)),"
	    " r.created_at) FROM referrals r WHERE r.status IN ({open})"
	    " AND instr(?2, ' ' || r.status || ' ') > 0"
	    " AND (?1 = 0 OR r.partner_id = ?1) ORDER BY r.id";
	struct fwd f = { (anyfn)cb, arg };

	return db_each(db, sql, ARGS(arg_int(partner_id), arg_text(states)),
	    open_row, &f);
}

static int
health_row(sqlite3_stmt *st, void *arg)
{
	const struct fwd *f = arg;
	int (*cb)(const struct health_db_row *, void *) =
	    (int (*)(const struct health_db_row *, void *))f->cb;
	struct health_db_row h;

	h.partner_id = sqlite3_column_int64(st, 0);
	h.tier = sqlite3_column_int64(st, 1);
	h.rate_bp = opt_int(st, 2);
	h.rate_n = sqlite3_column_int64(st, 3);
	h.disqualified = sqlite3_column_int64(st, 4);
	h.active = sqlite3_column_int(st, 5);
	return cb(&h, f->arg);
}

int
db_health_partners(struct db *db, int64_t partner_id, int64_t from,
    int64_t to,
    int (*cb)(const struct health_db_row *, void *), void *arg)
{
	/* ?1 from, ?2 to, ?3 partner (0: all). */
	static const char sql[] =
	    "WITH l AS (SELECT partner_id, CAST(round(avg(rate_bp)) AS INTEGER)"
	    "   AS rate, count(*) AS n FROM ledger WHERE kind = 'earned' AND"
	    "   rate_bp IS NOT NULL AND created_at >= ?1 AND created_at < ?2 GROUP BY"
	    "   partner_id),"
	    " d AS (SELECT partner_id, count(*) AS dq FROM referrals WHERE"
	    "   status = {DISQUALIFIED} AND created_at >= ?1 AND"
	    "   created_at < ?2 GROUP BY partner_id)"
	    " SELECT p.id, p.tier, l.rate, coalesce(l.n, 0),"
	    " coalesce(d.dq, 0), p.active"
	    " FROM partners p"
	    " LEFT JOIN l ON l.partner_id = p.id"
	    " LEFT JOIN d ON d.partner_id = p.id"
	    " WHERE ?3 = 0 OR p.id = ?3 ORDER BY p.id";
	struct fwd f = { (anyfn)cb, arg };

	return db_each(db, sql, ARGS(arg_int(from), arg_int(to),
	    arg_int(partner_id)), health_row, &f);
}

int
db_review_mark(struct db *db, int64_t partner_id, const char *quarter,
    int64_t now)
{
	static const char sql[] = "INSERT OR IGNORE INTO review_packs"
	    " (partner_id, quarter, at) VALUES (?, ?, ?)";

	return db_changes(db, sql, ARGS(arg_int(partner_id), arg_text(quarter),
	    arg_int(now)));
}
