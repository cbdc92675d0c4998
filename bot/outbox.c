/* outbox: queueing and draining outbound mail. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>

#include <gnutls/crypto.h>

#include "clock.h"
#include "db_outbox.h"
#include "log.h"
#include "newsletter.h"
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
	struct outmail om;
	int rc;

	memset(&om, 0, sizeof(om));
	om.referral_id = referral_id;
	om.kind = (char *)kind;
	om.mail_from = rb->cfg.envelope_from;
	om.rcpt = (char *)m->to_addr;
	om.message_id = (char *)m->message_id;
	om.data = mailout_compose(m, &om.len);
	rc = db_outbox_add(rb->db, &om, id);
	free(om.data);
	return rc;
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

/* outbox_drain's work, under the sender lock. */
static int
drain(struct refbot *rb, struct smtp *smtp, volatile sig_atomic_t *stop)
{
	struct outmail m;
	int sent = 0, r, bulk;

	while (!*stop) {
		int64_t now = clock_now();
		char *err = NULL;

		sdnotify_alive();	/* one mail at a time is progress */
		r = db_outbox_next_due(rb->db, now, newsletter_may_send(rb),
		    &m);
		if (r < 0) {
			log_warnx("outbox: database: %s", db_errmsg(rb->db));
			return -1;
		}
		if (r == 0)
			break;
		r = smtp_send(smtp, m.mail_from, m.rcpt, m.data, m.len, &err);
		bulk = strcmp(m.kind, NEWSLETTER_KIND) == 0;
		/*
		 * The unavoidable window: the server has the message but we
		 * have not yet recorded it.  Marking it right away, in its
		 * own small transaction, keeps that window to one UPDATE.
		 */
		if (r == SMTP_OK) {
			if (db_outbox_sent(rb->db, m.id, now) != 0) {
				log_warnx("outbox %lld: sent, but recording it "
				    "failed: %s", (long long)m.id,
				    db_errmsg(rb->db));
				outmail_free(&m);
				return -1;
			}
			log_info("outbox %lld: sent %s (referral %lld)",
			    (long long)m.id, m.kind, (long long)m.referral_id);
			sent++;
			if (bulk)
				newsletter_result(rb, &m, 1, NULL);
		} else if (r == SMTP_PERM ||
		    now - m.created_at > OUTBOX_GIVE_UP) {
			log_warnx("outbox %lld: failed permanently: %s",
			    (long long)m.id, err);
			if (db_outbox_fail(rb->db, m.id, err) != 0) {
				free(err);
				outmail_free(&m);
				return -1;
			}
			if (bulk)
				newsletter_result(rb, &m, 0, err);
		} else {
			int64_t next = now + outbox_backoff(m.attempts);
			log_warnx("outbox %lld: will retry in %llds: %s",
			    (long long)m.id, (long long)(next - now), err);
			if (db_outbox_defer(rb->db, m.id, next, err) != 0) {
				free(err);
				outmail_free(&m);
				return -1;
			}
			if (bulk)
				newsletter_result(rb, &m, 0, err);
			free(err);
			outmail_free(&m);
			/* The server is unwell: leave the rest for later. */
			break;
		}
		free(err);
		outmail_free(&m);
	}
	return sent;
}

/*
 * One sender at a time: "newsletter send" on a terminal and the daemon
 * must never both pick up the same row.  Returns the locked descriptor,
 * -1 when another process holds the lock, or -2 when there is no place
 * for a lock file (then nothing else can run there either).
 */
static int
drain_lock(struct refbot *rb)
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

int
outbox_drain(struct refbot *rb, struct smtp *smtp,
    volatile sig_atomic_t *stop)
{
	int lock = drain_lock(rb), sent;

	if (lock == -1) {
		log_debug("outbox: another refbot process is sending");
		return 0;
	}
	sent = drain(rb, smtp, stop);
	if (lock >= 0)
		close(lock);
	return sent;
}
