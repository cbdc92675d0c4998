/*
 * Tests for the SVG charts: every chart parses as XML (libxml2, strict),
 * marks have the sizes their values call for, and text that could break
 * the markup (XML specials, control bytes, invalid UTF-8, very long and
 * Japanese labels) comes out escaped or shortened.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "check.h"
#include "svg.h"
#include "util.h"

/* The chart parsed as XML, or NULL (said) when it is not well-formed. */
static xmlDocPtr
parse(const struct buf *b)
{
	xmlDocPtr doc = xmlReadMemory(b->data, (int)b->len, "chart.svg",
	    "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);

	if (doc == NULL)
		printf("#   not well-formed XML: %s\n", b->data);
	return doc;
}

/* An XPath expression's value as a string (caller frees). */
static char *
xp(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	xmlChar *s;
	char *out;

	if (doc == NULL)
		return xstrdup("(no document)");
	ctx = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	s = o != NULL ? xmlXPathCastToString(o) : NULL;
	out = xstrdup(s != NULL ? (const char *)s : "(error)");
	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return out;
}

#define EXPECT_XP(doc, expr, want) do { \
	char *got_ = xp((doc), (expr)); \
	EXPECT_STR(got_, (want)); \
	free(got_); \
} while (0)

static void
test_bars_sizes(void)
{
	const char *labels[] = { "Alpha KK", "Beta LLC", "Gamma" };
	const int64_t refs[] = { 10, 5, 0 }, wins[] = { 20, 0, 1 };
	const struct svg_series series[] = {
		{ "Referrals", refs, NULL }, { "Won", wins, NULL },
	};
	struct svg_chart c = { "Referrals and wins", labels, 3, series, 2, 0,
	    "no data", -1, NULL };
	struct buf b;
	xmlDocPtr doc;

	buf_init(&b);
	svg_bars(&b, &c);
	doc = parse(&b);
	EXPECT(doc != NULL);
	EXPECT_XP(doc, "count(//rect[@data-value])", "6");
	/* The largest value (20) fills the 330px bar area. */
	EXPECT_XP(doc, "string(//rect[@class='bar s1'][1]/@width)", "330.0");
	EXPECT_XP(doc, "string(//rect[@class='bar s0'][1]/@width)", "165.0");
	EXPECT_XP(doc, "string(//rect[@class='bar s0'][2]/@width)", "82.5");
	EXPECT_XP(doc, "string(//rect[@class='bar s0'][3]/@width)", "0.0");
	EXPECT_XP(doc, "string(//rect[@class='bar s1'][3]/@width)", "16.5");
	EXPECT_XP(doc, "string(//rect[@class='bar s1'][3]/@data-value)", "1");
	/* Labels, legend and the numbers beside the bars. */
	EXPECT_XP(doc, "string(//text[@class='label'][2])", "Beta LLC");
	EXPECT_XP(doc, "count(//text[@class='legend'])", "2");
	EXPECT_XP(doc, "string(//text[@class='value'][1])", "10");
	EXPECT_XP(doc, "string(/svg/title)", "Referrals and wins");
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_texts_escaped(void)
{
	const char *labels[] = { "A & B <Co> \"Q\" 'x'", "bad \xff\xfe bytes\x01",
	    "</text><script>x</script>" };
	const int64_t v[] = { 1, 2, 3 };
	const char *texts[] = { "¥1,000 & up", NULL, "<b>" };
	const struct svg_series series[] = { { "S <1>", v, texts } };
	struct svg_chart c = { "T & <t>", labels, 3, series, 1, 0, NULL, -1,
	    NULL };
	struct buf b;
	xmlDocPtr doc;

	buf_init(&b);
	svg_bars(&b, &c);
	doc = parse(&b);
	EXPECT(doc != NULL);
	EXPECT_XP(doc, "string(//text[@class='label'][1])",
	    "A & B <Co> \"Q\" 'x'");
	EXPECT_XP(doc, "string(//text[@class='value'][1])", "¥1,000 & up");
	EXPECT_XP(doc, "string(//text[@class='value'][3])", "<b>");
	EXPECT_XP(doc, "count(//script)", "0");
	EXPECT(strstr(b.data, "\xff") == NULL);
	EXPECT(strstr(b.data, "\x01") == NULL);
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_long_and_japanese_labels(void)
{
	const char *ja = "株式会社テスト商事ホールディングスグループ";
	const char *en = "A Very Long Partner Name Consulting International";
	const char *labels[] = { ja, en, "短い" };
	const int64_t v[] = { 3, 2, 1 };
	const struct svg_series series[] = { { "紹介", v, NULL } };
	struct svg_chart c = { "パートナー別", labels, 3, series, 1, 0, NULL,
	    -1, NULL };
	struct buf b;
	xmlDocPtr doc;
	char *s;

	/* 21 wide characters are 42 columns: 11 of them and the ellipsis. */
	s = svg_shorten(ja, 24);
	EXPECT_STR(s, "株式会社テスト商事ホー…");
	free(s);
	s = svg_shorten(en, 24);
	EXPECT_STR(s, "A Very Long Partner Nam…");
	free(s);
	s = svg_shorten("exactly twenty-four col", 24);
	EXPECT_STR(s, "exactly twenty-four col");
	free(s);
	s = svg_shorten("", 24);
	EXPECT_STR(s, "");
	free(s);

	buf_init(&b);
	svg_bars(&b, &c);
	doc = parse(&b);
	EXPECT(doc != NULL);
	/* The whole name stays in the label's title. */
	EXPECT_XP(doc, "string(//text[@class='label'][1]/title)", ja);
	EXPECT_XP(doc, "string(//text[@class='label'][1]/text())",
	    "株式会社テスト商事ホー…");
	EXPECT_XP(doc, "string(//text[@class='label'][3])", "短い");
	EXPECT_XP(doc, "count(//text[@class='label'][3]/title)", "0");
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_empty(void)
{
	const int64_t zero[] = { 0, 0 };
	const char *labels[] = { "a", "b" };
	const struct svg_series series[] = { { "x", zero, NULL } };
	struct svg_chart c = { "Nothing", NULL, 0, series, 1, 0, "データなし",
	    -1, NULL };
	void (*draw[])(struct buf *, const struct svg_chart *) = { svg_bars,
	    svg_funnel, svg_line };
	struct buf b;
	xmlDocPtr doc;
	size_t i;

	for (i = 0; i < nitems(draw); i++) {
		buf_init(&b);
		c.n = 0;
		c.labels = NULL;
		draw[i](&b, &c);
		doc = parse(&b);
		EXPECT(doc != NULL);
		EXPECT_XP(doc, "string(//text[@class='empty'])", "データなし");
		xmlFreeDoc(doc);
		buf_free(&b);

		/* Labels but only zeros: drawn, flat, nothing divided by 0. */
		buf_init(&b);
		c.n = 2;
		c.labels = labels;
		draw[i](&b, &c);
		doc = parse(&b);
		EXPECT(doc != NULL);
		EXPECT(strstr(b.data, "nan") == NULL);
		EXPECT(strstr(b.data, "inf") == NULL);
		xmlFreeDoc(doc);
		buf_free(&b);
	}
}

static void
test_huge_values(void)
{
	const char *labels[] = { "max", "half" };
	const int64_t v[] = { INT64_MAX, INT64_MAX / 2 };
	const struct svg_series series[] = { { "big", v, NULL } };
	struct svg_chart c = { NULL, labels, 2, series, 1, 0, NULL, -1, NULL };
	struct buf b;
	xmlDocPtr doc;

	buf_init(&b);
	svg_bars(&b, &c);
	doc = parse(&b);
	EXPECT(doc != NULL);
	EXPECT_XP(doc, "string(//rect[@class='bar s0'][1]/@width)", "330.0");
	EXPECT_XP(doc, "string(//rect[@class='bar s0'][2]/@width)", "165.0");
	EXPECT_XP(doc, "string(//text[@class='value'][1])",
	    "9,223,372,036,854,775,807");
	xmlFreeDoc(doc);
	buf_free(&b);

	buf_init(&b);
	svg_number(&b, INT64_MIN, 0);
	EXPECT_STR(b.data, "-9,223,372,036,854,775,808");
	buf_reset(&b);
	svg_number(&b, 2455, 1);
	EXPECT_STR(b.data, "245.5");
	buf_reset(&b);
	svg_number(&b, -5, 2);
	EXPECT_STR(b.data, "-0.05");
	buf_reset(&b);
	svg_number(&b, 1234567, 0);
	EXPECT_STR(b.data, "1,234,567");
	buf_reset(&b);
	svg_number(&b, 999, 0);
	EXPECT_STR(b.data, "999");
	buf_free(&b);

	/* A funnel of huge counts: shares without overflow or sign flips. */
	buf_init(&b);
	c.series = series;
	svg_funnel(&b, &c);
	doc = parse(&b);
	EXPECT(doc != NULL);
	EXPECT_CONTAINS(b.data, "(50%)");
	EXPECT(strstr(b.data, "=\"-") == NULL);
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_funnel(void)
{
	const char *labels[] = { "Received", "Contacted", "Meeting",
	    "Proposal", "Won" };
	const int64_t v[] = { 10, 8, 5, 2, 1 };
	const struct svg_series series[] = { { "Referrals", v, NULL } };
	struct svg_chart c = { "Funnel", labels, 5, series, 1, 0, NULL, -1,
	    NULL };
	struct buf b;
	xmlDocPtr doc;

	buf_init(&b);
	svg_funnel(&b, &c);
	doc = parse(&b);
	EXPECT(doc != NULL);
	EXPECT_XP(doc, "count(//rect[@class='stage'])", "5");
	/* 360px for the first stage, the rest in proportion, centred. */
	EXPECT_XP(doc, "string(//rect[@class='stage'][1]/@width)", "360.0");
	EXPECT_XP(doc, "string(//rect[@class='stage'][3]/@width)", "180.0");
	EXPECT_XP(doc, "string(//rect[@class='stage'][3]/@x)", "220.0");
	EXPECT_XP(doc, "string(//rect[@class='stage'][5]/@width)", "36.0");
	EXPECT_XP(doc, "string(//text[@class='value'][1])", "10");
	EXPECT_XP(doc, "string(//text[@class='value'][3])", "5 (50%)");
	EXPECT_XP(doc, "string(//text[@class='value'][5])", "1 (10%)");
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_line_with_reference(void)
{
	const char *labels[] = { "2026-01", "2026-02", "2026-03", "2026-04" };
	/* Hours with one decimal; February had no response at all. */
	const int64_t v[] = { 240, -1, 300, 100 };
	const struct svg_series series[] = { { "median", v, NULL } };
	struct svg_chart c = { "First response", labels, 4, series, 1, 1,
	    NULL, 240, "SLA 24 h" };
	struct buf b;
	xmlDocPtr doc;

	buf_init(&b);
	svg_line(&b, &c);
	doc = parse(&b);
	EXPECT(doc != NULL);
	EXPECT_XP(doc, "count(//circle)", "3");
	/* Only above the SLA is over it; on it is not. */
	EXPECT_XP(doc, "count(//circle[@class='point over'])", "1");
	EXPECT_XP(doc, "string(//circle[@class='point over']/@data-value)",
	    "300");
	/* The gap splits the line: only March-April is joined. */
	EXPECT_XP(doc, "count(//polyline)", "1");
	EXPECT_XP(doc, "string(//line[@class='ref']/@data-value)", "240");
	EXPECT_XP(doc, "string(//text[@class='ref-text'])", "SLA 24 h");
	EXPECT_XP(doc, "string(//text[@class='value'][2])", "30.0");
	EXPECT_XP(doc, "count(//text[@class='label'])", "4");
	/* The scale's top (345 = 300 * 1.15) is above every point. */
	EXPECT_XP(doc, "string(//text[@class='tick'][5])", "34.5");
	xmlFreeDoc(doc);
	buf_free(&b);
}

static void
test_line_many_months(void)
{
	const char *labels[40];
	int64_t v[40];
	char names[40][8];
	const struct svg_series series[] = { { "median", v, NULL } };
	struct svg_chart c = { NULL, labels, 40, series, 1, 0, NULL, -1,
	    NULL };
	struct buf b;
	xmlDocPtr doc;
	size_t i;

	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "m%zu", i);
		labels[i] = names[i];
		v[i] = (int64_t)i;
	}
	buf_init(&b);
	svg_line(&b, &c);
	doc = parse(&b);
	EXPECT(doc != NULL);
	EXPECT_XP(doc, "count(//circle)", "40");
	/* Every fourth month is labelled, and no value texts crowd it. */
	EXPECT_XP(doc, "count(//text[@class='label'])", "10");
	EXPECT_XP(doc, "count(//text[@class='value'])", "0");
	EXPECT_XP(doc, "count(//line[@class='ref'])", "0");
	xmlFreeDoc(doc);
	buf_free(&b);
}

int
main(void)
{
	RUN(test_bars_sizes);
	RUN(test_texts_escaped);
	RUN(test_long_and_japanese_labels);
	RUN(test_empty);
	RUN(test_huge_values);
	RUN(test_funnel);
	RUN(test_line_with_reference);
	RUN(test_line_many_months);
	xmlCleanupParser();
	return check_done();
}
