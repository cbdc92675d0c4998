/* db_given: referrals the firm gives to partners (see db_given.h). */
#include "config.h"

#include <stdlib.h>

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
