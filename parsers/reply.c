/*
 * reply: cuts a reply down to the new text its writer typed.
 *
 * The approach is the usual one (GitHub's email_reply_parser, Mailgun's
 * talon), reimplemented for refbot's needs: split into lines, cut at
 * refbot's marker, then at the first splitter found top-down (quote,
 * attribution, original-message rule, header block, forward line, "-- "),
 * then drop a phone footer or sign-off block left at the end.  refbot only
 * wants the text above the first splitter: a bottom-post or inline answer
 * has no keyword on its first line, and acting on text below a quote is
 * how a quoted keyword would end up acting.
 *
 * Every pattern is matched against one line or a few joined lines under
 * a match context with limits, and lines longer than MAX_LINE are taken
 * for prose, so hostile input costs bounded time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "reply.h"
#include "util.h"

#define MATCH_LIMIT 100000
#define HEAP_LIMIT_KIB 4096
#define MAX_LINE 1000	/* bytes; no splitter or footer is this long */
#define ATTR_LINES 3	/* an attribution wraps over at most this many */
#define HDR_LINES 10	/* a From:/Sent:/To: block is at most this long */
#define SIG_LINES 12	/* and a sign-off block between rules */

enum {
	RE_RULE,	/* a line of ----, ====, ━━━━, ____ ... */
	RE_FOOTER,	/* a long underscore rule: Outlook or a list footer */
	RE_ORIGINAL,
	RE_FORWARD,
	RE_HDR_FROM,
	RE_HDR_DATE,
	RE_HDR_OTHER,
	RE_ON,
	RE_JADATE,
	RE_WROTE,
	RE_KAKI,
	RE_TIME,
	RE_DATE,
	RE_PHONE,
	RE_DASHNAME,
	RE_CONTACT,
	RE_MAX
};

static const char *const patterns[RE_MAX] = {
	[RE_RULE] = "^\\s*[-_=*~━─═－＝＿―ー]{4,}\\s*$",
	[RE_FOOTER] = "^\\s*_{10,}\\s*$",
	[RE_ORIGINAL] = "^\\s*-{2,}\\s*(?:Original Message|元のメッセージ|"
	    "オリジナル メッセージ)\\s*-{2,}\\s*$",
	[RE_FORWARD] = "^\\s*(?:-{2,}\\s*(?:Forwarded message|転送メッセージ|"
	    "転送されたメッセージ)\\s*-{2,}|(?:Begin forwarded message|"
	    "転送されたメッセージ|転送メッセージ)\\s*[:：])\\s*$",
	/* "*From:*" is what an HTML part's <b>From:</b> becomes. */
	[RE_HDR_FROM] = "^\\s*\\*?(?:From|差出人|送信者)\\s*\\*?\\s*[:：]",
	[RE_HDR_DATE] = "^\\s*\\*?(?:Sent|Date|送信日時|日付|日時)"
	    "\\s*\\*?\\s*[:：]",
	[RE_HDR_OTHER] = "^\\s*\\*?(?:To|Cc|Subject|Reply-To|宛先|件名)"
	    "\\s*\\*?\\s*[:：]",
	[RE_ON] = "^\\s*On\\s",
	[RE_JADATE] = "^\\s*\\d{4}\\s*(?:年\\s*\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日|"
	    "/\\d{1,2}/\\d{1,2})",
	[RE_WROTE] = "(?:wrote|writes|said|書きました|のメッセージ)\\s*[:：]$",
	[RE_KAKI] = "さんは書きました\\s*[:：]$",
	[RE_TIME] = "\\d{1,2}:\\d{2}",
	[RE_DATE] = "(?<!\\d)(?:19|20)\\d{2}(?!\\d)|"
	    "\\d{1,4}[/.\\-]\\d{1,2}[/.\\-]\\d{1,4}|\\d{1,2}:\\d{2}",
	/*
	 * The whole line must be the footer: "Sent from my desk, is much
	 * easier..." is a sentence.  An HTML part's link may follow, as
	 * <url>, [url] or, from our own HTML reader, (url).  Japanese
	 * footers may name the carrier ("docomoのiPhoneから送信", "au
	 * Android携帯からの送信") or the app ("Gmailモバイルから送信").
	 */
	[RE_PHONE] = "^\\s*(?:"
	    "Sent (?:from|via|with) my(?:\\s+[\\p{L}\\p{N}®™&'’.\\-]+){1,4}|"
	    "Sent from (?:Outlook|Mail|Yahoo Mail|Gmail|AOL|Proton ?Mail)"
	    "(?:\\s+(?:Mobile|app))?"
	    "(?:\\s+(?:for|on)\\s+[\\p{L}\\p{N} ]{1,30})?\\.?|"
	    "Sent from the Gmail app|"
	    "Get Outlook for (?:iOS|Android|Mac|Windows)|"
	    "(?:iOS|Android)\\s*版\\s*の?\\s*Outlook(?:\\s*を入手)?|"
	    "Outlook for (?:iOS|Android)\\s*を入手|"
	    "(?:(?:docomo|NTT\\s*docomo|ドコモ|au|KDDI|SoftBank|ソフトバンク|"
	    "Y!\\s*mobile|ワイモバイル|楽天モバイル|UQ\\s*mobile|povo|ahamo)"
	    "\\s*の?\\s*)?"
	    "(?:iPhone|iPad|Android(?:\\s*(?:携帯|端末|スマートフォン))?|Xperia|"
	    "Galaxy(?:\\s*スマートフォン)?|AQUOS|arrows|スマートフォン|スマホ|"
	    "携帯電話|携帯|モバイル|Gmail(?:\\s*モバイル|\\s*アプリ)?|"
	    "Yahoo!?\\s*メール|Outlook|メール)\\s*(?:から|より)の?送信"
	    "(?:しました|しています|されました)?[。.]?"
	    ")\\s*(?:<[^>\\s]*>|\\[[^\\]\\s]*\\]|"
	    "\\(\\s*https?://[^)\\s]*\\s*\\))?\\s*$",
	/* "-Abhishek Kona": a dash and one to three capitalised words. */
	[RE_DASHNAME] = "^-{1,2}\\s?(?-i:\\p{Lu}[\\p{L}\\p{M}'’.]*|"
	    "[\\p{Han}\\p{Hiragana}\\p{Katakana}]+)"
	    "(?:\\s+(?-i:\\p{Lu}[\\p{L}\\p{M}'’.]*|"
	    "[\\p{Han}\\p{Hiragana}\\p{Katakana}]+)){0,2}$",
	[RE_CONTACT] = "^\\s*(?:TEL|Phone|FAX|Mobile|E-?mail|Mail|URL|Web)\\b|"
	    "^\\s*(?:携帯|電話|メール|〒)|株式会社|有限会社|合同会社|"
	    "[（(]株[)）]|"
	    "\\b(?:Inc|Ltd|LLC|GmbH|K\\.K)\\b|^\\s*\\S+@\\S+\\s*$|"
	    "^\\s*(?:https?://|www\\.)\\S+\\s*$",
};

/* Compiled on first use and kept: constant patterns, one thread. */
static pcre2_code *compiled[RE_MAX];

struct scan {
	char *s;		/* the normalised text */
	size_t *off;		/* where each line starts */
	size_t *len;		/* its length, right-trimmed */
	size_t n;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	struct buf join;	/* a wrapped attribution, joined */
};

static void
compile_all(void)
{
	PCRE2_SIZE off;
	int i, err;

	if (compiled[0] != NULL)
		return;
	for (i = 0; i < RE_MAX; i++) {
		compiled[i] = pcre2_compile((PCRE2_SPTR)patterns[i],
		    PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP |
		    PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
		/* A constant pattern that does not compile is a bug. */
		if (compiled[i] == NULL)
			abort();
		(void)pcre2_jit_compile(compiled[i], PCRE2_JIT_COMPLETE);
	}
}

static int
rx(struct scan *sc, int re, const char *p, size_t n)
{
	return pcre2_match(compiled[re], (PCRE2_SPTR)p, n, 0, 0, sc->md,
	    sc->mc) > 0;
}

static const char *
line(const struct scan *sc, size_t i)
{
	return sc->s + sc->off[i];
}

/* Matches one line; over-long lines never match. */
static int
line_rx(struct scan *sc, int re, size_t i)
{
	if (sc->len[i] > MAX_LINE)
		return 0;
	return rx(sc, re, line(sc, i), sc->len[i]);
}

static int
blank(const struct scan *sc, size_t i)
{
	return sc->len[i] == 0;
}

/* Length of p[0..n) without trailing white space, NBSP, U+3000, ZWSP, BOM. */
static size_t
rtrim_len(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	while (n > 0) {
		if (u[n - 1] == ' ' || (u[n - 1] >= '\t' && u[n - 1] <= '\r'))
			n--;
		else if (n >= 2 && u[n - 2] == 0xc2 && u[n - 1] == 0xa0)
			n -= 2;
		else if (n >= 3 && (memcmp(u + n - 3, "\xe3\x80\x80", 3) == 0 ||
		    memcmp(u + n - 3, "\xe2\x80\x8b", 3) == 0 ||
		    memcmp(u + n - 3, "\xef\xbb\xbf", 3) == 0))
			n -= 3;
		else
			break;
	}
	return n;
}

/* ">", "> ", "  >" and the full-width "＞" start a quoted line. */
static int
quoted(const struct scan *sc, size_t i)
{
	const char *p = line(sc, i), *e = p + sc->len[i];

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return (p < e && *p == '>') ||
	    (e - p >= 3 && memcmp(p, "\xef\xbc\x9e", 3) == 0);
}

static int
ends_colon(const char *p, size_t n)
{
	return (n >= 1 && p[n - 1] == ':') ||
	    (n >= 3 && memcmp(p + n - 3, "\xef\xbc\x9a", 3) == 0);
}

/*
 * Whether p (k + 1 joined lines) is an attribution.  "On ... :" alone is
 * not enough: "On your remote host you can run:" starts a real reply.
 * Windows of more than one line must start like one, so a paragraph above
 * an attribution is never swallowed with it.
 */
static int
is_attr(struct scan *sc, const char *p, size_t n, size_t k)
{
	int wrote, at;

	if (!ends_colon(p, n))
		return 0;
	wrote = rx(sc, RE_WROTE, p, n);
	at = memchr(p, '@', n) != NULL;
	if (rx(sc, RE_ON, p, n))
		return wrote || (at && rx(sc, RE_DATE, p, n));
	if (rx(sc, RE_JADATE, p, n))
		return (wrote || at) && rx(sc, RE_TIME, p, n);
	if (k > 0)
		return 0;
	return rx(sc, RE_KAKI, p, n) || (wrote && (at || rx(sc, RE_TIME, p, n)));
}

/* How many lines the attribution starting at line i spans; 0 if none. */
static size_t
attr_at(struct scan *sc, size_t i)
{
	size_t k, j;

	buf_reset(&sc->join);
	for (k = 0; k < ATTR_LINES && i + k < sc->n; k++) {
		j = i + k;
		if (blank(sc, j) || quoted(sc, j) || sc->len[j] > MAX_LINE)
			break;
		if (k > 0)
			buf_addc(&sc->join, ' ');
		buf_add(&sc->join, line(sc, j), sc->len[j]);
		if (is_attr(sc, sc->join.data, sc->join.len, k))
			return k + 1;
		if (k == 0 && !rx(sc, RE_ON, line(sc, i), sc->len[i]) &&
		    !rx(sc, RE_JADATE, line(sc, i), sc->len[i]))
			break;
	}
	return 0;
}

/*
 * Whether line i, right above a quote or the marker, introduces it: any
 * line ending in ":" that names an address, a time or "wrote", which
 * also catches languages we do not list ("Am ... schrieb X <x@y>:").
 */
static int
weak_attr(struct scan *sc, size_t i)
{
	const char *p = line(sc, i);
	size_t n = sc->len[i];

	if (n == 0 || n > MAX_LINE || quoted(sc, i) || !ends_colon(p, n))
		return 0;
	return memchr(p, '@', n) != NULL || rx(sc, RE_TIME, p, n) ||
	    rx(sc, RE_WROTE, p, n);
}

/* Where the block at line i really starts: an attribution above it. */
static size_t
attr_above(struct scan *sc, size_t i)
{
	size_t j = i, s;

	while (j > 0 && blank(sc, j - 1))
		j--;
	if (j == 0)
		return i;
	j--;
	for (s = j >= ATTR_LINES - 1 ? j - (ATTR_LINES - 1) : 0; s <= j; s++)
		if (attr_at(sc, s) == j - s + 1)
			return s;
	if (!weak_attr(sc, j))
		return i;
	/* An address wrapped onto its own line: "...schrieb X" / "<x@y>:". */
	if (line(sc, j)[0] == '<' && j > 0 && !blank(sc, j - 1) &&
	    !quoted(sc, j - 1))
		return j - 1;
	return j;
}

/* From:, Sent: or Date:, and To: or Subject:, in one block from line i. */
static int
header_block(struct scan *sc, size_t i)
{
	size_t j, other = 0;
	int from = 0, date = 0, to = 0;

	for (j = i; j < sc->n && j < i + HDR_LINES && !blank(sc, j); j++) {
		if (line_rx(sc, RE_HDR_FROM, j))
			from = 1;
		else if (line_rx(sc, RE_HDR_DATE, j))
			date = 1;
		else if (line_rx(sc, RE_HDR_OTHER, j))
			to = 1;
		else if (j == i || ++other > 2)	/* a wrapped To: list */
			break;
	}
	return from && date && to;
}

static size_t
next_nonblank(const struct scan *sc, size_t i, size_t max)
{
	while (i < sc->n && blank(sc, i) && max-- > 0)
		i++;
	return i;
}

/* What ends the reply at line i, if anything; *start may move above i. */
static int
splitter(struct scan *sc, size_t i, size_t *start)
{
	size_t j;

	*start = i;
	if (blank(sc, i))
		return REPLY_CUT_NONE;
	if (quoted(sc, i)) {
		*start = attr_above(sc, i);
		return *start < i ? REPLY_CUT_ATTRIBUTION : REPLY_CUT_QUOTE;
	}
	/* "-- " alone; right-trimming made it "--".  Not inside a sentence. */
	if (sc->len[i] == 2 && memcmp(line(sc, i), "--", 2) == 0)
		return REPLY_CUT_SIGNATURE;
	if (attr_at(sc, i) > 0)
		return REPLY_CUT_ATTRIBUTION;
	if (line_rx(sc, RE_ORIGINAL, i))
		return REPLY_CUT_ORIGINAL_MESSAGE;
	if (line_rx(sc, RE_FORWARD, i))
		return REPLY_CUT_FORWARD;
	if (header_block(sc, i))
		return REPLY_CUT_HEADER_BLOCK;
	if (line_rx(sc, RE_FOOTER, i)) {
		j = next_nonblank(sc, i + 1, 3);
		if (j < sc->n && header_block(sc, j))
			return REPLY_CUT_HEADER_BLOCK;
		/* A mailing-list footer, or someone's signature rule. */
		return REPLY_CUT_SIGNATURE;
	}
	return REPLY_CUT_NONE;
}

/* The last non-blank line above cut, or cut if there is none. */
static size_t
last_line(const struct scan *sc, size_t cut)
{
	size_t i = cut;

	while (i > 0)
		if (!blank(sc, --i))
			return i;
	return cut;
}

/*
 * A sign-off block ending at line last: below a rule line (and above
 * another, if last is one), with a company, phone or address line in it.
 * Returns its first line, or last + 1 if there is none.  Without such a
 * line a rule is kept: "WON 12000 / ---- / Scope: phase 1" is text to
 * relay.
 */
static size_t
signoff_at(struct scan *sc, size_t last)
{
	size_t r, j, end = last, lo = last > SIG_LINES ? last - SIG_LINES : 0;

	if (line_rx(sc, RE_RULE, last)) {
		if (last == 0)
			return last + 1;
		end = last - 1;
	}
	for (r = end; r-- > lo;) {
		if (!line_rx(sc, RE_RULE, r))
			continue;
		for (j = r + 1; j <= end; j++)
			if (line_rx(sc, RE_CONTACT, j))
				return r;
		break;
	}
	return last + 1;
}

/* Drops footers and sign-offs from the end of the text above cut. */
static size_t
trim_end(struct scan *sc, size_t cut, int *why)
{
	size_t last, r;
	int round;

	for (round = 0; round < 8; round++) {
		last = last_line(sc, cut);
		if (last == cut)
			break;
		if (line_rx(sc, RE_PHONE, last) || (line_rx(sc, RE_DASHNAME,
		    last) && last > 0 && blank(sc, last - 1))) {
			cut = last;
			*why = REPLY_CUT_SIGNATURE;
		} else if ((r = signoff_at(sc, last)) <= last) {
			cut = r;
			*why = REPLY_CUT_SIGNATURE;
		} else if (*why != REPLY_CUT_NONE &&
		    line_rx(sc, RE_RULE, last)) {
			/* The rule above an Outlook header block. */
			cut = last;
		} else
			break;
	}
	return cut;
}

/* Sanitises, turns CRLF and lone CR into LF, and splits into lines. */
static void
scan_init(struct scan *sc, const char *text)
{
	char *p, *q, *nl;
	size_t cap = 16;

	sc->s = utf8_sanitize(text, strlen(text));
	for (p = q = sc->s; *p != '\0'; p++) {
		if (*p != '\r')
			*q++ = *p;
		else {
			*q++ = '\n';
			if (p[1] == '\n')
				p++;
		}
	}
	*q = '\0';

	sc->n = 0;
	sc->off = xreallocarray(NULL, cap, sizeof(*sc->off));
	sc->len = xreallocarray(NULL, cap, sizeof(*sc->len));
	for (p = sc->s; *p != '\0'; p = nl + 1) {
		if (sc->n == cap) {
			cap *= 2;
			sc->off = xreallocarray(sc->off, cap, sizeof(*sc->off));
			sc->len = xreallocarray(sc->len, cap, sizeof(*sc->len));
		}
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		sc->off[sc->n] = p - sc->s;
		sc->len[sc->n] = rtrim_len(p, nl - p);
		sc->n++;
		if (*nl == '\0')
			break;
	}

	compile_all();
	sc->md = pcre2_match_data_create(1, NULL);
	sc->mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(sc->mc, MATCH_LIMIT);
	pcre2_set_heap_limit(sc->mc, HEAP_LIMIT_KIB);
	buf_init(&sc->join);
}

static void
scan_free(struct scan *sc)
{
	pcre2_match_context_free(sc->mc);
	pcre2_match_data_free(sc->md);
	buf_free(&sc->join);
	free(sc->off);
	free(sc->len);
	free(sc->s);
}

/*
 * The first line containing the marker, or sc->n.  The rule characters
 * around the marker's words are left out: a client that wraps the quoted
 * marker moves them to a line of their own.
 */
static size_t
find_marker(const struct scan *sc, const char *marker)
{
	size_t i, k, m;

	while (*marker != '\0' && strchr("-=_* \t", *marker) != NULL)
		marker++;
	m = strlen(marker);
	while (m > 0 && strchr("-=_* \t", marker[m - 1]) != NULL)
		m--;
	if (m == 0)
		return sc->n;

	for (i = 0; i < sc->n; i++)
		for (k = 0; k + m <= sc->len[i]; k++)
			if (memcmp(line(sc, i) + k, marker, m) == 0)
				return i;
	return sc->n;
}

void
reply_extract(const char *text, const char *marker, struct reply_text *out)
{
	struct scan sc;
	struct buf vis;
	size_t cut, i, start, first, last;
	int why = REPLY_CUT_NONE, r;

	scan_init(&sc, text);
	cut = sc.n;
	if (marker != NULL) {
		if ((i = find_marker(&sc, marker)) < sc.n) {
			cut = attr_above(&sc, i);
			why = REPLY_CUT_MARKER;
		}
	}
	for (i = 0; i < cut; i++) {
		if ((r = splitter(&sc, i, &start)) != REPLY_CUT_NONE) {
			cut = start;
			why = r;
			break;
		}
	}
	cut = trim_end(&sc, cut, &why);

	buf_init(&vis);
	last = last_line(&sc, cut);
	for (first = 0; first < cut && blank(&sc, first); first++)
		;
	for (i = first; last < cut && i <= last; i++) {
		if (i > first)
			buf_addc(&vis, '\n');
		buf_add(&vis, line(&sc, i), sc.len[i]);
	}
	out->visible = buf_steal(&vis);
	out->quoted = xstrdup(cut < sc.n ? line(&sc, cut) : "");
	out->cut_reason = why;
	scan_free(&sc);
}

/*
 * A forwarded or original message's first line: the rules splitter()
 * knows (a forward or original-message line, a header block, an Outlook
 * rule above one), on a line that is not quoted.
 */
static int
forward_at(struct scan *sc, size_t i)
{
	size_t j;

	if (blank(sc, i) || quoted(sc, i))
		return 0;
	if (line_rx(sc, RE_ORIGINAL, i) || line_rx(sc, RE_FORWARD, i) ||
	    header_block(sc, i))
		return 1;
	j = next_nonblank(sc, i + 1, 3);
	return line_rx(sc, RE_FOOTER, i) && j < sc->n && header_block(sc, j);
}

char *
reply_forwarded(const char *text)
{
	struct scan sc;
	char *r = NULL;
	size_t i;

	scan_init(&sc, text);
	for (i = 0; i < sc.n; i++)
		if (forward_at(&sc, i)) {
			r = xstrdup(line(&sc, i));
			break;
		}
	scan_free(&sc);
	return r;
}

void
reply_text_free(struct reply_text *r)
{
	if (r == NULL)
		return;
	free(r->visible);
	free(r->quoted);
	r->visible = r->quoted = NULL;
}

const char *
reply_cut_name(int cut_reason)
{
	static const char *const names[] = {
		"NONE", "MARKER", "ATTRIBUTION", "QUOTE", "ORIGINAL_MESSAGE",
		"HEADER_BLOCK", "SIGNATURE", "FORWARD",
	};

	if (cut_reason < 0 || (size_t)cut_reason >= nitems(names))
		return "?";
	return names[cut_reason];
}
