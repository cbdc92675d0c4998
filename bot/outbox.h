/*
 * outbox: every mail refbot sends is first a row in the outbox, written in
 * the same transaction as the change that causes it; the sender drains
 * the rows over SMTP, retrying temporary failures with backoff.
 */
#ifndef REFBOT_OUTBOX_H
#define REFBOT_OUTBOX_H

#include <signal.h>
#include <stdint.h>

#include "mailout.h"
#include "refbot.h"

/*
 * The kind of mail sent in bulk (the newsletter): after all other mail,
 * and at a limited pace.
 */
#define OUTBOX_BULK_KIND "newsletter"

/*
 * A kind of mail the outbox sends at a limited pace, as data (as
 * OpenSMTPD's mta_limits): at most per_minute a minute, and when
 * max_failures deliveries in a row fail, the kind halts.
 */
struct outbox_limit {
	const char *kind;
	int per_minute;
	int max_failures;
};

/* What the outbox knows of one limited kind between sends. */
struct outbox_pace {
	double next;		/* CLOCK_MONOTONIC seconds: the next may go */
	int failures;		/* in a row */
	int halted;		/* max_failures reached: none go until held */
	int held;		/* rows held when it last halted */
	int64_t last_id;	/* the last failed row, */
	char *last_error;	/* and why (owned) */
};

#define OUTBOX_NLIMITS 1

/*
 * The limits (from the configuration) and their state.  Whoever drains
 * keeps one for as long as it runs, so a reload of the configuration
 * changes the limits and keeps a failure streak; zeroed is a fresh start.
 */
struct outbox_limits {
	struct outbox_limit limit[OUTBOX_NLIMITS];
	struct outbox_pace pace[OUTBOX_NLIMITS];
};
void outbox_limits_free(struct outbox_limits *);
/* The state of limited kind, or NULL when the kind has no limit. */
struct outbox_pace *outbox_pace(struct outbox_limits *, const char *kind);

/*
 * Composes m and adds it to the outbox (inside the caller's transaction).
 * Returns 0, or -1 on a database error.
 */
int outbox_queue(struct refbot *, int64_t referral_id, const char *kind,
    const struct mailout *m, int64_t *id);
/* The same for m composed already: len bytes of mail. */
int outbox_queue_mail(struct refbot *, int64_t referral_id, const char *kind,
    const struct mailout *m, const char *mail, size_t len, int64_t *id);

/*
 * Sends every pending mail that is due, until none is left or *stop is
 * set, keeping to the limits in lim (set from the configuration here),
 * under the send lock, each mail sent a line in the sent journal first.
 * A limited kind whose failures in a row reach its cap is left halted
 * (its pace's halted set): the caller holds its rows with outbox_hold and
 * tells staff.  Returns the number sent, or -1 when the database failed.
 */
struct smtp;
int outbox_drain(struct refbot *, struct smtp *, struct outbox_limits *lim,
    volatile sig_atomic_t *stop);
/* What became of one mail handed to SMTP, to be recorded in its row. */
enum outbox_outcome { OUTBOX_SENT, OUTBOX_DEFERRED, OUTBOX_FAILED };
struct outbox_note {
	int64_t id;
	enum outbox_outcome outcome;
	int64_t when;		/* sent at, or (deferred) the next attempt */
	char *err;		/* why not sent (owned), or NULL */
};
/* Records n in its row.  Returns 0, or -1 on a database error. */
int outbox_note_record(struct refbot *, const struct outbox_note *n);

/*
 * Where a drain that must not write (the sender thread, sender.h) hands
 * its notes: note() takes n (and n->err) and returns 0, or -1 to stop.
 * It picks only mail after the last it picked (after_at, after_id: a
 * mail sent stays pending until its note is recorded).
 */
struct outbox_handoff {
	int (*note)(void *arg, struct outbox_note *n);
	void *arg;
	int64_t after_at, after_id;
};

/*
 * As outbox_drain, but only mail of the kinds without a limit (not the
 * bulk kind), from a thread beside the main loop (sender.c), which holds
 * the send lock (outbox_send_lock) and hands each outcome to h instead
 * of writing it.  *unwell is set when a temporary failure stopped it.
 */
int outbox_drain_unpaced(struct refbot *, struct smtp *,
    volatile sig_atomic_t *stop, struct outbox_handoff *h, int *unwell);

/*
 * One sender at a time: "newsletter send" on a terminal and the daemon
 * must never both pick up the same row.  Returns the locked descriptor
 * (close it to unlock), -1 when another process holds the lock, or -2
 * when there is no place for a lock file (then nothing else can run
 * there either).
 */
int outbox_send_lock(struct refbot *);

/*
 * The sent journal: whoever sends (the sender thread, a drain, "newsletter
 * send") appends a line for each mail the server accepted before it is
 * recorded sent (sender.h), so that a kill leaves no mail sent and
 * unrecorded.  Only the holder of the send lock writes or empties it, so
 * one process never empties another's lines.
 *
 * outbox_journal_open replays it (each id in it not marked sent yet is
 * so, and the journal emptied) and opens it for appending.  Returns the
 * descriptor, or -1 when the database failed (the journal is kept) or it
 * cannot be opened (logged).
 *
 * outbox_journal_add appends n's line when n is a mail sent, and
 * returns 0, or an errno value: the caller says so (the sender thread
 * writes it where it must not log, thread.h).
 */
int outbox_journal_open(struct refbot *);
int outbox_journal_add(int fd, const struct outbox_note *n);

/*
 * Holds every pending row of the halted kind (inside the caller's
 * transaction, with what tells staff).  Returns the number held, or -1
 * on a database error.  Once that transaction is committed,
 * outbox_halt_done records it: the kind's rows are held, its halt
 * cleared and its streak begins again.
 */
int outbox_hold(struct refbot *, const char *kind);
void outbox_halt_done(struct outbox_pace *, int held);

/* Seconds to wait before attempt number attempts+1 (with jitter). */
int64_t outbox_backoff(int attempts);

#endif
