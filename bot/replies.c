/* replies: staff commands and partner follow-ups on a referral. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assign.h"
#include "clock.h"
#include "contacts.h"
#include "db_ledger.h"
#include "db_outbox.h"
#include "db_partners.h"
#include "db_referrals.h"
#include "history_words.h"
#include "keyword.h"
#include "ledger.h"
#include "log.h"
#include "meeting.h"
#include "notify.h"
#include "replies.h"
#include "reply.h"
#include "sla.h"
#include "staff.h"
#include "status.h"
#include "token.h"
#include "util.h"

const char *
replies_partner_lang(struct refbot *rb, const struct partner *p,
    const struct analysis *a)
{
	return contacts_sender_lang(rb, p, a->msg.from_addr, a->lang);
}

static char *
format_amount(struct refbot *rb, int64_t minor)
{
	return minor >= 0 ? amount_format(minor, rb->cfg.currency) : NULL;
}

/* Tells a staff member why their command did nothing. */
static int
staff_error(struct refbot *rb, const struct analysis *a,
    const struct referral *r, const char *problem, const char *error)
{
	struct notify n;
	char ref[24], *allowed = status_allowed(r->status);
	int rc;

	refbot_ref(r->id, ref, sizeof(ref));
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "problem", problem }, { "error", error },
			{ "status", r->status },
			{ "allowed", *allowed ? allowed : "NOTE" },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-error";
		n.rcpt = a->msg.from_addr;
		n.lang = staff_lang(rb, n.rcpt);
		n.referral_id = r->id;
		n.role = ROLE_STAFF;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = a->msg.message_id;
		n.auto_reply = 1;
		rc = notify_queue(rb, &n, NULL);
	}
	free(allowed);
	return rc < 0 ? -1 : 0;	/* a withheld reply is not a failure */
}

/* The same for a keyword line not understood, in the reader's words. */
static int
keyword_error(struct refbot *rb, const struct analysis *a,
    const struct referral *r, const struct keyword_cmd *cmd)
{
	struct render_var vars[KEYWORD_ERR_NVARS];
	const char *lang = staff_lang(rb, a->msg.from_addr);
	size_t nv = keyword_err_vars(cmd, vars);
	char *problem = notify_line(rb, lang, "keyword.problem", NULL, 0);
	char *why = notify_line_or(rb, lang, keyword_err_key(cmd->err), vars,
	    nv, cmd->error);
	int rc = staff_error(rb, a, r, problem, why);

	free(problem);
	free(why);
	return rc;
}

/* The same for a command refused, in the reader's words. */
static int
refused(struct refbot *rb, const struct analysis *a, const struct referral *r,
    const struct keyword_cmd *cmd, const struct apply_result *res)
{
	char ref[24], *pkey = xasprintf("problem.%s", res->problem), *problem;
	const char *lang = staff_lang(rb, a->msg.from_addr);
	const struct render_var vars[] = {
		{ "keyword", cmd->name }, { "ref", ref },
		{ "status", r->status }, { "who", res->who ? res->who : "" },
	};
	char *why;
	int rc;

	refbot_ref(r->id, ref, sizeof(ref));
	why = notify_line_or(rb, lang, res->key ? res->key : "", vars,
	    nitems(vars), res->why);
	problem = notify_line_or(rb, lang, pkey, NULL, 0, res->problem);
	rc = staff_error(rb, a, r, problem, why);
	free(pkey);
	free(problem);
	free(why);
	return rc;
}

static int
progress_line(struct refbot *rb, const char *lang, const char *kw,
    const struct render_var *vars, size_t nvars, char **line, char **word)
{
	char *wkey = xasprintf("%s.word", kw);

	*line = refbot_mail_line(rb, "progress-lines", lang, kw, vars, nvars);
	*word = refbot_mail_line(rb, "progress-lines", lang, wkey, vars,
	    nvars);
	free(wkey);
	if (*line == NULL || *word == NULL) {
		free(*line);
		free(*word);
		return -1;
	}
	return 0;
}

/*
 * The progress update to the partner (to, else the firm's address),
 * threaded under our first mail.
 */
static int
partner_update(struct refbot *rb, const struct referral *r,
    const struct keyword_cmd *cmd, const char *lang, const char *earned,
    const char *mail, const struct recipient *to)
{
	struct notify n;
	char ref[24], *amount = format_amount(rb, cmd->amount_minor);
	char *thread = NULL, *refs, *line = NULL, *word = NULL, *relay;
	char *amt_part, *date_part, *text_part, *when = meeting_when(cmd);
	int ja = strcmp(lang, "ja") == 0, rc;

	refbot_ref(r->id, ref, sizeof(ref));
	amt_part = amount ? xasprintf(ja ? "（%s）" : " (%s)", amount) :
	    xstrdup("");
	date_part = when ? xasprintf(ja ? "（%s）" : " for %s", when) :
	    xstrdup("");
	free(when);
	/*
	 * WON's scope and AMEND's why read after the amount; LOST/DECLINED's
	 * is the reason.
	 */
	text_part = cmd->text == NULL ? xstrdup(cmd->kw == KW_WON ||
	    cmd->kw == KW_AMEND ? "" : "-") : cmd->kw == KW_WON ||
	    cmd->kw == KW_AMEND ? xasprintf(ja ? "（%s）" : " — %s",
	    cmd->text) : xstrdup(cmd->text);
	{
		const struct render_var lvars[] = {
			{ "client", r->client ? r->client : ref },
			{ "amount", amt_part }, { "date", date_part },
			{ "text", text_part },
		};
		if (progress_line(rb, lang, cmd->name, lvars, nitems(lvars),
		    &line, &word) != 0) {
			free(amount);
			free(amt_part);
			free(date_part);
			free(text_part);
			return -1;
		}
	}
	relay = cmd->relay && *cmd->relay ? xasprintf("\n%s\n", cmd->relay) :
	    xstrdup("");
	if (db_outbox_thread_id(rb->db, r->id, &thread) < 0)
		thread = NULL;
	refs = thread && r->inbound_message_id ? xasprintf("%s %s",
	    r->inbound_message_id, thread) : thread ? xstrdup(thread) : NULL;
	{
		const struct render_var vars[] = {
			{ "ref", ref },
			{ "client", r->client ? r->client : "?" },
			{ "partner_name", r->partner_name ? r->partner_name :
			    "" },
			{ "headline", line }, { "status_word", word },
			{ "commission", earned ? earned : "" },
			{ "relay", relay }, { "from_name", rb->cfg.from_name },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = mail;
		n.lang = lang;
		n.rcpt = to->to != NULL ? to->to : r->partner_email;
		n.cc = to->cc;
		n.referral_id = r->id;
		n.role = ROLE_PARTNER;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = thread;
		n.references = refs;
		rc = notify_queue(rb, &n, NULL);
	}
	free(amount);
	free(amt_part);
	free(date_part);
	free(text_part);
	free(line);
	free(word);
	free(relay);
	free(thread);
	free(refs);
	return rc;
}

/*
 * CREDIT REF-n on a duplicate: staff give the credit to this referral
 * instead of the first one (which becomes the duplicate).  Returns 0;
 * 2 when it names the first (nothing changes); 1 when it names neither;
 * -1 on a database error.
 */
static int
credit(struct refbot *rb, const struct referral *r,
    const struct keyword_cmd *cmd)
{
	int64_t first;

	if (db_referral_duplicate_of(rb->db, r->id, &first) != 0)
		return -1;
	if (cmd->ref != r->id && cmd->ref != first)
		return 1;
	if (cmd->ref == first)	/* already credited there: just noted */
		return 2;
	return replies_credit(rb, r->id) < 0 ? -1 : 0;
}

int
replies_credit(struct refbot *rb, int64_t id)
{
	int64_t first;

	if (db_referral_duplicate_of(rb->db, id, &first) != 0)
		return -1;
	if (first <= 0)
		return 1;
	if (db_referral_duplicate(rb->db, id, 0, "NEW") != 0 ||
	    db_referral_duplicate(rb->db, first, id, "DUPLICATE") != 0 ||
	    history_add_words(rb, first, "staff", "CREDIT", NULL,
	    "DUPLICATE", NULL, "history.credit-moved", NULL, 0, NULL) != 0)
		return -1;
	return 0;
}

/*
 * One alert to staff about a command that was not accepted, why: the key
 * of its reason in mail/staff-lines.
 */
static int
unverified(struct refbot *rb, int64_t row, const struct referral *r,
    const char *why, struct reply_outcome *out)
{
	struct notify n;
	char ref[24], msg[32], *key = xasprintf("unverified.%s", why);
	char *reason = notify_line(rb, "en", key, NULL, 0);
	char *reason_ja = notify_line(rb, "ja", key, NULL, 0);
	int rc;

	refbot_ref(r->id, ref, sizeof(ref));
	snprintf(msg, sizeof(msg), "#%lld", (long long)row);
	out->disposition = "unverified-command";
	out->detail = xasprintf("%s: %s", ref, reason);
	log_warnx("message %lld: command about %s not accepted: %s",
	    (long long)row, ref, reason);
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "reason", reason }, { "message", msg },
		};
		const struct render_var ja[] = { { "reason", reason_ja } };

		memset(&n, 0, sizeof(n));
		n.name = "staff-unverified";
		n.vars = vars;
		n.nvars = nitems(vars);
		n.vars_ja = ja;
		n.nvars_ja = nitems(ja);
		n.alert_row = row;	/* rate-limited: a flood is summarised */
		rc = notify_staff(rb, &n) != 0 ? -1 : history_add_words(rb,
		    r->id, "mail", "unverified-command", NULL, NULL, NULL,
		    key, NULL, 0, NULL);
	}
	free(key);
	free(reason);
	free(reason_ja);
	return rc;
}

/*
 * The language of mail to a partner's contact (contacts_lang); what they
 * wrote is the client's name.
 */
static const char *
partner_lang(const struct recipient *rc, const struct partner *p,
    const struct referral *r)
{
	return contacts_lang(rc, p, detect_lang(r->client ? r->client : ""));
}

/* A ledger_line as a paragraph of the partner's mail, or NULL. */
static char *
money_line(struct refbot *rb, const char *lang, const char *key,
    int64_t amount, int64_t rate, int64_t previous)
{
	char *line = ledger_line(rb, lang, key, amount, rate, previous);
	char *text = line ? xasprintf("\n%s\n", line) : NULL;

	free(line);
	return text;
}

/*
 * The money of an accepted command (history row hid) and the partner's
 * mail about it: WON books the commission, REVENUE (recurring terms)
 * more of it; REOPEN of a WON reverses it; AMEND reverses it and books
 * it anew on the corrected amount.  *earned is the sentence about the
 * money for the partner's mail, *mail which mail it is
 * ("commission-change" when the commission changed).
 */
static int
money(struct refbot *rb, const struct referral *r,
    const struct keyword_cmd *cmd, const struct partner *p, int64_t hid,
    const char *lang, char **earned, const char **mail)
{
	int64_t amount, rate, was = 0;

	*mail = "progress";
	if (cmd->kw == KW_REVENUE)
		return ledger_revenue(rb, r, p, cmd->amount_minor, hid);
	if (cmd->kw == KW_REOPEN && strcmp(r->status, "WON") == 0) {
		if (ledger_reverse_win(rb, r, hid, cmd->name, &was) != 0)
			return -1;
		if (was != 0) {
			*mail = "commission-change";
			*earned = money_line(rb, lang, "REOPEN.reversal", was,
			    -1, -1);
		}
		return 0;
	}
	if (cmd->kw != KW_WON && cmd->kw != KW_AMEND)
		return 0;
	if (db_referral_won(rb->db, r->id, cmd->amount_minor) != 0 ||
	    (cmd->kw == KW_AMEND && ledger_reverse_win(rb, r, hid, cmd->name,
	    &was) != 0) || ledger_win(rb, r, p, cmd->amount_minor, hid,
	    cmd->name, &amount, &rate) != 0)
		return -1;
	if (cmd->kw == KW_AMEND) {
		*mail = "commission-change";
		if (was != 0 || amount != 0)
			*earned = money_line(rb, lang, "AMEND.commission",
			    amount, rate, was);
	} else if (amount > 0)
		*earned = money_line(rb, lang, rate >= 0 ? "WON.commission" :
		    "WON.fee", amount, rate, -1);
	return 0;
}

/*
 * What history says about a command: amount, words, date; an AMEND's
 * amount before it as words of its own (history.amended), for the
 * reader's language.
 */
static int
history_keyword(struct refbot *rb, const struct referral *r,
    const struct keyword_cmd *cmd, const char *to, const char *actor,
    const char *message_id, int64_t *hid)
{
	char *amount = format_amount(rb, cmd->amount_minor), *was = NULL;
	char *detail, *when = meeting_when(cmd), *rest;
	int64_t prev = -1;
	int rc;

	if (cmd->kw == KW_AMEND && db_referral_won_amount(rb->db, r->id,
	    &prev) == 1 && prev >= 0)
		was = format_amount(rb, prev);
	rest = xasprintf("%s%s%s%s", amount && cmd->text ? " " : "",
	    cmd->text ? cmd->text : "", when && (amount || cmd->text) ? " " :
	    "", when ? when : "");
	if (amount != NULL && was != NULL) {
		const struct render_var vars[] = {
			{ "amount", amount }, { "was", was }, { "text", rest },
		};
		rc = history_add_words(rb, r->id, actor, cmd->name, r->status,
		    to, message_id, "history.amended", vars, nitems(vars),
		    hid);
	} else {
		detail = xasprintf("%s%s", amount ? amount : "", rest);
		rc = db_history_insert(rb->db, r->id, actor, cmd->name,
		    r->status, to, *detail ? detail : NULL, message_id, hid);
		free(detail);
	}
	free(rest);
	free(when);
	free(amount);
	free(was);
	return rc;
}

/*
 * s as the state machine's own static string (status_next may return
 * its reopen_to, which is freed), or NULL.
 */
static const char *
state_name(const char *s)
{
	const char *n;
	size_t i;

	for (i = 0; s != NULL && (n = status_name(i)) != NULL; i++)
		if (strcmp(n, s) == 0)
			return n;
	return NULL;
}

int
replies_apply(struct refbot *rb, const struct referral *r,
    const struct keyword_cmd *cmd, const char *actor, const char *message_id,
    struct apply_result *res)
{
	struct partner p;
	struct recipient to_whom = { NULL, NULL, NULL };
	char ref[24], *reopen = NULL, *earned = NULL;
	const char *to, *lang = "en", *mail = "progress";
	int64_t hid;
	int rc = -1, found = 0;

	refbot_ref(r->id, ref, sizeof(ref));
	res->to = r->status;
	res->problem = NULL;
	res->why = NULL;
	res->key = NULL;
	res->who = NULL;
	switch (cmd->kw) {
	case KW_STATUS:
	case KW_UNSUBSCRIBE:
	case KW_HOT_OPPORTUNITY:
	case KW_TEMPLATE:
	case KW_GIVEN:
	case KW_NONE:
		res->problem = cmd->name;
		res->why = xasprintf("%s is not a staff command for a "
		    "referral in this version", cmd->name);
		res->key = "refused.not-staff";
		return 1;
	default:
		break;
	}
	if (cmd->kw == KW_REOPEN &&
	    db_history_reopen_to(rb->db, r->id, r->status, &reopen) < 0)
		return -1;
	if ((to = state_name(status_next(r->status, cmd->kw, reopen))) ==
	    NULL) {
		res->problem = "not-now";
		res->why = xasprintf("%s is not possible while %s is %s",
		    cmd->name, ref, r->status);
		res->key = "refused.not-now";
		rc = 1;
		goto done;
	}
	if (cmd->kw == KW_ASSIGN) {
		if ((rc = assign_apply(rb, r, cmd->text, actor, message_id,
		    cmd->relay, &res->why, &res->key, &res->who)) > 0)
			res->problem = "not-possible";
		goto done;
	}
	if (cmd->kw == KW_CREDIT) {
		int e = credit(rb, r, cmd);

		if (e < 0)
			goto done;
		if (e == 2)
			to = r->status;
		else if (e > 0) {
			res->problem = "not-possible";
			res->why = xasprintf("CREDIT names %s or the referral "
			    "it duplicates", ref);
			res->key = "refused.credit";
			rc = 1;
			goto done;
		}
	}
	if (cmd->kw != KW_NOTE && cmd->kw != KW_CREDIT &&
	    r->partner_email != NULL && (found = db_partner_by_email(rb->db,
	    r->partner_email, &p)) < 0)
		goto done;
	if (cmd->kw == KW_REVENUE && (found == 0 ||
	    strcmp(p.terms, "recurring") != 0)) {
		res->problem = "not-possible";
		res->why = xstrdup("REVENUE counts only for partners on "
		    "recurring terms");
		res->key = "refused.revenue";
		rc = 1;
		goto done;
	}
	if ((strcmp(to, r->status) != 0 &&
	    db_referral_set_status(rb->db, r->id, to) != 0) ||
	    history_keyword(rb, r, cmd, to, actor, message_id, &hid) != 0)
		goto done;
	res->to = to;
	if (meeting_apply(rb, r, cmd, actor) != 0)
		goto done;
	/* The first keyword is the first response the SLA measures. */
	if (cmd->kw != KW_NOTE && cmd->kw != KW_REVENUE &&
	    cmd->kw != KW_AMEND &&
	    db_referral_responded(rb->db, r->id, clock_now()) != 0)
		goto done;
	if (found > 0) {
		/* The contact's language, not the staff member's. */
		if (contacts_progress(rb, &p, r->id, &to_whom) != 0)
			goto done;
		lang = partner_lang(&to_whom, &p, r);
		if (money(rb, r, cmd, &p, hid, lang, &earned, &mail) != 0)
			goto done;
	}
	/* Internal records do not go to the partner. */
	rc = cmd->kw != KW_NOTE && cmd->kw != KW_REVENUE &&
	    cmd->kw != KW_CREDIT && r->partner_email != NULL &&
	    partner_update(rb, r, cmd, lang, earned, mail, &to_whom) != 0 ?
	    -1 : 0;
done:
	if (found > 0)
		partner_free(&p);
	recipient_free(&to_whom);
	free(earned);
	free(reopen);
	return rc;
}

int
replies_staff(struct refbot *rb, int64_t row, const struct analysis *a,
    const struct referral *r, struct reply_outcome *out)
{
	struct keyword_cmd cmd;
	struct tm today;
	struct reply_text rt;
	struct apply_result res = { NULL, NULL, NULL, NULL, NULL };
	char ref[24];
	int64_t tid;
	int role, rc = 0;

	refbot_ref(r->id, ref, sizeof(ref));
	if (!staff_is(rb, a->msg.from_addr))
		return unverified(rb, row, r, "sender", out);
	if (!replies_token(rb, a, &tid, &role) || tid != r->id ||
	    role != ROLE_STAFF)
		return unverified(rb, row, r, "token", out);
	if (rb->cfg.require_auth && !replies_auth_ok(rb, &a->msg))
		return unverified(rb, row, r, "auth", out);

	reply_extract(a->msg.text, REPLY_MARKER, &rt);
	if (keyword_parse(rb->keywords, rt.visible, rb->cfg.currency,
	    clock_local(clock_now(), &today), &cmd) != 0 ||
	    cmd.error != NULL) {
		out->disposition = "staff-error";
		out->detail = xasprintf("%s: %s", ref, cmd.error);
		log_info("message %lld: staff command about %s not "
		    "understood", (long long)row, ref);
		rc = keyword_error(rb, a, r, &cmd);
		goto done;
	}
	if ((rc = replies_apply(rb, r, &cmd, a->msg.from_addr,
	    a->msg.message_id, &res)) < 0)
		goto done;
	if (rc > 0) {
		out->disposition = "staff-error";
		out->detail = xasprintf("%s: %s", ref, res.why);
		log_info("message %lld: %s not accepted for %s (%s)",
		    (long long)row, cmd.name, ref, r->status);
		rc = refused(rb, a, r, &cmd, &res);
		goto done;
	}
	out->disposition = "command";
	out->detail = xasprintf("%s %s: %s -> %s", ref, cmd.name, r->status,
	    res.to);
	log_info("message %lld: %s %s by staff: %s -> %s", (long long)row, ref,
	    cmd.name, r->status, res.to);
done:
	free(res.why);
	free(res.who);
	keyword_cmd_free(&cmd);
	reply_text_free(&rt);
	return rc;
}

int
replies_status(struct refbot *rb, const struct analysis *a,
    const struct referral *r, const struct partner *p)
{
	struct notify n;
	struct recipient to;
	struct buf h;
	char ref[24], when[32];
	size_t i;
	int rc;

	/* Only to a contact of the firm: the one who asked, or its main. */
	if (contacts_answer(rb, p, a->msg.from_addr, &to) != 0)
		return -1;
	refbot_ref(r->id, ref, sizeof(ref));
	buf_init(&h);
	for (i = 0; i < r->nhistory; i++) {
		const struct history_entry *e = &r->history[i];
		struct tm tm;

		/* Internal notes and refused commands stay internal. */
		if (e->to_status == NULL || (e->from_status != NULL &&
		    strcmp(e->from_status, e->to_status) == 0))
			continue;
		strftime(when, sizeof(when), "%Y-%m-%d",
		    clock_local(e->at, &tm));
		buf_addf(&h, "%s  %s  %s\n", when, e->to_status, e->event);
	}
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "partner_name", p->name }, { "status", r->status },
			{ "history", h.data ? h.data : "" },
			{ "from_name", rb->cfg.from_name },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "status";
		n.lang = contacts_lang(&to, p, a->lang);
		n.rcpt = to.to;
		n.referral_id = r->id;
		n.role = ROLE_PARTNER;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = a->msg.message_id;
		n.auto_reply = 1;
		rc = notify_queue(rb, &n, NULL);
	}
	buf_free(&h);
	recipient_free(&to);
	return rc < 0 ? -1 : 0;	/* a withheld reply is not a failure */
}

/*
 * A reply kept with referral r and passed to staff: who wrote it (a
 * description) and their address; alert_row > 0 rate-limits it as an
 * alert about that message (notify_staff).
 */
static int
forward(struct refbot *rb, const struct analysis *a, const struct referral *r,
    const char *who, const struct reply_text *rt, int64_t alert_row)
{
	struct notify n;
	char ref[24];

	refbot_ref(r->id, ref, sizeof(ref));
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "partner_name", who },
			{ "partner_email", a->msg.from_addr },
			{ "status", r->status },
			{ "text", *rt->visible ? rt->visible : a->msg.text },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-forward";
		n.referral_id = r->id;
		n.role = ROLE_STAFF;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.alert_row = alert_row;
		/* Every staff address (with owners, #18.3: r's owner). */
		return notify_staff(rb, &n);
	}
}

int
replies_outsider(struct refbot *rb, int64_t row, const struct analysis *a,
    const struct referral *r, struct reply_outcome *out)
{
	struct reply_text rt;
	char ref[24], *who;
	int rc;

	refbot_ref(r->id, ref, sizeof(ref));
	reply_extract(a->msg.text, REPLY_MARKER, &rt);
	out->disposition = "reply";
	out->detail = xasprintf("%s: reply from neither staff nor a contact "
	    "of its partner, forwarded to staff", ref);
	log_info("message %lld: reply about %s from an outsider forwarded to "
	    "staff", (long long)row, ref);
	who = xasprintf("Someone who is neither staff nor a contact of %s",
	    r->partner_name ? r->partner_name : "its partner");
	rc = db_history_add_mid(rb->db, r->id, "outsider", "outsider-reply",
	    NULL, NULL, rt.visible, a->msg.message_id) != 0 ? -1 :
	    forward(rb, a, r, who, &rt, row);
	free(who);
	reply_text_free(&rt);
	return rc;
}

int
replies_partner(struct refbot *rb, int64_t row, const struct analysis *a,
    const struct referral *r, const struct partner *p,
    struct reply_outcome *out)
{
	struct keyword_cmd cmd;
	struct tm today;
	struct reply_text rt;
	char ref[24];
	int rc;

	refbot_ref(r->id, ref, sizeof(ref));
	reply_extract(a->msg.text, REPLY_MARKER, &rt);
	if (keyword_parse(rb->keywords, rt.visible, rb->cfg.currency,
	    clock_local(clock_now(), &today), &cmd) == 0 &&
	    cmd.kw == KW_STATUS) {
		out->disposition = "status-request";
		out->detail = xasprintf("%s: status sent to the partner", ref);
		log_info("message %lld: status of %s sent to the partner",
		    (long long)row, ref);
		rc = replies_status(rb, a, r, p);
		goto done;
	}
	/* Anything else: keep it with the referral and pass it to staff. */
	out->disposition = "partner-reply";
	out->detail = xasprintf("%s: forwarded to staff", ref);
	log_info("message %lld: partner's reply about %s forwarded to staff",
	    (long long)row, ref);
	rc = db_history_add_mid(rb->db, r->id, "partner", "partner-reply",
	    NULL, NULL, rt.visible, a->msg.message_id) != 0 ? -1 :
	    forward(rb, a, r, p->name, &rt, 0);
done:
	keyword_cmd_free(&cmd);
	reply_text_free(&rt);
	return rc;
}

/* A staff reply that only says yes (an empty one does not). */
int
replies_just_ok(const char *text)
{
	static const char *words[] = { "ok", "okay", "yes", "confirm",
	    "confirmed", "承認", "はい", "了解", "ＯＫ" };
	char *t = xstrdup(text), *p;
	size_t i;
	int yes = 0;

	for (p = t; *p != '\0'; p++)
		if (*p == '.' || *p == '!' || *p == '\n')
			*p = ' ';
	strtrim(t);
	for (i = 0; i < nitems(words) && !yes; i++)
		yes = ascii_strcasecmp(t, words[i]) == 0;
	free(t);
	return yes;
}
