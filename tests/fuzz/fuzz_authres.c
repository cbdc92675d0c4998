/*
 * libFuzzer target: one Authentication-Results header value through the
 * parser and the decision, as the trusted server's header (so every byte
 * reaches the decision) and below a sender-written one.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authres.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct authres *ar = xmalloc(sizeof(*ar));
	char *v = xstrndup((const char *)data, size);
	const char *vals[2], *why = NULL;
	size_t i, k;
	int rc;

	rc = authres_parse(v, ar);
	if (strlen(ar->authserv_id) >= sizeof(ar->authserv_id) ||
	    ar->nresults > AUTHRES_MAX_RESULTS)
		abort();
	for (i = 0; i < ar->nresults; i++) {
		if (ar->results[i].nprops > AUTHRES_MAX_PROPS)
			abort();
		for (k = 0; k < ar->results[i].nprops; k++)
			if (strlen(ar->results[i].props[k].value) >=
			    AUTHRES_VALUE_MAX)
				abort();
	}
	/* A pass needs a well-formed header from the trusted server. */
	vals[0] = v;
	vals[1] = "mx.example.test; dmarc=pass header.from=example.test";
	if (authres_decide(vals, 1, "mx.example.test", "example.test", 1,
	    &why) && (rc != 0 || ascii_strcasecmp(ar->authserv_id,
	    "mx.example.test") != 0))
		abort();
	if (why == NULL)
		abort();
	/* Ours on top decides; the sender's below never does. */
	vals[0] = "mx.example.test; dkim=fail header.d=example.test";
	vals[1] = v;
	if (authres_decide(vals, 2, "mx.example.test", "example.test", 1,
	    &why))
		abort();
	free(v);
	free(ar);
	return 0;
}
