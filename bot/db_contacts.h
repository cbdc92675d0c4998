/*
 * db_contacts: the people of a partner firm (the contacts table), and
 * which of them submitted a referral.  An address belongs to one firm;
 * the partner's own address is its main contact.  Returns as in db.h;
 * strings in a struct contact are its own, freed by contact_free().
 */
#ifndef REFBOT_DB_CONTACTS_H
#define REFBOT_DB_CONTACTS_H

#include <stdint.h>

#include "db.h"

struct contact {
	int64_t id;
	int64_t partner_id;
	char *email;
	char *name;		/* or NULL */
	char *lang;		/* "en", "ja", or NULL: the firm's */
	char *role;		/* "main", "billing" or "other" */
	int newsletter;		/* a copy of the newsletter (not main) */
	int64_t bounced_at;	/* refused for good (not main), or 0 */
	char *bounced;		/* the server's words then, or NULL */
};

/*
 * Adds a contact to a partner; a new main contact takes the place of
 * the old one (which becomes "other") and becomes the partner's address.
 * -1 also when the address is some firm's already.
 */
int db_contact_add(struct db *, int64_t partner_id, const char *email,
    const char *name, const char *lang, const char *role);
/*
 * Flags a contact other than the main one whose address was refused for
 * good (not again); rows changed or -1.
 */
int db_contact_bounced(struct db *, const char *email, const char *why);
/*
 * Clears a contact's bounce flag (partner contact set --bounced off):
 * mail meant for them goes to them again; rows changed (0: it was not
 * flagged) or -1.
 */
int db_contact_unbounce(struct db *, int64_t contact_id);
/* Sets whether a contact gets the newsletter; rows changed or -1. */
int db_contact_newsletter(struct db *, int64_t contact_id, int on);
/* The contact with this id; 1 found, 0 not, -1 error. */
int db_contact_by_id(struct db *, int64_t id, struct contact *);
/* Removes a contact that is not the main one; rows changed or -1. */
int db_contact_remove(struct db *, int64_t partner_id, const char *email);
/* The contact with this address; 1 found, 0 not, -1 error. */
int db_contact_get(struct db *, const char *email, struct contact *);
/* A partner's first contact in role; 1 found, 0 not, -1 error. */
int db_contact_with_role(struct db *, int64_t partner_id, const char *role,
    struct contact *);
/* Each of a partner's contacts, main first; cb non-zero stops. */
int db_contact_each(struct db *, int64_t partner_id,
    int (*cb)(const struct contact *, void *), void *arg);
void contact_free(struct contact *);

/* Who submitted it (caller frees; NULL when unknown): 0, or -1. */
int db_referral_submitter(struct db *, int64_t referral_id, char **email);

#endif
