/* Tests for token: signed reply tags and their check. */
#include "config.h"

#include <ctype.h>
#include <stdint.h>

#include "check.h"
#include "token.h"

static const char key[] = "unit-test-key-0123456789abcdef";
#define KEYLEN (sizeof(key) - 1)

/* Whether "r<id>.<role>.<tok>" checks under key. */
static int
check_with(const char *k, int64_t id, int role, const char *tok)
{
	char *tag = xasprintf("r%lld.%c.%s", (long long)id, role, tok);
	int64_t got_id;
	int got_role, ok;

	ok = token_check(k, strlen(k), tag, &got_id, &got_role);
	free(tag);
	return ok;
}

static void
test_length(void)
{
	char tok[TOKEN_LEN + 1];
	size_t i;

	EXPECT(TOKEN_LEN >= 16);	/* 5 bits each: at least 80 bits */
	token_make(key, KEYLEN, 42, ROLE_STAFF, tok);
	EXPECT(strlen(tok) == 16);
	for (i = 0; i < strlen(tok); i++)
		EXPECT(strchr("abcdefghijklmnopqrstuvwxyz234567", tok[i]) !=
		    NULL);
}

static void
test_round_trip(void)
{
	static const int roles[] = { ROLE_STAFF, ROLE_PARTNER,
	    ROLE_NEWSLETTER, ROLE_UNSUBSCRIBE, ROLE_PROFILE, ROLE_DRAFT,
	    ROLE_CONFIRM, ROLE_WELCOME, ROLE_FORM, ROLE_STATEMENT, ROLE_NOTICE,
	    ROLE_JOIN };
	size_t i;

	for (i = 0; i < nitems(roles); i++) {
		char *tag = token_tag(key, KEYLEN, 123 + (int64_t)i, roles[i]);
		char *mid = xasprintf("%s.abc123@refbot.example.test", tag);
		int64_t id = 0;
		int role = 0;

		EXPECT(token_check(key, KEYLEN, tag, &id, &role) == 1);
		EXPECT(id == 123 + (int64_t)i && role == roles[i]);
		id = 0;
		role = 0;
		EXPECT(token_check(key, KEYLEN, mid, &id, &role) == 1);
		EXPECT(id == 123 + (int64_t)i && role == roles[i]);
		free(mid);
		free(tag);
	}
}

static void
test_address(void)
{
	char *addr = token_address(key, KEYLEN, "intake@example.test", 7,
	    ROLE_STAFF);
	char tok[TOKEN_LEN + 1];
	int64_t id;
	int role;

	token_make(key, KEYLEN, 7, ROLE_STAFF, tok);
	{
		char *want = xasprintf("intake+r7.s.%s@example.test", tok);
		EXPECT_STR(addr, want);
		free(want);
	}
	EXPECT(token_check(key, KEYLEN, strchr(addr, '+') + 1, &id,
	    &role) == 1);
	EXPECT(id == 7 && role == ROLE_STAFF);
	free(addr);
}

static void
test_wrong_token(void)
{
	char tok[TOKEN_LEN + 1];
	int64_t id;
	int role;
	size_t i;

	token_make(key, KEYLEN, 5, ROLE_STAFF, tok);
	/* The right token for another id, role or key. */
	EXPECT(check_with(key, 6, ROLE_STAFF, tok) == 0);
	EXPECT(check_with(key, 5, ROLE_PARTNER, tok) == 0);
	EXPECT(check_with("other-key", 5, ROLE_STAFF, tok) == 0);
	/* One character off, in every position (the last one too). */
	for (i = 0; i < TOKEN_LEN; i++) {
		char bad[TOKEN_LEN + 1];
		memcpy(bad, tok, sizeof(bad));
		bad[i] = bad[i] == 'a' ? 'b' : 'a';
		EXPECT(check_with(key, 5, ROLE_STAFF, bad) == 0);
	}
	/* What the old 10-character tokens were. */
	tok[10] = '\0';
	EXPECT(check_with(key, 5, ROLE_STAFF, tok) == 0);
	EXPECT(token_check(key, KEYLEN, NULL, &id, &role) == 0);
	EXPECT(token_check(key, KEYLEN, "", &id, &role) == 0);
	EXPECT(token_check(key, KEYLEN, "r5.s.", &id, &role) == 0);
	EXPECT(token_check(key, KEYLEN, "r5.x.aaaaaaaaaaaaaaaa", &id,
	    &role) == 0);
}

static void
test_truncated(void)
{
	char tok[TOKEN_LEN + 1], *tag;
	int64_t id;
	int role;
	size_t n;

	token_make(key, KEYLEN, 9, ROLE_PARTNER, tok);
	for (n = 0; n < TOKEN_LEN; n++) {
		char cut[TOKEN_LEN + 1];
		memcpy(cut, tok, n);
		cut[n] = '\0';
		EXPECT(check_with(key, 9, ROLE_PARTNER, cut) == 0);
		/* Cut inside a Message-ID or address too. */
		tag = xasprintf("r9.p.%s@example.test", cut);
		EXPECT(token_check(key, KEYLEN, tag, &id, &role) == 0);
		free(tag);
	}
}

static void
test_case_change(void)
{
	char tok[TOKEN_LEN + 1], *tag;
	int64_t id = 0;
	int role = 0, digits = 0;
	size_t i;

	token_make(key, KEYLEN, 31, ROLE_STAFF, tok);
	tag = xasprintf("r31.s.%s", tok);
	for (i = 0; tag[i] != '\0'; i++)
		tag[i] = (char)toupper((unsigned char)tag[i]);
	/* "R31.s.TOKEN": the token and the "r" fold; the role letter is exact. */
	tag[strlen("r31.")] = 's';
	EXPECT(token_check(key, KEYLEN, tag, &id, &role) == 1);
	EXPECT(id == 31 && role == ROLE_STAFF);
	free(tag);
	/*
	 * Only letters fold: a sloppy fold (c | 0x20 on every byte) would
	 * let control bytes 0x12..0x17 stand in for the digits 2..7.
	 */
	for (i = 0; i < TOKEN_LEN; i++) {
		char bad[TOKEN_LEN + 1];
		if (tok[i] < '2' || tok[i] > '7')
			continue;
		digits++;
		memcpy(bad, tok, sizeof(bad));
		bad[i] = (char)(tok[i] - 0x20);
		EXPECT(check_with(key, 31, ROLE_STAFF, bad) == 0);
	}
	EXPECT(digits > 0);	/* the key above makes one; keep it so */
}

int
main(void)
{
	RUN(test_length);
	RUN(test_round_trip);
	RUN(test_address);
	RUN(test_wrong_token);
	RUN(test_truncated);
	RUN(test_case_change);
	return check_done();
}
