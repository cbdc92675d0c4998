/*
 * digest: each staff member's morning queue.  On a working day, from
 * digest_hour (in timezone), every active member of the staff registry
 * who owns open referrals gets one mail, in their language: what is
 * overdue (its first response late), due today, stalled (stall_days)
 * and otherwise open, a line each with its reference, client, partner,
 * state, age and the signed address that acts on it.  Someone with an
 * empty queue gets nothing.  Each day's mail is recorded with its
 * outbox row (digests), so a restart never sends a second.
 */
#ifndef REFBOT_DIGEST_H
#define REFBOT_DIGEST_H

#include <stdint.h>

#include "refbot.h"

/* Sends what is due at now; returns how many, or -1 (database). */
int digest_run(struct refbot *, int64_t now);

#endif
