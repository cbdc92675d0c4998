/*
 * texts: the shipped templates load without a problem, and a broken
 * text is reported with its file and line, the way "refbot run" and
 * "refbot doctor" both show it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "kvfile.h"
#include "render.h"
#include "template.h"
#include "texts.h"

/* What texts_load reported: the failures and warnings, one a line. */
struct found {
	struct buf fails;
	struct buf warns;
	int nfail, nwarn;
};

static void
collect(void *arg, enum texts_level level, const char *check,
    const char *msg)
{
	struct found *f = arg;

	(void)check;
	if (level == TEXTS_FAIL) {
		buf_addf(&f->fails, "%s\n", msg);
		f->nfail++;
	} else if (level == TEXTS_WARN) {
		buf_addf(&f->warns, "%s\n", msg);
		f->nwarn++;
	}
}

static char tmp[] = "/tmp/test_texts.XXXXXX";

/* A fresh copy of the shipped templates in tmp/t. */
static void
fresh_copy(void)
{
	char *cmd = xasprintf("rm -rf '%s/t' && cp -R '%s' '%s/t'", tmp,
	    srcpath("templates"), tmp);

	if (system(cmd) != 0)
		abort();
	free(cmd);
}

/* Writes text to tmp/t/rel. */
static void
put(const char *rel, const char *text)
{
	char *path = xasprintf("%s/t/%s", tmp, rel);
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0)
		abort();
	free(path);
}

/* Loads tmp/t; the failures in f (free with found_free). */
static int
load_copy(struct found *f, struct texts **t)
{
	char *dir = xasprintf("%s/t", tmp);
	int n;

	memset(f, 0, sizeof(*f));
	buf_init(&f->fails);
	buf_init(&f->warns);
	n = texts_load(dir, collect, f, t);
	free(dir);
	return n;
}

static void
found_free(struct found *f)
{
	buf_free(&f->fails);
	buf_free(&f->warns);
}

static void
shipped_load_clean(void)
{
	const struct render_var vars[] = { { "ref", "REF-000042" },
	    { "client", "Acme" }, { "partner_name", "P" },
	    { "sla_hours", "48" } };
	const struct texts_env env = { "Firm", "intake@example.test",
	    "Desk" };
	struct found f;
	struct texts *t;
	char *subject = NULL, *body = NULL, *err = NULL;

	fresh_copy();
	EXPECT(load_copy(&f, &t) == 0);
	EXPECT(f.nfail == 0);
	EXPECT(f.nwarn == 0);
	if (f.nfail)
		printf("# %s", f.fails.data);
	EXPECT(texts_template(t)->nfields > 0);
	EXPECT(texts_keywords(t) != NULL);
	EXPECT(texts_lines(t, "mail/progress-lines", "ja") != NULL);
	EXPECT(texts_lines(t, "mail/ack", "en") == NULL);
	EXPECT(texts_render(t, &env, "mail/ack", "en", vars, nitems(vars),
	    &subject, &body, &err) == -1);	/* not every placeholder */
	EXPECT(err != NULL);
	free(err);
	err = NULL;
	EXPECT(texts_render(t, &env, "overview", "en", vars, nitems(vars),
	    NULL, &body, &err) == 0);
	EXPECT_CONTAINS(body, "Firm");
	free(body);
	free(err);
	err = NULL;
	EXPECT(texts_render(t, &env, "mail/no-such", "en", NULL, 0, &subject,
	    &body, &err) == -1);
	EXPECT_CONTAINS(err, "no such text");
	free(err);
	texts_free(t);
	found_free(&f);
}

/* A bad placeholder: file and line, and the names the text may use. */
static void
bad_placeholder_has_line(void)
{
	struct found f;
	struct texts *t;

	fresh_copy();
	put("mail/ack.ja.txt", "Subject: [{{ref}}] {{client}}\n\n"
	    "{{partner_name}} 様\n{{{{literal}}\n\n{{clinet}}\n");
	EXPECT(load_copy(&f, &t) == 1);
	EXPECT_CONTAINS(f.fails.data, "/t/mail/ack.ja.txt:6: unknown "
	    "placeholder {{clinet}} — this text may use {{ref}}, ");
	texts_free(t);
	found_free(&f);
}

/* A placeholder broken over lines counts at the line it ends on. */
static void
placeholder_over_lines(void)
{
	struct found f;
	struct texts *t;

	fresh_copy();
	put("overview.en.txt", "About {{firm_name}}\n{{firm\n_name}} ok\n");
	EXPECT(load_copy(&f, &t) == 1);
	EXPECT_CONTAINS(f.fails.data, "/t/overview.en.txt:3: unknown "
	    "placeholder {{firm\n_name}}");
	texts_free(t);
	found_free(&f);
}

static void
phrases_checked(void)
{
	struct found f;
	struct texts *t;

	fresh_copy();
	put("mail/progress-lines.en.txt", "# a comment\n"
	    "CONTACTED = reached {{client}}\nCONTACTED.word = contacted\n"
	    "MEETING = met {{clients}}\n");
	EXPECT(load_copy(&f, &t) == 2);
	EXPECT_CONTAINS(f.fails.data, "/t/mail/progress-lines.en.txt:4: "
	    "unknown placeholder {{clients}}");
	EXPECT_CONTAINS(f.fails.data, "/t/mail/progress-lines.en.txt has no "
	    "text for MEETING.word, PROPOSAL, PROPOSAL.word, WON");
	texts_free(t);
	found_free(&f);
}

/* The talking points' thresholds are numbers or "off" (#20.3). */
static void
thresholds_checked(void)
{
	struct found f;
	struct texts *t;
	char *text = check_slurp("templates/mail/talking-points.en.txt",
	    NULL), *bad;

	EXPECT(text != NULL);
	fresh_copy();
	bad = xasprintf("%s\nsla.when = soon\nquiet.when = off\n", text);
	put("mail/talking-points.en.txt", bad);
	EXPECT(load_copy(&f, &t) == 1);
	EXPECT_CONTAINS(f.fails.data, "sla.when must be a number or off");
	texts_free(t);
	found_free(&f);
	free(bad);
	free(text);
}

static void
subject_line_needed(void)
{
	struct found f;
	struct texts *t;

	fresh_copy();
	put("mail/status.en.txt", "Hello {{partner_name}}\n");
	EXPECT(load_copy(&f, &t) == 1);
	EXPECT_CONTAINS(f.fails.data, "/t/mail/status.en.txt:1: the first "
	    "line must be 'Subject: ...'");
	texts_free(t);
	found_free(&f);
}

/* No Japanese text: a warning, and the English one stands in. */
static void
japanese_falls_back(void)
{
	const struct render_var vars[] = { { "partner_name", "P" },
	    { "sla_hours", "48" }, { "subject", "TEMPLATE" } };
	const struct texts_env env = { "Firm", "intake@example.test",
	    "Desk" };
	struct found f;
	struct texts *t;
	char *path, *subject = NULL, *body = NULL, *err = NULL;

	fresh_copy();
	path = xasprintf("%s/t/mail/form-reply.ja.txt", tmp);
	EXPECT(unlink(path) == 0);
	free(path);
	put("mail/form-reply.en.txt", "Subject: The form\n\n{{form}}\n");
	EXPECT(load_copy(&f, &t) == 0);
	EXPECT(f.nwarn == 1);
	EXPECT_CONTAINS(f.warns.data, "form-reply.ja.txt is missing");
	EXPECT(texts_render(t, &env, "mail/form-reply", "ja", vars,
	    nitems(vars), &subject, &body, &err) == 0);
	EXPECT_STR(subject, "The form");
	/* The English form, with the English text. */
	EXPECT_CONTAINS(body, "Client");
	free(subject);
	free(body);
	texts_free(t);
	found_free(&f);
}

int
main(void)
{
	char *cmd;

	if (mkdtemp(tmp) == NULL)
		abort();
	RUN(shipped_load_clean);
	RUN(bad_placeholder_has_line);
	RUN(placeholder_over_lines);
	RUN(phrases_checked);
	RUN(thresholds_checked);
	RUN(subject_line_needed);
	RUN(japanese_falls_back);
	cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		abort();
	free(cmd);
	return check_done();
}
