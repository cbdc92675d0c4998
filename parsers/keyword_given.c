/*
 * keyword_given: a staff member's GIVEN mail (see keyword.h): the
 * keyword line through keyword_parse, then the form's "Label: value"
 * lines below it.  Pure, like the rest of the keyword module.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "keyword.h"
#include "keyword_int.h"
#include "util.h"

enum { F_CLIENT, F_CONTACT, F_NOTE };

/* Labels, folded (lower case, half-width), and the field each fills. */
static const struct {
	const char *label;
	int field;
} labels[] = {
	{ "client", F_CLIENT }, { "client name", F_CLIENT },
	{ "company", F_CLIENT }, { "顧客", F_CLIENT }, { "顧客名", F_CLIENT },
	{ "クライアント", F_CLIENT }, { "会社名", F_CLIENT },
	{ "contact", F_CONTACT }, { "email", F_CONTACT },
	{ "e-mail", F_CONTACT }, { "連絡先", F_CONTACT },
	{ "メール", F_CONTACT }, { "メールアドレス", F_CONTACT },
	{ "note", F_NOTE }, { "notes", F_NOTE }, { "メモ", F_NOTE },
	{ "備考", F_NOTE },
};

void
given_mail_free(struct given_mail *g)
{
	if (g == NULL)
		return;
	free(g->partner);
	free(g->client);
	free(g->contact);
	free(g->note);
	free(g->error);
	free(g->err_text);
	memset(g, 0, sizeof(*g));
}

const char *
given_err_key(enum given_err e)
{
	static const char *keys[] = {
		[GIVEN_ERR_NONE] = "",
		[GIVEN_ERR_NO_PARTNER] = "given.no-partner",
		[GIVEN_ERR_NO_CLIENT] = "given.no-client",
		[GIVEN_ERR_CONTACT] = "given.bad-contact",
	};

	return (size_t)e < nitems(keys) ? keys[e] : "";
}

/* The colon that ends a label: ':' or the full-width '：'; or NULL. */
static const char *
label_end(const char *line, size_t *seplen)
{
	const char *a = strchr(line, ':'), *b = strstr(line, "\xef\xbc\x9a");

	if (b != NULL && (a == NULL || b < a)) {
		*seplen = 3;
		return b;
	}
	*seplen = 1;
	return a;
}

/* One "Label: value" line into g; other lines are not the form's. */
static void
form_line(char *line, struct given_mail *g)
{
	char *label, *f, *value, **slot;
	const char *colon;
	size_t i, seplen;

	if ((colon = label_end(line, &seplen)) == NULL)
		return;
	label = xstrndup(line, (size_t)(colon - line));
	strtrim(label);
	f = fold(label);
	value = xstrdup(colon + seplen);
	strtrim(value);
	for (i = 0; i < nitems(labels); i++)
		if (strcmp(f, labels[i].label) == 0)
			break;
	if (i < nitems(labels) && *value != '\0') {
		slot = labels[i].field == F_CLIENT ? &g->client :
		    labels[i].field == F_CONTACT ? &g->contact : &g->note;
		if (*slot == NULL) {	/* the first one counts */
			*slot = value;
			value = NULL;
		}
	}
	free(value);
	free(f);
	free(label);
}

/* The partner is the first word of the argument, without <>. */
static char *
first_word(const char *s)
{
	size_t n;

	s += strspn(s, " \t<");
	n = strcspn(s, " \t>,;");
	return n > 0 ? xstrndup(s, n) : NULL;
}

int
given_mail_parse(const struct keyword_table *t, const char *subject,
    const char *text, struct given_mail *g)
{
	/* GIVEN reads no date: any day will do, and keeps this pure. */
	static const struct tm anyday = { .tm_year = 70, .tm_mday = 1 };
	struct keyword_cmd cmd;
	const char *form, *p, *eol;
	char *line;

	memset(g, 0, sizeof(*g));
	form = text;
	if (keyword_parse(t, text, NULL, &anyday, &cmd) != 0 ||
	    cmd.kw != KW_GIVEN) {
		keyword_cmd_free(&cmd);
		if (subject == NULL || keyword_parse(t, subject, NULL, &anyday,
		    &cmd) != 0 || cmd.kw != KW_GIVEN) {
			keyword_cmd_free(&cmd);
			return 0;
		}
	} else
		form = cmd.relay;
	if (cmd.arg != NULL)
		g->partner = first_word(cmd.arg);
	for (p = form; *p != '\0'; p = *eol == '\0' ? eol : eol + 1) {
		eol = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(eol - p));
		form_line(line, g);
		free(line);
	}
	keyword_cmd_free(&cmd);
	/* The English here is mail/staff-lines.en's given.* line. */
	if (g->partner == NULL) {
		g->err = GIVEN_ERR_NO_PARTNER;
		g->error = xstrdup("GIVEN needs the partner's address after "
		    "it: \"GIVEN partner@firm.example\".");
	} else if (g->client == NULL) {
		g->err = GIVEN_ERR_NO_CLIENT;
		g->error = xstrdup("GIVEN needs the client: a line "
		    "\"Client: Acme KK\" below it.");
	} else if (g->contact != NULL && addr_check(g->contact,
	    strlen(g->contact)) != ADDR_OK) {
		g->err = GIVEN_ERR_CONTACT;
		g->err_text = excerpt(g->contact);
		g->error = xasprintf("The contact \"%s\" is not an email "
		    "address.", g->err_text);
	}
	return 1;
}
