/*
 * reply: the visible new text of a reply.  Staff put a keyword on the
 * first line of a reply and partners put corrected "Label: value" lines
 * in one; what matters is the text the person wrote, not what they
 * quoted, so a keyword that only appears in the quote never acts.
 *
 * Pure: UTF-8 text in (already decoded from MIME), strings out.  A
 * struct reply_text owns its strings; reply_text_free() frees them.
 */
#ifndef REFBOT_REPLY_H
#define REFBOT_REPLY_H

/*
 * The first line of every mail refbot sends that invites a reply: replies
 * are cut here first, so nothing we wrote is ever read back as the
 * partner's or staff member's words.
 */
#define REPLY_MARKER \
	"----- Please reply above this line / この行より上にご返信ください -----"

/* Why the text was cut where it was: the topmost thing found. */
enum reply_cut {
	REPLY_CUT_NONE,			/* nothing below the new text */
	REPLY_CUT_MARKER,		/* refbot's "reply above this line" */
	REPLY_CUT_ATTRIBUTION,		/* "On ... wrote:", "2026年...:" */
	REPLY_CUT_QUOTE,		/* ">" or "＞" lines */
	REPLY_CUT_ORIGINAL_MESSAGE,	/* "-----Original Message-----" */
	REPLY_CUT_HEADER_BLOCK,		/* From:/Sent:/To:/Subject: lines */
	REPLY_CUT_SIGNATURE,		/* "-- ", phone footers, sign-offs */
	REPLY_CUT_FORWARD,		/* "---------- Forwarded message" */
};

struct reply_text {
	char *visible;	/* the new text: lines right-trimmed, leading and
			   trailing blank lines removed; "" if none */
	char *quoted;	/* everything cut off below, from the cut line on
			   ("" if nothing was), for context */
	int cut_reason;	/* enum reply_cut */
};

/*
 * Finds the new text of a reply.  marker is the text of refbot's own
 * "reply above this line" line (NULL or "" for none); the first line
 * that contains its words (the rule characters around them may be
 * missing), quoted or not, and an attribution line just above it, end
 * the reply before anything else is looked at.  Below that the
 * reply ends at the first quoted line, attribution line, original-message
 * rule, header block, forwarded-message line or "-- " delimiter, and a
 * phone footer or sign-off block at its end is dropped.  Invalid UTF-8
 * is replaced by U+FFFD and CRLF becomes LF, so both strings are valid
 * UTF-8 with "\n" line ends.  Never fails; the caller owns *out and
 * frees it with reply_text_free().
 */
void reply_extract(const char *text, const char *marker,
    struct reply_text *out);
/*
 * The forwarded (or original) message in text, from its first line (the
 * "Forwarded message" or "Original Message" rule, the From:/Sent:/To:
 * block, or the rule above one) to the end, normalised as for
 * reply_extract; NULL when there is none.  Caller frees.
 */
char *reply_forwarded(const char *text);
/* Frees what *r owns (not r itself); accepts NULL. */
void reply_text_free(struct reply_text *r);
/* The enum's name without the prefix ("QUOTE"), for tests and logs. */
const char *reply_cut_name(int cut_reason);

#endif
