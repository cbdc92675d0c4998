/*
 * message: one inbound RFC 5322 message, parsed into what refbot needs.
 *
 * Pure: takes bytes, returns a struct.  Every string is UTF-8 (invalid
 * bytes replaced), owned by the struct, and freed by message_free().
 * Header values that partners control are kept as decoded text; callers
 * that put them into outbound headers must sanitise them (mailout does).
 */
#ifndef REFBOT_MESSAGE_H
#define REFBOT_MESSAGE_H

#include <stddef.h>

struct header {
	char *name;
	char *value;	/* unfolded, not RFC 2047-decoded */
};

struct attachment {
	char *name;		/* decoded file name; "" if none */
	char *type;		/* lowercased "type/subtype" */
	size_t size;		/* encoded size in the message */
	char *data;		/* the decoded bytes (may hold NULs); NULL
				   when the part could not be decoded */
	size_t len;		/* bytes at data */
};

struct message {
	char *from_addr;	/* lowercased addr-spec; NULL if none */
	char *from_name;	/* decoded display name; NULL if none */
	char *reply_to_addr;	/* NULL if none */
	char *to_addrs;		/* To and Cc addr-specs, lowercased, space
				   separated; "" if none */
	char *subject;		/* decoded; "" if none */
	char *message_id;	/* without <>; NULL if none */
	char *in_reply_to;	/* first id, without <>; NULL if none */
	char *references;	/* ids without <>, space separated; NULL */
	int has_return_path;
	int return_path_empty;	/* "Return-Path: <>": a bounce */
	char *content_type;	/* top-level, lowercased "type/subtype" */

	struct header *headers;	/* every other ("optional") header */
	size_t nheaders;

	char *text;		/* the chosen text part, UTF-8 */
	char *text_type;	/* its content type, e.g. "text/plain" */
	char *charset;		/* the charset it was converted from */

	struct attachment *attachments;	/* parts that are not the text */
	size_t nattachments;
};

enum message_err {
	MESSAGE_OK = 0,
	MESSAGE_TOO_LARGE,	/* over the size cap */
	MESSAGE_UNPARSABLE,	/* not a message libetpan can read */
};

#define MESSAGE_MAX_DEPTH 32

/*
 * Parses len bytes of a raw message.  On MESSAGE_OK *msg is filled;
 * otherwise *errstr says why (caller frees) and *msg may hold what was
 * read before it gave up (the headers of a multipart whose boundary
 * matches no part): free it with message_free either way.
 */
int message_parse(const char *raw, size_t len, size_t max_size,
    struct message *msg, char **errstr);
void message_free(struct message *);
/* Frees n attachments and the array. */
void attachments_free(struct attachment *, size_t n);

/* The first header with this name (case-insensitive), or NULL. */
const char *message_header(const struct message *, const char *name);

/* Decodes RFC 2047 encoded words to UTF-8; returns a new string. */
char *mime_decode_header(const char *value);

/*
 * Converts n bytes in charset (NULL or "" when the mail did not say) to
 * valid UTF-8; a label the bytes contradict is overruled.  Returns a new
 * string and sets *used to a new string naming the charset actually used
 * (caller frees both).  Never fails: unknown bytes become U+FFFD.
 */
char *charset_to_utf8(const char *bytes, size_t n, const char *charset,
    char **used);

#endif
