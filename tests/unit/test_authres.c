/* Tests for authres: Authentication-Results parsing and the From check. */
#include "config.h"

#include "authres.h"
#include "check.h"

static struct authres ar;

static const char gmail[] =
    "mx.google.com;\r\n"
    "       dkim=pass header.i=@example.com header.s=20230601 "
    "header.b=KxY/3+abc=;\r\n"
    "       arc=pass (i=1 spf=pass spfdomain=example.com dkim=pass "
    "dkdomain=example.com dmarc=pass fromdomain=example.com);\r\n"
    "       spf=pass (google.com: domain of alice@example.com designates "
    "209.85.220.41 as permitted sender) smtp.mailfrom=alice@example.com;\r\n"
    "       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) "
    "header.from=example.com";

static const char ms365[] =
    "spf=pass (sender IP is 209.85.128.45) smtp.mailfrom=example.com; "
    "dkim=pass (signature was verified) header.d=example.com;dmarc=pass "
    "action=none header.from=example.com;compauth=pass reason=100";

static const char fastmail[] =
    "mx6.messagingengine.com; dkim=pass (2048-bit rsa key sha256) "
    "header.d=example.com header.i=@example.com header.b=AbCd "
    "header.a=rsa-sha256 header.s=fm1 x-bits=2048; dmarc=pass "
    "policy.published-domain-policy=none "
    "policy.applied-disposition=none policy.evaluated-disposition=none "
    "(p=none,d=none,d.eval=none) policy.policy-from=p "
    "header.from=example.com; iprev=pass smtp.remote-ip=192.0.2.1 "
    "(mail.example.com); spf=pass smtp.mailfrom=bob@example.com "
    "smtp.helo=mail.example.com; x-aligned-from=pass (Address match)";

/* Result i, or an empty one (no method, no result) past the end. */
static const struct authres_result *
result(size_t i)
{
	static const struct authres_result none;

	return i < ar.nresults ? &ar.results[i] : &none;
}

static const char *
prop(size_t i, const char *ptype, const char *property)
{
	return authres_prop(result(i), ptype, property);
}

static void
test_gmail(void)
{
	EXPECT(authres_parse(gmail, &ar) == 0);
	EXPECT_STR(ar.authserv_id, "mx.google.com");
	EXPECT(ar.nresults == 4);
	EXPECT_STR(result(0)->method, "dkim");
	EXPECT_STR(result(0)->result, "pass");
	EXPECT_STR(prop(0, "header", "i"), "@example.com");
	EXPECT_STR(prop(0, "header", "b"), "KxY/3+abc=");
	EXPECT(prop(0, "header", "d") == NULL);
	EXPECT_STR(result(1)->method, "arc");
	EXPECT(result(1)->nprops == 0);	/* all of it was a comment */
	EXPECT_STR(prop(2, "smtp", "mailfrom"), "alice@example.com");
	EXPECT_STR(result(3)->method, "dmarc");
	EXPECT_STR(prop(3, "header", "from"), "example.com");
}

static void
test_microsoft365(void)
{
	/* No authserv-id at all: never anyone's. */
	EXPECT(authres_parse(ms365, &ar) == -1);
	EXPECT_STR(ar.authserv_id, "");
	/* With one, the extension "action=none" and reason=100 are fine. */
	{
		char *v = xasprintf("mx.example.com; %s", ms365);
		EXPECT(authres_parse(v, &ar) == 0);
		EXPECT(ar.nresults == 4);
		EXPECT_STR(result(2)->method, "dmarc");
		EXPECT(result(2)->nprops == 1);
		EXPECT_STR(prop(2, "header", "from"), "example.com");
		EXPECT_STR(result(3)->method, "compauth");
		EXPECT_STR(result(3)->reason, "100");
		free(v);
	}
}

static void
test_opendkim_opendmarc(void)
{
	EXPECT(authres_parse("mail.example.org; dkim=pass (2048-bit key; "
	    "unprotected) header.d=example.com header.i=@example.com "
	    "header.a=rsa-sha256 header.s=default header.b=AbCdEfGh;",
	    &ar) == 0);
	EXPECT_STR(ar.authserv_id, "mail.example.org");
	EXPECT(ar.nresults == 1);
	EXPECT(result(0)->nprops == 5);
	EXPECT_STR(prop(0, "header", "d"), "example.com");
	EXPECT_STR(prop(0, "header", "s"), "default");
	EXPECT(authres_parse("mail.example.org; dmarc=pass (p=none dis=none) "
	    "header.from=example.com", &ar) == 0);
	EXPECT_STR(result(0)->method, "dmarc");
	EXPECT_STR(prop(0, "header", "from"), "example.com");
	/* policyd-spf: ';' inside the trailing comment. */
	EXPECT(authres_parse("mail.example.org; spf=pass (sender SPF "
	    "authorized) smtp.mailfrom=example.com (client-ip=192.0.2.1; "
	    "helo=mail.example.com; envelope-from=bob@example.com; "
	    "receiver=<UNKNOWN>)", &ar) == 0);
	EXPECT(ar.nresults == 1);
	EXPECT_STR(prop(0, "smtp", "mailfrom"), "example.com");
}

static void
test_fastmail(void)
{
	EXPECT(authres_parse(fastmail, &ar) == 0);
	EXPECT(ar.nresults == 5);
	EXPECT(result(0)->nprops == 5);	/* x-bits=2048 is no property */
	EXPECT_STR(prop(1, "policy", "published-domain-policy"), "none");
	EXPECT_STR(prop(1, "header", "from"), "example.com");
	EXPECT_STR(prop(2, "smtp", "remote-ip"), "192.0.2.1");
	EXPECT_STR(result(4)->method, "x-aligned-from");
}

static void
test_rfc_examples(void)
{
	EXPECT(authres_parse("example.com; none", &ar) == 0);
	EXPECT(ar.none && ar.nresults == 0);
	EXPECT(authres_parse("example.com 1; dkim/1=pass reason=\"good "
	    "signature\" header.i=@mail-router.example.net; dkim=fail "
	    "reason=\"bad \\\"signature\\\"\" header.i=@newyork.example.com",
	    &ar) == 0);
	EXPECT(ar.version == 1);
	EXPECT(result(0)->version == 1);
	EXPECT_STR(result(0)->reason, "good signature");
	EXPECT_STR(result(1)->reason, "bad \"signature\"");
	EXPECT_STR(result(1)->result, "fail");
	EXPECT(authres_parse("example.com;\n\t  auth=pass (cram-md5) "
	    "smtp.auth=sender@example.net;\n\t  spf=pass "
	    "smtp.mailfrom=example.net", &ar) == 0);
	EXPECT_STR(prop(0, "smtp", "auth"), "sender@example.net");
	EXPECT(authres_parse("example.com; iprev=pass policy.iprev=192.0.2.200",
	    &ar) == 0);
	EXPECT_STR(prop(0, "policy", "iprev"), "192.0.2.200");
	/* A quoted authserv-id. */
	EXPECT(authres_parse("\"example.com\"; spf=none", &ar) == 0);
	EXPECT_STR(ar.authserv_id, "example.com");
}

static void
test_cfws_everywhere(void)
{
	/* Comments (nested, with quoted-pairs) and folds between tokens. */
	EXPECT(authres_parse(" (a (b) c) mx.example.test (x)\r\n 2 (y) ;\r\n"
	    "\t DKIM (m) / (n) 1 (o) = (p) PASS (q \\) r) Header (s) . (t) D "
	    "(u) = (v) Example.COM (w) ; SPF=Fail", &ar) == 0);
	EXPECT_STR(ar.authserv_id, "mx.example.test");
	EXPECT(ar.version == 2);
	EXPECT(ar.nresults == 2);
	EXPECT_STR(result(0)->method, "dkim");
	EXPECT(result(0)->version == 1);
	EXPECT_STR(result(0)->result, "pass");
	EXPECT_STR(prop(0, "header", "d"), "Example.COM");
	EXPECT_STR(prop(0, "HEADER", "d"), "Example.COM");
	EXPECT_STR(result(1)->result, "fail");
}

static void
test_quoted_values(void)
{
	/* The envelope sender's quoted local part hides no resinfo. */
	EXPECT(authres_parse("mx.example.test; spf=pass smtp.mailfrom=\"a; "
	    "dkim=pass header.d=example.test\"@attacker.example", &ar) == 0);
	EXPECT(ar.nresults == 1);
	EXPECT_STR(prop(0, "smtp", "mailfrom"),
	    "a; dkim=pass header.d=example.test@attacker.example");
	EXPECT(authres_parse("mx.example.test; dkim=pass header.d=\"a b\"",
	    &ar) == 0);
	EXPECT_STR(prop(0, "header", "d"), "a b");
}

static void
test_malformed(void)
{
	static const char *bad[] = {
		"",
		"   ",
		"mx.example.test",
		"mx.example.test dkim=pass",
		"mx.example.test; dkim",
		"mx.example.test; dkim=",
		"mx.example.test; =pass",
		"mx.example.test; dkim pass",
		"mx.example.test; dkim/=pass",
		"mx.example.test; dkim=pass header.d",
		"mx.example.test; dkim=pass header.=x",
		"mx.example.test; dkim=pass header.d example.test",
		"mx.example.test; dkim=pass (unterminated",
		"mx.example.test; dkim=pass ((nested) still open",
		"mx.example.test; dkim=pass header.d=\"unterminated",
		"mx.example.test; dkim=pass header.d=a\"b\"",
		"mx.example.test; dkim=pass ) header.d=example.test",
		"mx.example.test; dkim=pass header.d=example.test \x01",
		"mx.example.test; none dkim=pass",
		"(only a comment)",
		";dkim=pass",
	};
	size_t i;

	for (i = 0; i < nitems(bad); i++) {
		if (authres_parse(bad[i], &ar) != -1)
			printf("#   accepted: \"%s\"\n", bad[i]);
		EXPECT(authres_parse(bad[i], &ar) == -1);
	}
	/* What came before the error is kept, the id above all. */
	EXPECT(authres_parse("mx.example.test; spf=fail; dkim=", &ar) == -1);
	EXPECT_STR(ar.authserv_id, "mx.example.test");
	EXPECT(ar.nresults == 1);
	/* Empty resinfos and a trailing ';' are tolerated. */
	EXPECT(authres_parse("mx.example.test;; spf=fail ;", &ar) == 0);
	EXPECT(ar.nresults == 1);
}

static void
test_bounds(void)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_adds(&b, "mx.example.test");
	for (i = 0; i < 40; i++)
		buf_addf(&b, "; dkim=fail header.d=d%zu.example", i);
	EXPECT(authres_parse(b.data, &ar) == 0);
	EXPECT(ar.nresults == AUTHRES_MAX_RESULTS);
	EXPECT(ar.dropped == 40 - AUTHRES_MAX_RESULTS);
	EXPECT_STR(prop(15, "header", "d"), "d15.example");

	buf_reset(&b);
	buf_adds(&b, "mx.example.test; dmarc=pass");
	for (i = 0; i < AUTHRES_MAX_PROPS; i++)
		buf_addf(&b, " policy.p%zu=x", i);
	buf_adds(&b, " header.from=evil.example");
	EXPECT(authres_parse(b.data, &ar) == 0);
	EXPECT(result(0)->nprops == AUTHRES_MAX_PROPS);
	EXPECT(result(0)->incomplete);

	buf_reset(&b);
	buf_adds(&b, "mx.example.test; dkim=pass header.d=");
	for (i = 0; i < AUTHRES_VALUE_MAX; i++)
		buf_addc(&b, 'a');
	EXPECT(authres_parse(b.data, &ar) == 0);
	EXPECT(result(0)->incomplete);
	EXPECT(strlen(prop(0, "header", "d")) == AUTHRES_VALUE_MAX - 1);

	buf_reset(&b);
	for (i = 0; i < AUTHRES_VALUE_MAX; i++)
		buf_addc(&b, 'a');
	buf_adds(&b, "; dkim=pass");
	EXPECT(authres_parse(b.data, &ar) == -1);
	EXPECT_STR(ar.authserv_id, "");	/* too long: never ours */

	/* Deep nesting and long runs are linear, and end. */
	buf_reset(&b);
	buf_adds(&b, "mx.example.test; dkim=pass ");
	for (i = 0; i < 100000; i++)
		buf_addc(&b, '(');
	EXPECT(authres_parse(b.data, &ar) == -1);
	buf_free(&b);
}

/* authres_decide over a list of header values, topmost first. */
static int
decide(const char *from, int spf, const char **why, size_t n, ...)
{
	const char *vals[8];
	va_list ap;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n && i < nitems(vals); i++)
		vals[i] = va_arg(ap, const char *);
	va_end(ap);
	return authres_decide(vals, n, "mx.example.test", from, spf, why);
}

#define PASS_DKIM "mx.example.test; dkim=pass header.d=example.test"

static void
test_decide_topmost_only(void)
{
	const char *why = NULL;

	EXPECT(decide("example.test", 0, &why, 1, PASS_DKIM) == 1);
	EXPECT_STR(why, "dkim=pass aligned with From");
	/* The sender's forgery below the server's real header. */
	EXPECT(decide("example.test", 0, &why, 2,
	    "mx.example.test; dkim=fail header.d=example.test", PASS_DKIM) ==
	    0);
	EXPECT_STR(why, "no dmarc, dkim or spf pass");
	EXPECT(decide("example.test", 0, &why, 2,
	    "mx.example.test; none", PASS_DKIM) == 0);
	/* Others' headers, above or below, change nothing. */
	EXPECT(decide("example.test", 0, &why, 3,
	    "mx.other.example; dmarc=pass header.from=example.test",
	    "mx.example.test; spf=fail smtp.mailfrom=example.test",
	    PASS_DKIM) == 0);
	EXPECT(decide("example.test", 0, &why, 3,
	    "mx.other.example; dkim=fail", PASS_DKIM,
	    "mx.example.test; dkim=fail header.d=example.test") == 1);
	EXPECT(decide("example.test", 0, &why, 1,
	    "mx.other.example; dkim=pass header.d=example.test") == 0);
	EXPECT_STR(why, "no Authentication-Results from the trusted "
	    "authserv-id");
	EXPECT(decide("example.test", 0, &why, 0) == 0);
	/* The id compares whole and without case. */
	EXPECT(decide("example.test", 0, &why, 1,
	    "MX.Example.Test; dkim=pass header.d=example.test") == 1);
	EXPECT(decide("example.test", 0, &why, 1,
	    "mx.example.test.evil; dkim=pass header.d=example.test") == 0);
	EXPECT(decide("example.test", 0, &why, 1,
	    "mx.example.tes; dkim=pass header.d=example.test") == 0);
	/* Ours but malformed on top: a pass lower down does not count. */
	EXPECT(decide("example.test", 0, &why, 2,
	    "mx.example.test; dkim=pass (header.d=example.test", PASS_DKIM) ==
	    0);
	EXPECT_STR(why, "the trusted Authentication-Results is malformed");
}

/* One header from our server: From domain, fallback, header, verdict. */
static const struct {
	const char *from;
	int spf;
	const char *hdr;
	int pass;
	const char *why;	/* NULL: not checked */
} one_header[] = {
	/* Nothing but a parsed result counts: no substrings. */
	{ "example.test", 1, "dkim=fail (dkim=pass header.d=example.test) "
	    "header.d=example.test", 0, NULL },
	{ "example.test", 1, "dkim=fail reason=\"dkim=pass\" "
	    "header.d=example.test", 0, NULL },
	{ "example.test", 1, "spf=fail smtp.mailfrom=dkim=pass; x-dkim=pass "
	    "header.d=example.test", 0, NULL },
	{ "example.test", 1, "dkim=none (spf=pass dmarc=pass)", 0, NULL },
	{ "example.test", 1, "dkim=passed header.d=example.test", 0, NULL },
	{ "example.test", 1, "spf=pass smtp.mailfrom=\"x; dkim=pass "
	    "header.d=example.test\"@attacker.example", 0,
	    "spf=pass not aligned with From" },

	/* DKIM: header.d aligned with From. */
	{ "example.test", 0, "dkim=pass header.d=attacker.example", 0,
	    "dkim=pass not aligned with From" },
	{ "mail.example.test", 0, "dkim=pass header.d=example.test", 1,
	    "dkim=pass aligned with From" },
	{ "a.b.example.test", 0, "dkim=pass header.d=example.test", 1, NULL },
	/* Not the other way, not across a label, not a single label. */
	{ "example.test", 0, "dkim=pass header.d=mail.example.test", 0, NULL },
	{ "myexample.test", 0, "dkim=pass header.d=example.test", 0, NULL },
	{ "example.test", 0, "dkim=pass header.d=test", 0, NULL },
	{ "example.test", 0, "dkim=pass header.d=.test", 0, NULL },
	{ "example.test", 0, "dkim=pass header.d=", 0, NULL },
	{ "example.test", 0, "dkim=pass", 0, NULL },
	/* Case and one trailing dot do not matter. */
	{ "example.test", 0, "DKIM=PASS Header.D=Example.TEST.", 1, NULL },
	/* Any one aligned signature among several. */
	{ "example.test", 0, "dkim=pass header.d=esp.example; dkim=fail "
	    "header.d=example.test; dkim=pass header.d=example.test", 1, NULL },
	/* header.i when there is no header.d (Gmail); header.d wins. */
	{ "example.test", 0, "dkim=pass header.i=@example.test header.s=s1",
	    1, NULL },
	{ "example.test", 0, "dkim=pass header.i=@attacker.example", 0, NULL },
	{ "example.test", 0, "dkim=pass header.d=attacker.example "
	    "header.i=@example.test", 0, NULL },

	/* SPF: only with the fallback, only aligned, only smtp.mailfrom. */
	{ "example.test", 0, "spf=pass smtp.mailfrom=bounce@example.test", 0,
	    "only an aligned spf=pass, and auth_spf_fallback is off" },
	{ "example.test", 1, "spf=pass smtp.mailfrom=bounce@example.test", 1,
	    "spf=pass aligned with From" },
	{ "mail.example.test", 1, "spf=pass smtp.mailfrom=bounce@example.test",
	    1, NULL },
	{ "example.test", 1, "spf=pass smtp.mailfrom=example.test", 1, NULL },
	{ "example.test", 1, "spf=pass smtp.mailfrom=bounce@esp.example", 0,
	    NULL },
	{ "example.test", 1, "spf=pass smtp.helo=example.test", 0, NULL },
	{ "example.test", 1, "spf=softfail smtp.mailfrom=example.test", 0,
	    NULL },

	/* DMARC: already aligned; header.from must be From's, exactly. */
	{ "example.test", 0, "dmarc=pass (p=reject) header.from=example.test",
	    1, "dmarc=pass" },
	{ "example.test", 0, "dmarc=pass", 1, NULL },
	{ "example.test", 0, "dmarc=pass header.from=attacker.example", 0,
	    "dmarc=pass for another domain" },
	{ "mail.example.test", 0, "dmarc=pass header.from=example.test", 0,
	    NULL },
	{ "example.test", 0, "dmarc=fail header.from=example.test", 0, NULL },
	{ "example.test", 0, "dmarc=bestguesspass header.from=example.test", 0,
	    NULL },
};

static void
test_decide_one_header(void)
{
	size_t i;

	for (i = 0; i < nitems(one_header); i++) {
		char *v = xasprintf("mx.example.test; %s", one_header[i].hdr);
		const char *why = NULL;
		int pass = decide(one_header[i].from, one_header[i].spf, &why,
		    1, v);

		if (pass != one_header[i].pass)
			printf("#   %s for From %s: %s\n", pass ? "passed" :
			    "failed", one_header[i].from, one_header[i].hdr);
		EXPECT(pass == one_header[i].pass);
		if (one_header[i].why != NULL)
			EXPECT_STR(why, one_header[i].why);
		free(v);
	}
}

static void
test_decide_bounds(void)
{
	struct buf b;
	const char *why;
	size_t i;

	/* A header.d cut to fit is never compared. */
	buf_init(&b);
	buf_adds(&b, "mx.example.test; dkim=pass header.d=");
	for (i = 0; i < AUTHRES_VALUE_MAX; i++)
		buf_addc(&b, 'a');
	buf_adds(&b, ".example.test");
	EXPECT(decide("example.test", 0, &why, 1, b.data) == 0);
	EXPECT_STR(why, "a pass too long to check");
	/* A header.from pushed past the property bound is not skipped. */
	buf_reset(&b);
	buf_adds(&b, "mx.example.test; dmarc=pass");
	for (i = 0; i < AUTHRES_MAX_PROPS; i++)
		buf_addf(&b, " policy.p%zu=x", i);
	buf_adds(&b, " header.from=attacker.example");
	EXPECT(decide("example.test", 0, &why, 1, b.data) == 0);
	buf_free(&b);
}

static void
test_decide_real_headers(void)
{
	const char *why;
	char *g = xasprintf("mx.example.test; %s", strchr(gmail, ';') + 1);
	char *m = xasprintf("mx.example.test; %s", ms365);
	char *f = xasprintf("mx.example.test; %s", strchr(fastmail, ';') + 1);

	EXPECT(decide("example.com", 0, &why, 1, g) == 1);
	EXPECT_STR(why, "dkim=pass aligned with From");	/* via header.i */
	EXPECT(decide("example.org", 0, &why, 1, g) == 0);
	EXPECT(decide("example.com", 0, &why, 1, m) == 1);
	EXPECT(decide("example.com", 0, &why, 1, f) == 1);
	EXPECT(decide("example.com", 0, &why, 1, ms365) == 0);
	/* Without a From domain nothing passes. */
	EXPECT(decide(NULL, 1, &why, 1, g) == 0);
	EXPECT_STR(why, "no From domain");
	EXPECT(decide("", 1, &why, 1, g) == 0);
	EXPECT(authres_decide(NULL, 0, "mx.example.test", "example.com", 1,
	    NULL) == 0);
	free(g);
	free(m);
	free(f);
}

int
main(void)
{
	RUN(test_gmail);
	RUN(test_microsoft365);
	RUN(test_opendkim_opendmarc);
	RUN(test_fastmail);
	RUN(test_rfc_examples);
	RUN(test_cfws_everywhere);
	RUN(test_quoted_values);
	RUN(test_malformed);
	RUN(test_bounds);
	RUN(test_decide_topmost_only);
	RUN(test_decide_one_header);
	RUN(test_decide_bounds);
	RUN(test_decide_real_headers);
	return check_done();
}
