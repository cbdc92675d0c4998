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

/* The end of the first header block (or of the bytes). */
static const char *
header_end(const char *raw, size_t len)
{
	const char *end = memmem(raw, len, "\n\n", 2);

	if (end == NULL)
		end = memmem(raw, len, "\r\n\r\n", 4);
	return end != NULL ? end : raw + len;
}

char *
rawhdr_sender(const char *raw, size_t len)
{
	const char *p = raw, *end = header_end(raw, len);
	char *from = NULL;

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

char *
rawhdr_field(const char *raw, size_t len, const char *name, size_t max)
{
	const char *p = raw, *end = header_end(raw, len);
	size_t k = strlen(name);
	struct buf b;
	int in = 0;

	buf_init(&b);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), vn;
		const char *v = NULL;

		if (in && n > 0 && (*p == ' ' || *p == '\t'))
			v = p;	/* a folded line goes on, with its blank */
		else if (in)
			break;
		else if (n > k && p[k] == ':' && starts(p, n, name)) {
			in = 1;
			for (v = p + k + 1; v < p + n && (*v == ' ' ||
			    *v == '\t'); v++)
				continue;
		}
		if (v != NULL) {
			vn = (size_t)(p + n - v);
			if (vn > 0 && v[vn - 1] == '\r')
				vn--;
			if (vn > max - b.len)
				vn = max - b.len;
			buf_add(&b, v, vn);
		}
		p += n + 1;	/* past the line and its "\n" */
	}
	if (!in) {
		buf_free(&b);
		return NULL;
	}
	return strtrim(buf_steal(&b));
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
