/*
 * Unit tests for intake_fields_text (bot/intake_text.c): the echo of a
 * submission's fields in the acknowledgement and staff's notification,
 * byte for byte (issue 21 built it in runs, not a byte at a time).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "intake_text.h"

static struct tfield client = { .key = "client", .title = "Client",
    .title_ja = "紹介先" };
static struct tfield notes = { .key = "notes", .title = "Notes",
    .title_ja = "備考" };

static void
expect_text(struct form_value *v, size_t n, const char *lang,
    const char *want)
{
	struct form f = { .values = v, .nvalues = n };
	char *got = intake_fields_text(&f, lang);

	EXPECT_STR(got, want);
	free(got);
}

static void
test_fields_text(void)
{
	struct form_value v[] = {
		{ &client, "Acme KK", 1 },
		{ &notes, "first line\nsecond line\n\nafter a blank\n", 2 },
		{ &notes, "", 3 },
		{ &client, "\n", 4 },
	};

	expect_text(v, 0, "en", "  -");
	expect_text(v, 1, "en", "  Client: Acme KK");
	expect_text(v, 1, "ja", "  紹介先: Acme KK");
	expect_text(v, 2, "en", "  Client: Acme KK\n"
	    "  Notes: first line\n    second line\n    \n    after a blank\n"
	    "    ");
	expect_text(v + 2, 2, "ja", "  備考: \n  紹介先: \n    ");
}

int
main(void)
{
	RUN(test_fields_text);
	return check_done();
}
