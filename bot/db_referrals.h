/*
 * db_referrals: referrals with their fields and history, what duplicate
 * detection compares, and the SLA's reminders (the referrals,
 * referral_fields and history tables).  Returns as in db.h; strings in a
 * struct referral are its own, freed by referral_free().
 */
#ifndef REFBOT_DB_REFERRALS_H
#define REFBOT_DB_REFERRALS_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct kvpair {
	char *key;
	char *value;
};

struct history_entry {
	int64_t at;
	char *actor;
	char *event;
	char *from_status;
	char *to_status;
	char *detail;		/* as recorded, in English */
	char *detail_key;	/* NULL, or its line key (history_words.h) */
	char *detail_args;	/* and its words */
};

struct referral {
	int64_t id;
	char *status;
	int64_t partner_id;
	char *partner_name;
	char *partner_email;
	char *client;
	char *contact_name;
	char *subject;
	char *inbound_message_id;
	int64_t created_at;
	int64_t updated_at;
	char *owner;		/* the staff member who owns it, or NULL */
	struct kvpair *fields;
	size_t nfields;
	struct history_entry *history;
	size_t nhistory;
};

int db_referral_insert(struct db *, int64_t partner_id, int64_t message_row,
    const char *status, const char *client, const char *contact_name,
    const char *subject, const char *inbound_message_id, int64_t *id);
/* A new referral with its duplicate keys and origin, in one row write. */
struct referral_new {
	int64_t partner_id, message_row;
	const char *status, *client, *contact_name, *subject;
	const char *inbound_message_id;
	/* The duplicate keys, as db_referral_keys takes them. */
	const char *client_key, *contact_email, *email_domain;
	int64_t duplicate_of;
	const char *submitted_by;	/* an address, or NULL */
	int64_t created_at;		/* when referred (by hand, later); 0: now */
};
int db_referral_add(struct db *, const struct referral_new *, int64_t *id);
/* Sets (or replaces) one field of a referral. */
int db_referral_field(struct db *, int64_t id, const char *key,
    const char *value);
/* Sets (or replaces) n fields, keys[i] to values[i], in few statements. */
int db_referral_fields(struct db *, int64_t id, const char *const *keys,
    const char *const *values, size_t n);
int db_referral_set_status(struct db *, int64_t id, const char *status);
/* Sets what a referral's list shows of its fields: client, contact name. */
int db_referral_set_names(struct db *, int64_t id, const char *client,
    const char *contact_name);
/* Stores the keys duplicate detection compares, and the first referral. */
int db_referral_keys(struct db *, int64_t id, const char *client_key,
    const char *contact_email, const char *email_domain,
    int64_t duplicate_of);
/*
 * The first formal referral since then with the same company key,
 * contact email or (non-free-mail) domain; 1 with *id, 0, or -1.
 */
int db_referral_first(struct db *, int64_t since, const char *client_key,
    const char *contact_email, const char *email_domain, int64_t *id);
/*
 * Keeps db_referral_first's indexes to the referrals since then, and a
 * day more; tidy: also drops those older, at most hourly.  0 or -1.
 */
int db_referral_window(struct db *, int64_t since, int tidy);
/* Whether db_referral_first can look from since: 1, 0, or -1. */
int db_referral_window_covers(struct db *, int64_t since);
/* A partner's referrals counting toward its tier in [from, to), up to id. */
int db_partner_year_count(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int64_t upto_id);
/*
 * Of those referrals: *count, how many were won (*won) and closed (won,
 * lost or declined: *closed), upto_id's counted as won (the referral
 * being won; INT64_MAX: as they stand).
 */
int db_partner_year_outcomes(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int64_t upto_id, int64_t *count, int64_t *won,
    int64_t *closed);
/* Marks a referral a duplicate of another (of > 0) or not, with status. */
int db_referral_duplicate(struct db *, int64_t id, int64_t of,
    const char *status);
int db_referral_duplicate_of(struct db *, int64_t id, int64_t *of);
/* The amount of a WON, for revenue reports. */
int db_referral_won(struct db *, int64_t id, int64_t amount);
/* The amount it was won for, -1 if none; 1 found, 0 not, -1 error. */
int db_referral_won_amount(struct db *, int64_t id, int64_t *amount);
/* Records the first staff response (only the first one counts). */
int db_referral_responded(struct db *, int64_t id, int64_t at);
/*
 * The next referral still NEW past its SLA by now (escalate: past twice
 * it; sla_due in db.h) whose reminder (escalation) was not sent, and
 * its partner's tier (0: none); 1/0/-1.  Only referrals created by
 * created_by are looked at (an index range): the caller's bound, no
 * later than now less the shortest SLA of any tier (sla_due is never
 * sooner than that), so that a pass reads the referrals past it, not
 * every open one.
 */
int db_sla_due(struct db *, int64_t now, int64_t created_by, int escalate,
    int64_t *id, int *tier);
int db_sla_mark(struct db *, int64_t id, int escalate);
int db_history_add(struct db *, int64_t referral_id, const char *actor,
    const char *event, const char *from_status, const char *to_status,
    const char *detail);
int db_history_add_mid(struct db *, int64_t referral_id, const char *actor,
    const char *event, const char *from_status, const char *to_status,
    const char *detail, const char *message_id);
/* The same; *id (if not NULL) is the new history row's. */
int db_history_insert(struct db *, int64_t referral_id, const char *actor,
    const char *event, const char *from_status, const char *to_status,
    const char *detail, const char *message_id, int64_t *id);
/* The same, with the detail's line key and words (history_words.h). */
int db_history_insert_words(struct db *, int64_t referral_id,
    const char *actor, const char *event, const char *from_status,
    const char *to_status, const char *detail, const char *detail_key,
    const char *detail_args, const char *message_id, int64_t *id);
/* The state a referral was in before it moved to closed; 1/0/-1. */
int db_history_reopen_to(struct db *, int64_t referral_id, const char *closed,
    char **status);
/* Loads one referral with fields and history; 1 found, 0 not, -1 error. */
int db_referral_get(struct db *, int64_t id, struct referral *);
/* Each referral (without fields/history), newest first; status may be NULL. */
int db_referral_each(struct db *, const char *status,
    int (*cb)(const struct referral *, void *), void *arg);
/*
 * A partner's open referrals (open set), or those won in [won_from,
 * won_to), each with id, status, client and created_at; cb returns
 * non-zero to stop.
 */
int db_partner_referrals(struct db *, int64_t partner_id, int open,
    int64_t won_from, int64_t won_to,
    int (*cb)(const struct referral *, void *), void *arg);
void referral_free(struct referral *);

#endif
