/* intake: classifying and acting on one inbound message. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "intake.h"
#include "log.h"
#include "mailout.h"
#include "message.h"
#include "outbox.h"
#include "render.h"
#include "util.h"

struct job {
	struct refbot *rb;
	int64_t row;
	struct message msg;
	const char *disposition;
	char *detail;
	int64_t referral_id;
};

char *
intake_fields_text(const struct form *f)
{
	struct buf b;
	size_t i;
	const char *p;

	buf_init(&b);
	for (i = 0; i < f->nvalues; i++) {
		buf_addf(&b, "  %s: ", f->values[i].field->title);
		/* Continuation lines stay visibly part of the field. */
		for (p = f->values[i].value; *p != '\0'; p++) {
			buf_addc(&b, *p);
			if (*p == '\n')
				buf_adds(&b, "    ");
		}
		buf_addc(&b, '\n');
	}
	if (b.len == 0)
		buf_adds(&b, "  (nothing)");
	else
		b.data[--b.len] = '\0';	/* the text supplies line breaks */
	return buf_steal(&b);
}

static char *
problems_text(const struct form *f, int blank)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < f->nproblems; i++) {
		const struct form_problem *p = &f->problems[i];
		if (i > 0)
			buf_addc(&b, '\n');
		if (blank)
			buf_addf(&b, "%s: ", p->field->title);
		else
			buf_addf(&b, "  - %s: %s", p->field->title,
			    p->kind == PROBLEM_MISSING ? "missing" : p->reason);
	}
	return buf_steal(&b);
}

static char *
references_for(const struct message *msg)
{
	if (msg->message_id == NULL)
		return msg->references ? xstrdup(msg->references) : NULL;
	if (msg->references == NULL)
		return xstrdup(msg->message_id);
	return xasprintf("%s %s", msg->references, msg->message_id);
}

/* Queues a reply to the sender of msg from the text templates/mail/NAME. */
static int
queue_reply(struct job *j, const char *name, const char *lang,
    const char *rcpt, const char *tag, const struct render_var *vars,
    size_t nvars, int64_t *outbox_id)
{
	struct refbot *rb = j->rb;
	struct mailout m;
	char *subject = NULL, *body = NULL, *err = NULL, *refs;
	int rc;

	if (refbot_mail_text(rb, name, lang, vars, nvars, &subject, &body,
	    &err) != 0) {
		log_warnx("message %lld: cannot build the %s mail: %s",
		    (long long)j->row, name, err);
		free(err);
		return -1;
	}
	refs = references_for(&j->msg);
	memset(&m, 0, sizeof(m));
	m.from_name = rb->cfg.from_name;
	m.from_addr = rb->cfg.intake_address;
	m.to_addr = rcpt;
	m.subject = subject;
	m.body = body;
	m.message_id = mailout_message_id(tag, rb->cfg.message_id_domain);
	m.in_reply_to = j->msg.message_id;
	m.references = refs;
	m.auto_submitted = "auto-replied";
	rc = outbox_queue(rb, j->referral_id, name, &m, outbox_id);
	if (rc != 0)
		log_warnx("message %lld: outbox: %s", (long long)j->row,
		    db_errmsg(rb->db));
	free((char *)m.message_id);
	free(refs);
	free(subject);
	free(body);
	return rc;
}

static int
is_staff(const struct config *cfg, const char *addr)
{
	size_t i;

	for (i = 0; i < cfg->nstaff; i++)
		if (strcmp(cfg->staff[i], addr) == 0)
			return 1;
	return 0;
}

static int
submission(struct job *j, const struct partner *p)
{
	struct refbot *rb = j->rb;
	struct form form;
	char ref[24], sla[16], tag[48], *fields, *problems, *blanks;
	const char *client, *status;
	int64_t outbox_id = 0;
	size_t i;
	int rc = -1;

	form_read(&rb->tmpl, j->msg.text, &form);
	status = form.nproblems == 0 ? "NEW" : "INCOMPLETE";
	client = form_get(&form, "client");
	if (db_referral_insert(rb->db, p->id, j->row, status, client,
	    form_get(&form, "contact_name"), j->msg.subject,
	    j->msg.message_id, &j->referral_id) != 0)
		goto out;
	for (i = 0; i < form.nvalues; i++)
		if (db_referral_field(rb->db, j->referral_id,
		    form.values[i].field->key, form.values[i].value) != 0)
			goto out;
	if (db_history_add(rb->db, j->referral_id, "partner", "received", NULL,
	    status, NULL) != 0)
		goto out;

	refbot_ref(j->referral_id, ref, sizeof(ref));
	snprintf(sla, sizeof(sla), "%d", rb->sla_hours);
	snprintf(tag, sizeof(tag), "r%lld.%s", (long long)j->referral_id,
	    form.nproblems == 0 ? "ack" : "inc");
	fields = intake_fields_text(&form);
	problems = problems_text(&form, 0);
	blanks = problems_text(&form, 1);
	{
		const struct render_var vars[] = {
			{ "ref", ref },
			{ "client", client ? client : "?" },
			{ "partner_name", p->name },
			{ "fields", fields },
			{ "problems", problems },
			{ "blank_lines", blanks },
			{ "sla_hours", sla },
			{ "from_name", rb->cfg.from_name },
		};
		rc = queue_reply(j, form.nproblems == 0 ? "ack" : "incomplete",
		    p->lang, j->msg.from_addr, tag, vars, nitems(vars),
		    &outbox_id);
	}
	free(fields);
	free(problems);
	free(blanks);
	if (rc != 0)
		goto out;
	j->disposition = form.nproblems == 0 ? "referral" : "incomplete";
	j->detail = xasprintf("%s %s, %zu fields, %zu problems", ref, status,
	    form.nvalues, form.nproblems);
	log_info("message %lld: %s %s from partner %lld, reply queued "
	    "(outbox %lld)", (long long)j->row, ref, status, (long long)p->id,
	    (long long)outbox_id);
out:
	if (rc != 0 && j->referral_id == 0)
		log_warnx("message %lld: database: %s", (long long)j->row,
		    db_errmsg(rb->db));
	form_free(&form);
	return rc;
}

static int
unknown_sender(struct job *j)
{
	const struct render_var vars[] = {
		{ "subject", j->msg.subject },
		{ "from_name", j->rb->cfg.from_name },
		{ "intake_address", j->rb->cfg.intake_address },
	};

	j->disposition = "unknown-sender";
	j->detail = xstrdup("sender is not a registered partner");
	log_info("message %lld: sender is not a registered partner",
	    (long long)j->row);
	return queue_reply(j, "not-partner", "en", j->msg.from_addr, "np",
	    vars, nitems(vars), NULL);
}

/* Everything inside the transaction; -1 means roll back and retry. */
static int
decide(struct job *j)
{
	struct refbot *rb = j->rb;
	struct partner p;
	const char *why;
	int64_t ref;
	int r;

	if (j->msg.message_id != NULL &&
	    (r = db_message_seen_id(rb->db, j->msg.message_id, j->row)) != 0) {
		if (r < 0)
			return -1;
		j->disposition = "duplicate-message";
		j->detail = xstrdup("a message with this Message-ID was "
		    "already handled");
		log_info("message %lld: already handled (same Message-ID)",
		    (long long)j->row);
		return 0;
	}
	if ((why = classify_automatic(&j->msg, rb->cfg.message_id_domain,
	    MAILOUT_LOOP_HEADER)) != NULL) {
		j->disposition = "automatic";
		j->detail = xstrdup(why);
		log_info("message %lld: automatic mail (%s), not answered",
		    (long long)j->row, why);
		return 0;
	}
	ref = classify_ref_tag(j->msg.subject);
	if (ref > 0 || classify_our_id(j->msg.in_reply_to,
	    rb->cfg.message_id_domain)) {
		/* Staff keywords and partner follow-ups build on this. */
		j->disposition = "reply";
		j->detail = xasprintf("reply about referral %lld, not acted "
		    "on yet", (long long)ref);
		log_info("message %lld: reply about referral %lld recorded",
		    (long long)j->row, (long long)ref);
		return 0;
	}
	if (is_staff(&rb->cfg, j->msg.from_addr)) {
		j->disposition = "staff-mail";
		j->detail = xstrdup("new mail from staff, not a referral");
		log_info("message %lld: mail from staff recorded",
		    (long long)j->row);
		return 0;
	}
	if ((r = db_partner_by_email(rb->db, j->msg.from_addr, &p)) < 0)
		return -1;
	if (r == 0 || !p.active) {
		if (r > 0)
			partner_free(&p);
		return unknown_sender(j);
	}
	r = submission(j, &p);
	partner_free(&p);
	return r;
}

enum intake_result
intake_process(struct refbot *rb, int64_t row, const char *raw, size_t len)
{
	struct job j;
	char *err = NULL;
	int r;

	memset(&j, 0, sizeof(j));
	j.rb = rb;
	j.row = row;
	r = message_parse(raw, len, rb->cfg.max_message_size, &j.msg, &err);
	if (r != MESSAGE_OK) {
		log_warnx("message %lld: unreadable: %s", (long long)row, err);
		if (db_message_dispose(rb->db, row, NULL, r == MESSAGE_TOO_LARGE ?
		    "too-large" : "unreadable", err, 0) != 0) {
			free(err);
			return INTAKE_RETRY;
		}
		free(err);
		return INTAKE_REJECTED;
	}
	if (db_begin(rb->db) != 0) {
		log_warnx("message %lld: database: %s", (long long)row,
		    db_errmsg(rb->db));
		message_free(&j.msg);
		return INTAKE_RETRY;
	}
	if (decide(&j) != 0 ||
	    db_message_dispose(rb->db, row, j.msg.message_id, j.disposition,
	    j.detail, j.referral_id) != 0 ||
	    db_commit(rb->db) != 0) {
		log_warnx("message %lld: not processed, will retry: %s",
		    (long long)row, db_errmsg(rb->db));
		db_rollback(rb->db);
		free(j.detail);
		message_free(&j.msg);
		return INTAKE_RETRY;
	}
	free(j.detail);
	message_free(&j.msg);
	return INTAKE_PROCESSED;
}
