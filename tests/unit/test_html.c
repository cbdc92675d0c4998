/*
 * Tests for HTML-to-text: small cases written inline, the mail samples in
 * tests/data/html (each .html next to the .expected text), and hostile
 * input: deep nesting, invalid bytes, large bodies.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "html.h"
#include "util.h"

struct tcase {
	const char *name;
	const char *html;
	const char *text;	/* expected, exactly */
};

static const struct tcase cases[] = {
	{ "paragraphs", "<p>Hello</p><p>World</p>", "Hello\n\nWorld\n" },
	{ "br, and at most one blank line",
	    "Line one<br>Line two<br><br><br>Line three",
	    "Line one\nLine two\n\nLine three\n" },
	{ "nested divs", "<div><div>a<div>b</div>c</div><div>d</div></div>",
	    "a\nb\nc\nd\n" },
	{ "inline elements do not break lines",
	    "<span>Client:</span> <b>Acme</b> <font color=red>Widgets</font>"
	    " <a href=\"#x\">Ltd</a>", "Client: Acme Widgets Ltd\n" },
	{ "Outlook MsoNormal with &nbsp; and o:p",
	    "<p class=MsoNormal>Client: Acme<o:p></o:p></p>\n"
	    "<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n"
	    "<p class=MsoNormal>Contact name:&nbsp;Jane<o:p></o:p></p>",
	    "Client: Acme\n\nContact name: Jane\n" },
	{ "Outlook conditional comments",
	    "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings>x"
	    "</o:OfficeDocumentSettings></xml><![endif]--><p>Shown</p>"
	    "<!--[if mso]><p>Outlook only</p><![endif]-->"
	    "<!--[if !mso]><!--><p>Others</p><!--<![endif]-->",
	    "Shown\n\nOthers\n" },
	{ "Word list bullets and numbers",
	    "<p class=MsoListParagraph style='text-indent:-18.0pt'>"
	    "<![if !supportLists]><span style='font-family:Symbol'>"
	    "<span style='mso-list:Ignore'>&#183;<span style='font:7.0pt "
	    "\"Times New Roman\"'>&nbsp;&nbsp; </span></span></span>"
	    "<![endif]>Client: Acme<o:p></o:p></p>\n"
	    "<p class=MsoListParagraph style='margin-left:72.0pt'>"
	    "<![if !supportLists]><span style='font-family:\"Courier New\"'>"
	    "<span style='mso-list:Ignore'>o<span style='font:7.0pt "
	    "\"Times New Roman\"'>&nbsp;&nbsp; </span></span></span>"
	    "<![endif]>Level two<o:p></o:p></p>\n"
	    "<p class=MsoListParagraph><![if !supportLists]>"
	    "<span style='mso-list:Ignore'>1.<span style='font:7.0pt "
	    "\"Times New Roman\"'>&nbsp; </span></span><![endif]>"
	    "Numbered<o:p></o:p></p>",
	    "- Client: Acme\n- Level two\n1. Numbered\n" },
	{ "two-column table form",
	    "<table><tr><td>Client</td><td>Acme</td></tr>"
	    "<tr><td>Contact name:</td><td>Jane Smith</td></tr></table>",
	    "Client: Acme\nContact name: Jane Smith\n" },
	{ "two-column table form, Japanese labels",
	    "<table><tr><td>クライアント名</td><td>株式会社サンプル</td></tr>"
	    "<tr><th>担当者名：</th><td>山田 太郎</td></tr></table>",
	    "クライアント名: 株式会社サンプル\n担当者名：山田 太郎\n" },
	{ "three-column table",
	    "<table><tr><th>Name</th><th>Email</th><th>Phone</th></tr>"
	    "<tr><td>Jane</td><td>jane@example.test</td>"
	    "<td>03-1234-5678</td></tr></table>",
	    "Name Email Phone\nJane jane@example.test 03-1234-5678\n" },
	{ "table header row is not a form line",
	    "<table><tr><th>Field</th><th>Value</th></tr></table>",
	    "Field Value\n" },
	{ "table value on several lines",
	    "<table><tr><td>Challenge</td><td>Slow close.<br>Manual work."
	    "</td></tr></table>", "Challenge: Slow close.\nManual work.\n" },
	{ "table sentence is not a label",
	    "<table><tr><td>Thanks for the referral.</td><td>Jane</td></tr>"
	    "</table>", "Thanks for the referral. Jane\n" },
	{ "layout table keeps its lines",
	    "<table><tr><td><p>Hello</p><p>Client: Acme</p></td></tr></table>",
	    "Hello\n\nClient: Acme\n" },
	{ "lists",
	    "<ul><li>One</li><li>Two</li></ul><ol><li>First</li>"
	    "<li>Second</li></ol>", "- One\n- Two\n1. First\n2. Second\n" },
	{ "list item holding a block",
	    "<ul><li><div>Client: Acme</div></li><li></li><li>Next</li></ul>",
	    "- Client: Acme\n- Next\n" },
	{ "nested blockquotes",
	    "<p>Reply</p><blockquote><p>Old</p><blockquote>Older</blockquote>"
	    "</blockquote><p>After</p>",
	    "Reply\n\n> Old\n>\n> > Older\n\nAfter\n" },
	{ "Gmail quote container",
	    "<div>Reply</div><div class=\"gmail_quote\">On Mon, X wrote:"
	    "<blockquote class=\"gmail_quote\">Old<blockquote>Older"
	    "</blockquote></blockquote></div>",
	    "Reply\n> On Mon, X wrote:\n> Old\n> > Older\n" },
	{ "Apple Mail blockquote type=cite",
	    "<div>Client: Acme</div><div><br><blockquote type=\"cite\">"
	    "<div>On 3 Mar 2025, at 10:12, X wrote:</div><br>"
	    "<div>Please send it.</div></blockquote></div>",
	    "Client: Acme\n\n> On 3 Mar 2025, at 10:12, X wrote:\n>\n"
	    "> Please send it.\n" },
	{ "Outlook divRplyFwdMsg quotes the rest",
	    "<div>Reply</div><div id=\"divRplyFwdMsg\"><b>From:</b> A<br>"
	    "<b>Sent:</b> B</div><div>Original</div>"
	    "<blockquote>Older</blockquote>",
	    "Reply\n> From: A\n> Sent: B\n> Original\n> > Older\n" },
	{ "Outlook appendonsend and hr",
	    "<div>Reply</div><div id=\"appendonsend\"></div><hr>"
	    "<div>Original</div>", "Reply\n> ----\n> Original\n" },
	{ "hr", "<p>Above</p><hr><p>Below</p>", "Above\n\n----\n\nBelow\n" },
	{ "head, style and script dropped",
	    "<html><head><title>T</title><style>p{color:red}</style></head>"
	    "<body><script>alert(1)</script><p>Visible</p>"
	    "<style>.x{}</style></body></html>", "Visible\n" },
	{ "entities",
	    "<p>A &amp; B &lt;c&gt; &#12354; &yen;100 &quot;q&quot;</p>",
	    "A & B <c> あ ¥100 \"q\"\n" },
	{ "Japanese text with full-width colons",
	    "<div>クライアント名：株式会社サンプル</div>"
	    "<div>担当者名：山田　太郎</div>",
	    "クライアント名：株式会社サンプル\n担当者名：山田　太郎\n" },
	{ "links",
	    "<a href=\"https://example.com/x\">our site</a>, "
	    "<a href=\"mailto:jane@example.test\">jane@example.test</a>, "
	    "<a href=\"https://example.com/\">example.com</a>, "
	    "<a href=\"javascript:x()\">js</a>"
	    "<a href=\"https://example.com/\"><img src=\"cid:1\"></a>",
	    "our site (https://example.com/x), jane@example.test, "
	    "example.com, js\n" },
	{ "malformed: unclosed and stray tags",
	    "<div><p>Unclosed <b>bold <i>both</div></div></span><p>Next",
	    "Unclosed bold both\n\nNext\n" },
	{ "white space collapses", "<p>  a \n\t b  </p>\n\n<div> c </div>",
	    "a b\n\nc\n" },
	{ "pre keeps white space",
	    "<pre>\n  indented\n\ttab\n\nx</pre>after",
	    "  indented\n\ttab\n\nx\n\nafter\n" },
	{ "signature separator keeps its space",
	    "<div>Thanks</div><div><br></div>-- <br>"
	    "<div class=\"gmail_signature\">Jane</div>",
	    "Thanks\n\n-- \nJane\n" },
	{ "display:none dropped",
	    "<div style=\"Display: none\">preview</div><p>Body</p>",
	    "Body\n" },
	{ "paragraphs without margins sit flush",
	    "<p style=\"margin:0\">a</p><p style=\"margin: 0cm 0cm 0.0001pt\">"
	    "b</p><p style=\"margin:0.5em\">c</p><p>d</p>", "a\nb\n\nc\n\nd\n" },
	{ "stale meta charset ignored",
	    "<meta http-equiv=\"Content-Type\" "
	    "content=\"text/html; charset=shift_jis\"><p>日本語</p>",
	    "日本語\n" },
	{ "zero-width characters dropped",
	    "<div>Cli\xe2\x80\x8bnt</div><div>\xef\xbb\xbf</div><div>x</div>",
	    "Clint\nx\n" },
	{ "only a comment", "  <!-- nothing -->  ", "" },
	{ "text outside elements",
	    "loose text<p>para</p></body></html>trailing",
	    "loose text\n\npara\n\ntrailing\n" },
};

static const struct tcase *cur;

static void
test_case(void)
{
	char *t = html_to_text(cur->html, strlen(cur->html));

	EXPECT_STR(t, cur->text);
	EXPECT(utf8_valid(t, strlen(t)));
	free(t);
}

/* Mail bodies as Outlook, Gmail, Apple Mail and webmail write them. */
static const char *samples[] = {
	"outlook2016-en", "outlook-ja-table", "gmail-reply",
	"apple-mail-reply", "owa-reply", "ja-webmail", "thunderbird-reply",
};

static const char *cur_sample;

static void
test_sample(void)
{
	char *hpath = xasprintf("tests/data/html/%s.html", cur_sample);
	char *epath = xasprintf("tests/data/html/%s.expected", cur_sample);
	char *html, *want, *got;
	size_t hlen, elen;

	html = check_slurp(hpath, &hlen);
	want = check_slurp(epath, &elen);
	EXPECT(html != NULL);
	EXPECT(want != NULL);
	if (html != NULL && want != NULL) {
		got = html_to_text(html, hlen);
		EXPECT_STR(got, want);
		free(got);
	}
	free(html);
	free(want);
	free(hpath);
	free(epath);
}

static double
seconds(clock_t since)
{
	return (double)(clock() - since) / CLOCKS_PER_SEC;
}

static char *
repeat(struct buf *b, const char *s, size_t times)
{
	size_t i;

	for (i = 0; i < times; i++)
		buf_adds(b, s);
	return b->data;
}

static void
test_empty(void)
{
	char *t = html_to_text("", 0);

	EXPECT_STR(t, "");
	free(t);
	t = html_to_text("<p>cut here</p>", 0);
	EXPECT_STR(t, "");
	free(t);
}

/* libxml2 stops reading at depth 256; what came before survives. */
static void
test_deep_100000(void)
{
	struct buf b;
	clock_t t0 = clock();
	char *t;

	buf_init(&b);
	buf_adds(&b, "<p>before</p>");
	repeat(&b, "<div>", 100000);
	buf_adds(&b, "x");
	repeat(&b, "</div>", 100000);
	buf_adds(&b, "<p>after</p>");
	t = html_to_text(b.data, b.len);
	EXPECT_CONTAINS(t, "before\n");
	EXPECT(utf8_valid(t, strlen(t)));
	EXPECT(seconds(t0) < 5);
	free(t);
	buf_free(&b);
}

/* Deeper than our own recursion limit: read flat, text and lines kept. */
static void
test_deep_flattened(void)
{
	struct buf b;
	char *t;

	buf_init(&b);
	buf_adds(&b, "<p>before</p>");
	repeat(&b, "<div>", 230);
	buf_adds(&b, "deep<br>text <a href=\"#\">link</a> on<p>para</p>"
	    "<script>no</script>");
	repeat(&b, "</div>", 230);
	buf_adds(&b, "<p>after</p>");
	t = html_to_text(b.data, b.len);
	EXPECT_STR(t, "before\n\ndeep\ntext link on\npara\n\nafter\n");
	free(t);
	buf_free(&b);
}

static void
test_invalid_utf8(void)
{
	static const char html[] = "<p>ab\xff\xfe" "cd \xe6\x97</p>"
	    "<p>\xc0\xaf\xed\xa0\x80 日本</p><p>\x80</p>";
	char *t = html_to_text(html, sizeof(html) - 1);

	EXPECT(utf8_valid(t, strlen(t)));
	EXPECT_CONTAINS(t, "ab\xef\xbf\xbd");
	EXPECT_CONTAINS(t, "日本\n");
	free(t);
}

static void
test_nul_bytes(void)
{
	static const char html[] = "<p>Cli\0ent: Acme</p>\0<p>after</p>";
	char *t = html_to_text(html, sizeof(html) - 1);

	EXPECT_STR(t, "Client: Acme\n\nafter\n");
	free(t);
}

/* 5 MB of text: the output stops at HTML_MAX_TEXT, in bounded time. */
static void
test_large(void)
{
	struct buf b;
	clock_t t0 = clock();
	char *t;
	size_t n;

	buf_init(&b);
	while (b.len < (5u << 20))
		buf_adds(&b, "<div>Challenge: the client closes its books by "
		    "hand &amp; it takes two weeks; 経理業務の自動化を検討中。"
		    "</div>\n");
	t = html_to_text(b.data, b.len);
	n = strlen(t);
	EXPECT(n > HTML_MAX_TEXT - 200);
	EXPECT(n <= HTML_MAX_TEXT);
	EXPECT(n > 0 && t[n - 1] == '\n');
	EXPECT(utf8_valid(t, n));
	EXPECT(seconds(t0) < 20);
	free(t);
	buf_free(&b);
}

/* Quote prefixes count too: 250 levels deep, a short line costs 500. */
static void
test_deep_quotes_bounded(void)
{
	struct buf b;
	char *t;

	buf_init(&b);
	repeat(&b, "<blockquote>", 250);
	repeat(&b, "x<br>", 800000);
	t = html_to_text(b.data, b.len);
	EXPECT(strlen(t) <= HTML_MAX_TEXT);
	EXPECT_CONTAINS(t, "> > x\n");
	free(t);
	buf_free(&b);
}

/* One unclosed tag after another: linear, not one scan per '<'. */
static void
test_unclosed_tags(void)
{
	struct buf b;
	clock_t t0 = clock();
	char *t;

	buf_init(&b);
	repeat(&b, "<o:p <![if a <!- ", 200000);
	t = html_to_text(b.data, b.len);
	EXPECT(utf8_valid(t, strlen(t)));
	EXPECT(seconds(t0) < 5);
	free(t);
	buf_free(&b);
}

/* Hostile shapes that would be slow if anything were quadratic. */
static void
test_wide_and_nested(void)
{
	struct buf b;
	clock_t t0 = clock();
	char *t;

	buf_init(&b);
	buf_adds(&b, "<table><tr>");
	repeat(&b, "<td>c</td>", 100000);
	buf_adds(&b, "</tr>");
	repeat(&b, "<tr><td>Client</td><td>Acme</td></tr>", 50000);
	buf_adds(&b, "</table>");
	repeat(&b, "<span style='mso-list:Ignore'>", 250);
	repeat(&b, "<span></span>", 100000);
	buf_adds(&b, "end");
	t = html_to_text(b.data, b.len);
	EXPECT_CONTAINS(t, "c c c c");
	EXPECT_CONTAINS(t, "\nClient: Acme\nClient: Acme\n");
	EXPECT_CONTAINS(t, "end\n");
	EXPECT(seconds(t0) < 10);
	free(t);
	buf_free(&b);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		cur = &cases[i];
		check_run(cur->name, test_case);
	}
	for (i = 0; i < nitems(samples); i++) {
		cur_sample = samples[i];
		check_run(cur_sample, test_sample);
	}
	RUN(test_empty);
	RUN(test_deep_100000);
	RUN(test_deep_flattened);
	RUN(test_invalid_utf8);
	RUN(test_nul_bytes);
	RUN(test_large);
	RUN(test_deep_quotes_bounded);
	RUN(test_unclosed_tags);
	RUN(test_wide_and_nested);
	return check_done();
}
