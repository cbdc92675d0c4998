/* Unit tests for outbound message composition (bot/mailout.c). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "check.h"
#include "mailout.h"
#include "message.h"
#include "render.h"
#include "util.h"

static struct mailout
sample(void)
{
	struct mailout m;

	memset(&m, 0, sizeof(m));
	m.from_name = "Referral desk";
	m.from_addr = "intake@example.test";
	m.to_addr = "partner1@example.test";
	m.subject = "[REF-000001] Referral received: Acme";
	m.body = "Line one\nLine two with ünïcödé\n";
	m.message_id = "r1.ack.0011@refbot.example.test";
	m.in_reply_to = "orig@partner.example";
	m.references = "older@partner.example orig@partner.example";
	m.auto_submitted = "auto-replied";
	return m;
}

/* The header block of a composed message. */
static char *
headers_of(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");

	return xstrndup(msg, end ? (size_t)(end - msg) : strlen(msg));
}

static void
test_headers_present(void)
{
	struct mailout m = sample();
	size_t len;
	char *msg = mailout_compose(&m, &len), *h = headers_of(msg);

	EXPECT_CONTAINS(h, "From: \"Referral desk\" <intake@example.test>");
	EXPECT_CONTAINS(h, "To: <partner1@example.test>");
	EXPECT_CONTAINS(h, "Subject: [REF-000001] Referral received: Acme");
	EXPECT_CONTAINS(h, "Message-ID: <r1.ack.0011@refbot.example.test>");
	EXPECT_CONTAINS(h, "In-Reply-To: <orig@partner.example>");
	EXPECT_CONTAINS(h, "References: <older@partner.example>\r\n "
	    "<orig@partner.example>");
	EXPECT_CONTAINS(h, "Auto-Submitted: auto-replied");
	EXPECT_CONTAINS(h, "X-Auto-Response-Suppress: All");
	EXPECT_CONTAINS(h, MAILOUT_LOOP_HEADER ": 1");
	EXPECT_CONTAINS(h, "Content-Transfer-Encoding: quoted-printable");
	EXPECT(strlen(msg) == len);
	free(h);
	free(msg);
}

static void
test_crlf_only(void)
{
	struct mailout m = sample();
	size_t len, i;
	char *msg = mailout_compose(&m, &len);

	for (i = 0; i < len; i++)
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			break;
	EXPECT(i == len);
	free(msg);
}

static void
test_header_injection(void)
{
	struct mailout m = sample();
	size_t len;
	char *msg, *h;

	m.subject = "Acme\r\nBcc: victim@example.test\nX-Evil: 1";
	m.from_name = "Desk\r\nX-Injected: yes";
	m.in_reply_to = "a@b\r\nX-Thread: 1";
	msg = mailout_compose(&m, &len);
	h = headers_of(msg);
	EXPECT(strstr(h, "\r\nBcc:") == NULL);
	EXPECT(strstr(h, "\r\nX-Evil:") == NULL);
	EXPECT(strstr(h, "\r\nX-Injected:") == NULL);
	EXPECT(strstr(h, "\r\nX-Thread:") == NULL);
	free(h);
	free(msg);
}

static void
test_japanese_subject_round_trip(void)
{
	struct mailout m = sample();
	struct message parsed;
	size_t len;
	char *msg, *err = NULL;

	m.subject = "[REF-000002] ご紹介を受け付けました: 株式会社サンプル"
	    "（とても長い会社名が続きます。ここまで来ても折り返されます）";
	m.body = "山田様\n\nありがとうございます。\n";
	msg = mailout_compose(&m, &len);
	EXPECT_CONTAINS(msg, "Subject: =?UTF-8?B?");
	EXPECT(message_parse(msg, len, 0, &parsed, &err) == MESSAGE_OK);
	if (err == NULL) {
		EXPECT_STR(parsed.subject, m.subject);
		EXPECT_STR(parsed.text, m.body);
		message_free(&parsed);
	}
	free(err);
	free(msg);
}

static void
test_message_ids_unique(void)
{
	char *a = mailout_message_id("r1.ack", "refbot.example.test");
	char *b = mailout_message_id("r1.ack", "refbot.example.test");

	EXPECT(strcmp(a, b) != 0);
	EXPECT(strncmp(a, "r1.ack.", 7) == 0);
	EXPECT_CONTAINS(a, "@refbot.example.test");
	/* Ten random bytes as twenty lowercase hex digits. */
	EXPECT(strspn(a + 7, "0123456789abcdef") == 20 && a[27] == '@');
	EXPECT(strspn(b + 7, "0123456789abcdef") == 20 && b[27] == '@');
	free(a);
	free(b);
}

static void
test_render(void)
{
	const struct render_var vars[] = { { "ref", "REF-000001" },
	    { "client", "Acme" } };
	char *unknown = NULL, *s, *subj, *body;

	s = render("Subject: [{{ref}}] {{client}}\n\nHi {{who}} {{{{x}}\n",
	    vars, nitems(vars), &unknown);
	EXPECT_STR(s, "Subject: [REF-000001] Acme\n\nHi  {{x}}\n");
	EXPECT_STR(unknown, "who");
	EXPECT(render_split(s, &subj, &body) == 0);
	EXPECT_STR(subj, "[REF-000001] Acme");
	EXPECT_STR(body, "Hi  {{x}}\n");
	free(subj);
	free(body);
	free(unknown);
	free(s);
}

/* A newsletter: text and HTML parts, List-Unsubscribe, both readable. */
static void
test_alternative_and_list_headers(void)
{
	struct mailout m = sample();
	struct message parsed;
	size_t len;
	char *msg, *err = NULL, *h;

	m.body = "今月の注目案件\n\n製造業の企業様。\n";
	m.html = "<p>今月の注目案件</p>\n<p>製造業の企業様。</p>\n";
	m.list_unsubscribe = "mailto:intake+r7.u.abc@example.test"
	    "?subject=unsubscribe";
	m.list_id = "newsletter.refbot.example.test";
	msg = mailout_compose(&m, &len);
	h = headers_of(msg);
	EXPECT_CONTAINS(h, "Content-Type: multipart/alternative; boundary=");
	EXPECT_CONTAINS(h, "List-Unsubscribe: <mailto:intake+r7.u.abc@"
	    "example.test?subject=unsubscribe>");
	EXPECT_CONTAINS(h, "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
	EXPECT_CONTAINS(h, "List-Id: <newsletter.refbot.example.test>");
	EXPECT_CONTAINS(h, "Precedence: bulk");
	EXPECT_CONTAINS(msg, "Content-Type: text/plain; charset=UTF-8");
	EXPECT_CONTAINS(msg, "Content-Type: text/html; charset=UTF-8");
	/* The plain part is what a reader of text mail gets. */
	EXPECT(message_parse(msg, len, 0, &parsed, &err) == MESSAGE_OK);
	if (err == NULL) {
		EXPECT_STR(parsed.text, m.body);
		message_free(&parsed);
	}
	free(err);
	free(h);
	free(msg);

	/* Spaces or brackets in the URI cannot break out of its <>. */
	m.list_unsubscribe = "mailto:a@b> <http://evil\r\nBcc: x@y";
	msg = mailout_compose(&m, &len);
	EXPECT(strstr(msg, "\r\nBcc:") == NULL);
	EXPECT_CONTAINS(msg, "List-Unsubscribe: <mailto:a@b___http://evil__"
	    "Bcc:_x@y>");
	free(msg);
}

/*
 * Issue 14: invalid UTF-8 in a name (a partner's, from the CLI or a CSV
 * import) reaches the Subject and display names.  The encoder cut words
 * back to a character boundary by skipping continuation bytes, and 45 of
 * them in a row left nothing to cut: it wrote empty words forever.  Each
 * case runs in a child under alarm(); the Subject must come out as
 * encoded words that decode to valid UTF-8, the bad bytes as U+FFFD.
 */
static int
compose_bad_utf8(const char *bad)
{
	struct mailout m = sample();
	char *subject = xasprintf("[REF-000001] New referral (from %s)", bad);
	char *msg, *h, *v, *e, *dec;
	size_t len;
	int ok;

	m.subject = subject;
	m.from_name = bad;
	msg = mailout_compose(&m, &len);
	h = headers_of(msg);
	if ((v = strstr(h, "\r\nSubject: ")) == NULL)
		return 1;
	v += strlen("\r\nSubject: ");
	for (e = v; *e != '\0' && !(e[0] == '\r' && e[2] != ' '); e++)
		continue;
	*e = '\0';
	dec = mime_decode_header(v);
	ok = strstr(h, "=?UTF-8?B?" "?=") == NULL &&
	    strstr(v, "=?UTF-8?B?") != NULL &&
	    utf8_valid(dec, strlen(dec)) &&
	    strstr(dec, "[REF-000001] New referral (from ") == dec &&
	    strstr(dec, "\xef\xbf\xbd") != NULL;
	if (!ok)
		printf("#   Subject: %.200s\n#   decoded: %.200s\n", v, dec);
	free(dec);
	free(h);
	free(msg);
	free(subject);
	return ok ? 0 : 1;
}

static void
test_invalid_utf8_names(void)
{
	static const char *const bad[] = {
		"\x80", "\xbf\xbf\xbf", "\xff", "\xfe\xff", "Caf\xc3",
		"\xe6\x97", "\xf0\x9f\x98", "\xc0\xaf", "\xe0\x80\xaf",
		"\xed\xa0\x80", "\xf4\x90\x80\x80",
	};
	char run[200];
	size_t i;
	pid_t pid;
	int st;

	/* Lone continuation bytes, more than one word's worth. */
	memset(run, 0x80, sizeof(run) - 1);
	run[sizeof(run) - 1] = '\0';
	for (i = 0; i <= nitems(bad); i++) {
		const char *b = i < nitems(bad) ? bad[i] : run;
		fflush(stdout);
		if ((pid = fork()) == 0) {
			/* On a loop the buffer grows: stop it early. */
			alarm(2);
			_exit(compose_bad_utf8(b));
		}
		EXPECT(pid > 0);
		if (pid <= 0 || waitpid(pid, &st, 0) != pid) {
			check_cur_failed = 1;
			continue;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("#   case %zu: %s %d\n", i, WIFSIGNALED(st) ?
			    "killed by signal" : "exit", WIFSIGNALED(st) ?
			    WTERMSIG(st) : WEXITSTATUS(st));
			check_cur_failed = 1;
		}
	}
}

/*
 * header_clean is linear: each C1 control or line separator used to
 * move the rest of the value down (memmove), so a subject of them was
 * quadratic, in the daemon, outside the parser child's CPU limit.
 */
static int
clean_c1(void *arg)
{
	size_t n = *(size_t *)arg, i;
	char *s = malloc(2 * n + 1), *c;
	int bad = 0;

	for (i = 0; i < n; i++) {
		s[2 * i] = (char)0xc2;
		s[2 * i + 1] = (char)(i % 2 ? 0x85 : 0x9f);	/* NEL, APC */
	}
	s[2 * n] = '\0';
	c = header_clean(s);
	for (i = 0; i < n; i++)
		bad |= c[i] != ' ';
	bad |= c[n] != '\0';
	free(c);
	free(s);
	return bad;
}

static void
test_header_clean_linear(void)
{
	size_t n = 2000000;
	char *c;

	check_cpu_bounded("2,000,000 C1 controls", clean_c1, &n, 10);
	/* Each control is one space; other text is kept as it was. */
	c = header_clean("a\xc2\x85" "b\xe2\x80\xa8" "c\r\nd\xc3\xa9");
	EXPECT_STR(c, "a b c  d\xc3\xa9");
	free(c);
}

/* The References and In-Reply-To we write hold only valid ids, ten at most. */
static void
test_mailout_references(void)
{
	struct mailout m;
	struct buf refs;
	size_t len;
	char *msg, *h, *end;
	int i;

	buf_init(&refs);
	for (i = 1; i <= 12; i++)
		buf_addf(&refs, "r%d@p.example ", i);
	buf_adds(&refs, "bad..id@x");
	memset(&m, 0, sizeof(m));
	m.from_name = "Desk";
	m.from_addr = "intake@example.test";
	m.to_addr = "p@example.test";
	m.subject = "s";
	m.body = "b\n";
	m.message_id = "mine@refbot.example.test";
	m.in_reply_to = "not an id";
	m.references = refs.data;
	msg = mailout_compose(&m, &len);
	end = strstr(msg, "\r\n\r\n");
	h = xstrndup(msg, end ? (size_t)(end - msg) : len);
	EXPECT_CONTAINS(h, "References: <r3@p.example>\r\n <r4@p.example>");
	EXPECT_CONTAINS(h, "<r12@p.example>\r\n");
	EXPECT(strstr(h, "<r2@p.example>") == NULL);
	EXPECT(strstr(h, "bad..id") == NULL);
	EXPECT(strstr(h, "In-Reply-To:") == NULL);
	free(h);
	free(msg);
	buf_free(&refs);
}

/*
 * Composes m, checks it is 7-bit with the charset expected (in the
 * header block and the text part), and that the project's own parser
 * reads the subject and the text back as they were.
 */
static void
round_trip(const struct mailout *m, const char *charset)
{
	struct message parsed;
	size_t len, i, col = 0;
	char *msg = mailout_compose(m, &len), *h = headers_of(msg), *err = NULL;
	char ct[64], *w, *end;
	int seven = 1;

	snprintf(ct, sizeof(ct), "charset=%s", charset);
	EXPECT_CONTAINS(msg, ct);
	if (strcmp(charset, "ISO-2022-JP") == 0) {
		EXPECT_CONTAINS(msg, "Content-Transfer-Encoding: 7bit");
		EXPECT(strstr(msg, "=?UTF-8?") == NULL);
	} else
		EXPECT(strstr(msg, "ISO-2022-JP") == NULL);
	for (i = 0; i < len; i++) {
		if ((unsigned char)msg[i] >= 0x80)
			seven = 0;
		col = msg[i] == '\n' ? 0 : col + 1;
		EXPECT(col <= 998);
	}
	EXPECT(seven);
	/* No encoded word is longer than 75 characters (RFC 2047). */
	for (w = strstr(h, "=?"); w != NULL; w = strstr(end, "=?")) {
		/* "=?charset?B?...?=": past the third '?', the closing "?=" */
		end = strstr(strchr(strchr(w + 2, '?') + 1, '?') + 1, "?=");
		EXPECT(end != NULL && end + 2 - w <= 75);
		if (end == NULL)
			break;
		end += 2;
	}
	EXPECT(message_parse(msg, len, 0, &parsed, &err) == MESSAGE_OK);
	if (err == NULL) {
		EXPECT_STR(parsed.subject, m->subject);
		EXPECT_STR(parsed.text, m->body);
		EXPECT_STR(parsed.from_name, m->from_name);
		message_free(&parsed);
	}
	free(err);
	free(h);
	free(msg);
}

static void
test_iso2022jp(void)
{
	struct mailout m = sample();
	size_t len;
	char *msg, *p, *eol;

	m.iso2022jp = 1;
	m.subject = "[REF-000002] ご紹介を受け付けました: 株式会社サンプル"
	    "（とても長い会社名が続きます。ここまで来ても折り返されます）";
	m.body = "山田様\n\nありがとうございます。REF-000002 として"
	    "記録しました。\n\n  クライアント名: 株式会社サンプル\t(ABC)\n"
	    "〜①以外〜\n";
	/* ① is not in JIS X 0208: that mail is UTF-8, whole. */
	round_trip(&m, "UTF-8");
	m.body = "山田様\n\nありがとうございます。REF-000002 として"
	    "記録しました。\n\n  クライアント名: 株式会社サンプル\t(ABC)\n";
	round_trip(&m, "ISO-2022-JP");
	msg = mailout_compose(&m, &len);
	EXPECT_CONTAINS(msg, "Subject: =?ISO-2022-JP?B?");
	EXPECT_CONTAINS(msg, "\x1b$B");
	/* Every line of the text ends in ASCII (RFC 1468). */
	for (p = strstr(msg, "\r\n\r\n") + 4; (eol = strstr(p, "\r\n")) != NULL;
	    p = eol + 2) {
		const char *last = NULL, *q;

		for (q = p; q < eol; q++)
			if (*q == 0x1b)
				last = q;
		if (last != NULL)
			EXPECT(strncmp(last, "\x1b(B", 3) == 0);
	}
	free(msg);
}

/*
 * One content, two readers (notify_staff): each mail is the content
 * after a header of its own, with its reader and id, in the content's
 * charset; and one reader's mail is what mailout_compose makes.
 */
static void
test_content_shared(void)
{
	struct mailout m = sample();
	struct mailout_content c;
	struct mailout_file f = { "a.pdf", "application/pdf", "%PDF", 4 };
	size_t len[3];
	char *msg[3], *h, *h2;
	int i;

	m.iso2022jp = 1;
	m.subject = "[REF-000002] ご紹介を受け付けました";
	m.body = "山田様\n\nありがとうございます。\n";
	m.files = &f;
	m.nfiles = 1;
	mailout_content(&m, &c);
	EXPECT(c.jis);
	msg[0] = mailout_join(&m, &c, &len[0]);
	m.to_addr = "staff2@example.test";
	m.message_id = "r1.s.0022@refbot.example.test";
	msg[1] = mailout_join(&m, &c, &len[1]);
	for (i = 0; i < 2; i++) {
		EXPECT(len[i] > c.len && memcmp(msg[i] + len[i] - c.len, c.data,
		    c.len) == 0);
		h = headers_of(msg[i]);
		EXPECT_CONTAINS(h, "Subject: =?ISO-2022-JP?B?");
		EXPECT_CONTAINS(h, i ? "To: <staff2@example.test>" :
		    "To: <partner1@example.test>");
		EXPECT_CONTAINS(h, i ? "<r1.s.0022@refbot.example.test>" :
		    "<r1.ack.0011@refbot.example.test>");
		EXPECT(strstr(h, i ? "partner1@" : "staff2@") == NULL);
		free(h);
	}
	/*
	 * Between the Date and the content (its part boundary is random),
	 * the header mailout_compose makes.
	 */
	msg[2] = mailout_compose(&m, &len[2]);
	EXPECT(len[2] == len[1]);
	h = headers_of(msg[1]);
	h2 = headers_of(msg[2]);
	*strstr(h, "MIME-Version") = *strstr(h2, "MIME-Version") = '\0';
	EXPECT_STR(strchr(h, '\n'), strchr(h2, '\n'));
	free(h);
	free(h2);
	for (i = 0; i < 3; i++)
		free(msg[i]);
	mailout_content_free(&c);
	EXPECT(c.data == NULL);
}

static void
test_iso2022jp_fallback(void)
{
	struct mailout m = sample();
	size_t len;
	char *msg;

	m.iso2022jp = 1;
	/* 髙 (U+9AD9) is JIS X 0212, not 0208: in the subject, */
	m.subject = "[REF-000003] ご紹介を受け付けました: 髙島商事";
	m.body = "髙島商事のご紹介をありがとうございます。\n";
	round_trip(&m, "UTF-8");
	/* only in the text, */
	m.subject = "[REF-000003] ご紹介を受け付けました";
	round_trip(&m, "UTF-8");
	/* or in the From name: the whole mail is UTF-8. */
	m.body = "ご紹介をありがとうございます。\n";
	m.from_name = "髙島紹介窓口";
	msg = mailout_compose(&m, &len);
	EXPECT_CONTAINS(msg, "From: =?UTF-8?B?");
	EXPECT_CONTAINS(msg, "Subject: =?UTF-8?B?");
	EXPECT_CONTAINS(msg, "charset=UTF-8");
	free(msg);
	/* A From name in JIS X 0208 goes as ISO-2022-JP with the rest. */
	m.from_name = "紹介窓口";
	msg = mailout_compose(&m, &len);
	EXPECT_CONTAINS(msg, "From: =?ISO-2022-JP?B?");
	free(msg);
	/* An ESC in the text would be read as a shift: UTF-8. */
	m.from_name = "Referral desk";
	m.body = "ご紹介\x1b$B\n";
	msg = mailout_compose(&m, &len);
	EXPECT_CONTAINS(msg, "charset=UTF-8");
	EXPECT(strstr(msg, "ISO-2022-JP") == NULL);
	free(msg);
	/* Not asked for: UTF-8 as ever. */
	m.iso2022jp = 0;
	m.body = "ご紹介をありがとうございます。\n";
	round_trip(&m, "UTF-8");
}

/*
 * Counts in *diff (and shows the first) when ours is not what libetpan
 * wrote (lib) less its ending tail; frees both.
 */
static void
as_libetpan(struct buf *ours, MMAPString *lib, const char *tail,
    const char *in, int *diff)
{
	size_t t = strlen(tail);

	if (lib->len != ours->len + t || (ours->len > 0 && memcmp(lib->str,
	    ours->data, ours->len) != 0) || memcmp(lib->str + ours->len, tail,
	    t) != 0) {
		if ((*diff)++ == 0)
			printf("#   in: %s\n#   libetpan: %s\n#   ours: %.*s\n",
			    in, lib->str, (int)ours->len, ours->data);
	}
	mmap_string_free(lib);
	buf_free(ours);
}

/*
 * mailout_qp (issue 21) writes what libetpan's quoted-printable writer
 * wrote for the same text, byte for byte: pseudo-random lines of
 * letters, UTF-8, '=', tabs, spaces and the characters it encodes, of
 * every length around the line limit; the text as mailout has it, with
 * no blank at a line's end.  A CR alone is =0D (libetpan lost the
 * character after one).
 */
static void
test_qp_as_libetpan(void)
{
	static const char odd[] = "abc =\t\n.\xe3\x81\x82xyzF!~?_\x01";
	unsigned seed = 21;
	char in[400], *p;
	struct buf ours;
	MMAPString *lib;
	int i, k, n, col, diff = 0;

	for (i = 0; i < 20000; i++) {
		n = i % 320;
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			in[k] = (seed >> 16) % 5 == 0 ? odd[(seed >> 8) %
			    (sizeof(odd) - 1)] : (char)('a' + (seed >> 8) % 26);
		}
		in[n] = '\0';
		/* No blank before a line end (rstrip_lines). */
		for (p = in; (p = strchr(p, '\n')) != NULL; p++)
			for (k = (int)(p - in); k > 0 && (in[k - 1] == ' ' ||
			    in[k - 1] == '\t'); k--)
				in[k - 1] = 'b';
		for (k = n; k > 0 && (in[k - 1] == ' ' || in[k - 1] == '\t');
		    k--)
			in[k - 1] = 'b';
		buf_init(&ours);
		mailout_qp(&ours, in);
		lib = mmap_string_new("");
		col = 0;
		mailmime_quoted_printable_write_mem(lib, &col, 1, in, (size_t)n);
		as_libetpan(&ours, lib, "", in, &diff);
	}
	EXPECT(diff == 0);
	buf_init(&ours);
	mailout_qp(&ours, "a\rb=\r\nc");
	EXPECT(ours.len == 11 && memcmp(ours.data, "a=0Db=3D\r\nc", 11) == 0);
	buf_free(&ours);
}

/*
 * The same for every byte value but CR (above) and NUL: after k letters
 * (every column around the limit), once, as a run of 80, and before a
 * letter, a line end and another line; a blank never ends a line.
 */
static void
test_qp_every_byte(void)
{
	char in[256];
	struct buf ours;
	MMAPString *lib;
	int c, k, shape, col, n, diff = 0;

	for (c = 1; c < 256; c++) {
		if (c == '\r')
			continue;
		for (k = 0; k < 80; k++)
			for (shape = 0; shape < 4; shape++) {
				memset(in, 'a', (size_t)k);
				n = k;
				if (shape == 1) {
					memset(in + n, c, 80);
					n += 80;
				} else
					in[n++] = (char)c;
				if (shape == 2)
					in[n++] = 'z';
				if (shape == 3)
					n += snprintf(in + n, sizeof(in) -
					    (size_t)n, "%c\nnext%c line",
					    c == ' ' || c == '\t' ? 'y' : c, c);
				if (in[n - 1] == ' ' || in[n - 1] == '\t')
					in[n++] = 'y';
				in[n] = '\0';
				buf_init(&ours);
				mailout_qp(&ours, in);
				lib = mmap_string_new("");
				col = 0;
				mailmime_quoted_printable_write_mem(lib, &col, 1,
				    in, (size_t)n);
				as_libetpan(&ours, lib, "", in, &diff);
			}
	}
	EXPECT(diff == 0);
}

/*
 * mailout_base64 (issue 21) writes what libetpan's base64 writer wrote,
 * but for the CRLF it ended with: every length around the line limit,
 * every byte value.
 */
static void
test_base64_as_libetpan(void)
{
	unsigned seed = 21;
	char in[400];
	struct buf ours;
	MMAPString *lib;
	int i, k, n, col, diff = 0;

	for (i = 0; i < 4000; i++) {
		n = i % 400;
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			in[k] = (char)(seed >> 16);
		}
		buf_init(&ours);
		mailout_base64(&ours, in, (size_t)n);
		lib = mmap_string_new("");
		col = 0;
		mailmime_base64_write_mem(lib, &col, in, (size_t)n);
		as_libetpan(&ours, lib, "\r\n", "(bytes)", &diff);
	}
	EXPECT(diff == 0);
}

int
main(void)
{
	RUN(test_headers_present);
	RUN(test_crlf_only);
	RUN(test_header_injection);
	RUN(test_japanese_subject_round_trip);
	RUN(test_message_ids_unique);
	RUN(test_render);
	RUN(test_alternative_and_list_headers);
	RUN(test_invalid_utf8_names);
	RUN(test_header_clean_linear);
	RUN(test_mailout_references);
	RUN(test_iso2022jp);
	RUN(test_content_shared);
	RUN(test_iso2022jp_fallback);
	RUN(test_qp_as_libetpan);
	RUN(test_qp_every_byte);
	RUN(test_base64_as_libetpan);
	return check_done();
}
