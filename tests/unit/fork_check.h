/*
 * fork_check: for the unit tests that link bot/thread.c (check.h is
 * built into the parser tests too, which do not).
 */
#ifndef REFBOT_FORK_CHECK_H
#define REFBOT_FORK_CHECK_H

#include <time.h>
#include <unistd.h>

#include "check.h"
#include "thread.h"

/*
 * 1: after 0.1 s for the threads to settle, thread_fork() goes, and its
 * child exits 0; 0: the fork failed, or waited 10 s (SIGALRM ends the
 * test), or the child did not exit 0.
 */
static inline int
fork_goes(void)
{
	pid_t pid;

	nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	alarm(10);	/* a fork that waits forever fails the test */
	pid = thread_fork();
	if (pid == 0)
		_exit(0);
	alarm(0);
	return pid > 0 && check_child_ok(pid);
}

#endif
