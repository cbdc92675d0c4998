/*
 * tiers: the tiers file (templates/tiers.txt), commission rates by a
 * partner's yearly count of referrals and their conversion.  Pure.
 *
 * One row a line, "CONDITIONS → RATE" ("->" for the arrow, "%"
 * optional):
 *
 *	count>=11 → 20%
 *	conversion>=50% and count>=4 → 20%
 *	default → 10%
 *
 * A condition is count>=N (referrals in the year) or conversion>=P%
 * (won / closed in the year), joined by "and"; "default" is the row for
 * everyone, and a file with rows has exactly one.  A partner gets the
 * best rate of the rows they meet (the first such row on a tie).  Blank
 * lines and lines starting with "#" are comments; a file of comments
 * alone has no rows (tier_rates applies, see refbot.conf(5)).
 */
#ifndef REFBOT_TIERS_H
#define REFBOT_TIERS_H

#include <stddef.h>
#include <stdint.h>

#define TIERS_MAX 64

struct tier_row {
	int line;		/* in the file, from 1 */
	int64_t min_count;	/* -1: no count condition */
	int64_t min_conv_bp;	/* -1: none; 5000 = 50 % */
	int64_t rate_bp;	/* 1000 = 10 % */
	char text[96];		/* canonical, "count>=4 → 15%" */
};

struct tier_rows {
	struct tier_row v[TIERS_MAX];
	size_t n;		/* 0: the file has no rows */
};

/* A partner's year as the rows see it. */
struct tier_stats {
	int64_t count;		/* referrals that count toward the tier */
	int64_t won, closed;	/* closed: won, lost or declined */
};

/*
 * Parses the file (len bytes, NULs refused).  0, or -1 with *line (0:
 * the file as a whole) and *errstr ("what is wrong — what to write";
 * caller frees).
 */
int tier_rows_parse(const char *text, size_t len, struct tier_rows *,
    int *line, char **errstr);

/* Conversion in basis points (won * 10000 / closed, down); -1: none closed. */
int64_t tier_conversion_bp(const struct tier_stats *);

/* The row s earns: the best rate met, the first on a tie; NULL: no rows. */
const struct tier_row *tier_rows_match(const struct tier_rows *,
    const struct tier_stats *);

/*
 * What row r needs that s lacks, in words ("2 more referrals this year
 * and conversion 50% (now 40%)"); NULL when s meets it.  Caller frees.
 */
char *tier_row_shortfall(const struct tier_row *r, const struct tier_stats *s);

#endif
