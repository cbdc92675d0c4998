/*
 * ledger: what a referral's win is worth to its partner, as ledger
 * entries — the commission under the partner's terms booked on WON (and
 * on REVENUE for recurring terms), reversed when the win is reopened or
 * its amount corrected, booked anew on the corrected amount — and the
 * sentence that tells the partner.  Never edits an entry: a change is a
 * new one (db_ledger).  Returns 0, or -1 on a database error.
 */
#ifndef REFBOT_LEDGER_H
#define REFBOT_LEDGER_H

#include <stdint.h>

#include "db_partners.h"
#include "db_referrals.h"
#include "refbot.h"

/*
 * Books the commission on basis (the amount won) under p's terms (a
 * flat fee, or a percentage: their own rate, else their tier (rate.h)
 * by their referrals of r's calendar year), tied to history row hid,
 * with note (the command) and the rule that set it.  *amount is what was booked (0: nothing, e.g.
 * reciprocal terms), *rate its rate in basis points or -1 for a fee.
 */
int ledger_win(struct refbot *, const struct referral *r,
    const struct partner *p, int64_t basis, int64_t hid, const char *note,
    int64_t *amount, int64_t *rate);
/*
 * Reverses what r's win stands at (db_ledger_win) with one reversal
 * entry tied to hid; *reversed is the commission taken back (0: none).
 */
int ledger_reverse_win(struct refbot *, const struct referral *r,
    int64_t hid, const char *note, int64_t *reversed);
/* REVENUE on recurring terms: one more earned entry on basis (rate.h). */
int ledger_revenue(struct refbot *, const struct referral *r,
    const struct partner *p, int64_t basis, int64_t hid);
/*
 * Line key of progress-lines in lang with the money filled in:
 * commission_amount, commission_rate (rate < 0: none) and previous
 * (< 0: none).  Caller frees; NULL (logged) if the line is missing.
 */
char *ledger_line(struct refbot *, const char *lang, const char *key,
    int64_t amount, int64_t rate, int64_t previous);

#endif
