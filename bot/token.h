/*
 * token: signed reply addresses and Message-IDs.
 *
 * A token is an HMAC-SHA256 of "r<referral id>.<role>" under refbot's
 * secret key, cut to 16 base32 characters (80 bits).  It rides in the
 * Reply-To plus-address (referrals+r123.s.k7f3q9ab2cxm4d7p@firm.example)
 * and in the Message-ID of the mail we send
 * (r123.s.k7f3q9ab2cxm4d7p.<random>@our-domain), so a staff command
 * proves the sender saw our mail: knowing a staff address is not enough
 * to forge one.  Tokens are compared in constant time and without
 * regard to case, which mail systems may change in a local part.
 */
#ifndef REFBOT_TOKEN_H
#define REFBOT_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define TOKEN_LEN 16

/* Roles a token is issued for. */
#define ROLE_STAFF 's'
#define ROLE_PARTNER 'p'
/* Newsletter tokens: the id is a partner's, or the month (YYYYMM). */
#define ROLE_NEWSLETTER 'n'	/* a reply to the partner's issue */
#define ROLE_UNSUBSCRIBE 'u'	/* the partner's List-Unsubscribe address */
#define ROLE_UNSUB_CONTACT 'k'	/* a contact's own (the id: the contact's) */
#define ROLE_PROFILE 'h'	/* staff: a reply with the month's profile */
/* Issue 14: the id is a newsletter draft's, or a pending partner request's. */
#define ROLE_DRAFT 'd'		/* staff: OK (or new text) to one draft */
#define ROLE_CONFIRM 'c'	/* partner: yes to one unsigned request */
/*
 * Issue 16: answers to refbot's mail that is not about a referral.  The
 * id is the partner's, except for ROLE_JOIN (the stranger's message row).
 */
#define ROLE_WELCOME 'w'	/* the welcome kit */
#define ROLE_FORM 'f'		/* the blank form, or "it reached the team" */
#define ROLE_STATEMENT 't'	/* a quarterly statement */
#define ROLE_NOTICE 'x'		/* "we could not read your message" */
#define ROLE_JOIN 'j'		/* how to become a partner, to a stranger */
/* Issue 19.1: staff: OK to a forwarded partner mail's preview (its draft). */
#define ROLE_FORWARD 'v'
/* Issue 20.1: the answers to one survey (the id is the survey's). */
#define ROLE_SURVEY 'q'
/* Issue 19.4: staff: OK to a GIVEN mail's preview (its draft). */
#define ROLE_GIVEN 'g'
/*
 * Issue 18.6: a meeting invitation's ORGANIZER (the id is the
 * referral's): where calendar clients send the invitee's answer.
 */
#define ROLE_MEETING 'm'

/* Writes the token for (id, role) into out (TOKEN_LEN + 1 bytes). */
void token_make(const char *key, size_t keylen, int64_t id, int role,
    char *out);

/* The reply address "local+r<id>.<role>.<token>@domain".  Caller frees. */
char *token_address(const char *key, size_t keylen, const char *intake,
    int64_t id, int role);
/* The same from token_tag's tag.  Caller frees. */
char *token_address_of(const char *intake, const char *tag);
/* "r<id>.<role>.<token>" for a Message-ID's left part.  Caller frees. */
char *token_tag(const char *key, size_t keylen, int64_t id, int role);

/*
 * Looks for "r<id>.<role>.<token>" at the start of s (an address's plus
 * part or a Message-ID) and checks the token.  Returns 1 with *id and
 * *role set when it is valid, 0 otherwise.
 */
int token_check(const char *key, size_t keylen, const char *s, int64_t *id,
    int *role);

#endif
