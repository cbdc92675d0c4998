/*
 * libFuzzer target: staff edit the template by hand, so any bytes must
 * either load or be rejected with a line number — and a loaded template
 * must read any text.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct template t;
	struct form f;
	char *err = NULL, *text;

	if (template_parse((const char *)data, size, &t, &err) != 0) {
		/* Every error starts with the line number. */
		if (err == NULL || err[0] < '0' || err[0] > '9')
			abort();
		free(err);
		return 0;
	}
	/* Read the template's own bytes as a submission, too. */
	text = utf8_sanitize((const char *)data, size);
	form_read(&t, text, &f);
	form_free(&f);
	free(text);
	template_free(&t);
	return 0;
}
