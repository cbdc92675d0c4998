/*
 * db_ledger: the money — commission earned and payouts (the ledger),
 * referrals given to partners, programme costs, and the quarterly
 * statement built from them.  Returns as in db.h.
 */
#ifndef REFBOT_DB_LEDGER_H
#define REFBOT_DB_LEDGER_H

#include <stdint.h>

#include "db.h"

struct referral;

/* A ledger line: kind "commission" or "payout"; basis/rate -1 if none. */
int db_ledger_add(struct db *, int64_t partner_id, int64_t referral_id,
    const char *kind, int64_t amount, int64_t basis, int64_t rate_bp,
    const char *note);
/* All commission earned and all paid out to a partner. */
int db_ledger_totals(struct db *, int64_t partner_id, int64_t *earned,
    int64_t *paid);
/*
 * A partner's commission booked and payouts made in [from, to), by the
 * entries' dates, and the balance (booked minus paid) at to.
 */
int db_ledger_period(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int64_t *earned, int64_t *paid, int64_t *balance);
/* A referral the firm gave to a partner (reciprocity). */
int db_given_add(struct db *, int64_t partner_id, int64_t at,
    const char *note);
/* What running the programme cost (events, materials, time). */
int db_cost_add(struct db *, int64_t amount, int64_t at, const char *note);
int db_costs(struct db *, int64_t from, int64_t to, int64_t *total);

struct statement {
	int64_t revenue;		/* of the referrals won in it */
	int64_t earned, paid;		/* booked in the quarter */
	int64_t balance;		/* earned minus paid, at its end */
};
/* A partner's quarter: totals, and each referral of it through cb. */
int db_statement(struct db *, int64_t partner_id, int64_t from, int64_t to,
    struct statement *, int (*cb)(const struct referral *, void *),
    void *arg);
/* 1 when this is the first time the quarter's statement goes out, 0 if not. */
int db_statement_mark(struct db *, int64_t partner_id, const char *quarter);

#endif
