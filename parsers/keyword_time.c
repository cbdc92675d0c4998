/*
 * keyword_time: MEETING's span of time after its date, "14:00-15:30",
 * "2pm to 3:30pm", "14時〜15時半" (#18: the meeting's length).  Pure.
 */
#include "config.h"

#include <stddef.h>

#include "keyword_int.h"

/* Between the two times: a dash, a tilde or wave dash, "to", "から". */
#define SPAN_RE "^\\s?(?:-|–|—|~|〜|to|から)\\s?"

int
time_span_scan(const char *f, int *minute, int *end_minute, size_t *end)
{
	size_t ov[2], e2 = 0;
	int r, m2 = -1;

	*end_minute = -1;
	if ((r = time_scan(f, minute, end)) <= 0)
		return r;
	if (rx(SPAN_RE, f + *end, ov, 1) <= 0)
		return 1;
	/* No time after it ("14:00 to discuss"): the words are the text. */
	if ((r = time_scan(f + *end + ov[1], &m2, &e2)) == 0)
		return 1;
	*end += ov[1] + e2;
	/* A span that ends before it starts is no span (nor past midnight). */
	if (r < 0 || m2 <= *minute) {
		*minute = -1;	/* no time read: the caller reports it */
		return -1;
	}
	*end_minute = m2;
	return 1;
}
