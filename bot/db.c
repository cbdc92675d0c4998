/*
 * db: SQLite storage.  Prepared statements only, cached per SQL text; the
 * schema is versioned with PRAGMA user_version and migrated forward.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "clock.h"
#include "db.h"
#include "log.h"
#include "util.h"

#define STMT_CACHE 128	/* more than db.c has statements */

struct db {
	sqlite3 *h;
	struct {
		const char *sql;	/* static strings: compared by pointer */
		sqlite3_stmt *st;
	} cache[STMT_CACHE];
	size_t ncache;
};

/* Each step is one schema version; never edit a released one. */
static const char *migrations[] = {
	/* 1: the walking skeleton */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  mailbox TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL,"
	"  message_id TEXT,"
	"  size INTEGER NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  disposition TEXT NOT NULL DEFAULT 'pending',"
	"  detail TEXT,"
	"  referral_id INTEGER REFERENCES referrals(id),"
	"  moved INTEGER NOT NULL DEFAULT 0,"
	"  processed_at INTEGER,"
	"  UNIQUE (mailbox, uidvalidity, uid));"
	"CREATE INDEX messages_message_id ON messages(message_id);"
	"CREATE TABLE partners ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  lang TEXT NOT NULL DEFAULT 'en',"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE referrals ("
	"  id INTEGER PRIMARY KEY,"
	"  partner_id INTEGER REFERENCES partners(id),"
	"  message_row INTEGER REFERENCES messages(id),"
	"  status TEXT NOT NULL,"
	"  client TEXT,"
	"  contact_name TEXT,"
	"  subject TEXT,"
	"  inbound_message_id TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX referrals_status ON referrals(status);"
	"CREATE TABLE referral_fields ("
	"  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (referral_id, key));"
	"CREATE TABLE history ("
	"  id INTEGER PRIMARY KEY,"
	"  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT,"
	"  event TEXT NOT NULL,"
	"  from_status TEXT,"
	"  to_status TEXT,"
	"  detail TEXT);"
	"CREATE INDEX history_referral ON history(referral_id);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  referral_id INTEGER REFERENCES referrals(id),"
	"  kind TEXT NOT NULL,"
	"  mail_from TEXT NOT NULL,"
	"  rcpt TEXT NOT NULL,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  data BLOB NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending',"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox(status, next_attempt_at);",
	/* 2: parsing (issue 3): attachments, processing attempts */
	"ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  message_row INTEGER NOT NULL REFERENCES messages(id),"
	"  name TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  size INTEGER NOT NULL);"
	"CREATE INDEX attachments_message ON attachments(message_row);",
	/* 3: staff keywords (issue 4): refbot's own settings */
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);"
	"ALTER TABLE history ADD COLUMN message_id TEXT;",
	/* 4: bounces (issue 5): a partner address that hard-bounced */
	"ALTER TABLE partners ADD COLUMN bounced TEXT;",
	/* 5: SLA (issue 6): first response, reminder and escalation sent */
	"ALTER TABLE referrals ADD COLUMN first_response_at INTEGER;"
	"ALTER TABLE referrals ADD COLUMN sla_reminded INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE referrals ADD COLUMN sla_escalated INTEGER NOT NULL "
	"  DEFAULT 0;",
	/* 6: attribution (issue 6): the keys that find the same client */
	"ALTER TABLE referrals ADD COLUMN client_key TEXT;"
	"ALTER TABLE referrals ADD COLUMN contact_email TEXT;"
	"ALTER TABLE referrals ADD COLUMN email_domain TEXT;"
	"ALTER TABLE referrals ADD COLUMN duplicate_of INTEGER "
	"  REFERENCES referrals(id);"
	"CREATE INDEX referrals_client_key ON referrals(client_key);"
	"CREATE INDEX referrals_contact_email ON referrals(contact_email);"
	"CREATE INDEX referrals_email_domain ON referrals(email_domain);",
	/* 7: the partner programme (issue 6): domains, tier and terms */
	"ALTER TABLE partners ADD COLUMN domains TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE partners ADD COLUMN tier INTEGER NOT NULL DEFAULT 3;"
	"ALTER TABLE partners ADD COLUMN terms TEXT NOT NULL "
	"  DEFAULT 'percent';"
	"ALTER TABLE partners ADD COLUMN rate_bp INTEGER;"
	"ALTER TABLE partners ADD COLUMN flat_fee INTEGER;"
	"ALTER TABLE partners ADD COLUMN newsletter INTEGER NOT NULL "
	"  DEFAULT 1;",
	/* 8: commissions (issue 6): the ledger, in integer minor units */
	"CREATE TABLE ledger ("
	"  id INTEGER PRIMARY KEY,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  referral_id INTEGER REFERENCES referrals(id),"
	"  kind TEXT NOT NULL,"
	"  amount INTEGER NOT NULL,"
	"  basis INTEGER,"
	"  rate_bp INTEGER,"
	"  note TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX ledger_partner ON ledger(partner_id);",
	/* 9: reports (issue 6): revenue won, referrals given to partners */
	"ALTER TABLE referrals ADD COLUMN won_amount INTEGER;"
	"CREATE TABLE given ("
	"  id INTEGER PRIMARY KEY,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  at INTEGER NOT NULL,"
	"  note TEXT);",
	/* 10: statements (issue 6): sent once per partner and quarter */
	"CREATE TABLE statements_sent ("
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  quarter TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (partner_id, quarter));",
	/* 11: programme costs (issue 6), for the ROI in reports */
	"CREATE TABLE costs ("
	"  id INTEGER PRIMARY KEY,"
	"  amount INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  note TEXT);",
	/* 12: the monthly newsletter (issue 7) */
	"CREATE TABLE newsletter_profiles ("
	"  month TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  author TEXT,"
	"  confirmed INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (month, lang));"
	"CREATE TABLE newsletter_sends ("
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  month TEXT NOT NULL,"
	"  outbox_id INTEGER REFERENCES outbox(id),"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (partner_id, month));"
	"ALTER TABLE partners ADD COLUMN soft_bounces INTEGER NOT NULL "
	"  DEFAULT 0;",
	/* 13: enablement (issue 10): when the welcome kit was last sent */
	"ALTER TABLE partners ADD COLUMN welcomed_at INTEGER;",
	/*
	 * 14: benchmarks (issue 8): per-message lookups that scanned a whole
	 * table, so a backlog took quadratic time: the auto-reply count per
	 * sender (by kind, so it reads only the replies that count, which
	 * the limit itself keeps few, not every acknowledgement), a
	 * referral's thread, a partner's referrals (tier, reports).
	 */
	"CREATE INDEX outbox_rcpt ON outbox(rcpt, kind, created_at);"
	"CREATE INDEX outbox_referral ON outbox(referral_id);"
	"CREATE INDEX referrals_partner ON referrals(partner_id, created_at);",
	/*
	 * Issue 14 items 2 and 6: nothing changes on a From address alone.
	 * A newsletter draft is its own row (id, author), confirmed only
	 * through the signed address of its own preview; newsletter_profiles
	 * keeps only confirmed profiles.  A partner's unsigned correction or
	 * unsubscribe waits here until the partner answers a signed mail.
	 */
	"CREATE TABLE newsletter_drafts ("
	"  id INTEGER PRIMARY KEY,"
	"  month TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  author TEXT NOT NULL,"
	"  message_row INTEGER REFERENCES messages(id),"
	"  created_at INTEGER NOT NULL,"
	"  confirmed_at INTEGER);"
	"INSERT INTO newsletter_drafts (month, lang, body, author, created_at)"
	"  SELECT month, lang, body, coalesce(author, ''), updated_at"
	"  FROM newsletter_profiles WHERE NOT confirmed;"
	"DELETE FROM newsletter_profiles WHERE NOT confirmed;"
	"CREATE TABLE pending_requests ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  referral_id INTEGER REFERENCES referrals(id),"
	"  message_row INTEGER REFERENCES messages(id),"
	"  body TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  done_at INTEGER);",
	/*
	 * issue 14 item 7 (caps): every automatic reply counts toward the
	 * per-sender cap, marked as it is queued (the kinds that counted
	 * before, and those that wrongly did not, are marked here); staff
	 * alerts about inbound mail, one row each, so a clock hour's
	 * alerts beyond staff_alert_limit are held for one summary.
	 */
	"ALTER TABLE outbox ADD COLUMN auto_reply INTEGER NOT NULL DEFAULT 0;"
	"UPDATE outbox SET auto_reply = 1 WHERE kind IN ('incomplete', "
	"  'disqualified', 'duplicate', 'not-partner', 'status', "
	"  'staff-error', 'form-reply', 'unreadable', 'too-large', "
	"  'newsletter-unsubscribed', 'staff-newsletter-unconfirmed', "
	"  'confirm-correction', 'confirm-unsubscribe');"
	"CREATE INDEX outbox_replies ON outbox(rcpt, created_at) "
	"  WHERE auto_reply = 1;"
	"CREATE TABLE staff_alerts ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  period INTEGER NOT NULL,"
	"  message_row INTEGER REFERENCES messages(id),"
	"  at INTEGER NOT NULL,"
	"  held INTEGER NOT NULL,"
	"  summarised_at INTEGER);"
	"CREATE INDEX staff_alerts_period ON staff_alerts(kind, period);"
	"CREATE INDEX staff_alerts_unsummarised ON staff_alerts(period) "
	"  WHERE held = 1 AND summarised_at IS NULL;",
};

static int64_t
now_s(void)
{
	return clock_now();
}

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

int
db_open(const char *path, int create, struct db **out, char **errstr)
{
	struct db *db = xcalloc(1, sizeof(*db));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	char *err = NULL;

	if (create)
		flags |= SQLITE_OPEN_CREATE;
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
	 */
	if (sqlite3_exec(db->h, "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;", NULL, NULL,
	    &err) != SQLITE_OK) {
		*errstr = xasprintf("%s: %s (it and its directory must be "
		    "writable: SQLite keeps its journal beside it)", path,
		    err ? err : "?");
		sqlite3_free(err);
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
	for (i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	sqlite3_close(db->h);
	free(db);
}

const char *
db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

/* A ready statement for sql (a string literal), reset and unbound. */
static sqlite3_stmt *
stmt(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	size_t i;

	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql) {
			sqlite3_reset(db->cache[i].st);
			sqlite3_clear_bindings(db->cache[i].st);
			return db->cache[i].st;
		}
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (db->ncache < STMT_CACHE) {
		db->cache[db->ncache].sql = sql;
		db->cache[db->ncache].st = st;
		db->ncache++;
	} else {
		/* More distinct statements than slots: a programming error. */
		abort();
	}
	return st;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? xstrdup((const char *)t) : NULL;
}

/* Runs a statement that returns no rows. */
static int
exec_done(sqlite3_stmt *st)
{
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
exec_sql(struct db *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Steps a query of one integer (a count, a sum); the value, or -1. */
static int64_t
step_int(sqlite3_stmt *st)
{
	int64_t v = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

/* step_int of a query whose one parameter is an id. */
static int64_t
int_by_id(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return step_int(st);
}

int
db_schema_version(struct db *db)
{
	static const char sql[] = "PRAGMA user_version";

	return (int)step_int(stmt(db, sql));
}

int
db_migrate(struct db *db, char **errstr)
{
	int v = db_schema_version(db);
	int target = (int)nitems(migrations);
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
		    "COMMIT;", migrations[v], v + 1);
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
db_begin(struct db *db)
{
	return exec_sql(db, "BEGIN IMMEDIATE");
}

int
db_commit(struct db *db)
{
	return exec_sql(db, "COMMIT");
}

void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		exec_sql(db, "ROLLBACK");
}

int
db_message_lookup(struct db *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, int64_t *id, char **disposition, int *moved)
{
	static const char sql[] = "SELECT id, disposition, moved FROM messages "
	    "WHERE mailbox = ? AND uidvalidity = ? AND uid = ?";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, uid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*disposition = col_text(st, 1);
		*moved = sqlite3_column_int(st, 2);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_message_insert(struct db *db, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, const char *raw, size_t len, uint64_t size, int64_t *id)
{
	static const char sql[] = "INSERT INTO messages (mailbox, uidvalidity, "
	    "uid, size, raw, received_at) VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, uid);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)size);
	sqlite3_bind_blob64(st, 5, raw, len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now_s());
	if (exec_done(st) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int
db_message_seen_id(struct db *db, const char *message_id, int64_t id)
{
	static const char sql[] = "SELECT 1 FROM messages WHERE message_id = ? "
	    "AND id <> ? AND disposition <> 'pending' LIMIT 1";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, message_id);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_message_dispose(struct db *db, int64_t id, const char *message_id,
    const char *disposition, const char *detail, int64_t referral_id)
{
	static const char sql[] = "UPDATE messages SET message_id = ?, "
	    "disposition = ?, detail = ?, referral_id = ?, processed_at = ? "
	    "WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, message_id);
	bind_text(st, 2, disposition);
	bind_text(st, 3, detail);
	if (referral_id > 0)
		sqlite3_bind_int64(st, 4, referral_id);
	sqlite3_bind_int64(st, 5, now_s());
	sqlite3_bind_int64(st, 6, id);
	return exec_done(st);
}

int
db_message_attempt(struct db *db, int64_t id)
{
	static const char sql[] = "UPDATE messages SET attempts = attempts + 1 "
	    "WHERE id = ? RETURNING attempts";
	sqlite3_stmt *st;
	int rc, n = -1;

	/*
	 * The count must be committed before the work starts, so that a
	 * process killed mid-work (the watchdog's SIGABRT, SIGKILL) still
	 * counts the attempt; inside an open transaction it would be lost
	 * with the rest.  Nothing leaves a transaction open between messages.
	 */
	if (!sqlite3_get_autocommit(db->h))
		fatalx("message %lld: attempt counted inside a transaction",
		    (long long)id);
	if ((st = stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}

int
db_attachment_add(struct db *db, int64_t row, const char *name,
    const char *type, size_t size)
{
	static const char sql[] = "INSERT INTO attachments (message_row, name, "
	    "type, size) VALUES (?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, row);
	bind_text(st, 2, name);
	bind_text(st, 3, type);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)size);
	return exec_done(st);
}

int
db_referral_keys(struct db *db, int64_t id, const char *client_key,
    const char *contact_email, const char *email_domain,
    int64_t duplicate_of)
{
	static const char sql[] = "UPDATE referrals SET client_key = ?, "
	    "contact_email = ?, email_domain = ?, duplicate_of = ? "
	    "WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, client_key && *client_key ? client_key : NULL);
	bind_text(st, 2, contact_email);
	bind_text(st, 3, email_domain);
	if (duplicate_of > 0)
		sqlite3_bind_int64(st, 4, duplicate_of);
	sqlite3_bind_int64(st, 5, id);
	return exec_done(st);
}

int
db_referral_first(struct db *db, int64_t since, const char *client_key,
    const char *contact_email, const char *email_domain, int64_t *id)
{
	/*
	 * The first formal referral of the same client still counting: not
	 * a duplicate itself, not waiting for the partner, not turned away.
	 */
	static const char sql[] = "SELECT id FROM referrals WHERE "
	    "created_at >= ?1 AND duplicate_of IS NULL AND status NOT IN "
	    "('INCOMPLETE', 'DISQUALIFIED', 'DUPLICATE') AND "
	    "((?2 IS NOT NULL AND client_key = ?2) OR "
	    "(?3 IS NOT NULL AND contact_email = ?3) OR "
	    "(?4 IS NOT NULL AND email_domain = ?4)) ORDER BY id LIMIT 1";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	bind_text(st, 2, client_key && *client_key ? client_key : NULL);
	bind_text(st, 3, contact_email);
	bind_text(st, 4, email_domain);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_ledger_add(struct db *db, int64_t partner_id, int64_t referral_id,
    const char *kind, int64_t amount, int64_t basis, int64_t rate_bp,
    const char *note)
{
	static const char sql[] = "INSERT INTO ledger (partner_id, "
	    "referral_id, kind, amount, basis, rate_bp, note, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, partner_id);
	if (referral_id > 0)
		sqlite3_bind_int64(st, 2, referral_id);
	bind_text(st, 3, kind);
	sqlite3_bind_int64(st, 4, amount);
	if (basis >= 0)
		sqlite3_bind_int64(st, 5, basis);
	if (rate_bp >= 0)
		sqlite3_bind_int64(st, 6, rate_bp);
	bind_text(st, 7, note);
	sqlite3_bind_int64(st, 8, now_s());
	return exec_done(st);
}

int
db_ledger_totals(struct db *db, int64_t partner_id, int64_t *earned,
    int64_t *paid)
{
	static const char sql[] = "SELECT coalesce(sum(CASE WHEN kind = "
	    "'commission' THEN amount END), 0), coalesce(sum(CASE WHEN kind "
	    "= 'payout' THEN amount END), 0) FROM ledger WHERE partner_id = ?";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, partner_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*earned = sqlite3_column_int64(st, 0);
		*paid = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
db_partner_year_count(struct db *db, int64_t partner_id, int64_t from,
    int64_t to, int64_t upto_id)
{
	/* Referrals that count toward the tier: not duplicates, not refused. */
	static const char sql[] = "SELECT count(*) FROM referrals WHERE "
	    "partner_id = ? AND created_at >= ? AND created_at < ? AND "
	    "id <= ? AND duplicate_of IS NULL AND status NOT IN "
	    "('INCOMPLETE', 'DISQUALIFIED', 'DUPLICATE')";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, partner_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	sqlite3_bind_int64(st, 4, upto_id);
	return (int)step_int(st);
}

int
db_referral_duplicate(struct db *db, int64_t id, int64_t of,
    const char *status)
{
	static const char sql[] = "UPDATE referrals SET duplicate_of = ?, "
	    "status = ?, updated_at = ? WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	if (of > 0)
		sqlite3_bind_int64(st, 1, of);
	bind_text(st, 2, status);
	sqlite3_bind_int64(st, 3, now_s());
	sqlite3_bind_int64(st, 4, id);
	return exec_done(st);
}

int
db_referral_duplicate_of(struct db *db, int64_t id, int64_t *of)
{
	static const char sql[] = "SELECT coalesce(duplicate_of, 0) FROM "
	    "referrals WHERE id = ?";

	return (*of = int_by_id(db, sql, id)) < 0 ? -1 : 0;
}

int
db_referral_won(struct db *db, int64_t id, int64_t amount)
{
	static const char sql[] = "UPDATE referrals SET won_amount = ? "
	    "WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, amount);
	sqlite3_bind_int64(st, 2, id);
	return exec_done(st);
}

int
db_given_add(struct db *db, int64_t partner_id, int64_t at, const char *note)
{
	static const char sql[] = "INSERT INTO given (partner_id, at, note) "
	    "VALUES (?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, partner_id);
	sqlite3_bind_int64(st, 2, at);
	bind_text(st, 3, note);
	return exec_done(st);
}

/*
 * A referral (r) past its SLA (?4 seconds) without a first response by
 * now (?5), or answered later than that; the ones that need no answer
 * are left out.
 */
#define BREACH "r.status NOT IN ('INCOMPLETE', 'DISQUALIFIED', " \
	"'DUPLICATE') AND ((r.first_response_at IS NULL AND ?5 - " \
	"r.created_at > ?4) OR r.first_response_at - r.created_at > ?4)"

/* The report queries' parameters: ?1 from, ?2 to, ?3 partner (0: all). */
static void
bind_period(sqlite3_stmt *st, int64_t from, int64_t to, int64_t partner_id,
    int64_t sla, int64_t now)
{
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, partner_id);
	if (sqlite3_bind_parameter_count(st) >= 5) {
		sqlite3_bind_int64(st, 4, sla);
		sqlite3_bind_int64(st, 5, now);
	}
}

int
db_report(struct db *db, int64_t from, int64_t to, int64_t partner_id,
    int64_t sla, int64_t now, int (*cb)(const struct report_row *, void *),
    void *arg)
{
	/*
	 * One row per partner (partner_id 0: all), the numbers of F8.  Each
	 * table is read once and grouped by partner (a subquery per partner
	 * read the referrals once per partner: minutes for a large
	 * programme).  The referrals are read straight through (NOT
	 * INDEXED): walking referrals_partner instead fetches every row by
	 * rowid and took three times as long for a million.  The response
	 * times come back as a list for the median, which SQL cannot give
	 * directly.
	 */
	static const char sql[] =
	    "WITH r AS (SELECT partner_id, count(*) AS received,"
	    "   sum(status = 'DUPLICATE') AS duplicates,"
	    "   sum(status = 'WON') AS won,"
	    "   sum(CASE WHEN status = 'WON' THEN won_amount END) AS revenue,"
	    "   sum(" BREACH ") AS breaches"
	    "   FROM referrals r NOT INDEXED WHERE created_at >= ?1 AND"
	    "   created_at < ?2 AND (?3 = 0 OR partner_id = ?3)"
	    "   GROUP BY partner_id),"
	    " t AS (SELECT partner_id, group_concat(d) AS times FROM"
	    "   (SELECT partner_id, first_response_at - created_at AS d FROM"
	    "   referrals NOT INDEXED WHERE created_at >= ?1 AND"
	    "   created_at < ?2 AND"
	    "   (?3 = 0 OR partner_id = ?3) AND first_response_at IS NOT NULL"
	    "   ORDER BY partner_id, d) GROUP BY partner_id),"
	    " l AS (SELECT partner_id,"
	    "   sum(CASE WHEN kind = 'commission' THEN amount END) AS earned,"
	    "   sum(CASE WHEN kind = 'payout' THEN amount END) AS paid"
	    "   FROM ledger WHERE created_at >= ?1 AND created_at < ?2 AND"
	    "   (?3 = 0 OR partner_id = ?3) GROUP BY partner_id),"
	    " g AS (SELECT partner_id, count(*) AS given FROM given WHERE"
	    "   at >= ?1 AND at < ?2 AND (?3 = 0 OR partner_id = ?3)"
	    "   GROUP BY partner_id)"
	    " SELECT p.id, p.name, coalesce(r.received, 0),"
	    " coalesce(r.duplicates, 0), coalesce(r.won, 0),"
	    " coalesce(r.revenue, 0), coalesce(l.earned, 0),"
	    " coalesce(l.paid, 0), coalesce(g.given, 0),"
	    " coalesce(r.breaches, 0), t.times"
	    " FROM partners p LEFT JOIN r ON r.partner_id = p.id"
	    " LEFT JOIN t ON t.partner_id = p.id"
	    " LEFT JOIN l ON l.partner_id = p.id"
	    " LEFT JOIN g ON g.partner_id = p.id"
	    " WHERE ?3 = 0 OR p.id = ?3 ORDER BY p.id";
	sqlite3_stmt *st = stmt(db, sql);
	struct report_row row;
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	bind_period(st, from, to, partner_id, sla, now);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		row.partner_id = sqlite3_column_int64(st, 0);
		row.name = (const char *)sqlite3_column_text(st, 1);
		row.received = sqlite3_column_int64(st, 2);
		row.duplicates = sqlite3_column_int64(st, 3);
		row.won = sqlite3_column_int64(st, 4);
		row.revenue = sqlite3_column_int64(st, 5);
		row.commission = sqlite3_column_int64(st, 6);
		row.paid = sqlite3_column_int64(st, 7);
		row.given = sqlite3_column_int64(st, 8);
		row.sla_breaches = sqlite3_column_int64(st, 9);
		row.response_times = (const char *)sqlite3_column_text(st, 10);
		stop = cb(&row, arg);
	}
	sqlite3_reset(st);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

/* How far along the pipeline a state is: the funnel's stages. */
#define STAGE(col) "CASE " col " WHEN 'CONTACTED' THEN 1 WHEN 'MEETING' " \
	"THEN 2 WHEN 'PROPOSAL' THEN 3 WHEN 'WON' THEN 4 ELSE 0 END"

int
db_report_funnel(struct db *db, int64_t from, int64_t to, int64_t partner_id,
    int64_t stages[5])
{
	/*
	 * A referral counts for every stage up to the furthest its history
	 * reached (staff may skip steps: WON straight from NEW was contacted
	 * too), and for won only while it is WON.  Duplicates are the first
	 * referral's, as in the report's conversion.
	 */
	static const char sql[] =
	    "SELECT count(*), coalesce(sum(s >= 1), 0), coalesce(sum(s >= 2),"
	    " 0), coalesce(sum(s >= 3), 0), coalesce(sum(won), 0) FROM"
	    " (SELECT max(" STAGE("r.status") ", coalesce((SELECT max("
	    STAGE("h.to_status") ") FROM history h WHERE h.referral_id ="
	    " r.id), 0)) AS s, r.status = 'WON' AS won FROM referrals r"
	    " WHERE r.created_at >= ?1 AND r.created_at < ?2 AND"
	    " (?3 = 0 OR r.partner_id = ?3) AND r.status <> 'DUPLICATE')";
	sqlite3_stmt *st = stmt(db, sql);
	int rc, i;

	if (st == NULL)
		return -1;
	bind_period(st, from, to, partner_id, 0, 0);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (i = 0; i < 5; i++)
			stages[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
db_report_months(struct db *db, int64_t from, int64_t to, int64_t partner_id,
    int64_t sla, int64_t now, int (*cb)(const struct report_month *, void *),
    void *arg)
{
	/* The report's breaches and response times, by month of arrival. */
	static const char sql[] =
	    "SELECT strftime('%Y-%m', r.created_at, 'unixepoch'),"
	    " coalesce(sum(r.status <> 'DUPLICATE'), 0),"
	    " coalesce(sum(" BREACH "), 0),"
	    " group_concat(r.first_response_at - r.created_at)"
	    " FROM referrals r WHERE r.created_at >= ?1 AND r.created_at < ?2"
	    " AND (?3 = 0 OR r.partner_id = ?3) GROUP BY 1 ORDER BY 1";
	sqlite3_stmt *st = stmt(db, sql);
	struct report_month m;
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	bind_period(st, from, to, partner_id, sla, now);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		m.month = (const char *)sqlite3_column_text(st, 0);
		m.received = sqlite3_column_int64(st, 1);
		m.breaches = sqlite3_column_int64(st, 2);
		m.response_times = (const char *)sqlite3_column_text(st, 3);
		stop = cb(&m, arg);
	}
	sqlite3_reset(st);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

int
db_referral_responded(struct db *db, int64_t id, int64_t at)
{
	static const char sql[] = "UPDATE referrals SET first_response_at = ? "
	    "WHERE id = ? AND first_response_at IS NULL";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int64(st, 2, id);
	return exec_done(st);
}

int
db_sla_due(struct db *db, int64_t now, const int64_t *sla, int escalate,
    int64_t *id)
{
	/* Still NEW: nobody has answered it yet.  The SLA is the tier's. */
	static const char rsql[] = "SELECT r.id FROM referrals r LEFT JOIN "
	    "partners p ON p.id = r.partner_id WHERE r.status = 'NEW' AND "
	    "r.sla_reminded = 0 AND r.created_at + (CASE p.tier WHEN 1 THEN "
	    "?1 WHEN 2 THEN ?2 ELSE ?3 END) <= ?4 ORDER BY r.id LIMIT 1";
	static const char esql[] = "SELECT r.id FROM referrals r LEFT JOIN "
	    "partners p ON p.id = r.partner_id WHERE r.status = 'NEW' AND "
	    "r.sla_escalated = 0 AND r.created_at + 2 * (CASE p.tier WHEN 1 "
	    "THEN ?1 WHEN 2 THEN ?2 ELSE ?3 END) <= ?4 ORDER BY r.id LIMIT 1";
	sqlite3_stmt *st = stmt(db, escalate ? esql : rsql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, sla[1]);
	sqlite3_bind_int64(st, 2, sla[2]);
	sqlite3_bind_int64(st, 3, sla[3]);
	sqlite3_bind_int64(st, 4, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_sla_mark(struct db *db, int64_t id, int escalate)
{
	static const char rsql[] = "UPDATE referrals SET sla_reminded = 1 "
	    "WHERE id = ?";
	static const char esql[] = "UPDATE referrals SET sla_reminded = 1, "
	    "sla_escalated = 1 WHERE id = ?";
	sqlite3_stmt *st = stmt(db, escalate ? esql : rsql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return exec_done(st);
}

int
db_referral_set_status(struct db *db, int64_t id, const char *status)
{
	static const char sql[] = "UPDATE referrals SET status = ?, "
	    "updated_at = ? WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, status);
	sqlite3_bind_int64(st, 2, now_s());
	sqlite3_bind_int64(st, 3, id);
	return exec_done(st);
}

int
db_setting_get(struct db *db, const char *key, char **value)
{
	static const char sql[] = "SELECT value FROM settings WHERE key = ?";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = col_text(st, 0);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_setting_put(struct db *db, const char *key, const char *value)
{
	static const char sql[] = "INSERT OR REPLACE INTO settings (key, "
	    "value) VALUES (?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return exec_done(st);
}

int
db_message_set_moved(struct db *db, int64_t id)
{
	static const char sql[] = "UPDATE messages SET moved = 1 WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return exec_done(st);
}

#define PARTNER_COLUMNS "id, name, email, lang, active, created_at, " \
	"domains, tier, terms, rate_bp, flat_fee, newsletter, bounced, " \
	"soft_bounces FROM partners "

static void
partner_row(sqlite3_stmt *st, struct partner *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->name = col_text(st, 1);
	p->email = col_text(st, 2);
	p->lang = col_text(st, 3);
	p->active = sqlite3_column_int(st, 4);
	p->created_at = sqlite3_column_int64(st, 5);
	p->domains = col_text(st, 6);
	p->tier = sqlite3_column_int(st, 7);
	p->terms = col_text(st, 8);
	p->rate_bp = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 9);
	p->flat_fee = sqlite3_column_type(st, 10) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 10);
	p->newsletter = sqlite3_column_int(st, 11);
	p->bounced = col_text(st, 12);
	p->soft_bounces = sqlite3_column_int(st, 13);
}

/* Runs a one-row partner query with one text parameter. */
static int
partner_query(struct db *db, const char *sql, const char *arg,
    struct partner *p)
{
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, arg);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		partner_row(st, p);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_partner_by_email(struct db *db, const char *email, struct partner *p)
{
	static const char sql[] = "SELECT " PARTNER_COLUMNS "WHERE email = ?";

	return partner_query(db, sql, email, p);
}

int
db_partner_by_sender(struct db *db, const char *email, struct partner *p)
{
	/* A whole domain identifies a partner firm whose staff all refer. */
	static const char sql[] = "SELECT " PARTNER_COLUMNS "WHERE ',' || "
	    "replace(domains, ' ', '') || ',' LIKE '%,' || ? || ',%' "
	    "ORDER BY active DESC, id LIMIT 1";
	const char *at = email ? strrchr(email, '@') : NULL;
	int r;

	if ((r = db_partner_by_email(db, email, p)) != 0 || at == NULL ||
	    at[1] == '\0' || strpbrk(at + 1, "%_,") != NULL)
		return r;
	return partner_query(db, sql, at + 1, p);
}

int
db_partner_find(struct db *db, const char *key, struct partner *p)
{
	static const char sql[] = "SELECT " PARTNER_COLUMNS "WHERE id = ?";
	char *end;
	long long id = strtoll(key, &end, 10);
	sqlite3_stmt *st;
	int rc;

	if (*key == '\0' || *end != '\0' || id <= 0)
		return db_partner_by_email(db, key, p);
	if ((st = stmt(db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		partner_row(st, p);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_partner_add(struct db *db, const char *name, const char *email,
    const char *lang, int64_t *id)
{
	static const char sql[] = "INSERT INTO partners (name, email, lang, "
	    "created_at) VALUES (?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, name);
	bind_text(st, 2, email);
	bind_text(st, 3, lang);
	sqlite3_bind_int64(st, 4, now_s());
	if (exec_done(st) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int
db_partner_update(struct db *db, const struct partner *p)
{
	static const char sql[] = "UPDATE partners SET name = ?, email = ?, "
	    "lang = ?, active = ?, domains = ?, tier = ?, terms = ?, "
	    "rate_bp = ?, flat_fee = ?, newsletter = ?, bounced = ? "
	    "WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, p->name);
	bind_text(st, 2, p->email);
	bind_text(st, 3, p->lang);
	sqlite3_bind_int(st, 4, p->active);
	bind_text(st, 5, p->domains ? p->domains : "");
	sqlite3_bind_int(st, 6, p->tier);
	bind_text(st, 7, p->terms ? p->terms : "percent");
	if (p->rate_bp >= 0)
		sqlite3_bind_int64(st, 8, p->rate_bp);
	if (p->flat_fee >= 0)
		sqlite3_bind_int64(st, 9, p->flat_fee);
	sqlite3_bind_int(st, 10, p->newsletter);
	bind_text(st, 11, p->bounced);
	sqlite3_bind_int64(st, 12, p->id);
	return exec_done(st);
}

int
db_partner_each(struct db *db, int (*cb)(const struct partner *, void *),
    void *arg)
{
	static const char sql[] = "SELECT " PARTNER_COLUMNS "ORDER BY id";
	sqlite3_stmt *st = stmt(db, sql);
	struct partner p;
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		partner_row(st, &p);
		stop = cb(&p, arg);
		partner_free(&p);
	}
	sqlite3_reset(st);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

void
partner_free(struct partner *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->email);
	free(p->lang);
	free(p->domains);
	free(p->terms);
	free(p->bounced);
	memset(p, 0, sizeof(*p));
}

int
db_referral_insert(struct db *db, int64_t partner_id, int64_t message_row,
    const char *status, const char *client, const char *contact_name,
    const char *subject, const char *inbound_message_id, int64_t *id)
{
	static const char sql[] = "INSERT INTO referrals (partner_id, "
	    "message_row, status, client, contact_name, subject, "
	    "inbound_message_id, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);
	int64_t now = now_s();

	if (st == NULL)
		return -1;
	if (partner_id > 0)
		sqlite3_bind_int64(st, 1, partner_id);
	if (message_row > 0)
		sqlite3_bind_int64(st, 2, message_row);
	bind_text(st, 3, status);
	bind_text(st, 4, client);
	bind_text(st, 5, contact_name);
	bind_text(st, 6, subject);
	bind_text(st, 7, inbound_message_id);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, now);
	if (exec_done(st) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int
db_referral_field(struct db *db, int64_t id, const char *key,
    const char *value)
{
	static const char sql[] = "INSERT OR REPLACE INTO referral_fields "
	    "(referral_id, key, value) VALUES (?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, key);
	bind_text(st, 3, value);
	return exec_done(st);
}

int
db_history_add(struct db *db, int64_t referral_id, const char *actor,
    const char *event, const char *from_status, const char *to_status,
    const char *detail)
{
	return db_history_add_mid(db, referral_id, actor, event, from_status,
	    to_status, detail, NULL);
}

int
db_history_add_mid(struct db *db, int64_t referral_id, const char *actor,
    const char *event, const char *from_status, const char *to_status,
    const char *detail, const char *message_id)
{
	static const char sql[] = "INSERT INTO history (referral_id, at, "
	    "actor, event, from_status, to_status, detail, message_id) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, referral_id);
	sqlite3_bind_int64(st, 2, now_s());
	bind_text(st, 3, actor);
	bind_text(st, 4, event);
	bind_text(st, 5, from_status);
	bind_text(st, 6, to_status);
	bind_text(st, 7, detail);
	bind_text(st, 8, message_id);
	return exec_done(st);
}

int
db_history_reopen_to(struct db *db, int64_t referral_id, const char *closed,
    char **status)
{
	static const char sql[] = "SELECT from_status FROM history WHERE "
	    "referral_id = ? AND to_status = ? AND from_status <> to_status "
	    "ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, referral_id);
	bind_text(st, 2, closed);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*status = col_text(st, 0);
		sqlite3_reset(st);
		return *status != NULL;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_outbox_thread_id(struct db *db, int64_t referral_id, char **message_id)
{
	/* The partner's thread starts at the first mail we sent them. */
	static const char sql[] = "SELECT message_id FROM outbox WHERE "
	    "referral_id = ? AND kind IN ('ack', 'incomplete', "
	    "'disqualified') ORDER BY id LIMIT 1";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, referral_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*message_id = col_text(st, 0);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

#define REFERRAL_COLUMNS "r.id, r.status, r.partner_id, p.name, p.email, " \
	"r.client, r.contact_name, r.subject, r.inbound_message_id, " \
	"r.created_at, r.updated_at FROM referrals r " \
	"LEFT JOIN partners p ON p.id = r.partner_id "

static void
referral_row(sqlite3_stmt *st, struct referral *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->status = col_text(st, 1);
	r->partner_id = sqlite3_column_int64(st, 2);
	r->partner_name = col_text(st, 3);
	r->partner_email = col_text(st, 4);
	r->client = col_text(st, 5);
	r->contact_name = col_text(st, 6);
	r->subject = col_text(st, 7);
	r->inbound_message_id = col_text(st, 8);
	r->created_at = sqlite3_column_int64(st, 9);
	r->updated_at = sqlite3_column_int64(st, 10);
}

int
db_referral_get(struct db *db, int64_t id, struct referral *r)
{
	static const char sql[] = "SELECT " REFERRAL_COLUMNS "WHERE r.id = ?";
	static const char fsql[] = "SELECT key, value FROM referral_fields "
	    "WHERE referral_id = ? ORDER BY rowid";
	static const char hsql[] = "SELECT at, actor, event, from_status, "
	    "to_status, detail FROM history WHERE referral_id = ? ORDER BY id";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	referral_row(st, r);
	sqlite3_reset(st);

	if ((st = stmt(db, fsql)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->fields = xreallocarray(r->fields, r->nfields + 1,
		    sizeof(*r->fields));
		r->fields[r->nfields].key = col_text(st, 0);
		r->fields[r->nfields].value = col_text(st, 1);
		r->nfields++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || (st = stmt(db, hsql)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_entry *h;
		r->history = xreallocarray(r->history, r->nhistory + 1,
		    sizeof(*r->history));
		h = &r->history[r->nhistory++];
		h->at = sqlite3_column_int64(st, 0);
		h->actor = col_text(st, 1);
		h->event = col_text(st, 2);
		h->from_status = col_text(st, 3);
		h->to_status = col_text(st, 4);
		h->detail = col_text(st, 5);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	return 1;
fail:
	referral_free(r);
	return -1;
}

int
db_referral_each(struct db *db, const char *status,
    int (*cb)(const struct referral *, void *), void *arg)
{
	static const char sql[] = "SELECT " REFERRAL_COLUMNS
	    "WHERE ?1 IS NULL OR r.status = ?1 ORDER BY r.id DESC";
	sqlite3_stmt *st = stmt(db, sql);
	struct referral r;
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	bind_text(st, 1, status);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		referral_row(st, &r);
		stop = cb(&r, arg);
		referral_free(&r);
	}
	sqlite3_reset(st);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

void
referral_free(struct referral *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->status);
	free(r->partner_name);
	free(r->partner_email);
	free(r->client);
	free(r->contact_name);
	free(r->subject);
	free(r->inbound_message_id);
	for (i = 0; i < r->nfields; i++) {
		free(r->fields[i].key);
		free(r->fields[i].value);
	}
	free(r->fields);
	for (i = 0; i < r->nhistory; i++) {
		free(r->history[i].actor);
		free(r->history[i].event);
		free(r->history[i].from_status);
		free(r->history[i].to_status);
		free(r->history[i].detail);
	}
	free(r->history);
	memset(r, 0, sizeof(*r));
}

int
db_outbox_add(struct db *db, const struct outmail *m, int64_t *id)
{
	static const char sql[] = "INSERT INTO outbox (referral_id, kind, "
	    "mail_from, rcpt, message_id, data, next_attempt_at, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);
	int64_t now = now_s();

	if (st == NULL)
		return -1;
	if (m->referral_id > 0)
		sqlite3_bind_int64(st, 1, m->referral_id);
	bind_text(st, 2, m->kind);
	bind_text(st, 3, m->mail_from);
	bind_text(st, 4, m->rcpt);
	bind_text(st, 5, m->message_id);
	sqlite3_bind_blob64(st, 6, m->data, m->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_int64(st, 8, now);
	if (exec_done(st) != 0)
		return -1;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

#define OUTBOX_COLUMNS "id, referral_id, kind, mail_from, rcpt, message_id, " \
	"data, status, attempts, next_attempt_at, last_error, created_at, " \
	"sent_at FROM outbox "

static void
outmail_row(sqlite3_stmt *st, struct outmail *m, int with_data)
{
	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->referral_id = sqlite3_column_int64(st, 1);
	m->kind = col_text(st, 2);
	m->mail_from = col_text(st, 3);
	m->rcpt = col_text(st, 4);
	m->message_id = col_text(st, 5);
	m->len = (size_t)sqlite3_column_bytes(st, 6);
	if (with_data)
		m->data = xstrndup(sqlite3_column_blob(st, 6) ?
		    sqlite3_column_blob(st, 6) : "", m->len);
	m->status = col_text(st, 7);
	m->attempts = sqlite3_column_int(st, 8);
	m->next_attempt_at = sqlite3_column_int64(st, 9);
	m->last_error = col_text(st, 10);
	m->created_at = sqlite3_column_int64(st, 11);
	m->sent_at = sqlite3_column_int64(st, 12);
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
	int pass, rc = SQLITE_DONE;

	for (pass = 0; pass < (bulk ? 2 : 1); pass++) {
		sqlite3_stmt *st = stmt(db, pass ? bulk_sql : mail_sql);

		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, now);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			outmail_row(st, m, 1);
			sqlite3_reset(st);
			return 1;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return -1;
	}
	return 0;
}

int
db_outbox_next_time(struct db *db, int64_t *when)
{
	static const char sql[] = "SELECT min(next_attempt_at) FROM outbox "
	    "WHERE status = 'pending'";
	sqlite3_stmt *st = stmt(db, sql);
	int rc, found = 0;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*when = sqlite3_column_int64(st, 0);
		found = 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? found : -1;
}

/* For the daemon's status line: how many mails wait to be sent. */
int64_t
db_outbox_pending_count(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM outbox "
	    "WHERE status = 'pending'";
	sqlite3_stmt *st = stmt(db, sql);
	int64_t n = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int
db_outbox_recent_replies(struct db *db, const char *rcpt, int64_t since)
{
	/* Answers to a person's mail (notify marks them as it queues). */
	static const char sql[] = "SELECT count(*) FROM outbox WHERE rcpt = ? "
	    "AND created_at >= ? AND auto_reply = 1";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, rcpt);
	sqlite3_bind_int64(st, 2, since);
	return (int)step_int(st);
}

int
db_outbox_retry(struct db *db, int64_t id, int all_failed)
{
	static const char sql[] = "UPDATE outbox SET status = 'pending', "
	    "next_attempt_at = ?3 WHERE status <> 'sent' AND "
	    "((?1 > 0 AND id = ?1) OR (?2 AND status = 'failed'))";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, all_failed);
	sqlite3_bind_int64(st, 3, now_s());
	if (exec_done(st) != 0)
		return -1;
	return sqlite3_changes(db->h);
}

int
db_outbox_bounce(struct db *db, const char *message_id, const char *why,
    struct outmail *m)
{
	static const char sql[] = "UPDATE outbox SET status = 'bounced', "
	    "last_error = ? WHERE message_id = ? RETURNING id, referral_id, "
	    "kind, rcpt";
	sqlite3_stmt *st = stmt(db, sql);
	int rc, found = 0;

	if (st == NULL)
		return -1;
	bind_text(st, 1, why);
	bind_text(st, 2, message_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(m, 0, sizeof(*m));
		m->id = sqlite3_column_int64(st, 0);
		m->referral_id = sqlite3_column_int64(st, 1);
		m->kind = col_text(st, 2);
		m->rcpt = col_text(st, 3);
		found = 1;
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? found : -1;
}

int
db_partner_bounced(struct db *db, const char *email, const char *why)
{
	static const char sql[] = "UPDATE partners SET bounced = ? "
	    "WHERE email = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, why);
	bind_text(st, 2, email);
	if (exec_done(st) != 0)
		return -1;
	return sqlite3_changes(db->h);
}

int
db_outbox_sent(struct db *db, int64_t id, int64_t now)
{
	static const char sql[] = "UPDATE outbox SET status = 'sent', "
	    "sent_at = ?, attempts = attempts + 1, last_error = NULL "
	    "WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	return exec_done(st);
}

int
db_outbox_defer(struct db *db, int64_t id, int64_t next, const char *err)
{
	static const char sql[] = "UPDATE outbox SET attempts = attempts + 1, "
	    "next_attempt_at = ?, last_error = ? WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, next);
	bind_text(st, 2, err);
	sqlite3_bind_int64(st, 3, id);
	return exec_done(st);
}

int
db_outbox_fail(struct db *db, int64_t id, const char *err)
{
	static const char sql[] = "UPDATE outbox SET status = 'failed', "
	    "attempts = attempts + 1, last_error = ? WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, err);
	sqlite3_bind_int64(st, 2, id);
	return exec_done(st);
}

int
db_outbox_each(struct db *db, const char *status,
    int (*cb)(const struct outmail *, void *), void *arg)
{
	static const char sql[] = "SELECT " OUTBOX_COLUMNS
	    "WHERE ?1 IS NULL OR status = ?1 ORDER BY id";
	sqlite3_stmt *st = stmt(db, sql);
	struct outmail m;
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	bind_text(st, 1, status);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		outmail_row(st, &m, 0);
		stop = cb(&m, arg);
		outmail_free(&m);
	}
	sqlite3_reset(st);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

void
outmail_free(struct outmail *m)
{
	if (m == NULL)
		return;
	free(m->kind);
	free(m->mail_from);
	free(m->rcpt);
	free(m->message_id);
	free(m->data);
	free(m->status);
	free(m->last_error);
	memset(m, 0, sizeof(*m));
}

int
db_statement(struct db *db, int64_t partner_id, int64_t from, int64_t to,
    struct statement *out, int (*cb)(const struct referral *, void *),
    void *arg)
{
	static const char tsql[] =
	    "SELECT"
	    " (SELECT coalesce(sum(won_amount), 0) FROM referrals WHERE"
	    "   partner_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND"
	    "   status = 'WON'),"
	    " (SELECT coalesce(sum(amount), 0) FROM ledger WHERE"
	    "   partner_id = ?1 AND kind = 'commission' AND created_at >= ?2"
	    "   AND created_at < ?3),"
	    " (SELECT coalesce(sum(amount), 0) FROM ledger WHERE"
	    "   partner_id = ?1 AND kind = 'payout' AND created_at >= ?2 AND"
	    "   created_at < ?3),"
	    " (SELECT coalesce(sum(CASE WHEN kind = 'commission' THEN amount"
	    "   ELSE -amount END), 0) FROM ledger WHERE partner_id = ?1 AND"
	    "   created_at < ?3)";
	static const char rsql[] = "SELECT " REFERRAL_COLUMNS
	    "WHERE r.partner_id = ? AND r.created_at >= ? AND r.created_at < ? "
	    "ORDER BY r.id";
	sqlite3_stmt *st = stmt(db, tsql);
	struct referral r;
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, partner_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->revenue = sqlite3_column_int64(st, 0);
		out->earned = sqlite3_column_int64(st, 1);
		out->paid = sqlite3_column_int64(st, 2);
		out->balance = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW || (st = stmt(db, rsql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, partner_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		referral_row(st, &r);
		stop = cb(&r, arg);
		referral_free(&r);
	}
	sqlite3_reset(st);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

int
db_statement_mark(struct db *db, int64_t partner_id, const char *quarter)
{
	/* OR IGNORE: a second --send of the quarter changes nothing. */
	static const char sql[] = "INSERT OR IGNORE INTO statements_sent "
	    "(partner_id, quarter, at) VALUES (?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, partner_id);
	bind_text(st, 2, quarter);
	sqlite3_bind_int64(st, 3, now_s());
	if (exec_done(st) != 0)
		return -1;
	return sqlite3_changes(db->h);
}

int
db_partner_welcome_mark(struct db *db, int64_t partner_id, int again)
{
	/* Without again, only a partner never welcomed is changed. */
	static const char sql[] = "UPDATE partners SET welcomed_at = ? "
	    "WHERE id = ? AND (? OR welcomed_at IS NULL)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now_s());
	sqlite3_bind_int64(st, 2, partner_id);
	sqlite3_bind_int(st, 3, again != 0);
	if (exec_done(st) != 0)
		return -1;
	return sqlite3_changes(db->h);
}

int64_t
db_partner_welcomed_at(struct db *db, int64_t partner_id)
{
	static const char sql[] = "SELECT coalesce(welcomed_at, 0) FROM "
	    "partners WHERE id = ?";

	return int_by_id(db, sql, partner_id);
}

int
db_cost_add(struct db *db, int64_t amount, int64_t at, const char *note)
{
	static const char sql[] = "INSERT INTO costs (amount, at, note) "
	    "VALUES (?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, amount);
	sqlite3_bind_int64(st, 2, at);
	bind_text(st, 3, note);
	return exec_done(st);
}

int
db_costs(struct db *db, int64_t from, int64_t to, int64_t *total)
{
	static const char sql[] = "SELECT coalesce(sum(amount), 0) FROM costs "
	    "WHERE at >= ? AND at < ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	return (*total = step_int(st)) < 0 ? -1 : 0;
}

int
db_newsletter_profile_put(struct db *db, const char *month, const char *lang,
    const char *body, const char *author)
{
	static const char sql[] = "INSERT OR REPLACE INTO newsletter_profiles "
	    "(month, lang, body, author, confirmed, updated_at) "
	    "VALUES (?, ?, ?, ?, 1, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, month);
	bind_text(st, 2, lang);
	bind_text(st, 3, body);
	bind_text(st, 4, author);
	sqlite3_bind_int64(st, 5, now_s());
	return exec_done(st);
}

int
db_newsletter_profile_get(struct db *db, const char *month, const char *lang,
    char **body)
{
	static const char sql[] = "SELECT body FROM newsletter_profiles "
	    "WHERE month = ? AND lang = ? AND confirmed";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, month);
	bind_text(st, 2, lang);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*body = col_text(st, 0);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_newsletter_draft_add(struct db *db, const char *month, const char *lang,
    const char *body, const char *author, int64_t message_row, int64_t *id)
{
	static const char sql[] = "INSERT INTO newsletter_drafts (month, "
	    "lang, body, author, message_row, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, month);
	bind_text(st, 2, lang);
	bind_text(st, 3, body);
	bind_text(st, 4, author);
	sqlite3_bind_int64(st, 5, message_row);
	sqlite3_bind_int64(st, 6, now_s());
	if (exec_done(st) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int
db_newsletter_draft_get(struct db *db, int64_t id,
    struct newsletter_draft *d)
{
	static const char sql[] = "SELECT id, month, lang, body, author, "
	    "coalesce(confirmed_at, 0) FROM newsletter_drafts WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	memset(d, 0, sizeof(*d));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		d->id = sqlite3_column_int64(st, 0);
		d->month = col_text(st, 1);
		d->lang = col_text(st, 2);
		d->body = col_text(st, 3);
		d->author = col_text(st, 4);
		d->confirmed_at = sqlite3_column_int64(st, 5);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

void
newsletter_draft_free(struct newsletter_draft *d)
{
	free(d->month);
	free(d->lang);
	free(d->body);
	free(d->author);
	memset(d, 0, sizeof(*d));
}

int
db_newsletter_draft_confirm(struct db *db, const struct newsletter_draft *d)
{
	static const char sql[] = "UPDATE newsletter_drafts SET confirmed_at "
	    "= ? WHERE id = ? AND confirmed_at IS NULL";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now_s());
	sqlite3_bind_int64(st, 2, d->id);
	if (exec_done(st) != 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return 0;
	return db_newsletter_profile_put(db, d->month, d->lang, d->body,
	    d->author) != 0 ? -1 : 1;
}

int
db_newsletter_drafts(struct db *db, const char *month, const char *lang)
{
	static const char sql[] = "SELECT count(*) FROM newsletter_drafts "
	    "WHERE month = ? AND lang = ? AND confirmed_at IS NULL";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, month);
	bind_text(st, 2, lang);
	return (int)step_int(st);
}

int
db_pending_add(struct db *db, const char *kind, int64_t partner_id,
    int64_t referral_id, int64_t message_row, const char *body, int64_t *id)
{
	static const char sql[] = "INSERT INTO pending_requests (kind, "
	    "partner_id, referral_id, message_row, body, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, partner_id);
	if (referral_id > 0)
		sqlite3_bind_int64(st, 3, referral_id);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, message_row);
	bind_text(st, 5, body);
	sqlite3_bind_int64(st, 6, now_s());
	if (exec_done(st) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int
db_pending_get(struct db *db, int64_t id, struct pending_request *pr)
{
	static const char sql[] = "SELECT id, kind, partner_id, "
	    "coalesce(referral_id, 0), body, coalesce(done_at, 0) "
	    "FROM pending_requests WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	memset(pr, 0, sizeof(*pr));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		pr->id = sqlite3_column_int64(st, 0);
		pr->kind = col_text(st, 1);
		pr->partner_id = sqlite3_column_int64(st, 2);
		pr->referral_id = sqlite3_column_int64(st, 3);
		pr->body = col_text(st, 4);
		pr->done_at = sqlite3_column_int64(st, 5);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_pending_done(struct db *db, int64_t id)
{
	static const char sql[] = "UPDATE pending_requests SET done_at = ? "
	    "WHERE id = ? AND done_at IS NULL";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now_s());
	sqlite3_bind_int64(st, 2, id);
	if (exec_done(st) != 0)
		return -1;
	return sqlite3_changes(db->h);
}

void
pending_request_free(struct pending_request *pr)
{
	free(pr->kind);
	free(pr->body);
	memset(pr, 0, sizeof(*pr));
}

int
db_newsletter_claim(struct db *db, int64_t partner_id, const char *month)
{
	/* The primary key makes a second claim of the month a no-op. */
	static const char sql[] = "INSERT OR IGNORE INTO newsletter_sends "
	    "(partner_id, month, created_at) VALUES (?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, partner_id);
	bind_text(st, 2, month);
	sqlite3_bind_int64(st, 3, now_s());
	if (exec_done(st) != 0)
		return -1;
	return sqlite3_changes(db->h);
}

int
db_newsletter_claimed(struct db *db, int64_t partner_id, const char *month,
    int64_t outbox_id)
{
	static const char sql[] = "UPDATE newsletter_sends SET outbox_id = ? "
	    "WHERE partner_id = ? AND month = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, outbox_id);
	sqlite3_bind_int64(st, 2, partner_id);
	bind_text(st, 3, month);
	return exec_done(st);
}

int
db_newsletter_progress(struct db *db, const char *month,
    struct newsletter_progress *p)
{
	static const char sql[] = "SELECT count(*), "
	    "coalesce(sum(o.status = 'sent' OR o.status = 'bounced'), 0), "
	    "coalesce(sum(o.status = 'failed'), 0), "
	    "coalesce(sum(o.status = 'held'), 0) "
	    "FROM newsletter_sends s LEFT JOIN outbox o ON o.id = s.outbox_id "
	    "WHERE s.month = ?";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, month);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p->total = sqlite3_column_int64(st, 0);
		p->sent = sqlite3_column_int64(st, 1);
		p->failed = sqlite3_column_int64(st, 2);
		p->held = sqlite3_column_int64(st, 3);
		p->pending = p->total - p->sent - p->failed - p->held;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
db_outbox_hold(struct db *db, const char *kind, int release)
{
	static const char hold[] = "UPDATE outbox SET status = 'held' "
	    "WHERE kind = ? AND status = 'pending'";
	static const char resume[] = "UPDATE outbox SET status = 'pending', "
	    "next_attempt_at = ? WHERE kind = ? AND status = 'held'";
	sqlite3_stmt *st = stmt(db, release ? resume : hold);

	if (st == NULL)
		return -1;
	if (release) {
		sqlite3_bind_int64(st, 1, now_s());
		bind_text(st, 2, kind);
	} else
		bind_text(st, 1, kind);
	if (exec_done(st) != 0)
		return -1;
	return sqlite3_changes(db->h);
}

int
db_partner_soft_bounce(struct db *db, const char *email)
{
	static const char sql[] = "UPDATE partners SET soft_bounces = "
	    "soft_bounces + 1 WHERE email = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, email);
	if (exec_done(st) != 0)
		return -1;
	return sqlite3_changes(db->h);
}

int
db_partner_numbers(struct db *db, int64_t partner_id, int64_t year_from,
    int64_t now, struct partner_numbers *n)
{
	static const char sql[] = "SELECT "
	    "coalesce(sum(created_at >= ?2 AND created_at <= ?3 AND status NOT "
	    "IN ('INCOMPLETE', 'DISQUALIFIED', 'DUPLICATE')), 0), "
	    "coalesce(sum(status IN ('NEW', 'CONTACTED', 'MEETING', "
	    "'PROPOSAL')), 0), "
	    "coalesce(sum(status = 'WON' AND updated_at >= ?2), 0), "
	    "coalesce(sum(status = 'WON'), 0) "
	    "FROM referrals WHERE partner_id = ?1";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	memset(n, 0, sizeof(*n));
	sqlite3_bind_int64(st, 1, partner_id);
	sqlite3_bind_int64(st, 2, year_from);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		n->sent_year = sqlite3_column_int64(st, 0);
		n->open = sqlite3_column_int64(st, 1);
		n->won_year = sqlite3_column_int64(st, 2);
		n->won_all = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return -1;
	return db_ledger_totals(db, partner_id, &n->earned, &n->paid);
}

int
db_partner_referrals(struct db *db, int64_t partner_id, int open,
    int64_t won_from, int64_t won_to,
    int (*cb)(const struct referral *, void *), void *arg)
{
	/*
	 * open: the referrals still in the pipeline; otherwise those that
	 * became WON in [won_from, won_to), by the history's WON entry.
	 */
	static const char open_sql[] = "SELECT id, status, client, created_at, "
	    "updated_at FROM referrals WHERE partner_id = ? AND status IN "
	    "('NEW', 'CONTACTED', 'MEETING', 'PROPOSAL') ORDER BY id";
	static const char won_sql[] = "SELECT r.id, r.status, r.client, "
	    "r.created_at, max(h.at) FROM referrals r JOIN history h ON "
	    "h.referral_id = r.id AND h.to_status = 'WON' WHERE r.partner_id "
	    "= ? AND r.status = 'WON' GROUP BY r.id HAVING max(h.at) >= ? AND "
	    "max(h.at) < ? ORDER BY r.id";
	sqlite3_stmt *st = stmt(db, open ? open_sql : won_sql);
	struct referral r;
	int rc, stop = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, partner_id);
	if (!open) {
		sqlite3_bind_int64(st, 2, won_from);
		sqlite3_bind_int64(st, 3, won_to);
	}
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.status = col_text(st, 1);
		r.client = col_text(st, 2);
		r.created_at = sqlite3_column_int64(st, 3);
		r.updated_at = sqlite3_column_int64(st, 4);
		r.partner_id = partner_id;
		stop = cb(&r, arg);
		referral_free(&r);
	}
	if (!stop && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

int
db_outbox_mark_reply(struct db *db, int64_t id)
{
	static const char sql[] = "UPDATE outbox SET auto_reply = 1 "
	    "WHERE id = ?";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return exec_done(st);
}

int
db_alert_sent(struct db *db, const char *kind, int64_t period)
{
	static const char sql[] = "SELECT count(*) FROM staff_alerts "
	    "WHERE kind = ? AND period = ? AND held = 0";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, period);
	return (int)step_int(st);
}

int
db_alert_add(struct db *db, const char *kind, int64_t period,
    int64_t message_row, int64_t at, int held)
{
	static const char sql[] = "INSERT INTO staff_alerts (kind, period, "
	    "message_row, at, held) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, period);
	if (message_row > 0)
		sqlite3_bind_int64(st, 3, message_row);
	sqlite3_bind_int64(st, 4, at);
	sqlite3_bind_int(st, 5, held);
	return exec_done(st);
}

int
db_alert_due(struct db *db, int64_t before, char **kind, int64_t *period)
{
	static const char sql[] = "SELECT kind, period FROM staff_alerts "
	    "WHERE held = 1 AND summarised_at IS NULL AND period < ? "
	    "ORDER BY period, kind LIMIT 1";
	sqlite3_stmt *st = stmt(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*kind = col_text(st, 0);
		*period = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
db_alert_held(struct db *db, const char *kind, int64_t period,
    struct alert_period *ap)
{
	static const char sql[] = "SELECT a.held, coalesce(a.message_row, 0), "
	    "a.at, coalesce(m.disposition, '?') FROM staff_alerts a "
	    "LEFT JOIN messages m ON m.id = a.message_row "
	    "WHERE a.kind = ? AND a.period = ? AND "
	    "(a.held = 0 OR a.summarised_at IS NULL) ORDER BY a.id";
	sqlite3_stmt *st = stmt(db, sql);
	size_t cap = 0;
	int rc;

	memset(ap, 0, sizeof(*ap));
	if (st == NULL)
		return -1;
	bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, period);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t at = sqlite3_column_int64(st, 2);

		if (sqlite3_column_int(st, 0) == 0) {
			ap->sent++;
			continue;
		}
		if (ap->nheld == cap) {
			cap = cap ? cap * 2 : 16;
			ap->rows = xreallocarray(ap->rows, cap,
			    sizeof(*ap->rows));
			ap->disp = xreallocarray(ap->disp, cap,
			    sizeof(*ap->disp));
		}
		ap->disp[ap->nheld] = col_text(st, 3);
		ap->rows[ap->nheld++] = sqlite3_column_int64(st, 1);
		if (ap->first == 0 || at < ap->first)
			ap->first = at;
		if (at > ap->last)
			ap->last = at;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_alert_summarised(struct db *db, const char *kind, int64_t period,
    int64_t at)
{
	static const char sql[] = "UPDATE staff_alerts SET summarised_at = ? "
	    "WHERE kind = ? AND period = ? AND held = 1 AND "
	    "summarised_at IS NULL";
	sqlite3_stmt *st = stmt(db, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, period);
	return exec_done(st);
}

void
alert_period_free(struct alert_period *ap)
{
	size_t i;

	for (i = 0; i < ap->nheld; i++)
		free(ap->disp[i]);
	free(ap->disp);
	free(ap->rows);
	memset(ap, 0, sizeof(*ap));
}
