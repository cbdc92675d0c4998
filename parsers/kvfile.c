/* kvfile: line splitter for "key = value" files with [sections]. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kvfile.h"
#include "util.h"

static int
valid_key(const char *k)
{
	if (*k == '\0')
		return 0;
	for (; *k != '\0'; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
		    (*k >= '0' && *k <= '9') || *k == '_' || *k == '-' ||
		    *k == '.'))
			return 0;
	return 1;
}

int
kvfile_parse(const char *text, size_t len, struct kvfile *out, char **errstr)
{
	struct kvfile kv = { NULL, 0 };
	size_t cap = 0, pos = 0;
	char *section = xstrdup("");
	int line = 0;

	if (memchr(text, '\0', len) != NULL) {
		*errstr = xstrdup("1: file contains a NUL byte");
		free(section);
		return -1;
	}
	if (!utf8_valid(text, len)) {
		*errstr = xstrdup("1: file is not valid UTF-8");
		free(section);
		return -1;
	}
	/* A UTF-8 byte order mark (Windows editors add one) is not content. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		char *s = xstrndup(text + pos, end - pos), *eq;

		pos = nl ? end + 1 : len;
		line++;
		strtrim(s);
		if (*s == '\0' || *s == '#' || *s == ';') {
			free(s);
			continue;
		}
		if (*s == '[') {
			size_t n = strlen(s);
			if (s[n - 1] != ']') {
				*errstr = xasprintf("%d: section header "
				    "without closing ']'", line);
				free(s);
				goto fail;
			}
			s[n - 1] = '\0';
			free(section);
			section = xstrdup(s + 1);
			strtrim(section);
			free(s);
			if (*section == '\0') {
				*errstr = xasprintf("%d: empty section name",
				    line);
				goto fail;
			}
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			*errstr = xasprintf("%d: expected 'key = value'",
			    line);
			free(s);
			goto fail;
		}
		*eq = '\0';
		strtrim(s);
		if (!valid_key(s)) {
			*errstr = xasprintf("%d: invalid key '%s'", line, s);
			free(s);
			goto fail;
		}
		if (kv.n == cap) {
			cap = cap ? cap * 2 : 32;
			kv.entries = xreallocarray(kv.entries, cap,
			    sizeof(*kv.entries));
		}
		kv.entries[kv.n].section = xstrdup(section);
		kv.entries[kv.n].key = xstrdup(s);
		kv.entries[kv.n].value = strtrim(xstrdup(eq + 1));
		kv.entries[kv.n].line = line;
		kv.n++;
		free(s);
	}
	free(section);
	*out = kv;
	return 0;
fail:
	free(section);
	kvfile_free(&kv);
	return -1;
}

void
kvfile_free(struct kvfile *kv)
{
	size_t i;

	if (kv == NULL)
		return;
	for (i = 0; i < kv->n; i++) {
		free(kv->entries[i].section);
		free(kv->entries[i].key);
		free(kv->entries[i].value);
	}
	free(kv->entries);
	kv->entries = NULL;
	kv->n = 0;
}

char **
kv_split_list(const char *value, size_t *n)
{
	char **items = NULL;
	size_t count = 0;
	const char *p = value;

	while (*p != '\0') {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *item = strtrim(xstrndup(p, len));

		if (*item != '\0') {
			items = xreallocarray(items, count + 1,
			    sizeof(*items));
			items[count++] = item;
		} else
			free(item);
		p += len;
		if (*p == ',')
			p++;
	}
	*n = count;
	return items;
}

void
kv_list_free(char **items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

int
kv_bool(const char *v)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < nitems(yes); i++)
		if (ascii_strcasecmp(v, yes[i]) == 0)
			return 1;
	for (i = 0; i < nitems(no); i++)
		if (ascii_strcasecmp(v, no[i]) == 0)
			return 0;
	return -1;
}
