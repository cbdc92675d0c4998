/* json: string escaping and object members. */
#include "config.h"

#include <inttypes.h>

#include "json.h"

void
json_str(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_addf(b, "\\u%04x", *p);
			else
				buf_addc(b, (char)*p);
		}
	}
	buf_addc(b, '"');
}

void
json_key(struct buf *b, const char *key, int first)
{
	if (!first)
		buf_addc(b, ',');
	json_str(b, key);
	buf_addc(b, ':');
}

void
json_kv_str(struct buf *b, const char *key, const char *value, int first)
{
	json_key(b, key, first);
	json_str(b, value);
}

void
json_kv_int(struct buf *b, const char *key, int64_t value, int first)
{
	json_key(b, key, first);
	buf_addf(b, "%" PRId64, value);
}
