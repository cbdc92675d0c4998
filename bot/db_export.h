/*
 * db_export: what "refbot export" reads — referrals and history rows
 * changed after a stamp of the change counter (db_schema.c, issue 19),
 * or created since a time.  Call inside db_begin_read so that the stamp
 * and the rows are one snapshot.
 */
#ifndef REFBOT_DB_EXPORT_H
#define REFBOT_DB_EXPORT_H

#include <stdint.h>

#include "db.h"

struct export_ref {
	int64_t id;
	int64_t change_seq;
	int64_t won_amount;	/* minor units; -1: none */
	int64_t commission;	/* the ledger's net for it, minor units */
	char *submitter;	/* NULL when not known (or no such column) */
	char *owner;		/* NULL when none (or no such column) */
};

struct export_hist {
	int64_t id, referral_id, at, change_seq;
	char *actor, *event, *from_status, *to_status, *detail;
};

/* The counter now: the stamp for the next --changed-since; -1 error. */
int64_t db_change_stamp(struct db *);

/* Whether referrals has column name: 1, 0, or -1. */
int db_referrals_have(struct db *, const char *name);

/*
 * Each referral created at or after since with a change after changed
 * (both: 0 for all), oldest first; cb non-zero stops.  0, or -1.
 */
int db_export_referrals(struct db *, int64_t since, int64_t changed,
    int (*cb)(const struct export_ref *, void *), void *arg);

/* Each history row likewise (at >= since, changed after changed). */
int db_export_history(struct db *, int64_t since, int64_t changed,
    int (*cb)(const struct export_hist *, void *), void *arg);

#endif
