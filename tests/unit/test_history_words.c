/*
 * history_words: a history row's detail, kept as a line key of
 * mail/staff-lines and its words, reads in each reader's language from
 * the shipped lines; in English it is the sentence refbot always wrote;
 * a row without its words (written before, or scrubbed) reads as
 * recorded.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "history_words.h"
#include "kvfile.h"
#include "util.h"

static struct kvfile en, ja;

static int
load(const char *rel, struct kvfile *kv)
{
	size_t len;
	char *text = check_slurp(rel, &len), *err = NULL;
	int rc = text != NULL ? kvfile_parse(text, len, kv, &err) : -1;

	if (err != NULL)
		printf("# %s: %s\n", rel, err);
	free(err);
	free(text);
	return rc;
}

/* A row's detail in kv, the row as stored (each may be NULL). */
static char *
text_of(const struct kvfile *kv, const char *detail, const char *key,
    const char *args)
{
	struct history_entry e;
	char *s;

	memset(&e, 0, sizeof(e));
	e.detail = detail != NULL ? xstrdup(detail) : NULL;
	e.detail_key = key != NULL ? xstrdup(key) : NULL;
	e.detail_args = args != NULL ? xstrdup(args) : NULL;
	s = history_detail_text(kv, &e);
	free(e.detail);
	free(e.detail_key);
	free(e.detail_args);
	return s;
}

/* The same for a row refbot wrote with key and vars. */
static char *
shown(const struct kvfile *kv, const char *key,
    const struct render_var *vars, size_t n, const char *detail)
{
	char *args = key != NULL ? history_args_encode(vars, n) : NULL;
	char *s = text_of(kv, detail, key, args);

	free(args);
	return s;
}

/* What refbot writes, in English as before and in Japanese. */
static void
test_each_reader(void)
{
	static const struct {
		const char *key;
		struct render_var vars[4];
		size_t n;
		const char *english, *japanese;
	} cases[] = {
		{ "history.owner-rota", { { "who", "a@example.test" } }, 1,
		    "owner a@example.test (intake rota)",
		    "担当 a@example.test（受付の輪番）" },
		{ "history.owner-manager", { { "who", "a@example.test" } }, 1,
		    "owner a@example.test (account manager)",
		    "担当 a@example.test（アカウントマネージャー）" },
		{ "history.owner-moved", { { "previous", "a@x.test" },
		    { "who", "b@x.test" } }, 2, "owner a@x.test -> b@x.test",
		    "担当 a@x.test → b@x.test" },
		{ "history.amended", { { "amount", "¥900,000" },
		    { "was", "¥1,000,000" }, { "text", " invoice" } }, 3,
		    "¥900,000 (was ¥1,000,000) invoice",
		    "¥900,000（変更前 ¥1,000,000） invoice" },
		{ "history.stall-owner", { { "days", "8" },
		    { "status", "CONTACTED" } }, 2,
		    "owner, 8 days in CONTACTED",
		    "担当者へ通知、CONTACTED のまま 8 日" },
		{ "history.undelivered-partner", { { "kind", "ack" },
		    { "outbox", "3" }, { "rcpt", "p@x.test" },
		    { "reason", "550 5.1.1 no such user" } }, 4,
		    "ack mail (outbox 3) to the partner p@x.test not delivered: "
		    "550 5.1.1 no such user",
		    "受付のお知らせ（ack）（送信キュー 3）がパートナー p@x.test に"
		    "届きませんでした: 550 5.1.1 no such user" },
		/* A kind with no words of its own: the "kind" line's. */
		{ "history.undelivered-staff", { { "kind", "staff-new" },
		    { "outbox", "4" }, { "rcpt", "s@x.test" },
		    { "reason", "550 5.1.1" } }, 4,
		    "staff-new mail (outbox 4) to staff s@x.test not delivered: "
		    "550 5.1.1",
		    "「staff-new」のメール（送信キュー 4）がスタッフ s@x.test に"
		    "届きませんでした: 550 5.1.1" },
		{ "history.paid-note", { { "amount", "¥5,000" },
		    { "text", "bank transfer" } }, 2,
		    "¥5,000 paid: bank transfer",
		    "¥5,000 を支払い: bank transfer" },
		{ "unverified.token", { { NULL, NULL } }, 0,
		    "no valid signed reply address or reference to refbot's "
		    "staff notification",
		    "署名付きの返信アドレスも、refbot のスタッフ向け通知への参照も"
		    "ありません" },
	};
	size_t i;
	char *s;

	for (i = 0; i < nitems(cases); i++) {
		s = shown(&en, cases[i].key, cases[i].vars, cases[i].n,
		    "(stored)");
		EXPECT_STR(s, cases[i].english);
		free(s);
		s = shown(&ja, cases[i].key, cases[i].vars, cases[i].n,
		    "(stored)");
		EXPECT_STR(s, cases[i].japanese);
		free(s);
	}
}

/* Rows written before, scrubbed, or with words that do not read. */
static void
test_as_recorded(void)
{
	const struct render_var vars[] = { { "who", "a@x.test" } };
	char *s;

	s = shown(&ja, NULL, NULL, 0, "owner a@x.test (intake rota)");
	EXPECT_STR(s, "owner a@x.test (intake rota)");
	free(s);
	s = shown(&ja, NULL, NULL, 0, NULL);
	EXPECT(s == NULL);
	/* A key no reader has: as recorded. */
	s = shown(&ja, "history.no-such-line", vars, 1, "as recorded");
	EXPECT_STR(s, "as recorded");
	free(s);
	/* Words cut short (no newline), or a line without "=". */
	s = text_of(&ja, "as recorded", "history.owner-rota", "who=a@x.test");
	EXPECT_STR(s, "as recorded");
	free(s);
	s = text_of(&ja, "as recorded", "history.owner-rota", "who\n");
	EXPECT_STR(s, "as recorded");
	free(s);
}

/* Words with newlines or "=" in them keep to their one line. */
static void
test_words_kept_whole(void)
{
	const struct render_var vars[] = {
		{ "amount", "¥5,000" }, { "text", "a=b\nc\r\nd" },
	};
	char *args = history_args_encode(vars, nitems(vars)), *s;

	EXPECT_STR(args, "amount=¥5,000\ntext=a=b c  d\n");
	free(args);
	s = shown(&en, "history.adjusted-note", vars, nitems(vars), "x");
	EXPECT_STR(s, "¥5,000 adjusted: a=b c  d");
	free(s);
}

int
main(void)
{
	if (load("templates/mail/staff-lines.en.txt", &en) != 0 ||
	    load("templates/mail/staff-lines.ja.txt", &ja) != 0) {
		printf("Bail out! cannot read templates/mail/staff-lines\n");
		return 1;
	}
	RUN(test_each_reader);
	RUN(test_as_recorded);
	RUN(test_words_kept_whole);
	kvfile_free(&en);
	kvfile_free(&ja);
	return check_done();
}
