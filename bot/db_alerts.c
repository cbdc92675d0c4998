/* db_alerts: the staff alert counters. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_alerts.h"
#include "db_int.h"

int
db_alert_sent(struct db *db, const char *kind, int64_t period)
{
	static const char sql[] = "SELECT count(*) FROM staff_alerts "
	    "WHERE kind = ? AND period = ? AND held = 0";

	return (int)db_int64(db, sql, ARGS(arg_text(kind), arg_int(period)));
}

int
db_alert_add(struct db *db, const char *kind, int64_t period,
    int64_t message_row, int64_t at, int held)
{
	static const char sql[] = "INSERT INTO staff_alerts (kind, period, "
	    "message_row, at, held) VALUES (?, ?, ?, ?, ?)";

	return db_exec(db, sql, ARGS(arg_text(kind), arg_int(period),
	    arg_id(message_row), arg_int(at), arg_int(held)));
}

int
db_alert_due(struct db *db, int64_t before, char **kind, int64_t *period)
{
	static const char sql[] = "SELECT kind, period FROM staff_alerts "
	    "WHERE held = 1 AND summarised_at IS NULL AND period < ? "
	    "ORDER BY period, kind LIMIT 1";

	return db_row(db, sql, ARGS(arg_int(before)), COLS(col_text(kind),
	    col_int64(period)));
}

struct held {
	struct alert_period *ap;
	size_t cap;
};

static int
alert_row(sqlite3_stmt *st, void *arg)
{
	struct held *h = arg;
	struct alert_period *ap = h->ap;
	int64_t at = sqlite3_column_int64(st, 2);

	if (sqlite3_column_int(st, 0) == 0) {
		ap->sent++;
		return 0;
	}
	if (ap->nheld == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		ap->rows = xreallocarray(ap->rows, h->cap, sizeof(*ap->rows));
		ap->disp = xreallocarray(ap->disp, h->cap, sizeof(*ap->disp));
	}
	ap->disp[ap->nheld] = db_text(st, 3);
	ap->rows[ap->nheld++] = sqlite3_column_int64(st, 1);
	if (ap->first == 0 || at < ap->first)
		ap->first = at;
	if (at > ap->last)
		ap->last = at;
	return 0;
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
	struct held h = { ap, 0 };

	memset(ap, 0, sizeof(*ap));
	return db_each(db, sql, ARGS(arg_text(kind), arg_int(period)),
	    alert_row, &h);
}

int
db_alert_summarised(struct db *db, const char *kind, int64_t period,
    int64_t at)
{
	static const char sql[] = "UPDATE staff_alerts SET summarised_at = ? "
	    "WHERE kind = ? AND period = ? AND held = 1 AND "
	    "summarised_at IS NULL";

	return db_exec(db, sql, ARGS(arg_int(at), arg_text(kind),
	    arg_int(period)));
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
