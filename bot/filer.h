/*
 * filer: moving handled messages out of the intake mailbox (to the
 * processed or rejected folder) and recording that they were moved.
 *
 * During a backlog a thread does it beside the main loop, on its own IMAP
 * connection, so that the server's work on one batch's MOVE overlaps the
 * fetching and deciding of the next (issue 21: the MOVEs were a third of
 * a backlog's time on the clock).  The main loop records what it moved
 * when it hands over the next batch: the database keeps one writer (a
 * second one waits in SQLite's sleeps).  A message is filed only after
 * its handling is committed; one whose move is lost (a dropped
 * connection, a crash) is still recorded as handled and is filed on a
 * later pass, never handled twice; one moved whose move was not yet
 * recorded at a crash is gone from the mailbox, handled.
 */
#ifndef REFBOT_FILER_H
#define REFBOT_FILER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "imap.h"
#include "refbot.h"

#define FILER_BATCH 50
/*
 * The thread moves batches together, up to this many messages at a time
 * (what it holds when one more batch might not fit; what is left at the
 * end): the server's work on a MOVE grows with the mailbox, not with the
 * messages moved (Dovecot re-reads the folder's directory and rewrites
 * its index, on this connection and again on the fetcher's), so one MOVE
 * of 500 costs it about what one of 50 does.
 * Measured on a backlog of 10,000 (bench/fetch_floor -b): 3.3 s moving
 * 50 at a time, 1.1 s moving 500.  The price is that handled mail stays
 * in the intake mailbox a little longer during a backlog, recorded as
 * handled, as after a crash.
 */
#define FILER_MAX (10 * FILER_BATCH)

/* A message handled and recorded, waiting to be moved with its batch. */
struct filing {
	uint32_t uid;
	int64_t row;
	int rejected;		/* to the rejected folder, else processed */
};

struct filer {
	int running;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* The batches handed over; and those the thread held when its
	   connection was lost, handed back. */
	struct filing slot[2 * FILER_MAX];
	size_t nslot;
	int done;		/* the thread has ended (its connection is
				   gone or could not be opened) */
	int quit;		/* asked to end once the slot is empty */
	int64_t *moved;		/* rows it moved, for the main loop to */
	size_t nmoved, capmoved;	/* record */
	uint32_t uidvalidity;	/* the main connection's */
	struct config cfg;
};

/*
 * Moves n handled messages (at most FILER_MAX) on im, one MOVE per
 * folder, and records it in db.  When a batch move is refused, each
 * message is tried alone, so one bad message does not hold back the
 * others.  Returns IMAP_ECONN if the connection is gone, else IMAP_OK (a
 * message that could not be moved is filed on a later pass).
 */
int filer_move(const struct config *, struct imap *, struct db *,
    const struct filing *, size_t n);

/*
 * Starts the thread for a backlog: it connects while the first batch is
 * fetched.  uidvalidity is the main connection's; the thread files
 * nothing if its own differs.  Returns 0, or -1 (then the caller files
 * on its own connection, as filer_give tells it).
 */
int filer_start(struct filer *, const struct refbot *, uint32_t uidvalidity);

/*
 * Hands n filings (at most FILER_BATCH) to the thread, waiting only
 * while they would not fit beside those it holds not yet taken (it takes
 * them then).  Without a thread (never started, or its connection is
 * gone) they are filed now on im, the main loop's connection, and rb's
 * database, with what the thread handed back.  Returns as filer_move; or, when im is NULL (another thread
 * uses it: fetcher.h) and it is needed, FILER_NEEDS_CONN, nothing done:
 * then call again with it.
 */
#define FILER_NEEDS_CONN (-2)
int filer_give(struct filer *, struct refbot *, struct imap *,
    const struct filing *, size_t n);

/*
 * Waits until the thread has filed everything handed to it and ends it,
 * closing its connections; what it handed back is filed on im (NULL: on
 * a later pass).  Returns as filer_move.
 */
int filer_stop(struct filer *, struct refbot *, struct imap *);

#endif
