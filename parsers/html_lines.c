/*
 * html_lines: the line writer html.c walks the tree into: words joined
 * and white space collapsed (kept in <pre>), lines ended with their quote
 * prefix and list marker, blank lines asked for, and the HTML_MAX_TEXT
 * budget kept.
 */
#include "config.h"

#include <string.h>

#include "html_int.h"
#include "util.h"

void
conv_init(struct conv *st, struct limit *lim, int pre)
{
	memset(st, 0, sizeof(*st));
	buf_init(&st->out);
	buf_init(&st->line);
	st->pre = pre;
	st->lim = lim;
}

/*
 * Gmail's quote container holds its own <blockquote>, so the two do not
 * add up; quoting in mail past Outlook's reply header does.
 */
int
level(const struct conv *st)
{
	int floor = st->marked > 0;

	return st->quoted + (st->bq > floor ? st->bq : floor);
}

static void
add_prefix(struct buf *b, int lvl, int blank)
{
	int i;

	for (i = 0; i < lvl; i++)
		buf_adds(b, blank && i == lvl - 1 ? ">" : "> ");
}

/* Asks for one blank line before the next line, however many ask. */
void
blank(struct conv *st)
{
	if (st->nlines > 0)
		st->blank = 1;
}

/* Writes one non-empty line, with its quote prefix and list marker. */
void
emit(struct conv *st, const char *s, size_t n)
{
	int lvl = level(st);
	int blvl = lvl < st->last_level ? lvl : st->last_level;
	size_t mlen = strlen(st->mark);
	size_t need = 2 * (size_t)lvl + mlen + n + 1;

	if (st->blank)
		need += 2 * (size_t)blvl + 1;
	if (st->lim->full || need > st->lim->left) {
		st->lim->full = 1;
		return;
	}
	st->lim->left -= need;
	if (st->blank) {
		add_prefix(&st->out, blvl, 1);
		buf_addc(&st->out, '\n');
		st->blank = 0;
	}
	add_prefix(&st->out, lvl, 0);
	buf_add(&st->out, st->mark, mlen);
	st->mark[0] = '\0';
	buf_add(&st->out, s, n);
	buf_addc(&st->out, '\n');
	st->nlines++;
	st->last_level = lvl;
}

/* Ends the line being built; force (a <br>) keeps even an empty one. */
void
end_line(struct conv *st, int force)
{
	size_t n = st->line.len;

	while (n > 0 && (st->line.data[n - 1] == ' ' ||
	    st->line.data[n - 1] == '\t'))
		n--;
	/* Gmail writes the signature separator "-- " as text + <br>. */
	if (n == 2 && memcmp(st->line.data, "--", 2) == 0)
		emit(st, "-- ", 3);
	else if (n > 0)
		emit(st, st->line.data, n);
	else if (force || st->nbsp)
		blank(st);
	buf_reset(&st->line);
	st->space = st->nbsp = 0;
}

static void
add_word(struct conv *st, const char *s, size_t n)
{
	if (st->line.len + n + 1 > st->lim->left) {
		st->lim->full = 1;
		return;
	}
	if (st->space && st->line.len > 0 && !st->pre)
		buf_addc(&st->line, ' ');
	st->space = 0;
	buf_add(&st->line, s, n);
}

int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

int
is_nbsp(const char *s)
{
	return (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0;
}

/*
 * U+200B and U+FEFF: Apple Mail and Outlook leave them in the markup,
 * where they would make a line of nothing or split a label.
 */
static int
is_zero_width(const char *s)
{
	return strncmp(s, "\xe2\x80\x8b", 3) == 0 ||
	    strncmp(s, "\xef\xbb\xbf", 3) == 0;
}

/*
 * White space collapses to one space, except in <pre>.  &nbsp; is a
 * space too, but a block holding only &nbsp; is Outlook's blank line.
 */
void
text(struct conv *st, const char *s)
{
	size_t k;

	while (*s != '\0' && !st->lim->full) {
		if (*s == '\n' && st->pre) {
			end_line(st, 1);
			s++;
		} else if (is_nbsp(s)) {
			st->nbsp = 1;
			if (st->pre)
				add_word(st, " ", 1);
			else
				st->space = 1;
			s += 2;
		} else if (is_zero_width(s)) {
			s += 3;
		} else if (is_ws(*s)) {
			if (!st->pre)
				st->space = 1;
			else if (*s != '\r')
				add_word(st, s, 1);
			s++;
		} else {
			for (k = 1; s[k] != '\0' && !is_ws(s[k]) &&
			    !is_nbsp(s + k) && !is_zero_width(s + k); k++)
				;
			add_word(st, s, k);
			s += k;
		}
	}
}
