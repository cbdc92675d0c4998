/*
 * meeting: the meeting a MEETING keyword with a date records on its
 * referral (db_meetings), and the calendar invitation that goes with it
 * (ical.c): one UID per referral, SEQUENCE one higher for every mail
 * about it, so a new time updates the same event and LOST or DECLINED
 * cancels it (METHOD:CANCEL).
 */
#ifndef REFBOT_MEETING_H
#define REFBOT_MEETING_H

#include "db_referrals.h"
#include "keyword.h"
#include "refbot.h"

/*
 * What cmd means for r's meeting, after replies_apply has changed r's
 * state: MEETING with a date records it and invites; LOST and DECLINED
 * cancel an invitation that went out; anything else does nothing.
 * actor is who sent cmd (an address for a signed staff reply).  Runs in
 * the caller's transaction.  Returns 0, or -1 (the database, or a text
 * that would not build; logged).
 */
int meeting_apply(struct refbot *, const struct referral *r,
    const struct keyword_cmd *cmd, const char *actor);

/*
 * r was given to owner (ASSIGN): an invitation still to come that went
 * to someone else moves, as when another staff member sends MEETING: the
 * one invited gets METHOD:CANCEL for it, owner the invitation with the
 * next SEQUENCE and the same UID.  A past or cancelled meeting stays as
 * it is.  In the caller's transaction; 0, or -1 as meeting_apply.
 */
int meeting_reassign(struct refbot *, const struct referral *r,
    const char *owner);

/* "2026-12-10 14:00", "2026-12-10", or NULL: what cmd said.  Caller frees. */
char *meeting_when(const struct keyword_cmd *cmd);

#endif
