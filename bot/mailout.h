/*
 * mailout: builds the bytes of every message refbot sends.
 *
 * Header values may come from partners (a client name in a subject), so
 * every value is cleaned of CR, LF and other control characters before it
 * is written, and non-ASCII text is RFC 2047-encoded: partner text can
 * never add or change a header.  Bodies are UTF-8, quoted-printable; or,
 * for Japanese mail when asked (iso2022jp), ISO-2022-JP (RFC 1468):
 * encoded words in ISO-2022-JP and a 7bit text part, when every text
 * converts; otherwise the whole mail is UTF-8.
 */
#ifndef REFBOT_MAILOUT_H
#define REFBOT_MAILOUT_H

#include <stddef.h>

#include "reply.h"	/* REPLY_MARKER */

/* A file attached to a mail (base64, Content-Disposition: attachment). */
struct mailout_file {
	const char *name;		/* from a sender: cleaned, RFC 2231 */
	const char *type;		/* "type/subtype"; anything odd is sent
					   as application/octet-stream */
	const char *data;
	size_t len;
};

struct mailout {
	const char *from_name;
	const char *from_addr;
	const char *to_addr;
	const char *cc_addr;		/* NULL: none */
	const char *reply_to;		/* NULL: none */
	const char *subject;		/* UTF-8 */
	const char *body;		/* UTF-8, "\n" line ends */
	const char *message_id;		/* without <> */
	const char *in_reply_to;	/* without <>; NULL: none */
	const char *references;		/* ids without <>, space separated */
	const char *auto_submitted;	/* "auto-replied" / "auto-generated" */
	const char *html;		/* UTF-8; non-NULL: also an HTML part */
	/*
	 * non-NULL: an iCalendar object (CRLF lines) sent as a calendar
	 * client expects an invitation (iMIP, RFC 6047): the text and the
	 * object as alternatives (text/calendar; method=calendar_method),
	 * and the object again as an invite.ics attachment for clients
	 * that only offer attachments.  Not together with html.
	 */
	const char *calendar;
	const char *calendar_method;	/* "REQUEST" or "CANCEL" */
	/* A mailing to many: List-Unsubscribe (RFC 2369, 8058), bulk. */
	const char *list_unsubscribe;	/* mailto: URI, without <> */
	const char *list_id;		/* "name.domain", without <> */
	/*
	 * ISO-2022-JP if the subject, From name and text are all in JIS X
	 * 0208 and ASCII (an HTML part stays UTF-8: its page says so).
	 */
	int iso2022jp;
	/* Files: the mail becomes multipart/mixed, the text first. */
	const struct mailout_file *files;
	size_t nfiles;
};

/* The loop marker on everything refbot sends (PRODUCT.md, loop prevention). */
#define MAILOUT_LOOP_HEADER "X-Refbot-Loop"

/* Returns the message with CRLF line ends; *len is its size.  Caller frees. */
char *mailout_compose(const struct mailout *, size_t *len);

/*
 * The same in two steps, for one mail to several readers apart (issue
 * 21: staff mail was made anew for each member).  The content is what
 * follows the header (MIME-Version on): the text and files, encoded,
 * the costly part.  mailout_join puts m's header before it; m must
 * differ from the mail the content was made from only in the header's
 * reader and id fields (to_addr, cc_addr, message_id).
 */
struct mailout_content {
	char *data;
	size_t len;
	int jis;			/* ISO-2022-JP: the header too */
};
void mailout_content(const struct mailout *, struct mailout_content *);
char *mailout_join(const struct mailout *, const struct mailout_content *,
    size_t *len);
void mailout_content_free(struct mailout_content *);

/* A new unique Message-ID (without <>) "TAG.RANDOM@domain".  Caller frees. */
char *mailout_message_id(const char *tag, const char *domain);

/* s with every control character turned into a space.  Caller frees. */
char *header_clean(const char *s);

struct buf;
/* s (lines ending in LF or CRLF) appended to b as quoted-printable. */
void mailout_qp(struct buf *b, const char *s);
/* n bytes of s appended as base64 in lines of 76 (CRLF), no final end. */
void mailout_base64(struct buf *b, const char *s, size_t n);

#endif
