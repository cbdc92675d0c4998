/*
 * notify: every mail refbot sends is built here from a text in
 * templates/mail/ and queued in the outbox (inside the caller's
 * transaction).  Mail about a referral carries a signed reply address
 * and a Message-ID with the same token, for the role it is sent to.
 */
#ifndef REFBOT_NOTIFY_H
#define REFBOT_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "refbot.h"
#include "render.h"

struct notify {
	const char *name;		/* templates/mail/NAME.LANG.txt */
	const char *lang;		/* "en" or "ja"; NULL: "en" */
	const char *rcpt;
	int64_t referral_id;		/* 0: not about a referral */
	int role;			/* ROLE_*: signs the reply address */
	int64_t token_id;		/* signed id when not a referral's */
	const struct render_var *vars;
	size_t nvars;
	const char *in_reply_to;	/* without <>, or NULL */
	const char *references;		/* ids without <>, or NULL */
	int auto_reply;			/* answers a person's mail (RFC 3834) */
};

/* notify_queue's answer when the per-sender cap holds a reply back. */
#define NOTIFY_WITHHELD 1

/*
 * Builds and queues one mail; fills *message_id (caller frees) when
 * non-NULL.  Returns 0; NOTIFY_WITHHELD when n answers a sender who
 * already had auto_reply_limit answers in the last hour (nothing is
 * queued); or -1 (logged) when the text or the database failed.
 */
int notify_queue(struct refbot *, const struct notify *, char **message_id);

/* Queues one copy of n to every staff address. */
int notify_staff(struct refbot *, struct notify *n);

/* Tells staff about a message that needs a person (no referral). */
int notify_alert(struct refbot *, int64_t row, const char *what,
    const char *reason, const char *folder);

/* The HMAC key: the configured secret, else the database's own. */
const char *notify_key(struct refbot *, size_t *len);

#endif
