/* db_messages: inbound messages, attempts, dispositions. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_int.h"
#include "db_messages.h"
#include "log.h"

int
db_message_lookup(struct db *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, int64_t *id, char **disposition, int *moved, int *alone,
    int *batched)
{
	static const char sql[] = "SELECT id, disposition, moved, attempts - "
	    "batch_attempts, batch_attempts FROM messages WHERE mailbox = ? "
	    "AND uidvalidity = ? AND uid = ?";

	return db_row(db, sql, ARGS(arg_text(mailbox), arg_int(uidvalidity),
	    arg_int(uid)), COLS(col_int64(id), col_text(disposition),
	    col_int(moved), col_int(alone), col_int(batched)));
}

int
db_message_insert(struct db *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, const char *raw, size_t len, uint64_t size, int64_t *id)
{
	static const char sql[] = "INSERT INTO messages (mailbox, uidvalidity, "
	    "uid, size, received_at) VALUES (?, ?, ?, ?, ?)";
	static const char bytes[] = "INSERT INTO raw_mail (id, raw) "
	    "VALUES (?, ?)";
	static const char undo[] = "DELETE FROM messages WHERE id = ?";

	if (db_insert(db, sql, ARGS(arg_text(mailbox), arg_int(uidvalidity),
	    arg_int(uid), arg_int((int64_t)size), arg_int(clock_now())),
	    id) != 0)
		return -1;
	if (db_exec(db, bytes, ARGS(arg_int(*id), arg_blob(raw, len))) == 0)
		return 0;
	/*
	 * A failed statement undoes only itself: the row goes too, or it
	 * would be handled without its bytes ever stored (review).
	 */
	(void)db_exec(db, undo, ARGS(arg_int(*id)));
	return -1;
}

int
db_message_seen_id(struct db *db, const char *message_id, int64_t id)
{
	static const char sql[] = "SELECT 1 FROM messages WHERE message_id = ? "
	    "AND id <> ? AND disposition <> 'pending' AND disposition <> "
	    "'unreadable' AND disposition <> 'quarantined' AND disposition "
	    "<> 'too-large' LIMIT 1";	/* no IN list: see db_int.h */

	return db_row(db, sql, ARGS(arg_text(message_id), arg_int(id)),
	    NULL, 0);
}

int
db_message_dispose(struct db *db, int64_t id, const char *message_id,
    const char *disposition, const char *detail, int64_t referral_id)
{
	static const char sql[] = "UPDATE messages SET message_id = ?, "
	    "disposition = ?, detail = ?, referral_id = ?, processed_at = ? "
	    "WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_text(message_id),
	    arg_text(disposition), arg_text(detail), arg_id(referral_id),
	    arg_int(clock_now()), arg_int(id)));
}

int
db_message_set_moved(struct db *db, int64_t id)
{
	static const char sql[] = "UPDATE messages SET moved = 1 WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_int(id)));
}

int
db_message_attempts(struct db *db, const int64_t *ids, size_t n, int *counts)
{
	/* No RETURNING: it keeps the row in a temporary table, each time. */
	static const char count[] = "UPDATE messages SET attempts = "
	    "attempts + 1, batch_attempts = batch_attempts + ? WHERE id = ?";
	static const char sql[] = "SELECT attempts - batch_attempts FROM "
	    "messages WHERE id = ?";
	size_t i;

	/*
	 * The counts must be committed before the work starts, so that a
	 * process killed mid-work (the watchdog's SIGABRT, SIGKILL) still
	 * counts the attempt; inside an open transaction they would be lost
	 * with the rest.  Nothing leaves a transaction open between batches.
	 */
	if (db_in_transaction(db))
		fatalx("%zu messages: attempts counted inside a transaction", n);
	if (db_begin(db) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (db_exec(db, count, ARGS(arg_int(n > 1),
		    arg_int(ids[i]))) != 0 || db_row(db, sql,
		    ARGS(arg_int(ids[i])), COLS(col_int(&counts[i]))) != 1) {
			db_rollback(db);
			return -1;
		}
	if (db_commit(db) != 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

void
inbound_free(struct inbound *m)
{
	if (m == NULL)
		return;
	free(m->mailbox);
	free(m->message_id);
	free(m->disposition);
	free(m->detail);
	free(m->raw);
	memset(m, 0, sizeof(*m));
}

#define INBOUND_COLUMNS "id, mailbox, uidvalidity, uid, message_id, size, " \
	"received_at, processed_at, disposition, detail, referral_id, moved, " \
	"attempts, length(raw), "
/* Each message with its raw bytes (raw_mail), as INBOUND_COLUMNS reads. */
#define WITH_RAW "messages LEFT JOIN raw_mail USING (id)"

/* An INBOUND_COLUMNS row, the raw bytes (or their head) last. */
static void
inbound_row(sqlite3_stmt *st, struct inbound *m)
{
	const void *raw;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->mailbox = db_text(st, 1);
	m->uidvalidity = sqlite3_column_int64(st, 2);
	m->uid = sqlite3_column_int64(st, 3);
	m->message_id = db_text(st, 4);
	m->size = sqlite3_column_int64(st, 5);
	m->received_at = sqlite3_column_int64(st, 6);
	m->processed_at = db_opt(st, 7);
	m->disposition = db_text(st, 8);
	m->detail = db_text(st, 9);
	m->referral_id = db_opt(st, 10) > 0 ? db_opt(st, 10) : 0;
	m->moved = sqlite3_column_int(st, 11);
	m->attempts = sqlite3_column_int(st, 12);
	m->stored = (size_t)sqlite3_column_int64(st, 13);
	raw = sqlite3_column_blob(st, 14);
	m->rawlen = (size_t)sqlite3_column_bytes(st, 14);
	m->raw = xmalloc(m->rawlen + 1);
	if (m->rawlen > 0)
		memcpy(m->raw, raw, m->rawlen);
	m->raw[m->rawlen] = '\0';
}

struct each_ctx {
	int (*fn)(const struct inbound *, void *);
	void *arg;
};

static int
each_row(sqlite3_stmt *st, void *arg)
{
	struct each_ctx *c = arg;
	struct inbound m;
	int r;

	inbound_row(st, &m);
	r = c->fn(&m, c->arg);
	inbound_free(&m);
	return r;
}

int
db_message_each(struct db *db, const char *disp, int64_t since,
    int (*fn)(const struct inbound *, void *), void *arg)
{
	static const char sql[] = "SELECT " INBOUND_COLUMNS
	    "substr(raw, 1, ?3) FROM " WITH_RAW " WHERE (?1 IS NULL OR "
	    "disposition = ?1) AND received_at >= ?2 ORDER BY id";
	struct each_ctx c = { fn, arg };

	return db_each(db, sql, ARGS(arg_text(disp), arg_int(since),
	    arg_int(INBOUND_HEAD)), each_row, &c);
}

static int
get_row(sqlite3_stmt *st, void *arg)
{
	inbound_row(st, arg);
	return 0;
}

int
db_message_get(struct db *db, int64_t id, struct inbound *m)
{
	static const char sql[] = "SELECT " INBOUND_COLUMNS "raw FROM "
	    WITH_RAW " WHERE id = ?";

	return db_row_with(db, sql, ARGS(arg_int(id)), get_row, m);
}

int
db_message_retry(struct db *db, int64_t id)
{
	static const char sql[] = "UPDATE messages SET "
	    "disposition = 'pending', detail = NULL, processed_at = NULL, "
	    "attempts = 1, batch_attempts = 0 WHERE id = ? "
	    "AND disposition IN ('quarantined', 'unreadable') AND "
	    "(SELECT length(raw) FROM raw_mail r WHERE r.id = messages.id) "
	    ">= size";

	return db_changes(db, sql, ARGS(arg_int(id)));
}
