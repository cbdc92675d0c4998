/*
 * intake: what happens to one inbound message once its raw bytes are
 * safely in the database — classification, the referral, the replies it
 * causes — all in one transaction, ending with its recorded disposition.
 */
#ifndef REFBOT_INTAKE_H
#define REFBOT_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "refbot.h"

/* RESULT_DONE, RESULT_BAD_INPUT, RESULT_RETRY, RESULT_CONFIG (result.h). */
enum intake_result {
	INTAKE_PROCESSED,	/* done: move to the processed folder */
	INTAKE_REJECTED,	/* unreadable, too large: to the rejected folder */
	INTAKE_RETRY,		/* database trouble: leave it, try later */
	INTAKE_CONFIG,		/* a mail text it needs cannot be built
				   (rb->text_failed names it): leave it,
				   the operator must fix the text; later */
};

/* Attempts a message makes alone before it is quarantined. */
#define INTAKE_MAX_ATTEMPTS 3

/*
 * Processes the stored message row (raw bytes as given); attempt is its
 * count of attempts made alone, this one included if it is alone,
 * already committed (db_message_attempts): past INTAKE_MAX_ATTEMPTS it
 * is quarantined.  Inside a caller's transaction its own is a savepoint:
 * the caller commits it.
 */
enum intake_result intake_process(struct refbot *, int64_t row,
    const char *raw, size_t len, int attempt);

/*
 * A message over max_message_size, of which only the header (hdr) was
 * fetched and stored; size is the whole message's (RFC822.SIZE).  Filed
 * as rejected (disposition too-large), or INTAKE_RETRY.
 */
enum intake_result intake_too_large(struct refbot *, int64_t row,
    const char *hdr, size_t hlen, uint64_t size, int attempt);

/* Stops the parser child (a new one starts with the next message). */
void intake_probe_stop(void);

#endif
