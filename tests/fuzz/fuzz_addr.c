/*
 * libFuzzer target: any bytes given as an envelope address are either
 * refused or are an address libcurl may put on the wire as they are:
 * at most 254 octets, printable ASCII only (so no CR, LF or NUL), one
 * "@" outside a quoted local part.  And addr_mentions, on the same
 * bytes, ends and finds an address in itself.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum addr_err e = addr_check((const char *)data, size);
	size_t i, at = 0;
	int quoted = 0;

	/*
	 * addr_mentions (refbot forget): any bytes mention themselves; the
	 * first half looked for in the second only has to finish.
	 */
	if (size > 0 && !addr_mentions((const char *)data, size,
	    (const char *)data, size))
		abort();
	(void)addr_mentions((const char *)data + size / 2, size - size / 2,
	    (const char *)data, size / 2);

	if (addr_strerror(e) == NULL)
		abort();
	if (e != ADDR_OK)
		return 0;
	if (size == 0 || size > 254)
		abort();
	for (i = 0; i < size; i++)
		if (data[i] < 32 || data[i] > 126)
			abort();
	for (i = 0; i < size; i++) {
		if (quoted && data[i] == '\\')
			i++;	/* a quoted pair: the next byte is literal */
		else if (data[i] == '"')
			quoted = !quoted;
		else if (data[i] == '@' && !quoted)
			at++;
	}
	if (at != 1)
		abort();
	return 0;
}
