/*
 * sender: the outbox drained beside the main loop (sender.h).  It sends
 * only mail without a limit (replies, acknowledgements, staff mail): the
 * paced and halting kinds stay with the main loop, which keeps their
 * state (outbox_limits) across passes and sends the rest after the pass.
 * It never speaks to systemd: the watchdog hears of the main loop only.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "outbox.h"
#include "sender.h"
#include "smtp.h"
#include "thread.h"

/*
 * The thread: drains, then waits to be poked; ends at EOF, or at the
 * first temporary failure (the server is unwell: as in one drain, the
 * rest waits for the next pass).
 */
static void *
sender_main(void *arg)
{
	struct sender *s = arg;
	struct smtp *smtp = smtp_new(&s->own.cfg);
	char buf[64];
	ssize_t n = 1;

	while (!*s->stop && n != 0 && !s->unwell) {
		if (outbox_drain_unpaced(&s->own, smtp, s->stop, &s->turn,
		    &s->unwell) < 0)
			break;
		/* Pokes that came meanwhile are one: read them all. */
		thread_quiet();
		while ((n = read(s->fd[0], buf, sizeof(buf))) < 0 &&
		    errno == EINTR)
			;
		thread_busy();
		if (n < 0)
			break;
	}
	smtp_free(smtp);
	thread_quiet();
	return NULL;
}

static int
sender_start(struct sender *s, const struct refbot *rb,
    volatile sig_atomic_t *stop)
{
	char *err = NULL;
	int rc;

	s->own = *rb;
	/* The main thread's memo may move under it; the sender builds no mail. */
	s->own.memo = NULL;
	s->own.nmemo = 0;
	if (db_open(rb->cfg.database, 0, &s->own.db, &err) != 0) {
		log_warnx("sender: %s", err);
		free(err);
		return -1;
	}
	if (pipe2(s->fd, O_CLOEXEC) != 0) {
		db_close(s->own.db);
		return -1;
	}
	s->stop = stop;
	s->unwell = 0;
	pthread_mutex_init(&s->turn, NULL);
	if ((rc = thread_start(&s->thread, sender_main, s, "sender")) != 0) {
		pthread_mutex_destroy(&s->turn);
		close(s->fd[0]);
		close(s->fd[1]);
		db_close(s->own.db);
		return -1;
	}
	/* A full pipe has pokes enough: never wait on it. */
	(void)fcntl(s->fd[1], F_SETFL, O_NONBLOCK);
	s->running = 1;
	return 0;
}

void
sender_poke(struct sender *s, const struct refbot *rb,
    volatile sig_atomic_t *stop)
{
	if (!s->running && sender_start(s, rb, stop) != 0)
		return;
	if (write(s->fd[1], "", 1) < 0)
		log_debug("sender: poked already (%s)", strerror(errno));
}

void
sender_pause(struct sender *s)
{
	if (s->running && !s->paused) {
		pthread_mutex_lock(&s->turn);
		s->paused = 1;
	}
}

void
sender_resume(struct sender *s)
{
	if (s->paused) {
		s->paused = 0;
		pthread_mutex_unlock(&s->turn);
	}
}

int
sender_stop(struct sender *s)
{
	int unwell;

	if (!s->running)
		return 0;
	sender_resume(s);
	close(s->fd[1]);
	pthread_join(s->thread, NULL);
	close(s->fd[0]);
	pthread_mutex_destroy(&s->turn);
	db_close(s->own.db);
	unwell = s->unwell;
	s->running = 0;
	return unwell;
}
