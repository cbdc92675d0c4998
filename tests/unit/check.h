/*
 * check: a tiny test harness.  Each test function is one TAP line,
 * "ok N - name" or "not ok N - name", with "# " lines saying what failed;
 * tests/run counts those lines and make check uses the exit code.
 */
#ifndef REFBOT_CHECK_H
#define REFBOT_CHECK_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static int check_count, check_failed, check_cur_failed;

#define EXPECT(c) do { \
	if (!(c)) { \
		printf("#   %s:%d: expected %s\n", __FILE__, __LINE__, #c); \
		check_cur_failed = 1; \
	} \
} while (0)

#define EXPECT_STR(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) { \
		printf("#   %s:%d: %s is \"%s\", expected \"%s\"\n", \
		    __FILE__, __LINE__, #a, a_ ? a_ : "(null)", \
		    b_ ? b_ : "(null)"); \
		check_cur_failed = 1; \
	} \
} while (0)

#define EXPECT_CONTAINS(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (h_ == NULL || strstr(h_, n_) == NULL) { \
		printf("#   %s:%d: %s is \"%s\", expected it to contain " \
		    "\"%s\"\n", __FILE__, __LINE__, #hay, h_ ? h_ : "(null)", \
		    n_); \
		check_cur_failed = 1; \
	} \
} while (0)

static inline void
check_run(const char *name, void (*fn)(void))
{
	check_cur_failed = 0;
	fn();
	check_count++;
	if (check_cur_failed)
		check_failed++;
	printf("%s %d - %s\n", check_cur_failed ? "not ok" : "ok",
	    check_count, name);
	fflush(stdout);
}

#define RUN(fn) check_run(#fn, fn)

static inline int
check_done(void)
{
	printf("1..%d\n", check_count);
	return check_failed ? 1 : 0;
}

/* A path under the source tree (make distcheck builds elsewhere). */
static inline char *
srcpath(const char *rel)
{
	const char *src = getenv("srcdir");
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", src && *src ? src : ".", rel);
	return buf;
}

/* A file under the source tree, whole; NULL if unreadable.  Caller frees. */
static inline char *
check_slurp(const char *rel, size_t *len)
{
	FILE *f = fopen(srcpath(rel), "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (len != NULL)
		*len = b.len;
	return buf_steal(&b);
}

/*
 * Runs fn(arg) in a child limited to cpu seconds of CPU (and a wall-clock
 * alarm of six times that): for work that must be linear in its input,
 * given an input large enough that anything quadratic cannot finish.
 * fn returns 0 when its result is right.  Fails the current test, saying
 * why, if the child was killed or fn returned non-zero.
 */
static inline void
check_cpu_bounded(const char *what, int (*fn)(void *), void *arg, int cpu)
{
	struct rlimit rl = { (rlim_t)cpu, (rlim_t)cpu + 1 };
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		setrlimit(RLIMIT_CPU, &rl);
		alarm(6 * (unsigned)cpu);	/* a stopped clock fails too */
		_exit(fn(arg) == 0 ? 0 : 1);
	}
	if (pid <= 0 || waitpid(pid, &st, 0) != pid) {
		printf("#   %s: could not run\n", what);
		check_cur_failed = 1;
		return;
	}
	if (WIFSIGNALED(st))
		printf("#   %s: killed by signal %d (%s)\n", what, WTERMSIG(st),
		    WTERMSIG(st) == SIGXCPU ? "over the CPU limit" :
		    "crashed or timed out");
	else if (WEXITSTATUS(st) != 0)
		printf("#   %s: wrong result\n", what);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		check_cur_failed = 1;
}

/* 1: child pid exited 0 within 5 s; 0: it hung (then killed) or failed. */
static inline int
check_child_ok(pid_t pid)
{
	int status, i;

	for (i = 0; i < 500; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0;
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return 0;
}

#endif
