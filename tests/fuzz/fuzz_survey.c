/*
 * libFuzzer target: the answers in a reply to a survey, read against
 * the shipped partner survey.  Any text must read without a crash; every
 * answer is a question of the survey, a score is 1..5 and only on a
 * score question, every comment is valid UTF-8, and the words beside
 * the answers are non-empty valid UTF-8 no longer than the text.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"
#include "template.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct template *
survey(void)
{
	static struct template t;
	static int loaded;
	char chunk[4096], *err = NULL;
	struct buf b;
	size_t n;
	FILE *f;

	if (loaded)
		return &t;
	/* The shipped survey: what the daemon reads. */
	if ((f = fopen(FUZZ_SRCDIR "/templates/survey-partner.template",
	    "rb")) == NULL)
		abort();
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (template_parse(b.data, b.len, &t, &err) != 0)
		abort();
	buf_free(&b);
	loaded = 1;
	return &t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct template *t = survey();
	struct survey_reply r;
	const char *rest;
	char *text;
	size_t i;

	/* The daemon hands it the reply's text: sanitised UTF-8. */
	text = utf8_sanitize((const char *)data, size);
	survey_read(t, text, &r);
	for (i = 0; i < r.nanswers; i++) {
		const struct survey_answer *a = &r.answers[i];

		if (a->question < 1 || a->question > t->nfields ||
		    a->field != &t->fields[a->question - 1] ||
		    (a->field->type == FIELD_SCORE) != (a->score != 0) ||
		    a->score < 0 || a->score > 5 ||
		    (a->comment != NULL && !utf8_valid(a->comment,
		    strlen(a->comment))))
			abort();
	}
	for (i = 0; i < r.nproblems; i++)
		if (r.problems[i].code == NULL ||
		    (r.problems[i].field == NULL) !=
		    (strcmp(r.problems[i].code, "unknown") == 0))
			abort();
	/* The words beside the answers: lines of the text, never empty. */
	if (r.unplaced != NULL && (*r.unplaced == '\0' ||
	    !utf8_valid(r.unplaced, strlen(r.unplaced)) ||
	    strlen(r.unplaced) > strlen(text)))
		abort();
	survey_reply_free(&r);
	if (survey_score(text, &rest) < 0 || rest < text ||
	    rest > text + strlen(text))
		abort();
	free(text);
	return 0;
}
