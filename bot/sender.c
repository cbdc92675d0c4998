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
#include "sender.h"
#include "smtp.h"
#include "thread.h"

/*
 * The thread's outbox_handoff: a mail sent is a line in the journal at
 * once, and n is kept for the main loop, waiting while SENDER_MAX are
 * kept already.  When they can never be recorded (quit), n is dropped:
 * the journal has it.  The line is written under the lock, so that the
 * main loop never empties the journal between it and its note; the
 * thread is quiet meanwhile (thread.h): the main loop may fork while
 * this waits for room (writing the line takes no lock; it is logged
 * after).
 */
static int
sender_note(void *arg, struct outbox_note *n)
{
	struct sender *s = arg;
	int rc = 0, werr;

	thread_quiet();
	pthread_mutex_lock(&s->lock);
	werr = outbox_journal_add(s->journal_fd, n);
	while (s->nnotes == SENDER_MAX && !s->quit)
		pthread_cond_wait(&s->cond, &s->lock);
	if (s->quit)
		rc = -1;
	else {
		s->notes[s->nnotes++] = *n;
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	thread_busy();
	if (werr != 0)
		log_warnx("outbox %lld: sent; the sent journal: %s",
		    (long long)n->id, strerror(werr));
	if (rc != 0)
		free(n->err);
	return rc;
}

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
		if (outbox_drain_unpaced(&s->own, smtp, s->stop, &s->handoff,
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
	/* Quiet from here on: the main loop may hold s->lock. */
	thread_quiet();
	pthread_mutex_lock(&s->lock);
	s->done = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static int
sender_start(struct sender *s, struct refbot *rb,
    volatile sig_atomic_t *stop)
{
	char *err = NULL;

	/* Held until the notes are recorded (sender_stop). */
	if ((s->lock_fd = outbox_send_lock(rb)) == -1) {
		log_debug("sender: another refbot process is sending");
		return -1;
	}
	if ((s->journal_fd = outbox_journal_open(rb)) < 0)
		goto fail;
	s->own = *rb;
	/* The main thread's memo may move under it; the sender builds no mail. */
	s->own.memo = NULL;
	s->own.nmemo = 0;
	if (db_open(rb->cfg.database, 0, &s->own.db, &err) != 0) {
		log_warnx("sender: %s", err);
		free(err);
		goto fail;
	}
	if (pipe2(s->fd, O_CLOEXEC) != 0)
		goto fail_db;
	s->stop = stop;
	s->unwell = s->done = s->quit = 0;
	s->nnotes = 0;
	s->handoff.note = sender_note;
	s->handoff.arg = s;
	s->handoff.after_at = s->handoff.after_id = 0;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (thread_start(&s->thread, sender_main, s, "sender") != 0) {
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		close(s->fd[0]);
		close(s->fd[1]);
		goto fail_db;
	}
	/* A full pipe has pokes enough: never wait on it. */
	(void)fcntl(s->fd[1], F_SETFL, O_NONBLOCK);
	s->running = 1;
	return 0;
fail_db:
	db_close(s->own.db);
	close(s->journal_fd);
fail:
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	return -1;
}

void
sender_poke(struct sender *s, struct refbot *rb,
    volatile sig_atomic_t *stop)
{
	if (!s->running && sender_start(s, rb, stop) != 0)
		return;
	if (write(s->fd[1], "", 1) < 0)
		log_debug("sender: poked already (%s)", strerror(errno));
}

/* sender_record's work, holding s->lock. */
static int
record_locked(struct sender *s, struct refbot *rb)
{
	size_t i;

	if (s->nnotes == 0)
		return 0;
	if (db_begin(rb->db) != 0)
		goto failed;
	for (i = 0; i < s->nnotes; i++)
		if (outbox_note_record(rb, &s->notes[i]) != 0) {
			db_rollback(rb->db);
			goto failed;
		}
	if (db_commit(rb->db) != 0) {
		db_rollback(rb->db);
		goto failed;
	}
	for (i = 0; i < s->nnotes; i++)
		free(s->notes[i].err);
	s->nnotes = 0;
	/* Recorded: the journal's lines are no longer needed. */
	if (ftruncate(s->journal_fd, 0) != 0)
		log_warnx("sender: cannot empty the sent journal: %s",
		    strerror(errno));
	pthread_cond_broadcast(&s->cond);
	return 0;
failed:
	log_warnx("%zu mails sent: cannot record them yet: %s", s->nnotes,
	    db_errmsg(rb->db));
	return -1;
}

int
sender_record(struct sender *s, struct refbot *rb)
{
	int rc;

	if (!s->running)
		return 0;
	pthread_mutex_lock(&s->lock);
	rc = record_locked(s, rb);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
sender_stop(struct sender *s, struct refbot *rb)
{
	size_t i;

	if (!s->running)
		return 0;
	close(s->fd[1]);
	/* Record as it sends, so that it never waits for room for long. */
	pthread_mutex_lock(&s->lock);
	while (!s->done || (s->nnotes > 0 && !s->quit)) {
		if (s->nnotes > 0 && !s->quit) {
			if (record_locked(s, rb) != 0) {
				s->quit = 1;
				pthread_cond_broadcast(&s->cond);
			}
		} else
			thread_wait(&s->cond, &s->lock);
	}
	/* Not recorded: the journal has the mail sent, for a replay. */
	for (i = 0; i < s->nnotes; i++)
		free(s->notes[i].err);
	s->nnotes = 0;
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	close(s->fd[0]);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	db_close(s->own.db);
	close(s->journal_fd);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->running = 0;
	/* The database fails: leave the rest for later. */
	return s->unwell || s->quit;
}
