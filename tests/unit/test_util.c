/*
 * Unit tests for the growable buffer (parsers/util.c): buf_addf writes
 * straight into the spare room and formats again only when it did not
 * fit, so the edges of that room are what is tested here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* n copies of c, NUL-terminated (caller frees). */
static char *
repeat(char c, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* b holds exactly want: its length, its bytes and its terminator. */
static int
holds(const struct buf *b, const char *want)
{
	size_t n = strlen(want);

	return b->data != NULL && b->len == n && b->len < b->cap &&
	    memcmp(b->data, want, n) == 0 && b->data[n] == '\0';
}

static void
test_exact_fit(void)
{
	struct buf b;
	size_t cap;
	char *s;

	/* A first buffer's room: what fills it and its terminator exactly. */
	buf_init(&b);
	buf_adds(&b, "x");
	cap = b.cap;
	buf_reset(&b);
	s = repeat('a', cap - 1);
	buf_addf(&b, "%s", s);
	EXPECT(holds(&b, s));
	EXPECT(b.cap == cap);	/* it fitted: nothing grew */
	free(s);

	/* The same after text already there, the room's rest exactly. */
	buf_reset(&b);
	buf_adds(&b, "0123456789");
	s = repeat('b', cap - 1 - 10);
	buf_addf(&b, "%s", s);
	EXPECT(b.cap == cap);
	EXPECT(b.len == cap - 1);
	EXPECT(memcmp(b.data, "0123456789", 10) == 0);
	EXPECT(memcmp(b.data + 10, s, cap - 11) == 0);
	EXPECT(b.data[b.len] == '\0');
	free(s);
	buf_free(&b);
}

static void
test_one_over(void)
{
	struct buf b;
	size_t cap;
	char *s, *want;

	buf_init(&b);
	buf_adds(&b, "x");
	cap = b.cap;
	buf_reset(&b);

	/* One byte more than the room: grown, and every byte there. */
	s = repeat('c', cap);
	buf_addf(&b, "%s", s);
	EXPECT(holds(&b, s));
	EXPECT(b.cap > cap);
	free(s);

	/* The room full but for one byte, then two bytes more. */
	buf_reset(&b);
	cap = b.cap;
	s = repeat('d', cap - 2);
	buf_addf(&b, "%s", s);
	EXPECT(b.cap == cap);
	buf_addf(&b, "%c%c", 'e', 'f');
	want = xasprintf("%sef", s);
	EXPECT(holds(&b, want));
	EXPECT(b.cap > cap);
	free(want);
	free(s);
	buf_free(&b);
}

static void
test_empty_and_fresh(void)
{
	struct buf b;
	char *p;

	/* An empty format on a fresh buffer: an empty string, not NULL. */
	buf_init(&b);
	buf_addf(&b, "%s", "");
	EXPECT(holds(&b, ""));
	buf_free(&b);
	p = xasprintf("%s", "");
	EXPECT_STR(p, "");
	free(p);
	p = xasprintf("%d-%s", 42, "x");
	EXPECT_STR(p, "42-x");
	free(p);
}

static void
test_long_strings(void)
{
	struct buf b;
	char *s = repeat('g', 100000), *want;

	buf_init(&b);
	buf_addf(&b, "[%s|%d|%.3s]", s, -7, "abcdef");
	want = xmalloc(100000 + 32);
	snprintf(want, 100000 + 32, "[%s|%d|%.3s]", s, -7, "abcdef");
	EXPECT(holds(&b, want));
	/* A second long one after it. */
	buf_addf(&b, "%s", s);
	EXPECT(b.len == strlen(want) + 100000);
	EXPECT(memcmp(b.data + strlen(want), s, 100000) == 0);
	EXPECT(b.data[b.len] == '\0');
	free(want);
	free(s);
	buf_free(&b);
}

static void
test_many_appends(void)
{
	struct buf b, plain;
	char one[32];
	int i, n;

	/* Every length from 1 to 7 bytes across every edge of the room. */
	buf_init(&b);
	buf_init(&plain);
	for (i = 0; i < 20000; i++) {
		buf_addf(&b, "%d,", i * 37 % 1000003);
		n = snprintf(one, sizeof(one), "%d,", i * 37 % 1000003);
		buf_add(&plain, one, (size_t)n);
	}
	EXPECT(b.len == plain.len);
	EXPECT(memcmp(b.data, plain.data, plain.len + 1) == 0);
	buf_free(&b);
	buf_free(&plain);
}

int
main(void)
{
	RUN(test_exact_fit);
	RUN(test_one_over);
	RUN(test_empty_and_fresh);
	RUN(test_long_strings);
	RUN(test_many_appends);
	return check_done();
}
