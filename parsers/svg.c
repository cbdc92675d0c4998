/* svg: bar, funnel and line charts as SVG text for the scorecard page. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

/* Readable for the common kinds of colour blindness (Okabe and Ito). */
static const char *const palette[] = { "#0072B2", "#E69F00", "#009E73",
    "#CC79A7", "#56B4E9", "#F0E442" };
#define OVER_COLOUR "#D55E00"
#define INK "#222"
#define GRID "#999"

#define WIDTH 640
#define LABEL_COLS 24		/* what fits the label column at 12px */

void
svg_escape(struct buf *b, const char *s)
{
	char *clean = NULL;
	const unsigned char *p;

	if (s == NULL)
		return;
	if (!utf8_valid(s, strlen(s)))
		s = clean = utf8_sanitize(s, strlen(s));
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default:
			/* XML 1.0 has no place for most control characters. */
			buf_addc(b, *p < 0x20 ? ' ' : (char)*p);
		}
	}
	free(clean);
}

void
svg_number(struct buf *b, int64_t v, int decimals)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t div = 1, whole, frac;
	char digits[32];
	int i, n;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	for (i = 0; i < decimals; i++)
		div *= 10;
	whole = mag / div;
	frac = mag % div;
	n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)whole);
	if (v < 0)
		buf_addc(b, '-');
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, digits[i]);
	}
	if (decimals > 0)
		buf_addf(b, ".%0*llu", decimals, (unsigned long long)frac);
}

/* The code point at p (valid UTF-8) and its length in bytes. */
static uint32_t
utf8_next(const unsigned char *p, size_t *len)
{
	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		*len = 2;
		return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	}
	if ((p[0] & 0xf0) == 0xe0) {
		*len = 3;
		return (uint32_t)(p[0] & 0x0f) << 12 |
		    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	*len = 4;
	return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
	    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
}

/* Columns a character takes: two for East Asian wide forms. */
static int
columns(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd) ?
	    2 : 1;
}

char *
svg_shorten(const char *s, int width)
{
	char *clean = utf8_sanitize(s, strlen(s)), *out;
	const unsigned char *p = (const unsigned char *)clean;
	size_t len, i, cut = 0;
	int total = 0;

	for (i = 0; p[i] != '\0'; i += len) {
		total += columns(utf8_next(p + i, &len));
		/* The cut leaves one column for the ellipsis. */
		if (total <= width - 1)
			cut = i + len;
	}
	if (total <= width)
		return clean;
	out = xasprintf("%.*s\xe2\x80\xa6", (int)cut, clean);
	free(clean);
	return out;
}

/* A coordinate with one decimal, the same in every locale. */
static void
coord(struct buf *b, double x)
{
	long long t = llround(x * 10);

	if (t < 0) {
		buf_addc(b, '-');
		t = -t;
	}
	buf_addf(b, "%lld.%lld", t / 10, t % 10);
}

/* v's share of len when max fills it; 0 for nothing or negatives. */
static double
scaled(int64_t v, int64_t max, double len)
{
	if (v <= 0 || max <= 0)
		return 0;
	return (double)v / (double)max * len;
}

static int64_t
chart_max(const struct svg_chart *c, size_t nseries)
{
	int64_t max = 0;
	size_t s, i;

	for (s = 0; s < nseries && s < c->nseries; s++)
		for (i = 0; i < c->n; i++)
			if (c->series[s].values[i] > max)
				max = c->series[s].values[i];
	return max;
}

static void
open_svg(struct buf *b, const char *kind, const struct svg_chart *c,
    double height)
{
	buf_addf(b, "<svg class=\"chart %s\" viewBox=\"0 0 %d ", kind, WIDTH);
	coord(b, height);
	buf_addf(b, "\" width=\"%d\" height=\"", WIDTH);
	coord(b, height);
	buf_adds(b, "\" role=\"img\" font-size=\"12\">");
	if (c->title != NULL) {
		buf_adds(b, "<title>");
		svg_escape(b, c->title);
		buf_adds(b, "</title>");
	}
}

/* <text ...> opened at (x, y) in ink; the caller writes the rest. */
static void
text_fill(struct buf *b, double x, double y, const char *anchor,
    const char *fill)
{
	buf_adds(b, "<text x=\"");
	coord(b, x);
	buf_adds(b, "\" y=\"");
	coord(b, y);
	buf_addf(b, "\" text-anchor=\"%s\" fill=\"%s\"", anchor, fill);
}

static void
text_at(struct buf *b, double x, double y, const char *anchor)
{
	text_fill(b, x, y, anchor, INK);
}

/* A category label, shortened to its column with the whole in a title. */
static void
label(struct buf *b, double x, double y, const char *anchor, const char *s,
    int width)
{
	char *shortened = svg_shorten(s != NULL ? s : "", width);

	text_at(b, x, y, anchor);
	buf_adds(b, " class=\"label\">");
	if (strcmp(shortened, s != NULL ? s : "") != 0) {
		buf_adds(b, "<title>");
		svg_escape(b, s);
		buf_adds(b, "</title>");
	}
	svg_escape(b, shortened);
	buf_adds(b, "</text>");
	free(shortened);
}

static void
value_text(struct buf *b, const struct svg_chart *c,
    const struct svg_series *s, size_t i)
{
	if (s->texts != NULL && s->texts[i] != NULL)
		svg_escape(b, s->texts[i]);
	else
		svg_number(b, s->values[i], c->decimals);
}

/* <rect ...> opened; the caller adds attributes and closes it. */
static void
rect(struct buf *b, double x, double y, double w, double h,
    const char *fill)
{
	buf_adds(b, "<rect x=\"");
	coord(b, x);
	buf_adds(b, "\" y=\"");
	coord(b, y);
	buf_adds(b, "\" width=\"");
	coord(b, w);
	buf_adds(b, "\" height=\"");
	coord(b, h);
	buf_addf(b, "\" fill=\"%s\"", fill);
}

/* <line ...> opened from (x1, y1) to (x2, y2); the caller closes it. */
static void
line_open(struct buf *b, double x1, double y1, double x2, double y2)
{
	buf_adds(b, "<line x1=\"");
	coord(b, x1);
	buf_adds(b, "\" y1=\"");
	coord(b, y1);
	buf_adds(b, "\" x2=\"");
	coord(b, x2);
	buf_adds(b, "\" y2=\"");
	coord(b, y2);
	buf_addc(b, '"');
}

/* Columns the text takes, for placing what follows it. */
static int
text_columns(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len, i;
	int n = 0;

	for (i = 0; p[i] != '\0'; i += len)
		n += columns(utf8_next(p + i, &len));
	return n;
}

/* The height of v in a plot from bottom up to top, where ymax is top. */
static double
ypos(int64_t v, double ymax, double top, double bottom)
{
	return bottom - (v > 0 ? (double)v : 0) / ymax * (bottom - top);
}

/* Nothing to draw: a short chart that says so. */
static void
empty_chart(struct buf *b, const char *kind, const struct svg_chart *c)
{
	open_svg(b, kind, c, 40);
	text_at(b, WIDTH / 2.0, 25, "middle");
	buf_adds(b, " class=\"empty\">");
	svg_escape(b, c->empty != NULL ? c->empty : "-");
	buf_adds(b, "</text></svg>");
}

static void
legend(struct buf *b, const struct svg_chart *c, double x)
{
	size_t s;

	for (s = 0; s < c->nseries; s++) {
		rect(b, x, 6, 12, 12, palette[s % nitems(palette)]);
		buf_adds(b, " class=\"key\"/>");
		text_at(b, x + 16, 16, "start");
		buf_adds(b, " class=\"legend\">");
		svg_escape(b, c->series[s].name);
		buf_adds(b, "</text>");
		x += 32 + 7 * (double)text_columns(c->series[s].name);
	}
}

void
svg_bars(struct buf *b, const struct svg_chart *c)
{
	const double lw = 180, vw = 130, bw = WIDTH - lw - vw, bar = 16;
	double top = c->nseries > 1 ? 28 : 8, group, y, w;
	int64_t max = chart_max(c, c->nseries);
	size_t i, s;

	if (c->n == 0 || c->nseries == 0) {
		empty_chart(b, "bars", c);
		return;
	}
	group = (double)c->nseries * (bar + 2) + 10;
	open_svg(b, "bars", c, top + (double)c->n * group + 4);
	if (c->nseries > 1)
		legend(b, c, lw);
	line_open(b, lw, top - 4, lw, top + (double)c->n * group - 6);
	buf_adds(b, " stroke=\"" GRID "\"/>");
	for (i = 0; i < c->n; i++) {
		y = top + (double)i * group;
		label(b, lw - 8, y + (double)c->nseries * (bar + 2) / 2 + 4,
		    "end", c->labels[i], LABEL_COLS);
		for (s = 0; s < c->nseries; s++) {
			w = scaled(c->series[s].values[i], max, bw);
			rect(b, lw, y, w, bar, palette[s % nitems(palette)]);
			buf_addf(b, " class=\"bar s%zu\" data-value=\"%lld\">"
			    "<title>", s, (long long)c->series[s].values[i]);
			svg_escape(b, c->labels[i]);
			buf_adds(b, ": ");
			svg_escape(b, c->series[s].name);
			buf_adds(b, " ");
			value_text(b, c, &c->series[s], i);
			buf_adds(b, "</title></rect>");
			text_at(b, lw + w + 6, y + bar - 4, "start");
			buf_adds(b, " font-size=\"11\" class=\"value\">");
			value_text(b, c, &c->series[s], i);
			buf_adds(b, "</text>");
			y += bar + 2;
		}
	}
	buf_adds(b, "</svg>");
}

void
svg_funnel(struct buf *b, const struct svg_chart *c)
{
	const double lw = 130, vw = 150, bw = WIDTH - lw - vw, bar = 30;
	const double cx = lw + bw / 2;
	const struct svg_series *s;
	int64_t max, first;
	double y, w;
	size_t i;

	if (c->n == 0 || c->nseries == 0) {
		empty_chart(b, "funnel", c);
		return;
	}
	s = &c->series[0];
	max = chart_max(c, 1);
	first = s->values[0];
	open_svg(b, "funnel", c, 8 + (double)c->n * (bar + 6));
	for (i = 0; i < c->n; i++) {
		y = 8 + (double)i * (bar + 6);
		w = scaled(s->values[i], max, bw);
		label(b, lw - 8, y + bar / 2 + 4, "end", c->labels[i], 16);
		rect(b, cx - w / 2, y, w, bar, palette[0]);
		buf_addf(b, " class=\"stage\" data-value=\"%lld\"/>",
		    (long long)s->values[i]);
		text_at(b, lw + bw + 8, y + bar / 2 + 4, "start");
		buf_adds(b, " class=\"value\">");
		value_text(b, c, s, i);
		/* The share of the first stage, which every stage came from. */
		if (i > 0 && first > 0) {
			double pct = (s->values[i] > 0 ? (double)s->values[i] :
			    0) * 100.0 / (double)first;
			buf_addf(b, " (%lld%%)", (long long)floor(pct));
		}
		buf_adds(b, "</text>");
	}
	buf_adds(b, "</svg>");
}

void
svg_line(struct buf *b, const struct svg_chart *c)
{
	const double left = 64, right = WIDTH - 96, top = 16, height = 250;
	const double bottom = height - 40;
	const struct svg_series *s;
	double ymax, x, y, step;
	int64_t max;
	size_t i, j, k, every, points = 0;

	if (c->n == 0 || c->nseries == 0) {
		empty_chart(b, "line", c);
		return;
	}
	s = &c->series[0];
	max = chart_max(c, 1);
	if (c->ref > max)
		max = c->ref;
	ymax = max > 0 ? (double)max * 1.15 : 1;
	open_svg(b, "line", c, height);
	/* Grid lines at quarters of the scale, labelled in the unit. */
	for (i = 0; i <= 4; i++) {
		y = bottom - (bottom - top) * (double)i / 4;
		line_open(b, left, y, right, y);
		buf_addf(b, " stroke=\"%s\" stroke-width=\"%s\"/>",
		    i ? "#ddd" : GRID, i ? "0.5" : "1");
		text_at(b, left - 6, y + 4, "end");
		buf_adds(b, " font-size=\"10\" class=\"tick\">");
		svg_number(b, (int64_t)llround(ymax * (double)i / 4),
		    c->decimals);
		buf_adds(b, "</text>");
	}
	step = (right - left) / (double)c->n;
	every = c->n / 12 + 1;
	for (i = 0; i < c->n; i++)
		if (i % every == 0)
			label(b, left + step * ((double)i + 0.5), bottom + 18,
			    "middle", c->labels[i], 10);
	if (c->ref >= 0) {
		y = ypos(c->ref, ymax, top, bottom);
		line_open(b, left, y, right, y);
		buf_addf(b, " class=\"ref\" stroke=\"" OVER_COLOUR "\" "
		    "stroke-width=\"1.5\" "
		    "stroke-dasharray=\"6 4\" data-value=\"%lld\"/>",
		    (long long)c->ref);
		text_fill(b, right + 6, y + 4, "start", OVER_COLOUR);
		buf_adds(b, " class=\"ref-text\">");
		svg_escape(b, c->ref_text);
		buf_adds(b, "</text>");
	}
	/* One polyline per run of labels that have a value. */
	for (i = 0; i < c->n; i = j) {
		if (s->values[i] < 0) {
			j = i + 1;
			continue;
		}
		for (j = i; j < c->n && s->values[j] >= 0; j++)
			;
		if (j - i < 2)
			continue;
		buf_addf(b, "<polyline fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"2\" points=\"", palette[0]);
		for (k = i; k < j; k++) {
			if (k > i)
				buf_addc(b, ' ');
			coord(b, left + step * ((double)k + 0.5));
			buf_addc(b, ',');
			coord(b, ypos(s->values[k], ymax, top, bottom));
		}
		buf_adds(b, "\"/>");
	}
	for (i = 0; i < c->n; i++) {
		int over;

		if (s->values[i] < 0)
			continue;
		over = c->ref >= 0 && s->values[i] > c->ref;
		points++;
		x = left + step * ((double)i + 0.5);
		y = ypos(s->values[i], ymax, top, bottom);
		buf_adds(b, "<circle cx=\"");
		coord(b, x);
		buf_adds(b, "\" cy=\"");
		coord(b, y);
		buf_addf(b, "\" r=\"4\" fill=\"%s\" class=\"point%s\" "
		    "data-value=\"%lld\"><title>", over ? OVER_COLOUR :
		    palette[0], over ? " over" : "", (long long)s->values[i]);
		svg_escape(b, c->labels[i]);
		buf_adds(b, ": ");
		value_text(b, c, s, i);
		buf_adds(b, "</title></circle>");
		if (c->n <= 24) {
			text_at(b, x, y - 8, "middle");
			buf_adds(b, " font-size=\"10\" class=\"value\">");
			value_text(b, c, s, i);
			buf_adds(b, "</text>");
		}
	}
	if (points == 0) {
		text_at(b, (left + right) / 2, (top + bottom) / 2, "middle");
		buf_adds(b, " class=\"empty\">");
		svg_escape(b, c->empty != NULL ? c->empty : "-");
		buf_adds(b, "</text>");
	}
	buf_adds(b, "</svg>");
}
