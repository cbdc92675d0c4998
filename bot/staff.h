/*
 * staff: who the staff are and who gets what.  The registry (refbot
 * staff add ...) names each person with a language and a role; a
 * configuration without one still works from staff_addresses (every
 * address English, everyone gets everything).  A referral's owner gets
 * the mail about it; managers get escalations.
 */
#ifndef REFBOT_STAFF_H
#define REFBOT_STAFF_H

#include <stddef.h>
#include <stdint.h>

#include "refbot.h"

/* Who a staff mail goes to (staff_recipients). */
enum staff_to {
	STAFF_TO_ALL,		/* everyone */
	STAFF_TO_OWNER,		/* the referral's owner, else everyone */
	STAFF_TO_MANAGERS,	/* managers, else escalation_address, else all */
};

struct staff_rcpt {
	char *email;
	const char *lang;	/* "en" or "ja" (static) */
};

/*
 * Non-zero when addr (lowercased) is staff: an active member of the
 * registry, or in staff_addresses and not deactivated in the registry.
 */
int staff_is(struct refbot *, const char *addr);

/*
 * The owner mail about referral_id goes to: its owner's address while
 * that person is active (caller frees), else NULL (nobody in particular:
 * such mail goes to all staff).  This is the one place that says so.
 */
char *staff_owner_of(struct refbot *, int64_t referral_id);

/* The language mail to addr is written in: the registry's, else "en". */
const char *staff_lang(struct refbot *, const char *addr);

/*
 * The people a staff mail goes to, each once, with their language.
 * Returns 0 with *out (free with staff_rcpts_free) or -1 (database).
 */
int staff_recipients(struct refbot *, enum staff_to, int64_t referral_id,
    struct staff_rcpt **out, size_t *n);
void staff_rcpts_free(struct staff_rcpt *, size_t n);

/*
 * Whether mail about partner_id goes to its account manager: 1 while
 * they are staff (*email, caller frees), else 0 (*email NULL); -1.
 */
int staff_partner_manager(struct refbot *, int64_t partner_id,
    char **email);

/*
 * The people mail about partner_id goes to: its account manager while
 * staff, else as otherwise says (staff_recipients, no referral).
 */
int staff_partner_recipients(struct refbot *, int64_t partner_id,
    enum staff_to otherwise, struct staff_rcpt **out, size_t *n);

/*
 * Nobody to get staff mail: 1 when staff_addresses is empty and the
 * registry has no active person (refbot run and doctor refuse to go on),
 * else 0; -1 on a database error.  *why (caller frees) says what to do,
 * naming the configuration file.
 */
int staff_nobody(struct db *, const struct config *, char **why);

/*
 * Gives a new referral its owner (inside the caller's transaction): the
 * partner's account manager while active, else the next of the intake
 * rota, else none; the history says which.  0 or -1.
 */
int staff_pick_owner(struct refbot *, int64_t referral_id,
    int64_t partner_id);

#endif
