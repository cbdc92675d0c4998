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

enum intake_result {
	INTAKE_PROCESSED,	/* done: move to the processed folder */
	INTAKE_REJECTED,	/* unreadable: move to the rejected folder */
	INTAKE_RETRY,		/* database trouble: leave it, try later */
};

/* Processes the stored message row (raw bytes as given). */
enum intake_result intake_process(struct refbot *, int64_t row,
    const char *raw, size_t len);

/* Stops the parser child (a new one starts with the next message). */
void intake_probe_stop(void);

#endif
