/*
 * Unit tests for the survey answer reader (parsers/survey.c), over the
 * shipped survey templates and the replies in tests/data/survey/.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "reply.h"
#include "survey.h"
#include "template.h"
#include "util.h"

static struct template partner, client;

static int
load(const char *rel, struct template *t)
{
	char *text, *err = NULL;
	size_t len;
	int rc;

	if ((text = check_slurp(rel, &len)) == NULL)
		return -1;
	if ((rc = template_parse(text, len, t, &err)) != 0)
		printf("# %s: %s\n", rel, err);
	free(err);
	free(text);
	return rc;
}

/*
 * Reads fixture NAME as the daemon does (the quote cut, then the lines),
 * or with raw, survey_read alone (quotes between answers).
 */
static void
read_text(const struct template *t, const char *name, int raw,
    struct survey_reply *r)
{
	struct reply_text rt;
	char path[256], *text;

	snprintf(path, sizeof(path), "tests/data/survey/%s", name);
	text = check_slurp(path, NULL);
	EXPECT(text != NULL);
	reply_extract(text ? text : "", REPLY_MARKER, &rt);
	survey_read(t, raw && text ? text : rt.visible, r);
	reply_text_free(&rt);
	free(text);
}

static const struct survey_answer *
answer(const struct survey_reply *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nanswers; i++)
		if (strcmp(r->answers[i].field->key, key) == 0)
			return &r->answers[i];
	return NULL;
}

static void
test_templates(void)
{
	EXPECT(partner.nfields == 4);
	EXPECT_STR(partner.fields[0].key, "satisfaction");
	EXPECT(partner.fields[0].type == FIELD_SCORE);
	EXPECT_STR(partner.fields[1].key, "ease");
	EXPECT_STR(partner.fields[2].key, "follow_up");
	EXPECT(partner.fields[3].type == FIELD_TEXT);
	EXPECT(!partner.fields[3].required);
	EXPECT_STR(client.fields[0].key, "satisfaction");
	EXPECT(client.fields[0].type == FIELD_SCORE);
}

static void
test_plain_english(void)
{
	struct survey_reply r;

	read_text(&partner, "plain-en.txt", 0, &r);
	EXPECT(r.nanswers == 4);
	EXPECT(r.nproblems == 0);
	EXPECT(answer(&r, "satisfaction")->score == 4);
	EXPECT(answer(&r, "satisfaction")->comment == NULL);
	EXPECT(answer(&r, "ease")->score == 5);
	EXPECT(answer(&r, "follow_up")->score == 3);
	EXPECT(answer(&r, "comment")->score == 0);
	EXPECT_STR(answer(&r, "comment")->comment, "More calls, please.");
	survey_reply_free(&r);
}

static void
test_full_width_japanese(void)
{
	struct survey_reply r;

	read_text(&partner, "fullwidth-ja.txt", 0, &r);
	EXPECT(r.nproblems == 0);
	EXPECT(r.nanswers == 4);
	EXPECT(answer(&r, "satisfaction")->score == 5);
	EXPECT_STR(answer(&r, "satisfaction")->comment, "とても良い");
	EXPECT(answer(&r, "ease")->score == 4);
	EXPECT(answer(&r, "follow_up")->score == 3);
	/* A text answer goes on over the next line; the quote is not read. */
	EXPECT_STR(answer(&r, "comment")->comment,
	    "紹介後の連絡をもう少し早く\nいただけると助かります。");
	survey_reply_free(&r);
}

static void
test_problems(void)
{
	struct survey_reply r;

	read_text(&partner, "problems-en.txt", 0, &r);
	EXPECT(r.nanswers == 1);
	EXPECT(answer(&r, "satisfaction")->score == 4);
	EXPECT_STR(answer(&r, "satisfaction")->comment, "good service");
	EXPECT(r.nproblems == 3);
	if (r.nproblems == 3) {
		EXPECT(r.problems[0].question == 2);
		EXPECT_STR(r.problems[0].code, "range");
		EXPECT(r.problems[0].line == 4);
		EXPECT(r.problems[1].question == 3);
		EXPECT_STR(r.problems[1].code, "unreadable");
		EXPECT(r.problems[2].question == 7);
		EXPECT_STR(r.problems[2].code, "unknown");
		EXPECT(r.problems[2].field == NULL);
	}
	survey_reply_free(&r);
}

static void
test_labels_quotes_signature(void)
{
	struct survey_reply r;

	read_text(&partner, "labels-en.txt", 1, &r);
	EXPECT(r.nproblems == 0);
	EXPECT(r.nanswers == 3);
	/* Answered twice: the later line counts. */
	EXPECT(answer(&r, "satisfaction")->score == 5);
	EXPECT_STR(answer(&r, "satisfaction")->comment, "changed my mind");
	EXPECT(answer(&r, "follow_up")->score == 5);
	EXPECT(answer(&r, "ease")->score == 3);
	EXPECT_STR(answer(&r, "ease")->comment, "fine");
	survey_reply_free(&r);
}

static void
test_noise_is_missing(void)
{
	struct survey_reply r;
	size_t i;

	read_text(&partner, "noise.txt", 0, &r);
	EXPECT(r.nanswers == 0);
	EXPECT(r.nproblems == 3);
	for (i = 0; i < r.nproblems; i++) {
		EXPECT_STR(r.problems[i].code, "missing");
		EXPECT(r.problems[i].question == i + 1);
	}
	survey_reply_free(&r);
}

/*
 * Words beside the answers are kept for a person (intake_survey sends
 * them to staff), with the greetings around them; the open question's
 * text, blank lines and the quote are not among them, and courtesy
 * alone is no words.
 */
static void
test_unplaced(void)
{
	struct survey_reply r;

	read_text(&partner, "question-en.txt", 0, &r);
	EXPECT(r.nproblems == 0);
	EXPECT(r.nanswers == 4);
	EXPECT(answer(&r, "follow_up")->score == 3);
	EXPECT_STR(answer(&r, "comment")->comment,
	    "More calls, please.\nAnd a word on the invoice.");
	EXPECT_STR(r.unplaced, "Hi,\nAlso, could someone call me about the "
	    "Tanaka case?\nBest regards,\nKen");
	survey_reply_free(&r);
	/* Only answers, in either language: nothing for a person. */
	read_text(&partner, "plain-en.txt", 0, &r);
	EXPECT(r.unplaced == NULL);
	survey_reply_free(&r);
	read_text(&partner, "fullwidth-ja.txt", 0, &r);
	EXPECT(r.unplaced == NULL);
	survey_reply_free(&r);
	/* Numbered like no question: words, not answers. */
	read_text(&partner, "noise.txt", 0, &r);
	EXPECT_STR(r.unplaced, "10:30 call tomorrow?\n2026: a good year");
	survey_reply_free(&r);
	read_text(&partner, "problems-en.txt", 0, &r);
	EXPECT_STR(r.unplaced, "Hello,\n7: 2\nThanks,\nBob");
	survey_reply_free(&r);
	/* Greetings, closings and a name after one: nobody need read them. */
	survey_read(&partner, "Hi Ken,\n1: 4\n\nThanks!\nBob Smith\n", &r);
	EXPECT(r.unplaced == NULL);
	survey_reply_free(&r);
	survey_read(&partner, "山田様\nお世話になっております。\n１：４\n"
	    "よろしくお願いいたします。\n佐藤\n", &r);
	EXPECT(r.unplaced == NULL);
	survey_reply_free(&r);
	/* ... but a question after a closing is no name. */
	survey_read(&partner, "1: 4\nThanks,\nCould you call me?\n", &r);
	EXPECT_STR(r.unplaced, "Thanks,\nCould you call me?");
	survey_reply_free(&r);
	survey_read(&partner, "1: 4\nお願いします\n", &r);
	EXPECT_STR(r.unplaced, "お願いします");
	survey_reply_free(&r);
	survey_read(&partner, "1: 4\r\n  call me  \r\n", &r);
	EXPECT_STR(r.unplaced, "  call me");
	survey_reply_free(&r);
}

static void
test_score(void)
{
	const char *rest;

	EXPECT(survey_score(" ４ good", &rest) == 4);
	EXPECT_STR(rest, " good");
	EXPECT(survey_score("12", &rest) == 12);
	EXPECT(survey_score("x", &rest) == 0);
	EXPECT(survey_score("99999999999", &rest) == 1000);
	EXPECT(survey_score("", &rest) == 0);
}

static void
test_hostile(void)
{
	struct survey_reply r;
	struct buf b;
	size_t i;

	/* Many answer lines, half-lines and lone bytes: read, linearly. */
	buf_init(&b);
	for (i = 0; i < 20000; i++)
		buf_adds(&b, i % 3 ? "1：\xef\xbc\x95 x\n4: y\n" : "\xef\xbc");
	survey_read(&partner, b.data, &r);
	EXPECT(answer(&r, "satisfaction")->score == 5);
	survey_reply_free(&r);
	survey_read(&partner, "", &r);
	EXPECT(r.nanswers == 0 && r.nproblems == 3);
	survey_reply_free(&r);
	buf_free(&b);
}

int
main(void)
{
	if (load("templates/survey-partner.template", &partner) != 0 ||
	    load("templates/survey-client.template", &client) != 0) {
		printf("not ok 1 - load the survey templates\n1..1\n");
		return 1;
	}
	RUN(test_templates);
	RUN(test_plain_english);
	RUN(test_full_width_japanese);
	RUN(test_problems);
	RUN(test_labels_quotes_signature);
	RUN(test_noise_is_missing);
	RUN(test_unplaced);
	RUN(test_score);
	RUN(test_hostile);
	template_free(&partner);
	template_free(&client);
	return check_done();
}
