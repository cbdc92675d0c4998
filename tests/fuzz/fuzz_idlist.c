/*
 * libFuzzer target: a header value walked as an address or message-id
 * list (a value ending in ">" once made the walk loop forever, issue
 * 14).  Every word is non-empty, holds no separator and lies inside the
 * value; the ids kept for References are valid and at most the cap.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idlist.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = xstrndup((const char *)data, size), *ids;
	size_t vlen = strlen(value), n, count = 0;
	struct idlist it;
	const char *w, *last = value;

	idlist_init(&it, value);
	while (idlist_next(&it, &w, &n)) {
		/* Forward only, inside the value, never empty. */
		if (n == 0 || w < last || w + n > value + vlen ||
		    memchr(w, '\0', n) != NULL || strcspn(w, " \t\r\n,;<>") < n)
			abort();
		last = w + n;
		(void)idlist_msgid_ok(w, n);
		if (++count > vlen)
			abort();
	}
	ids = idlist_last_msgids(value, IDLIST_REFERENCES_MAX);
	count = 0;
	idlist_init(&it, ids);
	while (idlist_next(&it, &w, &n))
		if (!idlist_msgid_ok(w, n) || ++count > IDLIST_REFERENCES_MAX)
			abort();
	free(ids);
	free(value);
	return 0;
}
