/*
 * db: the core of the SQLite storage — opening the file, migrating the schema
 * (db_schema.c), transactions, refbot's settings, and the statement cache and
 * query helpers (db_int.h) that the domain files (db_*.c) are written with.
 * Prepared statements only, cached per SQL text; the schema is versioned
 * with PRAGMA user_version and migrated forward.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "addr.h"
#include "clock.h"
#include "db.h"
#include "db_int.h"
#include "fault.h"
#include "log.h"
#include "status.h"
#include "util.h"

/*
 * The statement cache: open addressing on the SQL text's address, a power
 * of two slots, at most half full; it grows, so a new query never runs
 * out of room.
 */
struct stmt_slot {
	const char *sql;	/* static strings: compared by address */
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *h;
	struct stmt_slot *cache;
	size_t ncache, cap;
	int depth;		/* db_begin()s open: 1 a transaction, more savepoints */
	void (*aside)(void *);	/* told when a checkpoint is due (db.h) */
	void *aside_arg;
	int once;		/* db_number_once() set change_counter.once */
	int flat;		/* db_begin_flat(): nested levels, no savepoints */
	int doomed;		/* a nested level of a flat one rolled back */
};

/*
 * Takes group and other permissions off an existing file (the database,
 * its -wal or -shm): the database holds partners' personal data and the
 * reply-token key.  An older refbot, or a copy made by hand, may have
 * left it wider; it is narrowed, with a warning, rather than refused, so
 * an upgrade keeps running.  Missing files are fine.
 */
static void
db_tighten(const char *path)
{
	struct stat st;

	/*
	 * By path, not by an open descriptor: closing any descriptor of
	 * these files drops every POSIX lock this process holds on them,
	 * those of a connection already open too (a reload opens the
	 * database beside the running one).  The next process to close the
	 * database would then take itself for the last and delete the WAL,
	 * with our commits in it.
	 */
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		if (chmod(path, st.st_mode & S_IRWXU) == 0)
			log_warnx("%s was accessible by group or others (mode "
			    "%04o); changed to %04o", path,
			    (unsigned)(st.st_mode & 07777),
			    (unsigned)(st.st_mode & S_IRWXU));
		else
			log_warnx("%s is accessible by group or others (mode "
			    "%04o) and cannot be changed: %s; run: chmod 600 "
			    "%s", path, (unsigned)(st.st_mode & 07777),
			    strerror(errno), path);
	}
}

/*
 * The database is created 0600 whatever the umask, and made so if it is
 * wider; SQLite gives the -wal and -shm files it creates the database's
 * mode, so they follow.
 */
static void
db_private(const char *path, int create)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	size_t i;
	int fd;

	if (create && (fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC | O_NONBLOCK, 0600)) >= 0)
		close(fd);	/* else sqlite3_open_v2 says why */
	for (i = 0; i < nitems(sfx); i++) {
		char *p = xasprintf("%s%s", path, sfx[i]);
		db_tighten(p);
		free(p);
	}
}

/*
 * has_address(value, address): whether a text or blob value mentions
 * the address as a whole address (parsers/addr.c), NULL for NULL; the
 * erasure's queries (db_retention.c) find a person with it.
 */
static void
sql_has_address(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	const void *s = sqlite3_value_blob(v[0]);
	const unsigned char *a = sqlite3_value_text(v[1]);

	(void)argc;
	if (sqlite3_value_type(v[0]) == SQLITE_NULL || a == NULL)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int(ctx, s != NULL && addr_mentions(s,
		    (size_t)sqlite3_value_bytes(v[0]), (const char *)a,
		    (size_t)sqlite3_value_bytes(v[1])));
}

int
db_open(const char *path, int create, struct db **out, char **errstr)
{
	static int configured;
	struct db *db = xcalloc(1, sizeof(*db));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	char *err = NULL;

	if (create)
		flags |= SQLITE_OPEN_CREATE;
	/*
	 * Issue 21: each message is a savepoint in its batch's transaction,
	 * and SQLite keeps the pages it changes in a statement journal that
	 * goes to a temporary file past 64 KiB, and then stays there for the
	 * rest of the transaction: ~80 pwrite a message, none of them
	 * needed.  It stays in memory instead (a savepoint's pages: ~100 KiB
	 * for a referral; as much as a message's size for one whose stored
	 * row is rewritten).  A limit between the two spills wrongly in
	 * SQLite 3.40 past 128 KiB ("database or disk is full").  Once,
	 * before the first connection (SQLite refuses it afterwards).  No
	 * memory statistics: unread, they took a mutex per allocation.
	 */
	if (!configured) {
		(void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
		(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = 1;
	}
	db_private(path, create);
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		*errstr = xasprintf("%s: %s%s", path, db->h ?
		    sqlite3_errmsg(db->h) : "cannot open",
		    create ? "" : " (it must exist - 'refbot init' - and it "
		    "and its directory must be writable: SQLite keeps its "
		    "journal beside it)");
		sqlite3_close(db->h);
		free(db);
		return -1;
	}
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_extended_result_codes(db->h, 1);
	/*
	 * WAL lets the CLI read while the daemon writes; synchronous=NORMAL
	 * is durable across a process crash (only an OS crash can lose the
	 * last commits), which is what the exactly-once guarantees need.
	 * secure_delete (Debian's default already): what is deleted or
	 * overwritten (purged mail, an erased address) is zeroed in its
	 * page, not left in free space.
	 */
	if (sqlite3_exec(db->h, "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
	    "PRAGMA secure_delete=ON;", NULL, NULL,
	    &err) != SQLITE_OK) {
		*errstr = xasprintf("%s: %s (it and its directory must be "
		    "writable: SQLite keeps its journal beside it)", path,
		    err ? err : "?");
		sqlite3_free(err);
		db_close(db);
		return -1;
	}
	if (sqlite3_create_function(db->h, "has_address", 2, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, sql_has_address, NULL, NULL) !=
	    SQLITE_OK) {
		*errstr = xasprintf("%s: %s", path, sqlite3_errmsg(db->h));
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->cap; i++)
		if (db->cache[i].sql != NULL)
			sqlite3_finalize(db->cache[i].st);
	free(db->cache);
	sqlite3_close(db->h);
	free(db);
}

const char *
db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

int
db_busy(struct db *db)
{
	return (sqlite3_errcode(db->h) & 0xff) == SQLITE_BUSY;
}

/* The slot of sql, or the empty one where it goes. */
static struct stmt_slot *
cache_slot(struct db *db, const char *sql)
{
	size_t mask = db->cap - 1;
	size_t i = (size_t)(((uintptr_t)sql >> 3) * 0x9e3779b1u) & mask;

	while (db->cache[i].sql != NULL && db->cache[i].sql != sql)
		i = (i + 1) & mask;
	return &db->cache[i];
}

static void
cache_grow(struct db *db)
{
	struct stmt_slot *old = db->cache;
	size_t i, n = db->cap;

	db->cap = n ? n * 2 : 64;
	db->cache = xcalloc(db->cap, sizeof(*db->cache));
	for (i = 0; i < n; i++)
		if (old[i].sql != NULL)
			*cache_slot(db, old[i].sql) = old[i];
	free(old);
}

/* 'A', 'B': the states for which pred is (or, want 0, is not) true. */
static void
sql_states(struct buf *b, int (*pred)(const char *), int want)
{
	const char *s;
	size_t i, n = 0;

	for (i = 0; (s = status_name(i)) != NULL; i++)
		if ((pred(s) != 0) == want)
			buf_addf(b, "%s'%s'", n++ ? ", " : "", s);
}

/* Appends what {name} (len bytes, no braces) stands for; see db_int.h. */
static void
sql_rule(struct buf *b, const char *name, size_t len)
{
	const char *s;
	size_t i, n;

	if (len == 4 && memcmp(name, "open", len) == 0) {
		sql_states(b, status_is_open, 1);
		return;
	}
	if (len == 11 && memcmp(name, "not_counted", len) == 0) {
		sql_states(b, status_counts, 0);
		return;
	}
	if (len > 8 && memcmp(name, "counted:", 8) == 0) {
		for (i = n = 0; (s = status_name(i)) != NULL; i++)
			if (!status_counts(s))
				buf_addf(b, "%s%.*s <> '%s'", n++ ? " AND " :
				    "", (int)len - 8, name + 8, s);
		return;
	}
	if (len > 6 && memcmp(name, "stage:", 6) == 0) {
		buf_addf(b, "CASE %.*s", (int)len - 6, name + 6);
		for (i = 0; (s = status_name(i)) != NULL; i++)
			if (status_stage(s) > 0)
				buf_addf(b, " WHEN '%s' THEN %d", s,
				    status_stage(s));
		buf_adds(b, " ELSE 0 END");
		return;
	}
	for (i = 0; (s = status_name(i)) != NULL; i++)
		if (strlen(s) == len && memcmp(s, name, len) == 0)
			break;
	if (s == NULL)	/* a typo in a query: caught by any test of it */
		fatalx("db: SQL names no rule or state: {%.*s}", (int)len,
		    name);
	buf_addf(b, "'%s'", s);
}

/* sql with its {rules} put in (caller frees), or NULL if it has none. */
static char *
sql_expand(const char *sql)
{
	struct buf b;
	const char *p = sql, *o, *c;

	if (strchr(sql, '{') == NULL)
		return NULL;
	buf_init(&b);
	while ((o = strchr(p, '{')) != NULL) {
		if ((c = strchr(o, '}')) == NULL)
			fatalx("db: unclosed { in SQL: %s", sql);
		buf_add(&b, p, (size_t)(o - p));
		sql_rule(&b, o + 1, (size_t)(c - o - 1));
		p = c + 1;
	}
	buf_adds(&b, p);
	return buf_steal(&b);
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql)
{
	struct stmt_slot *slot;
	sqlite3_stmt *st = NULL;
	char *text;
	int rc;

	if (2 * (db->ncache + 1) > db->cap)
		cache_grow(db);
	slot = cache_slot(db, sql);
	if (slot->sql != NULL) {
		sqlite3_reset(slot->st);
		return slot->st;
	}
	text = sql_expand(sql);
	rc = sqlite3_prepare_v2(db->h, text ? text : sql, -1, &st, NULL);
	free(text);
	if (rc != SQLITE_OK)
		return NULL;
	slot->sql = sql;
	slot->st = st;
	db->ncache++;
	return st;
}

/*
 * sql with a bound, the parameters after them NULL; NULL on error.  Text
 * is copied only if copy: db_exec and db_row_with are done with it when
 * they return (a fn runs after a write's only changing step).
 */
static sqlite3_stmt *
db_bound(struct db *db, const char *sql, const struct dbarg *a, size_t n,
    int copy)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int k, nparams, rc = SQLITE_OK;

	if (st == NULL)
		return NULL;
	nparams = sqlite3_bind_parameter_count(st);
	for (k = 1; k <= nparams && rc == SQLITE_OK; k++) {
		const struct dbarg *v = (size_t)k <= n ? &a[k - 1] : NULL;

		switch (v != NULL ? v->type : DBARG_NULL) {
		case DBARG_NULL:
			rc = sqlite3_bind_null(st, k);
			break;
		case DBARG_INT:
			rc = sqlite3_bind_int64(st, k, v->i);
			break;
		case DBARG_TEXT:
			rc = sqlite3_bind_text(st, k, v->p, -1,
			    copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
			break;
		case DBARG_BLOB:
			rc = sqlite3_bind_blob64(st, k, v->p, v->len,
			    SQLITE_STATIC);
			break;
		}
	}
	return rc == SQLITE_OK && n <= (size_t)nparams ? st : NULL;
}

int
db_exec(struct db *db, const char *sql, const struct dbarg *a, size_t n)
{
	sqlite3_stmt *st = db_bound(db, sql, a, n, 0);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_changes(struct db *db, const char *sql, const struct dbarg *a, size_t n)
{
	return db_exec(db, sql, a, n) == 0 ? sqlite3_changes(db->h) : -1;
}

int
db_insert(struct db *db, const char *sql, const struct dbarg *a, size_t n,
    int64_t *id)
{
	if (db_exec(db, sql, a, n) != 0)
		return -1;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int
db_row_with(struct db *db, const char *sql, const struct dbarg *a, size_t n,
    db_row_fn *fn, void *arg)
{
	sqlite3_stmt *st = db_bound(db, sql, a, n, 0);
	int rc, found = 0;

	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fn(st, arg);
		found = 1;
		rc = SQLITE_DONE;
		/* A write with RETURNING: all it changes is done at its end. */
		if (!sqlite3_stmt_readonly(st))
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? found : -1;
}

struct cols {
	const struct dbcol *c;
	size_t n;
};

static int
read_cols(sqlite3_stmt *st, void *arg)
{
	const struct cols *k = arg;
	size_t i;

	for (i = 0; i < k->n; i++)
		switch (k->c[i].type) {
		case DBCOL_INT64:
			*(int64_t *)k->c[i].p = sqlite3_column_int64(st, (int)i);
			break;
		case DBCOL_INT:
			*(int *)k->c[i].p = sqlite3_column_int(st, (int)i);
			break;
		case DBCOL_TEXT:
			*(char **)k->c[i].p = db_text(st, (int)i);
			break;
		}
	return 0;
}

int
db_row(struct db *db, const char *sql, const struct dbarg *a, size_t n,
    const struct dbcol *c, size_t ncols)
{
	struct cols k = { c, ncols };

	return db_row_with(db, sql, a, n, read_cols, &k);
}

int64_t
db_int64(struct db *db, const char *sql, const struct dbarg *a, size_t n)
{
	int64_t v = -1;

	return db_row(db, sql, a, n, COLS(col_int64(&v))) == 1 ? v : -1;
}

int
db_each(struct db *db, const char *sql, const struct dbarg *a, size_t n,
    db_row_fn *fn, void *arg)
{
	sqlite3_stmt *st = db_bound(db, sql, a, n, 1);
	int rc = SQLITE_DONE, stop = 0;

	if (st == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
		stop = fn(st, arg);
	sqlite3_reset(st);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

char *
db_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? xstrdup((const char *)t) : NULL;
}

int64_t
db_opt(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, i);
}

int
db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

/* sql (BEGIN, COMMIT, ...) from the cache, not prepared anew: 0, -1. */
static int
exec_sql(struct db *db, const char *sql)
{
	return db_exec(db, sql, NOARGS);
}

int
db_schema_version(struct db *db)
{
	static const char sql[] = "PRAGMA user_version";

	return (int)db_int64(db, sql, NOARGS);
}

int
db_migrate(struct db *db, char **errstr)
{
	int v = db_schema_version(db);
	int target = fault_schema_stop((int)db_migration_count());
	char *err = NULL, *sql;

	if (v < 0) {
		*errstr = xasprintf("reading the schema version: %s",
		    db_errmsg(db));
		return -1;
	}
	if (v > target) {
		*errstr = xasprintf("the database has schema version %d, newer "
		    "than this refbot (%d): upgrade refbot", v, target);
		return -1;
	}
	for (; v < target; v++) {
		sql = xasprintf("BEGIN IMMEDIATE;%s;PRAGMA user_version=%d;"
		    "COMMIT;", db_migration((size_t)v), v + 1);
		if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
			*errstr = xasprintf("migrating to schema version %d: "
			    "%s", v + 1, err ? err : "?");
			sqlite3_free(err);
			free(sql);
			exec_sql(db, "ROLLBACK");
			return -1;
		}
		free(sql);
	}
	return target;
}

int
db_scrub(struct db *db)
{
	int logged = 0, done = 0;

	if (exec_sql(db, "VACUUM") != 0)
		return -1;
	switch (sqlite3_wal_checkpoint_v2(db->h, NULL,
	    SQLITE_CHECKPOINT_TRUNCATE, &logged, &done)) {
	case SQLITE_OK:
		return 0;
	case SQLITE_BUSY:	/* another process reads: its WAL stays */
		return 1;
	default:
		return -1;
	}
}

/* SQLite's own point for a checkpoint, in pages of the WAL. */
#define DB_CHECKPOINT_PAGES 1000
/*
 * Past this the WAL is checkpointed here all the same.  The other
 * connection's checkpoints cannot empty a WAL that commits keep growing
 * (only a writer restarts it from the top, and only once every page in
 * it is in the file), so now and then the writer finishes the job: most
 * of the pages are in the file by then.
 */
#define DB_CHECKPOINT_MAX (4 * DB_CHECKPOINT_PAGES)

static int
wal_hook(void *arg, sqlite3 *h, const char *schema, int frames)
{
	struct db *db = arg;
	int logged, done;

	(void)schema;
	if (frames >= DB_CHECKPOINT_MAX)
		(void)sqlite3_wal_checkpoint_v2(h, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &logged, &done);
	else if (frames >= DB_CHECKPOINT_PAGES)
		db->aside(db->aside_arg);
	return SQLITE_OK;
}

void
db_checkpoint_aside(struct db *db, void (*due)(void *), void *arg)
{
	db->aside = due;
	db->aside_arg = arg;
	if (due != NULL)
		(void)sqlite3_wal_hook(db->h, wal_hook, db);
	else
		(void)sqlite3_wal_autocheckpoint(db->h, DB_CHECKPOINT_PAGES);
}

int
db_checkpoint(struct db *db)
{
	int logged, done;

	switch (sqlite3_wal_checkpoint_v2(db->h, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, &logged, &done)) {
	case SQLITE_OK:
	case SQLITE_BUSY:	/* another checkpoint runs: it does the work */
		return 0;
	default:
		return -1;
	}
}

/*
 * Transactions nest: a db_begin() inside an open one is a savepoint, its
 * db_commit() releases it and its db_rollback() undoes only its own
 * work.  So one message's handling keeps its all-or-nothing while the
 * batch around it (run.c) commits once.
 */
int
db_begin(struct db *db)
{
	if ((db->depth == 0 || !db->flat) && exec_sql(db, db->depth > 0 ?
	    "SAVEPOINT nest" : "BEGIN IMMEDIATE") != 0)
		return -1;
	db->depth++;
	return 0;
}

int
db_begin_flat(struct db *db)
{
	if (db->depth > 0 || db_begin(db) != 0)
		return -1;
	db->flat = 1;
	db->doomed = 0;
	return 0;
}

int
db_doomed(struct db *db)
{
	return db->doomed;
}

int
db_begin_read(struct db *db)
{
	return exec_sql(db, "BEGIN");
}

/*
 * Issue 21: the open transaction's changes share one change number
 * (db_schema.c, change_counter.once), taken at the first of them, not
 * one a row.  db_commit() sets it back before COMMIT; a rollback undoes
 * it.  Outside db_begin(), or if the flag cannot be set, every change
 * takes its own number, as before.
 */
void
db_number_once(struct db *db)
{
	static const char sql[] = "UPDATE change_counter SET once = 1 "
	    "WHERE once = 0";

	if (db->depth > 0 && !db->once && db_exec(db, sql, NOARGS) == 0)
		db->once = 1;
}

int
db_commit(struct db *db)
{
	static const char reset[] = "UPDATE change_counter SET once = 0";

	if (db->depth > 1 && db->flat) {
		db->depth--;
		return 0;
	}
	if (db->depth == 1 && db->doomed)
		return -1;	/* the caller rolls it back */
	if (db->depth == 1 && db->once) {
		if (db_exec(db, reset, NOARGS) != 0)
			return -1;
		db->once = 0;
	}
	if (exec_sql(db, db->depth > 1 ? "RELEASE nest" : "COMMIT") != 0)
		return -1;
	if (db->depth > 0)
		db->depth--;
	if (db->depth == 0)
		db->flat = 0;
	return 0;
}

void
db_rollback(struct db *db)
{
	if (db->depth > 1 && db->flat) {
		db->doomed = 1;
		db->depth--;
		return;
	}
	if (db->depth > 1) {
		exec_sql(db, "ROLLBACK TO nest");
		exec_sql(db, "RELEASE nest");
		db->depth--;
		return;
	}
	if (!sqlite3_get_autocommit(db->h))
		exec_sql(db, "ROLLBACK");
	if (sqlite3_get_autocommit(db->h))
		db->once = 0;	/* undone with the rest */
	db->depth = 0;
	db->flat = db->doomed = 0;
}

int
db_setting_get(struct db *db, const char *key, char **value)
{
	static const char sql[] = "SELECT value FROM settings WHERE key = ?";

	return db_row(db, sql, ARGS(arg_text(key)), COLS(col_text(value)));
}

struct sla_fn {
	int64_t (*due)(void *, int64_t, int, int);
	void *arg;
	void (*free_arg)(void *);
};

static void
sla_fn_free(void *p)
{
	struct sla_fn *f = p;

	if (f->free_arg != NULL)
		f->free_arg(f->arg);
	free(f);
}

static void
sql_sla_due(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	const struct sla_fn *f = sqlite3_user_data(ctx);

	(void)argc;
	if (sqlite3_value_type(v[0]) == SQLITE_NULL)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int64(ctx, f->due(f->arg,
		    sqlite3_value_int64(v[0]), sqlite3_value_int(v[1]),
		    sqlite3_value_int(v[2])));
}

int
db_sla_function(struct db *db, int64_t (*due)(void *, int64_t, int, int),
    void *arg, void (*free_arg)(void *))
{
	struct sla_fn *f = xmalloc(sizeof(*f));

	f->due = due;
	f->arg = arg;
	f->free_arg = free_arg;
	/* SQLite frees f, also when this fails. */
	return sqlite3_create_function_v2(db->h, "sla_due", 3, SQLITE_UTF8, f,
	    sql_sla_due, NULL, NULL, sla_fn_free) == SQLITE_OK ? 0 : -1;
}

int
db_setting_put(struct db *db, const char *key, const char *value)
{
	static const char sql[] = "INSERT OR REPLACE INTO settings (key, "
	    "value) VALUES (?, ?)";

	return db_exec(db, sql, ARGS(arg_text(key), arg_text(value)));
}
