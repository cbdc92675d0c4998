/*
 * intake_answer: answers to refbot's own mail that is not about a
 * referral — the welcome kit, the blank form, a statement, the notice
 * that a message could not be read, the join instructions — and a
 * partner's mail with no referral in it.  Each such mail of ours carries
 * a signed token naming what it is (token.h), so every answer has a known
 * path: a filled form is a referral, anything else reaches staff with
 * what it answers, and a stranger's answer to the join instructions is a
 * partnership enquiry.  Called by decide() and intake_reply(), inside the
 * message's transaction; -1 means roll back and retry.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "db_partners.h"
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

/*
 * What each signed mail of ours is, as the record and staff read it: a
 * line of mail/staff-lines (context.*), in the reader's language.
 */
static const struct {
	int role;
	const char *key;
} answered[] = {
	{ ROLE_WELCOME, "context.welcome" },
	{ ROLE_FORM, "context.form" },
	{ ROLE_STATEMENT, "context.statement" },
	{ ROLE_NOTICE, "context.notice" },
	{ ROLE_JOIN, "context.join" },
	{ ROLE_NEWSLETTER, "context.newsletter" },
};

/* For a reply the form is read here: analyze() reads only new mail's. */
static void
read_form(struct job *j)
{
	struct reply_text rt;

	if (j->a.kind != KIND_REPLY)
		return;
	form_free(&j->a.form);
	reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
	form_read(j->rb->tmpl, rt.visible, &j->a.form);
	reply_text_free(&rt);
}

/* What the sender wrote above any quote, else all of it. */
static char *
written(const struct job *j)
{
	struct reply_text rt;
	char *s;

	reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
	s = xstrdup(*rt.visible ? rt.visible : j->a.msg.text);
	reply_text_free(&rt);
	return s;
}

/*
 * A stranger's answer to the join instructions sent for message msg: a
 * partnership enquiry, for staff (whose reply goes straight to them).
 */
static int
enquiry(struct job *j, int64_t msg)
{
	struct notify n;
	char num[24], *text = written(j);
	int rc;

	snprintf(num, sizeof(num), "#%lld", (long long)msg);
	{
		const struct render_var vars[] = {
			{ "sender", j->a.msg.from_addr },
			{ "subject", j->a.msg.subject },
			{ "message", num }, { "text", text },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-enquiry";
		n.vars = vars;
		n.nvars = nitems(vars);
		n.reply_to = j->a.msg.from_addr;
		n.alert_row = j->row;	/* rate-limited: a flood is summarised */
		rc = notify_staff(j->rb, &n);
	}
	free(text);
	j->disposition = "partnership-enquiry";
	j->detail = xasprintf("a reply to the how-to-join answer (message "
	    "%lld) from someone not a partner: passed to staff", (long long)msg);
	log_info("message %lld: partnership enquiry passed to staff",
	    (long long)j->row);
	return rc < 0 ? -1 : 0;
}

/*
 * Who answered decides the rest: staff (recorded), a partner (as any
 * mail the partner writes: a referral, STATUS, TEMPLATE, or a message for
 * staff), a stranger (a partnership enquiry when join, else told how to
 * become a partner).
 */
static int
by_sender(struct job *j, const char *context, int join, int64_t msg)
{
	struct refbot *rb = j->rb;
	struct partner p;
	int r;

	if (staff_is(rb, j->a.msg.from_addr)) {
		char *en = notify_line(rb, "en", context, NULL, 0);

		j->disposition = "staff-mail";
		j->detail = xasprintf("staff mail, %s: recorded", en);
		free(en);
		log_info("message %lld: staff mail about no referral recorded",
		    (long long)j->row);
		return 0;
	}
	if ((r = db_partner_by_sender(rb->db, j->a.msg.from_addr, &p)) < 0)
		return -1;
	if (r > 0 && p.active) {
		read_form(j);
		r = intake_from_partner(j, &p, context);
		partner_free(&p);
		return r;
	}
	if (r > 0)
		partner_free(&p);
	return join ? enquiry(j, msg) : intake_unknown_sender(j);
}

int
intake_answer(struct job *j)
{
	static const char roles[] = { ROLE_WELCOME, ROLE_FORM, ROLE_STATEMENT,
	    ROLE_NOTICE, ROLE_JOIN, ROLE_NEWSLETTER, 0 };
	const char *context = "context.reply";
	int64_t id;
	int role;
	size_t i;

	if (!replies_token_for(j->rb, &j->a, roles, &id, &role))
		return 0;
	if (role == ROLE_NEWSLETTER) {
		/* Only a referral: the rest is the newsletter's own. */
		read_form(j);
		if (!intake_is_submission(&j->a.form))
			return 0;
	}
	for (i = 0; i < nitems(answered); i++)
		if (answered[i].role == role)
			context = answered[i].key;
	return by_sender(j, context, role == ROLE_JOIN, id) < 0 ? -1 : 1;
}

int
intake_answer_unsigned(struct job *j)
{
	return by_sender(j, "context.unsigned", 0, 0);
}

/*
 * "a.pdf, b.xlsx", or "(none)", in lang's words (mail/staff-lines none,
 * attach.noname); caller frees.
 */
static char *
attachment_names(struct refbot *rb, const char *lang,
    const struct message *m)
{
	char *noname = notify_line(rb, lang, "attach.noname", NULL, 0);
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < m->nattachments; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", *m->attachments[i].name ?
		    m->attachments[i].name : noname);
	free(noname);
	if (b.len == 0) {
		buf_free(&b);
		return notify_line(rb, lang, "none", NULL, 0);
	}
	return buf_steal(&b);
}

int
intake_partner_message(struct job *j, const struct partner *p,
    const char *context)
{
	struct refbot *rb = j->rb;
	struct notify n;
	char *text = written(j), *refs = intake_references(&j->a.msg);
	char *files = attachment_names(rb, "en", &j->a.msg);
	char *files_ja = attachment_names(rb, "ja", &j->a.msg);
	char *what = notify_line(rb, "en", context ? context : "context.new",
	    NULL, 0);
	char *what_ja = notify_line(rb, "ja", context ? context :
	    "context.new", NULL, 0);
	char *manager;
	int rc, am;

	{
		const struct render_var vars[] = {
			{ "partner_name", p->name },
			{ "partner_email", p->email },
			{ "sender", j->a.msg.from_addr },
			{ "subject", j->a.msg.subject },
			{ "context", what }, { "attachments", files },
			{ "text", text },
		};
		const struct render_var ja[] = {
			{ "context", what_ja }, { "attachments", files_ja },
		};
		/*
		 * To the firm's account manager, else all staff; they reply
		 * to the partner directly.
		 */
		memset(&n, 0, sizeof(n));
		n.name = "staff-partner-message";
		n.vars = vars;
		n.nvars = nitems(vars);
		n.vars_ja = ja;
		n.nvars_ja = nitems(ja);
		n.reply_to = j->a.msg.from_addr;
		n.partner_id = p->id;
		am = staff_partner_manager(rb, p->id, &manager);
		free(manager);
		rc = am < 0 ? NOTIFY_RETRY : notify_staff(rb, &n);
		/* The partner: it reached the team; the form, if it was one. */
		memset(&n, 0, sizeof(n));
		n.name = "partner-message";
		n.lang = replies_partner_lang(j->rb, p, &j->a);
		n.rcpt = j->a.msg.from_addr;
		n.role = ROLE_FORM;
		n.token_id = p->id;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = j->a.msg.message_id;
		n.references = refs;
		n.auto_reply = 1;
		/* A reply the cap holds back is recorded by notify. */
		if (rc == 0 && (rc = notify_queue(rb, &n, NULL)) ==
		    NOTIFY_WITHHELD)
			rc = 0;
	}
	free(text);
	free(files);
	free(files_ja);
	free(what);
	free(what_ja);
	free(refs);
	j->disposition = "partner-message";
	j->detail = xasprintf("partner %lld: no referral in it (no form "
	    "field): forwarded to %s, the partner told it reached the team",
	    (long long)p->id, am > 0 ? "its account manager" :
	    "all staff (no account manager)");
	log_info("message %lld: partner %lld's message without a referral "
	    "passed to %s", (long long)j->row, (long long)p->id, am > 0 ?
	    "its account manager" : "all staff");
	return rc < 0 ? -1 : 0;
}
