/* authres: RFC 8601 Authentication-Results parsing and the From check. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "authres.h"
#include "util.h"

/* A cursor over one NUL-terminated header value. */
struct rd {
	const char *p;
	int err;
};

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Keyword (RFC 8601 ldh-str), and '_' as some servers' x- names have. */
static int
is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static void
skip_comment(struct rd *r)
{
	size_t depth = 0;

	/* r->p is at '('; nested parentheses and quoted-pairs inside. */
	while (*r->p != '\0') {
		if (*r->p == '\\' && r->p[1] != '\0') {
			r->p += 2;
			continue;
		}
		if (*r->p == '(')
			depth++;
		else if (*r->p == ')' && --depth == 0) {
			r->p++;
			return;
		}
		r->p++;
	}
	r->err = 1;	/* unterminated */
}

static void
skip_cfws(struct rd *r)
{
	while (!r->err) {
		if (is_ws(*r->p))
			r->p++;
		else if (*r->p == '(')
			skip_comment(r);
		else
			break;
	}
}

/* Appends c to buf (size n, length *len); on overflow sets *over. */
static void
put(char *buf, size_t n, size_t *len, char c, int *over)
{
	if (*len + 1 < n)
		buf[(*len)++] = c;
	else
		*over = 1;
	buf[*len] = '\0';
}

/* A keyword, lowercased.  Returns its length in the input (0: none). */
static size_t
read_word(struct rd *r, char *buf, size_t n, int *over)
{
	size_t len = 0, in = 0;

	buf[0] = '\0';
	while (is_word(r->p[in])) {
		char c = r->p[in++];
		put(buf, n, &len, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c,
		    over);
	}
	r->p += in;
	return in;
}

/* A quoted-string at r->p (at '"'), unquoted into buf. */
static void
read_quoted(struct rd *r, char *buf, size_t n, size_t *len, int *over)
{
	r->p++;
	for (;;) {
		if (*r->p == '\0') {
			r->err = 1;
			return;
		}
		if (*r->p == '"') {
			r->p++;
			return;
		}
		if (*r->p == '\\' && r->p[1] != '\0')
			r->p++;
		put(buf, n, len, *r->p, over);
		r->p++;
	}
}

/*
 * A value: a token, a quoted-string, or an address whose local part may
 * be quoted ("a;b"@example.com).  stop_eq also ends a token at '=' (for
 * the authserv-id).  May be empty.
 */
static void
read_value(struct rd *r, char *buf, size_t n, int stop_eq, int *over)
{
	size_t len = 0;

	buf[0] = '\0';
	if (*r->p == '"') {
		read_quoted(r, buf, n, &len, over);
		if (r->err || *r->p != '@')
			return;
	}
	while (*r->p != '\0' && !is_ws(*r->p) && *r->p != ';' &&
	    *r->p != '(' && *r->p != ')' && *r->p != '"' &&
	    (unsigned char)*r->p >= 0x20 && *r->p != 0x7f &&
	    !(stop_eq && *r->p == '=')) {
		put(buf, n, &len, *r->p, over);
		r->p++;
	}
}

static unsigned
read_digits(struct rd *r)
{
	unsigned v = 0;

	while (*r->p >= '0' && *r->p <= '9') {
		if (v < 100000)
			v = v * 10 + (unsigned)(*r->p - '0');
		r->p++;
	}
	return v;
}

/* One resinfo after its ';': methodspec [reasonspec] *propspec. */
static void
read_result(struct rd *r, struct authres_result *res)
{
	char word[AUTHRES_WORD_MAX], junk[AUTHRES_VALUE_MAX];
	int over = 0, junk_over = 0;

	memset(res, 0, sizeof(*res));
	if (read_word(r, res->method, sizeof(res->method), &over) == 0) {
		r->err = 1;
		return;
	}
	skip_cfws(r);
	if (*r->p == '/') {
		r->p++;
		skip_cfws(r);
		if (*r->p < '0' || *r->p > '9') {
			r->err = 1;
			return;
		}
		res->version = read_digits(r);
		skip_cfws(r);
	}
	if (r->err || *r->p != '=') {
		r->err = 1;
		return;
	}
	r->p++;
	skip_cfws(r);
	if (r->err || read_word(r, res->result, sizeof(res->result),
	    &over) == 0) {
		r->err = 1;
		return;
	}
	/* Each turn reads a word or ends the result. */
	for (;;) {
		skip_cfws(r);
		if (r->err || *r->p == ';' || *r->p == '\0')
			break;
		if (read_word(r, word, sizeof(word), &over) == 0) {
			r->err = 1;
			break;
		}
		skip_cfws(r);
		if (!r->err && *r->p == '.') {
			struct authres_prop *pr, spare;

			pr = res->nprops < AUTHRES_MAX_PROPS ?
			    &res->props[res->nprops] : &spare;
			if (pr == &spare)
				over = 1;
			strlcpy_(pr->ptype, word, sizeof(pr->ptype));
			r->p++;
			skip_cfws(r);
			if (r->err || read_word(r, pr->property,
			    sizeof(pr->property), &over) == 0) {
				r->err = 1;
				break;
			}
			skip_cfws(r);
			if (r->err || *r->p != '=') {
				r->err = 1;
				break;
			}
			r->p++;
			skip_cfws(r);
			if (r->err)
				break;
			read_value(r, pr->value, sizeof(pr->value), 0, &over);
			if (pr != &spare)
				res->nprops++;
		} else if (!r->err && *r->p == '=') {
			/* reason=, or an extension such as "action=none". */
			int is_reason = strcmp(word, "reason") == 0;

			r->p++;
			skip_cfws(r);
			if (r->err)
				break;
			if (is_reason)
				read_value(r, res->reason, sizeof(res->reason), 0,
				    &junk_over);
			else
				read_value(r, junk, sizeof(junk), 0,
				    &junk_over);
		} else {
			r->err = 1;
			break;
		}
	}
	res->incomplete = over;
}

int
authres_parse(const char *value, struct authres *ar)
{
	struct rd r;
	struct authres_result spare, *res;
	int over = 0;

	memset(ar, 0, sizeof(*ar));
	r.p = value;
	r.err = 0;
	skip_cfws(&r);
	if (r.err)
		return -1;
	read_value(&r, ar->authserv_id, sizeof(ar->authserv_id), 1, &over);
	if (over)
		ar->authserv_id[0] = '\0';	/* never matches ours */
	skip_cfws(&r);
	/* "spf=pass ..." with no authserv-id at all (Microsoft 365). */
	if (r.err || ar->authserv_id[0] == '\0' || *r.p == '=') {
		ar->authserv_id[0] = '\0';
		return -1;
	}
	if (*r.p >= '0' && *r.p <= '9') {
		ar->version = read_digits(&r);
		skip_cfws(&r);
	}
	if (r.err || *r.p != ';')
		return -1;
	/* Each turn consumes one ';' and what follows it. */
	while (!r.err && *r.p == ';') {
		r.p++;
		skip_cfws(&r);
		if (r.err || *r.p == '\0' || *r.p == ';')
			continue;	/* a trailing or empty resinfo */
		if (ascii_strncasecmp(r.p, "none", 4) == 0 &&
		    !is_word(r.p[4])) {
			r.p += 4;
			skip_cfws(&r);
			ar->none = 1;
			continue;
		}
		res = ar->nresults < AUTHRES_MAX_RESULTS ?
		    &ar->results[ar->nresults] : &spare;
		read_result(&r, res);
		if (r.err)
			break;
		if (res == &spare)
			ar->dropped++;
		else
			ar->nresults++;
	}
	if (r.err || *r.p != '\0')
		return -1;
	return 0;
}

const char *
authres_prop(const struct authres_result *r, const char *ptype,
    const char *property)
{
	size_t i;

	for (i = 0; i < r->nprops; i++)
		if (ascii_strcasecmp(r->props[i].ptype, ptype) == 0 &&
		    ascii_strcasecmp(r->props[i].property, property) == 0)
			return r->props[i].value;
	return NULL;
}

/*
 * The length of domain d without one trailing dot, or 0 when it is not a
 * plain host name (letters, digits, '-', '_', non-empty labels).
 */
static size_t
domain_len(const char *d)
{
	size_t n = strlen(d), i;

	if (n > 0 && d[n - 1] == '.')
		n--;
	if (n == 0 || d[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (d[i] == '.' ? d[i + 1] == '.' : !is_word(d[i]))
			return 0;
	}
	return n;
}

/* The domain of an address or "@domain"; the value itself without '@'. */
static const char *
domain_of(const char *v)
{
	const char *at = strrchr(v, '@');

	return at != NULL ? at + 1 : v;
}

static int
domain_equal(const char *a, const char *b)
{
	size_t an = domain_len(a), bn = domain_len(b);

	return an > 0 && an == bn && ascii_strncasecmp(a, b, an) == 0;
}

/* from equals d, or is a subdomain of d and d has two labels or more. */
static int
domain_aligned(const char *d, const char *from)
{
	size_t dn = domain_len(d), fn = domain_len(from);

	if (dn == 0 || fn == 0)
		return 0;
	if (dn == fn)
		return ascii_strncasecmp(d, from, dn) == 0;
	return fn > dn + 1 && memchr(d, '.', dn) != NULL &&
	    from[fn - dn - 1] == '.' &&
	    ascii_strncasecmp(from + fn - dn, d, dn) == 0;
}

/* Keeps the most telling reason a check failed: the highest rank. */
static void
why_not(const char **why, int *rank, int r, const char *phrase)
{
	if (r > *rank) {
		*rank = r;
		*why = phrase;
	}
}

/* What the topmost trusted header says; see authres_decide. */
static int
decide_one(const struct authres *ar, const char *from_domain,
    int spf_fallback, const char **why)
{
	size_t i;
	int rank = 0;

	*why = "no dmarc, dkim or spf pass";
	for (i = 0; i < ar->nresults; i++) {
		const struct authres_result *res = &ar->results[i];
		const char *v;

		if (strcmp(res->result, "pass") != 0)
			continue;
		if (res->incomplete) {
			why_not(why, &rank, 4, "a pass too long to check");
			continue;
		}
		if (strcmp(res->method, "dmarc") == 0) {
			v = authres_prop(res, "header", "from");
			if (v == NULL || domain_equal(domain_of(v),
			    from_domain)) {
				*why = "dmarc=pass";
				return 1;
			}
			why_not(why, &rank, 3, "dmarc=pass for another domain");
		} else if (strcmp(res->method, "dkim") == 0) {
			v = authres_prop(res, "header", "d");
			if (v == NULL && (v = authres_prop(res, "header",
			    "i")) != NULL)
				v = domain_of(v);
			if (v != NULL && domain_aligned(v, from_domain)) {
				*why = "dkim=pass aligned with From";
				return 1;
			}
			why_not(why, &rank, 3, "dkim=pass not aligned with From");
		} else if (strcmp(res->method, "spf") == 0) {
			v = authres_prop(res, "smtp", "mailfrom");
			if (v == NULL || !domain_aligned(domain_of(v),
			    from_domain))
				why_not(why, &rank, 1,
				    "spf=pass not aligned with From");
			else if (spf_fallback) {
				*why = "spf=pass aligned with From";
				return 1;
			} else
				why_not(why, &rank, 2, "only an aligned "
				    "spf=pass, and auth_spf_fallback is off");
		}
	}
	return 0;
}

int
authres_decide(const char *const *values, size_t nvalues,
    const char *authserv_id, const char *from_domain, int spf_fallback,
    const char **why)
{
	struct authres *ar;
	const char *dummy;
	size_t i;
	int rc = 0;

	if (why == NULL)
		why = &dummy;
	if (from_domain == NULL || domain_len(from_domain) == 0) {
		*why = "no From domain";
		return 0;
	}
	if (authserv_id == NULL || *authserv_id == '\0') {
		*why = "no trusted authserv-id";
		return 0;
	}
	ar = xmalloc(sizeof(*ar));
	*why = "no Authentication-Results from the trusted authserv-id";
	for (i = 0; i < nvalues; i++) {
		int prc = authres_parse(values[i], ar);

		if (ascii_strcasecmp(ar->authserv_id, authserv_id) != 0)
			continue;
		/* The topmost of ours; anything lower may be the sender's. */
		if (prc != 0)
			*why = "the trusted Authentication-Results is malformed";
		else
			rc = decide_one(ar, from_domain, spf_fallback, why);
		break;
	}
	free(ar);
	return rc;
}
