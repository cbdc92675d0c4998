/*
 * checkpointer: the database's checkpoints beside the main loop
 * (checkpointer.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checkpointer.h"
#include "log.h"
#include "thread.h"

/* On the main thread, inside its commit: only a wake-up. */
static void
due(void *arg)
{
	struct checkpointer *c = arg;

	pthread_mutex_lock(&c->mu);
	c->due = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static void *
checkpointer_main(void *arg)
{
	struct checkpointer *c = arg;
	int quit;

	for (;;) {
		/* Holding nothing while it waits: a fork may go (thread.h). */
		thread_quiet();
		pthread_mutex_lock(&c->mu);
		while (!c->due && !c->quit)
			pthread_cond_wait(&c->cv, &c->mu);
		quit = c->quit;
		c->due = 0;
		pthread_mutex_unlock(&c->mu);
		thread_busy();
		/* At the end the main connection's close takes the rest. */
		if (quit)
			break;
		if (db_checkpoint(c->own) != 0)
			log_warnx("database checkpoint: %s",
			    db_errmsg(c->own));
		else
			c->taken++;
	}
	thread_quiet();
	return NULL;
}

int
checkpointer_start(struct checkpointer *c, struct db *main,
    const char *path)
{
	char *err = NULL;

	memset(c, 0, sizeof(*c));
	if (db_open(path, 0, &c->own, &err) != 0) {
		log_warnx("checkpointer: %s", err);
		free(err);
		return -1;
	}
	c->main = main;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (thread_start(&c->thread, checkpointer_main, c,
	    "checkpointer") != 0) {
		pthread_cond_destroy(&c->cv);
		pthread_mutex_destroy(&c->mu);
		db_close(c->own);
		return -1;
	}
	db_checkpoint_aside(main, due, c);
	c->running = 1;
	return 0;
}

void
checkpointer_stop(struct checkpointer *c)
{
	if (!c->running)
		return;
	db_checkpoint_aside(c->main, NULL, NULL);
	pthread_mutex_lock(&c->mu);
	c->quit = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	log_debug("checkpointer: %lu checkpoints", c->taken);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	db_close(c->own);
	c->running = 0;
}
