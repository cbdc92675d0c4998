/* rawhdr: header fields read from raw message bytes, without MIME. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "rawhdr.h"
#include "util.h"

/* Whether the n bytes at p start with name, ignoring ASCII case. */
static int
starts(const char *p, size_t n, const char *name)
{
	size_t k = strlen(name);

	return n >= k && ascii_strncasecmp(p, name, k) == 0;
}

char *
rawhdr_sender(const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len, *hdr_end;
	char *from = NULL;

	hdr_end = memmem(raw, len, "\n\n", 2);
	if (hdr_end == NULL)
		hdr_end = memmem(raw, len, "\r\n\r\n", 4);
	if (hdr_end != NULL)
		end = hdr_end;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n >= 15 && starts(p, n, "Auto-Submitted:") &&
		    classify_auto_submitted(p + 15, n - 15)) {
			free(from);
			return NULL;
		}
		if (from == NULL && n > 5 && starts(p, n, "From:")) {
			const char *lt = memchr(p, '<', n), *gt;
			const char *a = lt ? lt + 1 : p + 5;
			gt = memchr(a, lt ? '>' : '\r', (size_t)(p + n - a));
			from = strtrim(xstrndup(a, gt ? (size_t)(gt - a) :
			    (size_t)(p + n - a)));
		}
		p += n + 1;	/* past the line and its "\n" */
	}
	if (from != NULL && (strchr(from, '@') == NULL ||
	    strpbrk(from, " \t\"<>,;") != NULL)) {
		free(from);
		return NULL;
	}
	if (from != NULL)
		ascii_lower(from);
	return from;
}

size_t
rawhdr_skip_transit(const char *raw, size_t len)
{
	size_t off = 0;

	while (off < len && (starts(raw + off, len - off, "Return-Path:") ||
	    starts(raw + off, len - off, "Delivered-To:") ||
	    starts(raw + off, len - off, "Received:") || raw[off] == ' ' ||
	    raw[off] == '\t')) {
		const char *nl = memchr(raw + off, '\n', len - off);
		if (nl == NULL)
			break;
		off = (size_t)(nl - raw) + 1;
	}
	return off;
}
