/*
 * template: loads the qualification template (template_form.c reads
 * submissions against it).  PCRE2 splits "label: value" lines and checks
 * values; every match runs under a match context with limits, so hostile
 * input costs bounded time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kvfile.h"
#include "template.h"
#include "util.h"

/* The role names, which are also the keys a role falls back to. */
static const char *const role_names[FIELD_ROLES] = {
	NULL, "client", "contact_name", "contact_email",
};

static const struct {
	const char *name;
	enum field_type type;
} field_types[] = {
	{ "text", FIELD_TEXT }, { "email", FIELD_EMAIL },
	{ "phone", FIELD_PHONE }, { "yesno", FIELD_YESNO },
	{ "date", FIELD_DATE }, { "money", FIELD_MONEY },
	{ "enum", FIELD_ENUM }, { "score", FIELD_SCORE },
};

char *
text_fold(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	/* Never longer than s: each character folds to as many bytes or fewer. */
	char *out = xmalloc(strlen(s) + 1);
	size_t n = 0;
	int space = 0;

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
			/* A space before Japanese text is still a space. */
			if (space && n > 0 && (c & 0xc0) != 0x80)
				out[n++] = ' ';
			space = 0;
			out[n++] = (char)c;
			p++;
			continue;
		}
		if (c == ' ' || c == '\t') {
			space = 1;
		} else {
			if (space && n > 0)
				out[n++] = ' ';
			space = 0;
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			out[n++] = (char)c;
		}
		p += adv;
	}
	out[n] = '\0';
	return out;
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

static void
tfield_free(struct tfield *f)
{
	free(f->key);
	free(f->title);
	free(f->title_ja);
	kv_list_free(f->labels, f->nlabels);
	pcre2_code_free(f->pattern);
	kv_list_free(f->values, f->nvalues);
	free(f->values_text);
	free(f->reason);
	free(f->reason_ja);
}

static int
has_non_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
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
		free(f->title_ja);
		f->title = xstrdup(labels[0]);
		f->title_ja = NULL;
		for (i = 0; i < n && f->title_ja == NULL; i++)
			if (has_non_ascii(labels[i]))
				f->title_ja = xstrdup(labels[i]);
		if (f->title_ja == NULL)
			f->title_ja = xstrdup(labels[0]);
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
	} else if (strcmp(e->key, "pattern") == 0) {
		int err;
		PCRE2_SIZE off;
		PCRE2_UCHAR msg[256];

		pcre2_code_free(f->pattern);
		f->pattern = pcre2_compile((PCRE2_SPTR)e->value,
		    PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP |
		    PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
		if (f->pattern == NULL) {
			pcre2_get_error_message(err, msg, sizeof(msg));
			*errstr = xasprintf("%d: 'pattern' is not a valid "
			    "regular expression at offset %zu: %s", e->line,
			    (size_t)off, (const char *)msg);
			return -1;
		}
		(void)pcre2_jit_compile(f->pattern, PCRE2_JIT_COMPLETE);
	} else if (strcmp(e->key, "values") == 0) {
		kv_list_free(f->values, f->nvalues);
		free(f->values_text);
		f->values = kv_split_list(e->value, &f->nvalues);
		f->values_text = xstrdup(e->value);
		for (i = 0; i < f->nvalues; i++) {
			char *folded = text_fold(f->values[i]);
			free(f->values[i]);
			f->values[i] = folded;
		}
	} else if (strcmp(e->key, "must") == 0) {
		if ((f->must = kv_bool(e->value)) < 0) {
			*errstr = xasprintf("%d: 'must' must be yes or no",
			    e->line);
			return -1;
		}
	} else if (strcmp(e->key, "role") == 0) {
		for (i = 1; i < FIELD_ROLES; i++)
			if (strcmp(e->value, role_names[i]) == 0)
				break;
		if (i == FIELD_ROLES) {
			*errstr = xasprintf("%d: unknown role '%s' (one of "
			    "client, contact_name, contact_email)", e->line,
			    e->value);
			return -1;
		}
		f->role = (enum field_role)i;
	} else if (strcmp(e->key, "reason") == 0) {
		free(f->reason);
		f->reason = xstrdup(e->value);
	} else if (strcmp(e->key, "reason_ja") == 0) {
		free(f->reason_ja);
		f->reason_ja = xstrdup(e->value);
	} else {
		*errstr = xasprintf("%d: unknown key '%s' in a field (known: "
		    "labels, required, type, max_length, pattern, values, "
		    "must, role, reason, reason_ja)", e->line, e->key);
		return -1;
	}
	return 0;
}

/* Settings of a [one_of NAME] section; field names are resolved later. */
static int
set_group_key(struct tgroup *g, char ***names, size_t *nnames,
    const struct kv_entry *e, char **errstr)
{
	if (strcmp(e->key, "fields") == 0) {
		kv_list_free(*names, *nnames);
		*names = kv_split_list(e->value, nnames);
	} else if (strcmp(e->key, "reason") == 0) {
		free(g->reason);
		g->reason = xstrdup(e->value);
	} else if (strcmp(e->key, "reason_ja") == 0) {
		free(g->reason_ja);
		g->reason_ja = xstrdup(e->value);
	} else {
		*errstr = xasprintf("%d: unknown key '%s' in a one_of group "
		    "(known: fields, reason, reason_ja)", e->line, e->key);
		return -1;
	}
	return 0;
}

/* The pending field names of each [one_of] group, resolved at the end. */
struct group_names {
	char **names;
	size_t n;
	int line;
};

static int
resolve_groups(struct template *t, struct group_names *gn, char **errstr)
{
	size_t i, j;

	for (i = 0; i < t->ngroups; i++) {
		struct tgroup *g = &t->groups[i];

		if (gn[i].n < 2) {
			*errstr = xasprintf("%d: one_of group '%s' needs "
			    "'fields' naming at least two fields", gn[i].line,
			    g->name);
			return -1;
		}
		g->fields = xcalloc(gn[i].n, sizeof(*g->fields));
		for (j = 0; j < gn[i].n; j++) {
			g->fields[j] = (struct tfield *)template_field(t,
			    gn[i].names[j]);
			if (g->fields[j] == NULL) {
				*errstr = xasprintf("%d: one_of group '%s' "
				    "names an unknown field '%s'", gn[i].line,
				    g->name, gn[i].names[j]);
				return -1;
			}
		}
		g->nfields = gn[i].n;
	}
	return 0;
}

static int
check_labels(const struct template *t, char **errstr)
{
	size_t i, j, k, m;

	for (i = 0; i < t->nfields; i++) {
		if (t->fields[i].nlabels == 0) {
			*errstr = xasprintf("%d: field '%s' has no labels",
			    t->fields[i].line, t->fields[i].key);
			return -1;
		}
		if (t->fields[i].type == FIELD_ENUM &&
		    t->fields[i].nvalues == 0) {
			*errstr = xasprintf("%d: enum field '%s' needs 'values'",
			    t->fields[i].line, t->fields[i].key);
			return -1;
		}
		if (t->fields[i].must >= 0 &&
		    t->fields[i].type != FIELD_YESNO) {
			*errstr = xasprintf("%d: 'must' applies to yesno fields "
			    "only ('%s')", t->fields[i].line, t->fields[i].key);
			return -1;
		}
		/* One label naming two fields would make reading ambiguous. */
		for (j = 0; j < i; j++)
			for (k = 0; k < t->fields[i].nlabels; k++)
				for (m = 0; m < t->fields[j].nlabels; m++)
					if (!strcmp(t->fields[i].labels[k],
					    t->fields[j].labels[m])) {
						*errstr = xasprintf("%d: label "
						    "'%s' is used by fields "
						    "'%s' and '%s'",
						    t->fields[i].line,
						    t->fields[i].labels[k],
						    t->fields[j].key,
						    t->fields[i].key);
						return -1;
					}
	}
	return 0;
}

/*
 * Each role belongs to one field at most; a role no field claims goes to
 * the field keyed by the role's name, unless that field has another.
 */
static int
assign_roles(struct template *t, char **errstr)
{
	size_t i, j;
	int r;

	for (i = 0; i < t->nfields; i++)
		for (j = 0; j < i; j++)
			if (t->fields[i].role != FIELD_ROLE_NONE &&
			    t->fields[i].role == t->fields[j].role) {
				*errstr = xasprintf("%d: role '%s' is given to "
				    "fields '%s' and '%s'", t->fields[i].line,
				    role_names[t->fields[i].role],
				    t->fields[j].key, t->fields[i].key);
				return -1;
			}
	for (r = 1; r < FIELD_ROLES; r++) {
		struct tfield *f = NULL;

		for (i = 0; i < t->nfields; i++) {
			if (t->fields[i].role == (enum field_role)r)
				break;
			if (strcmp(t->fields[i].key, role_names[r]) == 0)
				f = &t->fields[i];
		}
		if (i == t->nfields && f != NULL && f->role == FIELD_ROLE_NONE)
			f->role = (enum field_role)r;
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
	struct tgroup *curg = NULL;
	struct group_names *gn = NULL;
	const char *cur_section = NULL;
	size_t i;
	int rc = -1;

	memset(&nt, 0, sizeof(nt));
	if (kvfile_parse(text, len, &kv, errstr) != 0)
		return -1;
	for (i = 0; i < kv.n; i++) {
		const struct kv_entry *e = &kv.entries[i];

		if (cur_section == NULL || strcmp(cur_section, e->section)) {
			const char *name;
			int group = strncmp(e->section, "one_of ", 7) == 0;

			cur_section = e->section;
			if (!group && strncmp(e->section, "field ", 6) != 0) {
				*errstr = xasprintf("%d: settings must be under "
				    "a [field KEY] or [one_of NAME] section",
				    e->line);
				goto out;
			}
			name = e->section + (group ? 7 : 6);
			while (*name == ' ')
				name++;
			if (*name == '\0' || (!group &&
			    template_field(&nt, name) != NULL)) {
				*errstr = xasprintf("%d: field key '%s' is "
				    "empty or used twice", e->line, name);
				goto out;
			}
			if (group) {
				nt.groups = xreallocarray(nt.groups,
				    nt.ngroups + 1, sizeof(*nt.groups));
				gn = xreallocarray(gn, nt.ngroups + 1,
				    sizeof(*gn));
				curg = &nt.groups[nt.ngroups];
				memset(curg, 0, sizeof(*curg));
				memset(&gn[nt.ngroups], 0, sizeof(*gn));
				gn[nt.ngroups].line = e->line;
				curg->name = xstrdup(name);
				nt.ngroups++;
				cur = NULL;
			} else {
				nt.fields = xreallocarray(nt.fields,
				    nt.nfields + 1, sizeof(*nt.fields));
				cur = &nt.fields[nt.nfields++];
				memset(cur, 0, sizeof(*cur));
				cur->key = xstrdup(name);
				cur->line = e->line;
				cur->must = -1;
				curg = NULL;
			}
		}
		if (cur != NULL ? set_field_key(cur, e, errstr) :
		    set_group_key(curg, &gn[nt.ngroups - 1].names,
		    &gn[nt.ngroups - 1].n, e, errstr))
			goto out;
	}
	if (nt.nfields == 0) {
		*errstr = xstrdup("1: the template defines no [field ...]");
		goto out;
	}
	if (check_labels(&nt, errstr) != 0 ||
	    assign_roles(&nt, errstr) != 0 ||
	    resolve_groups(&nt, gn, errstr) != 0)
		goto out;
	/*
	 * A label is up to 60 characters without a colon, optionally after
	 * a bullet; the value is the rest of the line.
	 */
	nt.line_re = compile("^[\\s*\\-・■●◆◇□○]*([^:：\\s][^:：]{0,59}?)"
	    "\\s*[:：]\\s*(.*)$");
	nt.email_re = compile("^[^\\s@<>()\\[\\],;:\"]+@[^\\s@<>()\\[\\],;:\"]+"
	    "\\.[^\\s@<>()\\[\\],;:\".]+$");
	nt.date_re = compile("^(\\d{4}[-/.年]\\d{1,2}([-/.月]\\d{1,2}日?)?|"
	    "\\d{1,2}[/月]\\d{1,2}日?)$");
	if (nt.line_re == NULL || nt.email_re == NULL || nt.date_re == NULL)
		abort();	/* our own fixed patterns: a broken invariant */
	rc = 0;
out:
	for (i = 0; i < nt.ngroups; i++)
		kv_list_free(gn[i].names, gn[i].n);
	free(gn);
	kvfile_free(&kv);
	if (rc == 0)
		*t = nt;
	else
		template_free(&nt);
	return rc;
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
	for (i = 0; i < t->ngroups; i++) {
		free(t->groups[i].name);
		free(t->groups[i].fields);
		free(t->groups[i].reason);
		free(t->groups[i].reason_ja);
	}
	free(t->groups);
	pcre2_code_free(t->line_re);
	pcre2_code_free(t->email_re);
	pcre2_code_free(t->date_re);
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

static int
in_group(const struct template *t, const struct tfield *f)
{
	size_t i, j;

	for (i = 0; i < t->ngroups; i++)
		for (j = 0; j < t->groups[i].nfields; j++)
			if (t->groups[i].fields[j] == f)
				return 1;
	return 0;
}

void
template_blank_form(const struct template *t, const char *lang,
    struct buf *out)
{
	int ja = lang != NULL && strcmp(lang, "ja") == 0;
	size_t i;

	for (i = 0; i < t->nfields; i++) {
		const struct tfield *f = &t->fields[i];

		buf_addf(out, "%s%s%s%s", i ? "\n" : "",
		    f->required || in_group(t, f) ? "* " : "  ",
		    ja ? f->title_ja : f->title, ja ? "\xef\xbc\x9a" : ": ");
	}
}
