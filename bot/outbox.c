/*
 * outbox: queueing and draining outbound mail, at the pace the limits
 * per kind allow.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <gnutls/crypto.h>

#include "clock.h"
#include "db_outbox.h"
#include "fault.h"
#include "log.h"
#include "outbox.h"
#include "sdnotify.h"
#include "smtp.h"
#include "util.h"

/* After this long of temporary failures a mail is given up as failed. */
#define OUTBOX_GIVE_UP (5 * 24 * 3600)

int
outbox_queue(struct refbot *rb, int64_t referral_id, const char *kind,
    const struct mailout *m, int64_t *id)
{
	size_t len;
	char *mail = mailout_compose(m, &len);
	int rc = outbox_queue_mail(rb, referral_id, kind, m, mail, len, id);

	free(mail);
	return rc;
}

int
outbox_queue_mail(struct refbot *rb, int64_t referral_id, const char *kind,
    const struct mailout *m, const char *mail, size_t len, int64_t *id)
{
	struct outmail om;

	memset(&om, 0, sizeof(om));
	om.referral_id = referral_id;
	om.kind = (char *)kind;
	om.mail_from = rb->cfg.envelope_from;
	om.rcpt = (char *)m->to_addr;
	om.cc = (char *)m->cc_addr;
	om.message_id = (char *)m->message_id;
	om.data = (char *)mail;
	om.len = len;
	return db_outbox_add(rb->db, &om, id);
}

int64_t
outbox_backoff(int attempts)
{
	int64_t base = 60;
	uint16_t r = 0;

	/* 1, 2, 4, ... minutes, at most an hour; jitter spreads retries. */
	while (attempts-- > 0 && base < 3600)
		base *= 2;
	if (base > 3600)
		base = 3600;
	(void)gnutls_rnd(GNUTLS_RND_NONCE, &r, sizeof(r));
	return base + (int64_t)(r % (base / 4 + 1));
}

/* The limits per kind, as the configuration sets them. */
static void
limits_set(struct outbox_limits *lim, const struct config *cfg)
{
	lim->limit[0].kind = OUTBOX_BULK_KIND;
	lim->limit[0].per_minute = cfg->newsletter_rate;
	lim->limit[0].max_failures = cfg->newsletter_max_failures;
}

void
outbox_limits_free(struct outbox_limits *lim)
{
	size_t i;

	if (lim == NULL)
		return;
	for (i = 0; i < OUTBOX_NLIMITS; i++) {
		free(lim->pace[i].last_error);
		lim->pace[i].last_error = NULL;
	}
}

/* The index of kind's limit, or -1 when the kind has none. */
static int
limit_of(const struct outbox_limits *lim, const char *kind)
{
	int i;

	for (i = 0; i < OUTBOX_NLIMITS; i++)
		if (lim->limit[i].kind != NULL &&
		    strcmp(lim->limit[i].kind, kind) == 0)
			return i;
	return -1;
}

struct outbox_pace *
outbox_pace(struct outbox_limits *lim, const char *kind)
{
	int i = limit_of(lim, kind);

	return i < 0 ? NULL : &lim->pace[i];
}

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whether the bulk kind may send now: not halted, and its turn. */
static int
bulk_may_send(struct outbox_limits *lim)
{
	struct outbox_pace *p = outbox_pace(lim, OUTBOX_BULK_KIND);

	/* Up to a second ahead: the daemon wakes once a second. */
	return !p->halted && p->next <= mono_now() + 1.0;
}

/*
 * One delivery of limited kind i done (ok, or failed for err): the next
 * waits its turn, and at max_failures in a row the kind halts.
 */
static void
paced(struct outbox_limits *lim, int i, const struct outmail *m, int ok,
    const char *err)
{
	const struct outbox_limit *l = &lim->limit[i];
	struct outbox_pace *p = &lim->pace[i];
	double t = mono_now();

	if (p->next < t - 1.0)
		p->next = t;
	p->next += 60.0 / l->per_minute;
	if (ok) {
		p->failures = 0;
		return;
	}
	free(p->last_error);
	p->last_error = xstrdup(err ? err : "?");
	p->last_id = m->id;
	/* The server refuses them all: stop rather than burn the list. */
	if (++p->failures >= l->max_failures)
		p->halted = 1;
}

int
outbox_hold(struct refbot *rb, const char *kind)
{
	return db_outbox_hold(rb->db, kind, 0);
}

void
outbox_halt_done(struct outbox_pace *p, int held)
{
	p->halted = 0;
	p->failures = 0;
	p->held = held;
}

int
outbox_note_record(struct refbot *rb, const struct outbox_note *n)
{
	int r;

	switch (n->outcome) {
	case OUTBOX_SENT:
		/*
		 * A busy database (another process writing) is waited out,
		 * not taken for a failure: the server has the mail.
		 */
		while ((r = db_outbox_sent(rb->db, n->id, n->when)) != 0 &&
		    db_busy(rb->db))
			log_warnx("outbox %lld: sent; the database is busy, "
			    "still recording it", (long long)n->id);
		if (r != 0)
			log_warnx("outbox %lld: sent, but recording it failed: "
			    "%s", (long long)n->id, db_errmsg(rb->db));
		return r != 0 ? -1 : 0;
	case OUTBOX_DEFERRED:
		return db_outbox_defer(rb->db, n->id, n->when, n->err) != 0 ?
		    -1 : 0;
	default:
		return db_outbox_fail(rb->db, n->id, n->err) != 0 ? -1 : 0;
	}
}

/*
 * Sends m and records the outcome (a mail sent first in the sent journal
 * open as journal), or hands it to h.  Returns 1 sent, 0 not (failed), 2
 * deferred (the server is unwell: leave the rest for later), -1 on a
 * database error.
 */
static int
send_one(struct refbot *rb, struct smtp *smtp, struct outbox_limits *lim,
    const struct outmail *m, int64_t now, struct outbox_handoff *h,
    int journal)
{
	struct outbox_note n = { m->id, OUTBOX_SENT, now, NULL };
	int r, e, k = limit_of(lim, m->kind);

	r = smtp_send(smtp, m->mail_from, m->rcpt, m->cc, m->data, m->len,
	    &n.err);
	/*
	 * The unavoidable window: the server has the message but we have
	 * not yet recorded it.  Its line in the sent journal, written at
	 * once, keeps that window to one write(2); then it is marked in its
	 * own small transaction, or the sender thread (which writes the line
	 * in its note) hands it to the main loop, which records it before
	 * its next batch (sender.h).
	 */
	if (r == SMTP_OK) {
		log_info("outbox %lld: sent %s (referral %lld)",
		    (long long)m->id, m->kind, (long long)m->referral_id);
		r = 1;
	} else if (r == SMTP_PERM || now - m->created_at > OUTBOX_GIVE_UP) {
		log_warnx("outbox %lld: failed permanently: %s",
		    (long long)m->id, n.err);
		n.outcome = OUTBOX_FAILED;
		r = 0;
	} else {
		n.outcome = OUTBOX_DEFERRED;
		n.when = now + outbox_backoff(m->attempts);
		log_warnx("outbox %lld: will retry in %llds: %s",
		    (long long)m->id, (long long)(n.when - now), n.err);
		r = 2;
	}
	/*
	 * The pace follows what the server saw, whether or not the outcome
	 * can be recorded below: a mail handed to it took its turn, and its
	 * refusal counts in the streak.  Left out, a database that keeps
	 * failing would have the same mail offered again each pass, never
	 * halting; a mail sent is in the journal either way.
	 */
	if (k >= 0)
		paced(lim, k, m, r == 1, n.err);
	if (h != NULL)
		return h->note(h->arg, &n) != 0 ? -1 : r;
	if ((e = outbox_journal_add(journal, &n)) != 0)
		log_warnx("outbox %lld: sent; the sent journal: %s",
		    (long long)m->id, strerror(e));
	if (r == 1)
		fault_kill_sent(m->kind);	/* test builds only */
	if (outbox_note_record(rb, &n) != 0)
		r = -1;
	free(n.err);
	return r;
}

/*
 * outbox_drain's work, under the send lock.  With h, each outcome is
 * handed to it (see outbox_drain_unpaced), and the watchdog is not told:
 * the main loop's progress is its own to tell; without, each is recorded
 * at once, a mail sent first in the sent journal open as journal.
 */
static int
drain(struct refbot *rb, struct smtp *smtp, struct outbox_limits *lim,
    volatile sig_atomic_t *stop, struct outbox_handoff *h, int journal,
    int *unwell)
{
	struct outmail m;
	int sent = 0, r;

	limits_set(lim, &rb->cfg);
	while (!*stop) {
		int64_t now = clock_now();

		if (h == NULL) {
			sdnotify_alive();	/* one mail at a time is progress */
			r = db_outbox_next_due(rb->db, now, bulk_may_send(lim),
			    &m);
		} else
			r = db_outbox_next_due_after(rb->db, now, h->after_at,
			    h->after_id, &m);
		if (r < 0) {
			log_warnx("outbox: database: %s", db_errmsg(rb->db));
			return -1;
		}
		if (r == 0)
			break;
		if (h != NULL) {
			h->after_at = m.next_attempt_at;
			h->after_id = m.id;
		}
		r = send_one(rb, smtp, lim, &m, now, h, journal);
		outmail_free(&m);
		if (r < 0)
			return -1;
		if (r == 2) {
			*unwell = 1;
			break;
		}
		sent += r;
	}
	return sent;
}

int
outbox_send_lock(struct refbot *rb)
{
	char *path = xasprintf("%s.send-lock", rb->cfg.database);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	free(path);
	if (fd < 0)
		return -2;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static char *
journal_path(const struct refbot *rb)
{
	return xasprintf("%s.sent-journal", rb->cfg.database);
}

/*
 * Marks each mail in the journal at path sent, once, and empties it.
 * Returns 0, or -1 on a database error (the journal is kept).
 */
static int
journal_replay(struct refbot *rb, const char *path)
{
	char *line = NULL, *end;
	size_t cap = 0;
	long long id, at;
	int n = 0, rc = 0;
	FILE *f = fopen(path, "re");
	struct stat st;

	/* Empty, as it is after every drain: nothing to take the lock for. */
	if (f == NULL || (fstat(fileno(f), &st) == 0 && st.st_size == 0)) {
		if (f != NULL)
			fclose(f);
		return 0;
	}
	if (db_begin(rb->db) != 0)
		rc = -1;
	/* "ID SENT-AT" a line; a line cut short by a kill is skipped. */
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		id = strtoll(line, &end, 10);
		if (end == line || *end != ' ')
			continue;
		at = strtoll(end + 1, &end, 10);
		if (*end != '\n')
			continue;
		if (db_outbox_sent(rb->db, id, at) != 0)
			rc = -1;
		else
			n++;
	}
	free(line);
	fclose(f);
	if (rc == 0 && db_commit(rb->db) == 0) {
		if (n > 0)
			log_info("outbox: %d mails sent before a restart recorded "
			    "from the sent journal", n);
		if (truncate(path, 0) != 0)
			log_warnx("outbox: cannot empty the sent journal");
	} else {
		log_warnx("outbox: cannot replay the sent journal: %s",
		    db_errmsg(rb->db));
		db_rollback(rb->db);
		rc = -1;
	}
	return rc;
}

int
outbox_journal_open(struct refbot *rb)
{
	char *path = journal_path(rb);
	int fd = -1;

	if (journal_replay(rb, path) == 0 && (fd = open(path, O_WRONLY |
	    O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0)
		log_warnx("outbox: cannot open the sent journal %s: %s", path,
		    strerror(errno));
	free(path);
	return fd;
}

int
outbox_journal_add(int fd, const struct outbox_note *n)
{
	char line[64];
	int len;
	ssize_t w;

	if (n->outcome != OUTBOX_SENT)
		return 0;
	len = snprintf(line, sizeof(line), "%lld %lld\n", (long long)n->id,
	    (long long)n->when);
	if ((w = write(fd, line, (size_t)len)) == len)
		return 0;
	return w < 0 ? errno : EIO;
}

int
outbox_drain(struct refbot *rb, struct smtp *smtp,
    struct outbox_limits *lim, volatile sig_atomic_t *stop)
{
	int lock = outbox_send_lock(rb), journal, sent, unwell = 0;

	if (lock == -1) {
		log_debug("outbox: another refbot process is sending");
		return 0;
	}
	/* Only the holder of the send lock writes or empties the journal. */
	if ((journal = outbox_journal_open(rb)) < 0) {
		if (lock >= 0)
			close(lock);
		return -1;
	}
	sent = drain(rb, smtp, lim, stop, NULL, journal, &unwell);
	/* Each line recorded: none is needed any longer. */
	if (sent >= 0 && ftruncate(journal, 0) != 0)
		log_warnx("outbox: cannot empty the sent journal: %s",
		    strerror(errno));
	close(journal);
	if (lock >= 0)
		close(lock);
	return sent;
}

int
outbox_drain_unpaced(struct refbot *rb, struct smtp *smtp,
    volatile sig_atomic_t *stop, struct outbox_handoff *h, int *unwell)
{
	struct outbox_limits lim;
	int sent;

	memset(&lim, 0, sizeof(lim));
	sent = drain(rb, smtp, &lim, stop, h, -1, unwell);
	outbox_limits_free(&lim);
	return sent;
}
