/*
 * db_pending: a partner's request that came without a signed token (a
 * correction, an unsubscribe), kept until the partner answers our signed
 * mail (the pending_requests table); a staff member's forward of a
 * partner's mail, kept until they confirm it (forward_drafts).  Returns
 * as in db.h.
 */
#ifndef REFBOT_DB_PENDING_H
#define REFBOT_DB_PENDING_H

#include <stdint.h>

#include "db.h"

struct pending_request {
	int64_t id;
	char *kind;		/* "correction" or "unsubscribe" */
	int64_t partner_id;
	int64_t referral_id;	/* 0: none */
	char *body;		/* what the request said (the correction) */
	int64_t contact_id;	/* unsubscribe: their copy; 0: firm's */
	int64_t done_at;	/* 0: not applied yet */
};
int db_pending_add(struct db *, const char *kind, int64_t partner_id,
    int64_t referral_id, int64_t message_row, const char *body, int64_t *id);
/*
 * An unsubscribe: of contact_id's own copy of the newsletter, or of the
 * firm's (contact_id 0).
 */
int db_pending_add_unsubscribe(struct db *, int64_t partner_id,
    int64_t contact_id, int64_t message_row, int64_t *id);
/* 1 with *pr filled (pending_request_free), 0 if there is none, -1. */
int db_pending_get(struct db *, int64_t id, struct pending_request *pr);
/* Marks it applied: 1, 0 if it already was, -1. */
int db_pending_done(struct db *, int64_t id);
void pending_request_free(struct pending_request *);

/*
 * Issue 19.1: a partner's mail a staff member forwarded to the intake,
 * kept (like a newsletter draft) until that staff member confirms its
 * signed preview (the forward_drafts table).
 */
struct forward_draft {
	int64_t id;
	int64_t partner_id;
	char *author;		/* the staff member who forwarded it */
	char *sender;		/* the original sender, at the partner */
	char *subject;		/* the original subject, or NULL */
	char *body;		/* the original text: the form */
	int64_t message_row;	/* the forward */
	int64_t referral_id;	/* once confirmed; 0 before (or cancelled) */
	int64_t confirmed_at;	/* 0: open */
};
int db_forward_add(struct db *, const struct forward_draft *, int64_t *id);
/* 1 with *d filled (forward_draft_free), 0 if there is none, -1. */
int db_forward_get(struct db *, int64_t id, struct forward_draft *d);
/* Closes it (referral_id 0: cancelled): 1, 0 if it already was, -1. */
int db_forward_done(struct db *, int64_t id, int64_t referral_id);
void forward_draft_free(struct forward_draft *);

#endif
