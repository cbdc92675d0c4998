/*
 * cli_report: "refbot report" (F8: per partner and overall, for any
 * period, as text, CSV, JSON, or the HTML scorecard) and "refbot given
 * add" (referrals the firm gave to a partner, for reciprocity).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "cli.h"
#include "db_ledger.h"
#include "db_partners.h"
#include "db_referrals.h"
#include "db_reports.h"
#include "health.h"
#include "json.h"
#include "keyword.h"
#include "notify.h"
#include "render.h"
#include "review.h"
#include "scorecard.h"
#include "sla.h"
#include "statement.h"

enum { F_TEXT, F_JSON, F_CSV, F_HTML };

struct totals {
	int format;
	int n;
	struct buf out;
	struct scorecard sc;	/* every format's numbers */
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

/* The median of a sorted list; -1 if it is empty. */
static int64_t
median_of(const int64_t *v, size_t n)
{
	if (n == 0)
		return -1;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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

/* A row's health figures as the reports write them. */
struct health_text {
	char tier[24], rate[24], sat[24], prev[24], trend[24];
};

static void
health_texts(const struct scorecard_row *r, struct health_text *h)
{
	snprintf(h->tier, sizeof(h->tier), r->tier > 0 ? "%lld" : "-",
	    (long long)r->tier);
	scorecard_rate(r->rate_bp, h->rate, sizeof(h->rate));
	health_score(r->sat, h->sat, sizeof(h->sat));
	health_score(r->sat_prev, h->prev, sizeof(h->prev));
	scorecard_trend(r->sat, r->sat_prev, h->trend, sizeof(h->trend));
}

/*
 * The text report's health part (#20.4): satisfaction and trend per
 * partner, conversion by commission tier, and what needs attention.
 */
static void
health_text(struct totals *t)
{
	const struct scorecard *sc = &t->sc;
	struct health_text h;
	char conv[32];
	size_t i, k, n = 0;

	buf_addf(&t->out, "\n%-24s %4s %6s %7s %5s %5s %7s\n", "partner",
	    "tier", "rate", "satisf.", "prev", "trend", "answers");
	for (i = 0; i <= sc->nrows; i++) {
		const struct scorecard_row *s = i < sc->nrows ? &sc->rows[i] :
		    &sc->all;

		health_texts(s, &h);
		buf_addf(&t->out, "%-24.24s %4s %6s %7s %5s %5s %7lld\n",
		    i < sc->nrows ? s->name : "overall", h.tier, h.rate, h.sat,
		    h.prev, h.trend, (long long)s->sat_n);
	}
	buf_addf(&t->out, "\nconversion by commission tier (the tier each "
	    "partner is on now)\n%8s %8s %4s %5s %6s  %s\n", "partners",
	    "received", "won", "conv", "rate", "commission tier");
	for (i = 0; i < sc->ntiers; i++) {
		scorecard_tier_conversion(&sc->tiers[i], conv, sizeof(conv));
		scorecard_rate(sc->tiers[i].rate_bp, h.rate, sizeof(h.rate));
		buf_addf(&t->out, "%8lld %8lld %4lld %5s %6s  %s\n",
		    (long long)sc->tiers[i].partners,
		    (long long)sc->tiers[i].received,
		    (long long)sc->tiers[i].won, conv, h.rate,
		    sc->tiers[i].label);
	}
	buf_adds(&t->out, "\nneeds attention\n");
	for (i = 0; i < sc->nrows; i++)
		for (k = 0; k < sc->rows[i].npoints; k++, n++)
			buf_addf(&t->out, "  %s: %s\n", sc->rows[i].name,
			    sc->rows[i].points[k]);
	if (n == 0)
		buf_adds(&t->out, "  -\n");
}

/* The JSON report's conversion by commission tier. */
static void
health_json(struct totals *t)
{
	const struct scorecard *sc = &t->sc;
	char conv[32], rate[24];
	size_t i;

	buf_adds(&t->out, ",\"tiers\":[");
	for (i = 0; i < sc->ntiers; i++) {
		scorecard_tier_conversion(&sc->tiers[i], conv, sizeof(conv));
		scorecard_rate(sc->tiers[i].rate_bp, rate, sizeof(rate));
		buf_adds(&t->out, i ? ",{" : "{");
		json_kv_str(&t->out, "commission_tier", sc->tiers[i].label, 1);
		json_kv_int(&t->out, "partners", sc->tiers[i].partners, 0);
		json_kv_int(&t->out, "received", sc->tiers[i].received, 0);
		json_kv_int(&t->out, "won", sc->tiers[i].won, 0);
		json_kv_str(&t->out, "conversion", conv, 0);
		json_kv_str(&t->out, "commission_rate", rate, 0);
		buf_addc(&t->out, '}');
	}
	buf_addc(&t->out, ']');
}

/* One row of the text, CSV or JSON report. */
static void
emit(struct totals *t, const char *rowname, const struct scorecard_row *r)
{
	const char *currency = t->sc.currency;
	char conv[32], median[32], *rev = amount_format(r->revenue, currency);
	char *com = amount_format(r->commission, currency);
	char *name = xstrdup(rowname), *q;
	struct health_text h;
	size_t i;

	/* CSV and the table cannot carry a quote or a line break. */
	for (q = name; *q != '\0'; q++)
		if (*q == '"' || *q == '\n')
			*q = '\'';
	scorecard_conversion(r, conv, sizeof(conv));
	scorecard_hours(r->median, median, sizeof(median));
	health_texts(r, &h);
	if (t->format == F_TEXT)
		buf_addf(&t->out, "%-24.24s %8lld %5lld %4lld %5s %14s %12s "
		    "%6s %4lld %4lld %6lld\n", name, (long long)r->received,
		    (long long)r->given, (long long)r->won, conv, rev, com,
		    median, (long long)r->sla_breaches,
		    (long long)r->duplicates, (long long)r->given_won);
	else if (t->format == F_CSV)
		buf_addf(&t->out, "%lld,\"%s\",%lld,%lld,%lld,%s,%lld,%lld,"
		    "%s,%lld,%lld,%lld", (long long)r->partner_id, name,
		    (long long)r->received, (long long)r->given,
		    (long long)r->won, conv, (long long)r->revenue,
		    (long long)r->commission, median,
		    (long long)r->sla_breaches, (long long)r->duplicates,
		    (long long)r->given_won);
	if (t->format == F_CSV) {
		/* The health columns (#20.4); points by key. */
		buf_addf(&t->out, ",%s,\"%s\",%s,%s,%s,%s,%lld,\"", h.tier,
		    r->commission_tier ? r->commission_tier : "-", h.rate,
		    h.sat, h.prev, h.trend, (long long)r->sat_n);
		for (i = 0; i < r->npoints; i++)
			buf_addf(&t->out, "%s%s", i ? " " : "",
			    r->point_keys[i]);
		buf_adds(&t->out, "\"\n");
	} else if (t->format == F_JSON) {
		buf_adds(&t->out, t->n++ ? ",\n  {" : "\n  {");
		json_kv_int(&t->out, "partner_id", r->partner_id, 1);
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
		json_kv_int(&t->out, "given_won", r->given_won, 0);
		if (r->tier > 0)
			json_kv_int(&t->out, "tier", r->tier, 0);
		json_kv_str(&t->out, "commission_tier", r->commission_tier, 0);
		json_kv_str(&t->out, "commission_rate", h.rate, 0);
		json_kv_str(&t->out, "satisfaction", h.sat, 0);
		json_kv_str(&t->out, "satisfaction_previous", h.prev, 0);
		json_kv_str(&t->out, "satisfaction_trend", h.trend, 0);
		json_kv_int(&t->out, "survey_answers", r->sat_n, 0);
		json_key(&t->out, "needs_attention", 0);
		buf_addc(&t->out, '[');
		for (i = 0; i < r->npoints; i++) {
			buf_adds(&t->out, i ? ",{" : "{");
			json_kv_str(&t->out, "point", r->point_keys[i], 1);
			json_kv_str(&t->out, "text", r->points[i], 0);
			buf_addc(&t->out, '}');
		}
		buf_adds(&t->out, "]}");
	}
	free(name);
	free(rev);
	free(com);
}

/* Keeps one partner's row for the output, and adds it to the overall. */
static int
row_cb(const struct report_row *r, void *arg)
{
	struct totals *t = arg;
	struct scorecard_row *s, *all = &t->sc.all;
	int64_t *v;
	size_t n = parse_times(r->response_times, &v);

	t->sc.rows = xreallocarray(t->sc.rows, t->sc.nrows + 1,
	    sizeof(*t->sc.rows));
	s = &t->sc.rows[t->sc.nrows++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(r->name ? r->name : "?");
	s->partner_id = r->partner_id;
	s->received = r->received;
	s->duplicates = r->duplicates;
	s->won = r->won;
	s->revenue = r->revenue;
	s->commission = r->commission;
	s->paid = r->paid;
	s->given = r->given;
	s->given_won = r->given_won;
	s->sla_breaches = r->sla_breaches;
	s->median = median_of(v, n);	/* the query sorts them */
	all->received += r->received;
	all->duplicates += r->duplicates;
	all->won += r->won;
	all->revenue += r->revenue;
	all->commission += r->commission;
	all->paid += r->paid;
	all->given += r->given;
	all->given_won += r->given_won;
	all->sla_breaches += r->sla_breaches;
	t->times = xreallocarray(t->times, t->ntimes + n + 1,
	    sizeof(*t->times));
	if (n > 0)
		memcpy(t->times + t->ntimes, v, n * sizeof(*v));
	t->ntimes += n;
	free(v);
	return 0;
}

/* "2026-12" to "2027-01"; 0, or -1 if it is not a month. */
static int
month_next(const char *m, char *next, size_t size)
{
	int y, mo;

	if (sscanf(m, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12)
		return -1;
	if (++mo > 12)
		y++, mo = 1;
	snprintf(next, size, "%04d-%02d", y % 10000, mo);
	return 0;
}

static struct scorecard_month *
month_add(struct scorecard *sc, const char *month)
{
	struct scorecard_month *m;

	sc->months = xreallocarray(sc->months, sc->nmonths + 1,
	    sizeof(*sc->months));
	m = &sc->months[sc->nmonths++];
	memset(m, 0, sizeof(*m));
	strlcpy_(m->month, month, sizeof(m->month));
	m->median = -1;
	return m;
}

/* One month of the scorecard; months without referrals in between too. */
static int
month_cb(const struct report_month *rm, void *arg)
{
	struct scorecard *sc = arg;
	struct scorecard_month *m;
	char next[16];
	int64_t *v;
	size_t n;

	if (rm->month == NULL)
		return 0;
	/* At most ten years of gap: the dates are the database's. */
	while (sc->nmonths > 0 && sc->nmonths < 1200 &&
	    month_next(sc->months[sc->nmonths - 1].month, next,
	    sizeof(next)) == 0 && strcmp(next, rm->month) < 0)
		month_add(sc, next);
	m = month_add(sc, rm->month);
	n = parse_times(rm->response_times, &v);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp64);
	m->received = rm->received;
	m->breaches = rm->breaches;
	m->responded = (int64_t)n;
	m->median = median_of(v, n);
	free(v);
	return 0;
}

static void
totals_free(struct totals *t)
{
	size_t i;

	health_scorecard_free(&t->sc);
	for (i = 0; i < t->sc.nrows; i++)
		free(t->sc.rows[i].name);
	free(t->sc.rows);
	free(t->sc.months);
	free(t->times);
	buf_free(&t->out);
}

/* The funnel and the months, which only the scorecard shows. */
static int
scorecard_collect(struct refbot *rb, struct totals *t, int64_t pid)
{
	struct scorecard *sc = &t->sc;

	if (db_report_funnel(rb->db, sc->from, sc->to, pid, sc->funnel) != 0 ||
	    db_report_months(rb->db, sc->from, sc->to, pid, sc->generated,
	    month_cb, sc) != 0)
		return -1;
	sc->lang = rb->cfg.language;
	sc->sla_hours = rb->sla_hours;
	scorecard_html(&t->out, sc);
	return 0;
}

static int
cmd_report(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "partner", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'F' },
		{ "quarter", required_argument, NULL, 'q' },
		{ "review", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct partner p;
	struct totals t;
	struct quarter q, prev;
	struct review rv;
	const char *partner = NULL, *quarter = NULL;
	char *partner_name = NULL;
	int64_t pid = 0, costs = 0;
	char roi[32];
	size_t i;
	int c, rc = 0, review = 0;

	memset(&t, 0, sizeof(t));
	t.sc.generated = clock_now();
	t.sc.to = t.sc.generated + 86400;
	optind = 0;
	memset(&rv, 0, sizeof(rv));
	while ((c = getopt_long(argc, argv, "f:t:p:F:q:r", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((t.sc.from = parse_day(optarg)) < 0)
				goto baddate;
			break;
		case 't':
			if ((t.sc.to = parse_day(optarg)) < 0)
				goto baddate;
			t.sc.to += 86400;	/* the whole last day */
			break;
		case 'p': partner = optarg; break;
		case 'q': quarter = optarg; break;
		case 'r': review = 1; break;
		case 'F':
			if (strcmp(optarg, "text") == 0)
				t.format = F_TEXT;
			else if (strcmp(optarg, "json") == 0)
				t.format = F_JSON;
			else if (strcmp(optarg, "csv") == 0)
				t.format = F_CSV;
			else if (strcmp(optarg, "html") == 0)
				t.format = F_HTML;
			else {
				fprintf(stderr, "refbot: --format must be text, "
				    "csv, json or html\n");
				return EX_USAGE_;
			}
			break;
		default:
			return cli_usage();
		}
	}
	if (optind != argc)
		return cli_usage();
	if (review && (partner == NULL || t.format != F_HTML)) {
		fprintf(stderr, "refbot: --review is one partner's page: "
		    "--partner P --format html\n");
		return EX_USAGE_;
	}
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	/* The quarter runs in the configured timezone: after cli_open. */
	review_quarter_at(t.sc.generated, &q, &prev);
	if (quarter != NULL && statement_quarter(quarter, &q) != 0) {
		fprintf(stderr, "refbot: --quarter is written like 2026Q4\n");
		refbot_close(&rb);
		return EX_USAGE_;
	}
	if (quarter != NULL || review) {
		t.sc.from = q.from;
		t.sc.to = q.to;
	}
	/* The trend: the period of the same length before (none from 0). */
	t.sc.prev_from = t.sc.from > 0 ? t.sc.from - (t.sc.to - t.sc.from) :
	    0;
	if (partner != NULL) {
		if ((rc = cli_find_partner(&rb, partner, &p)) != 0) {
			refbot_close(&rb);
			return rc;
		}
		pid = p.id;
		partner_name = xstrdup(p.name);
		if (review) {
			review_quarter_before(&q, &prev);
			t.sc.prev_from = prev.from;
			rc = review_build(&rb, &p, &q, rb.cfg.language,
			    t.sc.generated, &rv);
			t.sc.review = &rv;
		}
		partner_free(&p);
		if (rc != 0)
			goto dberr;
	}
	t.sc.currency = rb.cfg.currency;
	t.sc.partner = partner_name;
	if (db_report(rb.db, t.sc.from, t.sc.to, pid, t.sc.generated, row_cb,
	    &t) != 0)
		goto dberr;
	if (t.ntimes > 1)
		qsort(t.times, t.ntimes, sizeof(*t.times), cmp64);
	t.sc.all.median = median_of(t.times, t.ntimes);
	if (db_costs(rb.db, t.sc.from, t.sc.to, &costs) != 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb.db));
		costs = 0;
	}
	t.sc.costs = costs;
	scorecard_roi(&t.sc.all, costs, roi, sizeof(roi));
	if (health_scorecard(&rb, &t.sc, pid, rb.cfg.language) != 0)
		goto dberr;
	if (t.format == F_HTML) {
		if (scorecard_collect(&rb, &t, pid) != 0)
			goto dberr;
	} else if (t.format == F_TEXT)
		buf_addf(&t.out, "%-24s %8s %5s %4s %5s %14s %12s %6s %4s %4s "
		    "%6s\n", "partner", "received", "given", "won", "conv",
		    "revenue", "commission", "resp.h", "sla!", "dup",
		    "g.won");
	else if (t.format == F_CSV)
		buf_adds(&t.out, "partner_id,partner,received,given,won,"
		    "conversion,revenue,commission,median_first_response_hours,"
		    "sla_breaches,duplicates,given_won,tier,commission_tier,"
		    "commission_rate,"
		    "satisfaction,satisfaction_previous,satisfaction_trend,"
		    "survey_answers,needs_attention\n");
	else
		buf_adds(&t.out, "{\"partners\":[");
	for (i = 0; t.format != F_HTML && i < t.sc.nrows; i++)
		emit(&t, t.sc.rows[i].name, &t.sc.rows[i]);
	if (t.format == F_JSON) {
		buf_adds(&t.out, t.n ? "\n],\"overall\":" : "],\"overall\":");
		t.n = 0;
		emit(&t, "overall", &t.sc.all);
		t.out.data[--t.out.len] = '\0';	/* reopen the object */
		json_kv_int(&t.out, "costs", costs, 0);
		json_kv_str(&t.out, "roi", roi, 0);
		buf_addc(&t.out, '}');
		health_json(&t);
		buf_adds(&t.out, "}\n");
	} else if (t.format != F_HTML) {
		char *cs = amount_format(costs, t.sc.currency);
		emit(&t, "overall", &t.sc.all);
		if (t.format == F_TEXT) {
			buf_addf(&t.out, "\nprogramme costs %s; return on "
			    "commission and costs %s\n", cs, roi);
			health_text(&t);
		}
		free(cs);
	}
	fputs(t.out.data, stdout);
	goto done;
dberr:
	rc = cli_db_error(&rb);
done:
	totals_free(&t);
	review_free(&rv);
	free(partner_name);
	refbot_close(&rb);
	return rc;
baddate:
	fprintf(stderr, "refbot: dates are written YYYY-MM-DD\n");
	return EX_USAGE_;
}

/* One partner's statement: printed, or with send queued once. */
static int
statement_one(struct refbot *rb, const struct partner *p,
    const struct quarter *q, int send)
{
	char *subj, *body, *err = NULL;
	int rc;

	if (!send) {
		if ((rc = statement_text(rb, p, q, &subj, &body, &err)) != 0) {
			fprintf(stderr, "refbot: %s\n", err);
			free(err);
			return rc;
		}
		printf("%s\n\n%s\n", subj, body);
		free(subj);
		free(body);
	} else if ((rc = statement_send(rb, p, q)) < 0)
		return cli_db_error(rb);
	else if (rc == 0)
		printf("%s: statement %s was sent before; not again\n",
		    p->name, q->name);
	else
		printf("%s: statement %s queued\n", p->name, q->name);
	return 0;
}

/* "refbot statement --quarter 2026Q4 [--partner P] [--send]" */
static int
cmd_statement(const char *conf, int argc, char **argv)
{
	return cli_quarterly(conf, argc, argv, 1, statement_one);
}

/* "refbot cost add AMOUNT [--note TEXT]" */
static int
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
		return cli_usage();
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c != 'n')
			return cli_usage();
		note = optarg;
	}
	if (argc - optind != 1)
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if ((amount = amount_parse(argv[optind], rb.cfg.currency, &err)) < 0) {
		fprintf(stderr, "refbot: %s\n", err);
		free(err);
		rc = EX_USAGE_;
	} else if (db_cost_add(rb.db, amount, clock_now(), note) != 0) {
		rc = cli_db_error(&rb);
	} else
		printf("programme cost recorded\n");
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_cost_cmd = { "cost",
"  cost add AMOUNT [--note TEXT]  a programme cost, for the ROI in reports\n",
	cmd_cost,
"Records a cost of the partner programme (events, gifts, tools) in the\n"
"configured currency; reports set it against revenue as the ROI.\n"
"Options:\n"
"  --note TEXT       what it was\n"
"\n"
"Example:\n"
"  refbot cost add 50000 --note \"partner dinner\"\n" };

const struct cli_cmd cli_statement_cmd = { "statement",
"  statement --quarter 2026Q4 [--partner P] [--send]\n"
"                                each partner's quarter: referrals, revenue,\n"
"                                commission, paid, balance; --send mails it\n"
"                                (once per partner and quarter)\n",
	cmd_statement,
"Options:\n"
"  --quarter YYYYQN  the quarter, e.g. 2026Q4 (required)\n"
"  --partner P       one partner (id or address) instead of all\n"
"  --send            queue each statement as mail to its partner, once per\n"
"                    partner and quarter; without it, print them\n"
"\n"
"Example:\n"
"  refbot statement --quarter 2026Q4 --partner partner@firm.example\n" };

const struct cli_cmd cli_report_cmd = { "report",
"  report [--from DATE] [--to DATE] [--quarter 2026Q4] [--partner P]\n"
"         [--format text|csv|json|html] [--review]\n"
"                                per partner and overall: received, given,\n"
"                                won, conversion, revenue, commission,\n"
"                                median first response, SLA breaches,\n"
"                                duplicates, given and won (g.won); SLA\n"
"                                tier, commission tier and rate,\n"
"                                satisfaction and its trend, conversion\n"
"                                by commission tier, what needs\n"
"                                attention; html: the scorecard page with\n"
"                                charts; --review: one partner's\n"
"                                quarterly review pack as that page\n",
	cmd_report,
"The satisfaction trend compares the period with the one of the same\n"
"length before it (none without --from); the needs-attention list is\n"
"the talking points of templates/mail/talking-points.*.txt.\n"
"Options:\n"
"  --from DATE       the first day, YYYY-MM-DD (default: the first record)\n"
"  --to DATE         the last day, YYYY-MM-DD (default: today)\n"
"  --quarter YYYYQN  the period is that quarter\n"
"  --partner P       one partner (id or address)\n"
"  --format F        text, csv, json, or html (a self-contained page)\n"
"  --review          with --partner and --format html: the partner's\n"
"                    quarterly review pack (--quarter, default the\n"
"                    current one) with the scorecard's charts\n"
"\n"
"Example:\n"
"  refbot report --from 2026-10-01 --to 2026-12-31 --format html > q4.html\n"
"  refbot report --partner partner@firm.example --format html --review\n" };
