/*
 * db_reports: the numbers of the partner report, the funnel, the monthly
 * scorecard and the newsletter's per-partner figures.  Read only; returns
 * as in db.h.
 */
#ifndef REFBOT_DB_REPORTS_H
#define REFBOT_DB_REPORTS_H

#include <stdint.h>

#include "db.h"

/* One partner's numbers for a period (strings valid during the call). */
struct report_row {
	int64_t partner_id;
	const char *name;
	int64_t received, duplicates, won, revenue, commission, paid, given;
	int64_t given_won;		/* of those given, the ones won */
	int64_t sla_breaches;
	const char *response_times;	/* seconds, ascending, comma-separated */
};
int db_report(struct db *, int64_t from, int64_t to, int64_t partner_id,
    int64_t now, int (*cb)(const struct report_row *, void *), void *arg);
/*
 * The pipeline of the period's referrals (duplicates left out): received,
 * then how many reached contacted, meeting, proposal, and are won.
 */
int db_report_funnel(struct db *, int64_t from, int64_t to,
    int64_t partner_id, int64_t stages[5]);
/* By month of arrival (UTC), oldest first (strings valid during the call). */
struct report_month {
	const char *month;		/* "2026-10" */
	int64_t received;		/* not counting duplicates */
	int64_t breaches;		/* as db_report counts them */
	const char *response_times;	/* seconds, comma-separated, or NULL */
};
int db_report_months(struct db *, int64_t from, int64_t to,
    int64_t partner_id, int64_t now,
    int (*cb)(const struct report_month *, void *), void *arg);

/* One partner's numbers for the newsletter. */
struct partner_numbers {
	int64_t sent_year;	/* referrals since year_from (not rejected) */
	int64_t open;		/* still in the pipeline */
	int64_t won_year, won_all;
	int64_t earned, paid;	/* commission, all time */
};
int db_partner_numbers(struct db *, int64_t partner_id, int64_t year_from,
    int64_t now, struct partner_numbers *);

#endif
