/*
 * Tests for the scorecard page writer (bot/scorecard.c) on numbers made
 * here: the page parses as HTML, shows every number in its table, says
 * its words in the configured language, escapes partner names, and is
 * still a page when there is nothing to show.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "check.h"
#include "health.h"
#include "scorecard.h"
#include "util.h"

static struct scorecard_row rows[] = {
	{ "Alpha <b>&amp;</b> \"Co\"", 1, 4, 0, 1, 1000000, 100000, 60000, 2,
	    3, 30 * 3600, 0, 3, "count>=4 → 15%", 1000, 450, 400, 2, 1, NULL,
	    NULL, 0 },
	{ "ベータ会計事務所", 2, 3, 1, 1, 500000, 50000, 0, 0, 0, 3 * 3600, 0,
	    1, "tier_rates → 10%", -1, -1, -1, 0, 0, NULL, NULL, 0 },
};
static struct scorecard_tier tiers[] = {
	{ "tier_rates → 10%", 1000, 1, 3, 2, 1, -1, 0 },
	{ "count>=4 → 15%", 1500, 1, 4, 4, 1, 1000, 1 },
};
static struct scorecard_month months[] = {
	{ "2026-06", 2, 2, 1, 20 * 3600 },
	{ "2026-07", 0, 0, 0, -1 },
	{ "2026-08", 3, 2, 1, 3 * 3600 + 1800 },
};

static void
fill(struct scorecard *sc, const char *lang)
{
	memset(sc, 0, sizeof(*sc));
	sc->lang = lang;
	sc->currency = "JPY";
	sc->from = 1780272000;		/* 2026-06-01 */
	sc->to = 1788220800;		/* 2026-09-01 */
	sc->generated = 1795780800;	/* 2026-11-27 12:00 */
	sc->sla_hours = 24;
	sc->rows = rows;
	sc->nrows = nitems(rows);
	sc->all = (struct scorecard_row){ NULL, 0, 7, 1, 2, 1500000, 150000,
	    60000, 2, 3, 10 * 3600, 0, 0, NULL, -1, 450, 400, 2, 1, NULL, NULL,
	    0 };
	sc->funnel[STAGE_RECEIVED] = 6;
	sc->funnel[STAGE_CONTACTED] = 5;
	sc->funnel[STAGE_MEETING] = 4;
	sc->funnel[STAGE_PROPOSAL] = 3;
	sc->funnel[STAGE_WON] = 2;
	sc->months = months;
	sc->nmonths = nitems(months);
	sc->costs = 50000;
	sc->tiers = tiers;
	sc->ntiers = nitems(tiers);
}

static htmlDocPtr
page(const struct scorecard *sc, struct buf *b)
{
	buf_init(b);
	scorecard_html(b, sc);
	return htmlReadMemory(b->data, (int)b->len, "scorecard.html", "UTF-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
}

/* An XPath expression's value as a string, spaces folded (caller frees). */
static char *
xp(htmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	xmlChar *s;
	struct buf out;
	const char *p;
	int space = 0;

	if (doc == NULL)
		return xstrdup("(no document)");
	ctx = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	s = o != NULL ? xmlXPathCastToString(o) : NULL;
	buf_init(&out);
	buf_adds(&out, "");
	for (p = s != NULL ? (const char *)s : "(error)"; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t') {
			space = out.len > 0;
			continue;
		}
		if (space)
			buf_addc(&out, ' ');
		space = 0;
		buf_addc(&out, *p);
	}
	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return buf_steal(&out);
}

#define EXPECT_XP(doc, expr, want) do { \
	char *got_ = xp((doc), (expr)); \
	EXPECT_STR(got_, (want)); \
	free(got_); \
} while (0)

/* The text of row r (1-based) of table id, cells joined by "|". */
static char *
row(htmlDocPtr doc, const char *id, int r)
{
	struct buf b;
	char *expr, *cell;
	int c;

	buf_init(&b);
	buf_adds(&b, "");
	for (c = 1; c <= 6; c++) {
		expr = xasprintf("(//table[@id='%s']//tr)[%d]/*[%d]", id, r, c);
		cell = xp(doc, expr);
		free(expr);
		if (*cell != '\0')
			buf_addf(&b, "%s%s", c > 1 ? "|" : "", cell);
		free(cell);
	}
	return buf_steal(&b);
}

#define EXPECT_ROW(doc, id, r, want) do { \
	char *got_ = row((doc), (id), (r)); \
	EXPECT_STR(got_, (want)); \
	free(got_); \
} while (0)

static void
test_english_numbers(void)
{
	struct scorecard sc;
	struct buf b;
	htmlDocPtr doc;

	fill(&sc, "en");
	doc = page(&sc, &b);
	EXPECT(doc != NULL);
	EXPECT_XP(doc, "string(/html/@lang)", "en");
	EXPECT_XP(doc, "string(//p[@id='period'])",
	    "Referrals received: 2026-06-01 – 2026-08-31");
	EXPECT_ROW(doc, "t-key", 1, "Received|7");
	EXPECT_ROW(doc, "t-key", 4, "Conversion|33%");
	EXPECT_ROW(doc, "t-key", 5, "Revenue|¥1,500,000");
	/* (1,500,000 - 150,000 - 50,000) / 200,000 */
	EXPECT_ROW(doc, "t-key", 9, "Return on commission and costs|650%");
	EXPECT_ROW(doc, "t-key", 10, "Median time to first response|10.0 h");
	EXPECT_ROW(doc, "t-funnel", 3, "Contacted|5|83%");
	EXPECT_ROW(doc, "t-funnel", 6, "Won|2|33%");
	EXPECT_ROW(doc, "t-partners", 2,
	    "Alpha <b>&amp;</b> \"Co\"|4|0|1|25%");
	EXPECT_ROW(doc, "t-partners", 4, "Overall|7|1|2|33%");
	EXPECT_ROW(doc, "t-reciprocity", 2, "Alpha <b>&amp;</b> \"Co\"|2|4|-2");
	EXPECT_ROW(doc, "t-response", 3, "2026-07|0|-|0");
	EXPECT_ROW(doc, "t-response", 4, "2026-08|3|3.5|1");
	EXPECT_ROW(doc, "t-commission", 2,
	    "Alpha <b>&amp;</b> \"Co\"|¥100,000|¥60,000|+¥40,000");
	/* Health (#20.4): satisfaction against the period before, tiers. */
	EXPECT_ROW(doc, "t-satisfaction", 2,
	    "Alpha <b>&amp;</b> \"Co\"|4.5|4.0|+0.5|2");
	EXPECT_ROW(doc, "t-satisfaction", 3, "ベータ会計事務所|-|-|-|0");
	/* Grouped by the commission tier (a label), not the SLA tier. */
	EXPECT_ROW(doc, "t-tiers", 2, "tier_rates → 10%|1|3|1|50%|-");
	EXPECT_ROW(doc, "t-tiers", 3, "count>=4 → 15%|1|4|1|25%|10.0%");
	EXPECT_ROW(doc, "t-attention", 2, "Nothing needs attention");
	EXPECT_XP(doc, "count(//svg)", "7");
	EXPECT_XP(doc, "count(//b)", "0");
	EXPECT_XP(doc, "count(//script)", "0");
	EXPECT(strstr(b.data, "http") == NULL);
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_japanese_words(void)
{
	struct scorecard sc;
	struct buf b;
	htmlDocPtr doc;

	fill(&sc, "ja");
	sc.from = 0;
	doc = page(&sc, &b);
	EXPECT(doc != NULL);
	EXPECT_XP(doc, "string(/html/@lang)", "ja");
	EXPECT_XP(doc, "string(//h1)", "パートナープログラム スコアカード");
	EXPECT_XP(doc, "string(//p[@id='period'])",
	    "対象期間: 2026-08-31 まで(全期間)");
	EXPECT_ROW(doc, "t-key", 4, "成約率|33%");
	EXPECT_ROW(doc, "t-key", 10, "初回対応までの時間(中央値)|10.0 時間");
	EXPECT_ROW(doc, "t-funnel", 4, "面談|4|66%");
	EXPECT_ROW(doc, "t-partners", 4, "合計|7|1|2|33%");
	EXPECT_XP(doc, "string(//section[@id='funnel']//svg/title)",
	    "紹介ファネル");
	EXPECT_CONTAINS(b.data, "SLA 24 時間");
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_nothing_to_show(void)
{
	struct scorecard sc;
	struct buf b;
	htmlDocPtr doc;

	memset(&sc, 0, sizeof(sc));
	sc.lang = "en";
	sc.currency = "JPY";
	sc.to = 86400;
	sc.generated = 3600;
	sc.sla_hours = 24;
	sc.all.median = -1;
	doc = page(&sc, &b);
	EXPECT(doc != NULL);
	EXPECT_XP(doc, "count(//svg)", "7");
	EXPECT_XP(doc, "count(//text[@class='empty'])", "7");
	EXPECT_ROW(doc, "t-key", 4, "Conversion|-");
	EXPECT_ROW(doc, "t-key", 10, "Median time to first response|-");
	EXPECT_ROW(doc, "t-funnel", 2, "Received|0|-");
	EXPECT(strstr(b.data, "nan") == NULL);
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_figures(void)
{
	struct scorecard_row r;
	char s[32];

	memset(&r, 0, sizeof(r));
	scorecard_conversion(&r, s, sizeof(s));
	EXPECT_STR(s, "-");
	r.received = 3;
	r.duplicates = 3;
	scorecard_conversion(&r, s, sizeof(s));
	EXPECT_STR(s, "-");
	r.received = 7;
	r.duplicates = 1;
	r.won = 2;
	scorecard_conversion(&r, s, sizeof(s));
	EXPECT_STR(s, "33%");
	scorecard_roi(&r, 0, s, sizeof(s));
	EXPECT_STR(s, "-");
	r.revenue = 100;
	r.commission = 200;
	scorecard_roi(&r, 0, s, sizeof(s));
	EXPECT_STR(s, "-50%");
	scorecard_hours(-1, s, sizeof(s));
	EXPECT_STR(s, "-");
	scorecard_hours(0, s, sizeof(s));
	EXPECT_STR(s, "0.0");
	/* Cut, not rounded: 1 h 59 min is 1.9. */
	scorecard_hours(3600 + 59 * 60, s, sizeof(s));
	EXPECT_STR(s, "1.9");
	/* Satisfaction in hundredths, its trend, a rate in basis points. */
	health_score(450, s, sizeof(s));
	EXPECT_STR(s, "4.5");
	health_score(375, s, sizeof(s));
	EXPECT_STR(s, "3.8");
	health_score(-1, s, sizeof(s));
	EXPECT_STR(s, "-");
	scorecard_trend(300, 450, s, sizeof(s));
	EXPECT_STR(s, "-1.5");
	scorecard_trend(450, 400, s, sizeof(s));
	EXPECT_STR(s, "+0.5");
	scorecard_trend(400, 400, s, sizeof(s));
	EXPECT_STR(s, "0.0");
	scorecard_trend(400, -1, s, sizeof(s));
	EXPECT_STR(s, "-");
	scorecard_rate(1250, s, sizeof(s));
	EXPECT_STR(s, "12.5%");
	scorecard_rate(-1, s, sizeof(s));
	EXPECT_STR(s, "-");
}

int
main(void)
{
	RUN(test_english_numbers);
	RUN(test_japanese_words);
	RUN(test_nothing_to_show);
	RUN(test_figures);
	xmlCleanupParser();
	return check_done();
}
