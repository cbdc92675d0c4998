/*
 * idlist: the words of an address or message-id list in a header value
 * ("<a@b>, c@d e@f"), and which message ids are fit to copy into the
 * In-Reply-To and References of our own mail.  Pure; the values come
 * from senders, so every step of a walk moves forward.
 */
#ifndef REFBOT_IDLIST_H
#define REFBOT_IDLIST_H

#include <stddef.h>

/* A walk over one value; the value must outlive it. */
struct idlist {
	const char *p;
};

void idlist_init(struct idlist *, const char *value);

/*
 * The next word: 1 with *word pointing into the value and *len its
 * length (never 0), 0 at the end.  Words are separated by any run of
 * blanks, CR, LF, commas, semicolons and angle brackets, so "<x@y>",
 * "a@b>" and ">>>" are read like "x@y", "a@b" and nothing.
 */
int idlist_next(struct idlist *, const char **word, size_t *len);

/* The most ids we copy into the References of our mail. */
#define IDLIST_REFERENCES_MAX 10

/* The longest message id (without <>) we copy into a header. */
#define IDLIST_MSGID_MAX 250

/*
 * Whether s[0..len) is a message id without its brackets, RFC 5322
 * "id-left@id-right": dot-atom-text on the left, dot-atom-text or a
 * [no-fold-literal] on the right, at most IDLIST_MSGID_MAX bytes.
 */
int idlist_msgid_ok(const char *s, size_t len);

/*
 * The valid message ids among the words of list, at most max of them,
 * the last ones, space separated and without <> ("" when none).  Caller
 * frees.
 */
char *idlist_last_msgids(const char *list, size_t max);

#endif
