/* firmstatus: a firm's open referrals and balance, by mail. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "contacts.h"
#include "db_ledger.h"
#include "db_referrals.h"
#include "firmstatus.h"
#include "keyword.h"
#include "notify.h"
#include "reply.h"
#include "util.h"

struct open_list {
	struct buf b;
	int n;
};

static int
open_line(const struct referral *r, void *arg)
{
	struct open_list *l = arg;
	char ref[24], day[16];
	struct tm tm;

	refbot_ref(r->id, ref, sizeof(ref));
	strftime(day, sizeof(day), "%Y-%m-%d", clock_local(r->created_at,
	    &tm));
	buf_addf(&l->b, "  %s  %-10s %s  %s\n", ref, r->status, day,
	    r->client ? r->client : "-");
	l->n++;
	return 0;
}

/* A signed amount in the configured currency (caller frees). */
static char *
money(struct refbot *rb, int64_t minor)
{
	char *abs = amount_format(minor >= 0 ? minor : -minor,
	    rb->cfg.currency);
	char *s = minor < 0 ? xasprintf("-%s", abs) : xstrdup(abs);

	free(abs);
	return s;
}

int
firmstatus_send(struct refbot *rb, const struct analysis *a,
    const struct partner *p)
{
	struct open_list l;
	struct recipient to;
	struct notify n;
	int64_t earned = 0, paid = 0;
	char count[16], *e, *pd, *bal;
	int rc;

	memset(&l, 0, sizeof(l));
	buf_init(&l.b);
	if (contacts_answer(rb, p, a->msg.from_addr, &to) != 0)
		return -1;
	if (db_partner_referrals(rb->db, p->id, 1, 0, 0, open_line, &l) != 0 ||
	    db_ledger_totals(rb->db, p->id, &earned, &paid) != 0) {
		buf_free(&l.b);
		recipient_free(&to);
		return -1;
	}
	snprintf(count, sizeof(count), "%d", l.n);
	e = money(rb, earned);
	pd = money(rb, paid);
	bal = money(rb, earned - paid);
	{
		const struct render_var vars[] = {
			{ "partner_name", p->name }, { "count", count },
			{ "referrals", l.n ? l.b.data : "  -\n" },
			{ "earned", e }, { "paid", pd }, { "balance", bal },
			{ "from_name", rb->cfg.from_name },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "status-all";
		n.lang = contacts_lang(&to, p, a->lang);
		n.rcpt = to.to;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = a->msg.message_id;
		n.auto_reply = 1;
		rc = notify_queue(rb, &n, NULL);
	}
	free(e);
	free(pd);
	free(bal);
	buf_free(&l.b);
	recipient_free(&to);
	return rc < 0 ? -1 : l.n;	/* a withheld reply is not a failure */
}
