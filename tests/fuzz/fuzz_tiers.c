/*
 * libFuzzer target: a tiers file (templates/tiers.txt).  An operator's
 * file, not a sender's, but a parser all the same: it either loads
 * with a default row, every rate and conversion within 0-100 % and a
 * line inside the file, or fails with a message and a line inside the
 * file; matching and the shortfall words never fail on what loaded.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tiers.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tier_rows t;
	struct tier_stats s;
	char *err = NULL, *why;
	int line, lines = 1, defaults = 0;
	size_t i;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (tier_rows_parse((const char *)data, size, &t, &line, &err) != 0) {
		if (err == NULL || *err == '\0' || line < 0 || line > lines)
			abort();
		free(err);
		return 0;
	}
	if (err != NULL || t.n > TIERS_MAX)
		abort();
	for (i = 0; i < t.n; i++) {
		if (t.v[i].rate_bp < 0 || t.v[i].rate_bp > 10000 ||
		    t.v[i].min_conv_bp > 10000 || t.v[i].line < 1 ||
		    t.v[i].line > lines ||
		    memchr(t.v[i].text, '\0', sizeof(t.v[i].text)) == NULL)
			abort();
		defaults += t.v[i].min_count < 0 && t.v[i].min_conv_bp < 0;
	}
	if (t.n > 0 && defaults != 1)
		abort();
	s.count = size % 13;
	s.closed = size % 7;
	s.won = s.closed / 2;
	if (t.n > 0 && tier_rows_match(&t, &s) == NULL)
		abort();
	for (i = 0; i < t.n; i++) {
		why = tier_row_shortfall(&t.v[i], &s);
		if (why != NULL && *why == '\0')
			abort();
		free(why);
	}
	return 0;
}
