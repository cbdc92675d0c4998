/* Unit tests for the duplicate-detection keys (parsers/normalize.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "normalize.h"

static const struct {
	const char *a, *b;
	int same;
} names[] = {
	{ "Acme Widgets Ltd", "ACME WIDGETS, LTD.", 1 },
	{ "Acme Widgets Ltd", "ＡＣＭＥ　Widgets Limited", 1 },
	{ "Acme Widgets Inc.", "The Acme Widgets Company", 1 },
	{ "Acme Widgets", "Acme Gadgets", 0 },
	{ "株式会社サンプル", "サンプル株式会社", 1 },
	{ "株式会社サンプル", "(株)サンプル", 1 },
	{ "株式会社サンプル", "㈱サンプル", 1 },
	{ "株式会社サンプル", "株式会社サンプル工業", 0 },
	{ "Sample K.K.", "Sample KK", 1 },
	{ "Ernst & Partner GmbH", "Ernst Partner", 1 },
};

static void
test_company_keys(void)
{
	size_t i;

	for (i = 0; i < nitems(names); i++) {
		char *a = normalize_company(names[i].a);
		char *b = normalize_company(names[i].b);
		int same = strcmp(a, b) == 0;

		if (same != names[i].same)
			printf("#   \"%s\" -> \"%s\", \"%s\" -> \"%s\"\n",
			    names[i].a, a, names[i].b, b);
		EXPECT(same == names[i].same);
		EXPECT(*a != '\0');
		free(a);
		free(b);
	}
}

static void
test_empty_and_forms_only(void)
{
	char *k = normalize_company("株式会社");

	/* Nothing left: no key, so nothing matches on it. */
	EXPECT_STR(k, "");
	free(k);
	k = normalize_company(NULL);
	EXPECT_STR(k, "");
	free(k);
}

static void
test_domains(void)
{
	char *d = normalize_domain("Jane@Acme.Example");

	EXPECT_STR(d, "acme.example");
	free(d);
	EXPECT(normalize_domain("someone@gmail.com") == NULL);
	EXPECT(normalize_domain("yamada@yahoo.co.jp") == NULL);
	EXPECT(normalize_domain("not-an-address") == NULL);
	EXPECT(normalize_domain(NULL) == NULL);
}

int
main(void)
{
	RUN(test_company_keys);
	RUN(test_empty_and_forms_only);
	RUN(test_domains);
	return check_done();
}
