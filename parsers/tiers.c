/* tiers: the tiers file's rows, and which one a partner's year meets. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commission.h"
#include "tiers.h"
#include "util.h"

#define ARROW "\xe2\x86\x92"	/* → */
#define GE "\xe2\x89\xa5"	/* ≥ */
#define MAX_COUNT 1000000
#define NO_CONDITION "\" is no condition — write count>=N or " \
	"conversion>=P%, joined by \"and\", or default"

/* One line being read: [p, end). */
struct cursor {
	const char *p, *end;
};

static void
skip_ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* "≥" or ">" at c (the start of a condition's operator). */
static int
at_ge(const struct cursor *c)
{
	return *c->p == '>' || ((size_t)(c->end - c->p) >= sizeof(GE) - 1 &&
	    memcmp(c->p, GE, sizeof(GE) - 1) == 0);
}

/* The next run up to white space (or an operator: stop_at_ge); its length. */
static size_t
word(struct cursor *c, int stop_at_ge)
{
	const char *s = c->p;

	while (c->p < c->end && *c->p != ' ' && *c->p != '\t' &&
	    !(stop_at_ge && at_ge(c)))
		c->p++;
	return (size_t)(c->p - s);
}

static int
is_word(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && strncasecmp(s, w, n) == 0;
}

/* A value token as a C string in buf; 0, or -1 when too long or empty. */
static int
token(const char *s, size_t n, char *buf, size_t size)
{
	if (n == 0 || n >= size)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

/* *errstr = pre, the n bytes at arg (at most 48), post; returns -1. */
static int
fail(char **errstr, const char *pre, const char *arg, size_t n,
    const char *post)
{
	*errstr = xasprintf("%s%.*s%s", pre, (int)(n < 48 ? n : 48), arg,
	    post);
	return -1;
}

/* One condition, "count>=4" or "conversion >= 50%", into row. */
static int
condition(struct cursor *c, struct tier_row *row, char **errstr)
{
	const char *name = c->p, *v;
	size_t n = word(c, 1), vn;
	char buf[16], *end;
	int64_t x;

	skip_ws(c);
	if (c->end - c->p >= 2 && memcmp(c->p, ">=", 2) == 0)
		c->p += 2;
	else if ((size_t)(c->end - c->p) >= sizeof(GE) - 1 &&
	    memcmp(c->p, GE, sizeof(GE) - 1) == 0)
		c->p += sizeof(GE) - 1;
	else
		return fail(errstr, "\"", name, n ? n :
		    (size_t)(c->end - name), NO_CONDITION);
	skip_ws(c);
	v = c->p;
	vn = word(c, 0);
	if (is_word(name, n, "count")) {
		if (row->min_count >= 0)
			return fail(errstr, "count given twice — one count "
			    "condition a row", "", 0, "");
		if (token(v, vn, buf, sizeof(buf)) != 0 || *buf < '0' ||
		    *buf > '9' || (x = strtoll(buf, &end, 10)) > MAX_COUNT ||
		    *end != '\0')
			return fail(errstr, "count>=", v, vn, ": write a whole "
			    "number of referrals, such as count>=4");
		row->min_count = x;
	} else if (is_word(name, n, "conversion")) {
		if (row->min_conv_bp >= 0)
			return fail(errstr, "conversion given twice — one "
			    "conversion condition a row", "", 0, "");
		if (token(v, vn, buf, sizeof(buf)) != 0 ||
		    (x = commission_percent_bp(buf)) < 0)
			return fail(errstr, "conversion>=", v, vn, ": write a "
			    "percentage from 0 to 100, such as conversion>=50%");
		row->min_conv_bp = x;
	} else
		return fail(errstr, "\"", name, n, NO_CONDITION);
	return 0;
}

/* The canonical text of a parsed row: conditions in the order written. */
static void
row_text(struct tier_row *row, int count_first)
{
	char cnt[32] = "", conv[48] = "", pct[16], rate[16];

	if (row->min_count >= 0)
		snprintf(cnt, sizeof(cnt), "count>=%lld",
		    (long long)row->min_count);
	if (row->min_conv_bp >= 0)
		snprintf(conv, sizeof(conv), "conversion>=%s",
		    commission_percent_text(row->min_conv_bp, pct, sizeof(pct)));
	commission_percent_text(row->rate_bp, rate, sizeof(rate));
	if (!*cnt && !*conv)
		snprintf(row->text, sizeof(row->text), "default → %s", rate);
	else
		snprintf(row->text, sizeof(row->text), "%s%s%s → %s",
		    count_first ? cnt : conv, *cnt && *conv ? " and " : "",
		    count_first ? conv : cnt, rate);
}

/* One row's line, [p, end) trimmed and not a comment. */
static int
row_parse(const char *p, const char *end, struct tier_row *row,
    char **errstr)
{
	struct cursor c;
	const char *arrow = NULL, *q;
	char buf[16];
	size_t n;
	int count_first = -1;

	for (q = p; q < end && arrow == NULL; q++)
		if (end - q >= 2 && memcmp(q, "->", 2) == 0)
			arrow = q, n = 2;
		else if ((size_t)(end - q) >= sizeof(ARROW) - 1 &&
		    memcmp(q, ARROW, sizeof(ARROW) - 1) == 0)
			arrow = q, n = sizeof(ARROW) - 1;
	if (arrow == NULL) {
		*errstr = xstrdup("no arrow — write CONDITIONS → RATE (or ->), "
		    "such as count>=4 → 15%");
		return -1;
	}
	row->min_count = row->min_conv_bp = -1;
	c.p = arrow + n;
	c.end = end;
	skip_ws(&c);
	q = c.p;
	n = word(&c, 0);
	skip_ws(&c);
	if (token(q, n, buf, sizeof(buf)) != 0 || c.p != end ||
	    (row->rate_bp = commission_percent_bp(buf)) < 0)
		return fail(errstr, "rate \"", q, (size_t)(end - q), "\" is not "
		    "a percentage from 0 to 100 — write such as 15%");
	c.p = p;
	c.end = arrow;
	while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t'))
		c.end--;
	q = c.p;
	if (is_word(q, word(&c, 0), "default") && c.p == c.end) {
		row_text(row, 1);
		return 0;
	}
	if (c.end == p)
		return fail(errstr, "no condition before the arrow — write "
		    "count>=N, conversion>=P%, or default", "", 0, "");
	for (c.p = p;;) {
		if (condition(&c, row, errstr) != 0)
			return -1;
		if (count_first < 0)
			count_first = row->min_count >= 0;
		skip_ws(&c);
		if (c.p == c.end)
			break;
		q = c.p;
		n = word(&c, 0);
		if (!is_word(q, n, "and") || c.p == c.end)
			return fail(errstr, "\"", q, (size_t)(c.end - q),
			    "\": join conditions with \"and\"");
		skip_ws(&c);
	}
	row_text(row, count_first);
	return 0;
}

int
tier_rows_parse(const char *text, size_t len, struct tier_rows *t,
    int *line, char **errstr)
{
	const char *p = text, *end = text + len, *eol, *s, *e;
	int default_line = 0;

	memset(t, 0, sizeof(*t));
	*line = 0;
	*errstr = NULL;
	for (; p < end; p = eol + 1) {
		if (++*line > 100000) {
			*errstr = xstrdup("too many lines for a tiers file");
			return -1;
		}
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL) {
			*errstr = xstrdup("a NUL byte — save the file as "
			    "plain text");
			return -1;
		}
		for (s = p; s < eol && (*s == ' ' || *s == '\t'); s++)
			;
		for (e = eol; e > s && (e[-1] == ' ' || e[-1] == '\t' ||
		    e[-1] == '\r'); e--)
			;
		if (s == e || *s == '#')
			continue;
		if (t->n == TIERS_MAX) {
			*errstr = xasprintf("more than %d rows", TIERS_MAX);
			return -1;
		}
		if (row_parse(s, e, &t->v[t->n], errstr) != 0)
			return -1;
		t->v[t->n].line = *line;
		if (t->v[t->n].min_count < 0 && t->v[t->n].min_conv_bp < 0) {
			if (default_line) {
				*errstr = xasprintf("a second default row "
				    "(the first is on line %d) — keep one",
				    default_line);
				return -1;
			}
			default_line = *line;
		}
		t->n++;
	}
	*line = 0;
	if (t->n > 0 && !default_line) {
		*errstr = xstrdup("no default row — add \"default → RATE\" "
		    "for the partners no other row fits");
		t->n = 0;
		return -1;
	}
	return 0;
}

int64_t
tier_conversion_bp(const struct tier_stats *s)
{
	if (s->closed <= 0)
		return -1;
	return s->won * 10000 / s->closed;
}

static int
meets(const struct tier_row *r, const struct tier_stats *s)
{
	int64_t conv = tier_conversion_bp(s);

	return (r->min_count < 0 || s->count >= r->min_count) &&
	    (r->min_conv_bp < 0 || (conv >= 0 && conv >= r->min_conv_bp));
}

const struct tier_row *
tier_rows_match(const struct tier_rows *t, const struct tier_stats *s)
{
	const struct tier_row *best = NULL;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (meets(&t->v[i], s) && (best == NULL ||
		    t->v[i].rate_bp > best->rate_bp))
			best = &t->v[i];
	return best;
}

char *
tier_row_shortfall(const struct tier_row *r, const struct tier_stats *s)
{
	struct buf b;
	char want[16], now[16];
	int64_t conv = tier_conversion_bp(s);

	if (meets(r, s))
		return NULL;
	buf_init(&b);
	if (r->min_count >= 0 && s->count < r->min_count)
		buf_addf(&b, "%lld more referral%s this year",
		    (long long)(r->min_count - s->count),
		    r->min_count - s->count == 1 ? "" : "s");
	if (r->min_conv_bp >= 0 && (conv < 0 || conv < r->min_conv_bp))
		buf_addf(&b, "%sconversion %s (now %s)", b.len ? " and " : "",
		    commission_percent_text(r->min_conv_bp, want,
		    sizeof(want)), conv < 0 ? "none closed" :
		    commission_percent_text(conv, now, sizeof(now)));
	return buf_steal(&b);
}
