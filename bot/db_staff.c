/* db_staff: the staff registry, owners, account managers, stall notes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "db_staff.h"

#define STAFF_COLUMNS "email, name, lang, role, active FROM staff "
/*
 * When referral r entered its state: the history's last move into it
 * (NOTE and ASSIGN stay in it), else when it arrived.
 */
#define SINCE_SQL "coalesce((SELECT max(h.at) FROM history h WHERE " \
	"h.referral_id = r.id AND h.to_status = r.status AND " \
	"(h.from_status IS NULL OR h.from_status <> r.status)), r.created_at)"

static void
staff_row(sqlite3_stmt *st, struct staff_member *m)
{
	m->email = db_text(st, 0);
	m->name = db_text(st, 1);
	m->lang = db_text(st, 2);
	m->role = db_text(st, 3);
	m->active = sqlite3_column_int(st, 4);
}

int
db_staff_add(struct db *db, const char *email, const char *name,
    const char *lang, const char *role, int64_t now)
{
	static const char sql[] = "INSERT INTO staff (email, name, lang, "
	    "role, created_at) VALUES (?, ?, ?, ?, ?) "
	    "ON CONFLICT (email) DO NOTHING";
	int n = db_changes(db, sql, ARGS(arg_text(email), arg_text(name),
	    arg_text(lang), arg_text(role), arg_int(now)));

	return n < 0 ? -1 : n == 0;
}

static int
get_row(sqlite3_stmt *st, void *arg)
{
	staff_row(st, arg);
	return 0;
}

int
db_staff_get(struct db *db, const char *email, struct staff_member *m)
{
	static const char sql[] = "SELECT " STAFF_COLUMNS "WHERE email = "
	    "lower(?)";

	memset(m, 0, sizeof(*m));
	return db_row_with(db, sql, ARGS(arg_text(email)), get_row, m);
}

int
db_staff_update(struct db *db, const struct staff_member *m)
{
	static const char sql[] = "UPDATE staff SET name = ?, lang = ?, "
	    "role = ?, active = ? WHERE email = ?";

	return db_exec(db, sql, ARGS(arg_text(m->name), arg_text(m->lang),
	    arg_text(m->role), arg_int(m->active), arg_text(m->email)));
}

struct staff_cb {
	int (*cb)(const struct staff_member *, void *);
	void *arg;
};

static int
each_row(sqlite3_stmt *st, void *arg)
{
	const struct staff_cb *c = arg;
	struct staff_member m;
	int stop;

	staff_row(st, &m);
	stop = c->cb(&m, c->arg);
	staff_member_free(&m);
	return stop;
}

int
db_staff_each(struct db *db, const char *role, int active_only,
    int (*cb)(const struct staff_member *, void *), void *arg)
{
	static const char sql[] = "SELECT " STAFF_COLUMNS "WHERE (?1 IS NULL "
	    "OR role = ?1) AND (active OR NOT ?2) ORDER BY email";
	struct staff_cb c = { cb, arg };

	return db_each(db, sql, ARGS(arg_text(role), arg_int(active_only)),
	    each_row, &c);
}

int64_t
db_staff_active(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM staff WHERE active";

	return db_int64(db, sql, NOARGS);
}

int
db_staff_rota_next(struct db *db, char **email)
{
	static const char sql[] = "UPDATE staff SET rota = (SELECT "
	    "max(rota) + 1 FROM staff) WHERE email = (SELECT email FROM "
	    "staff WHERE active AND role = 'intake' ORDER BY rota, email "
	    "LIMIT 1) RETURNING email";

	*email = NULL;
	return db_row(db, sql, NOARGS, COLS(col_text(email)));
}

int
db_staff_find(struct db *db, const char *who, char **email)
{
	/* Names as written: "山本", "Yamamoto", "Hanako Yamamoto". */
	static const char sql[] = "SELECT email, count(*) OVER () FROM staff "
	    "WHERE active AND (email = lower(?1) OR substr(email, 1, "
	    "instr(email, '@') - 1) = lower(?1) OR lower(name) = lower(?1) "
	    "OR lower(name) LIKE lower(?1) || ' %' OR lower(name) LIKE "
	    "'% ' || lower(?1) OR name LIKE ?1 || '%') ORDER BY email "
	    "LIMIT 1";
	int64_t n = 0;
	int r;

	*email = NULL;
	/* LIKE's own characters in a name would widen the match. */
	if (*who == '\0' || strpbrk(who, "%_") != NULL)
		return 0;
	r = db_row(db, sql, ARGS(arg_text(who)), COLS(col_text(email),
	    col_int64(&n)));
	if (r > 0 && n > 1) {
		free(*email);
		*email = NULL;
		return 2;
	}
	return r;
}

int
db_referral_owner(struct db *db, int64_t referral_id, char **email)
{
	static const char sql[] = "SELECT owner FROM referrals WHERE id = ? "
	    "AND owner IS NOT NULL";

	*email = NULL;
	return db_row(db, sql, ARGS(arg_int(referral_id)),
	    COLS(col_text(email)));
}

int
db_referral_set_owner(struct db *db, int64_t referral_id, const char *email)
{
	static const char sql[] = "UPDATE referrals SET owner = ? WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_text(email), arg_int(referral_id)));
}

int
db_referral_each_owned(struct db *db, const char *owner, int open,
    const char *status, int (*cb)(const struct referral *, void *),
    void *arg)
{
	static const char sql[] = "SELECT " REFERRAL_COLUMNS "WHERE (?1 IS "
	    "NULL OR r.owner = lower(?1)) AND (NOT ?2 OR r.status IN "
	    "({open})) AND (?3 IS NULL OR r.status = ?3) ORDER BY r.id DESC";

	return db_referral_rows(db, sql, ARGS(arg_text(owner), arg_int(open),
	    arg_text(status)), cb, arg);
}

int
db_partner_owner(struct db *db, int64_t partner_id, char **email)
{
	static const char sql[] = "SELECT owner FROM partners WHERE id = ? "
	    "AND owner IS NOT NULL";

	*email = NULL;
	return db_row(db, sql, ARGS(arg_int(partner_id)),
	    COLS(col_text(email)));
}

int
db_partner_set_owner(struct db *db, int64_t partner_id, const char *email)
{
	static const char sql[] = "UPDATE partners SET owner = ? WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_text(email), arg_int(partner_id)));
}

struct stall_cb {
	int (*cb)(const struct stall_row *, void *);
	void *arg;
};

static int
stall_each_row(sqlite3_stmt *st, void *arg)
{
	const struct stall_cb *c = arg;
	struct stall_row s;

	s.id = sqlite3_column_int64(st, 0);
	s.status = (const char *)sqlite3_column_text(st, 1);
	s.since = sqlite3_column_int64(st, 2);
	s.created_at = sqlite3_column_int64(st, 3);
	return c->cb(&s, c->arg);
}

int
db_stall_each(struct db *db, const char *status, int64_t now,
    int (*cb)(const struct stall_row *, void *), void *arg)
{
	/* referrals_stall: the rows in that state that can be due. */
	static const char sql[] = "SELECT r.id, r.status, " SINCE_SQL ", "
	    "r.created_at FROM referrals r WHERE r.status = ?1 AND "
	    "r.stall_due <= ?2 ORDER BY r.id";
	struct stall_cb c = { cb, arg };

	return db_each(db, sql, ARGS(arg_text(status), arg_int(now)),
	    stall_each_row, &c);
}

int
db_stall_due_set(struct db *db, int64_t referral_id, int64_t due)
{
	static const char sql[] = "UPDATE referrals SET stall_due = ? "
	    "WHERE id = ?";

	return db_exec(db, sql, ARGS(arg_int(due), arg_int(referral_id)));
}

int
db_stall_due_reset(struct db *db)
{
	static const char sql[] = "UPDATE referrals SET stall_due = 0 "
	    "WHERE stall_due <> 0";

	return db_exec(db, sql, NOARGS);
}

int
db_stall_note(struct db *db, int64_t referral_id, const char *status,
    int64_t since, const char *kind, int64_t period, int64_t now)
{
	static const char sql[] = "INSERT INTO stall_notes (referral_id, "
	    "status, since, kind, period, at) VALUES (?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT DO NOTHING";

	return db_changes(db, sql, ARGS(arg_int(referral_id),
	    arg_text(status), arg_int(since), arg_text(kind), arg_int(period),
	    arg_int(now)));
}

int64_t
db_stall_last(struct db *db, int64_t referral_id, const char *kind)
{
	static const char sql[] = "SELECT coalesce(max(at), 0) FROM "
	    "stall_notes WHERE referral_id = ? AND kind = ?";

	return db_int64(db, sql, ARGS(arg_int(referral_id), arg_text(kind)));
}

struct queue_cb {
	int (*cb)(const struct queue_row *, void *);
	void *arg;
};

static int
queue_row(sqlite3_stmt *st, void *arg)
{
	const struct queue_cb *c = arg;
	struct queue_row q;

	q.id = sqlite3_column_int64(st, 0);
	q.status = (const char *)sqlite3_column_text(st, 1);
	q.client = (const char *)sqlite3_column_text(st, 2);
	q.partner_name = (const char *)sqlite3_column_text(st, 3);
	q.created_at = sqlite3_column_int64(st, 4);
	q.since = sqlite3_column_int64(st, 5);
	q.due = sqlite3_column_int64(st, 6);
	q.responded = sqlite3_column_int(st, 7);
	return c->cb(&q, c->arg);
}

int
db_owner_queue(struct db *db, const char *email,
    int (*cb)(const struct queue_row *, void *), void *arg)
{
	static const char sql[] = "SELECT r.id, r.status, r.client, p.name, "
	    "r.created_at, " SINCE_SQL ", CASE WHEN r.status = 'NEW' THEN "
	    "sla_due(r.created_at, coalesce(p.tier, 0), 1) ELSE 0 END, "
	    "r.first_response_at IS NOT NULL FROM referrals r LEFT JOIN "
	    "partners p ON p.id = r.partner_id WHERE r.owner = ? AND "
	    "r.status IN ({open}) ORDER BY r.id";
	struct queue_cb c = { cb, arg };

	return db_each(db, sql, ARGS(arg_text(email)), queue_row, &c);
}

int
db_digest_sent(struct db *db, const char *email, int day)
{
	static const char sql[] = "SELECT count(*) FROM digests WHERE "
	    "email = ? AND day = ?";

	return (int)db_int64(db, sql, ARGS(arg_text(email), arg_int(day)));
}

int
db_digest_mark(struct db *db, const char *email, int day, int64_t now)
{
	static const char sql[] = "INSERT INTO digests (email, day, at) "
	    "VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

	return db_changes(db, sql, ARGS(arg_text(email), arg_int(day),
	    arg_int(now)));
}

void
staff_member_free(struct staff_member *m)
{
	if (m == NULL)
		return;
	free(m->email);
	free(m->name);
	free(m->lang);
	free(m->role);
	memset(m, 0, sizeof(*m));
}
