/*
 * review: the quarterly review pack (issue 20 item 3).  Before each
 * quarter ends (review_days before its last day), each active
 * partner's account manager — else the managers — gets one mail per
 * partner in their own language: referrals both ways with outcomes,
 * conversion, revenue, commission earned and paid, median first
 * response and SLA breaches, survey scores (this quarter against the
 * previous one) and comments, stalled referrals, and the talking
 * points (health.h); partners who joined since those days began get
 * none.  Each pack is recorded with its outbox rows
 * (review_packs), so it goes once per partner and quarter across
 * restarts.  "refbot review" prints or sends it; "refbot report
 * --review" draws it as a page (scorecard_health.c).
 */
#ifndef REFBOT_REVIEW_H
#define REFBOT_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "health.h"
#include "refbot.h"
#include "staff.h"
#include "statement.h"
#include "util.h"

/* One survey question: this quarter's mean and the previous one's. */
struct review_score {
	char *kind, *question;
	int64_t avg, n, prev, prev_n;	/* hundredths, -1: none */
};

struct review_comment {
	char *kind, *question, *comment;
	int64_t score;			/* -1: none */
};

/* What one pack says, in one language (strings its own). */
struct review {
	int64_t partner_id;
	char *partner_name;
	const char *lang;		/* "en" or "ja" */
	struct quarter q, prev;
	struct health h;
	int64_t revenue, earned, paid, median;	/* median: seconds, -1 */
	int64_t given_won, given_lost;
	struct buf outcomes;		/* "WON 3, NEW 2" */
	struct review_score *scores;
	size_t nscores;
	struct review_comment *comments;
	size_t ncomments;
	struct buf stalled;		/* a line each */
	char **points;			/* the talking points */
	size_t npoints;
};

/* The quarter t falls in (the configured timezone), and the one before. */
void review_quarter_at(int64_t t, struct quarter *q, struct quarter *prev);
/* The quarter before q. */
void review_quarter_before(const struct quarter *q, struct quarter *prev);

/* Builds p's pack for q in lang as of now: 0, or -1 (database, texts). */
int review_build(struct refbot *, const struct partner *p,
    const struct quarter *q, const char *lang, int64_t now,
    struct review *);
void review_free(struct review *);

/* The pack as mail (caller frees): 0, or -1 with *errstr. */
int review_text(struct refbot *, const struct review *, char **subject,
    char **body, char **errstr);

/*
 * The people p's pack goes to, each once with their language: its
 * account manager while active, else the managers (staff.h).
 */
int review_recipients(struct refbot *, const struct partner *p,
    struct staff_rcpt **out, size_t *n);

/* Queues p's pack for q unless it went before: 1 queued, 0 before, -1. */
int review_send(struct refbot *, const struct partner *p,
    const struct quarter *q, int64_t now);

/* The daemon's part: the current quarter's packs when due; queued, -1. */
int review_schedule(struct refbot *, int64_t now);

#endif
