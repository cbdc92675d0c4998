/*
 * contacts: which person of a partner firm a mail goes to.  Progress on a
 * referral goes to the contact who submitted it (the firm's main contact
 * in Cc, unless the partner turned that off), statements to the billing
 * contact, answers to the contact who asked; anyone no longer a contact
 * is replaced by the firm's main address.
 */
#ifndef REFBOT_CONTACTS_H
#define REFBOT_CONTACTS_H

#include <stdint.h>

#include "db_partners.h"
#include "refbot.h"

struct recipient {
	char *to;
	char *cc;		/* NULL: no copy */
	char *lang;		/* the contact's own language, or NULL */
};

/*
 * addr, a contact other than a firm's main one, was refused for good
 * (why): flagged, so that what was meant for them goes to the main
 * contact, and nothing more to them.  1 when newly flagged, 0 when not a
 * contact (or flagged before), -1 on error.
 */
int contacts_bounced(struct refbot *, const char *addr, const char *why);
/* 1 when addr is one of p's contacts, 0 when not, -1 on error. */
int contacts_of(struct refbot *, const struct partner *, const char *addr);
/* addr when it is one of p's contacts, else p's address; 0 or -1. */
int contacts_answer(struct refbot *, const struct partner *,
    const char *addr, struct recipient *);
/* Progress on a referral of p's; 0 or -1. */
int contacts_progress(struct refbot *, const struct partner *,
    int64_t referral_id, struct recipient *);
/* p's billing contact, else its address; 0 or -1. */
int contacts_billing(struct refbot *, const struct partner *,
    struct recipient *);
/*
 * The language of mail to rc ("en" or "ja", static): the contact's own,
 * else the firm's by the one rule (refbot_partner_lang).
 */
const char *contacts_lang(const struct recipient *, const struct partner *,
    const char *otherwise);
/* The same for mail answering addr (contacts_answer). */
const char *contacts_sender_lang(struct refbot *, const struct partner *,
    const char *addr, const char *otherwise);
void recipient_free(struct recipient *);

#endif
