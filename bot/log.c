/* log: levels, stderr or syslog. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int log_syslog;
static int log_verbose;
static int log_journal;		/* stderr goes to systemd's journal */

void
log_init(int use_syslog, int verbose)
{
	log_syslog = use_syslog;
	log_verbose = verbose;
	/* systemd sets JOURNAL_STREAM for a service's stderr. */
	log_journal = getenv("JOURNAL_STREAM") != NULL;
	if (use_syslog)
		openlog("refbot", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

static void
vlog(int pri, const char *prefix, const char *fmt, va_list ap,
    const char *suffix)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog) {
		syslog(pri, "%s%s%s%s", prefix, msg, suffix ? ": " : "",
		    suffix ? suffix : "");
		return;
	}
	/* The journal reads the level from a "<N>" prefix (sd-daemon(3)). */
	if (log_journal)
		fprintf(stderr, "<%d>%s%s%s%s\n", pri, prefix, msg,
		    suffix ? ": " : "", suffix ? suffix : "");
	else
		fprintf(stderr, "refbot: %s%s%s%s\n", prefix, msg,
		    suffix ? ": " : "", suffix ? suffix : "");
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
