/* statement: the quarterly statement, printed or sent (see statement.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "contacts.h"
#include "db_given.h"
#include "db_ledger.h"
#include "db_partners.h"
#include "db_referrals.h"
#include "keyword.h"
#include "log.h"
#include "notify.h"
#include "statement.h"
#include "token.h"
#include "util.h"

int
statement_quarter(const char *s, struct quarter *q)
{
	int year, n;
	char end;

	if (sscanf(s, "%4dQ%1d%c", &year, &n, &end) != 2 || n < 1 || n > 4 ||
	    year < 2000 || year > 2200)
		return -1;
	snprintf(q->name, sizeof(q->name), "%04dQ%d", year, n);
	q->from = clock_at(year, (n - 1) * 3 + 1, 1, 0);
	q->to = clock_at(year, n * 3 + 1, 1, 0);
	return 0;
}

/* What a statement says, as text for its placeholders. */
struct parts {
	struct buf lines;
	int n, won;
	char period[64];
	char *revenue, *earned, *paid, *balance;
	char *both_ways;
};

static int
add_line(const struct referral *r, void *arg)
{
	struct parts *s = arg;
	char ref[24];

	refbot_ref(r->id, ref, sizeof(ref));
	buf_addf(&s->lines, "%s  %-12s %s\n", ref, r->status,
	    r->client ? r->client : "-");
	s->n++;
	s->won += strcmp(r->status, "WON") == 0;
	return 0;
}

static void
parts_free(struct parts *s)
{
	buf_free(&s->lines);
	free(s->revenue);
	free(s->earned);
	free(s->paid);
	free(s->balance);
	free(s->both_ways);
}

/*
 * Reciprocity in one line, for the quarterly review: what the firm sent
 * the partner and what became of it, and what the partner sent.
 */
static char *
both_ways(const struct partner *p, const struct parts *s,
    const struct given_counts *g)
{
	if (strcmp(refbot_partner_lang(p, NULL), "ja") == 0)
		return xasprintf("当社から貴社へのご紹介 %lld 件（成約 %lld 件、"
		    "失注 %lld 件）、貴社から当社へのご紹介 %d 件（成約 %d 件）。",
		    (long long)g->given, (long long)g->won,
		    (long long)g->lost, s->n, s->won);
	return xasprintf("We sent you %lld referral%s (%lld won, %lld lost); "
	    "you sent us %d (%d won).", (long long)g->given,
	    g->given == 1 ? "" : "s", (long long)g->won, (long long)g->lost,
	    s->n, s->won);
}

static int
parts_build(struct refbot *rb, const struct partner *p,
    const struct quarter *q, struct parts *s)
{
	const char *currency = rb->cfg.currency;
	struct statement st;
	struct given_counts g;
	char day1[16], day2[16], *abs;
	struct tm tm;

	memset(s, 0, sizeof(*s));
	if (db_statement(rb->db, p->id, q->from, q->to, &st, add_line, s) != 0 ||
	    db_given_counts(rb->db, p->id, q->from, q->to, &g) != 0)
		return -1;
	s->both_ways = both_ways(p, s, &g);
	/* The dates the quarter runs, where the firm is. */
	strftime(day1, sizeof(day1), "%Y-%m-%d", clock_local(q->from, &tm));
	strftime(day2, sizeof(day2), "%Y-%m-%d", clock_local(q->to - 1, &tm));
	snprintf(s->period, sizeof(s->period), "%s – %s", day1, day2);
	s->revenue = amount_format(st.revenue, currency);
	s->earned = amount_format(st.earned, currency);
	s->paid = amount_format(st.paid, currency);
	abs = amount_format(st.balance >= 0 ? st.balance : -st.balance,
	    currency);
	s->balance = st.balance < 0 ? xasprintf("-%s", abs) : xstrdup(abs);
	free(abs);
	return 0;
}

#define STATEMENT_VARS(rb, p, q, s) { \
	{ "partner_name", (p)->name }, { "quarter", (q)->name }, \
	{ "period", (s)->period }, \
	{ "referrals", (s)->n ? (s)->lines.data : "  -\n" }, \
	{ "revenue", (s)->revenue }, { "earned", (s)->earned }, \
	{ "paid", (s)->paid }, { "balance", (s)->balance }, \
	{ "both_ways", (s)->both_ways }, \
	{ "from_name", (rb)->cfg.from_name }, \
}

int
statement_text(struct refbot *rb, const struct partner *p,
    const struct quarter *q, char **subject, char **body, char **errstr)
{
	struct parts s;
	int rc;

	if (parts_build(rb, p, q, &s) != 0) {
		parts_free(&s);
		*errstr = xstrdup(db_errmsg(rb->db));
		return EX_IOERR_;
	}
	{
		const struct render_var vars[] = STATEMENT_VARS(rb, p, q, &s);
		rc = refbot_mail_text(rb, "statement",
		    refbot_partner_lang(p, NULL), vars, nitems(vars), subject,
		    body, errstr) != 0 ? EX_CONFIG_ : 0;
	}
	parts_free(&s);
	return rc;
}

int
statement_send(struct refbot *rb, const struct partner *p,
    const struct quarter *q)
{
	struct parts s;
	struct notify n;
	struct recipient to = { NULL, NULL, NULL };
	int first, rc = -1;

	memset(&s, 0, sizeof(s));
	if (db_begin(rb->db) != 0)
		return -1;
	/* Marked first, in the one transaction: a crash sends nothing. */
	if ((first = db_statement_mark(rb->db, p->id, q->name)) <= 0) {
		db_rollback(rb->db);
		return first;
	}
	/* To the firm's billing contact, if it has one. */
	if (contacts_billing(rb, p, &to) == 0 && parts_build(rb, p, q,
	    &s) == 0) {
		const struct render_var vars[] = STATEMENT_VARS(rb, p, q, &s);

		memset(&n, 0, sizeof(n));
		n.name = "statement";
		n.lang = contacts_lang(&to, p, NULL);
		n.rcpt = to.to;
		/* "Reply with any question": it reaches staff. */
		n.role = ROLE_STATEMENT;
		n.token_id = p->id;
		n.vars = vars;
		n.nvars = nitems(vars);
		if (notify_queue(rb, &n, NULL) == 0 && db_commit(rb->db) == 0)
			rc = 1;
	}
	if (rc != 1)
		db_rollback(rb->db);
	recipient_free(&to);
	parts_free(&s);
	return rc;
}

struct collect {
	int64_t before;
	int64_t *ids;
	size_t n;
};

static int
collect_active(const struct partner *p, void *arg)
{
	struct collect *c = arg;

	if (p->active && p->created_at < c->before) {
		c->ids = xreallocarray(c->ids, c->n + 1, sizeof(*c->ids));
		c->ids[c->n++] = p->id;
	}
	return 0;
}

int
statement_partners(struct refbot *rb, int64_t before, int64_t **ids,
    size_t *n)
{
	struct collect c = { before, NULL, 0 };

	if (db_partner_each(rb->db, collect_active, &c) != 0) {
		free(c.ids);
		return -1;
	}
	*ids = c.ids;
	*n = c.n;
	return 0;
}

int
statement_schedule(struct refbot *rb, int64_t now)
{
	struct quarter q;
	struct partner p;
	struct tm tm;
	char name[24], key[40], *done = NULL;
	int64_t *ids = NULL;
	size_t i, n = 0;
	int year, first, r, queued = 0;

	/* The quarter that ended before this one began. */
	clock_local(now, &tm);
	year = tm.tm_year + 1900;
	first = tm.tm_mon / 3 * 3 + 1;
	if (now < clock_at(year, first, rb->cfg.statement_day, 0))
		return 0;
	snprintf(name, sizeof(name), "%04dQ%d", first == 1 ? year - 1 : year,
	    first == 1 ? 4 : first / 3);
	if (statement_quarter(name, &q) != 0)
		return 0;	/* outside the years statements cover */
	snprintf(key, sizeof(key), "statements.%s", q.name);
	if ((r = db_setting_get(rb->db, key, &done)) != 0) {
		free(done);
		return r < 0 ? -1 : 0;
	}
	if (statement_partners(rb, q.to, &ids, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%lld", (long long)ids[i]);
		if ((r = db_partner_find(rb->db, name, &p)) < 0)
			break;
		if (r == 0)
			continue;
		if ((r = statement_send(rb, &p, &q)) > 0) {
			log_info("partner %lld: statement %s queued",
			    (long long)p.id, q.name);
			queued++;
		}
		partner_free(&p);
		if (r < 0)
			break;
	}
	free(ids);
	if (r < 0 || db_setting_put(rb->db, key, "sent") != 0) {
		log_warnx("statements %s: %s", q.name, db_errmsg(rb->db));
		return -1;
	}
	return queued;
}
