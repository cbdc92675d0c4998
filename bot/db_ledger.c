/* db_ledger: commission, payouts, revenue, given referrals, costs. */
#include "config.h"

#include "clock.h"
#include "db_int.h"
#include "db_ledger.h"

int
db_ledger_add(struct db *db, int64_t partner_id, int64_t referral_id,
    const char *kind, int64_t amount, int64_t basis, int64_t rate_bp,
    const char *note)
{
	static const char sql[] = "INSERT INTO ledger (partner_id, "
	    "referral_id, kind, amount, basis, rate_bp, note, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

	return db_exec(db, sql, ARGS(arg_int(partner_id), arg_id(referral_id),
	    arg_text(kind), arg_int(amount), arg_opt(basis), arg_opt(rate_bp),
	    arg_text(note), arg_int(clock_now())));
}

int
db_ledger_totals(struct db *db, int64_t partner_id, int64_t *earned,
    int64_t *paid)
{
	static const char sql[] = "SELECT coalesce(sum(CASE WHEN kind = "
	    "'commission' THEN amount END), 0), coalesce(sum(CASE WHEN kind "
	    "= 'payout' THEN amount END), 0) FROM ledger WHERE partner_id = ?";

	/* An aggregate: always one row. */
	return db_row(db, sql, ARGS(arg_int(partner_id)),
	    COLS(col_int64(earned), col_int64(paid))) == 1 ? 0 : -1;
}

int
db_given_add(struct db *db, int64_t partner_id, int64_t at, const char *note)
{
	static const char sql[] = "INSERT INTO given (partner_id, at, note) "
	    "VALUES (?, ?, ?)";

	return db_exec(db, sql, ARGS(arg_int(partner_id), arg_int(at),
	    arg_text(note)));
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
db_statement(struct db *db, int64_t partner_id, int64_t from, int64_t to,
    struct statement *out, int (*cb)(const struct referral *, void *),
    void *arg)
{
	static const char tsql[] =
	    "SELECT"
	    " (SELECT coalesce(sum(won_amount), 0) FROM referrals WHERE"
	    "   partner_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND"
	    "   status = {WON}),"
	    " (SELECT coalesce(sum(amount), 0) FROM ledger WHERE"
	    "   partner_id = ?1 AND kind = 'commission' AND created_at >= ?2"
	    "   AND created_at < ?3),"
	    " (SELECT coalesce(sum(amount), 0) FROM ledger WHERE"
	    "   partner_id = ?1 AND kind = 'payout' AND created_at >= ?2 AND"
	    "   created_at < ?3),"
	    " (SELECT coalesce(sum(CASE WHEN kind = 'commission' THEN amount"
	    "   ELSE -amount END), 0) FROM ledger WHERE partner_id = ?1 AND"
	    "   created_at < ?3)";
	static const char rsql[] = "SELECT " REFERRAL_COLUMNS
	    "WHERE r.partner_id = ? AND r.created_at >= ? AND r.created_at < ? "
	    "ORDER BY r.id";

	if (db_row(db, tsql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to)), COLS(col_int64(&out->revenue),
	    col_int64(&out->earned), col_int64(&out->paid),
	    col_int64(&out->balance))) != 1)
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
