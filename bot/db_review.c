/* db_review: the review pack's and the health columns' numbers. */
#include "config.h"

#include <string.h>

#include "db_int.h"
#include "db_review.h"

/* The current answers: each question's latest row (the schema's rule). */
#define CURRENT "a.id IN (SELECT max(id) FROM survey_answers " \
	"GROUP BY survey_id, question)"

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
score_row(sqlite3_stmt *st, void *arg)
{
	const struct fwd *f = arg;
	int (*cb)(const struct survey_score *, void *) =
	    (int (*)(const struct survey_score *, void *))f->cb;
	struct survey_score s;

	s.kind = (const char *)sqlite3_column_text(st, 0);
	s.question = (const char *)sqlite3_column_text(st, 1);
	s.avg = opt_int(st, 2);
	s.n = sqlite3_column_int64(st, 3);
	return cb(&s, f->arg);
}

int
db_review_scores(struct db *db, int64_t partner_id, int64_t from, int64_t to,
    int (*cb)(const struct survey_score *, void *), void *arg)
{
	static const char sql[] = "SELECT s.kind, a.question,"
	    " CAST(round(avg(a.score) * 100) AS INTEGER), count(a.score)"
	    " FROM survey_answers a JOIN surveys s ON s.id = a.survey_id"
	    " WHERE " CURRENT " AND s.partner_id = ?1 AND"
	    " a.answered_at >= ?2 AND a.answered_at < ?3"
	    " GROUP BY 1, 2 ORDER BY 1 DESC, a.question <> 'satisfaction', 2";
	struct fwd f = { (anyfn)cb, arg };

	return db_each(db, sql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to)), score_row, &f);
}

static int
comment_row(sqlite3_stmt *st, void *arg)
{
	const struct fwd *f = arg;
	int (*cb)(const struct survey_comment *, void *) =
	    (int (*)(const struct survey_comment *, void *))f->cb;
	struct survey_comment c;

	c.kind = (const char *)sqlite3_column_text(st, 0);
	c.question = (const char *)sqlite3_column_text(st, 1);
	c.comment = (const char *)sqlite3_column_text(st, 2);
	c.score = opt_int(st, 3);
	c.at = sqlite3_column_int64(st, 4);
	return cb(&c, f->arg);
}

int
db_review_comments(struct db *db, int64_t partner_id, int64_t from,
    int64_t to, int (*cb)(const struct survey_comment *, void *), void *arg)
{
	static const char sql[] = "SELECT s.kind, a.question, a.comment,"
	    " a.score, a.answered_at FROM survey_answers a"
	    " JOIN surveys s ON s.id = a.survey_id WHERE " CURRENT
	    " AND s.partner_id = ?1 AND a.answered_at >= ?2 AND"
	    " a.answered_at < ?3 AND trim(coalesce(a.comment, '')) <> ''"
	    " ORDER BY a.answered_at, a.id";
	struct fwd f = { (anyfn)cb, arg };

	return db_each(db, sql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to)), comment_row, &f);
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
	h.rate_n = sqlite3_column_int64(st, 8);
	h.active = sqlite3_column_int(st, 9);
	h.sat = opt_int(st, 3);
	h.sat_n = sqlite3_column_int64(st, 4);
	h.sat_prev = opt_int(st, 5);
	h.sat_prev_n = sqlite3_column_int64(st, 6);
	h.disqualified = sqlite3_column_int64(st, 7);
	return cb(&h, f->arg);
}

int
db_health_partners(struct db *db, int64_t partner_id, int64_t from,
    int64_t to, int64_t prev_from,
    int (*cb)(const struct health_db_row *, void *), void *arg)
{
	/* ?1 from, ?2 to, ?3 partner (0: all), ?4 the previous period. */
	static const char sql[] =
	    "WITH c AS (SELECT s.partner_id, a.score, a.answered_at AS t"
	    "   FROM survey_answers a JOIN surveys s ON s.id = a.survey_id"
	    "   WHERE " CURRENT " AND a.question = 'satisfaction' AND"
	    "   a.score IS NOT NULL AND (?3 = 0 OR s.partner_id = ?3)),"
	    " s AS (SELECT partner_id,"
	    "   CAST(round(avg(CASE WHEN t >= ?1 AND t < ?2 THEN score END)"
	    "   * 100) AS INTEGER) AS sat, sum(t >= ?1 AND t < ?2) AS n,"
	    "   CAST(round(avg(CASE WHEN t >= ?4 AND t < ?1 THEN score END)"
	    "   * 100) AS INTEGER) AS prev, sum(t >= ?4 AND t < ?1) AS pn"
	    "   FROM c GROUP BY partner_id),"
	    " l AS (SELECT partner_id, CAST(round(avg(rate_bp)) AS INTEGER)"
	    "   AS rate, count(*) AS n FROM ledger WHERE kind = 'earned' AND"
	    "   rate_bp IS NOT NULL AND created_at >= ?1 AND created_at < ?2 GROUP BY"
	    "   partner_id),"
	    " d AS (SELECT partner_id, count(*) AS dq FROM referrals WHERE"
	    "   status = {DISQUALIFIED} AND created_at >= ?1 AND"
	    "   created_at < ?2 GROUP BY partner_id)"
	    " SELECT p.id, p.tier, l.rate, s.sat, coalesce(s.n, 0), s.prev,"
	    " coalesce(s.pn, 0), coalesce(d.dq, 0), coalesce(l.n, 0), p.active"
	    " FROM partners p"
	    " LEFT JOIN s ON s.partner_id = p.id"
	    " LEFT JOIN l ON l.partner_id = p.id"
	    " LEFT JOIN d ON d.partner_id = p.id"
	    " WHERE ?3 = 0 OR p.id = ?3 ORDER BY p.id";
	struct fwd f = { (anyfn)cb, arg };

	return db_each(db, sql, ARGS(arg_int(from), arg_int(to),
	    arg_int(partner_id), arg_int(prev_from)), health_row, &f);
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
