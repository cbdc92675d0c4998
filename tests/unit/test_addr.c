/* Unit tests for envelope address syntax (parsers/addr.c, issue 14). */
#include "config.h"

#include <string.h>

#include "addr.h"
#include "check.h"

struct tcase {
	const char *addr;
	enum addr_err want;
};

static void
run_table(const struct tcase *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		enum addr_err got = addr_check(t[i].addr, strlen(t[i].addr));
		if (got != t[i].want) {
			printf("#   '%s': got %d (%s), want %d\n", t[i].addr,
			    (int)got, addr_strerror(got), (int)t[i].want);
			check_cur_failed = 1;
		}
	}
}

static void
test_valid(void)
{
	static const struct tcase t[] = {
		{ "partner1@example.test", ADDR_OK },
		{ "Jane.Smith+tag@Sub-Domain.Example.CO", ADDR_OK },
		{ "a.b.c!#$%&'*+/=?^_`{|}~-@x", ADDR_OK },
		{ "intake@localhost", ADDR_OK },
		{ "\"john..doe\"@example.org", ADDR_OK },
		{ "\"a b\\\"c@d\"@example.org", ADDR_OK },
		{ "\"\"@example.org", ADDR_OK },
		{ "a@[127.0.0.1]", ADDR_OK },
		{ "a@[IPv6:2001:db8::1]", ADDR_OK },
		{ "a@[IPv6:::ffff:192.0.2.1]", ADDR_OK },
		{ "a@1.2.3.4", ADDR_OK },	/* a Domain of digits */
	};

	run_table(t, nitems(t));
}

static void
test_invalid(void)
{
	static const struct tcase t[] = {
		{ "", ADDR_EMPTY },
		{ "plain", ADDR_NO_AT },
		{ "\"quoted\"", ADDR_NO_AT },
		{ "@example.test", ADDR_LOCAL },
		{ ".a@example.test", ADDR_LOCAL },
		{ "a.@example.test", ADDR_LOCAL },
		{ "a..b@example.test", ADDR_LOCAL },
		{ "a b@example.test", ADDR_LOCAL },
		{ "a@b@example.test", ADDR_DOMAIN },
		{ "<a@example.test>", ADDR_LOCAL },
		{ "a,b@example.test", ADDR_LOCAL },
		{ "\"unterminated@example.test", ADDR_LOCAL },
		{ "\"a\"b@example.test", ADDR_LOCAL },
		{ "\"tab\there\"@example.test", ADDR_LOCAL },
		{ "a@", ADDR_DOMAIN },
		{ "a@example..test", ADDR_DOMAIN },
		{ "a@.example.test", ADDR_DOMAIN },
		{ "a@example.test.", ADDR_DOMAIN },
		{ "a@-example.test", ADDR_DOMAIN },
		{ "a@example-.test", ADDR_DOMAIN },
		{ "a@exa_mple.test", ADDR_DOMAIN },
		{ "a@example.test ", ADDR_DOMAIN },
		{ "a@[127.0.0.256]", ADDR_LITERAL },
		{ "a@[127.0.0]", ADDR_LITERAL },
		{ "a@[127.0.0.1", ADDR_LITERAL },
		{ "a@[IPv6:2001:db8::g]", ADDR_LITERAL },
		{ "a@[IPv6:1:2:3:4:5:6:7:8:9]", ADDR_LITERAL },
		{ "a@[tag:content]", ADDR_LITERAL },
		{ "a@[]", ADDR_LITERAL },
	};

	run_table(t, nitems(t));
}

/* What an attacker would put in an address to talk to the SMTP server. */
static void
test_controls(void)
{
	static const struct tcase t[] = {
		{ "victim@example.test\r\nRCPT TO:<x@evil.example>",
		    ADDR_DOMAIN },
		{ "victim@example.test\n", ADDR_DOMAIN },
		{ "vic\rtim@example.test", ADDR_LOCAL },
		{ "\"vic\r\ntim\"@example.test", ADDR_LOCAL },
		{ "\"a\\\r\"@example.test", ADDR_LOCAL },
		{ "a@exa\x7fmple.test", ADDR_DOMAIN },
		{ "\xc3\xa9t\xc3\xa9@example.test", ADDR_LOCAL },
		{ "a@\xc3\xa9t\xc3\xa9.example", ADDR_DOMAIN },
	};

	run_table(t, nitems(t));
	/* A NUL inside the bytes is not the end of the address. */
	EXPECT(addr_check("a@example.test\0.evil", 20) == ADDR_DOMAIN);
	EXPECT(addr_check("a\0b@example.test", 16) == ADDR_LOCAL);
	EXPECT(addr_check("a@[IPv6:::1\0]", 13) == ADDR_LITERAL);
}

static void
test_lengths(void)
{
	char local[80], label[80], buf[400];

	/* Local part: 64 octets pass, 65 do not. */
	memset(local, 'l', 64);
	local[64] = '\0';
	snprintf(buf, sizeof(buf), "%s@example.test", local);
	EXPECT(addr_check(buf, strlen(buf)) == ADDR_OK);
	snprintf(buf, sizeof(buf), "%sl@example.test", local);
	EXPECT(addr_check(buf, strlen(buf)) == ADDR_LOCAL_TOO_LONG);
	/* A label: 63 octets pass, 64 do not. */
	memset(label, 'd', 63);
	label[63] = '\0';
	snprintf(buf, sizeof(buf), "a@%s.test", label);
	EXPECT(addr_check(buf, strlen(buf)) == ADDR_OK);
	snprintf(buf, sizeof(buf), "a@%sd.test", label);
	EXPECT(addr_check(buf, strlen(buf)) == ADDR_DOMAIN_TOO_LONG);
	/* The whole address: 254 octets pass, 255 do not. */
	snprintf(buf, sizeof(buf), "%s@%s.%s.%.61s", local, label, label,
	    label);
	EXPECT(strlen(buf) == 254);
	EXPECT(addr_check(buf, strlen(buf)) == ADDR_OK);
	snprintf(buf, sizeof(buf), "%s@%s.%s.%.62s", local, label, label,
	    label);
	EXPECT(addr_check(buf, strlen(buf)) == ADDR_TOO_LONG);
}

static void
test_messages(void)
{
	EXPECT_STR(addr_strerror(ADDR_OK), "valid");
	EXPECT_CONTAINS(addr_strerror(ADDR_LOCAL_TOO_LONG), "64");
	EXPECT_CONTAINS(addr_strerror(ADDR_TOO_LONG), "254");
}

/* Whole addresses only, for "refbot forget" (issue 19 item 5). */
static void
test_mentions(void)
{
	static const struct {
		const char *text, *addr;
		int want;
	} t[] = {
		{ "From: Ann <Ann@X.Example>\r\n", "ann@x.example", 1 },
		{ "ann@x.example", "ann@x.example", 1 },
		{ "write to ann@x.example.", "ann@x.example", 1 },
		{ "mailto:ann@x.example?subject=hi", "ann@x.example", 1 },
		{ "'ann@x.example'", "ann@x.example", 1 },
		{ "joann@x.example", "ann@x.example", 0 },
		{ "jo.ann@x.example jo_ann@x.example", "ann@x.example", 0 },
		{ "ann@x.example.org ann@x.examples", "ann@x.example", 0 },
		{ "ann@x.example-two", "ann@x.example", 0 },
		/* the first is inside a longer one, the second is not */
		{ "joann@x.example, ann@x.example", "ann@x.example", 1 },
		{ "ann@x.exampl", "ann@x.example", 0 },
		{ "", "ann@x.example", 0 },
		{ "anything", "", 0 },
	};
	size_t i;

	for (i = 0; i < nitems(t); i++)
		if (addr_mentions(t[i].text, strlen(t[i].text), t[i].addr,
		    strlen(t[i].addr)) != t[i].want) {
			printf("#   '%s' in '%s': want %d\n", t[i].addr,
			    t[i].text, t[i].want);
			check_cur_failed = 1;
		}
	/* A NUL in the bytes is a byte like another. */
	EXPECT(addr_mentions("x\0ann@x.example", 15, "ann@x.example", 13));
}

int
main(void)
{
	RUN(test_valid);
	RUN(test_invalid);
	RUN(test_controls);
	RUN(test_lengths);
	RUN(test_messages);
	RUN(test_mentions);
	return check_done();
}
