/*
 * notify: every mail refbot sends is built here from a text in
 * templates/mail/ and queued in the outbox (inside the caller's
 * transaction).  Mail about a referral carries a signed reply address
 * and a Message-ID with the same token, for the role it is sent to.
 */
#ifndef REFBOT_NOTIFY_H
#define REFBOT_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "mailout.h"
#include "refbot.h"
#include "render.h"
#include "result.h"

struct notify {
	const char *name;		/* templates/mail/NAME.LANG.txt */
	const char *lang;		/* "en" or "ja"; NULL: "en" */
	const char *rcpt;
	const char *cc;			/* a copy to (Cc), or NULL */
	int64_t referral_id;		/* 0: not about a referral */
	int role;			/* ROLE_*: signs the reply address */
	int64_t token_id;		/* signed id when not a referral's */
	const char *reply_to;		/* unsigned mail: where replies go */
	const struct render_var *vars;
	size_t nvars;
	/*
	 * What refbot composed, for a reader of Japanese: each replaces the
	 * value in vars of the same name, unless NULL (staff texts:
	 * notify_staff sets lang per person).
	 */
	const struct render_var *vars_ja;
	size_t nvars_ja;
	const char *in_reply_to;	/* without <>, or NULL */
	const char *references;		/* ids without <>, or NULL */
	int auto_reply;			/* answers a person's mail (RFC 3834) */
	const char *calendar;		/* an invitation: see mailout.h */
	const char *calendar_method;
	/*
	 * > 0: a staff alert about this inbound message row.  notify_staff
	 * sends at most staff_alert_limit of one kind (name) a clock hour
	 * and holds the rest for one summary (notify_alert_summaries).
	 */
	int64_t alert_row;
	/* Files attached to the mail (mailout.h); none when nfiles is 0. */
	const struct mailout_file *files;
	size_t nfiles;
	/*
	 * notify_staff: who gets it (staff.h; STAFF_TO_ALL is 0, but mail
	 * about a referral goes to its owner unless to says managers), and
	 * sets rcpt and lang for each person.  Mail about no referral but
	 * about partner_id goes to its account manager, else as to says.
	 */
	int to;
	int64_t partner_id;
	/* Non-NULL: {{keywords}} is this state's cheat sheet, in lang. */
	const char *sheet;
};

/*
 * notify_queue's answers besides 0.  The failures are the negated
 * result.h codes, so "< 0" is any failure: the database (retry later),
 * or a text that would not build — after texts_load's checks that is a
 * program error, a configuration problem and not the message's fault.
 */
#define NOTIFY_WITHHELD 1		/* the per-sender cap held it back */
#define NOTIFY_RETRY (-RESULT_RETRY)
#define NOTIFY_CONFIG (-RESULT_CONFIG)

/*
 * Builds and queues one mail; fills *message_id (caller frees) when
 * non-NULL.  Returns 0; NOTIFY_WITHHELD when n answers a sender who
 * already had auto_reply_limit answers in the last hour (nothing is
 * queued; rb->replies_withheld counts it); or NOTIFY_RETRY or
 * NOTIFY_CONFIG (logged).  Every automatic reply (auto_reply) but the
 * acknowledgement of a referral counts toward that cap.
 */
int notify_queue(struct refbot *, const struct notify *, char **message_id);

/*
 * Queues one copy of n to each staff member it is for (n->to, staff.h),
 * in their language; an alert (alert_row) over
 * its hour's limit is recorded for the summary instead (and counted in
 * rb->alerts_held).  Returns 0 either way, or a failure as notify_queue.
 */
int notify_staff(struct refbot *, struct notify *n);

/*
 * Tells staff about a message that needs a person, in each reader's
 * language: the lines KEY.title and KEY.reason of mail/staff-lines filled
 * with vars, and told.TOLD, what its sender was told.  As notify_staff.
 */
int notify_alert(struct refbot *, int64_t row, const char *key,
    const struct render_var *vars, size_t nvars, const char *folder,
    const char *told);

/* Line key of mail/staff-lines in lang, with vars; "" when missing. */
char *notify_line(struct refbot *, const char *lang, const char *key,
    const struct render_var *vars, size_t nvars);

/* What staff read for the mail text name, in lang (caller frees). */
char *notify_kind_text(struct refbot *, const char *lang, const char *name);
/* As notify_line, but a copy of fallback when lang has no such line. */
char *notify_line_or(struct refbot *, const char *lang, const char *key,
    const struct render_var *vars, size_t nvars, const char *fallback);

/*
 * Queues one summary per kind and clock hour that ended before now with
 * alerts held back, each in the transaction that marks them summarised
 * (so exactly one, across restarts).  Returns how many, or -1.
 */
int notify_alert_summaries(struct refbot *, int64_t now);

/*
 * Tells staff about each mail the server refused for good and nobody was
 * told of yet, and writes it in its referral's history, one transaction
 * each (so exactly once).  Returns how many, or -1.
 */
int notify_undelivered(struct refbot *);

/* The clock hour a staff alert at time t counts in: its first second. */
int64_t notify_alert_period(int64_t t);

/*
 * "#3-#5, #9" for message rows (any order; zeros and repeats left out),
 * at most max ranges, then more with {{count}} the rows left out ("and
 * {{count}} more", mail/staff-lines rows.more; caller frees).
 */
char *notify_rows_text(const int64_t *rows, size_t n, size_t max,
    const char *more);

/* "unreadable 3, quarantined 1": how often each word occurs, in order. */
char *notify_tally_text(char *const *words, size_t n);

/*
 * The staff cheat sheet for a referral in status: one line per keyword
 * allowed from there (parsers/status), "  WON amount    what it does",
 * the words from mail/keyword-lines in lang.  Built once a run, kept
 * in rb (refbot_memo): do not free.
 */
const char *notify_keyword_sheet(struct refbot *, const char *status,
    const char *lang);

/* The HMAC key: the configured secret, else the database's own. */
const char *notify_key(struct refbot *, size_t *len);

/*
 * The token for (id, role) where reply_token puts it: *tag, the
 * Message-ID's left part ("r12.s.TOKEN", or plain when only the address
 * is signed), and *reply_to, the signed plus address (NULL when only the
 * Message-ID is).  Caller frees both.
 */
void notify_token(struct refbot *, int64_t id, int role, const char *plain,
    char **tag, char **reply_to);

#endif
