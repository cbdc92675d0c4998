/*
 * rawhdr: the sender and the transit headers of a message read from its
 * raw bytes (the MIME parser may be what failed on it).
 */
#include "config.h"

#include "check.h"
#include "rawhdr.h"

static char *
sender(const char *raw)
{
	return rawhdr_sender(raw, strlen(raw));
}

#define EXPECT_SENDER(raw, want) do { \
	char *s_ = sender(raw); \
	const char *w_ = (want); \
	if (w_ == NULL) \
		EXPECT(s_ == NULL); \
	else \
		EXPECT_STR(s_, w_); \
	free(s_); \
} while (0)

static void
test_sender(void)
{
	EXPECT_SENDER("From: Jane <Jane@Example.TEST>\nSubject: x\n\nbody\n",
	    "jane@example.test");
	EXPECT_SENDER("Subject: x\r\nFrom: jane@example.test\r\n\r\nbody\r\n",
	    "jane@example.test");
	EXPECT_SENDER("from:   <a@b>  \n\n", "a@b");
	/* The first From line counts. */
	EXPECT_SENDER("From: a@b\nFrom: c@d\n\n", "a@b");
	/* Not from the body. */
	EXPECT_SENDER("Subject: x\n\nFrom: a@b\n", NULL);
	/* Not a bare address. */
	EXPECT_SENDER("From: nobody\n\n", NULL);
	EXPECT_SENDER("From: a b@c\n\n", NULL);
	/* An unclosed "<" takes the rest of the line, as before. */
	EXPECT_SENDER("From: <a@b\n\n", "a@b");
	EXPECT_SENDER("From: \"x\"@b\n\n", NULL);
	EXPECT_SENDER("From:\n\n", NULL);
	EXPECT_SENDER("", NULL);
}

static void
test_automatic(void)
{
	EXPECT_SENDER("From: a@b\nAuto-Submitted: auto-replied\n\n", NULL);
	EXPECT_SENDER("Auto-Submitted: auto-generated\nFrom: a@b\n\n", NULL);
	EXPECT_SENDER("From: a@b\nAuto-Submitted: no\n\n", "a@b");
	EXPECT_SENDER("From: a@b\nauto-submitted:  No (human)\r\n\r\n",
	    "a@b");
	/* Automatic values that merely contain "no". */
	EXPECT_SENDER("From: a@b\nAuto-Submitted: auto-notified\n\n", NULL);
	EXPECT_SENDER("From: a@b\nAuto-Submitted: auto-generated; "
	    "owner-email=nobody@b\n\n", NULL);
	EXPECT_SENDER("From: a@b\nAuto-Submitted: nothing\n\n", NULL);
	/* Only in the header block. */
	EXPECT_SENDER("From: a@b\n\nAuto-Submitted: auto-replied\n", "a@b");
}

/* The length is the end: bytes after it are never read. */
static void
test_bounded(void)
{
	const char raw[] = "From: a@b\n\nFrom: c@d";
	char *s = rawhdr_sender(raw, 7);	/* "From: a" */

	EXPECT(s == NULL);
	free(s);
	s = rawhdr_sender(raw, 9);
	EXPECT_STR(s, "a@b");
	free(s);
}

static void
test_skip_transit(void)
{
	const char *raw = "Return-Path: <a@b>\nReceived: from x\n\tby y\n"
	    "delivered-to: c@d\nFrom: a@b\nReceived: late\n\nbody";

	EXPECT(rawhdr_skip_transit(raw, strlen(raw)) ==
	    (size_t)(strstr(raw, "From:") - raw));
	EXPECT(rawhdr_skip_transit("From: a@b\n", 10) == 0);
	EXPECT(rawhdr_skip_transit("", 0) == 0);
	/* A transit line without an end is not skipped. */
	EXPECT(rawhdr_skip_transit("Received: x", 11) == 0);
	/* A name cut by the length does not match. */
	EXPECT(rawhdr_skip_transit("Received: x\n", 5) == 0);
}

/* Issue 17: what an unreadable message's notice quotes and threads on. */
static void
test_field(void)
{
	const char *raw = "Subject: Referral:\r\n =?UTF-8?B?5pel?=\r\n"
	    "message-id:<a@b>\r\nX: y\r\n\r\nDate: body\r\n";
	char *s, *eml;
	size_t len;

	s = rawhdr_field(raw, strlen(raw), "Subject", 100);
	EXPECT_STR(s, "Referral: =?UTF-8?B?5pel?=");
	free(s);
	s = rawhdr_field(raw, strlen(raw), "Message-ID", 100);
	EXPECT_STR(s, "<a@b>");
	free(s);
	/* Only the header block; at most max bytes; none is NULL. */
	EXPECT(rawhdr_field(raw, strlen(raw), "Date", 100) == NULL);
	s = rawhdr_field(raw, strlen(raw), "Subject", 4);
	EXPECT_STR(s, "Refe");
	free(s);
	EXPECT(rawhdr_field("Subject", 7, "Subject", 10) == NULL);
	s = rawhdr_field("Subject:", 8, "Subject", 10);
	EXPECT_STR(s, "");
	free(s);
	/* The fixtures the MIME parser cannot read. */
	eml = check_slurp("tests/data/corpus/bad-boundary-mismatch.eml", &len);
	EXPECT(eml != NULL);
	if (eml != NULL) {
		s = rawhdr_field(eml, len, "Message-ID", 1000);
		EXPECT_STR(s, "<bad-boundary-mismatch@partner.example>");
		free(s);
		s = rawhdr_field(eml, len, "Date", 1000);
		EXPECT_STR(s, "Fri, 27 Nov 2026 14:16:00 +0900");
		free(s);
		free(eml);
	}
	eml = check_slurp("tests/data/corpus/bad-no-headers.eml", &len);
	EXPECT(eml != NULL);
	if (eml != NULL) {
		EXPECT(rawhdr_field(eml, len, "Message-ID", 1000) == NULL);
		free(eml);
	}
}

int
main(void)
{
	RUN(test_sender);
	RUN(test_automatic);
	RUN(test_bounded);
	RUN(test_field);
	RUN(test_skip_transit);
	return check_done();
}
