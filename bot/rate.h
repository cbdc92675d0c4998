/*
 * rate: the commission rate a partner's won referral earns on
 * percentage terms, and why — by the tiers file (templates/tiers.txt,
 * parsers/tiers.h) when it has rows, else by the configuration's
 * tier_rates as before — and the partner's tier as it stands now, for
 * "refbot partner show".
 *
 * The numbers are the partner's referrals of one calendar year (UTC):
 * those that count toward the tier (not duplicates, not refused), and
 * of them the ones won and closed.  For a referral being won, the year
 * is the referral's, up to and including it, and it counts as won.
 */
#ifndef REFBOT_RATE_H
#define REFBOT_RATE_H

#include <stdint.h>

#include "db_partners.h"
#include "db_referrals.h"
#include "refbot.h"
#include "tiers.h"

/*
 * The tier rate for r of partner_id (whose own terms the caller has
 * ruled out): *rate in basis points and *rule, the words the ledger
 * keeps ("count>=11 → 20% (count 12, conversion 40%)"; caller frees).
 * recurring: for REVENUE, where tier_rates gives its first step as it
 * always has.  0, or -1 on a database error.
 */
int rate_for(struct refbot *, const struct referral *r, int64_t partner_id,
    int recurring, int64_t *rate, char **rule);

/* A partner's tier this year, as it stands. */
struct rate_now {
	struct tier_stats st;
	const struct tier_rows *rows;	/* NULL: tier_rates decides */
	const struct tier_row *row;	/* the row met (rows only) */
	int64_t rate;			/* basis points */
};

int rate_now(struct refbot *, const struct partner *, struct rate_now *);

/* Own terms, not tiered: what they are ("a flat fee"), or NULL when the
 * tier decides.  Caller frees. */
char *rate_own_terms(const struct partner *);

/*
 * The commission tier p is on now, in words that name it: "own terms"
 * (not tiered), the tiers.txt row met ("count>=4 → 15%"), or the
 * tier_rates step ("tier_rates → 10%"); *rate its rate in basis points
 * (-1: own terms).  Caller frees *label.  0, or -1 on a database error.
 */
int rate_tier_label(struct refbot *, const struct partner *, char **label,
    int64_t *rate);

#endif
