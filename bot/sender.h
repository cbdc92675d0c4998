/*
 * sender: a thread beside the main loop that sends the replies a pass
 * over the intake mailbox queues while the pass goes on, so that sending
 * overlaps fetching and deciding.  It reads the committed outbox with its
 * own database connection (SQLite's WAL lets it read beside the writer)
 * and writes nothing: what became of each mail it sent is handed to the
 * main loop, the one writer, which records it before its next batch
 * (sender_record) and when the pass ends (sender_stop).  Meanwhile each
 * mail the server accepted is a line in the sent journal (outbox.h),
 * which the next to take the send lock replays: a kill while a batch is
 * decided (a hang, the watchdog) sends none of it again.
 */
#ifndef REFBOT_SENDER_H
#define REFBOT_SENDER_H

#include <pthread.h>
#include <signal.h>

#include "outbox.h"
#include "refbot.h"

/*
 * The most mail sent and not yet recorded (the journal has it): then the
 * thread waits for the main loop.  A bound on memory and on the journal,
 * some batches' replies (an acknowledgement and staff notices for each
 * referral of a fetch batch of 50).
 */
#define SENDER_MAX 1000

struct sender {
	int running;
	pthread_t thread;
	pthread_mutex_t lock;	/* guards notes, nnotes, done, quit */
	pthread_cond_t cond;	/* notes handed, recorded, or the thread done */
	struct outbox_note notes[SENDER_MAX];
	size_t nnotes;
	int done;		/* the thread ended */
	int quit;		/* the notes cannot be recorded: end */
	struct outbox_handoff handoff;
	int lock_fd;		/* the send lock (outbox_send_lock), or -2 */
	int journal_fd;		/* the sent journal (outbox.h), appended to */
	int fd[2];		/* the pipe it is poked through */
	struct refbot own;	/* the configuration, its own database */
	volatile sig_atomic_t *stop;
	int unwell;		/* a temporary SMTP failure stopped it */
};

/*
 * Tells the sender that more mail is queued (committed), starting it on
 * first use.  Without a sender (it could not start, or another process
 * holds the send lock) the main loop sends it all after the pass, as it
 * always does.
 */
void sender_poke(struct sender *, struct refbot *,
    volatile sig_atomic_t *stop);

/*
 * Records what the sender has sent since the last call, in a transaction
 * of its own (the main loop calls it outside any, before each batch).
 * Returns 0, or -1 when the database failed (the notes are kept).
 */
int sender_record(struct sender *, struct refbot *);

/*
 * Ends the sender and waits for it, recording what it sent: it first
 * sends what is due, unless the stop flag is set (SIGTERM: it ends after
 * the mail in hand).  Returns 1 when a temporary SMTP failure stopped it
 * (the rest waits for the next pass), else 0.
 */
int sender_stop(struct sender *, struct refbot *);

#endif
