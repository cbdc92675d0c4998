/*
 * parserchild: fork, socket, limits and restarts of the parser child
 * (parserchild.h).  The bot writes a length and the message; the child
 * answers with a length and the analysis (wire.h).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault.h"
#include "html.h"
#include "parserchild.h"
#include "thread.h"
#include "sdnotify.h"
#include "util.h"
#include "wire.h"

/*
 * The child: its pid, our end of its socket, messages served, and the
 * message it was sent ahead whose answer is not read yet (parserchild_next).
 */
static struct {
	pid_t pid;
	int fd;
	unsigned served;
	const char *inflight;
	size_t inflight_len;
} child = { -1, -1, 0, NULL, 0 };

/* The message the caller will ask about next (parserchild_next). */
static const char *next_raw;
static size_t next_len;

static int
read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = read(fd, p, len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
send_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = send(fd, p, len, MSG_NOSIGNAL)) < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The child's loop: a length, that many bytes, analyze() under a CPU
 * limit of PARSERCHILD_CPU_LIMIT seconds more than it has used so far,
 * the analysis back.  It leaves when the bot closes the socket.
 */
_Noreturn static void
child_main(const struct analyze_opts *o, int fd)
{
	struct analysis a;
	struct rusage ru;
	struct rlimit rl;
	struct buf out;
	char *buf = NULL;
	size_t cap = 0;
	uint64_t len, olen;

	/* Only the bot stops it (by closing the socket), never a signal. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	/* Nothing of the bot's (IMAP, SMTP, database) stays open here. */
	if (fd != 3) {
		if (dup2(fd, 3) < 0)
			_exit(71);
		fd = 3;
	}
	closefrom(4);
	buf_init(&out);
	for (;;) {
		if (read_full(fd, &len, sizeof(len)) != 0)
			_exit(0);
		if (len > SIZE_MAX)
			_exit(70);
		if (len > cap) {
			free(buf);
			cap = (size_t)len;
			buf = xmalloc(cap);
		}
		if (read_full(fd, buf, (size_t)len) != 0)
			_exit(0);
		if (getrusage(RUSAGE_SELF, &ru) == 0 &&
		    getrlimit(RLIMIT_CPU, &rl) == 0) {
			rlim_t soft = (rlim_t)ru.ru_utime.tv_sec +
			    (rlim_t)ru.ru_stime.tv_sec +
			    PARSERCHILD_CPU_LIMIT + 1;
			rl.rlim_cur = rl.rlim_max != RLIM_INFINITY &&
			    soft > rl.rlim_max ? rl.rlim_max : soft;
			setrlimit(RLIMIT_CPU, &rl);
		}
		fault_crash_parser(buf, (size_t)len);	/* test builds only */
		analyze(buf, (size_t)len, o, &a);
		buf_reset(&out);
		if (wire_put(&a, o->tmpl, &out) != 0)
			_exit(70);	/* an analysis outside its template */
		analysis_free(&a);
		olen = out.len;
		if (send_full(fd, &olen, sizeof(olen)) != 0 ||
		    send_full(fd, out.data, out.len) != 0)
			_exit(0);
	}
}

void
parserchild_stop(void)
{
	int status;

	if (child.pid < 0)
		return;
	/* A message sent ahead is not waited for (it may never end). */
	if (child.inflight != NULL)
		kill(child.pid, SIGKILL);
	child.inflight = NULL;
	close(child.fd);
	while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR)
		;
	child.pid = -1;
	child.fd = -1;
}

static int
child_start(const struct analyze_opts *o)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	fflush(NULL);
	if ((pid = thread_fork()) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(o, sv[1]);
	}
	close(sv[1]);
	child.pid = pid;
	child.fd = sv[0];
	child.served = 0;
	return 0;
}

/*
 * Waits, a second at a time (a bounded wait, so the watchdog is told),
 * until the child's answer can be read; *waited counts the seconds, up
 * to PARSERCHILD_WALL_LIMIT for the whole answer.  Returns 1 when it can
 * be read, 0 on time out, -1 on a poll error.
 */
static int
wait_answer(int *waited)
{
	struct pollfd pfd;
	int r;

	pfd.fd = child.fd;
	pfd.events = POLLIN;
	while (*waited < PARSERCHILD_WALL_LIMIT) {
		sdnotify_alive();
		if ((r = poll(&pfd, 1, 1000)) < 0 && errno == EINTR)
			continue;
		if (r != 0)
			return r > 0 ? 1 : -1;
		(*waited)++;
	}
	return 0;
}

/* Reads len bytes of the answer, waiting as wait_answer does. */
static int
read_answer(void *buf, size_t len, int *waited)
{
	char *p = buf;
	ssize_t n;
	int r;

	while (len > 0) {
		if ((r = wait_answer(waited)) <= 0)
			return r;
		if ((n = read(child.fd, p, len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 1;
}

/*
 * The most an analysis of len bytes can take: text converted to UTF-8
 * grows at most threefold and appears at most twice (the text and the
 * form read from it), as do headers and names; the text of HTML, which
 * may grow more, is cut at HTML_MAX_TEXT.
 */
static uint64_t
answer_max(size_t len)
{
	return (uint64_t)len * 16 + 2 * (uint64_t)HTML_MAX_TEXT + 65536;
}

/*
 * The message asked about next goes to the child now, while the caller
 * acts on this one (raw): the child parses it meanwhile.  Not when the
 * child is due to be recycled; a child that refuses it is stopped (the
 * next call starts another).
 */
static void
send_next(const char *raw)
{
	uint64_t n = next_len;

	if (next_raw != NULL && next_raw != raw &&
	    child.served < PARSERCHILD_RECYCLE) {
		if (send_full(child.fd, &n, sizeof(n)) == 0 &&
		    send_full(child.fd, next_raw, next_len) == 0) {
			child.inflight = next_raw;
			child.inflight_len = next_len;
		} else
			parserchild_stop();
	}
	next_raw = NULL;
}

void
parserchild_next(const char *raw, size_t len)
{
	next_raw = raw;
	next_len = len;
}

void
parserchild_next_end(void)
{
	next_raw = NULL;
	if (child.inflight != NULL)
		parserchild_stop();
}

int
parserchild_analyze(const struct analyze_opts *o, const char *raw,
    size_t len, struct analysis *a, char **why)
{
	uint64_t n = len, alen = 0;
	const char *err = NULL;
	char *ans = NULL;
	int status, tries, waited = 0, r;

	memset(a, 0, sizeof(*a));
	/* Sent ahead, but another is asked about: that answer is lost. */
	if (child.inflight != NULL && (child.inflight != raw ||
	    child.inflight_len != len))
		parserchild_stop();
	if (child.pid >= 0 && child.served >= PARSERCHILD_RECYCLE &&
	    child.inflight == NULL)
		parserchild_stop();
	/*
	 * Unless it was sent ahead: a child that is already gone (killed
	 * from outside between two messages) refuses the bytes, so start
	 * another and send them again.
	 */
	for (tries = 0; child.inflight == NULL && tries < 2; tries++) {
		if (child.pid < 0 && child_start(o) != 0) {
			*why = xstrdup("cannot fork the parser");
			return -1;
		}
		if (send_full(child.fd, &n, sizeof(n)) == 0 &&
		    send_full(child.fd, raw, len) == 0)
			break;
		parserchild_stop();
	}
	if (tries == 2) {
		*why = xstrdup("cannot reach the parser");
		return -1;
	}
	child.inflight = NULL;
	r = read_answer(&alen, sizeof(alen), &waited);
	if (r > 0 && alen > answer_max(len)) {
		err = "an answer longer than any analysis";
		r = -1;
	}
	if (r > 0) {
		ans = xmalloc(alen > 0 ? (size_t)alen : 1);
		r = read_answer(ans, (size_t)alen, &waited);
	}
	if (r > 0 && wire_get(ans, (size_t)alen, o->tmpl, a, &err) == 0) {
		free(ans);
		child.served++;
		send_next(raw);
		return 0;
	}
	next_raw = NULL;
	free(ans);
	/* Whatever went wrong, this child is not asked again. */
	if (r != -1 || err != NULL)
		kill(child.pid, SIGKILL);
	close(child.fd);
	while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR)
		;
	child.pid = -1;
	child.fd = -1;
	if (err != NULL)
		*why = xasprintf("the MIME parser gave a malformed answer: %s",
		    err);
	else if (r == 0)
		*why = xasprintf("the MIME parser did not finish on it in %d "
		    "s", PARSERCHILD_WALL_LIMIT);
	else if (WIFSIGNALED(status))
		*why = xasprintf("the MIME parser crashed on it (signal %d)",
		    WTERMSIG(status));
	else
		*why = xasprintf("the MIME parser failed on it (status %d)",
		    WEXITSTATUS(status));
	return -1;
}
