/*
 * libFuzzer target: the header fields read from raw message bytes when
 * the MIME parser cannot be used.  The bytes get an exact-size copy with
 * no NUL after them, so a read past the length is caught; a sender found
 * is a bare lower-case address, a field no longer than asked.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rawhdr.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = xmalloc(size > 0 ? size : 1), *from, *p;

	memcpy(raw, data, size);
	if ((from = rawhdr_sender(raw, size)) != NULL) {
		if (strchr(from, '@') == NULL ||
		    strpbrk(from, " \t\"<>,;") != NULL)
			abort();
		for (p = from; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				abort();
		free(from);
	}
	if (rawhdr_skip_transit(raw, size) > size)
		abort();
	/* A field is at most max bytes, with no line break left in it. */
	if ((p = rawhdr_field(raw, size, "Subject", 64)) != NULL) {
		if (strlen(p) > 64 || strchr(p, '\n') != NULL)
			abort();
		free(p);
	}
	free(raw);
	return 0;
}
