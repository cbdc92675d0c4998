/* db_given: referrals the firm gives to partners (see db_given.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_given.h"
#include "db_int.h"

void
given_free(struct given *g)
{
	if (g == NULL)
		return;
	free(g->partner_name);
	free(g->client);
	free(g->contact);
	free(g->note);
	free(g->outcome);
	free(g->actor);
}

int
db_given_add(struct db *db, int64_t partner_id, int64_t at,
    const char *client, const char *contact, const char *note,
    const char *actor, int64_t message_row, int64_t *id)
{
	static const char sql[] = "INSERT INTO given (partner_id, at, client, "
	    "contact, note, actor, message_row) VALUES (?, ?, ?, ?, ?, ?, ?)";

	return db_insert(db, sql, ARGS(arg_int(partner_id), arg_int(at),
	    arg_text(client), arg_text(contact), arg_text(note),
	    arg_text(actor), arg_id(message_row)), id);
}

int
db_given_set(struct db *db, int64_t id, const char *outcome, int64_t at)
{
	static const char sql[] = "UPDATE given SET outcome = ?2, "
	    "outcome_at = CASE WHEN ?2 = 'open' THEN NULL ELSE ?3 END "
	    "WHERE id = ?1";

	return db_changes(db, sql, ARGS(arg_int(id), arg_text(outcome),
	    arg_int(at)));
}

struct given_cb {
	int (*cb)(const struct given *, void *);
	void *arg;
};

static int
given_row(sqlite3_stmt *st, void *arg)
{
	struct given_cb *c = arg;
	struct given g;
	int r;

	g.id = sqlite3_column_int64(st, 0);
	g.partner_id = sqlite3_column_int64(st, 1);
	g.partner_name = db_text(st, 2);
	g.client = db_text(st, 3);
	g.contact = db_text(st, 4);
	g.note = db_text(st, 5);
	g.outcome = db_text(st, 6);
	g.actor = db_text(st, 7);
	g.at = sqlite3_column_int64(st, 8);
	g.outcome_at = db_opt(st, 9);
	r = c->cb(&g, c->arg);
	given_free(&g);
	return r;
}

int
db_given_each(struct db *db, int64_t partner_id,
    int (*cb)(const struct given *, void *), void *arg)
{
	static const char sql[] = "SELECT g.id, g.partner_id, p.name, "
	    "g.client, g.contact, g.note, g.outcome, g.actor, g.at, "
	    "g.outcome_at FROM given g LEFT JOIN partners p ON "
	    "p.id = g.partner_id WHERE ?1 = 0 OR g.partner_id = ?1 "
	    "ORDER BY g.id";
	struct given_cb c = { cb, arg };

	return db_each(db, sql, ARGS(arg_int(partner_id)), given_row, &c);
}

int
db_given_counts(struct db *db, int64_t partner_id, int64_t from, int64_t to,
    struct given_counts *n)
{
	static const char sql[] = "SELECT count(*), "
	    "coalesce(sum(outcome = 'won'), 0), "
	    "coalesce(sum(outcome = 'lost'), 0) FROM given "
	    "WHERE partner_id = ?1 AND at >= ?2 AND at < ?3";

	/* An aggregate: always one row. */
	return db_row(db, sql, ARGS(arg_int(partner_id), arg_int(from),
	    arg_int(to)), COLS(col_int64(&n->given), col_int64(&n->won),
	    col_int64(&n->lost))) == 1 ? 0 : -1;
}

int
db_given_draft_add(struct db *db, const struct given_draft *d, int64_t at,
    int64_t *id)
{
	static const char sql[] = "INSERT INTO given_drafts (partner_id, "
	    "author, client, contact, note, message_row, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)";

	return db_insert(db, sql, ARGS(arg_int(d->partner_id),
	    arg_text(d->author), arg_text(d->client), arg_text(d->contact),
	    arg_text(d->note), arg_id(d->message_row), arg_int(at)), id);
}

int
db_given_draft_get(struct db *db, int64_t id, struct given_draft *d)
{
	static const char sql[] = "SELECT id, partner_id, author, client, "
	    "contact, note, coalesce(message_row, 0), coalesce(given_id, 0), "
	    "coalesce(confirmed_at, 0) FROM given_drafts WHERE id = ?";

	memset(d, 0, sizeof(*d));
	return db_row(db, sql, ARGS(arg_int(id)), COLS(col_int64(&d->id),
	    col_int64(&d->partner_id), col_text(&d->author),
	    col_text(&d->client), col_text(&d->contact), col_text(&d->note),
	    col_int64(&d->message_row), col_int64(&d->given_id),
	    col_int64(&d->confirmed_at)));
}

int
db_given_draft_done(struct db *db, int64_t id, int64_t given_id, int64_t at)
{
	static const char sql[] = "UPDATE given_drafts SET confirmed_at = ?, "
	    "given_id = ? WHERE id = ? AND confirmed_at IS NULL";

	return db_changes(db, sql, ARGS(arg_int(at), arg_id(given_id),
	    arg_int(id)));
}

void
given_draft_free(struct given_draft *d)
{
	free(d->author);
	free(d->client);
	free(d->contact);
	free(d->note);
	memset(d, 0, sizeof(*d));
}
