/*
 * template: loads the qualification template and reads submissions
 * against it.  PCRE2 splits "label: value" lines and checks values; every
 * match runs under a match context with limits, so hostile input costs
 * bounded time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kvfile.h"
#include "template.h"
#include "util.h"

#define MATCH_LIMIT 100000
#define HEAP_LIMIT_KIB 4096

static const struct {
	const char *name;
	enum field_type type;
} field_types[] = {
	{ "text", FIELD_TEXT }, { "email", FIELD_EMAIL },
	{ "phone", FIELD_PHONE }, { "yesno", FIELD_YESNO },
	{ "date", FIELD_DATE }, { "money", FIELD_MONEY },
	{ "enum", FIELD_ENUM },
};

char *
text_fold(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b;
	int space = 0;

	buf_init(&b);
	while (*p != '\0') {
		unsigned int c = *p;
		size_t adv = 1;

		/* U+FF01..U+FF5E is EF BC 81..EF BD 9E; U+3000 is E3 80 80. */
		if (p[0] == 0xef && (p[1] == 0xbc || p[1] == 0xbd) &&
		    p[2] >= 0x80 && p[2] <= 0xbf) {
			unsigned int cp = ((p[1] & 0x3f) << 6) | (p[2] & 0x3f);
			cp |= 0xf000;
			if (cp >= 0xff01 && cp <= 0xff5e) {
				c = cp - 0xff01 + 0x21;
				adv = 3;
			}
		} else if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
			c = ' ';
			adv = 3;
		}
		if (adv == 1 && c >= 0x80) {
			space = 0;
			buf_addc(&b, (char)c);
			p++;
			continue;
		}
		if (c == ' ' || c == '\t') {
			space = 1;
		} else {
			if (space && b.len > 0)
				buf_addc(&b, ' ');
			space = 0;
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			buf_addc(&b, (char)c);
		}
		p += adv;
	}
	return buf_steal(&b);
}

static pcre2_code *
compile(const char *pattern)
{
	pcre2_code *re;
	int err;
	PCRE2_SIZE off;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF,
	    &err, &off, NULL);
	if (re == NULL)
		return NULL;
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

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

static void
tfield_free(struct tfield *f)
{
	free(f->key);
	free(f->title);
	kv_list_free(f->labels, f->nlabels);
}

static int
set_field_key(struct tfield *f, const struct kv_entry *e, char **errstr)
{
	size_t i, n;
	char **labels;

	if (strcmp(e->key, "labels") == 0) {
		labels = kv_split_list(e->value, &n);
		if (n == 0) {
			*errstr = xasprintf("%d: 'labels' is empty", e->line);
			kv_list_free(labels, n);
			return -1;
		}
		kv_list_free(f->labels, f->nlabels);
		free(f->title);
		f->title = xstrdup(labels[0]);
		for (i = 0; i < n; i++) {
			char *folded = text_fold(labels[i]);
			free(labels[i]);
			labels[i] = folded;
		}
		f->labels = labels;
		f->nlabels = n;
	} else if (strcmp(e->key, "required") == 0) {
		if ((f->required = kv_bool(e->value)) < 0) {
			*errstr = xasprintf("%d: 'required' must be yes or no",
			    e->line);
			return -1;
		}
	} else if (strcmp(e->key, "type") == 0) {
		for (i = 0; i < nitems(field_types); i++)
			if (strcmp(e->value, field_types[i].name) == 0)
				break;
		if (i == nitems(field_types)) {
			*errstr = xasprintf("%d: unknown type '%s' (one of "
			    "text, email, phone, yesno, date, money, enum)",
			    e->line, e->value);
			return -1;
		}
		f->type = field_types[i].type;
	} else if (strcmp(e->key, "max_length") == 0) {
		char *end;
		long v = strtol(e->value, &end, 10);
		if (*e->value == '\0' || *end != '\0' || v < 0 ||
		    v > 1000000) {
			*errstr = xasprintf("%d: 'max_length' must be a number "
			    "from 0 to 1000000", e->line);
			return -1;
		}
		f->max_length = (size_t)v;
	} else {
		*errstr = xasprintf("%d: unknown key '%s' in a field (known: "
		    "labels, required, type, max_length)", e->line, e->key);
		return -1;
	}
	return 0;
}

int
template_parse(const char *text, size_t len, struct template *t,
    char **errstr)
{
	struct kvfile kv;
	struct template nt;
	struct tfield *cur = NULL;
	const char *cur_section = NULL;
	size_t i, j, k;

	memset(&nt, 0, sizeof(nt));
	if (kvfile_parse(text, len, &kv, errstr) != 0)
		return -1;
	for (i = 0; i < kv.n; i++) {
		const struct kv_entry *e = &kv.entries[i];

		if (cur_section == NULL || strcmp(cur_section, e->section)) {
			const char *name;
			cur_section = e->section;
			if (strncmp(e->section, "field ", 6) != 0) {
				*errstr = xasprintf("%d: settings must be under "
				    "a [field KEY] section", e->line);
				goto fail;
			}
			name = e->section + 6;
			while (*name == ' ')
				name++;
			if (*name == '\0' || template_field(&nt, name)) {
				*errstr = xasprintf("%d: field key '%s' is "
				    "empty or used twice", e->line, name);
				goto fail;
			}
			nt.fields = xreallocarray(nt.fields, nt.nfields + 1,
			    sizeof(*nt.fields));
			cur = &nt.fields[nt.nfields++];
			memset(cur, 0, sizeof(*cur));
			cur->key = xstrdup(name);
			cur->line = e->line;
		}
		if (set_field_key(cur, e, errstr) != 0)
			goto fail;
	}
	if (nt.nfields == 0) {
		*errstr = xstrdup("1: the template defines no [field ...]");
		goto fail;
	}
	for (i = 0; i < nt.nfields; i++) {
		if (nt.fields[i].nlabels == 0) {
			*errstr = xasprintf("%d: field '%s' has no labels",
			    nt.fields[i].line, nt.fields[i].key);
			goto fail;
		}
		/* One label naming two fields would make reading ambiguous. */
		for (j = 0; j < i; j++)
			for (k = 0; k < nt.fields[i].nlabels; k++) {
				size_t m;
				for (m = 0; m < nt.fields[j].nlabels; m++)
					if (!strcmp(nt.fields[i].labels[k],
					    nt.fields[j].labels[m])) {
						*errstr = xasprintf("%d: label "
						    "'%s' is used by fields "
						    "'%s' and '%s'",
						    nt.fields[i].line,
						    nt.fields[i].labels[k],
						    nt.fields[j].key,
						    nt.fields[i].key);
						goto fail;
					}
			}
	}
	/*
	 * A label is up to 60 characters without a colon, optionally after
	 * a bullet; the value is the rest of the line.
	 */
	nt.line_re = compile("^[\\s*\\-・■●◆◇□○]*([^:：\\s][^:：]{0,59}?)"
	    "\\s*[:：]\\s*(.*)$");
	nt.email_re = compile("^[^\\s@<>()\\[\\],;:\"]+@[^\\s@<>()\\[\\],;:\"]+"
	    "\\.[^\\s@<>()\\[\\],;:\".]+$");
	if (nt.line_re == NULL || nt.email_re == NULL)
		abort();	/* our own fixed patterns: a broken invariant */
	kvfile_free(&kv);
	*t = nt;
	return 0;
fail:
	kvfile_free(&kv);
	template_free(&nt);
	return -1;
}

void
template_free(struct template *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nfields; i++)
		tfield_free(&t->fields[i]);
	free(t->fields);
	pcre2_code_free(t->line_re);
	pcre2_code_free(t->email_re);
	memset(t, 0, sizeof(*t));
}

const struct tfield *
template_field(const struct template *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].key, key) == 0)
			return &t->fields[i];
	return NULL;
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

static void
add_problem(struct form *f, const struct tfield *field, enum problem_kind k,
    char *reason)
{
	f->problems = xreallocarray(f->problems, f->nproblems + 1,
	    sizeof(*f->problems));
	f->problems[f->nproblems].field = field;
	f->problems[f->nproblems].kind = k;
	f->problems[f->nproblems].reason = reason;
	f->nproblems++;
}

static void
check_value(const struct template *t, struct form *f,
    const struct form_value *v)
{
	const struct tfield *fd = v->field;
	size_t digits = 0;
	const char *p;

	if (fd->max_length > 0 && strlen(v->value) > fd->max_length) {
		add_problem(f, fd, PROBLEM_INVALID, xasprintf("longer than %zu "
		    "characters", fd->max_length));
		return;
	}
	switch (fd->type) {
	case FIELD_EMAIL:
		if (match(t->email_re, v->value, strlen(v->value), NULL, 0) <= 0)
			add_problem(f, fd, PROBLEM_INVALID,
			    xstrdup("not an email address"));
		break;
	case FIELD_PHONE:
		for (p = v->value; *p != '\0'; p++)
			if (*p >= '0' && *p <= '9')
				digits++;
		if (digits < 6)
			add_problem(f, fd, PROBLEM_INVALID,
			    xstrdup("not a phone number"));
		break;
	case FIELD_YESNO:
		if (yesno_value(v->value) < 0)
			add_problem(f, fd, PROBLEM_INVALID,
			    xstrdup("answer yes or no"));
		break;
	default:
		break;
	}
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

void
form_read(const struct template *t, const char *text, struct form *out)
{
	struct buf *vals = xcalloc(t->nfields, sizeof(*vals));
	int *lines = xcalloc(t->nfields, sizeof(*lines));
	long cur = -1;
	const char *p = text;
	int lineno = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t ov[6];

		lineno++;
		if (n == 3 && strncmp(p, "-- ", 3) == 0)
			break;
		if (n > 0 && p[0] == '>') {
			cur = -1;
		} else if (is_blank(p, n)) {
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
			} else if (cur >= 0) {
				buf_addc(&vals[cur], '\n');
				buf_add(&vals[cur], p, n);
			}
		} else if (cur >= 0) {
			buf_addc(&vals[cur], '\n');
			buf_add(&vals[cur], p, n);
		}
		p += n;
		if (*p == '\n')
			p++;
	}

	for (i = 0; i < t->nfields; i++) {
		char *v = strtrim(buf_steal(&vals[i]));
		/* Typed values are read in half-width: ｙａｍａｄａ＠ is yamada@. */
		if (t->fields[i].type != FIELD_TEXT) {
			char *folded = text_fold(v);
			free(v);
			v = folded;
		}
		if (*v == '\0') {
			free(v);
			if (t->fields[i].required)
				add_problem(out, &t->fields[i], PROBLEM_MISSING,
				    xstrdup("required"));
			continue;
		}
		out->values = xreallocarray(out->values, out->nvalues + 1,
		    sizeof(*out->values));
		out->values[out->nvalues].field = &t->fields[i];
		out->values[out->nvalues].value = v;
		out->values[out->nvalues].line = lines[i];
		check_value(t, out, &out->values[out->nvalues]);
		out->nvalues++;
	}
	free(vals);
	free(lines);
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
		free(f->problems[i].reason);
	free(f->values);
	free(f->problems);
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
