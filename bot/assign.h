/*
 * assign: a referral given to another owner (ASSIGN / 担当 in a staff
 * reply, or the CLI); the new owner is told, with the history.
 */
#ifndef REFBOT_ASSIGN_H
#define REFBOT_ASSIGN_H

#include "db_referrals.h"
#include "refbot.h"

/*
 * Makes the active staff member who names (an address or name) r's
 * owner, writes the history (actor; message_id may be NULL) and queues
 * the new owner's mail with note (the lines under the keyword, may be
 * NULL) inside the caller's transaction, and moves the referral's
 * invitation still to come to them (meeting_reassign).  Returns 0, 1
 * when refused (*why, caller frees: nobody or several by that name, the
 * owner already; *key the line of mail/staff-lines that says it, with
 * {{who}} from *whom, caller frees), or -1 on a database error.
 */
int assign_apply(struct refbot *, const struct referral *r, const char *who,
    const char *actor, const char *message_id, const char *note,
    char **why, const char **key, char **whom);

#endif
