/*
 * cli_tier: the tier part of "refbot partner show" — which tier the
 * partner is on this year (count, conversion, the row or step met, the
 * rate) and what would raise it, as text lines or a JSON
 * "commission_tier" object (its "tier" is the partner's SLA tier).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commission.h"
#include "db_partners.h"
#include "json.h"
#include "rate.h"
#include "tiers.h"

/* One way up: rate, what it takes, the row (or step) named. */
struct raise {
	int64_t rate;
	char *needs;
	const char *rule;
};

/* The ways up from n, in file (or step) order; returns how many. */
static size_t
raises(const struct refbot *rb, const struct rate_now *n, struct raise *v,
    size_t max)
{
	const struct tier_table *t = &rb->cfg.tiers;
	size_t i, k = 0;
	int64_t from, c = n->st.count > 0 ? n->st.count : 1;

	if (n->rows != NULL) {
		for (i = 0; i < n->rows->n && k < max; i++)
			if (n->rows->v[i].rate_bp > n->rate)
				v[k++] = (struct raise){ n->rows->v[i].rate_bp,
				    tier_row_shortfall(&n->rows->v[i], &n->st),
				    n->rows->v[i].text };
		return k;
	}
	for (i = 0; i < t->n && k < max; i++) {
		from = i == 0 ? 1 : t->steps[i - 1].upto + 1;
		if (t->steps[i].rate_bp > n->rate && from > c)
			v[k++] = (struct raise){ t->steps[i].rate_bp,
			    xasprintf("%lld more referral%s this year",
			    (long long)(from - c), from - c == 1 ? "" : "s"),
			    "tier_rates" };
	}
	return k;
}

int
cli_partner_tier(struct refbot *rb, const struct partner *p,
    struct list_ctx *lc)
{
	struct rate_now n;
	struct raise up[TIERS_MAX];
	char pct[16], conv[16], *own = rate_own_terms(p);
	int64_t c;
	size_t i, nup;
	struct buf *b = &lc->out;

	if (rate_now(rb, p, &n) != 0) {
		free(own);
		return cli_db_error(rb);
	}
	c = tier_conversion_bp(&n.st);
	nup = own ? 0 : raises(rb, &n, up, nitems(up));
	if (lc->json) {
		json_key(b, "commission_tier", 0);
		buf_addc(b, '{');
		json_kv_str(b, "basis", own ? "own terms" : n.rows ?
		    "tiers.txt" : "tier_rates", 1);
		json_kv_int(b, "count", n.st.count, 0);
		json_kv_int(b, "won", n.st.won, 0);
		json_kv_int(b, "closed", n.st.closed, 0);
		json_key(b, "conversion_bp", 0);
		buf_addf(b, c < 0 ? "null" : "%lld", (long long)c);
		json_kv_str(b, "terms", own, 0);
		json_kv_str(b, "rule", own ? NULL : n.row ? n.row->text :
		    "tier_rates", 0);
		json_key(b, "rate_bp", 0);
		buf_addf(b, own ? "null" : "%lld", (long long)n.rate);
		json_key(b, "raise", 0);
		buf_addc(b, '[');
		for (i = 0; i < nup; i++) {
			buf_adds(b, i ? ", {" : "{");
			json_kv_int(b, "rate_bp", up[i].rate, 1);
			json_kv_str(b, "needs", up[i].needs, 0);
			json_kv_str(b, "rule", up[i].rule, 0);
			buf_addc(b, '}');
		}
		buf_adds(b, "]}");
	} else {
		printf("      this year: %lld referral%s, conversion %s "
		    "(%lld won of %lld closed)\n", (long long)n.st.count,
		    n.st.count == 1 ? "" : "s", c < 0 ? "none" :
		    commission_percent_text(c, conv, sizeof(conv)),
		    (long long)n.st.won, (long long)n.st.closed);
		commission_percent_text(n.rate, pct, sizeof(pct));
		if (own)
			printf("      tier: not tiered (%s)\n", own);
		else if (n.row)
			printf("      tier: %s (tiers.txt line %d): %s\n",
			    n.row->text, n.row->line, pct);
		else
			printf("      tier: tier_rates (the configuration): "
			    "%s\n", pct);
		for (i = 0; i < nup; i++)
			printf("      to raise it: %s → %s (%s)\n", up[i].needs,
			    commission_percent_text(up[i].rate, pct,
			    sizeof(pct)), up[i].rule);
		if (!own && nup == 0)
			printf("      to raise it: nothing; this is the best "
			    "tier\n");
	}
	for (i = 0; i < nup; i++)
		free(up[i].needs);
	free(own);
	return 0;
}
