/*
 * libFuzzer target: rendering mail texts.  The input is split at NUL
 * bytes into a template and up to four values for {{a}} .. {{d}}.  A
 * rendered subject never holds a line end, and a header-safe value never
 * holds a control character or a blank at an end or twice in a row.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Header-safe values: no C0 control or DEL, single inner spaces only. */
static void
check_value(const char *v)
{
	size_t n = strlen(v), i;

	if (n > 0 && (v[0] == ' ' || v[n - 1] == ' '))
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f ||
		    (v[i] == ' ' && v[i + 1] == ' '))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = { "a", "b", "c", "d" };
	struct render_var vars[4];
	char *copy = xmalloc(size + 1), *p, *end = copy + size;
	char *out, *subject, *body, *unknown;
	const char *tmpl;
	size_t nvars = 0, i;

	memcpy(copy, data, size);
	copy[size] = '\0';
	tmpl = copy;
	p = copy + strlen(copy);
	while (p < end && nvars < nitems(vars)) {
		vars[nvars].name = names[nvars];
		vars[nvars].value = ++p;
		nvars++;
		p += strlen(p);
	}

	out = render(tmpl, vars, nvars, &unknown);
	free(out);
	free(unknown);
	out = render_header(tmpl, vars, nvars, NULL);
	free(out);
	for (i = 0; i < nvars; i++) {
		out = render_header_value(vars[i].value);
		check_value(out);
		free(out);
	}
	if (render_mail(tmpl, vars, nvars, &subject, &body, &unknown) == 0) {
		if (strchr(subject, '\n') != NULL)
			abort();
		free(subject);
		free(body);
		free(unknown);
	}
	free(copy);
	return 0;
}
