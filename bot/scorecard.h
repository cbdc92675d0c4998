/*
 * scorecard: the programme's numbers as one self-contained HTML page
 * ("refbot report --format html"), for the quarterly review: charts
 * drawn by parsers/svg.c beside tables of the exact numbers, in the
 * firm's language, with print styles.  No script, no outside file.
 *
 * It only writes: cli_report.c collects the numbers the text, CSV and
 * JSON reports show and hands them over in a struct scorecard.
 */
#ifndef REFBOT_SCORECARD_H
#define REFBOT_SCORECARD_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct review;

/* One partner's numbers for the period, or the overall ones. */
struct scorecard_row {
	char *name;
	int64_t partner_id;
	int64_t received, duplicates, won, revenue, commission, paid, given;
	int64_t sla_breaches;
	int64_t median;		/* seconds to the first response; -1: none */
	int64_t given_won;	/* of those given, the ones won */
	/* Health (#20.4): tier, mean commission rate, satisfaction. */
	int64_t tier;		/* partners.tier (SLA); 0 for the overall row */
	char *commission_tier;	/* rate_tier_label now; NULL: overall */
	int64_t rate_bp;	/* of the period's commission; -1: none */
	int64_t sat, sat_prev;	/* hundredths (1-5), -1: no answers */
	int64_t sat_n, sat_prev_n;	/* answers behind them */
	char **points;		/* needs attention: each point's words */
	char **point_keys;	/* and its key ("reciprocity") */
	size_t npoints;
};

/*
 * Conversion by commission tier: the partners grouped by the tier each
 * is on now (rate_tier_label: a tiers.txt row, a tier_rates step, or
 * own terms), with their referrals of the period.
 */
struct scorecard_tier {
	char *label;		/* "count>=4 → 15%", "own terms" */
	int64_t tier_rate;	/* its rate in basis points; -1: own terms */
	int64_t partners, received, counted, won;
	int64_t rate_bp;	/* mean rate of the commission; -1: none */
	int64_t rate_n;		/* the ledger entries behind it */
};

struct scorecard_month {
	char month[8];		/* "2026-10" */
	int64_t received, responded, breaches;
	int64_t median;		/* seconds; -1: no response that month */
};

enum { STAGE_RECEIVED, STAGE_CONTACTED, STAGE_MEETING, STAGE_PROPOSAL,
    STAGE_WON, STAGE_N };

struct scorecard {
	const char *lang;		/* "en" or "ja" */
	const char *currency;
	int64_t from, to;		/* [from, to) in UTC; from 0: the start */
	const char *partner;		/* the one partner shown, or NULL */
	int64_t generated;		/* when, for the footer */
	int sla_hours;			/* the reference line */
	struct scorecard_row *rows;	/* per partner */
	size_t nrows;
	struct scorecard_row all;
	int64_t funnel[STAGE_N];
	struct scorecard_month *months;	/* consecutive, oldest first */
	size_t nmonths;
	int64_t costs;			/* recorded programme costs */
	struct scorecard_tier *tiers;	/* by tier */
	size_t ntiers;
	int64_t prev_from;		/* the trend's: [prev_from, from) */
	const struct review *review;	/* the review page's, or NULL */
};


/* Appends the whole page to b. */
void scorecard_html(struct buf *b, const struct scorecard *);

/*
 * scorecard_health.c: the health sections (needs attention,
 * satisfaction, conversion by tier) and, with sc->review, the pack's
 * (talking points, survey scores and comments, stalled referrals).
 */
void scorecard_health_html(struct buf *b, const struct scorecard *, int ja);
/* A trend in hundredths as "+0.5", "-1.5", "0.0"; "-" when unknown. */
void scorecard_trend(int64_t now, int64_t before, char *, size_t);
/* A tier's conversion, as scorecard_conversion. */
void scorecard_tier_conversion(const struct scorecard_tier *, char *, size_t);
/* A rate in basis points as "10.0%"; "-" for -1. */
void scorecard_rate(int64_t bp, char *, size_t);

/*
 * The figures every report format shows the same way, into buf (at
 * least 32 bytes), "-" when there is nothing to divide by:
 * won of the referrals that were not duplicates ("40%"); revenue against
 * commission plus costs ("250%"); seconds as hours with one decimal,
 * cut not rounded ("24.5").
 */
void scorecard_conversion(const struct scorecard_row *, char *, size_t);
void scorecard_roi(const struct scorecard_row *all, int64_t costs, char *,
    size_t);
void scorecard_hours(int64_t seconds, char *, size_t);

#endif
