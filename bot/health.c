/* health: the talking points and the "needs attention" list (health.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_review.h"
#include "health.h"
#include "log.h"
#include "render.h"
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
	char received[24], given[24], count[24], conv[24], now[24];
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
	if (rc == 0)
		rc = db_review_open(rb->db, partner_id, open_cb, &g);
	return rc;
}
