/* Unit tests for the tier table and commission maths. */
#include "config.h"

#include <stdlib.h>

#include "check.h"
#include "commission.h"

static void
test_guide_tiers(void)
{
	struct tier_table t;
	char *err = NULL;

	EXPECT(tier_table_parse("3:10, 10:15, *:20", &t, &err) == 0);
	/* The boundaries the guide names: 3/4 and 10/11. */
	EXPECT(tier_rate(&t, 1) == 1000);
	EXPECT(tier_rate(&t, 3) == 1000);
	EXPECT(tier_rate(&t, 4) == 1500);
	EXPECT(tier_rate(&t, 10) == 1500);
	EXPECT(tier_rate(&t, 11) == 2000);
	EXPECT(tier_rate(&t, 500) == 2000);
	free(err);
}

static void
test_table_errors(void)
{
	struct tier_table t;
	char *err = NULL;

	EXPECT(tier_table_parse("3:10, 10:15", &t, &err) != 0);
	EXPECT_CONTAINS(err, "last tier");
	free(err);
	err = NULL;
	EXPECT(tier_table_parse("10:10, 3:15, *:20", &t, &err) != 0);
	EXPECT_CONTAINS(err, "tier 2");
	free(err);
	err = NULL;
	EXPECT(tier_table_parse("3:110, *:20", &t, &err) != 0);
	free(err);
	err = NULL;
	EXPECT(tier_table_parse("*:12.5%", &t, &err) == 0);
	EXPECT(tier_rate(&t, 7) == 1250);
	free(err);
}

static void
test_money(void)
{
	EXPECT(commission_of(1200000, 1000) == 120000);
	EXPECT(commission_of(1234567, 1250) == 154321);	/* 154320.875 */
	EXPECT(commission_of(5, 1000) == 1);		/* 0.5 rounds up */
	EXPECT(commission_of(4, 1000) == 0);
	EXPECT(commission_of(0, 1000) == 0);
	EXPECT(commission_of(100, 0) == 0);
	/* Large amounts do not overflow: 10^13 minor units at 20 %. */
	EXPECT(commission_of(10000000000000LL, 2000) == 2000000000000LL);
}

int
main(void)
{
	RUN(test_guide_tiers);
	RUN(test_table_errors);
	RUN(test_money);
	return check_done();
}
