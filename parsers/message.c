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

/* Decodes a B or Q encoded-word's text with libetpan's decoders. */
static void
decode_word(struct buf *out, int enc, const char *text, size_t n)
{
	char *tmp = xstrndup(text, n), *dec = NULL, *q;
	size_t idx = 0, dlen = 0;

	if (enc == 'Q')	/* "_" is a space in the Q encoding only */
		for (q = tmp; *q != '\0'; q++)
			if (*q == '_')
				*q = ' ';
	if (mailmime_part_parse(tmp, n, &idx, enc == 'B' ?
	    MAILMIME_MECHANISM_BASE64 : MAILMIME_MECHANISM_QUOTED_PRINTABLE,
	    &dec, &dlen) == MAILIMF_NO_ERROR && dec != NULL) {
		buf_add(out, dec, dlen);
		mailmime_decoded_part_free(dec);
	} else
		buf_add(out, text, n);
	free(tmp);
}

/*
 * Parses "=?charset?X?text?=" at p; fills the parts and returns its end.
 * Linear over a whole header: the charset scan stops after 41 bytes, and
 * once no "?=" follows (*no_end), later words are not searched for one
 * again - each search used to run to the end of the value, so a header
 * of many unterminated words took time quadratic in its length.  No
 * strchr/strstr either: sanitizers make those read the whole rest.
 */
static const char *
encoded_word(const char *p, int *no_end, char **charset, int *enc,
    const char **text, size_t *tlen)
{
	const char *cs, *q, *e, *end;

	if (p[0] != '=' || p[1] != '?')
		return NULL;
	cs = p + 2;
	for (q = cs; q - cs <= 40 && *q != '\0' && *q != '?'; q++)
		continue;
	if (*q != '?' || q == cs || q - cs > 40)
		return NULL;
	if ((q[1] != 'B' && q[1] != 'b' && q[1] != 'Q' && q[1] != 'q') ||
	    q[2] != '?')
		return NULL;
	e = q + 3;
	if (*no_end)
		return NULL;
	for (end = e; *end != '\0' && !(end[0] == '?' && end[1] == '='); end++)
		continue;
	if (*end == '\0') {
		*no_end = 1;
		return NULL;
	}
	*charset = xstrndup(cs, (size_t)(q - cs));
	/* RFC 2231 adds a language: "UTF-8*ja". */
	(*charset)[strcspn(*charset, "*")] = '\0';
	*enc = q[1] == 'B' || q[1] == 'b' ? 'B' : 'Q';
	*text = e;
	*tlen = (size_t)(end - e);
	return end + 2;
}

static void
flush_run(struct buf *out, struct buf *run, char **run_cs)
{
	char *used, *u;

	if (run->len > 0) {
		u = charset_to_utf8(run->data, run->len, *run_cs, &used);
		buf_adds(out, u);
		free(u);
		free(used);
	}
	buf_reset(run);
	free(*run_cs);
	*run_cs = NULL;
}

/*
 * RFC 2047, as real mailers write it: adjacent encoded words in one
 * charset are joined before conversion, because Japanese mailers split a
 * multibyte character (or an ISO-2022-JP escape) across two words.
 */
char *
mime_decode_header(const char *value)
{
	struct buf out, run, plain, space;
	char *run_cs = NULL, *cs, *used, *u;
	const char *p = value, *text, *next;
	size_t tlen;
	int enc, last_encoded = 0, no_end = 0;

	if (value == NULL)
		return xstrdup("");
	buf_init(&out);
	buf_init(&run);
	buf_init(&plain);
	buf_init(&space);
	while (*p != '\0') {
		if ((next = encoded_word(p, &no_end, &cs, &enc, &text,
		    &tlen)) != NULL) {
			if (plain.len > 0) {
				flush_run(&out, &run, &run_cs);
				u = charset_to_utf8(plain.data, plain.len, NULL,
				    &used);
				buf_adds(&out, u);
				free(u);
				free(used);
				buf_reset(&plain);
			}
			/* Space between two encoded words is not text. */
			if (!last_encoded && space.len > 0)
				buf_add(&out, space.data, space.len);
			buf_reset(&space);
			if (run_cs != NULL && ascii_strcasecmp(run_cs, cs) != 0)
				flush_run(&out, &run, &run_cs);
			if (run_cs == NULL)
				run_cs = cs;
			else
				free(cs);
			decode_word(&run, enc, text, tlen);
			last_encoded = 1;
			p = next;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			if (*p == ' ' || *p == '\t')
				buf_addc(&space, *p);
			p++;
			continue;
		}
		flush_run(&out, &run, &run_cs);
		if (space.len > 0) {
			buf_add(&plain, space.data, space.len);
			buf_reset(&space);
		}
		buf_addc(&plain, *p++);
		last_encoded = 0;
	}
	flush_run(&out, &run, &run_cs);
	if (plain.len > 0) {
		u = charset_to_utf8(plain.data, plain.len, NULL, &used);
		buf_adds(&out, u);
		free(u);
		free(used);
	}
	buf_free(&run);
	buf_free(&plain);
	buf_free(&space);
	u = buf_steal(&out);
	strtrim(u);
	return u;
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

/*
 * iconv converters, kept open for the life of the process: opening one
 * per conversion makes glibc load and unload its charset modules each
 * time, which cost a quarter of the parse time (bench/parse).  Also
 * installed as libetpan's converter, so its header decoding uses them.
 */
#define CONV_CACHE 16

static iconv_t
conv_get(const char *to, const char *from)
{
	static struct {
		char to[48], from[48];
		iconv_t cd;
	} cache[CONV_CACHE];
	static size_t n, next;
	size_t i;
	iconv_t cd;

	for (i = 0; i < n; i++)
		if (ascii_strcasecmp(cache[i].to, to) == 0 &&
		    ascii_strcasecmp(cache[i].from, from) == 0) {
			iconv(cache[i].cd, NULL, NULL, NULL, NULL);
			return cache[i].cd;
		}
	if (strlen(to) >= sizeof(cache[0].to) ||
	    strlen(from) >= sizeof(cache[0].from) ||
	    (cd = iconv_open(to, from)) == (iconv_t)-1)
		return (iconv_t)-1;
	if (n < CONV_CACHE)
		i = n++;
	else {			/* full: replace the oldest entry */
		i = next;
		next = (next + 1) % CONV_CACHE;
		iconv_close(cache[i].cd);
	}
	strlcpy_(cache[i].to, to, sizeof(cache[i].to));
	strlcpy_(cache[i].from, from, sizeof(cache[i].from));
	cache[i].cd = cd;
	return cd;
}

/* libetpan's extended_charconv hook: result holds *result_len bytes. */
static int
cached_charconv(const char *tocode, const char *fromcode, const char *str,
    size_t length, char *result, size_t *result_len)
{
	iconv_t cd = conv_get(tocode, charset_alias(fromcode));
	char *in = (char *)str, *out = result;
	size_t inleft = length, outleft = *result_len, broken = 0;

	if (cd == (iconv_t)-1)
		return MAIL_CHARCONV_ERROR_UNKNOWN_CHARSET;
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1)
			break;
		if (errno == E2BIG || outleft == 0)
			return MAIL_CHARCONV_ERROR_MEMORY;
		/* Text this broken is not in this charset: give up early. */
		if (++broken > 1000)
			return MAIL_CHARCONV_ERROR_CONV;
		/* A broken sequence costs one '?', not the whole text. */
		*out++ = '?';
		outleft--;
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	*result_len = (size_t)(out - result);
	return MAIL_CHARCONV_NO_ERROR;
}

static void
conv_init(void)
{
	if (extended_charconv == NULL)
		extended_charconv = cached_charconv;
}

/* Non-zero when the bytes convert from cs without a single error. */
static int
converts_cleanly(const char *bytes, size_t n, const char *cs)
{
	iconv_t cd = conv_get("UTF-8", cs);
	char out[4096], *in = (char *)bytes, *o;
	size_t inleft = n, outleft;

	if (cd == (iconv_t)-1)
		return 0;
	while (inleft > 0) {
		o = out;
		outleft = sizeof(out);
		if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 &&
		    errno != E2BIG)
			return 0;
	}
	return 1;
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
	/* The first 64 KB tell the charset; all of it would only cost time. */
	if (n > 65536)
		n = 65536;
	if (converts_cleanly(bytes, n, "CP932"))
		return "CP932";
	if (converts_cleanly(bytes, n, "EUC-JP"))
		return "EUC-JP";
	return "WINDOWS-1252";
}

/* Mostly UTF-8, with a few bad bytes: the label is right, the text damaged. */
static int
mostly_utf8(const char *bytes, size_t n)
{
	const unsigned char *p = (const unsigned char *)bytes;
	size_t i = 0, good = 0, bad = 0;

	while (i < n) {
		size_t k = p[i] < 0x80 ? 1 : 0;

		if (k == 0) {
			/* Length of a well-formed sequence at p + i, or 0. */
			size_t want = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 :
			    p[i] >= 0xc2 ? 2 : 0;
			if (want > 0 && i + want <= n &&
			    utf8_valid(bytes + i, want)) {
				good++;
				k = want;
			} else {
				bad++;
				k = 1;
			}
		}
		i += k;
	}
	return good > 0 && good >= bad * 4;
}

/*
 * ISO-2022-JP rewritten as Shift_JIS bytes, so that CP932 decodes it:
 * glibc's ISO-2022-JP decoders reject the NEC row-13 characters (①, ㈱,
 * №) that Japanese Windows mailers put in ISO-2022-JP mail.  Returns
 * NULL when the text uses escapes this does not know (JIS X 0212 ...).
 */
static char *
iso2022jp_to_sjis(const char *bytes, size_t n, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)bytes;
	struct buf b;
	enum { ASCII, KANJI, KANA } mode = ASCII;
	size_t i = 0;

	buf_init(&b);
	while (i < n) {
		if (p[i] == 0x1b) {
			if (i + 2 < n && p[i + 1] == '$' &&
			    (p[i + 2] == 'B' || p[i + 2] == '@'))
				mode = KANJI;
			else if (i + 2 < n && p[i + 1] == '(' &&
			    (p[i + 2] == 'B' || p[i + 2] == 'J'))
				mode = ASCII;
			else if (i + 2 < n && p[i + 1] == '(' && p[i + 2] == 'I')
				mode = KANA;
			else {
				buf_free(&b);
				return NULL;
			}
			i += 3;
			continue;
		}
		if (p[i] == '\n' || p[i] == '\r' || mode == ASCII ||
		    p[i] < 0x21 || p[i] > 0x7e) {
			/* Line ends reset to ASCII in well-behaved mail. */
			if (p[i] == '\n')
				mode = ASCII;
			buf_addc(&b, (char)p[i++]);
			continue;
		}
		if (mode == KANA) {
			buf_addc(&b, (char)(p[i++] | 0x80));
			continue;
		}
		if (i + 1 >= n || p[i + 1] < 0x21 || p[i + 1] > 0x7e) {
			buf_addc(&b, '?');
			i++;
			continue;
		}
		{
			unsigned j1 = p[i], j2 = p[i + 1];
			unsigned s1 = ((j1 + 1) >> 1) + (j1 <= 0x5e ? 0x70 :
			    0xb0);
			unsigned s2 = j1 & 1 ? j2 + (j2 > 0x5f ? 0x20 : 0x1f) :
			    j2 + 0x7e;
			buf_addc(&b, (char)s1);
			buf_addc(&b, (char)s2);
		}
		i += 2;
	}
	*outlen = b.len;
	return buf_steal(&b);
}

static char *
convert(const char *bytes, size_t n, const char *cs)
{
	char *out = NULL, *clean;
	size_t outlen = 0;

	if (charconv_buffer("UTF-8", cs, bytes, n, &out, &outlen) !=
	    MAIL_CHARCONV_NO_ERROR || out == NULL)
		return NULL;
	clean = utf8_sanitize(out, outlen);
	charconv_buffer_free(out);
	return clean;
}

char *
charset_to_utf8(const char *bytes, size_t n, const char *charset, char **used)
{
	const char *cs;
	char *clean, *sjis, *u;
	size_t slen;
	int esc = memmem(bytes, n, "\x1b$B", 3) != NULL ||
	    memmem(bytes, n, "\x1b$@", 3) != NULL;

	conv_init();

	if (charset == NULL || *charset == '\0')
		cs = charset_sniff(bytes, n);
	else
		cs = charset_alias(charset);
	/*
	 * Labels that lie: "UTF-8" or ASCII on ISO-2022-JP or 8-bit text,
	 * and Outlook's "iso-2022-jp" on bytes that are really UTF-8.  A
	 * UTF-8 text with a few broken bytes keeps its label.
	 */
	if (ascii_strcasecmp(cs, "UTF-8") == 0 && (esc ||
	    (!utf8_valid(bytes, n) && !mostly_utf8(bytes, n))))
		cs = charset_sniff(bytes, n);
	else if (ascii_strncasecmp(cs, "ISO-2022-JP", 11) == 0 &&
	    has_high_bytes(bytes, n))
		cs = charset_sniff(bytes, n);
	*used = xstrdup(cs);
	for (u = *used; *u != '\0'; u++)
		if (*u >= 'a' && *u <= 'z')
			*u -= 'a' - 'A';
	if (ascii_strcasecmp(cs, "UTF-8") == 0)
		return utf8_sanitize(bytes, n);
	if (ascii_strncasecmp(cs, "ISO-2022-JP", 11) == 0 &&
	    (sjis = iso2022jp_to_sjis(bytes, n, &slen)) != NULL) {
		clean = convert(sjis, slen, "CP932");
		free(sjis);
		if (clean != NULL)
			return clean;
	}
	if ((clean = convert(bytes, n, cs)) == NULL) {
		free(*used);
		*used = xasprintf("%s (unknown; read as UTF-8)", cs);
		return utf8_sanitize(bytes, n);
	}
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
	conv_init();
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
