/*
 * thread: starting a thread beside the main loop (the sender, the filer).
 */
#ifndef REFBOT_THREAD_H
#define REFBOT_THREAD_H

#include <pthread.h>

/*
 * Starts fn(arg) with every signal blocked in it: signals go to the main
 * loop, whose waits they must end.  Returns 0, or pthread_create's error
 * (logged, naming who).
 */
int thread_start(pthread_t *, void *(*fn)(void *), void *arg,
    const char *who);

#endif
