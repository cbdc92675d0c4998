/* newsletter: the calendar, composing and queueing issues, halts. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "db_contacts.h"
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
	return clock_at(y, m, rb->cfg.newsletter_day,
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

void
newsletter_format_date(int64_t t, char *out, size_t size)
{
	clock_text(t, 0, out, size);
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
	if (db_partner_numbers(rb->db, p->id, clock_at(y, 1, 1, 0), now,
	    &nb) != 0) {
		*errstr = xasprintf("database: %s", db_errmsg(rb->db));
		free(profile);
		return -1;
	}
	/* Read once: every line of the lists comes from it. */
	(void)refbot_mail_lines(rb, "newsletter-lines", lang, &lines);
	open_list = referral_list(rb, &lines, p->id, 1, 0, 0, &dberr);
	/* The firm's thanks for the wins of the month before the issue. */
	wins = referral_list(rb, &lines, p->id, 0, clock_at(y, m - 1, 1, 0),
	    clock_at(y, m, 1, 0), &dberr);
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

/*
 * Queues p's issue to rcpt, whose List-Unsubscribe address is signed for
 * (unsub_id, unsub_role); *id is its outbox row.
 */
static int
queue_issue(struct refbot *rb, const struct partner *p, const char *rcpt,
    int64_t unsub_id, int unsub_role, const struct newsletter_issue *is,
    int64_t *id)
{
	struct mailout m;
	const char *key;
	size_t keylen;
	char *tag, *mid, *reply_to, *unsub, *uri, *list_id;
	int rc;

	key = notify_key(rb, &keylen);
	notify_token(rb, p->id, ROLE_NEWSLETTER, NEWSLETTER_KIND, &tag,
	    &reply_to);
	mid = mailout_message_id(tag, rb->cfg.message_id_domain);
	/* RFC 2369 wants an address here: it stays a plus address. */
	unsub = token_address(key, keylen, rb->cfg.intake_address, unsub_id,
	    unsub_role);
	uri = xasprintf("mailto:%s?subject=unsubscribe", unsub);
	list_id = xasprintf("newsletter.%s", rb->cfg.message_id_domain);
	memset(&m, 0, sizeof(m));
	m.from_name = rb->cfg.from_name;
	m.from_addr = rb->cfg.intake_address;
	m.to_addr = rcpt;
	m.reply_to = reply_to;
	m.subject = is->subject;
	m.body = is->text;
	m.html = is->html;
	m.message_id = mid;
	m.auto_submitted = "auto-generated";
	m.list_unsubscribe = uri;
	m.list_id = list_id;
	m.iso2022jp = refbot_iso2022jp(rb, is->lang);
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

static int
collect_readers(const struct contact *c, void *arg)
{
	struct ids *ids = arg;

	if (c->newsletter && strcmp(c->role, "main") != 0 &&
	    c->bounced_at == 0) {
		ids->v = xreallocarray(ids->v, ids->n + 1, sizeof(*ids->v));
		ids->v[ids->n++] = c->id;
	}
	return 0;
}

/*
 * A copy of p's issue to each other contact who asked for it, in their
 * language, each with their own unsubscribe address (in the caller's
 * transaction, with the main contact's): 0, -1 database, 1 a text
 * failed (*errstr).
 */
static int
queue_contacts(struct refbot *rb, const struct partner *p,
    const char *month, int64_t now, char **errstr)
{
	struct ids ids = { NULL, 0 };
	struct newsletter_issue is;
	struct contact c;
	struct partner q;
	int64_t outbox_id;
	size_t i;
	int r = 0;

	if (db_contact_each(rb->db, p->id, collect_readers, &ids) != 0)
		r = -1;
	for (i = 0; r == 0 && i < ids.n; i++) {
		if ((r = db_contact_by_id(rb->db, ids.v[i], &c)) <= 0)
			break;
		q = *p;
		if (c.lang != NULL)
			q.lang = c.lang;	/* the contact's own language */
		if (newsletter_compose(rb, &q, month, now, NULL, &is,
		    errstr) != 0)
			r = 1;
		else {
			r = queue_issue(rb, p, c.email, c.id,
			    ROLE_UNSUB_CONTACT, &is, &outbox_id) != 0 ? -1 : 0;
			newsletter_issue_free(&is);
		}
		contact_free(&c);
	}
	free(ids.v);
	return r;
}

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
		r = queue_issue(rb, &p, p.email, p.id, ROLE_UNSUBSCRIBE, &is,
		    &outbox_id);
		newsletter_issue_free(&is);
		if (r == 0)
			r = queue_contacts(rb, &p, month, now, errstr);
		partner_free(&p);
		if (r > 0)
			goto fail;
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
	newsletter_format_date(due, when, sizeof(when));
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

int
newsletter_halted(struct refbot *rb, struct outbox_limits *lim)
{
	struct outbox_pace *p = outbox_pace(lim, NEWSLETTER_KIND);
	char month[8], failures[16], left[16];
	struct notify n;
	int held, r;

	if (p == NULL || !p->halted)
		return 0;
	snprintf(failures, sizeof(failures), "%d", p->failures);
	newsletter_month(clock_now(), month);
	if (db_begin(rb->db) != 0)
		goto fail;
	if ((held = outbox_hold(rb, NEWSLETTER_KIND)) < 0)
		goto rollback;
	{
		const struct render_var vars[] = {
			{ "month", month }, { "failures", failures },
			{ "error", p->last_error ? p->last_error : "?" },
			{ "left", left },
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
	outbox_halt_done(p, held);
	log_warnx("newsletter: %s deliveries failed in a row (last outbox "
	    "%lld); %d issues held, staff told", failures,
	    (long long)p->last_id, held);
	return 1;
rollback:
	db_rollback(rb->db);
fail:
	log_warnx("newsletter: cannot hold the send: %s", db_errmsg(rb->db));
	return -1;
}
