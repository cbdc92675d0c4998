/* clock: the one wall clock refbot reads (see clock.h). */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "clock.h"

int64_t
clock_now(void)
{
	static int64_t offset;
	static int read;

	if (!read) {
		const char *off = getenv("REFBOT_CLOCK_OFFSET");

		offset = off != NULL ? strtoll(off, NULL, 10) : 0;
		read = 1;
	}
	return (int64_t)time(NULL) + offset;
}
