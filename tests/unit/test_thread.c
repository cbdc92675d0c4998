/*
 * thread: thread_fork forks only while the threads beside the main loop
 * are quiet (a child copied while one held an allocator lock waited
 * forever: the parser child under ASan, issue 21), and a thread that
 * ended on its own does not hold a fork up.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "fork_check.h"
#include "thread.h"

static volatile int stop;

/* Ends on its own at once (as the sender does on a failure). */
static void *
ends(void *arg)
{
	(void)arg;
	thread_quiet();
	return NULL;
}

/* A thread that ended, not yet joined, does not hold up a fork. */
static void
test_ended_thread_lets_fork_go(void)
{
	pthread_t t;

	EXPECT(thread_start(&t, ends, NULL, "ends") == 0);
	EXPECT(fork_goes());
	pthread_join(t, NULL);
}

/* A fork waits while a thread is busy, and goes once it is quiet. */
static void *
busy_then_quiet(void *arg)
{
	volatile int *state = arg;

	nanosleep(&(struct timespec){ 0, 200000000 }, NULL);
	*state = 1;
	thread_quiet();
	while (!stop)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	return NULL;
}

static void
test_fork_waits_for_quiet(void)
{
	static volatile int state;
	pthread_t t;
	pid_t pid;
	int forked_after;

	stop = 0;
	EXPECT(thread_start(&t, busy_then_quiet, (void *)&state, "q") == 0);
	pid = thread_fork();
	if (pid == 0)
		_exit(0);
	forked_after = state;
	EXPECT(pid > 0 && check_child_ok(pid));
	EXPECT(forked_after == 1);
	stop = 1;
	pthread_join(t, NULL);
}

int
main(void)
{
	RUN(test_fork_waits_for_quiet);
	RUN(test_ended_thread_lets_fork_go);
	return check_done();
}
