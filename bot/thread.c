/* thread: starting a thread beside the main loop (thread.h). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "sdnotify.h"
#include "thread.h"

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int busy;	/* threads at work beside the main loop */
static int forking;	/* a fork waits for them to be quiet */

void
thread_quiet(void)
{
	/* A thread going idle shows what it did (log.h). */
	log_flush();
	pthread_mutex_lock(&gate_mu);
	busy--;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
}

void
thread_busy(void)
{
	pthread_mutex_lock(&gate_mu);
	while (forking)
		pthread_cond_wait(&gate_cv, &gate_mu);
	busy++;
	pthread_mutex_unlock(&gate_mu);
}

pid_t
thread_fork(void)
{
	pid_t pid;

	pthread_mutex_lock(&gate_mu);
	forking++;
	while (busy > 0)
		pthread_cond_wait(&gate_cv, &gate_mu);
	pid = fork();
	if (pid == 0)
		return 0;	/* the child: one thread, and no gate to keep */
	forking--;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
	return pid;
}

int
thread_start(pthread_t *t, void *(*fn)(void *), void *arg, const char *who)
{
	sigset_t all, old;
	int rc;

	(void)clock_now();	/* its first call reads the environment */
	pthread_mutex_lock(&gate_mu);
	busy++;
	pthread_mutex_unlock(&gate_mu);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_warnx("%s: cannot start a thread: %s", who, strerror(rc));
		thread_quiet();
	}
	return rc;
}

void
thread_wait(pthread_cond_t *cv, pthread_mutex_t *mu)
{
	struct timespec ts;

	sdnotify_alive();
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec++;
	pthread_cond_timedwait(cv, mu, &ts);
}
