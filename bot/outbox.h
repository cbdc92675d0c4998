/*
 * outbox: every mail refbot sends is first a row in the outbox, written in
 * the same transaction as the change that causes it; the sender drains
 * the rows over SMTP, retrying temporary failures with backoff.
 */
#ifndef REFBOT_OUTBOX_H
#define REFBOT_OUTBOX_H

#include <signal.h>
#include <stdint.h>

#include "mailout.h"
#include "refbot.h"

/*
 * Composes m and adds it to the outbox (inside the caller's transaction).
 * Returns 0, or -1 on a database error.
 */
int outbox_queue(struct refbot *, int64_t referral_id, const char *kind,
    const struct mailout *m, int64_t *id);

/*
 * Sends every pending mail that is due, until none is left or *stop is
 * set.  Returns the number sent, or -1 when the database failed.
 */
struct smtp;
int outbox_drain(struct refbot *, struct smtp *, volatile sig_atomic_t *stop);

/* Seconds to wait before attempt number attempts+1 (with jitter). */
int64_t outbox_backoff(int attempts);

#endif
