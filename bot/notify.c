/* notify: building and queueing outbound mail. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "mailout.h"
#include "notify.h"
#include "outbox.h"
#include "token.h"
#include "util.h"

const char *
notify_key(struct refbot *rb, size_t *len)
{
	*len = strlen(rb->secret);
	return rb->secret;
}

int
notify_queue(struct refbot *rb, const struct notify *n, char **message_id)
{
	struct mailout m;
	char *subject = NULL, *body = NULL, *err = NULL, *tag = NULL;
	char *reply_to = NULL, *mid;
	const char *key;
	size_t keylen;
	int rc;

	/*
	 * A sender who gets more than auto_reply_limit answers an hour is
	 * most likely a robot we failed to recognise: stop answering it.
	 * Acknowledgements of qualified referrals are exempt: no robot
	 * writes a qualified referral, and a partner's backlog after an
	 * outage must all be acknowledged.
	 */
	if (n->auto_reply && strcmp(n->name, "ack") != 0) {
		int sent = db_outbox_recent_replies(rb->db, n->rcpt,
		    (int64_t)time(NULL) - 3600);
		if (sent < 0) {
			log_warnx("outbox: %s", db_errmsg(rb->db));
			return -1;
		}
		if (sent >= rb->cfg.auto_reply_limit) {
			log_info("reply withheld: %d answers to this sender "
			    "in the last hour", sent);
			return NOTIFY_WITHHELD;
		}
	}
	if (refbot_mail_text(rb, n->name, n->lang, n->vars, n->nvars, &subject,
	    &body, &err) != 0) {
		log_warnx("cannot build the %s mail: %s", n->name, err);
		free(err);
		return -1;
	}
	key = notify_key(rb, &keylen);
	if ((n->referral_id > 0 || n->token_id > 0) && n->role != 0) {
		int64_t tid = n->token_id > 0 ? n->token_id : n->referral_id;

		tag = token_tag(key, keylen, tid, n->role);
		reply_to = token_address(key, keylen, rb->cfg.intake_address,
		    tid, n->role);
	} else
		tag = xstrdup(n->name);
	mid = mailout_message_id(tag, rb->cfg.message_id_domain);
	memset(&m, 0, sizeof(m));
	m.from_name = rb->cfg.from_name;
	m.from_addr = rb->cfg.intake_address;
	m.to_addr = n->rcpt;
	m.reply_to = reply_to;
	m.subject = subject;
	m.body = body;
	m.message_id = mid;
	m.in_reply_to = n->in_reply_to;
	m.references = n->references;
	m.auto_submitted = n->auto_reply ? "auto-replied" : "auto-generated";
	rc = outbox_queue(rb, n->referral_id, n->name, &m, NULL);
	if (rc != 0)
		log_warnx("outbox: %s", db_errmsg(rb->db));
	if (rc == 0 && message_id != NULL)
		*message_id = xstrdup(mid);
	free(mid);
	free(tag);
	free(reply_to);
	free(subject);
	free(body);
	return rc;
}

int
notify_staff(struct refbot *rb, struct notify *n)
{
	size_t i;

	for (i = 0; i < rb->cfg.nstaff; i++) {
		n->rcpt = rb->cfg.staff[i];
		if (notify_queue(rb, n, NULL) != 0)
			return -1;
	}
	return 0;
}

int
notify_alert(struct refbot *rb, int64_t row, const char *what,
    const char *reason, const char *folder)
{
	struct notify n;
	char msg[32];

	snprintf(msg, sizeof(msg), "#%lld", (long long)row);
	{
		const struct render_var vars[] = {
			{ "what", what }, { "message", msg },
			{ "reason", reason }, { "folder", folder },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-alert";
		n.vars = vars;
		n.nvars = nitems(vars);
		return notify_staff(rb, &n);
	}
}
