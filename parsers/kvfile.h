/*
 * kvfile: the line format shared by refbot.conf and the qualification
 * template.
 *
 *   # comment
 *   key = value
 *   [section name]
 *
 * Values run to the end of the line and are trimmed; there is no quoting.
 * The parser only splits lines: what keys mean is up to the caller, who
 * reports errors with the line numbers kept here.
 */
#ifndef REFBOT_KVFILE_H
#define REFBOT_KVFILE_H

#include <stddef.h>

struct kv_entry {
	char *section;	/* "" before the first [section] */
	char *key;
	char *value;
	int line;
};

struct kvfile {
	struct kv_entry *entries;
	size_t n;
};

/*
 * Parses len bytes.  Returns 0 and fills *out (free with kvfile_free), or
 * -1 with *errstr set to "LINE: what is wrong" (caller frees) and *out
 * untouched.
 */
int kvfile_parse(const char *text, size_t len, struct kvfile *out,
    char **errstr);
void kvfile_free(struct kvfile *);

/* Splits a comma-separated value into trimmed, non-empty items. */
char **kv_split_list(const char *value, size_t *n);
void kv_list_free(char **, size_t);

/* Parses yes/no/true/false/on/off/1/0; returns 1, 0 or -1 if neither. */
int kv_bool(const char *value);

#endif
