/* run: the main loop of "refbot run". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>	/* mallopt */
#endif

#include "clock.h"
#include "db_messages.h"
#include "db_outbox.h"
#include "digest.h"
#include "checkpointer.h"
#include "fault.h"
#include "fetcher.h"
#include "filer.h"
#include "imap.h"
#include "intake.h"
#include "log.h"
#include "newsletter.h"
#include "notify.h"
#include "outbox.h"
#include "retention.h"
#include "run.h"
#include "sdnotify.h"
#include "sender.h"
#include "sla.h"
#include "stall.h"
#include "smtp.h"
#include "review.h"
#include "statement.h"
#include "survey_send.h"
#include "util.h"

#define IDLE_RENEW (25 * 60)	/* servers may drop IDLE after 30 min */

struct runner {
	struct refbot *rb;
	struct imap *im;
	struct smtp *smtp;
	volatile sig_atomic_t *stop;
	int retry;		/* messages left for a later pass */
	struct filing todo[FETCH_BATCH];
	size_t ntodo;
	struct fetched *got;	/* the batch fetched */
	size_t ngot;
	size_t ahead;		/* got[0..ahead) told to the parser already */
	struct sender sender;	/* sends while the next batch comes */
	struct filer filer;	/* files while the next batch comes */
	struct fetcher fetch;	/* fetches the next batches meanwhile */
	struct checkpointer ckpt;	/* checkpoints while it is decided */
	/* The outbox's pace per kind: kept across reloads. */
	struct outbox_limits limits;
};

static int
imap_exit_code(int rc)
{
	switch (rc) {
	case IMAP_EAUTH: return EX_NOPERM_;
	case IMAP_ETLS: return EX_PROTOCOL_;
	case IMAP_EBOX: return EX_CONFIG_;
	default: return EX_UNAVAILABLE_;
	}
}

/*
 * Moves the handled messages of one batch out of the intake mailbox, or
 * has the filer do it.  Returns IMAP_ECONN if the connection is gone,
 * else IMAP_OK (a message that could not be moved is filed on a later
 * pass).
 */
static int
file_messages(struct runner *r)
{
	int rc = r->ntodo ? filer_give(&r->filer, r->rb,
	    fetcher_conn(&r->fetch), r->todo, r->ntodo) : IMAP_OK;

	/* The filer's connection is gone: the fetcher's is ours again. */
	if (rc == FILER_NEEDS_CONN) {
		fetcher_alone(&r->fetch);
		rc = filer_give(&r->filer, r->rb, r->im, r->todo, r->ntodo);
	}
	r->ntodo = 0;
	return rc;
}

/*
 * Queues a handled message for file_messages() (which runs now if the
 * queue is full, should a server answer more than it was asked for).
 */
static int
file_later(struct runner *r, int64_t row, uint32_t uid, int rejected)
{
	if (r->ntodo == FETCH_BATCH && file_messages(r) == IMAP_ECONN)
		return IMAP_ECONN;
	r->todo[r->ntodo].uid = uid;
	r->todo[r->ntodo].row = row;
	r->todo[r->ntodo++].rejected = rejected;
	return IMAP_OK;
}

static int
rejected_disposition(const char *disposition)
{
	return strcmp(disposition, "unreadable") == 0 ||
	    strcmp(disposition, "too-large") == 0 ||
	    strcmp(disposition, "quarantined") == 0;
}

/*
 * Stores the new messages of the batch in one transaction, and finds
 * those handled before (a crash or a failed move came after): they are
 * only filed.
 */
static void
store_batch(struct runner *r)
{
	struct refbot *rb = r->rb;
	struct fetched *f;
	char *disp;
	size_t i;
	int found, moved;

	r->ahead = 0;
	if (db_begin(rb->db) != 0)
		goto failed;
	for (i = 0; i < r->ngot; i++) {
		f = &r->got[i];
		disp = NULL;
		found = db_message_lookup(rb->db, rb->cfg.imap_mailbox,
		    imap_uidvalidity(r->im), f->uid, &f->row, &disp, &moved,
		    &f->alone, &f->batched);
		if (found < 0) {
			log_warnx("uid %u: database: %s", f->uid,
			    db_errmsg(rb->db));
			f->state = F_LATER;
		} else if (found == 0) {
			f->alone = f->batched = 0;
			if (db_message_insert(rb->db, rb->cfg.imap_mailbox,
			    imap_uidvalidity(r->im), f->uid, f->raw, f->len,
			    f->size ? f->size : f->len, &f->row) != 0) {
				log_warnx("uid %u: cannot store the message, "
				    "leaving it on the server: %s", f->uid,
				    db_errmsg(rb->db));
				f->state = F_LATER;
			} else {
				log_info("message %lld: stored (uid %u, %llu "
				    "bytes%s)", (long long)f->row, f->uid,
				    (unsigned long long)(f->size ? f->size :
				    f->len), f->size ? ", header only" : "");
				/*
				 * A run of new messages from the first is
				 * decided first, in order, and tried for the
				 * first time (attempt 0): the parser can start
				 * on it while the batch is committed (issue
				 * 21).
				 */
				if (i == r->ahead) {
					intake_next(rb, f->raw, f->len, 0);
					r->ahead++;
				}
			}
		} else if (strcmp(disp, "pending") != 0)
			f->state = rejected_disposition(disp) ?
			    F_FILE_REJECTED : F_FILE;
		free(disp);
	}
	if (db_commit(rb->db) == 0)
		return;
failed:
	log_warnx("%zu messages: cannot store them, leaving them on the "
	    "server: %s", r->ngot, db_errmsg(rb->db));
	db_rollback(rb->db);
	intake_next_end();
	r->ahead = 0;
	for (i = 0; i < r->ngot; i++)
		r->got[i].state = F_LATER;
}

/*
 * Decides n messages of the batch (indexes into r->got), with the
 * transaction open, their results in res; stops early if the
 * transaction is doomed (one failed in a flat one: handle_group).
 */
static void
decide_group(struct runner *r, const size_t *idx, size_t n,
    const int *counts, enum intake_result *res)
{
	struct refbot *rb = r->rb;
	struct fetched *f;
	size_t i;

	/*
	 * They are parsed ahead while those before them are decided (the
	 * header alone of one too large: intake_too_large parses that);
	 * store_batch told the first ones.
	 */
	for (i = 0; i < n; i++)
		if (idx[i] >= r->ahead)
			intake_next(rb, r->got[idx[i]].raw,
			    r->got[idx[i]].len, counts[i]);
	for (i = 0; i < n && !db_doomed(rb->db); i++) {
		/* The previous message is done: the loop makes progress. */
		sdnotify_alive();
		f = &r->got[idx[i]];
		fault_slow_decide(f->raw, f->len);	/* test builds only */
		res[i] = f->size ? intake_too_large(rb, f->row, f->raw, f->len,
		    f->size, counts[i]) : intake_process(rb, f->row, f->raw,
		    f->len, counts[i]);
		if (res[i] == INTAKE_CONFIG)
			log_warnx("message %lld: left for later: the %s mail "
			    "text cannot be built; fix it (refbot doctor "
			    "checks it)", (long long)f->row, rb->text_failed);
	}
	intake_next_end();
	r->ahead = 0;
}

/*
 * Handles n messages of the batch (indexes into r->got) in one
 * transaction.  Their attempts are counted first, in a commit of their
 * own, so that a group that kills the process (a crash, the watchdog) is
 * known on the next pass.  Each message's own work is a level of the
 * transaction that takes no savepoint (db_begin_flat: a savepoint copies
 * every page it changes, a third of a decision's database work); if one
 * message fails, the group's work is rolled back and done again with a
 * savepoint each, so that the one that failed is left for later alone.
 */
static void
handle_group(struct runner *r, const size_t *idx, size_t n)
{
	struct refbot *rb = r->rb;
	int64_t rows[FETCH_BATCH];
	int counts[FETCH_BATCH];
	enum intake_result res[FETCH_BATCH];
	size_t i;

	for (i = 0; i < n; i++)
		rows[i] = r->got[idx[i]].row;
	/*
	 * What the sender sent meanwhile is recorded first, so that a batch
	 * that hangs or dies holds up the recording of no more than the
	 * mail sent while it is decided (sender.h).
	 */
	(void)sender_record(&r->sender, rb);
	for (i = 0; i < n; i++)	/* test builds only */
		if (fault_fail_attempts(r->got[idx[i]].raw, r->got[idx[i]].len))
			goto later;
	if (db_message_attempts(rb->db, rows, n, counts) != 0 ||
	    db_begin_flat(rb->db) != 0) {
		log_warnx("%zu messages: database: %s", n, db_errmsg(rb->db));
		goto later;
	}
	decide_group(r, idx, n, counts, res);
	if (db_doomed(rb->db)) {
		log_warnx("%zu messages: one was not processed; deciding them "
		    "again, each on its own", n);
		db_rollback(rb->db);
		if (db_begin(rb->db) != 0) {
			log_warnx("%zu messages: database: %s", n,
			    db_errmsg(rb->db));
			goto later;
		}
		decide_group(r, idx, n, counts, res);
	}
	if (db_commit(rb->db) != 0) {
		log_warnx("%zu messages: not processed, will retry: %s", n,
		    db_errmsg(rb->db));
		db_rollback(rb->db);
		goto later;
	}
	/* What this group queued goes out while the next is decided. */
	sender_poke(&r->sender, rb, r->stop);
	for (i = 0; i < n; i++)
		r->got[idx[i]].state = res[i] == INTAKE_PROCESSED ? F_FILE :
		    res[i] == INTAKE_REJECTED ? F_FILE_REJECTED : F_LATER;
	return;
later:
	/* Not decided: what store_batch told the parser is not asked. */
	intake_next_end();
	r->ahead = 0;
	for (i = 0; i < n; i++)
		r->got[idx[i]].state = F_LATER;
}

/*
 * The group a message goes in: 0, one of messages never tried before; 1,
 * the halves of a batch that failed (the process died); 2, alone, after
 * two failed batches or once it failed alone.
 */
static int
tier(const struct fetched *f)
{
	if (f->alone > 0)
		return 2;
	return f->batched < 2 ? f->batched : 2;
}

/*
 * Handles the batch fetched: stored, then decided in as few transactions
 * as is safe, then queued for filing.  Messages go in one group until a
 * group they were in failed: then in halves on the next pass, then one
 * by one, so that one poison message is found and quarantined after its
 * usual attempts alone (intake.c), the others in its batch going through
 * meanwhile, and a kill from outside (SIGKILL, a reboot) mid-batch costs
 * no message its quarantine count.
 */
static int
handle_batch(struct runner *r)
{
	size_t idx[FETCH_BATCH], i, k, n, max, half = 0;
	int rc = IMAP_OK, t;

	store_batch(r);
	for (i = 0; i < r->ngot; i++)
		if (r->got[i].state == F_TODO && tier(&r->got[i]) == 1)
			half++;
	for (i = 0; i < r->ngot && !*r->stop; i = k) {
		k = i + 1;
		if (r->got[i].state != F_TODO)
			continue;
		t = tier(&r->got[i]);
		max = t == 0 ? FETCH_BATCH : t == 1 ? (half + 1) / 2 : 1;
		/* A run of messages of one tier, in the order they came. */
		for (k = i, n = 0; k < r->ngot && n < max; k++) {
			if (r->got[k].state != F_TODO)
				continue;
			if (tier(&r->got[k]) != t)
				break;
			idx[n++] = k;
		}
		if (n > 0)
			handle_group(r, idx, n);
	}
	/* What store_batch told and no group asked (a group failed). */
	intake_next_end();
	r->ahead = 0;
	for (i = 0; i < r->ngot; i++) {
		struct fetched *f = &r->got[i];

		if (f->state == F_TODO || f->state == F_LATER)
			r->retry++;
		else if (rc == IMAP_OK)
			rc = file_later(r, f->row, f->uid,
			    f->state == F_FILE_REJECTED);
	}
	r->ngot = 0;
	return rc;
}

/* One pass over the intake mailbox (process_mailbox). */
static int
process_batches(struct runner *r)
{
	uint32_t *uids = NULL;
	size_t n = 0, i, k, at = 0;
	struct batch *b;
	char *err = NULL;
	int rc, tty;

	r->retry = 0;
	if ((rc = imap_search_all(r->im, &uids, &n, &err)) != IMAP_OK) {
		log_warnx("%s", err);
		free(err);
		return rc;
	}
	/*
	 * Mail filed before stays visible (flagged \Deleted) on a server
	 * with neither MOVE nor UIDPLUS: leave it alone rather than copy it
	 * to the folder again on every pass.
	 */
	for (i = k = 0; i < n; i++) {
		int64_t row;
		char *disp = NULL;
		int moved = 0, alone, batched;

		if (db_message_lookup(r->rb->db, r->rb->cfg.imap_mailbox,
		    imap_uidvalidity(r->im), uids[i], &row, &disp, &moved,
		    &alone, &batched) > 0 &&
		    moved) {
			free(disp);
			continue;
		}
		free(disp);
		uids[k++] = uids[i];
	}
	n = k;
	sdnotify_alive();
	if (n > 0) {
		log_debug("%zu messages in the intake mailbox", n);
		sdnotify_status("processing %zu messages", n);
	}
	/* A backlog shows progress on a terminal, and nothing elsewhere. */
	tty = n >= 2 * FETCH_BATCH && isatty(STDERR_FILENO);
	/*
	 * A backlog is filed beside the fetching (filer.h), fetched
	 * beside the deciding (fetcher.h) while the filer has a connection
	 * of its own, and the database checkpointed beside the deciding
	 * (checkpointer.h).
	 */
	if (n > FETCH_BATCH && !*r->stop) {
		(void)filer_start(&r->filer, r->rb, imap_uidvalidity(r->im));
		(void)checkpointer_start(&r->ckpt, r->rb->db,
		    r->rb->cfg.database);
	}
	fetcher_begin(&r->fetch, r->im, uids, n, r->rb->cfg.max_message_size,
	    r->stop, r->filer.running);
	while (!*r->stop && (b = fetcher_next(&r->fetch)) != NULL) {
		if (tty)
			fprintf(stderr, "\rrefbot: %zu of %zu messages",
			    b->first, n);
		at = b->first + b->nuids;
		r->got = b->got;
		r->ngot = b->ngot;
		r->ntodo = 0;
		rc = b->rc;
		/* What came is handled even when the fetch ended early. */
		if (handle_batch(r) == IMAP_ECONN && rc == IMAP_OK)
			rc = IMAP_ECONN;
		/* What was handled is filed even when the fetch ended early. */
		if (rc != IMAP_ECONN && file_messages(r) == IMAP_ECONN &&
		    rc == IMAP_OK)
			rc = IMAP_ECONN;
		else if (rc != IMAP_OK && rc != -1)
			log_warnx("%s", b->err ? b->err : "IMAP fetch failed");
		/* A backlog's lines come a batch at a time (log.h). */
		log_flush();
		batch_free(b);
		if (rc != IMAP_OK)
			break;
	}
	fetcher_end(&r->fetch);
	r->got = NULL;
	if (tty)
		fprintf(stderr, "\rrefbot: %zu of %zu messages\n", at, n);
	free(uids);
	return rc == -1 ? IMAP_OK : rc;	/* -1: stopped by a signal */
}

/*
 * One pass over the intake mailbox; what the filer was given is filed
 * before it ends.
 */
static int
process_mailbox(struct runner *r)
{
	int rc = process_batches(r), frc;

	frc = filer_stop(&r->filer, r->rb, rc == IMAP_ECONN ? NULL : r->im);
	checkpointer_stop(&r->ckpt);
	return rc == IMAP_OK && frc == IMAP_ECONN ? IMAP_ECONN : rc;
}

static int
connect_imap(struct runner *r, int once)
{
	char *err = NULL;
	int rc;

	if ((rc = imap_open(&r->rb->cfg, &r->im, &err)) != IMAP_OK) {
		log_warnx("%s", err);
		free(err);
		return rc;
	}
	log_info("connected to IMAP %s:%d, mailbox %s%s",
	    r->rb->cfg.imap.host, r->rb->cfg.imap.port,
	    r->rb->cfg.imap_mailbox, imap_has_idle(r->im) && !once &&
	    r->rb->cfg.use_idle ? " (IDLE)" : "");
	return IMAP_OK;
}

/*
 * Sleeps up to seconds, waking each second to check *stop and to tell
 * the watchdog the daemon is alive.
 */
static void
nap(volatile sig_atomic_t *stop, int seconds)
{
	log_flush();	/* what was logged shows while it sleeps */
	while (seconds-- > 0 && !*stop) {
		sdnotify_alive();
		sleep(1);
	}
}

/* Seconds until the outbox next has something due, capped at cap. */
static int
outbox_wait(struct refbot *rb, int cap)
{
	int64_t when, now = clock_now();

	if (db_outbox_next_time(rb->db, &when) != 1)
		return cap;
	if (when <= now)
		return 1;
	return when - now < cap ? (int)(when - now) : cap;
}

/*
 * SIGHUP: the configuration and every text are read and checked again; a
 * new set that does not load is refused whole (the log names the file
 * and line) and the running one kept.  A good one replaces the old
 * between messages, when nothing holds the old texts any more, and the
 * old set is freed.
 */
static void
reload(struct runner *r)
{
	struct refbot fresh;
	char *err = NULL;

	sdnotify_reloading();
	if (refbot_open(&fresh, r->rb->cfg.path, 0, &err) != 0) {
		log_warnx("reload refused, keeping the running configuration: "
		    "%s", err);
		free(err);
		sdnotify_ready();
		return;
	}
	/* Connections and the parser child hold the old configuration. */
	intake_probe_stop();
	imap_close(r->im);
	r->im = NULL;
	smtp_free(r->smtp);
	refbot_close(r->rb);
	*r->rb = fresh;
	r->smtp = smtp_new(&r->rb->cfg);
	log_info("configuration and templates reloaded");
	sdnotify_ready();
}

/*
 * Sends what is due.  When the outbox halted the newsletter (failures in
 * a row), the rest is held and staff are told, and that mail goes out
 * in this pass too; so does the notice of a mail refused for good.
 * Returns the number sent, or -1 (database error).
 */
static int
send_outbox(struct runner *r)
{
	int sent, more, told;

	if ((sent = outbox_drain(r->rb, r->smtp, &r->limits, r->stop)) < 0)
		return -1;
	if (newsletter_halted(r->rb, &r->limits) == 1) {
		if ((more = outbox_drain(r->rb, r->smtp, &r->limits,
		    r->stop)) < 0)
			return -1;
		sent += more;
	}
	/* Mail refused for good (by whoever sent it) is told to staff. */
	if ((told = notify_undelivered(r->rb)) <= 0)
		return told < 0 ? -1 : sent;
	if ((more = outbox_drain(r->rb, r->smtp, &r->limits, r->stop)) < 0)
		return -1;
	return sent + more;
}

/*
 * The status line while sending or waiting ("idle; 0 pending in
 * outbox"): the outbox is what an operator asks about.
 */
static void
status_outbox(struct refbot *rb, const char *doing)
{
	int64_t n = db_outbox_pending_count(rb->db);

	if (n < 0)
		sdnotify_status("%s; outbox unreadable (database error)",
		    doing);
	else
		sdnotify_status("%s; %lld pending in outbox", doing,
		    (long long)n);
}

int
run(struct refbot *rb, int once, volatile sig_atomic_t *stop,
    volatile sig_atomic_t *hup, volatile sig_atomic_t *wake)
{
	struct runner r;
	int rc, backoff = 5, changed, wait, status = EX_OK_, unwell;
	char *err = NULL;

	memset(&r, 0, sizeof(r));
	r.rb = rb;
	r.stop = stop;
	r.smtp = smtp_new(&rb->cfg);
#ifdef __GLIBC__
	/*
	 * Issue 21: by default glibc hands the top of the heap back to the
	 * kernel whenever 128 KiB of it is free, and each message's work
	 * then faults it back in: ~120 page faults a message, a quarter of
	 * ingest's CPU.  Up to 32 MiB freed stays ours; peak memory is the
	 * same.
	 */
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
#endif

	/*
	 * Ready once the configuration is loaded and the database open,
	 * before the first IMAP connection: an IMAP outage then shows as a
	 * status line ("IMAP down, retrying") on a running service, instead
	 * of a start that times out and restarts in a loop.
	 */
	if (!once) {
		sdnotify_init();
		sdnotify_ready();
	}
	while (!*stop) {
		sdnotify_alive();
		if (*hup) {
			*hup = 0;
			*wake = 0;
			reload(&r);
		}
		*wake = *stop || *hup;
		if (r.im == NULL) {
			if (!once)
				sdnotify_status("connecting to IMAP");
			rc = connect_imap(&r, once);
			if (rc != IMAP_OK) {
				if (once) {
					/* Still send what is queued. */
					send_outbox(&r);
					status = imap_exit_code(rc);
					break;
				}
				log_info("reconnecting in %ds", backoff);
				sdnotify_status("IMAP down, retrying in %d s",
				    backoff);
				nap(wake, backoff);
				backoff = backoff < 300 ? backoff * 2 : 600;
				continue;
			}
			backoff = 5;
		}
		/* Before any lookup (a lengthened protection_days). */
		if (intake_window_tidy(rb) != 0)
			log_warnx("duplicate detection's window: %s",
			    db_errmsg(rb->db));
		rc = process_mailbox(&r);
		/*
		 * It sends what is due, then the limited kinds go below,
		 * unless the server failed it (then all waits, as it would
		 * after one failure in one drain).
		 */
		unwell = sender_stop(&r.sender, rb);
		if (rc == IMAP_ECONN) {
			imap_close(r.im);
			r.im = NULL;
			if (once) {
				status = EX_UNAVAILABLE_;
				break;
			}
			continue;
		}
		/* Reminders are queued first so this pass sends them. */
		if ((sla_run(rb) < 0 || stall_run(rb, clock_now()) < 0 ||
		    digest_run(rb, clock_now()) < 0 ||
		    newsletter_schedule(rb, clock_now()) < 0 ||
		    statement_schedule(rb, clock_now()) < 0 ||
		    survey_schedule(rb, clock_now()) < 0 ||
		    review_schedule(rb, clock_now()) < 0 ||
		    retention_daily(rb, clock_now()) < 0) && once) {
			status = EX_IOERR_;
			break;
		}
		/* Staff alerts held in an hour now over: one summary a kind. */
		if (notify_alert_summaries(rb, clock_now()) < 0 && once) {
			status = EX_IOERR_;
			break;
		}
		if (!once)
			status_outbox(rb, "sending");
		if (!unwell && send_outbox(&r) < 0 && once) {
			status = EX_IOERR_;
			break;
		}
		if (once)
			break;

		status_outbox(rb, "idle");
		wait = outbox_wait(rb, IDLE_RENEW);
		if (r.retry > 0 && wait > rb->cfg.poll_interval)
			wait = rb->cfg.poll_interval;
		if (rb->cfg.use_idle && imap_has_idle(r.im)) {
			log_flush();	/* an IDLE may last 25 min */
			rc = imap_idle(r.im, wait, wake, &changed, &err);
		} else {
			nap(wake, wait < rb->cfg.poll_interval ? wait :
			    rb->cfg.poll_interval);
			rc = *wake ? IMAP_OK : imap_noop(r.im, &err);
		}
		if (rc != IMAP_OK) {
			log_warnx("%s", err);
			free(err);
			err = NULL;
			imap_close(r.im);
			r.im = NULL;
		}
	}
	if (!once)
		sdnotify_stopping();
	sender_stop(&r.sender, rb);
	imap_close(r.im);
	smtp_free(r.smtp);
	outbox_limits_free(&r.limits);
	intake_probe_stop();
	/* A message left for later is not a failure, but say so. */
	if (once && status == EX_OK_ && r.retry > 0)
		status = EX_TEMPFAIL_;
	return status;
}
