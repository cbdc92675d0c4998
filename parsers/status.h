/*
 * status: the referral pipeline as a state machine — which keyword may
 * move a referral from which state, and where to.  Pure.
 *
 *   NEW, CONTACTED, MEETING, PROPOSAL      open
 *   WON, LOST, DECLINED                    closed (REOPEN goes back)
 *   INCOMPLETE, DISQUALIFIED               waiting for the partner
 */
#ifndef REFBOT_STATUS_H
#define REFBOT_STATUS_H

#include <stddef.h>

#include "keyword.h"

/*
 * The state kw moves a referral in state from to: a static string, the
 * same state for NOTE, or NULL when kw is not allowed from there.
 * REOPEN needs the state before the referral was closed: reopen_to.
 */
const char *status_next(const char *from, enum kw kw, const char *reopen_to);

/* "CONTACTED, MEETING [date], ..." — what may be sent from a state. */
char *status_allowed(const char *from);
/* The i-th keyword allowed from a state, KW_NONE past the last. */
enum kw status_allowed_kw(const char *from, size_t i);

int status_is_open(const char *status);
/*
 * A formal referral, which tiers, reports and duplicate detection count:
 * not waiting for the partner (INCOMPLETE, DISQUALIFIED), not a DUPLICATE.
 */
int status_counts(const char *status);
/* How far along the pipeline: 1 CONTACTED, 2 MEETING, 3 PROPOSAL, 4 WON. */
int status_stage(const char *status);
/* The i-th state, NULL past the last: every state, for listing them. */
const char *status_name(size_t i);

/* Room for a number per state, indexed as status_name. */
#define STATUS_MAX 16
/* The index of a state as status_name counts, or -1. */
int status_index(const char *status);
/*
 * "CONTACTED:7 MEETING:14, PROPOSAL:30": a number of days for some open
 * states, into days[status_index] (others untouched).  0, or -1 when a
 * word is not OPEN-STATE:DAYS (0 to 3650).
 */
int status_days_parse(const char *s, int days[STATUS_MAX]);

#endif
