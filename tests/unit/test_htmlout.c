/* Unit tests for the HTML part made from a mail's text (parsers/htmlout.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "check.h"
#include "htmlout.h"
#include "util.h"

static const char text[] =
    "Dear Partner & Co <sales>,\n"
    "Thank you.\n"
    "\n"
    "This month's hot opportunity\n"
    "============================\n"
    "\n"
    "Manufacturers entering Japan.\n"
    "\n"
    "Signs to look for:\n"
    "- a board decision\n"
    "  taken this year\n"
    "- no adviser yet\n"
    "\n"
    "Your referrals\n"
    "--------------\n"
    "\n"
    "Referrals sent in 2026:  3\n"
    "Commission earned:  ¥120,000\n"
    "\n"
    "・日本語の項目\n"
    "\n"
    "Write to mailto:intake@example.test or see https://firm.example/x.\n";

/* Evaluates an XPath count over the parsed page. */
static double
count(htmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr,
	    ctx);
	double v = o ? xmlXPathCastToNumber(o) : -1;

	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return v;
}

static char *
string(htmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr,
	    ctx);
	xmlChar *s = o ? xmlXPathCastToString(o) : NULL;
	char *r = xstrdup(s ? (const char *)s : "");

	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return r;
}

static htmlDocPtr
parse(const char *html)
{
	return htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
}

static void
test_structure(void)
{
	char *html = htmlout(text, "Subject & <more>", "en"), *s;
	htmlDocPtr doc = parse(html);

	EXPECT(doc != NULL);
	EXPECT_CONTAINS(html, "<html lang=\"en\">");
	EXPECT_CONTAINS(html, "<meta charset=\"utf-8\">");
	EXPECT(count(doc, "count(//h2)") == 1);
	EXPECT(count(doc, "count(//h3)") == 1);
	s = string(doc, "//h2");
	EXPECT_STR(s, "This month's hot opportunity");
	free(s);
	/* Two lists: the signs (with a continuation line) and the ・ item. */
	EXPECT(count(doc, "count(//ul)") == 2);
	EXPECT(count(doc, "count(//li)") == 3);
	s = string(doc, "(//li)[1]");
	EXPECT_STR(s, "a board decisiontaken this year");
	free(s);
	s = string(doc, "(//li)[3]");
	EXPECT_STR(s, "日本語の項目");
	free(s);
	/* The numbers are a table: label and value cells. */
	s = string(doc, "//td[.='Referrals sent in 2026']/following-sibling::td");
	EXPECT_STR(s, "3");
	free(s);
	s = string(doc, "//td[.='Commission earned']/following-sibling::td");
	EXPECT_STR(s, "¥120,000");
	free(s);
	/* Escaping: the text comes through as text, never as markup. */
	s = string(doc, "(//p)[1]");
	EXPECT_CONTAINS(s, "Dear Partner & Co <sales>,");
	free(s);
	s = string(doc, "//title");
	EXPECT_STR(s, "Subject & <more>");
	free(s);
	EXPECT(count(doc, "count(//sales)") == 0);
	/* Links, without the sentence's full stop. */
	EXPECT(count(doc, "count(//a[@href='mailto:intake@example.test'])")
	    == 1);
	EXPECT(count(doc, "count(//a[@href='https://firm.example/x'])") == 1);
	/* Nothing that needs the network or a script. */
	EXPECT(strstr(html, "<script") == NULL);
	EXPECT(strstr(html, "src=") == NULL);
	xmlFreeDoc(doc);
	free(html);
}

static void
test_edges(void)
{
	char *html;
	htmlDocPtr doc;

	/* Empty text, a lone underline, a quote in a link. */
	html = htmlout("", "", "ja");
	EXPECT_CONTAINS(html, "<html lang=\"ja\">");
	EXPECT(strstr(html, "<p") == NULL);
	free(html);
	html = htmlout("===\n\nsee http://x.example/\"onmouseover=a\n", "t",
	    "en");
	doc = parse(html);
	EXPECT(count(doc, "count(//h2)") == 0);
	EXPECT(count(doc, "count(//a[@onmouseover])") == 0);
	EXPECT(count(doc, "count(//a[@href='http://x.example/'])") == 1);
	xmlFreeDoc(doc);
	free(html);
}

int
main(void)
{
	RUN(test_structure);
	RUN(test_edges);
	xmlCleanupParser();
	return check_done();
}
