/*
 * survey_send: the surveys refbot sends (issue 20 item 1) — the partner
 * survey, once a year to each active partner's main contact, and the
 * client follow-up after WON — their one reminder, and the mail shared
 * with the answers' side (intake_survey.c).  Questions come from
 * templates/survey-KIND.template (texts_survey); each mail carries a
 * reply address signed for the survey (ROLE_SURVEY, the survey's id), so
 * an answer is known by its token, never by who sent it.
 */
#ifndef REFBOT_SURVEY_SEND_H
#define REFBOT_SURVEY_SEND_H

#include <stddef.h>
#include <stdint.h>

#include "refbot.h"

struct partner;
struct survey_row;

/*
 * Records and queues partner p's survey for year (its own transaction):
 * 1 queued (*id the survey's, when id is not NULL), 0 sent before (the
 * UNIQUE row), -1 on a database or text error.
 */
int survey_send_partner(struct refbot *, const struct partner *p, int year,
    int64_t *id);
/* The same for the client of a WON referral (no check of the flags). */
int survey_send_client(struct refbot *, int64_t referral_id, int64_t *id);

/*
 * Queues mail NAME ("survey-reminder", "survey-missing") about survey s,
 * inside the caller's transaction: the blank answer lines of questions
 * qs (n of them; all when n is 0), problems filling {{problems}}.  With
 * in_reply_to it answers that mail (an automatic reply: the per-sender
 * cap applies).  Returns as notify_queue.
 */
int survey_queue(struct refbot *, const struct survey_row *s,
    const char *name, const size_t *qs, size_t n, const char *problems,
    const char *in_reply_to);

/*
 * The daemon's part, each pass: from the first working day of
 * partner_survey_month, the year's survey to every active partner that
 * joined before that day; client surveys due client_survey_days after
 * WON; the one reminder survey_reminder_days after a survey went
 * unanswered.  Returns how many mails were queued, or -1.
 */
int survey_schedule(struct refbot *, int64_t now);

#endif
