/* commission: the tier table and integer commission maths. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commission.h"
#include "kvfile.h"
#include "util.h"

int64_t
commission_percent_bp(const char *s)
{
	int64_t whole = 0, frac = 0;
	int digits = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9' && whole < 1000)
		whole = whole * 10 + (*s++ - '0');
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9' && digits < 2; digits++)
			frac = frac * 10 + (*s++ - '0');
		if (digits == 1)
			frac *= 10;
	}
	if (*s == '%')
		s++;
	if (*s != '\0' || whole > 100 || (whole == 100 && frac > 0))
		return -1;
	return whole * 100 + frac;
}

int
tier_table_parse(const char *s, struct tier_table *t, char **errstr)
{
	char **items;
	size_t n, i;
	int64_t last = 0;

	memset(t, 0, sizeof(*t));
	items = kv_split_list(s, &n);
	if (n == 0 || n > nitems(t->steps)) {
		*errstr = xstrdup("a tier table needs 1 to 16 steps such as "
		    "\"3:10, 10:15, *:20\"");
		kv_list_free(items, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *colon = strchr(items[i], ':'), *end;
		int64_t upto, bp;

		if (colon == NULL)
			goto bad;
		*colon = '\0';
		strtrim(items[i]);
		if (strcmp(items[i], "*") == 0)
			upto = -1;
		else {
			upto = strtoll(items[i], &end, 10);
			if (*items[i] == '\0' || *end != '\0' || upto <= last)
				goto bad;
			last = upto;
		}
		if ((bp = commission_percent_bp(strtrim(colon + 1))) < 0 ||
		    (upto == -1 && i != n - 1))
			goto bad;
		t->steps[i].upto = upto;
		t->steps[i].rate_bp = bp;
	}
	if (t->steps[n - 1].upto != -1) {
		*errstr = xstrdup("the last tier must be \"*:RATE\" (every "
		    "referral beyond the others)");
		kv_list_free(items, n);
		return -1;
	}
	t->n = n;
	kv_list_free(items, n);
	return 0;
bad:
	*errstr = xasprintf("tier %zu: write COUNT:PERCENT with rising "
	    "counts, and *:PERCENT last", i + 1);
	kv_list_free(items, n);
	return -1;
}

int64_t
tier_rate(const struct tier_table *t, int64_t n)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->steps[i].upto == -1 || n <= t->steps[i].upto)
			return t->steps[i].rate_bp;
	return 0;
}

const char *
commission_percent_text(int64_t bp, char *buf, size_t size)
{
	if (bp % 100 == 0)
		snprintf(buf, size, "%lld%%", (long long)bp / 100);
	else if (bp % 10 == 0)
		snprintf(buf, size, "%lld.%lld%%", (long long)bp / 100,
		    (long long)bp % 100 / 10);
	else
		snprintf(buf, size, "%lld.%02lld%%", (long long)bp / 100,
		    (long long)bp % 100);
	return buf;
}

int64_t
commission_of(int64_t amount, int64_t rate_bp)
{
	if (amount <= 0 || rate_bp <= 0)
		return 0;
	return (amount * rate_bp + 5000) / 10000;
}
