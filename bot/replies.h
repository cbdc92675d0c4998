/*
 * replies: mail in one of our threads about a known referral — staff
 * keyword commands (who may command, the state machine, the partner's
 * progress update) and partner follow-ups (STATUS, anything else
 * forwarded to staff).  Runs inside intake's transaction.
 */
#ifndef REFBOT_REPLIES_H
#define REFBOT_REPLIES_H

#include <stdint.h>

#include "analyze.h"
#include "db.h"
#include "db_partners.h"
#include "db_referrals.h"
#include "refbot.h"

struct reply_outcome {
	const char *disposition;
	char *detail;		/* owned; the caller frees */
};

/*
 * The referral this reply is about, proven by a valid token (signed
 * reply address or our Message-ID in In-Reply-To/References): 1 with
 * *id and *role set, 0 if no valid token names one.
 */
int replies_token(struct refbot *, const struct analysis *, int64_t *id,
    int *role);
/* The same for tokens of the given roles (a string of ROLE_* letters). */
int replies_token_for(struct refbot *, const struct analysis *,
    const char *roles, int64_t *id, int *role);

/*
 * With require_auth_results, staff mail must carry a DMARC pass or a DKIM
 * pass aligned with its From domain (an aligned SPF pass with
 * auth_spf_fallback) in the topmost Authentication-Results header from
 * our own receiving server.  Returns 1 when it does.
 */
int replies_auth_ok(struct refbot *, const struct message *);

struct keyword_cmd;

/* What replies_apply did, or why it did not. */
struct apply_result {
	const char *to;		/* the state r is in now (static) */
	/* refused: a line problem.PROBLEM of mail/staff-lines, else itself */
	const char *problem;	/* (static) */
	char *why;		/* refused: the sentence (the caller frees) */
	/*
	 * refused: why in the reader's language, a line of mail/staff-lines
	 * ({{keyword}} {{ref}} {{status}} {{who}}; static), and its {{who}}
	 * (the caller frees), or NULL.
	 */
	const char *key;
	char *who;
};

/*
 * A staff command on r, from a keyword reply or the CLI: the state
 * machine (parsers/status.c), the history row (actor, message_id may be
 * NULL), the ledger (ledger.c) and the partner's mail.  Returns 0 when
 * applied, 1 when refused (res says why; nothing was written), -1 on a
 * database error.  Runs inside the caller's transaction.
 */
int replies_apply(struct refbot *, const struct referral *r,
    const struct keyword_cmd *cmd, const char *actor, const char *message_id,
    struct apply_result *res);

/* A staff member's reply about r.  Returns 0, or -1 on a database error. */
int replies_staff(struct refbot *, int64_t row, const struct analysis *,
    const struct referral *r, struct reply_outcome *);

/*
 * The referring partner's reply about r that is not a correction: STATUS
 * is answered, anything else is recorded and forwarded to staff.
 */
int replies_partner(struct refbot *, int64_t row, const struct analysis *,
    const struct referral *r, const struct partner *p,
    struct reply_outcome *);

/*
 * A reply about r from someone who is neither staff nor a contact of its
 * partner: kept with r and forwarded to staff (rate-limited as an alert:
 * a flood is summarised), never answered.
 */
int replies_outsider(struct refbot *, int64_t row, const struct analysis *,
    const struct referral *r, struct reply_outcome *);

/*
 * Answers STATUS to the referring partner (also for "STATUS REF-n"): to
 * the contact who asked, else the firm's address.
 */
int replies_status(struct refbot *, const struct analysis *,
    const struct referral *r, const struct partner *p);

/*
 * Gives a DUPLICATE referral the credit: it becomes NEW and the referral
 * it duplicated becomes its duplicate.  0, 1 if it is not a duplicate, -1.
 */
int replies_credit(struct refbot *, int64_t id);

/*
 * The language to answer a partner's mail in: its sender's if a contact
 * of the firm with a language, else the firm's, else the mail's.
 */
const char *replies_partner_lang(struct refbot *, const struct partner *,
    const struct analysis *);

/* A staff reply that only says yes: OK, yes, はい... (not an empty one). */
int replies_just_ok(const char *text);

#endif
