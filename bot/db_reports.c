/* db_reports: report, funnel, scorecard and newsletter numbers. */
#include "config.h"

#include <string.h>

#include "db_int.h"
#include "db_ledger.h"
#include "db_reports.h"

/* The report queries' parameters: ?1 from, ?2 to, ?3 partner (0: all). */

/*
 * A referral (r) past its partner's tier's SLA (sla_due, db.h) without a
 * first response by now (?4), or answered later than that; the ones that
 * need no answer (no formal referral) are left out.
 */
#define BREACH "r.status NOT IN ({not_counted}) AND " \
	"coalesce(r.first_response_at, ?4) > sla_due(r.created_at, " \
	"(SELECT tier FROM partners pt WHERE pt.id = r.partner_id), 1)"

struct report_cb {
	int (*cb)(const struct report_row *, void *);
	void *arg;
};

static int
report_row(sqlite3_stmt *st, void *arg)
{
	const struct report_cb *c = arg;
	struct report_row row;

	memset(&row, 0, sizeof(row));
	row.partner_id = sqlite3_column_int64(st, 0);
	row.name = (const char *)sqlite3_column_text(st, 1);
	row.received = sqlite3_column_int64(st, 2);
	row.duplicates = sqlite3_column_int64(st, 3);
	row.won = sqlite3_column_int64(st, 4);
	row.revenue = sqlite3_column_int64(st, 5);
	row.commission = sqlite3_column_int64(st, 6);
	row.paid = sqlite3_column_int64(st, 7);
	row.given = sqlite3_column_int64(st, 8);
	row.sla_breaches = sqlite3_column_int64(st, 9);
	row.response_times = (const char *)sqlite3_column_text(st, 10);
	row.given_won = sqlite3_column_int64(st, 11);
	return c->cb(&row, c->arg);
}

int
db_report(struct db *db, int64_t from, int64_t to, int64_t partner_id,
    int64_t now, int (*cb)(const struct report_row *, void *),
    void *arg)
{
	/*
	 * One row per partner (partner_id 0: all), the numbers of F8.  Each
	 * table is read once and grouped by partner (a subquery per partner
	 * read the referrals once per partner: minutes for a large
	 * programme).  The referrals are read straight through (NOT
	 * INDEXED): walking referrals_partner instead fetches every row by
	 * rowid and took three times as long for a million.  The response
	 * times come back as a list for the median, which SQL cannot give
	 * directly.
	 */
	static const char sql[] =
	    "WITH r AS (SELECT partner_id, count(*) AS received,"
	    "   sum(status = {DUPLICATE}) AS duplicates,"
	    "   sum(status = {WON}) AS won,"
	    "   sum(CASE WHEN status = {WON} THEN won_amount END) AS revenue,"
	    "   sum(" BREACH ") AS breaches"
	    "   FROM referrals r NOT INDEXED WHERE created_at >= ?1 AND"
	    "   created_at < ?2 AND (?3 = 0 OR partner_id = ?3)"
	    "   GROUP BY partner_id),"
	    " t AS (SELECT partner_id, group_concat(d) AS times FROM"
	    "   (SELECT partner_id, first_response_at - created_at AS d FROM"
	    "   referrals NOT INDEXED WHERE created_at >= ?1 AND"
	    "   created_at < ?2 AND"
	    "   (?3 = 0 OR partner_id = ?3) AND first_response_at IS NOT NULL"
	    "   ORDER BY partner_id, d) GROUP BY partner_id),"
	    " l AS (SELECT partner_id,"
	    "   sum(CASE WHEN kind <> 'payout' THEN amount END) AS earned,"
	    "   sum(CASE WHEN kind = 'payout' THEN amount END) AS paid"
	    "   FROM ledger WHERE created_at >= ?1 AND created_at < ?2 AND"
	    "   (?3 = 0 OR partner_id = ?3) GROUP BY partner_id),"
	    " g AS (SELECT partner_id, count(*) AS given,"
	    "   sum(outcome = 'won') AS given_won FROM given WHERE"
	    "   at >= ?1 AND at < ?2 AND (?3 = 0 OR partner_id = ?3)"
	    "   GROUP BY partner_id)"
	    " SELECT p.id, p.name, coalesce(r.received, 0),"
	    " coalesce(r.duplicates, 0), coalesce(r.won, 0),"
	    " coalesce(r.revenue, 0), coalesce(l.earned, 0),"
	    " coalesce(l.paid, 0), coalesce(g.given, 0),"
	    " coalesce(r.breaches, 0), t.times, coalesce(g.given_won, 0)"
	    " FROM partners p LEFT JOIN r ON r.partner_id = p.id"
	    " LEFT JOIN t ON t.partner_id = p.id"
	    " LEFT JOIN l ON l.partner_id = p.id"
	    " LEFT JOIN g ON g.partner_id = p.id"
	    " WHERE ?3 = 0 OR p.id = ?3 ORDER BY p.id";
	struct report_cb c = { cb, arg };

	return db_each(db, sql, ARGS(arg_int(from), arg_int(to),
	    arg_int(partner_id), arg_int(now)), report_row, &c);
}

int
db_report_funnel(struct db *db, int64_t from, int64_t to, int64_t partner_id,
    int64_t stages[5])
{
	/*
	 * A referral counts for every stage up to the furthest its history
	 * reached (staff may skip steps: WON straight from NEW was contacted
	 * too), and for won only while it is WON.  Duplicates are the first
	 * referral's, as in the report's conversion.  The stages are
	 * parsers/status.c's.
	 */
	static const char sql[] =
	    "SELECT count(*), coalesce(sum(s >= 1), 0), coalesce(sum(s >= 2),"
	    " 0), coalesce(sum(s >= 3), 0), coalesce(sum(won), 0) FROM"
	    " (SELECT max({stage:r.status}, coalesce((SELECT"
	    " max({stage:h.to_status}) FROM history h WHERE h.referral_id ="
	    " r.id), 0)) AS s, r.status = {WON} AS won FROM referrals r"
	    " WHERE r.created_at >= ?1 AND r.created_at < ?2 AND"
	    " (?3 = 0 OR r.partner_id = ?3) AND r.status <> {DUPLICATE})";

	/* An aggregate: always one row. */
	return db_row(db, sql, ARGS(arg_int(from), arg_int(to),
	    arg_int(partner_id)), COLS(col_int64(&stages[0]),
	    col_int64(&stages[1]), col_int64(&stages[2]),
	    col_int64(&stages[3]), col_int64(&stages[4]))) == 1 ? 0 : -1;
}

struct month_cb {
	int (*cb)(const struct report_month *, void *);
	void *arg;
};

static int
month_row(sqlite3_stmt *st, void *arg)
{
	const struct month_cb *c = arg;
	struct report_month m;

	memset(&m, 0, sizeof(m));
	m.month = (const char *)sqlite3_column_text(st, 0);
	m.received = sqlite3_column_int64(st, 1);
	m.breaches = sqlite3_column_int64(st, 2);
	m.response_times = (const char *)sqlite3_column_text(st, 3);
	return c->cb(&m, c->arg);
}

int
db_report_months(struct db *db, int64_t from, int64_t to, int64_t partner_id,
    int64_t now, int (*cb)(const struct report_month *, void *),
    void *arg)
{
	/* The report's breaches and response times, by month of arrival. */
	static const char sql[] =
	    "SELECT strftime('%Y-%m', r.created_at, 'unixepoch'),"
	    " coalesce(sum(r.status <> {DUPLICATE}), 0),"
	    " coalesce(sum(" BREACH "), 0),"
	    " group_concat(r.first_response_at - r.created_at)"
	    " FROM referrals r WHERE r.created_at >= ?1 AND r.created_at < ?2"
	    " AND (?3 = 0 OR r.partner_id = ?3) GROUP BY 1 ORDER BY 1";
	struct month_cb c = { cb, arg };

	return db_each(db, sql, ARGS(arg_int(from), arg_int(to),
	    arg_int(partner_id), arg_int(now)), month_row, &c);
}

int
db_partner_numbers(struct db *db, int64_t partner_id, int64_t year_from,
    int64_t now, struct partner_numbers *n)
{
	static const char sql[] = "SELECT "
	    "coalesce(sum(created_at >= ?2 AND created_at <= ?3 AND status NOT "
	    "IN ({not_counted})), 0), "
	    "coalesce(sum(status IN ({open})), 0), "
	    "coalesce(sum(status = {WON} AND updated_at >= ?2), 0), "
	    "coalesce(sum(status = {WON}), 0) "
	    "FROM referrals WHERE partner_id = ?1";

	memset(n, 0, sizeof(*n));
	/* An aggregate: always one row. */
	if (db_row(db, sql, ARGS(arg_int(partner_id), arg_int(year_from),
	    arg_int(now)), COLS(col_int64(&n->sent_year), col_int64(&n->open),
	    col_int64(&n->won_year), col_int64(&n->won_all))) != 1)
		return -1;
	return db_ledger_totals(db, partner_id, &n->earned, &n->paid);
}
