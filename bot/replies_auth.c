/*
 * replies_auth: who may act on a referral by mail — the signed token in
 * a reply's address or in the Message-ID it answers (replies_token,
 * replies_token_for), and for staff, with require_auth_results, the
 * receiving server's Authentication-Results (replies_auth_ok).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "authres.h"
#include "classify.h"
#include "idlist.h"
#include "log.h"
#include "notify.h"
#include "replies.h"
#include "token.h"
#include "util.h"

/* Checks "local+TAG@domain" against the intake address's local part. */
static int
plus_token(struct refbot *rb, const char *addr, size_t n, const char *roles,
    int64_t *id, int *role)
{
	const char *intake = rb->cfg.intake_address;
	size_t local = strcspn(intake, "@");
	const char *key;
	size_t keylen;
	char *tag;
	int ok;

	if (n <= local + 1 || strncmp(addr, intake, local) != 0 ||
	    addr[local] != '+')
		return 0;
	tag = xstrndup(addr + local + 1, n - local - 1);
	key = notify_key(rb, &keylen);
	ok = token_check(key, keylen, tag, id, role) &&
	    strchr(roles, *role) != NULL;
	free(tag);
	return ok;
}

/* Tries every address or id of a header value (idlist_next). */
static int
list_token(struct refbot *rb, const char *list, int ids, const char *roles,
    int64_t *id, int *role)
{
	struct idlist it;
	const char *p, *key;
	size_t n, keylen;

	key = notify_key(rb, &keylen);
	idlist_init(&it, list);
	while (idlist_next(&it, &p, &n)) {
		if (ids) {
			char *w = xstrndup(p, n);
			int ok = strchr(w, '@') != NULL &&
			    classify_our_id(w, rb->cfg.message_id_domain) &&
			    token_check(key, keylen, w, id, role) &&
			    strchr(roles, *role) != NULL;
			free(w);
			if (ok)
				return 1;
		} else if (plus_token(rb, p, n, roles, id, role))
			return 1;
	}
	return 0;
}

int
replies_token(struct refbot *rb, const struct analysis *a, int64_t *id,
    int *role)
{
	static const char referral_roles[] = { ROLE_STAFF, ROLE_PARTNER, 0 };

	return replies_token_for(rb, a, referral_roles, id, role);
}

int
replies_token_for(struct refbot *rb, const struct analysis *a,
    const char *roles, int64_t *id, int *role)
{
	static const char *addr_headers[] = { "Delivered-To", "X-Original-To",
	    "Envelope-To" };
	const struct message *m = &a->msg;
	size_t i;

	/* The signed reply address, where the provider kept it. */
	for (i = 0; i < m->nheaders; i++) {
		size_t k;
		for (k = 0; k < nitems(addr_headers); k++)
			if (ascii_strcasecmp(m->headers[i].name,
			    addr_headers[k]) == 0 && list_token(rb,
			    m->headers[i].value, 0, roles, id, role))
				return 1;
	}
	if (list_token(rb, m->to_addrs, 0, roles, id, role))
		return 1;
	/* Our Message-ID, which only someone who got our mail knows. */
	if (m->in_reply_to != NULL && list_token(rb, m->in_reply_to, 1, roles,
	    id, role))
		return 1;
	return m->references != NULL && list_token(rb, m->references, 1,
	    roles, id, role);
}

/*
 * With require_auth_results, staff mail must be proven from its From
 * domain by the topmost Authentication-Results header of our own
 * receiving server: DMARC pass, or an aligned DKIM pass (or SPF pass,
 * with auth_spf_fallback).  See authres_decide.
 */
int
replies_auth_ok(struct refbot *rb, const struct message *m)
{
	const char **vals, *why, *from;
	size_t i, n = 0;
	int ok;

	vals = xreallocarray(NULL, m->nheaders + 1, sizeof(*vals));
	for (i = 0; i < m->nheaders; i++)
		if (ascii_strcasecmp(m->headers[i].name,
		    "Authentication-Results") == 0)
			vals[n++] = m->headers[i].value;
	from = m->from_addr != NULL ? strrchr(m->from_addr, '@') : NULL;
	ok = authres_decide(vals, n, rb->cfg.authserv_id,
	    from != NULL ? from + 1 : NULL, rb->cfg.auth_spf_fallback, &why);
	free(vals);
	if (!ok)
		log_debug("Authentication-Results check failed: %s", why);
	return ok;
}
