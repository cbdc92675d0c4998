/*
 * Forwards (parsers/forward.c), table-driven over tests/data/forward:
 * each .eml read as intake reads it (MIME, then the text), with the
 * original sender, subject and a line of the body it must give; a mail
 * that is no forward must give none.  Then mutated input: never a crash,
 * always an address that passes addr_check.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "check.h"
#include "forward.h"
#include "message.h"
#include "template.h"
#include "util.h"

static const struct {
	const char *file;
	const char *from, *name, *subject, *body, *note;
} cases[] = {
	{ "outlook", "partner1@example.test", "Pat Partner",
	    "New referral - Forward Client Ltd",
	    "Client: Forward Client Ltd",
	    "Please log this one for Partner One.\n\nStaff One" },
	{ "outlook-rule", "partner1@example.test", "Pat Partner", "Referral",
	    "Client: Rule Client KK", "FYI" },
	{ "gmail", "partner1@example.test", "Pat Partner",
	    "Referral for you", "Client: Gmail Client Inc", "" },
	{ "apple-mail", "partner1@example.test", "Pat Partner", "Referral",
	    "Client: Apple Client LLC", "Adding this for Pat." },
	{ "ja-outlook", "partner2@example.test", "パートナー 太郎",
	    "ご紹介の件", "クライアント名：株式会社転送テスト",
	    "ご確認お願いします。" },
	{ "ja-gmail", "partner2@example.test", "パートナー 太郎", "ご紹介",
	    "クライアント名：株式会社ジーメール転送", "" },
	{ "not-forward", NULL, NULL, NULL, NULL, NULL },
};
static size_t cur;

static char *
text_of(const char *file)
{
	struct message m;
	char *rel = xasprintf("tests/data/forward/%s.eml", file), *raw, *err;
	char *text = NULL;
	size_t len;

	raw = check_slurp(rel, &len);
	EXPECT(raw != NULL);
	if (raw != NULL && message_parse(raw, len, 1 << 20, &m, &err) ==
	    MESSAGE_OK) {
		text = xstrdup(m.text);
		message_free(&m);
	}
	EXPECT(text != NULL);
	free(raw);
	free(rel);
	return text;
}

static void
test_fixture(void)
{
	struct forwarded f;
	char *text = text_of(cases[cur].file);
	int r;

	if (text == NULL)
		return;
	r = forward_parse(text, &f);
	EXPECT(r == (cases[cur].from != NULL));
	if (r == 1 && cases[cur].from != NULL) {
		EXPECT_STR(f.from_addr, cases[cur].from);
		EXPECT_STR(f.from_name, cases[cur].name);
		EXPECT_STR(f.subject, cases[cur].subject);
		EXPECT_CONTAINS(f.text, cases[cur].body);
		EXPECT_STR(f.note, cases[cur].note);
		/* The forward's own headers are not the body. */
		EXPECT(strstr(f.text, "Subject:") == NULL &&
		    strstr(f.text, "件名") == NULL);
		EXPECT(f.date != NULL);
	}
	forwarded_free(&f);
	free(text);
}

/* The forwarded body reads as the partner's form. */
static void
test_form(void)
{
	struct template t;
	struct forwarded f;
	struct form form;
	char *tmpl, *err = NULL, *text = text_of("outlook");
	size_t len;

	tmpl = check_slurp("templates/referral.template", &len);
	EXPECT(tmpl != NULL && template_parse(tmpl, len, &t, &err) == 0);
	EXPECT(text != NULL && forward_parse(text, &f) == 1);
	form_read(&t, f.text, &form);
	EXPECT(form.outcome == OUTCOME_QUALIFIED);
	EXPECT_STR(form_get(&form, "client"), "Forward Client Ltd");
	EXPECT_STR(form_get(&form, "contact_email"),
	    "fiona@forward-client.example");
	form_free(&form);
	forwarded_free(&f);
	template_free(&t);
	free(tmpl);
	free(text);
	free(err);
}

/*
 * Forwards sent as an attached message (Outlook's and Apple Mail's
 * "Forward as Attachment"): read from the message/rfc822 part, after the
 * MIME parse, never from the forwarder's own text.
 */
static const struct {
	const char *file;
	const char *from, *name, *subject, *body, *note, *attached;
} attached[] = {
	{ "outlook-attached", "partner1@example.test", "Pat Partner",
	    "Referral - Attached Client KK", "Client: Attached Client KK",
	    "Please record this one for Partner One.", "brief.pdf" },
	{ "apple-attached", "partner2@example.test", "パートナー 太郎",
	    "ご紹介（添付）", "クライアント名：株式会社添付転送", "", NULL },
	{ "outlook", NULL, NULL, NULL, NULL, NULL, NULL },
};

static void
test_attached(void)
{
	struct forwarded f, inl;
	struct attachment *files;
	size_t nfiles;
	struct message m;
	char *rel, *raw, *err = NULL;
	size_t i, len;
	int r;

	for (i = 0; i < nitems(attached); i++) {
		rel = xasprintf("tests/data/forward/%s.eml", attached[i].file);
		raw = check_slurp(rel, &len);
		EXPECT(raw != NULL);
		if (raw == NULL || message_parse(raw, len, 1 << 20, &m,
		    &err) != MESSAGE_OK) {
			EXPECT(!"parsed");
			free(raw);
			free(rel);
			continue;
		}
		/* Outlook's and Apple's text is the note, no inline forward. */
		EXPECT(forward_parse(m.text, &inl) == (attached[i].from ==
		    NULL));
		forwarded_free(&inl);
		r = forward_attached(&m, 1 << 20, &f, &files, &nfiles);
		EXPECT(r == (attached[i].from != NULL));
		if (r == 1 && attached[i].from != NULL) {
			EXPECT_STR(f.from_addr, attached[i].from);
			EXPECT_STR(f.from_name, attached[i].name);
			EXPECT_STR(f.subject, attached[i].subject);
			EXPECT_CONTAINS(f.text, attached[i].body);
			EXPECT_CONTAINS(f.note, attached[i].note);
			/* Outlook's carries the client's brief. */
			EXPECT(nfiles == (attached[i].attached != NULL));
			if (nfiles == 1 && attached[i].attached != NULL) {
				EXPECT_STR(files[0].name, attached[i].attached);
				EXPECT(files[0].data != NULL &&
				    files[0].len > 4 &&
				    memcmp(files[0].data, "%PDF", 4) == 0);
			}
		} else
			EXPECT(nfiles == 0 && files == NULL);
		attachments_free(files, nfiles);
		forwarded_free(&f);
		/* A cap below its size: the attached mail is not read. */
		if (attached[i].from != NULL) {
			EXPECT(forward_attached(&m, 64, &f, NULL, NULL) ==
			    0);
			EXPECT(f.from_addr == NULL);
			forwarded_free(&f);
		}
		message_free(&m);
		free(raw);
		free(rel);
	}
}

/*
 * An attached mail whose multipart boundary matches no part: not read
 * as a forward, and (under ASan) nothing of its headers leaks.
 */
static void
test_attached_no_part(void)
{
	struct forwarded f;
	struct attachment *files;
	struct message m;
	char *raw, *err = NULL;
	size_t len, nfiles;

	raw = check_slurp("tests/data/forward/attached-no-part.eml", &len);
	EXPECT(raw != NULL);
	if (raw == NULL)
		return;
	EXPECT(message_parse(raw, len, 1 << 20, &m, &err) == MESSAGE_OK);
	EXPECT(m.nattachments == 1);
	EXPECT(forward_attached(&m, 1 << 20, &f, &files, &nfiles) == 0);
	EXPECT(f.from_addr == NULL && files == NULL && nfiles == 0);
	forwarded_free(&f);
	message_free(&m);
	free(raw);
	free(err);
}

/* Odd From: lines and cut-off input: an address only when a valid one. */
static void
test_edges(void)
{
	static const char *const bad[] = {
		"-----Original Message-----\nFrom: nobody\nSent: x\nTo: y\n",
		"-----Original Message-----\nFrom: <a@b\nSent: x\nTo: y\n",
		"-----Original Message-----\n",
		"-----Original Message-----\n\n\n\n\n\n\nFrom: a@b.example\n",
		"From: x <a@b.example>\nhello\n",
	};
	struct forwarded f;
	size_t i;

	for (i = 0; i < nitems(bad); i++) {
		EXPECT(forward_parse(bad[i], &f) == 0);
		EXPECT(f.from_addr == NULL);
		forwarded_free(&f);
	}
	EXPECT(forward_parse("---------- Forwarded message ---------\n"
	    "From: a@B.example (A)\nDate: d\nSubject: s\nTo: t\n", &f) == 1);
	EXPECT_STR(f.from_addr, "a@b.example");
	EXPECT_STR(f.text, "");
	forwarded_free(&f);
}

/* Mutations of every fixture: no crash, addresses always valid. */
static void
test_mutations(void)
{
	struct forwarded f;
	uint32_t seed = 19;
	size_t i, k, n;

	for (i = 0; i < nitems(cases); i++) {
		char *text = text_of(cases[i].file);

		if (text == NULL)
			continue;
		n = strlen(text);
		for (k = 0; k < 300 && n > 0; k++) {
			char *m = xstrdup(text);
			seed = seed * 1103515245 + 12345;
			m[(seed >> 8) % n] = "\n:<>@ -\xe3"[(seed >> 4) % 8];
			seed = seed * 1103515245 + 12345;
			m[(seed >> 8) % n] = '\0';
			if (forward_parse(m, &f) == 1)
				EXPECT(addr_check(f.from_addr,
				    strlen(f.from_addr)) == ADDR_OK &&
				    f.text != NULL && f.note != NULL);
			forwarded_free(&f);
			free(m);
		}
		free(text);
	}
}

int
main(void)
{
	char *name;

	for (cur = 0; cur < nitems(cases); cur++) {
		name = xasprintf("forward/%s", cases[cur].file);
		check_run(name, test_fixture);
		free(name);
	}
	RUN(test_form);
	RUN(test_attached);
	RUN(test_attached_no_part);
	RUN(test_edges);
	RUN(test_mutations);
	return check_done();
}
