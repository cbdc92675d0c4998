/* notify: building and queueing outbound mail. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "contacts.h"
#include "db_alerts.h"
#include "db_outbox.h"
#include "db_referrals.h"
#include "history_words.h"
#include "log.h"
#include "mailout.h"
#include "notify.h"
#include "outbox.h"
#include "staff.h"
#include "status.h"
#include "token.h"
#include "util.h"

const char *
notify_key(struct refbot *rb, size_t *len)
{
	*len = strlen(rb->secret);
	return rb->secret;
}

const char *
notify_keyword_sheet(struct refbot *rb, const char *status, const char *lang)
{
	struct buf b;
	enum kw kw;
	size_t i;
	char *key = xasprintf("sheet %s %s", status, lang ? lang : "");
	const char *memo = refbot_memo(rb, key);

	if (memo != NULL) {
		free(key);
		return memo;
	}
	buf_init(&b);
	for (i = 0; (kw = status_allowed_kw(status, i)) != KW_NONE; i++) {
		const char *help = keyword_arg_help(kw);
		char *word = xstrndup(help, strcspn(help, " "));
		char *what = refbot_mail_line(rb, "keyword-lines", lang, word,
		    NULL, 0);

		buf_addf(&b, "%s  %-20s %s", i ? "\n" : "", help,
		    what != NULL ? what : "");
		free(what);
		free(word);
	}
	memo = refbot_memo_put(rb, key, buf_steal(&b));
	free(key);
	return memo;
}

void
notify_token(struct refbot *rb, int64_t id, int role, const char *plain,
    char **tag, char **reply_to)
{
	enum reply_token where = rb->cfg.reply_token;
	size_t keylen;
	const char *key = notify_key(rb, &keylen);

	*tag = where == REPLY_TOKEN_ADDRESS ? xstrdup(plain) :
	    token_tag(key, keylen, id, role);
	/* One HMAC a mail where both carry it. */
	*reply_to = where == REPLY_TOKEN_MESSAGE_ID ? NULL :
	    where == REPLY_TOKEN_BOTH ? token_address_of(rb->cfg.intake_address,
	    *tag) : token_address(key, keylen, rb->cfg.intake_address, id,
	    role);
}

/*
 * What one mail's readers of one language share: its texts, its signed
 * reply address and its content (mailout.h).  notify_staff makes it
 * once for the staff it tells (issue 21); each reader's copy only gets
 * a header of its own.
 */
struct shared {
	const char *lang;		/* as n->lang: NULL is "en" */
	char *subject, *body, *tag, *reply_to;
	struct mailout_content content;
};

static void
shared_free(struct shared *s)
{
	free(s->subject);
	free(s->body);
	free(s->tag);
	free(s->reply_to);
	mailout_content_free(&s->content);
	memset(s, 0, sizeof(*s));
}

static int
same_lang(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "en", b != NULL ? b : "en") == 0;
}

/* n's mail for n->rcpt, without the content (mailout_join adds it). */
static void
mail_of(struct refbot *rb, const struct notify *n, const struct shared *s,
    struct mailout *m)
{
	memset(m, 0, sizeof(*m));
	m->from_name = rb->cfg.from_name;
	m->from_addr = rb->cfg.intake_address;
	m->to_addr = n->rcpt;
	m->cc_addr = n->cc;
	m->reply_to = s->reply_to ? s->reply_to : n->reply_to;
	m->subject = s->subject;
	m->body = s->body;
	m->in_reply_to = n->in_reply_to;
	m->references = n->references;
	m->auto_submitted = n->auto_reply ? "auto-replied" : "auto-generated";
	m->iso2022jp = refbot_iso2022jp(rb, n->lang);
	m->calendar = n->calendar;
	m->calendar_method = n->calendar_method;
	m->files = n->files;
	m->nfiles = n->nfiles;
}

/* Renders n in n->lang, signs it and makes its content: 0 or NOTIFY_*. */
static int
make_shared(struct refbot *rb, const struct notify *n, struct shared *s)
{
	/*
	 * The values in the reader's language (vars_ja replaces vars' of
	 * the same name), and the cheat sheet as {{keywords}}.
	 */
	struct render_var *v = xcalloc(n->nvars + 1, sizeof(*v));
	int ja = n->lang != NULL && strcmp(n->lang, "ja") == 0;
	size_t i, k, nv = n->nvars;
	struct mailout m;
	char *err = NULL;
	int rc;

	memset(s, 0, sizeof(*s));
	s->lang = n->lang;
	memcpy(v, n->vars, n->nvars * sizeof(*v));
	for (i = 0; ja && i < n->nvars; i++)
		for (k = 0; k < n->nvars_ja; k++)
			if (strcmp(v[i].name, n->vars_ja[k].name) == 0 &&
			    n->vars_ja[k].value != NULL)
				v[i].value = n->vars_ja[k].value;
	if (n->sheet != NULL) {
		v[nv].name = "keywords";
		v[nv++].value = notify_keyword_sheet(rb, n->sheet, n->lang);
	}
	rc = refbot_mail_text(rb, n->name, n->lang, v, nv, &s->subject,
	    &s->body, &err);
	free(v);
	/* The texts were checked when loaded: this is refbot's own bug. */
	if (rc != 0) {
		log_warnx("cannot build the %s mail, a configuration problem: "
		    "%s", n->name, err);
		free(err);
		rb->text_failed = n->name;	/* a configuration problem */
		return NOTIFY_CONFIG;
	}
	if ((n->referral_id > 0 || n->token_id > 0) && n->role != 0)
		notify_token(rb, n->token_id > 0 ? n->token_id :
		    n->referral_id, n->role, n->name, &s->tag, &s->reply_to);
	else
		s->tag = xstrdup(n->name);
	mail_of(rb, n, s, &m);
	mailout_content(&m, &s->content);
	return 0;
}

/*
 * notify_queue; sh, if not NULL, is what an earlier reader of the same
 * mail shared (or nothing yet), and keeps what this one made.
 */
static int
queue(struct refbot *rb, const struct notify *n, char **message_id,
    struct shared *sh)
{
	struct shared own, *s = &own;
	struct mailout m;
	char *mid, *mail;
	size_t len;
	int64_t id = 0;
	/*
	 * A sender who gets more than auto_reply_limit answers an hour is
	 * most likely a robot we failed to recognise: stop answering it.
	 * Every kind of answer counts (each is marked in the outbox below).
	 * Acknowledgements of qualified referrals are exempt: no robot
	 * writes a qualified referral, and a partner's backlog after an
	 * outage must all be acknowledged.
	 */
	int capped = n->auto_reply && strcmp(n->name, "ack") != 0;
	int rc;

	if (capped) {
		int sent = db_outbox_recent_replies(rb->db, n->rcpt,
		    clock_now() - 3600);
		if (sent < 0) {
			log_warnx("outbox: %s", db_errmsg(rb->db));
			return NOTIFY_RETRY;
		}
		if (sent >= rb->cfg.auto_reply_limit) {
			log_info("%s reply withheld: %d answers to this "
			    "sender in the last hour", n->name, sent);
			rb->replies_withheld++;
			return NOTIFY_WITHHELD;
		}
	}
	if (sh != NULL && sh->content.data != NULL &&
	    same_lang(sh->lang, n->lang))
		s = sh;
	else if ((rc = make_shared(rb, n, &own)) != 0) {
		shared_free(&own);
		return rc;
	}
	mid = mailout_message_id(s->tag, rb->cfg.message_id_domain);
	mail_of(rb, n, s, &m);
	m.message_id = mid;
	mail = mailout_join(&m, &s->content, &len);
	rc = outbox_queue_mail(rb, n->referral_id, n->name, &m, mail, len,
	    &id);
	free(mail);
	if (rc == 0 && capped)
		rc = db_outbox_mark_reply(rb->db, id);
	if (rc != 0) {
		log_warnx("outbox: %s", db_errmsg(rb->db));
		rc = NOTIFY_RETRY;
	}
	if (rc == 0 && message_id != NULL)
		*message_id = xstrdup(mid);
	free(mid);
	if (s == &own && sh != NULL) {
		shared_free(sh);
		*sh = own;
	} else if (s == &own)
		shared_free(&own);
	return rc;
}

int
notify_queue(struct refbot *rb, const struct notify *n, char **message_id)
{
	return queue(rb, n, message_id, NULL);
}

int64_t
notify_alert_period(int64_t t)
{
	return t - ((t % 3600) + 3600) % 3600;
}

/*
 * Records staff alert n in its kind's clock hour: 1 when the hour's
 * limit is reached and it is held for the summary, 0 when it goes out
 * now, -1 on a database error.
 */
static int
alert_held(struct refbot *rb, const struct notify *n)
{
	int64_t now = clock_now(), period = notify_alert_period(now);
	int sent, held;

	if ((sent = db_alert_sent(rb->db, n->name, period)) < 0)
		return -1;
	held = sent >= rb->cfg.staff_alert_limit;
	if (db_alert_add(rb->db, n->name, period, n->alert_row, now,
	    held) != 0)
		return -1;
	if (held) {
		rb->alerts_held++;
		log_info("message %lld: %s alert held for the hourly summary "
		    "(%d sent this hour)", (long long)n->alert_row, n->name,
		    sent);
	}
	return held;
}

int
notify_staff(struct refbot *rb, struct notify *n)
{
	struct staff_rcpt *who;
	struct shared sh;
	size_t i, nwho;
	int held, rc;

	if (n->alert_row > 0 && (held = alert_held(rb, n)) != 0) {
		if (held < 0)
			log_warnx("staff alerts: %s", db_errmsg(rb->db));
		return held < 0 ? NOTIFY_RETRY : 0;
	}
	if (n->referral_id <= 0 && n->partner_id > 0 ?
	    staff_partner_recipients(rb, n->partner_id, (enum staff_to)n->to,
	    &who, &nwho) != 0 :
	    staff_recipients(rb, n->to != STAFF_TO_ALL ? (enum staff_to)n->to :
	    n->referral_id > 0 ? STAFF_TO_OWNER : STAFF_TO_ALL, n->referral_id,
	    &who, &nwho) != 0)
		return NOTIFY_RETRY;
	memset(&sh, 0, sizeof(sh));
	for (i = 0, rc = 0; i < nwho && rc == 0; i++) {
		n->rcpt = who[i].email;
		n->lang = who[i].lang;
		if ((rc = queue(rb, n, NULL, &sh)) > 0)
			rc = NOTIFY_RETRY;
	}
	shared_free(&sh);
	n->rcpt = NULL;
	n->lang = NULL;
	staff_rcpts_free(who, nwho);
	return rc;
}

char *
notify_line(struct refbot *rb, const char *lang, const char *key,
    const struct render_var *vars, size_t nvars)
{
	char *s = refbot_mail_line(rb, "staff-lines", lang, key, vars, nvars);

	return s != NULL ? s : xstrdup("");
}

char *
notify_kind_text(struct refbot *rb, const char *lang, const char *name)
{
	struct kvfile kv;
	char *s = NULL;

	if (refbot_mail_lines(rb, "staff-lines", lang, &kv) == 0) {
		s = history_kind_text(&kv, name);
		kvfile_free(&kv);
	}
	return s != NULL ? s : xstrdup(name);
}

char *
notify_line_or(struct refbot *rb, const char *lang, const char *key,
    const struct render_var *vars, size_t nvars, const char *fallback)
{
	struct kvfile kv;
	char *s = NULL;

	if (refbot_mail_lines(rb, "staff-lines", lang, &kv) == 0) {
		s = refbot_line(&kv, key, vars, nvars);
		kvfile_free(&kv);
	}
	return s != NULL ? s : xstrdup(fallback);
}

int
notify_alert(struct refbot *rb, int64_t row, const char *key,
    const struct render_var *vars, size_t nvars, const char *folder,
    const char *told)
{
	static const char *langs[] = { "en", "ja" };
	struct notify n;
	char msg[32], num[24], *what[2], *reason[2], *sender[2];
	char *k, *kind[2] = { NULL, NULL };
	struct render_var *lv = xcalloc(nvars ? nvars : 1, sizeof(*lv));
	size_t v;
	int i, rc;

	snprintf(msg, sizeof(msg), "#%lld", (long long)row);
	snprintf(num, sizeof(num), "%lld", (long long)row);
	for (i = 0; i < 2; i++) {
		/* A mail kind ("ack") in the reader's words. */
		for (v = 0; v < nvars; v++) {
			lv[v] = vars[v];
			if (strcmp(vars[v].name, "kind") == 0 && kind[i] == NULL)
				lv[v].value = kind[i] = notify_kind_text(rb,
				    langs[i], vars[v].value);
		}
		k = xasprintf("%s.title", key);
		what[i] = notify_line(rb, langs[i], k, lv, nvars);
		free(k);
		k = xasprintf("%s.reason", key);
		reason[i] = notify_line(rb, langs[i], k, lv, nvars);
		free(k);
		k = xasprintf("told.%s", told);
		sender[i] = notify_line(rb, langs[i], k, NULL, 0);
		free(k);
	}
	{
		const struct render_var en[] = {
			{ "what", what[0] }, { "message", msg }, { "row", num },
			{ "reason", reason[0] }, { "folder", folder },
			{ "sender", sender[0] },
		};
		const struct render_var ja[] = {
			{ "what", what[1] }, { "reason", reason[1] },
			{ "sender", sender[1] },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-alert";
		n.vars = en;
		n.nvars = nitems(en);
		n.vars_ja = ja;
		n.nvars_ja = nitems(ja);
		n.alert_row = row;
		rc = notify_staff(rb, &n);
	}
	for (i = 0; i < 2; i++) {
		free(what[i]);
		free(reason[i]);
		free(sender[i]);
		free(kind[i]);
	}
	free(lv);
	return rc;
}

static int
cmp_row(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

char *
notify_rows_text(const int64_t *rows, size_t n, size_t max,
    const char *more_text)
{
	int64_t *s = xcalloc(n ? n : 1, sizeof(*s));
	struct buf b;
	size_t i, k, ranges = 0, more = 0;
	char count[24], *m;

	for (i = k = 0; i < n; i++)
		if (rows[i] > 0)
			s[k++] = rows[i];
	qsort(s, k, sizeof(*s), cmp_row);
	buf_init(&b);
	for (i = 0; i < k; ) {
		size_t j = i;

		/* A run of rows one apart (repeats included) is one range. */
		while (j + 1 < k && s[j + 1] - s[j] <= 1)
			j++;
		if (ranges++ < max) {
			buf_addf(&b, "%s#%lld", b.len ? ", " : "",
			    (long long)s[i]);
			if (s[j] != s[i])
				buf_addf(&b, "-#%lld", (long long)s[j]);
		} else
			for (; i <= j; i++)
				more += i == 0 || s[i] != s[i - 1];
		i = j + 1;
	}
	if (more > 0) {
		const struct render_var v[] = { { "count", count } };

		snprintf(count, sizeof(count), "%zu", more);
		m = render(more_text, v, 1, NULL);
		buf_addf(&b, "%s%s", b.len ? ", " : "", m);
		free(m);
	}
	if (b.len == 0)
		buf_adds(&b, "-");
	free(s);
	return buf_steal(&b);
}

char *
notify_tally_text(char *const *words, size_t n)
{
	struct buf b;
	size_t i, k, c;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		for (k = 0; k < i && strcmp(words[k], words[i]) != 0; k++)
			;
		if (k < i)
			continue;	/* counted at its first occurrence */
		for (c = 0, k = i; k < n; k++)
			c += strcmp(words[k], words[i]) == 0;
		buf_addf(&b, "%s%s %zu", b.len ? ", " : "", words[i], c);
	}
	if (b.len == 0)
		buf_adds(&b, "-");
	return buf_steal(&b);
}

/* One kind's summary for one hour, inside the caller's transaction. */
static int
alert_summary(struct refbot *rb, const char *kind, int64_t period,
    int64_t now)
{
	struct alert_period ap;
	struct notify n;
	char from[48], to[48], first[48], last[48], count[24], sent[24];
	char *rows = NULL, *rows_ja = NULL, *tally = NULL;
	char *key = xasprintf("alerts.%s", kind);
	char *more_en = notify_line(rb, "en", "rows.more", NULL, 0);
	char *more_ja = notify_line(rb, "ja", "rows.more", NULL, 0);
	char *what_en = notify_line(rb, "en", key, NULL, 0);
	char *what_ja = notify_line(rb, "ja", key, NULL, 0);
	int rc = -1;

	if (db_alert_held(rb->db, kind, period, &ap) != 0)
		goto out;
	rows = notify_rows_text(ap.rows, ap.nheld, 200, more_en);
	rows_ja = notify_rows_text(ap.rows, ap.nheld, 200, more_ja);
	tally = notify_tally_text(ap.disp, ap.nheld);
	clock_text(period, 1, from, sizeof(from));
	clock_text(period + 3600, 1, to, sizeof(to));
	clock_text(ap.first, 1, first, sizeof(first));
	clock_text(ap.last, 1, last, sizeof(last));
	snprintf(count, sizeof(count), "%zu", ap.nheld);
	snprintf(sent, sizeof(sent), "%d", ap.sent);
	{
		const struct render_var vars[] = {
			{ "kind", *what_en ? what_en : kind },
			{ "count", count },
			{ "sent", sent }, { "from", from }, { "to", to },
			{ "first", first }, { "last", last },
			{ "dispositions", tally }, { "messages", rows },
		};
		const struct render_var ja[] = {
			{ "kind", *what_ja ? what_ja : kind },
			{ "messages", rows_ja },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-alert-summary";
		n.vars = vars;
		n.nvars = nitems(vars);
		n.vars_ja = ja;
		n.nvars_ja = nitems(ja);
		if (notify_staff(rb, &n) != 0 ||
		    db_alert_summarised(rb->db, kind, period, now) != 0)
			goto out;
	}
	log_info("staff alerts: summary of %zu held %s alerts (%s to %s) "
	    "queued", ap.nheld, kind, from, to);
	rc = 0;
out:
	free(rows);
	free(rows_ja);
	free(more_en);
	free(more_ja);
	free(tally);
	free(key);
	free(what_en);
	free(what_ja);
	alert_period_free(&ap);
	return rc;
}

/*
 * Runs step in a transaction of its own, again and again, until it
 * finds nothing left (step: 1 one done, 0 none left, -1 failed and
 * rolled back), so each piece of work is done exactly once.  Returns how
 * many, or -1.
 */
static int
each_in_transaction(struct refbot *rb, int (*step)(struct refbot *, void *),
    void *arg)
{
	int r, done = 0;

	for (;;) {
		if (db_begin(rb->db) != 0)
			return -1;
		r = step(rb, arg);
		if (r < 0 || db_commit(rb->db) != 0) {
			db_rollback(rb->db);
			return -1;
		}
		if (r == 0)
			return done;
		done++;
	}
}

struct summary_times {
	int64_t before, now;
};

/* One kind and hour due for a summary, summarised; 1, 0 none, -1. */
static int
summary_step(struct refbot *rb, void *arg)
{
	const struct summary_times *t = arg;
	int64_t period;
	char *kind = NULL;
	int r;

	/* Inside the transaction: what another pass summarised is not due. */
	r = db_alert_due(rb->db, t->before, &kind, &period);
	if (r > 0)
		r = alert_summary(rb, kind, period, t->now) == 0 ? 1 : -1;
	free(kind);
	return r;
}

int
notify_alert_summaries(struct refbot *rb, int64_t now)
{
	struct summary_times t = { notify_alert_period(now), now };
	int64_t period;
	char *kind = NULL;
	int r;

	/* Read first: most passes have nothing due and take no lock. */
	if ((r = db_alert_due(rb->db, t.before, &kind, &period)) > 0)
		r = each_in_transaction(rb, summary_step, &t);
	free(kind);
	if (r < 0)
		log_warnx("staff alert summaries: %s", db_errmsg(rb->db));
	return r < 0 ? -1 : r;
}

/*
 * One mail the server refused for good, told (inside the caller's
 * transaction): the referral's history says who was not reached, and
 * staff get what the mail was and the server's reply, not its body.
 */
static int
undelivered(struct refbot *rb, const struct outmail *m)
{
	int staff = staff_is(rb, m->rcpt), rc = 0, contact = 0;
	const char *err = m->last_error ? m->last_error : "?";
	const char *who;
	char ref[24], outbox[24], *kind[2], *ref_ja, *who_en, *who_ja;
	struct notify n;

	if (m->referral_id > 0)
		refbot_ref(m->referral_id, ref, sizeof(ref));
	else
		snprintf(ref, sizeof(ref), "no referral");
	snprintf(outbox, sizeof(outbox), "%lld", (long long)m->id);
	{
		const struct render_var vars[] = {
			{ "kind", m->kind }, { "outbox", outbox },
			{ "rcpt", m->rcpt }, { "reason", err },
		};

		if (m->referral_id > 0 && history_add_words(rb,
		    m->referral_id, "outbox", "undelivered", NULL, NULL, NULL,
		    staff ? "history.undelivered-staff" :
		    "history.undelivered-partner", vars, nitems(vars),
		    NULL) != 0) {
			log_warnx("outbox %s: %s", outbox, db_errmsg(rb->db));
			rc = NOTIFY_RETRY;
		}
	}
	/* A contact of a firm (not its main): flagged, the main gets theirs. */
	if (rc == 0 && !staff && (contact = contacts_bounced(rb, m->rcpt,
	    err)) < 0)
		rc = NOTIFY_RETRY;
	/* A notice about a refused notice would be refused the same way. */
	if (rc != 0 || strcmp(m->kind, "staff-undelivered") == 0)
		return rc;
	who = staff ? "undelivered.staff" : contact ? "undelivered.contact" :
	    m->referral_id > 0 ? "undelivered.partner" : "undelivered.other";
	kind[0] = notify_kind_text(rb, "en", m->kind);
	kind[1] = notify_kind_text(rb, "ja", m->kind);
	ref_ja = m->referral_id > 0 ? xstrdup(ref) :
	    notify_line(rb, "ja", "undelivered.noref", NULL, 0);
	who_en = notify_line(rb, "en", who, NULL, 0);
	who_ja = notify_line(rb, "ja", who, NULL, 0);
	{
		const struct render_var vars[] = {
			{ "kind", kind[0] }, { "ref", ref }, { "outbox", outbox },
			{ "rcpt", m->rcpt }, { "error", err },
			{ "consequence", who_en },
		};
		const struct render_var ja[] = {
			{ "kind", kind[1] }, { "ref", ref_ja },
			{ "consequence", who_ja },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-undelivered";
		n.referral_id = m->referral_id;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.vars_ja = ja;
		n.nvars_ja = nitems(ja);
		rc = notify_staff(rb, &n);
	}
	free(kind[0]);
	free(kind[1]);
	free(ref_ja);
	free(who_en);
	free(who_ja);
	log_info("outbox %s: staff told it was not delivered (%s, referral "
	    "%lld)", outbox, m->kind, (long long)m->referral_id);
	return rc;
}

/* The oldest failed mail staff were not told of, told; 1, 0 none, -1. */
static int
undelivered_step(struct refbot *rb, void *arg)
{
	struct outmail m;
	int r;

	(void)arg;
	memset(&m, 0, sizeof(m));
	r = db_outbox_untold(rb->db, &m);
	if (r > 0)
		r = undelivered(rb, &m) == 0 &&
		    db_outbox_told(rb->db, m.id) == 0 ? 1 : -1;
	outmail_free(&m);
	return r;
}

int
notify_undelivered(struct refbot *rb)
{
	int r = each_in_transaction(rb, undelivered_step, NULL);

	if (r < 0)
		log_warnx("undelivered mail: %s", db_errmsg(rb->db));
	return r;
}
