/*
 * sender: a thread beside the main loop that sends the replies a pass
 * over the intake mailbox queues while the pass goes on, so that sending
 * overlaps fetching (its own database connection: SQLite's WAL lets both
 * work side by side).
 */
#ifndef REFBOT_SENDER_H
#define REFBOT_SENDER_H

#include <pthread.h>
#include <signal.h>

#include "refbot.h"

struct sender {
	int running;
	pthread_t thread;
	/* Held by the thread while a mail is sent and recorded, and by the
	   main loop while it decides a batch (sender_pause). */
	pthread_mutex_t turn;
	int paused;
	int fd[2];		/* the pipe it is poked through */
	struct refbot own;	/* the configuration, its own database */
	volatile sig_atomic_t *stop;
	int unwell;		/* a temporary SMTP failure stopped it */
};

/*
 * Tells the sender that more mail is queued (committed), starting it on
 * first use.  Without a sender (it could not start) the main loop sends
 * it all after the pass, as it always does.
 */
void sender_poke(struct sender *, const struct refbot *,
    volatile sig_atomic_t *stop);

/*
 * While a batch is decided: no mail is in flight, and none starts, so a
 * batch that hangs never holds up the recording of a mail already sent.
 */
void sender_pause(struct sender *);
void sender_resume(struct sender *);

/*
 * Ends the sender and waits for it: it first sends what is due, unless
 * the stop flag is set (SIGTERM: it ends after the mail in hand).  Returns 1 when
 * a temporary SMTP failure stopped it (the rest waits for the next
 * pass), else 0.
 */
int sender_stop(struct sender *);

#endif
