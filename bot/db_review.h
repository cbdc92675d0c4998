/*
 * db_review: what the quarterly review pack and the report's health
 * columns read beyond db_reports (survey scores and comments are
 * db_surveys.h's db_survey_scores and db_survey_comments): referrals by
 * status, disqualified referrals' fields, open referrals, each
 * partner's tier and commission rate, and the packs sent.  Read only
 * except db_review_mark; returns as in db.h.
 */
#ifndef REFBOT_DB_REVIEW_H
#define REFBOT_DB_REVIEW_H

#include <stdint.h>

#include "db.h"

/* A partner's referrals received in [from, to) by status, most first. */
int db_review_statuses(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int (*cb)(const char *status, int64_t n, void *), void *arg);

/*
 * Each field of every referral of partner_id (0: all) disqualified in
 * [from, to), by referral.
 */
int db_review_disqualified(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int (*cb)(int64_t referral_id, int64_t partner_id,
    const char *key, const char *value, void *), void *arg);

/*
 * Each open referral in one of states (" CONTACTED MEETING ", spaces
 * around each) and since when it is in its state.
 */
struct open_row {
	int64_t id, partner_id;
	const char *status, *client;
	int64_t since;
};
int db_review_open(struct db *, int64_t partner_id, const char *states,
    int (*cb)(const struct open_row *, void *), void *arg);

/*
 * Per partner (0: all), by id: its tier, the mean rate of the
 * commission it earned in [from, to) (basis points, -1: none), and the
 * referrals disqualified in [from, to).
 */
struct health_db_row {
	int64_t partner_id;
	int64_t tier;
	int64_t rate_bp, rate_n;	/* rate_n: the entries averaged */
	int64_t disqualified;
	int active;
};
int db_health_partners(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int (*cb)(const struct health_db_row *, void *), void *arg);

/* Records the pack of partner_id for quarter: 1 now, 0 it was before, -1. */
int db_review_mark(struct db *, int64_t partner_id, const char *quarter,
    int64_t now);

#endif
