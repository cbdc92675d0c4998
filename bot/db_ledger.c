/* db_ledger: the ledger, revenue, costs (given referrals: db_given). */
#include "config.h"

#include "clock.h"
#include "db_int.h"
#include "db_ledger.h"

int
db_ledger_add(struct db *db, int64_t partner_id, int64_t referral_id,
    int64_t history_id, const char *kind, int64_t amount, int64_t basis,
    int64_t rate_bp, const char *note)
{
	return db_ledger_add_rule(db, partner_id, referral_id, history_id,
	    kind, amount, basis, rate_bp, note, NULL);
}

int
db_ledger_add_rule(struct db *db, int64_t partner_id, int64_t referral_id,
    int64_t history_id, const char *kind, int64_t amount, int64_t basis,
    int64_t rate_bp, const char *note, const char *rule)
{
	static const char sql[] = "INSERT INTO ledger (partner_id, "
	    "referral_id, history_id, kind, amount, basis, rate_bp, note, "
	    "rule, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	return db_exec(db, sql, ARGS(arg_int(partner_id), arg_id(referral_id),
	    arg_id(history_id), arg_text(kind), arg_int(amount),
	    arg_opt(basis), arg_opt(rate_bp), arg_text(note), arg_text(rule),
	    arg_int(clock_now())));
}

int
db_ledger_totals(struct db *db, int64_t partner_id, int64_t *earned,
    int64_t *paid)
{
	static const char sql[] = "SELECT coalesce(sum(CASE WHEN kind <> "
	    "'payout' THEN amount END), 0), coalesce(sum(CASE WHEN kind "
	    "= 'payout' THEN amount END), 0) FROM ledger WHERE partner_id = ?";

	/* An aggregate: always one row. */
	return db_row(db, sql, ARGS(arg_int(partner_id)),
	    COLS(col_int64(earned), col_int64(paid))) == 1 ? 0 : -1;
}

int
db_ledger_win(struct db *db, int64_t referral_id, int64_t *net)
{
	static const char sql[] = "SELECT coalesce(sum(amount), 0) FROM "
	    "ledger WHERE referral_id = ? AND kind IN ('earned', 'reversal') "
	    "AND coalesce(note, '') <> 'REVENUE'";

	return db_row(db, sql, ARGS(arg_int(referral_id)),
	    COLS(col_int64(net))) == 1 ? 0 : -1;
}

struct ledger_cb {
	int (*cb)(const struct ledger_entry *, void *);
	void *arg;
};

static int
ledger_row(sqlite3_stmt *st, void *arg)
{
	struct ledger_cb *c = arg;
	struct ledger_entry e;

	e.id = sqlite3_column_int64(st, 0);
	e.partner_id = sqlite3_column_int64(st, 1);
	e.referral_id = sqlite3_column_int64(st, 2);
	e.history_id = sqlite3_column_int64(st, 3);
	e.kind = (const char *)sqlite3_column_text(st, 4);
	e.amount = sqlite3_column_int64(st, 5);
	e.basis = db_opt(st, 6);
	e.rate_bp = db_opt(st, 7);
	e.note = (const char *)sqlite3_column_text(st, 8);
	e.created_at = sqlite3_column_int64(st, 9);
	e.partner_name = (const char *)sqlite3_column_text(st, 10);
	e.rule = (const char *)sqlite3_column_text(st, 11);
	return c->cb(&e, c->arg);
}

int
db_ledger_each(struct db *db, int64_t partner_id, int64_t referral_id,
    int (*cb)(const struct ledger_entry *, void *), void *arg)
{
	static const char sql[] = "SELECT l.id, l.partner_id, "
	    "coalesce(l.referral_id, 0), coalesce(l.history_id, 0), l.kind, "
	    "l.amount, l.basis, l.rate_bp, l.note, l.created_at, p.name, "
	    "l.rule "
	    "FROM ledger l JOIN partners p ON p.id = l.partner_id "
	    "WHERE (?1 = 0 OR l.partner_id = ?1) AND "
	    "(?2 = 0 OR l.referral_id = ?2) ORDER BY l.id";
	struct ledger_cb c = { cb, arg };

	return db_each(db, sql, ARGS(arg_int(partner_id),
	    arg_int(referral_id)), ledger_row, &c);
}

int
db_cost_add(struct db *db, int64_t amount, int64_t at, const char *note)
{
	static const char sql[] = "INSERT INTO costs (amount, at, note) "
	    "VALUES (?, ?, ?)";

	return db_exec(db, sql, ARGS(arg_int(amount), arg_int(at),
	    arg_text(note)));
}

int
db_costs(struct db *db, int64_t from, int64_t to, int64_t *total)
{
	static const char sql[] = "SELECT coalesce(sum(amount), 0) FROM costs "
	    "WHERE at >= ? AND at < ?";

	return (*total = db_int64(db, sql, ARGS(arg_int(from),
	    arg_int(to)))) < 0 ? -1 : 0;
}

int
db_ledger_period(struct db *db, int64_t partner_id, int64_t from, int64_t to,
    int64_t *earned, int64_t *paid, int64_t *balance)
{
	/*
	 * By entry date: when the commission was booked, not referred;
	 * commission is every entry but payouts (earned, reversals,
	 * adjustments).
	 */
	static const char sql[] = "SELECT"
	    " coalesce(sum(CASE WHEN kind <> 'payout' AND created_at >= ?2"
	    "   THEN amount END), 0),"
	    " coalesce(sum(CASE WHEN kind = 'payout' AND created_at >= ?2"
	    "   THEN amount END), 0),"
	    " coalesce(sum(CASE WHEN kind = 'payout' THEN -amount"
	    "   ELSE amount END), 0)"
	    " FROM ledger WHERE partner_id = ?1 AND created_at < ?3";

	/* An aggregate: always one row. */
	return db_row(db, sql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to)), COLS(col_int64(earned), col_int64(paid),
	    col_int64(balance))) == 1 ? 0 : -1;
}

/* When a WON referral was last marked WON (r: the referral). */
#define WON_AT "(SELECT max(h.at) FROM history h WHERE h.referral_id = " \
	"r.id AND h.to_status = {WON})"

int
db_statement(struct db *db, int64_t partner_id, int64_t from, int64_t to,
    struct statement *out, int (*cb)(const struct referral *, void *),
    void *arg)
{
	/*
	 * Revenue on the basis the commission is booked on: the referrals
	 * won in the quarter, whenever they came in.  The list shows those
	 * and the ones received in the quarter.  Each part is read by its
	 * index (issue 21): the partner's WON referrals (referrals_won) and
	 * those received in the quarter (referrals_partner), not every
	 * referral of the partner.
	 */
	static const char vsql[] = "SELECT coalesce(sum(r.won_amount), 0)"
	    " FROM referrals r INDEXED BY referrals_won WHERE"
	    " r.partner_id = ?1 AND r.status = {WON}"
	    " AND " WON_AT " >= ?2 AND " WON_AT " < ?3";
	static const char rsql[] = "SELECT " REFERRAL_COLUMNS
	    "WHERE r.partner_id = ?1 AND r.created_at >= ?2 AND"
	    " r.created_at < ?3 UNION SELECT " REFERRAL_COLS
	    "FROM referrals r INDEXED BY referrals_won " REFERRAL_JOIN
	    "WHERE r.partner_id = ?1 AND r.status = {WON} AND " WON_AT
	    " >= ?2 AND " WON_AT " < ?3 ORDER BY 1";

	if (db_row(db, vsql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to)), COLS(col_int64(&out->revenue))) != 1 ||
	    db_ledger_period(db, partner_id, from, to, &out->earned,
	    &out->paid, &out->balance) != 0)
		return -1;
	return db_referral_rows(db, rsql, ARGS(arg_int(partner_id),
	    arg_int(from), arg_int(to)), cb, arg);
}

int
db_statement_mark(struct db *db, int64_t partner_id, const char *quarter)
{
	/* OR IGNORE: a second --send of the quarter changes nothing. */
	static const char sql[] = "INSERT OR IGNORE INTO statements_sent "
	    "(partner_id, quarter, at) VALUES (?, ?, ?)";

	return db_changes(db, sql, ARGS(arg_int(partner_id), arg_text(quarter),
	    arg_int(clock_now())));
}
