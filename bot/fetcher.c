/*
 * fetcher: the intake mailbox's messages fetched in batches, by the main
 * loop or by a thread two batches ahead of it during a backlog (fetcher.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fetcher.h"
#include "log.h"
#include "sdnotify.h"
#include "thread.h"
#include "util.h"

/*
 * Bytes one batch may bring: this or 4 x max_message_size, whichever is
 * smaller.  Three batches may be in memory (one decided, two fetched
 * ahead, the server's answer to the last with its copy), so this is two
 * thirds of what it was with one batch ahead: the same peak where the
 * budget is what limits a batch.  It is not for a message over the
 * budget (a batch of its own, up to max_message_size) or for the headers
 * of those over max_message_size (HEADER_MAX each): with two batches
 * ahead such batches can be one more in memory.
 */
#define FETCH_BYTES (8 * 1024 * 1024 / 3)
/* Bytes of header fetched of a message over max_message_size. */
#define HEADER_MAX (128 * 1024)

/* What one fetch asked for, and the batch it fills. */
struct want {
	struct batch *b;
	const uint32_t *uids;
	const uint32_t *sizes;	/* each one's RFC822.SIZE */
	size_t n;
	volatile sig_atomic_t *stop;
};

/*
 * A message fetched: raw is all of it (size 0), or for one over the size
 * limit only its header (size is then the whole message's).
 */
static int
collect(struct want *w, uint32_t uid, const char *raw, size_t len,
    uint64_t size)
{
	struct fetched *f;
	size_t i;

	for (i = 0; i < w->n && w->uids[i] != uid; i++)
		;
	if (i == w->n || w->b->ngot == FETCH_BATCH)	/* not asked for */
		return IMAP_OK;
	f = &w->b->got[w->b->ngot++];
	memset(f, 0, sizeof(*f));
	f->uid = uid;
	f->raw = xmalloc(len + 1);
	memcpy(f->raw, raw, len);
	f->raw[len] = '\0';
	f->len = len;
	f->size = size;
	return *w->stop ? -1 : IMAP_OK;
}

static int
fetched(uint32_t uid, const char *raw, size_t len, void *arg)
{
	return collect(arg, uid, raw, len, 0);
}

/* The header of a message over the size limit; the rest never comes. */
static int
fetched_header(uint32_t uid, const char *hdr, size_t len, void *arg)
{
	struct want *w = arg;
	size_t i;

	for (i = 0; i < w->n && w->uids[i] != uid; i++)
		;
	if (i == w->n || w->sizes[i] == 0)	/* not asked for */
		return IMAP_OK;
	log_debug("uid %u: %u bytes, over the limit: fetched its header only "
	    "(%zu bytes)", uid, w->sizes[i], len);
	return collect(w, uid, hdr, len, w->sizes[i]);
}

/* The batch starting at uids[first]. */
static struct batch *
fetch_batch(struct fetcher *fe, size_t first)
{
	struct batch *b = xcalloc(1, sizeof(*b));
	const uint32_t *uids = fe->uids + first;
	uint32_t sizes[FETCH_BATCH], big[FETCH_BATCH], small[FETCH_BATCH];
	size_t want = fe->n - first < FETCH_BATCH ? fe->n - first : FETCH_BATCH;
	size_t n, nbig = 0, nsmall = 0;
	uint64_t bytes = 0;
	struct want w;

	b->first = first;
	if ((b->rc = imap_fetch_sizes(fe->im, uids, want, sizes, &b->err)) !=
	    IMAP_OK)
		return b;
	/*
	 * Sizes first: a batch holds up to FETCH_BATCH messages and budget
	 * bytes (always one, so every batch advances); of a message over
	 * max_message_size only the header is fetched.
	 */
	for (n = 0; n < want; n++) {
		if (sizes[n] > fe->max) {
			big[nbig++] = uids[n];
			continue;
		}
		if (nsmall > 0 && bytes + sizes[n] > fe->budget)
			break;
		bytes += sizes[n];
		small[nsmall++] = uids[n];
	}
	b->nuids = n;
	log_debug("fetching %zu messages (%llu bytes) and %zu headers",
	    nsmall, (unsigned long long)bytes, nbig);
	w = (struct want){ b, uids, sizes, n, fe->stop };
	b->rc = imap_fetch_headers(fe->im, big, nbig, HEADER_MAX,
	    fetched_header, &w, &b->err);
	if (b->rc == IMAP_OK)
		b->rc = imap_fetch(fe->im, small, nsmall, fetched, &w,
		    &b->err);
	log_debug("fetched uids %u to %u: %zu messages", uids[0],
	    uids[n - 1], b->ngot);
	return b;
}

/*
 * The thread: fetches a batch whenever fewer than FETCH_AHEAD wait for
 * the main loop; ends when the list is done, on a stop, or after a batch
 * whose fetch failed.
 */
static void *
fetcher_main(void *arg)
{
	struct fetcher *fe = arg;
	struct batch *b;
	size_t next;
	int go, rc = IMAP_OK;

	do {
		pthread_mutex_lock(&fe->mu);
		/* Waiting for the main loop, it holds nothing a fork could copy. */
		thread_quiet();
		while (fe->nready == FETCH_AHEAD && !fe->quit)
			pthread_cond_wait(&fe->cv, &fe->mu);
		next = fe->next;
		go = !fe->quit && !*fe->stop && next < fe->n;
		pthread_mutex_unlock(&fe->mu);
		thread_busy();
		if (!go)
			break;
		b = fetch_batch(fe, next);
		rc = b->rc;
		pthread_mutex_lock(&fe->mu);
		fe->ready[fe->nready++] = b;
		fe->next = next + b->nuids;
		pthread_cond_broadcast(&fe->cv);
		pthread_mutex_unlock(&fe->mu);
	} while (rc == IMAP_OK);
	pthread_mutex_lock(&fe->mu);
	fe->done = 1;
	pthread_cond_broadcast(&fe->cv);
	pthread_mutex_unlock(&fe->mu);
	thread_quiet();
	return NULL;
}

void
fetcher_begin(struct fetcher *fe, struct imap *im, const uint32_t *uids,
    size_t n, size_t max_message_size, volatile sig_atomic_t *stop,
    int ahead)
{
	memset(fe, 0, sizeof(*fe));
	fe->im = im;
	fe->uids = uids;
	fe->n = n;
	fe->max = max_message_size;
	fe->budget = fe->max < FETCH_BYTES / 4 ? 4 * fe->max : FETCH_BYTES;
	fe->stop = stop;
	if (!ahead)
		return;
	pthread_mutex_init(&fe->mu, NULL);
	pthread_cond_init(&fe->cv, NULL);
	if (thread_start(&fe->thread, fetcher_main, fe, "fetcher") != 0) {
		pthread_cond_destroy(&fe->cv);
		pthread_mutex_destroy(&fe->mu);
		return;
	}
	fe->running = 1;
}

/* The first batch fetched ahead, taken off the queue (NULL: none). */
static struct batch *
take_ready(struct fetcher *fe)
{
	struct batch *b;

	if (fe->nready == 0)
		return NULL;
	b = fe->ready[0];
	fe->nready--;
	memmove(fe->ready, fe->ready + 1, fe->nready * sizeof(b));
	fe->ready[fe->nready] = NULL;
	return b;
}

struct batch *
fetcher_next(struct fetcher *fe)
{
	struct batch *b;

	if (!fe->running) {
		if ((b = take_ready(fe)) != NULL)	/* the thread's */
			return b;
		if (*fe->stop || fe->next >= fe->n)
			return NULL;
		b = fetch_batch(fe, fe->next);
		fe->next += b->nuids;
		sdnotify_alive();
		return b;
	}
	pthread_mutex_lock(&fe->mu);
	while (fe->nready == 0 && !fe->done)
		thread_wait(&fe->cv, &fe->mu);
	b = take_ready(fe);
	pthread_cond_broadcast(&fe->cv);
	pthread_mutex_unlock(&fe->mu);
	return b;
}

struct imap *
fetcher_conn(const struct fetcher *fe)
{
	return fe->running ? NULL : fe->im;
}

void
fetcher_alone(struct fetcher *fe)
{
	if (!fe->running)
		return;
	pthread_mutex_lock(&fe->mu);
	fe->quit = 1;
	pthread_cond_broadcast(&fe->cv);
	while (!fe->done)
		thread_wait(&fe->cv, &fe->mu);
	pthread_mutex_unlock(&fe->mu);
	pthread_join(fe->thread, NULL);
	fe->running = 0;
	pthread_cond_destroy(&fe->cv);
	pthread_mutex_destroy(&fe->mu);
}

void
fetcher_end(struct fetcher *fe)
{
	fetcher_alone(fe);
	while (fe->nready > 0)
		batch_free(take_ready(fe));
}

void
batch_free(struct batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->ngot; i++)
		free(b->got[i].raw);
	free(b->err);
	free(b);
}
