/*
 * template_form: reads a submission against a loaded template (see
 * template.c): "Label: value" lines matched to fields, values checked
 * with the template's patterns under match limits, and the outcome.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "survey.h"
#include "template.h"
#include "util.h"

#define MATCH_LIMIT 100000
#define HEAP_LIMIT_KIB 4096

/* Matches s against re with limits; fills ovector pairs into ov. */
static int
match(const pcre2_code *re, const char *s, size_t len, size_t *ov, int nov)
{
	pcre2_match_data *md;
	pcre2_match_context *mc;
	PCRE2_SIZE *v;
	int rc, i;

	md = pcre2_match_data_create_from_pattern(re, NULL);
	mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mc, MATCH_LIMIT);
	pcre2_set_heap_limit(mc, HEAP_LIMIT_KIB);
	rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, mc);
	if (rc > 0 && ov != NULL) {
		v = pcre2_get_ovector_pointer(md);
		for (i = 0; i < 2 * nov && i < 2 * rc; i++)
			ov[i] = v[i];
		for (; i < 2 * nov; i++)
			ov[i] = PCRE2_UNSET;
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	return rc;
}

static const struct tfield *
field_by_label(const struct template *t, const char *label)
{
	char *folded = text_fold(label);
	size_t i, j;

	for (i = 0; i < t->nfields; i++)
		for (j = 0; j < t->fields[i].nlabels; j++)
			if (strcmp(folded, t->fields[i].labels[j]) == 0) {
				free(folded);
				return &t->fields[i];
			}
	free(folded);
	return NULL;
}

static int
yesno_value(const char *v)
{
	static const char *yes[] = { "yes", "y", "true", "はい", "有", "あり",
	    "済", "了承済", "ok" };
	static const char *no[] = { "no", "n", "false", "いいえ", "無", "なし",
	    "未" };
	char *f = text_fold(v);
	size_t i;
	int r = -1;

	for (i = 0; i < nitems(yes) && r < 0; i++)
		if (strcmp(f, yes[i]) == 0)
			r = 1;
	for (i = 0; i < nitems(no) && r < 0; i++)
		if (strcmp(f, no[i]) == 0)
			r = 0;
	free(f);
	return r;
}

/*
 * Every code add_problem is given: stored from here, so that a copy of
 * one (wire.c) maps back to its static string.
 */
static const char *const problem_codes[] = {
	"missing", "email", "phone", "yesno", "date", "money", "enum",
	"pattern", "too_long", "one_of", "score",
};

const char *
form_problem_code(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < nitems(problem_codes); i++)
		if (strcmp(code, problem_codes[i]) == 0)
			return problem_codes[i];
	return NULL;
}

static void
add_problem(struct form *f, const struct tfield *field,
    const struct tgroup *group, enum problem_kind k, const char *code,
    char *arg)
{
	f->problems = xreallocarray(f->problems, f->nproblems + 1,
	    sizeof(*f->problems));
	f->problems[f->nproblems].field = field;
	f->problems[f->nproblems].group = group;
	f->problems[f->nproblems].kind = k;
	if ((f->problems[f->nproblems].code = form_problem_code(code)) == NULL)
		abort();	/* a code missing from problem_codes */
	f->problems[f->nproblems].arg = arg;
	f->nproblems++;
}

static int
has_digit(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= '0' && *s <= '9')
			return 1;
	return 0;
}

/* The type's rule, then the template's pattern; adds at most one problem. */
static void
check_value(const struct template *t, struct form *f,
    const struct form_value *v)
{
	const struct tfield *fd = v->field;
	size_t digits = 0, i, len = strlen(v->value);
	const char *p;

	if (fd->max_length > 0 && len > fd->max_length) {
		add_problem(f, fd, NULL, PROBLEM_INVALID, "too_long",
		    xasprintf("%zu", fd->max_length));
		return;
	}
	switch (fd->type) {
	case FIELD_EMAIL:
		if (match(t->email_re, v->value, len, NULL, 0) <= 0) {
			add_problem(f, fd, NULL, PROBLEM_INVALID, "email", NULL);
			return;
		}
		break;
	case FIELD_PHONE:
		for (p = v->value; *p != '\0'; p++)
			if (*p >= '0' && *p <= '9')
				digits++;
		if (digits < 6) {
			add_problem(f, fd, NULL, PROBLEM_INVALID, "phone", NULL);
			return;
		}
		break;
	case FIELD_YESNO:
		if (yesno_value(v->value) < 0) {
			add_problem(f, fd, NULL, PROBLEM_INVALID, "yesno", NULL);
			return;
		}
		break;
	case FIELD_DATE:
		if (match(t->date_re, v->value, len, NULL, 0) <= 0) {
			add_problem(f, fd, NULL, PROBLEM_INVALID, "date", NULL);
			return;
		}
		break;
	case FIELD_MONEY:
		if (!has_digit(v->value) && strstr(v->value, "万") == NULL) {
			add_problem(f, fd, NULL, PROBLEM_INVALID, "money", NULL);
			return;
		}
		break;
	case FIELD_ENUM:
		for (i = 0; i < fd->nvalues; i++)
			if (strcmp(v->value, fd->values[i]) == 0)
				break;
		if (i == fd->nvalues) {
			add_problem(f, fd, NULL, PROBLEM_INVALID, "enum",
			    xstrdup(fd->values_text));
			return;
		}
		break;
	case FIELD_SCORE:
		i = (size_t)survey_score(v->value, &p);
		if (i < 1 || i > 5) {
			add_problem(f, fd, NULL, PROBLEM_INVALID, "score", NULL);
			return;
		}
		break;
	case FIELD_TEXT:
		break;
	}
	if (fd->pattern != NULL && match(fd->pattern, v->value, len, NULL,
	    0) <= 0)
		add_problem(f, fd, NULL, PROBLEM_INVALID, "pattern", NULL);
}

static int
is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* A value's next line, without the indentation that marked it as such. */
static void
add_continuation(struct buf *v, const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	if (n >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0) {
		p += 3;
		n -= 3;
	}
	buf_addc(v, '\n');
	buf_add(v, p, n);
}

/*
 * The reading pass: one buffer per template field.  Lines that name a
 * label start a field; free-text fields continue on following lines.
 */
static void
read_values(const struct template *t, const char *text, struct buf *vals,
    int *lines)
{
	const char *p = text;
	long cur = -1;
	int lineno = 0;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t ov[6];

		lineno++;
		if ((n == 3 && strncmp(p, "-- ", 3) == 0) ||
		    (n == 2 && strncmp(p, "--", 2) == 0))
			break;
		if ((n > 0 && p[0] == '>') || is_blank(p, n)) {
			cur = -1;
		} else if (match(t->line_re, p, n, ov, 3) > 0) {
			char *label = xstrndup(p + ov[2], ov[3] - ov[2]);
			const struct tfield *fd = field_by_label(t, label);

			free(label);
			if (fd != NULL) {
				cur = fd - t->fields;
				/* The first occurrence wins; a repeat adds. */
				if (vals[cur].len > 0)
					buf_addc(&vals[cur], '\n');
				else
					lines[cur] = lineno;
				buf_add(&vals[cur], p + ov[4], ov[5] - ov[4]);
				/* Only free text runs on to following lines. */
				if (fd->type != FIELD_TEXT)
					cur = -1;
			} else if (cur >= 0)
				add_continuation(&vals[cur], p, n);
		} else if (cur >= 0)
			add_continuation(&vals[cur], p, n);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* Normalises v as its field's type reads it; returns a new string. */
static char *
normalise(const struct tfield *fd, const char *v)
{
	char *s = strtrim(xstrdup(v));

	/* Typed values are read in half-width: ｙａｍａｄａ＠ is yamada@. */
	if (fd->type != FIELD_TEXT) {
		char *folded = text_fold(s);
		free(s);
		s = folded;
	}
	/* はい, Y, true: one answer, stored one way. */
	if (fd->type == FIELD_YESNO && yesno_value(s) >= 0) {
		int yes = yesno_value(s);
		free(s);
		s = xstrdup(yes ? "yes" : "no");
	}
	return s;
}

static void
add_value(struct form *f, const struct tfield *fd, char *v, int line)
{
	f->values = xreallocarray(f->values, f->nvalues + 1,
	    sizeof(*f->values));
	f->values[f->nvalues].field = fd;
	f->values[f->nvalues].value = v;
	f->values[f->nvalues].line = line;
	f->nvalues++;
}

/* Required fields, one_of groups, types and checklist rules. */
static void
evaluate(const struct template *t, struct form *f)
{
	size_t i, j, k;

	for (i = 0; i < t->nfields; i++) {
		const struct tfield *fd = &t->fields[i];
		const struct form_value *v = NULL;

		for (j = 0; j < f->nvalues; j++)
			if (f->values[j].field == fd)
				v = &f->values[j];
		if (v == NULL) {
			if (fd->required)
				add_problem(f, fd, NULL, PROBLEM_MISSING,
				    "missing", NULL);
			continue;
		}
		k = f->nproblems;
		check_value(t, f, v);
		if (k == f->nproblems && fd->must >= 0 &&
		    yesno_value(v->value) != fd->must) {
			f->failed = xreallocarray(f->failed, f->nfailed + 1,
			    sizeof(*f->failed));
			f->failed[f->nfailed++] = fd;
		}
	}
	for (i = 0; i < t->ngroups; i++) {
		const struct tgroup *g = &t->groups[i];
		int have = 0;

		for (j = 0; j < g->nfields && !have; j++)
			for (k = 0; k < f->nvalues; k++)
				if (f->values[k].field == g->fields[j])
					have = 1;
		if (!have)
			add_problem(f, g->fields[0], g, PROBLEM_MISSING,
			    "one_of", NULL);
	}
	/* A failed rule decides, whatever else is missing. */
	if (f->nfailed > 0)
		f->outcome = OUTCOME_DISQUALIFIED;
	else if (f->nproblems > 0)
		f->outcome = OUTCOME_INCOMPLETE;
	else
		f->outcome = OUTCOME_QUALIFIED;
}

static void
read_form(const struct template *t, const char *text, struct form *out,
    int check)
{
	struct buf *vals = xcalloc(t->nfields, sizeof(*vals));
	int *lines = xcalloc(t->nfields, sizeof(*lines));
	size_t i;

	memset(out, 0, sizeof(*out));
	read_values(t, text, vals, lines);
	for (i = 0; i < t->nfields; i++) {
		char *v = normalise(&t->fields[i],
		    vals[i].data ? vals[i].data : "");

		buf_free(&vals[i]);
		if (*v == '\0')
			free(v);
		else
			add_value(out, &t->fields[i], v, lines[i]);
	}
	if (check)
		evaluate(t, out);
	free(vals);
	free(lines);
}

void
form_read(const struct template *t, const char *text, struct form *out)
{
	read_form(t, text, out, 1);
}

void
form_read_lines(const struct template *t, const char *text,
    struct form *out)
{
	read_form(t, text, out, 0);
}

void
form_evaluate(const struct template *t, const char *const *keys,
    const char *const *values, size_t n, struct form *out)
{
	size_t i, j;

	memset(out, 0, sizeof(*out));
	/* Template order, so echoes read the same way every time. */
	for (i = 0; i < t->nfields; i++)
		for (j = 0; j < n; j++)
			if (strcmp(keys[j], t->fields[i].key) == 0 &&
			    *values[j] != '\0') {
				add_value(out, &t->fields[i],
				    normalise(&t->fields[i], values[j]), 0);
				break;
			}
	evaluate(t, out);
}

const char *
form_outcome_name(enum form_outcome o)
{
	switch (o) {
	case OUTCOME_QUALIFIED: return "qualified";
	case OUTCOME_INCOMPLETE: return "incomplete";
	case OUTCOME_DISQUALIFIED: return "disqualified";
	}
	return "?";
}

void
form_free(struct form *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nvalues; i++)
		free(f->values[i].value);
	for (i = 0; i < f->nproblems; i++)
		free(f->problems[i].arg);
	free(f->values);
	free(f->problems);
	free(f->failed);
	memset(f, 0, sizeof(*f));
}

const char *
form_get(const struct form *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->nvalues; i++)
		if (strcmp(f->values[i].field->key, key) == 0)
			return f->values[i].value;
	return NULL;
}

const char *
form_role(const struct form *f, enum field_role role)
{
	size_t i;

	for (i = 0; role != FIELD_ROLE_NONE && i < f->nvalues; i++)
		if (f->values[i].field->role == role)
			return f->values[i].value;
	return NULL;
}
