/*
 * db_outbox: the mail waiting to be sent, sent, failed, held or bounced
 * (the outbox table).  Returns as in db.h; strings in a struct outmail are
 * its own, freed by outmail_free().
 */
#ifndef REFBOT_DB_OUTBOX_H
#define REFBOT_DB_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct outmail {
	int64_t id;
	int64_t referral_id;	/* 0 if none */
	char *kind;		/* "ack", "incomplete", "not-partner", ... */
	char *mail_from;
	char *rcpt;
	char *cc;		/* a second recipient (Cc), or NULL */
	char *message_id;
	char *data;		/* the complete message, CRLF line ends */
	size_t len;
	char *status;		/* "pending", "sent", "failed" */
	int attempts;
	int64_t next_attempt_at;
	char *last_error;
	int64_t created_at;
	int64_t sent_at;
};
int db_outbox_add(struct db *, const struct outmail *, int64_t *id);
/*
 * The oldest pending mail due at now, newsletters last and only when bulk
 * is set; 1 found, 0 none, -1 error.
 */
int db_outbox_next_due(struct db *, int64_t now, int bulk, struct outmail *);
/*
 * As db_outbox_next_due without bulk, but only mail after (after_at,
 * after_id) in that order: the sender thread's next, past the mail it
 * sent whose outcome is not recorded yet (sender.h).
 */
int db_outbox_next_due_after(struct db *, int64_t now, int64_t after_at,
    int64_t after_id, struct outmail *);
/* When the next pending mail falls due; 1 found, 0 none, -1 error. */
int db_outbox_next_time(struct db *, int64_t *when);
/* Mails waiting to be sent (pending), or -1 on a database error. */
int64_t db_outbox_pending_count(struct db *);
/* Capped replies (not acknowledgements) queued for rcpt since then. */
int db_outbox_recent_replies(struct db *, const char *rcpt, int64_t since);
/* Marks outbox row id as an automatic reply the per-sender cap counts. */
int db_outbox_mark_reply(struct db *, int64_t id);
/*
 * Makes mail due now: row id (if > 0) or every failed row; returns how
 * many rows changed, or -1.  Sent mail is never sent again.
 */
int db_outbox_retry(struct db *, int64_t id, int all_failed);
int db_outbox_sent(struct db *, int64_t id, int64_t now);
/*
 * Marks the mail with this Message-ID bounced; fills id, referral_id,
 * kind and rcpt of *m (free with outmail_free).  1 found, 0 not, -1.
 */
int db_outbox_bounce(struct db *, const char *message_id, const char *why,
    struct outmail *m);
int db_outbox_defer(struct db *, int64_t id, int64_t next, const char *err);
/* Marks it failed for good; staff are yet to be told (db_outbox_untold). */
int db_outbox_fail(struct db *, int64_t id, const char *err);
/*
 * The oldest failed mail staff were not told about, without its data;
 * 1 found, 0 none, -1 error.  db_outbox_told marks it told.
 */
int db_outbox_untold(struct db *, struct outmail *);
int db_outbox_told(struct db *, int64_t id);
int db_outbox_each(struct db *, const char *status,
    int (*cb)(const struct outmail *, void *), void *arg);
void outmail_free(struct outmail *);
/*
 * Holds every pending mail of this kind (status "held": never sent), or
 * with release, makes held mail of this kind pending and due now.
 * Returns the rows changed, or -1.
 */
int db_outbox_hold(struct db *, const char *kind, int release);
/* The Message-ID of the first mail sent to the partner about it; 1/0/-1. */
int db_outbox_thread_id(struct db *, int64_t referral_id, char **message_id);

#endif
