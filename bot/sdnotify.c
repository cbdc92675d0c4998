/* sdnotify: READY, STATUS and WATCHDOG messages to systemd. */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "sdnotify.h"

static uint64_t watchdog_usec;	/* 0: no watchdog */
static uint64_t last_ping;	/* monotonic microseconds */
static char last_status[128];
static int stopping;
static pthread_t owner;		/* the main loop's thread: only it pings */

static uint64_t
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void
sdnotify_init(void)
{
	uint64_t usec = 0;

	owner = pthread_self();
	/* > 0 only when WATCHDOG_PID, if set, is this process. */
	if (sd_watchdog_enabled(0, &usec) > 0) {
		watchdog_usec = usec;
		log_info("watchdog: pinging systemd every %llu ms",
		    (unsigned long long)(usec / 2000));
	}
}

static void
ping(void)
{
	last_ping = now_usec();
	sd_notify(0, "WATCHDOG=1");
}

void
sdnotify_ready(void)
{
	sd_notify(0, "READY=1");
	if (watchdog_usec > 0)
		ping();
}

void
sdnotify_status(const char *fmt, ...)
{
	char line[sizeof(last_status)], msg[sizeof(line) + 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (strcmp(line, last_status) == 0)
		return;
	memcpy(last_status, line, sizeof(line));
	snprintf(msg, sizeof(msg), "STATUS=%s", line);
	sd_notify(0, msg);
}

void
sdnotify_alive(void)
{
	/* Called as work goes on and in waits: no line is held long. */
	log_flush_stale();
	/* Another thread's progress (the sender's) says nothing of it. */
	if (watchdog_usec > 0 && pthread_equal(owner, pthread_self()) &&
	    now_usec() - last_ping >= watchdog_usec / 2)
		ping();
}

void
sdnotify_extend(unsigned long long usec)
{
	char msg[80];

	if (watchdog_usec == 0 || !pthread_equal(owner, pthread_self()))
		return;
	if (usec > watchdog_usec)
		snprintf(msg, sizeof(msg), "WATCHDOG=1\nWATCHDOG_USEC=%llu",
		    usec);
	else
		snprintf(msg, sizeof(msg), "WATCHDOG_USEC=%llu\nWATCHDOG=1",
		    (unsigned long long)watchdog_usec);
	last_ping = now_usec();
	sd_notify(0, msg);
}

void
sdnotify_reloading(void)
{
	char msg[64];

	/* MONOTONIC_USEC lets a Type=notify-reload manager match the reply. */
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)now_usec());
	sd_notify(0, msg);
}

void
sdnotify_stopping(void)
{
	if (stopping)
		return;
	stopping = 1;
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
}
