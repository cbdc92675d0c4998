/*
 * parserchild: fork, socket, limits and restarts of the parser child
 * (parserchild.h).  The bot writes a length and the message; the child
 * answers with a length and the analysis (wire.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault.h"
#include "html.h"
#include "log.h"
#include "parserchild.h"
#include "thread.h"
#include "sdnotify.h"
#include "util.h"
#include "wire.h"

/*
 * Messages sent ahead of the caller's questions, at most: enough that
 * the child, sharing its core with the mail server, rarely runs dry
 * (8 ahead: 3.07 s for 10,000, 32: 2.94 s, bench/run-all ingest).
 */
#define AHEAD_MAX 32
/* Messages the caller may say it will ask about (parserchild_next). */
#define QUEUE_MAX 64

/* A message for the child: its length (8 bytes), then its bytes. */
struct outmsg {
	const char *raw;
	size_t len;
	uint64_t hdr;		/* len, as sent */
	int queued;		/* it came from the queue */
};

/*
 * The child: its pid, our end of its socket (non-blocking), and the
 * messages sent to it whose answers are not read yet, in order.  Of
 * those, sent[out] and after are not all written yet (from outoff in
 * sent[out]): they are written as the socket takes them, so that the
 * bot never blocks writing while the child blocks writing its answers.
 * deaf: writing failed (the child is gone); what it answered before is
 * still read.
 */
static struct {
	pid_t pid;
	int fd;
	struct outmsg sent[AHEAD_MAX];
	size_t nsent, out, outoff;
	int deaf;
} child = { .pid = -1, .fd = -1 };

/* What the caller will ask about, in order: queue[qat] on. */
static struct {
	const char *raw;
	size_t len;
} queue[QUEUE_MAX];
static size_t nqueue, qat;
/* Children started (parserchild_starts). */
static unsigned starts;

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

/* How a worker that served PARSERCHILD_RECYCLE messages exits. */
#define WORKER_RECYCLED 75
/* How the child exits when it cannot run a worker (fork, dup2, prctl). */
#define CHILD_UNABLE 71

/*
 * A worker's loop: a length, that many bytes, analyze() under a CPU
 * limit of PARSERCHILD_CPU_LIMIT seconds more than it has used so far,
 * the analysis back.  It leaves when the bot closes the socket (0), or
 * after PARSERCHILD_RECYCLE messages (WORKER_RECYCLED): it reads no byte
 * past the last of those, so the next worker takes the next message.
 */
_Noreturn static void
worker_main(const struct analyze_opts *o, int fd)
{
	struct analysis a;
	struct rusage ru;
	struct rlimit rl;
	struct buf out;
	char *buf = NULL;
	size_t cap = 0;
	uint64_t len, olen;
	unsigned served;
	int limited;

	buf_init(&out);
	limited = getrlimit(RLIMIT_CPU, &rl) == 0;
	for (served = 0; served < PARSERCHILD_RECYCLE; served++) {
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
		if (limited && getrusage(RUSAGE_SELF, &ru) == 0) {
			rlim_t soft = (rlim_t)ru.ru_utime.tv_sec +
			    (rlim_t)ru.ru_stime.tv_sec +
			    PARSERCHILD_CPU_LIMIT + 1;

			if (rl.rlim_max != RLIM_INFINITY && soft > rl.rlim_max)
				soft = rl.rlim_max;
			/* It moves once a second of CPU, not each message. */
			if (soft != rl.rlim_cur) {
				rl.rlim_cur = soft;
				setrlimit(RLIMIT_CPU, &rl);
			}
		}
		fault_crash_parser(buf, (size_t)len);	/* test builds only */
		analyze(buf, (size_t)len, o, &a);
		/* Its length, then the analysis: one send. */
		buf_reset(&out);
		olen = 0;
		buf_add(&out, &olen, sizeof(olen));
		if (wire_put(&a, o->tmpl, &out) != 0)
			_exit(70);	/* an analysis outside its template */
		analysis_free(&a);
		olen = out.len - sizeof(olen);
		memcpy(out.data, &olen, sizeof(olen));
		if (send_full(fd, out.data, out.len) != 0)
			_exit(0);
	}
	_exit(WORKER_RECYCLED);
}

/*
 * The child: it forks a worker from itself, and a fresh one each time
 * the last has served its PARSERCHILD_RECYCLE messages.  So the bot forks
 * once, not every PARSERCHILD_RECYCLE messages: a fork of the bot waits
 * for its threads to be quiet, and then costs it a page fault for each
 * page it writes, a seventh of ingest's time (issue 21).  A worker that
 * ends otherwise (the socket's end, a crash, its CPU limit) ends the
 * child the same way, so the bot sees what the worker did.
 */
_Noreturn static void
child_main(const struct analyze_opts *o, int fd)
{
	struct rlimit nocore = { 0, 0 };
	pid_t self, pid;
	sigset_t sig;
	int status;

	/* Only the bot stops it (by closing the socket), never a signal. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	/* Nothing of the bot's (IMAP, SMTP, database) stays open here. */
	if (fd != 3) {
		if (dup2(fd, 3) < 0)
			_exit(CHILD_UNABLE);
		fd = 3;
	}
	closefrom(4);
	self = getpid();
	for (;;) {
		if ((pid = fork()) < 0)
			_exit(CHILD_UNABLE);
		if (pid == 0) {
			/* It goes with the child (the bot's kill). */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
			    getppid() != self)
				_exit(CHILD_UNABLE);
			worker_main(o, fd);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				_exit(CHILD_UNABLE);
		if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_RECYCLED)
			continue;
		if (WIFEXITED(status))
			_exit(WEXITSTATUS(status));
		/* The worker's signal, without a second core dump. */
		(void)setrlimit(RLIMIT_CORE, &nocore);
		signal(WTERMSIG(status), SIG_DFL);
		sigemptyset(&sig);
		sigaddset(&sig, WTERMSIG(status));
		sigprocmask(SIG_UNBLOCK, &sig, NULL);
		raise(WTERMSIG(status));
		_exit(CHILD_UNABLE);
	}
}

/*
 * The child is gone, or is made to go (kill): reaped, its status in
 * *status.  What was sent to it and not answered goes back to the queue.
 */
static void
child_gone(int kill_it, int *status)
{
	size_t i;

	if (kill_it)
		kill(child.pid, SIGKILL);
	close(child.fd);
	while (waitpid(child.pid, status, 0) < 0 && errno == EINTR)
		;
	for (i = 0; i < child.nsent; i++)
		if (child.sent[i].queued && qat > 0)
			qat--;
	child.pid = -1;
	child.fd = -1;
	child.nsent = child.out = child.outoff = 0;
	child.deaf = 0;
}

void
parserchild_stop(void)
{
	int status;

	/* A message sent ahead is not waited for (it may never end). */
	if (child.pid >= 0)
		child_gone(child.nsent > 0, &status);
}

static int
child_start(const struct analyze_opts *o)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	fflush(NULL);
	log_flush();
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
	(void)fcntl(sv[0], F_SETFL, O_NONBLOCK);
	child.pid = pid;
	child.fd = sv[0];
	starts++;
	return 0;
}

unsigned
parserchild_starts(void)
{
	return starts;
}

/* Writes what the socket takes of the messages not yet written. */
static void
flush_out(void)
{
	while (!child.deaf && child.out < child.nsent) {
		struct outmsg *m = &child.sent[child.out];
		size_t off = child.outoff, n;
		const char *p;
		ssize_t w;

		if (off < sizeof(m->hdr)) {
			p = (const char *)&m->hdr + off;
			n = sizeof(m->hdr) - off;
		} else if (off - sizeof(m->hdr) < m->len) {
			p = m->raw + (off - sizeof(m->hdr));
			n = m->len - (off - sizeof(m->hdr));
		} else {
			child.out++;
			child.outoff = 0;
			continue;
		}
		if ((w = send(child.fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT)) < 0) {
			if (errno == EINTR)
				continue;
			/*
			 * Gone, or unable to take more (ENOBUFS): it gets
			 * no more, and reads to its end what it got (a
			 * message cut short there is asked again).
			 */
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				child.deaf = 1;
				(void)shutdown(child.fd, SHUT_WR);
			}
			return;
		}
		if (w == 0)	/* never for a stream socket: no spinning */
			return;
		child.outoff += (size_t)w;
	}
}

/* Sends raw to the child after those sent (nsent < AHEAD_MAX). */
static void
push(const char *raw, size_t len, int queued)
{
	struct outmsg *m = &child.sent[child.nsent++];

	m->raw = raw;
	m->len = len;
	m->hdr = len;
	m->queued = queued;
	flush_out();
}

/*
 * Sends ahead what the caller will ask about, up to AHEAD_MAX, so that
 * the child parses it while the caller acts on what was answered.
 */
static void
pump(void)
{
	while (child.pid >= 0 && !child.deaf && qat < nqueue &&
	    child.nsent < AHEAD_MAX) {
		push(queue[qat].raw, queue[qat].len, 1);
		qat++;
	}
}

/*
 * Waits, a second at a time (a bounded wait, so the watchdog is told),
 * until the child's answer can be read, writing meanwhile what is left to
 * write; *waited counts the seconds, up to PARSERCHILD_WALL_LIMIT for the
 * whole answer.  Returns 1 when it can be read, 0 on time out, -1 on a
 * poll error.
 */
static int
wait_answer(int *waited)
{
	struct pollfd pfd;
	int r;

	pfd.fd = child.fd;
	while (*waited < PARSERCHILD_WALL_LIMIT) {
		flush_out();
		pfd.events = POLLIN;
		if (!child.deaf && child.out < child.nsent)
			pfd.events |= POLLOUT;
		sdnotify_alive();
		if ((r = poll(&pfd, 1, 1000)) < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			(*waited)++;
		else if (pfd.revents & ~POLLOUT)
			return 1;
	}
	return 0;
}

/*
 * Reads len bytes of the answer, waiting as wait_answer does when none
 * are there: during a backlog they usually are (sent ahead), and a poll
 * before each read was two system calls a message more (issue 21).
 */
static int
read_answer(void *buf, size_t len, int *waited)
{
	char *p = buf;
	ssize_t n;
	int r;

	while (len > 0) {
		flush_out();
		if ((n = read(child.fd, p, len)) > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n == 0 || (errno != EINTR && errno != EAGAIN &&
		    errno != EWOULDBLOCK))
			return -1;
		else if (errno != EINTR && (r = wait_answer(waited)) <= 0)
			return r;
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
 * Reads the answer to sent[0] into *ans (caller frees), and takes it off
 * the list (a message that was not answered is not sent again: its
 * child goes); *whole says whether all of it had been written.
 * Returns 1, or as read_answer; *err says why an answer is refused.
 */
static int
take_answer(char **ans, uint64_t *alen, int *whole, const char **err)
{
	int waited = 0, r;

	*ans = NULL;
	r = read_answer(alen, sizeof(*alen), &waited);
	if (r > 0 && *alen > answer_max(child.sent[0].len)) {
		*err = "an answer longer than any analysis";
		r = -1;
	}
	if (r > 0) {
		*ans = xmalloc(*alen > 0 ? (size_t)*alen : 1);
		r = read_answer(*ans, (size_t)*alen, &waited);
	}
	/* Off the list, answered or not (then the child goes). */
	*whole = child.out > 0;
	if (child.out > 0)
		child.out--;
	else
		child.outoff = 0;
	child.nsent--;
	memmove(child.sent, child.sent + 1,
	    child.nsent * sizeof(child.sent[0]));
	return r;
}

void
parserchild_next(const char *raw, size_t len)
{
	if (raw != NULL && nqueue < QUEUE_MAX) {
		queue[nqueue].raw = raw;
		queue[nqueue++].len = len;
	}
	pump();	/* the child starts on it now, if it runs */
}

void
parserchild_next_end(void)
{
	nqueue = qat = 0;
	if (child.nsent > 0)
		parserchild_stop();
}

/* Where raw is among the messages sent, or nsent. */
static size_t
sent_index(const char *raw, size_t len)
{
	size_t k;

	for (k = 0; k < child.nsent; k++)
		if (child.sent[k].raw == raw && child.sent[k].len == len)
			break;
	return k;
}

/* The queue past raw, if the caller said it would ask about it. */
static void
queue_skip(const char *raw, size_t len)
{
	size_t k;

	for (k = qat; k < nqueue; k++)
		if (queue[k].raw == raw && queue[k].len == len) {
			qat = k + 1;
			return;
		}
}

int
parserchild_analyze(const struct analyze_opts *o, const char *raw,
    size_t len, struct analysis *a, char **why)
{
	uint64_t alen = 0;
	const char *err = NULL;
	char *ans = NULL;
	int status, tries, r = -1, whole = 0;
	size_t k;

	memset(a, 0, sizeof(*a));
	for (tries = 0; tries < 2; tries++) {
		/*
		 * Not sent ahead: another is asked about than those sent,
		 * whose answers are then lost (a new child).
		 */
		if ((k = sent_index(raw, len)) == child.nsent) {
			if (child.nsent > 0)
				parserchild_stop();
			queue_skip(raw, len);
			if (child.pid < 0 && child_start(o) != 0) {
				*why = xstrdup("cannot fork the parser");
				return -1;
			}
			push(raw, len, 0);
			k = 0;
		}
		/* Sent ahead but not asked about: their answers dropped. */
		for (r = 1; k > 0 && r > 0; k--) {
			r = take_answer(&ans, &alen, &whole, &err);
			free(ans);
		}
		if (r <= 0) {	/* the child went on one of those */
			child_gone(1, &status);
			err = NULL;
			continue;
		}
		pump();
		r = take_answer(&ans, &alen, &whole, &err);
		if (r > 0 && wire_get(ans, (size_t)alen, o->tmpl, a,
		    &err) == 0) {
			free(ans);
			pump();
			return 0;
		}
		free(ans);
		/*
		 * A child already gone (killed from outside between two
		 * messages) that never took this one whole: not this
		 * message's doing; another child is asked.
		 */
		if (r == -1 && err == NULL && !whole) {
			child_gone(1, &status);
			continue;
		}
		break;
	}
	if (tries == 2) {
		*why = xstrdup("cannot reach the parser");
		return -1;
	}
	/* Whatever went wrong, this child is not asked again. */
	child_gone(r != -1 || err != NULL, &status);
	if (err != NULL)
		*why = xasprintf("the MIME parser gave a malformed answer: %s",
		    err);
	else if (r == 0)
		*why = xasprintf("the MIME parser did not finish on it in %d "
		    "s", PARSERCHILD_WALL_LIMIT);
	else if (WIFSIGNALED(status))
		*why = xasprintf("the MIME parser crashed on it (signal %d)",
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) == CHILD_UNABLE)	/* not its doing */
		*why = xstrdup("cannot fork the parser");
	else
		*why = xasprintf("the MIME parser failed on it (status %d)",
		    WEXITSTATUS(status));
	return -1;
}
