/* db_partners: the partners table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_int.h"
#include "db_partners.h"

#define PARTNER_COLUMNS "id, name, email, lang, active, created_at, " \
	"domains, tier, terms, rate_bp, flat_fee, newsletter, bounced, " \
	"soft_bounces, cc_main FROM partners "

static int
partner_row(sqlite3_stmt *st, void *arg)
{
	struct partner *p = arg;

	p->id = sqlite3_column_int64(st, 0);
	p->name = db_text(st, 1);
	p->email = db_text(st, 2);
	p->lang = db_text(st, 3);
	p->active = sqlite3_column_int(st, 4);
	p->created_at = sqlite3_column_int64(st, 5);
	p->domains = db_text(st, 6);
	p->tier = sqlite3_column_int(st, 7);
	p->terms = db_text(st, 8);
	p->rate_bp = db_opt(st, 9);
	p->flat_fee = db_opt(st, 10);
	p->newsletter = sqlite3_column_int(st, 11);
	p->bounced = db_text(st, 12);
	p->soft_bounces = sqlite3_column_int(st, 13);
	p->cc_main = sqlite3_column_int(st, 14);
	return 0;
}

int
db_partner_by_email(struct db *db, const char *email, struct partner *p)
{
	/*
	 * Any contact's address is the firm's (its own is its main one);
	 * a firm's own address first.  Both addresses are unique: two
	 * index searches, no OR over two indexes and no sort for one row.
	 */
	static const char sql[] = "SELECT " PARTNER_COLUMNS "WHERE id = "
	    "coalesce((SELECT id FROM partners WHERE email = ?1), "
	    "(SELECT partner_id FROM contacts WHERE email = ?1))";

	return db_row_with(db, sql, ARGS(arg_text(email)), partner_row, p);
}

int
db_partner_by_sender(struct db *db, const char *email, struct partner *p)
{
	/* A whole domain identifies a partner firm whose staff all refer. */
	static const char sql[] = "SELECT " PARTNER_COLUMNS "WHERE id IN "
	    "(SELECT partner_id FROM partner_domains WHERE domain = ?) "
	    "ORDER BY active DESC, id LIMIT 1";
	const char *at = email ? strrchr(email, '@') : NULL;
	int r;

	if ((r = db_partner_by_email(db, email, p)) != 0 || at == NULL ||
	    at[1] == '\0')
		return r;
	return db_row_with(db, sql, ARGS(arg_text(at + 1)), partner_row, p);
}

int
db_partner_find(struct db *db, const char *key, struct partner *p)
{
	static const char sql[] = "SELECT " PARTNER_COLUMNS "WHERE id = ?";
	char *end;
	long long id = strtoll(key, &end, 10);

	if (*key == '\0' || *end != '\0' || id <= 0)
		return db_partner_by_email(db, key, p);
	return db_row_with(db, sql, ARGS(arg_int(id)), partner_row, p);
}

int
db_partner_add(struct db *db, const char *name, const char *email,
    const char *lang, int64_t *id)
{
	static const char sql[] = "INSERT INTO partners (name, email, lang, "
	    "created_at) VALUES (?, ?, ?, ?)";
	/* The partner's address is its main contact. */
	static const char contact[] = "INSERT INTO contacts (partner_id, "
	    "email, role, created_at) VALUES (?, ?, 'main', ?)";

	int64_t pid;

	if (db_insert(db, sql, ARGS(arg_text(name), arg_text(email),
	    arg_text(lang), arg_int(clock_now())), &pid) != 0)
		return -1;
	if (id != NULL)
		*id = pid;
	return db_exec(db, contact, ARGS(arg_int(pid), arg_text(email),
	    arg_int(clock_now())));
}

int
db_partner_update(struct db *db, const struct partner *p)
{
	static const char sql[] = "UPDATE partners SET name = ?, email = ?, "
	    "lang = ?, active = ?, domains = ?, tier = ?, terms = ?, "
	    "rate_bp = ?, flat_fee = ?, newsletter = ?, bounced = ?, "
	    "cc_main = ? WHERE id = ?";

	/* Its domains one per row (partner_domains): as the migration split them. */
	static const char clear[] = "DELETE FROM partner_domains "
	    "WHERE partner_id = ?";
	static const char split[] = "INSERT OR IGNORE INTO partner_domains "
	    "(domain, partner_id) WITH RECURSIVE split(rest, dom) AS ("
	    "SELECT replace(domains, ' ', '') || ',', '' FROM partners "
	    "WHERE id = ?1 UNION ALL SELECT substr(rest, instr(rest, ',') + 1), "
	    "substr(rest, 1, instr(rest, ',') - 1) FROM split WHERE rest <> '') "
	    "SELECT dom, ?1 FROM split WHERE dom <> ''";

	if (db_begin(db) != 0)
		return -1;
	if (db_exec(db, sql, ARGS(arg_text(p->name), arg_text(p->email),
	    arg_text(p->lang), arg_int(p->active),
	    arg_text(p->domains ? p->domains : ""), arg_int(p->tier),
	    arg_text(p->terms ? p->terms : "percent"), arg_opt(p->rate_bp),
	    arg_opt(p->flat_fee), arg_int(p->newsletter),
	    arg_text(p->bounced), arg_int(p->cc_main), arg_int(p->id))) != 0 ||
	    db_exec(db, clear, ARGS(arg_int(p->id))) != 0 ||
	    db_exec(db, split, ARGS(arg_int(p->id))) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

struct partner_cb {
	int (*cb)(const struct partner *, void *);
	void *arg;
};

static int
partner_each_row(sqlite3_stmt *st, void *arg)
{
	const struct partner_cb *c = arg;
	struct partner p;
	int stop;

	partner_row(st, &p);
	stop = c->cb(&p, c->arg);
	partner_free(&p);
	return stop;
}

int
db_partner_each(struct db *db, int (*cb)(const struct partner *, void *),
    void *arg)
{
	static const char sql[] = "SELECT " PARTNER_COLUMNS "ORDER BY id";
	struct partner_cb c = { cb, arg };

	return db_each(db, sql, NOARGS, partner_each_row, &c);
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
db_partner_bounced(struct db *db, const char *email, const char *why)
{
	static const char sql[] = "UPDATE partners SET bounced = ? "
	    "WHERE email = ?";

	return db_changes(db, sql, ARGS(arg_text(why), arg_text(email)));
}

int
db_partner_soft_bounce(struct db *db, const char *email)
{
	static const char sql[] = "UPDATE partners SET soft_bounces = "
	    "soft_bounces + 1 WHERE email = ?";

	return db_changes(db, sql, ARGS(arg_text(email)));
}

int
db_partner_welcome_mark(struct db *db, int64_t partner_id, int again)
{
	/* Without again, only a partner never welcomed is changed. */
	static const char sql[] = "UPDATE partners SET welcomed_at = ? "
	    "WHERE id = ? AND (? OR welcomed_at IS NULL)";

	return db_changes(db, sql, ARGS(arg_int(clock_now()),
	    arg_int(partner_id), arg_int(again != 0)));
}

int64_t
db_partner_welcomed_at(struct db *db, int64_t partner_id)
{
	static const char sql[] = "SELECT coalesce(welcomed_at, 0) FROM "
	    "partners WHERE id = ?";

	return db_int64(db, sql, ARGS(arg_int(partner_id)));
}
