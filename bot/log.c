/*
 * log: levels, stderr or syslog.
 *
 * stderr is unbuffered: a line was a write(2) each, ~22,600 of them in a
 * 10,000-message backlog and ~4% of the main thread (issue 21).  So in
 * the daemon (log_batched), when stderr is not a terminal (the journal,
 * a pipe, a file) and syslog is not in use, info and debug lines gather
 * in one buffer for all threads, written whole lines at a time.  What
 * an operator waits for still comes at once or soon: a warning, fatalx
 * or an abort writes what is buffered and then itself; log_flush
 * (log.h) writes it where the process goes idle; and a line that has
 * waited a second goes with the next line or the next log_flush_stale
 * (each turn of a busy loop).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE	2304		/* a message, its prefix and errno's */
#define LOG_BUFFER	(64 * 1024)
_Static_assert(LOG_LINE < LOG_BUFFER, "a line fits in the buffer");

static int log_syslog;
static int log_verbose;
static int log_journal;		/* stderr goes to systemd's journal */
static int log_buffered;	/* info and debug wait in lb */

static struct {
	pthread_mutex_t	 mu;
	size_t		 len;
	struct timespec	 oldest;	/* when its first line came */
	char		 data[LOG_BUFFER];
} lb = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* A failing stderr loses the line: there is nowhere to say so. */
static void
write_all(const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(STDERR_FILENO, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void
flush_locked(void)
{
	int saved = errno;	/* log_flush's caller may still read it */

	write_all(lb.data, lb.len);
	lb.len = 0;
	errno = saved;
}

/* A fork copies the buffer: only the process that logged writes it. */
static void
fork_prepare(void)
{
	pthread_mutex_lock(&lb.mu);
}

static void
fork_parent(void)
{
	pthread_mutex_unlock(&lb.mu);
}

static void
fork_child(void)
{
	lb.len = 0;
	pthread_mutex_unlock(&lb.mu);
}

void
log_init(int use_syslog, int verbose)
{
	static int once;

	log_syslog = use_syslog;
	log_verbose = verbose;
	/* systemd sets JOURNAL_STREAM for a service's stderr. */
	log_journal = getenv("JOURNAL_STREAM") != NULL;
	if (use_syslog)
		openlog("refbot", LOG_PID | LOG_NDELAY, LOG_MAIL);
	if (!once) {
		once = 1;
		/* exit() writes what a command logged; _exit() does not. */
		atexit(log_flush);
		pthread_atfork(fork_prepare, fork_parent, fork_child);
	}
}

/*
 * An abort (systemd's watchdog, fatalx, a library's assertion) writes
 * what is buffered first: those are the lines an operator needs.  Best
 * effort, without the lock: the thread that hangs may hold it.
 */
static void
on_abort(int sig)
{
	size_t n = lb.len;
	ssize_t w;

	if (n <= sizeof(lb.data)) {
		w = write(STDERR_FILENO, lb.data, n);
		(void)w;
	}
	raise(sig);	/* SA_RESETHAND: the default action when this returns */
}

void
log_batched(void)
{
	struct sigaction sa;

	/* At a terminal someone watches each line as it comes. */
	if (log_syslog || isatty(STDERR_FILENO))
		return;
	log_buffered = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_abort;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGABRT, &sa, NULL);
}

void
log_flush(void)
{
	pthread_mutex_lock(&lb.mu);
	if (lb.len > 0)
		flush_locked();
	pthread_mutex_unlock(&lb.mu);
}

/* The oldest line buffered has waited a second (lb.len > 0). */
static int
stale(const struct timespec *now)
{
	time_t s = now->tv_sec - lb.oldest.tv_sec;

	return s > 1 || (s == 1 && now->tv_nsec >= lb.oldest.tv_nsec);
}

void
log_flush_stale(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&lb.mu);
	if (lb.len > 0 && stale(&now))
		flush_locked();
	pthread_mutex_unlock(&lb.mu);
}

/*
 * Adds a line, whole: the buffer is written only between lines.  With
 * now_too (a warning) the buffer and the line go in one write.
 */
static void
buffer_line(const char *line, size_t n, int now_too)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&lb.mu);
	if (lb.len + n > sizeof(lb.data))
		flush_locked();
	if (lb.len == 0)
		lb.oldest = now;
	memcpy(lb.data + lb.len, line, n);
	lb.len += n;
	if (now_too || stale(&now))
		flush_locked();
	pthread_mutex_unlock(&lb.mu);
}

static void
vlog(int pri, const char *prefix, const char *fmt, va_list ap,
    const char *suffix)
{
	char msg[2048], line[LOG_LINE];
	int n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog) {
		syslog(pri, "%s%s%s%s", prefix, msg, suffix ? ": " : "",
		    suffix ? suffix : "");
		return;
	}
	/* The journal reads the level from a "<N>" prefix (sd-daemon(3)). */
	if (log_journal)
		n = snprintf(line, sizeof(line), "<%d>%s%s%s%s\n", pri, prefix,
		    msg, suffix ? ": " : "", suffix ? suffix : "");
	else
		n = snprintf(line, sizeof(line), "refbot: %s%s%s%s\n", prefix,
		    msg, suffix ? ": " : "", suffix ? suffix : "");
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (log_buffered)
		buffer_line(line, (size_t)n, pri < LOG_INFO);
	else
		write_all(line, (size_t)n);
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, "warning: ", fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, "warning: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, "info: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, "debug: ", fmt, ap, NULL);
	va_end(ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, "fatal: ", fmt, ap, NULL);
	va_end(ap);
	abort();
}
