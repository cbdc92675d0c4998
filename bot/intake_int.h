/*
 * intake_int: what the parts of intake share; private to bot/intake*.c.
 * Functions that take a job run inside the message's transaction and
 * return -1 when it must be rolled back and the message retried.
 */
#ifndef REFBOT_INTAKE_INT_H
#define REFBOT_INTAKE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "intake.h"
#include "refbot.h"
#include "replies.h"

/* One message being handled, and what was decided about it. */
struct job {
	struct refbot *rb;
	int64_t row;
	struct analysis a;
	const char *disposition;
	char *detail;
	int64_t referral_id;
	char *dedup_id;		/* Message-ID, or one made from the content */
	char *aside;		/* added to detail: what was not counted */
};

/* A new referral from partner p: recorded, acknowledged, staff told. */
int intake_submission(struct job *, const struct partner *p);

/*
 * Staff, who knew referral r, hear what the partner changed (upd, giving
 * merged; status its new status, first the referral it now duplicates or
 * 0), in their language (intake_staff.c).
 */
int intake_staff_corrected(struct job *, const struct referral *r,
    const struct partner *p, const struct form *upd,
    const struct form *merged, const char *status, int64_t first);

/* A reply in one of our threads. */
int intake_reply(struct job *);

/*
 * Whether a form holds any evidence of a referral (a recognised field or
 * a client name); without it a partner's mail is a message for staff.
 */
int intake_is_submission(const struct form *);

/*
 * Mail partner p wrote, new or an answer to refbot's mail (context says
 * which, a context.* line of mail/staff-lines; NULL: new mail): STATUS REF-n, TEMPLATE, a
 * referral, or a message for staff.  Returns 0, or -1.
 */
int intake_from_partner(struct job *, const struct partner *p,
    const char *context);

/* Mail from a sender who is not a partner: told how to join, staff told. */
int intake_unknown_sender(struct job *);

/*
 * intake_answer.c.  An answer to refbot's mail that is not about a
 * referral, known by its signed token (the welcome kit, the form, a
 * statement, a notice, the join instructions; the newsletter when it
 * holds a form).  Returns 1 when the mail was one, 0 when not, -1.
 */
int intake_answer(struct job *);

/* A reply in our thread about no referral we know, unsigned.  0, or -1. */
int intake_answer_unsigned(struct job *);

/*
 * A partner's mail with no referral in it: forwarded to staff with its
 * context, and the partner told it reached the team (with the form, in
 * case it was meant as one).  Returns 0, or -1.
 */
int intake_partner_message(struct job *, const struct partner *p,
    const char *context);

/*
 * A reply through the signed address of our "please confirm" mail.
 * Returns 1 when the mail was such a reply, 0 when not, -1.
 */
int intake_confirmed_request(struct job *);

/*
 * intake_forward.c.  New mail from staff that forwards a partner's mail:
 * kept as a draft, the staff member sent a signed preview.  Returns 1
 * when the mail was a forward, 0 when not, -1.
 */
int intake_forward(struct job *);

/*
 * A reply through the signed address of a forward's preview: OK from
 * staff records the referral for the partner, CANCEL drops it, and from
 * anyone else nothing.  Returns 1 when the mail was one, 0 when not, -1.
 */
int intake_forward_reply(struct job *);

/*
 * intake_survey.c.  A reply through a survey's signed address: its
 * answers stored, one reply asking for what is missing (once).  Returns
 * 1 when the mail was one, 0 when not, -1.
 */
int intake_survey(struct job *);

/*
 * The staff answer to a signed preview of role (a forward's, a GIVEN
 * mail's): 0 when the mail is not one; 1 when handled here (not from
 * staff: disposition refused; or unverified), detail naming what and
 * the draft; 2 with the draft's *id and *answer.
 */
enum { PREVIEW_OK, PREVIEW_CANCEL, PREVIEW_UNCLEAR };
int intake_preview_answer(struct job *, int role, const char *refused,
    const char *what, int64_t *id, int *answer);

/*
 * intake_given.c.  New mail from staff whose first line (or subject) is
 * GIVEN partner@...: kept as a draft, previewed with a signed address;
 * 1 when it was one, 0 when not, -1.  intake_given_reply: the staff
 * member's OK (recorded as refbot given add does) or CANCEL to it.
 */
int intake_given(struct job *);
int intake_given_reply(struct job *);

/*
 * intake_rsvp.c.  A calendar client's answer to a meeting invitation
 * (analysis.itip), through the meeting's signed organizer address and
 * for the UID refbot sent: recorded in the referral's history, a decline
 * or a new time told to the managers.  Returns 1 when counted, 0 when
 * not (an answer without the token or with another UID: j->aside says
 * why, and the mail is handled as any other), -1.
 */
int intake_rsvp(struct job *);

/* Copies what replies.c decided into the job. */
void intake_take(struct job *, struct reply_outcome *);

/*
 * detail, and what the caps (notify.c) held back while this message was
 * handled, so that nothing they hold back is silent (caller frees).
 */
char *intake_capped_detail(struct refbot *, const char *detail);

/* A message nobody can read: set aside, its sender found by text search. */
enum intake_result intake_reject(struct refbot *, int64_t row,
    const char *disposition, const char *why, const char *raw, size_t len);

/*
 * A message over max_message_size, known by its header hdr: set aside as
 * too-large.  The header goes through the parser child only when parse is
 * set (the message has not been counted against the parser too often).
 */
enum intake_result intake_set_too_large(struct refbot *, int64_t row,
    const char *hdr, size_t hlen, uint64_t size, int parse);

#endif
