/*
 * libFuzzer target: the keyword parser reads whatever a staff member (or
 * anyone who forged one) typed above the quoted text.  Any bytes must
 * give a command or KW_NONE, never a crash; what it returns must be
 * whole: a known keyword, text that is valid UTF-8, amounts >= -1, a
 * meeting's time of day only with its date.
 *
 * The same text is read as a GIVEN mail (issue 19.4): a partner only
 * with a client or an error, a contact only a valid address.
 *
 * The input's first byte picks the currency; the rest is the mail text.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "keyword.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const currencies[] = { "JPY", "USD", "EUR", "GBP" };

static struct keyword_table *
table(void)
{
	static struct keyword_table *kt;
	char chunk[4096], *err = NULL;
	struct buf b;
	size_t n;
	FILE *f;

	if (kt != NULL)
		return kt;
	/* The shipped table: what the daemon reads. */
	if ((f = fopen(FUZZ_SRCDIR "/templates/keywords.txt", "rb")) == NULL)
		abort();
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (keyword_table_parse(b.data, b.len, &kt, &err) != 0)
		abort();
	buf_free(&b);
	return kt;
}

static void
whole(const char *s)
{
	if (s != NULL && !utf8_valid(s, strlen(s)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keyword_cmd cmd;
	struct given_mail g;
	struct tm today = { .tm_year = 126, .tm_mon = 11, .tm_mday = 6 };
	const char *currency;
	char *text;

	if (size == 0)
		return 0;
	currency = currencies[data[0] % nitems(currencies)];
	/* The daemon hands the parser sanitised UTF-8, as here. */
	text = utf8_sanitize((const char *)data + 1, size - 1);
	if (keyword_parse(table(), text, currency, &today, &cmd) == 0) {
		if (cmd.kw == KW_NONE || cmd.kw > KW_GIVEN ||
		    cmd.amount_minor < -1 || cmd.ref < 0 ||
		    cmd.minute < -1 || cmd.minute >= 24 * 60 ||
		    (cmd.minute >= 0 && cmd.date == NULL))
			abort();
	} else if (cmd.kw != KW_NONE || cmd.error == NULL)
		abort();	/* "not a keyword" always says why */
	/* An error says why as a code too, for the reader's language. */
	if ((cmd.error == NULL) != (cmd.err == KWE_NONE) ||
	    (*keyword_err_key(cmd.err) == '\0') != (cmd.err == KWE_NONE))
		abort();
	whole(cmd.err_text);
	whole(cmd.err_known);
	whole(cmd.err_near);
	/* A refused amount names the currency it is kept in. */
	if ((cmd.err >= KWE_AMOUNT_NEGATIVE && cmd.err <= KWE_AMOUNT_TOO_LARGE)
	    != (cmd.err_currency != NULL))
		abort();
	whole(cmd.arg);
	whole(cmd.text);
	whole(cmd.relay);
	whole(cmd.error);
	keyword_cmd_free(&cmd);
	if (given_mail_parse(table(), text, text, &g) == 1) {
		if ((g.error == NULL) != (g.partner != NULL &&
		    g.client != NULL && (g.contact == NULL ||
		    addr_check(g.contact, strlen(g.contact)) == ADDR_OK)))
			abort();
		/* A reason has its code and its words (mail/staff-lines). */
		if ((g.err == GIVEN_ERR_NONE) != (g.error == NULL) ||
		    (*given_err_key(g.err) == '\0') != (g.error == NULL) ||
		    (g.err == GIVEN_ERR_CONTACT) != (g.err_text != NULL))
			abort();
		whole(g.err_text);
		whole(g.partner);
		whole(g.client);
		whole(g.contact);
		whole(g.note);
		whole(g.error);
	} else if (g.partner != NULL || g.client != NULL || g.error != NULL ||
	    g.err != GIVEN_ERR_NONE || g.err_text != NULL)
		abort();
	given_mail_free(&g);
	free(text);
	return 0;
}
