/* db_referrals: referrals, their fields and history, duplicates, SLA. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_int.h"
#include "db_referrals.h"

int
db_referral_insert(struct db *db, int64_t partner_id, int64_t message_row,
    const char *status, const char *client, const char *contact_name,
    const char *subject, const char *inbound_message_id, int64_t *id)
{
	struct referral_new n;

	memset(&n, 0, sizeof(n));
	n.partner_id = partner_id;
	n.message_row = message_row;
	n.status = status;
	n.client = client;
	n.contact_name = contact_name;
	n.subject = subject;
	n.inbound_message_id = inbound_message_id;
	return db_referral_add(db, &n, id);
}

/*
 * The change number a row written now gets (db_schema.c): the trigger
 * takes the next one unless this transaction has taken it (once 2).
 * Given in the INSERT, the trigger need not write the new row again; if
 * it is not the trigger's number, the trigger corrects it.
 */
#define NEXT_SEQ "(SELECT n + (once < 2) FROM change_counter)"

/*
 * Issue 21: the keys and the origin in the INSERT, not in two UPDATEs
 * after it, each of which rewrote the row, its key indexes and (by the
 * change-counter trigger) the row again.
 */
int
db_referral_add(struct db *db, const struct referral_new *n, int64_t *id)
{
	static const char sql[] = "INSERT INTO referrals (partner_id, "
	    "message_row, status, client, contact_name, subject, "
	    "inbound_message_id, client_key, contact_email, email_domain, "
	    "duplicate_of, submitted_by, created_at, updated_at, "
	    "change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    NEXT_SEQ ")";
	int64_t now = clock_now();

	db_number_once(db);
	return db_insert(db, sql, ARGS(arg_id(n->partner_id),
	    arg_id(n->message_row), arg_text(n->status), arg_text(n->client),
	    arg_text(n->contact_name), arg_text(n->subject),
	    arg_text(n->inbound_message_id), arg_text(n->client_key &&
	    *n->client_key ? n->client_key : NULL), arg_text(n->contact_email),
	    arg_text(n->email_domain), arg_id(n->duplicate_of),
	    arg_text(n->submitted_by), arg_int(n->created_at > 0 ?
	    n->created_at : now), arg_int(now)), id);
}

int
db_referral_field(struct db *db, int64_t id, const char *key,
    const char *value)
{
	static const char sql[] = "INSERT OR REPLACE INTO referral_fields "
	    "(referral_id, key, value) VALUES (?, ?, ?)";

	return db_exec(db, sql, ARGS(arg_int(id), arg_text(key),
	    arg_text(value)));
}

int
db_referral_fields(struct db *db, int64_t id, const char *const *keys,
    const char *const *values, size_t n)
{
	/* Eight at a time, in order (the order they are shown in). */
	static const char sql[] = "INSERT OR REPLACE INTO referral_fields "
	    "(referral_id, key, value) SELECT ?1, column1, column2 FROM "
	    "(VALUES (?2, ?3), (?4, ?5), (?6, ?7), (?8, ?9), (?10, ?11), "
	    "(?12, ?13), (?14, ?15), (?16, ?17)) WHERE column1 IS NOT NULL";
	struct dbarg a[17];
	size_t i, k;

	db_number_once(db);
	for (i = 0; i < n; i += 8) {
		a[0] = arg_int(id);
		for (k = 0; k < 8; k++) {
			a[1 + 2 * k] = arg_text(i + k < n ? keys[i + k] : NULL);
			a[2 + 2 * k] = arg_text(i + k < n ? values[i + k] :
			    NULL);
		}
		if (db_exec(db, sql, a, nitems(a)) != 0)
			return -1;
	}
	return 0;
}

int
db_referral_set_status(struct db *db, int64_t id, const char *status)
{
	static const char sql[] = "UPDATE referrals SET status = ?, "
	    "updated_at = ? WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_text(status), arg_int(clock_now()),
	    arg_int(id)));
}

int
db_referral_set_names(struct db *db, int64_t id, const char *client,
    const char *contact_name)
{
	static const char sql[] = "UPDATE referrals SET client = ?, "
	    "contact_name = ?, updated_at = ? WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_text(client), arg_text(contact_name),
	    arg_int(clock_now()), arg_int(id)));
}

int
db_referral_keys(struct db *db, int64_t id, const char *client_key,
    const char *contact_email, const char *email_domain,
    int64_t duplicate_of)
{
	static const char sql[] = "UPDATE referrals SET client_key = ?, "
	    "contact_email = ?, email_domain = ?, duplicate_of = ? "
	    "WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_text(client_key && *client_key ?
	    client_key : NULL), arg_text(contact_email),
	    arg_text(email_domain), arg_id(duplicate_of), arg_int(id)));
}

/*
 * The first formal referral of the same client still counting: not a
 * duplicate itself, not waiting for the partner, not turned away.  One
 * query per key, each reading only its covering index (migration 45):
 * the first by id of any key is the first of all.  min(id), not ORDER BY
 * id LIMIT 1, which sorts the range in a temporary table.
 */
#define FIRST_SQL(col) "SELECT min(id) FROM referrals WHERE " col " = ?1 " \
	"AND created_at >= ?2 AND duplicate_of IS NULL AND {counted:status} " \
	"AND in_window = 1"

int
db_referral_first(struct db *db, int64_t since, const char *client_key,
    const char *contact_email, const char *email_domain, int64_t *id)
{
	static const char *const sql[] = { FIRST_SQL("client_key"),
	    FIRST_SQL("contact_email"), FIRST_SQL("email_domain") };
	const char *key[] = { client_key, contact_email, email_domain };
	int64_t one;
	size_t i;
	int found = 0, r;

	for (i = 0; i < nitems(sql); i++) {
		if (key[i] == NULL || (i == 0 && *key[i] == '\0'))
			continue;	/* as the keys are stored */
		one = 0;
		if ((r = db_row(db, sql[i], ARGS(arg_text(key[i]),
		    arg_int(since)), COLS(col_int64(&one)))) < 0)
			return -1;
		if (r == 1 && one > 0 && (!found || one < *id)) {
			*id = one;
			found = 1;
		}
	}
	return found;
}

#define WINDOW_KEY "referrals.window"	/* in_window's bound */
#define WINDOW_SLACK (24 * 60 * 60)	/* kept past the window */
#define WINDOW_STEP (60 * 60)	/* cleared at most this often */

/*
 * The duplicate indexes hold the referrals marked in_window (migration
 * 44): all those created since the bound under WINDOW_KEY (0 until the
 * first clearing).  A lookup from since needs the bound at or before
 * it; a longer protection_days, or a clock set back more than
 * WINDOW_SLACK, marks the referrals from there again (the whole table
 * read once).  With tidy, those created over WINDOW_SLACK before since
 * leave the window, at most every WINDOW_STEP.
 */
static int64_t
window_bound(struct db *db)
{
	static const char sql[] = "SELECT coalesce((SELECT CAST(value AS "
	    "INTEGER) FROM settings WHERE key = '" WINDOW_KEY "'), 0)";

	return db_int64(db, sql, NOARGS);
}

int
db_referral_window_covers(struct db *db, int64_t since)
{
	int64_t bound = window_bound(db);

	return bound < 0 ? -1 : bound <= since;
}

int
db_referral_window(struct db *db, int64_t since, int tidy)
{
	static const char mark[] = "UPDATE referrals SET in_window = 1 "
	    "WHERE in_window = 0 AND created_at >= ?";
	static const char clear[] = "UPDATE referrals SET in_window = 0 "
	    "WHERE in_window = 1 AND created_at < ?";
	static const char put[] = "INSERT OR REPLACE INTO settings (key, "
	    "value) VALUES ('" WINDOW_KEY "', ?)";
	int64_t bound, to = since - WINDOW_SLACK;
	int widen;

	if ((bound = window_bound(db)) < 0)
		return -1;
	widen = since < bound;
	if (!widen && !(tidy && to >= bound + WINDOW_STEP))
		return 0;
	if (db_begin(db) != 0)
		return -1;
	if ((widen && db_exec(db, mark, ARGS(arg_int(to))) != 0) ||
	    db_exec(db, clear, ARGS(arg_int(to))) != 0 ||
	    db_exec(db, put, ARGS(arg_int(to))) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int
db_partner_year_count(struct db *db, int64_t partner_id, int64_t from,
    int64_t to, int64_t upto_id)
{
	/* Referrals that count toward the tier: not duplicates, not refused. */
	static const char sql[] = "SELECT count(*) FROM referrals WHERE "
	    "partner_id = ? AND created_at >= ? AND created_at < ? AND "
	    "id <= ? AND duplicate_of IS NULL AND status NOT IN "
	    "({not_counted})";

	return (int)db_int64(db, sql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to), arg_int(upto_id)));
}

int
db_partner_year_outcomes(struct db *db, int64_t partner_id, int64_t from,
    int64_t to, int64_t upto_id, int64_t *count, int64_t *won,
    int64_t *closed)
{
	/* The referrals of db_partner_year_count; upto_id's as won. */
	static const char sql[] = "SELECT count(*), coalesce(sum(id = ?4 OR "
	    "status = {WON}), 0), coalesce(sum(id = ?4 OR status IN ({WON}, "
	    "{LOST}, {DECLINED})), 0) FROM referrals WHERE partner_id = ?1 "
	    "AND created_at >= ?2 AND created_at < ?3 AND id <= ?4 AND "
	    "duplicate_of IS NULL AND status NOT IN ({not_counted})";

	return db_row(db, sql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to), arg_int(upto_id)), COLS(col_int64(count),
	    col_int64(won), col_int64(closed))) == 1 ? 0 : -1;
}

int
db_referral_duplicate(struct db *db, int64_t id, int64_t of,
    const char *status)
{
	static const char sql[] = "UPDATE referrals SET duplicate_of = ?, "
	    "status = ?, updated_at = ? WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_id(of), arg_text(status),
	    arg_int(clock_now()), arg_int(id)));
}

int
db_referral_duplicate_of(struct db *db, int64_t id, int64_t *of)
{
	static const char sql[] = "SELECT coalesce(duplicate_of, 0) FROM "
	    "referrals WHERE id = ?";

	return (*of = db_int64(db, sql, ARGS(arg_int(id)))) < 0 ? -1 : 0;
}

int
db_referral_won(struct db *db, int64_t id, int64_t amount)
{
	static const char sql[] = "UPDATE referrals SET won_amount = ? "
	    "WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_int(amount), arg_int(id)));
}

int
db_referral_won_amount(struct db *db, int64_t id, int64_t *amount)
{
	static const char sql[] = "SELECT coalesce(won_amount, -1) FROM "
	    "referrals WHERE id = ?";

	return db_row(db, sql, ARGS(arg_int(id)), COLS(col_int64(amount)));
}

int
db_referral_responded(struct db *db, int64_t id, int64_t at)
{
	static const char sql[] = "UPDATE referrals SET first_response_at = ? "
	    "WHERE id = ? AND first_response_at IS NULL";

	return db_exec(db, sql, ARGS(arg_int(at), arg_int(id)));
}

int
db_sla_due(struct db *db, int64_t now, int64_t created_by, int escalate,
    int64_t *id, int *tier)
{
	/*
	 * Still NEW: nobody has answered it yet.  The SLA is the tier's.
	 * Read through the partial indexes referrals_sla_remind and
	 * referrals_sla_escalate (db_schema.c): the ones still waiting,
	 * created by ?2.
	 */
	static const char rsql[] = "SELECT r.id, coalesce(p.tier, 0) FROM "
	    "referrals r INDEXED BY referrals_sla_remind LEFT JOIN "
	    "partners p ON p.id = r.partner_id WHERE r.status = {NEW} AND "
	    "r.sla_reminded = 0 AND r.created_at <= ?2 AND "
	    "sla_due(r.created_at, p.tier, 1) <= ?1 ORDER BY r.id LIMIT 1";
	static const char esql[] = "SELECT r.id, coalesce(p.tier, 0) FROM "
	    "referrals r INDEXED BY referrals_sla_escalate LEFT JOIN "
	    "partners p ON p.id = r.partner_id WHERE r.status = {NEW} AND "
	    "r.sla_escalated = 0 AND r.created_at <= ?2 AND "
	    "sla_due(r.created_at, p.tier, 2) <= ?1 ORDER BY r.id LIMIT 1";

	return db_row(db, escalate ? esql : rsql, ARGS(arg_int(now),
	    arg_int(created_by)), COLS(col_int64(id), col_int(tier)));
}

int
db_sla_mark(struct db *db, int64_t id, int escalate)
{
	static const char rsql[] = "UPDATE referrals SET sla_reminded = 1 "
	    "WHERE id = ?";
	static const char esql[] = "UPDATE referrals SET sla_reminded = 1, "
	    "sla_escalated = 1 WHERE id = ?";

	return db_exec(db, escalate ? esql : rsql, ARGS(arg_int(id)));
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
	return db_history_insert(db, referral_id, actor, event, from_status,
	    to_status, detail, message_id, NULL);
}

int
db_history_insert(struct db *db, int64_t referral_id, const char *actor,
    const char *event, const char *from_status, const char *to_status,
    const char *detail, const char *message_id, int64_t *id)
{
	return db_history_insert_words(db, referral_id, actor, event,
	    from_status, to_status, detail, NULL, NULL, message_id, id);
}

int
db_history_insert_words(struct db *db, int64_t referral_id,
    const char *actor, const char *event, const char *from_status,
    const char *to_status, const char *detail, const char *detail_key,
    const char *detail_args, const char *message_id, int64_t *id)
{
	static const char sql[] = "INSERT INTO history (referral_id, at, "
	    "actor, event, from_status, to_status, detail, detail_key, "
	    "detail_args, message_id, change_seq) VALUES (?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, " NEXT_SEQ ")";

	db_number_once(db);
	return db_insert(db, sql, ARGS(arg_int(referral_id),
	    arg_int(clock_now()), arg_text(actor), arg_text(event),
	    arg_text(from_status), arg_text(to_status), arg_text(detail),
	    arg_text(detail_key), arg_text(detail_args),
	    arg_text(message_id)), id);
}

int
db_history_reopen_to(struct db *db, int64_t referral_id, const char *closed,
    char **status)
{
	static const char sql[] = "SELECT from_status FROM history WHERE "
	    "referral_id = ? AND to_status = ? AND from_status <> to_status "
	    "ORDER BY id DESC LIMIT 1";
	int r = db_row(db, sql, ARGS(arg_int(referral_id), arg_text(closed)),
	    COLS(col_text(status)));

	return r == 1 ? *status != NULL : r;
}

void
db_referral_row(sqlite3_stmt *st, struct referral *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->status = db_text(st, 1);
	r->partner_id = sqlite3_column_int64(st, 2);
	r->partner_name = db_text(st, 3);
	r->partner_email = db_text(st, 4);
	r->client = db_text(st, 5);
	r->contact_name = db_text(st, 6);
	r->subject = db_text(st, 7);
	r->inbound_message_id = db_text(st, 8);
	r->created_at = sqlite3_column_int64(st, 9);
	r->updated_at = sqlite3_column_int64(st, 10);
	r->owner = db_text(st, 11);
}

static int
referral_one(sqlite3_stmt *st, void *r)
{
	db_referral_row(st, r);
	return 0;
}

static int
field_row(sqlite3_stmt *st, void *arg)
{
	struct referral *r = arg;

	r->fields = xreallocarray(r->fields, r->nfields + 1,
	    sizeof(*r->fields));
	r->fields[r->nfields].key = db_text(st, 0);
	r->fields[r->nfields].value = db_text(st, 1);
	r->nfields++;
	return 0;
}

static int
history_row(sqlite3_stmt *st, void *arg)
{
	struct referral *r = arg;
	struct history_entry *h;

	r->history = xreallocarray(r->history, r->nhistory + 1,
	    sizeof(*r->history));
	h = &r->history[r->nhistory++];
	h->at = sqlite3_column_int64(st, 0);
	h->actor = db_text(st, 1);
	h->event = db_text(st, 2);
	h->from_status = db_text(st, 3);
	h->to_status = db_text(st, 4);
	h->detail = db_text(st, 5);
	h->detail_key = db_text(st, 6);
	h->detail_args = db_text(st, 7);
	return 0;
}

int
db_referral_get(struct db *db, int64_t id, struct referral *r)
{
	static const char sql[] = "SELECT " REFERRAL_COLUMNS "WHERE r.id = ?";
	static const char fsql[] = "SELECT key, value FROM referral_fields "
	    "WHERE referral_id = ? ORDER BY rowid";
	static const char hsql[] = "SELECT at, actor, event, from_status, "
	    "to_status, detail, detail_key, detail_args FROM history WHERE "
	    "referral_id = ? ORDER BY id";
	int found = db_row_with(db, sql, ARGS(arg_int(id)), referral_one, r);

	if (found != 1)
		return found;
	if (db_each(db, fsql, ARGS(arg_int(id)), field_row, r) != 0 ||
	    db_each(db, hsql, ARGS(arg_int(id)), history_row, r) != 0) {
		referral_free(r);
		return -1;
	}
	return 1;
}

struct referral_cb {
	int (*cb)(const struct referral *, void *);
	void *arg;
	int64_t partner_id;	/* db_partner_referrals: its short rows */
};

static int
referral_each_row(sqlite3_stmt *st, void *arg)
{
	const struct referral_cb *c = arg;
	struct referral r;
	int stop;

	db_referral_row(st, &r);
	stop = c->cb(&r, c->arg);
	referral_free(&r);
	return stop;
}

int
db_referral_rows(struct db *db, const char *sql, const struct dbarg *a,
    size_t n, int (*cb)(const struct referral *, void *), void *arg)
{
	struct referral_cb c = { cb, arg, 0 };

	return db_each(db, sql, a, n, referral_each_row, &c);
}

int
db_referral_each(struct db *db, const char *status,
    int (*cb)(const struct referral *, void *), void *arg)
{
	static const char sql[] = "SELECT " REFERRAL_COLUMNS
	    "WHERE ?1 IS NULL OR r.status = ?1 ORDER BY r.id DESC";

	return db_referral_rows(db, sql, ARGS(arg_text(status)), cb, arg);
}

/* A short row: id, status, client, created_at, updated_at. */
static int
partner_referral_row(sqlite3_stmt *st, void *arg)
{
	const struct referral_cb *c = arg;
	struct referral r;
	int stop;

	memset(&r, 0, sizeof(r));
	r.id = sqlite3_column_int64(st, 0);
	r.status = db_text(st, 1);
	r.client = db_text(st, 2);
	r.created_at = sqlite3_column_int64(st, 3);
	r.updated_at = sqlite3_column_int64(st, 4);
	r.partner_id = c->partner_id;
	stop = c->cb(&r, c->arg);
	referral_free(&r);
	return stop;
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
	    "({open}) ORDER BY id";
	static const char won_sql[] = "SELECT r.id, r.status, r.client, "
	    "r.created_at, max(h.at) FROM referrals r JOIN history h ON "
	    "h.referral_id = r.id AND h.to_status = {WON} WHERE r.partner_id "
	    "= ? AND r.status = {WON} GROUP BY r.id HAVING max(h.at) >= ? AND "
	    "max(h.at) < ? ORDER BY r.id";
	struct referral_cb c = { cb, arg, partner_id };

	if (open)
		return db_each(db, open_sql, ARGS(arg_int(partner_id)),
		    partner_referral_row, &c);
	return db_each(db, won_sql, ARGS(arg_int(partner_id),
	    arg_int(won_from), arg_int(won_to)), partner_referral_row, &c);
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
	free(r->owner);
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
		free(r->history[i].detail_key);
		free(r->history[i].detail_args);
	}
	free(r->history);
	memset(r, 0, sizeof(*r));
}
