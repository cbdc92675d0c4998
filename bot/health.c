/* health: the talking points and the "needs attention" list (health.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_review.h"
#include "db_surveys.h"
#include "health.h"
#include "log.h"
#include "rate.h"
#include "render.h"
#include "scorecard.h"
#include "status.h"
#include "template.h"
#include "util.h"

#define DAY 86400

void
health_score(int64_t v, char *buf, size_t size)
{
	if (v < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%lld.%lld", (long long)((v + 5) / 10 / 10),
		    (long long)((v + 5) / 10 % 10));
}

/*
 * KEY.when of the file as a number: 1 with *v, 0 when it is "off" or
 * missing (the point is never made), and a warning when it is not a
 * number (the file was checked when loaded: a point edited since).
 */
static int
threshold(const struct kvfile *kv, const char *key, const char *suffix,
    double *v)
{
	char name[64], *end;
	size_t i;

	snprintf(name, sizeof(name), "%s.%s", key, suffix);
	for (i = 0; i < kv->n; i++)
		if (strcmp(kv->entries[i].key, name) == 0)
			break;
	if (i == kv->n || strcmp(kv->entries[i].value, "off") == 0)
		return 0;
	*v = strtod(kv->entries[i].value, &end);
	if (end == kv->entries[i].value || *end != '\0') {
		log_warnx("talking points line %d: %s is not a number",
		    kv->entries[i].line, name);
		return 0;
	}
	return 1;
}

struct say {
	const struct kvfile *kv;
	const struct render_var *vars;
	size_t nvars;
	health_point_fn *cb;
	void *arg;
	int n;
};

static void
say(struct say *s, const char *key)
{
	char *text = refbot_line(s->kv, key, s->vars, s->nvars);

	if (text == NULL)
		return;
	s->cb(key, text, s->arg);
	free(text);
	s->n++;
}

int
health_points(struct refbot *rb, const char *lang, const char *partner_name,
    int sla_hours, const struct health *h, health_point_fn *cb, void *arg)
{
	struct kvfile kv;
	char received[24], given[24], count[24] = "", conv[24], now[24];
	char before[24];
	char sla[24];
	int64_t big, small;
	double t, min;

	if (refbot_mail_lines(rb, "talking-points", lang, &kv) != 0)
		return -1;
	snprintf(received, sizeof(received), "%lld", (long long)h->received);
	snprintf(given, sizeof(given), "%lld", (long long)h->given);
	snprintf(sla, sizeof(sla), "%d", sla_hours);
	snprintf(conv, sizeof(conv), "%lld%%", h->counted > 0 ?
	    (long long)(h->won * 100 / h->counted) : 0LL);
	health_score(h->sat, now, sizeof(now));
	health_score(h->sat_prev, before, sizeof(before));
	{
		const struct render_var vars[] = {
			{ "partner_name", partner_name },
			{ "received", received }, { "given", given },
			{ "count", count }, { "conversion", conv },
			{ "reason", h->dq_reason ? h->dq_reason : "-" },
			{ "now", now }, { "before", before },
			{ "sla_hours", sla },
		};
		struct say s = { &kv, vars, nitems(vars), cb, arg, 0 };

		big = h->received > h->given ? h->received : h->given;
		small = h->received > h->given ? h->given : h->received;
		if (threshold(&kv, "reciprocity", "when", &t) && t > 0 &&
		    big > 0 && (double)big >= t * (double)(small ? small : 1))
			say(&s, "reciprocity");
		if (threshold(&kv, "quiet", "when", &t) &&
		    (double)h->received <= t)
			say(&s, "quiet");
		snprintf(count, sizeof(count), "%lld",
		    (long long)(h->dq_reason ? h->dq_reason_n :
		    h->disqualified));
		if (threshold(&kv, "disqualified", "when", &t) &&
		    h->disqualified > 0 && (double)h->disqualified >= t)
			say(&s, "disqualified");
		if (threshold(&kv, "conversion", "when", &t) &&
		    (!threshold(&kv, "conversion", "min", &min) ||
		    (double)h->counted >= min) && h->counted > 0 &&
		    (double)(h->won * 100) <= t * (double)h->counted)
			say(&s, "conversion");
		snprintf(count, sizeof(count), "%lld", (long long)h->breaches);
		if (threshold(&kv, "sla", "when", &t) && h->breaches > 0 &&
		    (double)h->breaches >= t)
			say(&s, "sla");
		snprintf(count, sizeof(count), "%lld", (long long)h->stalled);
		if (threshold(&kv, "stalled", "when", &t) && h->stalled > 0 &&
		    (double)h->stalled >= t)
			say(&s, "stalled");
		if (threshold(&kv, "satisfaction_fell", "when", &t) &&
		    h->sat >= 0 && h->sat_prev >= 0 &&
		    (double)(h->sat_prev - h->sat) >= t * 100 - 0.5)
			say(&s, "satisfaction_fell");
		if (threshold(&kv, "satisfaction_low", "when", &t) &&
		    h->sat >= 0 && (double)h->sat <= t * 100 + 0.5)
			say(&s, "satisfaction_low");
		kvfile_free(&kv);
		return s.n;
	}
}

static struct health *
find(struct health *v, size_t n, int64_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid].partner_id == pid)
			return &v[mid];
		if (v[mid].partner_id < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The disqualified referrals' reasons, counted per partner. */
struct reason {
	int64_t pid;
	const char *text;
	int64_t n;
};

struct gather {
	struct refbot *rb;
	struct health *v;
	size_t n;
	int ja;
	int64_t now;
	struct buf *lines;
	/* The referral being read: its fields. */
	int64_t id, pid;
	char **keys, **values;
	size_t nfields;
	struct reason *reasons;
	size_t nreasons;
};

/* Re-checks one disqualified referral's fields: which rules failed. */
static void
evaluate(struct gather *g)
{
	const struct template *t = texts_template(g->rb->texts);
	struct form f;
	size_t i, k;

	if (g->nfields > 0 && t != NULL) {
		form_evaluate(t, (const char *const *)g->keys,
		    (const char *const *)g->values, g->nfields, &f);
		for (i = 0; i < f.nfailed; i++) {
			/* The rule by its label: "Client aware". */
			const char *why = g->ja && f.failed[i]->title_ja ?
			    f.failed[i]->title_ja : f.failed[i]->title;

			if (why == NULL)
				continue;
			for (k = 0; k < g->nreasons; k++)
				if (g->reasons[k].pid == g->pid &&
				    g->reasons[k].text == why)
					break;
			if (k == g->nreasons) {
				g->reasons = xreallocarray(g->reasons,
				    ++g->nreasons, sizeof(*g->reasons));
				g->reasons[k].pid = g->pid;
				g->reasons[k].text = why;
				g->reasons[k].n = 0;
			}
			g->reasons[k].n++;
		}
		form_free(&f);
	}
	for (i = 0; i < g->nfields; i++) {
		free(g->keys[i]);
		free(g->values[i]);
	}
	g->nfields = 0;
}

static int
field_cb(int64_t id, int64_t pid, const char *key, const char *value,
    void *arg)
{
	struct gather *g = arg;

	if (id != g->id)
		evaluate(g);
	g->id = id;
	g->pid = pid;
	g->keys = xreallocarray(g->keys, g->nfields + 1, sizeof(*g->keys));
	g->values = xreallocarray(g->values, g->nfields + 1,
	    sizeof(*g->values));
	g->keys[g->nfields] = xstrdup(key ? key : "");
	g->values[g->nfields++] = xstrdup(value ? value : "");
	return 0;
}

static int
open_cb(const struct open_row *o, void *arg)
{
	struct gather *g = arg;
	struct health *h = find(g->v, g->n, o->partner_id);
	int i = status_index(o->status);
	int days = i >= 0 ? g->rb->cfg.stall_days[i] : 0;
	char ref[24];

	if (h == NULL || days <= 0 || g->now - o->since < (int64_t)days * DAY)
		return 0;
	h->stalled++;
	if (g->lines != NULL) {
		refbot_ref(o->id, ref, sizeof(ref));
		buf_addf(g->lines, "  %s  %s (%s, %lld %s)\n", ref,
		    o->client ? o->client : "?", o->status,
		    (long long)((g->now - o->since) / DAY), g->ja ? "日" :
		    "days");
	}
	return 0;
}

int
health_gather(struct refbot *rb, int64_t partner_id, int64_t from,
    int64_t to, int64_t now, const char *lang, struct health *v, size_t n,
    struct buf *stalled)
{
	struct gather g;
	struct health *h;
	struct buf states;
	const char *s;
	size_t i;
	int rc;

	memset(&g, 0, sizeof(g));
	g.rb = rb;
	g.v = v;
	g.n = n;
	g.ja = lang != NULL && strcmp(lang, "ja") == 0;
	g.now = now;
	g.lines = stalled;
	rc = db_review_disqualified(rb->db, partner_id, from, to, field_cb,
	    &g);
	evaluate(&g);
	free(g.keys);
	free(g.values);
	/* Each partner's reason is the one most failed. */
	for (i = 0; i < g.nreasons; i++)
		if ((h = find(v, n, g.reasons[i].pid)) != NULL &&
		    g.reasons[i].n > h->dq_reason_n) {
			h->dq_reason = g.reasons[i].text;
			h->dq_reason_n = g.reasons[i].n;
		}
	free(g.reasons);
	/* The states that stall (stall_days). */
	buf_init(&states);
	buf_addc(&states, ' ');
	for (i = 0; (s = status_name(i)) != NULL; i++)
		if (rb->cfg.stall_days[i] > 0)
			buf_addf(&states, "%s ", s);
	if (rc == 0)
		rc = db_review_open(rb->db, partner_id, states.data, open_cb,
		    &g);
	buf_free(&states);
	return rc;
}

/* The report's health: what health_scorecard fills in. */
struct report {
	struct scorecard *sc;
	struct health *v;
	char *active;			/* by row: the partner is active */
	int64_t *rate_n;		/* by row: the entries behind rate_bp */
	int64_t sat_sum, sat_prev_sum;	/* hundredths times answers */
};

static struct scorecard_tier *
tier_of(struct scorecard *sc, const char *label, int64_t rate)
{
	struct scorecard_tier *t;
	size_t i;

	for (i = 0; i < sc->ntiers; i++)
		if (strcmp(sc->tiers[i].label, label) == 0)
			return &sc->tiers[i];
	/* Kept by rate, own terms last: a handful at most. */
	sc->tiers = xreallocarray(sc->tiers, sc->ntiers + 1,
	    sizeof(*sc->tiers));
	for (i = sc->ntiers; i > 0 && (rate < 0 ? 0 :
	    sc->tiers[i - 1].tier_rate < 0 ||
	    sc->tiers[i - 1].tier_rate > rate); i--)
		sc->tiers[i] = sc->tiers[i - 1];
	sc->ntiers++;
	t = &sc->tiers[i];
	memset(t, 0, sizeof(*t));
	t->label = xstrdup(label);
	t->tier_rate = rate;
	t->rate_bp = -1;
	return t;
}

/* Row i's partner into the commission tier it is on now. */
static int
add_to_tier(struct refbot *rb, struct report *r, size_t i)
{
	struct scorecard_row *row = &r->sc->rows[i];
	struct scorecard_tier *t;
	struct partner p;
	char key[24], *label;
	int64_t rate, n = r->rate_n[i];
	int rc;

	snprintf(key, sizeof(key), "%lld", (long long)row->partner_id);
	if ((rc = db_partner_find(rb->db, key, &p)) <= 0)
		return rc;
	rc = rate_tier_label(rb, &p, &label, &rate);
	partner_free(&p);
	if (rc != 0)
		return -1;
	row->commission_tier = label;
	t = tier_of(r->sc, label, rate);
	t->partners++;
	t->received += row->received;
	t->counted += row->received - row->duplicates;
	t->won += row->won;
	/* The tier's rate: the mean of its entries' rates. */
	if (n > 0) {
		t->rate_bp = ((t->rate_bp < 0 ? 0 : t->rate_bp * t->rate_n) +
		    row->rate_bp * n) / (t->rate_n + n);
		t->rate_n += n;
	}
	return 0;
}

static int
health_row_cb(const struct health_db_row *d, void *arg)
{
	struct report *r = arg;
	struct scorecard *sc = r->sc;
	struct health *h = find(r->v, sc->nrows, d->partner_id);
	struct scorecard_row *row;

	if (h == NULL)
		return 0;
	row = &sc->rows[h - r->v];
	r->active[h - r->v] = (char)d->active;
	r->rate_n[h - r->v] = d->rate_n;
	row->tier = d->tier;
	row->rate_bp = d->rate_bp;
	h->disqualified = d->disqualified;
	return 0;
}

/* A partner's satisfaction (both kinds of survey) in the period or before. */
struct sat {
	struct report *r;
	int prev;
};

static int
sat_cb(const struct survey_score *s, void *arg)
{
	const struct sat *x = arg;
	struct report *r = x->r;
	struct scorecard *sc = r->sc;
	struct health *h = find(r->v, sc->nrows, s->partner_id);
	struct scorecard_row *row;

	if (h == NULL)
		return 0;
	row = &sc->rows[h - r->v];
	if (x->prev) {
		row->sat_prev = h->sat_prev = s->avg;
		row->sat_prev_n = s->n;
		r->sat_prev_sum += s->avg * s->n;
		sc->all.sat_prev_n += s->n;
	} else {
		row->sat = h->sat = s->avg;
		row->sat_n = s->n;
		r->sat_sum += s->avg * s->n;
		sc->all.sat_n += s->n;
	}
	return 0;
}

static void
row_point(const char *key, const char *text, void *arg)
{
	struct scorecard_row *row = arg;

	row->points = xreallocarray(row->points, row->npoints + 1,
	    sizeof(*row->points));
	row->point_keys = xreallocarray(row->point_keys, row->npoints + 1,
	    sizeof(*row->point_keys));
	row->points[row->npoints] = xstrdup(text);
	row->point_keys[row->npoints++] = xstrdup(key);
}

int
health_scorecard(struct refbot *rb, struct scorecard *sc, int64_t partner_id,
    const char *lang)
{
	struct report r;
	struct sat now_s = { &r, 0 }, prev_s = { &r, 1 };
	size_t i;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.sc = sc;
	r.v = xcalloc(sc->nrows + 1, sizeof(*r.v));
	r.active = xcalloc(sc->nrows + 1, 1);
	r.rate_n = xcalloc(sc->nrows + 1, sizeof(*r.rate_n));
	sc->all.sat = sc->all.sat_prev = sc->all.rate_bp = -1;
	for (i = 0; i < sc->nrows; i++) {
		const struct scorecard_row *row = &sc->rows[i];

		r.v[i].partner_id = row->partner_id;
		r.v[i].received = row->received;
		r.v[i].counted = row->received - row->duplicates;
		r.v[i].won = row->won;
		r.v[i].given = row->given;
		r.v[i].breaches = row->sla_breaches;
		r.v[i].sat = r.v[i].sat_prev = -1;
		sc->rows[i].sat = sc->rows[i].sat_prev = -1;
		sc->rows[i].rate_bp = -1;
	}
	if (db_health_partners(rb->db, partner_id, sc->from, sc->to,
	    health_row_cb, &r) != 0 ||
	    db_survey_scores(rb->db, NULL, partner_id, "satisfaction",
	    sc->from, sc->to, sat_cb, &now_s) != 0 ||
	    db_survey_scores(rb->db, NULL, partner_id, "satisfaction",
	    sc->prev_from, sc->from, sat_cb, &prev_s) != 0 ||
	    health_gather(rb, partner_id, sc->from, sc->to, sc->generated,
	    lang, r.v, sc->nrows, NULL) != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < sc->nrows; i++)
		if (add_to_tier(rb, &r, i) < 0)
			rc = -1;
	/* A partner no longer active needs no attention. */
	for (i = 0; rc == 0 && i < sc->nrows; i++)
		if (r.active[i] && health_points(rb, lang, sc->rows[i].name, rb->sla_hours,
		    &r.v[i], row_point, &sc->rows[i]) < 0)
			rc = -1;
	if (sc->all.sat_n > 0)
		sc->all.sat = r.sat_sum / sc->all.sat_n;
	if (sc->all.sat_prev_n > 0)
		sc->all.sat_prev = r.sat_prev_sum / sc->all.sat_prev_n;
	free(r.v);
	free(r.active);
	free(r.rate_n);
	return rc;
}

void
health_scorecard_free(struct scorecard *sc)
{
	size_t i, k;

	for (i = 0; i < sc->nrows; i++) {
		for (k = 0; k < sc->rows[i].npoints; k++) {
			free(sc->rows[i].points[k]);
			free(sc->rows[i].point_keys[k]);
		}
		free(sc->rows[i].points);
		free(sc->rows[i].point_keys);
		free(sc->rows[i].commission_tier);
	}
	for (i = 0; i < sc->ntiers; i++)
		free(sc->tiers[i].label);
	free(sc->tiers);
}
