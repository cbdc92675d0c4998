/*
 * test_parserchild: the parser child answers every message asked about
 * with its own analysis while it parses the next ones ahead (issue 21),
 * in one child however the asks run: in order, skipping some, asking
 * about one never announced, or crashing on some (fault-injection
 * builds).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "check.h"
#include "parserchild.h"
#include "template.h"
#include "util.h"

#define NMSG 1100

static struct template tmpl;
static struct analyze_opts opts = { &tmpl, "refbot.example.test",
    "X-Refbot-Loop", 25 * 1024 * 1024 };
static char *msg[NMSG];
static size_t msglen[NMSG];

static void
make_messages(void)
{
	size_t i;

	for (i = 0; i < NMSG; i++) {
		msg[i] = xasprintf("From: partner1@example.test\r\n"
		    "To: intake@example.test\r\n"
		    "Subject: Referral %zu%s\r\n"
		    "Message-ID: <pc-%zu@partner.example>\r\n\r\n"
		    "Client: Client %zu KK\r\nContact name: Person %zu\r\n"
		    "Contact email: person%zu@client%zu.example\r\n"
		    "Service needed: Audit\r\nChallenge: Case %zu\r\n"
		    "Client aware: yes\r\n", i,
		    i % 10 == 3 || i % 10 == 4 ? " CRASH-ME" : "", i, i, i,
		    i, i, i);
		msglen[i] = strlen(msg[i]);
	}
}

/* Asks about message i: 1 if it came back as its own, with its fields. */
static int
ask(size_t i)
{
	struct analysis a;
	char *why = NULL, want[64];
	int ok;

	if (parserchild_analyze(&opts, msg[i], msglen[i], &a, &why) != 0) {
		printf("#   message %zu: %s\n", i, why);
		free(why);
		return 0;
	}
	snprintf(want, sizeof(want), "pc-%zu@partner.example", i);
	ok = a.msg.message_id != NULL && strcmp(a.msg.message_id, want) == 0 &&
	    a.form.nvalues > 0;
	if (!ok)
		printf("#   message %zu: answered with <%s>\n", i,
		    a.msg.message_id ? a.msg.message_id : "(none)");
	analysis_free(&a);
	return ok;
}

static void
announce(size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		parserchild_next(msg[i], msglen[i]);
}

/* A batch announced, then asked about in order: one child for all. */
static void
test_in_order(void)
{
	unsigned starts = parserchild_starts();
	size_t i, good = 0;

	announce(10, 60);
	for (i = 10; i < 60; i++)
		good += ask(i);
	parserchild_next_end();
	parserchild_stop();
	EXPECT(good == 50);
	EXPECT(parserchild_starts() - starts == 1);
}

/* Skipping announced messages drops their answers: no new child. */
static void
test_skips(void)
{
	unsigned starts = parserchild_starts();
	static const size_t order[] = { 100, 101, 105, 106, 107, 115, 118 };
	size_t i, good = 0;

	announce(100, 120);
	for (i = 0; i < nitems(order); i++)
		good += ask(order[i]);
	parserchild_next_end();
	parserchild_stop();
	EXPECT(good == nitems(order));
	EXPECT(parserchild_starts() - starts == 1);
}

/* One never announced asked in between: answered, the rest too. */
static void
test_unannounced(void)
{
	size_t i, good = 0;

	announce(200, 210);
	good += ask(200);
	good += ask(500);	/* never announced */
	for (i = 201; i < 210; i++)
		good += ask(i);
	parserchild_next_end();
	parserchild_stop();
	EXPECT(good == 11);
}

/* Announced and never asked about: next_end drops them. */
static void
test_end_early(void)
{
	announce(300, 320);
	EXPECT(ask(300));
	EXPECT(ask(301));
	parserchild_next_end();
	EXPECT(ask(305));	/* a new run, nothing announced */
	parserchild_stop();
}

/* The first pid in /proc's list of the children of process pid, or -1. */
static pid_t
child_of(pid_t pid)
{
	char path[64];
	long c = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children", (long)pid,
	    (long)pid);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%ld", &c) != 1)
			c = -1;
		fclose(f);
	}
	return (pid_t)c;
}

/* The worker that parses now: the child's own child. */
static pid_t
worker(void)
{
	pid_t c = child_of(getpid());

	return c > 0 ? child_of(c) : -1;
}

/*
 * Past the recycling point, in batches of 50: the child's worker is
 * replaced, and the bot forks once (issue 21).
 */
static void
test_recycle(void)
{
	unsigned starts = parserchild_starts();
	size_t i, b, good = 0;
	pid_t first = -1, last;

	for (b = 0; b < NMSG; b += 50) {
		announce(b, b + 50 < NMSG ? b + 50 : NMSG);
		for (i = b; i < b + 50 && i < NMSG; i++) {
			good += ask(i);
			if (i == 0)
				first = worker();
		}
		parserchild_next_end();
	}
	last = worker();
	parserchild_stop();
	EXPECT(good == NMSG);
	EXPECT(parserchild_starts() - starts == 1);
	EXPECT(first > 0 && last > 0 && first != last);
	if (first <= 0 || last <= 0)
		printf("#   no worker found in /proc (%ld, %ld)\n",
		    (long)first, (long)last);
}

#ifdef REFBOT_FAULT_INJECTION
/*
 * Crashes among those parsed ahead: each laid at its own message, the
 * others (also the one right after a crash) answered.
 */
static void
test_crashes(void)
{
	struct analysis a;
	char *why;
	size_t i, good = 0, crashed = 0;

	setenv("REFBOT_FAULT", "crash-parser:CRASH-ME", 1);
	announce(600, 650);
	for (i = 600; i < 650; i++) {
		if (i % 10 != 3 && i % 10 != 4) {
			good += ask(i);
			continue;
		}
		why = NULL;
		if (parserchild_analyze(&opts, msg[i], msglen[i], &a,
		    &why) != 0 && why != NULL && strstr(why, "crashed"))
			crashed++;
		else
			printf("#   message %zu: not laid at it\n", i);
		free(why);
	}
	parserchild_next_end();
	parserchild_stop();
	unsetenv("REFBOT_FAULT");
	EXPECT(good == 40);
	EXPECT(crashed == 10);
}
#endif

int
main(void)
{
	char *text, *err = NULL;
	size_t len, i;

	text = check_slurp("templates/referral.template", &len);
	if (text == NULL || template_parse(text, len, &tmpl, &err) != 0) {
		printf("# template: %s\n", err ? err : "cannot read");
		return 99;
	}
	free(text);
	make_messages();
	RUN(test_in_order);
	RUN(test_skips);
	RUN(test_unannounced);
	RUN(test_end_early);
	RUN(test_recycle);
#ifdef REFBOT_FAULT_INJECTION
	RUN(test_crashes);
#endif
	for (i = 0; i < NMSG; i++)
		free(msg[i]);
	template_free(&tmpl);
	return check_done();
}
