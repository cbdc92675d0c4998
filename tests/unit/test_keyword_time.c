/*
 * MEETING's time of day (#18.6): after the date, local, in the English
 * and Japanese forms staff write (against templates/keywords.txt).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "keyword.h"
#include "util.h"

static struct keyword_table *table;
static struct tm today;		/* 2026-11-15: fixed, for "12/10" */

/* Like EXPECT_STR, but NULL expects NULL. */
#define EXPECT_NSTR(a, b) do { \
	const char *x_ = (a), *y_ = (b); \
	if (y_ == NULL ? x_ != NULL : x_ == NULL || strcmp(x_, y_) != 0) { \
		printf("#   %s:%d: %s is \"%s\", expected \"%s\"\n", \
		    __FILE__, __LINE__, #a, x_ ? x_ : "(null)", \
		    y_ ? y_ : "(null)"); \
		check_cur_failed = 1; \
	} \
} while (0)

static const struct mcase {
	const char *text;
	const char *date;	/* NULL: expect none */
	int minute;		/* -1: none */
	const char *words;	/* cmd->text; NULL: expect none */
	const char *error;	/* substring; NULL: expect no error */
} mcases[] = {
	{ "MEETING 2026-12-10 14:00", "2026-12-10", 14 * 60, NULL, NULL },
	{ "MEETING 12/10 9:30 at their office", "2026-12-10", 9 * 60 + 30,
	    "at their office", NULL },
	{ "MEETING 12/10, 2pm", "2026-12-10", 14 * 60, NULL, NULL },
	{ "MEETING 12/10 2:30 p.m.", "2026-12-10", 14 * 60 + 30, NULL, NULL },
	{ "MEETING 12/10 12am", "2026-12-10", 0, NULL, NULL },
	{ "MEETING 12/10 12 pm", "2026-12-10", 12 * 60, NULL, NULL },
	{ "面談 12月10日 14時", "2026-12-10", 14 * 60, NULL, NULL },
	{ "面談　１２月１０日　１４時３０分", "2026-12-10", 14 * 60 + 30, NULL,
	    NULL },
	{ "面談 12月10日（木）午後2時半から", "2026-12-10", 14 * 60 + 30, "から",
	    NULL },
	{ "面談 2026年12月10日 午前10時", "2026-12-10", 10 * 60, NULL, NULL },
	{ "面談 12月10日 14：00", "2026-12-10", 14 * 60, NULL, NULL },
	/* Not a time: a bare number, or a time with no date. */
	{ "MEETING 12/10 2 people", "2026-12-10", -1, "2 people", NULL },
	{ "MEETING 14:00", NULL, -1, "14:00", NULL },
	{ "MEETING 12/10 (木)", "2026-12-10", -1, "(木)", NULL },
	{ "MEETING 12/10 14:0", "2026-12-10", -1, "14:0", NULL },
	{ "MEETING 12/10 25:00", NULL, -1, NULL,
	    "\"25:00\" is not a valid time" },
	{ "MEETING 12/10 14:75", NULL, -1, NULL, "not a valid time" },
	{ "MEETING 12/10 13pm", NULL, -1, NULL, "not a valid time" },
	{ "面談 12月10日 午後14時", NULL, -1, NULL, "not a valid time" },
};
static const struct mcase *mcur;

static void
test_meeting_time(void)
{
	struct keyword_cmd cmd;

	EXPECT(keyword_parse(table, mcur->text, NULL, &today, &cmd) == 0);
	EXPECT(cmd.kw == KW_MEETING);
	EXPECT_NSTR(cmd.date, mcur->date);
	if (cmd.minute != mcur->minute) {
		printf("#   minute is %d, expected %d\n", cmd.minute,
		    mcur->minute);
		check_cur_failed = 1;
	}
	EXPECT_NSTR(cmd.text, mcur->words);
	if (mcur->error != NULL)
		EXPECT_CONTAINS(cmd.error, mcur->error);
	else
		EXPECT_NSTR(cmd.error, NULL);
	keyword_cmd_free(&cmd);
}

/* MEETING's span: when it ends, and so how long it is. */
static const struct scase {
	const char *text;
	int minute, end;	/* -1: none */
	const char *words;	/* cmd->text; NULL: expect none */
	const char *error;	/* substring; NULL: expect no error */
} scases[] = {
	{ "MEETING 2026-12-10 14:00-15:30", 14 * 60, 15 * 60 + 30, NULL,
	    NULL },
	{ "MEETING 12/10 14:00 - 15:30 at their office", 14 * 60,
	    15 * 60 + 30, "at their office", NULL },
	{ "MEETING 12/10 2pm to 3:30pm", 14 * 60, 15 * 60 + 30, NULL, NULL },
	{ "MEETING 12/10 10am–11am", 10 * 60, 11 * 60, NULL, NULL },
	{ "面談 12月10日 14時〜15時半", 14 * 60, 15 * 60 + 30, NULL, NULL },
	{ "面談 12月10日 14時～15時", 14 * 60, 15 * 60, NULL, NULL },
	{ "面談 １２月１０日 午後２時から午後３時まで", 14 * 60, 15 * 60,
	    "まで", NULL },
	/* No end: the words stay words. */
	{ "MEETING 12/10 14:00 to discuss pricing", 14 * 60, -1,
	    "to discuss pricing", NULL },
	{ "面談 12月10日 14時から", 14 * 60, -1, "から", NULL },
	{ "MEETING 12/10 14:00 - 2 people", 14 * 60, -1, "2 people", NULL },
	/* An end not after the start, or no time at all. */
	{ "MEETING 12/10 15:00-14:00", -1, -1, NULL, "not a valid time" },
	{ "MEETING 12/10 14:00-14:00", -1, -1, NULL, "not a valid time" },
	{ "MEETING 12/10 14:00-25:00", -1, -1, NULL, "not a valid time" },
};
static const struct scase *scur;

static void
test_meeting_span(void)
{
	struct keyword_cmd cmd;

	EXPECT(keyword_parse(table, scur->text, NULL, &today, &cmd) == 0);
	EXPECT(cmd.kw == KW_MEETING);
	if (scur->error == NULL && (cmd.minute != scur->minute ||
	    cmd.end_minute != scur->end)) {
		printf("#   %d-%d, expected %d-%d\n", cmd.minute,
		    cmd.end_minute, scur->minute, scur->end);
		check_cur_failed = 1;
	}
	EXPECT_NSTR(cmd.text, scur->words);
	if (scur->error != NULL)
		EXPECT_CONTAINS(cmd.error, scur->error);
	else
		EXPECT_NSTR(cmd.error, NULL);
	keyword_cmd_free(&cmd);
}

int
main(void)
{
	char name[200], *text, *err = NULL;
	size_t i, len;

	today.tm_year = 2026 - 1900;
	today.tm_mon = 10;
	today.tm_mday = 15;
	if ((text = check_slurp("templates/keywords.txt", &len)) == NULL ||
	    keyword_table_parse(text, len, &table, &err) != 0) {
		printf("Bail out! cannot load templates/keywords.txt: %s\n",
		    err ? err : "unreadable");
		return 1;
	}
	free(text);
	for (i = 0; i < nitems(mcases); i++) {
		mcur = &mcases[i];
		snprintf(name, sizeof(name), "meeting time: %s", mcur->text);
		check_run(name, test_meeting_time);
	}
	for (i = 0; i < nitems(scases); i++) {
		scur = &scases[i];
		snprintf(name, sizeof(name), "meeting span: %s", scur->text);
		check_run(name, test_meeting_span);
	}
	keyword_table_free(table);
	return check_done();
}
