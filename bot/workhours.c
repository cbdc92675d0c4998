/* workhours: response deadlines in wall or business hours (workhours.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "workhours.h"

static const char *const wdays[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat",
};

/* The day named at *s (3 letters, any case): 0-6, or -1. */
static int
wday(const char **s)
{
	int i;

	for (i = 0; i < 7; i++)
		if (ascii_strncasecmp(*s, wdays[i], 3) == 0) {
			*s += 3;
			return i;
		}
	return -1;
}

int
workhours_days(const char *s, unsigned *days)
{
	int a, b;

	*days = 0;
	for (;;) {
		while (*s == ' ')
			s++;
		if ((a = wday(&s)) < 0)
			return -1;
		b = a;
		if (*s == '-') {
			s++;
			if ((b = wday(&s)) < 0)
				return -1;
		}
		/* A range may wrap round the week: fri-mon. */
		for (;; a = (a + 1) % 7) {
			*days |= 1u << a;
			if (a == b)
				break;
		}
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return 0;
		if (*s++ != ',')
			return -1;
	}
}

/* "HH:MM" at *s into minutes, 0-1440; -1 if not one. */
static int
hhmm(const char **s)
{
	const char *p = *s;
	int h, m;

	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' ||
	    p[2] != ':' || p[3] < '0' || p[3] > '5' || p[4] < '0' ||
	    p[4] > '9')
		return -1;
	h = (p[0] - '0') * 10 + p[1] - '0';
	m = (p[3] - '0') * 10 + p[4] - '0';
	*s += 5;
	return h * 60 + m <= 24 * 60 ? h * 60 + m : -1;
}

int
workhours_hours(const char *s, int *open, int *close)
{
	while (*s == ' ')
		s++;
	if ((*open = hhmm(&s)) < 0)
		return -1;
	while (*s == ' ')
		s++;
	if (*s++ != '-')
		return -1;
	while (*s == ' ')
		s++;
	if ((*close = hhmm(&s)) < 0)
		return -1;
	while (*s == ' ')
		s++;
	return *s == '\0' && *open < *close ? 0 : -1;
}

static int
cmp32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

int
workhours_holidays(const char *text, size_t len, struct workhours *w,
    char **errstr)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	const char *p = text, *end = text + len, *eol;
	int line = 0, y, m, d, i;

	w->nholidays = 0;
	for (; p < end; p = eol + (eol < end)) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == eol || *p == '#')
			continue;
		for (i = 0; i < 10 && p + i < eol; i++)
			if (i == 4 || i == 7 ? p[i] != '-' :
			    p[i] < '0' || p[i] > '9')
				break;
		if (i < 10)
			goto bad;
		y = atoi(p);
		m = atoi(p + 5);
		d = atoi(p + 8);
		if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
			goto bad;
		for (p += 10; p < eol && (*p == ' ' || *p == '\t' ||
		    *p == '\r'); p++)
			;
		if (p < eol && *p != '#')
			goto bad;
		w->holidays = xreallocarray(w->holidays, w->nholidays + 1,
		    sizeof(*w->holidays));
		w->holidays[w->nholidays++] = (int32_t)(y * 10000 + m * 100 +
		    d);
	}
	if (w->nholidays > 1)
		qsort(w->holidays, w->nholidays, sizeof(*w->holidays), cmp32);
	return 0;
bad:
	*errstr = xasprintf("%d: not a date written YYYY-MM-DD (a comment "
	    "follows '#')", line);
	return -1;
}

static int
holiday(const struct workhours *w, const struct tm *tm)
{
	int32_t key = (int32_t)((tm->tm_year + 1900) * 10000 +
	    (tm->tm_mon + 1) * 100 + tm->tm_mday);

	return w->nholidays > 0 && bsearch(&key, w->holidays, w->nholidays,
	    sizeof(*w->holidays), cmp32) != NULL;
}

/* The local day of tm at minutes after its midnight (1440: the next). */
int
workhours_workday(const struct workhours *w, const struct tm *tm)
{
	return (w->days & (1u << tm->tm_wday)) && !holiday(w, tm);
}

static int64_t
day_at(const struct tm *tm, int minutes)
{
	struct tm t = *tm;

	t.tm_hour = minutes / 60;
	t.tm_min = minutes % 60;
	t.tm_sec = 0;
	t.tm_isdst = -1;
	return (int64_t)mktime(&t);
}

int64_t
workhours_due(const struct workhours *w, int64_t start, int64_t seconds)
{
	int64_t t = start, left = seconds, open, close, next;
	struct tm tm;
	time_t tt;
	int i;

	if (!w->business || w->days == 0 || seconds <= 0)
		return start + seconds;
	/* Ten years of days at most: a calendar with no working day. */
	for (i = 0; i < 3660; i++) {
		tt = (time_t)t;
		if (localtime_r(&tt, &tm) == NULL)
			break;
		if ((w->days & (1u << tm.tm_wday)) && !holiday(w, &tm)) {
			open = day_at(&tm, w->open);
			close = day_at(&tm, w->close);
			if (t < open)
				t = open;
			if (t < close) {
				if (close - t >= left)
					return t + left;
				left -= close - t;
			}
		}
		next = day_at(&tm, 24 * 60);
		t = next > t ? next : t + 3600;
	}
	return start + seconds;
}

void
workhours_free(struct workhours *w)
{
	if (w == NULL)
		return;
	free(w->holidays);
	w->holidays = NULL;
	w->nholidays = 0;
}
