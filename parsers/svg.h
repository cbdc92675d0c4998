/*
 * svg: small charts drawn from labels and values, as SVG text.
 *
 * Pure: appends to a struct buf, no I/O.  The output is well-formed XML
 * meant to sit inside an HTML page, so it carries no xmlns (the HTML
 * parser supplies it, and the page then names no outside address).  Every
 * text is escaped; labels too wide for their column are shortened, with
 * the whole label in a <title>.  Values are int64 (counts, minor units,
 * fixed-point hours); a negative value is drawn as zero (a gap in a line
 * chart), and scaling never overflows.  Each mark carries
 * data-value="N" so tests, and people reading the source, get the number.
 */
#ifndef REFBOT_SVG_H
#define REFBOT_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct svg_series {
	const char *name;		/* legend text */
	const int64_t *values;		/* one per label */
	const char *const *texts;	/* shown by each mark; NULL: the number */
};

struct svg_chart {
	const char *title;		/* the chart's accessible name, or NULL */
	const char *const *labels;	/* n category labels */
	size_t n;
	const struct svg_series *series;
	size_t nseries;
	int decimals;			/* values are fixed-point with these */
	const char *empty;		/* said when there is nothing to draw */
	/* svg_line: a horizontal reference line (the SLA); < 0: none. */
	int64_t ref;
	const char *ref_text;
};

/* Horizontal bars: one group per label, one bar per series, a legend. */
void svg_bars(struct buf *, const struct svg_chart *);
/*
 * The first series as a funnel: centred bars, each stage with its share
 * of the first stage.
 */
void svg_funnel(struct buf *, const struct svg_chart *);
/*
 * The first series as points joined by a line over the labels (e.g.
 * months), with the reference line; points above it are marked "over".
 */
void svg_line(struct buf *, const struct svg_chart *);

/* Appends s escaped for XML text and attributes (bad UTF-8 replaced). */
void svg_escape(struct buf *, const char *s);
/* Appends v with thousands separators and the given decimals: 1,234.5 */
void svg_number(struct buf *, int64_t v, int decimals);
/*
 * s cut to at most width columns (East Asian wide characters count two),
 * ending in "…" when cut.  Caller frees.
 */
char *svg_shorten(const char *s, int width);

#endif
