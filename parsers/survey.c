/*
 * survey: reading the answer lines of a reply to a survey (survey.h).
 * Full-width digits, colons and spaces are read as their ASCII forms;
 * everything else of an answer (its comment) is kept as written.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "survey.h"
#include "util.h"

#define MAX_COMMENT 4000	/* bytes of one answer's text kept */
#define MAX_UNPLACED 8000	/* bytes of the words outside answers kept */

/* A digit at p (ASCII or U+FF10..U+FF19): its bytes, with *d; else 0. */
static size_t
digit_at(const unsigned char *p, int *d)
{
	if (*p >= '0' && *p <= '9') {
		*d = *p - '0';
		return 1;
	}
	if (p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x90 && p[2] <= 0x99) {
		*d = p[2] - 0x90;
		return 3;
	}
	return 0;
}

/* White space at p (ASCII or the ideographic space): its bytes, else 0. */
static size_t
space_at(const unsigned char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r')
		return 1;
	return p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
}

static const unsigned char *
skip_space(const unsigned char *p)
{
	size_t n;

	while ((n = space_at(p)) > 0)
		p += n;
	return p;
}

/*
 * What may follow a question's number: ":" "." ")" and their full-width
 * forms, and the Japanese comma and full stop.  Its bytes, else 0.
 */
static size_t
separator_at(const unsigned char *p)
{
	if (*p == ':' || *p == '.' || *p == ')')
		return 1;
	if (p[0] == 0xef && p[1] == 0xbc && (p[2] == 0x9a || p[2] == 0x8e ||
	    p[2] == 0x89))
		return 3;
	if (p[0] == 0xe3 && p[1] == 0x80 && (p[2] == 0x81 || p[2] == 0x82))
		return 3;
	return 0;
}

/* A colon, ASCII or full-width: its bytes, else 0. */
static size_t
colon_at(const unsigned char *p)
{
	if (*p == ':')
		return 1;
	return p[0] == 0xef && p[1] == 0xbc && p[2] == 0x9a ? 3 : 0;
}

int
survey_score(const char *s, const char **rest)
{
	const unsigned char *p = skip_space((const unsigned char *)s);
	size_t n;
	int d, v = 0, any = 0;

	while ((n = digit_at(p, &d)) > 0) {
		if (v < 1000)
			v = v * 10 + d;
		any = 1;
		p += n;
	}
	*rest = (const char *)p;
	return any ? (v > 1000 ? 1000 : v) : 0;
}

/* The field whose folded label is the text of [p, end), or NULL. */
static const struct tfield *
by_label(const struct template *t, const char *p, const char *end,
    size_t *question)
{
	char *label, *folded, *l;
	size_t i, k;
	const struct tfield *found = NULL;

	label = xstrndup(p, (size_t)(end - p));
	folded = text_fold(label);
	l = folded;
	while (*l == '*' || *l == ' ' || *l == '-')
		l++;
	strtrim(l);
	for (i = 0; i < t->nfields && found == NULL; i++)
		for (k = 0; k < t->fields[i].nlabels; k++)
			if (strcmp(l, t->fields[i].labels[k]) == 0) {
				found = &t->fields[i];
				*question = i + 1;
				break;
			}
	free(folded);
	free(label);
	return found;
}

/*
 * Whether [p, end) starts an answer: "N<sep>" or "LABEL:".  Sets
 * *question (its number as written) and *value (where the answer
 * starts); *field is the question's field (NULL: no such question).
 */
static int
answer_start(const struct template *t, const unsigned char *p,
    const unsigned char *end, size_t *question, const struct tfield **field,
    const unsigned char **value)
{
	const unsigned char *q = skip_space(p), *c;
	size_t n, num = 0, ndigits = 0;
	int d;

	/* "Q1:" as well as "1:". */
	if ((*q == 'Q' || *q == 'q') && digit_at(q + 1, &d) > 0)
		q++;
	while (q < end && (n = digit_at(q, &d)) > 0) {
		if (ndigits++ < 3)
			num = num * 10 + (size_t)d;
		q += n;
	}
	if (ndigits > 0 && ndigits <= 2) {
		q = skip_space(q);
		if ((n = separator_at(q)) == 0)
			return 0;
		*question = num;
		*field = num >= 1 && num <= t->nfields ? &t->fields[num - 1] :
		    NULL;
		*value = skip_space(q + n);
		return 1;
	}
	if (ndigits > 0)
		return 0;
	/* "Label: value": the label within the first 120 bytes. */
	for (c = q; c < end && c - q < 120; c++)
		if ((n = colon_at(c)) > 0) {
			*field = by_label(t, (const char *)q, (const char *)c,
			    question);
			if (*field == NULL)
				return 0;
			*value = skip_space(c + n);
			return 1;
		}
	return 0;
}

static void
add_problem(struct survey_reply *r, const struct tfield *f, size_t question,
    const char *code, int line)
{
	struct survey_problem *p;

	r->problems = xreallocarray(r->problems, r->nproblems + 1,
	    sizeof(*r->problems));
	p = &r->problems[r->nproblems++];
	p->field = f;
	p->question = question;
	p->code = code;
	p->line = line;
}

/* The answer to question, replacing an earlier one in the same text. */
static struct survey_answer *
answer_slot(struct survey_reply *r, const struct tfield *f, size_t question)
{
	size_t i;

	for (i = 0; i < r->nanswers; i++)
		if (r->answers[i].question == question) {
			free(r->answers[i].comment);
			r->answers[i].comment = NULL;
			return &r->answers[i];
		}
	r->answers = xreallocarray(r->answers, r->nanswers + 1,
	    sizeof(*r->answers));
	memset(&r->answers[r->nanswers], 0, sizeof(*r->answers));
	r->answers[r->nanswers].field = f;
	r->answers[r->nanswers].question = question;
	return &r->answers[r->nanswers++];
}

/* Drops the problems an answer to question later in the text settled. */
static void
settle(struct survey_reply *r, size_t question)
{
	size_t i, k = 0;

	for (i = 0; i < r->nproblems; i++)
		if (r->problems[i].question != question)
			r->problems[k++] = r->problems[i];
	r->nproblems = k;
}

/* A copy of [p, end) with white space trimmed, or NULL when empty. */
static char *
trimmed(const unsigned char *p, const unsigned char *end)
{
	size_t n;

	p = skip_space(p);
	for (;;) {
		if (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
		    end[-1] == '\r'))
			end--;
		else if (end - p >= 3 && end[-3] == 0xe3 && end[-2] == 0x80 &&
		    end[-1] == 0x80)
			end -= 3;
		else
			break;
	}
	n = (size_t)(end - p);
	if (n == 0)
		return NULL;
	return xstrndup((const char *)p, n > MAX_COMMENT ? MAX_COMMENT : n);
}

/*
 * Reads one answer's value; returns the answer to continue, or NULL.
 * *placed is 0 when the line is no answer to any question.
 */
static struct survey_answer *
take(struct survey_reply *r, const struct tfield *f, size_t question,
    const unsigned char *value, const unsigned char *end, int line,
    int *placed)
{
	struct survey_answer *a;
	const char *rest;
	const unsigned char *c;
	int score;

	*placed = f != NULL;
	if (skip_space(value) >= end)
		return NULL;		/* left blank: no answer */
	if (f == NULL) {
		/* "10:30 tomorrow" is a time, not question 10. */
		if (question < 10)
			add_problem(r, NULL, question, "unknown", line);
		return NULL;
	}
	if (f->type != FIELD_SCORE) {
		settle(r, question);
		a = answer_slot(r, f, question);
		a->line = line;
		a->comment = trimmed(value, end);
		return a;
	}
	score = survey_score((const char *)value, &rest);
	if (score == 0 && (const unsigned char *)rest == skip_space(value)) {
		/* The question's own line copied: "1. Satisfaction: 4". */
		for (c = value; c < end; c++)
			if (colon_at(c) > 0)
				break;
		if (c < end)
			score = survey_score((const char *)c + colon_at(c),
			    &rest);
		if (score == 0) {
			add_problem(r, f, question, "unreadable", line);
			return NULL;
		}
	}
	if (score < 1 || score > 5) {
		add_problem(r, f, question, "range", line);
		return NULL;
	}
	settle(r, question);
	a = answer_slot(r, f, question);
	a->line = line;
	a->score = score;
	a->comment = trimmed((const unsigned char *)rest, end);
	return a;
}

/* Appends a continuation line to a text answer. */
static void
extend(struct survey_answer *a, const unsigned char *p,
    const unsigned char *end)
{
	char *more = trimmed(p, end), *s;

	if (more == NULL)
		return;
	if (a->comment == NULL)
		a->comment = more;
	else {
		if (strlen(a->comment) + strlen(more) < MAX_COMMENT) {
			s = xasprintf("%s\n%s", a->comment, more);
			free(a->comment);
			a->comment = s;
		}
		free(more);
	}
}

/*
 * Courtesy lines: a greeting or a closing alone (folded, its trailing
 * punctuation gone).  After a closing, up to NAME_LINES short lines
 * without a question mark are the writer's name.  Words made only of
 * these need no person: "Hi,", "Thanks,\nBob", "よろしくお願いします。".
 */
#define NAME_LINES 3
static const struct {
	const char *s;
	int closing;
} courtesies[] = {
	{ "hi", 0 }, { "hello", 0 }, { "dear all", 0 }, { "dear team", 0 },
	{ "good morning", 0 }, { "お世話になっております", 0 },
	{ "いつもお世話になっております", 0 }, { "お世話になります", 0 },
	{ "thanks", 1 }, { "thank you", 1 }, { "many thanks", 1 },
	{ "thanks a lot", 1 }, { "thank you very much", 1 }, { "best", 1 },
	{ "best regards", 1 }, { "kind regards", 1 }, { "regards", 1 },
	{ "warm regards", 1 }, { "cheers", 1 }, { "sincerely", 1 },
	{ "yours sincerely", 1 }, { "all the best", 1 },
	{ "よろしくお願いします", 1 }, { "よろしくお願いいたします", 1 },
	{ "よろしくお願い致します", 1 }, { "宜しくお願いします", 1 },
	{ "宜しくお願い致します", 1 }, { "ありがとうございます", 1 },
	{ "ありがとうございました", 1 }, { "以上", 1 }, { "以上です", 1 },
};

/* 2 a closing, 1 a greeting, 0 words; [p, end) one line. */
static int
courtesy(const unsigned char *p, const unsigned char *end)
{
	char *line = xstrndup((const char *)p, (size_t)(end - p));
	char *f = text_fold(line);
	size_t n, i;
	int r = 0;

	strtrim(f);
	n = strlen(f);
	for (;;) {
		if (n > 0 && strchr(",.!:~ ", f[n - 1]) != NULL)
			n--;
		else if (n >= 3 && (unsigned char)f[n - 3] == 0xe3 &&
		    (unsigned char)f[n - 2] == 0x80 &&
		    ((unsigned char)f[n - 1] == 0x81 ||
		    (unsigned char)f[n - 1] == 0x82))
			n -= 3;		/* "、" "。" */
		else
			break;
	}
	f[n] = '\0';
	for (i = 0; i < sizeof(courtesies) / sizeof(courtesies[0]); i++)
		if (strcmp(f, courtesies[i].s) == 0)
			r = courtesies[i].closing ? 2 : 1;
	/* "Hi Ken", "Dear Mr Sato", "山田様", "ABC株式会社 御中". */
	if (r == 0 && n > 0 && n <= 60 && strchr(f, '?') == NULL &&
	    (strncmp(f, "hi ", 3) == 0 || strncmp(f, "hello ", 6) == 0 ||
	    strncmp(f, "dear ", 5) == 0 || (n >= 3 &&
	    strcmp(f + n - 3, "\xe6\xa7\x98") == 0) || (n >= 6 &&
	    strcmp(f + n - 6, "\xe5\xbe\xa1\xe4\xb8\xad") == 0)))
		r = 1;
	free(f);
	free(line);
	return r;
}

/* The words no answer holds, as survey_read gathers them. */
struct words {
	struct buf text;
	int substance;		/* a line other than courtesy */
	int names;		/* name lines still allowed after a closing */
};

/* Keeps the line [p, end) among the words no answer holds. */
static void
words_add(struct words *w, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q;
	int c;

	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		end--;
	if ((c = courtesy(p, end)) > 0)
		w->names = c == 2 ? NAME_LINES : 0;
	else if (w->names > 0 && end - p <= 60) {
		for (q = p; q < end && *q != '?' && !(q[0] == 0xef &&
		    q[1] == 0xbc && q[2] == 0x9f); q++)
			;
		if (q < end)
			w->substance = 1;
		w->names--;
	} else
		w->substance = 1;
	if (w->text.len + (size_t)(end - p) + 1 > MAX_UNPLACED)
		return;
	if (w->text.len > 0)
		buf_adds(&w->text, "\n");
	buf_add(&w->text, (const char *)p, (size_t)(end - p));
}

static int
cmp_size(size_t a, size_t b)
{
	return a < b ? -1 : a > b;
}

static int
answer_order(const void *x, const void *y)
{
	const struct survey_answer *a = x, *b = y;

	return cmp_size(a->question, b->question);
}

/* By question, then by line ("missing", line 0, first). */
static int
problem_order(const void *x, const void *y)
{
	const struct survey_problem *a = x, *b = y;

	return a->question != b->question ? cmp_size(a->question,
	    b->question) : cmp_size((size_t)a->line, (size_t)b->line);
}

void
survey_read(const struct template *t, const char *text,
    struct survey_reply *r)
{
	const unsigned char *p = (const unsigned char *)text, *end, *value;
	const struct tfield *f;
	struct survey_answer *open = NULL;
	struct words w;
	size_t i, k, question;
	int line = 0, found, placed;

	memset(r, 0, sizeof(*r));
	memset(&w, 0, sizeof(w));
	buf_init(&w.text);
	/* One line each time round: p always moves past a line's end. */
	while (p != NULL && *p != '\0') {
		end = (const unsigned char *)strchr((const char *)p, '\n');
		if (end == NULL)
			end = p + strlen((const char *)p);
		line++;
		if (strncmp((const char *)p, "-- ", 3) == 0 && (end - p == 3 ||
		    (end - p == 4 && p[3] == '\r')))
			break;
		value = skip_space(p);
		if (*value == '>' || (value[0] == 0xef && value[1] == 0xbc &&
		    value[2] == 0x9e))
			open = NULL;		/* quoted */
		else if (value >= end)
			open = NULL;		/* blank: a text answer ends */
		else if (answer_start(t, p, end, &question, &f, &value)) {
			open = take(r, f, question, value, end, line, &placed);
			if (!placed)
				words_add(&w, p, end);
		} else if (open != NULL && open->score == 0)
			extend(open, p, end);
		else
			words_add(&w, p, end);
		p = *end == '\n' ? end + 1 : end;
	}
	if (w.substance && w.text.len > 0)
		r->unplaced = buf_steal(&w.text);
	buf_free(&w.text);
	if (r->nanswers > 1)
		qsort(r->answers, r->nanswers, sizeof(*r->answers),
		    answer_order);
	for (i = 0; i < t->nfields; i++) {
		if (!t->fields[i].required)
			continue;
		found = 0;
		for (k = 0; k < r->nanswers; k++)
			found |= r->answers[k].question == i + 1;
		for (k = 0; k < r->nproblems; k++)
			found |= r->problems[k].question == i + 1;
		if (!found)
			add_problem(r, &t->fields[i], i + 1, "missing", 0);
	}
	if (r->nproblems > 1)
		qsort(r->problems, r->nproblems, sizeof(*r->problems),
		    problem_order);
}

void
survey_reply_free(struct survey_reply *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nanswers; i++)
		free(r->answers[i].comment);
	free(r->answers);
	free(r->problems);
	free(r->unplaced);
	memset(r, 0, sizeof(*r));
}
