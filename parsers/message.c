/*
 * message: libetpan's MIME parser turned into struct message.
 *
 * libetpan 1.9.4 has known parser bugs (see notes/libraries.md), so the
 * size is capped before parsing and the part walk is depth-bounded.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "html.h"
#include "message.h"
#include "message_int.h"
#include "util.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *
content_type_string(const struct mailmime_content *ct)
{
	const char *type = "application";
	struct mailmime_type *t;
	char *s;

	if (ct == NULL || ct->ct_type == NULL)
		return xstrdup("text/plain");
	t = ct->ct_type;
	if (t->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
		switch (t->tp_data.tp_discrete_type->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT: type = "text"; break;
		case MAILMIME_DISCRETE_TYPE_IMAGE: type = "image"; break;
		case MAILMIME_DISCRETE_TYPE_AUDIO: type = "audio"; break;
		case MAILMIME_DISCRETE_TYPE_VIDEO: type = "video"; break;
		case MAILMIME_DISCRETE_TYPE_EXTENSION:
			type = t->tp_data.tp_discrete_type->dt_extension;
			break;
		default: break;
		}
	} else if (t->tp_data.tp_composite_type != NULL) {
		switch (t->tp_data.tp_composite_type->ct_type) {
		case MAILMIME_COMPOSITE_TYPE_MESSAGE: type = "message"; break;
		case MAILMIME_COMPOSITE_TYPE_MULTIPART:
			type = "multipart";
			break;
		case MAILMIME_COMPOSITE_TYPE_EXTENSION:
			type = t->tp_data.tp_composite_type->ct_token;
			break;
		default: break;
		}
	}
	s = xasprintf("%s/%s", type ? type : "application",
	    ct->ct_subtype ? ct->ct_subtype : "octet-stream");
	ascii_lower(s);
	return s;
}

struct text_pick {
	struct mailmime *plain;
	struct mailmime *html;
	struct message *msg;
};

/*
 * RFC 2231 parameters: "name*=charset'lang'%E8%B3..." and continuations
 * "name*0*=...; name*1*=...", which libetpan leaves as plain parameters.
 * Returns the decoded UTF-8 value, or NULL when there is none.
 */
static char *
rfc2231_value(char **names, char **values, size_t n, const char *want)
{
	struct buf raw;
	char *charset = NULL, *u, *used;
	size_t wl = strlen(want), i;
	int part, found = 0;

	buf_init(&raw);
	for (part = -1; part < 100; part++) {
		for (i = 0; i < n; i++) {
			const char *nm = names[i], *v = values[i];
			int encoded, idx = -1;

			if (ascii_strncasecmp(nm, want, wl) != 0 || nm[wl] != '*')
				continue;
			nm += wl + 1;
			if (*nm >= '0' && *nm <= '9') {
				idx = (int)strtol(nm, (char **)&nm, 10);
				encoded = *nm == '*';
			} else
				encoded = 1;
			if (idx != part)
				continue;
			found = 1;
			if (encoded && charset == NULL && (idx <= 0)) {
				const char *q = strchr(v, '\'');
				const char *q2 = q ? strchr(q + 1, '\'') : NULL;
				if (q != NULL && q2 != NULL) {
					charset = xstrndup(v, (size_t)(q - v));
					v = q2 + 1;
				}
			}
			for (; *v != '\0'; v++) {
				int hi, lo;
				if (encoded && v[0] == '%' && v[1] && v[2] &&
				    (hi = hexval(v[1])) >= 0 &&
				    (lo = hexval(v[2])) >= 0) {
					buf_addc(&raw, (char)(hi << 4 | lo));
					v += 2;
				} else
					buf_addc(&raw, *v);
			}
		}
		if (part >= 0 && !found)
			break;
		if (part == -1 && found)
			break;	/* an unsplit name*= value */
	}
	if (!found) {
		free(charset);
		buf_free(&raw);
		return NULL;
	}
	u = charset_to_utf8(raw.data ? raw.data : "", raw.len, charset, &used);
	free(used);
	free(charset);
	buf_free(&raw);
	return u;
}

static void
param_lists(struct mailmime *part, char ***names, char ***values, size_t *n)
{
	struct mailmime_single_fields sf;
	clistiter *it;

	*names = *values = NULL;
	*n = 0;
	mailmime_single_fields_init(&sf, part->mm_mime_fields,
	    part->mm_content_type);
	if (sf.fld_disposition != NULL)
		for (it = clist_begin(sf.fld_disposition->dsp_parms);
		    it != NULL; it = clist_next(it)) {
			struct mailmime_disposition_parm *dp = clist_content(it);
			if (dp->pa_type != MAILMIME_DISPOSITION_PARM_PARAMETER)
				continue;
			*names = xreallocarray(*names, *n + 1, sizeof(char *));
			*values = xreallocarray(*values, *n + 1, sizeof(char *));
			(*names)[*n] = dp->pa_data.pa_parameter->pa_name;
			(*values)[(*n)++] = dp->pa_data.pa_parameter->pa_value;
		}
	if (part->mm_content_type != NULL &&
	    part->mm_content_type->ct_parameters != NULL)
		for (it = clist_begin(part->mm_content_type->ct_parameters);
		    it != NULL; it = clist_next(it)) {
			struct mailmime_parameter *pp = clist_content(it);
			*names = xreallocarray(*names, *n + 1, sizeof(char *));
			*values = xreallocarray(*values, *n + 1, sizeof(char *));
			(*names)[*n] = pp->pa_name;
			(*values)[(*n)++] = pp->pa_value;
		}
}

static int
is_attachment(struct mailmime *part)
{
	struct mailmime_single_fields sf;

	mailmime_single_fields_init(&sf, part->mm_mime_fields,
	    part->mm_content_type);
	return sf.fld_disposition != NULL &&
	    sf.fld_disposition->dsp_type != NULL &&
	    sf.fld_disposition->dsp_type->dsp_type ==
	    MAILMIME_DISPOSITION_TYPE_ATTACHMENT;
}

/*
 * A single part's body with its transfer encoding (base64, quoted-
 * printable) undone, and its fields in *sf.  The part points into
 * message_parse's NUL-padded copy, so the decoder's reads past a final
 * "=" stay in bounds.  0 with *decoded (mailmime_decoded_part_free), or
 * -1: no body, or the decoder failed.
 */
static int
part_decode(struct mailmime *part, struct mailmime_single_fields *sf,
    char **decoded, size_t *dlen)
{
	struct mailmime_data *d = part->mm_data.mm_single;
	int encoding = MAILMIME_MECHANISM_8BIT;
	size_t idx = 0;

	mailmime_single_fields_init(sf, part->mm_mime_fields,
	    part->mm_content_type);
	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT)
		return -1;
	if (sf->fld_encoding != NULL)
		encoding = sf->fld_encoding->enc_type;
	*decoded = NULL;
	*dlen = 0;
	if (mailmime_part_parse(d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length, &idx, encoding, decoded, dlen) !=
	    MAILIMF_NO_ERROR || *decoded == NULL)
		return -1;
	return 0;
}

/* n bytes at p as a new NUL-terminated buffer. */
static char *
bytes_copy(const char *p, size_t n, size_t *len)
{
	char *out = xmalloc(n + 1);

	memcpy(out, p, n);
	out[n] = '\0';
	*len = n;
	return out;
}

/*
 * The decoded content of an attachment; an attached message as its raw
 * text.  NULL when there is nothing to decode or the decoder fails.
 * Decoded bytes are never more than the encoded ones, and the message
 * is capped, so this is bounded by the message's size.
 */
static char *
part_bytes(struct mailmime *part, size_t *len)
{
	struct mailmime_single_fields sf;
	struct mailmime_data *d = part->mm_body;
	char *decoded, *out;
	size_t dlen;

	*len = 0;
	if (part->mm_type != MAILMIME_SINGLE)
		return d != NULL && d->dt_type == MAILMIME_DATA_TEXT &&
		    d->dt_data.dt_text.dt_data != NULL ?
		    bytes_copy(d->dt_data.dt_text.dt_data,
		    d->dt_data.dt_text.dt_length, len) : NULL;
	if (part_decode(part, &sf, &decoded, &dlen) != 0)
		return NULL;
	out = bytes_copy(decoded, dlen, len);
	mailmime_decoded_part_free(decoded);
	return out;
}

static void
add_attachment(struct message *msg, struct mailmime *part, char *type)
{
	struct mailmime_single_fields sf;
	struct attachment *a;
	const char *name;
	char **names, **values, *ext;
	size_t n;

	mailmime_single_fields_init(&sf, part->mm_mime_fields,
	    part->mm_content_type);
	name = sf.fld_disposition_filename ? sf.fld_disposition_filename :
	    sf.fld_content_name;
	param_lists(part, &names, &values, &n);
	ext = rfc2231_value(names, values, n, "filename");
	if (ext == NULL)
		ext = rfc2231_value(names, values, n, "name");
	free(names);
	free(values);
	msg->attachments = xreallocarray(msg->attachments,
	    msg->nattachments + 1, sizeof(*msg->attachments));
	a = &msg->attachments[msg->nattachments++];
	a->name = ext ? ext : name ? mime_decode_header(name) : xstrdup("");
	a->type = type;
	a->size = part->mm_length;
	a->data = part_bytes(part, &a->len);
}

/*
 * Finds the first inline text/plain and text/html parts, not descending
 * into attached messages: a forwarded mail's text is not the form.
 */
static void
pick_text(struct mailmime *m, int depth, struct text_pick *pick)
{
	clistiter *it;
	char *ct;

	if (m == NULL || depth > MESSAGE_MAX_DEPTH)
		return;
	switch (m->mm_type) {
	case MAILMIME_SINGLE:
		ct = content_type_string(m->mm_content_type);
		if (!is_attachment(m) && strcmp(ct, "text/plain") == 0 &&
		    pick->plain == NULL)
			pick->plain = m;
		else if (!is_attachment(m) && strcmp(ct, "text/html") == 0 &&
		    pick->html == NULL)
			pick->html = m;
		else if (strcmp(ct, "text/html") != 0 || is_attachment(m)) {
			add_attachment(pick->msg, m, ct);
			ct = NULL;
		}
		free(ct);
		break;
	case MAILMIME_MULTIPLE:
		for (it = clist_begin(m->mm_data.mm_multipart.mm_mp_list);
		    it != NULL; it = clist_next(it))
			pick_text(clist_content(it), depth + 1, pick);
		break;
	case MAILMIME_MESSAGE:
		if (depth == 0)
			pick_text(m->mm_data.mm_message.mm_msg_mime,
			    depth + 1, pick);
		else	/* a forwarded mail: context, not the form */
			add_attachment(pick->msg, m,
			    xstrdup("message/rfc822"));
		break;
	}
}

/*
 * RFC 3676 format=flowed (iPhone, Thunderbird): a line ending in a space
 * continues on the next, so a value wrapped by the mailer is one line.
 */
static char *
unflow(const char *t, int delsp)
{
	struct buf b;

	buf_init(&b);
	while (*t != '\0') {
		size_t n = strcspn(t, "\n"), k = n;

		if (k > 0 && t[k - 1] == '\r')
			k--;
		/* Space-stuffing protects lines starting with a space. */
		if (k > 0 && t[0] == ' ') {
			t++;
			n--;
			k--;
		}
		if (k > 0 && t[k - 1] == ' ' && !(k == 3 &&
		    strncmp(t, "-- ", 3) == 0)) {
			buf_add(&b, t, delsp ? k - 1 : k);
			t += n + (t[n] == '\n');
			continue;
		}
		buf_add(&b, t, k);
		t += n;
		if (*t == '\n') {
			buf_addc(&b, '\n');
			t++;
		}
	}
	return buf_steal(&b);
}

static char *
part_text(struct mailmime *part, char **charset)
{
	struct mailmime_single_fields sf;
	struct mailmime_data *d = part->mm_data.mm_single;
	char *decoded, *text;
	size_t dlen;

	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT) {
		*charset = xstrdup("UTF-8");
		return xstrdup("");
	}
	if (part_decode(part, &sf, &decoded, &dlen) != 0)
		return charset_to_utf8(d->dt_data.dt_text.dt_data,
		    d->dt_data.dt_text.dt_length, sf.fld_content_charset,
		    charset);
	text = charset_to_utf8(decoded, dlen, sf.fld_content_charset, charset);
	mailmime_decoded_part_free(decoded);
	if (part->mm_content_type != NULL) {
		char *fmt = mailmime_content_param_get(part->mm_content_type,
		    "format");
		char *delsp = mailmime_content_param_get(part->mm_content_type,
		    "delsp");
		if (fmt != NULL && ascii_strcasecmp(fmt, "flowed") == 0) {
			char *u = unflow(text, delsp != NULL &&
			    ascii_strcasecmp(delsp, "yes") == 0);
			free(text);
			text = u;
		}
	}
	return text;
}

/* Drops CRs so the rest of refbot sees one line ending. */
static void
strip_cr(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++)
		if (*s != '\r')
			*w++ = *s;
	*w = '\0';
}

static char *
id_list(clist *ids)
{
	struct buf b;
	clistiter *it;

	if (ids == NULL || clist_begin(ids) == NULL)
		return NULL;
	buf_init(&b);
	for (it = clist_begin(ids); it != NULL; it = clist_next(it)) {
		if (b.len > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, (const char *)clist_content(it));
	}
	return buf_steal(&b);
}

/* Appends the addr-specs of an address list, space separated. */
static void
add_addresses(struct buf *b, struct mailimf_address_list *list)
{
	clistiter *it, *mt;

	if (list == NULL)
		return;
	for (it = clist_begin(list->ad_list); it != NULL; it = clist_next(it)) {
		struct mailimf_address *a = clist_content(it);
		clist *mbs;

		if (a->ad_type == MAILIMF_ADDRESS_MAILBOX) {
			if (a->ad_data.ad_mailbox->mb_addr_spec == NULL)
				continue;
			buf_addf(b, "%s%s", b->len ? " " : "",
			    a->ad_data.ad_mailbox->mb_addr_spec);
			continue;
		}
		if (a->ad_data.ad_group->grp_mb_list == NULL)
			continue;
		mbs = a->ad_data.ad_group->grp_mb_list->mb_list;
		for (mt = clist_begin(mbs); mt != NULL; mt = clist_next(mt)) {
			struct mailimf_mailbox *mb = clist_content(mt);
			if (mb->mb_addr_spec != NULL)
				buf_addf(b, "%s%s", b->len ? " " : "",
				    mb->mb_addr_spec);
		}
	}
}

static void
read_fields(struct mailimf_fields *fields, struct message *msg)
{
	struct mailimf_single_fields sf;
	clistiter *it;
	size_t cap = 0;

	if (fields == NULL)
		return;
	mailimf_single_fields_init(&sf, fields);
	if (sf.fld_from != NULL && sf.fld_from->frm_mb_list != NULL) {
		it = clist_begin(sf.fld_from->frm_mb_list->mb_list);
		if (it != NULL) {
			struct mailimf_mailbox *mb = clist_content(it);
			if (mb->mb_addr_spec != NULL) {
				msg->from_addr = utf8_sanitize(mb->mb_addr_spec,
				    strlen(mb->mb_addr_spec));
				ascii_lower(msg->from_addr);
			}
			if (mb->mb_display_name != NULL)
				msg->from_name =
				    mime_decode_header(mb->mb_display_name);
		}
	}
	if (sf.fld_reply_to != NULL && sf.fld_reply_to->rt_addr_list != NULL) {
		it = clist_begin(sf.fld_reply_to->rt_addr_list->ad_list);
		if (it != NULL) {
			struct mailimf_address *a = clist_content(it);
			if (a->ad_type == MAILIMF_ADDRESS_MAILBOX &&
			    a->ad_data.ad_mailbox->mb_addr_spec != NULL) {
				msg->reply_to_addr = xstrdup(
				    a->ad_data.ad_mailbox->mb_addr_spec);
				ascii_lower(msg->reply_to_addr);
			}
		}
	}
	{
		struct buf to;
		buf_init(&to);
		if (sf.fld_to != NULL)
			add_addresses(&to, sf.fld_to->to_addr_list);
		if (sf.fld_cc != NULL)
			add_addresses(&to, sf.fld_cc->cc_addr_list);
		msg->to_addrs = buf_steal(&to);
		ascii_lower(msg->to_addrs);
	}
	if (sf.fld_subject != NULL)
		msg->subject = mime_decode_header(sf.fld_subject->sbj_value);
	if (sf.fld_message_id != NULL && sf.fld_message_id->mid_value != NULL)
		msg->message_id = utf8_sanitize(sf.fld_message_id->mid_value,
		    strlen(sf.fld_message_id->mid_value));
	if (sf.fld_in_reply_to != NULL) {
		it = clist_begin(sf.fld_in_reply_to->mid_list);
		if (it != NULL)
			msg->in_reply_to = xstrdup(clist_content(it));
	}
	if (sf.fld_references != NULL)
		msg->references = id_list(sf.fld_references->mid_list);

	for (it = clist_begin(fields->fld_list); it != NULL;
	    it = clist_next(it)) {
		struct mailimf_field *f = clist_content(it);

		if (f->fld_type == MAILIMF_FIELD_RETURN_PATH) {
			struct mailimf_path *p =
			    f->fld_data.fld_return_path->ret_path;
			msg->has_return_path = 1;
			msg->return_path_empty = p == NULL ||
			    p->pt_addr_spec == NULL || *p->pt_addr_spec == '\0';
		} else if (f->fld_type == MAILIMF_FIELD_OPTIONAL_FIELD) {
			struct mailimf_optional_field *o =
			    f->fld_data.fld_optional_field;
			/* libetpan leaves "Return-Path: <>" unparsed. */
			if (ascii_strcasecmp(o->fld_name, "Return-Path") == 0) {
				char *v = strtrim(xstrdup(o->fld_value));
				msg->has_return_path = 1;
				msg->return_path_empty = *v == '\0' ||
				    strcmp(v, "<>") == 0;
				free(v);
			}
			if (msg->nheaders == cap) {
				cap = cap ? cap * 2 : 16;
				msg->headers = xreallocarray(msg->headers, cap,
				    sizeof(*msg->headers));
			}
			msg->headers[msg->nheaders].name = utf8_sanitize(
			    o->fld_name, strlen(o->fld_name));
			msg->headers[msg->nheaders].value = utf8_sanitize(
			    o->fld_value, strlen(o->fld_value));
			msg->nheaders++;
		}
	}
}

/*
 * How many multipart Content-Types the message declares.  libetpan's
 * time grows with the square of the nesting (10,000 levels take seconds),
 * so an absurd count is refused before it gets there.
 */
static size_t
multipart_count(const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len;
	size_t n = 0;

	while ((p = memmem(p, (size_t)(end - p), "ultipart/", 9)) != NULL) {
		n++;
		p += 9;
	}
	return n;
}

/* Non-zero when some boundary="..." parameter contains a backslash. */
static int
escaped_boundary(const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len;

	while ((p = memmem(p, (size_t)(end - p), "oundary", 7)) != NULL) {
		const char *q = p + 7;

		p = q;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || *q != '=')
			continue;
		q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || *q != '"')
			continue;
		for (q++; q < end && *q != '"' && *q != '\n'; q++)
			if (*q == '\\')
				return 1;
	}
	return 0;
}

int
message_parse(const char *raw, size_t len, size_t max_size,
    struct message *msg, char **errstr)
{
	struct mailmime *mime = NULL;
	struct text_pick pick = { NULL, NULL, msg };
	char *copy;
	size_t idx = 0;
	int r;

	memset(msg, 0, sizeof(*msg));
	charset_conv_init();
	if (max_size > 0 && len > max_size) {
		*errstr = xasprintf("message is %zu bytes, over the %zu-byte "
		    "limit", len, max_size);
		return MESSAGE_TOO_LARGE;
	}
	/*
	 * libetpan 1.9.4 writes past a heap buffer when a boundary parameter
	 * holds an escaped quote (boundary="\""); such mail is refused
	 * before it reaches the parser.
	 */
	if (multipart_count(raw, len) > MESSAGE_MAX_DEPTH * 4) {
		*errstr = xasprintf("more than %d multipart parts nested or "
		    "side by side", MESSAGE_MAX_DEPTH * 4);
		return MESSAGE_UNPARSABLE;
	}
	if (escaped_boundary(raw, len)) {
		*errstr = xstrdup("a MIME boundary with an escaped quote, "
		    "which the MIME parser cannot read safely");
		return MESSAGE_UNPARSABLE;
	}
	/*
	 * libetpan's quoted-printable decoder reads two bytes past a "=" at
	 * the very end of a part; parts point into this buffer, so a copy
	 * with NUL padding keeps those reads inside memory we own.
	 */
	copy = xmalloc(len + 8);
	memcpy(copy, raw, len);
	memset(copy + len, 0, 8);
	r = mailmime_parse(copy, len, &idx, &mime);
	if (r != MAILIMF_NO_ERROR || mime == NULL) {
		*errstr = xasprintf("MIME parser error %d", r);
		free(copy);
		return MESSAGE_UNPARSABLE;
	}
	if (mime->mm_type == MAILMIME_MESSAGE) {
		struct mailimf_fields *f = mime->mm_data.mm_message.mm_fields;

		/* Text without a single header is not a mail at all. */
		if (f == NULL || clist_begin(f->fld_list) == NULL) {
			*errstr = xstrdup("no header fields: not a mail "
			    "message");
			mailmime_free(mime);
			free(copy);
			return MESSAGE_UNPARSABLE;
		}
		read_fields(mime->mm_data.mm_message.mm_fields, msg);
		if (mime->mm_data.mm_message.mm_msg_mime != NULL)
			msg->content_type = content_type_string(
			    mime->mm_data.mm_message.mm_msg_mime
			    ->mm_content_type);
	}
	if (msg->subject == NULL)
		msg->subject = xstrdup("");
	if (msg->to_addrs == NULL)
		msg->to_addrs = xstrdup("");
	else {
		char *clean = utf8_sanitize(msg->to_addrs,
		    strlen(msg->to_addrs));
		free(msg->to_addrs);
		msg->to_addrs = clean;
	}
	if (msg->content_type == NULL)
		msg->content_type = xstrdup("text/plain");

	/*
	 * A multipart whose boundary matches no delimiter line is, by RFC
	 * 2046, all preamble: there is nothing a person would see.
	 */
	if (mime->mm_type == MAILMIME_MESSAGE &&
	    mime->mm_data.mm_message.mm_msg_mime != NULL &&
	    strncmp(msg->content_type, "multipart/", 10) == 0) {
		char *bd = mailmime_extract_boundary(
		    mime->mm_data.mm_message.mm_msg_mime->mm_content_type);
		char *delim = bd ? xasprintf("\n--%s", bd) : NULL;
		int found = delim && memmem(copy, len, delim, strlen(delim));

		free(delim);
		free(bd);
		if (!found) {
			*errstr = xstrdup("a multipart message whose boundary "
			    "matches no part");
			mailmime_free(mime);
			free(copy);
			return MESSAGE_UNPARSABLE;
		}
	}
	pick_text(mime, 0, &pick);
	if (pick.plain != NULL) {
		msg->text = part_text(pick.plain, &msg->charset);
		msg->text_type = xstrdup("text/plain");
	} else if (pick.html != NULL) {
		char *html = part_text(pick.html, &msg->charset);
		msg->text = html_to_text(html, strlen(html));
		msg->text_type = xstrdup("text/html");
		free(html);
	} else {
		msg->text = xstrdup("");
		msg->text_type = xstrdup("none");
		msg->charset = xstrdup("");
	}
	strip_cr(msg->text);
	mailmime_free(mime);
	free(copy);
	return MESSAGE_OK;
}

void
message_free(struct message *msg)
{
	size_t i;

	if (msg == NULL)
		return;
	free(msg->from_addr);
	free(msg->from_name);
	free(msg->reply_to_addr);
	free(msg->to_addrs);
	free(msg->subject);
	free(msg->message_id);
	free(msg->in_reply_to);
	free(msg->references);
	free(msg->content_type);
	for (i = 0; i < msg->nheaders; i++) {
		free(msg->headers[i].name);
		free(msg->headers[i].value);
	}
	free(msg->headers);
	free(msg->text);
	free(msg->text_type);
	free(msg->charset);
	attachments_free(msg->attachments, msg->nattachments);
	memset(msg, 0, sizeof(*msg));
}

void
attachments_free(struct attachment *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(a[i].name);
		free(a[i].type);
		free(a[i].data);
	}
	free(a);
}

const char *
message_header(const struct message *msg, const char *name)
{
	size_t i;

	for (i = 0; i < msg->nheaders; i++)
		if (ascii_strcasecmp(msg->headers[i].name, name) == 0)
			return msg->headers[i].value;
	return NULL;
}
