/*
 * thread: starting a thread beside the main loop (the sender, the filer).
 */
#ifndef REFBOT_THREAD_H
#define REFBOT_THREAD_H

#include <pthread.h>
#include <sys/types.h>

/*
 * Starts fn(arg) with every signal blocked in it: signals go to the main
 * loop, whose waits they must end.  Returns 0, or pthread_create's error
 * (logged, naming who).  The thread counts as busy (below) from here:
 * its last act before it returns is thread_quiet, so that a thread that
 * ends on its own never holds up a fork until it is joined.
 */
int thread_start(pthread_t *, void *(*fn)(void *), void *arg,
    const char *who);

/*
 * A fork copies every lock as it stands, and only the thread that forked:
 * a child forked while the sender or the filer was inside malloc, libcurl
 * or SQLite would wait forever on a lock nobody is left to release (the
 * parser child did, under ASan: issue 21).  So the threads beside the main
 * loop say where they hold nothing — thread_quiet before a wait (a pipe, a
 * condition, a mutex the main loop may hold), thread_busy after it — and
 * thread_fork forks only while none is busy.  A thread that wants to be
 * busy while a fork waits lets the fork go first.
 */
void thread_quiet(void);
void thread_busy(void);
pid_t thread_fork(void);

/*
 * The main loop's wait on a thread (mu held): up to a second on cv,
 * telling the watchdog first, so that the caller, looping until the
 * thread answers, stays alive for it while the thread's work is bounded
 * (its IMAP commands time out).
 */
void thread_wait(pthread_cond_t *cv, pthread_mutex_t *mu);

#endif
