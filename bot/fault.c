/* fault: test-only fault points (see fault.h); empty in normal builds. */
#include "config.h"

#ifdef REFBOT_FAULT_INJECTION
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "log.h"

#define HANG_SUBJECT "hang-subject:"
#define SLOW_SUBJECT "slow-subject:"
#define CRASH_PARSER "crash-parser:"
#define SCHEMA_STOP "schema-stop:"
#define SLOW_SCRUB "slow-scrub:"
#define SLOW_DECIDE "slow-decide:"
#define FAIL_DECIDE "fail-decide:"
#define FAIL_ATTEMPTS "fail-attempts:"
#define KILL_SENT "kill-sent:"

void
fault_hang_subject(const char *subject)
{
	const char *f = getenv("REFBOT_FAULT");

	if (f == NULL || strncmp(f, HANG_SUBJECT, strlen(HANG_SUBJECT)) != 0 ||
	    f[strlen(HANG_SUBJECT)] == '\0' || subject == NULL ||
	    strstr(subject, f + strlen(HANG_SUBJECT)) == NULL)
		return;
	log_warnx("fault injection: hanging on purpose");
	/*
	 * Like a loop that never ends: signals (SIGTERM, SIGHUP) set their
	 * flags and are ignored; only the watchdog's SIGABRT or a SIGKILL
	 * ends it.  Sleeping, not spinning, spares the test machine.
	 */
	for (;;)
		sleep(60);
}

void
fault_slow_subject(const char *subject)
{
	const char *f = getenv("REFBOT_FAULT");
	unsigned n = 3;

	if (f == NULL || strncmp(f, SLOW_SUBJECT, strlen(SLOW_SUBJECT)) != 0 ||
	    f[strlen(SLOW_SUBJECT)] == '\0' || subject == NULL ||
	    strstr(subject, f + strlen(SLOW_SUBJECT)) == NULL)
		return;
	log_warnx("fault injection: deciding slowly on purpose (%u s)", n);
	while (n > 0)
		n = sleep(n);
}

/* REFBOT_FAULT is prefix followed by a TEXT that raw contains. */
static int
raw_names(const char *prefix, const char *raw, size_t len)
{
	const char *f = getenv("REFBOT_FAULT");
	size_t n = strlen(prefix);

	return f != NULL && strncmp(f, prefix, n) == 0 && f[n] != '\0' &&
	    memmem(raw, len, f + n, strlen(f + n)) != NULL;
}

void
fault_crash_parser(const char *raw, size_t len)
{
	if (raw_names(CRASH_PARSER, raw, len))
		abort();
}

/* The schema version to migrate to: target, or less under schema-stop. */
int
fault_schema_stop(int target)
{
	const char *f = getenv("REFBOT_FAULT");
	int stop;

	if (f == NULL || strncmp(f, SCHEMA_STOP, strlen(SCHEMA_STOP)) != 0)
		return target;
	stop = atoi(f + strlen(SCHEMA_STOP));
	return stop >= 0 && stop < target ? stop : target;
}

/* Before the VACUUM: N seconds asleep, as a long one takes. */
void
fault_slow_scrub(void)
{
	const char *f = getenv("REFBOT_FAULT");
	unsigned n;

	if (f == NULL || strncmp(f, SLOW_SCRUB, strlen(SLOW_SCRUB)) != 0)
		return;
	n = (unsigned)atoi(f + strlen(SLOW_SCRUB));
	log_warnx("fault injection: a VACUUM of %u s", n);
	while (n > 0)
		n = sleep(n);
}

/* Deciding a message that contains TEXT takes N seconds more. */
void
fault_slow_decide(const char *raw, size_t len)
{
	const char *f = getenv("REFBOT_FAULT"), *text;
	unsigned n;

	if (f == NULL || strncmp(f, SLOW_DECIDE, strlen(SLOW_DECIDE)) != 0)
		return;
	f += strlen(SLOW_DECIDE);
	n = (unsigned)atoi(f);
	if ((text = strchr(f, ':')) == NULL || *++text == '\0' ||
	    memmem(raw, len, text, strlen(text)) == NULL)
		return;
	log_warnx("fault injection: deciding slowly for %u s", n);
	while (n > 0)
		n = sleep(n);
	log_warnx("fault injection: deciding on");
}

/* Deciding a message that contains TEXT fails, as a database error would. */
int
fault_fail_decide(const char *raw, size_t len)
{
	if (!raw_names(FAIL_DECIDE, raw, len))
		return 0;
	log_warnx("fault injection: deciding fails on purpose");
	return 1;
}

/*
 * Counting the attempts of a group with a message that contains TEXT
 * fails, as a database error would: the group is left for later before
 * it is decided.
 */
int
fault_fail_attempts(const char *raw, size_t len)
{
	if (!raw_names(FAIL_ATTEMPTS, raw, len))
		return 0;
	log_warnx("fault injection: counting attempts fails on purpose");
	return 1;
}

/* The server accepted a mail of kind: killed before it is recorded. */
void
fault_kill_sent(const char *kind)
{
	const char *f = getenv("REFBOT_FAULT");

	if (f == NULL || strncmp(f, KILL_SENT, strlen(KILL_SENT)) != 0 ||
	    strcmp(f + strlen(KILL_SENT), kind) != 0)
		return;
	log_warnx("fault injection: killed with a mail sent, not recorded");
	raise(SIGKILL);
}
#else
/* ISO C forbids an empty translation unit. */
typedef int fault_injection_disabled;
#endif
