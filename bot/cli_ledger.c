/*
 * cli_ledger: "refbot payout add" and "refbot ledger" — the money, entry
 * by entry: what was earned, reversed, adjusted and paid, per partner
 * and per referral, with partial payments and a negative balance (a
 * reversal after a payment) said in words.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db_ledger.h"
#include "db_partners.h"
#include "db_referrals.h"
#include "history_words.h"
#include "json.h"
#include "keyword.h"

/* "¥40,000" or "-¥40,000"; caller frees. */
static char *
signed_amount(int64_t v, const char *currency)
{
	char *a = amount_format(v < 0 ? -v : v, currency), *s;

	if (v >= 0)
		return a;
	s = xasprintf("-%s", a);
	free(a);
	return s;
}

/*
 * Appends a payout or an adjustment (sign -1: against the partner) by
 * hand.  Against a referral (refstr), it must be the partner's, and the
 * entry is tied to a new row of its history saying who and why.
 */
static int
book(const char *conf, const char *partner, const char *amount_s, int sign,
    const char *kind, const char *refstr, const char *note)
{
	struct refbot rb;
	struct partner p;
	struct referral r;
	char *err = NULL, *paid_s, *bal_s, *amt_s;
	int64_t amount, ref = 0, earned = 0, paid = 0, hid = 0;
	int rc, found = 0, payout = strcmp(kind, LEDGER_PAYOUT) == 0;

	if (refstr != NULL && (ref = refbot_parse_ref(refstr)) == 0) {
		fprintf(stderr, "refbot: --ref must be a reference like "
		    "REF-000123\n");
		return EX_USAGE_;
	}
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if ((amount = amount_parse(amount_s, rb.cfg.currency, &err)) < 0) {
		fprintf(stderr, "refbot: %s\n", err);
		free(err);
		refbot_close(&rb);
		return EX_USAGE_;
	}
	if ((rc = cli_find_partner(&rb, partner, &p)) != 0) {
		refbot_close(&rb);
		return rc;
	}
	if (ref != 0 && (found = db_referral_get(rb.db, ref, &r)) <= 0) {
		rc = found < 0 ? cli_db_error(&rb) : EX_DATAERR_;
		if (found == 0)
			fprintf(stderr, "refbot: no referral %s\n", refstr);
		goto out;
	}
	if (found && r.partner_id != p.id) {
		fprintf(stderr, "refbot: %s is not a referral of %s\n",
		    refstr, p.name);
		rc = EX_DATAERR_;
		goto out;
	}
	amt_s = signed_amount(sign * amount, rb.cfg.currency);
	{
		const struct render_var vars[] = {
			{ "amount", amt_s }, { "text", note },
		};
		const char *key = payout ? (note ? "history.paid-note" :
		    "history.paid") : note ? "history.adjusted-note" :
		    "history.adjusted";

		rc = db_begin(rb.db) != 0 || (found && history_add_words(&rb,
		    ref, cli_actor(), payout ? "PAYOUT" : "ADJUSTMENT", NULL,
		    NULL, NULL, key, vars, nitems(vars), &hid) != 0);
	}
	free(amt_s);
	if (rc != 0 || db_ledger_add(rb.db, p.id, ref, hid, kind,
	    sign * amount, -1, -1, note) != 0 || db_commit(rb.db) != 0 ||
	    db_ledger_totals(rb.db, p.id, &earned, &paid) != 0) {
		db_rollback(rb.db);
		rc = cli_db_error(&rb);
	} else {
		paid_s = amount_format(paid, rb.cfg.currency);
		bal_s = signed_amount(earned - paid, rb.cfg.currency);
		printf("%s recorded for %s: paid in total %s, balance %s%s\n",
		    kind, p.name, paid_s, bal_s, earned < paid ?
		    " (paid more than earned)" : "");
		free(paid_s);
		free(bal_s);
	}
out:
	if (found > 0)
		referral_free(&r);
	partner_free(&p);
	refbot_close(&rb);
	return rc;
}

/* "refbot payout add PARTNER AMOUNT [--ref REF] [--note TEXT]" */
static int
cmd_payout(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ref", required_argument, NULL, 'r' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *refstr = NULL, *note = NULL;
	int c;

	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return cli_usage();
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "r:n:", opts, NULL)) != -1) {
		if (c == 'r')
			refstr = optarg;
		else if (c == 'n')
			note = optarg;
		else
			return cli_usage();
	}
	if (argc - optind != 2)
		return cli_usage();
	return book(conf, argv[optind], argv[optind + 1], 1, LEDGER_PAYOUT,
	    refstr, note);
}

/* The commission and payouts of one partner or one referral. */
struct sum {
	int64_t partner_id, referral_id;	/* referral 0: the partner */
	char *name;
	int64_t commission, paid;
};

struct ledger_ctx {
	struct refbot *rb;
	struct list_ctx lc;
	struct sum *sums;
	size_t nsums;
};

/* Adds an entry to the sum of its partner or referral (made if new). */
static void
sum_add(struct ledger_ctx *c, const struct ledger_entry *e,
    int64_t referral_id)
{
	struct sum *s = NULL;
	size_t i;

	for (i = 0; i < c->nsums && s == NULL; i++)
		if (c->sums[i].partner_id == e->partner_id &&
		    c->sums[i].referral_id == referral_id)
			s = &c->sums[i];
	if (s == NULL) {
		c->sums = xreallocarray(c->sums, c->nsums + 1,
		    sizeof(*c->sums));
		s = &c->sums[c->nsums++];
		*s = (struct sum){ e->partner_id, referral_id,
		    xstrdup(e->partner_name ? e->partner_name : ""), 0, 0 };
	}
	if (strcmp(e->kind, LEDGER_PAYOUT) == 0)
		s->paid += e->amount;
	else
		s->commission += e->amount;
}

static int
ledger_row(const struct ledger_entry *e, void *arg)
{
	struct ledger_ctx *c = arg;
	const char *cur = c->rb->cfg.currency;
	char when[32], ref[24] = "-", *amt = signed_amount(e->amount, cur);

	sum_add(c, e, 0);
	if (e->referral_id) {
		sum_add(c, e, e->referral_id);
		refbot_ref(e->referral_id, ref, sizeof(ref));
	}
	cli_iso_time(e->created_at, when, sizeof(when));
	if (!c->lc.json) {
		printf("%.10s  %-20s  %-10s  %-10s  %14s  %s%s%s\n", when,
		    e->partner_name ? e->partner_name : "-", ref, e->kind, amt,
		    e->note ? e->note : "", e->rule ? "  rule: " : "",
		    e->rule ? e->rule : "");
	} else {
		buf_adds(&c->lc.out, c->lc.n++ ? ",\n  {" : "\n  {");
		json_kv_int(&c->lc.out, "id", e->id, 1);
		json_kv_str(&c->lc.out, "at", when, 0);
		json_kv_str(&c->lc.out, "partner", e->partner_name, 0);
		json_kv_str(&c->lc.out, "ref", e->referral_id ? ref : NULL, 0);
		json_kv_str(&c->lc.out, "kind", e->kind, 0);
		json_kv_int(&c->lc.out, "amount", e->amount, 0);
		json_kv_str(&c->lc.out, "note", e->note, 0);
		json_kv_int(&c->lc.out, "rate_bp", e->rate_bp, 0);
		json_kv_str(&c->lc.out, "rule", e->rule, 0);
		buf_addc(&c->lc.out, '}');
	}
	free(amt);
	return 0;
}

/* "earned ¥100,000, paid ¥40,000, balance ¥60,000 (partly paid)" */
static void
print_sum(const struct sum *s, const char *cur)
{
	char ref[24], *e = signed_amount(s->commission, cur);
	char *p = amount_format(s->paid, cur);
	char *b = signed_amount(s->commission - s->paid, cur);
	const char *how = s->commission - s->paid < 0 ? " (paid more than "
	    "earned: reversed after payment)" : s->paid > 0 &&
	    s->paid < s->commission ? " (partly paid)" : s->paid > 0 &&
	    s->paid == s->commission ? " (paid in full)" : "";

	if (s->referral_id) {
		refbot_ref(s->referral_id, ref, sizeof(ref));
		printf("  %s: commission %s, paid %s, outstanding %s%s\n", ref,
		    e, p, b, how);
	} else
		printf("%s: commission %s, paid %s, balance %s%s\n", s->name,
		    e, p, b, how);
	free(e);
	free(p);
	free(b);
}

static int
ledger_list(struct refbot *rb, int json, int64_t partner_id,
    int64_t referral_id)
{
	struct ledger_ctx c = { rb, { json, 0, { NULL, 0, 0 } }, NULL, 0 };
	size_t i, k;
	int rc = 0;

	if (!json)
		printf("%-10s  %-20s  %-10s  %-10s  %14s  %s\n", "DATE",
		    "PARTNER", "REF", "KIND", "AMOUNT", "NOTE");
	if (db_ledger_each(rb->db, partner_id, referral_id, ledger_row,
	    &c) != 0)
		rc = cli_db_error(rb);
	else if (json) {
		printf("{\"entries\": [%s%s],\n\"totals\": [",
		    c.lc.out.data ? c.lc.out.data : "", c.lc.n ? "\n" : "");
		for (i = 0; i < c.nsums; i++) {
			struct buf b;
			char ref[24];

			buf_init(&b);
			json_kv_str(&b, "partner", c.sums[i].name, 1);
			if (c.sums[i].referral_id)
				refbot_ref(c.sums[i].referral_id, ref,
				    sizeof(ref));
			json_kv_str(&b, "ref", c.sums[i].referral_id ? ref :
			    NULL, 0);
			json_kv_int(&b, "commission", c.sums[i].commission, 0);
			json_kv_int(&b, "paid", c.sums[i].paid, 0);
			json_kv_int(&b, "balance", c.sums[i].commission -
			    c.sums[i].paid, 0);
			printf("%s\n  {%s}", i ? "," : "", b.data);
			buf_free(&b);
		}
		printf("%s]}\n", c.nsums ? "\n" : "");
	} else {
		/* Each partner, then its referrals. */
		for (i = 0; i < c.nsums; i++) {
			if (c.sums[i].referral_id)
				continue;
			printf("\n");
			print_sum(&c.sums[i], rb->cfg.currency);
			for (k = 0; k < c.nsums; k++)
				if (c.sums[k].referral_id &&
				    c.sums[k].partner_id ==
				    c.sums[i].partner_id)
					print_sum(&c.sums[k],
					    rb->cfg.currency);
		}
	}
	for (i = 0; i < c.nsums; i++)
		free(c.sums[i].name);
	free(c.sums);
	buf_free(&c.lc.out);
	return rc;
}

/*
 * "refbot ledger [--partner P] [--ref REF] [--format text|json]";
 * "refbot ledger adjust PARTNER --credit|--debit AMOUNT --note WHY
 * [--ref REF]"
 */
static int
cmd_ledger(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "partner", required_argument, NULL, 'p' },
		{ "ref", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "credit", required_argument, NULL, 'c' },
		{ "debit", required_argument, NULL, 'd' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct partner p;
	const char *partner = NULL, *refstr = NULL, *note = NULL;
	const char *amount = NULL;
	int64_t ref = 0, pid = 0;
	int c, rc, json = 0, sign = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "p:r:f:c:d:n:", opts, NULL)) !=
	    -1) {
		if (c == 'p')
			partner = optarg;
		else if (c == 'r') {
			if ((ref = refbot_parse_ref(refstr = optarg)) == 0)
				return cli_usage();
		} else if (c == 'f') {
			if ((json = cli_parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else if ((c == 'c' || c == 'd') && sign == 0) {
			amount = optarg;
			sign = c == 'c' ? 1 : -1;
		} else if (c == 'n')
			note = optarg;
		else
			return cli_usage();
	}
	/* An adjustment says which way and why. */
	if (optind == argc - 2 && strcmp(argv[optind], "adjust") == 0 &&
	    sign != 0 && note != NULL && partner == NULL)
		return book(conf, argv[optind + 1], amount, sign,
		    LEDGER_ADJUSTMENT, refstr, note);
	if (optind != argc || sign != 0 || note != NULL)
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if (partner != NULL) {
		if ((rc = cli_find_partner(&rb, partner, &p)) != 0) {
			refbot_close(&rb);
			return rc;
		}
		pid = p.id;
		partner_free(&p);
	}
	rc = ledger_list(&rb, json, pid, ref);
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_payout_cmd = { "payout",
"  payout add PARTNER AMOUNT [--ref REF] [--note TEXT]\n"
"                                record a commission payment (against a\n"
"                                referral of that partner: in its history)\n",
	cmd_payout,
"Appends a payment to the partner's ledger (never edits one); 'partner\n"
"show' and 'ledger' give the balance.  AMOUNT in the configured currency.\n"
"Options:\n"
"  --ref REF         the referral it pays for (it must be the partner's)\n"
"  --note TEXT       a note kept with the entry\n"
"\n"
"Example:\n"
"  refbot payout add partner@firm.example 120000 --ref REF-000012\n" };

const struct cli_cmd cli_ledger_cmd = { "ledger",
"  ledger [--partner P] [--ref REF] [--format text|json]\n"
"                                every entry (earned, reversal, adjustment,\n"
"                                payout) and the balance per partner and\n"
"                                referral: partly paid, overpaid\n"
"  ledger adjust PARTNER --credit|--debit AMOUNT --note WHY [--ref REF]\n"
"                                an adjustment entry: owed more (credit)\n"
"                                or less (debit), and why\n",
	cmd_ledger,
"The ledger is append-only: a mistake is corrected by a new entry (a\n"
"reversal, an adjustment), never by an edit.  The balance is the sum of\n"
"the entries: commission (earned, reversals, adjustments) less payouts;\n"
"below zero when more was paid than is now earned.\n"
"Options:\n"
"  --partner P       one partner's entries (id or address)\n"
"  --ref REF         one referral's entries\n"
"  --format F        text or json\n"
"  --credit AMOUNT   (adjust) the partner is owed more\n"
"  --debit AMOUNT    (adjust) the partner is owed less\n"
"  --note WHY        (adjust) why; kept with the entry\n"
"\n"
"Example:\n"
"  refbot ledger --partner partner@firm.example\n"
"  refbot ledger adjust partner@firm.example --debit 5000 --note \"fee\"\n" };
