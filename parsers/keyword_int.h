/*
 * keyword_int: what keyword.c and keyword_amount.c share and nobody else
 * sees: the folded-text helpers of keyword.c, and the amount, date and
 * REF readers of keyword_amount.c.
 */
#ifndef REFBOT_KEYWORD_INT_H
#define REFBOT_KEYWORD_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "keyword.h"

#define AMOUNT_NONE (-2)		/* amount_scan: no amount here */

/* keyword.c */
char *fold(const char *s);
int rx(const char *pattern, const char *s, size_t *ov, int nov);
const char *orig_pos(const char *orig, const char *folded, size_t off);
char *excerpt(const char *s);

/* keyword_error.c: sets cmd's err, its words (copied) and error. */
void keyword_fail(struct keyword_cmd *cmd, enum keyword_err e,
    const char *text, const char *known, const char *near);
/* The same for an amount refused (KWE_AMOUNT_*), in currency. */
void keyword_fail_amount(struct keyword_cmd *cmd, enum keyword_err e,
    const char *text, const char *currency);
/* Why an amount was refused, in English without the keyword; caller frees. */
char *amount_err_sentence(enum keyword_err e, const char *text,
    const char *currency);

/* keyword_amount.c */
/*
 * The currency's code ("JPY" when none is configured).  amount_scan:
 * minor units with *end set; AMOUNT_NONE; or -1 with *err why and *tok
 * the amount as written (caller frees).
 */
const char *amount_code(const char *currency);
int64_t amount_scan(const char *orig, const char *f, const char *currency,
    size_t *end, enum keyword_err *err, char **tok);
int date_scan(const char *f, const struct tm *today, char *iso,
    size_t isolen, size_t *end);
int time_scan(const char *f, int *minute, size_t *end);
int64_t ref_scan(const char *f, size_t *end);

/*
 * keyword_time.c: a time (time_scan), and when a dash, "to" or 〜 and a
 * later time follow it, that end in *end_minute (else -1); -1 as
 * time_scan, and for an end not after the start.
 */
int time_span_scan(const char *f, int *minute, int *end_minute,
    size_t *end);

#endif
