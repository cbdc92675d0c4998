/*
 * firmstatus: a partner contact's "STATUS" (状況) alone, answered with all
 * of the firm's open referrals and its commission balance.
 */
#ifndef REFBOT_FIRMSTATUS_H
#define REFBOT_FIRMSTATUS_H

#include "analyze.h"
#include "db_partners.h"
#include "refbot.h"

/*
 * Queues the answer to a (the mail that asked) for partner p: to the
 * contact who asked, else the firm's address.  Returns the number of
 * open referrals listed, or -1 (a failure as notify_queue's).
 */
int firmstatus_send(struct refbot *, const struct analysis *a,
    const struct partner *p);

#endif
