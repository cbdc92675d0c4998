/*
 * commission: money owed to a partner for a won referral, in integer
 * minor units (never floating point).  Pure.
 *
 * The tier table maps a partner's referrals in a calendar year to a rate:
 * "3:10, 10:15, *:20" is the guide's example — 1–3 referrals 10 %,
 * 4–10 15 %, 11 and more 20 %.
 */
#ifndef REFBOT_COMMISSION_H
#define REFBOT_COMMISSION_H

#include <stddef.h>
#include <stdint.h>

struct tier_step {
	int64_t upto;		/* referrals in the year; -1: no upper bound */
	int64_t rate_bp;	/* basis points: 1000 = 10 % */
};

struct tier_table {
	struct tier_step steps[16];
	size_t n;
};

/* Parses "3:10, 10:15, *:20"; 0, or -1 with *errstr (caller frees). */
int tier_table_parse(const char *s, struct tier_table *t, char **errstr);

/* The rate for the nth referral of the year (n from 1). */
int64_t tier_rate(const struct tier_table *, int64_t n);

/* "12.5" or "12.5%" (0 to 100) as basis points; -1 if unreadable. */
int64_t commission_percent_bp(const char *s);

/* bp as "20%", "12.5%" or "12.25%" in buf; returns buf. */
const char *commission_percent_text(int64_t bp, char *buf, size_t size);

/* amount * rate_bp / 10000, rounded half up. */
int64_t commission_of(int64_t amount, int64_t rate_bp);

#endif
