/*
 * log: one line per event, to stderr or syslog.
 *
 * Referrals carry personal data: messages at info level and above name
 * ids (referral, message, outbox row), never bodies or addresses.
 *
 * The daemon's info and debug lines, off a terminal and without syslog,
 * are buffered (log_batched: a write(2) per line cost ~4% of a backlog,
 * issue 21) and written whole lines at a time: before a warning or
 * fatalx, by log_flush, at exit() and on an abort, and normally once
 * the oldest waited a second (checked as a line comes and by
 * log_flush_stale).  Otherwise each line goes at once.
 */
#ifndef REFBOT_LOG_H
#define REFBOT_LOG_H

#include <stdarg.h>

void log_init(int use_syslog, int verbose);
void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * From now on, off a terminal and without syslog, info and debug lines
 * are buffered (the daemon's: a command's few lines stay in order with
 * what it prints on stderr itself); an abort writes them first.
 */
void log_batched(void);
/*
 * Writes the buffered lines.  Called where a process goes quiet, so that
 * what it did shows while it waits: a thread before it waits for work
 * (thread_quiet), the main loop after each batch and before it idles,
 * and before a fork (a child discards the copy it inherits).
 */
void log_flush(void);
/*
 * log_flush if the oldest line has waited a second: cheap enough for a
 * busy loop's every turn (sdnotify_alive), so that no line waits long
 * behind a process that logs nothing more.
 */
void log_flush_stale(void);
/* For broken invariants only, never for bad input or network errors. */
void fatalx(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
