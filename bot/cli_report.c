/*
 * cli_report: "refbot report" (F8: per partner and overall, for any
 * period, as text, CSV or JSON) and "refbot given add" (referrals the
 * firm gave to a partner, for reciprocity).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "json.h"
#include "keyword.h"
#include "notify.h"
#include "render.h"
#include "sla.h"

struct totals {
	int format;		/* 0 text, 1 json, 2 csv */
	const char *currency;
	int n;
	struct buf out;
	struct report_row all;
	int64_t *times;		/* every response time, for the median */
	size_t ntimes;
};

/* YYYY-MM-DD as the UTC midnight starting it; -1 if not a date. */
static int64_t
parse_day(const char *s)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	return (int64_t)timegm(&tm);
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of a sorted list, in hours with one decimal; "-" if none. */
static void
median_text(const int64_t *v, size_t n, char *buf, size_t size)
{
	int64_t m;

	if (n == 0) {
		snprintf(buf, size, "-");
		return;
	}
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	snprintf(buf, size, "%lld.%lld", (long long)(m / 3600),
	    (long long)(m % 3600 * 10 / 3600));
}

static size_t
parse_times(const char *s, int64_t **v)
{
	size_t n = 0;
	char *end;

	*v = NULL;
	while (s != NULL && *s != '\0') {
		*v = xreallocarray(*v, n + 1, sizeof(**v));
		(*v)[n++] = strtoll(s, &end, 10);
		s = *end == ',' ? end + 1 : end;
		if (end == s && *s != '\0')
			break;
	}
	return n;
}

static void
emit(struct totals *t, const char *name, int64_t id,
    const struct report_row *r, const char *median)
{
	char conv[16], *rev = amount_format(r->revenue, t->currency);
	char *com = amount_format(r->commission, t->currency);
	int64_t counted = r->received - r->duplicates;

	if (counted > 0)
		snprintf(conv, sizeof(conv), "%lld%%",
		    (long long)(r->won * 100 / counted));
	else
		snprintf(conv, sizeof(conv), "-");
	if (t->format == 0)
		buf_addf(&t->out, "%-24.24s %8lld %5lld %4lld %5s %14s %12s "
		    "%6s %4lld %4lld\n", name, (long long)r->received,
		    (long long)r->given, (long long)r->won, conv, rev, com,
		    median, (long long)r->sla_breaches,
		    (long long)r->duplicates);
	else if (t->format == 2)
		buf_addf(&t->out, "%lld,\"%s\",%lld,%lld,%lld,%s,%lld,%lld,"
		    "%s,%lld,%lld\n", (long long)id, name, (long long)r->received,
		    (long long)r->given, (long long)r->won, conv,
		    (long long)r->revenue, (long long)r->commission, median,
		    (long long)r->sla_breaches, (long long)r->duplicates);
	else {
		buf_adds(&t->out, t->n++ ? ",\n  {" : "\n  {");
		json_kv_int(&t->out, "partner_id", id, 1);
		json_kv_str(&t->out, "partner", name, 0);
		json_kv_int(&t->out, "received", r->received, 0);
		json_kv_int(&t->out, "given", r->given, 0);
		json_kv_int(&t->out, "won", r->won, 0);
		json_kv_str(&t->out, "conversion", conv, 0);
		json_kv_int(&t->out, "revenue", r->revenue, 0);
		json_kv_int(&t->out, "commission", r->commission, 0);
		json_kv_int(&t->out, "paid", r->paid, 0);
		json_kv_str(&t->out, "median_first_response_hours", median, 0);
		json_kv_int(&t->out, "sla_breaches", r->sla_breaches, 0);
		json_kv_int(&t->out, "duplicates", r->duplicates, 0);
		buf_addc(&t->out, '}');
	}
	free(rev);
	free(com);
}

static int
row_cb(const struct report_row *r, void *arg)
{
	struct totals *t = arg;
	int64_t *v;
	size_t n = parse_times(r->response_times, &v), i;
	char median[32];
	char *name = xstrdup(r->name ? r->name : "?"), *q;

	/* CSV and the table cannot carry a quote or a line break. */
	for (q = name; *q != '\0'; q++)
		if (*q == '"' || *q == '\n')
			*q = '\'';
	median_text(v, n, median, sizeof(median));
	emit(t, name, r->partner_id, r, median);
	free(name);
	t->all.received += r->received;
	t->all.duplicates += r->duplicates;
	t->all.won += r->won;
	t->all.revenue += r->revenue;
	t->all.commission += r->commission;
	t->all.paid += r->paid;
	t->all.given += r->given;
	t->all.sla_breaches += r->sla_breaches;
	for (i = 0; i < n; i++) {
		t->times = xreallocarray(t->times, t->ntimes + 1,
		    sizeof(*t->times));
		t->times[t->ntimes++] = v[i];
	}
	free(v);
	return 0;
}

int
cmd_report(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "partner", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct partner p;
	struct totals t;
	const char *partner = NULL;
	int64_t from = 0, to = sla_now() + 86400, pid = 0, costs = 0, spent;
	char median[32], roi[32];
	int c, rc;

	memset(&t, 0, sizeof(t));
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:t:p:F:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((from = parse_day(optarg)) < 0)
				goto baddate;
			break;
		case 't':
			if ((to = parse_day(optarg)) < 0)
				goto baddate;
			to += 86400;	/* the whole last day */
			break;
		case 'p': partner = optarg; break;
		case 'F':
			if (strcmp(optarg, "csv") == 0)
				t.format = 2;
			else if ((t.format = parse_format(optarg)) < 0)
				return EX_USAGE_;
			break;
		default:
			return usage();
		}
	}
	if (optind != argc)
		return usage();
	if ((rc = open_or_complain(&rb, conf, 0)) != 0)
		return rc;
	if (partner != NULL) {
		if ((rc = find_partner(&rb, partner, &p)) != 0) {
			refbot_close(&rb);
			return rc;
		}
		pid = p.id;
		partner_free(&p);
	}
	t.currency = rb.cfg.currency;
	if (t.format == 0)
		buf_addf(&t.out, "%-24s %8s %5s %4s %5s %14s %12s %6s %4s %4s\n",
		    "partner", "received", "given", "won", "conv", "revenue",
		    "commission", "resp.h", "sla!", "dup");
	else if (t.format == 2)
		buf_adds(&t.out, "partner_id,partner,received,given,won,"
		    "conversion,revenue,commission,median_first_response_hours,"
		    "sla_breaches,duplicates\n");
	else
		buf_adds(&t.out, "{\"partners\":[");
	if (db_report(rb.db, from, to, pid, (int64_t)rb.sla_hours * 3600,
	    sla_now(), row_cb, &t) != 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb.db));
		buf_free(&t.out);
		free(t.times);
		refbot_close(&rb);
		return EX_IOERR_;
	}
	if (t.ntimes > 1)
		qsort(t.times, t.ntimes, sizeof(*t.times), cmp64);
	median_text(t.times, t.ntimes, median, sizeof(median));
	if (db_costs(rb.db, from, to, &costs) != 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb.db));
		costs = 0;
	}
	/*
	 * The programme's return: what the referrals brought in against
	 * what they cost (commission plus recorded costs), when costs exist.
	 */
	spent = t.all.commission + costs;
	if (spent > 0)
		snprintf(roi, sizeof(roi), "%lld%%", (long long)((t.all.revenue -
		    spent) * 100 / spent));
	else
		snprintf(roi, sizeof(roi), "-");
	if (t.format == 1) {
		buf_adds(&t.out, t.n ? "\n],\"overall\":" : "],\"overall\":");
		t.n = 0;
		emit(&t, "overall", 0, &t.all, median);
		t.out.data[--t.out.len] = '\0';	/* reopen the object */
		json_kv_int(&t.out, "costs", costs, 0);
		json_kv_str(&t.out, "roi", roi, 0);
		buf_adds(&t.out, "}}\n");
		fputs(t.out.data, stdout);
	} else {
		char *cs = amount_format(costs, t.currency);
		emit(&t, "overall", 0, &t.all, median);
		fputs(t.out.data, stdout);
		if (t.format == 0)
			printf("\nprogramme costs %s; return on commission and "
			    "costs %s\n", cs, roi);
		free(cs);
	}
	buf_free(&t.out);
	free(t.times);
	refbot_close(&rb);
	return 0;
baddate:
	fprintf(stderr, "refbot: dates are written YYYY-MM-DD\n");
	return EX_USAGE_;
}

/* "refbot given add PARTNER [--note TEXT]" */
int
cmd_given(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct partner p;
	const char *note = NULL;
	int c, rc;

	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return usage();
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c != 'n')
			return usage();
		note = optarg;
	}
	if (argc - optind != 1)
		return usage();
	if ((rc = open_or_complain(&rb, conf, 0)) != 0)
		return rc;
	if ((rc = find_partner(&rb, argv[optind], &p)) != 0) {
		refbot_close(&rb);
		return rc;
	}
	if (db_given_add(rb.db, p.id, sla_now(), note) != 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb.db));
		rc = EX_IOERR_;
	} else
		printf("referral given to %s recorded\n", p.name);
	partner_free(&p);
	refbot_close(&rb);
	return rc;
}

/* "2026Q4" as [from, to) in UTC; 0, or -1 if it is not a quarter. */
static int
parse_quarter(const char *s, int64_t *from, int64_t *to)
{
	struct tm tm;
	int year, q;
	char end;

	if (sscanf(s, "%4dQ%1d%c", &year, &q, &end) != 2 || q < 1 || q > 4 ||
	    year < 2000 || year > 2200)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = (q - 1) * 3;
	tm.tm_mday = 1;
	*from = (int64_t)timegm(&tm);
	tm.tm_mon += 3;
	*to = (int64_t)timegm(&tm);
	return 0;
}

struct stmt_ctx {
	struct buf lines;
	const char *currency;
	int n;
};

static int
stmt_line(const struct referral *r, void *arg)
{
	struct stmt_ctx *c = arg;
	char ref[24];

	refbot_ref(r->id, ref, sizeof(ref));
	buf_addf(&c->lines, "%s  %-12s %s\n", ref, r->status,
	    r->client ? r->client : "-");
	c->n++;
	return 0;
}

/* One partner's statement: printed, or with send queued once. */
static int
statement_one(struct refbot *rb, const struct partner *p, const char *quarter,
    int64_t from, int64_t to, int send)
{
	struct statement st;
	struct stmt_ctx c;
	char period[64], day1[16], day2[16], *rev, *earned, *paid, *bal, *subj;
	char *body, *err = NULL;
	const char *lang = strcmp(p->lang, "ja") == 0 ? "ja" : "en";
	time_t t;
	struct tm tm;
	int rc = 0, first;

	memset(&c, 0, sizeof(c));
	c.currency = rb->cfg.currency;
	if (db_statement(rb->db, p->id, from, to, &st, stmt_line, &c) != 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb->db));
		buf_free(&c.lines);
		return EX_IOERR_;
	}
	t = (time_t)from;
	gmtime_r(&t, &tm);
	strftime(day1, sizeof(day1), "%Y-%m-%d", &tm);
	t = (time_t)to - 1;
	gmtime_r(&t, &tm);
	strftime(day2, sizeof(day2), "%Y-%m-%d", &tm);
	snprintf(period, sizeof(period), "%s – %s", day1, day2);
	rev = amount_format(st.revenue, c.currency);
	earned = amount_format(st.earned, c.currency);
	paid = amount_format(st.paid, c.currency);
	bal = amount_format(st.balance >= 0 ? st.balance : -st.balance,
	    c.currency);
	if (st.balance < 0) {
		char *neg = xasprintf("-%s", bal);
		free(bal);
		bal = neg;
	}
	{
		const struct render_var vars[] = {
			{ "partner_name", p->name }, { "quarter", quarter },
			{ "period", period },
			{ "referrals", c.n ? c.lines.data : "  -\n" },
			{ "revenue", rev }, { "earned", earned },
			{ "paid", paid }, { "balance", bal },
			{ "from_name", rb->cfg.from_name },
		};
		if (!send) {
			if (refbot_mail_text(rb, "statement", lang, vars,
			    nitems(vars), &subj, &body, &err) != 0) {
				fprintf(stderr, "refbot: %s\n", err);
				free(err);
				rc = EX_CONFIG_;
			} else {
				printf("%s\n\n%s\n", subj, body);
				free(subj);
				free(body);
			}
		} else if (db_begin(rb->db) != 0 ||
		    (first = db_statement_mark(rb->db, p->id, quarter)) < 0) {
			db_rollback(rb->db);
			rc = EX_IOERR_;
		} else if (first == 0) {
			db_rollback(rb->db);
			printf("%s: statement %s was sent before; not again\n",
			    p->name, quarter);
		} else {
			struct notify n;

			memset(&n, 0, sizeof(n));
			n.name = "statement";
			n.lang = lang;
			n.rcpt = p->email;
			n.vars = vars;
			n.nvars = nitems(vars);
			if (notify_queue(rb, &n, NULL) != 0 ||
			    db_commit(rb->db) != 0) {
				db_rollback(rb->db);
				rc = EX_IOERR_;
			} else
				printf("%s: statement %s queued\n", p->name,
				    quarter);
		}
	}
	free(rev);
	free(earned);
	free(paid);
	free(bal);
	buf_free(&c.lines);
	return rc;
}

struct stmt_all {
	struct refbot *rb;
	const char *quarter;
	int64_t from, to;
	int send, rc;
	int64_t *ids;
	size_t n;
};

static int
collect_active(const struct partner *p, void *arg)
{
	struct stmt_all *a = arg;

	if (p->active) {
		a->ids = xreallocarray(a->ids, a->n + 1, sizeof(*a->ids));
		a->ids[a->n++] = p->id;
	}
	return 0;
}

/* "refbot statement --quarter 2026Q4 [--partner P] [--send]" */
int
cmd_statement(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quarter", required_argument, NULL, 'q' },
		{ "partner", required_argument, NULL, 'p' },
		{ "send", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct stmt_all a;
	struct partner p;
	const char *partner = NULL;
	char key[24];
	size_t i;
	int c, rc;

	memset(&a, 0, sizeof(a));
	optind = 0;
	while ((c = getopt_long(argc, argv, "q:p:s", opts, NULL)) != -1) {
		if (c == 'q')
			a.quarter = optarg;
		else if (c == 'p')
			partner = optarg;
		else if (c == 's')
			a.send = 1;
		else
			return usage();
	}
	if (optind != argc || a.quarter == NULL)
		return usage();
	if (parse_quarter(a.quarter, &a.from, &a.to) != 0) {
		fprintf(stderr, "refbot: --quarter is written like 2026Q4\n");
		return EX_USAGE_;
	}
	if ((rc = open_or_complain(&rb, conf, 0)) != 0)
		return rc;
	a.rb = &rb;
	if (partner != NULL) {
		if ((rc = find_partner(&rb, partner, &p)) != 0) {
			refbot_close(&rb);
			return rc;
		}
		rc = statement_one(&rb, &p, a.quarter, a.from, a.to, a.send);
		partner_free(&p);
	} else if (db_partner_each(rb.db, collect_active, &a) != 0)
		rc = EX_IOERR_;
	else
		for (i = 0; i < a.n && rc == 0; i++) {
			snprintf(key, sizeof(key), "%lld", (long long)a.ids[i]);
			if (db_partner_find(rb.db, key, &p) <= 0)
				continue;
			rc = statement_one(&rb, &p, a.quarter, a.from, a.to,
			    a.send);
			partner_free(&p);
		}
	free(a.ids);
	refbot_close(&rb);
	return rc;
}

/* "refbot cost add AMOUNT [--note TEXT]" */
int
cmd_cost(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	const char *note = NULL;
	char *err = NULL;
	int64_t amount;
	int c, rc;

	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return usage();
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c != 'n')
			return usage();
		note = optarg;
	}
	if (argc - optind != 1)
		return usage();
	if ((rc = open_or_complain(&rb, conf, 0)) != 0)
		return rc;
	if ((amount = amount_parse(argv[optind], rb.cfg.currency, &err)) < 0) {
		fprintf(stderr, "refbot: %s\n", err);
		free(err);
		rc = EX_USAGE_;
	} else if (db_cost_add(rb.db, amount, sla_now(), note) != 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb.db));
		rc = EX_IOERR_;
	} else
		printf("programme cost recorded\n");
	refbot_close(&rb);
	return rc;
}
