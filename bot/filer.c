/*
 * filer: handled messages moved out of the intake mailbox, by the main
 * loop or by a thread beside it during a backlog (filer.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_messages.h"
#include "filer.h"
#include "log.h"
#include "thread.h"
#include "util.h"

/* Records that the rows were moved, in one transaction. */
static void
record_moved(struct db *db, const int64_t *rows, size_t n)
{
	size_t i;
	int rc;

	if ((rc = db_begin(db)) == 0) {
		for (i = 0; i < n && rc == 0; i++)
			rc = db_message_set_moved(db, rows[i]);
		rc = rc == 0 ? db_commit(db) : rc;
	}
	if (rc != 0) {
		log_warnx("%zu messages: moved, but recording it failed: %s",
		    n, db_errmsg(db));
		db_rollback(db);
	}
}

/*
 * Moves the messages, one MOVE per folder (each alone when a batch move
 * is refused), adding the rows of those moved to moved[*nmoved].
 */
static int
move_batch(const struct config *cfg, struct imap *im,
    const struct filing *todo, size_t ntodo, int64_t *moved, size_t *nmoved)
{
	uint32_t uids[FILER_MAX];
	int64_t rows[FILER_MAX];
	size_t i, n;
	int rej, rc = IMAP_OK;
	char *err = NULL;

	for (rej = 0; rej < 2 && rc != IMAP_ECONN; rej++) {
		const char *folder = rej ? cfg->rejected_folder :
		    cfg->processed_folder;

		for (i = n = 0; i < ntodo && n < FILER_MAX; i++)
			if (todo[i].rejected == rej) {
				uids[n] = todo[i].uid;
				rows[n++] = todo[i].row;
			}
		if (n == 0)
			continue;
		if ((rc = imap_move(im, uids, n, folder, &err)) == IMAP_OK) {
			log_debug("moved %zu messages to %s", n, folder);
			memcpy(moved + *nmoved, rows, n * sizeof(rows[0]));
			*nmoved += n;
			continue;
		}
		log_warnx("%s", err);
		free(err);
		err = NULL;
		for (i = 0; i < n && n > 1 && rc != IMAP_ECONN; i++) {
			if ((rc = imap_move(im, &uids[i], 1, folder, &err)) ==
			    IMAP_OK) {
				moved[(*nmoved)++] = rows[i];
				continue;
			}
			log_warnx("message %lld: %s", (long long)rows[i], err);
			free(err);
			err = NULL;
		}
	}
	return rc == IMAP_ECONN ? IMAP_ECONN : IMAP_OK;
}

int
filer_move(const struct config *cfg, struct imap *im, struct db *db,
    const struct filing *todo, size_t ntodo)
{
	int64_t moved[FILER_MAX];
	size_t n = 0;
	int rc = move_batch(cfg, im, todo, ntodo, moved, &n);

	if (n > 0)
		record_moved(db, moved, n);
	return rc;
}

/*
 * The thread: connects, then files what was handed over once another
 * batch might not fit beside it (FILER_MAX at most: filer_give waits
 * only then, so the two never wait for each other), the rest when asked
 * to end.
 */
static void *
filer_main(void *arg)
{
	struct filer *f = arg;
	struct filing hand[FILER_MAX];
	int64_t moved[FILER_MAX];
	struct imap *im = NULL;
	char *err = NULL;
	size_t n = 0, nmoved;
	int rc = imap_open(&f->cfg, &im, &err);

	if (rc != IMAP_OK) {
		log_warnx("filer: %s", err);
		free(err);
	} else if (imap_uidvalidity(im) != f->uidvalidity) {
		log_warnx("filer: the intake mailbox changed (UIDVALIDITY)");
		rc = IMAP_EBOX;
	}
	pthread_mutex_lock(&f->mu);
	while (rc == IMAP_OK) {
		/* Waiting for a batch, it holds nothing a fork could copy. */
		thread_quiet();
		while (f->nslot + FILER_BATCH <= FILER_MAX && !f->quit)
			pthread_cond_wait(&f->cv, &f->mu);
		n = f->nslot;
		memcpy(hand, f->slot, n * sizeof(hand[0]));
		f->nslot = 0;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		thread_busy();
		if (n == 0) {
			pthread_mutex_lock(&f->mu);
			break;
		}
		nmoved = 0;
		rc = move_batch(&f->cfg, im, hand, n, moved, &nmoved);
		pthread_mutex_lock(&f->mu);
		/* The main loop records them (one writer: no lock waits). */
		if (f->nmoved + nmoved > f->capmoved) {
			f->capmoved = 2 * (f->nmoved + nmoved);
			f->moved = xreallocarray(f->moved, f->capmoved,
			    sizeof(f->moved[0]));
		}
		if (nmoved > 0)	/* f->moved may be NULL: none yet */
			memcpy(f->moved + f->nmoved, moved,
			    nmoved * sizeof(moved[0]));
		f->nmoved += nmoved;
	}
	/* Its connection is gone: the batch in hand goes back. */
	if (rc == IMAP_ECONN && n > 0) {
		memcpy(f->slot + f->nslot, hand, n * sizeof(hand[0]));
		f->nslot += n;
	}
	f->done = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	imap_close(im);
	thread_quiet();
	return NULL;
}

int
filer_start(struct filer *f, const struct refbot *rb, uint32_t uidvalidity)
{
	memset(f, 0, sizeof(*f));
	f->cfg = rb->cfg;
	f->uidvalidity = uidvalidity;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	if (thread_start(&f->thread, filer_main, f, "filer") != 0) {
		pthread_cond_destroy(&f->cv);
		pthread_mutex_destroy(&f->mu);
		return -1;
	}
	f->running = 1;
	return 0;
}

/* Records what the thread moved so far (f->mu held, or the thread gone). */
static void
record_thread_moved(struct filer *f, struct db *db)
{
	if (f->nmoved > 0)
		record_moved(db, f->moved, f->nmoved);
	f->nmoved = 0;
}

int
filer_give(struct filer *f, struct refbot *rb, struct imap *im,
    const struct filing *todo, size_t n)
{
	int rc;

	if (!f->running)
		return im != NULL ? filer_move(&rb->cfg, im, rb->db, todo, n) :
		    FILER_NEEDS_CONN;
	pthread_mutex_lock(&f->mu);
	while (f->nslot + n > FILER_MAX && !f->done)
		thread_wait(&f->cv, &f->mu);
	record_thread_moved(f, rb->db);
	if (!f->done) {
		memcpy(f->slot + f->nslot, todo, n * sizeof(todo[0]));
		f->nslot += n;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		return IMAP_OK;
	}
	pthread_mutex_unlock(&f->mu);
	if (im == NULL)
		return FILER_NEEDS_CONN;
	/* The thread has ended: its batch, then this one, filed here. */
	if ((rc = filer_stop(f, rb, im)) != IMAP_OK)
		return rc;
	return filer_move(&rb->cfg, im, rb->db, todo, n);
}

int
filer_stop(struct filer *f, struct refbot *rb, struct imap *im)
{
	size_t i, n;
	int rc = IMAP_OK;

	if (!f->running)
		return IMAP_OK;
	pthread_mutex_lock(&f->mu);
	f->quit = 1;
	pthread_cond_broadcast(&f->cv);
	while (!f->done)
		thread_wait(&f->cv, &f->mu);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->thread, NULL);
	f->running = 0;
	record_thread_moved(f, rb->db);
	/* What it handed back: filed here (im NULL: on a later pass). */
	for (i = 0; im != NULL && i < f->nslot && rc == IMAP_OK; i += n) {
		n = f->nslot - i < FILER_MAX ? f->nslot - i : FILER_MAX;
		rc = filer_move(&rb->cfg, im, rb->db, f->slot + i, n);
	}
	f->nslot = 0;
	free(f->moved);
	f->moved = NULL;
	f->capmoved = 0;
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	return rc;
}
