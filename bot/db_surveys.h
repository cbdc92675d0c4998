/*
 * db_surveys: the surveys sent and their answers (issue 20 item 1), and
 * the partners' "client contact" flag the client survey asks for.
 *
 * The tables (db_schema.c): surveys, one row a survey sent, UNIQUE(kind,
 * partner_id, period) — a partner survey's period is its year ("2026"),
 * a client survey's its referral ("REF-000123"); survey_answers, one row
 * an answer line read, never changed: a later answer to a question is a
 * new row and the current answer is the question's highest id.  question
 * is the survey template's field name ("satisfaction" is the overall
 * satisfaction in both kinds).
 *
 * The query API for the report, the scorecard and the review pack is
 * at the end (db_survey_scores, db_survey_comments), the one place
 * survey answers are counted: current answers only (a question's
 * latest row), GIVEN in [from, to) — a quarterly review discusses what
 * partners said that quarter, whenever the survey was sent.  Returns
 * as in db.h; strings in the structs handed to callbacks are borrowed
 * for the call.
 */
#ifndef REFBOT_DB_SURVEYS_H
#define REFBOT_DB_SURVEYS_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct survey_row {
	int64_t id;
	char *kind;		/* "partner" or "client" */
	int64_t partner_id;
	char *partner_name;
	int64_t referral_id;	/* 0: none (a partner survey) */
	char *period;
	char *recipient;
	char *lang;
	int64_t sent_at;
	int64_t reminded_at;	/* 0: not reminded */
	int64_t answered_at;	/* 0: no answer yet; else the latest */
	int64_t asked_at;	/* 0: never asked for missing answers */
	int answers;		/* answer rows, history included */
};
void survey_row_free(struct survey_row *);

/*
 * Records a survey sent now (in the caller's transaction): 1 with *id
 * the new row's; 0 when (kind, partner, period) was sent before; -1.
 */
int db_survey_add(struct db *, const char *kind, int64_t partner_id,
    int64_t referral_id, const char *period, const char *recipient,
    const char *lang, int64_t now, int64_t *id);
/* 1 found (caller frees with survey_row_free), 0 none, -1. */
int db_survey_get(struct db *, int64_t id, struct survey_row *);
/* Each survey, newest first; kind NULL and partner_id 0: all.  cb
 * non-zero stops; 0 or -1. */
int db_survey_each(struct db *, const char *kind, int64_t partner_id,
    int (*cb)(const struct survey_row *, void *), void *arg);

/* One answer line read (score 0: none), from inbound message row. */
int db_survey_answer_add(struct db *, int64_t survey_id,
    const char *question, int score, const char *comment,
    int64_t message_row, int64_t at);
/* 1 when question has an answer, 0 when not, -1. */
int db_survey_has_answer(struct db *, int64_t survey_id,
    const char *question);
/* Sets answered_at: 0 or -1. */
int db_survey_answered(struct db *, int64_t id, int64_t at);
/* Marks the one ask for missing answers / the one reminder: 1 marked
 * now, 0 marked before, -1. */
int db_survey_asked(struct db *, int64_t id, int64_t at);
int db_survey_reminded(struct db *, int64_t id, int64_t at);

struct survey_answer_row {
	int64_t id;
	const char *question;
	int score;		/* 0: none (a text question) */
	const char *comment;	/* NULL: none */
	int64_t message_row;
	int64_t answered_at;
	int current;		/* the question's latest answer */
};
/* A survey's answers, by question then oldest first (history too). */
int db_survey_answers(struct db *, int64_t survey_id,
    int (*cb)(const struct survey_answer_row *, void *), void *arg);

/* Unanswered, unreminded surveys sent before `before`; caller frees. */
int db_survey_reminders_due(struct db *, int64_t before, int64_t **ids,
    size_t *n);
/*
 * Referrals WON in [won_from, won_to) and still WON, with a client
 * contact email, of an active partner that allows contacting clients,
 * and no client survey yet; caller frees *ids.
 */
int db_survey_clients_due(struct db *, int64_t won_from, int64_t won_to,
    int64_t **ids, size_t *n);

/* The referral's client contact email into *email (NULL: none); 0, -1. */
int db_survey_client_email(struct db *, int64_t referral_id, char **email);
/* The partner's client contact flag: 1, 0, or -1. */
int db_partner_client_contact(struct db *, int64_t partner_id);
/* Sets it (on 0 or 1): rows changed, or -1. */
int db_partner_set_client_contact(struct db *, int64_t partner_id, int on);

/*
 * The query API.  The current scores given in [from, to), of surveys of
 * kind ("partner" or "client"; NULL: both together) of partner_id (0:
 * each partner), of question (NULL: every question): one row per
 * partner (by id), kind (partner first) and question (satisfaction
 * first, then by name).  avg in hundredths (450: 4.5).  0 or -1.
 */
struct survey_score {
	int64_t partner_id;
	const char *kind;		/* NULL when asked for both */
	const char *question;		/* the survey template's field */
	int64_t avg;			/* hundredths */
	int64_t n;			/* answers scored */
};
int db_survey_scores(struct db *, const char *kind, int64_t partner_id,
    const char *question, int64_t from, int64_t to,
    int (*cb)(const struct survey_score *, void *), void *arg);

/*
 * The current answers with words (a free-text answer, or the words
 * after a score) given in [from, to), of the same surveys, oldest
 * answer first.  0 or -1.
 */
struct survey_comment {
	int64_t survey_id, partner_id;
	const char *kind, *question, *comment;
	int64_t score;			/* -1: none */
	int64_t at;
};
int db_survey_comments(struct db *, const char *kind, int64_t partner_id,
    int64_t from, int64_t to,
    int (*cb)(const struct survey_comment *, void *), void *arg);

#endif
