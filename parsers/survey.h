/*
 * survey: the answers in a reply to one of refbot's surveys (issue 20
 * item 1).  A survey is a template file (templates/survey-*.template,
 * the syntax of referral.template, read by template_parse): its fields
 * are the questions, numbered from 1 in file order; a field of type
 * "score" is answered 1 to 5, a "text" field with free text.  People
 * answer with lines like "1: 4", "1：４", "1. 4 good service",
 * "１：５　とても良い" or "Satisfaction: 4" (a label of the field).
 *
 * Pure: UTF-8 text in, structs out.  A struct survey_reply owns its
 * strings and borrows the fields from the template.
 */
#ifndef REFBOT_SURVEY_H
#define REFBOT_SURVEY_H

#include <stddef.h>

#include "template.h"

struct survey_answer {
	const struct tfield *field;	/* borrowed from the template */
	size_t question;		/* its number, from 1 */
	int score;			/* 1..5; 0 for a text question */
	char *comment;			/* the words after the score, or the
					   text answer; NULL when none */
	int line;			/* of the text, from 1 */
};

/*
 * What could not be read.  code: "missing" (a required question with no
 * answer in this text), "range" (a score outside 1..5), "unreadable" (a
 * score question answered without a number), "unknown" (a number no
 * question has).  field is NULL for "unknown".
 */
struct survey_problem {
	const struct tfield *field;
	size_t question;
	const char *code;		/* static */
	int line;			/* 0 for "missing" */
};

struct survey_reply {
	struct survey_answer *answers;	/* in question order */
	size_t nanswers;
	struct survey_problem *problems;	/* in question order */
	size_t nproblems;
	/*
	 * The words no answer holds: each line (right-trimmed, "\n" between)
	 * that is not blank, quoted, below the signature, an answer line,
	 * a problem about a question the survey has ("range",
	 * "unreadable"), or a text answer's continuation (the first 8000
	 * bytes).  A line numbered like no question ("7: call me", "10:30
	 * works") is such words too.  NULL when there are none, or when
	 * they are only courtesy: greetings, closings and the short name
	 * lines after a closing ("Hi,", "Thanks,\nBob", "よろしくお願い
	 * します。").  A person should read them (intake_survey).
	 */
	char *unplaced;
};

/*
 * Reads the answers in text, the new text of a reply: lines quoted with
 * ">" or "＞" are skipped and a "-- " signature ends it (the caller cuts
 * the quote first with reply_extract).  A question answered twice keeps
 * its last answer; an empty answer ("3:") is no answer.  A text answer
 * continues on the lines below it up to a blank line or the next answer.
 * Every other line written is kept in unplaced.  Never fails.
 */
void survey_read(const struct template *, const char *text,
    struct survey_reply *out);
void survey_reply_free(struct survey_reply *);

/*
 * The score at the start of s (after white space): a number in ASCII or
 * full-width digits.  Returns it (0 when s does not start with a digit,
 * any other number as it is, capped at 1000), with *rest after it.
 */
int survey_score(const char *s, const char **rest);

#endif
