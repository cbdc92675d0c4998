/*
 * intake_forward: a partner's mail that a staff member forwarded to the
 * intake address, inline or as an attached message.  Nothing is
 * recorded on the forward alone: it is kept as a draft and the staff
 * member gets a preview (what refbot read, for which partner) with a
 * signed reply address; their OK through it records the referral on
 * the partner's behalf, attributed to the original sender, exactly as
 * if the partner had mailed it (intake_referral_add); a forward of a
 * non-partner's mail records nothing and tells them so.  Called by
 * decide() inside the message's transaction; -1 means roll back and
 * retry.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_partners.h"
#include "db_pending.h"
#include "forward.h"
#include "intake.h"
#include "intake_int.h"
#include "intake_text.h"
#include "log.h"
#include "notify.h"
#include "render.h"
#include "replies.h"
#include "reply.h"
#include "staff.h"
#include "token.h"
#include "util.h"

/* The preview, to the staff member who forwarded it. */
static int
preview(struct job *j, const struct partner *p, const struct forwarded *fw,
    const struct form *f, int64_t id)
{
	struct refbot *rb = j->rb;
	struct notify n;
	/* In the language of the staff member who forwarded it. */
	const char *lang = staff_lang(rb, j->a.msg.from_addr);
	char draft[24], *fields, *problems, *reasons, *outcome, *none, *key, *key2;
	int rc;

	snprintf(draft, sizeof(draft), "%lld", (long long)id);
	fields = intake_fields_text(f, lang);
	problems = intake_problems_text(rb, f, lang);
	reasons = intake_rules_text(f, lang);
	key = xasprintf("outcome.%s", form_outcome_name(f->outcome));
	outcome = notify_line(rb, lang, key, NULL, 0);
	key2 = notify_line(rb, lang, "none", NULL, 0);
	none = xasprintf("  %s", key2);	/* indented as the lines are */
	free(key2);
	{
		const struct render_var vars[] = {
			{ "draft", draft },
			{ "partner_name", p->name },
			{ "partner_email", p->email },
			{ "sender", fw->from_addr },
			{ "subject", fw->subject ? fw->subject : "" },
			{ "outcome", outcome },
			{ "fields", fields },
			{ "problems", *problems ? problems : none },
			{ "reasons", *reasons ? reasons : none },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-forward-preview";
		n.lang = lang;
		n.rcpt = j->a.msg.from_addr;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.role = ROLE_FORWARD;
		n.token_id = id;
		n.in_reply_to = j->a.msg.message_id;
		/* An answer to the staff member: it counts toward their cap. */
		n.auto_reply = 1;
		if ((rc = notify_queue(rb, &n, NULL)) == NOTIFY_WITHHELD)
			rc = 0;
	}
	free(fields);
	free(problems);
	free(reasons);
	free(key);
	free(outcome);
	free(none);
	return rc;
}

/*
 * A forward whose original sender is no active partner: nothing to
 * record, and the staff member is told why and what they can do.
 */
static int
not_partner(struct job *j, const struct forwarded *fw)
{
	const struct render_var vars[] = {
		{ "sender", fw->from_addr },
		{ "subject", fw->subject ? fw->subject : "" },
		{ "marker", REPLY_MARKER },
	};
	struct notify n;
	int rc;

	memset(&n, 0, sizeof(n));
	n.name = "staff-forward-not-partner";
	n.rcpt = j->a.msg.from_addr;
	n.lang = staff_lang(j->rb, n.rcpt);
	n.vars = vars;
	n.nvars = nitems(vars);
	n.in_reply_to = j->a.msg.message_id;
	n.auto_reply = 1;
	if ((rc = notify_queue(j->rb, &n, NULL)) == NOTIFY_WITHHELD)
		rc = 0;
	return rc;
}

int
intake_forward(struct job *j)
{
	struct refbot *rb = j->rb;
	struct forward_draft d;
	struct forwarded fw;
	const struct forwarded *src = &fw;
	struct partner p;
	struct form f;
	int64_t id;
	int r;

	/* Attached (message/rfc822) is unambiguous; else an inline one. */
	memset(&fw, 0, sizeof(fw));
	if (j->a.attached.from_addr != NULL)
		src = &j->a.attached;
	else if (!forward_parse(j->a.msg.text, &fw))
		return 0;
	if ((r = db_partner_by_sender(rb->db, src->from_addr, &p)) <= 0 ||
	    !p.active) {
		if (r > 0)
			partner_free(&p);
		r = r < 0 ? -1 : not_partner(j, src);
		forwarded_free(&fw);
		if (r < 0)
			return -1;
		j->disposition = "forward";
		j->detail = xstrdup("staff forwarded mail whose original sender "
		    "is not an active partner: nothing recorded; the staff "
		    "member was told");
		log_info("message %lld: forward of a non-partner's mail "
		    "recorded, staff member told", (long long)j->row);
		return 1;
	}
	form_read(rb->tmpl, src->text, &f);
	memset(&d, 0, sizeof(d));
	d.partner_id = p.id;
	d.author = j->a.msg.from_addr;
	d.sender = src->from_addr;
	d.subject = src->subject;
	d.body = src->text;
	d.message_row = j->row;
	r = db_forward_add(rb->db, &d, &id) != 0 ? -1 :
	    preview(j, &p, src, &f, id);
	if (r == 0) {
		j->disposition = "forward-preview";
		j->detail = xasprintf("forward of partner %lld's mail kept as "
		    "draft %lld (%s, %zu fields); preview sent to the staff "
		    "member", (long long)p.id, (long long)id,
		    form_outcome_name(f.outcome), f.nvalues);
		log_info("message %lld: forward of partner %lld's mail: draft "
		    "%lld, preview sent", (long long)j->row, (long long)p.id,
		    (long long)id);
	}
	form_free(&f);
	partner_free(&p);
	forwarded_free(&fw);
	return r < 0 ? -1 : 1;
}

/* Records draft d's referral now that its staff member said OK. */
static int
confirm(struct job *j, const struct forward_draft *d)
{
	struct refbot *rb = j->rb;
	char idbuf[24], draft[24], *detail = NULL;
	struct partner p;
	struct form f;
	int64_t ref;
	int found, rc = -1;

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)d->partner_id);
	if ((found = db_partner_find(rb->db, idbuf, &p)) <= 0) {
		if (found == 0) {
			j->disposition = "forward-confirmed";
			j->detail = xasprintf("forward draft %lld: its partner "
			    "no longer exists; nothing recorded",
			    (long long)d->id);
		}
		return found < 0 ? -1 : 0;
	}
	snprintf(draft, sizeof(draft), "%lld", (long long)d->id);
	form_read(rb->tmpl, d->body, &f);
	{
		const struct render_var vars[] = {
			{ "who", j->a.msg.from_addr }, { "draft", draft },
		};
		const struct intake_add o = { .actor = j->a.msg.from_addr,
		    .submitted_by = d->sender,
		    .detail_key = "history.forwarded", .detail_vars = vars,
		    .ndetail_vars = nitems(vars), .subject = d->subject };

		if (intake_referral_add(rb, &p, &f, &o, d->message_row, &ref,
		    &detail) == 0 && db_forward_done(rb->db, d->id, ref) >= 0)
			rc = 0;
	}
	if (rc == 0) {
		j->referral_id = ref;
		j->disposition = "forward-confirmed";
		j->detail = xasprintf("forward draft %lld confirmed: %s, for "
		    "partner %lld", (long long)d->id, detail,
		    (long long)p.id);
		log_info("message %lld: forward draft %lld confirmed by staff: "
		    "referral %lld", (long long)j->row, (long long)d->id,
		    (long long)ref);
	}
	free(detail);
	form_free(&f);
	partner_free(&p);
	return rc;
}

/*
 * The staff answer to a signed preview of role (a forward's, a GIVEN
 * mail's): 0 when the mail is not one; 1 when it was handled here (not
 * from staff, or unverified: the disposition says so, with what, the
 * draft's name, in its detail); 2 with *id and *answer (PREVIEW_OK,
 * PREVIEW_CANCEL, PREVIEW_UNCLEAR).
 */
int
intake_preview_answer(struct job *j, int role, const char *refused,
    const char *what, int64_t *id, int *answer)
{
	static const char *cancel[] = { "cancel", "no", "取消", "キャンセル" };
	const char roles[] = { (char)role, 0 };
	struct refbot *rb = j->rb;
	struct reply_text rt;
	size_t i;
	int got, no = 0;

	if (!replies_token_for(rb, &j->a, roles, id, &got))
		return 0;
	/* The token proves the mail was seen; only its staff may answer. */
	if (!staff_is(rb, j->a.msg.from_addr)) {
		j->disposition = refused;
		j->detail = xasprintf("reply to %s %lld's preview from a "
		    "non-staff address: nothing recorded", what,
		    (long long)*id);
		log_info("message %lld: %s", (long long)j->row, j->detail);
		return 1;
	}
	if (rb->cfg.require_auth && !replies_auth_ok(rb, &j->a.msg)) {
		j->disposition = "staff-unverified";
		j->detail = xasprintf("reply to %s %lld's preview without DKIM "
		    "or SPF pass from the trusted server", what,
		    (long long)*id);
		return 1;
	}
	reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
	for (i = 0; i < nitems(cancel); i++)
		no |= ascii_strncasecmp(rt.visible, cancel[i],
		    strlen(cancel[i])) == 0;
	*answer = no ? PREVIEW_CANCEL : replies_just_ok(rt.visible) ?
	    PREVIEW_OK : PREVIEW_UNCLEAR;
	reply_text_free(&rt);
	return 2;
}

int
intake_forward_reply(struct job *j)
{
	struct refbot *rb = j->rb;
	struct forward_draft d;
	int64_t id;
	int r, answer;

	if ((r = intake_preview_answer(j, ROLE_FORWARD, "forward-refused",
	    "forward draft", &id, &answer)) != 2)
		return r;
	if ((r = db_forward_get(rb->db, id, &d)) <= 0) {
		if (r < 0)
			return -1;
		j->disposition = "forward-confirmed";
		j->detail = xasprintf("forward draft %lld does not exist",
		    (long long)id);
		return 1;
	}
	r = 0;
	if (d.confirmed_at != 0) {
		j->disposition = "forward-confirmed";
		j->detail = xasprintf("forward draft %lld was already %s",
		    (long long)id, d.referral_id ? "confirmed" : "cancelled");
	} else if (answer == PREVIEW_CANCEL) {
		r = db_forward_done(rb->db, id, 0) < 0 ? -1 : 0;
		j->disposition = "forward-cancelled";
		j->detail = xasprintf("forward draft %lld cancelled by staff",
		    (long long)id);
	} else if (answer == PREVIEW_OK)
		r = confirm(j, &d);
	else {
		j->disposition = "forward-unclear";
		j->detail = xasprintf("reply to forward draft %lld's preview "
		    "is neither OK nor CANCEL: nothing recorded",
		    (long long)id);
	}
	forward_draft_free(&d);
	return r < 0 ? -1 : 1;
}
