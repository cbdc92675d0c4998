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

/* One partner's numbers for the period, or the overall ones. */
struct scorecard_row {
	char *name;
	int64_t partner_id;
	int64_t received, duplicates, won, revenue, commission, paid, given;
	int64_t sla_breaches;
	int64_t median;		/* seconds to the first response; -1: none */
	int64_t given_won;	/* of those given, the ones won */
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
};

/* Appends the whole page to b. */
void scorecard_html(struct buf *b, const struct scorecard *);

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
