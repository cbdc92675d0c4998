/*
 * conf: refbot.conf, read whole and rejected whole on any error.
 *
 * Every error names the file and line ("FILE:LINE: what").  Secrets come
 * from a file that only its owner may read, or from the environment; they
 * are held here and never logged.
 */
#ifndef REFBOT_CONF_H
#define REFBOT_CONF_H

#include <stddef.h>

#include "commission.h"
#include "status.h"
#include "workhours.h"

enum tls_mode {
	TLS_IMPLICIT,	/* imaps:// smtps:// */
	TLS_STARTTLS,	/* the default for imap:// smtp:// */
	TLS_NONE,	/* only when the config says so */
};

/* Where the signed reply token rides (reply_token). */
enum reply_token {
	REPLY_TOKEN_BOTH,	/* the default */
	REPLY_TOKEN_ADDRESS,	/* Reply-To plus address only */
	REPLY_TOKEN_MESSAGE_ID,	/* Message-ID only: no plus addressing */
};

struct endpoint {
	char *url;
	char *host;
	int port;
	enum tls_mode tls;
	char *ca_file;		/* NULL: the system trust store */
	char *user;		/* NULL: no login (SMTP only) */
	char *password;
};

struct config {
	char *path;
	char *database;
	char *templates;

	struct endpoint imap;
	char *imap_mailbox;
	char *processed_folder;
	char *rejected_folder;
	int poll_interval;	/* seconds, when IDLE is not offered */
	int use_idle;

	struct endpoint smtp;
	char *envelope_from;

	char *intake_address;
	char *from_name;
	char *firm_name;	/* in texts partners read and forward */
	char **staff;
	size_t nstaff;
	char *message_id_domain;
	enum reply_token reply_token;
	size_t max_message_size;
	size_t attachment_store_limit;	/* file bytes kept a message */
	size_t attach_limit;	/* bytes of files attached to staff mail */

	char *secret;		/* HMAC key for signed reply addresses */
	char *currency;		/* ISO 4217 code for amounts, e.g. JPY */
	char *language;		/* "en" or "ja": pages for the firm itself */
	int iso2022jp;		/* outbound_charset = iso-2022-jp */
	int sla_hours;		/* first response due after this long */
	char *escalation_address;	/* past twice the SLA; NULL: staff */
	int protection_days;	/* the first referral of a client wins */
	struct tier_table tiers;	/* referrals a year -> commission rate */
	int sla_tier[4];	/* hours per partner tier 1..3; 0: sla_hours */
	struct workhours hours;	/* how SLA hours count (sla_hours_mode) */
	char *holidays;		/* the holidays file, for business hours */
	int unknown_reply;	/* answer strangers with how to join */
	int auto_reply_limit;	/* automatic replies per sender per hour */
	int staff_alert_limit;	/* alerts of one kind per clock hour */
	int require_auth;	/* staff mail must pass DMARC or DKIM */
	char *authserv_id;	/* whose Authentication-Results to trust */
	int auth_spf_fallback;	/* an aligned SPF pass is enough */

	char *timezone;		/* TZ name for the calendar; NULL: local */
	int newsletter_day;	/* day of the month the newsletter goes */
	int newsletter_hour;	/* and the hour, in timezone */
	int newsletter_rate;	/* newsletters per minute at most */
	int newsletter_max_failures;	/* in a row before the send stops */
	int newsletter_reminder_days;	/* remind staff this long before */
	int statement_day;	/* of the month after a quarter: statements go */
	/* Retention (days; 0: kept): raw mail and sent bodies purged after
	 * keep_raw_mail_days, closed referrals anonymised after the other. */
	int keep_raw_mail_days;
	int anonymise_after_days;
	/* Days in an open state before its owner is nudged; 0: never. */
	int stall_days[STATUS_MAX];	/* by status_index */
	int progress_note;	/* partners told monthly it is in progress */
	int digest_hour;	/* staff's morning queue, in timezone */
	int meeting_minutes;	/* a MEETING without an end time: how long */
	/* Surveys (issue 20.1): the partner survey's month (0: off); the
	 * client survey on or off, and its days after WON; days before the
	 * one reminder (0: none). */
	int partner_survey_month;
	int client_survey;
	int client_survey_days;
	int survey_reminder_days;
	/* Days before a quarter ends its review packs go; 0: never. */
	int review_days;
};

/*
 * Reads path.  Returns 0 with *cfg filled (free with config_free), or -1
 * with *errstr = "PATH:LINE: what is wrong" (caller frees).
 */
int config_load(const char *path, struct config *cfg, char **errstr);
void config_free(struct config *);

/* The first-response promise in hours for a partner of this tier. */
int config_sla_hours(const struct config *, int tier);

/* Non-zero when addr (lowercased) is one of staff_addresses. */
int config_is_staff(const struct config *, const char *addr);

/* Reads a whole file; NULL with errno set on failure.  Caller frees. */
char *read_file(const char *path, size_t *len);

/*
 * The templates folder of the source tree this binary was built from,
 * when it runs from its build tree (config.status beside it) and that
 * folder holds referral.template; else NULL.  Static storage.
 */
const char *config_source_templates(void);

#endif
