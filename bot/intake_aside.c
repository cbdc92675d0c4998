/*
 * intake_aside: a message set aside (unreadable, too large, quarantined):
 * recorded, staff told, and a partner who sent it told in their language,
 * in one transaction.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "classify.h"
#include "clock.h"
#include "db_messages.h"
#include "db_partners.h"
#include "idlist.h"
#include "intake.h"
#include "intake_int.h"
#include "intake_text.h"
#include "log.h"
#include "mailout.h"
#include "message.h"
#include "notify.h"
#include "parserchild.h"
#include "rawhdr.h"
#include "render.h"
#include "token.h"
#include "util.h"

/* What a message set aside is, and what its sender is told. */
struct aside {
	const char *disposition;	/* "unreadable", "too-large", ... */
	const char *why;		/* for staff and the record */
	const char *alert;		/* its alert's key in staff-lines */
	const char *from;		/* the sender, or NULL: tell nobody */
	const char *text;		/* the mail text for a partner */
	const struct render_var *vars;	/* its own placeholders */
	size_t nvars;
	const char *in_reply_to, *references;	/* or NULL */
	const char *message_id;		/* recorded; or NULL */
	const char *subject, *date;	/* quoted to the sender; or NULL */
};

/* The longest subject a notice quotes, in bytes. */
#define QUOTE_MAX 200

/*
 * What the notice about a message no parser read quotes and threads on,
 * from its raw header (rawhdr): the Message-ID, References, the subject
 * (RFC 2047 decoded, at most QUOTE_MAX bytes of whole characters) and
 * the Date as written.  Each is NULL when the message has none.
 */
struct quoted {
	char *message_id, *references, *subject, *date;
};

static char *
quoted_text(const char *raw, size_t len, const char *name, int decode)
{
	/* Room for RFC 2047 words, longer than what they decode to. */
	char *v = rawhdr_field(raw, len, name, 5 * QUOTE_MAX), *s;
	size_t n;

	if (v == NULL || *v == '\0') {
		free(v);
		return NULL;
	}
	s = decode ? mime_decode_header(v) : utf8_sanitize(v, strlen(v));
	free(v);
	if ((n = strlen(s)) > QUOTE_MAX) {
		for (n = QUOTE_MAX; n > 0 && ((unsigned char)s[n] & 0xc0) ==
		    0x80; n--)
			continue;
		strlcpy_(s + n, "...", 4);
	}
	return s;
}

static void
quote_raw(const char *raw, size_t len, struct quoted *q)
{
	char *mid = rawhdr_field(raw, len, "Message-ID", IDLIST_MSGID_MAX + 8);
	char *refs = rawhdr_field(raw, len, "References",
	    IDLIST_REFERENCES_MAX * (IDLIST_MSGID_MAX + 3));
	char *all;

	q->message_id = idlist_last_msgids(mid ? mid : "", 1);
	if (*q->message_id == '\0') {
		free(q->message_id);
		q->message_id = NULL;
	}
	all = xasprintf("%s %s", refs ? refs : "", q->message_id ?
	    q->message_id : "");
	q->references = idlist_last_msgids(all, IDLIST_REFERENCES_MAX);
	if (*q->references == '\0') {
		free(q->references);
		q->references = NULL;
	}
	q->subject = quoted_text(raw, len, "Subject", 1);
	q->date = quoted_text(raw, len, "Date", 0);
	free(all);
	free(mid);
	free(refs);
}

static void
quoted_free(struct quoted *q)
{
	free(q->message_id);
	free(q->references);
	free(q->subject);
	free(q->date);
}

/*
 * Records a message set aside and tells staff, in one transaction; an
 * active partner who sent it is told too, in their language, so nothing
 * they sent disappears without a word.  A stranger is told nothing.
 */
static enum intake_result
set_aside(struct refbot *rb, int64_t row, const struct aside *as)
{
	struct partner p;
	struct render_var vars[10];
	struct notify n;
	char *detail, now[48];
	/* What staff read about the sender (staff-lines): it must be true. */
	const char *told = "nothing";
	size_t i;
	int found = 0, rc = 0;

	log_warnx("message %lld: %s: %s", (long long)row, as->disposition,
	    as->why);
	if (db_begin(rb->db) != 0)
		goto retry;
	if (as->from != NULL &&
	    (found = db_partner_by_sender(rb->db, as->from, &p)) > 0) {
		vars[0] = (struct render_var){ "partner_name", p.name };
		vars[1] = (struct render_var){ "from_name",
		    rb->cfg.from_name };
		vars[2] = (struct render_var){ "intake_address",
		    rb->cfg.intake_address };
		for (i = 0; i < as->nvars && i + 5 < nitems(vars); i++)
			vars[i + 5] = as->vars[i];
		memset(&n, 0, sizeof(n));
		n.name = as->text;
		n.lang = refbot_partner_lang(&p, NULL);
		n.rcpt = as->from;
		n.role = ROLE_NOTICE;	/* a reply: sent again, or a question */
		n.token_id = p.id;
		n.vars = vars;
		n.nvars = i + 5;
		n.in_reply_to = as->in_reply_to;
		n.references = as->references;
		n.auto_reply = 1;
		/* What it quotes; without a Date header, when it reached us. */
		vars[3] = (struct render_var){ "subject", as->subject ?
		    as->subject : strcmp(n.lang, "ja") == 0 ? "（件名なし）" :
		    "(no subject)" };
		vars[4] = (struct render_var){ "date", as->date ? as->date :
		    clock_text(clock_now(), 0, now, sizeof(now)) };
		if (p.active) {
			rc = notify_queue(rb, &n, NULL);
			told = rc == NOTIFY_WITHHELD ? "withheld" : "partner";
			rc = rc < 0;
		}
		partner_free(&p);
	}
	if (rc == 0 && found >= 0)
		rc = notify_alert(rb, row, as->alert, as->vars, as->nvars,
		    rb->cfg.rejected_folder, told) != 0;
	/* After the notices: the record says what the caps held back. */
	detail = intake_capped_detail(rb, as->why);
	if (rc != 0 || found < 0 || db_message_dispose(rb->db, row,
	    as->message_id, as->disposition, detail, 0) != 0 ||
	    db_commit(rb->db) != 0) {
		free(detail);
		db_rollback(rb->db);
		goto retry;
	}
	free(detail);
	return INTAKE_REJECTED;
retry:
	log_warnx("message %lld: not processed, will retry: %s",
	    (long long)row, db_errmsg(rb->db));
	return rb->text_failed != NULL ? INTAKE_CONFIG : INTAKE_RETRY;
}

/* A message nobody can read: set aside, its sender found by text search. */
enum intake_result
intake_reject(struct refbot *rb, int64_t row, const char *disposition,
    const char *why, const char *raw, size_t len)
{
	const struct render_var vars[] = { { "reason", why } };
	struct aside as = { .disposition = disposition, .why = why,
	    .alert = disposition, .text = "unreadable", .vars = vars, .nvars = nitems(vars) };
	enum intake_result res;
	char *from = rawhdr_sender(raw, len);
	struct quoted q;

	/* Threaded under what they sent, quoting it, so they can tell. */
	quote_raw(raw, len, &q);
	as.from = from;
	as.message_id = as.in_reply_to = q.message_id;
	as.references = q.references;
	as.subject = q.subject;
	as.date = q.date;
	res = set_aside(rb, row, &as);
	quoted_free(&q);
	free(from);
	return res;
}

/*
 * A message over max_message_size, known by its header (hdr: the header
 * the server sent, or the start of the message): recorded as too-large,
 * staff told and a registered partner who sent it told in their
 * language, in one transaction.  The header goes through the parser only
 * when the parser child survived it (and parse is set); else the sender
 * is found by plain text search, as for unreadable mail.
 */
enum intake_result
intake_set_too_large(struct refbot *rb, int64_t row, const char *hdr,
    size_t hlen, uint64_t size, int parse)
{
	struct analyze_opts o = { rb->tmpl, rb->cfg.message_id_domain,
	    MAILOUT_LOOP_HEADER, rb->cfg.max_message_size };
	struct analysis a;
	const struct message *msg = &a.msg;
	char limit[32], got[32], *why, *perr = NULL, *from = NULL;
	char *refs = NULL;
	struct quoted q = { NULL, NULL, NULL, NULL };
	const struct render_var vars[] = {
		{ "limit", limit }, { "size", got },
	};
	struct aside as = { .disposition = "too-large",
	    .alert = "too-large", .text = "too-large", .vars = vars, .nvars = nitems(vars) };
	enum intake_result res;

	intake_size_text(rb->cfg.max_message_size, limit, sizeof(limit));
	intake_size_text(size, got, sizeof(got));
	memset(&a, 0, sizeof(a));
	/*
	 * The header is read when the MIME parser read it (text_type is set
	 * then), though analyze() may call a header alone unreadable.
	 */
	if (parse && hlen <= rb->cfg.max_message_size &&
	    parserchild_analyze(&o, hdr, hlen, &a, &perr) == 0 &&
	    msg->text_type != NULL) {
		/* Automatic mail is never answered (loops). */
		if (classify_automatic(msg, rb->cfg.message_id_domain,
		    MAILOUT_LOOP_HEADER) == NULL && msg->from_addr != NULL)
			from = xstrdup(msg->from_addr);
		refs = intake_references(msg);
	} else {
		from = rawhdr_sender(hdr, hlen);
		quote_raw(hdr, hlen, &q);
	}
	free(perr);
	why = xasprintf("%llu bytes, over the %zu-byte limit",
	    (unsigned long long)size, rb->cfg.max_message_size);
	as.why = why;
	as.from = from;
	as.message_id = as.in_reply_to = msg->message_id ? msg->message_id :
	    q.message_id;
	as.references = refs ? refs : q.references;
	as.subject = msg->subject ? msg->subject : q.subject;
	as.date = q.date;
	res = set_aside(rb, row, &as);
	quoted_free(&q);
	free(why);
	free(from);
	free(refs);
	analysis_free(&a);
	return res;
}
