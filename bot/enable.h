/*
 * enable: partner enablement by email.  The welcome kit (how to refer,
 * the blank form, the firm's one-page overview and an introduction email
 * to forward to a client), and the blank form sent to a partner who asks
 * for it.  Texts come from templates/ (welcome, form-reply, overview,
 * introduction); mail is queued in the caller's transaction.
 */
#ifndef REFBOT_ENABLE_H
#define REFBOT_ENABLE_H

#include "analyze.h"
#include "refbot.h"

/*
 * Queues the welcome kit to p and records when.  A partner who had it
 * already gets it again only when again is set.  Returns 1 when queued,
 * 0 when it was sent before (nothing queued), -1 (logged) when a text or
 * the database failed.
 */
int enable_welcome(struct refbot *, const struct partner *p, int again);

/*
 * Queues the welcome kit of p to rcpt, one of its contacts, in lang
 * (partner contact add --welcome); the firm's record is not changed.
 * Returns 1, or -1 (logged).
 */
int enable_welcome_to(struct refbot *, const struct partner *p,
    const char *rcpt, const char *lang);

/*
 * Answers a partner's request for the form (a, from p) with the blank
 * form and short instructions, in their language, threaded under
 * references (ids without <>, or NULL).  Returns 0,
 * NOTIFY_WITHHELD when the per-sender cap held it back, or -1 (logged).
 */
int enable_form_reply(struct refbot *, const struct analysis *a,
    const struct partner *p, const char *references);

#endif
