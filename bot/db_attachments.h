/*
 * db_attachments: the files an inbound message carried, in the
 * attachments table next to their message row: name, type, size, and
 * the decoded bytes when they were kept (data NULL: "not kept", because
 * they were over attachment_store_limit, could not be decoded, or were
 * purged).  Numbered 1, 2, ... in the order of the message.
 */
#ifndef REFBOT_DB_ATTACHMENTS_H
#define REFBOT_DB_ATTACHMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct stored_attachment {
	int n;			/* 1-based, in the message's order */
	char *name;		/* "" when the sender gave none */
	char *type;
	int64_t size;		/* decoded bytes (before issue 19, or when
				   not decodable: encoded bytes) */
	int kept;		/* the bytes are stored */
	int64_t len;		/* their length when kept */
	char *data;		/* the bytes, when asked for and kept */
};

/* Records one attachment; data NULL: not kept (len ignored). */
int db_attachment_add(struct db *, int64_t message_row, const char *name,
    const char *type, size_t size, const char *data, size_t len);

/*
 * The attachments of a referral's message, with their bytes when
 * with_data (else data is NULL).  Returns 0 with *list (free with
 * db_attachments_free) and *n, or -1.
 */
int db_attachments_of(struct db *, int64_t referral_id, int with_data,
    struct stored_attachment **list, size_t *n);
void db_attachments_free(struct stored_attachment *, size_t n);

#endif
