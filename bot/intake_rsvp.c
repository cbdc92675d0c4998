/*
 * intake_rsvp: a calendar client's answer to refbot's meeting invitation
 * (issue 18 item 6).  When the invitee presses Accept, Decline or
 * Tentative, or proposes a new time, Outlook, Gmail and Apple Calendar
 * mail the invitation's ORGANIZER an iTIP REPLY or COUNTER (the parser
 * child read it: analysis.itip).  The organizer is the referral's signed
 * meeting address (ROLE_MEETING, meeting.c), so the answer counts only
 * through that token and only for the UID refbot sent for that referral
 * — never by its From.  What counts is written in the referral's
 * history; nobody is acknowledged; a decline or a new time is told to
 * the managers (else all staff), since the meeting may need someone
 * else or another time.  An answer to an invitation since replaced (a
 * lower SEQUENCE) is recorded as outdated and told to nobody.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_meetings.h"
#include "history_words.h"
#include "intake_int.h"
#include "log.h"
#include "notify.h"
#include "reply.h"
#include "staff.h"
#include "token.h"
#include "util.h"

/* What the answer says, in the words of the history and disposition. */
static const char *
answer_words(const struct itip *t)
{
	if (t->method == ITIP_COUNTER)
		return "new time proposed";
	return itip_partstat_name(t->partstat);
}

/* The meeting's time as invitations show it: clock_text, or the day. */
static void
meeting_time(const struct meeting *m, char *buf, size_t size)
{
	if (m->starts_at >= 0)
		clock_text(m->starts_at, 0, buf, size);
	else
		snprintf(buf, size, "%s", m->day ? m->day : "?");
}

/* A COUNTER's time in the configured timezone, or NULL (caller frees). */
static char *
proposed_time(const struct itip *t)
{
	char s[48], e[48];

	if (t->start < 0)
		return NULL;
	clock_text(t->start, 0, s, sizeof(s));
	if (t->end < 0)
		return xstrdup(s);
	clock_text(t->end, 0, e, sizeof(e));
	return xasprintf("%s - %s", s, e);
}

/* The managers (else all staff) hear of a decline or a new time. */
static int
tell_staff(struct refbot *rb, const struct referral *r,
    const struct meeting *m, const struct itip *t, const char *who)
{
	struct notify n;
	char ref[24], when[48], *proposed = proposed_time(t);
	int rc;

	refbot_ref(r->id, ref, sizeof(ref));
	meeting_time(m, when, sizeof(when));
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "partner_name", r->partner_name ? r->partner_name :
			    "?" },
			{ "who", who }, { "when", when },
			{ "proposed", proposed ? proposed :
			    "(a time refbot could not read)" },
			{ "marker", REPLY_MARKER },
		};
		const struct render_var vars_ja[] = {
			{ "proposed", proposed ? proposed :
			    "（読み取れない日時）" },
		};
		memset(&n, 0, sizeof(n));
		n.name = t->method == ITIP_COUNTER ? "staff-meeting-counter" :
		    "staff-meeting-declined";
		n.referral_id = r->id;
		n.role = ROLE_STAFF;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.vars_ja = vars_ja;
		n.nvars_ja = nitems(vars_ja);
		n.to = STAFF_TO_MANAGERS;
		n.sheet = r->status;
		rc = notify_staff(rb, &n) == 0 ? 0 : -1;
	}
	free(proposed);
	return rc;
}

/* The answer, known to be the invitee's: recorded, and told if it must. */
static int
record(struct job *j, const struct referral *r, const struct meeting *m)
{
	const struct itip *t = &j->a.itip;
	const char *who, *late;
	char ref[24], seq[16], key[40], *proposed = NULL, *answer, *detail;
	int outdated, tell, rc;

	/* The attendee it names, else its sender (automatic mail: none). */
	if ((who = t->attendee) == NULL && (who = j->a.msg.from_addr) == NULL)
		who = "(no address)";
	refbot_ref(r->id, ref, sizeof(ref));
	/* The invitation it answers was replaced, or cancelled, since. */
	outdated = t->sequence < m->sequence || m->cancelled_at >= 0;
	tell = !outdated && (t->method == ITIP_COUNTER ||
	    t->partstat == ITIP_DECLINED);
	if (t->method == ITIP_COUNTER && (proposed = proposed_time(t)) == NULL)
		proposed = xstrdup("a time refbot could not read");
	if (!outdated)
		late = "";
	else if (m->cancelled_at >= 0)
		late = ", to a meeting since cancelled: outdated";
	else
		late = ", to an invitation since replaced: outdated";
	answer = xasprintf("%s%s%s", answer_words(t), proposed ? ": " : "",
	    proposed ? proposed : "");
	detail = xasprintf("%s (sequence %d)%s", answer, t->sequence, late);
	/* The history in each staff reader's words (staff-lines). */
	snprintf(seq, sizeof(seq), "%d", t->sequence);
	snprintf(key, sizeof(key), "history.meeting-%s", outdated ?
	    (m->cancelled_at >= 0 ? "cancelled" : "replaced") :
	    t->method == ITIP_COUNTER ? "counter" :
	    itip_partstat_name(t->partstat));
	{
		const struct render_var vars[] = {
			{ "count", seq }, { "text", proposed ? proposed : "" },
			{ "keyword", answer },
		};
		rc = history_add_words(j->rb, r->id, who, "meeting-answer",
		    NULL, NULL, NULL, key, vars, nitems(vars), NULL);
	}
	free(answer);
	if (rc == 0 && tell)
		rc = tell_staff(j->rb, r, m, t, who);
	if (rc == 0) {
		j->referral_id = r->id;
		j->disposition = outdated ? "meeting-answer-outdated" :
		    "meeting-answer";
		j->detail = xasprintf("%s: the meeting invitation answered by "
		    "%s: %s; %s", ref, who, detail, tell ? "managers told" :
		    "nobody told");
		log_info("message %lld: %s meeting answer (%s)%s",
		    (long long)j->row, ref, answer_words(t), outdated ?
		    ", outdated" : "");
	}
	free(detail);
	free(proposed);
	return rc;
}

int
intake_rsvp(struct job *j)
{
	static const char roles[] = { ROLE_MEETING, 0 };
	const struct itip *t = &j->a.itip;
	struct referral r;
	struct meeting m;
	char ref[24], *uid;
	int64_t id;
	int role, found, rc;

	if (t->method == ITIP_NONE)
		return 0;
	if (!replies_token_for(j->rb, &j->a, roles, &id, &role)) {
		j->aside = xasprintf("a calendar answer (%s) not counted: not "
		    "sent to a meeting invitation's signed organizer address",
		    answer_words(t));
		return 0;
	}
	refbot_ref(id, ref, sizeof(ref));
	uid = xasprintf("refbot-meeting-%lld@%s", (long long)id,
	    j->rb->cfg.message_id_domain);
	if ((found = db_meeting_get(j->rb->db, id, &m)) < 0) {
		free(uid);
		return -1;
	}
	if (found == 0 || m.attendee == NULL || strcmp(uid, t->uid) != 0) {
		j->aside = xasprintf("a calendar answer (%s) not counted: its "
		    "UID is not the meeting refbot sent for %s", answer_words(t),
		    ref);
		free(uid);
		meeting_free(&m);
		return 0;
	}
	free(uid);
	if ((found = db_referral_get(j->rb->db, id, &r)) <= 0) {
		meeting_free(&m);
		return found < 0 ? -1 : 0;	/* a meeting has its referral */
	}
	rc = record(j, &r, &m);
	referral_free(&r);
	meeting_free(&m);
	return rc < 0 ? -1 : 1;
}
