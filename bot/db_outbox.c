/* db_outbox: the outbox table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_int.h"
#include "db_outbox.h"

int
db_outbox_add(struct db *db, const struct outmail *m, int64_t *id)
{
	static const char sql[] = "INSERT INTO outbox (referral_id, kind, "
	    "mail_from, rcpt, message_id, data, next_attempt_at, created_at, "
	    "cc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	int64_t now = clock_now();

	return db_insert(db, sql, ARGS(arg_id(m->referral_id),
	    arg_text(m->kind), arg_text(m->mail_from), arg_text(m->rcpt),
	    arg_text(m->message_id), arg_blob(m->data, m->len), arg_int(now),
	    arg_int(now), arg_text(m->cc)), id);
}

#define OUTBOX_COLUMNS "id, referral_id, kind, mail_from, rcpt, message_id, " \
	"data, status, attempts, next_attempt_at, last_error, created_at, " \
	"sent_at, cc FROM outbox "

static void
outmail_row(sqlite3_stmt *st, struct outmail *m, int with_data)
{
	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->referral_id = sqlite3_column_int64(st, 1);
	m->kind = db_text(st, 2);
	m->mail_from = db_text(st, 3);
	m->rcpt = db_text(st, 4);
	m->message_id = db_text(st, 5);
	m->len = (size_t)sqlite3_column_bytes(st, 6);
	if (with_data)
		m->data = xstrndup(sqlite3_column_blob(st, 6) ?
		    sqlite3_column_blob(st, 6) : "", m->len);
	m->status = db_text(st, 7);
	m->attempts = sqlite3_column_int(st, 8);
	m->next_attempt_at = sqlite3_column_int64(st, 9);
	m->last_error = db_text(st, 10);
	m->created_at = sqlite3_column_int64(st, 11);
	m->sent_at = sqlite3_column_int64(st, 12);
	m->cc = db_text(st, 13);
}

static int
outmail_with_data(sqlite3_stmt *st, void *m)
{
	outmail_row(st, m, 1);
	return 0;
}

static int
outmail_without_data(sqlite3_stmt *st, void *m)
{
	outmail_row(st, m, 0);
	return 0;
}

int
db_outbox_next_due(struct db *db, int64_t now, int bulk, struct outmail *m)
{
	/*
	 * Mail about referrals first: a newsletter never delays an ack.  Two
	 * queries that each walk outbox_due in order, rather than one sorted
	 * by kind, which would sort every pending row for every mail sent.
	 */
	static const char mail_sql[] = "SELECT " OUTBOX_COLUMNS "WHERE status "
	    "= 'pending' AND next_attempt_at <= ? AND kind <> 'newsletter' "
	    "ORDER BY next_attempt_at, id LIMIT 1";
	static const char bulk_sql[] = "SELECT " OUTBOX_COLUMNS "WHERE status "
	    "= 'pending' AND next_attempt_at <= ? AND kind = 'newsletter' "
	    "ORDER BY next_attempt_at, id LIMIT 1";
	int r = db_row_with(db, mail_sql, ARGS(arg_int(now)),
	    outmail_with_data, m);

	if (r != 0 || !bulk)
		return r;
	return db_row_with(db, bulk_sql, ARGS(arg_int(now)), outmail_with_data,
	    m);
}

int
db_outbox_next_due_after(struct db *db, int64_t now, int64_t after_at,
    int64_t after_id, struct outmail *m)
{
	static const char sql[] = "SELECT " OUTBOX_COLUMNS "WHERE status "
	    "= 'pending' AND next_attempt_at <= ? AND kind <> 'newsletter' "
	    "AND (next_attempt_at, id) > (?, ?) "
	    "ORDER BY next_attempt_at, id LIMIT 1";

	return db_row_with(db, sql, ARGS(arg_int(now), arg_int(after_at),
	    arg_int(after_id)), outmail_with_data, m);
}

/* Reads a min() that is NULL when there are no rows (then found is 0). */
struct min_time {
	int64_t *when;
	int found;
};

static int
min_time_row(sqlite3_stmt *st, void *arg)
{
	struct min_time *t = arg;

	if ((t->found = sqlite3_column_type(st, 0) != SQLITE_NULL))
		*t->when = sqlite3_column_int64(st, 0);
	return 0;
}

int
db_outbox_next_time(struct db *db, int64_t *when)
{
	static const char sql[] = "SELECT min(next_attempt_at) FROM outbox "
	    "WHERE status = 'pending'";
	struct min_time t = { when, 0 };

	/* An aggregate: always one row. */
	return db_row_with(db, sql, NOARGS, min_time_row, &t) == 1 ?
	    t.found : -1;
}

/* For the daemon's status line: how many mails wait to be sent. */
int64_t
db_outbox_pending_count(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM outbox "
	    "WHERE status = 'pending'";

	return db_int64(db, sql, NOARGS);
}

int
db_outbox_recent_replies(struct db *db, const char *rcpt, int64_t since)
{
	/* Answers to a person's mail (notify marks them as it queues). */
	static const char sql[] = "SELECT count(*) FROM outbox WHERE rcpt = ? "
	    "AND created_at >= ? AND auto_reply = 1";

	return (int)db_int64(db, sql, ARGS(arg_text(rcpt), arg_int(since)));
}

int
db_outbox_mark_reply(struct db *db, int64_t id)
{
	static const char sql[] = "UPDATE outbox SET auto_reply = 1 "
	    "WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_int(id)));
}

int
db_outbox_retry(struct db *db, int64_t id, int all_failed)
{
	static const char sql[] = "UPDATE outbox SET status = 'pending', "
	    "next_attempt_at = ?3 WHERE status <> 'sent' AND purged_at IS "
	    "NULL AND ((?1 > 0 AND id = ?1) OR (?2 AND status = 'failed'))";

	return db_changes(db, sql, ARGS(arg_int(id), arg_int(all_failed),
	    arg_int(clock_now())));
}

static int
bounce_row(sqlite3_stmt *st, void *arg)
{
	struct outmail *m = arg;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->referral_id = sqlite3_column_int64(st, 1);
	m->kind = db_text(st, 2);
	m->rcpt = db_text(st, 3);
	return 0;
}

int
db_outbox_bounce(struct db *db, const char *message_id, const char *why,
    struct outmail *m)
{
	static const char sql[] = "UPDATE outbox SET status = 'bounced', "
	    "last_error = ? WHERE message_id = ? RETURNING id, referral_id, "
	    "kind, rcpt";

	return db_row_with(db, sql, ARGS(arg_text(why), arg_text(message_id)),
	    bounce_row, m);
}

int
db_outbox_sent(struct db *db, int64_t id, int64_t now)
{
	/* Once only: a journal replayed may name a row recorded already. */
	static const char sql[] = "UPDATE outbox SET status = 'sent', "
	    "sent_at = ?, attempts = attempts + 1, last_error = NULL "
	    "WHERE id = ? AND status <> 'sent'";

	return db_exec(db, sql, ARGS(arg_int(now), arg_int(id)));
}

int
db_outbox_defer(struct db *db, int64_t id, int64_t next, const char *err)
{
	static const char sql[] = "UPDATE outbox SET attempts = attempts + 1, "
	    "next_attempt_at = ?, last_error = ? WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_int(next), arg_text(err),
	    arg_int(id)));
}

int
db_outbox_fail(struct db *db, int64_t id, const char *err)
{
	static const char sql[] = "UPDATE outbox SET status = 'failed', "
	    "attempts = attempts + 1, last_error = ?, failure_told = 0 "
	    "WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_text(err), arg_int(id)));
}

int
db_outbox_untold(struct db *db, struct outmail *m)
{
	static const char sql[] = "SELECT " OUTBOX_COLUMNS "WHERE "
	    "failure_told = 0 ORDER BY id LIMIT 1";

	return db_row_with(db, sql, NOARGS, outmail_without_data, m);
}

int
db_outbox_told(struct db *db, int64_t id)
{
	static const char sql[] = "UPDATE outbox SET failure_told = 1 "
	    "WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_int(id)));
}

struct outmail_cb {
	int (*cb)(const struct outmail *, void *);
	void *arg;
};

static int
outmail_each_row(sqlite3_stmt *st, void *arg)
{
	const struct outmail_cb *c = arg;
	struct outmail m;
	int stop;

	outmail_row(st, &m, 0);
	stop = c->cb(&m, c->arg);
	outmail_free(&m);
	return stop;
}

int
db_outbox_each(struct db *db, const char *status,
    int (*cb)(const struct outmail *, void *), void *arg)
{
	static const char sql[] = "SELECT " OUTBOX_COLUMNS
	    "WHERE ?1 IS NULL OR status = ?1 ORDER BY id";
	struct outmail_cb c = { cb, arg };

	return db_each(db, sql, ARGS(arg_text(status)), outmail_each_row, &c);
}

void
outmail_free(struct outmail *m)
{
	if (m == NULL)
		return;
	free(m->kind);
	free(m->mail_from);
	free(m->rcpt);
	free(m->cc);
	free(m->message_id);
	free(m->data);
	free(m->status);
	free(m->last_error);
	memset(m, 0, sizeof(*m));
}

int
db_outbox_hold(struct db *db, const char *kind, int release)
{
	static const char hold[] = "UPDATE outbox SET status = 'held' "
	    "WHERE kind = ? AND status = 'pending'";
	static const char resume[] = "UPDATE outbox SET status = 'pending', "
	    "next_attempt_at = ? WHERE kind = ? AND status = 'held'";

	if (release)
		return db_changes(db, resume, ARGS(arg_int(clock_now()),
		    arg_text(kind)));
	return db_changes(db, hold, ARGS(arg_text(kind)));
}

int
db_outbox_thread_id(struct db *db, int64_t referral_id, char **message_id)
{
	/* The partner's thread starts at the first mail we sent them. */
	static const char sql[] = "SELECT message_id FROM outbox WHERE "
	    "referral_id = ? AND kind IN ('ack', 'incomplete', "
	    "'disqualified') ORDER BY id LIMIT 1";

	return db_row(db, sql, ARGS(arg_int(referral_id)),
	    COLS(col_text(message_id)));
}
