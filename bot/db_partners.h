/*
 * db_partners: the partner firms (the partners table): who they are,
 * their terms, bounces and welcome kit.  Returns as in db.h; strings in a
 * struct partner are its own, freed by partner_free().
 */
#ifndef REFBOT_DB_PARTNERS_H
#define REFBOT_DB_PARTNERS_H

#include <stdint.h>

#include "db.h"

struct partner {
	int64_t id;
	char *name;
	char *email;
	char *lang;		/* "en", "ja", or "auto": the mail's language */
	int active;
	int64_t created_at;
	char *domains;		/* comma-separated domains that are theirs */
	int tier;		/* 1 strategic, 2 active, 3 referral network */
	char *terms;		/* percent, recurring, flat, reciprocal */
	int64_t rate_bp;	/* commission in basis points; -1: tier table */
	int64_t flat_fee;	/* minor units, for flat terms; -1: none */
	int newsletter;
	char *bounced;		/* why the address hard-bounced, or NULL */
	int soft_bounces;	/* temporary delivery failures reported */
	int cc_main;		/* progress mail copies the main contact */
};
/* The firm that has this address: its own, or one of its contacts'. */
int db_partner_by_email(struct db *, const char *email, struct partner *);
/* The partner for a sender: the exact address, else one of its domains. */
int db_partner_by_sender(struct db *, const char *email, struct partner *);
/* By id ("12") or address; 1 found, 0 not, -1 error. */
int db_partner_find(struct db *, const char *key, struct partner *);
/* Writes every field of p back (by p->id). */
int db_partner_update(struct db *, const struct partner *);
int db_partner_add(struct db *, const char *name, const char *email,
    const char *lang, int64_t *id);
int db_partner_each(struct db *, int (*cb)(const struct partner *, void *),
    void *arg);
void partner_free(struct partner *);

/* Flags a partner address that hard-bounced; returns rows changed or -1. */
int db_partner_bounced(struct db *, const char *email, const char *why);
/* Counts a soft (temporary) bounce; rows changed or -1. */
int db_partner_soft_bounce(struct db *, const char *email);
/*
 * Records that the welcome kit goes to the partner now: only if it never
 * went, or again when again is set.  Returns rows changed (1, or 0 when
 * it was sent before and again is not set) or -1.
 */
int db_partner_welcome_mark(struct db *, int64_t partner_id, int again);
/* When the kit was last sent; 0 never, -1 on error (or no such partner). */
int64_t db_partner_welcomed_at(struct db *, int64_t partner_id);

#endif
