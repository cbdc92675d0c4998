/*
 * db_messages: the inbound messages as fetched, with their processing
 * attempts and disposition (the messages table; their raw bytes are in
 * raw_mail, written once, and their files in db_attachments).  Returns
 * as in db.h.
 */
#ifndef REFBOT_DB_MESSAGES_H
#define REFBOT_DB_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

/*
 * Of its attempts so far, *alone counts those made on its own and
 * *batched those made in a batch of more than one.
 */
int db_message_lookup(struct db *, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, int64_t *id, char **disposition, int *moved, int *alone,
    int *batched);
/*
 * raw is what was fetched: the whole message, or for one over the size
 * limit only its header; size is the whole message's size.
 */
int db_message_insert(struct db *, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, const char *raw, size_t len, uint64_t size, int64_t *id);
/*
 * Another message (not id) already handled with this Message-ID?  One
 * set aside (unreadable, quarantined, too large) was not handled.
 */
int db_message_seen_id(struct db *, const char *message_id, int64_t id);
/* Records the outcome, and the Message-ID found by parsing (may be NULL). */
int db_message_dispose(struct db *, int64_t id, const char *message_id,
    const char *disposition, const char *detail, int64_t referral_id);
int db_message_set_moved(struct db *, int64_t id);
/*
 * Counts one more attempt to process each of the n messages, together
 * (a batch attempt when n > 1), committed at once in one transaction (it
 * must not be called inside one); counts[i] gets the message's attempts
 * made alone, this one included.  Returns 0, or -1 (nothing counted).
 */
int db_message_attempts(struct db *, const int64_t *ids, size_t n,
    int *counts);

/* One inbound message as recorded, for people (refbot message). */
struct inbound {
	int64_t id;
	char *mailbox;
	int64_t uidvalidity, uid;
	char *message_id;		/* NULL: none recorded */
	int64_t size;			/* the whole message's */
	int64_t received_at;
	int64_t processed_at;		/* -1: not yet */
	char *disposition, *detail;	/* detail may be NULL */
	int64_t referral_id;		/* 0: none */
	int moved, attempts;
	/*
	 * What was stored: the whole message, or for one over the size limit
	 * its header (stored < size).  db_message_each gives only its first
	 * INBOUND_HEAD bytes, enough for the header fields.
	 */
	char *raw;
	size_t stored, rawlen;
};

#define INBOUND_HEAD 16384

void inbound_free(struct inbound *);
/*
 * Each message, oldest first, with disposition disp (NULL: any) and
 * received at or after since (0: any), until fn returns non-zero.
 */
int db_message_each(struct db *, const char *disp, int64_t since,
    int (*fn)(const struct inbound *, void *), void *arg);
/* Message id with all it stored: 1, 0 when there is none, or -1. */
int db_message_get(struct db *, int64_t id, struct inbound *);
/*
 * Makes a quarantined or unreadable message pending again, with this
 * retry as its one attempt so far, so intake runs it afresh: 1, 0 when
 * it is not one (or not there), or -1.
 */
int db_message_retry(struct db *, int64_t id);

#endif
