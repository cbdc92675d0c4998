/*
 * sender: a process beside the main loop that sends the replies a pass
 * over the intake mailbox queues while the pass goes on, so that sending
 * overlaps fetching (SQLite's WAL lets both write side by side).
 */
#ifndef REFBOT_SENDER_H
#define REFBOT_SENDER_H

#include <signal.h>
#include <sys/types.h>

#include "refbot.h"

struct sender {
	pid_t pid;		/* 0: none running */
	int fd;			/* the pipe it waits on */
};

/*
 * Tells the sender that more mail is queued (committed), starting one on
 * first use.  Without a sender (fork failed) the main loop sends it all
 * after the pass, as it always does.
 */
void sender_poke(struct sender *, const struct refbot *,
    volatile sig_atomic_t *stop);

/*
 * Ends the sender and waits for it: it first sends what is due, unless
 * stop is set (SIGTERM: it ends after the mail in hand).
 */
void sender_stop(struct sender *, int stop);

#endif
