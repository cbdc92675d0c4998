/*
 * clock: the one wall clock refbot reads.
 *
 * Every "now" in bot/ comes from clock_now() and is passed down; parsers/
 * never read the clock, they take the time as an argument.  Tests move
 * the clock with REFBOT_CLOCK_OFFSET (seconds, may be negative), read
 * once per process, so nobody waits a day for an SLA to run out.
 */
#ifndef REFBOT_CLOCK_H
#define REFBOT_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Seconds since the epoch, moved by REFBOT_CLOCK_OFFSET if set. */
int64_t clock_now(void);

/*
 * t as every time shown to a person is written: in the configured
 * timezone with its offset and, where the zone has one, its name,
 * "2026-12-07 19:00 +0900 JST" (with seconds: "19:00:05").  Fills buf
 * (48 bytes hold any) and returns it.
 */
char *clock_text(int64_t t, int seconds, char *buf, size_t size);

/*
 * The local date and time of t (seconds since the epoch) in the
 * configured timezone (the "timezone" setting becomes TZ at startup):
 * fills *tm and returns tm, so "today" can be passed straight on, e.g.
 * to keyword_parse.
 */
struct tm *clock_local(int64_t t, struct tm *tm);

/*
 * The time at local date and hour (mon 1..12, may run over into the
 * next or previous year; day may be past the month's end), in the
 * configured timezone.
 */
int64_t clock_at(int year, int mon, int day, int hour);

#endif
