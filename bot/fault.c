/* fault: test-only fault points (see fault.h); empty in normal builds. */
#include "config.h"

#ifdef REFBOT_FAULT_INJECTION
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "log.h"

#define HANG_SUBJECT "hang-subject:"

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
#else
/* ISO C forbids an empty translation unit. */
typedef int fault_injection_disabled;
#endif
