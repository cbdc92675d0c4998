/*
 * newsletter_inbound: mail about the newsletter — staff profiles and
 * drafts, unsubscribes, and replies to issues.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "contacts.h"
#include "db_contacts.h"
#include "db_newsletter.h"
#include "db_partners.h"
#include "db_pending.h"
#include "keyword.h"
#include "log.h"
#include "newsletter.h"
#include "notify.h"
#include "reply.h"
#include "staff.h"
#include "token.h"
#include "util.h"

static void
outcome(struct reply_outcome *out, const char *disposition, char *detail)
{
	out->disposition = disposition;
	out->detail = detail;
}

/*
 * Loads partner id: 1, or 0 with *out saying the mail was about a partner
 * who no longer exists, or -1.
 */
static int
partner_or_gone(struct refbot *rb, int64_t id, struct partner *p,
    const char *disposition, struct reply_outcome *out)
{
	char idbuf[24];
	int r;

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	if ((r = db_partner_find(rb->db, idbuf, p)) == 0)
		outcome(out, disposition, xasprintf("%s for partner %lld, who "
		    "no longer exists", disposition, (long long)id));
	return r;
}

/*
 * Tells rcpt, of p, text name about their newsletter (it stopped, or
 * there was none to stop); as notify_queue.
 */
static int
tell_unsubscribed(struct refbot *rb, const struct analysis *a,
    const struct partner *p, const char *rcpt, const char *lang,
    const char *name)
{
	const struct render_var vars[] = {
		{ "partner_name", p->name }, { "partner_email", rcpt },
		{ "from_name", rb->cfg.from_name },
	};
	struct notify n;

	memset(&n, 0, sizeof(n));
	n.name = name;
	n.lang = lang;
	n.rcpt = rcpt;
	n.vars = vars;
	n.nvars = nitems(vars);
	/* A reply ("it was a mistake") reaches staff. */
	n.role = ROLE_NEWSLETTER;
	n.token_id = p->id;
	n.in_reply_to = a->msg.message_id;
	n.auto_reply = 1;
	return notify_queue(rb, &n, NULL);
}

/* What became of an answer notify_queue was given (r >= 0). */
static const char *
told(int r)
{
	return r == NOTIFY_WITHHELD ? "answer withheld (reply cap)" :
	    "told so";
}

/* Turns partner_id's newsletter off and tells them. */
static int
firm_unsubscribe(struct refbot *rb, int64_t row, const struct analysis *a,
    int64_t partner_id, const char *how, struct reply_outcome *out)
{
	struct partner p;
	int r;

	if ((r = partner_or_gone(rb, partner_id, &p, "unsubscribe", out)) <= 0)
		return r < 0 ? -1 : 1;
	if (!p.newsletter) {	/* nothing to stop: said so */
		r = tell_unsubscribed(rb, a, &p, p.email, refbot_partner_lang(
		    &p, NULL), "newsletter-already-stopped");
		outcome(out, "unsubscribe", xasprintf("partner %lld was "
		    "already unsubscribed (%s): %s", (long long)p.id, how,
		    told(r)));
		partner_free(&p);
		return r < 0 ? -1 : 1;
	}
	p.newsletter = 0;
	if (db_partner_update(rb->db, &p) != 0) {
		partner_free(&p);
		return -1;
	}
	log_info("message %lld: partner %lld unsubscribed from the newsletter "
	    "(%s)", (long long)row, (long long)p.id, how);
	r = tell_unsubscribed(rb, a, &p, p.email, refbot_partner_lang(&p,
	    NULL), "newsletter-unsubscribed");
	outcome(out, "unsubscribe", xasprintf("partner %lld unsubscribed from "
	    "the newsletter (%s)", (long long)p.id, how));
	partner_free(&p);
	return r < 0 ? -1 : 1;
}

/*
 * A contact other than the main one stops their own copy (contact_id;
 * the firm's stays), and is told so.
 */
static int
contact_unsubscribe(struct refbot *rb, int64_t row, const struct analysis *a,
    int64_t contact_id, const char *how, struct reply_outcome *out)
{
	struct contact c;
	struct partner p;
	char idbuf[24];
	int r;

	if ((r = db_contact_by_id(rb->db, contact_id, &c)) <= 0) {
		if (r == 0)
			outcome(out, "unsubscribe", xasprintf("contact %lld "
			    "is no longer a contact (%s)",
			    (long long)contact_id, how));
		return r < 0 ? -1 : 1;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)c.partner_id);
	if ((r = db_partner_find(rb->db, idbuf, &p)) <= 0 || !c.newsletter) {
		const char *note = "";

		/* Nothing to stop: said so, while the firm exists. */
		if (r > 0) {
			r = tell_unsubscribed(rb, a, &p, c.email,
			    contacts_sender_lang(rb, &p, c.email, NULL),
			    p.newsletter ? "newsletter-no-copy" :
			    "newsletter-already-stopped");
			note = told(r);
			partner_free(&p);
		}
		outcome(out, "unsubscribe", xasprintf("contact %lld was "
		    "already unsubscribed (%s)%s%s", (long long)c.id, how,
		    *note ? ": " : "", note));
		contact_free(&c);
		return r < 0 ? -1 : 1;
	}
	if (db_contact_newsletter(rb->db, c.id, 0) < 0)
		r = -1;
	log_info("message %lld: contact %lld of partner %lld unsubscribed "
	    "from the newsletter (%s)", (long long)row, (long long)c.id,
	    (long long)p.id, how);
	if (r > 0)
		r = tell_unsubscribed(rb, a, &p, c.email,
		    contacts_sender_lang(rb, &p, c.email, NULL),
		    "newsletter-unsubscribed-contact");
	outcome(out, "unsubscribe", xasprintf("contact %lld of partner %lld "
	    "unsubscribed from the newsletter (%s)", (long long)c.id,
	    (long long)p.id, how));
	contact_free(&c);
	partner_free(&p);
	return r < 0 ? -1 : 1;
}

int
newsletter_unsubscribe(struct refbot *rb, int64_t row,
    const struct analysis *a, int64_t partner_id, int64_t contact_id,
    const char *how, struct reply_outcome *out)
{
	return contact_id > 0 ? contact_unsubscribe(rb, row, a, contact_id,
	    how, out) : firm_unsubscribe(rb, row, a, partner_id, how, out);
}

/*
 * UNSUBSCRIBE in a reply to the issue of partner_id: from a contact who
 * gets a copy, that copy stops; else the firm's issue does.
 */
static int
reply_unsubscribe(struct refbot *rb, int64_t row, const struct analysis *a,
    int64_t partner_id, struct reply_outcome *out)
{
	struct contact c;
	int r = db_contact_get(rb->db, a->msg.from_addr, &c);
	int own = r > 0 && c.partner_id == partner_id && c.newsletter &&
	    strcmp(c.role, "main") != 0;
	int64_t id = r > 0 ? c.id : 0;

	if (r > 0)
		contact_free(&c);
	if (r < 0)
		return -1;
	return newsletter_unsubscribe(rb, row, a, partner_id, own ? id : 0,
	    "reply", out);
}

/* A partner's other reply to an issue: passed on to staff. */
static int
forward(struct refbot *rb, int64_t row, const struct analysis *a,
    int64_t partner_id, const char *text, struct reply_outcome *out)
{
	struct partner p;
	struct notify n;
	char *manager;
	int r, am;

	if ((r = partner_or_gone(rb, partner_id, &p, "newsletter-reply",
	    out)) <= 0)
		return r < 0 ? -1 : 1;
	{
		const struct render_var vars[] = {
			{ "partner_name", p.name },
			{ "partner_email", p.email },
			{ "sender", a->msg.from_addr ? a->msg.from_addr : "?" },
			{ "subject", a->msg.subject ? a->msg.subject : "" },
			{ "text", *text ? text : a->msg.text },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-newsletter-reply";
		n.vars = vars;
		n.nvars = nitems(vars);
		n.partner_id = p.id;	/* its account manager, else all */
		am = staff_partner_manager(rb, p.id, &manager);
		free(manager);
		r = am < 0 ? -1 : notify_staff(rb, &n);
	}
	log_info("message %lld: reply to partner %lld's newsletter passed to "
	    "%s", (long long)row, (long long)p.id, am > 0 ?
	    "its account manager" : "all staff");
	outcome(out, "newsletter-reply", xasprintf("reply to partner %lld's "
	    "newsletter forwarded to %s", (long long)p.id, am > 0 ?
	    "its account manager" : "all staff (no account manager)"));
	partner_free(&p);
	return r < 0 ? -1 : 1;
}

/* Non-zero when the first line of text, or the subject, is UNSUBSCRIBE. */
static int
asks_unsubscribe(struct refbot *rb, const char *text, const char *subject)
{
	struct keyword_cmd cmd;
	struct tm today;
	int yes;

	clock_local(clock_now(), &today);
	yes = keyword_parse(rb->keywords, text, rb->cfg.currency, &today,
	    &cmd) == 0 && cmd.kw == KW_UNSUBSCRIBE;
	keyword_cmd_free(&cmd);
	if (!yes && subject != NULL) {
		yes = keyword_parse(rb->keywords, subject, rb->cfg.currency,
		    &today, &cmd) == 0 && cmd.kw == KW_UNSUBSCRIBE;
		keyword_cmd_free(&cmd);
	}
	return yes;
}

/* "Re: Fwd: HOT-OPPORTUNITY ..." without the reply and forward marks. */
static const char *
strip_subject(const char *s)
{
	static const char *marks[] = { "re:", "fwd:", "fw:", "aw:", "sv:",
	    "返信:", "転送:", "Re：", "RE：" };
	size_t i, n;
	int again = 1;

	while (s != NULL && again) {
		again = 0;
		while (*s == ' ')
			s++;
		for (i = 0; i < nitems(marks); i++) {
			n = strlen(marks[i]);
			if (ascii_strncasecmp(s, marks[i], n) == 0) {
				s += n;
				again = 1;
			}
		}
	}
	return s;
}

/* "2026-12", "2026/12", "2026-12-01", "2026年12月": the month, or -1. */
static int
read_month(const char *s, char *out)
{
	int y, m;

	if (s == NULL)
		return -1;
	while (*s == ' ')
		s++;
	if (sscanf(s, "%4d-%2d", &y, &m) != 2 &&
	    sscanf(s, "%4d/%2d", &y, &m) != 2 &&
	    sscanf(s, "%4d年%2d月", &y, &m) != 2)
		return -1;
	if (y < 2000 || y > 9999 || m < 1 || m > 12)
		return -1;
	snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000, (unsigned)m % 100);
	return 0;
}

/*
 * Tells a staff member that their mail about the month's profile changed
 * nothing, and why (key, a newsletter.* line of mail/staff-lines with
 * vars, in their language); role and token_id sign the reply address
 * (the draft still waiting, or the month's reminder).
 */
static int
profile_unchanged(struct refbot *rb, const struct analysis *a,
    const char *month, const char *key, const struct render_var *why,
    size_t nwhy, int role, int64_t token_id)
{
	struct notify n;
	const char *lang = staff_lang(rb, a->msg.from_addr);
	char *reason = notify_line(rb, lang, key, why, nwhy);
	const struct render_var vars[] = {
		{ "month", month }, { "reason", reason },
		{ "intake_address", rb->cfg.intake_address },
		{ "marker", REPLY_MARKER },
	};
	int r;

	memset(&n, 0, sizeof(n));
	n.name = "staff-newsletter-unconfirmed";
	n.rcpt = a->msg.from_addr;
	n.lang = lang;
	n.vars = vars;
	n.nvars = nitems(vars);
	n.role = role;
	n.token_id = token_id;
	n.in_reply_to = a->msg.message_id;
	n.auto_reply = 1;
	r = notify_queue(rb, &n, NULL) < 0 ? -1 : 0;
	free(reason);
	return r;
}

/* The month's reminder and profile tokens carry the month as YYYYMM. */
static int64_t
month_token(const char *month)
{
	return atoi(month) * 100 + atoi(month + 5);
}

/*
 * Stores a profile staff wrote and answers the author with what partners
 * will get.  Signed (a reply to our reminder): it is the month's profile.
 * Otherwise it is a draft of its own, and the preview's signed reply
 * address names that draft: only a reply to it confirms it.
 */
static int
take_profile(struct refbot *rb, int64_t row, const struct analysis *a,
    const char *month, const char *text, int confirmed,
    struct reply_outcome *out)
{
	static const char *sample_name[] = { "Example Partner Ltd",
	    "サンプル株式会社" };
	const char *lang = detect_lang(text);
	struct newsletter_issue is;
	struct partner sample;
	struct notify n;
	const char *rlang = staff_lang(rb, a->msg.from_addr);
	char when[48], partners[16], num[24], *err = NULL, *preview;
	char *state, *confirm;
	int64_t draft = 0;
	int r, count;

	if ((confirmed ? db_newsletter_profile_put(rb->db, month, lang, text,
	    a->msg.from_addr) : db_newsletter_draft_add(rb->db, month, lang,
	    text, a->msg.from_addr, row, &draft)) != 0 ||
	    (count = newsletter_subscribers(rb)) < 0)
		return -1;
	memset(&sample, 0, sizeof(sample));
	sample.name = (char *)sample_name[strcmp(lang, "ja") == 0];
	sample.lang = (char *)lang;
	if ((r = newsletter_compose(rb, &sample, month, clock_now(), text, &is,
	    &err)) != 0) {
		log_warnx("newsletter %s: no preview: %s", month, err ? err :
		    "no profile");
		preview = notify_line(rb, rlang, "newsletter.no-preview",
		    NULL, 0);
		free(err);
	} else
		preview = xasprintf("Subject: %s\n\n%s", is.subject, is.text);
	newsletter_format_date(newsletter_due(rb, month), when, sizeof(when));
	snprintf(partners, sizeof(partners), "%d", count);
	/* Where it stands, in its author's language. */
	snprintf(num, sizeof(num), "%lld", (long long)draft);
	{
		const struct render_var d[] = { { "draft", num } };

		state = notify_line(rb, rlang, confirmed ?
		    "newsletter.state-confirmed" : "newsletter.state-draft", d,
		    nitems(d));
		confirm = notify_line(rb, rlang, confirmed ?
		    "newsletter.confirmed" : "newsletter.draft", NULL, 0);
	}
	{
		const struct render_var vars[] = {
			{ "month", month },
			{ "lang", lang },
			{ "state", state },
			{ "confirm", confirm },
			{ "send_date", when }, { "partners", partners },
			{ "preview", preview }, { "marker", REPLY_MARKER },
		};
		memset(&n, 0, sizeof(n));
		n.name = "staff-newsletter-profile";
		n.rcpt = a->msg.from_addr;
		n.lang = rlang;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.role = confirmed ? ROLE_PROFILE : ROLE_DRAFT;
		n.token_id = confirmed ? month_token(month) : draft;
		n.in_reply_to = a->msg.message_id;
		/* An answer to the author: it counts toward their cap. */
		n.auto_reply = 1;
		r = notify_queue(rb, &n, NULL);
	}
	newsletter_issue_free(&is);
	free(preview);
	free(state);
	free(confirm);
	if (confirmed) {
		log_info("message %lld: newsletter profile for %s (%s) "
		    "confirmed", (long long)row, month, lang);
		outcome(out, "newsletter-profile", xasprintf("profile for %s "
		    "(%s) confirmed", month, lang));
	} else {
		log_info("message %lld: newsletter %s (%s): draft %lld "
		    "stored, preview sent to its author", (long long)row,
		    month, lang, (long long)draft);
		outcome(out, "newsletter-draft", xasprintf("draft %lld for %s "
		    "(%s) stored; preview sent to its author", (long long)draft,
		    month, lang));
	}
	return r < 0 ? -1 : 1;
}

/*
 * A reply through the signed address of draft id's preview: OK confirms
 * exactly that draft, new text makes a new draft, nothing is nothing.
 */
static int
draft_reply(struct refbot *rb, int64_t row, const struct analysis *a,
    int64_t id, const char *text, struct reply_outcome *out)
{
	struct newsletter_draft d;
	char draft[24];
	int r;

	if ((r = db_newsletter_draft_get(rb->db, id, &d)) <= 0) {
		if (r == 0)
			outcome(out, "newsletter-draft", xasprintf("reply "
			    "about draft %lld, which does not exist",
			    (long long)id));
		return r < 0 ? -1 : 1;
	}
	if (ascii_strcasecmp(d.author, a->msg.from_addr) != 0) {
		outcome(out, "newsletter-draft", xasprintf("reply about draft "
		    "%lld from someone other than its author: ignored",
		    (long long)id));
		log_info("message %lld: reply about newsletter draft %lld "
		    "not from its author, ignored", (long long)row,
		    (long long)id);
		newsletter_draft_free(&d);
		return 1;
	}
	if (*text == '\0') {
		const struct render_var why[] = {
			{ "draft", draft }, { "lang", d.lang },
		};

		snprintf(draft, sizeof(draft), "%lld", (long long)id);
		r = profile_unchanged(rb, a, d.month, "newsletter.draft-empty",
		    why, nitems(why), ROLE_DRAFT, id);
		outcome(out, "newsletter-draft", xasprintf("empty reply about "
		    "draft %lld: not a confirmation, author told",
		    (long long)id));
	} else if (replies_just_ok(text)) {
		if ((r = db_newsletter_draft_confirm(rb->db, &d)) < 0) {
			newsletter_draft_free(&d);
			return -1;
		}
		if (r > 0)
			log_info("message %lld: newsletter %s (%s): draft %lld "
			    "confirmed", (long long)row, d.month, d.lang,
			    (long long)id);
		outcome(out, "newsletter-profile", r > 0 ? xasprintf("draft "
		    "%lld confirmed: the profile for %s (%s)", (long long)id,
		    d.month, d.lang) : xasprintf("draft %lld was already "
		    "confirmed", (long long)id));
	} else
		r = take_profile(rb, row, a, d.month, text, 0, out);
	newsletter_draft_free(&d);
	return r < 0 ? -1 : 1;
}

/*
 * Staff mail about a month's profile: role is ROLE_DRAFT or ROLE_PROFILE
 * with the signed id, or 0 for a new mail with the subject keyword.
 */
static int
staff_profile(struct refbot *rb, int64_t row, const struct analysis *a,
    int role, int64_t id, const char *subject_month,
    struct reply_outcome *out)
{
	struct reply_text rt;
	char month[8];
	int r;

	if (rb->cfg.require_auth && !replies_auth_ok(rb, &a->msg)) {
		outcome(out, "staff-unverified", xstrdup("newsletter profile "
		    "without DKIM or SPF pass from the trusted server"));
		log_info("message %lld: unverified newsletter profile ignored",
		    (long long)row);
		return 1;
	}
	reply_extract(a->msg.text, REPLY_MARKER, &rt);
	if (role == ROLE_DRAFT) {
		r = draft_reply(rb, row, a, id, rt.visible, out);
		reply_text_free(&rt);
		return r;
	}
	if (role == ROLE_PROFILE)
		snprintf(month, sizeof(month), "%04u-%02u",
		    (unsigned)(id / 100 % 10000), (unsigned)(id % 100));
	else if (subject_month != NULL)
		memcpy(month, subject_month, 8);
	else
		newsletter_coming_month(rb, clock_now(), month);
	if (*rt.visible == '\0' || (role == ROLE_PROFILE &&
	    replies_just_ok(rt.visible))) {
		/* Nothing, or "OK" to a mail that had no draft in it. */
		r = profile_unchanged(rb, a, month, *rt.visible == '\0' ?
		    "newsletter.empty" : "newsletter.ok-no-draft", NULL, 0,
		    role ? ROLE_PROFILE : 0, role ? month_token(month) : 0);
		outcome(out, "newsletter-profile", xasprintf("%s for %s: "
		    "nothing stored, author told", *rt.visible == '\0' ?
		    "empty profile mail" : "OK with no draft", month));
		reply_text_free(&rt);
		return r < 0 ? -1 : 1;
	}
	/*
	 * A reply to our signed reminder proves the author read it; a new
	 * mail with the subject keyword is kept as a draft until confirmed.
	 */
	r = take_profile(rb, row, a, month, rt.visible, role == ROLE_PROFILE,
	    out);
	reply_text_free(&rt);
	return r;
}

/*
 * Who an unsigned UNSUBSCRIBE from a's sender is about: one of p's
 * contacts other than the main one (their own copy: *contact_id, and
 * *on whether they get one), or the firm (*contact_id 0, *on p's).
 * 0, or -1.
 */
static int
whose_newsletter(struct refbot *rb, const struct analysis *a,
    const struct partner *p, int64_t *contact_id, int *on)
{
	struct contact c;
	int r = db_contact_get(rb->db, a->msg.from_addr, &c);

	*contact_id = 0;
	*on = p->newsletter;
	if (r <= 0)
		return r;
	if (c.partner_id == p->id && strcmp(c.role, "main") != 0 &&
	    ascii_strcasecmp(c.email, p->email) != 0) {
		*contact_id = c.id;
		*on = c.newsletter && p->newsletter;
	}
	contact_free(&c);
	return 0;
}

/*
 * UNSUBSCRIBE in new mail to the intake proves only a From address: the
 * partner is asked first, by mail with a signed reply address that
 * names this request; a reply to it unsubscribes (intake.c).  From a
 * contact other than the main one it asks to stop only their own copy,
 * and the mail says so; from the main contact (or another address of
 * the firm), the firm's.
 */
static int
unsubscribe_unsigned(struct refbot *rb, int64_t row, const struct analysis *a,
    const struct partner *p, struct reply_outcome *out)
{
	struct notify n;
	char who[48];
	int64_t id, contact_id;
	int r, on;

	if (whose_newsletter(rb, a, p, &contact_id, &on) != 0)
		return -1;
	if (contact_id > 0)
		snprintf(who, sizeof(who), "contact %lld of partner %lld",
		    (long long)contact_id, (long long)p->id);
	else
		snprintf(who, sizeof(who), "partner %lld", (long long)p->id);
	if (!on) {
		/*
		 * Nothing to stop, nothing to confirm; the sender is told
		 * which (their firm's newsletter is off, or they get no
		 * copy of their own), in their language.
		 */
		r = tell_unsubscribed(rb, a, p, a->msg.from_addr,
		    contacts_sender_lang(rb, p, a->msg.from_addr, a->lang),
		    p->newsletter ? "newsletter-no-copy" :
		    "newsletter-already-stopped");
		outcome(out, "unsubscribe-unsigned", xasprintf("unsigned "
		    "unsubscribe for %s, who gets no newsletter (%s): %s", who,
		    p->newsletter ? "no copy of their own" :
		    "the firm's is stopped", told(r)));
		return r < 0 ? -1 : 1;
	}
	if (db_pending_add_unsubscribe(rb->db, p->id, contact_id, row,
	    &id) != 0)
		return -1;
	{
		const struct render_var vars[] = {
			{ "partner_name", p->name },
			{ "partner_email", contact_id > 0 ?
			    a->msg.from_addr : p->email },
			{ "from_name", rb->cfg.from_name },
		};
		memset(&n, 0, sizeof(n));
		n.name = contact_id > 0 ? "confirm-unsubscribe-contact" :
		    "confirm-unsubscribe";
		n.lang = contact_id > 0 ? contacts_sender_lang(rb, p,
		    a->msg.from_addr, a->lang) : refbot_partner_lang(p,
		    a->lang);
		n.rcpt = a->msg.from_addr;
		n.vars = vars;
		n.nvars = nitems(vars);
		n.role = ROLE_CONFIRM;
		n.token_id = id;
		n.in_reply_to = a->msg.message_id;
		n.auto_reply = 1;
		r = notify_queue(rb, &n, NULL);
	}
	log_info("message %lld: unsigned unsubscribe for %s: request %lld "
	    "waits for the partner's confirmation", (long long)row, who,
	    (long long)id);
	outcome(out, "unsubscribe-unsigned", xasprintf("unsubscribe for "
	    "%s%s without a signed address: request %lld %s", who,
	    contact_id > 0 ? " (their own copy)" : "", (long long)id,
	    r == NOTIFY_WITHHELD ?
	    "stored; confirmation withheld (reply cap)" :
	    "waits for the partner's reply to a signed confirmation"));
	return r < 0 ? -1 : 1;
}

int
newsletter_inbound(struct refbot *rb, int64_t row, const struct analysis *a,
    struct reply_outcome *out)
{
	static const char roles[] = { ROLE_NEWSLETTER, ROLE_UNSUBSCRIBE,
	    ROLE_UNSUB_CONTACT, ROLE_PROFILE, ROLE_DRAFT, 0 };
	struct keyword_cmd cmd;
	struct tm today;
	struct reply_text rt;
	struct partner p;
	int64_t id;
	int role, r, staff = staff_is(rb, a->msg.from_addr);
	char month[8];

	if (replies_token_for(rb, a, roles, &id, &role)) {
		switch (role) {
		case ROLE_UNSUBSCRIBE:
			/* Whatever it says: that is what the address means. */
			return firm_unsubscribe(rb, row, a, id,
			    "List-Unsubscribe address", out);
		case ROLE_UNSUB_CONTACT:
			return contact_unsubscribe(rb, row, a, id,
			    "List-Unsubscribe address", out);
		case ROLE_PROFILE:
		case ROLE_DRAFT:
			if (!staff) {
				outcome(out, "newsletter-profile",
				    xstrdup("profile reply from a non-staff "
				    "address ignored"));
				return 1;
			}
			return staff_profile(rb, row, a, role, id, NULL, out);
		default:
			reply_extract(a->msg.text, REPLY_MARKER, &rt);
			if (asks_unsubscribe(rb, rt.visible, strip_subject(
			    a->msg.subject)))
				r = reply_unsubscribe(rb, row, a, id, out);
			else
				r = forward(rb, row, a, id, rt.visible, out);
			reply_text_free(&rt);
			return r;
		}
	}
	if (a->kind != KIND_SUBMISSION)
		return 0;
	if (staff) {
		if (keyword_parse(rb->keywords, strip_subject(a->msg.subject),
		    rb->cfg.currency, clock_local(clock_now(), &today),
		    &cmd) != 0 ||
		    cmd.kw != KW_HOT_OPPORTUNITY) {
			keyword_cmd_free(&cmd);
			return 0;
		}
		r = read_month(cmd.arg, month);
		keyword_cmd_free(&cmd);
		return staff_profile(rb, row, a, 0, 0, r == 0 ? month : NULL,
		    out);
	}
	/*
	 * UNSUBSCRIBE / 配信停止 sent to the intake by a partner; never a
	 * mail with form fields in it, which is a referral first.
	 */
	if (a->form.nvalues > 0)
		return 0;
	reply_extract(a->msg.text, REPLY_MARKER, &rt);
	r = asks_unsubscribe(rb, rt.visible, strip_subject(a->msg.subject));
	reply_text_free(&rt);
	if (!r)
		return 0;
	if ((r = db_partner_by_sender(rb->db, a->msg.from_addr, &p)) <= 0)
		return r;
	r = unsubscribe_unsigned(rb, row, a, &p, out);
	partner_free(&p);
	return r;
}
