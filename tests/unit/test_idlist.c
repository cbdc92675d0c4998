/*
 * idlist: the words of address and message-id lists (issue 14 item 1:
 * a value ending in ">" once made the scan loop forever), and the ids we
 * copy into In-Reply-To and References (item 4).  The whole program runs
 * under alarm(), so a walk that stops advancing fails instead of hanging.
 */
#include "config.h"

#include <signal.h>
#include <unistd.h>

#include "check.h"
#include "idlist.h"

/* The words of value, each followed by "|". */
static char *
words(const char *value)
{
	struct idlist it;
	struct buf b;
	const char *w;
	size_t n, steps = 0;

	buf_init(&b);
	idlist_init(&it, value);
	while (idlist_next(&it, &w, &n) && steps++ < 1000) {
		EXPECT(n > 0);
		buf_add(&b, w, n);
		buf_addc(&b, '|');
	}
	return buf_steal(&b);
}

#define EXPECT_WORDS(value, want) do { \
	char *w_ = words(value); \
	EXPECT_STR(w_, want); \
	free(w_); \
} while (0)

static void
test_brackets(void)
{
	EXPECT_WORDS("<x@y>", "x@y|");
	EXPECT_WORDS("a@b>", "a@b|");
	EXPECT_WORDS(">>>", "");
	EXPECT_WORDS("<<", "");
	EXPECT_WORDS("<>", "");
	EXPECT_WORDS("x>y", "x|y|");
	EXPECT_WORDS("<a@b><c@d>", "a@b|c@d|");
}

static void
test_empty(void)
{
	struct idlist it;
	const char *w = NULL;
	size_t n = 0;

	EXPECT_WORDS("", "");
	idlist_init(&it, NULL);
	EXPECT(idlist_next(&it, &w, &n) == 0);
	/* The end stays the end. */
	EXPECT(idlist_next(&it, &w, &n) == 0);
}

static void
test_separators(void)
{
	EXPECT_WORDS("a@b, c@d,e@f", "a@b|c@d|e@f|");
	EXPECT_WORDS(" \t a@b\t\tc@d ", "a@b|c@d|");
	EXPECT_WORDS("<a@b>\r\n <c@d>\n\t<e@f>", "a@b|c@d|e@f|");
	EXPECT_WORDS("a@b; c@d;;", "a@b|c@d|");
	EXPECT_WORDS(",,, ,\r\n", "");
}

static void
test_msgid_ok(void)
{
	static const char *good[] = {
		"a@b", "r1.s.k7f3q9ab2c.0011@refbot.example.test",
		"CAx+y=z/w_1-2@mail.gmail.com", "x@[127.0.0.1]",
		"!#$%&'*+-/=?^_`{|}~@x",
	};
	static const char *bad[] = {
		"", "ab", "@b", "a@", "a b@c", "a@b c", "a\r\n@b", "a@b\x7f",
		"a@b@c", ".a@b", "a.@b", "a..b@c", "a@b..c", "a@[x]y",
		"a@[a[b]", "\"q\"@b", "<a@b>", "a@b\xc2\x85", "a\t@b",
	};
	char longid[IDLIST_MSGID_MAX + 2];
	size_t i;

	for (i = 0; i < nitems(good); i++)
		if (!idlist_msgid_ok(good[i], strlen(good[i]))) {
			printf("#   rejected %s\n", good[i]);
			check_cur_failed = 1;
		}
	for (i = 0; i < nitems(bad); i++)
		if (idlist_msgid_ok(bad[i], strlen(bad[i]))) {
			printf("#   accepted bad[%zu]\n", i);
			check_cur_failed = 1;
		}
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	longid[1] = '@';
	EXPECT(idlist_msgid_ok(longid, IDLIST_MSGID_MAX));
	EXPECT(!idlist_msgid_ok(longid, IDLIST_MSGID_MAX + 1));
}

static void
test_last_msgids(void)
{
	struct buf in, want;
	char *s;
	int i;

	s = idlist_last_msgids("<a@b> bad <c..d@e> x@[y z]@w x@y", 10);
	EXPECT_STR(s, "a@b x@y");
	free(s);
	s = idlist_last_msgids(">>> <<", 10);
	EXPECT_STR(s, "");
	free(s);
	/* Fourteen ids and junk: the last ten valid ones, in order. */
	buf_init(&in);
	buf_init(&want);
	for (i = 1; i <= 14; i++) {
		buf_addf(&in, "<id%d@x> a..b@c ", i);
		if (i > 4)
			buf_addf(&want, "%sid%d@x", want.len ? " " : "", i);
	}
	s = idlist_last_msgids(in.data, IDLIST_REFERENCES_MAX);
	EXPECT_STR(s, want.data);
	free(s);
	buf_free(&in);
	buf_free(&want);
}

int
main(void)
{
	/* A walk that stops advancing must fail the test, not block it. */
	signal(SIGALRM, SIG_DFL);
	alarm(10);
	RUN(test_brackets);
	RUN(test_empty);
	RUN(test_separators);
	RUN(test_msgid_ok);
	RUN(test_last_msgids);
	return check_done();
}
