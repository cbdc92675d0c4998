/*
 * wire: an analysis sent by the parser child reads back equal to what
 * analyze() gives on the same bytes, for every corpus mail; and bytes
 * that are short, long or wrong anywhere are refused, whole.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <string.h>

#include "analyze.h"
#include "check.h"
#include "classify.h"
#include "wire.h"

static struct template tmpl;
static const char *cur_path;

static int
same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

#define SAME(a, b) do { \
	if (!same_str((a), (b))) { \
		printf("#   %s: %s differs\n", cur_path, #a); \
		check_cur_failed = 1; \
	} \
} while (0)

#define SAME_N(a, b) do { \
	if ((a) != (b)) { \
		printf("#   %s: %s differs\n", cur_path, #a); \
		check_cur_failed = 1; \
	} \
} while (0)

/* Field by field: not through wire_put, so a fault there shows. */
static void
expect_equal(const struct analysis *x, const struct analysis *y)
{
	const struct message *m = &x->msg, *n = &y->msg;
	size_t i;

	SAME_N(x->kind, y->kind);
	SAME_N(x->parse_status, y->parse_status);
	SAME(x->error, y->error);
	SAME(x->automatic, y->automatic);
	SAME_N(x->ref, y->ref);
	SAME_N(x->ours, y->ours);
	SAME(x->lang, y->lang);
	SAME(x->dsn_recipient, y->dsn_recipient);
	SAME(x->dsn_action, y->dsn_action);
	SAME(x->dsn_status, y->dsn_status);
	SAME(x->dsn_message_id, y->dsn_message_id);
	SAME(m->from_addr, n->from_addr);
	SAME(m->from_name, n->from_name);
	SAME(m->reply_to_addr, n->reply_to_addr);
	SAME(m->to_addrs, n->to_addrs);
	SAME(m->subject, n->subject);
	SAME(m->message_id, n->message_id);
	SAME(m->in_reply_to, n->in_reply_to);
	SAME(m->references, n->references);
	SAME_N(m->has_return_path, n->has_return_path);
	SAME_N(m->return_path_empty, n->return_path_empty);
	SAME(m->content_type, n->content_type);
	SAME(m->text, n->text);
	SAME(m->text_type, n->text_type);
	SAME(m->charset, n->charset);
	SAME_N(m->nheaders, n->nheaders);
	for (i = 0; i < m->nheaders && i < n->nheaders; i++) {
		SAME(m->headers[i].name, n->headers[i].name);
		SAME(m->headers[i].value, n->headers[i].value);
	}
	SAME_N(m->nattachments, n->nattachments);
	for (i = 0; i < m->nattachments && i < n->nattachments; i++) {
		SAME(m->attachments[i].name, n->attachments[i].name);
		SAME(m->attachments[i].type, n->attachments[i].type);
		SAME_N(m->attachments[i].size, n->attachments[i].size);
		SAME_N(m->attachments[i].len, n->attachments[i].len);
	}
	SAME_N(x->form.outcome, y->form.outcome);
	SAME_N(x->form.nvalues, y->form.nvalues);
	for (i = 0; i < x->form.nvalues && i < y->form.nvalues; i++) {
		SAME_N(x->form.values[i].field, y->form.values[i].field);
		SAME(x->form.values[i].value, y->form.values[i].value);
		SAME_N(x->form.values[i].line, y->form.values[i].line);
	}
	SAME_N(x->form.nproblems, y->form.nproblems);
	for (i = 0; i < x->form.nproblems && i < y->form.nproblems; i++) {
		const struct form_problem *p = &x->form.problems[i];
		const struct form_problem *q = &y->form.problems[i];

		SAME_N(p->field, q->field);
		SAME_N(p->group, q->group);
		SAME_N(p->kind, q->kind);
		SAME_N(p->code, q->code);	/* the one static copy */
		SAME(p->arg, q->arg);
	}
	SAME_N(x->form.nfailed, y->form.nfailed);
	for (i = 0; i < x->form.nfailed && i < y->form.nfailed; i++)
		SAME_N(x->form.failed[i], y->form.failed[i]);
}

static struct analyze_opts opts = { &tmpl, "refbot.example.test",
    "X-Refbot-Loop", 25 * 1024 * 1024 };

/* Round trip of one file; returns how many bytes its encoding took. */
static size_t
round_trip(const char *rel, struct buf *enc)
{
	struct analysis a, b;
	const char *err = NULL;
	char *raw;
	size_t len;

	cur_path = rel;
	if ((raw = check_slurp(rel, &len)) == NULL) {
		printf("#   %s: cannot read\n", rel);
		check_cur_failed = 1;
		return 0;
	}
	analyze(raw, len, &opts, &a);
	buf_reset(enc);
	EXPECT(wire_put(&a, &tmpl, enc) == 0);
	if (wire_get(enc->data, enc->len, &tmpl, &b, &err) != 0) {
		printf("#   %s: refused: %s\n", rel, err);
		check_cur_failed = 1;
	} else {
		expect_equal(&a, &b);
		analysis_free(&b);
	}
	analysis_free(&a);
	free(raw);
	return enc->len;
}

static void
round_trip_dir(const char *dir)
{
	struct buf enc;
	struct dirent *de;
	DIR *d;

	if ((d = opendir(srcpath(dir))) == NULL) {
		printf("#   %s: cannot open\n", dir);
		check_cur_failed = 1;
		return;
	}
	buf_init(&enc);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		char *rel;

		if (l <= 4 || strcmp(de->d_name + l - 4, ".eml") != 0)
			continue;
		rel = xasprintf("%s/%s", dir, de->d_name);
		round_trip(rel, &enc);
		free(rel);
	}
	closedir(d);
	buf_free(&enc);
}

static void
test_corpus(void)
{
	round_trip_dir("tests/data/corpus");
}

static void
test_fixtures(void)
{
	round_trip_dir("tests/data");
}

/* A submission with problems and a failed rule: every part of a form. */
static void
test_form_parts(void)
{
	static const char mail[] =
	    "From: Partner <p@example.test>\n"
	    "To: intake@refbot.example.test\n"
	    "Subject: referral\n"
	    "Message-ID: <x1@example.test>\n"
	    "\n"
	    "Client: ACME\n"
	    "Contact email: not-an-address\n"
	    "Budget: lots\n"
	    "Client aware: no\n";
	struct analysis a, b;
	struct buf enc;

	cur_path = "form";
	analyze(mail, sizeof(mail) - 1, &opts, &a);
	EXPECT(a.kind == KIND_SUBMISSION);
	EXPECT(a.form.nproblems > 0);
	buf_init(&enc);
	EXPECT(wire_put(&a, &tmpl, &enc) == 0);
	EXPECT(wire_get(enc.data, enc.len, &tmpl, &b, NULL) == 0);
	expect_equal(&a, &b);
	analysis_free(&a);
	analysis_free(&b);
	buf_free(&enc);
}

/* Every prefix of a good encoding, and every byte changed, is checked. */
static void
test_damaged(void)
{
	struct analysis a;
	struct buf enc;
	const char *err;
	size_t n, i;
	char *copy;

	buf_init(&enc);
	n = round_trip("tests/data/incomplete.eml", &enc);
	EXPECT(n > 16);
	copy = xmalloc(n + 1);
	for (i = 0; i < n; i++) {
		memcpy(copy, enc.data, i);
		err = NULL;
		if (wire_get(copy, i, &tmpl, &a, &err) == 0) {
			printf("#   prefix of %zu bytes accepted\n", i);
			check_cur_failed = 1;
			analysis_free(&a);
		} else
			EXPECT(err != NULL && a.msg.text == NULL &&
			    a.form.nvalues == 0);
	}
	/* One byte more is refused too. */
	memcpy(copy, enc.data, n);
	copy[n] = 0;
	EXPECT(wire_get(copy, n + 1, &tmpl, &a, &err) == -1);
	EXPECT_STR(err, "bytes after the analysis");
	/* Any one byte changed: refused, or read whole (never a crash). */
	for (i = 0; i < n; i++) {
		memcpy(copy, enc.data, n);
		copy[i] ^= 0xff;
		if (wire_get(copy, n, &tmpl, &a, NULL) == 0)
			analysis_free(&a);
	}
	/* A submission said to be automatic has no reason: refused. */
	memcpy(copy, enc.data, n);
	EXPECT(copy[5] == KIND_SUBMISSION);
	copy[5] = KIND_AUTOMATIC;
	EXPECT(wire_get(copy, n, &tmpl, &a, &err) == -1);
	EXPECT_STR(err, "a kind that contradicts the rest");
	/* The magic and the version. */
	memcpy(copy, enc.data, n);
	copy[0] = 'X';
	EXPECT(wire_get(copy, n, &tmpl, &a, &err) == -1);
	memcpy(copy, enc.data, n);
	copy[4] = WIRE_VERSION + 1;
	EXPECT(wire_get(copy, n, &tmpl, &a, &err) == -1);
	EXPECT_STR(err, "an analysis of another version");
	free(copy);
	buf_free(&enc);
}

/* Hand-made bytes: a count or index no honest child sends. */
static void
test_hostile(void)
{
	/* magic, version, kind 3, status 2, error "x", then a huge count */
	static const unsigned char head[] = { 'R', 'B', 'W', 'A',
	    WIRE_VERSION, 3, 2, 1, 0, 0, 0, 'x' };
	unsigned char b[256];
	struct analysis a;
	const char *err;
	size_t n, i;

	memcpy(b, head, sizeof(head));
	n = sizeof(head);
	for (i = 0; i < 8; i++) {	/* eight NULL strings */
		memset(b + n, 0xff, 4);
		n += 4;
	}
	b[n++] = 0;	/* has_return_path */
	b[n++] = 0;
	memset(b + n, 0xff, 4);	/* content_type NULL */
	n += 4;
	memset(b + n, 0xff, 4);	/* 4 billion headers */
	n += 4;
	EXPECT(wire_get((char *)b, n, &tmpl, &a, &err) == -1);
	EXPECT_STR(err, "a count larger than the bytes left");
	/* A string with a NUL in it. */
	memcpy(b, head, sizeof(head));
	b[sizeof(head) - 1] = '\0';
	EXPECT(wire_get((char *)b, sizeof(head), &tmpl, &a, &err) == -1);
	EXPECT_STR(err, "a string holds a NUL");
	/* A string longer than what is left. */
	memcpy(b, head, sizeof(head));
	b[7] = 200;
	EXPECT(wire_get((char *)b, sizeof(head), &tmpl, &a, &err) == -1);
	EXPECT_STR(err, "a string runs past the end");
	/* A kind that does not exist. */
	memcpy(b, head, sizeof(head));
	b[5] = 9;
	EXPECT(wire_get((char *)b, sizeof(head), &tmpl, &a, &err) == -1);
	EXPECT_STR(err, "an unknown kind or parse status");
}

/*
 * Our Message-ID names a referral only with a referral's role (s, p) or
 * in the old form; other signed mail (the welcome kit, r5.w...) is ours
 * but names none.
 */
static void
test_our_ids(void)
{
	static const struct {
		const char *id;
		int64_t ref;
	} cases[] = {
		{ "r12.s.abcdefghijklmnop.0a1b@refbot.example.test", 12 },
		{ "r12.p.abcdefghijklmnop.0a1b@refbot.example.test", 12 },
		{ "r12.ack.0a1b@refbot.example.test", 12 },
		{ "r5.w.abcdefghijklmnop.0a1b@refbot.example.test", 0 },
		{ "r5.n.abcdefghijklmnop.0a1b@refbot.example.test", 0 },
		{ "r7.j.abcdefghijklmnop.0a1b@refbot.example.test", 0 },
		{ "welcome.0a1b@refbot.example.test", 0 },
	};
	struct analysis a;
	char *mail;
	size_t i;

	cur_path = "our ids";
	for (i = 0; i < nitems(cases); i++) {
		mail = xasprintf("From: p@example.test\nTo: intake@example.test\n"
		    "Subject: Re: hello\nMessage-ID: <x%zu@example.test>\n"
		    "In-Reply-To: <%s>\n\nThanks\n", i, cases[i].id);
		analyze(mail, strlen(mail), &opts, &a);
		EXPECT(a.kind == KIND_REPLY && a.ours == 1);
		EXPECT(a.ref == cases[i].ref);
		analysis_free(&a);
		free(mail);
	}
}

/* The static strings map back only to what the parsers give. */
static void
test_static_strings(void)
{
	EXPECT(form_problem_code("one_of") != NULL);
	EXPECT(form_problem_code("nonsense") == NULL);
	EXPECT(classify_automatic_reason("List-Id") != NULL);
	EXPECT(classify_automatic_reason("list-id") == NULL);
}

int
main(void)
{
	char *text, *err = NULL;
	size_t len;

	text = check_slurp("templates/referral.template", &len);
	if (text == NULL || template_parse(text, len, &tmpl, &err) != 0) {
		printf("# template: %s\n", err ? err : "cannot read");
		return 99;
	}
	free(text);
	RUN(test_corpus);
	RUN(test_fixtures);
	RUN(test_form_parts);
	RUN(test_damaged);
	RUN(test_hostile);
	RUN(test_static_strings);
	RUN(test_our_ids);
	template_free(&tmpl);
	return check_done();
}
