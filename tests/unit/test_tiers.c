/* Unit tests for the tiers file (parsers/tiers.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tiers.h"

static int
parse(const char *text, struct tier_rows *t, int *line, char **err)
{
	free(*err);
	*err = NULL;
	return tier_rows_parse(text, strlen(text), t, line, err);
}

static void
test_good_rows(void)
{
	struct tier_rows t;
	struct tier_stats s;
	char *err = NULL;
	int line;

	EXPECT(parse("# the guide's tiers\n"
	    "\n"
	    "count>=11 \xe2\x86\x92 20%\n"
	    "  Conversion >= 50% AND count>=4 -> 20\r\n"
	    "count\xe2\x89\xa5" "4 → 15%\n"
	    "default → 10%\n"
	    "conversion>=75 -> 12.5%\n", &t, &line, &err) == 0);
	EXPECT(err == NULL);
	EXPECT(t.n == 5);
	EXPECT(t.v[0].line == 3 && t.v[0].min_count == 11 &&
	    t.v[0].min_conv_bp == -1 && t.v[0].rate_bp == 2000);
	EXPECT_STR(t.v[0].text, "count>=11 → 20%");
	EXPECT(t.v[1].line == 4 && t.v[1].min_count == 4 &&
	    t.v[1].min_conv_bp == 5000 && t.v[1].rate_bp == 2000);
	EXPECT_STR(t.v[1].text, "conversion>=50% and count>=4 → 20%");
	EXPECT_STR(t.v[2].text, "count>=4 → 15%");
	EXPECT_STR(t.v[3].text, "default → 10%");
	EXPECT_STR(t.v[4].text, "conversion>=75% → 12.5%");

	/* The best rate met wins, whatever the order of the rows. */
	s = (struct tier_stats){ 2, 0, 0 };
	EXPECT_STR(tier_rows_match(&t, &s)->text, "default → 10%");
	s = (struct tier_stats){ 5, 2, 4 };	/* 50 %: exactly */
	EXPECT(tier_conversion_bp(&s) == 5000);
	EXPECT(tier_rows_match(&t, &s)->line == 4);
	s = (struct tier_stats){ 5, 1, 3 };	/* 33 % */
	EXPECT(tier_rows_match(&t, &s)->line == 5);
	s = (struct tier_stats){ 3, 3, 3 };	/* 100 %, but only 3 */
	EXPECT(tier_rows_match(&t, &s)->line == 7);
	s = (struct tier_stats){ 12, 0, 5 };
	EXPECT(tier_rows_match(&t, &s)->line == 3);
	free(err);
}

static void
test_shortfall(void)
{
	struct tier_rows t;
	struct tier_stats s = { 9, 2, 5 };
	char *err = NULL, *why;
	int line;

	EXPECT(parse("count>=11 -> 20%\nconversion>=50% and count>=4 -> 20%\n"
	    "default -> 10%\n", &t, &line, &err) == 0);
	why = tier_row_shortfall(&t.v[0], &s);
	EXPECT_STR(why, "2 more referrals this year");
	free(why);
	why = tier_row_shortfall(&t.v[1], &s);
	EXPECT_STR(why, "conversion 50% (now 40%)");
	free(why);
	s = (struct tier_stats){ 3, 0, 0 };
	why = tier_row_shortfall(&t.v[1], &s);
	EXPECT_STR(why, "1 more referral this year and conversion 50% "
	    "(now none closed)");
	free(why);
	/* Nothing closed: no conversion, and its rows are not met. */
	s = (struct tier_stats){ 30, 0, 0 };
	EXPECT(tier_conversion_bp(&s) == -1);
	EXPECT(tier_row_shortfall(&t.v[0], &s) == NULL);
	EXPECT(tier_row_shortfall(&t.v[2], &s) == NULL);
	free(err);
}

static void
test_bad_rows(void)
{
	struct tier_rows t;
	char *err = NULL;
	int line;

	/* Comments alone: no rows (tier_rates applies). */
	EXPECT(parse("# nothing yet\n\n", &t, &line, &err) == 0 && t.n == 0);
	EXPECT(parse("", &t, &line, &err) == 0 && t.n == 0);

	EXPECT(parse("default -> 10%\n# x\ncount>=4 15%\n", &t, &line,
	    &err) != 0);
	EXPECT(line == 3);
	EXPECT_CONTAINS(err, "no arrow");
	EXPECT(parse("default -> 10%\nvolume>=4 -> 15%\n", &t, &line,
	    &err) != 0);
	EXPECT(line == 2);
	EXPECT_CONTAINS(err, "\"volume\" is no condition");
	EXPECT(parse("count>=4 -> 150%\ndefault -> 10%\n", &t, &line,
	    &err) != 0);
	EXPECT(line == 1);
	EXPECT_CONTAINS(err, "rate \"150%\"");
	EXPECT(parse("default -> 10%\ncount>=four -> 15%\n", &t, &line,
	    &err) != 0);
	EXPECT(line == 2 && strstr(err, "whole number") != NULL);
	EXPECT(parse("default -> 10%\nconversion>=101% -> 15%\n", &t, &line,
	    &err) != 0);
	EXPECT(line == 2 && strstr(err, "percentage") != NULL);
	EXPECT(parse("default -> 10%\ncount>=4 or conversion>=50% -> 15%\n",
	    &t, &line, &err) != 0);
	EXPECT(line == 2 && strstr(err, "join conditions") != NULL);
	EXPECT(parse("default -> 10%\ncount>=4 and count>=5 -> 15%\n", &t,
	    &line, &err) != 0);
	EXPECT(line == 2 && strstr(err, "twice") != NULL);
	EXPECT(parse("default -> 10%\ncount>=4 and -> 15%\n", &t, &line,
	    &err) != 0);
	EXPECT(line == 2);
	EXPECT(parse("default -> 10%\n -> 15%\n", &t, &line, &err) != 0);
	EXPECT(line == 2);
	EXPECT(parse("default -> 10%\n\ndefault -> 12%\n", &t, &line,
	    &err) != 0);
	EXPECT(line == 3);
	EXPECT_CONTAINS(err, "first is on line 1");
	EXPECT(parse("count>=4 -> 15%\n", &t, &line, &err) != 0);
	EXPECT(line == 0);
	EXPECT_CONTAINS(err, "no default row");
	free(err);
	err = NULL;
	EXPECT(tier_rows_parse("default -> 1\0%\n", 15, &t, &line,
	    &err) != 0);
	free(err);
}

int
main(void)
{
	RUN(test_good_rows);
	RUN(test_shortfall);
	RUN(test_bad_rows);
	return check_done();
}
