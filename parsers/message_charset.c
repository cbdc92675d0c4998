/*
 * message_charset: what message.c reads text with: charset conversion to
 * UTF-8 (iconv, with the aliases, sniffing and ISO-2022-JP repairs that
 * Japanese mail needs) and RFC 2047 encoded-word decoding of headers.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "message.h"
#include "message_int.h"
#include "util.h"

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

void
charset_conv_init(void)
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
 * 8-bit text is CP932 or EUC-JP, whichever decodes cleanly.  The rest is
 * read as UTF-8, its invalid bytes becoming U+FFFD: read as Windows
 * Western, a stray 0xFF turned into a "ÿ" that partners saw quoted back
 * in our own subjects (issue 17).
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
	return "UTF-8";
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

	charset_conv_init();

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
