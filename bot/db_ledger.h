/*
 * db_ledger: the money — commission earned, reversed, adjusted and paid
 * out (the ledger: append-only, the database refuses edits),
 * referrals given to partners, programme costs, and the quarterly
 * statement built from them.  Returns as in db.h.
 */
#ifndef REFBOT_DB_LEDGER_H
#define REFBOT_DB_LEDGER_H

#include <stdint.h>

#include "db.h"

struct referral;

/*
 * Ledger entry kinds.  Amounts are signed minor units: earned > 0,
 * reversal < 0, adjustment either way (together: the commission), and
 * payout > 0 (money paid).  A partner's balance is the commission minus
 * the payouts, which LEDGER_SIGNED sums.
 */
#define LEDGER_EARNED "earned"
#define LEDGER_REVERSAL "reversal"
#define LEDGER_ADJUSTMENT "adjustment"
#define LEDGER_PAYOUT "payout"

/* One entry; its strings are valid during the callback only. */
struct ledger_entry {
	int64_t id, partner_id, referral_id, history_id;	/* 0: none */
	const char *kind, *note, *partner_name;
	const char *rule;	/* what set the rate; NULL: not recorded */
	int64_t amount, basis, rate_bp;	/* basis, rate: -1: none */
	int64_t created_at;
};

/*
 * Appends an entry: tied to a referral and the history row that caused
 * it (0: none); note is the command (WON, REVENUE, AMEND, REOPEN) or the
 * payer's words.
 */
int db_ledger_add(struct db *, int64_t partner_id, int64_t referral_id,
    int64_t history_id, const char *kind, int64_t amount, int64_t basis,
    int64_t rate_bp, const char *note);
/* The same, with rule: the tier row or term that set rate_bp (or NULL). */
int db_ledger_add_rule(struct db *, int64_t partner_id, int64_t referral_id,
    int64_t history_id, const char *kind, int64_t amount, int64_t basis,
    int64_t rate_bp, const char *note, const char *rule);
/* A partner's net commission (earned + reversals + adjustments), paid. */
int db_ledger_totals(struct db *, int64_t partner_id, int64_t *earned,
    int64_t *paid);
/*
 * A partner's commission booked and payouts made in [from, to), by the
 * entries' dates, and the balance (booked minus paid) at to.
 */
int db_ledger_period(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int64_t *earned, int64_t *paid, int64_t *balance);
/*
 * The commission a referral's win stands at now: its earned and reversal
 * entries except REVENUE's (recurring revenue is commission of its own).
 */
int db_ledger_win(struct db *, int64_t referral_id, int64_t *net);
/* Each entry, oldest first, of a partner and/or referral (0: any). */
int db_ledger_each(struct db *, int64_t partner_id, int64_t referral_id,
    int (*cb)(const struct ledger_entry *, void *), void *arg);
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
