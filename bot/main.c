/* main: the refbot command line — global options, then the command. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fault.h"
#include "log.h"

/* Dispatch and help text, in the order of the help text. */
const struct cli_cmd *const cli_table[] = {
	&cli_init_cmd,
	&cli_run_cmd,
	&cli_doctor_cmd,
	&cli_referral_cmd,
	&cli_message_cmd,
	&cli_partner_cmd,
	&cli_payout_cmd,
	&cli_ledger_cmd,
	&cli_given_cmd,
	&cli_cost_cmd,
	&cli_statement_cmd,
	&cli_report_cmd,
	&cli_review_cmd,
	&cli_newsletter_cmd,
	&cli_partner_options,
	&cli_survey_cmd,
	&cli_staff_cmd,
	&cli_outbox_cmd,
	&cli_export_cmd,
	&cli_forget_cmd,
	&cli_parse_cmd,
	NULL,
};

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "syslog", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_cmd *const *cmd;
	const char *conf = getenv("REFBOT_CONFIG");
	int c, verbose = 0, use_syslog = 0;

	if (conf == NULL || *conf == '\0')
		conf = SYSCONFDIR "/refbot/refbot.conf";
	while ((c = getopt_long(argc, argv, "+c:vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 'v': verbose = cli_verbose = 1; break;
		case 's': use_syslog = 1; break;
		case 'h': cli_help(stdout); return 0;
		case 'V':
			printf("refbot %s%s\n", PACKAGE_VERSION, FAULT_BUILD_NOTE);
			return 0;
		default: return cli_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage();
	log_init(use_syslog, verbose);
	for (cmd = cli_table; *cmd != NULL; cmd++) {
		if ((*cmd)->name == NULL || strcmp(argv[0], (*cmd)->name) != 0)
			continue;
		/* "refbot COMMAND [VERB] --help": that command's own help. */
		for (c = 1; c < argc; c++)
			if (strcmp(argv[c], "--help") == 0 ||
			    strcmp(argv[c], "-h") == 0) {
				cli_command_help(stdout, *cmd);
				return 0;
			}
		return (*cmd)->exec(conf, argc, argv);
	}
	fprintf(stderr, "refbot: unknown command '%s'\n", argv[0]);
	return cli_usage();
}
