/*
 * db_review: what the quarterly review pack and the report's health
 * columns read beyond db_reports: survey scores and comments (the
 * current answer of each question: its highest id), referrals by
 * status, disqualified referrals' fields, open referrals, each
 * partner's tier and commission rate, and the packs sent.  Read only
 * except db_review_mark; returns as in db.h.  Averages are hundredths
 * (450: 4.5), -1 when nothing was scored.
 */
#ifndef REFBOT_DB_REVIEW_H
#define REFBOT_DB_REVIEW_H

#include <stdint.h>

#include "db.h"

/* One question's current answers given in [from, to) (strings: the call). */
struct survey_score {
	const char *kind;		/* "partner" or "client" */
	const char *question;		/* the survey template's field */
	int64_t avg;			/* hundredths, -1: none scored */
	int64_t n;			/* answers scored */
};
int db_review_scores(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int (*cb)(const struct survey_score *, void *), void *arg);

/* One current answer with a comment, oldest first. */
struct survey_comment {
	const char *kind, *question, *comment;
	int64_t score;			/* -1: none */
	int64_t at;
};
int db_review_comments(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int (*cb)(const struct survey_comment *, void *), void *arg);

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
 * commission it earned in [from, to) (basis points, -1: none), and its
 * satisfaction (the "satisfaction" question of both kinds of survey)
 * answered in [from, to) and in [prev_from, from).
 */
struct health_db_row {
	int64_t partner_id;
	int64_t tier;
	int64_t rate_bp, rate_n;	/* rate_n: the entries averaged */
	int64_t sat, sat_n, sat_prev, sat_prev_n;
	int64_t disqualified;
	int active;
};
int db_health_partners(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int64_t prev_from,
    int (*cb)(const struct health_db_row *, void *), void *arg);

/* Records the pack of partner_id for quarter: 1 now, 0 it was before, -1. */
int db_review_mark(struct db *, int64_t partner_id, const char *quarter,
    int64_t now);

#endif
