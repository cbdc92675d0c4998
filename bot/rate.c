/* rate: which tier a partner's referral earns, and the words for it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "commission.h"
#include "db_referrals.h"
#include "rate.h"
#include "texts.h"
#include "util.h"

/* [from, to): the calendar year (UTC) holding t. */
static void
year_of(int64_t t, int64_t *from, int64_t *to)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	tm.tm_mon = 0;
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	*from = (int64_t)timegm(&tm);
	tm.tm_year++;
	*to = (int64_t)timegm(&tm);
}

static int
stats(struct refbot *rb, int64_t partner_id, int64_t at, int64_t upto_id,
    struct tier_stats *st)
{
	int64_t from, to;

	year_of(at, &from, &to);
	return db_partner_year_outcomes(rb->db, partner_id, from, to,
	    upto_id, &st->count, &st->won, &st->closed);
}

int
rate_for(struct refbot *rb, const struct referral *r, int64_t partner_id,
    int recurring, int64_t *rate, char **rule)
{
	const struct tier_rows *rows = rb->texts ? texts_tiers(rb->texts) :
	    NULL;
	const struct tier_row *row;
	struct tier_stats st;
	char pct[16], conv[16];
	int64_t c;

	if (stats(rb, partner_id, r->created_at, r->id, &st) != 0)
		return -1;
	if (rows != NULL && (row = tier_rows_match(rows, &st)) != NULL) {
		*rate = row->rate_bp;
		c = tier_conversion_bp(&st);
		*rule = xasprintf("%s (count %lld, conversion %s)", row->text,
		    (long long)st.count, c < 0 ? "none" :
		    commission_percent_text(c, conv, sizeof(conv)));
		return 0;
	}
	/* tier_rates, exactly as before the tiers file. */
	if (recurring) {
		*rate = tier_rate(&rb->cfg.tiers, 1);
		*rule = xasprintf("tier_rates, first step → %s",
		    commission_percent_text(*rate, pct, sizeof(pct)));
	} else {
		c = st.count > 0 ? st.count : 1;
		*rate = tier_rate(&rb->cfg.tiers, c);
		*rule = xasprintf("tier_rates, referral %lld of the year → %s",
		    (long long)c, commission_percent_text(*rate, pct,
		    sizeof(pct)));
	}
	return 0;
}

int
rate_now(struct refbot *rb, const struct partner *p, struct rate_now *n)
{
	n->rows = rb->texts ? texts_tiers(rb->texts) : NULL;
	n->row = NULL;
	if (stats(rb, p->id, clock_now(), INT64_MAX, &n->st) != 0)
		return -1;
	if (n->rows != NULL && (n->row = tier_rows_match(n->rows,
	    &n->st)) != NULL)
		n->rate = n->row->rate_bp;
	else
		n->rate = tier_rate(&rb->cfg.tiers, n->st.count > 0 ?
		    n->st.count : 1);
	return 0;
}

char *
rate_own_terms(const struct partner *p)
{
	char pct[16];

	if (strcmp(p->terms, "reciprocal") == 0)
		return xstrdup("reciprocal terms");
	if (strcmp(p->terms, "flat") == 0)
		return xstrdup("a flat fee");
	if (p->rate_bp >= 0)
		return xasprintf("their own rate, %s",
		    commission_percent_text(p->rate_bp, pct, sizeof(pct)));
	return NULL;
}

int
rate_tier_label(struct refbot *rb, const struct partner *p, char **label,
    int64_t *rate)
{
	struct rate_now n;
	char pct[16], *own = rate_own_terms(p);

	*label = NULL;
	*rate = -1;
	if (own != NULL) {
		free(own);
		*label = xstrdup("own terms");
		return 0;
	}
	if (rate_now(rb, p, &n) != 0)
		return -1;
	*rate = n.rate;
	*label = n.row != NULL ? xstrdup(n.row->text) :
	    xasprintf("tier_rates → %s", commission_percent_text(n.rate, pct,
	    sizeof(pct)));
	return 0;
}
