/*
 * log: off a terminal, info and debug lines wait in a buffer (a write(2)
 * each cost ~4% of a backlog: issue 21) until log_flush, a warning,
 * exit() or a second has gone; lines stay whole and in order, and a
 * forked child never writes the lines its parent buffered.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "log.h"

static char path[] = "/tmp/refbot-test-log-XXXXXX";
static int saved_stderr = -1;

/* stderr to an empty file (not a terminal: the lines are buffered). */
static void
capture(int verbose)
{
	int fd;

	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	if ((fd = open(path, O_WRONLY | O_TRUNC)) < 0) {
		perror(path);
		exit(1);
	}
	dup2(fd, STDERR_FILENO);
	close(fd);
	log_init(0, verbose);
	log_batched();
}

static void
release(void)
{
	log_flush();
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
}

/* What the file holds now (static; "" when empty). */
static const char *
written(void)
{
	static char buf[256 * 1024];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

/* "refbot: info: line 0\n" ... for lines from to to - 1. */
static const char *
expected(const char *level, int from, int to)
{
	static char buf[256 * 1024];
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = from; i < to; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "refbot: %s: line %d\n", level, i);
	return buf;
}

static void
test_info_and_debug_wait_for_flush(void)
{
	static char want[8192];
	size_t len = 0;
	int i;

	capture(1);
	for (i = 0; i < 100; i++) {
		if (i % 2)
			log_debug("line %d", i);
		else
			log_info("line %d", i);
		len += (size_t)snprintf(want + len, sizeof(want) - len,
		    "refbot: %s: line %d\n", i % 2 ? "debug" : "info", i);
	}
	EXPECT_STR(written(), "");
	log_flush();
	EXPECT_STR(written(), want);
	release();
}

/* A warning comes at once, after what was logged before it. */
static void
test_warning_writes_buffered_first(void)
{
	char want[4096];

	capture(0);
	log_info("line 0");
	log_info("line 1");
	log_warnx("line 2");
	snprintf(want, sizeof(want), "%srefbot: warning: line 2\n",
	    expected("info", 0, 2));
	EXPECT_STR(written(), want);
	release();
}

/* More than the buffer holds: what is written is whole lines. */
static void
test_full_buffer_writes_whole_lines(void)
{
	const char *w;
	char pad[201];
	size_t len;
	int i, lines;

	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	capture(0);
	for (i = 0; i < 1000; i++)
		log_info("%s %04d", pad, i);
	w = written();
	len = strlen(w);
	EXPECT(len > 0 && len < 1000 * 220);
	for (lines = 0; *w != '\0'; lines++) {
		char want[300];

		snprintf(want, sizeof(want), "refbot: info: %s %04d\n", pad,
		    lines);
		if (strncmp(w, want, strlen(want)) != 0)
			break;
		w += strlen(want);
	}
	EXPECT(*w == '\0');
	EXPECT(lines > 0 && lines < 1000);
	log_flush();
	EXPECT(strlen(written()) == 1000 * 220);
	release();
}

/* A line waits at most about a second behind a newer one. */
static void
test_old_line_goes_with_the_next(void)
{
	capture(0);
	log_info("line 0");
	nanosleep(&(struct timespec){ 1, 100000000 }, NULL);
	EXPECT_STR(written(), "");
	log_info("line 1");
	EXPECT_STR(written(), expected("info", 0, 2));
	release();
}

/* exit() writes what a command logged; a child discards its copy. */
static void
test_exit_and_fork(void)
{
	char want[4096], child[64];
	pid_t pid;
	int status;

	capture(0);
	log_info("line 0");
	fflush(stdout);
	if ((pid = fork()) == 0) {
		log_info("line 1");
		exit(0);
	}
	EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status));
	EXPECT_STR(written(), expected("info", 1, 2));
	log_flush();
	snprintf(child, sizeof(child), "%s", expected("info", 1, 2));
	snprintf(want, sizeof(want), "%s%s", child, expected("info", 0, 1));
	EXPECT_STR(written(), want);
	release();
}

/*
 * An abort (systemd's watchdog sends SIGABRT to a hung daemon) writes
 * the lines buffered before it, and still ends the process by SIGABRT
 * (review: they were lost).
 */
static void
test_abort_writes_buffered(void)
{
	pid_t pid;
	int status;

	capture(0);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct rlimit nocore = { 0, 0 };

		setrlimit(RLIMIT_CORE, &nocore);
		log_info("line 0");
		log_info("line 1");
		abort();
	}
	EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	EXPECT_STR(written(), expected("info", 0, 2));
	release();
}

int
main(void)
{
	int fd;

	unsetenv("JOURNAL_STREAM");
	if ((fd = mkstemp(path)) < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd);
	RUN(test_info_and_debug_wait_for_flush);
	RUN(test_warning_writes_buffered_first);
	RUN(test_full_buffer_writes_whole_lines);
	RUN(test_old_line_goes_with_the_next);
	RUN(test_exit_and_fork);
	RUN(test_abort_writes_buffered);
	unlink(path);
	return check_done();
}
