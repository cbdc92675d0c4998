/* db_newsletter: newsletter profiles, drafts and sends. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_int.h"
#include "db_newsletter.h"

int
db_newsletter_profile_put(struct db *db, const char *month, const char *lang,
    const char *body, const char *author)
{
	static const char sql[] = "INSERT OR REPLACE INTO newsletter_profiles "
	    "(month, lang, body, author, confirmed, updated_at) "
	    "VALUES (?, ?, ?, ?, 1, ?)";

	return db_exec(db, sql, ARGS(arg_text(month), arg_text(lang),
	    arg_text(body), arg_text(author), arg_int(clock_now())));
}

int
db_newsletter_profile_get(struct db *db, const char *month, const char *lang,
    char **body)
{
	static const char sql[] = "SELECT body FROM newsletter_profiles "
	    "WHERE month = ? AND lang = ? AND confirmed";

	return db_row(db, sql, ARGS(arg_text(month), arg_text(lang)),
	    COLS(col_text(body)));
}

int
db_newsletter_draft_add(struct db *db, const char *month, const char *lang,
    const char *body, const char *author, int64_t message_row, int64_t *id)
{
	static const char sql[] = "INSERT INTO newsletter_drafts (month, "
	    "lang, body, author, message_row, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?)";

	return db_insert(db, sql, ARGS(arg_text(month), arg_text(lang),
	    arg_text(body), arg_text(author), arg_int(message_row),
	    arg_int(clock_now())), id);
}

int
db_newsletter_draft_get(struct db *db, int64_t id,
    struct newsletter_draft *d)
{
	static const char sql[] = "SELECT id, month, lang, body, author, "
	    "coalesce(confirmed_at, 0) FROM newsletter_drafts WHERE id = ?";

	memset(d, 0, sizeof(*d));
	return db_row(db, sql, ARGS(arg_int(id)), COLS(col_int64(&d->id),
	    col_text(&d->month), col_text(&d->lang), col_text(&d->body),
	    col_text(&d->author), col_int64(&d->confirmed_at)));
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
	int n = db_changes(db, sql, ARGS(arg_int(clock_now()), arg_int(d->id)));

	if (n <= 0)
		return n;
	return db_newsletter_profile_put(db, d->month, d->lang, d->body,
	    d->author) != 0 ? -1 : 1;
}

int
db_newsletter_drafts(struct db *db, const char *month, const char *lang)
{
	static const char sql[] = "SELECT count(*) FROM newsletter_drafts "
	    "WHERE month = ? AND lang = ? AND confirmed_at IS NULL";

	return (int)db_int64(db, sql, ARGS(arg_text(month), arg_text(lang)));
}

int
db_newsletter_claim(struct db *db, int64_t partner_id, const char *month)
{
	/* The primary key makes a second claim of the month a no-op. */
	static const char sql[] = "INSERT OR IGNORE INTO newsletter_sends "
	    "(partner_id, month, created_at) VALUES (?, ?, ?)";

	return db_changes(db, sql, ARGS(arg_int(partner_id), arg_text(month),
	    arg_int(clock_now())));
}

int
db_newsletter_claimed(struct db *db, int64_t partner_id, const char *month,
    int64_t outbox_id)
{
	static const char sql[] = "UPDATE newsletter_sends SET outbox_id = ? "
	    "WHERE partner_id = ? AND month = ?";

	return db_exec(db, sql, ARGS(arg_int(outbox_id), arg_int(partner_id),
	    arg_text(month)));
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

	/* An aggregate: always one row. */
	if (db_row(db, sql, ARGS(arg_text(month)), COLS(col_int64(&p->total),
	    col_int64(&p->sent), col_int64(&p->failed),
	    col_int64(&p->held))) != 1)
		return -1;
	p->pending = p->total - p->sent - p->failed - p->held;
	return 0;
}
