/*
 * statement: a partner's quarterly statement — the referrals received
 * or won in the quarter, the revenue won and the commission booked in
 * it, the payouts and the balance.  Printed by "refbot statement",
 * queued by its --send, and queued by the daemon on statement_day for
 * the quarter just ended; at most once per partner and quarter either
 * way.  Quarters run in the configured timezone.
 */
#ifndef REFBOT_STATEMENT_H
#define REFBOT_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "refbot.h"

struct partner;

struct quarter {
	char name[8];		/* "2026Q4" */
	int64_t from, to;	/* [from, to) */
};

/* "2026Q4" into q; 0, or -1 if it is not a quarter. */
int statement_quarter(const char *s, struct quarter *q);

/*
 * The statement's subject and body (caller frees): 0, or EX_IOERR_
 * (database) / EX_CONFIG_ (the text) with *errstr.
 */
int statement_text(struct refbot *, const struct partner *,
    const struct quarter *, char **subject, char **body, char **errstr);

/* Queues it unless it went out before: 1 queued, 0 sent before, -1. */
int statement_send(struct refbot *, const struct partner *,
    const struct quarter *);

/* The active partners who joined before t, by id (caller frees *ids). */
int statement_partners(struct refbot *, int64_t before, int64_t **ids,
    size_t *n);

/*
 * The daemon's part: from statement_day of the month after a quarter,
 * the quarter's statements to every active partner who joined before
 * its end.  Returns how many were queued, or -1.
 */
int statement_schedule(struct refbot *, int64_t now);

#endif
