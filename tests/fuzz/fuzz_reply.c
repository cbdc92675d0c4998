/*
 * libFuzzer target: reply stripping cuts a partner's or staff member's
 * new text from what it quotes.  Any text must split without a crash,
 * and what comes out must be valid UTF-8 that was in the input.
 *
 * The input's first byte says whether refbot's marker is looked for.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply_text rt;
	char *text;

	if (size == 0)
		return 0;
	/* The daemon hands it sanitised UTF-8, as here. */
	text = utf8_sanitize((const char *)data + 1, size - 1);
	reply_extract(text, data[0] & 1 ? REPLY_MARKER : NULL, &rt);
	if (rt.visible == NULL || rt.quoted == NULL ||
	    !utf8_valid(rt.visible, strlen(rt.visible)) ||
	    !utf8_valid(rt.quoted, strlen(rt.quoted)) ||
	    rt.cut_reason < REPLY_CUT_NONE ||
	    rt.cut_reason > REPLY_CUT_FORWARD ||
	    strlen(rt.visible) > strlen(text) ||
	    strlen(rt.quoted) > strlen(text))
		abort();
	reply_text_free(&rt);
	free(text);
	return 0;
}
