/*
 * db_messages: the inbound messages as fetched, with their attachments,
 * processing attempts and disposition (the messages and attachments
 * tables).  Returns as in db.h.
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
/* Another message (not id) already handled with this Message-ID? */
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
int db_attachment_add(struct db *, int64_t message_row, const char *name,
    const char *type, size_t size);

#endif
