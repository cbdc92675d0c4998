/* db_surveys: the surveys and survey_answers tables (db_surveys.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "db_surveys.h"

/* The current answer rows: each (survey, question)'s highest id. */
#define CURRENT "a.id = (SELECT max(id) FROM survey_answers b WHERE " \
	"b.survey_id = a.survey_id AND b.question = a.question)"
/* The answers a query API call covers: ?1 kind, ?2 partner, ?3..?4. */
#define COVERED "(?1 IS NULL OR s.kind = ?1) AND (?2 = 0 OR " \
	"s.partner_id = ?2) AND a.answered_at >= ?3 AND a.answered_at < ?4"

void
survey_row_free(struct survey_row *s)
{
	if (s == NULL)
		return;
	free(s->kind);
	free(s->partner_name);
	free(s->period);
	free(s->recipient);
	free(s->lang);
	memset(s, 0, sizeof(*s));
}

int
db_survey_add(struct db *db, const char *kind, int64_t partner_id,
    int64_t referral_id, const char *period, const char *recipient,
    const char *lang, int64_t now, int64_t *id)
{
	static const char sql[] = "INSERT OR IGNORE INTO surveys (kind, "
	    "partner_id, referral_id, period, recipient, lang, sent_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)";
	int n;

	n = db_changes(db, sql, ARGS(arg_text(kind), arg_int(partner_id),
	    arg_id(referral_id), arg_text(period), arg_text(recipient),
	    arg_text(lang), arg_int(now)));
	if (n == 1 && id != NULL)
		*id = db_int64(db, "SELECT last_insert_rowid()", NOARGS);
	return n < 0 ? -1 : n > 0;
}

#define SURVEY_COLUMNS "s.id, s.kind, s.partner_id, p.name, " \
	"s.referral_id, s.period, s.recipient, s.lang, s.sent_at, " \
	"s.reminded_at, s.answered_at, s.asked_at, (SELECT count(*) FROM " \
	"survey_answers a WHERE a.survey_id = s.id) FROM surveys s " \
	"LEFT JOIN partners p ON p.id = s.partner_id "

static void
read_survey(sqlite3_stmt *st, struct survey_row *s)
{
	int64_t v;

	s->id = sqlite3_column_int64(st, 0);
	s->kind = db_text(st, 1);
	s->partner_id = sqlite3_column_int64(st, 2);
	s->partner_name = db_text(st, 3);
	s->referral_id = (v = db_opt(st, 4)) > 0 ? v : 0;
	s->period = db_text(st, 5);
	s->recipient = db_text(st, 6);
	s->lang = db_text(st, 7);
	s->sent_at = sqlite3_column_int64(st, 8);
	s->reminded_at = (v = db_opt(st, 9)) > 0 ? v : 0;
	s->answered_at = (v = db_opt(st, 10)) > 0 ? v : 0;
	s->asked_at = (v = db_opt(st, 11)) > 0 ? v : 0;
	s->answers = sqlite3_column_int(st, 12);
}

static int
one_survey(sqlite3_stmt *st, void *arg)
{
	read_survey(st, arg);
	return 1;
}

int
db_survey_get(struct db *db, int64_t id, struct survey_row *s)
{
	static const char sql[] = "SELECT " SURVEY_COLUMNS "WHERE s.id = ?";

	memset(s, 0, sizeof(*s));
	return db_row_with(db, sql, ARGS(arg_int(id)), one_survey, s);
}

struct each_survey {
	int (*cb)(const struct survey_row *, void *);
	void *arg;
};

static int
each_survey(sqlite3_stmt *st, void *arg)
{
	struct each_survey *c = arg;
	struct survey_row s;
	int r;

	read_survey(st, &s);
	r = c->cb(&s, c->arg);
	survey_row_free(&s);
	return r;
}

int
db_survey_each(struct db *db, const char *kind, int64_t partner_id,
    int (*cb)(const struct survey_row *, void *), void *arg)
{
	static const char sql[] = "SELECT " SURVEY_COLUMNS "WHERE (?1 IS "
	    "NULL OR s.kind = ?1) AND (?2 = 0 OR s.partner_id = ?2) ORDER BY "
	    "s.id DESC";
	struct each_survey c = { cb, arg };

	return db_each(db, sql, ARGS(arg_text(kind), arg_int(partner_id)),
	    each_survey, &c);
}

int
db_survey_answer_add(struct db *db, int64_t survey_id, const char *question,
    int score, const char *comment, int64_t message_row, int64_t at)
{
	static const char sql[] = "INSERT INTO survey_answers (survey_id, "
	    "question, score, comment, message_row, answered_at) VALUES "
	    "(?, ?, ?, ?, ?, ?)";

	return db_exec(db, sql, ARGS(arg_int(survey_id), arg_text(question),
	    arg_id(score), arg_text(comment), arg_id(message_row),
	    arg_int(at)));
}

int
db_survey_has_answer(struct db *db, int64_t survey_id, const char *question)
{
	static const char sql[] = "SELECT count(*) FROM survey_answers "
	    "WHERE survey_id = ? AND question = ?";
	int64_t n = db_int64(db, sql, ARGS(arg_int(survey_id),
	    arg_text(question)));

	return n < 0 ? -1 : n > 0;
}

int
db_survey_answered(struct db *db, int64_t id, int64_t at)
{
	return db_exec(db, "UPDATE surveys SET answered_at = ? WHERE id = ?",
	    ARGS(arg_int(at), arg_int(id)));
}

int
db_survey_asked(struct db *db, int64_t id, int64_t at)
{
	return db_changes(db, "UPDATE surveys SET asked_at = ? WHERE id = ? "
	    "AND asked_at IS NULL", ARGS(arg_int(at), arg_int(id)));
}

int
db_survey_reminded(struct db *db, int64_t id, int64_t at)
{
	return db_changes(db, "UPDATE surveys SET reminded_at = ? WHERE id = "
	    "? AND reminded_at IS NULL AND answered_at IS NULL",
	    ARGS(arg_int(at), arg_int(id)));
}

struct each_answer {
	int (*cb)(const struct survey_answer_row *, void *);
	void *arg;
};

static int
each_answer(sqlite3_stmt *st, void *arg)
{
	struct each_answer *c = arg;
	struct survey_answer_row a;

	a.id = sqlite3_column_int64(st, 0);
	a.question = (const char *)sqlite3_column_text(st, 1);
	a.score = sqlite3_column_int(st, 2);
	a.comment = (const char *)sqlite3_column_text(st, 3);
	a.message_row = sqlite3_column_int64(st, 4);
	a.answered_at = sqlite3_column_int64(st, 5);
	a.current = sqlite3_column_int(st, 6);
	return c->cb(&a, c->arg);
}

int
db_survey_answers(struct db *db, int64_t survey_id,
    int (*cb)(const struct survey_answer_row *, void *), void *arg)
{
	static const char sql[] = "SELECT a.id, a.question, a.score, "
	    "a.comment, a.message_row, a.answered_at, " CURRENT " FROM "
	    "survey_answers a WHERE a.survey_id = ? ORDER BY (SELECT min(id) "
	    "FROM survey_answers c WHERE c.survey_id = a.survey_id AND "
	    "c.question = a.question), a.id";
	struct each_answer c = { cb, arg };

	return db_each(db, sql, ARGS(arg_int(survey_id)), each_answer, &c);
}

struct ids {
	int64_t *v;
	size_t n;
};

static int
collect_id(sqlite3_stmt *st, void *arg)
{
	struct ids *c = arg;

	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	c->v[c->n++] = sqlite3_column_int64(st, 0);
	return 0;
}

static int
ids_done(int r, struct ids *c, int64_t **ids, size_t *n)
{
	if (r != 0) {
		free(c->v);
		return -1;
	}
	*ids = c->v;
	*n = c->n;
	return 0;
}

int
db_survey_reminders_due(struct db *db, int64_t before, int64_t **ids,
    size_t *n)
{
	static const char sql[] = "SELECT id FROM surveys WHERE answered_at "
	    "IS NULL AND reminded_at IS NULL AND sent_at < ? ORDER BY id";
	struct ids c = { NULL, 0 };

	return ids_done(db_each(db, sql, ARGS(arg_int(before)), collect_id,
	    &c), &c, ids, n);
}

int
db_survey_clients_due(struct db *db, int64_t won_from, int64_t won_to,
    int64_t **ids, size_t *n)
{
	static const char sql[] = "SELECT r.id FROM referrals r JOIN "
	    "partners p ON p.id = r.partner_id WHERE r.status = {WON} AND "
	    "p.active AND p.client_contact AND r.contact_email IS NOT NULL "
	    "AND r.contact_email <> '' AND r.anonymised_at IS NULL AND "
	    "(SELECT max(at) FROM history h WHERE h.referral_id = r.id AND "
	    "h.to_status = {WON}) BETWEEN ?1 AND ?2 - 1 AND NOT EXISTS "
	    "(SELECT 1 FROM surveys s WHERE s.kind = 'client' AND "
	    "s.referral_id = r.id) ORDER BY r.id";
	struct ids c = { NULL, 0 };

	return ids_done(db_each(db, sql, ARGS(arg_int(won_from),
	    arg_int(won_to)), collect_id, &c), &c, ids, n);
}

int
db_survey_client_email(struct db *db, int64_t referral_id, char **email)
{
	*email = NULL;
	return db_row(db, "SELECT contact_email FROM referrals WHERE id = ?",
	    ARGS(arg_int(referral_id)), COLS(col_text(email))) < 0 ? -1 : 0;
}

int
db_partner_client_contact(struct db *db, int64_t partner_id)
{
	int64_t v = db_int64(db, "SELECT coalesce((SELECT client_contact "
	    "FROM partners WHERE id = ?), 0)", ARGS(arg_int(partner_id)));

	return v < 0 ? -1 : v != 0;
}

int
db_partner_set_client_contact(struct db *db, int64_t partner_id, int on)
{
	return db_changes(db, "UPDATE partners SET client_contact = ? WHERE "
	    "id = ?", ARGS(arg_int(on != 0), arg_int(partner_id)));
}

struct scores {
	int (*cb)(const struct survey_score *, void *);
	void *arg;
};

static int
score_row(sqlite3_stmt *st, void *arg)
{
	struct scores *c = arg;
	struct survey_score s;

	s.partner_id = sqlite3_column_int64(st, 0);
	s.kind = (const char *)sqlite3_column_text(st, 1);
	s.question = (const char *)sqlite3_column_text(st, 2);
	s.avg = sqlite3_column_int64(st, 3);
	s.n = sqlite3_column_int64(st, 4);
	return c->cb(&s, c->arg);
}

int
db_survey_scores(struct db *db, const char *kind, int64_t partner_id,
    const char *question, int64_t from, int64_t to,
    int (*cb)(const struct survey_score *, void *), void *arg)
{
	/* ?1 NULL: the kinds together (the column is NULL too). */
	static const char sql[] = "SELECT s.partner_id, ?1, a.question, "
	    "CAST(round(avg(a.score) * 100) AS INTEGER), count(*) FROM "
	    "survey_answers a JOIN surveys s ON s.id = a.survey_id WHERE "
	    COVERED " AND (?5 IS NULL OR a.question = ?5) AND a.score IS "
	    "NOT NULL AND " CURRENT " GROUP BY 1, 3 ORDER BY 1, "
	    "a.question <> 'satisfaction', 3";
	struct scores c = { cb, arg };

	return db_each(db, sql, ARGS(arg_text(kind), arg_int(partner_id),
	    arg_int(from), arg_int(to), arg_text(question)), score_row, &c);
}

struct comments {
	int (*cb)(const struct survey_comment *, void *);
	void *arg;
};

static int
comment_row(sqlite3_stmt *st, void *arg)
{
	struct comments *c = arg;
	struct survey_comment x;

	x.survey_id = sqlite3_column_int64(st, 0);
	x.partner_id = sqlite3_column_int64(st, 1);
	x.kind = (const char *)sqlite3_column_text(st, 2);
	x.question = (const char *)sqlite3_column_text(st, 3);
	x.comment = (const char *)sqlite3_column_text(st, 4);
	x.score = sqlite3_column_int64(st, 5);
	x.at = sqlite3_column_int64(st, 6);
	return c->cb(&x, c->arg);
}

int
db_survey_comments(struct db *db, const char *kind, int64_t partner_id,
    int64_t from, int64_t to,
    int (*cb)(const struct survey_comment *, void *), void *arg)
{
	static const char sql[] = "SELECT a.survey_id, s.partner_id, "
	    "s.kind, a.question, a.comment, coalesce(a.score, -1), "
	    "a.answered_at FROM "
	    "survey_answers a JOIN surveys s ON s.id = a.survey_id WHERE "
	    COVERED " AND trim(coalesce(a.comment, '')) <> '' AND " CURRENT
	    " ORDER BY a.answered_at, a.id";
	struct comments c = { cb, arg };

	return db_each(db, sql, ARGS(arg_text(kind), arg_int(partner_id),
	    arg_int(from), arg_int(to)), comment_row, &c);
}
