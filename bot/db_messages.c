/* db_messages: inbound messages, attachments, attempts, dispositions. */
#include "config.h"

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
	    "uid, size, raw, received_at) VALUES (?, ?, ?, ?, ?, ?)";

	return db_insert(db, sql, ARGS(arg_text(mailbox), arg_int(uidvalidity),
	    arg_int(uid), arg_int((int64_t)size), arg_blob(raw, len),
	    arg_int(clock_now())), id);
}

int
db_message_seen_id(struct db *db, const char *message_id, int64_t id)
{
	static const char sql[] = "SELECT 1 FROM messages WHERE message_id = ? "
	    "AND id <> ? AND disposition <> 'pending' LIMIT 1";

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
	static const char sql[] = "UPDATE messages SET attempts = attempts + 1, "
	    "batch_attempts = batch_attempts + ? WHERE id = ? RETURNING "
	    "attempts - batch_attempts";
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
		if (db_row(db, sql, ARGS(arg_int(n > 1), arg_int(ids[i])),
		    COLS(col_int(&counts[i]))) != 1) {
			db_rollback(db);
			return -1;
		}
	if (db_commit(db) != 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int
db_attachment_add(struct db *db, int64_t row, const char *name,
    const char *type, size_t size)
{
	static const char sql[] = "INSERT INTO attachments (message_row, name, "
	    "type, size) VALUES (?, ?, ?, ?)";

	return db_exec(db, sql, ARGS(arg_int(row), arg_text(name),
	    arg_text(type), arg_int((int64_t)size)));
}
