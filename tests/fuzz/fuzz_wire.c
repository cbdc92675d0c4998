/*
 * libFuzzer target: the analysis the parser child sends back (wire.h),
 * read by the bot from a process that parsed hostile mail.  Any bytes
 * must be refused or give an analysis that writes back to exactly the
 * same bytes (one encoding for each analysis), never a crash or a read
 * past the end.  Then the same bytes are taken as a mail: its analysis
 * must survive the round trip, writing the same bytes again.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "template.h"
#include "util.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct template *
tmpl(void)
{
	static struct template t;
	static int loaded;
	char chunk[4096], *err = NULL;
	struct buf b;
	size_t n;
	FILE *f;

	if (loaded)
		return &t;
	if ((f = fopen(FUZZ_SRCDIR "/templates/referral.template", "rb")) ==
	    NULL)
		abort();
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (template_parse(b.data, b.len, &t, &err) != 0)
		abort();
	buf_free(&b);
	loaded = 1;
	return &t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct analyze_opts o = { tmpl(), "refbot.example.test",
	    "X-Refbot-Loop", 1024 * 1024 };
	char *raw = xmalloc(size > 0 ? size : 1);
	struct analysis a, back;
	struct buf b, b2;

	/* An exact-size copy: a read past the length is caught. */
	memcpy(raw, data, size);
	buf_init(&b);
	if (wire_get(raw, size, o.tmpl, &a, NULL) == 0) {
		if (wire_put(&a, o.tmpl, &b) != 0 || b.len != size ||
		    memcmp(b.data, raw, size) != 0)
			abort();
		analysis_free(&a);
	}
	buf_reset(&b);
	analyze(raw, size, &o, &a);
	buf_init(&b2);
	if (wire_put(&a, o.tmpl, &b) != 0 ||
	    wire_get(b.data, b.len, o.tmpl, &back, NULL) != 0 ||
	    back.kind != a.kind || back.ref != a.ref ||
	    back.form.nvalues != a.form.nvalues ||
	    wire_put(&back, o.tmpl, &b2) != 0 || b2.len != b.len ||
	    memcmp(b2.data, b.data, b.len) != 0)
		abort();
	analysis_free(&a);
	analysis_free(&back);
	buf_free(&b);
	buf_free(&b2);
	free(raw);
	return 0;
}
