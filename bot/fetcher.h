/*
 * fetcher: the messages of one pass over the intake mailbox fetched in
 * batches, each batch's sizes first, then its bodies (and of a message
 * over max_message_size only its header).
 *
 * During a backlog a thread does it beside the main loop, on the main
 * IMAP connection, which it owns until fetcher_end or fetcher_alone: it
 * fetches the next batch while the main loop decides the current one
 * (issue 21: the main loop waited on the server's answers ~12% of a
 * backlog's time, doing nothing).  It fetches up to FETCH_AHEAD batches
 * ahead, never more: it waits for the main loop to take one before
 * fetching the next, so three batches at most are in memory.  Batches
 * are taken in the order of the list.  A fetch that fails or is stopped
 * by a signal ends the thread; its batch (what came of it) is the last
 * one taken, and says how it ended.  Messages not fetched stay on the server
 * for the next pass.  The thread never speaks to systemd: the main loop
 * tells the watchdog while it waits.
 */
#ifndef REFBOT_FETCHER_H
#define REFBOT_FETCHER_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "filer.h"
#include "imap.h"

#define FETCH_BATCH FILER_BATCH
/*
 * Batches fetched ahead.  Two, not one: while the filer's MOVE runs, the
 * server is slow to answer the fetcher (it shares the two cores, and
 * the mailbox), and one batch ahead left the main loop waiting for the
 * next about 40 times in a backlog of 10,000 (issue 21).
 */
#define FETCH_AHEAD 2

/* A message fetched, held until its batch is handled. */
struct fetched {
	uint32_t uid;
	char *raw;
	size_t len;
	uint64_t size;		/* the whole message's when only its header
				   was fetched, else 0 */
	int64_t row;
	int alone, batched;	/* attempts before this pass: on its own,
				   and in a batch of more than one */
	enum { F_TODO, F_LATER, F_FILE, F_FILE_REJECTED } state;
};

/* One batch: the messages that came, and how its fetch ended. */
struct batch {
	size_t first;		/* its first uid's index in the list, */
	size_t nuids;		/* and the uids it covered (fetched or not) */
	struct fetched got[FETCH_BATCH];
	size_t ngot;
	int rc;			/* IMAP_OK; -1, stopped by a signal between
				   messages; else as imap_fetch */
	char *err;		/* what failed, for an IMAP error (or NULL) */
};

struct fetcher {
	struct imap *im;
	const uint32_t *uids;	/* the pass's list, ascending */
	size_t n;
	size_t next;		/* the index the next batch starts at */
	uint64_t max, budget;	/* max_message_size; bytes a batch holds */
	volatile sig_atomic_t *stop;
	int running;		/* the thread */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *ready[FETCH_AHEAD];	/* fetched ahead, not yet
						   taken, in order */
	size_t nready;
	int done;		/* the thread has ended */
	int quit;		/* asked to end */
};

/*
 * Starts a pass over uids[n] on im (the caller keeps the list until
 * fetcher_end); with ahead, a thread fetches beside the caller (when it
 * cannot start, the caller fetches).  *stop ends the fetching between
 * messages.
 */
void fetcher_begin(struct fetcher *, struct imap *, const uint32_t *uids,
    size_t n, size_t max_message_size, volatile sig_atomic_t *stop,
    int ahead);

/*
 * The next batch in the list's order (fetched now, or taken from the
 * thread, waiting for it a second at a time while telling the
 * watchdog), or NULL when the list is done or a stop was asked for.  The
 * caller frees it with batch_free.
 */
struct batch *fetcher_next(struct fetcher *);

/* The connection, or NULL while the thread owns it. */
struct imap *fetcher_conn(const struct fetcher *);

/*
 * Ends the thread (after the fetch it is in): the connection is the
 * caller's again, the batches it fetched ahead are still the next ones,
 * and the rest are fetched by the caller.
 */
void fetcher_alone(struct fetcher *);

/* Ends the pass: the thread ended, batches not taken freed. */
void fetcher_end(struct fetcher *);

void batch_free(struct batch *);

#endif
