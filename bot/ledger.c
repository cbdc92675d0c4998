/* ledger: commission booked, reversed and corrected as ledger entries. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "commission.h"
#include "db_ledger.h"
#include "keyword.h"
#include "ledger.h"
#include "rate.h"
#include "render.h"
#include "util.h"

int
ledger_win(struct refbot *rb, const struct referral *r,
    const struct partner *p, int64_t basis, int64_t hid, const char *note,
    int64_t *amount, int64_t *rate)
{
	char *rule = NULL;
	int rc;

	*amount = 0;
	*rate = -1;
	if (strcmp(p->terms, "reciprocal") == 0)
		return 0;
	if (strcmp(p->terms, "flat") == 0) {
		*amount = p->flat_fee > 0 ? p->flat_fee : 0;
		rule = xstrdup("flat fee");
	} else {
		if (p->rate_bp >= 0) {
			*rate = p->rate_bp;
			rule = xstrdup("the partner's own rate");
		} else if (rate_for(rb, r, p->id, 0, rate, &rule) != 0)
			return -1;
		*amount = commission_of(basis, *rate);
	}
	if (*amount <= 0) {
		*amount = 0;
		free(rule);
		return 0;
	}
	rc = db_ledger_add_rule(rb->db, p->id, r->id, hid, LEDGER_EARNED,
	    *amount, basis, *rate, note, rule);
	free(rule);
	return rc;
}

int
ledger_reverse_win(struct refbot *rb, const struct referral *r,
    int64_t hid, const char *note, int64_t *reversed)
{
	*reversed = 0;
	if (db_ledger_win(rb->db, r->id, reversed) != 0)
		return -1;
	if (*reversed == 0)
		return 0;
	return db_ledger_add(rb->db, r->partner_id, r->id, hid,
	    LEDGER_REVERSAL, -*reversed, -1, -1, note);
}

int
ledger_revenue(struct refbot *rb, const struct referral *r,
    const struct partner *p, int64_t basis, int64_t hid)
{
	int64_t rate;
	char *rule = NULL;
	int rc;

	if (p->rate_bp >= 0) {
		rate = p->rate_bp;
		rule = xstrdup("the partner's own rate");
	} else if (rate_for(rb, r, p->id, 1, &rate, &rule) != 0)
		return -1;
	rc = db_ledger_add_rule(rb->db, p->id, r->id, hid, LEDGER_EARNED,
	    commission_of(basis, rate), basis, rate, "REVENUE", rule);
	free(rule);
	return rc;
}

char *
ledger_line(struct refbot *rb, const char *lang, const char *key,
    int64_t amount, int64_t rate, int64_t previous)
{
	char *money = amount_format(amount, rb->cfg.currency);
	char *was = previous >= 0 ? amount_format(previous, rb->cfg.currency) :
	    xstrdup("");
	char *pct = rate < 0 ? xstrdup("") : rate % 100 ?
	    xasprintf("%lld.%02lld%%", (long long)rate / 100,
	    (long long)rate % 100) : xasprintf("%lld%%", (long long)rate / 100);
	const struct render_var vars[] = {
		{ "commission_amount", money }, { "commission_rate", pct },
		{ "previous", was },
	};
	char *line = refbot_mail_line(rb, "progress-lines", lang, key, vars,
	    nitems(vars));

	free(money);
	free(was);
	free(pct);
	return line;
}
