/*
 * util: allocation wrappers and a growable byte buffer.
 *
 * Allocation failure is not something refbot can recover from in a useful
 * way, so every allocation goes through x*() and aborts on failure; callers
 * never check for NULL.  Everything returned is owned by the caller.
 */
#ifndef REFBOT_UTIL_H
#define REFBOT_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* A NUL-terminated growable buffer; data may also hold binary bytes. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *);
void buf_free(struct buf *);
void buf_reset(struct buf *);
/* Room for n more bytes now, when the size is known: no regrowing. */
void buf_reserve(struct buf *, size_t n);
void buf_add(struct buf *, const void *, size_t);
void buf_adds(struct buf *, const char *);
void buf_addc(struct buf *, char);
void buf_addf(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));
/* Hands the bytes to the caller (never NULL) and leaves the buffer empty. */
char *buf_steal(struct buf *);

/* Copies src into dst (size n), always terminating; returns strlen(src). */
size_t strlcpy_(char *, const char *, size_t);
/* Trims ASCII white space at both ends, in place; returns s. */
char *strtrim(char *);
/* ASCII-only case-insensitive comparisons (locale-independent). */
int ascii_strcasecmp(const char *, const char *);
int ascii_strncasecmp(const char *, const char *, size_t);
void ascii_lower(char *);

/*
 * Replaces bytes that are not valid UTF-8 by U+FFFD, so nothing invalid
 * reaches the database or an outbound mail.  Returns a new string.
 */
char *utf8_sanitize(const char *, size_t);
/* Non-zero when the n bytes are valid UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *, size_t);

#endif
