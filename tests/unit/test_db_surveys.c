/*
 * Unit tests for the survey tables' API (bot/db_surveys.c): one survey
 * per (kind, partner, period), answers kept with history, and the query
 * API reports read — averages and comments of the current answers only,
 * of the surveys sent in a period.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "db.h"
#include "db_partners.h"
#include "db_surveys.h"
#include "util.h"

static char dir[] = "/tmp/refbot-test-surveys.XXXXXX";
static struct db *db;
static int64_t p1, p2, s1;

struct avg {
	char text[256];
};

static int
add_avg(const char *q, double avg, int64_t n, void *arg)
{
	struct avg *a = arg;
	size_t len = strlen(a->text);

	snprintf(a->text + len, sizeof(a->text) - len, "%s%s=%.2f/%lld",
	    len ? " " : "", q, avg, (long long)n);
	return 0;
}

static int
add_comment(int64_t id, const char *q, const char *c, int64_t at, void *arg)
{
	struct avg *a = arg;
	size_t len = strlen(a->text);

	(void)id;
	(void)at;
	snprintf(a->text + len, sizeof(a->text) - len, "%s%s:%s",
	    len ? "|" : "", q, c);
	return 0;
}

static void
test_once_per_period(void)
{
	int64_t id = 0, id2 = 0;

	EXPECT(db_survey_add(db, "partner", p1, 0, "2026", "a@p1.example",
	    "ja", 1000, &id) == 1);
	EXPECT(id > 0);
	s1 = id;
	EXPECT(db_survey_add(db, "partner", p1, 0, "2026", "a@p1.example",
	    "ja", 2000, &id2) == 0);
	EXPECT(id2 == 0);
	EXPECT(db_survey_add(db, "partner", p1, 0, "2027", "a@p1.example",
	    "ja", 5000, &id2) == 1);
	EXPECT(db_survey_asked(db, id, 1100) == 1);
	EXPECT(db_survey_asked(db, id, 1200) == 0);
}

static void
test_history_and_averages(void)
{
	struct survey_row s;
	struct avg a;
	int64_t s2 = 0;

	EXPECT(db_survey_add(db, "partner", p2, 0, "2026", "b@p2.example",
	    "en", 1500, &s2) == 1);
	/* p1 answers 5, then 3 (history); p2 answers 4. */
	EXPECT(db_survey_answer_add(db, s1, "satisfaction", 5, "great", 0,
	    1100) == 0);
	EXPECT(db_survey_answer_add(db, s1, "satisfaction", 3, "so so", 0,
	    1300) == 0);
	EXPECT(db_survey_answer_add(db, s1, "comment", 0, "faster please",
	    0, 1300) == 0);
	EXPECT(db_survey_answer_add(db, s2, "satisfaction", 4, NULL, 0,
	    1600) == 0);
	EXPECT(db_survey_has_answer(db, s1, "ease") == 0);
	EXPECT(db_survey_has_answer(db, s1, "comment") == 1);
	EXPECT(db_survey_get(db, s1, &s) == 1);
	EXPECT(s.answers == 3 && s.asked_at == 1100);
	survey_row_free(&s);

	memset(&a, 0, sizeof(a));
	EXPECT(db_survey_averages(db, "partner", 0, 0, 4000, add_avg,
	    &a) == 0);
	EXPECT_STR(a.text, "satisfaction=3.50/2");
	memset(&a, 0, sizeof(a));
	EXPECT(db_survey_averages(db, NULL, p1, 0, 4000, add_avg, &a) == 0);
	EXPECT_STR(a.text, "satisfaction=3.00/1");
	/* The 2027 survey (sent at 5000) is outside [0, 4000). */
	memset(&a, 0, sizeof(a));
	EXPECT(db_survey_averages(db, "partner", p1, 4000, 9000, add_avg,
	    &a) == 0);
	EXPECT_STR(a.text, "");
	memset(&a, 0, sizeof(a));
	EXPECT(db_survey_comments(db, "partner", p1, 0, 4000, add_comment,
	    &a) == 0);
	EXPECT_STR(a.text, "satisfaction:so so|comment:faster please");
}

int
main(void)
{
	char *path, *err = NULL;

	if (mkdtemp(dir) == NULL)
		return 99;
	path = xasprintf("%s/test.db", dir);
	if (db_open(path, 1, &db, &err) != 0 || db_migrate(db, &err) < 0 ||
	    db_partner_add(db, "P1", "p1@p1.example", "ja", &p1) != 0 ||
	    db_partner_add(db, "P2", "p2@p2.example", "en", &p2) != 0) {
		printf("Bail out! %s: %s\n", path, err ? err : "?");
		return 99;
	}
	free(path);
	RUN(test_once_per_period);
	RUN(test_history_and_averages);
	db_close(db);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
		free(cmd);
	}
	return check_done();
}
