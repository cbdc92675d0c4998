/* db_contacts: the contacts table, and referrals' submitters. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_contacts.h"
#include "db_int.h"

#define CONTACT_COLUMNS "id, partner_id, email, name, lang, role, " \
	"newsletter, bounced_at, bounced " \
	"FROM contacts "

static int
contact_row(sqlite3_stmt *st, void *arg)
{
	struct contact *c = arg;

	c->id = sqlite3_column_int64(st, 0);
	c->partner_id = sqlite3_column_int64(st, 1);
	c->email = db_text(st, 2);
	c->name = db_text(st, 3);
	c->lang = db_text(st, 4);
	c->role = db_text(st, 5);
	c->newsletter = sqlite3_column_int(st, 6);
	c->bounced_at = sqlite3_column_int64(st, 7);
	c->bounced = db_text(st, 8);
	return 0;
}

int
db_contact_add(struct db *db, int64_t partner_id, const char *email,
    const char *name, const char *lang, const char *role)
{
	static const char demote[] = "UPDATE contacts SET role = 'other' "
	    "WHERE partner_id = ? AND role = 'main'";
	static const char address[] = "UPDATE partners SET email = ? "
	    "WHERE id = ?";
	static const char sql[] = "INSERT INTO contacts (partner_id, email, "
	    "name, lang, role, created_at) VALUES (?, ?, ?, ?, ?, ?)";
	int main = strcmp(role, "main") == 0;

	if (main && db_exec(db, demote, ARGS(arg_int(partner_id))) != 0)
		return -1;
	if (db_insert(db, sql, ARGS(arg_int(partner_id), arg_text(email),
	    arg_text(name), arg_text(lang), arg_text(role),
	    arg_int(clock_now())), NULL) != 0)
		return -1;
	return main ? db_exec(db, address, ARGS(arg_text(email),
	    arg_int(partner_id))) : 0;
}

int
db_contact_bounced(struct db *db, const char *email, const char *why)
{
	static const char sql[] = "UPDATE contacts SET bounced_at = ?, "
	    "bounced = ? WHERE email = ? AND role <> 'main' AND bounced_at "
	    "IS NULL";

	return db_changes(db, sql, ARGS(arg_int(clock_now()), arg_text(why),
	    arg_text(email)));
}

int
db_contact_unbounce(struct db *db, int64_t contact_id)
{
	static const char sql[] = "UPDATE contacts SET bounced_at = NULL, "
	    "bounced = NULL WHERE id = ? AND bounced_at IS NOT NULL";

	return db_changes(db, sql, ARGS(arg_int(contact_id)));
}

int
db_contact_newsletter(struct db *db, int64_t contact_id, int on)
{
	static const char sql[] = "UPDATE contacts SET newsletter = ? "
	    "WHERE id = ?";

	return db_changes(db, sql, ARGS(arg_int(on), arg_int(contact_id)));
}

int
db_contact_by_id(struct db *db, int64_t id, struct contact *c)
{
	static const char sql[] = "SELECT " CONTACT_COLUMNS "WHERE id = ?";

	return db_row_with(db, sql, ARGS(arg_int(id)), contact_row, c);
}

int
db_contact_remove(struct db *db, int64_t partner_id, const char *email)
{
	static const char sql[] = "DELETE FROM contacts WHERE partner_id = ? "
	    "AND email = ? AND role <> 'main'";

	return db_changes(db, sql, ARGS(arg_int(partner_id),
	    arg_text(email)));
}

int
db_contact_get(struct db *db, const char *email, struct contact *c)
{
	static const char sql[] = "SELECT " CONTACT_COLUMNS "WHERE email = ?";

	return db_row_with(db, sql, ARGS(arg_text(email)), contact_row, c);
}

int
db_contact_with_role(struct db *db, int64_t partner_id, const char *role,
    struct contact *c)
{
	static const char sql[] = "SELECT " CONTACT_COLUMNS "WHERE "
	    "partner_id = ? AND role = ? ORDER BY id LIMIT 1";

	return db_row_with(db, sql, ARGS(arg_int(partner_id),
	    arg_text(role)), contact_row, c);
}

struct contact_cb {
	int (*cb)(const struct contact *, void *);
	void *arg;
};

static int
contact_each_row(sqlite3_stmt *st, void *arg)
{
	const struct contact_cb *cc = arg;
	struct contact c;
	int stop;

	contact_row(st, &c);
	stop = cc->cb(&c, cc->arg);
	contact_free(&c);
	return stop;
}

int
db_contact_each(struct db *db, int64_t partner_id,
    int (*cb)(const struct contact *, void *), void *arg)
{
	static const char sql[] = "SELECT " CONTACT_COLUMNS "WHERE "
	    "partner_id = ? ORDER BY role <> 'main', id";
	struct contact_cb cc = { cb, arg };

	return db_each(db, sql, ARGS(arg_int(partner_id)), contact_each_row,
	    &cc);
}

void
contact_free(struct contact *c)
{
	if (c == NULL)
		return;
	free(c->email);
	free(c->name);
	free(c->lang);
	free(c->role);
	free(c->bounced);
	memset(c, 0, sizeof(*c));
}

int
db_referral_submitter(struct db *db, int64_t referral_id, char **email)
{
	static const char sql[] = "SELECT submitted_by FROM referrals "
	    "WHERE id = ?";

	*email = NULL;
	return db_row(db, sql, ARGS(arg_int(referral_id)),
	    COLS(col_text(email))) < 0 ? -1 : 0;
}
