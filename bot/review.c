/* review: the quarterly review pack, built, written and sent (review.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "db_given.h"
#include "db_partners.h"
#include "db_reports.h"
#include "db_review.h"
#include "db_surveys.h"
#include "db_staff.h"
#include "log.h"
#include "notify.h"
#include "review.h"
#include "scorecard.h"
#include "util.h"

#define DAY 86400

void
review_quarter_at(int64_t t, struct quarter *q, struct quarter *prev)
{
	struct tm tm;
	char name[24];

	clock_local(t, &tm);
	snprintf(name, sizeof(name), "%04dQ%d", (tm.tm_year + 1900) % 10000,
	    tm.tm_mon / 3 + 1);
	/* Outside the years quarters cover: the first of them. */
	if (statement_quarter(name, q) != 0)
		statement_quarter("2000Q1", q);
	review_quarter_before(q, prev);
}

void
review_quarter_before(const struct quarter *q, struct quarter *prev)
{
	int year = atoi(q->name), n = q->name[5] - '0';
	char name[16];

	snprintf(name, sizeof(name), "%04dQ%d", n == 1 ? year - 1 : year,
	    n == 1 ? 4 : n - 1);
	if (statement_quarter(name, prev) != 0)
		*prev = *q;
}

/* One partner's row of the report for the quarter. */
static int
report_cb(const struct report_row *r, void *arg)
{
	struct review *rv = arg;
	const char *s = r->response_times;
	size_t n = 0, i;

	rv->h.received = r->received;
	rv->h.counted = r->received - r->duplicates;
	rv->h.won = r->won;
	rv->h.given = r->given;
	rv->h.breaches = r->sla_breaches;
	rv->revenue = r->revenue;
	rv->earned = r->commission;
	rv->paid = r->paid;
	/* The times come sorted: the middle one (or the two's mean). */
	for (i = 0; s != NULL && s[i] != '\0'; i++)
		n += s[i] == ',';
	if (s != NULL && *s != '\0') {
		int64_t a, b;

		n++;
		for (i = 0; i < (n - 1) / 2; i++)
			s = strchr(s, ',') + 1;
		a = strtoll(s, NULL, 10);
		b = n % 2 ? a : strtoll(strchr(s, ',') + 1, NULL, 10);
		rv->median = (a + b) / 2;
	}
	return 0;
}

static int
status_cb(const char *status, int64_t n, void *arg)
{
	struct review *rv = arg;

	buf_addf(&rv->outcomes, "%s%s %lld", rv->outcomes.len ? ", " : "",
	    status, (long long)n);
	return 0;
}

static struct review_score *
score_of(struct review *rv, const char *kind, const char *question)
{
	struct review_score *s;
	size_t i;

	for (i = 0; i < rv->nscores; i++)
		if (strcmp(rv->scores[i].kind, kind) == 0 &&
		    strcmp(rv->scores[i].question, question) == 0)
			return &rv->scores[i];
	rv->scores = xreallocarray(rv->scores, rv->nscores + 1,
	    sizeof(*rv->scores));
	s = &rv->scores[rv->nscores++];
	s->kind = xstrdup(kind);
	s->question = xstrdup(question);
	s->avg = s->prev = -1;
	s->n = s->prev_n = 0;
	return s;
}

/* The scores of one quarter: this one, or (prev) the one before. */
struct scores {
	struct review *rv;
	int prev;
};

static int
score_cb(const struct survey_score *s, void *arg)
{
	const struct scores *x = arg;
	struct review_score *r = score_of(x->rv, s->kind, s->question);

	*(x->prev ? &r->prev : &r->avg) = s->avg;
	*(x->prev ? &r->prev_n : &r->n) = s->n;
	return 0;
}

/* The scores of each kind, partner survey first. */
static int
scores(struct refbot *rb, int64_t partner_id, int64_t from, int64_t to,
    struct scores *x)
{
	return db_survey_scores(rb->db, "partner", partner_id, NULL, from, to,
	    score_cb, x) != 0 || db_survey_scores(rb->db, "client",
	    partner_id, NULL, from, to, score_cb, x) != 0 ? -1 : 0;
}

static int
comment_cb(const struct survey_comment *c, void *arg)
{
	struct review *rv = arg;
	struct review_comment *x;

	rv->comments = xreallocarray(rv->comments, rv->ncomments + 1,
	    sizeof(*rv->comments));
	x = &rv->comments[rv->ncomments++];
	x->kind = xstrdup(c->kind);
	x->question = xstrdup(c->question);
	x->comment = xstrdup(c->comment);
	x->score = c->score;
	return 0;
}

static int
health_cb(const struct health_db_row *d, void *arg)
{
	struct review *rv = arg;

	rv->h.disqualified = d->disqualified;
	return 0;
}

/* The satisfaction of both kinds together, into the int64_t at arg. */
static int
sat_cb(const struct survey_score *s, void *arg)
{
	*(int64_t *)arg = s->avg;
	return 0;
}

static void
point_cb(const char *key, const char *text, void *arg)
{
	struct review *rv = arg;

	(void)key;
	rv->points = xreallocarray(rv->points, rv->npoints + 1,
	    sizeof(*rv->points));
	rv->points[rv->npoints++] = xstrdup(text);
}

int
review_build(struct refbot *rb, const struct partner *p,
    const struct quarter *q, const char *lang, int64_t now,
    struct review *rv)
{
	struct given_counts g;
	struct scores now_s = { rv, 0 }, prev_s = { rv, 1 };
	int64_t to = q->to < now ? q->to : now + 1;

	memset(rv, 0, sizeof(*rv));
	rv->partner_id = p->id;
	rv->partner_name = xstrdup(p->name);
	rv->lang = lang != NULL && strcmp(lang, "ja") == 0 ? "ja" : "en";
	rv->q = *q;
	review_quarter_before(q, &rv->prev);
	rv->h.partner_id = p->id;
	rv->h.sat = rv->h.sat_prev = -1;
	rv->median = -1;
	buf_init(&rv->outcomes);
	buf_init(&rv->stalled);
	if (db_report(rb->db, q->from, q->to, p->id, now, report_cb, rv) != 0 ||
	    db_review_statuses(rb->db, p->id, q->from, q->to, status_cb,
	    rv) != 0 ||
	    db_given_counts(rb->db, p->id, q->from, q->to, &g) != 0 ||
	    scores(rb, p->id, q->from, to, &now_s) != 0 ||
	    scores(rb, p->id, rv->prev.from, q->from, &prev_s) != 0 ||
	    db_survey_comments(rb->db, NULL, p->id, q->from, to, comment_cb,
	    rv) != 0 ||
	    db_survey_scores(rb->db, NULL, p->id, "satisfaction", q->from, to,
	    sat_cb, &rv->h.sat) != 0 ||
	    db_survey_scores(rb->db, NULL, p->id, "satisfaction",
	    rv->prev.from, q->from, sat_cb, &rv->h.sat_prev) != 0 ||
	    db_health_partners(rb->db, p->id, q->from, to, health_cb,
	    rv) != 0 ||
	    health_gather(rb, p->id, q->from, q->to, now, rv->lang, &rv->h, 1,
	    &rv->stalled) != 0)
		return -1;
	rv->given_won = g.won;
	rv->given_lost = g.lost;
	return health_points(rb, rv->lang, p->name, rb->sla_hours, &rv->h,
	    point_cb, rv) < 0 ? -1 : 0;
}

void
review_free(struct review *rv)
{
	size_t i;

	free(rv->partner_name);
	buf_free(&rv->outcomes);
	buf_free(&rv->stalled);
	for (i = 0; i < rv->nscores; i++) {
		free(rv->scores[i].kind);
		free(rv->scores[i].question);
	}
	free(rv->scores);
	for (i = 0; i < rv->ncomments; i++) {
		free(rv->comments[i].kind);
		free(rv->comments[i].question);
		free(rv->comments[i].comment);
	}
	free(rv->comments);
	for (i = 0; i < rv->npoints; i++)
		free(rv->points[i]);
	free(rv->points);
	memset(rv, 0, sizeof(*rv));
}

/* The survey kinds as people call them. */
static const char *
kind_word(const struct review *rv, const char *kind)
{
	int ja = strcmp(rv->lang, "ja") == 0;

	if (strcmp(kind, "client") == 0)
		return ja ? "クライアント" : "client follow-up";
	return ja ? "パートナー" : "partner survey";
}

/*
 * The pack's mail: queued to rcpt (inside the caller's transaction), or
 * with rcpt NULL written into *subject and *body.  0, or -1.
 */
static int
pack(struct refbot *rb, const struct review *rv, const char *rcpt,
    char **subject, char **body, char **errstr)
{
	struct buf points, surveys, comments;
	char period[64], d1[16], d2[16], id[24], received[24], given[24];
	char won[24], lost[24], breaches[24], sla[24], conv[32], median[32];
	char now[24], before[24];
	char *revenue = amount_format(rv->revenue, rb->cfg.currency);
	char *earned = amount_format(rv->earned, rb->cfg.currency);
	char *paid = amount_format(rv->paid, rb->cfg.currency);
	struct scorecard_row row;
	struct tm tm;
	size_t i;
	int rc;

	buf_init(&points);
	buf_init(&surveys);
	buf_init(&comments);
	for (i = 0; i < rv->npoints; i++)
		buf_addf(&points, "  - %s\n", rv->points[i]);
	for (i = 0; i < rv->nscores; i++) {
		health_score(rv->scores[i].avg, now, sizeof(now));
		health_score(rv->scores[i].prev, before, sizeof(before));
		buf_addf(&surveys, "  %s, %s: %s / %s\n",
		    kind_word(rv, rv->scores[i].kind), rv->scores[i].question,
		    now, before);
	}
	for (i = 0; i < rv->ncomments; i++)
		buf_addf(&comments, "  %s, %s: %s\n",
		    kind_word(rv, rv->comments[i].kind),
		    rv->comments[i].question, rv->comments[i].comment);
	strftime(d1, sizeof(d1), "%Y-%m-%d", clock_local(rv->q.from, &tm));
	strftime(d2, sizeof(d2), "%Y-%m-%d", clock_local(rv->q.to - 1, &tm));
	snprintf(period, sizeof(period), "%s – %s", d1, d2);
	snprintf(id, sizeof(id), "%lld", (long long)rv->partner_id);
	snprintf(received, sizeof(received), "%lld", (long long)rv->h.received);
	snprintf(given, sizeof(given), "%lld", (long long)rv->h.given);
	snprintf(won, sizeof(won), "%lld", (long long)rv->given_won);
	snprintf(lost, sizeof(lost), "%lld", (long long)rv->given_lost);
	snprintf(breaches, sizeof(breaches), "%lld", (long long)rv->h.breaches);
	snprintf(sla, sizeof(sla), "%d", rb->sla_hours);
	memset(&row, 0, sizeof(row));
	row.received = rv->h.received;
	row.duplicates = rv->h.received - rv->h.counted;
	row.won = rv->h.won;
	scorecard_conversion(&row, conv, sizeof(conv));
	scorecard_hours(rv->median, median, sizeof(median));
	{
		const struct render_var vars[] = {
			{ "partner_name", rv->partner_name },
			{ "partner_id", id }, { "quarter", rv->q.name },
			{ "period", period },
			{ "points", points.len ? points.data : "  -\n" },
			{ "received", received },
			{ "outcomes", rv->outcomes.len ? rv->outcomes.data :
			    "-" },
			{ "given", given }, { "given_won", won },
			{ "given_lost", lost }, { "conversion", conv },
			{ "revenue", revenue }, { "earned", earned },
			{ "paid", paid }, { "median", median },
			{ "breaches", breaches }, { "sla_hours", sla },
			{ "surveys", surveys.len ? surveys.data : "  -\n" },
			{ "comments", comments.len ? comments.data : "  -\n" },
			{ "stalled", rv->stalled.len ? rv->stalled.data :
			    "  -\n" },
		};
		struct notify n;

		memset(&n, 0, sizeof(n));
		n.name = "staff-review";
		n.lang = rv->lang;
		n.rcpt = rcpt;
		n.vars = vars;
		n.nvars = nitems(vars);
		if (rcpt != NULL)
			rc = notify_queue(rb, &n, NULL) == 0 ? 0 : -1;
		else
			rc = refbot_mail_text(rb, n.name, rv->lang, vars,
			    nitems(vars), subject, body, errstr);
	}
	buf_free(&points);
	buf_free(&surveys);
	buf_free(&comments);
	free(revenue);
	free(earned);
	free(paid);
	return rc;
}

int
review_text(struct refbot *rb, const struct review *rv, char **subject,
    char **body, char **errstr)
{
	return pack(rb, rv, NULL, subject, body, errstr);
}

int
review_recipients(struct refbot *rb, const struct partner *p,
    struct staff_rcpt **out, size_t *n)
{
	return staff_partner_recipients(rb, p->id, STAFF_TO_MANAGERS, out, n);
}

int
review_send(struct refbot *rb, const struct partner *p,
    const struct quarter *q, int64_t now)
{
	struct staff_rcpt *to = NULL;
	struct review rv[2];
	size_t i, nto = 0;
	int first, ja, built[2] = { 0, 0 }, rc = -1;

	if (db_begin(rb->db) != 0)
		return -1;
	/* Marked first, in the one transaction: a crash sends nothing. */
	if ((first = db_review_mark(rb->db, p->id, q->name, now)) <= 0) {
		db_rollback(rb->db);
		return first;
	}
	if (review_recipients(rb, p, &to, &nto) != 0)
		goto out;
	for (i = 0; i < nto; i++) {
		ja = strcmp(to[i].lang, "ja") == 0;
		if (!built[ja]) {
			if (review_build(rb, p, q, ja ? "ja" : "en", now,
			    &rv[ja]) != 0) {
				review_free(&rv[ja]);
				goto out;
			}
			built[ja] = 1;
		}
		if (pack(rb, &rv[ja], to[i].email, NULL, NULL, NULL) != 0)
			goto out;
	}
	rc = 1;
out:
	for (i = 0; i < 2; i++)
		if (built[i])
			review_free(&rv[i]);
	staff_rcpts_free(to, nto);
	if (rc != 1 || db_commit(rb->db) != 0) {
		db_rollback(rb->db);
		rc = -1;
	}
	return rc;
}

int
review_schedule(struct refbot *rb, int64_t now)
{
	struct quarter q, prev;
	struct partner p;
	char key[40], name[24], *done = NULL;
	int64_t *ids = NULL, start;
	size_t i, n = 0;
	int r = 0, queued = 0;

	if (rb->cfg.review_days <= 0)
		return 0;
	review_quarter_at(now, &q, &prev);
	start = q.to - (int64_t)rb->cfg.review_days * DAY;
	if (now < start)
		return 0;
	/* Read first: most passes of those days have sent them all. */
	snprintf(key, sizeof(key), "reviews.%s", q.name);
	if ((r = db_setting_get(rb->db, key, &done)) != 0) {
		free(done);
		return r < 0 ? -1 : 0;
	}
	/* Who joined since the review days began has nothing to review. */
	if (statement_partners(rb, start, &ids, &n) != 0)
		return -1;
	for (i = 0; i < n && r >= 0; i++) {
		snprintf(name, sizeof(name), "%lld", (long long)ids[i]);
		if ((r = db_partner_find(rb->db, name, &p)) <= 0)
			continue;
		if ((r = review_send(rb, &p, &q, now)) > 0) {
			log_info("partner %lld: review pack %s queued",
			    (long long)p.id, q.name);
			queued++;
		}
		partner_free(&p);
	}
	free(ids);
	if (r < 0 || db_setting_put(rb->db, key, "sent") != 0) {
		log_warnx("review packs %s: %s", q.name, db_errmsg(rb->db));
		return -1;
	}
	return queued;
}
