/*
 * keyword: reads the status keyword a staff member puts on the first line
 * of a reply, its argument, and money amounts.
 *
 * Matching happens on folded text (text_fold: full-width ASCII and U+3000
 * folded, ASCII lowercased) so "ＷＯＮ" is "won"; what is handed back
 * (arguments, reasons, scope) is cut from the original, so Japanese text
 * and capitals survive.  Folding keeps every character that is not white
 * space as exactly one character, which is what orig_pos() relies on to
 * map a folded offset back.  Money is integer minor units
 * throughout: floating point never touches an amount.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "keyword.h"
#include "keyword_int.h"
#include "kvfile.h"
#include "template.h"
#include "util.h"

#define MATCH_LIMIT 100000
#define HEAP_LIMIT_KIB 4096
#define ALIAS_MAX 64

struct alias {
	char *word;		/* folded: what a line is compared with */
	char *shown;		/* as the file wrote it, for help text */
	enum kw kw;
};

struct keyword_table {
	struct alias *aliases;
	size_t n;
	char *known;	/* known_list(), made once: every failed parse says it */
};

/* Indexed by enum kw. */
static const struct kwinfo {
	const char *name;
	enum kw_arg arg;
	int required;
	const char *help;
} kwinfo[] = {
	[KW_NONE] = { "", KW_ARG_NONE, 0, "" },
	[KW_CONTACTED] = { "CONTACTED", KW_ARG_NONE, 0, "CONTACTED" },
	[KW_MEETING] = { "MEETING", KW_ARG_OPTIONAL_DATE, 0,
	    "MEETING [date]" },
	[KW_PROPOSAL] = { "PROPOSAL", KW_ARG_OPTIONAL_AMOUNT, 0,
	    "PROPOSAL [amount]" },
	[KW_WON] = { "WON", KW_ARG_AMOUNT, 1, "WON <amount> [scope]" },
	[KW_LOST] = { "LOST", KW_ARG_TEXT_REQUIRED, 1, "LOST <reason>" },
	[KW_DECLINED] = { "DECLINED", KW_ARG_TEXT_REQUIRED, 1,
	    "DECLINED <reason>" },
	[KW_NOTE] = { "NOTE", KW_ARG_TEXT, 0, "NOTE <text>" },
	[KW_REOPEN] = { "REOPEN", KW_ARG_NONE, 0, "REOPEN" },
	[KW_STATUS] = { "STATUS", KW_ARG_REF, 0, "STATUS [REF-000123]" },
	[KW_UNSUBSCRIBE] = { "UNSUBSCRIBE", KW_ARG_NONE, 0, "UNSUBSCRIBE" },
	[KW_CREDIT] = { "CREDIT", KW_ARG_REF, 1, "CREDIT <REF-000123>" },
	[KW_REVENUE] = { "REVENUE", KW_ARG_AMOUNT, 1, "REVENUE <amount>" },
	[KW_HOT_OPPORTUNITY] = { "HOT-OPPORTUNITY", KW_ARG_TEXT, 0,
	    "HOT-OPPORTUNITY [YYYY-MM]" },
	[KW_TEMPLATE] = { "TEMPLATE", KW_ARG_NONE, 0, "TEMPLATE" },
	[KW_AMEND] = { "AMEND", KW_ARG_AMOUNT, 1, "AMEND <amount> [why]" },
	[KW_ASSIGN] = { "ASSIGN", KW_ARG_WHO, 1, "ASSIGN <who>" },
	[KW_GIVEN] = { "GIVEN", KW_ARG_WHO, 1, "GIVEN <partner>" },
};

/* What an attempt at an amount starts with, to tell it from plain text. */
#define AMOUNT_START_RE \
	"^(?:[-−▲△+.0-9$¥￥\\\\€£]|(?:usd|jpy|eur|gbp)\\s?[0-9])"

/*
 * text_fold, one word at a time.  text_fold drops a space that comes
 * before a non-ASCII character ("メモ　社内" folds to "メモ社内"), and here
 * that space is what ends a keyword, so it never sees one.
 */
char *
fold(const char *s)
{
	const unsigned char *u;
	struct buf b;
	size_t n;
	char *word, *f;

	buf_init(&b);
	for (;;) {
		u = (const unsigned char *)s;
		if (*u == ' ' || *u == '\t')
			s++;
		else if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
			s += 3;
		else if (*u == '\0')
			break;
		else {
			for (n = 0; s[n] != '\0' && s[n] != ' ' &&
			    s[n] != '\t' && strncmp(s + n, "\xe3\x80\x80", 3);
			    n++)
				;
			word = xstrndup(s, n);
			f = text_fold(word);
			if (b.len > 0)
				buf_addc(&b, ' ');
			buf_adds(&b, f);
			free(f);
			free(word);
			s += n;
		}
	}
	return buf_steal(&b);
}

/* Compiled per call: commands are rare, and this keeps the module pure. */
int
rx(const char *pattern, const char *s, size_t *ov, int nov)
{
	pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	PCRE2_SIZE off, *v;
	int err, rc, i;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF,
	    &err, &off, NULL);
	if (re == NULL)
		abort();	/* our own fixed patterns: a broken invariant */
	md = pcre2_match_data_create_from_pattern(re, NULL);
	mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mc, MATCH_LIMIT);
	pcre2_set_heap_limit(mc, HEAP_LIMIT_KIB);
	rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, mc);
	if (rc > 0) {
		v = pcre2_get_ovector_pointer(md);
		for (i = 0; i < 2 * nov; i++)
			ov[i] = i < 2 * rc ? v[i] : PCRE2_UNSET;
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc;
}

/* Input is sanitised UTF-8, so a lead byte tells the length. */
static size_t
cp_len(const char *p)
{
	unsigned char c = (unsigned char)*p;

	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static unsigned int
cp_decode(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = cp_len(s), i;
	unsigned int cp;

	if (n == 1)
		return p[0];
	cp = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

/*
 * Length of a white-space character at p, or 0.  Besides ASCII: U+00A0,
 * U+3000, U+200B and U+FEFF, which HTML conversion and IMEs leave behind.
 */
static size_t
blank_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\f' || *u == '\v')
		return 1;
	if (u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if ((u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) ||
	    (u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0x8b) ||
	    (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf))
		return 3;
	return 0;
}

static int
is_blank(const char *p, const char *end)
{
	size_t k;

	while (p < end) {
		if ((k = blank_len(p)) == 0)
			return 0;
		p += k;
	}
	return 1;
}

/* A copy of n bytes at p without white space at either end. */
static char *
trim_dup(const char *p, size_t n)
{
	const char *end = p + n, *q, *last;
	size_t k;

	while (p < end && (k = blank_len(p)) > 0)
		p += k;
	for (q = last = p; q < end;) {
		if ((k = blank_len(q)) > 0)
			q += k;
		else {
			q += cp_len(q);
			last = q < end ? q : end;
		}
	}
	return xstrndup(p, (size_t)(last - p));
}

/* As trim_dup, but NULL when nothing is left. */
static char *
trim_or_null(const char *s, size_t n)
{
	char *t = trim_dup(s, n);

	if (*t == '\0') {
		free(t);
		return NULL;
	}
	return t;
}

/*
 * The place in orig that corresponds to offset off in folded = fold(orig):
 * after as many non-space characters, since folding keeps each of those
 * as one character and only collapses or drops spaces.
 */
const char *
orig_pos(const char *orig, const char *folded, size_t off)
{
	const unsigned char *u;
	size_t n = 0, i;

	for (i = 0; i < off; i++)
		if (folded[i] != ' ' &&
		    ((unsigned char)folded[i] & 0xc0) != 0x80)
			n++;
	while (n > 0 && *orig != '\0') {
		u = (const unsigned char *)orig;
		if (*u == ' ' || *u == '\t')
			orig++;
		else if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
			orig += 3;
		else {
			orig += cp_len(orig);
			n--;
		}
	}
	return orig;
}

/*
 * Non-zero when the character at p (folded) continues a word, so a
 * keyword just before it is not a whole word: letters of any script do,
 * digits do not ("成約1,200,000円" and "WON12000" are WON), punctuation
 * and symbols do not ("CONTACTED." is CONTACTED).
 */
static int
continues_word(const char *p)
{
	unsigned int c = cp_decode(p);

	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_';
	if ((c >= 0x80 && c <= 0xbf) || c == 0xd7 || c == 0xf7 ||
	    (c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) ||
	    c == 0x30fb || (c >= 0xfe30 && c <= 0xfe4f) ||
	    (c >= 0xff5f && c <= 0xff65) || (c >= 0xffe0 && c <= 0xffee))
		return 0;
	return 1;
}

/*
 * Skips what may separate a keyword from its argument, or an amount or
 * date from the words after it: spaces, ": * ; / ? !", "、。", and "," "."
 * or a dash unless a digit follows (".5m" and "-12000" stay amounts, to
 * be read or refused there).
 */
static size_t
skip_seps(const char *f, size_t off)
{
	for (;;) {
		const char *p = f + off;

		if (*p != '\0' && strchr(" :*;/?!", *p) != NULL)
			off++;
		else if ((*p == ',' || *p == '.' || *p == '-') &&
		    !(p[1] >= '0' && p[1] <= '9'))
			off++;
		else if (strncmp(p, "、", 3) == 0 || strncmp(p, "。", 3) == 0 ||
		    strncmp(p, "–", 3) == 0 || strncmp(p, "—", 3) == 0)
			off += 3;
		else
			return off;
	}
}

/* The original words of arg after folded offset off, or NULL. */
static char *
rest_of(const char *arg, const char *farg, size_t off)
{
	const char *p = orig_pos(arg, farg, skip_seps(farg, off));

	return trim_or_null(p, strlen(p));
}

/* A quotable excerpt of s: a long line is cut on a character boundary. */
char *
excerpt(const char *s)
{
	size_t n = 0;

	if (strlen(s) <= 60)
		return xstrdup(s);
	while (n + cp_len(s + n) <= 57)
		n += cp_len(s + n);
	return xasprintf("%.*s...", (int)n, s);
}

/* The lines after the keyword line, without blank lines around them. */
static char *
relay_text(const char *p)
{
	struct buf b;
	size_t keep = 0, n;

	buf_init(&b);
	while (*p != '\0') {
		n = strcspn(p, "\n");
		if (!is_blank(p, p + n)) {
			buf_add(&b, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n);
			keep = b.len;
			buf_addc(&b, '\n');
		} else if (b.len > 0)
			buf_addc(&b, '\n');
		p += n;
		if (*p == '\n')
			p++;
	}
	if (b.data != NULL) {
		b.data[keep] = '\0';
		b.len = keep;
	}
	return buf_steal(&b);
}

static char *
first_line(const char *s)
{
	return trim_or_null(s, strcspn(s, "\n"));
}

/*
 * Which keyword folded f starts with as a whole word; the longest name
 * or alias wins ("連絡済み" over "連絡済").  *len is its length.  *near
 * is set to a Japanese alias f starts with that runs into a word.
 */
static enum kw
match_keyword(const struct keyword_table *t, const char *f, size_t *len,
    const char **near)
{
	enum kw best = KW_NONE;
	size_t i, n;

	*len = 0;
	*near = NULL;
	for (i = 1; i < nitems(kwinfo); i++) {
		n = strlen(kwinfo[i].name);
		if (ascii_strncasecmp(f, kwinfo[i].name, n) != 0)
			continue;
		if (!continues_word(f + n) && n > *len) {
			best = (enum kw)i;
			*len = n;
		}
	}
	for (i = 0; t != NULL && i < t->n; i++) {
		n = strlen(t->aliases[i].word);
		if (strncmp(f, t->aliases[i].word, n) != 0)
			continue;
		/* "成約しました": Japanese has no spaces to show the word. */
		if (continues_word(f + n)) {
			if ((unsigned char)t->aliases[i].word[n - 1] >= 0x80)
				*near = t->aliases[i].shown;
		} else if (n > *len) {
			best = t->aliases[i].kw;
			*len = n;
		}
	}
	return best;
}

static char *
known_list(const struct keyword_table *t)
{
	struct buf b;
	size_t i, j;
	int first;

	if (t != NULL && t->known != NULL)
		return xstrdup(t->known);
	buf_init(&b);
	for (i = 1; i < nitems(kwinfo); i++) {
		buf_addf(&b, "%s%s", i > 1 ? ", " : "", kwinfo[i].name);
		first = 1;
		for (j = 0; t != NULL && j < t->n; j++)
			if (t->aliases[j].kw == (enum kw)i) {
				buf_addf(&b, "%s%s", first ? " (" : ", ",
				    t->aliases[j].shown);
				first = 0;
			}
		if (!first)
			buf_addc(&b, ')');
	}
	return buf_steal(&b);
}

static void
read_amount(struct keyword_cmd *cmd, const char *currency)
{
	const struct kwinfo *ki = &kwinfo[cmd->kw];
	char *f, *tok = NULL, *ex;
	enum keyword_err err = KWE_NONE;
	size_t end = 0, ov[2];
	int64_t v;

	if (cmd->arg == NULL) {
		if (ki->arg == KW_ARG_AMOUNT)
			keyword_fail(cmd, KWE_NEEDS_AMOUNT, NULL, NULL, NULL);
		return;
	}
	f = fold(cmd->arg);
	v = amount_scan(cmd->arg, f, currency, &end, &err, &tok);
	if (v > 0) {
		cmd->amount_minor = v;
		cmd->text = rest_of(cmd->arg, f, end);
	} else if (v == -1) {
		keyword_fail_amount(cmd, err, tok, currency);
	} else if (ki->arg == KW_ARG_AMOUNT || rx(AMOUNT_START_RE, f, ov,
	    1) > 0) {
		ex = excerpt(cmd->arg);
		keyword_fail(cmd, KWE_NOT_AMOUNT, ex, NULL, NULL);
		free(ex);
	} else
		cmd->text = xstrdup(cmd->arg);
	free(tok);
	free(f);
}

static void
read_date(struct keyword_cmd *cmd, const struct tm *today)
{
	char *f, *ex, iso[32];
	size_t end = 0, tend = 0;
	int r, t = 0;

	if (cmd->arg == NULL)
		return;
	f = fold(cmd->arg);
	r = date_scan(f, today, iso, sizeof(iso), &end);
	if (r > 0 && (t = time_span_scan(f + end, &cmd->minute,
	    &cmd->end_minute, &tend)) >= 0) {
		cmd->date = xstrdup(iso);
		cmd->text = rest_of(cmd->arg, f, end + tend);
	} else if (r != 0) {
		ex = strtrim(t < 0 ? xstrndup(f + end, tend) : xstrndup(f, end));
		keyword_fail(cmd, t < 0 ? KWE_BAD_TIME : KWE_BAD_DATE, ex, NULL,
		    NULL);
		free(ex);
	} else
		cmd->text = xstrdup(cmd->arg);	/* "next week" */
	free(f);
}

static void
read_ref(struct keyword_cmd *cmd)
{
	char *f;
	size_t end = 0;

	if (cmd->arg != NULL) {
		f = fold(cmd->arg);
		if ((cmd->ref = ref_scan(f, &end)) > 0)
			cmd->text = rest_of(cmd->arg, f, end);
		else
			cmd->text = xstrdup(cmd->arg);
		free(f);
	}
	if (cmd->ref == 0 && kwinfo[cmd->kw].required)
		keyword_fail(cmd, KWE_NEEDS_REF, NULL, NULL, NULL);
}

/*
 * A reason or note is the rest of the keyword line; when that is empty,
 * the first line of the text below it, so "LOST" on its own line with
 * the reason underneath works too.
 */
static void
read_text(struct keyword_cmd *cmd)
{
	enum kw_arg a = kwinfo[cmd->kw].arg;

	if (cmd->arg != NULL)
		cmd->text = xstrdup(cmd->arg);
	else if (a != KW_ARG_WHO)	/* ASSIGN's lines are for the person */
		cmd->text = first_line(cmd->relay);
	if (cmd->text == NULL && a == KW_ARG_WHO)
		keyword_fail(cmd, KWE_NEEDS_WHO, NULL, NULL, NULL);
	else if (cmd->text == NULL && a == KW_ARG_TEXT_REQUIRED)
		keyword_fail(cmd, KWE_NEEDS_REASON, NULL, NULL, NULL);
}

/*
 * HTML conversion turns bold into "*WON*" or "**WON 12000**": the stars
 * before the keyword are skipped when matching; as many at the end of the
 * line are dropped here.
 */
static void
unbold(char *line)
{
	size_t lead = strspn(line, "*"), n = strlen(line);

	while (lead-- > 0 && n > 1 && line[n - 1] == '*')
		line[--n] = '\0';
	strtrim(line);
}

int
keyword_parse(const struct keyword_table *t, const char *text,
    const char *currency, const struct tm *today, struct keyword_cmd *cmd)
{
	char *clean, *line, *folded, *known, *ex;
	const char *p, *eol, *f, *near;
	size_t len, off;

	memset(cmd, 0, sizeof(*cmd));
	cmd->name = "";
	cmd->amount_minor = -1;
	cmd->minute = cmd->end_minute = -1;
	clean = utf8_sanitize(text, strlen(text));
	for (p = clean;; p = eol + 1) {
		eol = p + strcspn(p, "\n");
		if (!is_blank(p, eol))
			break;
		if (*eol == '\0') {
			known = known_list(t);
			keyword_fail(cmd, KWE_EMPTY, NULL, known, NULL);
			free(known);
			free(clean);
			return -1;
		}
	}
	line = trim_dup(p, (size_t)(eol - p));
	unbold(line);
	folded = fold(line);
	for (f = folded; *f == '*' || *f == ' '; f++)
		;
	cmd->kw = match_keyword(t, f, &len, &near);
	if (cmd->kw == KW_NONE) {
		known = known_list(t);
		ex = excerpt(line);
		keyword_fail(cmd, near != NULL ? KWE_UNKNOWN_NEAR : KWE_UNKNOWN,
		    ex, known, near);
		free(ex);
		free(known);
		free(folded);
		free(line);
		free(clean);
		return -1;
	}
	cmd->name = kwinfo[cmd->kw].name;
	off = skip_seps(folded, (size_t)(f - folded) + len);
	p = orig_pos(line, folded, off);
	cmd->arg = trim_or_null(p, strlen(p));
	cmd->relay = relay_text(*eol == '\n' ? eol + 1 : eol);

	switch (kwinfo[cmd->kw].arg) {
	case KW_ARG_AMOUNT:
	case KW_ARG_OPTIONAL_AMOUNT:
		read_amount(cmd, currency);
		break;
	case KW_ARG_OPTIONAL_DATE:
		read_date(cmd, today);
		break;
	case KW_ARG_REF:
		read_ref(cmd);
		break;
	case KW_ARG_TEXT:
	case KW_ARG_TEXT_REQUIRED:
	case KW_ARG_WHO:
		read_text(cmd);
		break;
	case KW_ARG_NONE:
		if (cmd->arg != NULL)
			cmd->text = xstrdup(cmd->arg);
		break;
	}
	free(folded);
	free(line);
	free(clean);
	return 0;
}

void
keyword_cmd_free(struct keyword_cmd *cmd)
{
	if (cmd == NULL)
		return;
	free(cmd->arg);
	free(cmd->date);
	free(cmd->text);
	free(cmd->relay);
	free(cmd->error);
	free(cmd->err_text);
	free(cmd->err_known);
	free(cmd->err_near);
	free(cmd->err_currency);
	memset(cmd, 0, sizeof(*cmd));
	cmd->name = "";
	cmd->amount_minor = -1;
	cmd->minute = cmd->end_minute = -1;
}

const char *
keyword_arg_help(enum kw kw)
{
	if ((size_t)kw >= nitems(kwinfo))
		return "";
	return kwinfo[kw].help;
}

enum kw_arg
keyword_arg(enum kw kw)
{
	if ((size_t)kw >= nitems(kwinfo))
		return KW_ARG_NONE;
	return kwinfo[kw].arg;
}

static enum kw
kw_by_name(const char *name)
{
	size_t i;

	for (i = 1; i < nitems(kwinfo); i++)
		if (ascii_strcasecmp(name, kwinfo[i].name) == 0)
			return (enum kw)i;
	return KW_NONE;
}

/* Why a folded alias cannot be matched reliably, or NULL. */
static const char *
alias_problem(const char *w)
{
	if (strlen(w) > ALIAS_MAX)
		return "is longer than 64 bytes";
	if (strpbrk(w, " :*") != NULL)
		return "may not contain a space, ':' or '*'";
	if (*w >= '0' && *w <= '9')
		return "may not start with a digit";
	return NULL;
}

static int
add_aliases(struct keyword_table *t, const struct kv_entry *e, enum kw kw,
    char **errstr)
{
	char **words;
	size_t n, i, j;
	const char *why;
	enum kw other;
	int rc = -1;

	words = kv_split_list(e->value, &n);
	for (i = 0; i < n; i++) {
		char *w = fold(words[i]);

		if ((why = alias_problem(w)) != NULL) {
			*errstr = xasprintf("%d: alias '%s' %s", e->line,
			    words[i], why);
			free(w);
			goto out;
		}
		if ((other = kw_by_name(w)) != KW_NONE) {
			free(w);
			if (other == kw)
				continue;
			*errstr = xasprintf("%d: alias '%s' is the keyword %s "
			    "itself", e->line, words[i], kwinfo[other].name);
			goto out;
		}
		for (j = 0; j < t->n; j++)
			if (strcmp(t->aliases[j].word, w) == 0)
				break;
		if (j < t->n) {
			free(w);
			if (t->aliases[j].kw == kw)
				continue;
			*errstr = xasprintf("%d: alias '%s' is already used by "
			    "%s", e->line, words[i],
			    kwinfo[t->aliases[j].kw].name);
			goto out;
		}
		t->aliases = xreallocarray(t->aliases, t->n + 1,
		    sizeof(*t->aliases));
		t->aliases[t->n].word = w;
		t->aliases[t->n].shown = xstrdup(words[i]);
		t->aliases[t->n].kw = kw;
		t->n++;
	}
	rc = 0;
out:
	kv_list_free(words, n);
	return rc;
}

int
keyword_table_parse(const char *text, size_t len, struct keyword_table **out,
    char **errstr)
{
	struct kvfile kv;
	struct keyword_table *t;
	int seen[nitems(kwinfo)] = { 0 };
	enum kw kw;
	char *known;
	size_t i;

	if (kvfile_parse(text, len, &kv, errstr) != 0)
		return -1;
	t = xcalloc(1, sizeof(*t));
	for (i = 0; i < kv.n; i++) {
		const struct kv_entry *e = &kv.entries[i];

		if (*e->section != '\0') {
			*errstr = xasprintf("%d: the keyword file has no "
			    "[sections]", e->line);
			goto fail;
		}
		if ((kw = kw_by_name(e->key)) == KW_NONE) {
			known = known_list(NULL);
			*errstr = xasprintf("%d: unknown keyword '%s' (known: "
			    "%s)", e->line, e->key, known);
			free(known);
			goto fail;
		}
		if (seen[kw]) {
			*errstr = xasprintf("%d: %s is already listed on line "
			    "%d", e->line, kwinfo[kw].name, seen[kw]);
			goto fail;
		}
		seen[kw] = e->line;
		if (add_aliases(t, e, kw, errstr) != 0)
			goto fail;
	}
	kvfile_free(&kv);
	t->known = known_list(t);
	*out = t;
	return 0;
fail:
	kvfile_free(&kv);
	keyword_table_free(t);
	return -1;
}

void
keyword_table_free(struct keyword_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->aliases[i].word);
		free(t->aliases[i].shown);
	}
	free(t->known);
	free(t->aliases);
	free(t);
}
