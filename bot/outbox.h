/*
 * outbox: every mail refbot sends is first a row in the outbox, written in
 * the same transaction as the change that causes it; the sender drains
 * the rows over SMTP, retrying temporary failures with backoff.
 */
#ifndef REFBOT_OUTBOX_H
#define REFBOT_OUTBOX_H

#include <pthread.h>
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

/*
 * Sends every pending mail that is due, until none is left or *stop is
 * set, keeping to the limits in lim (set from the configuration here).
 * A limited kind whose failures in a row reach its cap is left halted
 * (its pace's halted set): the caller holds its rows with outbox_hold and
 * tells staff.  Returns the number sent, or -1 when the database failed.
 */
struct smtp;
int outbox_drain(struct refbot *, struct smtp *, struct outbox_limits *lim,
    volatile sig_atomic_t *stop);
/*
 * As outbox_drain, but only mail of the kinds without a limit (not the
 * bulk kind), from a thread beside the main loop (sender.c): each mail
 * is sent and recorded holding turn, which the main loop holds while it
 * decides a batch, so no mail is in flight while a batch transaction is
 * open (a batch that hangs cannot hold up the recording of a mail the
 * server has).  *unwell is set when a temporary failure stopped it.
 */
int outbox_drain_unpaced(struct refbot *, struct smtp *,
    volatile sig_atomic_t *stop, pthread_mutex_t *turn, int *unwell);

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
