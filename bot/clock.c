/* clock: the one wall clock refbot reads (see clock.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
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

char *
clock_text(int64_t t, int seconds, char *buf, size_t size)
{
	struct tm tm;
	char zone[16];
	size_t n;

	clock_local(t, &tm);
	n = strftime(buf, size, seconds ? "%Y-%m-%d %H:%M:%S %z" :
	    "%Y-%m-%d %H:%M %z", &tm);
	/* A zone without a name ("+09") is said by the offset alone. */
	if (n > 0 && strftime(zone, sizeof(zone), "%Z", &tm) > 0 &&
	    zone[0] != '+' && zone[0] != '-' && n + 1 + strlen(zone) < size) {
		buf[n] = ' ';
		memcpy(buf + n + 1, zone, strlen(zone) + 1);
	}
	if (n == 0 && size > 0)
		buf[0] = '\0';
	return buf;
}

struct tm *
clock_local(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	/* Fails only for a year int cannot hold: keep a valid date then. */
	if (localtime_r(&tt, tm) == NULL)
		*tm = (struct tm){ .tm_year = 70, .tm_mday = 1 };
	return tm;
}

int64_t
clock_at(int year, int mon, int day, int hour)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_isdst = -1;	/* whichever is in force then */
	return (int64_t)mktime(&tm);
}
