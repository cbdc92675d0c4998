/*
 * Table-driven test over tests/data/corpus: each NAME.eml is analysed as
 * the daemon would (parsers/analyze.c with the default template), and
 * the result is compared with NAME.expect, one "key: value" per line:
 *
 *   from, subject~, charset, text_type, kind, automatic~, ref, outcome,
 *   field.KEY (exact), nofield, problem ("KEY missing|invalid"),
 *   attachment ("NAME TYPE"), text~ (substring of the text)
 *
 * "~" keys match a substring; the others match exactly.
 */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "check.h"
#include "kvfile.h"
#include "util.h"

static struct template tmpl;
static const char *cur_name;

static const char *
field_value(const struct analysis *a, const char *key)
{
	return form_get(&a->form, key);
}

static int
has_problem(const struct analysis *a, const char *spec)
{
	size_t i;

	for (i = 0; i < a->form.nproblems; i++) {
		char *s = xasprintf("%s %s", a->form.problems[i].field->key,
		    a->form.problems[i].kind == PROBLEM_MISSING ? "missing" :
		    "invalid");
		int eq = strcmp(s, spec) == 0;
		free(s);
		if (eq)
			return 1;
	}
	/* A failed checklist rule counts as the field being invalid. */
	for (i = 0; i < a->form.nfailed; i++) {
		char *s = xasprintf("%s invalid", a->form.failed[i]->key);
		int eq = strcmp(s, spec) == 0;
		free(s);
		if (eq)
			return 1;
	}
	return 0;
}

static int
has_attachment(const struct analysis *a, const char *spec)
{
	size_t i;

	for (i = 0; i < a->msg.nattachments; i++) {
		char *s = xasprintf("%s %s", a->msg.attachments[i].name,
		    a->msg.attachments[i].type);
		int eq = strcmp(s, spec) == 0;
		free(s);
		if (eq)
			return 1;
	}
	return 0;
}

/* Lines of the form "key: value"; the kvfile format uses "=". */
static void
check_expect(const struct analysis *a, const char *exp)
{
	const char *p = exp;
	int line = 0, checked = 0;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		char *l = xstrndup(p, n), *colon, *k, *v;

		line++;
		p += n + (p[n] == '\n');
		strtrim(l);
		if (*l == '\0' || *l == '#' || (colon = strstr(l, ": ")) ==
		    NULL) {
			if (*l != '\0' && *l != '#' && l[strlen(l) - 1] != ':') {
				printf("#   %s.expect:%d: no 'key: value'\n",
				    cur_name, line);
				check_cur_failed = 1;
			}
			free(l);
			continue;
		}
		*colon = '\0';
		k = l;
		v = colon + 2;
		if (strcmp(k, "from") == 0)
			EXPECT_STR(a->msg.from_addr, v);
		else if (strcmp(k, "subject~") == 0)
			EXPECT_CONTAINS(a->msg.subject, v);
		else if (strcmp(k, "charset") == 0)
			EXPECT_STR(a->msg.charset, v);
		else if (strcmp(k, "text_type") == 0)
			EXPECT_STR(a->msg.text_type, v);
		else if (strcmp(k, "kind") == 0)
			EXPECT_STR(mail_kind_name(a->kind), v);
		else if (strcmp(k, "automatic~") == 0)
			EXPECT_CONTAINS(a->automatic, v);
		else if (strcmp(k, "ref") == 0)
			EXPECT(a->ref == strtoll(v, NULL, 10));
		else if (strcmp(k, "outcome") == 0)
			EXPECT_STR(a->kind == KIND_SUBMISSION ?
			    form_outcome_name(a->form.outcome) : "-", v);
		else if (strncmp(k, "field.", 6) == 0) {
			/* Continuation lines are written "\n" in the file. */
			struct buf want;
			const char *q;

			buf_init(&want);
			for (q = v; *q != '\0'; q++) {
				if (q[0] == '\\' && q[1] == 'n') {
					buf_addc(&want, '\n');
					q++;
				} else
					buf_addc(&want, *q);
			}
			EXPECT_STR(field_value(a, k + 6), want.data ?
			    want.data : "");
			buf_free(&want);
		} else if (strcmp(k, "nofield") == 0) {
			if (field_value(a, v) != NULL)
				printf("#   field %s was read: \"%s\"\n", v,
				    field_value(a, v));
			EXPECT(field_value(a, v) == NULL);
		} else if (strcmp(k, "problem") == 0) {
			if (!has_problem(a, v))
				printf("#   no problem \"%s\"\n", v);
			EXPECT(has_problem(a, v));
		} else if (strcmp(k, "attachment") == 0) {
			if (!has_attachment(a, v))
				printf("#   no attachment \"%s\"\n", v);
			EXPECT(has_attachment(a, v));
		} else if (strcmp(k, "text~") == 0)
			EXPECT_CONTAINS(a->msg.text, v);
		else {
			/* A misspelt key would check nothing: that fails. */
			printf("#   %s.expect:%d: unknown key '%s'\n", cur_name,
			    line, k);
			check_cur_failed = 1;
			checked--;
		}
		checked++;
		free(l);
	}
	if (checked == 0) {
		printf("#   %s.expect: checks nothing\n", cur_name);
		check_cur_failed = 1;
	}
}

static void
test_one(void)
{
	struct analyze_opts o = { &tmpl, "refbot.example.test",
	    "X-Refbot-Loop", 25 * 1024 * 1024 };
	struct analysis a;
	char *path, *raw, *exp;
	size_t len;

	path = xasprintf("tests/data/corpus/%s.eml", cur_name);
	raw = check_slurp(path, &len);
	free(path);
	path = xasprintf("tests/data/corpus/%s.expect", cur_name);
	exp = check_slurp(path, NULL);
	free(path);
	if (raw == NULL || exp == NULL) {
		printf("#   %s: .eml or .expect missing\n", cur_name);
		check_cur_failed = 1;
	} else {
		analyze(raw, len, &o, &a);
		check_expect(&a, exp);
		if (a.kind != KIND_UNREADABLE)
			EXPECT(utf8_valid(a.msg.text, strlen(a.msg.text)));
		analysis_free(&a);
	}
	free(raw);
	free(exp);
}

static int
by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int
main(void)
{
	char *text, *err = NULL, **names = NULL;
	size_t len, n = 0, i;
	struct dirent *de;
	DIR *d;

	text = check_slurp("templates/referral.template", &len);
	if (text == NULL || template_parse(text, len, &tmpl, &err) != 0) {
		printf("# template: %s\n", err ? err : "cannot read");
		return 99;
	}
	free(text);
	if ((d = opendir(srcpath("tests/data/corpus"))) == NULL) {
		printf("# %s: cannot open\n", srcpath("tests/data/corpus"));
		return 99;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 4 && strcmp(de->d_name + l - 4, ".eml") == 0) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrndup(de->d_name, l - 4);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		cur_name = names[i];
		check_run(names[i], test_one);
		free(names[i]);
	}
	free(names);
	template_free(&tmpl);
	return check_done();
}
