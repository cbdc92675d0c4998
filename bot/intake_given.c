/*
 * intake_given: a staff member's GIVEN mail to the intake (issue 19.4),
 * "GIVEN partner@firm.example" with "Client: ..." below it: a referral
 * the firm gave that partner.  Nothing is recorded on the mail alone: it
 * is kept as a draft and the staff member gets a preview with a signed
 * reply address (ROLE_GIVEN); their OK through it records it as
 * "refbot given add" does, CANCEL drops it.  A GIVEN mail that cannot be
 * recorded (no client, an unknown partner) gets the reason back.
 * Called by decide() inside the message's transaction; -1 means roll
 * back and retry.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db_given.h"
#include "db_partners.h"
#include "intake_int.h"
#include "keyword.h"
#include "log.h"
#include "notify.h"
#include "reply.h"
#include "staff.h"
#include "token.h"
#include "util.h"

/* Mail to the staff member who sent the GIVEN mail: text name, vars. */
static int
to_author(struct job *j, const char *name, const struct render_var *vars,
    size_t nvars, int64_t draft)
{
	struct notify n;
	int rc;

	memset(&n, 0, sizeof(n));
	n.name = name;
	n.rcpt = j->a.msg.from_addr;
	n.lang = staff_lang(j->rb, n.rcpt);
	n.vars = vars;
	n.nvars = nvars;
	if (draft > 0) {
		n.role = ROLE_GIVEN;
		n.token_id = draft;
	}
	n.in_reply_to = j->a.msg.message_id;
	/* An answer to the staff member: it counts toward their cap. */
	n.auto_reply = 1;
	if ((rc = notify_queue(j->rb, &n, NULL)) == NOTIFY_WITHHELD)
		rc = 0;
	return rc;
}

/*
 * A GIVEN mail that cannot be recorded: why (key, a given.* line of
 * mail/staff-lines, and its {{text}}), back to its author in their
 * language; the message's detail says it in English.
 */
static int
refuse(struct job *j, const char *partner, const char *key,
    const char *text)
{
	const struct render_var why[] = { { "text", text ? text : "" } };
	char *en = notify_line(j->rb, "en", key, why, nitems(why));
	char *problem = notify_line(j->rb, staff_lang(j->rb,
	    j->a.msg.from_addr), key, why, nitems(why));
	const struct render_var vars[] = {
		{ "partner", partner ? partner : "" },
		{ "problem", problem },
		{ "marker", REPLY_MARKER },
	};
	int r;

	j->disposition = "given-refused";
	j->detail = xasprintf("GIVEN mail from staff not recorded: %s", en);
	log_info("message %lld: GIVEN mail from staff refused",
	    (long long)j->row);
	r = to_author(j, "staff-given-problem", vars, nitems(vars), 0) < 0 ?
	    -1 : 1;
	free(problem);
	free(en);
	return r;
}

int
intake_given(struct job *j)
{
	struct refbot *rb = j->rb;
	struct given_draft d;
	struct given_mail g;
	struct reply_text rt;
	struct partner p;
	char draft[24];
	int64_t id;
	int r;

	reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
	r = given_mail_parse(rb->keywords, j->a.msg.subject, rt.visible, &g);
	reply_text_free(&rt);
	if (r == 0)
		return 0;
	if (g.err != GIVEN_ERR_NONE) {
		r = refuse(j, g.partner, given_err_key(g.err), g.err_text);
		given_mail_free(&g);
		return r;
	}
	if ((r = db_partner_find(rb->db, g.partner, &p)) <= 0 || !p.active) {
		if (r > 0)
			partner_free(&p);
		r = r < 0 ? -1 : refuse(j, g.partner, "given.not-partner",
		    NULL);
		given_mail_free(&g);
		return r;
	}
	memset(&d, 0, sizeof(d));
	d.partner_id = p.id;
	d.author = j->a.msg.from_addr;
	d.client = g.client;
	d.contact = g.contact;
	d.note = g.note;
	d.message_row = j->row;
	r = db_given_draft_add(rb->db, &d, clock_now(), &id) != 0 ? -1 : 0;
	if (r == 0) {
		const struct render_var vars[] = {
			{ "draft", draft },
			{ "partner_name", p.name },
			{ "partner_email", p.email },
			{ "client", g.client },
			{ "contact", g.contact ? g.contact : "-" },
			{ "note", g.note ? g.note : "-" },
			{ "marker", REPLY_MARKER },
		};

		snprintf(draft, sizeof(draft), "%lld", (long long)id);
		r = to_author(j, "staff-given-preview", vars, nitems(vars), id);
	}
	if (r == 0) {
		j->disposition = "given-preview";
		j->detail = xasprintf("GIVEN to partner %lld kept as draft "
		    "%lld; preview sent to the staff member", (long long)p.id,
		    (long long)id);
		log_info("message %lld: GIVEN to partner %lld: draft %lld, "
		    "preview sent", (long long)j->row, (long long)p.id,
		    (long long)id);
	}
	partner_free(&p);
	given_mail_free(&g);
	return r < 0 ? -1 : 1;
}

int
intake_given_reply(struct job *j)
{
	struct refbot *rb = j->rb;
	struct given_draft d;
	int64_t id, gid;
	int r, answer;

	if ((r = intake_preview_answer(j, ROLE_GIVEN, "given-refused",
	    "given draft", &id, &answer)) != 2)
		return r;
	if ((r = db_given_draft_get(rb->db, id, &d)) <= 0) {
		if (r < 0)
			return -1;
		j->disposition = "given-confirmed";
		j->detail = xasprintf("given draft %lld does not exist",
		    (long long)id);
		return 1;
	}
	r = 0;
	if (d.confirmed_at != 0) {
		j->disposition = "given-confirmed";
		j->detail = xasprintf("given draft %lld was already %s",
		    (long long)id, d.given_id ? "confirmed" : "cancelled");
	} else if (answer == PREVIEW_CANCEL) {
		r = db_given_draft_done(rb->db, id, 0, clock_now()) < 0 ? -1 : 0;
		j->disposition = "given-cancelled";
		j->detail = xasprintf("given draft %lld cancelled by staff",
		    (long long)id);
	} else if (answer == PREVIEW_OK) {
		/* What "refbot given add" records, with who and which mail. */
		if (db_given_add(rb->db, d.partner_id, clock_now(), d.client,
		    d.contact, d.note, j->a.msg.from_addr, d.message_row,
		    &gid) != 0 || db_given_draft_done(rb->db, id, gid,
		    clock_now()) < 0)
			r = -1;
		else {
			j->disposition = "given-confirmed";
			j->detail = xasprintf("given draft %lld confirmed: given "
			    "%lld, for partner %lld", (long long)id,
			    (long long)gid, (long long)d.partner_id);
			log_info("message %lld: given draft %lld confirmed by "
			    "staff: given %lld", (long long)j->row,
			    (long long)id, (long long)gid);
		}
	} else {
		j->disposition = "given-unclear";
		j->detail = xasprintf("reply to given draft %lld's preview is "
		    "neither OK nor CANCEL: nothing recorded", (long long)id);
	}
	given_draft_free(&d);
	return r < 0 ? -1 : 1;
}
