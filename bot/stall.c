/* stall: nudges for referrals that sit in one state too long. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_partners.h"
#include "db_referrals.h"
#include "db_staff.h"
#include "history_words.h"
#include "log.h"
#include "notify.h"
#include "reply.h"
#include "stall.h"
#include "staff.h"
#include "status.h"
#include "token.h"
#include "util.h"

#define DAY 86400
#define NOTE_DAYS 30		/* the partner's note: at most this often */
#define EVERY 3600		/* open referrals looked over at most hourly */
#define START_KEY "stall.start"	/* when stall notes began on this database */

#define CONFIG_KEY "stall.config"	/* the stall_days stall_due was set by */

/* An open referral, as db_stall_each read it. */
struct stalled {
	int64_t id, since, created_at;
	char *status;
};

struct stalled_list {
	struct stalled *v;
	size_t n;
};

static int
collect(const struct stall_row *s, void *arg)
{
	struct stalled_list *l = arg;

	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].id = s->id;
	l->v[l->n].since = s->since;
	l->v[l->n].created_at = s->created_at;
	l->v[l->n++].status = xstrdup(s->status);
	return 0;
}

static int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* The owner's nudge (managers: the escalation) for r, queued. */
static int
tell_staff(struct refbot *rb, const struct referral *r, const char *name,
    int to, int days, int64_t age)
{
	struct notify n;
	char ref[24], d[16], a[24];

	refbot_ref(r->id, ref, sizeof(ref));
	snprintf(d, sizeof(d), "%d", days);
	snprintf(a, sizeof(a), "%lld", (long long)(age / DAY));
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "partner_name", r->partner_name ? r->partner_name :
			    "?" },
			{ "status", r->status }, { "stall_days", d },
			{ "age_days", a }, { "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = name;
		n.referral_id = r->id;
		n.role = ROLE_STAFF;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.to = to;
		n.sheet = r->status;
		return notify_staff(rb, &n) == 0 ? 0 : -1;
	}
}

/* The partner's "still in progress" note; 0 also when there is none. */
static int
tell_partner(struct refbot *rb, const struct referral *r, int64_t age)
{
	struct partner p;
	struct notify n;
	char ref[24], a[24];
	int found, rc = 0;

	if (r->partner_email == NULL || (found = db_partner_by_email(rb->db,
	    r->partner_email, &p)) == 0)
		return 0;
	if (found < 0)
		return -1;
	refbot_ref(r->id, ref, sizeof(ref));
	snprintf(a, sizeof(a), "%lld", (long long)(age / DAY));
	if (p.active && p.bounced == NULL) {
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "partner_name", p.name }, { "age_days", a },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "progress-note";
		n.lang = refbot_partner_lang(&p, NULL);
		n.rcpt = p.email;
		n.referral_id = r->id;
		n.role = ROLE_PARTNER;
		n.vars = vars;
		n.nvars = nitems(vars);
		rc = notify_queue(rb, &n, NULL) < 0 ? -1 : 0;
	}
	partner_free(&p);
	return rc;
}

/*
 * Records note kind for period and, when it was not sent before, sends
 * it with send and writes the history.  1 sent, 0 not due, -1.
 */
static int
note(struct refbot *rb, const struct stalled *s, const char *kind,
    const char *status, int64_t since, int64_t period, int64_t now,
    const struct referral *r, int days)
{
	int64_t age = now - (strcmp(kind, "partner") == 0 ? s->created_at :
	    s->since);
	char *key, ndays[24];
	int rc;

	if ((rc = db_stall_note(rb->db, s->id, status, since, kind, period,
	    now)) <= 0)
		return rc;
	if (strcmp(kind, "partner") == 0)
		rc = tell_partner(rb, r, age);
	else
		rc = tell_staff(rb, r, strcmp(kind, "owner") == 0 ?
		    "staff-stalled" : "staff-stall-escalation",
		    strcmp(kind, "owner") == 0 ? STAFF_TO_OWNER :
		    STAFF_TO_MANAGERS, days, age);
	snprintf(ndays, sizeof(ndays), "%lld", (long long)(age / DAY));
	key = xasprintf("history.stall-%s", kind);
	{
		const struct render_var vars[] = {
			{ "days", ndays }, { "status", s->status },
		};

		if (rc == 0)
			rc = history_add_words(rb, s->id, "refbot",
			    "stall-note", NULL, NULL, NULL, key, vars,
			    nitems(vars), NULL);
	}
	free(key);
	if (rc == 0)
		log_info("referral %lld: stall note (%s) queued",
		    (long long)s->id, kind);
	return rc == 0 ? 1 : -1;
}

/*
 * What is due for one referral, in one transaction.  Only periods that
 * began after start count: a database that had stalled referrals before
 * stall notes existed (an upgrade) does not send them all at once; each
 * is nudged when its next period begins.  The referral's stall_due
 * becomes when its next note can be due, so the looks before then do
 * not read it.
 */
static int
one(struct refbot *rb, const struct stalled *s, int64_t now, int64_t start)
{
	struct referral r;
	int i = status_index(s->status);
	int days = i >= 0 ? rb->cfg.stall_days[i] : 0;
	int64_t period = days > 0 ? (now - s->since) / ((int64_t)days * DAY) :
	    0, month = (now - s->created_at) / ((int64_t)NOTE_DAYS * DAY);
	int64_t due = INT64_MAX, last = 0;
	int sent = 0, r1 = 0, found, owner, managers;

	/*
	 * Nothing is due before the next period begins, nor the partner's
	 * note before 30 days from arrival and from the last one.
	 */
	if (days > 0)
		due = s->since + (period + 1) * days * DAY;
	owner = period >= 1 && s->since + period * days * DAY >= start;
	managers = period >= 2 && s->since + 2 * days * DAY >= start;
	if (!owner && !managers && (!rb->cfg.progress_note || month < 1)) {
		if (rb->cfg.progress_note)
			due = min64(due, s->created_at + NOTE_DAYS * DAY);
		return db_stall_due_set(rb->db, s->id, due) == 0 ? 0 : -1;
	}
	if (db_begin(rb->db) != 0)
		return -1;
	if ((found = db_referral_get(rb->db, s->id, &r)) <= 0) {
		db_rollback(rb->db);
		return found;
	}
	/* Each period once; the managers once, from the second on. */
	if (owner)
		sent += r1 = note(rb, s, "owner", s->status, s->since, period,
		    now, &r, days);
	if (r1 >= 0 && managers)
		sent += r1 = note(rb, s, "manager", s->status, s->since, 2,
		    now, &r, days);
	if (r1 >= 0 && rb->cfg.progress_note) {
		if (month >= 1 && now - (last = db_stall_last(rb->db, s->id,
		    "partner")) >= (int64_t)NOTE_DAYS * DAY &&
		    (r1 = note(rb, s, "partner", "*", 0, month, now, &r,
		    0)) > 0) {
			sent += r1;
			last = now;
		}
		due = min64(due, (s->created_at > last ? s->created_at :
		    last) + NOTE_DAYS * DAY);
	}
	referral_free(&r);
	if (r1 >= 0 && db_stall_due_set(rb->db, s->id, due) != 0)
		r1 = -1;
	if (r1 < 0 || db_commit(rb->db) != 0) {
		db_rollback(rb->db);
		return -1;
	}
	return sent;
}

static int
by_id(const void *a, const void *b)
{
	const struct stalled *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Each referral's stall_due was worked out with the stall days and the
 * partner's note as they were; when they change, every one is read
 * again at this look.
 */
static int
config_check(struct refbot *rb)
{
	char *v = NULL, *want, *t;
	const char *s;
	size_t i;
	int r;

	want = xasprintf("note:%d", rb->cfg.progress_note);
	for (i = 0; (s = status_name(i)) != NULL; i++) {
		t = xasprintf("%s %s:%d", want, s, rb->cfg.stall_days[i]);
		free(want);
		want = t;
	}
	if ((r = db_setting_get(rb->db, CONFIG_KEY, &v)) >= 0 &&
	    (r == 0 || strcmp(v, want) != 0))
		r = db_stall_due_reset(rb->db) == 0 &&
		    db_setting_put(rb->db, CONFIG_KEY, want) == 0 ? 0 : -1;
	else if (r > 0)
		r = 0;
	free(v);
	free(want);
	return r;
}

/*
 * The open referrals one() may have a note for, by id: those in a state
 * with stall days (all open ones when partners get progress notes)
 * whose stall_due has come: one() sets it to when its next note can be
 * due, so a grown database's long list of NEW, settled or long stalled
 * referrals is not read each hour, only those whose time has come (and
 * each once after it enters a state).
 */
static int
candidates(struct refbot *rb, int64_t now, struct stalled_list *l)
{
	const char *s;
	size_t i;

	if (config_check(rb) != 0)
		return -1;
	for (i = 0; (s = status_name(i)) != NULL; i++)
		if (status_is_open(s) && (rb->cfg.stall_days[i] > 0 ||
		    rb->cfg.progress_note) && db_stall_each(rb->db, s, now,
		    collect, l) != 0)
			return -1;
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), by_id);
	return 0;
}

int
stall_run(struct refbot *rb, int64_t now)
{
	static int64_t last;	/* this process's last look */
	struct stalled_list l = { NULL, 0 };
	int64_t start = now;
	char *v = NULL;
	size_t i;
	int r = 0, sent = 0;

	if (last != 0 && now >= last && now - last < EVERY)
		return 0;
	last = now;
	if ((r = db_setting_get(rb->db, START_KEY, &v)) == 0) {
		char b[24];

		snprintf(b, sizeof(b), "%lld", (long long)now);
		r = db_setting_put(rb->db, START_KEY, b);
		start = now;
	} else if (r > 0) {
		start = strtoll(v, NULL, 10);
		r = 0;
	}
	free(v);
	/*
	 * Notes begin now (a new or upgraded database): a period counts
	 * when it begins at start or later, so only one that begins this
	 * very second could be due, and the next look sends it.  Unless
	 * partners get progress notes, there is nothing to read for.
	 */
	if (r == 0 && start >= now && !rb->cfg.progress_note)
		return 0;
	if (r == 0 && candidates(rb, now, &l) != 0)
		r = -1;
	for (i = 0; r >= 0 && i < l.n; i++)
		if ((r = one(rb, &l.v[i], now, start)) > 0)
			sent += r;
	for (i = 0; i < l.n; i++)
		free(l.v[i].status);
	free(l.v);
	if (r < 0) {
		log_warnx("stall notes: %s", db_errmsg(rb->db));
		return -1;
	}
	return sent;
}
