/* htmlout: plain mail text to an e-mail-safe HTML document. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "htmlout.h"
#include "util.h"

#define FONT "font-family:Arial,'Hiragino Sans','Meiryo',sans-serif;"

void
htmlout_escape(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		default: buf_addc(b, s[i]);
		}
	}
}

/* Characters that end a link in running text. */
static size_t
link_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '<' &&
	    s[i] != '>' && s[i] != '"' && (unsigned char)s[i] < 0x80)
		i++;
	/* A sentence's full stop or comma is not part of the address. */
	while (i > 0 && strchr(".,;:)", s[i - 1]) != NULL)
		i--;
	return i;
}

/* Escaped text with its links made clickable. */
static void
add_inline(struct buf *b, const char *s, size_t n)
{
	static const char *schemes[] = { "https://", "http://", "mailto:" };
	size_t i = 0, start = 0, k, len;

	while (i < n) {
		for (k = 0; k < nitems(schemes); k++) {
			size_t sl = strlen(schemes[k]);
			if (n - i > sl && ascii_strncasecmp(s + i, schemes[k],
			    sl) == 0 && (i == 0 || s[i - 1] == ' ' ||
			    s[i - 1] == '('))
				break;
		}
		if (k == nitems(schemes) || (len = link_len(s + i, n - i)) <=
		    strlen(schemes[k])) {
			i++;
			continue;
		}
		htmlout_escape(b, s + start, i - start);
		buf_adds(b, "<a href=\"");
		htmlout_escape(b, s + i, len);
		buf_adds(b, "\" style=\"color:#1a56a0\">");
		htmlout_escape(b, s + i, len);
		buf_adds(b, "</a>");
		i += len;
		start = i;
	}
	htmlout_escape(b, s + start, n - start);
}

struct line {
	const char *s;
	size_t n;
};

static int
blank(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t')
			return 0;
	return 1;
}

/* "===" or "---" alone: the line above is a heading. */
static int
underline(const struct line *l)
{
	size_t i;

	if (l->n < 3 || (l->s[0] != '=' && l->s[0] != '-'))
		return 0;
	for (i = 0; i < l->n; i++)
		if (l->s[i] != l->s[0])
			return 0;
	return 1;
}

/* Length of a list item's bullet ("- ", "  - ", "・"), or 0. */
static size_t
bullet(const struct line *l)
{
	size_t i = 0;

	while (i < l->n && l->s[i] == ' ')
		i++;
	if (l->n - i >= 2 && l->s[i] == '-' && l->s[i + 1] == ' ')
		return i + 2;
	if (l->n - i >= 3 && memcmp(l->s + i, "\xe3\x83\xbb", 3) == 0)
		return i + 3;
	return 0;
}

/* "Label:  value": the position of the colon, or 0. */
static size_t
table_colon(const struct line *l)
{
	const char *c;

	if (l->n == 0 || l->s[0] == ' ' || bullet(l))
		return 0;
	c = memchr(l->s, ':', l->n);
	if (c == NULL || (size_t)(c - l->s) + 3 > l->n || c[1] != ' ' ||
	    c[2] != ' ')
		return 0;
	return (size_t)(c - l->s);
}

static void
trimmed(const char *s, size_t n, const char **out, size_t *outn)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*out = s;
	*outn = n;
}

char *
htmlout(const char *text, const char *title, const char *lang)
{
	struct buf b;
	struct line *lines = NULL;
	size_t nlines = 0, i, j, c;
	const char *p = text, *v;
	size_t vn;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		lines = xreallocarray(lines, nlines + 1, sizeof(*lines));
		lines[nlines].s = p;
		lines[nlines].n = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
		nlines++;
		p += n;
		if (*p == '\n')
			p++;
	}

	buf_init(&b);
	buf_addf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>", lang);
	htmlout_escape(&b, title, strlen(title));
	buf_adds(&b, "</title>\n</head>\n"
	    "<body style=\"margin:0;padding:0;background:#f3f4f6\">\n"
	    "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" "
	    "cellspacing=\"0\" style=\"background:#f3f4f6\"><tr>"
	    "<td align=\"center\" style=\"padding:16px\">\n"
	    "<table role=\"presentation\" width=\"600\" cellpadding=\"0\" "
	    "cellspacing=\"0\" style=\"width:100%;max-width:600px;"
	    "background:#ffffff;border:1px solid #dde1e6\"><tr>"
	    "<td style=\"padding:24px;" FONT "font-size:15px;"
	    "line-height:1.6;color:#1f2933\">\n");

	for (i = 0; i < nlines; ) {
		if (blank(&lines[i])) {
			i++;
			continue;
		}
		if (i + 1 < nlines && underline(&lines[i + 1]) &&
		    !underline(&lines[i])) {
			int h = lines[i + 1].s[0] == '=' ? 2 : 3;
			buf_addf(&b, "<h%d style=\"" FONT "margin:20px 0 8px;"
			    "font-size:%s;color:#0b3d6e\">", h,
			    h == 2 ? "20px" : "17px");
			trimmed(lines[i].s, lines[i].n, &v, &vn);
			add_inline(&b, v, vn);
			buf_addf(&b, "</h%d>\n", h);
			i += 2;
			continue;
		}
		if (bullet(&lines[i])) {
			buf_adds(&b, "<ul style=\"margin:0 0 12px;"
			    "padding-left:22px\">\n");
			while (i < nlines && (c = bullet(&lines[i])) != 0) {
				buf_adds(&b, "<li>");
				add_inline(&b, lines[i].s + c, lines[i].n - c);
				/* Indented continuation lines of the item. */
				for (i++; i < nlines && !blank(&lines[i]) &&
				    !bullet(&lines[i]) && lines[i].s[0] == ' ';
				    i++) {
					buf_adds(&b, "<br>");
					trimmed(lines[i].s, lines[i].n, &v, &vn);
					add_inline(&b, v, vn);
				}
				buf_adds(&b, "</li>\n");
			}
			buf_adds(&b, "</ul>\n");
			continue;
		}
		if (table_colon(&lines[i])) {
			buf_adds(&b, "<table role=\"presentation\" "
			    "cellpadding=\"4\" cellspacing=\"0\" "
			    "style=\"border-collapse:collapse;margin:0 0 12px;"
			    FONT "font-size:15px\">\n");
			for (; i < nlines && (c = table_colon(&lines[i])) != 0;
			    i++) {
				buf_adds(&b, "<tr><td style=\"padding:4px 16px "
				    "4px 0;color:#52606d\">");
				trimmed(lines[i].s, c, &v, &vn);
				add_inline(&b, v, vn);
				buf_adds(&b, "</td><td style=\"padding:4px 0;"
				    "font-weight:bold;text-align:right\">");
				trimmed(lines[i].s + c + 1, lines[i].n - c - 1,
				    &v, &vn);
				add_inline(&b, v, vn);
				buf_adds(&b, "</td></tr>\n");
			}
			buf_adds(&b, "</table>\n");
			continue;
		}
		/* A paragraph: up to a blank line or another block. */
		buf_adds(&b, "<p style=\"margin:0 0 12px\">");
		for (j = i; i < nlines && !blank(&lines[i]) &&
		    !bullet(&lines[i]) && !table_colon(&lines[i]) &&
		    !(i + 1 < nlines && underline(&lines[i + 1])); i++) {
			if (i > j)
				buf_adds(&b, "<br>\n");
			add_inline(&b, lines[i].s, lines[i].n);
		}
		if (i == j) {	/* a stray underline: keep it as text */
			add_inline(&b, lines[i].s, lines[i].n);
			i++;
		}
		buf_adds(&b, "</p>\n");
	}
	buf_adds(&b, "</td></tr></table>\n</td></tr></table>\n</body>\n"
	    "</html>\n");
	free(lines);
	return buf_steal(&b);
}
