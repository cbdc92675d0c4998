/*
 * analyze: what refbot concludes from one message before it looks at
 * the database — what kind of mail it is, and for a submission, the form
 * read against the template.  Pure; used by the daemon and by
 * "refbot parse", so both always agree.
 */
#ifndef REFBOT_ANALYZE_H
#define REFBOT_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "forward.h"
#include "itip.h"
#include "message.h"
#include "template.h"

enum mail_kind {
	KIND_SUBMISSION,	/* new mail a person wrote */
	KIND_AUTOMATIC,		/* never answered */
	KIND_REPLY,		/* in one of our threads */
	KIND_UNREADABLE,	/* too large or not a message */
};

struct analysis {
	enum mail_kind kind;
	int parse_status;	/* enum message_err */
	char *error;		/* why unreadable; NULL otherwise */
	struct message msg;	/* valid unless unreadable */
	const char *automatic;	/* why automatic (static); NULL otherwise */
	int64_t ref;		/* [REF-n] in the subject, else from our id */
	int ours;		/* In-Reply-To/References name our mail */
	const char *lang;	/* "ja" or "en": the language it is written in */
	struct form form;	/* submissions only */

	/* A delivery status notification (multipart/report), if this is one. */
	char *dsn_recipient;	/* Final-Recipient, lowercased */
	char *dsn_action;	/* "failed", "delayed", ... */
	char *dsn_status;	/* "5.1.1" */
	char *dsn_message_id;	/* the returned message's Message-ID */

	/*
	 * A submission's attached message (message/rfc822), read as a
	 * forward (forward_attached), and the files attached to it; from_addr
	 * NULL and no files when there is none.
	 */
	struct forwarded attached;
	struct attachment *attached_files;	/* its own files (a PDF) */
	size_t nattached_files;

	/*
	 * A calendar client's answer to an invitation (itip.h), read here in
	 * the parser child; method ITIP_NONE when the mail holds none.
	 */
	struct itip itip;
};

struct analyze_opts {
	const struct template *tmpl;
	const char *our_domain;		/* refbot's Message-ID host */
	const char *loop_header;
	size_t max_size;
};

/* Never fails: every message ends up with a kind.  Free with analysis_free. */
void analyze(const char *raw, size_t len, const struct analyze_opts *,
    struct analysis *);
void analysis_free(struct analysis *);
const char *mail_kind_name(enum mail_kind);

/* "ja" when s holds a fair amount of Japanese script, else "en". */
const char *detect_lang(const char *s);

#endif
