/*
 * intake_survey: an answer to one of refbot's surveys (issue 20 item 1),
 * known by the survey's signed token (ROLE_SURVEY) in the reply's
 * address or in the Message-ID it answers — never by who sent it.  The
 * answer lines (parsers/survey.c) are stored one row each, a later
 * answer to a question beside the earlier one (the history); what is
 * still missing or unreadable gets one reply asking for just those
 * lines, once per survey, under the per-sender cap.  Words written
 * beside the answers (survey_reply.unplaced: a question, "please call
 * me") answer no question, so they go to staff as a partner's message
 * does — the partner's account manager, else all staff — with replies
 * to the sender.  The open question's text is an answer: it is stored
 * and shown in the review pack, not forwarded.  Called by decide()
 * inside the message's transaction; -1 means roll back and retry.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_surveys.h"
#include "intake_int.h"
#include "log.h"
#include "notify.h"
#include "replies.h"
#include "reply.h"
#include "survey.h"
#include "survey_send.h"
#include "texts.h"
#include "token.h"
#include "util.h"

/* What this survey still needs: one line per question, and numbers. */
struct wanted {
	struct buf text;
	size_t *qs;
	size_t n;
};

/*
 * The questions a reply should still answer: those read wrongly in this
 * mail, and the required ones never answered in any.  0, or -1.
 */
static int
still_wanted(struct job *j, const struct survey_row *s,
    const struct survey_reply *sr, struct wanted *w)
{
	const struct survey_problem *p;
	char *why;
	size_t i;
	int ja = strcmp(s->lang, "ja") == 0, r;

	for (i = 0; i < sr->nproblems; i++) {
		p = &sr->problems[i];
		if (p->field == NULL)
			continue;	/* no such question: nothing to ask */
		if (strcmp(p->code, "missing") == 0) {
			r = db_survey_has_answer(j->rb->db, s->id,
			    p->field->key);
			if (r < 0)
				return -1;
			if (r > 0)
				continue;	/* answered before */
		}
		if (w->n > 0 && w->qs[w->n - 1] == p->question)
			continue;
		why = refbot_reason(j->rb, s->lang, strcmp(p->code,
		    "missing") == 0 ? "missing" : "score", NULL);
		buf_addf(&w->text, "%s  %zu. %s: %s", w->n ? "\n" : "",
		    p->question, ja ? p->field->title_ja : p->field->title,
		    why);
		free(why);
		w->qs = xreallocarray(w->qs, w->n + 1, sizeof(*w->qs));
		w->qs[w->n++] = p->question;
	}
	return 0;
}

/* Stores the answers read; 0, or -1. */
static int
store(struct job *j, const struct survey_row *s,
    const struct survey_reply *sr, int64_t now)
{
	size_t i;

	for (i = 0; i < sr->nanswers; i++)
		if (db_survey_answer_add(j->rb->db, s->id,
		    sr->answers[i].field->key, sr->answers[i].score,
		    sr->answers[i].comment, j->row, now) != 0)
			return -1;
	return sr->nanswers > 0 ? db_survey_answered(j->rb->db, s->id, now) :
	    0;
}

/* Asks for the lines in w, unless this survey was asked once before. */
static int
ask(struct job *j, const struct survey_row *s, struct wanted *w,
    const char **said)
{
	int rc;

	if (s->asked_at != 0) {
		*said = "not asked again (asked once before)";
		return 0;
	}
	rc = survey_queue(j->rb, s, "survey-missing", w->qs, w->n,
	    w->text.data, j->a.msg.message_id);
	if (rc < 0)
		return -1;
	if (rc == NOTIFY_WITHHELD) {
		*said = "the reply asking for them was withheld";
		return 0;
	}
	*said = "asked for them once";
	return db_survey_asked(j->rb->db, s->id, clock_now()) < 0 ? -1 : 0;
}

/* Passes the words beside the answers to staff: 0, or -1. */
static int
forward(struct job *j, const struct survey_row *s, const char *words)
{
	char id[24];
	const struct render_var vars[] = {
		{ "partner_name", s->partner_name },
		{ "sender", j->a.msg.from_addr },
		{ "subject", j->a.msg.subject },
		{ "survey", id }, { "period", s->period },
		{ "text", words },
	};
	struct notify n;

	snprintf(id, sizeof(id), "%lld", (long long)s->id);
	memset(&n, 0, sizeof(n));
	n.name = "staff-survey-message";
	n.vars = vars;
	n.nvars = nitems(vars);
	n.reply_to = j->a.msg.from_addr;
	n.partner_id = s->partner_id;
	return notify_staff(j->rb, &n) != 0 ? -1 : 0;
}

static int
answered(struct job *j, const struct survey_row *s)
{
	const struct template *t = texts_survey(j->rb->texts, s->kind);
	struct reply_text rt;
	struct survey_reply sr;
	struct wanted w;
	struct buf nums;
	const char *said = NULL;
	size_t i;
	int64_t now = clock_now();
	int before = s->answers > 0, r;

	memset(&w, 0, sizeof(w));
	buf_init(&w.text);
	reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
	survey_read(t, rt.visible, &sr);
	reply_text_free(&rt);
	if (store(j, s, &sr, now) != 0 || still_wanted(j, s, &sr, &w) != 0 ||
	    (sr.unplaced != NULL && forward(j, s, sr.unplaced) != 0)) {
		buf_free(&w.text);
		free(w.qs);
		survey_reply_free(&sr);
		return -1;
	}
	r = 0;
	if (w.n > 0 && ask(j, s, &w, &said) != 0)
		r = -1;
	buf_init(&nums);
	for (i = 0; i < w.n; i++)
		buf_addf(&nums, "%s%zu", i ? ", " : "", w.qs[i]);
	j->disposition = w.n > 0 ? "survey-partial" : "survey-answered";
	j->detail = xasprintf("%s survey %lld (%s, partner %lld): %zu "
	    "answer%s recorded%s%s%s%s%s%s", s->kind, (long long)s->id,
	    s->period, (long long)s->partner_id, sr.nanswers,
	    sr.nanswers == 1 ? "" : "s", before && sr.nanswers ?
	    " (a later answer: the earlier ones kept as history)" : "",
	    w.n ? "; still wanted: question " : "", w.n ? nums.data : "",
	    said ? "; " : "", said ? said : "", sr.unplaced ? "; the words "
	    "beside the answers forwarded to staff" : "");
	buf_free(&nums);
	log_info("message %lld: survey %lld answered (%zu answers, %zu "
	    "wanted)", (long long)j->row, (long long)s->id, sr.nanswers,
	    w.n);
	buf_free(&w.text);
	free(w.qs);
	survey_reply_free(&sr);
	return r;
}

int
intake_survey(struct job *j)
{
	static const char roles[] = { ROLE_SURVEY, 0 };
	struct survey_row s;
	int64_t id;
	int role, r;

	if (!replies_token_for(j->rb, &j->a, roles, &id, &role))
		return 0;
	if ((r = db_survey_get(j->rb->db, id, &s)) <= 0) {
		if (r < 0)
			return -1;
		j->disposition = "survey-answered";
		j->detail = xasprintf("a reply to survey %lld, which does not "
		    "exist: nothing recorded", (long long)id);
		return 1;
	}
	if (texts_survey(j->rb->texts, s.kind) == NULL) {
		survey_row_free(&s);
		return -1;
	}
	r = answered(j, &s);
	survey_row_free(&s);
	return r < 0 ? -1 : 1;
}
