/*
 * db: the only module that talks to SQLite (bot/db*.c; nothing else
 * includes sqlite3.h).
 *
 * Everything refbot keeps lives in one database file in WAL mode: the raw
 * inbound messages with their disposition, partners, referrals with their
 * fields and history, the outbox, the ledger, the newsletter.  This is the
 * core: opening, the schema, transactions and refbot's settings; each
 * domain has its own header (db_messages.h, db_partners.h,
 * db_referrals.h, db_outbox.h, db_ledger.h, db_newsletter.h, db_pending.h,
 * db_alerts.h, db_reports.h).  Functions return 0 (or 1 for "found") on
 * success and -1 on an SQLite error, with the text in db_errmsg().
 * Strings in returned structs are owned by the struct; free them with the
 * matching *_free().
 */
#ifndef REFBOT_DB_H
#define REFBOT_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;

int db_open(const char *path, int create, struct db **out, char **errstr);
void db_close(struct db *);
const char *db_errmsg(struct db *);
/* Whether the last error was another connection holding the lock. */
int db_busy(struct db *);
/* Brings the schema to the current version; returns it, or -1. */
int db_migrate(struct db *, char **errstr);
int db_schema_version(struct db *);
/*
 * Rewrites the file without the bytes deleted or overwritten (VACUUM)
 * and empties the WAL into it: after a purge or an erasure, the old
 * values are then in neither file.  0; 1 when another connection kept
 * the WAL from being emptied (it is at its next checkpoint); -1 error.
 * Not inside a transaction.
 */
int db_scrub(struct db *);
/*
 * Checkpoints (copying the WAL into the database file, with its
 * fdatasyncs) are done by whoever commits, once the WAL holds 1000
 * pages.  With due set, they are another's work: due(arg) is told
 * after such a commit (on the committing thread: it must only wake
 * someone), and that one calls db_checkpoint on its own connection.
 * This one still finishes the job when the WAL grows 4 times as large:
 * only a writer can start the WAL afresh.  due NULL: back to the
 * committer.
 */
void db_checkpoint_aside(struct db *, void (*due)(void *), void *arg);
/* As much of the WAL as no reader still needs, into the file: 0, -1. */
int db_checkpoint(struct db *);
/*
 * Transactions nest: inside an open one, db_begin() starts a savepoint
 * that db_commit() releases and db_rollback() undoes alone.
 */
int db_begin(struct db *);
/*
 * A transaction whose nested db_begin()s take no savepoint (issue 21: a
 * savepoint copies every page it changes, and a batch's decisions ran
 * one a message).  An inner db_commit() only closes its level; an inner
 * db_rollback() cannot undo its part alone, so it dooms the whole
 * transaction: db_doomed() says so, the outer db_commit() fails, and the
 * caller rolls it all back (and may do the work again with db_begin()).
 */
int db_begin_flat(struct db *);
int db_doomed(struct db *);
/* A read transaction: one snapshot for several queries (db_commit ends it). */
int db_begin_read(struct db *);
int db_commit(struct db *);
void db_rollback(struct db *);
/* The open transaction's changes share one change number (issue 21). */
void db_number_once(struct db *);

/* refbot's own settings: 1 found, 0 not, -1 error; *value caller frees. */
int db_setting_get(struct db *, const char *key, char **value);
int db_setting_put(struct db *, const char *key, const char *value);

/*
 * Installs the SQL function sla_due(created_at, tier, times): when a
 * referral that arrived at created_at from a partner of tier is due its
 * first response (times: 1, or 2 for the escalation), as due(arg, ...)
 * says.  The SLA queries need it.  The database owns arg from the call
 * on (also when it fails) and frees it with free_arg.
 */
int db_sla_function(struct db *, int64_t (*due)(void *arg, int64_t created,
    int tier, int times), void *arg, void (*free_arg)(void *));

#endif
