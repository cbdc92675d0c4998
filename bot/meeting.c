/* meeting: MEETING's date and time, and the invitation to staff. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "db.h"
#include "db_meetings.h"
#include "ical.h"
#include "log.h"
#include "meeting.h"
#include "notify.h"
#include "reply.h"
#include "staff.h"
#include "token.h"
#include "util.h"

char *
meeting_when(const struct keyword_cmd *cmd)
{
	if (cmd->date == NULL)
		return NULL;
	if (cmd->minute < 0)
		return xstrdup(cmd->date);
	if (cmd->end_minute > cmd->minute)
		return xasprintf("%s %02d:%02d-%02d:%02d", cmd->date,
		    cmd->minute / 60, cmd->minute % 60, cmd->end_minute / 60,
		    cmd->end_minute % 60);
	return xasprintf("%s %02d:%02d", cmd->date, cmd->minute / 60,
	    cmd->minute % 60);
}

/*
 * Who is invited (caller frees): the referral's owner (staff.h), else the
 * staff member who sent the keyword (replies_staff let it through only
 * from a staff address with the referral's signed staff token); from the
 * CLI without an owner, nobody.  The one place this is decided.
 */
static char *
invitee(struct refbot *rb, const struct referral *r, const char *actor)
{
	char *owner = staff_owner_of(rb, r->id);

	if (owner != NULL)
		return owner;
	return actor != NULL && strchr(actor, '@') != NULL ? xstrdup(actor) :
	    NULL;
}

/* Queues the invitation (or its cancellation) m describes. */
static int
send_invitation(struct refbot *rb, const struct referral *r,
    const struct meeting *m, int cancel)
{
	struct ical_event ev;
	struct notify n;
	char ref[24], when[64], *uid, *summary, *desc, *ics, *organizer;
	const char *key;
	size_t keylen;
	int rc;

	refbot_ref(r->id, ref, sizeof(ref));
	if (m->starts_at >= 0)
		clock_text(m->starts_at, 0, when, sizeof(when));
	else
		snprintf(when, sizeof(when), "%s", m->day);
	uid = xasprintf("refbot-meeting-%lld@%s", (long long)r->id,
	    rb->cfg.message_id_domain);
	summary = xasprintf("%s: %s", ref, r->client ? r->client : "?");
	desc = xasprintf("%s, %s%s%s", ref, r->client ? r->client : "?",
	    r->partner_name ? " / " : "", r->partner_name ? r->partner_name :
	    "");
	memset(&ev, 0, sizeof(ev));
	ev.uid = uid;
	ev.sequence = m->sequence;
	ev.cancel = cancel;
	ev.day = m->starts_at >= 0 ? NULL : m->day;
	ev.start = m->starts_at;
	ev.minutes = m->minutes;
	ev.stamp = clock_now();
	ev.summary = summary;
	ev.description = desc;
	/*
	 * Calendar clients answer the organizer: a signed address, so an
	 * answer is the invitee's, never anyone's who knows the UID.
	 */
	key = notify_key(rb, &keylen);
	organizer = token_address(key, keylen, rb->cfg.intake_address, r->id,
	    ROLE_MEETING);
	ev.organizer = organizer;
	ev.organizer_name = rb->cfg.from_name;
	ev.attendee = m->attendee;
	if ((ics = ical_build(&ev)) == NULL) {
		log_warnx("%s: meeting day %s is not a date", ref, m->day);
		rc = -1;
		goto out;
	}
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "partner_name", r->partner_name ? r->partner_name :
			    "" },
			{ "when", when }, { "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = cancel ? "meeting-cancel" : "meeting-invite";
		n.rcpt = m->attendee;
		n.lang = staff_lang(rb, m->attendee);
		n.referral_id = r->id;
		n.role = ROLE_STAFF;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.calendar = ics;
		n.calendar_method = cancel ? "CANCEL" : "REQUEST";
		rc = notify_queue(rb, &n, NULL) < 0 ? -1 : 0;
	}
	if (rc == 0)
		log_info("%s: meeting %s sent (sequence %d)", ref, cancel ?
		    "cancellation" : "invitation", m->sequence);
out:
	free(ics);
	free(organizer);
	free(uid);
	free(summary);
	free(desc);
	return rc;
}

int
meeting_apply(struct refbot *rb, const struct referral *r,
    const struct keyword_cmd *cmd, const char *actor)
{
	struct meeting m;
	char *who = NULL;
	int found, y, mo, d, rc = -1;

	if (!(cmd->kw == KW_MEETING && cmd->date != NULL) &&
	    cmd->kw != KW_LOST && cmd->kw != KW_DECLINED)
		return 0;
	who = invitee(rb, r, actor);
	if ((found = db_meeting_get(rb->db, r->id, &m)) < 0)
		goto out;
	if (cmd->kw != KW_MEETING) {
		/* Cancelled once; nothing to cancel when nobody was invited. */
		if (found == 0 || m.cancelled_at >= 0 || m.attendee == NULL) {
			rc = 0;
			goto out;
		}
		m.sequence++;
		m.cancelled_at = clock_now();
		rc = db_meeting_put(rb->db, r->id, &m, clock_now()) != 0 ? -1 :
		    send_invitation(rb, r, &m, 1);
		goto out;
	}
	if (sscanf(cmd->date, "%4d-%2d-%2d", &y, &mo, &d) != 3)
		goto out;	/* keyword_parse wrote it: cannot happen */
	/* The same event, newer: SEQUENCE counts every mail about it. */
	m.sequence = found ? m.sequence + 1 : 0;
	/*
	 * Someone else now holds it (another staff member moved it, or the
	 * owner changed): the first invitee's calendar loses the event as
	 * it was, and the new one gets it with the next SEQUENCE.
	 */
	if (found && who != NULL && m.attendee != NULL &&
	    m.cancelled_at < 0 && strcasecmp(who, m.attendee) != 0) {
		if (send_invitation(rb, r, &m, 1) != 0)
			goto out;
		m.sequence++;
	}
	free(m.day);
	m.day = xstrdup(cmd->date);
	m.minute = cmd->minute;
	m.starts_at = cmd->minute < 0 ? -1 : clock_at(y, mo, d,
	    cmd->minute / 60) + 60 * (cmd->minute % 60);
	/* As long as the span written, else the configured length. */
	m.minutes = cmd->end_minute > cmd->minute ? cmd->end_minute -
	    cmd->minute : rb->cfg.meeting_minutes;
	m.cancelled_at = -1;
	if (who != NULL) {
		free(m.attendee);
		m.attendee = xstrdup(who);
	}
	if (db_meeting_put(rb->db, r->id, &m, clock_now()) != 0)
		goto out;
	rc = m.attendee != NULL ? send_invitation(rb, r, &m, 0) : 0;
out:
	meeting_free(&m);
	free(who);
	return rc;
}

/*
 * An invitation still to come (not cancelled, not over) held by someone
 * other than owner: true for m.
 */
static int
moves(const struct meeting *m, const char *owner)
{
	int64_t now = clock_now();
	struct tm tm;
	char today[16];

	if (m->attendee == NULL || m->cancelled_at >= 0 ||
	    strcasecmp(m->attendee, owner) == 0)
		return 0;
	if (m->starts_at >= 0)
		return m->starts_at + 60 * (int64_t)m->minutes > now;
	strftime(today, sizeof(today), "%Y-%m-%d", clock_local(now, &tm));
	return strcmp(m->day, today) >= 0;
}

int
meeting_reassign(struct refbot *rb, const struct referral *r,
    const char *owner)
{
	struct meeting m;
	int found, rc = 0;

	if ((found = db_meeting_get(rb->db, r->id, &m)) <= 0)
		return found;
	if (moves(&m, owner)) {
		/* As a MEETING by someone else does (meeting_apply). */
		m.sequence++;
		rc = send_invitation(rb, r, &m, 1);
		m.sequence++;
		free(m.attendee);
		m.attendee = xstrdup(owner);
		if (rc == 0 && db_meeting_put(rb->db, r->id, &m,
		    clock_now()) != 0)
			rc = -1;
		if (rc == 0)
			rc = send_invitation(rb, r, &m, 0);
	}
	meeting_free(&m);
	return rc;
}
