/* cli_daemon: "refbot init", "refbot run" (the daemon) and "refbot doctor". */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "doctor.h"
#include "fault.h"
#include "log.h"
#include "run.h"
#include "staff.h"

static volatile sig_atomic_t stop_flag, hup_flag, wake_flag;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		hup_flag = 1;
	else
		stop_flag = 1;
	wake_flag = 1;
}

static int
cmd_init(const char *conf, int argc, char **argv)
{
	struct refbot rb;
	int rc;

	if (argc > 1)
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 1)) != 0)
		return rc;
	printf("database %s ready (schema version %d)\n", rb.cfg.database,
	    db_schema_version(rb.db));
	refbot_close(&rb);
	return 0;
}

static int
cmd_run(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct sigaction sa;
	char *err = NULL;
	int once = 0, c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o", opts, NULL)) != -1) {
		if (c != 'o')
			return cli_usage();
		once = 1;
	}
	if (optind != argc)
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if ((rc = staff_nobody(rb.db, &rb.cfg, &err)) != 0) {
		fprintf(stderr, "refbot: %s\n", rc < 0 ? db_errmsg(rb.db) : err);
		free(err);
		refbot_close(&rb);
		return rc < 0 ? EX_IOERR_ : EX_CONFIG_;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: waits wake up */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	log_batched();
	log_info("refbot %s%s starting%s", PACKAGE_VERSION, FAULT_BUILD_NOTE,
	    once ? " (one pass)" : "");
	rc = run(&rb, once, &stop_flag, &hup_flag, &wake_flag);
	log_info("refbot stopping (exit %d)", rc);
	refbot_close(&rb);
	return rc;
}

static int
cmd_doctor(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fix", no_argument, NULL, 'f' },
		{ "mail", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	int fix = 0, mail = 0, c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "fm", opts, NULL)) != -1) {
		if (c == 'f')
			fix = 1;
		else if (c == 'm')
			mail = 1;
		else
			return cli_usage();
	}
	if (optind != argc)
		return cli_usage();
	return doctor_run(conf, fix, mail, cli_verbose);
}

const struct cli_cmd cli_init_cmd = { "init",
"  init                          create or upgrade the database\n",
	cmd_init,
"Creates the database named by 'database' in the configuration, or brings\n"
"an existing one to this version's schema; loads and checks the templates\n"
"first.  Run it as the user refbot runs as.  No options.\n"
"\n"
"Example:\n"
"  sudo -u refbot refbot --config /etc/refbot/refbot.conf init\n" };

const struct cli_cmd cli_run_cmd = { "run",
"  run [--once]                  process the intake mailbox and send mail;\n"
"                                with --once, one pass and exit\n",
	cmd_run,
"Options:\n"
"  --once    fetch and process what is in the intake mailbox, send the\n"
"            outbox, run the due SLA and newsletter work, then exit (75 when\n"
"            some mail was left for a later pass)\n"
"Without --once refbot runs until SIGTERM: IMAP IDLE where offered, else\n"
"polling every poll_interval seconds; SIGHUP reloads the configuration.\n"
"\n"
"Example:\n"
"  refbot --config /etc/refbot/refbot.conf run --once\n" };

const struct cli_cmd cli_doctor_cmd = { "doctor",
"  doctor [--fix] [--mail]       check the configuration, files, database\n"
"                                and servers, one line per check; with\n"
"                                --fix, create missing IMAP folders\n",
	cmd_doctor,
"Each line is OK, WARN or FAIL, the check, what was found and, for a\n"
"problem, what to do.  Nothing is changed and no mail is sent, except:\n"
"  --fix     create the missing IMAP folders\n"
"  --mail    send one probe to a plus address of the intake address\n"
"            (intake+doctor.N@...) through the configured SMTP server and\n"
"            wait up to 30 seconds for it in the intake mailbox; says whether\n"
"            the mail system delivers plus addresses (which the signed\n"
"            Reply-To needs; see reply_token in refbot.conf(5)), then\n"
"            deletes the probe\n"
"The exit status is that of the first failure (0 with warnings only).\n"
"\n"
"Example:\n"
"  refbot --config /etc/refbot/refbot.conf doctor --mail\n" };
