/* assign: ASSIGN, the owner's handover. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "clock.h"
#include "db_staff.h"
#include "history_words.h"
#include "kvfile.h"
#include "log.h"
#include "meeting.h"
#include "notify.h"
#include "reply.h"
#include "staff.h"
#include "token.h"
#include "util.h"

/* The word for an event or actor in the reader's language, else s. */
static const char *
word(const struct kvfile *kv, const char *kind, const char *s, char **tmp)
{
	char *key = xasprintf("%s.%s", kind, s);

	free(*tmp);
	*tmp = kv->n > 0 ? refbot_line(kv, key, NULL, 0) : NULL;
	free(key);
	return *tmp != NULL ? *tmp : s;
}

/*
 * The referral's story so far, a line an entry, oldest first, with
 * refbot's own events, actors and details in lang (mail/staff-lines
 * event.*, actor.*, history.*); keywords, addresses, people's words and
 * rows recorded before as they are.
 */
static char *
history_text(struct refbot *rb, const struct referral *r, const char *lang)
{
	struct kvfile kv;
	struct buf b;
	char when[48], *ev = NULL, *who = NULL, *detail;
	size_t i;

	(void)refbot_mail_lines(rb, "staff-lines", lang, &kv);	/* or empty */
	buf_init(&b);
	for (i = 0; i < r->nhistory; i++) {
		const struct history_entry *e = &r->history[i];

		clock_text(e->at, 0, when, sizeof(when));
		buf_addf(&b, "%s  %-10s %s", when, word(&kv, "event",
		    e->event, &ev), word(&kv, "actor", e->actor, &who));
		if (e->to_status != NULL && (e->from_status == NULL ||
		    strcmp(e->from_status, e->to_status) != 0))
			buf_addf(&b, "  %s -> %s", e->from_status ?
			    e->from_status : "-", e->to_status);
		if ((detail = history_detail_text(&kv, e)) != NULL)
			buf_addf(&b, "  %s", detail);
		free(detail);
		buf_adds(&b, "\n");
	}
	free(ev);
	free(who);
	kvfile_free(&kv);
	return buf_steal(&b);
}

static int
tell_owner(struct refbot *rb, const struct referral *r, const char *owner,
    const char *before, const char *actor, const char *note)
{
	struct notify n;
	const char *lang = staff_lang(rb, owner);
	char ref[24], *history = history_text(rb, r, lang);
	int rc;

	refbot_ref(r->id, ref, sizeof(ref));
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "partner_name", r->partner_name ? r->partner_name :
			    "?" },
			{ "status", r->status }, { "by", actor },
			{ "previous", before ? before : "-" },
			{ "note", note && *note ? note : "-" },
			{ "history", history }, { "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-assigned";
		n.rcpt = owner;
		n.lang = lang;
		n.referral_id = r->id;
		n.role = ROLE_STAFF;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.sheet = r->status;
		rc = notify_queue(rb, &n, NULL);
	}
	free(history);
	return rc == 0 ? 0 : -1;
}

int
assign_apply(struct refbot *rb, const struct referral *r, const char *who,
    const char *actor, const char *message_id, const char *note,
    char **why, const char **key, char **whom)
{
	char *owner = NULL, *before = NULL;
	int found, rc = -1;

	*why = NULL;
	*key = NULL;
	*whom = NULL;
	if ((found = db_staff_find(rb->db, who, &owner)) < 0 ||
	    db_referral_owner(rb->db, r->id, &before) < 0)
		goto out;
	if (found != 1) {
		*why = xasprintf(found == 0 ? "nobody active in the staff "
		    "registry is '%s' (refbot staff list)" : "more than one "
		    "person in the staff registry is '%s': write the address",
		    who);
		*key = found == 0 ? "assign.nobody" : "assign.several";
		*whom = xstrdup(who);
		rc = 1;
		goto out;
	}
	if (before != NULL && strcmp(before, owner) == 0) {
		*why = xasprintf("%s owns it already", owner);
		*key = "assign.owner-already";
		*whom = xstrdup(owner);
		rc = 1;
		goto out;
	}
	{
		const struct render_var vars[] = {
			{ "previous", before ? before : "-" }, { "who", owner },
		};

		rc = db_referral_set_owner(rb->db, r->id, owner) != 0 ||
		    history_add_words(rb, r->id, actor, "ASSIGN", r->status,
		    r->status, message_id, "history.owner-moved", vars,
		    nitems(vars), NULL) != 0 ? -1 : 0;
	}
	if (rc == 0)
		rc = tell_owner(rb, r, owner, before, actor, note);
	if (rc == 0)
		rc = meeting_reassign(rb, r, owner);	/* its invitation */
	if (rc == 0)
		log_info("referral %lld: assigned to a new owner",
		    (long long)r->id);
out:
	free(owner);
	free(before);
	return rc;
}
