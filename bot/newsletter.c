/* newsletter: profiles, issues, the calendar and unsubscribes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "db_newsletter.h"
#include "db_outbox.h"
#include "db_partners.h"
#include "db_pending.h"
#include "db_referrals.h"
#include "db_reports.h"
#include "htmlout.h"
#include "keyword.h"
#include "log.h"
#include "mailout.h"
#include "newsletter.h"
#include "notify.h"
#include "outbox.h"
#include "reply.h"
#include "sla.h"
#include "token.h"
#include "util.h"

/* ------------------------------------------------------------ calendar */

static int
month_parse(const char *s, int *y, int *m)
{
	int i;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = atoi(s);
	*m = atoi(s + 5);
	return *y >= 2000 && *m >= 1 && *m <= 12 ? 0 : -1;
}

int
newsletter_month_valid(const char *s)
{
	int y, m;

	return month_parse(s, &y, &m) == 0;
}

/* Local time of day/hour in month m of year y (m may be 0 or 13). */
static int64_t
local_time(int y, int m, int day, int hour)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

void
newsletter_month(int64_t t, char *out)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	snprintf(out, 8, "%04u-%02u", (unsigned)(tm.tm_year + 1900) % 10000,
	    (unsigned)(tm.tm_mon + 1) % 100);
}

int64_t
newsletter_due(struct refbot *rb, const char *month)
{
	int y, m;

	if (month_parse(month, &y, &m) != 0)
		return -1;
	return local_time(y, m, rb->cfg.newsletter_day,
	    rb->cfg.newsletter_hour);
}

static void
next_month(const char *month, char *out)
{
	int y = atoi(month), m = atoi(month + 5);

	if (++m > 12) {
		m = 1;
		y++;
	}
	snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000, (unsigned)m % 100);
}

/* "December 2026" / "2026年12月". */
static char *
month_name(const char *month, const char *lang)
{
	static const char *names[] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };
	int y, m;

	if (month_parse(month, &y, &m) != 0)
		return xstrdup(month);
	if (strcmp(lang, "ja") == 0)
		return xasprintf("%d年%d月", y, m);
	return xasprintf("%s %d", names[m - 1], y);
}

static void
format_date(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%d %H:%M %Z", &tm);
}

/* ------------------------------------------------------------- issues */

void
newsletter_issue_free(struct newsletter_issue *is)
{
	if (is == NULL)
		return;
	free(is->subject);
	free(is->text);
	free(is->html);
	memset(is, 0, sizeof(*is));
}

struct list_ctx {
	const struct kvfile *lines;	/* newsletter-lines.LANG.txt */
	const char *item;	/* key of the line for each referral */
	struct buf b;
};

static int
list_item(const struct referral *r, void *arg)
{
	struct list_ctx *lc = arg;
	char ref[24], *key, *status, *line, date[40];
	time_t t = (time_t)r->updated_at;
	struct tm tm;

	refbot_ref(r->id, ref, sizeof(ref));
	key = xasprintf("status.%s", r->status);
	status = refbot_line(lc->lines, key, NULL, 0);
	localtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	{
		const struct render_var vars[] = {
			{ "ref", ref },
			{ "client", r->client ? r->client : "?" },
			{ "status", status ? status : r->status },
			{ "date", date },
		};
		line = refbot_line(lc->lines, lc->item, vars, nitems(vars));
	}
	if (line != NULL)
		buf_addf(&lc->b, "\n  - %s", line);
	free(line);
	free(status);
	free(key);
	return 0;
}

/* A titled list of the partner's referrals (open, or won in a period). */
static char *
referral_list(struct refbot *rb, const struct kvfile *lines,
    int64_t partner_id, int open, int64_t from, int64_t to, int *err)
{
	struct list_ctx lc;
	char *title;

	memset(&lc, 0, sizeof(lc));
	lc.lines = lines;
	lc.item = open ? "open.item" : "wins.item";
	buf_init(&lc.b);
	if (db_partner_referrals(rb->db, partner_id, open, from, to, list_item,
	    &lc) != 0)
		*err = 1;
	if (lc.b.len == 0)
		return buf_steal(&lc.b);
	title = refbot_line(lines, open ? "open.title" : "wins.title", NULL,
	    0);
	{
		char *s = xasprintf("%s%s", title ? title : "", lc.b.data);
		free(title);
		buf_free(&lc.b);
		return s;
	}
}

/* Placeholders left empty leave blank runs: keep at most one blank line. */
static char *
squeeze_blank_lines(const char *s)
{
	struct buf b;
	int nl = 0;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			if (++nl > 2)
				continue;
		} else
			nl = 0;
		buf_addc(&b, *s);
	}
	return buf_steal(&b);
}

static char *
money(struct refbot *rb, int64_t v)
{
	return amount_format(v > 0 ? v : 0, rb->cfg.currency);
}

int
newsletter_compose(struct refbot *rb, const struct partner *p,
    const char *month, int64_t now, const char *draft,
    struct newsletter_issue *out, char **errstr)
{
	const char *lang = refbot_partner_lang(p, NULL);
	const char *other = strcmp(lang, "ja") == 0 ? "en" : "ja";
	struct partner_numbers nb;
	struct kvfile lines;
	char *profile = NULL, *open_list, *wins, *mname, *earned, *paid;
	char *balance, *subject = NULL, *body = NULL, *err = NULL;
	char year[8], sent[24], open[24], won[24];
	int y, m, r, dberr = 0;

	memset(out, 0, sizeof(*out));
	if (month_parse(month, &y, &m) != 0) {
		*errstr = xasprintf("'%s' is not a month (YYYY-MM)", month);
		return -1;
	}
	/*
	 * The draft being previewed; else their language, else the other:
	 * one profile may be all there is.
	 */
	if (draft != NULL) {
		profile = xstrdup(draft);
		r = 1;
	} else if ((r = db_newsletter_profile_get(rb->db, month, lang,
	    &profile)) == 0)
		r = db_newsletter_profile_get(rb->db, month, other, &profile);
	if (r <= 0) {
		if (r < 0)
			*errstr = xasprintf("database: %s", db_errmsg(rb->db));
		return r < 0 ? -1 : NEWSLETTER_NO_PROFILE;
	}
	if (db_partner_numbers(rb->db, p->id, local_time(y, 1, 1, 0), now,
	    &nb) != 0) {
		*errstr = xasprintf("database: %s", db_errmsg(rb->db));
		free(profile);
		return -1;
	}
	/* Read once: every line of the lists comes from it. */
	(void)refbot_mail_lines(rb, "newsletter-lines", lang, &lines);
	open_list = referral_list(rb, &lines, p->id, 1, 0, 0, &dberr);
	/* The firm's thanks for the wins of the month before the issue. */
	wins = referral_list(rb, &lines, p->id, 0, local_time(y, m - 1, 1, 0),
	    local_time(y, m, 1, 0), &dberr);
	mname = month_name(month, lang);
	earned = money(rb, nb.earned);
	paid = money(rb, nb.paid);
	balance = money(rb, nb.earned - nb.paid);
	snprintf(year, sizeof(year), "%d", y);
	snprintf(sent, sizeof(sent), "%lld", (long long)nb.sent_year);
	snprintf(open, sizeof(open), "%lld", (long long)nb.open);
	snprintf(won, sizeof(won), "%lld", (long long)nb.won_year);
	{
		const struct render_var vars[] = {
			{ "partner_name", p->name }, { "month", month },
			{ "month_name", mname }, { "profile", profile },
			{ "year", year }, { "sent_year", sent },
			{ "open", open }, { "won_year", won },
			{ "earned", earned }, { "paid", paid },
			{ "balance", balance }, { "open_list", open_list },
			{ "thanks", wins },
			{ "intake_address", rb->cfg.intake_address },
			{ "from_name", rb->cfg.from_name },
		};
		r = refbot_mail_text(rb, "newsletter", lang, vars,
		    nitems(vars), &subject, &body, &err);
	}
	if (dberr && r == 0) {
		err = xasprintf("database: %s", db_errmsg(rb->db));
		r = -1;
	}
	if (r == 0) {
		out->lang = lang;
		out->subject = subject;
		out->text = squeeze_blank_lines(body);
		out->html = htmlout(out->text, subject, lang);
		subject = NULL;
	} else
		*errstr = err;
	free(subject);
	free(body);
	free(profile);
	free(open_list);
	free(wins);
	free(mname);
	free(earned);
	free(paid);
	free(balance);
	kvfile_free(&lines);
	return r == 0 ? 0 : -1;
}

/* Queues p's issue; *id is its outbox row. */
static int
queue_issue(struct refbot *rb, const struct partner *p,
    const struct newsletter_issue *is, int64_t *id)
{
	struct mailout m;
	const char *key;
	size_t keylen;
	char *tag, *mid, *reply_to, *unsub, *uri, *list_id;
	int rc;

	key = notify_key(rb, &keylen);
	tag = token_tag(key, keylen, p->id, ROLE_NEWSLETTER);
	mid = mailout_message_id(tag, rb->cfg.message_id_domain);
	reply_to = token_address(key, keylen, rb->cfg.intake_address, p->id,
	    ROLE_NEWSLETTER);
	unsub = token_address(key, keylen, rb->cfg.intake_address, p->id,
	    ROLE_UNSUBSCRIBE);
	uri = xasprintf("mailto:%s?subject=unsubscribe", unsub);
	list_id = xasprintf("newsletter.%s", rb->cfg.message_id_domain);
	memset(&m, 0, sizeof(m));
	m.from_name = rb->cfg.from_name;
	m.from_addr = rb->cfg.intake_address;
	m.to_addr = p->email;
	m.reply_to = reply_to;
	m.subject = is->subject;
	m.body = is->text;
	m.html = is->html;
	m.message_id = mid;
	m.auto_submitted = "auto-generated";
	m.list_unsubscribe = uri;
	m.list_id = list_id;
	rc = outbox_queue(rb, 0, NEWSLETTER_KIND, &m, id);
	free(tag);
	free(mid);
	free(reply_to);
	free(unsub);
	free(uri);
	free(list_id);
	return rc;
}

struct ids {
	int64_t *v;
	size_t n;
};

int
newsletter_wanted(const struct partner *p)
{
	return p->active && p->newsletter && p->bounced == NULL;
}

static int
count_subscribed(const struct partner *p, void *arg)
{
	if (newsletter_wanted(p))
		(*(int *)arg)++;
	return 0;
}

int
newsletter_subscribers(struct refbot *rb)
{
	int n = 0;

	return db_partner_each(rb->db, count_subscribed, &n) != 0 ? -1 : n;
}

static int
collect_subscribed(const struct partner *p, void *arg)
{
	struct ids *ids = arg;

	if (newsletter_wanted(p)) {
		ids->v = xreallocarray(ids->v, ids->n + 1, sizeof(*ids->v));
		ids->v[ids->n++] = p->id;
	}
	return 0;
}

/* 1 when the month has a confirmed profile, 0 if not, -1. */
static int
has_profile(struct refbot *rb, const char *month)
{
	char *body = NULL;
	int r = db_newsletter_profile_get(rb->db, month, "en", &body);

	if (r == 0)
		r = db_newsletter_profile_get(rb->db, month, "ja", &body);
	free(body);
	return r;
}

static char *
state_key(const char *month, const char *what)
{
	return xasprintf("newsletter.%s.%s", month, what);
}

int
newsletter_queue(struct refbot *rb, const char *month, int64_t now,
    int *queued, char **errstr)
{
	struct ids ids = { NULL, 0 };
	struct newsletter_issue is;
	struct partner p;
	char idbuf[24], *key, stamp[24];
	size_t i;
	int r, rc = -1;

	*queued = 0;
	if (!newsletter_month_valid(month)) {
		*errstr = xasprintf("'%s' is not a month (YYYY-MM)", month);
		return -1;
	}
	if ((r = has_profile(rb, month)) <= 0) {
		if (r < 0)
			*errstr = xasprintf("database: %s", db_errmsg(rb->db));
		return r < 0 ? -1 : NEWSLETTER_NO_PROFILE;
	}
	if (db_partner_each(rb->db, collect_subscribed, &ids) != 0 ||
	    db_begin(rb->db) != 0) {
		*errstr = xasprintf("database: %s", db_errmsg(rb->db));
		free(ids.v);
		return -1;
	}
	for (i = 0; i < ids.n; i++) {
		int64_t outbox_id;

		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)ids.v[i]);
		if ((r = db_partner_find(rb->db, idbuf, &p)) <= 0) {
			if (r < 0)
				goto dberr;
			continue;
		}
		/* The claim and the outbox row commit together, or neither. */
		if ((r = db_newsletter_claim(rb->db, p.id, month)) != 1) {
			partner_free(&p);
			if (r < 0)
				goto dberr;
			continue;
		}
		if ((r = newsletter_compose(rb, &p, month, now, NULL, &is,
		    errstr)) != 0) {
			partner_free(&p);
			goto fail;
		}
		r = queue_issue(rb, &p, &is, &outbox_id);
		newsletter_issue_free(&is);
		partner_free(&p);
		if (r != 0 || db_newsletter_claimed(rb->db, ids.v[i], month,
		    outbox_id) != 0)
			goto dberr;
		(*queued)++;
	}
	key = state_key(month, "queued");
	snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
	r = db_setting_put(rb->db, key, stamp);
	free(key);
	if (r != 0 || db_commit(rb->db) != 0)
		goto dberr;
	log_info("newsletter %s: %d issues queued", month, *queued);
	free(ids.v);
	return 0;
dberr:
	*errstr = xasprintf("database: %s", db_errmsg(rb->db));
fail:
	db_rollback(rb->db);
	*queued = 0;
	free(ids.v);
	return rc;
}

/* --------------------------------------------------------- the daemon */

/* One reminder to staff when a month's issue is near and has no profile. */
static int
remind(struct refbot *rb, const char *month, int64_t now)
{
	int64_t due = newsletter_due(rb, month);
	char *key, *v = NULL, when[48];
	struct notify n;
	int r;

	if (now < due - (int64_t)rb->cfg.newsletter_reminder_days * 86400 ||
	    now >= due)
		return 0;
	key = state_key(month, "reminded");
	if ((r = db_setting_get(rb->db, key, &v)) != 0 ||
	    (r = has_profile(rb, month)) != 0) {
		free(v);
		free(key);
		return r < 0 ? -1 : 0;
	}
	format_date(due, when, sizeof(when));
	{
		const struct render_var vars[] = {
			{ "month", month }, { "send_date", when },
			{ "intake_address", rb->cfg.intake_address },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-newsletter-reminder";
		n.vars = vars;
		n.nvars = nitems(vars);
		/* A reply to it is the profile: signed for the month. */
		n.role = ROLE_PROFILE;
		n.token_id = atoi(month) * 100 + atoi(month + 5);
		r = db_begin(rb->db);
		if (r == 0)
			r = notify_staff(rb, &n);
		if (r == 0)
			r = db_setting_put(rb->db, key, "1");
		if (r == 0)
			r = db_commit(rb->db);
		else
			db_rollback(rb->db);
	}
	if (r == 0)
		log_info("newsletter %s: no profile yet, staff reminded",
		    month);
	free(key);
	return r;
}

int
newsletter_schedule(struct refbot *rb, int64_t now)
{
	char month[8], next[8], *key, *done = NULL, *err = NULL;
	int r, queued;

	newsletter_month(now, month);
	if (now < newsletter_due(rb, month))
		return remind(rb, month, now) < 0 ? -1 : 0;
	/* This month's is due: it was queued, or found with no profile. */
	key = state_key(month, "queued");
	r = db_setting_get(rb->db, key, &done);
	free(key);
	free(done);
	done = NULL;
	if (r == 0) {
		key = state_key(month, "skipped");
		r = db_setting_get(rb->db, key, &done);
		free(done);
		if (r == 0) {
			r = newsletter_queue(rb, month, now, &queued, &err);
			if (r == NEWSLETTER_NO_PROFILE) {
				log_info("newsletter %s: no profile was "
				    "written; nothing sent this month", month);
				r = db_setting_put(rb->db, key, "1");
			} else if (r < 0) {
				log_warnx("newsletter %s: %s", month, err);
				free(err);
			}
		}
		free(key);
		if (r < 0)
			return -1;
	}
	next_month(month, next);
	return remind(rb, next, now) < 0 ? -1 : 0;
}

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
newsletter_may_send(struct refbot *rb)
{
	/* Up to a second ahead: the daemon wakes once a second. */
	return rb->bulk_next <= mono_now() + 1.0;
}

void
newsletter_result(struct refbot *rb, const struct outmail *om, int ok,
    const char *err)
{
	double t = mono_now();
	char month[8], failures[16];
	struct notify n;
	int held, r;

	if (rb->bulk_next < t - 1.0)
		rb->bulk_next = t;
	rb->bulk_next += 60.0 / rb->cfg.newsletter_rate;
	if (ok) {
		rb->bulk_failures = 0;
		return;
	}
	if (++rb->bulk_failures < rb->cfg.newsletter_max_failures)
		return;
	/* The server refuses them all: stop rather than burn the list. */
	snprintf(failures, sizeof(failures), "%d", rb->bulk_failures);
	rb->bulk_failures = 0;
	newsletter_month(clock_now(), month);
	if (db_begin(rb->db) != 0)
		goto fail;
	if ((held = db_outbox_hold(rb->db, NEWSLETTER_KIND, 0)) < 0)
		goto rollback;
	{
		char left[16];
		const struct render_var vars[] = {
			{ "month", month }, { "failures", failures },
			{ "error", err ? err : "?" }, { "left", left },
		};
		snprintf(left, sizeof(left), "%d", held);
		memset(&n, 0, sizeof(n));
		n.name = "staff-newsletter-halted";
		n.vars = vars;
		n.nvars = nitems(vars);
		r = notify_staff(rb, &n);
	}
	if (r != 0)
		goto rollback;
	if (db_commit(rb->db) != 0)
		goto fail;
	log_warnx("newsletter: %s deliveries failed in a row (last outbox "
	    "%lld); %d issues held, staff told", failures, (long long)om->id,
	    held);
	return;
rollback:
	db_rollback(rb->db);
fail:
	log_warnx("newsletter: cannot hold the send: %s", db_errmsg(rb->db));
}

/* ------------------------------------------------------------ inbound */

static void
outcome(struct reply_outcome *out, const char *disposition, char *detail)
{
	out->disposition = disposition;
	out->detail = detail;
}

/*
 * Loads partner id: 1, or 0 with *out saying the mail was about a partner
 * who no longer exists, or -1.
 */
static int
partner_or_gone(struct refbot *rb, int64_t id, struct partner *p,
    const char *disposition, struct reply_outcome *out)
{
	char idbuf[24];
	int r;

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	if ((r = db_partner_find(rb->db, idbuf, p)) == 0)
		outcome(out, disposition, xasprintf("%s for partner %lld, who "
		    "no longer exists", disposition, (long long)id));
	return r;
}

int
newsletter_unsubscribe(struct refbot *rb, int64_t row,
    const struct analysis *a, int64_t partner_id, const char *how,
    struct reply_outcome *out)
{
	struct partner p;
	struct notify n;
	int r;

	if ((r = partner_or_gone(rb, partner_id, &p, "unsubscribe", out)) <= 0)
		return r < 0 ? -1 : 1;
	if (!p.newsletter) {
		outcome(out, "unsubscribe", xasprintf("partner %lld was "
		    "already unsubscribed (%s)", (long long)p.id, how));
		partner_free(&p);
		return 1;
	}
	p.newsletter = 0;
	if (db_partner_update(rb->db, &p) != 0) {
		partner_free(&p);
		return -1;
	}
	log_info("message %lld: partner %lld unsubscribed from the newsletter "
	    "(%s)", (long long)row, (long long)p.id, how);
	{
		const struct render_var vars[] = {
			{ "partner_name", p.name },
			{ "partner_email", p.email },
			{ "from_name", rb->cfg.from_name },
		};
		memset(&n, 0, sizeof(n));
		n.name = "newsletter-unsubscribed";
		n.lang = refbot_partner_lang(&p, NULL);
		n.rcpt = p.email;
		n.vars = vars;
		n.nvars = nitems(vars);
		/* A reply ("it was a mistake") reaches staff. */
		n.role = ROLE_NEWSLETTER;
		n.token_id = p.id;
		n.in_reply_to = a->msg.message_id;
		n.auto_reply = 1;
		r = notify_queue(rb, &n, NULL);
	}
	outcome(out, "unsubscribe", xasprintf("partner %lld unsubscribed from "
	    "the newsletter (%s)", (long long)p.id, how));
	partner_free(&p);
	return r < 0 ? -1 : 1;
}

/* A partner's other reply to an issue: passed on to staff. */
static int
forward(struct refbot *rb, int64_t row, const struct analysis *a,
    int64_t partner_id, const char *text, struct reply_outcome *out)
{
	struct partner p;
	struct notify n;
	int r;

	if ((r = partner_or_gone(rb, partner_id, &p, "newsletter-reply",
	    out)) <= 0)
		return r < 0 ? -1 : 1;
	{
		const struct render_var vars[] = {
			{ "partner_name", p.name },
			{ "partner_email", p.email },
			{ "sender", a->msg.from_addr ? a->msg.from_addr : "?" },
			{ "subject", a->msg.subject ? a->msg.subject : "" },
			{ "text", *text ? text : a->msg.text },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-newsletter-reply";
		n.vars = vars;
		n.nvars = nitems(vars);
		r = notify_staff(rb, &n);
	}
	log_info("message %lld: reply to partner %lld's newsletter passed to "
	    "staff", (long long)row, (long long)p.id);
	outcome(out, "newsletter-reply", xasprintf("reply to partner %lld's "
	    "newsletter forwarded to staff", (long long)p.id));
	partner_free(&p);
	return r < 0 ? -1 : 1;
}

/* Non-zero when the first line of text, or the subject, is UNSUBSCRIBE. */
static int
asks_unsubscribe(struct refbot *rb, const char *text, const char *subject)
{
	struct keyword_cmd cmd;
	int yes;

	yes = keyword_parse(rb->keywords, text, rb->cfg.currency, &cmd) == 0 &&
	    cmd.kw == KW_UNSUBSCRIBE;
	keyword_cmd_free(&cmd);
	if (!yes && subject != NULL) {
		yes = keyword_parse(rb->keywords, subject, rb->cfg.currency,
		    &cmd) == 0 && cmd.kw == KW_UNSUBSCRIBE;
		keyword_cmd_free(&cmd);
	}
	return yes;
}

/* "Re: Fwd: HOT-OPPORTUNITY ..." without the reply and forward marks. */
static const char *
strip_subject(const char *s)
{
	static const char *marks[] = { "re:", "fwd:", "fw:", "aw:", "sv:",
	    "返信:", "転送:", "Re：", "RE：" };
	size_t i, n;
	int again = 1;

	while (s != NULL && again) {
		again = 0;
		while (*s == ' ')
			s++;
		for (i = 0; i < nitems(marks); i++) {
			n = strlen(marks[i]);
			if (ascii_strncasecmp(s, marks[i], n) == 0) {
				s += n;
				again = 1;
			}
		}
	}
	return s;
}

/* "2026-12", "2026/12", "2026-12-01", "2026年12月": the month, or -1. */
static int
read_month(const char *s, char *out)
{
	int y, m;

	if (s == NULL)
		return -1;
	while (*s == ' ')
		s++;
	if (sscanf(s, "%4d-%2d", &y, &m) != 2 &&
	    sscanf(s, "%4d/%2d", &y, &m) != 2 &&
	    sscanf(s, "%4d年%2d月", &y, &m) != 2)
		return -1;
	if (y < 2000 || y > 9999 || m < 1 || m > 12)
		return -1;
	snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000, (unsigned)m % 100);
	return 0;
}

void
newsletter_coming_month(struct refbot *rb, int64_t now, char *out)
{
	char month[8];

	newsletter_month(now, month);
	if (now < newsletter_due(rb, month))
		memcpy(out, month, 8);
	else
		next_month(month, out);
}

/*
 * Tells a staff member that their mail about the month's profile changed
 * nothing, and why; role and token_id sign the reply address (the draft
 * still waiting, or the month's reminder).
 */
static int
profile_unchanged(struct refbot *rb, const struct analysis *a,
    const char *month, const char *why, int role, int64_t token_id)
{
	struct notify n;
	const struct render_var vars[] = {
		{ "month", month }, { "reason", why },
		{ "intake_address", rb->cfg.intake_address },
		{ "marker", REPLY_MARKER },
	};

	memset(&n, 0, sizeof(n));
	n.name = "staff-newsletter-unconfirmed";
	n.rcpt = a->msg.from_addr;
	n.vars = vars;
	n.nvars = nitems(vars);
	n.role = role;
	n.token_id = token_id;
	n.in_reply_to = a->msg.message_id;
	n.auto_reply = 1;
	return notify_queue(rb, &n, NULL) < 0 ? -1 : 0;
}

/* The month's reminder and profile tokens carry the month as YYYYMM. */
static int64_t
month_token(const char *month)
{
	return atoi(month) * 100 + atoi(month + 5);
}

/*
 * Stores a profile staff wrote and answers the author with what partners
 * will get.  Signed (a reply to our reminder): it is the month's profile.
 * Otherwise it is a draft of its own, and the preview's signed reply
 * address names that draft: only a reply to it confirms it.
 */
static int
take_profile(struct refbot *rb, int64_t row, const struct analysis *a,
    const char *month, const char *text, int confirmed,
    struct reply_outcome *out)
{
	static const char *sample_name[] = { "Example Partner Ltd",
	    "サンプル株式会社" };
	const char *lang = detect_lang(text);
	struct newsletter_issue is;
	struct partner sample;
	struct notify n;
	char when[48], partners[16], state[48], *err = NULL, *preview;
	int64_t draft = 0;
	int r, count;

	if ((confirmed ? db_newsletter_profile_put(rb->db, month, lang, text,
	    a->msg.from_addr) : db_newsletter_draft_add(rb->db, month, lang,
	    text, a->msg.from_addr, row, &draft)) != 0 ||
	    (count = newsletter_subscribers(rb)) < 0)
		return -1;
	memset(&sample, 0, sizeof(sample));
	sample.name = (char *)sample_name[strcmp(lang, "ja") == 0];
	sample.lang = (char *)lang;
	if ((r = newsletter_compose(rb, &sample, month, clock_now(), text, &is,
	    &err)) != 0) {
		log_warnx("newsletter %s: no preview: %s", month, err ? err :
		    "no profile");
		preview = xstrdup("(no preview: see the log)");
		free(err);
	} else
		preview = xasprintf("Subject: %s\n\n%s", is.subject, is.text);
	format_date(newsletter_due(rb, month), when, sizeof(when));
	snprintf(partners, sizeof(partners), "%d", count);
	if (confirmed)
		snprintf(state, sizeof(state), "confirmed");
	else
		snprintf(state, sizeof(state), "draft %lld: reply OK to confirm",
		    (long long)draft);
	{
		const struct render_var vars[] = {
			{ "month", month },
			{ "lang", lang },
			{ "state", state },
			{ "confirm", confirmed ? "It is confirmed and will be "
			    "sent as it is." : "It is a draft. Reply to this "
			    "mail with OK to confirm exactly this draft, or "
			    "with a corrected profile for a new draft and a "
			    "new preview. Only a confirmed profile is sent; "
			    "until then the month's confirmed profile, if "
			    "any, stays as it is." },
			{ "send_date", when }, { "partners", partners },
			{ "preview", preview }, { "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-newsletter-profile";
		n.rcpt = a->msg.from_addr;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.role = confirmed ? ROLE_PROFILE : ROLE_DRAFT;
		n.token_id = confirmed ? month_token(month) : draft;
		n.in_reply_to = a->msg.message_id;
		/* An answer to the author: it counts toward their cap. */
		n.auto_reply = 1;
		r = notify_queue(rb, &n, NULL);
	}
	newsletter_issue_free(&is);
	free(preview);
	if (confirmed) {
		log_info("message %lld: newsletter profile for %s (%s) "
		    "confirmed", (long long)row, month, lang);
		outcome(out, "newsletter-profile", xasprintf("profile for %s "
		    "(%s) confirmed", month, lang));
	} else {
		log_info("message %lld: newsletter %s (%s): draft %lld "
		    "stored, preview sent to its author", (long long)row,
		    month, lang, (long long)draft);
		outcome(out, "newsletter-draft", xasprintf("draft %lld for %s "
		    "(%s) stored; preview sent to its author", (long long)draft,
		    month, lang));
	}
	return r < 0 ? -1 : 1;
}

/* A staff reply that only says yes (an empty one does not). */
static int
just_ok(const char *text)
{
	static const char *words[] = { "ok", "okay", "yes", "confirm",
	    "confirmed", "承認", "はい", "了解", "ＯＫ" };
	char *t = xstrdup(text), *p;
	size_t i;
	int yes = 0;

	for (p = t; *p != '\0'; p++)
		if (*p == '.' || *p == '!' || *p == '\n')
			*p = ' ';
	strtrim(t);
	for (i = 0; i < nitems(words) && !yes; i++)
		yes = ascii_strcasecmp(t, words[i]) == 0;
	free(t);
	return yes;
}

/*
 * A reply through the signed address of draft id's preview: OK confirms
 * exactly that draft, new text makes a new draft, nothing is nothing.
 */
static int
draft_reply(struct refbot *rb, int64_t row, const struct analysis *a,
    int64_t id, const char *text, struct reply_outcome *out)
{
	struct newsletter_draft d;
	char *why;
	int r;

	if ((r = db_newsletter_draft_get(rb->db, id, &d)) <= 0) {
		if (r == 0)
			outcome(out, "newsletter-draft", xasprintf("reply "
			    "about draft %lld, which does not exist",
			    (long long)id));
		return r < 0 ? -1 : 1;
	}
	if (ascii_strcasecmp(d.author, a->msg.from_addr) != 0) {
		outcome(out, "newsletter-draft", xasprintf("reply about draft "
		    "%lld from someone other than its author: ignored",
		    (long long)id));
		log_info("message %lld: reply about newsletter draft %lld "
		    "not from its author, ignored", (long long)row,
		    (long long)id);
		newsletter_draft_free(&d);
		return 1;
	}
	if (*text == '\0') {
		why = xasprintf("Your reply about draft %lld (%s) was empty "
		    "(or only quoted text and a signature). That is not a "
		    "confirmation: the draft is still waiting. Reply OK to "
		    "confirm it.", (long long)id, d.lang);
		r = profile_unchanged(rb, a, d.month, why, ROLE_DRAFT, id);
		free(why);
		outcome(out, "newsletter-draft", xasprintf("empty reply about "
		    "draft %lld: not a confirmation, author told",
		    (long long)id));
	} else if (just_ok(text)) {
		if ((r = db_newsletter_draft_confirm(rb->db, &d)) < 0) {
			newsletter_draft_free(&d);
			return -1;
		}
		if (r > 0)
			log_info("message %lld: newsletter %s (%s): draft %lld "
			    "confirmed", (long long)row, d.month, d.lang,
			    (long long)id);
		outcome(out, "newsletter-profile", r > 0 ? xasprintf("draft "
		    "%lld confirmed: the profile for %s (%s)", (long long)id,
		    d.month, d.lang) : xasprintf("draft %lld was already "
		    "confirmed", (long long)id));
	} else
		r = take_profile(rb, row, a, d.month, text, 0, out);
	newsletter_draft_free(&d);
	return r < 0 ? -1 : 1;
}

/*
 * Staff mail about a month's profile: role is ROLE_DRAFT or ROLE_PROFILE
 * with the signed id, or 0 for a new mail with the subject keyword.
 */
static int
staff_profile(struct refbot *rb, int64_t row, const struct analysis *a,
    int role, int64_t id, const char *subject_month,
    struct reply_outcome *out)
{
	struct reply_text rt;
	char month[8];
	int r;

	if (rb->cfg.require_auth && !replies_auth_ok(rb, &a->msg)) {
		outcome(out, "staff-unverified", xstrdup("newsletter profile "
		    "without DKIM or SPF pass from the trusted server"));
		log_info("message %lld: unverified newsletter profile ignored",
		    (long long)row);
		return 1;
	}
	reply_extract(a->msg.text, REPLY_MARKER, &rt);
	if (role == ROLE_DRAFT) {
		r = draft_reply(rb, row, a, id, rt.visible, out);
		reply_text_free(&rt);
		return r;
	}
	if (role == ROLE_PROFILE)
		snprintf(month, sizeof(month), "%04u-%02u",
		    (unsigned)(id / 100 % 10000), (unsigned)(id % 100));
	else if (subject_month != NULL)
		memcpy(month, subject_month, 8);
	else
		newsletter_coming_month(rb, clock_now(), month);
	if (*rt.visible == '\0' || (role == ROLE_PROFILE &&
	    just_ok(rt.visible))) {
		/* Nothing, or "OK" to a mail that had no draft in it. */
		r = profile_unchanged(rb, a, month, *rt.visible == '\0' ?
		    "Your mail had no profile in it (it was empty, or only "
		    "quoted text and a signature). Nothing was stored or "
		    "confirmed." : "\"OK\" is not a profile, and this mail "
		    "had no draft to confirm. Nothing was stored or "
		    "confirmed.", role ? ROLE_PROFILE : 0,
		    role ? month_token(month) : 0);
		outcome(out, "newsletter-profile", xasprintf("%s for %s: "
		    "nothing stored, author told", *rt.visible == '\0' ?
		    "empty profile mail" : "OK with no draft", month));
		reply_text_free(&rt);
		return r < 0 ? -1 : 1;
	}
	/*
	 * A reply to our signed reminder proves the author read it; a new
	 * mail with the subject keyword is kept as a draft until confirmed.
	 */
	r = take_profile(rb, row, a, month, rt.visible, role == ROLE_PROFILE,
	    out);
	reply_text_free(&rt);
	return r;
}

/*
 * UNSUBSCRIBE in new mail to the intake proves only a From address: the
 * partner is asked first, by mail with a signed reply address that
 * names this request; a reply to it unsubscribes (intake.c).
 */
static int
unsubscribe_unsigned(struct refbot *rb, int64_t row, const struct analysis *a,
    const struct partner *p, struct reply_outcome *out)
{
	struct notify n;
	int64_t id;
	int r;

	if (!p->newsletter) {
		outcome(out, "unsubscribe-unsigned", xasprintf("unsigned "
		    "unsubscribe for partner %lld, who already is",
		    (long long)p->id));
		return 1;
	}
	if (db_pending_add(rb->db, "unsubscribe", p->id, 0, row, NULL,
	    &id) != 0)
		return -1;
	{
		const struct render_var vars[] = {
			{ "partner_name", p->name },
			{ "partner_email", p->email },
			{ "from_name", rb->cfg.from_name },
		};
		memset(&n, 0, sizeof(n));
		n.name = "confirm-unsubscribe";
		n.lang = refbot_partner_lang(p, a->lang);
		n.rcpt = a->msg.from_addr;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.role = ROLE_CONFIRM;
		n.token_id = id;
		n.in_reply_to = a->msg.message_id;
		n.auto_reply = 1;
		r = notify_queue(rb, &n, NULL);
	}
	log_info("message %lld: unsigned unsubscribe for partner %lld: "
	    "request %lld waits for the partner's confirmation",
	    (long long)row, (long long)p->id, (long long)id);
	outcome(out, "unsubscribe-unsigned", xasprintf("unsubscribe for "
	    "partner %lld without a signed address: request %lld %s",
	    (long long)p->id, (long long)id, r == NOTIFY_WITHHELD ?
	    "stored; confirmation withheld (reply cap)" :
	    "waits for the partner's reply to a signed confirmation"));
	return r < 0 ? -1 : 1;
}

int
newsletter_inbound(struct refbot *rb, int64_t row, const struct analysis *a,
    struct reply_outcome *out)
{
	static const char roles[] = { ROLE_NEWSLETTER, ROLE_UNSUBSCRIBE,
	    ROLE_PROFILE, ROLE_DRAFT, 0 };
	struct keyword_cmd cmd;
	struct reply_text rt;
	struct partner p;
	int64_t id;
	int role, r, staff = config_is_staff(&rb->cfg, a->msg.from_addr);
	char month[8];

	if (replies_token_for(rb, a, roles, &id, &role)) {
		switch (role) {
		case ROLE_UNSUBSCRIBE:
			/* Whatever it says: that is what the address means. */
			return newsletter_unsubscribe(rb, row, a, id,
			    "List-Unsubscribe address", out);
		case ROLE_PROFILE:
		case ROLE_DRAFT:
			if (!staff) {
				outcome(out, "newsletter-profile",
				    xstrdup("profile reply from a non-staff "
				    "address ignored"));
				return 1;
			}
			return staff_profile(rb, row, a, role, id, NULL, out);
		default:
			reply_extract(a->msg.text, REPLY_MARKER, &rt);
			if (asks_unsubscribe(rb, rt.visible, strip_subject(
			    a->msg.subject)))
				r = newsletter_unsubscribe(rb, row, a, id,
				    "reply", out);
			else
				r = forward(rb, row, a, id, rt.visible, out);
			reply_text_free(&rt);
			return r;
		}
	}
	if (a->kind != KIND_SUBMISSION)
		return 0;
	if (staff) {
		if (keyword_parse(rb->keywords, strip_subject(a->msg.subject),
		    rb->cfg.currency, &cmd) != 0 ||
		    cmd.kw != KW_HOT_OPPORTUNITY) {
			keyword_cmd_free(&cmd);
			return 0;
		}
		r = read_month(cmd.arg, month);
		keyword_cmd_free(&cmd);
		return staff_profile(rb, row, a, 0, 0, r == 0 ? month : NULL,
		    out);
	}
	/*
	 * UNSUBSCRIBE / 配信停止 sent to the intake by a partner; never a
	 * mail with form fields in it, which is a referral first.
	 */
	if (a->form.nvalues > 0)
		return 0;
	reply_extract(a->msg.text, REPLY_MARKER, &rt);
	r = asks_unsubscribe(rb, rt.visible, strip_subject(a->msg.subject));
	reply_text_free(&rt);
	if (!r)
		return 0;
	if ((r = db_partner_by_sender(rb->db, a->msg.from_addr, &p)) <= 0)
		return r;
	r = unsubscribe_unsigned(rb, row, a, &p, out);
	partner_free(&p);
	return r;
}
