/*
 * db_given: referrals the firm gives to partners (the given table), with
 * their outcomes, so reciprocity is measured both ways.  Returns as in
 * db.h; strings in a struct given are its own, freed by given_free().
 */
#ifndef REFBOT_DB_GIVEN_H
#define REFBOT_DB_GIVEN_H

#include <stdint.h>

#include "db.h"

struct given {
	int64_t id;
	int64_t partner_id;
	char *partner_name;
	char *client;		/* NULL: recorded before clients were */
	char *contact;		/* an address, or NULL */
	char *note;
	char *outcome;		/* "open", "won" or "lost" */
	char *actor;		/* who recorded it: "cli:USER", staff */
	int64_t at;
	int64_t outcome_at;	/* -1 while open */
};
void given_free(struct given *);

/* Records one; *id (if not NULL) is its number. */
int db_given_add(struct db *, int64_t partner_id, int64_t at,
    const char *client, const char *contact, const char *note,
    const char *actor, int64_t message_row, int64_t *id);
/* Sets its outcome ("won", "lost", "open"): 1, 0 when there is none, -1. */
int db_given_set(struct db *, int64_t id, const char *outcome, int64_t at);
/* Each, oldest first, of one partner (0: all); cb non-zero stops. */
int db_given_each(struct db *, int64_t partner_id,
    int (*cb)(const struct given *, void *), void *arg);

/* A partner's given referrals in [from, to) and how they ended. */
struct given_counts {
	int64_t given, won, lost;
};
int db_given_counts(struct db *, int64_t partner_id, int64_t from,
    int64_t to, struct given_counts *);

/*
 * A GIVEN mail from staff, kept until its author confirms the signed
 * preview (the given_drafts table).
 */
struct given_draft {
	int64_t id;
	int64_t partner_id;
	char *author;		/* the staff member who sent it */
	char *client;
	char *contact;		/* or NULL */
	char *note;		/* or NULL */
	int64_t message_row;
	int64_t given_id;	/* once confirmed; 0 before (or cancelled) */
	int64_t confirmed_at;	/* 0: open */
};
int db_given_draft_add(struct db *, const struct given_draft *, int64_t at,
    int64_t *id);
/* 1 with *d filled (given_draft_free), 0 if there is none, -1. */
int db_given_draft_get(struct db *, int64_t id, struct given_draft *d);
/* Closes it (given_id 0: cancelled): 1, 0 if it already was, -1. */
int db_given_draft_done(struct db *, int64_t id, int64_t given_id,
    int64_t at);
void given_draft_free(struct given_draft *);

#endif
