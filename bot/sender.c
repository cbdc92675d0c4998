/*
 * sender: the outbox drained beside the main loop (sender.h).  It sends
 * only mail without a limit (replies, acknowledgements, staff mail): the
 * paced and halting kinds stay with the main loop, which keeps their
 * state (outbox_limits) across passes and sends the rest after the pass.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "log.h"
#include "outbox.h"
#include "parserchild.h"
#include "sender.h"
#include "smtp.h"

/* The sender process: drains, then waits to be poked; ends at EOF. */
static void __attribute__((noreturn))
sender_main(const struct refbot *rb, int fd, pid_t parent,
    volatile sig_atomic_t *stop)
{
	struct refbot own = *rb;
	struct smtp *smtp;
	char buf[64], *err = NULL;
	ssize_t n = 1;

	/* Only the main process speaks to systemd (NotifyAccess=main). */
	unsetenv("NOTIFY_SOCKET");
	/* A main process killed (SIGKILL, the watchdog) ends it too. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
		_exit(0);
	/* The main process's parser child, database and IMAP are its own. */
	parserchild_forget();
	if (db_open(rb->cfg.database, 0, &own.db, &err) != 0) {
		log_warnx("sender: %s", err);
		_exit(1);
	}
	smtp = smtp_new(&own.cfg);
	while (!*stop && n != 0) {
		if (outbox_drain_unpaced(&own, smtp, stop) < 0)
			break;
		/* Pokes that came meanwhile are one: read them all. */
		while ((n = read(fd, buf, sizeof(buf))) < 0 && errno == EINTR &&
		    !*stop)
			;
		if (n < 0)
			break;
	}
	smtp_free(smtp);
	db_close(own.db);
	_exit(0);
}

void
sender_poke(struct sender *s, const struct refbot *rb,
    volatile sig_atomic_t *stop)
{
	int p[2];
	pid_t pid, parent = getpid();

	if (s->pid == 0) {
		if (pipe2(p, O_CLOEXEC) != 0)
			return;
		fflush(NULL);
		if ((pid = fork()) < 0) {
			log_warnx("sender: fork: %s", strerror(errno));
			close(p[0]);
			close(p[1]);
			return;
		}
		if (pid == 0) {
			close(p[1]);
			sender_main(rb, p[0], parent, stop);
		}
		close(p[0]);
		/* A full pipe has pokes enough: never wait on it. */
		(void)fcntl(p[1], F_SETFL, O_NONBLOCK);
		s->pid = pid;
		s->fd = p[1];
	}
	if (write(s->fd, "", 1) < 0)
		log_debug("sender: poked already (%s)", strerror(errno));
}

void
sender_stop(struct sender *s, int stop)
{
	int status = 0;
	pid_t w;

	if (s->pid == 0)
		return;
	if (stop)
		kill(s->pid, SIGTERM);
	close(s->fd);
	while ((w = waitpid(s->pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (w == s->pid && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		log_warnx("sender: process %ld ended badly (status %d)",
		    (long)s->pid, status);
	s->pid = 0;
	s->fd = -1;
}
