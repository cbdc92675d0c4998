/*
 * html: HTML mail bodies to plain text, through libxml2's HTML parser.
 *
 * What the rest of refbot needs is lines: form_read() takes "Label:
 * value" lines, the reply stripper "> " lines and "-- ".  So blocks end
 * lines, a table row becomes one line, and quoted mail is prefixed the
 * way a plain-text client would do it.  The text is bounded
 * (HTML_MAX_TEXT) and so is our recursion (HTML_MAX_DEPTH); below that
 * depth the tree is read flat, without recursion.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "html.h"
#include "html_int.h"
#include "util.h"

/* The caller caps mail at 25 MB; this only keeps the size an int. */
#define HTML_MAX_INPUT	(32u << 20)
#define HTML_MAX_DEPTH	200

/*
 * No NOBLANKS: it drops the " " in "<b>a</b> <i>b</i>".  NONET although
 * the HTML parser loads nothing today; IGNORE_ENC because the caller has
 * converted the body already and its <meta charset> is stale.
 */
#define HTML_OPTIONS	(HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
	HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC)

enum kind {
	K_INLINE,
	K_SKIP,		/* never shown: <head>, <script>, <style> ... */
	K_BLOCK,	/* on lines of its own */
	K_PARA,		/* a block with a blank line around it */
	K_BR,
	K_HR,
	K_PRE,
	K_QUOTE,
	K_UL,
	K_OL,
	K_LI,
	K_ROW,
	K_LINK,
};

static const struct {
	const char *name;
	enum kind kind;
} tags[] = {
	{ "a", K_LINK }, { "address", K_BLOCK }, { "article", K_BLOCK },
	{ "aside", K_BLOCK }, { "blockquote", K_QUOTE }, { "body", K_BLOCK },
	{ "br", K_BR }, { "caption", K_BLOCK }, { "center", K_BLOCK },
	{ "dd", K_BLOCK }, { "details", K_BLOCK }, { "dir", K_UL },
	{ "div", K_BLOCK }, { "dl", K_BLOCK }, { "dt", K_BLOCK },
	{ "fieldset", K_BLOCK }, { "figcaption", K_BLOCK },
	{ "figure", K_BLOCK }, { "footer", K_BLOCK }, { "form", K_BLOCK },
	{ "h1", K_PARA }, { "h2", K_PARA }, { "h3", K_PARA },
	{ "h4", K_PARA }, { "h5", K_PARA }, { "h6", K_PARA },
	{ "head", K_SKIP }, { "header", K_BLOCK }, { "hr", K_HR },
	{ "iframe", K_SKIP }, { "legend", K_BLOCK }, { "li", K_LI },
	{ "listing", K_PRE }, { "main", K_BLOCK }, { "menu", K_UL },
	{ "nav", K_BLOCK }, { "object", K_SKIP }, { "ol", K_OL },
	{ "p", K_PARA }, { "plaintext", K_PRE }, { "pre", K_PRE },
	{ "script", K_SKIP }, { "section", K_BLOCK }, { "style", K_SKIP },
	{ "summary", K_BLOCK }, { "svg", K_SKIP }, { "table", K_BLOCK },
	{ "tbody", K_BLOCK }, { "td", K_BLOCK }, { "template", K_SKIP },
	{ "tfoot", K_BLOCK }, { "th", K_BLOCK }, { "thead", K_BLOCK },
	{ "title", K_SKIP }, { "tr", K_ROW }, { "ul", K_UL },
	{ "xml", K_SKIP }, { "xmp", K_PRE },
};

static void node(struct conv *, xmlNode *, int);
static void walk(struct conv *, xmlNode *, int);

static enum kind
kind_of(const xmlNode *n)
{
	size_t i;

	if (n->name == NULL)
		return K_INLINE;
	for (i = 0; i < nitems(tags); i++)
		if (strcmp((const char *)n->name, tags[i].name) == 0)
			return tags[i].kind;
	return K_INLINE;
}

/*
 * Errors raised outside a parser context (out of memory, say) go to the
 * generic handler, which prints to stderr; NOERROR does not cover them.
 */
static void
quiet(void *ctx, const char *fmt, ...)
{
}

/* An attribute's value as libxml2 holds it (one text node), or NULL. */
static const char *
attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a != NULL; a = a->next) {
		if (a->name == NULL ||
		    ascii_strcasecmp((const char *)a->name, name) != 0)
			continue;
		if (a->children != NULL && a->children->type == XML_TEXT_NODE &&
		    a->children->content != NULL)
			return (const char *)a->children->content;
		return "";
	}
	return NULL;
}

/* Whether a class attribute lists this class. */
static int
has_class(const char *list, const char *name)
{
	size_t n = strlen(name), k;

	while (list != NULL && *list != '\0') {
		while (is_ws(*list))
			list++;
		for (k = 0; list[k] != '\0' && !is_ws(list[k]); k++)
			;
		if (k == n && strncmp(list, name, n) == 0)
			return 1;
		list += k;
	}
	return 0;
}

/*
 * Whether a style attribute sets prop to a value starting with val,
 * ignoring case and spaces: "Margin: 0cm" has margin 0, "margin:0.5em"
 * does not.
 */
static int
style_has(const char *style, const char *prop, const char *val)
{
	struct buf b;
	char *want, *p;
	int found = 0;

	if (style == NULL)
		return 0;
	buf_init(&b);
	buf_addc(&b, ';');
	for (; *style != '\0'; style++)
		if (!is_ws(*style))
			buf_addc(&b, *style >= 'A' && *style <= 'Z' ?
			    (char)(*style - 'A' + 'a') : *style);
	want = xasprintf(";%s:%s", prop, val);
	for (p = b.data; !found && (p = strstr(p, want)) != NULL; p++) {
		char next = p[strlen(want)];

		found = !(next >= '0' && next <= '9') && next != '.';
	}
	free(want);
	buf_free(&b);
	return found;
}

/*
 * Word's paragraphs (class Mso*) and ones styled without margins sit
 * flush in the mail client; a blank line around them would split a
 * value that continues on the next line.
 */
static int
flush_para(const xmlNode *n)
{
	const char *cls = attr(n, "class"), *style = attr(n, "style");

	if (cls != NULL && ascii_strncasecmp(cls, "mso", 3) == 0)
		return 1;
	return style_has(style, "margin", "0") ||
	    style_has(style, "margin-bottom", "0");
}

/*
 * Word writes a list item's bullet as a Symbol or Wingdings glyph ("·",
 * "o", "§" ...) in a span styled mso-list:Ignore.  Those read as "-";
 * numbers ("1.", "a)") are kept as they are.
 */
static int
word_bullet(xmlNode *span)
{
	static const char *glyphs[] = {
		"\xc2\xb7", "o", "\xc2\xa7", "\xe2\x80\xa2", "\xe2\x96\xaa",
		"\xef\x82\xb7", "\xc3\x98", "\xc3\xbc", "-",
	};
	char got[16] = "";
	size_t len = 0, seen = 0, i;
	int visits = 0;
	xmlNode *n = span->children;
	const char *s;

	/*
	 * The span is tiny (the glyph, then spaces and &nbsp;s), so looking
	 * no further than a few nodes and bytes keeps nested spans linear.
	 */
	while (n != NULL) {
		if (++visits > 8)
			return 0;
		s = n->type == XML_TEXT_NODE ? (const char *)n->content : NULL;
		for (; s != NULL && *s != '\0'; s++) {
			if (++seen > 256 || len + 1 >= sizeof(got))
				return 0;
			if (is_nbsp(s))
				s++;
			else if (!is_ws(*s))
				got[len++] = *s;
		}
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != span && n->next == NULL)
			n = n->parent;
		n = n != span ? n->next : NULL;
	}
	for (i = 0; i < nitems(glyphs); i++)
		if (strlen(glyphs[i]) == len && memcmp(got, glyphs[i], len) == 0)
			return 1;
	return 0;
}

/* Outlook's reply header: everything from here on is earlier mail. */
static int
reply_header(const xmlNode *n)
{
	static const char *ids[] = {
		"divRplyFwdMsg", "appendonsend",
		"mail-editor-reference-message-container",
	};
	const char *id = attr(n, "id");
	size_t i;

	for (i = 0; id != NULL && i < nitems(ids); i++)
		if (strcmp(id, ids[i]) == 0)
			return 1;
	return 0;
}

static const char *
skip_scheme(const char *s)
{
	static const char *schemes[] = {
		"mailto:", "http://", "https://", "tel:",
	};
	size_t i, n;

	for (i = 0; i < nitems(schemes); i++) {
		n = strlen(schemes[i]);
		if (ascii_strncasecmp(s, schemes[i], n) == 0)
			return s + n;
	}
	return s;
}

/* Whether a link's text already shows where it goes. */
static int
same_url(const char *text, const char *href)
{
	const char *a = skip_scheme(text), *b = skip_scheme(href);
	size_t na = strlen(a), nb = strlen(b);

	if (na > 0 && a[na - 1] == '/')
		na--;
	if (nb > 0 && b[nb - 1] == '/')
		nb--;
	return na == nb && ascii_strncasecmp(a, b, na) == 0;
}

/* Addresses that mean nothing to the reader. */
static int
hidden_url(const char *href)
{
	static const char *hidden[] = {
		"#", "javascript:", "data:", "cid:", "about:",
	};
	size_t i;

	if (*href == '\0')
		return 1;
	for (i = 0; i < nitems(hidden); i++)
		if (ascii_strncasecmp(href, hidden[i], strlen(hidden[i])) == 0)
			return 1;
	return 0;
}

/* A link keeps its text, and its address when the text does not say it. */
static void
anchor(struct conv *st, xmlNode *a, int depth)
{
	const char *href = attr(a, "href");
	size_t start = st->line.len, nlines = st->nlines;
	const char *shown;

	walk(st, a->children, depth + 1);
	if (href == NULL || hidden_url(href) || st->lim->full)
		return;
	if (st->nlines == nlines && st->line.len >= start) {
		shown = st->line.len > 0 ? st->line.data + start : "";
		if (*shown == ' ')
			shown++;
		/* An image link, or one that reads as its own address. */
		if (*shown == '\0' || same_url(shown, href))
			return;
	}
	text(st, " (");
	text(st, href);
	text(st, ")");
}

/* Whether a cell reads like a form label: short, one phrase, no value. */
static int
label_like(const char *s, size_t n)
{
	size_t i, chars = 0;

	if (n == 0 || n > 240)
		return 0;
	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
		if (s[i] == ':' && i + 1 < n)
			return 0;
		if (i + 3 < n && memcmp(s + i, "：", 3) == 0)
			return 0;
	}
	if (chars > 60 || s[n - 1] == '.' || s[n - 1] == '!' ||
	    s[n - 1] == '?' || (n >= 3 && memcmp(s + n - 3, "。", 3) == 0))
		return 0;
	return 1;
}

/* Writes a cell's lines (each ending "\n") as lines of st. */
static void
put_lines(struct conv *st, const char *s)
{
	const char *nl;

	for (; *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		if (nl == s)
			blank(st);
		else
			emit(st, s, (size_t)(nl - s));
	}
}

struct cell {
	char *text;		/* lines, each ending "\n" */
	int th;
};

/*
 * A table row is one line: its cells joined by spaces, or "Label: value"
 * when a two-cell row starts with something that reads like a label
 * (forms in Outlook and in Japanese business mail are tables).  Cells
 * that hold several lines are written one after another.
 */
static void
row(struct conv *st, xmlNode *tr, int depth)
{
	struct cell *cells = NULL;
	size_t ncells = 0, cap = 0, i;
	int single = 1, quoted = 0;
	xmlNode *c;
	struct buf b;

	for (c = tr->children; c != NULL && !st->lim->full; c = c->next) {
		struct conv sub;
		char *s;

		conv_init(&sub, st->lim, st->pre);
		node(&sub, c, depth + 1);
		end_line(&sub, 0);
		buf_free(&sub.line);
		quoted |= sub.quoted;
		s = buf_steal(&sub.out);
		if (*s == '\0') {
			free(s);
			continue;
		}
		if (ncells == cap) {
			cap = cap > 0 ? 2 * cap : 8;
			cells = xreallocarray(cells, cap, sizeof(*cells));
		}
		cells[ncells].text = s;
		cells[ncells].th = c->name != NULL &&
		    strcmp((const char *)c->name, "th") == 0;
		if (strchr(s, '\n')[1] != '\0')
			single = 0;
		ncells++;
	}

	end_line(st, 0);
	buf_init(&b);
	if (ncells == 2 && !cells[1].th &&
	    strchr(cells[0].text, '\n')[1] == '\0' &&
	    label_like(cells[0].text, strlen(cells[0].text) - 1)) {
		const char *label = cells[0].text, *value = cells[1].text;
		const char *nl = strchr(value, '\n');
		size_t n = strlen(label) - 1;

		buf_add(&b, label, n);
		if (label[n - 1] == ':')
			buf_addc(&b, ' ');
		else if (n < 3 || memcmp(label + n - 3, "：", 3) != 0)
			buf_adds(&b, ": ");
		buf_add(&b, value, (size_t)(nl - value));
		emit(st, b.data, b.len);
		put_lines(st, nl + 1);
	} else if (single) {
		for (i = 0; i < ncells; i++) {
			if (i > 0)
				buf_addc(&b, ' ');
			buf_add(&b, cells[i].text, strlen(cells[i].text) - 1);
		}
		if (b.len > 0)
			emit(st, b.data, b.len);
	} else {
		for (i = 0; i < ncells; i++)
			put_lines(st, cells[i].text);
	}
	buf_free(&b);
	for (i = 0; i < ncells; i++)
		free(cells[i].text);
	free(cells);
	if (quoted && level(st) == 0)
		st->quoted = 1;
}

/* Whether a flattened element still ends a line. */
static int
breaks(const xmlNode *n)
{
	enum kind k = n->type == XML_ELEMENT_NODE ? kind_of(n) : K_INLINE;

	return k != K_INLINE && k != K_LINK && k != K_SKIP;
}

/*
 * Past HTML_MAX_DEPTH the tree is read without recursion, as text and
 * line breaks only.  (libxml2 2.9 stops parsing at depth 256 anyway, but
 * that is its limit, not ours.)
 */
static void
flatten(struct conv *st, xmlNode *top)
{
	xmlNode *n = top;

	while (!st->lim->full) {
		if (n->type == XML_TEXT_NODE && n->content != NULL)
			text(st, (const char *)n->content);
		else if (breaks(n))
			end_line(st, kind_of(n) == K_BR);
		if (n->type == XML_ELEMENT_NODE && kind_of(n) != K_SKIP &&
		    n->children != NULL) {
			n = n->children;
			continue;
		}
		/* Up to the next unvisited node, ending blocks on the way. */
		for (;;) {
			if (breaks(n))
				end_line(st, 0);
			if (n == top)
				return;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
}

static void
element(struct conv *st, xmlNode *n, int depth)
{
	enum kind k = kind_of(n);
	const char *style = attr(n, "style");
	int para, marked, saved;
	xmlNode *child = n->children;

	if (k == K_SKIP || style_has(style, "display", "none"))
		return;
	if (style_has(style, "mso-list", "ignore") && word_bullet(n)) {
		text(st, "- ");
		return;
	}
	switch (k) {
	case K_BR:
		end_line(st, 1);
		return;
	case K_HR:
		end_line(st, 0);
		emit(st, "----", 4);
		return;
	case K_ROW:
		row(st, n, depth);
		return;
	case K_LINK:
		anchor(st, n, depth);
		return;
	default:
		break;
	}

	para = (k == K_PARA && !flush_para(n)) || k == K_PRE;
	if (k != K_INLINE)
		end_line(st, 0);
	if (para)
		blank(st);
	if (level(st) == 0 && reply_header(n))
		st->quoted = 1;
	marked = has_class(attr(n, "class"), "gmail_quote") ||
	    has_class(attr(n, "class"), "yahoo_quoted");
	st->marked += marked;

	saved = st->item;
	switch (k) {
	case K_QUOTE:
		st->bq++;
		break;
	case K_PRE:
		st->pre++;
		/* As in a browser, a line feed right after <pre> is not shown. */
		if (child != NULL && child->type == XML_TEXT_NODE &&
		    child->content != NULL && child->content[0] == '\n') {
			text(st, (const char *)child->content + 1);
			child = child->next;
		}
		break;
	case K_UL:
	case K_OL:
		st->item = k == K_OL;
		break;
	case K_LI:
		if (st->item > 0)
			snprintf(st->mark, sizeof(st->mark), "%d. ",
			    st->item++);
		else
			snprintf(st->mark, sizeof(st->mark), "- ");
		break;
	default:
		break;
	}

	walk(st, child, depth + 1);

	if (k != K_INLINE)
		end_line(st, 0);
	switch (k) {
	case K_QUOTE:
		st->bq--;
		break;
	case K_PRE:
		st->pre--;
		break;
	case K_UL:
	case K_OL:
		st->item = saved;
		break;
	case K_LI:
		st->mark[0] = '\0';	/* an empty item shows nothing */
		break;
	default:
		break;
	}
	if (para)
		blank(st);
	st->marked -= marked;
}

/* Comments, processing instructions and the doctype show nothing. */
static void
node(struct conv *st, xmlNode *n, int depth)
{
	if (n->type == XML_TEXT_NODE && n->content != NULL)
		text(st, (const char *)n->content);
	else if (n->type == XML_ELEMENT_NODE && depth >= HTML_MAX_DEPTH)
		flatten(st, n);
	else if (n->type == XML_ELEMENT_NODE)
		element(st, n, depth);
}

static void
walk(struct conv *st, xmlNode *n, int depth)
{
	for (; n != NULL && !st->lim->full; n = n->next)
		node(st, n, depth);
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* <![if ...]>, <![endif]>, and tags with a prefix: <o:p>, </st1:place>. */
static int
droppable(const char *t)
{
	const char *p = t + 1;

	if (strncmp(p, "![", 2) == 0)
		return ascii_strncasecmp(p + 2, "if", 2) == 0 ||
		    ascii_strncasecmp(p + 2, "endif", 5) == 0;
	if (*p == '/')
		p++;
	if (!is_alpha(*p))
		return 0;
	while (is_alpha(*p) || (*p >= '0' && *p <= '9') || *p == '-' ||
	    *p == '_')
		p++;
	return *p == ':';
}

/*
 * Two things libxml2 gets wrong for mail are fixed on the bytes: Word's
 * <![if !supportLists]> ... <![endif]> markers would be kept as text,
 * and prefixed tags lose their prefix, so Word's <o:p> becomes a real
 * <p>.  Both are dropped, keeping what they enclose.  Comments are copied
 * whole: the <![endif]> in <!--[if mso]>...<![endif]--> is theirs.
 */
static void
prefilter(const char *s, struct buf *out)
{
	const char *lt, *end;

	while ((lt = strchr(s, '<')) != NULL) {
		buf_add(out, s, (size_t)(lt - s));
		if (strncmp(lt, "<!--", 4) == 0) {
			if ((end = strstr(lt + 4, "-->")) == NULL)
				break;
			buf_add(out, lt, (size_t)(end + 3 - lt));
			s = end + 3;
		} else if (droppable(lt)) {
			if ((end = strchr(lt, '>')) == NULL)
				break;
			s = end + 1;
		} else {
			buf_addc(out, '<');
			s = lt + 1;
		}
	}
	buf_adds(out, lt != NULL ? lt : s);
}

char *
html_to_text(const char *html, size_t len)
{
	struct limit lim = { HTML_MAX_TEXT, 0 };
	struct conv st;
	struct buf in;
	htmlDocPtr doc = NULL;
	char *clean;

	if (len > HTML_MAX_INPUT)
		len = HTML_MAX_INPUT;
	clean = utf8_sanitize(html, len);
	buf_init(&in);
	prefilter(clean, &in);
	free(clean);

	xmlSetGenericErrorFunc(NULL, quiet);
	if (in.len > 0)
		doc = htmlReadMemory(in.data, (int)in.len, NULL, "UTF-8",
		    HTML_OPTIONS);
	buf_free(&in);

	conv_init(&st, &lim, 0);
	if (doc != NULL) {
		walk(&st, doc->children, 0);
		xmlFreeDoc(doc);
	}
	end_line(&st, 0);
	buf_free(&st.line);
	return buf_steal(&st.out);
}
