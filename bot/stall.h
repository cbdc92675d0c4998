/*
 * stall: nothing sits still unnoticed.  An open referral in one state
 * longer than that state's stall_days is nudged to its owner once per
 * such period; from the second period on its managers are told, once;
 * with partner_progress_note, its partner hears it is still in
 * progress at most once in 30 days.  Each note is recorded in the same
 * transaction as its outbox row (stall_notes), so restarts never send
 * one twice.
 */
#ifndef REFBOT_STALL_H
#define REFBOT_STALL_H

#include <stdint.h>

#include "refbot.h"

/* Sends what is due at now; returns how many, or -1 (database). */
int stall_run(struct refbot *, int64_t now);

#endif
