/*
 * intake: classifying and acting on one inbound message: what kind of
 * mail it is decides which part acts (intake_referral.c for referrals and
 * their threads, intake_aside.c for mail set aside), all in one
 * transaction that ends with the message's recorded disposition.  The
 * parsing is done by the parser child (parserchild.c), once.
 */
#include "config.h"

#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "analyze.h"
#include "classify.h"
#include "clock.h"
#include "contacts.h"
#include "db_attachments.h"
#include "db_messages.h"
#include "db_outbox.h"
#include "db_partners.h"
#include "db_pending.h"
#include "db_referrals.h"
#include "enable.h"
#include "fault.h"
#include "firmstatus.h"
#include "intake.h"
#include "intake_int.h"
#include "intake_text.h"
#include "keyword.h"
#include "log.h"
#include "mailout.h"
#include "newsletter.h"
#include "notify.h"
#include "parserchild.h"
#include "rawhdr.h"
#include "render.h"
#include "replies.h"
#include "reply.h"
#include "staff.h"
#include "token.h"
#include "util.h"

int
intake_unknown_sender(struct job *j)
{
	const struct render_var vars[] = {
		{ "subject", j->a.msg.subject },
		{ "from_name", j->rb->cfg.from_name },
		{ "intake_address", j->rb->cfg.intake_address },
		{ "sender", j->a.msg.from_addr },
		{ "text", j->a.msg.text },
	};
	struct notify n;
	char *refs = intake_references(&j->a.msg);
	int rc = 0;

	j->disposition = "unknown-sender";
	j->detail = xstrdup("sender is not a registered partner");
	log_info("message %lld: sender is not a registered partner",
	    (long long)j->row);
	memset(&n, 0, sizeof(n));
	/* How to become a partner, unless the policy is to notify only. */
	if (j->rb->cfg.unknown_reply) {
		n.name = "not-partner";
		n.lang = refbot_partner_lang(NULL, j->a.lang);
		n.rcpt = j->a.msg.from_addr;
		/* A reply is a partnership enquiry (intake_answer.c). */
		n.role = ROLE_JOIN;
		n.token_id = j->row;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = j->a.msg.message_id;
		n.references = refs;
		n.auto_reply = 1;
		/* A reply the cap holds back is recorded by notify. */
		if ((rc = notify_queue(j->rb, &n, NULL)) == NOTIFY_WITHHELD)
			rc = 0;
	}
	if (rc == 0) {
		memset(&n, 0, sizeof(n));
		n.name = "staff-unknown";
		n.vars = vars;
		n.nvars = nitems(vars);
		n.reply_to = j->a.msg.from_addr;	/* staff answer them */
		n.alert_row = j->row;	/* rate-limited: a flood is summarised */
		rc = notify_staff(j->rb, &n);
	}
	free(refs);
	return rc;
}

/*
 * What text's first line asks: 2 "STATUS REF-000123", 1 STATUS alone,
 * 0 neither (then *cmd is freed).
 */
static int
status_kind(struct refbot *rb, const char *text, struct keyword_cmd *cmd)
{
	struct tm today;

	if (keyword_parse(rb->keywords, text, rb->cfg.currency,
	    clock_local(clock_now(), &today), cmd) == 0 &&
	    cmd->kw == KW_STATUS && (cmd->ref > 0 || cmd->text == NULL))
		return cmd->ref > 0 ? 2 : 1;
	keyword_cmd_free(cmd);
	return 0;
}

/* STATUS alone from a partner's contact: the firm's open referrals. */
static int
firm_status(struct job *j, const struct partner *p)
{
	int n = firmstatus_send(j->rb, &j->a, p);

	if (n < 0)
		return -1;
	j->disposition = "status-request";
	j->detail = xasprintf("status of partner %lld's %d open referrals "
	    "sent", (long long)p->id, n);
	log_info("message %lld: %s", (long long)j->row, j->detail);
	return 1;
}

/*
 * "STATUS REF-000123" sent to the intake address (first line or
 * subject): answered to the referring firm's contacts only; STATUS alone
 * (firm_status).  Returns 1 when the message was such a request, 0 when
 * it was not, -1 on a database error.
 */
static int
status_request(struct job *j, const struct partner *p)
{
	struct refbot *rb = j->rb;
	struct keyword_cmd cmd, subj;
	struct referral r;
	int found, rc = 1, kind, skind = 0;

	/* The first line, else the subject; one with a reference first. */
	if ((kind = status_kind(rb, j->a.msg.text, &cmd)) != 2 &&
	    (skind = status_kind(rb, j->a.msg.subject, &subj)) != 0) {
		if (skind > kind) {
			if (kind != 0)
				keyword_cmd_free(&cmd);
			cmd = subj;
			kind = skind;
		} else {
			keyword_cmd_free(&subj);
			skind = 0;	/* the body's, not the subject's */
		}
	}
	/* A referral whose subject is just "Status" is a referral. */
	if (kind == 1 && skind == 1 && j->a.form.nvalues > 0) {
		keyword_cmd_free(&cmd);
		kind = 0;
	}
	if (kind == 0)
		return 0;
	if (kind == 1) {
		keyword_cmd_free(&cmd);
		return firm_status(j, p);
	}
	found = db_referral_get(rb->db, cmd.ref, &r);
	if (found < 0) {
		keyword_cmd_free(&cmd);
		return -1;
	}
	j->disposition = "status-request";
	if (found > 0 && r.partner_id == p->id) {
		j->referral_id = r.id;
		j->detail = xasprintf("status of referral %lld sent",
		    (long long)r.id);
		if (replies_status(rb, &j->a, &r, p) != 0)
			rc = -1;
	} else
		j->detail = xasprintf("status of referral %lld asked by "
		    "someone else: not answered", (long long)cmd.ref);
	log_info("message %lld: %s", (long long)j->row, j->detail);
	if (found > 0)
		referral_free(&r);
	keyword_cmd_free(&cmd);
	return rc;
}

/*
 * TEMPLATE (HELP, テンプレート, ヘルプ) alone, from a partner: the blank
 * form comes back.  Returns 1 when the message was such a request, 0
 * when it was not, -1 on a database error.
 */
static int
form_request(struct job *j, const struct partner *p)
{
	struct reply_text rt;
	char *refs;
	int is, rc;

	/* A filled form is never a request for one: no need to read on. */
	if (j->a.form.nvalues > 0)
		return 0;
	reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
	is = classify_form_request(j->rb->keywords, j->a.msg.subject,
	    rt.visible, j->a.form.nvalues);
	reply_text_free(&rt);
	if (!is)
		return 0;
	refs = intake_references(&j->a.msg);
	if ((rc = enable_form_reply(j->rb, &j->a, p, refs)) == NOTIFY_WITHHELD)
		rc = 0;
	free(refs);
	j->disposition = "form-request";
	j->detail = xstrdup("the partner asked for the form; sent");
	log_info("message %lld: partner %lld asked for the form",
	    (long long)j->row, (long long)p->id);
	return rc < 0 ? -1 : 1;
}

/*
 * A delivery report about mail we sent: the outbox row is marked, and a
 * hard bounce (failed, 5.x.x) to a partner's address flags the partner
 * and tells staff, once per report.
 */
static int
bounce(struct job *j)
{
	struct refbot *rb = j->rb;
	struct outmail m;
	const char *action = j->a.dsn_action ? j->a.dsn_action : "?";
	const char *st = j->a.dsn_status ? j->a.dsn_status : "?";
	char *why = xasprintf("%s %s", action, st);
	int hard = strcasecmp(action, "failed") == 0 && st[0] == '5';
	int found, rc = 0, partner = 0, contact = 0;

	found = db_outbox_bounce(rb->db, j->a.dsn_message_id, why, &m);
	if (found < 0) {
		free(why);
		return -1;
	}
	j->disposition = "bounce";
	if (found == 0) {
		j->detail = xasprintf("report (%s) about mail we have no record "
		    "of", why);
		free(why);
		return 0;
	}
	j->referral_id = m.referral_id;
	if (hard && (partner = db_partner_bounced(rb->db, m.rcpt, why)) < 0)
		rc = -1;
	/* A soft bounce (delayed, 4.x.x) is only counted. */
	if (!hard && db_partner_soft_bounce(rb->db, m.rcpt) < 0)
		rc = -1;
	/* Another contact of a firm: flagged, their mail goes to the main. */
	if (rc == 0 && hard && partner == 0 &&
	    (contact = contacts_bounced(rb, m.rcpt, why)) < 0)
		rc = -1;
	if (rc == 0 && (partner > 0 || contact > 0)) {
		char outbox[24];
		const struct render_var vars[] = {
			{ "outbox", outbox }, { "kind", m.kind },
			{ "action", action }, { "status", st },
			{ "rcpt", m.rcpt },
		};

		snprintf(outbox, sizeof(outbox), "%lld", (long long)m.id);
		rc = notify_alert(rb, j->row, partner > 0 ? "bounce" :
		    "contact-bounce", vars, nitems(vars),
		    rb->cfg.processed_folder, "nothing");
	}
	j->detail = xasprintf("outbox %lld (%s) %s%s", (long long)m.id, m.kind,
	    why, partner > 0 ? "; partner address flagged" : contact > 0 ?
	    "; contact address flagged" : "");
	log_info("message %lld: delivery report for outbox %lld: %s",
	    (long long)j->row, (long long)m.id, why);
	outmail_free(&m);
	free(why);
	return rc;
}

/* Everything inside the transaction; -1 means roll back and retry. */
static int
decide(struct job *j)
{
	struct refbot *rb = j->rb;
	struct partner p;
	int r;

	if ((r = db_message_seen_id(rb->db, j->dedup_id, j->row)) != 0) {
		if (r < 0)
			return -1;
		j->disposition = "duplicate-message";
		j->detail = xstrdup("a message with this Message-ID was "
		    "already handled");
		log_info("message %lld: already handled (same Message-ID)",
		    (long long)j->row);
		return 0;
	}
	/* A calendar client's answer to a meeting invitation. */
	if ((r = intake_rsvp(j)) != 0)
		return r < 0 ? -1 : 0;
	if (j->a.kind == KIND_REPLY || j->a.kind == KIND_SUBMISSION) {
		struct reply_outcome out = { NULL, NULL };

		/* A partner's yes to a request they sent unsigned. */
		if ((r = intake_confirmed_request(j)) != 0)
			return r < 0 ? -1 : 0;
		/* Staff's OK to the preview of a partner mail they forwarded. */
		if ((r = intake_forward_reply(j)) != 0)
			return r < 0 ? -1 : 0;
		/* Answers to a survey (intake_survey.c). */
		if ((r = intake_survey(j)) != 0)
			return r < 0 ? -1 : 0;
		/* Staff's OK to the preview of their GIVEN mail. */
		if ((r = intake_given_reply(j)) != 0)
			return r < 0 ? -1 : 0;
		/* An answer to our mail about no referral (intake_answer.c). */
		if ((r = intake_answer(j)) != 0)
			return r < 0 ? -1 : 0;
		if ((r = newsletter_inbound(rb, j->row, &j->a, &out)) != 0) {
			if (r < 0)
				return -1;
			intake_take(j, &out);
			return 0;
		}
	}
	switch (j->a.kind) {
	case KIND_AUTOMATIC:
		if (j->a.dsn_message_id != NULL &&
		    classify_our_id(j->a.dsn_message_id,
		    rb->cfg.message_id_domain))
			return bounce(j);
		j->disposition = "automatic";
		j->detail = xstrdup(j->a.automatic);
		log_info("message %lld: automatic mail (%s), not answered",
		    (long long)j->row, j->a.automatic);
		return 0;
	case KIND_REPLY:
		return intake_reply(j);
	case KIND_SUBMISSION:
		break;
	case KIND_UNREADABLE:
		return -1;	/* handled before the transaction */
	}
	if (staff_is(rb, j->a.msg.from_addr)) {
		int64_t tid;
		int role;

		/* To a referral's signed address (the morning queue's). */
		if (replies_token(rb, &j->a, &tid, &role) && role == ROLE_STAFF)
			return intake_reply(j);
		/* GIVEN partner@...: a referral the firm gave, to preview. */
		if ((r = intake_given(j)) != 0)
			return r < 0 ? -1 : 0;
		/* A partner's mail forwarded, for a signed preview. */
		if ((r = intake_forward(j)) != 0)
			return r < 0 ? -1 : 0;
		j->disposition = "staff-mail";
		j->detail = xstrdup("new mail from staff, not a referral");
		log_info("message %lld: mail from staff recorded",
		    (long long)j->row);
		return 0;
	}
	if ((r = db_partner_by_sender(rb->db, j->a.msg.from_addr, &p)) < 0)
		return -1;
	if (r == 0 || !p.active) {
		if (r > 0)
			partner_free(&p);
		return intake_unknown_sender(j);
	}
	r = intake_from_partner(j, &p, NULL);
	partner_free(&p);
	return r;
}

int
intake_from_partner(struct job *j, const struct partner *p,
    const char *context)
{
	char *d;
	int r;

	if ((r = status_request(j, p)) == 0 && (r = form_request(j, p)) == 0)
		r = intake_is_submission(&j->a.form) ?
		    intake_submission(j, p) :
		    intake_partner_message(j, p, context);
	if (r < 0)
		return -1;
	if (context != NULL) {
		char *en = notify_line(j->rb, "en", context, NULL, 0);

		d = xasprintf("%s (%s)", j->detail ? j->detail : "", en);
		free(en);
		free(j->detail);
		j->detail = d;
	}
	return 0;
}

/*
 * The key that recognises the same message seen twice: its Message-ID,
 * or for mail without one, a digest of its bytes from the first header
 * refbot did not add to the end (delivery headers differ per copy).
 */
static char *
dedup_id(const struct message *msg, const char *raw, size_t len)
{
	unsigned char d[32];
	char hex[65];
	size_t i, off;

	if (msg->message_id != NULL)
		return xstrdup(msg->message_id);
	off = rawhdr_skip_transit(raw, len);
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, raw + off, len - off, d) != 0)
		fatalx("gnutls_hash_fast failed");
	for (i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return xasprintf("sha256.%s@no-message-id.invalid", hex);
}

/* Stops the parser child (a new one starts with the next message). */
void
intake_probe_stop(void)
{
	parserchild_stop();
}

void
intake_next(const struct refbot *rb, const char *raw, size_t len,
    int attempt)
{
	/* Only what intake_process will hand to the parser child. */
	if (raw != NULL && (len > rb->cfg.max_message_size ||
	    attempt > INTAKE_MAX_ATTEMPTS))
		raw = NULL, len = 0;
	parserchild_next(raw, len);
}

void
intake_next_end(void)
{
	parserchild_next_end();
}

/*
 * detail, and what the caps (notify.c) held back while this message was
 * handled, so that nothing they hold back is silent (caller frees).
 */
char *
intake_capped_detail(struct refbot *rb, const char *detail)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, detail ? detail : "");
	if (rb->replies_withheld > 0)
		buf_addf(&b, "; reply withheld (more than %d to this sender "
		    "in an hour)", rb->cfg.auto_reply_limit);
	if (rb->alerts_held > 0)
		buf_addf(&b, "; staff alert held for the hourly summary (%d "
		    "of its kind already sent this hour)",
		    rb->cfg.staff_alert_limit);
	return buf_steal(&b);
}

enum intake_result
intake_too_large(struct refbot *rb, int64_t row, const char *hdr,
    size_t hlen, uint64_t size, int attempt)
{
	rb->replies_withheld = rb->alerts_held = 0;
	rb->text_failed = NULL;
	/* Counted as for any message: a parser that kills us is skipped. */
	return intake_set_too_large(rb, row, hdr, hlen, size,
	    attempt <= INTAKE_MAX_ATTEMPTS);
}

/*
 * Records n attachments of a message, keeping the bytes of each while
 * the message's total (*kept_so_far) stays within attachment_store_limit
 * (the rest: "not kept", by name, type and size).  In the caller's
 * transaction.
 */
static int
store_files(struct refbot *rb, int64_t row, const struct attachment *files,
    size_t n, size_t *kept_so_far)
{
	size_t i, kept = *kept_so_far;

	for (i = 0; i < n; i++) {
		const struct attachment *a = &files[i];
		int keep = a->data != NULL &&
		    a->len <= rb->cfg.attachment_store_limit - kept;

		if (keep)
			kept += a->len;
		if (db_attachment_add(rb->db, row, a->name, a->type,
		    a->data ? a->len : a->size, keep ? a->data : NULL,
		    a->len) != 0)
			return -1;
	}
	*kept_so_far = kept;
	return 0;
}

/*
 * A message's files, and for staff's forward sent as an attached
 * message, that message's own files after them (its client's PDF is
 * the referral's, once confirmed).
 */
static int
store_attachments(struct refbot *rb, int64_t row, const struct analysis *a)
{
	size_t kept = 0;

	if (store_files(rb, row, a->msg.attachments, a->msg.nattachments,
	    &kept) != 0)
		return -1;
	if (a->attached.from_addr == NULL || a->msg.from_addr == NULL ||
	    !staff_is(rb, a->msg.from_addr))
		return 0;
	return store_files(rb, row, a->attached_files, a->nattached_files,
	    &kept);
}

enum intake_result
intake_process(struct refbot *rb, int64_t row, const char *raw, size_t len,
    int attempt)
{
	struct analyze_opts o = { rb->tmpl, rb->cfg.message_id_domain,
	    MAILOUT_LOOP_HEADER, rb->cfg.max_message_size };
	struct job j;
	char *why = NULL;
	enum intake_result res;

	rb->replies_withheld = rb->alerts_held = 0;
	rb->text_failed = NULL;
	/*
	 * The caller counted this attempt, committed before the work: if
	 * processing killed the process before, the count survived the
	 * restart and the message is set aside instead of crashing us again
	 * and again.
	 */
	if (attempt > INTAKE_MAX_ATTEMPTS) {
		why = xasprintf("processing it failed %d times", attempt - 1);
		res = intake_reject(rb, row, "quarantined", why, raw, len);
		free(why);
		return res;
	}
	memset(&j, 0, sizeof(j));
	j.rb = rb;
	j.row = row;
	/* Over the limit it is not parsed: analyze() only says so. */
	if (len > rb->cfg.max_message_size)
		analyze(raw, len, &o, &j.a);
	else if (parserchild_analyze(&o, raw, len, &j.a, &why) != 0) {
		res = intake_reject(rb, row, "unreadable", why, raw, len);
		free(why);
		return res;
	}
	if (j.a.kind == KIND_UNREADABLE) {
		/* Over the limit, though the server's size was not. */
		res = j.a.parse_status == MESSAGE_TOO_LARGE ?
		    intake_set_too_large(rb, row, raw, len, len, 0) :
		    intake_reject(rb, row, "unreadable", j.a.error, raw, len);
		analysis_free(&j.a);
		return res;
	}
	j.dedup_id = dedup_id(&j.a.msg, raw, len);
	if (db_begin(rb->db) != 0) {
		log_warnx("message %lld: database: %s", (long long)row,
		    db_errmsg(rb->db));
		free(j.dedup_id);
		analysis_free(&j.a);
		return INTAKE_RETRY;
	}
	fault_hang_subject(j.a.msg.subject);	/* test builds only */
	fault_slow_subject(j.a.msg.subject);
	if (store_attachments(rb, row, &j.a) != 0)
		goto retry;
	/* The fault fails one with its work done, to be undone: tests. */
	if (decide(&j) != 0 || fault_fail_decide(raw, len))
		goto retry;
	if (j.aside != NULL) {
		char *d = xasprintf("%s; %s", j.detail ? j.detail : "",
		    j.aside);
		free(j.detail);
		j.detail = d;
	}
	if (rb->replies_withheld > 0 || rb->alerts_held > 0) {
		char *d = intake_capped_detail(rb, j.detail);
		free(j.detail);
		j.detail = d;
	}
	if (db_message_dispose(rb->db, row, j.dedup_id, j.disposition,
	    j.detail, j.referral_id) != 0 ||
	    db_commit(rb->db) != 0)
		goto retry;
	free(j.detail);
	free(j.aside);
	free(j.dedup_id);
	analysis_free(&j.a);
	return INTAKE_PROCESSED;
retry:
	/* A database error says what; other causes were logged already. */
	log_warnx("message %lld: not processed, will retry%s%s",
	    (long long)row, strcmp(db_errmsg(rb->db), "not an error") ? ": " :
	    "", strcmp(db_errmsg(rb->db), "not an error") ?
	    db_errmsg(rb->db) : "");
	db_rollback(rb->db);
	free(j.detail);
	free(j.aside);
	free(j.dedup_id);
	analysis_free(&j.a);
	return rb->text_failed != NULL ? INTAKE_CONFIG : INTAKE_RETRY;
}
