/*
 * Unit tests for the survey tables' API (bot/db_surveys.c): one survey
 * per (kind, partner, period), answers kept with history, and the query
 * API the report, scorecard and review pack read — scores (hundredths)
 * and comments of the current answers only, given in a period whenever
 * their survey was sent, split by kind or both together.
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
add_avg(const struct survey_score *s, void *arg)
{
	struct avg *a = arg;
	size_t len = strlen(a->text);

	snprintf(a->text + len, sizeof(a->text) - len, "%sP%lld %s %s=%lld/%lld",
	    len ? " " : "", (long long)(s->partner_id == p1 ? 1 : 2),
	    s->kind ? s->kind : "both", s->question, (long long)s->avg,
	    (long long)s->n);
	return 0;
}

static int
add_comment(const struct survey_comment *c, void *arg)
{
	struct avg *a = arg;
	size_t len = strlen(a->text);

	snprintf(a->text + len, sizeof(a->text) - len, "%s%s %s:%s(%lld)@%lld",
	    len ? "|" : "", c->kind, c->question, c->comment,
	    (long long)c->score, (long long)c->at);
	return 0;
}

/* The scores of kind, partner, question given in [from, to), as text. */
static const char *
scores(const char *kind, int64_t pid, const char *q, int64_t from,
    int64_t to)
{
	static struct avg a;

	memset(&a, 0, sizeof(a));
	EXPECT(db_survey_scores(db, kind, pid, q, from, to, add_avg, &a) == 0);
	return a.text;
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
	int64_t s2 = 0, c1 = 0;

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

	/* A client survey of p1, answered 5 (with a comment) at 1700. */
	EXPECT(db_survey_add(db, "client", p1, 0, "REF-000001",
	    "c@client.example", "en", 1650, &c1) == 1);
	EXPECT(db_survey_answer_add(db, c1, "satisfaction", 5, "kind staff",
	    0, 1700) == 0);

	/* Per partner and kind; the replaced 5 of p1 no longer counts. */
	EXPECT_STR(scores("partner", 0, NULL, 0, 4000),
	    "P1 partner satisfaction=300/1 P2 partner satisfaction=400/1");
	EXPECT_STR(scores("client", p1, NULL, 0, 4000),
	    "P1 client satisfaction=500/1");
	/* Both kinds together, one question. */
	EXPECT_STR(scores(NULL, p1, "satisfaction", 0, 4000),
	    "P1 both satisfaction=400/2");
	EXPECT_STR(scores(NULL, p1, "ease", 0, 4000), "");
	/*
	 * The time basis is the answer's: s1 was sent at 1000 but answered
	 * (currently) at 1300, so it counts in [1200, 1400) and not in
	 * [1000, 1200), where only its replaced answer was given.
	 */
	EXPECT_STR(scores("partner", p1, NULL, 1200, 1400),
	    "P1 partner satisfaction=300/1");
	EXPECT_STR(scores("partner", p1, NULL, 1000, 1200), "");
	EXPECT_STR(scores(NULL, 0, NULL, 1500, 4000),
	    "P1 both satisfaction=500/1 P2 both satisfaction=400/1");

	memset(&a, 0, sizeof(a));
	EXPECT(db_survey_comments(db, NULL, p1, 0, 4000, add_comment,
	    &a) == 0);
	EXPECT_STR(a.text, "partner satisfaction:so so(3)@1300|"
	    "partner comment:faster please(-1)@1300|"
	    "client satisfaction:kind staff(5)@1700");
	memset(&a, 0, sizeof(a));
	EXPECT(db_survey_comments(db, "partner", p1, 1500, 4000, add_comment,
	    &a) == 0);
	EXPECT_STR(a.text, "");
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
