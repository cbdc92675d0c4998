/*
 * newsletter: the monthly hot-opportunity issue (PRODUCT.md F7).
 *
 * Staff write the month's profile (by mail or with the CLI); on the
 * configured day every active, subscribed partner whose address has not
 * hard-bounced gets their own issue: the profile plus their numbers.  A
 * row per partner and month, written in the same transaction as the
 * outbox row, makes it exactly once across crashes and restarts; the
 * outbox sends issues at newsletter_rate and halts them when
 * newsletter_max_failures deliveries fail in a row, and the runner then
 * holds the rest and tells staff (newsletter_halted).
 */
#ifndef REFBOT_NEWSLETTER_H
#define REFBOT_NEWSLETTER_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "db.h"
#include "outbox.h"
#include "db_outbox.h"
#include "db_partners.h"
#include "refbot.h"
#include "replies.h"

/* The outbox kind of an issue: the one the outbox sends in bulk. */
#define NEWSLETTER_KIND OUTBOX_BULK_KIND
/* Returned when the month has no (confirmed) profile to send. */
#define NEWSLETTER_NO_PROFILE 1

/* Non-zero when s is a month "YYYY-MM". */
int newsletter_month_valid(const char *s);
/* The month ("YYYY-MM", 8 bytes) t falls in, in the configured zone. */
void newsletter_month(int64_t t, char *out);
/* The month a profile written now is for: the next issue not yet due. */
void newsletter_coming_month(struct refbot *, int64_t now, char *out);
/* When the month's issue is due: newsletter_day at newsletter_hour. */
int64_t newsletter_due(struct refbot *, const char *month);
/* t as clock_text writes it, for people ("2026-12-01 09:00 +0900 JST"). */
void newsletter_format_date(int64_t t, char *out, size_t size);

/* Whether p gets the newsletter: active, subscribed, not bounced. */
int newsletter_wanted(const struct partner *p);
/* How many partners get it, or -1. */
int newsletter_subscribers(struct refbot *);

struct newsletter_issue {
	const char *lang;	/* the partner's language: "en" or "ja" */
	char *subject;
	char *text;		/* the plain-text part */
	char *html;		/* the HTML part, made from text */
};
void newsletter_issue_free(struct newsletter_issue *);

/*
 * Partner p's issue for month, with their numbers as of now: with the
 * month's confirmed profile, or with draft (a preview of a draft) when
 * it is not NULL.  Returns 0, NEWSLETTER_NO_PROFILE, or -1 with *errstr
 * (caller frees).
 */
int newsletter_compose(struct refbot *, const struct partner *p,
    const char *month, int64_t now, const char *draft,
    struct newsletter_issue *, char **errstr);

/*
 * Queues the month's issue for every partner who should get it and has
 * not yet, in one transaction; *queued says how many.  Returns 0,
 * NEWSLETTER_NO_PROFILE, or -1 with *errstr (caller frees).
 */
int newsletter_queue(struct refbot *, const char *month, int64_t now,
    int *queued, char **errstr);

/*
 * The daemon's calendar: reminds staff a few days before a month with no
 * profile, and queues the month's issue once it is due.  Returns 0, or
 * -1 on a database error (logged).
 */
int newsletter_schedule(struct refbot *, int64_t now);

/*
 * When the outbox halted the newsletter (newsletter_max_failures
 * deliveries failed in a row: the server refuses them all), holds the
 * issues not yet sent and tells staff, in one transaction, so the list is
 * not burnt.  Returns 1 when it did, 0 when there was no halt, -1 on a
 * database error (logged; the halt stands, to be tried again).
 */
int newsletter_halted(struct refbot *, struct outbox_limits *);

/* newsletter_inbound.c */

/*
 * Inbound mail about the newsletter: a staff profile (subject keyword
 * HOT-OPPORTUNITY: a draft; a reply to our reminder: the profile; a reply
 * to a draft's preview: OK confirms that draft, new text is a new draft),
 * a partner's UNSUBSCRIBE (a reply to an issue or mail to the
 * List-Unsubscribe address acts; the keyword sent to the intake only
 * asks the partner to confirm by a signed reply), or any other reply to
 * an issue (passed to staff).  Inside intake's transaction.  Returns 1
 * with *out filled when handled, 0 when the mail is not about the
 * newsletter, -1 on a database error.
 */
int newsletter_inbound(struct refbot *, int64_t row, const struct analysis *,
    struct reply_outcome *out);

/*
 * Turns partner_id's newsletter off, or only contact_id's own copy when
 * not 0 (how: the signed way it was asked for, for the log), and tells
 * whoever's it was.  Returns 1 with *out filled, -1.
 */
int newsletter_unsubscribe(struct refbot *, int64_t row,
    const struct analysis *, int64_t partner_id, int64_t contact_id,
    const char *how, struct reply_outcome *out);

#endif
