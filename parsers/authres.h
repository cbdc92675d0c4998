/*
 * authres: Authentication-Results header values (RFC 8601), and whether
 * the receiving server's verdict proves the From domain.  Pure.
 *
 * A sender can write any Authentication-Results header it likes; only
 * the receiving server's own, the topmost one carrying its authserv-id,
 * says anything.  Inside it, comments and properties repeat text the
 * sender chose ("(domain of x@y designates ...)", header.from=...), so
 * the value is parsed, never searched for substrings.
 *
 * The output is bounded: at most AUTHRES_MAX_RESULTS results and
 * AUTHRES_MAX_PROPS properties each, words and values cut at fixed
 * sizes.  A result that lost anything to those bounds is marked
 * incomplete and never counts as a pass.
 */
#ifndef REFBOT_AUTHRES_H
#define REFBOT_AUTHRES_H

#include <stddef.h>

#define AUTHRES_MAX_RESULTS 16
#define AUTHRES_MAX_PROPS 12
#define AUTHRES_WORD_MAX 48	/* method, result, ptype, property + NUL */
#define AUTHRES_VALUE_MAX 256	/* values, the authserv-id + NUL */

struct authres_prop {
	char ptype[AUTHRES_WORD_MAX];	/* lowercased: "header", "smtp" */
	char property[AUTHRES_WORD_MAX];	/* lowercased: "d", "mailfrom" */
	char value[AUTHRES_VALUE_MAX];	/* quoted-strings unquoted */
};

struct authres_result {
	char method[AUTHRES_WORD_MAX];	/* lowercased: "dkim", "spf" */
	unsigned version;		/* "dkim/1=pass": 1; 0 when none */
	char result[AUTHRES_WORD_MAX];	/* lowercased: "pass", "fail" */
	char reason[AUTHRES_VALUE_MAX];	/* reason=; "" when none */
	struct authres_prop props[AUTHRES_MAX_PROPS];
	size_t nprops;
	int incomplete;		/* a word, value or property was dropped */
};

struct authres {
	char authserv_id[AUTHRES_VALUE_MAX];	/* "" when missing or too long */
	unsigned version;	/* "example.com 1; ...": 1; 0 when none */
	int none;		/* "example.com; none" */
	struct authres_result results[AUTHRES_MAX_RESULTS];
	size_t nresults;
	size_t dropped;		/* results past AUTHRES_MAX_RESULTS */
};

/*
 * Parses one header value (unfolded or not) into *ar.  Returns 0, or -1
 * on a syntax error: *ar then holds the authserv-id and the results
 * before the error, and must not be trusted for a pass.
 */
int authres_parse(const char *value, struct authres *ar);

/*
 * The first property ptype.property of r (case-insensitive), or NULL.
 */
const char *authres_prop(const struct authres_result *r, const char *ptype,
    const char *property);

/*
 * Decides whether a message's Authentication-Results prove its From
 * domain.  values are the message's Authentication-Results header values
 * in header order (topmost first); only the topmost whose authserv-id is
 * authserv_id counts, every other is ignored.  A pass is any of:
 *
 *   dmarc=pass, with header.from (when present) equal to from_domain;
 *   dkim=pass with header.d aligned with from_domain (header.i's domain
 *     when there is no header.d, as Gmail writes it);
 *   only when spf_fallback: spf=pass with smtp.mailfrom's domain aligned.
 *
 * Aligned means equal, or from_domain a subdomain of the other, which
 * must have at least two labels.  Without a public-suffix list that is an
 * approximation of DMARC's relaxed alignment: it accepts a signature by
 * a registry domain such as "co.uk" for "firm.co.uk", which only that
 * registry could make.
 *
 * Returns 1 on a pass, 0 otherwise; *why (when not NULL) is set to a
 * static phrase saying which result passed or why none did.  The phrase
 * never names an address or domain.
 */
int authres_decide(const char *const *values, size_t nvalues,
    const char *authserv_id, const char *from_domain, int spf_fallback,
    const char **why);

#endif
