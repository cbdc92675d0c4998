/*
 * Table-driven tests over the .eml fixtures in tests/data: what the
 * message parser, the classifier and the form reader conclude from each.
 */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "classify.h"
#include "message.h"
#include "template.h"
#include "util.h"

static struct template tmpl;

struct fixture {
	const char *file;
	const char *from;		/* expected From address */
	const char *subject;		/* substring of the decoded subject */
	const char *charset;		/* charset the text came from */
	const char *automatic;		/* substring of the reason, or NULL */
	int64_t ref_tag;
	const char *client;		/* the form's client field, or NULL */
	const char *contact_name;
	int nproblems;			/* -1: do not check */
};

static const struct fixture fixtures[] = {
	{ "plain-en.eml", "partner1@example.test", "Acme Widgets", "UTF-8",
	    NULL, 0, "Acme Widgets Ltd", "Jane Smith", 0 },
	{ "ja-iso2022jp.eml", "partner1@example.test", "株式会社サンプル",
	    "ISO-2022-JP-2", NULL, 0, "株式会社サンプル", "山田 太郎", 0 },
	{ "ja-utf8-qp.eml", "partner1@example.test", "ご紹介", "UTF-8", NULL,
	    0, "株式会社サンプル", "山田 太郎", 0 },
	{ "ja-sjis-base64.eml", "partner1@example.test", "sjis", "CP932",
	    NULL, 0, "株式会社サンプル", "山田 太郎", 0 },
	{ "multipart-alt.eml", "partner1@example.test", "alt", "UTF-8", NULL,
	    0, "Acme Widgets Ltd", "Jane Smith", 0 },
	{ "incomplete.eml", "partner1@example.test", "incomplete", "UTF-8",
	    NULL, 0, "Foo Corp", "Bob", 4 },
	{ "quoted-below.eml", "partner1@example.test", "quoted", "UTF-8",
	    NULL, 0, "Real Client KK", "Hanako Sato", 0 },
	{ "autoreply.eml", "partner1@example.test", "Automatic reply",
	    "UTF-8", "Auto-Submitted", 0, NULL, NULL, -1 },
	{ "bounce.eml", "mailer-daemon@example.test", "Undelivered", NULL,
	    "Return-Path", 0, NULL, NULL, -1 },
	{ "reply-tagged.eml", "staff1@example.test", "REF-000042", "UTF-8",
	    NULL, 42, NULL, NULL, -1 },
	{ "invalid-utf8.eml", "partner1@example.test", "broken", NULL, NULL,
	    0, NULL, "X", -1 },
	{ "attachments.eml", "partner1@example.test", "attachments", "UTF-8",
	    NULL, 0, "Acme Widgets Ltd", "Jane Smith", -1 },
};

static const struct fixture *cur;

static void
test_fixture(void)
{
	struct message msg;
	struct form form;
	char *raw, *err = NULL, *path = xasprintf("tests/data/%s", cur->file);
	const char *why;
	size_t len;

	raw = check_slurp(path, &len);
	free(path);
	EXPECT(raw != NULL);
	if (raw == NULL)
		return;
	if (message_parse(raw, len, 1 << 20, &msg, &err) != MESSAGE_OK) {
		printf("#   parse error: %s\n", err);
		check_cur_failed = 1;
		free(err);
		free(raw);
		return;
	}
	EXPECT_STR(msg.from_addr, cur->from);
	EXPECT_CONTAINS(msg.subject, cur->subject);
	if (cur->charset != NULL)
		EXPECT_STR(msg.charset, cur->charset);
	EXPECT(utf8_valid(msg.text, strlen(msg.text)));
	EXPECT(utf8_valid(msg.subject, strlen(msg.subject)));
	why = classify_automatic(&msg, "refbot.example.test", "X-Refbot-Loop");
	if (cur->automatic == NULL) {
		if (why != NULL)
			printf("#   classified automatic: %s\n", why);
		EXPECT(why == NULL);
	} else
		EXPECT_CONTAINS(why, cur->automatic);
	EXPECT(classify_ref_tag(msg.subject) == cur->ref_tag);

	form_read(&tmpl, msg.text, &form);
	if (cur->client != NULL)
		EXPECT_STR(form_get(&form, "client"), cur->client);
	if (cur->contact_name != NULL)
		EXPECT_STR(form_get(&form, "contact_name"), cur->contact_name);
	if (cur->nproblems >= 0)
		EXPECT(form.nproblems == (size_t)cur->nproblems);
	form_free(&form);
	message_free(&msg);
	free(raw);
}

static void
test_sjis_keeps_nec_extensions(void)
{
	struct message msg;
	char *err = NULL, *raw;
	size_t len;

	raw = check_slurp("tests/data/ja-sjis-base64.eml", &len);
	EXPECT(raw != NULL);
	if (raw == NULL || message_parse(raw, len, 0, &msg, &err) != 0) {
		free(err);
		free(raw);
		check_cur_failed = 1;
		return;
	}
	/* ① only survives when Shift_JIS is decoded as CP932. */
	EXPECT_CONTAINS(msg.text, "①");
	message_free(&msg);
	free(raw);
}

/* Issue 19 item 2: every attachment's decoded bytes, exactly. */
static void
test_attachment_bytes(void)
{
	static const char pdf[] = "%PDF-1.4\r\n\0\1\2\xff\xfe=\r\n%%EOF\n";
	struct message msg;
	char *err = NULL, *raw;
	size_t len;

	raw = check_slurp("tests/data/attachments.eml", &len);
	if (raw == NULL || message_parse(raw, len, 0, &msg, &err) != 0) {
		free(err);
		free(raw);
		check_cur_failed = 1;
		return;
	}
	EXPECT(msg.nattachments == 3);
	if (msg.nattachments == 3) {
		EXPECT_STR(msg.attachments[0].name, "brief.pdf");
		EXPECT(msg.attachments[0].len == sizeof(pdf) - 1);
		EXPECT(msg.attachments[0].data != NULL &&
		    memcmp(msg.attachments[0].data, pdf, sizeof(pdf) - 1) == 0);
		EXPECT_STR(msg.attachments[1].name, "メモ.txt");
		/* The CRLF before the boundary belongs to the boundary. */
		EXPECT_STR(msg.attachments[1].data, "caf\xc3\xa9 = softbreak");
		EXPECT_STR(msg.attachments[2].type, "message/rfc822");
		EXPECT_CONTAINS(msg.attachments[2].data, "Inner body.");
	}
	EXPECT_CONTAINS(msg.text, "Acme Widgets Ltd");
	message_free(&msg);
	free(raw);
}

static void
test_invalid_bytes_replaced(void)
{
	struct message msg;
	char *err = NULL, *raw;
	size_t len;

	raw = check_slurp("tests/data/invalid-utf8.eml", &len);
	if (raw == NULL || message_parse(raw, len, 0, &msg, &err) != 0) {
		free(err);
		free(raw);
		check_cur_failed = 1;
		return;
	}
	EXPECT(utf8_valid(msg.text, strlen(msg.text)));
	EXPECT_CONTAINS(msg.text, "Client: Bad");
	message_free(&msg);
	free(raw);
}

/*
 * Issue 17: a byte that is not UTF-8, in an unlabelled header or part
 * that is no Japanese charset either, is U+FFFD, not read as Windows
 * Western (0xFF came back to the partner as "ÿ" in our subject).
 */
static void
test_invalid_bytes_unlabelled(void)
{
	struct message msg;
	char *err = NULL, *raw, *s;
	size_t len;

	raw = check_slurp("tests/data/invalid-bytes-subject.eml", &len);
	if (raw == NULL || message_parse(raw, len, 0, &msg, &err) != 0) {
		free(err);
		free(raw);
		check_cur_failed = 1;
		return;
	}
	EXPECT_STR(msg.subject, "Referral: Acme \xef\xbf\xbd Widgets");
	EXPECT_CONTAINS(msg.text, "Expanding \xef\xbf\xbd\xef\xbf\xbd "
	    "into");
	EXPECT_CONTAINS(msg.text, "Client: Acme \xef\xbf\xbd Widgets Ltd");
	EXPECT_STR(msg.charset, "UTF-8");
	message_free(&msg);
	free(raw);
	/* And a UTF-8 label on such bytes: the same. */
	s = charset_to_utf8("caf\xe9 \xff", 6, "utf-8", &err);
	EXPECT_STR(s, "caf\xef\xbf\xbd \xef\xbf\xbd");
	EXPECT_STR(err, "UTF-8");
	free(s);
	free(err);
}

static void
test_size_cap(void)
{
	struct message msg;
	char *err = NULL;
	const char raw[] = "Subject: x\r\n\r\nbody\r\n";

	EXPECT(message_parse(raw, sizeof(raw) - 1, 8, &msg, &err) ==
	    MESSAGE_TOO_LARGE);
	EXPECT_CONTAINS(err, "limit");
	free(err);
}

/*
 * A multipart whose boundary matches no part is refused after its
 * headers were read: they stay (the record names its sender), for the
 * caller's message_free, as after every failure.
 */
static void
test_no_part_keeps_headers(void)
{
	struct message msg;
	char *err = NULL;
	const char raw[] = "From: Pat <pat@example.test>\r\n"
	    "Subject: parts lost\r\nMessage-ID: <x@example.test>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"none\"\r\n\r\n"
	    "--other\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
	    "--other--\r\n";

	EXPECT(message_parse(raw, sizeof(raw) - 1, 0, &msg, &err) ==
	    MESSAGE_UNPARSABLE);
	EXPECT_CONTAINS(err, "matches no part");
	EXPECT_STR(msg.from_addr, "pat@example.test");
	message_free(&msg);
	EXPECT(msg.from_addr == NULL && msg.nheaders == 0);
	free(err);
}

static void
test_rfc2047(void)
{
	char *s = mime_decode_header("=?UTF-8?B?5pel5pys6Kqe?= and "
	    "=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=");

	EXPECT_STR(s, "日本語 and 日本語");
	free(s);
}

/*
 * Issue 14: mime_decode_header is linear.  The value is n copies of unit;
 * it is decoded in a child limited to HEADER_CPU seconds of CPU (the
 * time, not a count of steps: SIGXCPU kills it), and the result must
 * have want_len bytes.  Before the fix, each unterminated word searched
 * for "?=" to the end of the value: 400,000 of them took over 40 s.
 */
#define HEADER_CPU 10

struct decode_case {
	const char *value;
	size_t want_len;
};

static int
decode_case(void *arg)
{
	const struct decode_case *c = arg;

	return strlen(mime_decode_header(c->value)) == c->want_len ? 0 : 1;
}

static void
decode_within_limit(const char *unit, size_t n, size_t want_len)
{
	struct decode_case c;
	struct buf b;
	char *what;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_adds(&b, unit);
	c.value = b.data;
	c.want_len = want_len;
	what = xasprintf("%zu x '%s'", n, unit);
	check_cpu_bounded(what, decode_case, &c, HEADER_CPU);
	free(what);
	buf_free(&b);
}

static void
test_rfc2047_linear(void)
{
	/* Unterminated words: kept as text, less the trailing space. */
	decode_within_limit("=?x?Q?a ", 400000, 400000 * 8 - 1);
	/* Many good words: their space is not text, each decodes to "a". */
	decode_within_limit("=?UTF-8?Q?a?= ", 200000, 200000);
	/* Words in alternating charsets, each run converted on its own. */
	decode_within_limit("=?UTF-8?Q?a?= =?ISO-8859-1?Q?b?= ", 100000,
	    200000);
}

static void
test_our_ids(void)
{
	EXPECT(classify_our_id("r1.ack.abc@refbot.example.test",
	    "refbot.example.test"));
	EXPECT(!classify_our_id("r1.ack.abc@example.test",
	    "refbot.example.test"));
	EXPECT(!classify_our_id(NULL, "refbot.example.test"));
	EXPECT(classify_ref_tag("Re: [REF-000123] x") == 123);
	EXPECT(classify_ref_tag("[REF-] [REF-12x] none") == 0);
}

/* Auto-Submitted: any value but "no" is automatic (RFC 3834). */
static int
automatic(const char *value)
{
	struct message msg;
	char *raw = xasprintf("From: a@example.test\nSubject: x\n"
	    "Auto-Submitted: %s\n\nbody\n", value), *err = NULL;
	const char *why = NULL;
	int parsed;

	parsed = message_parse(raw, strlen(raw), 1 << 20, &msg, &err) ==
	    MESSAGE_OK;
	EXPECT(parsed);
	if (parsed) {
		why = classify_automatic(&msg, "refbot.example.test",
		    "X-Refbot-Loop");
		message_free(&msg);
	}
	free(err);
	free(raw);
	return why != NULL;
}

static void
test_auto_submitted(void)
{
	EXPECT(!automatic("no"));
	EXPECT(!automatic("No (a person wrote this)"));
	EXPECT(automatic("auto-replied"));
	EXPECT(automatic("auto-notified"));
	EXPECT(automatic("nothing-human"));
	EXPECT(automatic("notify; owner-email=x@example.test"));
}

int
main(void)
{
	char *text, *err = NULL;
	size_t i, n;

	if ((text = check_slurp("templates/referral.template", &n)) == NULL)
		return 99;
	if (template_parse(text, n, &tmpl, &err) != 0) {
		printf("# %s\n", err);
		return 99;
	}
	free(text);

	for (i = 0; i < nitems(fixtures); i++) {
		cur = &fixtures[i];
		check_run(fixtures[i].file, test_fixture);
	}
	RUN(test_sjis_keeps_nec_extensions);
	RUN(test_attachment_bytes);
	RUN(test_invalid_bytes_replaced);
	RUN(test_invalid_bytes_unlabelled);
	RUN(test_size_cap);
	RUN(test_no_part_keeps_headers);
	RUN(test_rfc2047);
	RUN(test_rfc2047_linear);
	RUN(test_our_ids);
	RUN(test_auto_submitted);
	template_free(&tmpl);
	return check_done();
}
