/*
 * status: the keyword x state table, and refbot(1)'s copy of it, which
 * must say exactly what parsers/status.c allows (#17.6).
 */
#include "config.h"

#include "check.h"
#include "status.h"

static void
test_allowed_kw_follows_the_table(void)
{
	char *s = status_allowed("WON");

	EXPECT(status_allowed_kw("NEW", 0) == KW_CONTACTED);
	EXPECT(status_allowed_kw("WON", 0) == KW_REOPEN);
	EXPECT(status_allowed_kw("NOSUCH", 0) == KW_NONE);
	EXPECT(status_allowed_kw("DUPLICATE", 99) == KW_NONE);
	EXPECT_STR(s, "REOPEN, NOTE <text>, REVENUE <amount>, AMEND <amount> [why]");
	free(s);
}

/*
 * refbot(1), KEYWORDS BY STATE: ".TP", ".B STATE", then the line
 * status_allowed(STATE) gives, for every state and nothing else.
 */
static void
test_manual_table_matches(void)
{
	char *man = check_slurp("doc/refbot.1.in", NULL), *sec, *end;
	size_t i, rows = 0;
	const char *p;

	EXPECT(man != NULL);
	if (man == NULL)
		return;
	sec = strstr(man, "\n.SH KEYWORDS BY STATE\n");
	if (sec == NULL) {
		printf("#   doc/refbot.1.in has no .SH KEYWORDS BY STATE\n");
		check_cur_failed = 1;
		free(man);
		return;
	}
	sec++;
	if ((end = strstr(sec + 1, "\n.SH ")) != NULL)
		end[1] = '\0';
	for (i = 0; status_name(i) != NULL; i++) {
		char *allowed = status_allowed(status_name(i));
		char *want = xasprintf(".TP\n.B %s\n%s\n", status_name(i),
		    allowed);

		if (strstr(sec, want) == NULL) {
			printf("#   doc/refbot.1.in, KEYWORDS BY STATE, lacks "
			    "(parsers/status.c):\n#   .TP\n#   .B %s\n#   %s\n",
			    status_name(i), allowed);
			check_cur_failed = 1;
		}
		free(want);
		free(allowed);
	}
	for (p = sec; (p = strstr(p, ".TP\n.B ")) != NULL; p++)
		rows++;
	if (rows != i) {
		printf("#   doc/refbot.1.in, KEYWORDS BY STATE, has %zu rows; "
		    "parsers/status.c has %zu states\n", rows, i);
		check_cur_failed = 1;
	}
	free(man);
}

/* stall_days: open states only, each a number of days. */
static void
test_days_parse(void)
{
	int days[STATUS_MAX] = { 0 };
	int c = status_index("CONTACTED"), m = status_index("MEETING");

	EXPECT(status_days_parse("CONTACTED:7 MEETING:14,PROPOSAL:30",
	    days) == 0);
	EXPECT(days[c] == 7 && days[m] == 14);
	EXPECT(days[status_index("PROPOSAL")] == 30);
	EXPECT(status_days_parse("MEETING:0", days) == 0 && days[m] == 0 &&
	    days[c] == 7);
	EXPECT(status_days_parse("WON:3", days) != 0);
	EXPECT(status_days_parse("CONTACTED", days) != 0);
	EXPECT(status_days_parse("CONTACTED:", days) != 0);
	EXPECT(status_days_parse("CONTACTED:7x", days) != 0);
	EXPECT(status_days_parse("CONTACTED:-1", days) != 0);
	EXPECT(status_days_parse("NOSUCH:1", days) != 0);
	EXPECT(status_index("NOSUCH") == -1);
}

int
main(void)
{
	RUN(test_days_parse);
	RUN(test_allowed_kw_follows_the_table);
	RUN(test_manual_table_matches);
	return check_done();
}
