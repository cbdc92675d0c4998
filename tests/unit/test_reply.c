/*
 * Reply stripping, table-driven over two fixture sets:
 * tests/data/email_reply_parser (bodies from GitHub's email_reply_parser
 * with what its tests assert, in fixtures.json) and tests/data/replies
 * (refbot's own: NAME.txt and the visible text in NAME.expected).  Then
 * a property: mutated and random input never crashes and always comes
 * back as valid UTF-8.  And whole replies (tests/data/replies-eml) read
 * as intake reads them: MIME, then the reply.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "message.h"
#include "reply.h"
#include "util.h"

#define UPSTREAM "tests/data/email_reply_parser"
#define OWN "tests/data/replies"
#define MARKER REPLY_MARKER

/*
 * Upstream fixtures where refbot's rule differs from upstream's visible
 * text, or upstream gives none (fixtures.json "visible_text": null).
 */
static const struct {
	const char *file;
	const char *visible;
} upstream_refbot[] = {
	/*
	 * A bottom post: "Hi,", the attribution and quoted question, then
	 * the answer.  Upstream shows the answer too, as it sits below the
	 * quote.  refbot reads only the text above the first quote block:
	 * the keyword must be on the first unquoted line, and reading below
	 * a quote is how a quoted keyword would end up acting.
	 */
	{ "email_1_2.txt", "Hi," },
	/*
	 * Upstream does not say.  refbot keeps "Sent from a magnificent
	 * torch of pixels": only "Sent from my <device>" and the known
	 * footers are dropped, and an unknown line is more likely to be
	 * something the person meant to say than a footer.  Relaying a
	 * custom footer costs less than losing a sentence.
	 */
	{ "email_1_6.txt", "I get proper rendering as well.\n\n"
	    "Sent from a magnificent torch of pixels" },
};

/*
 * refbot's own cases, with the cut they must report when read with
 * refbot's marker and without it.  Most must give the same text either
 * way (a reply's quote may have lost the marker); -1 means the marker is
 * what makes the difference.
 */
static const struct {
	const char *name;
	int why;
	int why_without_marker;
} own[] = {
	{ "ja-outlook", REPLY_CUT_HEADER_BLOCK, REPLY_CUT_HEADER_BLOCK },
	{ "ja-outlook-original", REPLY_CUT_ORIGINAL_MESSAGE,
	    REPLY_CUT_ORIGINAL_MESSAGE },
	/* The attribution right above the marker goes with the marker. */
	{ "ja-gmail", REPLY_CUT_MARKER, REPLY_CUT_ATTRIBUTION },
	{ "ja-gmail-wrapped", REPLY_CUT_MARKER, REPLY_CUT_ATTRIBUTION },
	{ "ja-thunderbird", REPLY_CUT_MARKER, REPLY_CUT_ATTRIBUTION },
	{ "thunderbird", REPLY_CUT_MARKER, REPLY_CUT_ATTRIBUTION },
	{ "apple-mail", REPLY_CUT_MARKER, REPLY_CUT_ATTRIBUTION },
	{ "apple-iphone", REPLY_CUT_SIGNATURE, REPLY_CUT_SIGNATURE },
	{ "outlook-mobile", REPLY_CUT_SIGNATURE, REPLY_CUT_SIGNATURE },
	{ "keyword-only-in-quote", REPLY_CUT_ATTRIBUTION,
	    REPLY_CUT_ATTRIBUTION },
	{ "keyword-with-relay", REPLY_CUT_MARKER, REPLY_CUT_ATTRIBUTION },
	{ "iphone-ja", REPLY_CUT_SIGNATURE, REPLY_CUT_SIGNATURE },
	/* Text below refbot's marker is never read, quoted or not. */
	{ "below-marker", REPLY_CUT_MARKER, REPLY_CUT_QUOTE },
	{ "marker-unquoted", REPLY_CUT_MARKER, -1 },
	{ "fullwidth-quote", REPLY_CUT_MARKER, REPLY_CUT_QUOTE },
	{ "forwarded", REPLY_CUT_FORWARD, REPLY_CUT_FORWARD },
	{ "ja-signature-box", REPLY_CUT_SIGNATURE, REPLY_CUT_SIGNATURE },
	{ "ja-signature-open", REPLY_CUT_SIGNATURE, REPLY_CUT_SIGNATURE },
	{ "rule-in-relay", REPLY_CUT_MARKER, REPLY_CUT_ATTRIBUTION },
	{ "crlf-original", REPLY_CUT_ORIGINAL_MESSAGE,
	    REPLY_CUT_ORIGINAL_MESSAGE },
	{ "html-derived", REPLY_CUT_HEADER_BLOCK, REPLY_CUT_HEADER_BLOCK },
	{ "on-in-relay", REPLY_CUT_MARKER, REPLY_CUT_ATTRIBUTION },
	{ "partner-correction", REPLY_CUT_HEADER_BLOCK,
	    REPLY_CUT_HEADER_BLOCK },
	{ "empty", REPLY_CUT_NONE, REPLY_CUT_NONE },
	{ "blank-then-sig", REPLY_CUT_SIGNATURE, REPLY_CUT_SIGNATURE },
	/* Issue 17: phone and app footers are never relayed to partners. */
	{ "outlook-ios-html", REPLY_CUT_SIGNATURE, REPLY_CUT_SIGNATURE },
	{ "ja-android-carrier", REPLY_CUT_SIGNATURE, REPLY_CUT_SIGNATURE },
};

/* The words of the marker: what must never be visible. */
#define MARKER_WORDS \
	"Please reply above this line / この行より上にご返信ください"

static void
add_utf8(struct buf *b, unsigned long c)
{
	if (c < 0x80)
		buf_addc(b, (char)c);
	else if (c < 0x800) {
		buf_addc(b, (char)(0xc0 | c >> 6));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addc(b, (char)(0xe0 | c >> 12));
		buf_addc(b, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | c >> 18));
		buf_addc(b, (char)(0x80 | (c >> 12 & 0x3f)));
		buf_addc(b, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	}
}

/*
 * Reads the JSON string or null at *p (after white space); enough JSON
 * for fixtures.json.  Returns NULL for null or anything else.
 */
static char *
json_string(const char **p)
{
	const char *s = *p;
	struct buf b;
	unsigned long c, lo;

	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	if (*s != '"')
		return NULL;
	buf_init(&b);
	for (s++; *s != '\0' && *s != '"'; s++) {
		if (*s != '\\') {
			buf_addc(&b, *s);
			continue;
		}
		switch (*++s) {
		case 'n':
			buf_addc(&b, '\n');
			break;
		case 't':
			buf_addc(&b, '\t');
			break;
		case 'r':
			buf_addc(&b, '\r');
			break;
		case 'u':
			c = strtoul((char[5]){ s[1], s[2], s[3], s[4], 0 },
			    NULL, 16);
			s += 4;
			if (c >= 0xd800 && c < 0xdc00 && s[1] == '\\' &&
			    s[2] == 'u') {
				lo = strtoul((char[5]){ s[3], s[4], s[5], s[6],
				    0 }, NULL, 16);
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				s += 6;
			}
			add_utf8(&b, c);
			break;
		case '\0':
			s--;
			break;
		default:	/* \" \\ \/ */
			buf_addc(&b, *s);
			break;
		}
	}
	*p = *s == '"' ? s + 1 : s;
	return buf_steal(&b);
}

/* Upstream's fixtures, read from fixtures.json. */
static struct upstream {
	char *file;
	char *visible;		/* NULL: upstream gives none */
} upstream[32];
static size_t nupstream;
static const struct upstream *cur_up;

static void
load_upstream(void)
{
	char *json = check_slurp(UPSTREAM "/fixtures.json", NULL);
	const char *p, *next;

	if (json == NULL)
		return;
	for (p = strstr(json, "\"file\":"); p != NULL &&
	    nupstream < nitems(upstream); p = next) {
		p += strlen("\"file\":");
		upstream[nupstream].file = json_string(&p);
		next = strstr(p, "\"file\":");
		p = strstr(p, "\"visible_text\":");
		if (p != NULL && (next == NULL || p < next)) {
			p += strlen("\"visible_text\":");
			upstream[nupstream].visible = json_string(&p);
		}
		nupstream++;
	}
	free(json);
}

static void
test_upstream_table(void)
{
	/* The 15 files of the README table, all with a name. */
	EXPECT(nupstream == 15);
	for (size_t i = 0; i < nupstream; i++)
		EXPECT(upstream[i].file != NULL);
}

static void
test_upstream(void)
{
	struct reply_text r;
	const char *want = cur_up->visible;
	char *path, *text;
	size_t i;

	EXPECT(cur_up->file != NULL);
	if (cur_up->file == NULL)
		return;
	path = xasprintf(UPSTREAM "/%s", cur_up->file);
	text = check_slurp(path, NULL);
	free(path);
	EXPECT(text != NULL);
	if (text == NULL)
		return;
	for (i = 0; i < nitems(upstream_refbot); i++)
		if (strcmp(upstream_refbot[i].file, cur_up->file) == 0)
			want = upstream_refbot[i].visible;
	EXPECT(want != NULL);
	reply_extract(text, NULL, &r);
	EXPECT_STR(r.visible, want);
	reply_text_free(&r);
	free(text);
}

static size_t cur_own;

static void
test_own(void)
{
	struct reply_text r;
	char *path, *text, *want;
	size_t n;

	path = xasprintf(OWN "/%s.txt", own[cur_own].name);
	text = check_slurp(path, NULL);
	free(path);
	path = xasprintf(OWN "/%s.expected", own[cur_own].name);
	want = check_slurp(path, NULL);
	free(path);
	EXPECT(text != NULL && want != NULL);
	if (text != NULL && want != NULL) {
		/* The .expected file ends in one newline unless it is empty. */
		if ((n = strlen(want)) > 0 && want[n - 1] == '\n')
			want[n - 1] = '\0';
		reply_extract(text, MARKER, &r);
		EXPECT_STR(r.visible, want);
		EXPECT_STR(reply_cut_name(r.cut_reason),
		    reply_cut_name(own[cur_own].why));
		EXPECT(strstr(r.visible, MARKER_WORDS) == NULL);
		reply_text_free(&r);
		if (own[cur_own].why_without_marker >= 0) {
			reply_extract(text, NULL, &r);
			EXPECT_STR(r.visible, want);
			EXPECT_STR(reply_cut_name(r.cut_reason), reply_cut_name(
			    own[cur_own].why_without_marker));
			reply_text_free(&r);
		}
	}
	free(text);
	free(want);
}

/* Runs one reply and checks visible and the reason. */
static void
expect_reply(const char *text, const char *marker, const char *visible,
    int why)
{
	struct reply_text r;

	reply_extract(text, marker, &r);
	EXPECT_STR(r.visible, visible);
	EXPECT_STR(reply_cut_name(r.cut_reason), reply_cut_name(why));
	reply_text_free(&r);
}

static void
test_quoted_keeps_the_rest(void)
{
	struct reply_text r;

	reply_extract("WON 5\r\n\r\n> was: LOST\r\n> x\r\n", NULL, &r);
	EXPECT_STR(r.visible, "WON 5");
	EXPECT_STR(r.quoted, "> was: LOST\n> x\n");
	reply_text_free(&r);
	reply_extract("CONTACTED\n", NULL, &r);
	EXPECT_STR(r.quoted, "");
	EXPECT(r.cut_reason == REPLY_CUT_NONE);
	reply_text_free(&r);
	reply_text_free(NULL);
}

static void
test_marker(void)
{
	/* No marker, or an empty one, cuts nothing. */
	expect_reply("NOTE a\n" MARKER "\nWON 1\n", NULL,
	    "NOTE a\n" MARKER "\nWON 1", REPLY_CUT_NONE);
	expect_reply("NOTE a\n" MARKER "\nWON 1\n", "", "NOTE a\n" MARKER
	    "\nWON 1", REPLY_CUT_NONE);
	expect_reply("NOTE a\n" MARKER "\nWON 1\n", "  ----  ",
	    "NOTE a\n" MARKER "\nWON 1", REPLY_CUT_NONE);
	/* A quoted marker whose rule a client wrapped onto the next line. */
	expect_reply("NOTE b\n\n> ----- Please reply above this line / "
	    "この行より上にご返信ください\n> -----\n", MARKER, "NOTE b",
	    REPLY_CUT_MARKER);
	/* The marker wins even where it sits below other text we cut. */
	expect_reply("CONTACTED\nSent from my iPhone\n" MARKER "\n", MARKER,
	    "CONTACTED", REPLY_CUT_SIGNATURE);
}

static void
test_footers_only_at_the_end(void)
{
	/* A footer line with text after it is text. */
	expect_reply("WON 5\nSent from my iPhone\nScope: phase 1\n", NULL,
	    "WON 5\nSent from my iPhone\nScope: phase 1", REPLY_CUT_NONE);
	expect_reply("WON 5\n\nSent from my iPhone", NULL, "WON 5",
	    REPLY_CUT_SIGNATURE);
	expect_reply("WON 5\n\nSent from my Samsung Galaxy smartphone.\n",
	    NULL, "WON 5", REPLY_CUT_SIGNATURE);
	expect_reply("WON 5\n\nAndroid版Outlook を入手\n", NULL, "WON 5",
	    REPLY_CUT_SIGNATURE);
	/* Issue 17: the apps' and Japanese carriers' footers. */
	{
		static const char *const footers[] = {
			"Get Outlook for Android (https://aka.ms/ghei36)",
			"Get Outlook for iOS<https://aka.ms/o0ukef>",
			"iOS 版の Outlook を入手",
			"Sent from my iPad", "Sent from my Android phone",
			"Sent from Gmail Mobile", "Sent from the Gmail app",
			"Sent from Yahoo Mail for iPhone",
			"iPhoneから送信", "iPadから送信", "Android携帯からの送信",
			"au Android携帯からの送信", "docomoのiPhoneから送信",
			"ドコモのスマートフォンから送信",
			"SoftBankのiPhoneから送信",
			"ソフトバンクのスマートフォンから送信",
			"Galaxy スマートフォンから送信されました",
			"Gmailモバイルから送信", "Yahoo!メールから送信",
		};
		size_t i;

		for (i = 0; i < nitems(footers); i++) {
			char *in = xasprintf("WON 5\n\n%s\n", footers[i]);

			expect_reply(in, NULL, "WON 5", REPLY_CUT_SIGNATURE);
			free(in);
		}
	}
	/* Said in a sentence, it is text. */
	expect_reply("WON 5\nau Android携帯からの送信が遅れました\n", NULL,
	    "WON 5\nau Android携帯からの送信が遅れました", REPLY_CUT_NONE);
	/* "- Phase one" is a bullet, "-Rick" a sign-off. */
	expect_reply("WON 5\n\n- Phase one\n", NULL, "WON 5\n\n- Phase one",
	    REPLY_CUT_NONE);
	expect_reply("WON 5\n\n-Rick\n", NULL, "WON 5", REPLY_CUT_SIGNATURE);
	/* A rule with no contact lines below it is relay text. */
	expect_reply("WON 5\n\n====\nScope: phase 1\n", NULL,
	    "WON 5\n\n====\nScope: phase 1", REPLY_CUT_NONE);
	expect_reply("WON 5\n====\nScope: phase 1\n====\n", NULL,
	    "WON 5\n====\nScope: phase 1\n====", REPLY_CUT_NONE);
	expect_reply("WON 5\n\n====\nIchiro Suzuki\nFirm Partners Ltd.\n"
	    "====\n", NULL, "WON 5", REPLY_CUT_SIGNATURE);
}

static void
test_attribution_shapes(void)
{
	expect_reply("WON 5\nOn Tue, Sep 25, 2012 at 8:59 AM, Chris\n"
	    "<c@example.com>wrote:\n\n> x\n", NULL, "WON 5",
	    REPLY_CUT_ATTRIBUTION);
	/* Not an attribution: no date, no address, no "wrote". */
	expect_reply("On your remote host you can run:\n\n  telnet\n", NULL,
	    "On your remote host you can run:\n\n  telnet", REPLY_CUT_NONE);
	/* A language we do not list, right above its quote. */
	expect_reply("LOST price\n\nLe 27 nov. 2026 à 10:00, Refbot "
	    "<r@firm.example> a écrit :\n> x\n", NULL, "LOST price",
	    REPLY_CUT_ATTRIBUTION);
	/* A line ending in ":" above a quote, with nothing to show for it. */
	expect_reply("NOTE see:\n> x\n", NULL, "NOTE see:", REPLY_CUT_QUOTE);
	/* Three header lines, not a From:/Sent:/To: block. */
	expect_reply("From: Osaka\nTo: Tokyo\nSubject: budget\n", NULL,
	    "From: Osaka\nTo: Tokyo\nSubject: budget", REPLY_CUT_NONE);
}

static void
test_long_lines(void)
{
	struct buf b;
	struct reply_text r;
	size_t i;

	/* A megabyte-long line shaped like an attribution is prose. */
	buf_init(&b);
	buf_adds(&b, "WON 5\nOn 2026-11-27 10:00 ");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "x@y.z on ");
	buf_adds(&b, "wrote:\nmore\n");
	for (i = 0; i < 20000; i++)
		buf_adds(&b, ">\n");
	reply_extract(b.data, MARKER, &r);
	EXPECT(strncmp(r.visible, "WON 5\nOn 2026", 13) == 0);
	EXPECT(strcmp(r.visible + strlen(r.visible) - 5, "\nmore") == 0);
	EXPECT(r.cut_reason == REPLY_CUT_QUOTE);
	reply_text_free(&r);
	buf_free(&b);
}

/* xorshift64*: the same inputs on every run. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 32) % (n ? n : 1);
}

static const char *const tokens[] = {
	"> ", ">", "＞", "\n", "\r\n", "\r", "On ", " wrote:", "<a@b.example>",
	":", "：", "-- \n", "--\n", "From: a <a@b>\n", "Sent: 2026\n",
	"Date: 10:00\n", "To: x\n", "Subject: y\n", "差出人: x\n",
	"送信日時: 2026年11月27日\n", "件名: z\n", "2026年11月27日(金) 10:00 ",
	"2026/11/27 10:00、", "のメッセージ:", "さんは書きました:", "━━━━\n",
	"－－－－\n", "____________\n", "-----Original Message-----\n",
	"---------- Forwarded message ---------\n", "Sent from my iPhone",
	"iPhoneから送信", "Get Outlook for iOS", "-Rick", "株式会社", "TEL:",
	MARKER, ("> " MARKER), "\xff", "\xc3", "\xe3\x81", "\xed\xa0\x80",
	"\xf4\x90\x80\x80", "\xc2\xa0", "\xe3\x80\x80", " ", "\t", "WON 1",
};

/* One input: a mutated fixture, random bytes, or a run of tokens. */
static char *
fuzz_input(char **seeds, size_t nseeds)
{
	struct buf b;
	const char *t;
	size_t len, at, k, ops;

	buf_init(&b);
	switch (rnd(4)) {
	case 0:
		for (len = rnd(3000); len > 0; len--)
			buf_addc(&b, (char)(1 + rnd(255)));
		break;
	case 1:
		for (k = rnd(200); k > 0; k--)
			buf_adds(&b, tokens[rnd(nitems(tokens))]);
		break;
	default:
		buf_adds(&b, seeds[rnd(nseeds)]);
		for (ops = 1 + rnd(8); ops > 0; ops--) {
			at = rnd(b.len + 1);
			switch (rnd(3)) {
			case 0:	/* overwrite a byte, never with NUL */
				if (at < b.len)
					b.data[at] = (char)(1 + rnd(255));
				break;
			case 1:	/* cut a piece out */
				k = rnd(64);
				if (k > b.len - at)
					k = b.len - at;
				memmove(b.data + at, b.data + at + k,
				    b.len - at - k + 1);
				b.len -= k;
				break;
			default: /* insert a token */
				t = tokens[rnd(nitems(tokens))];
				k = strlen(t);
				buf_add(&b, t, k);	/* make room */
				memmove(b.data + at + k, b.data + at,
				    b.len - k - at);
				memcpy(b.data + at, t, k);
				break;
			}
		}
		break;
	}
	return buf_steal(&b);
}

static void
test_fuzz(void)
{
	char *seeds[64], *in, *line, *nl;
	struct reply_text r;
	size_t nseeds = 0, i, n;
	int bad = 0;

	for (i = 0; i < nupstream && nseeds < nitems(seeds); i++) {
		in = xasprintf(UPSTREAM "/%s", upstream[i].file);
		if ((seeds[nseeds] = check_slurp(in, NULL)) != NULL)
			nseeds++;
		free(in);
	}
	for (i = 0; i < nitems(own) && nseeds < nitems(seeds); i++) {
		in = xasprintf(OWN "/%s.txt", own[i].name);
		if ((seeds[nseeds] = check_slurp(in, NULL)) != NULL)
			nseeds++;
		free(in);
	}
	EXPECT(nseeds > 0);
	if (nseeds == 0)
		return;
	for (i = 0; i < 1000 && !bad; i++) {
		in = fuzz_input(seeds, nseeds);
		reply_extract(in, i % 2 ? MARKER : NULL, &r);
		n = strlen(r.visible);
		bad |= !utf8_valid(r.visible, n);
		bad |= !utf8_valid(r.quoted, strlen(r.quoted));
		bad |= strchr(r.visible, '\r') != NULL;
		bad |= n > 0 && (r.visible[0] == '\n' ||
		    r.visible[n - 1] == '\n');
		bad |= r.cut_reason < REPLY_CUT_NONE ||
		    r.cut_reason > REPLY_CUT_FORWARD;
		/* Nothing at or below the marker is ever visible. */
		bad |= i % 2 && strstr(r.visible, MARKER_WORDS) != NULL;
		for (line = r.visible; !bad && *line != '\0'; line = nl + 1) {
			if ((nl = strchr(line, '\n')) == NULL)
				nl = line + strlen(line);
			bad |= nl > line && (nl[-1] == ' ' || nl[-1] == '\t');
			if (*nl == '\0')
				break;
		}
		if (bad)
			printf("#   input %zu: \"%s\" -> \"%s\"\n", i, in,
			    r.visible);
		reply_text_free(&r);
		free(in);
	}
	EXPECT(!bad);
	while (nseeds > 0)
		free(seeds[--nseeds]);
}

/*
 * Issue 17: what a staff member's phone or app adds is never relayed to
 * partners, from Outlook for iOS's HTML-only mail (its link read as
 * "(url)") to a Japanese carrier's ISO-2022-JP one.
 */
static void
test_eml_footers(void)
{
	static const struct {
		const char *file, *visible;
	} cases[] = {
		{ "outlook-ios-html.eml",
		    "CONTACTED\nWe called Jane today; she is keen." },
		{ "ja-carrier.eml", "提案 1,200,000円\n見積書を送りました。" },
	};
	struct message msg;
	struct reply_text r;
	char *raw, *path, *err = NULL;
	size_t i, len;

	for (i = 0; i < nitems(cases); i++) {
		path = xasprintf("tests/data/replies-eml/%s", cases[i].file);
		raw = check_slurp(path, &len);
		free(path);
		EXPECT(raw != NULL);
		if (raw == NULL)
			continue;
		EXPECT(message_parse(raw, len, 0, &msg, &err) == MESSAGE_OK);
		free(err);
		err = NULL;
		reply_extract(msg.text, MARKER, &r);
		EXPECT_STR(r.visible, cases[i].visible);
		reply_text_free(&r);
		message_free(&msg);
		free(raw);
	}
}

int
main(void)
{
	char *name;
	size_t i;

	load_upstream();
	RUN(test_upstream_table);
	for (i = 0; i < nupstream; i++) {
		cur_up = &upstream[i];
		name = xasprintf("email_reply_parser/%s",
		    upstream[i].file ? upstream[i].file : "?");
		check_run(name, test_upstream);
		free(name);
	}
	for (cur_own = 0; cur_own < nitems(own); cur_own++) {
		name = xasprintf("replies/%s", own[cur_own].name);
		check_run(name, test_own);
		free(name);
	}
	RUN(test_quoted_keeps_the_rest);
	RUN(test_marker);
	RUN(test_footers_only_at_the_end);
	RUN(test_eml_footers);
	RUN(test_attribution_shapes);
	RUN(test_long_lines);
	RUN(test_fuzz);
	for (i = 0; i < nupstream; i++) {
		free(upstream[i].file);
		free(upstream[i].visible);
	}
	return check_done();
}
