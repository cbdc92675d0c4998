/*
 * intake_referral: a referral as intake receives it: the submission, the
 * partner's corrections (signed, unsigned and confirmed), replies in its
 * thread, and the mails each causes.  Called by decide() (intake.c),
 * inside the message's transaction; -1 means roll back and retry.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "attach.h"
#include "clock.h"
#include "contacts.h"
#include "db_contacts.h"
#include "db_messages.h"
#include "db_outbox.h"
#include "db_partners.h"
#include "db_pending.h"
#include "db_referrals.h"
#include "history_words.h"
#include "intake.h"
#include "intake_int.h"
#include "intake_text.h"
#include "log.h"
#include "newsletter.h"
#include "normalize.h"
#include "notify.h"
#include "render.h"
#include "replies.h"
#include "reply.h"
#include "staff.h"
#include "token.h"
#include "util.h"

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
 * What is derived from a referral's fields: its client and contact name
 * (the list's columns) and the keys duplicate detection compares.  The
 * one place that knows which fields those are.
 */
struct derived {
	const char *client, *contact_name, *contact_email;	/* the form's */
	char *client_key, *domain;				/* owned */
};

static void
derive(const struct form *f, struct derived *d)
{
	d->client = form_role(f, FIELD_ROLE_CLIENT);
	d->contact_name = form_role(f, FIELD_ROLE_CONTACT_NAME);
	d->contact_email = form_role(f, FIELD_ROLE_CONTACT_EMAIL);
	d->client_key = normalize_company(d->client);
	d->domain = normalize_domain(d->contact_email);
}

static void
derived_free(struct derived *d)
{
	free(d->client_key);
	free(d->domain);
}

int
intake_is_submission(const struct form *f)
{
	/*
	 * A recognised field, or (where the template says) a client name;
	 * not derive(): its normalised keys are not needed for this.
	 */
	return f->nvalues > 0 || form_role(f, FIELD_ROLE_CLIENT) != NULL;
}

/* Referrals created since then are protected (the first of a client wins). */
static int64_t
protected_since(const struct refbot *rb)
{
	return clock_now() - (int64_t)rb->cfg.protection_days * 86400;
}

/*
 * The first formal referral of d's client still protected: *first, or 0
 * when there is none (first referral wins).  0, or -1.
 */
static int
first_referral(struct refbot *rb, const struct derived *d, int64_t *first)
{
	int64_t since = protected_since(rb);
	int r;

	*first = 0;
	/* Widened before, outside the transaction (intake_window_tidy). */
	if ((r = db_referral_window_covers(rb->db, since)) <= 0) {
		if (r == 0)
			log_warnx("duplicate detection cannot look back %d "
			    "days yet (the window was not widened)",
			    rb->cfg.protection_days);
		return -1;
	}
	return db_referral_first(rb->db, since, d->client_key,
	    d->contact_email, d->domain, first) < 0 ? -1 : 0;
}

int
intake_window_tidy(struct refbot *rb)
{
	return db_referral_window(rb->db, protected_since(rb), 1);
}

/*
 * The acknowledgement, or what is missing, or why it cannot go ahead, to
 * the partner; and for a referral staff must act on or should know was
 * turned away, a notification to every staff address.
 */
static int
send_outcome(struct job *j, const struct form *f, const struct partner *p,
    const char *rcpt, int tell_staff)
{
	struct refbot *rb = j->rb;
	static const char *names[] = { "ack", "incomplete", "disqualified" };
	const char *lang = replies_partner_lang(j->rb, p, &j->a);
	const char *client = form_role(f, FIELD_ROLE_CLIENT);
	char ref[24], sla[16], due[40], *fields, *problems, *reasons, *blanks;
	char *refs = intake_references(&j->a.msg);
	struct staff_form sf;
	int hours = config_sla_hours(&rb->cfg, p->tier);
	int64_t t = clock_now() + (int64_t)hours * 3600;
	struct notify n;
	int rc;

	refbot_ref(j->referral_id, ref, sizeof(ref));
	snprintf(sla, sizeof(sla), "%d", hours);
	clock_text(t, 0, due, sizeof(due));
	fields = intake_fields_text(f, lang);
	problems = intake_problems_text(rb, f, lang);
	reasons = intake_rules_text(f, lang);
	blanks = intake_blank_lines(f, lang);
	intake_staff_form(&sf, f);
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
		rc = rcpt == NULL ? 0 : notify_queue(rb, &n, NULL);
		if (rc == NOTIFY_WITHHELD)
			rc = 0;
		if (rc == 0 && tell_staff && f->outcome != OUTCOME_INCOMPLETE) {
			/* Staff see the fields as read, in their language. */
			const struct render_var svars[] = {
				{ "ref", ref },
				{ "client", client ? client : "?" },
				{ "partner_name", p->name },
				{ "partner_email", p->email },
				{ "fields", sf.fields[0] },
				{ "reasons", sf.reasons[0] },
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
			n.vars_ja = sf.ja;
			n.nvars_ja = nitems(sf.ja);
			n.sheet = f->outcome == OUTCOME_QUALIFIED ? "NEW" :
			    "DISQUALIFIED";
			rc = attach_notify_staff(rb, &n);
		}
	}
	free(refs);
	free(fields);
	free(problems);
	free(reasons);
	free(blanks);
	intake_staff_form_free(&sf);
	return rc;
}

/*
 * A qualified referral of a client another (or the same) partner already
 * referred within the protection window: the first formal referral keeps
 * the credit, this partner is told politely, staff see both.
 */
static int
send_duplicate(struct job *j, const struct form *f, const struct partner *p,
    const char *rcpt, int64_t first_id, int tell_staff)
{
	struct refbot *rb = j->rb;
	struct referral first;
	struct notify n;
	const char *lang = replies_partner_lang(j->rb, p, &j->a);
	const char *client = form_role(f, FIELD_ROLE_CLIENT);
	char ref[24], first_ref[24], date[16], *refs, *same;
	struct staff_form sf;
	struct tm tm;
	int rc, found;

	if ((found = db_referral_get(rb->db, first_id, &first)) <= 0)
		return found < 0 ? -1 : 0;
	refbot_ref(j->referral_id, ref, sizeof(ref));
	refbot_ref(first_id, first_ref, sizeof(first_ref));
	strftime(date, sizeof(date), "%Y-%m-%d",
	    clock_local(first.created_at, &tm));
	same = first.partner_id == p->id ? xasprintf(strcmp(lang, "ja") == 0 ?
	    "（貴社からのご紹介 %s）" : ", by you, as %s", first_ref) :
	    xstrdup("");
	refs = intake_references(&j->a.msg);
	intake_staff_form(&sf, f);
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", client ? client : "?" },
			{ "partner_name", p->name },
			{ "partner_email", p->email },
			{ "first_ref", first_ref }, { "first_date", date },
			{ "first_partner", first.partner_name ?
			    first.partner_name : "?" },
			{ "same_partner", same }, { "fields", sf.fields[0] },
			{ "from_name", rb->cfg.from_name },
			{ "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "duplicate";
		n.lang = lang;
		n.rcpt = rcpt;
		n.referral_id = j->referral_id;
		n.role = ROLE_PARTNER;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = j->a.msg.message_id;
		n.references = refs;
		n.auto_reply = 1;
		rc = rcpt == NULL ? 0 : notify_queue(rb, &n, NULL);
		if (rc == NOTIFY_WITHHELD)
			rc = 0;
		if (rc == 0 && tell_staff) {
			memset(&n, 0, sizeof(n));
			n.name = "staff-duplicate";
			n.referral_id = j->referral_id;
			n.role = ROLE_STAFF;
			n.vars = vars;
			n.nvars = nitems(vars);
			n.vars_ja = sf.ja;
			n.nvars_ja = nitems(sf.ja);
			rc = attach_notify_staff(rb, &n);
		}
	}
	free(same);
	free(refs);
	intake_staff_form_free(&sf);
	referral_free(&first);
	return rc;
}

/* Stores a form's values on a referral, in one statement. */
static int
store_fields(struct db *db, int64_t id, const struct form *f)
{
	const char **keys = xcalloc(f->nvalues + 1, sizeof(*keys));
	const char **vals = xcalloc(f->nvalues + 1, sizeof(*vals));
	size_t i;
	int rc;

	for (i = 0; i < f->nvalues; i++) {
		keys[i] = f->values[i].field->key;
		vals[i] = f->values[i].value;
	}
	rc = db_referral_fields(db, id, keys, vals, f->nvalues);
	free(keys);
	free(vals);
	return rc;
}

/*
 * A new referral from partner p with the form j->a.form, however it came
 * (o says who entered it and who hears of it): recorded, checked for an
 * earlier referral of the same client, acknowledged, staff told.
 */
static int
submit(struct job *j, const struct partner *p, const struct intake_add *o,
    const char *rcpt)
{
	struct refbot *rb = j->rb;
	const struct form *f = &j->a.form;
	const char *status = status_for(f->outcome);
	struct derived d;
	char ref[24];
	int64_t first = 0;
	int rc = -1;

	derive(f, &d);
	if (f->outcome == OUTCOME_QUALIFIED && first_referral(rb, &d,
	    &first) < 0)
		goto out;
	if (first > 0)
		status = "DUPLICATE";
	{
		const struct referral_new n = { p->id, j->row, status,
		    d.client, d.contact_name, j->a.msg.subject,
		    j->a.msg.message_id, d.client_key, d.contact_email,
		    d.domain, first, o->submitted_by, o->created_at };

		if (db_referral_add(rb->db, &n, &j->referral_id) != 0)
			goto out;
	}
	if (store_fields(rb->db, j->referral_id, f) != 0)
		goto out;
	if ((o->detail_key != NULL ? history_add_words(rb, j->referral_id,
	    o->actor, "received", NULL, status, NULL, o->detail_key,
	    o->detail_vars, o->ndetail_vars, NULL) : db_history_add(rb->db,
	    j->referral_id, o->actor, "received", NULL, status, NULL)) != 0 ||
	    staff_pick_owner(rb, j->referral_id, p->id) != 0)
		goto out;
	if ((first > 0 ? send_duplicate(j, f, p, rcpt, first, 1) :
	    send_outcome(j, f, p, rcpt, 1)) != 0)
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
	derived_free(&d);
	return rc;
}

int
intake_submission(struct job *j, const struct partner *p)
{
	const struct intake_add o = { .actor = "partner",
	    .submitted_by = j->a.msg.from_addr };

	return submit(j, p, &o, j->a.msg.from_addr);
}

int
intake_referral_add(struct refbot *rb, const struct partner *p,
    const struct form *f, const struct intake_add *o, int64_t row,
    int64_t *id, char **detail)
{
	struct job j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.rb = rb;
	j.row = row;
	j.a.kind = KIND_SUBMISSION;
	j.a.form = *f;		/* borrowed: never freed here */
	j.a.msg.subject = (char *)o->subject;	/* borrowed too */
	/* The acknowledgement goes to whoever sent it in, at the partner. */
	rc = submit(&j, p, o, o->quiet ? NULL : o->submitted_by != NULL ?
	    o->submitted_by : p->email);
	*id = j.referral_id;
	*detail = j.detail;
	return rc;
}

/* Derives *d from f; *first: the earlier referral it matches (not itself). */
static int
rekey(struct refbot *rb, int64_t id, const struct form *f,
    struct derived *d, int64_t *first)
{
	derive(f, d);
	*first = 0;
	if (db_referral_keys(rb->db, id, NULL, NULL, NULL, 0) != 0)
		return -1;
	return f->outcome == OUTCOME_QUALIFIED ?
	    first_referral(rb, d, first) : 0;
}

int
intake_rederive(struct refbot *rb, int64_t id, int64_t *earlier)
{
	struct referral r;
	struct form f;
	struct derived d;
	const char **keys, **vals;
	int64_t first = 0;
	size_t i;
	int rc = -1, dup;

	*earlier = 0;
	if (db_referral_get(rb->db, id, &r) <= 0)
		return -1;
	keys = xcalloc(r.nfields + 1, sizeof(*keys));
	vals = xcalloc(r.nfields + 1, sizeof(*vals));
	for (i = 0; i < r.nfields; i++) {
		keys[i] = r.fields[i].key;
		vals[i] = r.fields[i].value;
	}
	form_evaluate(rb->tmpl, keys, vals, r.nfields, &f);
	dup = strcmp(r.status, "DUPLICATE") == 0;
	if (rekey(rb, id, &f, &d, &first) == 0 &&
	    db_referral_set_names(rb->db, id, d.client, d.contact_name) == 0 &&
	    db_referral_keys(rb->db, id, d.client_key, d.contact_email,
	    d.domain, dup ? first : 0) == 0) {
		*earlier = first;
		rc = 0;
	}
	derived_free(&d);
	form_free(&f);
	free(keys);
	free(vals);
	referral_free(&r);
	return rc;
}

/* Whether a partner may still correct a referral: nobody acted on it. */
static int
correctable(const char *status)
{
	return strcmp(status, "NEW") == 0 || strcmp(status, "DUPLICATE") == 0 ||
	    strcmp(status, "INCOMPLETE") == 0 ||
	    strcmp(status, "DISQUALIFIED") == 0;
}

/*
 * A partner's corrections to a referral nobody acted on yet (text: what
 * they wrote, signed or confirmed): the "Label: value" lines are merged
 * over what we had, and everything is derived and checked again — the
 * client, the contact, the duplicate keys and the duplicate check, so a
 * correction never takes the credit from a referral that had it first.
 */
static int
correction(struct job *j, const struct referral *r, const struct partner *p,
    const char *text)
{
	struct refbot *rb = j->rb;
	struct form upd, merged;
	struct derived d;
	const char **keys, **vals;
	char ref[24];
	const char *status;
	struct buf changed;
	struct render_var changed_var = { "text", NULL };
	int64_t first = 0;
	size_t i, k, n = 0;
	int rc = -1, told;

	form_read_lines(rb->tmpl, text, &upd);
	refbot_ref(r->id, ref, sizeof(ref));
	if (upd.nvalues == 0) {
		/* Not corrections: a question or a remark (replies.c). */
		form_free(&upd);
		return 0;
	}
	keys = xcalloc(r->nfields + upd.nvalues, sizeof(*keys));
	vals = xcalloc(r->nfields + upd.nvalues, sizeof(*vals));
	buf_init(&changed);
	for (i = 0; i < upd.nvalues; i++) {
		keys[n] = upd.values[i].field->key;
		vals[n++] = upd.values[i].value;
		buf_addf(&changed, "%s%s", i ? ", " : "", keys[i]);
	}
	changed_var.value = changed.data;
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
	j->referral_id = r->id;
	if (rekey(rb, r->id, &merged, &d, &first) != 0)
		goto out;
	status = first > 0 ? "DUPLICATE" : status_for(merged.outcome);
	if (store_fields(rb->db, r->id, &upd) != 0 ||
	    db_referral_set_names(rb->db, r->id, d.client,
	    d.contact_name) != 0 ||
	    db_referral_keys(rb->db, r->id, d.client_key, d.contact_email,
	    d.domain, first) != 0 ||
	    db_referral_set_status(rb->db, r->id, status) != 0 ||
	    history_add_words(rb, r->id, "partner", "corrected", r->status,
	    status, NULL, "history.changed", &changed_var, 1, NULL) != 0)
		goto out;
	/* Staff knew of it unless it was INCOMPLETE: they hear the change. */
	told = strcmp(r->status, "INCOMPLETE") != 0;
	if ((first > 0 ? send_duplicate(j, &merged, p, j->a.msg.from_addr,
	    first, !told) :
	    send_outcome(j, &merged, p, j->a.msg.from_addr, !told)) != 0 ||
	    (told && intake_staff_corrected(j, r, p, &upd, &merged, status,
	    first) != 0))
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
	buf_free(&changed);
	derived_free(&d);
	form_free(&upd);
	form_free(&merged);
	return rc;
}

/* Copies what replies.c decided into the job. */
void
intake_take(struct job *j, struct reply_outcome *out)
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
	const char *lang = replies_partner_lang(j->rb, p, &j->a);
	struct recipient to;
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
	/* The asking contact's own address (or the firm's) confirms it. */
	if (contacts_answer(rb, p, j->a.msg.from_addr, &to) != 0) {
		form_free(&upd);
		reply_text_free(&rt);
		return -1;
	}
	if (db_pending_add(rb->db, "correction", p->id, r->id, j->row,
	    rt.visible, &id) != 0 ||
	    history_add_words(rb, r->id, "partner", "correction-unsigned",
	    NULL, NULL, NULL, "history.waits-signed", NULL, 0, NULL) != 0) {
		recipient_free(&to);
		form_free(&upd);
		reply_text_free(&rt);
		return -1;
	}
	changes = intake_fields_text(&upd, lang);
	refs = intake_references(&j->a.msg);
	{
		const struct render_var vars[] = {
			{ "ref", ref }, { "client", r->client ? r->client : "?" },
			{ "partner_name", p->name }, { "changes", changes },
			{ "from_name", rb->cfg.from_name },
		};
		memset(&n, 0, sizeof(n));
		n.name = "confirm-correction";
		n.lang = lang;
		n.rcpt = to.to;
		n.referral_id = r->id;
		n.role = ROLE_CONFIRM;
		n.token_id = id;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.in_reply_to = j->a.msg.message_id;
		n.references = refs;
		n.auto_reply = 1;
		if ((rc = notify_queue(rb, &n, NULL)) == NOTIFY_WITHHELD)
			rc = 0;
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
	recipient_free(&to);
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
	else if (correctable(r.status))
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
int
intake_confirmed_request(struct job *j)
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
		    pr.contact_id, "confirmed by a signed reply", &out);
		if (out.disposition != NULL)
			intake_take(j, &out);
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
int
intake_reply(struct job *j)
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
	if (found == 0)	/* our other mail, or a reference we never gave */
		return intake_answer_unsigned(j);
	j->referral_id = r.id;
	staff = staff_is(rb, j->a.msg.from_addr);
	/* Its partner: any address of that firm (its own, or its domains). */
	found = staff ? 0 : db_partner_by_sender(rb->db, j->a.msg.from_addr,
	    &p);
	if (found > 0 && p.id != r.partner_id) {
		partner_free(&p);
		found = 0;
	}
	if (found < 0)
		rc = -1;
	else if (found > 0) {
		struct reply_text rt;
		int fixable = correctable(r.status);

		/* Signed: our mail's reply address or Message-ID. */
		if (fixable && role == ROLE_PARTNER) {
			reply_extract(j->a.msg.text, REPLY_MARKER, &rt);
			rc = correction(j, &r, &p, rt.visible);
			reply_text_free(&rt);
		} else if (fixable)
			rc = correction_unsigned(j, &r, &p) < 0 ? -1 : 0;
		if (rc == 0 && j->disposition == NULL) {
			rc = replies_partner(rb, j->row, &j->a, &r, &p, &out);
			intake_take(j, &out);
		}
		partner_free(&p);
	} else if (staff || role == ROLE_STAFF) {
		/* replies_staff also refuses a staff token from a stranger. */
		rc = replies_staff(rb, j->row, &j->a, &r, &out);
		intake_take(j, &out);
	} else {
		rc = replies_outsider(rb, j->row, &j->a, &r, &out);
		intake_take(j, &out);
	}
	referral_free(&r);
	return rc < 0 ? -1 : 0;
}
