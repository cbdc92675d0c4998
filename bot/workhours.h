/*
 * workhours: when a response is due, counting wall-clock hours or only
 * business hours — the working days and hours of the firm, less its
 * holidays — in the process's timezone (TZ, set from "timezone").
 *
 * Pure: no clock, no files; the caller reads the holidays file and
 * passes its text.  A struct workhours owns its holiday list.
 */
#ifndef REFBOT_WORKHOURS_H
#define REFBOT_WORKHOURS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct workhours {
	int business;		/* 0: every hour counts */
	unsigned days;		/* bit (1 << tm_wday) per working day */
	int open, close;	/* minutes after local midnight, open < close */
	int32_t *holidays;	/* YYYYMMDD, sorted */
	size_t nholidays;
};

/* "mon-fri", "mon,tue,thu", "sun-thu": 0, or -1 if not days. */
int workhours_days(const char *s, unsigned *days);

/* "09:00-18:00" (up to 24:00): 0, or -1 if not a span of a day. */
int workhours_hours(const char *s, int *open, int *close);

/*
 * Reads a holidays file: one YYYY-MM-DD a line, "#" comments and blank
 * lines.  Returns 0, or -1 with *errstr = "LINE: why" (caller frees).
 */
int workhours_holidays(const char *text, size_t len, struct workhours *,
    char **errstr);

/*
 * The moment seconds of counted time after start: start + seconds for
 * wall-clock hours; else only working days' hours that are no holiday
 * count, as real seconds (a DST change inside the hours shortens or
 * lengthens that day).
 */
int64_t workhours_due(const struct workhours *, int64_t start,
    int64_t seconds);

/* Non-zero when the local day tm is a working day and no holiday. */
int workhours_workday(const struct workhours *, const struct tm *tm);

void workhours_free(struct workhours *);

#endif
