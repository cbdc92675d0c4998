/*
 * db: the only module that talks to SQLite.
 *
 * Everything refbot keeps lives in one database file in WAL mode: the raw
 * inbound messages with their disposition, partners, referrals with their
 * fields and history, and the outbox.  Functions return 0 (or 1 for
 * "found") on success and -1 on an SQLite error, with the text in
 * db_errmsg().  Strings in returned structs are owned by the struct; free
 * them with the matching *_free().
 */
#ifndef REFBOT_DB_H
#define REFBOT_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;

int db_open(const char *path, int create, struct db **out, char **errstr);
void db_close(struct db *);
const char *db_errmsg(struct db *);
/* Brings the schema to the current version; returns it, or -1. */
int db_migrate(struct db *, char **errstr);
int db_schema_version(struct db *);
int db_begin(struct db *);
int db_commit(struct db *);
void db_rollback(struct db *);

/* refbot's own settings: 1 found, 0 not, -1 error; *value caller frees. */
int db_setting_get(struct db *, const char *key, char **value);
int db_setting_put(struct db *, const char *key, const char *value);

/* Inbound messages. */
int db_message_lookup(struct db *, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, int64_t *id, char **disposition, int *moved);
/*
 * raw is what was fetched: the whole message, or for one over the size
 * limit only its header; size is the whole message's size.
 */
int db_message_insert(struct db *, const char *mailbox, uint32_t uidvalidity,
    uint32_t uid, const char *raw, size_t len, uint64_t size, int64_t *id);
/* Another message (not id) already handled with this Message-ID? */
int db_message_seen_id(struct db *, const char *message_id, int64_t id);
/* Records the outcome, and the Message-ID found by parsing (may be NULL). */
int db_message_dispose(struct db *, int64_t id, const char *message_id,
    const char *disposition, const char *detail, int64_t referral_id);
int db_message_set_moved(struct db *, int64_t id);
/*
 * Counts one more attempt to process the message, committed at once (it
 * must not be called inside a transaction); returns the count, or -1.
 */
int db_message_attempt(struct db *, int64_t id);
int db_attachment_add(struct db *, int64_t message_row, const char *name,
    const char *type, size_t size);

/* Partners. */
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
};
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

/* Referrals. */
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
	char *detail;
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
	struct kvpair *fields;
	size_t nfields;
	struct history_entry *history;
	size_t nhistory;
};

int db_referral_insert(struct db *, int64_t partner_id, int64_t message_row,
    const char *status, const char *client, const char *contact_name,
    const char *subject, const char *inbound_message_id, int64_t *id);
/* Sets (or replaces) one field of a referral. */
int db_referral_field(struct db *, int64_t id, const char *key,
    const char *value);
int db_referral_set_status(struct db *, int64_t id, const char *status);
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
/* A ledger line: kind "commission" or "payout"; basis/rate -1 if none. */
int db_ledger_add(struct db *, int64_t partner_id, int64_t referral_id,
    const char *kind, int64_t amount, int64_t basis, int64_t rate_bp,
    const char *note);
/* All commission earned and all paid out to a partner. */
int db_ledger_totals(struct db *, int64_t partner_id, int64_t *earned,
    int64_t *paid);
/* A partner's referrals counting toward its tier in [from, to), up to id. */
int db_partner_year_count(struct db *, int64_t partner_id, int64_t from,
    int64_t to, int64_t upto_id);
/* Marks a referral a duplicate of another (of > 0) or not, with status. */
int db_referral_duplicate(struct db *, int64_t id, int64_t of,
    const char *status);
int db_referral_duplicate_of(struct db *, int64_t id, int64_t *of);
/* The amount of a WON, for revenue reports. */
int db_referral_won(struct db *, int64_t id, int64_t amount);
/* A referral the firm gave to a partner (reciprocity). */
int db_given_add(struct db *, int64_t partner_id, int64_t at,
    const char *note);

/* One partner's numbers for a period (strings valid during the call). */
struct report_row {
	int64_t partner_id;
	const char *name;
	int64_t received, duplicates, won, revenue, commission, paid, given;
	int64_t sla_breaches;
	const char *response_times;	/* seconds, ascending, comma-separated */
};
int db_report(struct db *, int64_t from, int64_t to, int64_t partner_id,
    int64_t sla, int64_t now, int (*cb)(const struct report_row *, void *),
    void *arg);
/*
 * The pipeline of the period's referrals (duplicates left out): received,
 * then how many reached contacted, meeting, proposal, and are won.
 */
int db_report_funnel(struct db *, int64_t from, int64_t to,
    int64_t partner_id, int64_t stages[5]);
/* By month of arrival (UTC), oldest first (strings valid during the call). */
struct report_month {
	const char *month;		/* "2026-10" */
	int64_t received;		/* not counting duplicates */
	int64_t breaches;		/* as db_report counts them */
	const char *response_times;	/* seconds, comma-separated, or NULL */
};
int db_report_months(struct db *, int64_t from, int64_t to,
    int64_t partner_id, int64_t sla, int64_t now,
    int (*cb)(const struct report_month *, void *), void *arg);
struct statement {
	int64_t revenue, earned, paid;	/* in the quarter */
	int64_t balance;		/* earned minus paid, at its end */
};
/* A partner's quarter: totals, and each referral of it through cb. */
int db_statement(struct db *, int64_t partner_id, int64_t from, int64_t to,
    struct statement *, int (*cb)(const struct referral *, void *),
    void *arg);
/* 1 when this is the first time the quarter's statement goes out, 0 if not. */
int db_statement_mark(struct db *, int64_t partner_id, const char *quarter);
/*
 * Records that the welcome kit goes to the partner now: only if it never
 * went, or again when again is set.  Returns rows changed (1, or 0 when
 * it was sent before and again is not set) or -1.
 */
int db_partner_welcome_mark(struct db *, int64_t partner_id, int again);
/* When the kit was last sent; 0 never, -1 on error (or no such partner). */
int64_t db_partner_welcomed_at(struct db *, int64_t partner_id);
/* What running the programme cost (events, materials, time). */
int db_cost_add(struct db *, int64_t amount, int64_t at, const char *note);
int db_costs(struct db *, int64_t from, int64_t to, int64_t *total);
/* Records the first staff response (only the first one counts). */
int db_referral_responded(struct db *, int64_t id, int64_t at);
/*
 * The next referral still NEW sla[tier] seconds (escalate: twice that)
 * after it arrived whose reminder (escalation) was not sent; 1/0/-1.
 */
int db_sla_due(struct db *, int64_t now, const int64_t *sla, int escalate,
    int64_t *id);
int db_sla_mark(struct db *, int64_t id, int escalate);
int db_history_add(struct db *, int64_t referral_id, const char *actor,
    const char *event, const char *from_status, const char *to_status,
    const char *detail);
int db_history_add_mid(struct db *, int64_t referral_id, const char *actor,
    const char *event, const char *from_status, const char *to_status,
    const char *detail, const char *message_id);
/* The state a referral was in before it moved to closed; 1/0/-1. */
int db_history_reopen_to(struct db *, int64_t referral_id, const char *closed,
    char **status);
/* The Message-ID of the first mail sent to the partner about it; 1/0/-1. */
int db_outbox_thread_id(struct db *, int64_t referral_id, char **message_id);
/* Loads one referral with fields and history; 1 found, 0 not, -1 error. */
int db_referral_get(struct db *, int64_t id, struct referral *);
/* Each referral (without fields/history), newest first; status may be NULL. */
int db_referral_each(struct db *, const char *status,
    int (*cb)(const struct referral *, void *), void *arg);
void referral_free(struct referral *);

/* Outbox. */
struct outmail {
	int64_t id;
	int64_t referral_id;	/* 0 if none */
	char *kind;		/* "ack", "incomplete", "not-partner", ... */
	char *mail_from;
	char *rcpt;
	char *message_id;
	char *data;		/* the complete message, CRLF line ends */
	size_t len;
	char *status;		/* "pending", "sent", "failed" */
	int attempts;
	int64_t next_attempt_at;
	char *last_error;
	int64_t created_at;
	int64_t sent_at;
};
int db_outbox_add(struct db *, const struct outmail *, int64_t *id);
/*
 * The oldest pending mail due at now, newsletters last and only when bulk
 * is set; 1 found, 0 none, -1 error.
 */
int db_outbox_next_due(struct db *, int64_t now, int bulk, struct outmail *);
/* When the next pending mail falls due; 1 found, 0 none, -1 error. */
int db_outbox_next_time(struct db *, int64_t *when);
/* Mails waiting to be sent (pending), or -1 on a database error. */
int64_t db_outbox_pending_count(struct db *);
/* Capped replies (not acknowledgements) queued for rcpt since then. */
int db_outbox_recent_replies(struct db *, const char *rcpt, int64_t since);
/* Marks outbox row id as an automatic reply the per-sender cap counts. */
int db_outbox_mark_reply(struct db *, int64_t id);
/*
 * Makes mail due now: row id (if > 0) or every failed row; returns how
 * many rows changed, or -1.  Sent mail is never sent again.
 */
int db_outbox_retry(struct db *, int64_t id, int all_failed);
int db_outbox_sent(struct db *, int64_t id, int64_t now);
/*
 * Marks the mail with this Message-ID bounced; fills id, referral_id,
 * kind and rcpt of *m (free with outmail_free).  1 found, 0 not, -1.
 */
int db_outbox_bounce(struct db *, const char *message_id, const char *why,
    struct outmail *m);
/* Flags a partner address that hard-bounced; returns rows changed or -1. */
int db_partner_bounced(struct db *, const char *email, const char *why);
int db_outbox_defer(struct db *, int64_t id, int64_t next, const char *err);
int db_outbox_fail(struct db *, int64_t id, const char *err);
int db_outbox_each(struct db *, const char *status,
    int (*cb)(const struct outmail *, void *), void *arg);
void outmail_free(struct outmail *);
/*
 * Holds every pending mail of this kind (status "held": never sent), or
 * with release, makes held mail of this kind pending and due now.
 * Returns the rows changed, or -1.
 */
int db_outbox_hold(struct db *, const char *kind, int release);

/*
 * The newsletter: the month's confirmed profile ("YYYY-MM") per language,
 * set only by the CLI or a signed confirmation.
 */
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

/*
 * A partner's request that came without a signed token (a correction,
 * an unsubscribe): kept until the partner answers our signed mail.
 */
struct pending_request {
	int64_t id;
	char *kind;		/* "correction" or "unsubscribe" */
	int64_t partner_id;
	int64_t referral_id;	/* 0: none */
	char *body;		/* what the request said (the correction) */
	int64_t done_at;	/* 0: not applied yet */
};
int db_pending_add(struct db *, const char *kind, int64_t partner_id,
    int64_t referral_id, int64_t message_row, const char *body, int64_t *id);
/* 1 with *pr filled (pending_request_free), 0 if there is none, -1. */
int db_pending_get(struct db *, int64_t id, struct pending_request *pr);
/* Marks it applied: 1, 0 if it already was, -1. */
int db_pending_done(struct db *, int64_t id);
void pending_request_free(struct pending_request *);
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
/* Counts a soft (temporary) bounce; rows changed or -1. */
int db_partner_soft_bounce(struct db *, const char *email);

/* One partner's numbers for the newsletter. */
struct partner_numbers {
	int64_t sent_year;	/* referrals since year_from (not rejected) */
	int64_t open;		/* still in the pipeline */
	int64_t won_year, won_all;
	int64_t earned, paid;	/* commission, all time */
};
int db_partner_numbers(struct db *, int64_t partner_id, int64_t year_from,
    int64_t now, struct partner_numbers *);
/*
 * A partner's open referrals (open set), or those won in [won_from,
 * won_to), each with id, status, client and created_at; cb returns
 * non-zero to stop.
 */
int db_partner_referrals(struct db *, int64_t partner_id, int open,
    int64_t won_from, int64_t won_to,
    int (*cb)(const struct referral *, void *), void *arg);

/*
 * Staff alerts about inbound mail (issue 14 item 7), by kind and clock
 * hour (period: its first second).  db_alert_sent: how many went out
 * individually in that hour, or -1.  db_alert_add records one, held (for
 * the summary) or not.  db_alert_due finds the oldest kind and hour
 * before "before" with held alerts not yet summarised (kind: caller
 * frees); 1 found, 0 none, -1 error.  db_alert_held reads that hour's
 * numbers and the message rows of the unsummarised held alerts
 * (alert_period_free).  db_alert_summarised marks them reported.
 */
struct alert_period {
	int sent;		/* individual alerts that went out */
	size_t nheld;
	int64_t *rows;		/* message row of each held alert, 0 if none */
	char **disp;		/* and that message's disposition, or "?" */
	int64_t first, last;	/* when the first and last were held */
};
int db_alert_sent(struct db *, const char *kind, int64_t period);
int db_alert_add(struct db *, const char *kind, int64_t period,
    int64_t message_row, int64_t at, int held);
int db_alert_due(struct db *, int64_t before, char **kind, int64_t *period);
int db_alert_held(struct db *, const char *kind, int64_t period,
    struct alert_period *);
void alert_period_free(struct alert_period *);
int db_alert_summarised(struct db *, const char *kind, int64_t period,
    int64_t at);

#endif
