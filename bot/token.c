/* token: HMAC tokens for signed reply addresses (GnuTLS HMAC). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "log.h"
#include "token.h"
#include "util.h"

/* Lowercase base32 without padding: safe in local parts and ids. */
static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

void
token_make(const char *key, size_t keylen, int64_t id, int role, char *out)
{
	unsigned char mac[32];
	char msg[64];
	int n, i, bit;

	n = snprintf(msg, sizeof(msg), "r%lld.%c", (long long)id, role);
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, keylen, msg, (size_t)n,
	    mac) != 0)
		fatalx("gnutls_hmac_fast failed");
	for (i = 0; i < TOKEN_LEN; i++) {
		bit = i * 5;
		out[i] = b32[((mac[bit / 8] << 8 | mac[bit / 8 + 1]) >>
		    (11 - bit % 8)) & 31];
	}
	out[TOKEN_LEN] = '\0';
}

char *
token_tag(const char *key, size_t keylen, int64_t id, int role)
{
	char tok[TOKEN_LEN + 1];

	token_make(key, keylen, id, role, tok);
	return xasprintf("r%lld.%c.%s", (long long)id, role, tok);
}

char *
token_address_of(const char *intake, const char *tag)
{
	const char *at = strchr(intake, '@');

	return xasprintf("%.*s+%s%s", (int)(at - intake), intake, tag, at);
}

char *
token_address(const char *key, size_t keylen, const char *intake,
    int64_t id, int role)
{
	char *tag = token_tag(key, keylen, id, role), *addr;

	addr = token_address_of(intake, tag);
	free(tag);
	return addr;
}

int
token_check(const char *key, size_t keylen, const char *s, int64_t *id,
    int *role)
{
	static const char roles[] = { ROLE_STAFF, ROLE_PARTNER,
	    ROLE_NEWSLETTER, ROLE_UNSUBSCRIBE, ROLE_UNSUB_CONTACT,
	    ROLE_PROFILE, ROLE_DRAFT,
	    ROLE_CONFIRM, ROLE_WELCOME, ROLE_FORM, ROLE_STATEMENT, ROLE_NOTICE,
	    ROLE_JOIN, ROLE_FORWARD, ROLE_SURVEY, ROLE_GIVEN, ROLE_MEETING,
	    0 };
	char tok[TOKEN_LEN + 1], *end;
	unsigned char c, diff = 0;
	long long v;
	int r, i;

	if (s == NULL || (s[0] != 'r' && s[0] != 'R'))
		return 0;
	v = strtoll(s + 1, &end, 10);
	if (v <= 0 || end[0] != '.' || end[1] == '\0' ||
	    strchr(roles, end[1]) == NULL || end[2] != '.')
		return 0;
	r = end[1];
	/* The length is the sender's, no secret: it may end the check. */
	if (strnlen(end + 3, TOKEN_LEN) < TOKEN_LEN)
		return 0;
	token_make(key, keylen, v, r, tok);
	/*
	 * Every character is compared, so the time taken does not tell how
	 * much of a guess was right.  Mail systems may change case in local
	 * parts: upper case is folded without a branch (tok is lower case).
	 */
	for (i = 0; i < TOKEN_LEN; i++) {
		c = (unsigned char)end[3 + i];
		c |= (unsigned char)(((unsigned)(c - 'A') < 26) << 5);
		diff |= c ^ (unsigned char)tok[i];
	}
	if (diff != 0)
		return 0;
	*id = v;
	*role = r;
	return 1;
}
