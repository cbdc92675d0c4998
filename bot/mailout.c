/* mailout: composes outbound RFC 5322 messages. */
#include "config.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <libetpan/libetpan.h>

#include "clock.h"
#include "idlist.h"
#include "log.h"
#include "mailout.h"
#include "util.h"

char *
header_clean(const char *s)
{
	char *c = xstrdup(s ? s : "");
	const unsigned char *u = (const unsigned char *)c;
	char *w = c;

	/* One pass: what replaces a control is never longer than it. */
	while (*u != '\0') {
		if (*u < 0x20 || *u == 0x7f) {
			*w++ = ' ';
			u++;
		/* C1 controls (U+0080..U+009F, NEL among them) are C2 80..9F. */
		} else if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
			*w++ = ' ';
			u += 2;
		/* U+2028/U+2029, line and paragraph separators: E2 80 A8/A9. */
		} else if (u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 ||
		    u[2] == 0xa9)) {
			*w++ = ' ';
			u += 3;
		} else
			*w++ = (char)*u++;
	}
	*w = '\0';
	return c;
}

/* a, s and z appended: a header's pieces without a printf (issue 21). */
static void
add_str3(struct buf *b, const char *a, const char *s, const char *z)
{
	buf_adds(b, a);
	buf_adds(b, s);
	buf_adds(b, z);
}

static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/*
 * s as base64, in lines of 76, without a final line end: what libetpan's
 * writer made (tests/unit/test_mailout compares), without its string
 * copies, which were 3.6% of ingest's instructions (issue 21).
 */
void
mailout_base64(struct buf *b, const char *s, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	char out[260];		/* written to b a chunk at a time */
	size_t i, o = 0, col = 0;
	unsigned v;

	for (i = 0; i < n; i += 3) {
		if (o > sizeof(out) - 6) {
			buf_add(b, out, o);
			o = 0;
		}
		if (col == 76) {
			out[o++] = '\r';
			out[o++] = '\n';
			col = 0;
		}
		v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = abc[v >> 18];
		out[o++] = abc[(v >> 12) & 63];
		out[o++] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? abc[v & 63] : '=';
		col += 4;
	}
	if (o > 0)
		buf_add(b, out, o);
}

/*
 * Appends s as RFC 2047 encoded words, each at most 45 input bytes cut
 * on a UTF-8 character boundary, folded onto continuation lines.  Bytes
 * that are not UTF-8 (a name typed or imported in another charset)
 * become U+FFFD first, so the words say truly what they hold and a
 * character is never more than 4 bytes: the cut always advances.
 */
static void
add_encoded_words(struct buf *b, const char *str)
{
	char *s = utf8_sanitize(str, strlen(str));
	size_t n = strlen(s), i = 0;

	while (i < n) {
		size_t max = n - i > 45 ? 45 : n - i, k = max;
		/* Do not split a multibyte character. */
		while (i + k < n && k > 0 &&
		    ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		if (k == 0)	/* cannot happen on valid UTF-8 */
			k = max;
		if (i > 0)
			buf_adds(b, "\r\n ");
		buf_adds(b, "=?UTF-8?B?");
		mailout_base64(b, s + i, k);
		buf_adds(b, "?=");
		i += k;
	}
	free(s);
}

static char *rstrip_lines(const char *);

/*
 * ISO-2022-JP (RFC 1468): s (UTF-8, n bytes) converted, ending in ASCII,
 * appended to b; -1 (b unchanged) when s holds a character outside ASCII
 * and JIS X 0208 (髙, ①, half-width kana), or a control character other
 * than a tab (an ESC in the text would be read as a shift).
 */
static int
add_jis(struct buf *b, const char *s, size_t n)
{
	iconv_t cd;
	char *in = (char *)s, *out, *start;
	size_t inleft = n, outleft = 4 * n + 8, i, r;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return -1;
	if ((cd = iconv_open("ISO-2022-JP", "UTF-8")) == (iconv_t)-1)
		return -1;
	/* A character takes at most 2 bytes plus a 3-byte shift each way. */
	out = start = xmalloc(outleft);
	r = iconv(cd, &in, &inleft, &out, &outleft);
	if (r != (size_t)-1)
		r = iconv(cd, NULL, NULL, &out, &outleft);	/* back to ASCII */
	iconv_close(cd);
	/* Not 0: glibc counts a lossy mapping as irreversible. */
	if (r == 0)
		buf_add(b, start, (size_t)(out - start));
	free(start);
	return r == 0 ? 0 : -1;
}

/* The length of the UTF-8 character at s (1 for a stray byte). */
static size_t
char_len(const char *s)
{
	size_t k = 1;

	while (s[k] != '\0' && ((unsigned char)s[k] & 0xc0) == 0x80)
		k++;
	return k;
}

/*
 * s as ISO-2022-JP encoded words (RFC 2047, 1468): each word holds whole
 * characters, begins and ends in ASCII, and is at most 75 characters
 * long (42 bytes of ISO-2022-JP).  -1 (b unchanged) when s does not
 * convert.
 */
#define JIS_WORD 42
static int
add_jis_words(struct buf *b, const char *s)
{
	struct buf w, all;
	size_t i = 0, n = strlen(s), k, fit;

	buf_init(&w);
	buf_init(&all);
	while (i < n) {
		/* The most whole characters that fit, at least one. */
		for (fit = 0, k = char_len(s + i); ; k += char_len(s + i + k)) {
			buf_reset(&w);
			if (add_jis(&w, s + i, k) != 0)
				goto fail;
			if (w.len > JIS_WORD && fit > 0)
				break;
			fit = k;
			if (i + k >= n)
				break;
		}
		buf_reset(&w);
		if (add_jis(&w, s + i, fit) != 0)
			goto fail;
		if (i > 0)
			buf_adds(&all, "\r\n ");
		buf_adds(&all, "=?ISO-2022-JP?B?");
		mailout_base64(&all, w.data, w.len);
		buf_adds(&all, "?=");
		i += fit;
	}
	buf_add(b, all.data, all.len);
	buf_free(&w);
	buf_free(&all);
	return 0;
fail:
	buf_free(&w);
	buf_free(&all);
	return -1;
}

/*
 * text (UTF-8, "\n" line ends) as a 7bit ISO-2022-JP body, each line
 * ending in ASCII and CRLF; -1 (b unchanged) when a line does not
 * convert or would be longer than SMTP allows.
 */
static int
add_jis_body(struct buf *b, const char *text)
{
	char *body = rstrip_lines(text), *s = body;
	struct buf out;
	size_t start;

	buf_init(&out);
	while (*s != '\0') {
		size_t n = strcspn(s, "\n");

		start = out.len;
		if (add_jis(&out, s, n) != 0 || out.len - start > 998) {
			buf_free(&out);
			free(body);
			return -1;
		}
		buf_adds(&out, "\r\n");
		s += n;
		if (*s == '\n')
			s++;
	}
	buf_add(b, out.data, out.len);
	buf_free(&out);
	free(body);
	return 0;
}

/* Unstructured text (Subject): plain if it is short ASCII, else encoded. */
static void
add_text_header(struct buf *b, const char *name, const char *value,
    int jis)
{
	char *v = header_clean(value);

	add_str3(b, name, ": ", "");
	if (is_ascii(v) && strlen(v) < 900)
		buf_adds(b, v);
	else if (!jis || add_jis_words(b, v) != 0)
		add_encoded_words(b, v);
	buf_adds(b, "\r\n");
	free(v);
}

/*
 * "<s>" and the line end: an address or URI never carries spaces or
 * angle brackets, so none can end the brackets early.  s is cleaned.
 */
static void
add_angle(struct buf *b, char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++)
		if (*p == ' ' || *p == '<' || *p == '>')
			*p = '_';
	add_str3(b, "<", s, ">\r\n");
}

static void
add_address_header(struct buf *b, const char *name, const char *display,
    const char *addr, int jis)
{
	char *d = header_clean(display), *a = header_clean(addr), *p;

	add_str3(b, name, ": ", "");
	if (*d != '\0') {
		if (!is_ascii(d)) {
			if (!jis || add_jis_words(b, d) != 0)
				add_encoded_words(b, d);
		}
		else {
			buf_addc(b, '"');
			for (p = d; *p != '\0'; p++) {
				if (*p == '"' || *p == '\\')
					buf_addc(b, '\\');
				buf_addc(b, *p);
			}
			buf_addc(b, '"');
		}
		buf_addc(b, ' ');
	}
	add_angle(b, a);
	free(d);
	free(a);
}

static void
add_id_list(struct buf *b, const char *name, const char *ids)
{
	char *c = header_clean(ids), *save = NULL, *tok;
	int first = 1;

	add_str3(b, name, ":", "");
	for (tok = strtok_r(c, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (strpbrk(tok, "<>") != NULL)
			continue;
		add_str3(b, first ? " <" : "\r\n <", tok, ">");
		first = 0;
	}
	buf_adds(b, "\r\n");
	free(c);
}

/*
 * In-Reply-To and References copy ids a sender wrote: only valid message
 * ids go in, at most the last max of them.
 */
static void
add_msgid_list(struct buf *b, const char *name, const char *ids, size_t max)
{
	char *valid = idlist_last_msgids(ids, max);

	if (*valid != '\0')
		add_id_list(b, name, valid);
	free(valid);
}

/*
 * Trailing blanks carry no meaning in mail, and libetpan 1.9.4's
 * quoted-printable writer doubles a line's trailing space ("x =20"), so
 * they are dropped before encoding.
 */
static char *
rstrip_lines(const char *s)
{
	char *out = xmalloc(strlen(s) + 1);	/* never longer than s */
	size_t o = 0;

	while (*s != '\0') {
		size_t n = strcspn(s, "\n"), k = n;

		while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
			k--;
		memcpy(out + o, s, k);
		o += k;
		s += n;
		if (*s == '\n') {
			out[o++] = '\n';
			s++;
		}
	}
	out[o] = '\0';
	return out;
}

/* 1: a byte that goes as itself; 2: a blank, which does unless it ends a line. */
#define QP_CLASS(c) ((((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && \
	(c) <= 'Z' && (c) != 'F') || ((c) >= '0' && (c) <= '9') || \
	((c) >= '%' && (c) <= '/') || ((c) >= ':' && (c) <= '<') || \
	(c) == '>') ? 1 : (c) == ' ' || (c) == '\t' ? 2 : 0)
#define QP_4(c) QP_CLASS(c), QP_CLASS((c) + 1), QP_CLASS((c) + 2), \
	QP_CLASS((c) + 3)
#define QP_16(c) QP_4(c), QP_4((c) + 4), QP_4((c) + 8), QP_4((c) + 12)
#define QP_64(c) QP_16(c), QP_16((c) + 16), QP_16((c) + 32), QP_16((c) + 48)
static const unsigned char qp_class[256] = {
	QP_64(0), QP_64(64), QP_64(128), QP_64(192)
};

/* Whether *s goes as itself: see mailout_qp. */
static inline int
qp_plain(const char *s)
{
	switch (qp_class[(unsigned char)*s]) {
	case 1:
		return 1;
	case 2:
		return s[1] != '\0' && s[1] != '\n' &&
		    !(s[1] == '\r' && s[2] == '\n');
	default:
		return 0;
	}
}

/*
 * Appends s as quoted-printable text (RFC 2045 6.7), line ends as CRLF.
 * Byte for byte what libetpan's writer made (tests/unit/test_mailout
 * compares them) but for its slips on a CR, in a tenth of the time: it
 * was 8% of ingest's CPU (issue 21).  As there, only letters but F
 * (From), digits, space, tab and %&'()*+,-./:;<> go as themselves (a
 * space or tab that ends a line does not), lines break at 73 (75 with
 * an =XX) with a soft break, which a line that long gets at its end too.
 */
void
mailout_qp(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char out[256];		/* written to b a chunk at a time */
	size_t col = 0, o = 0, n;
	unsigned char c;

	while (*s != '\0') {
		/* Room for the longest step: a soft break and a line's run. */
		if (o > sizeof(out) - 80) {
			buf_add(b, out, o);
			o = 0;
		}
		c = (unsigned char)*s;
		if (c == '\n' || (c == '\r' && s[1] == '\n')) {
			s += c == '\r' ? 2 : 1;
			if (col >= 73) {
				memcpy(out + o, "=\r\n", 3);
				o += 3;
			}
			out[o++] = '\r';
			out[o++] = '\n';
			col = 0;
			continue;
		}
		if (qp_plain(s)) {
			if (col + 1 > 73) {
				memcpy(out + o, "=\r\n", 3);
				o += 3;
				col = 0;
			}
			/* The run of such bytes that fits the line, in one go. */
			for (n = 1; col + n < 73 && (qp_class[(unsigned char)s[n]] ==
			    1 || qp_plain(s + n)); n++)
				;
			memcpy(out + o, s, n);
			o += n;
			col += n;
			s += n;
			continue;
		}
		if (col + 3 > 75) {
			memcpy(out + o, "=\r\n", 3);
			o += 3;
			col = 0;
		}
		out[o++] = '=';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
		col += 3;
		s++;
	}
	if (o > 0)
		buf_add(b, out, o);
}

/* Appends text as a quoted-printable body ending in CRLF. */
static void
add_qp_body(struct buf *b, const char *text)
{
	char *body = rstrip_lines(text);

	mailout_qp(b, body);
	free(body);
	if (b->len < 2 || memcmp(b->data + b->len - 2, "\r\n", 2) != 0)
		buf_adds(b, "\r\n");
}

static void
add_part_headers(struct buf *b, const char *type)
{
	add_str3(b, "Content-Type: ", type, "; charset=UTF-8\r\n");
	buf_adds(b, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
}

/* The text part: ISO-2022-JP when jis and it converts, else UTF-8. */
static void
add_text_part(struct buf *b, const char *text, int jis)
{
	struct buf t;

	buf_init(&t);
	if (jis && add_jis_body(&t, text) == 0) {
		buf_adds(b, "Content-Type: text/plain; charset=ISO-2022-JP\r\n"
		    "Content-Transfer-Encoding: 7bit\r\n\r\n");
		buf_add(b, t.data, t.len);
	} else {
		add_part_headers(b, "text/plain");
		add_qp_body(b, text);
	}
	buf_free(&t);
}

/*
 * Whether m goes as ISO-2022-JP: asked for, and its subject, From name
 * and text all convert (all or nothing: one mail, one charset).
 */
static int
jis_mail(const struct mailout *m)
{
	char *subj, *name;
	struct buf t;
	int ok;

	if (!m->iso2022jp)
		return 0;
	subj = header_clean(m->subject);
	name = header_clean(m->from_name);
	buf_init(&t);
	ok = add_jis(&t, subj, strlen(subj)) == 0 &&
	    add_jis(&t, name, strlen(name)) == 0 &&
	    add_jis_body(&t, m->body) == 0;
	buf_free(&t);
	free(subj);
	free(name);
	return ok;
}

/*
 * A boundary: base64 and quoted-printable lines never start with "--",
 * and no text can guess random hex, so it occurs in no part.
 */
static char *
part_boundary(void)
{
	char *bnd = mailout_message_id("part", "x");

	bnd[strcspn(bnd, "@")] = '\0';
	return bnd;
}

/* An invitation's method: CANCEL or REQUEST, nothing else. */
static const char *
mailout_calendar_method(const struct mailout *m)
{
	return m->calendar_method != NULL &&
	    strcmp(m->calendar_method, "CANCEL") == 0 ? "CANCEL" : "REQUEST";
}

/*
 * The text alone, or as multipart/alternative with its HTML or (an
 * invitation, as Gmail, Outlook and Apple Mail send one) its calendar
 * object, which a calendar client shows as its own card in place of the
 * text.  Method and object are ours, never a sender's; the method is
 * checked all the same, as it goes into a header.
 */
static void
add_body(struct buf *b, const struct mailout *m, int jis)
{
	char *bnd;

	if (m->html == NULL && m->calendar == NULL) {
		add_text_part(b, m->body, jis);
		return;
	}
	bnd = part_boundary();
	buf_addf(b, "Content-Type: multipart/alternative; "
	    "boundary=\"=_%s\"\r\n\r\n", bnd);
	buf_addf(b, "--=_%s\r\n", bnd);
	add_text_part(b, m->body, jis);
	/* The CRLF before a boundary belongs to the boundary. */
	buf_addf(b, "\r\n--=_%s\r\n", bnd);
	if (m->calendar != NULL) {
		buf_addf(b, "Content-Type: text/calendar; charset=UTF-8; "
		    "method=%s\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		    mailout_calendar_method(m));
		mailout_base64(b, m->calendar, strlen(m->calendar));
	} else {
		add_part_headers(b, "text/html");
		add_qp_body(b, m->html);
	}
	buf_addf(b, "\r\n--=_%s--\r\n", bnd);
	free(bnd);
}

/* A sender's "type/subtype" if it is plainly one, else a safe default. */
static const char *
file_type(const char *t)
{
	size_t n = t ? strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789"
	    "+-./") : 0;
	const char *slash = t ? strchr(t, '/') : NULL;

	if (t == NULL || n == 0 || t[n] != '\0' || slash == NULL ||
	    slash == t || slash[1] == '\0' || strchr(slash + 1, '/') != NULL)
		return "application/octet-stream";
	return t;
}

/*
 * A file part.  The name came from a sender: it goes out quoted only when
 * it is ASCII letters, digits and ".-_" alone, else as an RFC 2231 value
 * with every other byte percent-encoded, so it cannot end the header or
 * add a parameter; cut
 * to FILE_NAME_MAX bytes (at a character) so the line stays short.
 */
#define FILE_NAME_MAX 200

static int
plain_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

static void
add_file_part(struct buf *b, const struct mailout_file *f)
{
	char *name = header_clean(f->name && *f->name ? f->name : "file");
	size_t i, n = strlen(name);

	if (n > FILE_NAME_MAX) {
		n = FILE_NAME_MAX;
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	buf_addf(b, "Content-Type: %s\r\n", file_type(f->type));
	buf_adds(b, "Content-Transfer-Encoding: base64\r\n");
	buf_adds(b, "Content-Disposition: attachment;\r\n filename");
	/* A plain name as clients have always read it, else RFC 2231. */
	for (i = 0; i < n && plain_name_char(name[i]); i++)
		;
	if (i == n && n > 0)
		buf_addf(b, "=\"%.*s\"", (int)n, name);
	else {
		buf_adds(b, "*=UTF-8''");
		for (i = 0; i < n; i++) {
			if (plain_name_char(name[i]))
				buf_addc(b, name[i]);
			else
				buf_addf(b, "%%%02X", (unsigned char)name[i]);
		}
	}
	buf_adds(b, "\r\n\r\n");
	free(name);
	mailout_base64(b, f->data, f->len);
}

/* The header, up to MIME-Version (the content's first field). */
static void
add_header(struct buf *b, const struct mailout *m, int jis)
{
	char date[64];
	struct tm tm;

	clock_local(clock_now(), &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	add_str3(b, "Date: ", date, "\r\n");
	add_address_header(b, "From", m->from_name, m->from_addr, jis);
	add_address_header(b, "To", "", m->to_addr, 0);
	if (m->cc_addr != NULL)
		add_address_header(b, "Cc", "", m->cc_addr, 0);
	if (m->reply_to != NULL)
		add_address_header(b, "Reply-To", "", m->reply_to, 0);
	add_text_header(b, "Subject", m->subject, jis);
	add_id_list(b, "Message-ID", m->message_id);
	if (m->in_reply_to != NULL && *m->in_reply_to != '\0')
		add_msgid_list(b, "In-Reply-To", m->in_reply_to, 1);
	if (m->references != NULL && *m->references != '\0')
		add_msgid_list(b, "References", m->references,
		    IDLIST_REFERENCES_MAX);
	add_str3(b, "Auto-Submitted: ", m->auto_submitted ?
	    m->auto_submitted : "auto-generated", "\r\n");
	buf_adds(b, "X-Auto-Response-Suppress: All\r\n");
	buf_adds(b, MAILOUT_LOOP_HEADER ": 1\r\n");
	if (m->list_unsubscribe != NULL) {
		char *u = header_clean(m->list_unsubscribe);

		buf_adds(b, "List-Unsubscribe: ");
		add_angle(b, u);
		buf_adds(b, "List-Unsubscribe-Post: "
		    "List-Unsubscribe=One-Click\r\n");
		buf_adds(b, "Precedence: bulk\r\n");
		free(u);
	}
	if (m->list_id != NULL)
		add_id_list(b, "List-Id", m->list_id);
}

void
mailout_content(const struct mailout *m, struct mailout_content *c)
{
	struct buf b;
	int jis = jis_mail(m);
	size_t i, size = strlen(m->body) * 5 / 4 + 1024;

	/* Quoted-printable, base64: a third more, and lines; once. */
	for (i = 0; i < m->nfiles; i++)
		size += m->files[i].len * 14 / 10 + 512;
	buf_init(&b);
	buf_reserve(&b, size);
	buf_adds(&b, "MIME-Version: 1.0\r\n");
	if (m->nfiles == 0 && m->calendar == NULL)
		add_body(&b, m, jis);
	else {
		char *bnd = part_boundary();

		buf_addf(&b, "Content-Type: multipart/mixed; "
		    "boundary=\"=_%s\"\r\n\r\n", bnd);
		buf_addf(&b, "--=_%s\r\n", bnd);
		add_body(&b, m, jis);
		for (i = 0; i < m->nfiles; i++) {
			buf_addf(&b, "\r\n--=_%s\r\n", bnd);
			add_file_part(&b, &m->files[i]);
		}
		/* An invitation's object again, as a file to import. */
		if (m->calendar != NULL) {
			const struct mailout_file ics = { "invite.ics",
			    "application/ics", m->calendar,
			    strlen(m->calendar) };

			buf_addf(&b, "\r\n--=_%s\r\n", bnd);
			add_file_part(&b, &ics);
		}
		buf_addf(&b, "\r\n--=_%s--\r\n", bnd);
		free(bnd);
	}
	c->jis = jis;
	c->len = b.len;
	c->data = buf_steal(&b);
}

char *
mailout_join(const struct mailout *m, const struct mailout_content *c,
    size_t *len)
{
	struct buf b;

	buf_init(&b);
	buf_reserve(&b, c->len + 1024);
	add_header(&b, m, c->jis);
	buf_add(&b, c->data, c->len);
	*len = b.len;
	return buf_steal(&b);
}

void
mailout_content_free(struct mailout_content *c)
{
	free(c->data);
	c->data = NULL;
}

char *
mailout_compose(const struct mailout *m, size_t *len)
{
	struct mailout_content c;
	char *mail;

	mailout_content(m, &c);
	mail = mailout_join(m, &c, len);
	mailout_content_free(&c);
	return mail;
}

char *
mailout_message_id(const char *tag, const char *domain)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char r[10];
	char hex[sizeof(r) * 2 + 1];
	size_t i;

	if (gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof(r)) != 0)
		fatalx("gnutls_rnd failed");
	/* Not a snprintf per byte: they were most of its cost (issue 21). */
	for (i = 0; i < sizeof(r); i++) {
		hex[2 * i] = digits[r[i] >> 4];
		hex[2 * i + 1] = digits[r[i] & 15];
	}
	hex[sizeof(hex) - 1] = '\0';
	return xasprintf("%s.%s@%s", tag, hex, domain);
}
