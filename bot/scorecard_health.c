/*
 * scorecard_health: the scorecard's health sections (#20.4) — needs
 * attention, satisfaction and its trend, conversion by tier — and the
 * review page's (#20.3): talking points, referrals both ways, survey
 * scores and comments, stalled referrals.  Charts by parsers/svg.c, as
 * the rest of the page.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health.h"
#include "review.h"
#include "scorecard.h"
#include "svg.h"

enum hword {
	H_ATTENTION, H_NOTHING, H_POINT, H_PARTNER, H_SATISFACTION,
	H_SAT_NOTE, H_NOW, H_BEFORE, H_TREND, H_ANSWERS, H_OVERALL, H_TIERS,
	H_TIER, H_PARTNERS, H_RECEIVED, H_WON, H_CONVERSION, H_RATE,
	H_NO_DATA, H_POINTS, H_BOTH, H_FROM_THEM, H_TO_THEM, H_OUTCOMES,
	H_SURVEYS, H_KIND, H_QUESTION, H_THIS_Q, H_PREV_Q, H_COMMENTS,
	H_COMMENT, H_STALLED, H_NONE, H_PARTNER_SURVEY, H_CLIENT_SURVEY,
	H_COUNT, H_N
};

static const char *const hwords[H_N][2] = {
	[H_ATTENTION] = { "Needs attention", "要対応" },
	[H_NOTHING] = { "Nothing needs attention", "要対応の項目はありません" },
	[H_POINT] = { "Point", "項目" },
	[H_PARTNER] = { "Partner", "パートナー" },
	[H_SATISFACTION] = { "Satisfaction (surveys, 1-5)",
	    "満足度(アンケート、1〜5)" },
	[H_SAT_NOTE] = { "The satisfaction question of partner surveys and "
	    "client follow-ups answered in the period, against the period "
	    "of the same length before it.",
	    "期間内に回答されたパートナーアンケートとクライアントアンケートの"
	    "満足度。前の同じ長さの期間と比べています。" },
	[H_NOW] = { "This period", "今期" },
	[H_BEFORE] = { "Previous period", "前期" },
	[H_TREND] = { "Trend", "傾向" },
	[H_ANSWERS] = { "Answers", "回答数" },
	[H_OVERALL] = { "Overall", "合計" },
	[H_TIERS] = { "Conversion by commission tier",
	    "手数料ティア別の成約率" },
	[H_TIER] = { "Commission tier (now)", "手数料ティア（現在）" },
	[H_PARTNERS] = { "Partners", "パートナー数" },
	[H_RECEIVED] = { "Received", "受けた紹介" },
	[H_WON] = { "Won", "成約" },
	[H_CONVERSION] = { "Conversion", "成約率" },
	[H_RATE] = { "Commission rate", "コミッション率" },
	[H_NO_DATA] = { "No data for this period",
	    "この期間のデータはありません" },
	[H_POINTS] = { "Talking points", "話し合うポイント" },
	[H_BOTH] = { "Referrals both ways", "双方向の紹介" },
	[H_FROM_THEM] = { "Received from them", "先方からの紹介" },
	[H_TO_THEM] = { "Given to them", "当社からの紹介" },
	[H_OUTCOMES] = { "Outcomes", "結果" },
	[H_COUNT] = { "Referrals", "件数" },
	[H_SURVEYS] = { "Survey scores", "アンケートの評価" },
	[H_KIND] = { "Survey", "アンケート" },
	[H_QUESTION] = { "Question", "質問" },
	[H_THIS_Q] = { "This quarter", "今四半期" },
	[H_PREV_Q] = { "Previous quarter", "前四半期" },
	[H_COMMENTS] = { "Survey comments", "アンケートのコメント" },
	[H_COMMENT] = { "Comment", "コメント" },
	[H_STALLED] = { "Stalled referrals", "停滞している紹介" },
	[H_NONE] = { "None", "なし" },
	[H_PARTNER_SURVEY] = { "partner survey", "パートナー" },
	[H_CLIENT_SURVEY] = { "client follow-up", "クライアント" },
};

struct hp {
	struct buf *b;
	const struct scorecard *sc;
	int ja;
};

static const char *
hw(const struct hp *p, enum hword id)
{
	return hwords[id][p->ja];
}

void
scorecard_trend(int64_t now, int64_t before, char *buf, size_t size)
{
	int64_t d = now - before, a = d < 0 ? -d : d;

	if (now < 0 || before < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%s%lld.%lld", d > 0 ? "+" : d < 0 ? "-" :
		    "", (long long)((a + 5) / 100), (long long)((a + 5) / 10 %
		    10));
}

void
scorecard_tier_conversion(const struct scorecard_tier *t, char *buf,
    size_t size)
{
	struct scorecard_row r;

	memset(&r, 0, sizeof(r));
	r.received = t->counted;
	r.won = t->won;
	scorecard_conversion(&r, buf, size);
}

void
scorecard_rate(int64_t bp, char *buf, size_t size)
{
	if (bp < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%lld.%lld%%", (long long)(bp / 100),
		    (long long)(bp % 100 / 10));
}

/* A cell: text (escaped), numeric ones right-aligned. */
static void
cell(struct hp *p, const char *s, int numeric)
{
	buf_adds(p->b, numeric ? "<td class=\"n\">" : "<td>");
	svg_escape(p->b, s);
	buf_adds(p->b, "</td>");
}

static void
cell_int(struct hp *p, int64_t v)
{
	buf_adds(p->b, "<td class=\"n\">");
	svg_number(p->b, v, 0);
	buf_adds(p->b, "</td>");
}

static void
open_section(struct hp *p, const char *id, enum hword title)
{
	buf_addf(p->b, "<section id=\"%s\"><h2>", id);
	svg_escape(p->b, hw(p, title));
	buf_adds(p->b, "</h2>");
}

/* The section (unless NULL), and a table's head of n words. */
static void
open_table(struct hp *p, const char *section, enum hword title,
    const char *table, const enum hword *heads, size_t n)
{
	size_t i;

	if (section != NULL)
		open_section(p, section, title);
	buf_addf(p->b, "<table id=\"%s\">", table);
	for (i = 0; i < n; i++) {
		buf_adds(p->b, i ? "<th>" : "<thead><tr><th>");
		svg_escape(p->b, hw(p, heads[i]));
		buf_adds(p->b, i + 1 < n ? "</th>" : "</th></tr></thead>");
	}
	buf_adds(p->b, "<tbody>");
}

static void
close_table(struct hp *p, int section)
{
	buf_adds(p->b, section ? "</tbody></table></section>\n" :
	    "</tbody></table>");
}

/* Two series of tenths over labels, as grouped bars. */
static void
bars(struct hp *p, enum hword title, const char **labels, size_t n,
    const int64_t *a, enum hword na, const int64_t *b, enum hword nb,
    int decimals, enum hword note)
{
	struct svg_series s[2] = { { hw(p, na), a, NULL },
	    { hw(p, nb), b, NULL } };
	struct svg_chart c;

	memset(&c, 0, sizeof(c));
	c.title = hw(p, title);
	c.labels = labels;
	c.n = n;
	c.series = s;
	c.nseries = 2;
	c.decimals = decimals;
	c.empty = hw(p, H_NO_DATA);
	c.ref = -1;
	buf_adds(p->b, "<figure>");
	svg_bars(p->b, &c);
	if (note != H_N) {
		buf_adds(p->b, "<figcaption>");
		svg_escape(p->b, hw(p, note));
		buf_adds(p->b, "</figcaption>");
	}
	buf_adds(p->b, "</figure>");
}

static void
attention(struct hp *p)
{
	static const enum hword heads[] = { H_PARTNER, H_POINT };
	const struct scorecard *sc = p->sc;
	size_t i, k, n = 0;

	open_table(p, "attention", H_ATTENTION, "t-attention", heads,
	    nitems(heads));
	for (i = 0; i < sc->nrows; i++)
		for (k = 0; k < sc->rows[i].npoints; k++, n++) {
			buf_addf(p->b, "<tr class=\"%s\">",
			    sc->rows[i].point_keys[k]);
			cell(p, sc->rows[i].name, 0);
			cell(p, sc->rows[i].points[k], 0);
			buf_adds(p->b, "</tr>");
		}
	if (n == 0) {
		buf_adds(p->b, "<tr>");
		cell(p, hw(p, H_NOTHING), 0);
		buf_adds(p->b, "</tr>");
	}
	close_table(p, 1);
}

static void
satisfaction(struct hp *p)
{
	static const enum hword heads[] = { H_PARTNER, H_NOW, H_BEFORE,
	    H_TREND, H_ANSWERS };
	const struct scorecard *sc = p->sc;
	const char **labels = xcalloc(sc->nrows + 1, sizeof(*labels));
	int64_t *a = xcalloc(sc->nrows + 1, sizeof(*a));
	int64_t *b = xcalloc(sc->nrows + 1, sizeof(*b));
	char t[3][24];
	size_t i, n = 0;

	/* The chart: the partners with answers, in tenths. */
	for (i = 0; i < sc->nrows; i++) {
		const struct scorecard_row *r = &sc->rows[i];

		if (r->sat < 0 && r->sat_prev < 0)
			continue;
		labels[n] = r->name;
		a[n] = r->sat < 0 ? 0 : (r->sat + 5) / 10;
		b[n++] = r->sat_prev < 0 ? 0 : (r->sat_prev + 5) / 10;
	}
	open_section(p, "satisfaction", H_SATISFACTION);
	bars(p, H_SATISFACTION, labels, n, a, H_NOW, b, H_BEFORE, 1,
	    H_SAT_NOTE);
	open_table(p, NULL, H_N, "t-satisfaction", heads, nitems(heads));
	for (i = 0; i <= sc->nrows; i++) {
		const struct scorecard_row *r = i < sc->nrows ? &sc->rows[i] :
		    &sc->all;

		if (i == sc->nrows)
			buf_adds(p->b, "</tbody><tfoot>");
		health_score(r->sat, t[0], sizeof(t[0]));
		health_score(r->sat_prev, t[1], sizeof(t[1]));
		scorecard_trend(r->sat, r->sat_prev, t[2], sizeof(t[2]));
		buf_adds(p->b, "<tr>");
		cell(p, i < sc->nrows ? r->name : hw(p, H_OVERALL), 0);
		cell(p, t[0], 1);
		cell(p, t[1], 1);
		cell(p, t[2], 1);
		cell_int(p, r->sat_n);
		buf_adds(p->b, "</tr>");
	}
	buf_adds(p->b, "</tfoot></table></section>\n");
	free(labels);
	free(a);
	free(b);
}

static void
tiers(struct hp *p)
{
	static const enum hword heads[] = { H_TIER, H_PARTNERS, H_RECEIVED,
	    H_WON, H_CONVERSION, H_RATE };
	const struct scorecard *sc = p->sc;
	char **labels = xcalloc(sc->ntiers + 1, sizeof(*labels));
	int64_t *a = xcalloc(sc->ntiers + 1, sizeof(*a));
	int64_t *b = xcalloc(sc->ntiers + 1, sizeof(*b));
	char conv[32], rate[32];
	size_t i;

	for (i = 0; i < sc->ntiers; i++) {
		labels[i] = xstrdup(sc->tiers[i].label);
		a[i] = sc->tiers[i].received;
		b[i] = sc->tiers[i].won;
	}
	open_section(p, "tiers", H_TIERS);
	bars(p, H_TIERS, (const char **)labels, sc->ntiers, a, H_RECEIVED, b,
	    H_WON, 0, H_N);
	open_table(p, NULL, H_N, "t-tiers", heads, nitems(heads));
	for (i = 0; i < sc->ntiers; i++) {
		const struct scorecard_tier *t = &sc->tiers[i];

		scorecard_tier_conversion(t, conv, sizeof(conv));
		scorecard_rate(t->rate_bp, rate, sizeof(rate));
		buf_adds(p->b, "<tr>");
		cell(p, labels[i], 0);
		cell_int(p, t->partners);
		cell_int(p, t->received);
		cell_int(p, t->won);
		cell(p, conv, 1);
		cell(p, rate, 1);
		buf_adds(p->b, "</tr>");
		free(labels[i]);
	}
	close_table(p, 1);
	free(labels);
	free(a);
	free(b);
}

static const char *
kind_word(struct hp *p, const char *kind)
{
	return hw(p, strcmp(kind, "client") == 0 ? H_CLIENT_SURVEY :
	    H_PARTNER_SURVEY);
}

/* A table of one column, a row per line of text (or "None"). */
static void
lines(struct hp *p, const char *id, enum hword title, const char *table,
    const char *text)
{
	const char *s = text, *e;
	int n = 0;

	open_table(p, id, title, table, NULL, 0);
	while (s != NULL && *s != '\0') {
		char *line;

		e = strchr(s, '\n');
		line = xstrndup(s, e ? (size_t)(e - s) : strlen(s));
		buf_adds(p->b, "<tr>");
		cell(p, line + strspn(line, " "), 0);
		buf_adds(p->b, "</tr>");
		free(line);
		n++;
		s = e ? e + 1 : NULL;
	}
	if (n == 0) {
		buf_adds(p->b, "<tr>");
		cell(p, hw(p, H_NONE), 0);
		buf_adds(p->b, "</tr>");
	}
	close_table(p, 1);
}

static void
review(struct hp *p, const struct review *rv)
{
	static const enum hword both[] = { H_BOTH, H_COUNT, H_OUTCOMES };
	static const enum hword sh[] = { H_KIND, H_QUESTION, H_THIS_Q,
	    H_PREV_Q };
	static const enum hword ch[] = { H_KIND, H_QUESTION, H_COMMENT };
	struct buf points;
	char now[24], before[24], *given;
	size_t i;

	buf_init(&points);
	for (i = 0; i < rv->npoints; i++)
		buf_addf(&points, "%s\n", rv->points[i]);
	lines(p, "points", H_POINTS, "t-points", points.data);
	buf_free(&points);
	open_table(p, "both", H_BOTH, "t-both", both, nitems(both));
	buf_adds(p->b, "<tr>");
	cell(p, hw(p, H_FROM_THEM), 0);
	cell_int(p, rv->h.received);
	cell(p, rv->outcomes.len ? rv->outcomes.data : "-", 0);
	buf_adds(p->b, "</tr><tr>");
	cell(p, hw(p, H_TO_THEM), 0);
	cell_int(p, rv->h.given);
	given = p->ja ? xasprintf("成約 %lld 件、失注 %lld 件",
	    (long long)rv->given_won, (long long)rv->given_lost) :
	    xasprintf("won %lld, lost %lld", (long long)rv->given_won,
	    (long long)rv->given_lost);
	cell(p, given, 0);
	free(given);
	buf_adds(p->b, "</tr>");
	close_table(p, 1);
	open_table(p, "surveys", H_SURVEYS, "t-surveys", sh, nitems(sh));
	for (i = 0; i < rv->nscores; i++) {
		health_score(rv->scores[i].avg, now, sizeof(now));
		health_score(rv->scores[i].prev, before, sizeof(before));
		buf_adds(p->b, "<tr>");
		cell(p, kind_word(p, rv->scores[i].kind), 0);
		cell(p, rv->scores[i].question, 0);
		cell(p, now, 1);
		cell(p, before, 1);
		buf_adds(p->b, "</tr>");
	}
	close_table(p, 1);
	open_table(p, "comments", H_COMMENTS, "t-comments", ch, nitems(ch));
	for (i = 0; i < rv->ncomments; i++) {
		buf_adds(p->b, "<tr>");
		cell(p, kind_word(p, rv->comments[i].kind), 0);
		cell(p, rv->comments[i].question, 0);
		cell(p, rv->comments[i].comment, 0);
		buf_adds(p->b, "</tr>");
	}
	close_table(p, 1);
	lines(p, "stalled", H_STALLED, "t-stalled", rv->stalled.data);
}

void
scorecard_health_html(struct buf *b, const struct scorecard *sc, int ja)
{
	struct hp p = { b, sc, ja };

	/* A review's talking points are its partner's needs attention. */
	if (sc->review != NULL)
		review(&p, sc->review);
	else
		attention(&p);
	satisfaction(&p);
	tiers(&p);
}
