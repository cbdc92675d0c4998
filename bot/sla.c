/* sla: reminders and escalations for unanswered referrals. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "db_referrals.h"
#include "log.h"
#include "notify.h"
#include "reply.h"
#include "sla.h"
#include "staff.h"
#include "token.h"
#include "util.h"

static int
send_one(struct refbot *rb, int64_t id, int tier, int escalate)
{
	struct referral r;
	struct notify n;
	char ref[24], hours[16], age[24];
	int found, rc;

	if ((found = db_referral_get(rb->db, id, &r)) <= 0)
		return found < 0 ? -1 : 0;
	refbot_ref(id, ref, sizeof(ref));
	/* The SLA this referral had: its partner's tier's. */
	snprintf(hours, sizeof(hours), "%d", config_sla_hours(&rb->cfg, tier));
	snprintf(age, sizeof(age), "%lld", (long long)((clock_now() -
	    r.created_at) / 3600));
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r.client ? r.client : "?" },
			{ "partner_name", r.partner_name ? r.partner_name :
			    "?" },
			{ "sla_hours", hours }, { "age_hours", age },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = escalate ? "sla-escalation" : "sla-reminder";
		n.referral_id = id;
		n.role = ROLE_STAFF;
		n.vars = vars;
		n.nvars = nitems(vars);
		/* The reminder to its owner; escalations to the managers. */
		n.to = escalate ? STAFF_TO_MANAGERS : STAFF_TO_OWNER;
		rc = notify_staff(rb, &n);
	}
	if (rc == 0)
		rc = db_sla_mark(rb->db, id, escalate);
	if (rc == 0)
		rc = db_history_add(rb->db, id, "refbot", escalate ?
		    "sla-escalated" : "sla-reminded", NULL, NULL, NULL);
	if (rc == 0)
		log_info("%s: %s sent (no response after %s hours)", ref,
		    escalate ? "escalation" : "reminder", age);
	referral_free(&r);
	return rc;
}

int
sla_run(struct refbot *rb)
{
	int64_t now = clock_now(), id, by;
	int esc, found, sent = 0, tier, t, least;

	/* No tier's SLA is due sooner than the shortest's (workhours_due). */
	least = config_sla_hours(&rb->cfg, 0);
	for (t = 1; t <= 3; t++)
		if (config_sla_hours(&rb->cfg, t) < least)
			least = config_sla_hours(&rb->cfg, t);
	/* Escalations first: they also settle the reminder. */
	for (esc = 1; esc >= 0; esc--) {
		by = now - (int64_t)(esc + 1) * (least > 0 ? least : 0) * 3600;
		while ((found = db_sla_due(rb->db, now, by, esc, &id,
		    &tier)) > 0) {
			if (db_begin(rb->db) != 0)
				return -1;
			if (send_one(rb, id, tier, esc) != 0 ||
			    db_commit(rb->db) != 0) {
				log_warnx("SLA: %s", db_errmsg(rb->db));
				db_rollback(rb->db);
				return -1;
			}
			sent++;
		}
		if (found < 0)
			return -1;
	}
	return sent;
}
