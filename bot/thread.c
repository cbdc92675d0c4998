/* thread: starting a thread beside the main loop (thread.h). */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "thread.h"

int
thread_start(pthread_t *t, void *(*fn)(void *), void *arg, const char *who)
{
	sigset_t all, old;
	int rc;

	(void)clock_now();	/* its first call reads the environment */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		log_warnx("%s: cannot start a thread: %s", who, strerror(rc));
	return rc;
}
