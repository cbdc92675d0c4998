/*
 * libFuzzer target: the original message inside a staff member's
 * forward.  Any text must parse without a crash; a sender found is
 * always a valid address, and every string is valid UTF-8.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "forward.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct forwarded f;
	char *text;

	/* The daemon hands it the mail's text part: sanitised UTF-8. */
	text = utf8_sanitize((const char *)data, size);
	if (forward_parse(text, &f) == 1 &&
	    (addr_check(f.from_addr, strlen(f.from_addr)) != ADDR_OK ||
	    f.text == NULL || f.note == NULL ||
	    !utf8_valid(f.text, strlen(f.text)) ||
	    (f.from_name != NULL && !utf8_valid(f.from_name,
	    strlen(f.from_name))) ||
	    (f.subject != NULL && !utf8_valid(f.subject, strlen(f.subject)))))
		abort();
	if (f.from_addr == NULL && f.text != NULL)
		abort();
	forwarded_free(&f);
	free(text);
	return 0;
}
