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

#include <stdint.h>

/* Seconds since the epoch, moved by REFBOT_CLOCK_OFFSET if set. */
int64_t clock_now(void);

#endif
