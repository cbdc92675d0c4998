/* digest: the morning queue, one mail a staff member and working day. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "db_staff.h"
#include "digest.h"
#include "log.h"
#include "notify.h"
#include "status.h"
#include "token.h"
#include "util.h"
#include "workhours.h"

#define DAY 86400

enum section { OVERDUE, DUE_TODAY, STALLED, OPEN, NSECTIONS };

struct queue {
	struct refbot *rb;
	int64_t now;
	int today;			/* YYYYMMDD, local */
	const char *lang;		/* the reader's */
	struct buf s[NSECTIONS];
	size_t n;
};

static int
local_day(int64_t t)
{
	struct tm tm;

	clock_local(t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday;
}

static int
add_row(const struct queue_row *r, void *arg)
{
	struct queue *q = arg;
	struct refbot *rb = q->rb;
	int i = status_index(r->status);
	int days = i >= 0 ? rb->cfg.stall_days[i] : 0;
	enum section s = OPEN;
	char ref[24], days_s[24], *tag, *reply_to, *age, *other = NULL;
	const struct render_var dv[] = { { "days", days_s } };

	if (r->due > 0 && !r->responded && r->due < q->now)
		s = OVERDUE;
	else if (r->due > 0 && !r->responded && local_day(r->due) == q->today)
		s = DUE_TODAY;
	else if (days > 0 && q->now - r->since >= (int64_t)days * DAY)
		s = STALLED;
	refbot_ref(r->id, ref, sizeof(ref));
	notify_token(rb, r->id, ROLE_STAFF, "digest", &tag, &reply_to);
	snprintf(days_s, sizeof(days_s), "%lld",
	    (long long)((q->now - r->created_at) / DAY));
	age = notify_line(rb, q->lang, "digest.age", dv, nitems(dv));
	if (reply_to == NULL)
		other = notify_line(rb, q->lang, "digest.noreply", NULL, 0);
	buf_addf(&q->s[s], "  %s  %s (%s)  %s, %s\n      %s\n", ref,
	    r->client ? r->client : "?", r->partner_name ? r->partner_name :
	    "?", r->status, age, reply_to ? reply_to : other);
	free(tag);
	free(reply_to);
	free(age);
	free(other);
	q->n++;
	return 0;
}

/* One person's digest, if they own anything (inside a transaction). */
static int
one(struct refbot *rb, const struct staff_member *m, int64_t now, int today)
{
	struct queue q;
	struct notify n;
	char date[16], count[24];
	int i, rc = 0;

	memset(&q, 0, sizeof(q));
	q.rb = rb;
	q.now = now;
	q.today = today;
	q.lang = strcmp(m->lang, "ja") == 0 ? "ja" : "en";
	for (i = 0; i < NSECTIONS; i++)
		buf_init(&q.s[i]);
	if (db_owner_queue(rb->db, m->email, add_row, &q) != 0)
		rc = -1;
	else if (q.n > 0 && (rc = db_digest_mark(rb->db, m->email, today,
	    now)) > 0) {
		snprintf(date, sizeof(date), "%04d-%02d-%02d", today / 10000,
		    today / 100 % 100, today % 100);
		snprintf(count, sizeof(count), "%zu", q.n);
		for (i = 0; i < NSECTIONS; i++)
			if (q.s[i].len == 0)
				buf_adds(&q.s[i], "  -\n");
		{
			const struct render_var vars[] = {
				{ "name", m->name }, { "date", date },
				{ "count", count }, { "overdue", q.s[OVERDUE].data },
				{ "due_today", q.s[DUE_TODAY].data },
				{ "stalled", q.s[STALLED].data },
				{ "open", q.s[OPEN].data },
			};
			memset(&n, 0, sizeof(n));
			n.name = "staff-digest";
			n.lang = q.lang;
			n.rcpt = m->email;
			n.vars = vars;
			n.nvars = nitems(vars);
			rc = notify_queue(rb, &n, NULL) == 0 ? 1 : -1;
		}
	}
	for (i = 0; i < NSECTIONS; i++)
		buf_free(&q.s[i]);
	return rc;
}

struct members {
	struct staff_member *v;
	size_t n;
};

static int
collect(const struct staff_member *m, void *arg)
{
	struct members *l = arg;

	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].email = xstrdup(m->email);
	l->v[l->n].name = xstrdup(m->name);
	l->v[l->n].lang = xstrdup(m->lang);
	l->v[l->n].role = xstrdup(m->role);
	l->v[l->n++].active = m->active;
	return 0;
}

int
digest_run(struct refbot *rb, int64_t now)
{
	struct members l = { NULL, 0 };
	struct tm tm;
	size_t i;
	int r = 0, sent = 0;

	clock_local(now, &tm);
	if (tm.tm_hour < rb->cfg.digest_hour ||
	    !workhours_workday(&rb->cfg.hours, &tm))
		return 0;
	if (db_staff_each(rb->db, NULL, 1, collect, &l) != 0)
		r = -1;
	for (i = 0; r >= 0 && i < l.n; i++) {
		/* Read first: most passes of the day have sent it. */
		if ((r = db_digest_sent(rb->db, l.v[i].email,
		    local_day(now))) != 0)
			continue;
		if (db_begin(rb->db) != 0) {
			r = -1;
			break;
		}
		r = one(rb, &l.v[i], now, local_day(now));
		if (r < 0 || db_commit(rb->db) != 0) {
			db_rollback(rb->db);
			r = -1;
		} else if (r > 0) {
			sent++;
			log_info("digest queued for a staff member (%zu of %zu)",
			    i + 1, l.n);
		}
	}
	for (i = 0; i < l.n; i++)
		staff_member_free(&l.v[i]);
	free(l.v);
	if (r < 0) {
		log_warnx("digests: %s", db_errmsg(rb->db));
		return -1;
	}
	return sent;
}
