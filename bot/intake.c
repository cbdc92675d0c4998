/*
 * intake: classifying and acting on one inbound message.
 *
 * The parser runs first in a child process: libetpan's MIME parser has
 * known bugs, and a crash there must set that one message aside, not
 * kill the daemon or make it loop on the same mail.  The child is
 * long-lived (one per many messages, restarted after a crash): a fork per
 * message cost more than the parse itself (issue 8).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>

#include "analyze.h"
#include "classify.h"
#include "clock.h"
#include "db_messages.h"
#include "db_outbox.h"
#include "db_partners.h"
#include "db_pending.h"
#include "db_referrals.h"
#include "enable.h"
#include "fault.h"
#include "idlist.h"
#include "intake.h"
#include "keyword.h"
#include "log.h"
#include "mailout.h"
#include "newsletter.h"
#include "normalize.h"
#include "notify.h"
#include "rawhdr.h"
#include "token.h"
#include "render.h"
#include "replies.h"
#include "reply.h"
#include "sdnotify.h"
#include "util.h"

/* Attempts to process one message before it is quarantined. */
#define MAX_ATTEMPTS 3
/* CPU seconds the parser may spend on one message. */
#define PARSE_CPU_LIMIT 20
/* Wall-clock seconds before a parser that neither answers nor dies is killed. */
#define PARSE_WALL_LIMIT (6 * PARSE_CPU_LIMIT)
/* Messages one parser child serves before a fresh one: bounds any leak. */
#define PROBE_RECYCLE 1000

struct job {
	struct refbot *rb;
	int64_t row;
	struct analysis a;
	const char *disposition;
	char *detail;
	int64_t referral_id;
	int withheld;		/* the sender's reply cap held a reply back */
	char *dedup_id;		/* Message-ID, or one made from the content */
};

static const char *
field_title(const struct tfield *f, const char *lang)
{
	return strcmp(lang, "ja") == 0 ? f->title_ja : f->title;
}

/* The echo of fields read, one "  Label: value" line each, in lang. */
static char *
intake_fields_text(const struct form *f, const char *lang)
{
	struct buf b;
	size_t i;
	const char *p;

	buf_init(&b);
	for (i = 0; i < f->nvalues; i++) {
		if (i > 0)
			buf_addc(&b, '\n');
		buf_addf(&b, "  %s: ", field_title(f->values[i].field, lang));
		/* Continuation lines stay visibly part of the field. */
		for (p = f->values[i].value; *p != '\0'; p++) {
			buf_addc(&b, *p);
			if (*p == '\n')
				buf_adds(&b, "    ");
		}
	}
	if (b.len == 0)
		buf_adds(&b, "  -");
	return buf_steal(&b);
}

/* "  - Contact email: not an email address", one line per problem. */
static char *
problems_text(struct refbot *rb, const struct form *f, const char *lang)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < f->nproblems; i++) {
		const struct form_problem *p = &f->problems[i];
		char *why;

		if (p->group != NULL)
			why = xstrdup(strcmp(lang, "ja") == 0 &&
			    p->group->reason_ja ? p->group->reason_ja :
			    p->group->reason ? p->group->reason : "");
		else
			why = refbot_reason(rb, lang, p->code, p->arg);
		buf_addf(&b, "%s  - %s: %s", i ? "\n" : "",
		    field_title(p->field, lang), why);
		free(why);
	}
	return buf_steal(&b);
}

/* The template's reason for every checklist rule that failed. */
static char *
rules_text(const struct form *f, const char *lang)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < f->nfailed; i++) {
		const struct tfield *fd = f->failed[i];
		const char *why = strcmp(lang, "ja") == 0 && fd->reason_ja ?
		    fd->reason_ja : fd->reason ? fd->reason : "";
		buf_addf(&b, "%s  - %s: %s", i ? "\n" : "",
		    field_title(fd, lang), why);
	}
	return buf_steal(&b);
}

/* "Label: " lines for the partner to fill in, one per field to fix. */
static char *
blank_lines(const struct form *f, const char *lang)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < f->nproblems; i++)
		buf_addf(&b, "%s%s: ", b.len ? "\n" : "",
		    field_title(f->problems[i].field, lang));
	for (i = 0; i < f->nfailed; i++)
		buf_addf(&b, "%s%s: ", b.len ? "\n" : "",
		    field_title(f->failed[i], lang));
	return buf_steal(&b);
}

/*
 * The References of our reply: the sender's, then their Message-ID, cut
 * to the last IDLIST_REFERENCES_MAX valid ids (the values are the sender's).
 */
static char *
references_for(const struct message *msg)
{
	char *all = xasprintf("%s %s", msg->references ? msg->references : "",
	    msg->message_id ? msg->message_id : ""), *refs;

	refs = idlist_last_msgids(all, IDLIST_REFERENCES_MAX);
	free(all);
	if (*refs == '\0') {
		free(refs);
		return NULL;
	}
	return refs;
}

static const char *
status_for(enum form_outcome o)
{
	switch (o) {
	case OUTCOME_QUALIFIED: return "NEW";
	case OUTCOME_INCOMPLETE: return "INCOMPLETE";
	case OUTCOME_DISQUALIFIED: return "DISQUALIFIED";
	}
	return "?";
}

/*
 * The acknowledgement, or what is missing, or why it cannot go ahead, to
 * the partner; and for a referral staff must act on or should know was
 * turned away, a notification to every staff address.
 */
static int
send_outcome(struct job *j, const struct form *f, const struct partner *p,
    const char *rcpt)
{
	struct refbot *rb = j->rb;
	static const char *names[] = { "ack", "incomplete", "disqualified" };
	const char *lang = replies_partner_lang(p, &j->a);
	const char *client = form_get(f, "client");
	char ref[24], sla[16], due[40], *fields, *problems, *reasons, *blanks;
	char *refs = references_for(&j->a.msg), *fields_en, *reasons_en;
	int hours = config_sla_hours(&rb->cfg, p->tier);
	time_t t = time(NULL) + (time_t)hours * 3600;
	struct notify n;
	struct tm tm;
	int rc;

	refbot_ref(j->referral_id, ref, sizeof(ref));
	snprintf(sla, sizeof(sla), "%d", hours);
	gmtime_r(&t, &tm);
	strftime(due, sizeof(due), "%Y-%m-%d %H:%M UTC", &tm);
	fields = intake_fields_text(f, lang);
	problems = problems_text(rb, f, lang);
	reasons = rules_text(f, lang);
	blanks = blank_lines(f, lang);
	fields_en = intake_fields_text(f, "en");
	reasons_en = rules_text(f, "en");
	{
		const struct render_var vars[] = {
			{ "ref", ref },
			{ "client", client ? client : "?" },
			{ "partner_name", p->name },
			{ "partner_email", p->email },
			{ "fields", fields },
			{ "problems", problems },
			{ "reasons", reasons },
			{ "blank_lines", blanks },
			{ "sla_hours", sla },
			{ "due", due },
			{ "from_name", rb->cfg.from_name },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = names[f->outcome];
		n.lang = lang;
		n.rcpt = rcpt;
		n.referral_id = j->referral_id;
		n.role = ROLE_PARTNER;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = j->a.msg.message_id;
		n.references = refs;
		n.auto_reply = 1;
		rc = notify_queue(rb, &n, NULL);
		if (rc == NOTIFY_WITHHELD) {
			j->withheld = 1;
			rc = 0;
		}
		if (rc == 0 && f->outcome != OUTCOME_INCOMPLETE) {
			/* Staff read English; they see the fields as read. */
			const struct render_var svars[] = {
				{ "ref", ref },
				{ "client", client ? client : "?" },
				{ "partner_name", p->name },
				{ "partner_email", p->email },
				{ "fields", fields_en },
				{ "reasons", reasons_en },
				{ "due", due },
				{ "marker", REPLY_MARKER },
			};
			memset(&n, 0, sizeof(n));
			n.name = f->outcome == OUTCOME_QUALIFIED ? "staff-new" :
			    "staff-disqualified";
			n.referral_id = j->referral_id;
			n.role = ROLE_STAFF;
			n.vars = svars;
			n.nvars = nitems(svars);
			rc = notify_staff(rb, &n);
		}
	}
	free(refs);
	free(fields);
	free(problems);
	free(reasons);
	free(blanks);
	free(fields_en);
	free(reasons_en);
	return rc;
}

/*
 * A qualified referral of a client another (or the same) partner already
 * referred within the protection window: the first formal referral keeps
 * the credit, this partner is told politely, staff see both.
 */
static int
send_duplicate(struct job *j, const struct form *f, const struct partner *p,
    int64_t first_id)
{
	struct refbot *rb = j->rb;
	struct referral first;
	struct notify n;
	const char *lang = replies_partner_lang(p, &j->a);
	const char *client = form_get(f, "client");
	char ref[24], first_ref[24], date[16], *refs, *fields, *same;
	struct tm tm;
	time_t t;
	int rc, found;

	if ((found = db_referral_get(rb->db, first_id, &first)) <= 0)
		return found < 0 ? -1 : 0;
	refbot_ref(j->referral_id, ref, sizeof(ref));
	refbot_ref(first_id, first_ref, sizeof(first_ref));
	t = (time_t)first.created_at;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	same = first.partner_id == p->id ? xasprintf(strcmp(lang, "ja") == 0 ?
	    "（貴社からのご紹介 %s）" : ", by you, as %s", first_ref) :
	    xstrdup("");
	refs = references_for(&j->a.msg);
	fields = intake_fields_text(f, "en");
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", client ? client : "?" },
			{ "partner_name", p->name },
			{ "partner_email", p->email },
			{ "first_ref", first_ref }, { "first_date", date },
			{ "first_partner", first.partner_name ?
			    first.partner_name : "?" },
			{ "same_partner", same }, { "fields", fields },
			{ "from_name", rb->cfg.from_name },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "duplicate";
		n.lang = lang;
		n.rcpt = j->a.msg.from_addr;
		n.referral_id = j->referral_id;
		n.role = ROLE_PARTNER;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = j->a.msg.message_id;
		n.references = refs;
		n.auto_reply = 1;
		rc = notify_queue(rb, &n, NULL);
		if (rc == NOTIFY_WITHHELD) {
			j->withheld = 1;
			rc = 0;
		}
		if (rc == 0) {
			memset(&n, 0, sizeof(n));
			n.name = "staff-duplicate";
			n.referral_id = j->referral_id;
			n.role = ROLE_STAFF;
			n.vars = vars;
			n.nvars = nitems(vars);
			rc = notify_staff(rb, &n);
		}
	}
	free(same);
	free(refs);
	free(fields);
	referral_free(&first);
	return rc;
}

static int
submission(struct job *j, const struct partner *p)
{
	struct refbot *rb = j->rb;
	const struct form *f = &j->a.form;
	const char *status = status_for(f->outcome);
	const char *email = form_get(f, "contact_email");
	char *key = normalize_company(form_get(f, "client"));
	char *domain = normalize_domain(email), ref[24];
	int64_t first = 0;
	size_t i;
	int rc = -1;

	if (f->outcome == OUTCOME_QUALIFIED && db_referral_first(rb->db,
	    clock_now() - (int64_t)rb->cfg.protection_days * 86400,
	    key, email, domain, &first) < 0)
		goto out;
	if (first > 0)
		status = "DUPLICATE";
	if (db_referral_insert(rb->db, p->id, j->row, status,
	    form_get(f, "client"), form_get(f, "contact_name"),
	    j->a.msg.subject, j->a.msg.message_id, &j->referral_id) != 0 ||
	    db_referral_keys(rb->db, j->referral_id, key, email, domain,
	    first) != 0)
		goto out;
	for (i = 0; i < f->nvalues; i++)
		if (db_referral_field(rb->db, j->referral_id,
		    f->values[i].field->key, f->values[i].value) != 0)
			goto out;
	if (db_history_add(rb->db, j->referral_id, "partner", "received", NULL,
	    status, NULL) != 0)
		goto out;
	if ((first > 0 ? send_duplicate(j, f, p, first) :
	    send_outcome(j, f, p, j->a.msg.from_addr)) != 0)
		goto out;
	refbot_ref(j->referral_id, ref, sizeof(ref));
	j->disposition = first > 0 ? "duplicate" :
	    f->outcome == OUTCOME_QUALIFIED ? "referral" :
	    f->outcome == OUTCOME_INCOMPLETE ? "incomplete" : "disqualified";
	j->detail = first > 0 ? xasprintf("%s DUPLICATE of referral %lld", ref,
	    (long long)first) : xasprintf("%s %s, %zu fields, %zu problems, "
	    "%zu rules failed", ref, status, f->nvalues, f->nproblems,
	    f->nfailed);
	log_info("message %lld: %s %s from partner %lld, replies queued",
	    (long long)j->row, ref, status, (long long)p->id);
	rc = 0;
out:
	free(key);
	free(domain);
	return rc;
}

/*
 * A partner's corrections to an INCOMPLETE or DISQUALIFIED referral (text:
 * what they wrote, signed or confirmed): the "Label: value" lines are
 * merged over what we had and the whole referral is evaluated again.
 */
static int
correction(struct job *j, const struct referral *r, const struct partner *p,
    const char *text)
{
	struct refbot *rb = j->rb;
	struct form upd, merged;
	const char **keys, **vals;
	char ref[24];
	const char *status;
	size_t i, k, n = 0;
	int rc = -1;

	form_read_lines(rb->tmpl, text, &upd);
	refbot_ref(r->id, ref, sizeof(ref));
	if (upd.nvalues == 0) {
		/* Not corrections: a question or a remark (replies.c). */
		form_free(&upd);
		return 0;
	}
	keys = xcalloc(r->nfields + upd.nvalues, sizeof(*keys));
	vals = xcalloc(r->nfields + upd.nvalues, sizeof(*vals));
	for (i = 0; i < upd.nvalues; i++) {
		keys[n] = upd.values[i].field->key;
		vals[n++] = upd.values[i].value;
	}
	for (i = 0; i < r->nfields; i++) {
		for (k = 0; k < upd.nvalues; k++)
			if (!strcmp(upd.values[k].field->key, r->fields[i].key))
				break;
		if (k == upd.nvalues) {
			keys[n] = r->fields[i].key;
			vals[n++] = r->fields[i].value;
		}
	}
	form_evaluate(rb->tmpl, keys, vals, n, &merged);
	status = status_for(merged.outcome);
	j->referral_id = r->id;
	for (i = 0; i < upd.nvalues; i++)
		if (db_referral_field(rb->db, r->id, upd.values[i].field->key,
		    upd.values[i].value) != 0)
			goto out;
	if (db_referral_set_status(rb->db, r->id, status) != 0 ||
	    db_history_add(rb->db, r->id, "partner", "corrected", r->status,
	    status, NULL) != 0 ||
	    send_outcome(j, &merged, p, p->email) != 0)
		goto out;
	j->disposition = "correction";
	j->detail = xasprintf("%s %s -> %s, %zu fields updated", ref,
	    r->status, status, upd.nvalues);
	log_info("message %lld: %s corrected by the partner: %s -> %s",
	    (long long)j->row, ref, r->status, status);
	rc = 0;
out:
	free(keys);
	free(vals);
	form_free(&upd);
	form_free(&merged);
	return rc;
}

/* Copies what replies.c decided into the job. */
static void
take(struct job *j, struct reply_outcome *out)
{
	j->disposition = out->disposition;
	free(j->detail);
	j->detail = out->detail;
	out->detail = NULL;
}

/*
 * Corrections in mail that proves only its From address (a "[REF-n]"
 * subject, no signed reply address or Message-ID): nothing changes yet.
 * The request is kept and the partner gets what would change, with a
 * signed reply address naming it; a reply applies exactly that.
 * Returns 0 when the text has no corrections (answered as a reply).
 */
static int
correction_unsigned(struct job *j, const struct referral *r,
    const struct partner *p)
{
	struct refbot *rb = j->rb;
	const char *lang = replies_partner_lang(p, &j->a);
	struct reply_text rt;
	struct notify n;
	struct form upd;
	char ref[24], *changes, *refs;
	int64_t id;
	int rc;

	reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
	form_read_lines(rb->tmpl, rt.visible, &upd);
	if (upd.nvalues == 0) {
		form_free(&upd);
		reply_text_free(&rt);
		return 0;
	}
	refbot_ref(r->id, ref, sizeof(ref));
	j->referral_id = r->id;
	if (db_pending_add(rb->db, "correction", p->id, r->id, j->row,
	    rt.visible, &id) != 0 ||
	    db_history_add(rb->db, r->id, "partner", "correction-unsigned",
	    NULL, NULL, "waits for the partner's signed confirmation") != 0) {
		form_free(&upd);
		reply_text_free(&rt);
		return -1;
	}
	changes = intake_fields_text(&upd, lang);
	refs = references_for(&j->a.msg);
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "partner_name", p->name }, { "changes", changes },
			{ "from_name", rb->cfg.from_name },
		};
		memset(&n, 0, sizeof(n));
		n.name = "confirm-correction";
		n.lang = lang;
		n.rcpt = p->email;
		n.referral_id = r->id;
		n.role = ROLE_CONFIRM;
		n.token_id = id;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = j->a.msg.message_id;
		n.references = refs;
		n.auto_reply = 1;
		if ((rc = notify_queue(rb, &n, NULL)) == NOTIFY_WITHHELD) {
			j->withheld = 1;
			rc = 0;
		}
	}
	j->disposition = "correction-unsigned";
	j->detail = xasprintf("%s: %zu fields in mail without a signed "
	    "address: request %lld waits for the partner's confirmation", ref,
	    upd.nvalues, (long long)id);
	log_info("message %lld: unsigned correction of %s kept as request "
	    "%lld; the partner is asked to confirm", (long long)j->row, ref,
	    (long long)id);
	free(changes);
	free(refs);
	form_free(&upd);
	reply_text_free(&rt);
	return rc < 0 ? -1 : 1;
}

/* Applies a kept correction now that the partner confirmed it. */
static int
correction_confirmed(struct job *j, const struct pending_request *pr)
{
	struct refbot *rb = j->rb;
	struct referral r;
	struct partner p;
	char idbuf[24];
	int found, rc = 0;

	if ((found = db_referral_get(rb->db, pr->referral_id, &r)) <= 0)
		return found;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)pr->partner_id);
	if ((found = db_partner_find(rb->db, idbuf, &p)) <= 0) {
		referral_free(&r);
		return found;
	}
	j->referral_id = r.id;
	if (r.partner_id != p.id)
		found = 0;
	else if (strcmp(r.status, "INCOMPLETE") == 0 ||
	    strcmp(r.status, "DISQUALIFIED") == 0)
		rc = correction(j, &r, &p, pr->body);
	else {
		j->disposition = "correction";
		j->detail = xasprintf("request %lld confirmed, but referral "
		    "%lld is %s now: nothing changed", (long long)pr->id,
		    (long long)r.id, r.status);
	}
	partner_free(&p);
	referral_free(&r);
	return rc < 0 ? -1 : found;
}

/*
 * A reply through the signed address of our "please confirm" mail: the
 * kept request it names is applied, exactly as it was asked, once.
 * Returns 1 when the mail was such a reply, 0 when not, -1.
 */
static int
confirmed_request(struct job *j)
{
	static const char roles[] = { ROLE_CONFIRM, 0 };
	struct refbot *rb = j->rb;
	struct reply_outcome out = { NULL, NULL };
	struct pending_request pr;
	int64_t id;
	int role, r;

	if (!replies_token_for(rb, &j->a, roles, &id, &role))
		return 0;
	if ((r = db_pending_get(rb->db, id, &pr)) < 0)
		return -1;
	if (r == 0 || pr.done_at != 0) {
		j->disposition = "request-confirmed";
		j->detail = xasprintf("request %lld %s", (long long)id, r == 0 ?
		    "does not exist" : "was already applied");
		pending_request_free(&pr);
		return 1;
	}
	if (strcmp(pr.kind, "unsubscribe") == 0) {
		r = newsletter_unsubscribe(rb, j->row, &j->a, pr.partner_id,
		    "confirmed by a signed reply", &out);
		if (out.disposition != NULL)
			take(j, &out);
	} else if (strcmp(pr.kind, "correction") == 0)
		r = correction_confirmed(j, &pr);
	else
		r = 0;
	if (r >= 0 && j->disposition == NULL) {
		j->disposition = "request-confirmed";
		j->detail = xasprintf("request %lld (%s): its partner or "
		    "referral no longer exists", (long long)id, pr.kind);
	}
	if (r >= 0 && db_pending_done(rb->db, id) < 0)
		r = -1;
	if (r >= 0)
		log_info("message %lld: request %lld (%s) confirmed by the "
		    "partner", (long long)j->row, (long long)id, pr.kind);
	pending_request_free(&pr);
	return r < 0 ? -1 : 1;
}

/* A reply in one of our threads. */
static int
reply(struct job *j)
{
	struct refbot *rb = j->rb;
	struct reply_outcome out = { NULL, NULL };
	struct referral r;
	struct partner p;
	int64_t id = j->a.ref, tid;
	int role = 0, found, rc = 0, staff;

	if (replies_token(rb, &j->a, &tid, &role))
		id = tid;
	found = id > 0 ? db_referral_get(rb->db, id, &r) : 0;
	if (found < 0)
		return -1;
	if (found == 0) {
		j->disposition = "reply";
		j->detail = xasprintf("reply about an unknown referral %lld",
		    (long long)id);
		log_info("message %lld: reply about unknown referral %lld",
		    (long long)j->row, (long long)id);
		return 0;
	}
	j->referral_id = r.id;
	staff = config_is_staff(&rb->cfg, j->a.msg.from_addr);
	if (!staff && r.partner_email != NULL &&
	    strcmp(r.partner_email, j->a.msg.from_addr) == 0) {
		found = db_partner_by_email(rb->db, r.partner_email, &p);
		if (found > 0) {
			int fixable = strcmp(r.status, "INCOMPLETE") == 0 ||
			    strcmp(r.status, "DISQUALIFIED") == 0;
			struct reply_text rt;

			/* Signed: our mail's reply address or Message-ID. */
			if (fixable && role == ROLE_PARTNER) {
				reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
				rc = correction(j, &r, &p, rt.visible);
				reply_text_free(&rt);
			} else if (fixable)
				rc = correction_unsigned(j, &r, &p) < 0 ? -1 : 0;
			if (rc == 0 && j->disposition == NULL) {
				rc = replies_partner(rb, j->row, &j->a, &r, &p,
				    &out);
				take(j, &out);
			}
			partner_free(&p);
		} else
			rc = found;
	} else if (staff || role == ROLE_STAFF) {
		/* replies_staff also refuses a staff token from a stranger. */
		rc = replies_staff(rb, j->row, &j->a, &r, &out);
		take(j, &out);
	} else {
		j->disposition = "reply";
		j->detail = xasprintf("reply about referral %lld from neither "
		    "staff nor its partner", (long long)r.id);
		log_info("message %lld: reply about referral %lld from an "
		    "outsider recorded", (long long)j->row, (long long)r.id);
	}
	referral_free(&r);
	return rc < 0 ? -1 : 0;
}


static int
unknown_sender(struct job *j)
{
	const struct render_var vars[] = {
		{ "subject", j->a.msg.subject },
		{ "from_name", j->rb->cfg.from_name },
		{ "intake_address", j->rb->cfg.intake_address },
		{ "sender", j->a.msg.from_addr },
		{ "text", j->a.msg.text },
	};
	struct notify n;
	char *refs = references_for(&j->a.msg);
	int rc = 0;

	j->disposition = "unknown-sender";
	j->detail = xstrdup("sender is not a registered partner");
	log_info("message %lld: sender is not a registered partner",
	    (long long)j->row);
	memset(&n, 0, sizeof(n));
	/* How to become a partner, unless the policy is to notify only. */
	if (j->rb->cfg.unknown_reply) {
		n.name = "not-partner";
		n.lang = j->a.lang;
		n.rcpt = j->a.msg.from_addr;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = j->a.msg.message_id;
		n.references = refs;
		n.auto_reply = 1;
		rc = notify_queue(j->rb, &n, NULL);
		if (rc == NOTIFY_WITHHELD) {
			j->withheld = 1;
			rc = 0;
		}
	}
	if (rc == 0) {
		memset(&n, 0, sizeof(n));
		n.name = "staff-unknown";
		n.vars = vars;
		n.nvars = nitems(vars);
		n.alert_row = j->row;	/* rate-limited: a flood is summarised */
		rc = notify_staff(j->rb, &n);
	}
	free(refs);
	return rc;
}

/*
 * "STATUS REF-000123" sent to the intake address (first line or
 * subject): answered to the referring partner only.  Returns 1 when the
 * message was such a request, 0 when it was not, -1 on a database error.
 */
static int
status_request(struct job *j, const struct partner *p)
{
	struct refbot *rb = j->rb;
	struct keyword_cmd cmd;
	struct tm today;
	struct referral r;
	int found, rc = 1;

	/* The first line, else the subject, must be STATUS with a reference. */
	if (keyword_parse(rb->keywords, j->a.msg.text, rb->cfg.currency,
	    clock_local(clock_now(), &today), &cmd) != 0 ||
	    cmd.kw != KW_STATUS || cmd.ref <= 0) {
		keyword_cmd_free(&cmd);
		if (keyword_parse(rb->keywords, j->a.msg.subject,
		    rb->cfg.currency, &today, &cmd) != 0 ||
		    cmd.kw != KW_STATUS || cmd.ref <= 0) {
			keyword_cmd_free(&cmd);
			return 0;
		}
	}
	found = db_referral_get(rb->db, cmd.ref, &r);
	if (found < 0) {
		keyword_cmd_free(&cmd);
		return -1;
	}
	j->disposition = "status-request";
	if (found > 0 && r.partner_email != NULL &&
	    strcmp(r.partner_email, p->email) == 0) {
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

	reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
	is = classify_form_request(j->rb->keywords, j->a.msg.subject,
	    rt.visible, j->a.form.nvalues);
	reply_text_free(&rt);
	if (!is)
		return 0;
	refs = references_for(&j->a.msg);
	if ((rc = enable_form_reply(j->rb, &j->a, p, refs)) == NOTIFY_WITHHELD) {
		j->withheld = 1;
		rc = 0;
	}
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
	int found, rc = 0, partner = 0;

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
	if (rc == 0 && partner > 0) {
		char *what = xasprintf("A partner's address bounced (outbox "
		    "%lld, %s)", (long long)m.id, m.kind);
		rc = notify_alert(rb, j->row, what, why,
		    rb->cfg.processed_folder);
		free(what);
	}
	j->detail = xasprintf("outbox %lld (%s) %s%s", (long long)m.id, m.kind,
	    why, partner > 0 ? "; partner address flagged" : "");
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
	if (j->a.kind == KIND_REPLY || j->a.kind == KIND_SUBMISSION) {
		struct reply_outcome out = { NULL, NULL };

		/* A partner's yes to a request they sent unsigned. */
		if ((r = confirmed_request(j)) != 0)
			return r < 0 ? -1 : 0;
		if ((r = newsletter_inbound(rb, j->row, &j->a, &out)) != 0) {
			if (r < 0)
				return -1;
			take(j, &out);
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
		return reply(j);
	case KIND_SUBMISSION:
		break;
	case KIND_UNREADABLE:
		return -1;	/* handled before the transaction */
	}
	if (config_is_staff(&rb->cfg, j->a.msg.from_addr)) {
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
		return unknown_sender(j);
	}
	if ((r = status_request(j, &p)) == 0 && (r = form_request(j, &p)) == 0)
		r = submission(j, &p);
	partner_free(&p);
	return r < 0 ? -1 : 0;
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

/* The parser child: its pid, our end of its socket, messages served. */
static struct {
	pid_t pid;
	int fd;
	unsigned served;
} probe = { -1, -1, 0 };

static int
read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = read(fd, p, len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
send_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = send(fd, p, len, MSG_NOSIGNAL)) < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The child's loop: a length, that many bytes, analyze() under a CPU
 * limit of PARSE_CPU_LIMIT seconds more than it has used so far, one
 * byte back.  It leaves when the bot closes the socket.
 */
_Noreturn static void
probe_child(struct refbot *rb, int fd)
{
	struct analyze_opts o = { rb->tmpl, rb->cfg.message_id_domain,
	    MAILOUT_LOOP_HEADER, rb->cfg.max_message_size };
	struct analysis a;
	struct rusage ru;
	struct rlimit rl;
	char *buf = NULL, ok = 0;
	size_t cap = 0;
	uint64_t len;

	/* Only the bot stops it (by closing the socket), never a signal. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	/* Nothing of the bot's (IMAP, SMTP, database) stays open here. */
	if (fd != 3) {
		if (dup2(fd, 3) < 0)
			_exit(71);
		fd = 3;
	}
	closefrom(4);
	for (;;) {
		if (read_full(fd, &len, sizeof(len)) != 0)
			_exit(0);
		if (len > cap) {
			free(buf);
			cap = len;
			buf = xmalloc(cap);
		}
		if (read_full(fd, buf, len) != 0)
			_exit(0);
		if (getrusage(RUSAGE_SELF, &ru) == 0 &&
		    getrlimit(RLIMIT_CPU, &rl) == 0) {
			rlim_t soft = (rlim_t)ru.ru_utime.tv_sec +
			    (rlim_t)ru.ru_stime.tv_sec + PARSE_CPU_LIMIT + 1;
			rl.rlim_cur = rl.rlim_max != RLIM_INFINITY &&
			    soft > rl.rlim_max ? rl.rlim_max : soft;
			setrlimit(RLIMIT_CPU, &rl);
		}
		analyze(buf, len, &o, &a);
		analysis_free(&a);
		if (send_full(fd, &ok, 1) != 0)
			_exit(0);
	}
}

/* Closes the parser child's socket (it then exits) and reaps it. */
void
intake_probe_stop(void)
{
	int status;

	if (probe.pid < 0)
		return;
	close(probe.fd);
	while (waitpid(probe.pid, &status, 0) < 0 && errno == EINTR)
		;
	probe.pid = -1;
	probe.fd = -1;
}

static int
probe_start(struct refbot *rb)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		probe_child(rb, sv[1]);
	}
	close(sv[1]);
	probe.pid = pid;
	probe.fd = sv[0];
	probe.served = 0;
	return 0;
}

/*
 * Parses the message in the parser child first.  Returns 0 when the
 * parser survives it, else -1 with *why set; the child is then gone and
 * the next message gets a new one.
 */
static int
probe_parse(struct refbot *rb, const char *raw, size_t len, char **why)
{
	uint64_t n = len;
	struct pollfd pfd;
	int status, tries, waited, r = 0;
	char ok;

	if (probe.pid >= 0 && probe.served >= PROBE_RECYCLE)
		intake_probe_stop();
	/*
	 * A child that is already gone (killed from outside between two
	 * messages) refuses the bytes: start another and send them again.
	 */
	for (tries = 0; tries < 2; tries++) {
		if (probe.pid < 0 && probe_start(rb) != 0) {
			*why = xstrdup("cannot fork the parser");
			return -1;
		}
		if (send_full(probe.fd, &n, sizeof(n)) == 0 &&
		    send_full(probe.fd, raw, len) == 0)
			break;
		intake_probe_stop();
	}
	if (tries == 2) {
		*why = xstrdup("cannot reach the parser");
		return -1;
	}
	pfd.fd = probe.fd;
	pfd.events = POLLIN;
	/* A second at a time: a bounded wait, so the watchdog is told. */
	for (waited = 0; waited < PARSE_WALL_LIMIT; ) {
		sdnotify_alive();
		if ((r = poll(&pfd, 1, 1000)) < 0 && errno == EINTR)
			continue;
		if (r != 0)
			break;
		waited++;
	}
	if (r > 0 && read_full(probe.fd, &ok, 1) == 0) {
		probe.served++;
		return 0;
	}
	if (r == 0)
		kill(probe.pid, SIGKILL);
	close(probe.fd);
	while (waitpid(probe.pid, &status, 0) < 0 && errno == EINTR)
		;
	probe.pid = -1;
	probe.fd = -1;
	if (r == 0)
		*why = xasprintf("the MIME parser did not finish on it in %d "
		    "s", PARSE_WALL_LIMIT);
	else if (WIFSIGNALED(status))
		*why = xasprintf("the MIME parser crashed on it (signal %d)",
		    WTERMSIG(status));
	else
		*why = xasprintf("the MIME parser failed on it (status %d)",
		    WEXITSTATUS(status));
	return -1;
}

/*
 * detail, and what the caps (notify.c) held back while this message was
 * handled, so that nothing they hold back is silent (caller frees).
 */
static char *
capped_detail(struct refbot *rb, const char *detail, int withheld)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, detail ? detail : "");
	if (withheld || rb->replies_withheld > 0)
		buf_addf(&b, "; reply withheld (more than %d to this sender "
		    "in an hour)", rb->cfg.auto_reply_limit);
	if (rb->alerts_held > 0)
		buf_addf(&b, "; staff alert held for the hourly summary (%d "
		    "of its kind already sent this hour)",
		    rb->cfg.staff_alert_limit);
	return buf_steal(&b);
}

/* What a message set aside is, and what its sender is told. */
struct aside {
	const char *disposition;	/* "unreadable", "too-large", ... */
	const char *why;		/* for staff and the record */
	const char *title;		/* the staff alert's first line */
	const char *from;		/* the sender, or NULL: tell nobody */
	const char *text;		/* the mail text for a partner */
	const struct render_var *vars;	/* its own placeholders */
	size_t nvars;
	const char *in_reply_to, *references;	/* or NULL */
};

/*
 * Records a message set aside and tells staff, in one transaction; an
 * active partner who sent it is told too, in their language, so nothing
 * they sent disappears without a word.  A stranger is told nothing.
 */
static enum intake_result
set_aside(struct refbot *rb, int64_t row, const struct aside *as)
{
	struct partner p;
	struct render_var vars[8];
	struct notify n;
	char *detail;
	size_t i;
	int found = 0, withheld = 0, rc;

	log_warnx("message %lld: %s: %s", (long long)row, as->disposition,
	    as->why);
	if (db_begin(rb->db) != 0)
		goto retry;
	rc = notify_alert(rb, row, as->title, as->why,
	    rb->cfg.rejected_folder) != 0;
	if (rc == 0 && as->from != NULL &&
	    (found = db_partner_by_sender(rb->db, as->from, &p)) > 0) {
		vars[0] = (struct render_var){ "partner_name", p.name };
		vars[1] = (struct render_var){ "from_name",
		    rb->cfg.from_name };
		vars[2] = (struct render_var){ "intake_address",
		    rb->cfg.intake_address };
		for (i = 0; i < as->nvars && i + 3 < nitems(vars); i++)
			vars[i + 3] = as->vars[i];
		memset(&n, 0, sizeof(n));
		n.name = as->text;
		n.lang = strcmp(p.lang, "ja") == 0 ? "ja" : "en";
		n.rcpt = as->from;
		n.vars = vars;
		n.nvars = i + 3;
		n.in_reply_to = as->in_reply_to;
		n.references = as->references;
		n.auto_reply = 1;
		if (p.active) {
			int q = notify_queue(rb, &n, NULL);

			rc = q < 0;
			withheld = q == NOTIFY_WITHHELD;
		}
		partner_free(&p);
	}
	/* After the notices: the record says what the caps held back. */
	detail = capped_detail(rb, as->why, withheld);
	if (rc != 0 || found < 0 || db_message_dispose(rb->db, row, NULL,
	    as->disposition, detail, 0) != 0 || db_commit(rb->db) != 0) {
		free(detail);
		db_rollback(rb->db);
		goto retry;
	}
	free(detail);
	return INTAKE_REJECTED;
retry:
	log_warnx("message %lld: not processed, will retry: %s",
	    (long long)row, db_errmsg(rb->db));
	return INTAKE_RETRY;
}

/* A message nobody can read: set aside, its sender found by text search. */
static enum intake_result
reject(struct refbot *rb, int64_t row, const char *disposition,
    const char *why, const char *raw, size_t len)
{
	const struct render_var vars[] = { { "reason", why } };
	struct aside as = { .disposition = disposition, .why = why,
	    .title = "A message could not be read and was set aside",
	    .text = "unreadable", .vars = vars, .nvars = nitems(vars) };
	enum intake_result res;
	char *from = rawhdr_sender(raw, len);

	as.from = from;
	res = set_aside(rb, row, &as);
	free(from);
	return res;
}

/* "25 MB", "1.5 MB"; a limit under 1 MiB (tests only) in KB. */
static void
size_text(uint64_t bytes, char *buf, size_t len)
{
	if (bytes < 1024 * 1024)
		snprintf(buf, len, "%llu KB",
		    (unsigned long long)((bytes + 1023) / 1024));
	else if (bytes % (1024 * 1024) == 0)
		snprintf(buf, len, "%llu MB", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, len, "%.1f MB", (double)bytes / (1024 * 1024));
}

/*
 * A message over max_message_size, known by its header (hdr: the header
 * the server sent, or the start of the message): recorded as too-large,
 * staff told and a registered partner who sent it told in their
 * language, in one transaction.  The header goes through the parser only
 * when the parser child survived it (and parse is set); else the sender
 * is found by plain text search, as for unreadable mail.
 */
static enum intake_result
too_large(struct refbot *rb, int64_t row, const char *hdr, size_t hlen,
    uint64_t size, int parse)
{
	struct message msg;
	char limit[32], got[32], *why, *perr = NULL, *from = NULL;
	char *refs = NULL;
	const struct render_var vars[] = {
		{ "limit", limit }, { "size", got },
	};
	struct aside as = { .disposition = "too-large",
	    .title = "A message over the size limit was set aside",
	    .text = "too-large", .vars = vars, .nvars = nitems(vars) };
	enum intake_result res;

	size_text(rb->cfg.max_message_size, limit, sizeof(limit));
	size_text(size, got, sizeof(got));
	memset(&msg, 0, sizeof(msg));
	if (parse && hlen <= rb->cfg.max_message_size &&
	    probe_parse(rb, hdr, hlen, &perr) == 0 &&
	    message_parse(hdr, hlen, rb->cfg.max_message_size, &msg,
	    &perr) == MESSAGE_OK) {
		/* Automatic mail is never answered (loops). */
		if (classify_automatic(&msg, rb->cfg.message_id_domain,
		    MAILOUT_LOOP_HEADER) == NULL && msg.from_addr != NULL)
			from = xstrdup(msg.from_addr);
		refs = references_for(&msg);
	} else
		from = rawhdr_sender(hdr, hlen);
	free(perr);
	why = xasprintf("%llu bytes, over the %zu-byte limit",
	    (unsigned long long)size, rb->cfg.max_message_size);
	as.why = why;
	as.from = from;
	as.in_reply_to = msg.message_id;
	as.references = refs;
	res = set_aside(rb, row, &as);
	free(why);
	free(from);
	free(refs);
	message_free(&msg);
	return res;
}

enum intake_result
intake_too_large(struct refbot *rb, int64_t row, const char *hdr,
    size_t hlen, uint64_t size)
{
	int n;

	rb->replies_withheld = rb->alerts_held = 0;
	/* Counted as for any message: a parser that kills us is skipped. */
	if ((n = db_message_attempt(rb->db, row)) < 0) {
		log_warnx("message %lld: database: %s", (long long)row,
		    db_errmsg(rb->db));
		return INTAKE_RETRY;
	}
	return too_large(rb, row, hdr, hlen, size, n <= MAX_ATTEMPTS);
}

enum intake_result
intake_process(struct refbot *rb, int64_t row, const char *raw, size_t len)
{
	struct analyze_opts o = { rb->tmpl, rb->cfg.message_id_domain,
	    MAILOUT_LOOP_HEADER, rb->cfg.max_message_size };
	struct job j;
	char *why = NULL;
	enum intake_result res;
	size_t i;
	int n;

	rb->replies_withheld = rb->alerts_held = 0;
	/*
	 * Counted before the work, in its own commit: if processing kills
	 * the process, the count survives the restart and the message is
	 * set aside instead of crashing us again and again.
	 */
	if ((n = db_message_attempt(rb->db, row)) < 0) {
		log_warnx("message %lld: database: %s", (long long)row,
		    db_errmsg(rb->db));
		return INTAKE_RETRY;
	}
	if (n > MAX_ATTEMPTS) {
		why = xasprintf("processing it failed %d times", n - 1);
		res = reject(rb, row, "quarantined", why, raw, len);
		free(why);
		return res;
	}
	if (len <= rb->cfg.max_message_size && probe_parse(rb, raw, len,
	    &why) != 0) {
		res = reject(rb, row, "unreadable", why, raw, len);
		free(why);
		return res;
	}

	memset(&j, 0, sizeof(j));
	j.rb = rb;
	j.row = row;
	analyze(raw, len, &o, &j.a);
	if (j.a.kind == KIND_UNREADABLE) {
		/* Over the limit, though the server's size was not. */
		res = j.a.parse_status == MESSAGE_TOO_LARGE ?
		    too_large(rb, row, raw, len, len, 0) :
		    reject(rb, row, "unreadable", j.a.error, raw, len);
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
	for (i = 0; i < j.a.msg.nattachments; i++)
		if (db_attachment_add(rb->db, row, j.a.msg.attachments[i].name,
		    j.a.msg.attachments[i].type,
		    j.a.msg.attachments[i].size) != 0)
			goto retry;
	if (decide(&j) != 0)
		goto retry;
	if (j.withheld || rb->replies_withheld > 0 || rb->alerts_held > 0) {
		char *d = capped_detail(rb, j.detail, j.withheld);
		free(j.detail);
		j.detail = d;
	}
	if (db_message_dispose(rb->db, row, j.dedup_id, j.disposition,
	    j.detail, j.referral_id) != 0 ||
	    db_commit(rb->db) != 0)
		goto retry;
	free(j.detail);
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
	free(j.dedup_id);
	analysis_free(&j.a);
	return INTAKE_RETRY;
}
