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
#include "template.h"

/* RESULT_DONE, RESULT_BAD_INPUT, RESULT_RETRY, RESULT_CONFIG (result.h). */
enum intake_result {
	INTAKE_PROCESSED,	/* done: move to the processed folder */
	INTAKE_REJECTED,	/* unreadable, too large: to the rejected folder */
	INTAKE_RETRY,		/* database trouble: leave it, try later */
	INTAKE_CONFIG,		/* a mail text it needs cannot be built
				   (rb->text_failed names it): leave it,
				   the operator must fix the text; later */
};

/* Attempts a message makes alone before it is quarantined. */
#define INTAKE_MAX_ATTEMPTS 3

/*
 * Processes the stored message row (raw bytes as given); attempt is its
 * count of attempts made alone, this one included if it is alone,
 * already committed (db_message_attempts): past INTAKE_MAX_ATTEMPTS it
 * is quarantined.  Inside a caller's transaction its own is a savepoint:
 * the caller commits it.
 */
enum intake_result intake_process(struct refbot *, int64_t row,
    const char *raw, size_t len, int attempt);

/*
 * A message over max_message_size, of which only the header (hdr) was
 * fetched and stored; size is the whole message's (RFC822.SIZE).  Filed
 * as rejected (disposition too-large), or INTAKE_RETRY.
 */
enum intake_result intake_too_large(struct refbot *, int64_t row,
    const char *hdr, size_t hlen, uint64_t size, int attempt);

/* How a referral that did not come by mail was entered (issue 19.1). */
struct intake_add {
	const char *actor;	  /* for the history: "cli:USER", staff */
	const char *submitted_by; /* who sent it in (an address), or NULL */
	/* The history's note: a line of mail/staff-lines and its words. */
	const char *detail_key;	  /* or NULL */
	const struct render_var *detail_vars;
	size_t ndetail_vars;
	int64_t created_at;	  /* when it was referred; 0: now */
	int quiet;		  /* the partner hears nothing */
	const char *subject;	  /* the subject it came with, or NULL */
};

/*
 * Records partner p's referral with the form f (read against the
 * template) exactly as a mailed one is: the duplicate check, the status
 * it earns, the acknowledgement (to submitted_by, else the partner's
 * address; none when quiet) and staff's notification.  row: the message
 * it came in, or 0.  Runs in the caller's transaction; 0 with *id and
 * *detail (caller frees), or -1.
 */
int intake_referral_add(struct refbot *, const struct partner *p,
    const struct form *f, const struct intake_add *, int64_t row,
    int64_t *id, char **detail);

/*
 * After a staff member changed a referral's fields by hand: its client,
 * contact and duplicate keys derived again from them (the template's
 * roles), its state left as it is.  *earlier: the first referral of the
 * same client it now matches (0: none), for staff to decide on.  In the
 * caller's transaction; 0, or -1.
 */
int intake_rederive(struct refbot *, int64_t id, int64_t *earlier);
/*
 * Puts the referrals of a lengthened protection window back in duplicate
 * detection's indexes, and drops those older than the window, at most
 * hourly (db_referral_window): before any referral is looked up, outside
 * a transaction.  0 or -1.
 */
int intake_window_tidy(struct refbot *);

/* Stops the parser child (a new one starts with the next message). */
void intake_probe_stop(void);

/*
 * A message (raw, len) that intake_process (or intake_too_large, the
 * header) will be given, at attempt, after those given before: its
 * parsing starts ahead, beside the work on those before it
 * (parserchild_next).  raw stays as it is until then, or
 * until intake_next_end(): the run of messages is over.
 */
void intake_next(const struct refbot *, const char *raw, size_t len,
    int attempt);
void intake_next_end(void);

#endif
