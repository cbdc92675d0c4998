/*
 * checkpointer: the database's checkpoints taken beside the main loop
 * during a backlog.
 *
 * A checkpoint copies the WAL into the database file and waits for the
 * disk twice (fdatasync); SQLite does it on the connection that commits,
 * so in a backlog the main loop spent about a tenth of its time on it
 * (issue 21), growing with the database (its pages are further apart).
 * A thread with its own connection does it instead, while the main loop
 * goes on deciding: SQLite lets a checkpoint and a writer run side by
 * side in WAL mode.
 */
#ifndef REFBOT_CHECKPOINTER_H
#define REFBOT_CHECKPOINTER_H

#include <pthread.h>

#include "db.h"

struct checkpointer {
	int running;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int due;		/* the main connection asks for one */
	int quit;
	unsigned long taken;	/* checkpoints it took */
	struct db *own;		/* the thread's connection */
	struct db *main;	/* the main loop's, whose checkpoints it takes */
};

/*
 * Takes over main's checkpoints, with a connection of its own to path.
 * Returns 0, or -1 (logged) when it cannot: the main connection then
 * keeps doing them itself.
 */
int checkpointer_start(struct checkpointer *, struct db *main,
    const char *path);
/* Gives them back to the main connection and ends the thread. */
void checkpointer_stop(struct checkpointer *);

#endif
