/* analyze: classification and form reading of one message. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze.h"
#include "classify.h"
#include "reply.h"
#include "util.h"

const char *
detect_lang(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t ja = 0, latin = 0;

	/*
	 * Kana and CJK ideographs are three-byte UTF-8 sequences starting
	 * E3 (kana, U+3040..U+30FF) or E4..E9 (U+4E00..U+9FFF).  A mail with
	 * a few Japanese words among English labels is still Japanese: one
	 * Japanese character is worth about three Latin letters.
	 */
	for (; *p != '\0'; p++) {
		if (*p == 0xe3 || (*p >= 0xe4 && *p <= 0xe9))
			ja++;
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')
			latin++;
	}
	return ja >= 10 || (ja > 0 && ja * 3 >= latin) ? "ja" : "en";
}

/*
 * "r123.s.TOKEN.xxxx@our.domain" (or "r123.ack.xxxx") names referral
 * 123; a token of another role ("r5.w.TOKEN", the welcome kit of partner
 * 5) names no referral: its number is a partner's, a month, a message.
 */
static int64_t
ref_from_our_id(const char *id, const char *our_domain)
{
	char *end;
	long long v;

	if (id == NULL || !classify_our_id(id, our_domain) || id[0] != 'r')
		return 0;
	v = strtoll(id + 1, &end, 10);
	if (*end != '.' || v <= 0)
		return 0;
	if (end[1] != '\0' && end[2] == '.' && end[1] != 's' && end[1] != 'p')
		return 0;
	return (int64_t)v;
}

static int
names_our_mail(const struct message *msg, const char *our_domain)
{
	char *refs, *tok, *save = NULL;
	int ours = 0;

	if (classify_our_id(msg->in_reply_to, our_domain))
		return 1;
	if (msg->references == NULL)
		return 0;
	refs = xstrdup(msg->references);
	for (tok = strtok_r(refs, " ", &save); tok != NULL && !ours;
	    tok = strtok_r(NULL, " ", &save))
		ours = classify_our_id(tok, our_domain);
	free(refs);
	return ours;
}

/*
 * The value of the first "Name:" line at or after from (case-insensitive,
 * at a line start), trimmed, or NULL.
 */
static char *
raw_field(const char *raw, size_t len, const char *from, const char *name)
{
	size_t nl = strlen(name);
	const char *p = from, *end = raw + len;

	while (p < end) {
		if ((p == raw || p[-1] == '\n') && (size_t)(end - p) > nl &&
		    strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1, *e = v;
			while (e < end && *e != '\n' && *e != '\r')
				e++;
			return strtrim(xstrndup(v, (size_t)(e - v)));
		}
		p = memchr(p, '\n', (size_t)(end - p));
		if (p == NULL)
			break;
		p++;
	}
	return NULL;
}

/*
 * RFC 3464: the report names the recipient, what happened and, in the
 * returned headers, our Message-ID.  Read from the raw bytes: the
 * delivery-status part is plain 7-bit text.
 */
static void
read_dsn(const char *raw, size_t len, struct analysis *a)
{
	const char *body, *ds;
	char *v;

	if (strcmp(a->msg.content_type, "multipart/report") != 0)
		return;
	body = memmem(raw, len, "\n\n", 2);
	if (body == NULL)
		body = memmem(raw, len, "\r\n\r\n", 4);
	if (body == NULL)
		return;
	if ((v = raw_field(raw, len, body, "Final-Recipient")) != NULL) {
		char *semi = strchr(v, ';');
		a->dsn_recipient = strtrim(xstrdup(semi ? semi + 1 : v));
		ascii_lower(a->dsn_recipient);
		free(v);
	}
	a->dsn_action = raw_field(raw, len, body, "Action");
	a->dsn_status = raw_field(raw, len, body, "Status");
	/* The returned message follows the delivery-status fields. */
	ds = a->dsn_action ? memmem(body, len - (size_t)(body - raw),
	    "\nAction:", 8) : body;
	if (ds != NULL && (v = raw_field(raw, len, ds, "Message-ID")) != NULL) {
		size_t n = strlen(v);
		if (n > 2 && v[0] == '<' && v[n - 1] == '>') {
			a->dsn_message_id = xstrndup(v + 1, n - 2);
			free(v);
		} else
			a->dsn_message_id = v;
	}
}

void
analyze(const char *raw, size_t len, const struct analyze_opts *o,
    struct analysis *a)
{
	struct reply_text rt;

	memset(a, 0, sizeof(*a));
	a->lang = "en";
	a->itip.start = a->itip.end = -1;
	a->parse_status = message_parse(raw, len, o->max_size, &a->msg,
	    &a->error);
	if (a->parse_status != MESSAGE_OK) {
		a->kind = KIND_UNREADABLE;
		return;
	}
	/* A multipart whose delimiters match nothing shows a person nothing. */
	if (strcmp(a->msg.text_type, "none") == 0 &&
	    a->msg.nattachments == 0 &&
	    strncmp(a->msg.content_type, "multipart/", 10) == 0) {
		a->kind = KIND_UNREADABLE;
		a->parse_status = MESSAGE_UNPARSABLE;
		a->error = xstrdup("a multipart message with no part that can "
		    "be read (its boundary matches no delimiter)");
		return;
	}
	/* A calendar client's answer to an invitation, whatever the kind. */
	itip_from_message(&a->msg, &a->itip);
	/*
	 * What the sender wrote, without what they quoted or forwarded: the
	 * form is read from it, and its language is theirs (a quote of our
	 * own bilingual mail says nothing about the partner).
	 */
	reply_extract(a->msg.text, REPLY_MARKER, &rt);
	a->lang = detect_lang(*rt.visible ? rt.visible : a->msg.text);
	if ((a->automatic = classify_automatic(&a->msg, o->our_domain,
	    o->loop_header)) != NULL) {
		a->kind = KIND_AUTOMATIC;
		read_dsn(raw, len, a);
	} else {
		a->ref = classify_ref_tag(a->msg.subject);
		a->ours = names_our_mail(&a->msg, o->our_domain);
		if (a->ref == 0)
			a->ref = ref_from_our_id(a->msg.in_reply_to,
			    o->our_domain);
		if (a->ref > 0 || a->ours)
			a->kind = KIND_REPLY;
		else {
			/* Only when nothing is found there is all read. */
			a->kind = KIND_SUBMISSION;
			forward_attached(&a->msg, o->max_size, &a->attached,
			    &a->attached_files, &a->nattached_files);
			form_read(o->tmpl, rt.visible, &a->form);
			if (a->form.nvalues == 0) {
				form_free(&a->form);
				form_read(o->tmpl, a->msg.text, &a->form);
			}
		}
	}
	reply_text_free(&rt);
}

void
analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	free(a->error);
	free(a->dsn_recipient);
	free(a->dsn_action);
	free(a->dsn_status);
	free(a->dsn_message_id);
	forwarded_free(&a->attached);
	attachments_free(a->attached_files, a->nattached_files);
	message_free(&a->msg);
	form_free(&a->form);
	itip_free(&a->itip);
	memset(a, 0, sizeof(*a));
}

const char *
mail_kind_name(enum mail_kind k)
{
	switch (k) {
	case KIND_SUBMISSION: return "submission";
	case KIND_AUTOMATIC: return "automatic";
	case KIND_REPLY: return "reply";
	case KIND_UNREADABLE: return "unreadable";
	}
	return "?";
}
