/*
 * db_alerts: staff alerts about inbound mail (issue 14 item 7), by kind
 * and clock hour (period: its first second), so that an hour's alerts
 * beyond the limit are held for one summary (the staff_alerts table).
 *
 * db_alert_sent: how many went out individually in that hour, or -1.
 * db_alert_add records one, held (for the summary) or not.  db_alert_due
 * finds the oldest kind and hour before "before" with held alerts not yet
 * summarised (kind: caller frees); 1 found, 0 none, -1 error.
 * db_alert_held reads that hour's numbers and the message rows of the
 * unsummarised held alerts (alert_period_free).  db_alert_summarised
 * marks them reported.
 */
#ifndef REFBOT_DB_ALERTS_H
#define REFBOT_DB_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct alert_period {
	int sent;		/* individual alerts that went out */
	size_t nheld;
	int64_t *rows;		/* message row of each held alert, 0 if none */
	char **disp;		/* and that message's disposition, or "?" */
	int64_t first, last;	/* when the first and last were held */
};
int db_alert_sent(struct db *, const char *kind, int64_t period);
int db_alert_add(struct db *, const char *kind, int64_t period,
    int64_t message_row, int64_t at, int held);
int db_alert_due(struct db *, int64_t before, char **kind, int64_t *period);
int db_alert_held(struct db *, const char *kind, int64_t period,
    struct alert_period *);
void alert_period_free(struct alert_period *);
int db_alert_summarised(struct db *, const char *kind, int64_t period,
    int64_t at);

#endif
