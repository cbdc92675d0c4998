/* conf: loads and checks refbot.conf. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "conf_int.h"
#include "kvfile.h"
#include "util.h"

/* What a key is, so the table below drives both checking and storing. */
enum ktype { K_STR, K_INT, K_BOOL, K_TLS, K_LIST, K_SECRET_FILE,
    K_SECRET_ENV, K_ADDR, K_SIZE, K_HOURS, K_COUNT, K_TIERS, K_DAY, K_HOUR,
    K_TZ, K_LANG, K_REPLY_TOKEN, K_CHARSET, K_SLAMODE, K_WDAYS, K_WHOURS,
    K_STALL, K_MONTH };

struct keydef {
	const char *key;
	enum ktype type;
	size_t off;		/* offset into struct config */
	int required;
};

#define O(f) offsetof(struct config, f)
static const struct keydef keys[] = {
	{ "database", K_STR, O(database), 0 },
	{ "templates", K_STR, O(templates), 0 },
	{ "imap_url", K_STR, O(imap.url), 1 },
	{ "imap_tls", K_TLS, O(imap.tls), 0 },
	{ "imap_ca_file", K_STR, O(imap.ca_file), 0 },
	{ "imap_user", K_STR, O(imap.user), 1 },
	{ "imap_password_file", K_SECRET_FILE, O(imap.password), 0 },
	{ "imap_password_env", K_SECRET_ENV, O(imap.password), 0 },
	{ "imap_mailbox", K_STR, O(imap_mailbox), 0 },
	{ "imap_processed_folder", K_STR, O(processed_folder), 0 },
	{ "imap_rejected_folder", K_STR, O(rejected_folder), 0 },
	{ "imap_idle", K_BOOL, O(use_idle), 0 },
	{ "poll_interval", K_INT, O(poll_interval), 0 },
	{ "smtp_url", K_STR, O(smtp.url), 1 },
	{ "smtp_tls", K_TLS, O(smtp.tls), 0 },
	{ "smtp_ca_file", K_STR, O(smtp.ca_file), 0 },
	{ "smtp_user", K_STR, O(smtp.user), 0 },
	{ "smtp_password_file", K_SECRET_FILE, O(smtp.password), 0 },
	{ "smtp_password_env", K_SECRET_ENV, O(smtp.password), 0 },
	{ "envelope_from", K_ADDR, O(envelope_from), 0 },
	{ "intake_address", K_ADDR, O(intake_address), 1 },
	{ "from_name", K_STR, O(from_name), 0 },
	{ "firm_name", K_STR, O(firm_name), 0 },
	{ "staff_addresses", K_LIST, O(staff), 0 },	/* staff_nobody */
	{ "message_id_domain", K_STR, O(message_id_domain), 1 },
	{ "reply_token", K_REPLY_TOKEN, O(reply_token), 0 },
	{ "max_message_size", K_SIZE, O(max_message_size), 0 },
	{ "attachment_store_limit", K_SIZE, O(attachment_store_limit), 0 },
	{ "attach_limit", K_SIZE, O(attach_limit), 0 },
	{ "secret_file", K_SECRET_FILE, O(secret), 0 },
	{ "secret_env", K_SECRET_ENV, O(secret), 0 },
	{ "currency", K_STR, O(currency), 0 },
	{ "language", K_LANG, O(language), 0 },
	{ "outbound_charset", K_CHARSET, O(iso2022jp), 0 },
	{ "sla_hours", K_HOURS, O(sla_hours), 0 },
	{ "escalation_address", K_ADDR, O(escalation_address), 0 },
	{ "protection_days", K_COUNT, O(protection_days), 0 },
	{ "tier_rates", K_TIERS, O(tiers), 0 },
	{ "sla_hours_tier1", K_HOURS, O(sla_tier[1]), 0 },
	{ "sla_hours_tier2", K_HOURS, O(sla_tier[2]), 0 },
	{ "sla_hours_tier3", K_HOURS, O(sla_tier[3]), 0 },
	{ "sla_hours_mode", K_SLAMODE, O(hours.business), 0 },
	{ "business_days", K_WDAYS, O(hours.days), 0 },
	{ "business_hours", K_WHOURS, O(hours), 0 },
	{ "holidays", K_STR, O(holidays), 0 },
	{ "unknown_sender_reply", K_BOOL, O(unknown_reply), 0 },
	{ "auto_reply_limit", K_COUNT, O(auto_reply_limit), 0 },
	{ "staff_alert_limit", K_COUNT, O(staff_alert_limit), 0 },
	{ "require_auth_results", K_BOOL, O(require_auth), 0 },
	{ "authserv_id", K_STR, O(authserv_id), 0 },
	{ "auth_spf_fallback", K_BOOL, O(auth_spf_fallback), 0 },
	{ "timezone", K_TZ, O(timezone), 0 },
	{ "newsletter_day", K_DAY, O(newsletter_day), 0 },
	{ "statement_day", K_DAY, O(statement_day), 0 },
	{ "newsletter_hour", K_HOUR, O(newsletter_hour), 0 },
	{ "newsletter_rate", K_HOURS, O(newsletter_rate), 0 },
	{ "newsletter_max_failures", K_HOURS, O(newsletter_max_failures), 0 },
	{ "newsletter_reminder_days", K_COUNT, O(newsletter_reminder_days),
	    0 },
	{ "keep_raw_mail_days", K_COUNT, O(keep_raw_mail_days), 0 },
	{ "anonymise_closed_after_days", K_COUNT, O(anonymise_after_days), 0 },
	{ "stall_days", K_STALL, O(stall_days), 0 },
	{ "partner_progress_note", K_BOOL, O(progress_note), 0 },
	{ "digest_hour", K_HOUR, O(digest_hour), 0 },
	/* Minutes, 1 to 10000: K_HOURS checks a count of at least one. */
	{ "meeting_minutes", K_HOURS, O(meeting_minutes), 0 },
	{ "partner_survey_month", K_MONTH, O(partner_survey_month), 0 },
	{ "client_survey", K_BOOL, O(client_survey), 0 },
	{ "client_survey_days", K_COUNT, O(client_survey_days), 0 },
	{ "survey_reminder_days", K_COUNT, O(survey_reminder_days), 0 },
	{ "review_days", K_COUNT, O(review_days), 0 },
};
#undef O

static int
valid_addr(const char *a)
{
	const char *at = strchr(a, '@');

	return at != NULL && at != a && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && strpbrk(a, " \t<>,;\"") == NULL;
}


static int
set_key(struct config *cfg, const struct keydef *k, const struct kv_entry *e,
    char **errstr)
{
	void *field = (char *)cfg + k->off;
	const char *v = e->value;
	char *end;
	long n;

	switch (k->type) {
	case K_STR:
		if (*v == '\0')
			goto empty;
		*(char **)field = xstrdup(v);
		break;
	case K_ADDR:
		if (!valid_addr(v)) {
			*errstr = xasprintf("%s:%d: %s: '%s' is not an email "
			    "address", cfg->path, e->line, k->key, v);
			return -1;
		}
		*(char **)field = xstrdup(v);
		ascii_lower(*(char **)field);
		break;
	case K_INT:
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > 86400) {
			*errstr = xasprintf("%s:%d: %s must be a number of "
			    "seconds from 1 to 86400", cfg->path, e->line,
			    k->key);
			return -1;
		}
		*(int *)field = (int)n;
		break;
	case K_TIERS: {
		char *err = NULL;
		if (tier_table_parse(v, (struct tier_table *)field, &err)) {
			*errstr = xasprintf("%s:%d: %s: %s", cfg->path,
			    e->line, k->key, err);
			free(err);
			return -1;
		}
		break;
	}
	case K_HOURS:
	case K_COUNT:
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < (k->type == K_HOURS) ||
		    n > 10000) {
			*errstr = xasprintf("%s:%d: %s must be a number from %d "
			    "to 10000", cfg->path, e->line, k->key,
			    k->type == K_HOURS);
			return -1;
		}
		*(int *)field = (int)n;
		break;
	case K_MONTH:
		n = strtol(v, &end, 10);
		if (strcmp(v, "off") == 0)
			n = 0;
		else if (*v == '\0' || *end != '\0' || n < 1 || n > 12) {
			*errstr = xasprintf("%s:%d: %s must be a month from 1 "
			    "to 12, or off", cfg->path, e->line, k->key);
			return -1;
		}
		*(int *)field = (int)n;
		break;
	case K_DAY:
	case K_HOUR: {
		int lo = k->type == K_DAY ? 1 : 0;
		int hi = k->type == K_DAY ? 28 : 23;
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < lo || n > hi) {
			/* Day 28 at most: every month has one. */
			*errstr = xasprintf("%s:%d: %s must be a number from %d "
			    "to %d", cfg->path, e->line, k->key, lo, hi);
			return -1;
		}
		*(int *)field = (int)n;
		break;
	}
	case K_TZ: {
		char *zone = xasprintf("/usr/share/zoneinfo/%s", v);
		int ok = strcmp(v, "UTC") == 0 || (*v != '\0' && *v != '/' &&
		    strstr(v, "..") == NULL && access(zone, R_OK) == 0);
		free(zone);
		if (!ok) {
			*errstr = xasprintf("%s:%d: %s: unknown time zone '%s' "
			    "(a name such as Asia/Tokyo or UTC)", cfg->path,
			    e->line, k->key, v);
			return -1;
		}
		*(char **)field = xstrdup(v);
		break;
	}
	case K_SIZE:
		n = strtol(v, &end, 10);
		if (*end == 'k' || *end == 'K')
			n *= 1024, end++;
		else if (*end == 'm' || *end == 'M')
			n *= 1024 * 1024, end++;
		if (*v == '\0' || *end != '\0' || n < 1024 ||
		    n > 1024L * 1024 * 1024) {
			*errstr = xasprintf("%s:%d: %s must be a size from 1k "
			    "to 1024M", cfg->path, e->line, k->key);
			return -1;
		}
		*(size_t *)field = (size_t)n;
		break;
	case K_BOOL:
		if ((*(int *)field = kv_bool(v)) < 0) {
			*errstr = xasprintf("%s:%d: %s must be yes or no",
			    cfg->path, e->line, k->key);
			return -1;
		}
		break;
	case K_SLAMODE:
		if (strcmp(v, "wall") != 0 && strcmp(v, "business") != 0) {
			*errstr = xasprintf("%s:%d: %s must be wall or business",
			    cfg->path, e->line, k->key);
			return -1;
		}
		*(int *)field = strcmp(v, "business") == 0;
		break;
	case K_WDAYS:
		if (workhours_days(v, (unsigned *)field) != 0) {
			*errstr = xasprintf("%s:%d: %s: days are written like "
			    "mon-fri or mon,tue,thu", cfg->path, e->line,
			    k->key);
			return -1;
		}
		break;
	case K_WHOURS: {
		struct workhours *w = field;
		if (workhours_hours(v, &w->open, &w->close) != 0) {
			*errstr = xasprintf("%s:%d: %s: hours are written like "
			    "09:00-18:00", cfg->path, e->line, k->key);
			return -1;
		}
		break;
	}
	case K_STALL:
		if (status_days_parse(v, field) == 0)
			break;
		*errstr = xasprintf("%s:%d: %s: write open states and days, "
		    "like CONTACTED:7 MEETING:14", cfg->path, e->line, k->key);
		return -1;
	case K_LANG:
		/* The languages refbot has texts in. */
		if (strcmp(v, "en") != 0 && strcmp(v, "ja") != 0) {
			*errstr = xasprintf("%s:%d: %s must be en or ja",
			    cfg->path, e->line, k->key);
			return -1;
		}
		*(char **)field = xstrdup(v);
		break;
	case K_CHARSET:
		if (ascii_strcasecmp(v, "utf-8") == 0)
			*(int *)field = 0;
		else if (ascii_strcasecmp(v, "iso-2022-jp") == 0)
			*(int *)field = 1;
		else {
			*errstr = xasprintf("%s:%d: %s must be utf-8 or "
			    "iso-2022-jp", cfg->path, e->line, k->key);
			return -1;
		}
		break;
	case K_TLS:
		if (strcmp(v, "implicit") == 0)
			*(enum tls_mode *)field = TLS_IMPLICIT;
		else if (strcmp(v, "starttls") == 0)
			*(enum tls_mode *)field = TLS_STARTTLS;
		else if (strcmp(v, "none") == 0)
			*(enum tls_mode *)field = TLS_NONE;
		else {
			*errstr = xasprintf("%s:%d: %s must be implicit, "
			    "starttls or none", cfg->path, e->line, k->key);
			return -1;
		}
		break;
	case K_REPLY_TOKEN:
		if (strcmp(v, "both") == 0)
			*(enum reply_token *)field = REPLY_TOKEN_BOTH;
		else if (strcmp(v, "address") == 0)
			*(enum reply_token *)field = REPLY_TOKEN_ADDRESS;
		else if (strcmp(v, "message-id") == 0)
			*(enum reply_token *)field = REPLY_TOKEN_MESSAGE_ID;
		else {
			*errstr = xasprintf("%s:%d: %s must be address, "
			    "message-id or both", cfg->path, e->line, k->key);
			return -1;
		}
		break;
	case K_LIST: {
		size_t i;
		cfg->staff = kv_split_list(v, &cfg->nstaff);
		if (cfg->nstaff == 0)
			goto empty;
		for (i = 0; i < cfg->nstaff; i++) {
			if (!valid_addr(cfg->staff[i])) {
				*errstr = xasprintf("%s:%d: %s: '%s' is not an "
				    "email address", cfg->path, e->line,
				    k->key, cfg->staff[i]);
				return -1;
			}
			ascii_lower(cfg->staff[i]);
		}
		break;
	}
	case K_SECRET_FILE:
		if (*(char **)field != NULL)
			goto twice;
		if ((*(char **)field = conf_read_secret(v, e->line, cfg->path,
		    k->key, errstr)) == NULL)
			return -1;
		if (field == &cfg->secret && conf_check_key_length(cfg->secret,
		    cfg->path, e->line, k->key, 0, v, errstr) != 0)
			return -1;
		break;
	case K_SECRET_ENV: {
		const char *s = getenv(v);
		if (*(char **)field != NULL)
			goto twice;
		if (s == NULL || *s == '\0') {
			*errstr = xasprintf("%s:%d: %s: environment variable "
			    "%s is not set", cfg->path, e->line, k->key, v);
			return -1;
		}
		if (field == &cfg->secret && conf_check_key_length(s, cfg->path,
		    e->line, k->key, 1, v, errstr) != 0)
			return -1;
		*(char **)field = xstrdup(s);
		break;
	}
	}
	return 0;
empty:
	*errstr = xasprintf("%s:%d: %s is empty", cfg->path, e->line, k->key);
	return -1;
twice:
	*errstr = xasprintf("%s:%d: %s: already given by another key",
	    cfg->path, e->line, k->key);
	return -1;
}

/* Splits scheme://host[:port][/...] into the endpoint. */
static int
parse_url(struct endpoint *ep, const char *plain, const char *tls,
    int plain_port, int tls_port, const char *cfgpath, const char *key,
    int line, int tls_given, char **errstr)
{
	const char *p = ep->url, *host, *colon, *end;
	size_t slen;
	long port;

	if (strncmp(p, tls, strlen(tls)) == 0 &&
	    strncmp(p + strlen(tls), "://", 3) == 0) {
		slen = strlen(tls);
		if (!tls_given)
			ep->tls = TLS_IMPLICIT;
		ep->port = tls_port;
	} else if (strncmp(p, plain, strlen(plain)) == 0 &&
	    strncmp(p + strlen(plain), "://", 3) == 0) {
		slen = strlen(plain);
		if (!tls_given)
			ep->tls = TLS_STARTTLS;
		ep->port = plain_port;
	} else {
		*errstr = xasprintf("%s:%d: %s must start with %s:// or %s://",
		    cfgpath, line, key, plain, tls);
		return -1;
	}
	host = p + slen + 3;
	end = host + strcspn(host, "/");
	colon = memchr(host, ':', (size_t)(end - host));
	if (host[0] == '[') {	/* [v6]:port */
		const char *rb = memchr(host, ']', (size_t)(end - host));
		if (rb == NULL)
			goto bad;
		ep->host = xstrndup(host + 1, (size_t)(rb - host - 1));
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else
		ep->host = xstrndup(host, (size_t)((colon ? colon : end) - host));
	if (*ep->host == '\0')
		goto bad;
	if (colon != NULL) {
		char *e;
		port = strtol(colon + 1, &e, 10);
		if (e != end || port < 1 || port > 65535)
			goto bad;
		ep->port = (int)port;
	}
	return 0;
bad:
	*errstr = xasprintf("%s:%d: %s: cannot read host and port in '%s'",
	    cfgpath, line, key, ep->url);
	return -1;
}

static int
key_line(const struct kvfile *kv, const char *key)
{
	size_t i;

	for (i = 0; i < kv->n; i++)
		if (strcmp(kv->entries[i].key, key) == 0)
			return kv->entries[i].line;
	return 0;
}

/*
 * The holidays file (relative: in the templates folder, where the one for
 * Japan is shipped) into cfg->hours.
 */
static int
load_holidays(struct config *cfg, int line, char **errstr)
{
	char *path = cfg->holidays[0] == '/' ? xstrdup(cfg->holidays) :
	    xasprintf("%s/%s", cfg->templates, cfg->holidays);
	char *text, *err = NULL;
	size_t len;
	int rc = 0;

	if ((text = read_file(path, &len)) == NULL) {
		*errstr = xasprintf("%s:%d: holidays: cannot read %s: %s",
		    cfg->path, line, path, strerror(errno));
		rc = -1;
	} else if (workhours_holidays(text, len, &cfg->hours, &err) != 0) {
		*errstr = xasprintf("%s:%s", path, err);
		free(err);
		rc = -1;
	}
	free(text);
	free(path);
	return rc;
}

int
config_load(const char *path, struct config *out, char **errstr)
{
	struct config cfg;
	struct kvfile kv;
	char *text, *err = NULL;
	size_t len, i, j;
	unsigned char seen[nitems(keys)];

	memset(&cfg, 0, sizeof(cfg));
	memset(seen, 0, sizeof(seen));
	if ((text = read_file(path, &len)) == NULL) {
		*errstr = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (kvfile_parse(text, len, &kv, &err) != 0) {
		*errstr = xasprintf("%s:%s", path, err);
		free(err);
		free(text);
		return -1;
	}
	free(text);
	cfg.path = xstrdup(path);
	cfg.poll_interval = 60;
	cfg.use_idle = 1;
	cfg.max_message_size = 25 * 1024 * 1024;
	cfg.attachment_store_limit = 10 * 1024 * 1024;
	cfg.attach_limit = 5 * 1024 * 1024;
	cfg.sla_hours = 24;
	cfg.protection_days = 90;
	cfg.unknown_reply = 1;
	/* The guide's example: 1-3 a year 10 %, 4-10 15 %, 11+ 20 %. */
	if (tier_table_parse("3:10, 10:15, *:20", &cfg.tiers, &err) != 0)
		abort();	/* our own constant: a broken invariant */
	cfg.auto_reply_limit = 10;
	cfg.staff_alert_limit = 10;
	cfg.newsletter_day = 1;
	cfg.statement_day = 5;
	cfg.hours.days = 0x3e;			/* mon-fri */
	cfg.hours.open = 9 * 60;
	cfg.hours.close = 18 * 60;
	cfg.newsletter_hour = 9;
	cfg.newsletter_rate = 60;
	cfg.newsletter_max_failures = 10;
	cfg.newsletter_reminder_days = 3;
	cfg.digest_hour = 8;
	cfg.meeting_minutes = 60;
	cfg.client_survey_days = 30;
	cfg.survey_reminder_days = 14;
	cfg.review_days = 14;
	if (status_days_parse("CONTACTED:7 MEETING:14 PROPOSAL:30",
	    cfg.stall_days) != 0)
		abort();	/* our own constant: a broken invariant */

	for (i = 0; i < kv.n; i++) {
		const struct kv_entry *e = &kv.entries[i];

		if (*e->section != '\0') {
			*errstr = xasprintf("%s:%d: refbot.conf has no "
			    "sections ([%s])", path, e->line, e->section);
			goto fail;
		}
		for (j = 0; j < nitems(keys); j++)
			if (strcmp(keys[j].key, e->key) == 0)
				break;
		if (j == nitems(keys)) {
			*errstr = xasprintf("%s:%d: unknown key '%s'", path,
			    e->line, e->key);
			goto fail;
		}
		if (seen[j]) {
			*errstr = xasprintf("%s:%d: '%s' is set twice", path,
			    e->line, e->key);
			goto fail;
		}
		seen[j] = 1;
		if (set_key(&cfg, &keys[j], e, errstr) != 0)
			goto fail;
	}
	for (j = 0; j < nitems(keys); j++)
		if (keys[j].required && !seen[j]) {
			*errstr = xasprintf("%s:%d: required key '%s' is "
			    "missing", path, kv.n ? kv.entries[kv.n - 1].line :
			    1, keys[j].key);
			goto fail;
		}
	if (parse_url(&cfg.imap, "imap", "imaps", 143, 993, path, "imap_url",
	    key_line(&kv, "imap_url"), key_line(&kv, "imap_tls") != 0,
	    errstr) != 0)
		goto fail;
	if (parse_url(&cfg.smtp, "smtp", "smtps", 25, 465, path, "smtp_url",
	    key_line(&kv, "smtp_url"), key_line(&kv, "smtp_tls") != 0,
	    errstr) != 0)
		goto fail;
	if (cfg.imap.password == NULL) {
		*errstr = xasprintf("%s:%d: no IMAP password: set "
		    "imap_password_file or imap_password_env", path,
		    key_line(&kv, "imap_user"));
		goto fail;
	}
	if ((cfg.smtp.user == NULL) != (cfg.smtp.password == NULL)) {
		*errstr = xasprintf("%s:%d: smtp_user and a smtp password go "
		    "together", path, key_line(&kv, cfg.smtp.user ?
		    "smtp_user" : "smtp_password_file"));
		goto fail;
	}
	if (cfg.require_auth && cfg.authserv_id == NULL) {
		*errstr = xasprintf("%s:%d: require_auth_results needs "
		    "authserv_id (the receiving server's name in "
		    "Authentication-Results)", path,
		    key_line(&kv, "require_auth_results"));
		goto fail;
	}
	for (j = 1; j <= 3; j++)
		if (cfg.sla_tier[j] == 0)
			cfg.sla_tier[j] = cfg.sla_hours;
	if (cfg.database == NULL)
		cfg.database = xstrdup(LOCALSTATEDIR "/lib/refbot/refbot.db");
	if (cfg.templates == NULL)
		cfg.templates = xstrdup(PKGDATADIR "/templates");
	if (cfg.holidays != NULL && load_holidays(&cfg, key_line(&kv,
	    "holidays"), errstr) != 0)
		goto fail;
	if (cfg.currency == NULL)
		cfg.currency = xstrdup("JPY");
	if (cfg.language == NULL)
		cfg.language = xstrdup("en");
	if (cfg.imap_mailbox == NULL)
		cfg.imap_mailbox = xstrdup("INBOX");
	if (cfg.processed_folder == NULL)
		cfg.processed_folder = xstrdup("Processed");
	if (cfg.rejected_folder == NULL)
		cfg.rejected_folder = xstrdup("Rejected");
	if (cfg.envelope_from == NULL)
		cfg.envelope_from = xstrdup(cfg.intake_address);
	if (cfg.from_name == NULL)
		cfg.from_name = xstrdup("Referrals");
	/* Better the firm's domain than nothing in the partner kit. */
	if (cfg.firm_name == NULL)
		cfg.firm_name = xstrdup(strchr(cfg.intake_address, '@') + 1);
	kvfile_free(&kv);
	*out = cfg;
	return 0;
fail:
	kvfile_free(&kv);
	config_free(&cfg);
	return -1;
}

int
config_sla_hours(const struct config *cfg, int tier)
{
	return tier >= 1 && tier <= 3 ? cfg->sla_tier[tier] : cfg->sla_hours;
}

int
config_is_staff(const struct config *cfg, const char *addr)
{
	size_t i;

	for (i = 0; addr != NULL && i < cfg->nstaff; i++)
		if (strcmp(cfg->staff[i], addr) == 0)
			return 1;
	return 0;
}

static void
endpoint_free(struct endpoint *ep)
{
	free(ep->url);
	free(ep->host);
	free(ep->ca_file);
	free(ep->user);
	if (ep->password != NULL) {
		/* Do not leave the secret in freed memory. */
		volatile char *p = ep->password;
		while (*p)
			*p++ = 0;
		free(ep->password);
	}
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->database);
	free(cfg->templates);
	endpoint_free(&cfg->imap);
	free(cfg->imap_mailbox);
	free(cfg->processed_folder);
	free(cfg->rejected_folder);
	endpoint_free(&cfg->smtp);
	free(cfg->envelope_from);
	free(cfg->intake_address);
	free(cfg->from_name);
	free(cfg->firm_name);
	kv_list_free(cfg->staff, cfg->nstaff);
	free(cfg->message_id_domain);
	if (cfg->secret != NULL) {
		volatile char *p = cfg->secret;
		while (*p)
			*p++ = 0;
		free(cfg->secret);
	}
	free(cfg->currency);
	free(cfg->language);
	free(cfg->authserv_id);
	free(cfg->escalation_address);
	free(cfg->timezone);
	free(cfg->holidays);
	workhours_free(&cfg->hours);
	memset(cfg, 0, sizeof(*cfg));
}

const char *
config_source_templates(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX], *slash, *probe;
	ssize_t n;
	int found;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	probe = xasprintf("%s/config.status", exe);
	found = access(probe, F_OK) == 0;
	free(probe);
	if (!found || access(TOP_SRCDIR "/templates/referral.template",
	    R_OK) != 0 || realpath(TOP_SRCDIR "/templates", dir) == NULL)
		return NULL;
	return dir;
}
