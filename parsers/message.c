/*
 * message: libetpan's MIME parser turned into struct message.
 *
 * libetpan 1.9.4 has known parser bugs (see notes/libraries.md), so the
 * size is capped before parsing and the part walk is depth-bounded.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "html.h"
#include "message.h"
#include "util.h"

char *
mime_decode_header(const char *value)
{
	size_t idx = 0;
	char *out = NULL, *clean;

	if (value == NULL)
		return xstrdup("");
	if (mailmime_encoded_phrase_parse("utf-8", value, strlen(value), &idx,
	    "utf-8", &out) != MAILIMF_NO_ERROR || out == NULL)
		return utf8_sanitize(value, strlen(value));
	clean = utf8_sanitize(out, strlen(out));
	free(out);
	return clean;
}

/* Glibc's SHIFT_JIS lacks the NEC/IBM extensions Japanese mail uses. */
static const char *
charset_alias(const char *cs)
{
	static const struct {
		const char *from, *to;
	} map[] = {
		{ "shift_jis", "CP932" }, { "shift-jis", "CP932" },
		{ "sjis", "CP932" }, { "x-sjis", "CP932" },
		{ "windows-31j", "CP932" }, { "cp932", "CP932" },
		{ "iso-2022-jp", "ISO-2022-JP-2" },
		{ "us-ascii", "UTF-8" }, { "ascii", "UTF-8" },
		{ "utf8", "UTF-8" },
	};
	size_t i;

	for (i = 0; i < nitems(map); i++)
		if (ascii_strcasecmp(cs, map[i].from) == 0)
			return map[i].to;
	return cs;
}

/* Non-zero when the bytes convert from cs without a single error. */
static int
converts_cleanly(const char *bytes, size_t n, const char *cs)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	char out[4096], *in = (char *)bytes, *o;
	size_t inleft = n, outleft;
	int ok = 1;

	if (cd == (iconv_t)-1)
		return 0;
	while (inleft > 0 && ok) {
		o = out;
		outleft = sizeof(out);
		if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 &&
		    errno != E2BIG)
			ok = 0;
	}
	iconv_close(cd);
	return ok;
}

static int
has_high_bytes(const char *bytes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)bytes[i] >= 0x80)
			return 1;
	return 0;
}

/*
 * A guess from the bytes, for text whose label is missing or wrong:
 * ISO-2022-JP announces itself with escapes; UTF-8 validates; Japanese
 * 8-bit text is CP932 or EUC-JP, whichever decodes cleanly; the rest is
 * most likely Windows Western.
 */
static const char *
charset_sniff(const char *bytes, size_t n)
{
	if (memmem(bytes, n, "\x1b$B", 3) != NULL ||
	    memmem(bytes, n, "\x1b$@", 3) != NULL)
		return "ISO-2022-JP-2";
	if (utf8_valid(bytes, n))
		return "UTF-8";
	if (converts_cleanly(bytes, n, "CP932"))
		return "CP932";
	if (converts_cleanly(bytes, n, "EUC-JP"))
		return "EUC-JP";
	return "WINDOWS-1252";
}

char *
charset_to_utf8(const char *bytes, size_t n, const char *charset, char **used)
{
	const char *cs;
	char *out = NULL, *clean;
	size_t outlen = 0;

	if (charset == NULL || *charset == '\0')
		cs = charset_sniff(bytes, n);
	else
		cs = charset_alias(charset);
	/*
	 * Labels that lie: "UTF-8" (or ASCII) on bytes that are not, and
	 * Outlook's "iso-2022-jp" on bytes that are really UTF-8.
	 */
	if (ascii_strcasecmp(cs, "UTF-8") == 0 && !utf8_valid(bytes, n))
		cs = charset_sniff(bytes, n);
	else if (ascii_strncasecmp(cs, "ISO-2022-JP", 11) == 0 &&
	    has_high_bytes(bytes, n))
		cs = charset_sniff(bytes, n);
	*used = xstrdup(cs);
	for (char *u = *used; *u != '\0'; u++)
		if (*u >= 'a' && *u <= 'z')
			*u -= 'a' - 'A';
	if (ascii_strcasecmp(cs, "UTF-8") == 0)
		return utf8_sanitize(bytes, n);
	if (charconv_buffer("UTF-8", cs, bytes, n, &out, &outlen) !=
	    MAIL_CHARCONV_NO_ERROR || out == NULL) {
		free(*used);
		*used = xasprintf("%s (unknown; read as UTF-8)", cs);
		return utf8_sanitize(bytes, n);
	}
	clean = utf8_sanitize(out, outlen);
	charconv_buffer_free(out);
	return clean;
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

static void
add_attachment(struct message *msg, struct mailmime *part, char *type)
{
	struct mailmime_single_fields sf;
	struct attachment *a;
	const char *name;

	mailmime_single_fields_init(&sf, part->mm_mime_fields,
	    part->mm_content_type);
	name = sf.fld_disposition_filename ? sf.fld_disposition_filename :
	    sf.fld_content_name;
	msg->attachments = xreallocarray(msg->attachments,
	    msg->nattachments + 1, sizeof(*msg->attachments));
	a = &msg->attachments[msg->nattachments++];
	a->name = name ? mime_decode_header(name) : xstrdup("");
	a->type = type;
	a->size = part->mm_length;
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

static char *
part_text(struct mailmime *part, char **charset)
{
	struct mailmime_single_fields sf;
	struct mailmime_data *d = part->mm_data.mm_single;
	int encoding = MAILMIME_MECHANISM_8BIT;
	char *decoded = NULL, *text;
	size_t idx = 0, dlen = 0;

	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT) {
		*charset = xstrdup("UTF-8");
		return xstrdup("");
	}
	mailmime_single_fields_init(&sf, part->mm_mime_fields,
	    part->mm_content_type);
	if (sf.fld_encoding != NULL)
		encoding = sf.fld_encoding->enc_type;
	if (mailmime_part_parse(d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length, &idx, encoding, &decoded, &dlen) !=
	    MAILIMF_NO_ERROR || decoded == NULL) {
		return charset_to_utf8(d->dt_data.dt_text.dt_data,
		    d->dt_data.dt_text.dt_length, sf.fld_content_charset,
		    charset);
	}
	text = charset_to_utf8(decoded, dlen, sf.fld_content_charset, charset);
	mailmime_decoded_part_free(decoded);
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
	if (max_size > 0 && len > max_size) {
		*errstr = xasprintf("message is %zu bytes, over the %zu-byte "
		    "limit", len, max_size);
		return MESSAGE_TOO_LARGE;
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
	for (i = 0; i < msg->nattachments; i++) {
		free(msg->attachments[i].name);
		free(msg->attachments[i].type);
	}
	free(msg->attachments);
	memset(msg, 0, sizeof(*msg));
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
