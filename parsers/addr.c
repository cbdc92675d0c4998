/*
 * addr: RFC 5321 section 4.1.2 Mailbox syntax.  One pass over the bytes,
 * each loop advancing by at least one byte.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "addr.h"

#define ADDR_MAX 254		/* RFC 5321 4.5.3.1.3: path 256 with <> */
#define LOCAL_MAX 64
#define DOMAIN_MAX 255
#define LABEL_MAX 63

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* atext, RFC 5322 3.2.3. */
static int
is_atext(unsigned char c)
{
	return is_alpha(c) || is_digit(c) ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Dot-string = Atom *("." Atom); returns its length, 0 when none. */
static size_t
dot_string(const unsigned char *s, size_t n)
{
	size_t i = 0, atom;

	for (;;) {
		for (atom = 0; i < n && is_atext(s[i]); i++)
			atom++;
		if (atom == 0)
			return 0;
		if (i < n && s[i] == '.') {
			i++;
			continue;
		}
		return i;
	}
}

/*
 * Quoted-string = DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE; returns
 * its length including the quotes, 0 when s does not start one.
 */
static size_t
quoted_string(const unsigned char *s, size_t n)
{
	size_t i = 1;

	if (n == 0 || s[0] != '"')
		return 0;
	while (i < n) {
		if (s[i] == '"')
			return i + 1;
		if (s[i] == '\\') {
			if (i + 1 >= n || s[i + 1] < 32 || s[i + 1] > 126)
				return 0;
			i += 2;
			continue;
		}
		if (s[i] < 32 || s[i] > 126)
			return 0;
		i++;
	}
	return 0;
}

/* Domain = sub-domain *("." sub-domain), sub-domain = Let-dig [Ldh-str]. */
static enum addr_err
domain(const unsigned char *s, size_t n)
{
	size_t i = 0, start;

	if (n == 0)
		return ADDR_DOMAIN;
	if (n > DOMAIN_MAX)
		return ADDR_DOMAIN_TOO_LONG;
	for (;;) {
		start = i;
		while (i < n && (is_alpha(s[i]) || is_digit(s[i]) ||
		    s[i] == '-'))
			i++;
		if (i == start || s[start] == '-' || s[i - 1] == '-')
			return ADDR_DOMAIN;
		if (i - start > LABEL_MAX)
			return ADDR_DOMAIN_TOO_LONG;
		if (i == n)
			return ADDR_OK;
		if (s[i] != '.')
			return ADDR_DOMAIN;
		i++;
	}
}

/* Snum 3("." Snum), each Snum 1*3DIGIT of value 0 to 255. */
static int
ipv4(const unsigned char *s, size_t n)
{
	size_t i = 0, digits;
	int part, value;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
		for (digits = 0, value = 0; i < n && is_digit(s[i]); i++) {
			if (++digits > 3)
				return 0;
			value = value * 10 + (s[i] - '0');
		}
		if (digits == 0 || value > 255)
			return 0;
	}
	return i == n;
}

/* "[" IPv4-address-literal / "IPv6:" IPv6-addr "]", without brackets. */
static enum addr_err
literal(const unsigned char *s, size_t n)
{
	char v6[64];
	unsigned char a[16];
	size_t i;

	if (ipv4(s, n))
		return ADDR_OK;
	if (n <= 5 || n - 5 >= sizeof(v6) || memcmp(s, "IPv6:", 5) != 0)
		return ADDR_LITERAL;
	/* inet_pton would stop at a NUL; only hex, ':' and '.' may pass. */
	for (i = 5; i < n; i++)
		if (!is_digit(s[i]) && s[i] != ':' && s[i] != '.' &&
		    !((s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F')))
			return ADDR_LITERAL;
	memcpy(v6, s + 5, n - 5);
	v6[n - 5] = '\0';
	return inet_pton(AF_INET6, v6, a) == 1 ? ADDR_OK : ADDR_LITERAL;
}

enum addr_err
addr_check(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t local;

	if (n == 0)
		return ADDR_EMPTY;
	if (n > ADDR_MAX)
		return ADDR_TOO_LONG;
	local = s[0] == '"' ? quoted_string(s, n) : dot_string(s, n);
	if (local == 0)
		return ADDR_LOCAL;
	if (local == n)
		return ADDR_NO_AT;
	if (s[local] != '@')
		return ADDR_LOCAL;
	if (local > LOCAL_MAX)
		return ADDR_LOCAL_TOO_LONG;
	s += local + 1;
	n -= local + 1;
	if (n > 0 && s[0] == '[') {
		if (n < 2 || s[n - 1] != ']')
			return ADDR_LITERAL;
		return literal(s + 1, n - 2);
	}
	return domain(s, n);
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* A byte that continues a domain: a letter, digit or hyphen. */
static int
is_domain_char(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '-';
}

int
addr_mentions(const char *s, size_t n, const char *a, size_t alen)
{
	const unsigned char *h = (const unsigned char *)s;
	const unsigned char *w = (const unsigned char *)a;
	size_t i, j, end;

	if (alen == 0 || alen > n)
		return 0;
	for (i = 0; i + alen <= n; i++) {
		for (j = 0; j < alen && lower(h[i + j]) == lower(w[j]); j++)
			;
		if (j < alen)
			continue;
		/*
		 * Before it: no more local part (the characters real ones
		 * use: '=' or a quote may well be punctuation); after: no
		 * more domain.
		 */
		if (i > 0 && (is_domain_char(h[i - 1]) || (h[i - 1] != '\0' &&
		    strchr("._+", h[i - 1]) != NULL)))
			continue;
		end = i + alen;
		if (end < n && is_domain_char(h[end]))
			continue;
		if (end + 1 < n && h[end] == '.' && is_domain_char(h[end + 1]))
			continue;
		return 1;
	}
	return 0;
}

const char *
addr_strerror(enum addr_err e)
{
	switch (e) {
	case ADDR_OK:
		return "valid";
	case ADDR_EMPTY:
		return "the address is empty";
	case ADDR_TOO_LONG:
		return "the address is longer than 254 octets";
	case ADDR_NO_AT:
		return "the address has no @domain";
	case ADDR_LOCAL:
		return "the part before @ is not a valid local part";
	case ADDR_LOCAL_TOO_LONG:
		return "the part before @ is longer than 64 octets";
	case ADDR_DOMAIN:
		return "the part after @ is not a valid domain";
	case ADDR_DOMAIN_TOO_LONG:
		return "the domain or one of its labels is too long";
	case ADDR_LITERAL:
		return "the address literal after @ is not [IPv4] or [IPv6:...]";
	}
	return "invalid";
}
