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
#include "db_messages.h"
#include "db_partners.h"
#include "intake.h"
#include "intake_int.h"
#include "intake_text.h"
#include "log.h"
#include "mailout.h"
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
	int found = 0, rc;

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
		n.lang = refbot_partner_lang(&p, NULL);
		n.rcpt = as->from;
		n.role = ROLE_NOTICE;	/* a reply: sent again, or a question */
		n.token_id = p.id;
		n.vars = vars;
		n.nvars = i + 3;
		n.in_reply_to = as->in_reply_to;
		n.references = as->references;
		n.auto_reply = 1;
		if (p.active)
			rc = notify_queue(rb, &n, NULL) < 0;
		partner_free(&p);
	}
	/* After the notices: the record says what the caps held back. */
	detail = intake_capped_detail(rb, as->why);
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
	return rb->text_failed != NULL ? INTAKE_CONFIG : INTAKE_RETRY;
}

/* A message nobody can read: set aside, its sender found by text search. */
enum intake_result
intake_reject(struct refbot *rb, int64_t row, const char *disposition,
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
	const struct render_var vars[] = {
		{ "limit", limit }, { "size", got },
	};
	struct aside as = { .disposition = "too-large",
	    .title = "A message over the size limit was set aside",
	    .text = "too-large", .vars = vars, .nvars = nitems(vars) };
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
	} else
		from = rawhdr_sender(hdr, hlen);
	free(perr);
	why = xasprintf("%llu bytes, over the %zu-byte limit",
	    (unsigned long long)size, rb->cfg.max_message_size);
	as.why = why;
	as.from = from;
	as.in_reply_to = msg->message_id;
	as.references = refs;
	res = set_aside(rb, row, &as);
	free(why);
	free(from);
	free(refs);
	analysis_free(&a);
	return res;
}
