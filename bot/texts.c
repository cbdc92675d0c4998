/* texts: reading and checking the templates folder, once. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "keyword.h"
#include "kvfile.h"
#include "log.h"
#include "render.h"
#include "template.h"
#include "texts.h"
#include "texts_int.h"
#include "tiers.h"
#include "util.h"

/* What every mail and kit text may use (texts_render fills them in). */
#define COMMON_VARS "form firm_name intake_address from_name"
#define MAX_VARS 32

static const char *langs[] = { "en", "ja" };

/* One file of the set. */
struct text {
	const struct known *k;
	int ja;
	char *path;
	char *text;		/* as read */
	struct kvfile lines;	/* a phrase file's */
};

struct texts {
	struct template tmpl;
	struct template survey[2];	/* survey_kinds' templates */
	struct keyword_table *keywords;
	struct tier_rows *tiers;	/* tiers.txt's rows; NULL: none */
	char *form[2];		/* the blank form, en and ja */
	struct text *v;
	size_t n;
};

struct loader {
	const char *dir;
	struct texts *t;
	texts_report_fn *report;
	void *arg;
	int nfail;
	int fails, warns;	/* of the check under way */
	size_t ntexts;		/* mail texts seen */
};

static void say(struct loader *, enum texts_level, const char *,
    const char *, ...) __attribute__((format(printf, 4, 5)));

static void
say(struct loader *l, enum texts_level level, const char *check,
    const char *fmt, ...)
{
	va_list ap;
	struct buf msg;

	if (level == TEXTS_FAIL) {
		l->nfail++;
		l->fails++;
	} else if (level == TEXTS_WARN)
		l->warns++;
	if (l->report == NULL)
		return;
	buf_init(&msg);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	l->report(l->arg, level, check, msg.data);
	buf_free(&msg);
}

static void
begin(struct loader *l)
{
	l->fails = l->warns = 0;
}

/* Placeholders as render_vars with empty values, for checking. */
struct allowed {
	char *names;
	struct render_var v[MAX_VARS];
	size_t n;
};

static void
allowed_init(struct allowed *a, const struct known *k)
{
	char *p, *save = NULL;

	a->names = xasprintf("%s %s", k->vars, k->kind == LINES ? "" :
	    COMMON_VARS);
	a->n = 0;
	for (p = strtok_r(a->names, " ", &save); p != NULL;
	    p = strtok_r(NULL, " ", &save)) {
		if (a->n == MAX_VARS)
			fatalx("texts: %s has too many placeholders", k->name);
		a->v[a->n].name = p;
		a->v[a->n++].value = "";
	}
}

/* "{{a}}, {{b}}": for saying what a text may use. */
static char *
allowed_list(const struct allowed *a)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < a->n; i++)
		buf_addf(&b, "%s{{%s}}", i ? ", " : "", a->v[i].name);
	return buf_steal(&b);
}

/*
 * The first placeholder in s that a does not have, in *unknown, and the
 * line it ends on, counting from first; 0 when there is none.  render
 * itself finds it, so the check reads placeholders as sending does.
 */
static int
unknown_placeholder(const char *s, const struct allowed *a, int first,
    char **unknown)
{
	const char *nl;
	char *prefix;
	int line = first;

	free(render(s, a->v, a->n, unknown));
	if (*unknown == NULL)
		return 0;
	free(*unknown);
	for (nl = strchr(s, '\n'); nl != NULL; nl = strchr(nl + 1, '\n')) {
		prefix = xstrndup(s, (size_t)(nl - s));
		free(render(prefix, a->v, a->n, unknown));
		free(prefix);
		if (*unknown != NULL)
			return line;
		line++;
	}
	free(render(s, a->v, a->n, unknown));
	return line;
}

/* Adds path's text as k in language ja; NULL when it cannot be read. */
static struct text *
add(struct loader *l, const struct known *k, int ja, const char *path)
{
	struct texts *t = l->t;
	struct text *x;
	char *s;

	if ((s = read_file(path, NULL)) == NULL)
		return NULL;
	t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
	x = &t->v[t->n++];
	memset(x, 0, sizeof(*x));
	x->k = k;
	x->ja = ja;
	x->path = xstrdup(path);
	x->text = s;
	return x;
}

/* Forgets the text just added: it did not check out. */
static void
drop(struct loader *l)
{
	struct text *x = &l->t->v[--l->t->n];

	free(x->path);
	free(x->text);
	kvfile_free(&x->lines);
}

/*
 * A phrase file's thresholds (KEY.when, KEY.min: the talking points,
 * health.h) are numbers, or "off".
 */
static void
check_thresholds(struct loader *l, const char *check, const struct text *x)
{
	const struct kv_entry *e;
	const char *dot;
	char *end;
	size_t i;

	for (i = 0; i < x->lines.n; i++) {
		e = &x->lines.entries[i];
		if ((dot = strrchr(e->key, '.')) == NULL ||
		    (strcmp(dot, ".when") != 0 && strcmp(dot, ".min") != 0) ||
		    strcmp(e->value, "off") == 0)
			continue;
		if (strtod(e->value, &end) < 0 || end == e->value ||
		    *end != '\0')
			say(l, TEXTS_FAIL, check, "%s:%d: %s must be a number "
			    "or off — write e.g. '%s = 3'", x->path, e->line,
			    e->key, e->key);
	}
}

/* A phrase file: parses, has the keys looked up, placeholders known. */
static void
check_lines(struct loader *l, const char *check, struct text *x)
{
	const struct known *k = x->k;
	struct allowed a;
	struct buf missing;
	char *err = NULL, *unknown, *list, *keys, *key, *save = NULL;
	size_t i;
	int line;

	if (kvfile_parse(x->text, strlen(x->text), &x->lines, &err) != 0) {
		say(l, TEXTS_FAIL, check, "%s:%s — correct that line",
		    x->path, err);
		free(err);
		drop(l);
		return;
	}
	allowed_init(&a, k);
	for (i = 0; i < x->lines.n; i++) {
		line = unknown_placeholder(x->lines.entries[i].value, &a,
		    x->lines.entries[i].line, &unknown);
		if (line == 0)
			continue;
		list = allowed_list(&a);
		say(l, TEXTS_FAIL, check, "%s:%d: unknown placeholder {{%s}} — "
		    "the lines may use %s", x->path, line, unknown, list);
		free(list);
		free(unknown);
		break;
	}
	free(a.names);
	check_thresholds(l, check, x);
	buf_init(&missing);
	keys = xstrdup(k->keys ? k->keys : "");
	for (key = strtok_r(keys, " ", &save); key != NULL;
	    key = strtok_r(NULL, " ", &save)) {
		for (i = 0; i < x->lines.n; i++)
			if (strcmp(x->lines.entries[i].key, key) == 0)
				break;
		if (i == x->lines.n)
			buf_addf(&missing, "%s%s", missing.len ? ", " : "",
			    key);
	}
	if (missing.len > 0)
		say(l, TEXTS_FAIL, check, "%s has no text for %s — add a line "
		    "'KEY = text' for each (see refbot-template(5))", x->path,
		    missing.data);
	free(keys);
	buf_free(&missing);
}

/* A mail text has its Subject: line; a mail or kit text, known names. */
static void
check_text(struct loader *l, const char *check, struct text *x)
{
	struct allowed a;
	char *subject, *body, *unknown, *list;
	int line;

	if (x->k->kind == MAIL) {
		if (render_split(x->text, &subject, &body) != 0) {
			say(l, TEXTS_FAIL, check, "%s:1: the first line must "
			    "be 'Subject: ...' — add it (see "
			    "refbot-template(5))", x->path);
			return;
		}
		free(subject);
		free(body);
	}
	allowed_init(&a, x->k);
	if ((line = unknown_placeholder(x->text, &a, 1, &unknown)) != 0) {
		list = allowed_list(&a);
		say(l, TEXTS_FAIL, check, "%s:%d: unknown placeholder {{%s}} — "
		    "this text may use %s", x->path, line, unknown, list);
		free(list);
		free(unknown);
	}
	free(a.names);
}

/* Reads and checks k in both languages. */
static void
load_known(struct loader *l, const struct known *k, const char *check)
{
	struct text *x;
	char *path;
	int ja;

	for (ja = 0; ja <= (k->ja ? 1 : 0); ja++) {
		path = xasprintf("%s/%s.%s.txt", l->dir, k->name, langs[ja]);
		if ((x = add(l, k, ja, path)) == NULL) {
			if (errno == ENOENT && ja && k->ja == 1)
				say(l, TEXTS_WARN, check, "%s is missing: "
				    "partners who write in that language get "
				    "the English text — add it if that is not "
				    "intended", path);
			else
				say(l, TEXTS_FAIL, check, "%s: %s — %s", path,
				    strerror(errno), k->kind == PLAIN ? "the "
				    "welcome kit cannot be sent without it; "
				    "reinstall the templates or write it" :
				    "reinstall the templates or restore the "
				    "file");
			free(path);
			continue;
		}
		free(path);
		l->ntexts++;
		if (k->kind == LINES)
			check_lines(l, check, x);
		else
			check_text(l, check, x);
	}
}

static void
load_template(struct loader *l)
{
	struct template *t = &l->t->tmpl;
	struct buf form;
	char *path, *text, *err = NULL;
	size_t len, i, nreq = 0;
	int ja;

	begin(l);
	path = xasprintf("%s/referral.template", l->dir);
	if ((text = read_file(path, &len)) == NULL)
		say(l, TEXTS_FAIL, "template", "%s: %s — check 'templates' in "
		    "the configuration, or reinstall the templates", path,
		    strerror(errno));
	else if (template_parse(text, len, t, &err) != 0) {
		say(l, TEXTS_FAIL, "template", "%s:%s — correct that line (see "
		    "refbot-template(5))", path, err);
		free(err);
		memset(t, 0, sizeof(*t));
	} else {
		for (i = 0; i < t->nfields; i++)
			nreq += t->fields[i].required != 0;
		say(l, TEXTS_OK, "template", "%s: %zu fields (%zu required), "
		    "%zu one_of group%s", path, t->nfields, nreq, t->ngroups,
		    t->ngroups == 1 ? "" : "s");
		for (i = 0; i < t->nfields; i++)
			say(l, TEXTS_DETAIL, "template", "%s%s: %s",
			    t->fields[i].key, t->fields[i].required ?
			    " (required)" : "", t->fields[i].title);
	}
	for (ja = 0; ja < 2; ja++) {
		buf_init(&form);
		template_blank_form(t, langs[ja], &form);
		l->t->form[ja] = form.data ? buf_steal(&form) : xstrdup("");
	}
	free(text);
	free(path);
}

/* tiers.txt: optional; absent or all comments, tier_rates applies. */
static void
load_tiers(struct loader *l)
{
	char *path, *text, *err = NULL;
	size_t len;
	int line;

	begin(l);
	path = xasprintf("%s/tiers.txt", l->dir);
	l->t->tiers = xcalloc(1, sizeof(*l->t->tiers));
	if ((text = read_file(path, &len)) == NULL && errno != ENOENT)
		say(l, TEXTS_FAIL, "tiers", "%s: %s", path, strerror(errno));
	else if (text != NULL && tier_rows_parse(text, len, l->t->tiers,
	    &line, &err) != 0) {
		if (line > 0)
			say(l, TEXTS_FAIL, "tiers", "%s:%d: %s", path, line,
			    err);
		else
			say(l, TEXTS_FAIL, "tiers", "%s: %s", path, err);
		free(err);
	} else if (l->t->tiers->n > 0)
		say(l, TEXTS_OK, "tiers", "%s: %zu commission tiers load (the "
		    "configuration's tier_rates is not used)", path,
		    l->t->tiers->n);
	else
		say(l, TEXTS_OK, "tiers", "%s: no rows: commission tiers by "
		    "the configuration's tier_rates", path);
	if (l->t->tiers->n == 0) {
		free(l->t->tiers);
		l->t->tiers = NULL;
	}
	free(text);
	free(path);
}

/* The surveys (issue 20.1), each templates/survey-KIND.template. */
static const char *const survey_kinds[2] = { "partner", "client" };

static void
load_surveys(struct loader *l)
{
	char *path, *text, *err = NULL;
	size_t len, i, k;

	begin(l);
	for (i = 0; i < nitems(survey_kinds); i++) {
		struct template *t = &l->t->survey[i];

		path = xasprintf("%s/survey-%s.template", l->dir,
		    survey_kinds[i]);
		if ((text = read_file(path, &len)) == NULL)
			say(l, TEXTS_FAIL, "surveys", "%s: %s — reinstall the "
			    "templates or restore the file", path,
			    strerror(errno));
		else if (template_parse(text, len, t, &err) != 0) {
			say(l, TEXTS_FAIL, "surveys", "%s:%s — correct that "
			    "line (see refbot-template(5))", path, err);
			free(err);
			err = NULL;
			memset(t, 0, sizeof(*t));
		} else {
			for (k = 0; k < t->nfields &&
			    strcmp(t->fields[k].key, "satisfaction") != 0; k++)
				;
			if (t->nfields == 0 || t->nfields > 9)
				say(l, TEXTS_FAIL, "surveys", "%s: %zu "
				    "questions — a survey asks 1 to 9", path,
				    t->nfields);
			else if (k == t->nfields)
				say(l, TEXTS_WARN, "surveys", "%s: no question "
				    "'satisfaction' — reports show no overall "
				    "satisfaction", path);
			else
				say(l, TEXTS_OK, "surveys", "%s: %zu questions",
				    path, t->nfields);
		}
		free(text);
		free(path);
	}
}

static void
load_keywords(struct loader *l)
{
	char *path, *text, *err = NULL;
	size_t len;

	begin(l);
	path = xasprintf("%s/keywords.txt", l->dir);
	if ((text = read_file(path, &len)) == NULL)
		say(l, TEXTS_FAIL, "keywords", "%s: %s — check 'templates' in "
		    "the configuration, or reinstall the templates", path,
		    strerror(errno));
	else if (keyword_table_parse(text, len, &l->t->keywords, &err) != 0) {
		say(l, TEXTS_FAIL, "keywords", "%s:%s — correct that line (the "
		    "file's header says what is allowed)", path, err);
		free(err);
		l->t->keywords = NULL;
	} else
		say(l, TEXTS_OK, "keywords", "%s: the staff keyword aliases "
		    "load", path);
	free(text);
	free(path);
}

static void
load_reasons(struct loader *l)
{
	const struct known *k = &known[0];
	char check[32], *path;
	int ja;

	for (ja = 0; ja < 2; ja++) {
		begin(l);
		snprintf(check, sizeof(check), "reasons.%s", langs[ja]);
		path = xasprintf("%s/%s.%s.txt", l->dir, k->name, langs[ja]);
		if (add(l, k, ja, path) == NULL)
			say(l, TEXTS_FAIL, check, "%s: %s — check 'templates' "
			    "in the configuration, or reinstall the templates",
			    path, strerror(errno));
		else {
			check_lines(l, check, &l->t->v[l->t->n - 1]);
			if (l->fails == 0)
				say(l, TEXTS_OK, check, "%s: a text for each of "
				    "the problem codes (%s)", path, k->keys);
		}
		free(path);
	}
}

/* Whether file (NAME.LANG.txt) is a known text, checked already. */
static int
is_known(const char *file)
{
	char name[256];
	size_t i;
	int ja;

	for (i = 0; i < nknown; i++)
		for (ja = 0; ja < 2; ja++) {
			snprintf(name, sizeof(name), "%s.%s.txt",
			    known[i].name, langs[ja]);
			if (strcmp(file, name) == 0)
				return 1;
		}
	return 0;
}

/*
 * Any other text in the folder, perhaps for a newer refbot: a mail text
 * or a list of phrases, or doctor complains.  It is not kept.
 */
static void
check_other(struct loader *l, const char *path)
{
	struct kvfile kv;
	char *text, *subject, *body, *err = NULL;
	size_t len;

	say(l, TEXTS_DETAIL, "mail texts", "checking %s", path);
	if ((text = read_file(path, &len)) == NULL) {
		say(l, TEXTS_FAIL, "mail texts", "%s: %s — reinstall the "
		    "templates or restore the file", path, strerror(errno));
		return;
	}
	l->ntexts++;
	if (render_split(text, &subject, &body) == 0) {
		free(subject);
		free(body);
	} else if (kvfile_parse(text, len, &kv, &err) == 0)
		kvfile_free(&kv);
	else {
		free(err);
		say(l, TEXTS_FAIL, "mail texts", "%s:1: the first line must "
		    "be 'Subject: ...' — add it (see refbot-template(5))",
		    path);
	}
	free(text);
}

static void
load_mail_texts(struct loader *l)
{
	struct dirent **names = NULL;
	char *dir, *path;
	size_t i, len;
	int k, n;

	begin(l);
	l->ntexts = 0;
	for (i = 0; i < nknown; i++)
		if (known[i].group == MAILTEXTS)
			load_known(l, &known[i], "mail texts");
	/* Sorted, so that two runs say the same. */
	dir = xasprintf("%s/mail", l->dir);
	n = scandir(dir, &names, NULL, alphasort);
	for (k = 0; k < n; k++) {
		len = strlen(names[k]->d_name);
		path = xasprintf("mail/%s", names[k]->d_name);
		if (len > 4 && strcmp(names[k]->d_name + len - 4, ".txt") == 0
		    && !is_known(path)) {
			free(path);
			path = xasprintf("%s/%s", dir, names[k]->d_name);
			check_other(l, path);
		}
		free(path);
		free(names[k]);
	}
	free(names);
	if (l->fails == 0)
		say(l, TEXTS_OK, "mail texts", "%s: %zu texts, each with its "
		    "Subject: line or a list of phrases", dir, l->ntexts);
	free(dir);
}

static void
load_kit(struct loader *l)
{
	size_t i;

	begin(l);
	for (i = 0; i < nknown; i++)
		if (known[i].group == KIT)
			load_known(l, &known[i], "partner kit");
	if (l->fails == 0 && l->warns == 0)
		say(l, TEXTS_OK, "partner kit", "%s: overview and introduction "
		    "texts, English and Japanese", l->dir);
}

/*
 * A missing folder is one problem, not one per file: said once, with the
 * fix (a binary run from its build tree points at its source tree).
 */
static int
folder_usable(struct loader *l)
{
	const char *src = config_source_templates(), *why = "not a folder";
	struct stat st;

	if (stat(l->dir, &st) != 0)
		why = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		return 1;
	if (src != NULL)
		say(l, TEXTS_FAIL, "templates", "%s: %s — this refbot runs "
		    "from its build tree: set 'templates = %s' in the "
		    "configuration, or 'make install'", l->dir, why, src);
	else
		say(l, TEXTS_FAIL, "templates", "%s: %s — set 'templates' in "
		    "the configuration to the folder holding "
		    "referral.template and mail/, or reinstall refbot", l->dir,
		    why);
	return 0;
}

int
texts_load(const char *dir, texts_report_fn *report, void *arg,
    struct texts **out)
{
	struct loader l;

	memset(&l, 0, sizeof(l));
	l.dir = dir;
	l.t = xcalloc(1, sizeof(*l.t));
	l.report = report;
	l.arg = arg;
	if (!folder_usable(&l)) {
		*out = l.t;
		return l.nfail;
	}
	load_template(&l);
	load_surveys(&l);
	load_keywords(&l);
	load_tiers(&l);
	load_reasons(&l);
	load_mail_texts(&l);
	load_kit(&l);
	*out = l.t;
	return l.nfail;
}

void
texts_free(struct texts *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].path);
		free(t->v[i].text);
		kvfile_free(&t->v[i].lines);
	}
	free(t->v);
	free(t->form[0]);
	free(t->form[1]);
	keyword_table_free(t->keywords);
	free(t->tiers);
	template_free(&t->tmpl);
	template_free(&t->survey[0]);
	template_free(&t->survey[1]);
	free(t);
}

const struct template *
texts_template(const struct texts *t)
{
	return &t->tmpl;
}

const struct template *
texts_survey(const struct texts *t, const char *kind)
{
	size_t i;

	for (i = 0; i < nitems(survey_kinds); i++)
		if (strcmp(kind, survey_kinds[i]) == 0)
			return &t->survey[i];
	return NULL;
}

const struct keyword_table *
texts_keywords(const struct texts *t)
{
	return t->keywords;
}

const struct tier_rows *
texts_tiers(const struct texts *t)
{
	return t->tiers;
}

/* NAME.LANG, or NAME.en when there is no Japanese; NULL if neither. */
static const struct text *
find(const struct texts *t, const char *name, const char *lang)
{
	const struct text *en = NULL;
	int ja = lang != NULL && strcmp(lang, "ja") == 0;
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].k->name, name) != 0)
			continue;
		if (t->v[i].ja == ja)
			return &t->v[i];
		if (!t->v[i].ja)
			en = &t->v[i];
	}
	return en;
}

const struct kvfile *
texts_lines(const struct texts *t, const char *name, const char *lang)
{
	const struct text *x = find(t, name, lang);

	return x != NULL && x->k->kind == LINES ? &x->lines : NULL;
}

int
texts_render(const struct texts *t, const struct texts_env *env,
    const char *name, const char *lang, const struct render_var *vars,
    size_t nvars, char **subject, char **out, char **errstr)
{
	const struct text *x = find(t, name, lang);
	struct render_var *all;
	char *unknown = NULL;
	int rc = 0;

	if (x == NULL || x->k->kind == LINES) {
		*errstr = xasprintf("%s: no such text", name);
		return -1;
	}
	all = xcalloc(nvars + 4, sizeof(*all));
	if (nvars > 0)
		memcpy(all, vars, nvars * sizeof(*all));
	all[nvars].name = "form";
	all[nvars].value = t->form[x->ja];
	all[nvars + 1].name = "firm_name";
	all[nvars + 1].value = env->firm_name;
	all[nvars + 2].name = "intake_address";
	all[nvars + 2].value = env->intake_address;
	all[nvars + 3].name = "from_name";
	all[nvars + 3].value = env->from_name;
	if (subject != NULL)
		rc = render_mail(x->text, all, nvars + 4, subject, out,
		    &unknown);
	else
		*out = render(x->text, all, nvars + 4, &unknown);
	free(all);
	if (rc != 0) {
		*errstr = xasprintf("%s: not a mail text", x->path);
		return -1;
	}
	if (unknown != NULL) {
		*errstr = xasprintf("%s: no value for {{%s}}", x->path,
		    unknown);
		free(unknown);
		free(*out);
		*out = NULL;
		if (subject != NULL) {
			free(*subject);
			*subject = NULL;
		}
		return -1;
	}
	return 0;
}
