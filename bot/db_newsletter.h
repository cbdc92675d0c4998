/*
 * db_newsletter: the monthly newsletter — each month's confirmed profile
 * per language (set only by the CLI or a signed confirmation), the
 * drafts staff mail in, and which partner got which month's issue.
 * Returns as in db.h.
 */
#ifndef REFBOT_DB_NEWSLETTER_H
#define REFBOT_DB_NEWSLETTER_H

#include <stdint.h>

#include "db.h"

/* The month's ("YYYY-MM") confirmed profile in lang. */
int db_newsletter_profile_put(struct db *, const char *month,
    const char *lang, const char *body, const char *author);
/* 1 with *body (caller frees), 0 if the month has no confirmed one. */
int db_newsletter_profile_get(struct db *, const char *month,
    const char *lang, char **body);

/* A profile staff mailed, kept by its own id until its author confirms. */
struct newsletter_draft {
	int64_t id;
	char *month, *lang, *body, *author;
	int64_t confirmed_at;	/* 0: not confirmed */
};
int db_newsletter_draft_add(struct db *, const char *month,
    const char *lang, const char *body, const char *author,
    int64_t message_row, int64_t *id);
/* 1 with *d filled (newsletter_draft_free), 0 if there is none, -1. */
int db_newsletter_draft_get(struct db *, int64_t id,
    struct newsletter_draft *d);
void newsletter_draft_free(struct newsletter_draft *);
/*
 * Confirms exactly draft d: it becomes its month's profile in its
 * language.  1, 0 when it was already confirmed (nothing changes), -1.
 */
int db_newsletter_draft_confirm(struct db *, const struct newsletter_draft *d);
/* How many unconfirmed drafts the month has in lang, or -1. */
int db_newsletter_drafts(struct db *, const char *month, const char *lang);

/* 1 when the month's issue is now the partner's, 0 if it already was. */
int db_newsletter_claim(struct db *, int64_t partner_id, const char *month);
/* Records the outbox row that carries a claimed issue. */
int db_newsletter_claimed(struct db *, int64_t partner_id, const char *month,
    int64_t outbox_id);
struct newsletter_progress {
	int64_t total, sent, failed, held, pending;
};
int db_newsletter_progress(struct db *, const char *month,
    struct newsletter_progress *);

#endif
