/*
 * log: one line per event, to stderr or syslog.
 *
 * Referrals carry personal data: messages at info level and above name
 * ids (referral, message, outbox row), never bodies or addresses.
 */
#ifndef REFBOT_LOG_H
#define REFBOT_LOG_H

#include <stdarg.h>

void log_init(int use_syslog, int verbose);
void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* For broken invariants only, never for bad input or network errors. */
void fatalx(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
