/*
 * forward: the original message inside a forward, as a staff member
 * forwards a partner's mail to the intake address: inline (Gmail's
 * "---------- Forwarded message ---------", Outlook's "-----Original
 * Message-----" or its rule and From:/Sent:/To:/Subject: block, Apple
 * Mail's "Begin forwarded message:", the Japanese 転送 / 元のメッセージ /
 * 差出人: / 件名: forms).  The separator rules are reply.c's.
 *
 * Pure: UTF-8 text in, strings out; struct forwarded owns its strings.
 */
#ifndef REFBOT_FORWARD_H
#define REFBOT_FORWARD_H

#include <stddef.h>

struct forwarded {
	char *from_addr;	/* the original sender, lowercased addr-spec */
	char *from_name;	/* its display name; NULL if none */
	char *subject;		/* the original subject; NULL if none */
	char *date;		/* its date as the client wrote it; NULL */
	char *note;		/* what the forwarder wrote above it; "" */
	char *text;		/* the original body; "" if none */
};

/*
 * Finds the forwarded message in text (a mail's text part).  Returns 1
 * with *out filled (free with forwarded_free) when there is one whose
 * From: names a valid address, else 0 (*out empty).  Never fails.
 */
int forward_parse(const char *text, struct forwarded *out);
/*
 * The same for a forward sent as an attached message: the first
 * message/rfc822 attachment of msg (forward_attached.c, MIME-parsed
 * with max_size as its cap); note is msg's own text, date NULL; *files
 * (*nfiles of them; free with attachments_free) are the files attached
 * to it, when files is not NULL.  1 or 0 as above (0: no files).
 */
struct message;
struct attachment;
int forward_attached(const struct message *msg, size_t max_size,
    struct forwarded *out, struct attachment **files, size_t *nfiles);
void forwarded_free(struct forwarded *);

#endif
