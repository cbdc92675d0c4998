/*
 * cli_forget: "refbot forget EMAIL [--dry-run]" — one person's personal
 * data erased everywhere refbot keeps it (issue 19 item 5, GDPR / APPI),
 * with what changed, per table.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "retention.h"

/* Says why email cannot be forgotten: 0 when it can, else an EX_* code. */
static int
refused(struct refbot *rb, const char *email)
{
	int64_t partner = 0;

	switch (forget_check(rb, email, &partner)) {
	case FORGET_OK:
		return 0;
	case FORGET_NOT_ADDRESS:
		fprintf(stderr, "refbot: forget: '%s' is not an email address "
		    "(a whole address is erased, never a part of one)\n",
		    email);
		return EX_USAGE_;
	case FORGET_OURS:
		fprintf(stderr, "refbot: forget: %s is refbot's own address\n",
		    email);
		return EX_DATAERR_;
	case FORGET_PARTNER:
		fprintf(stderr, "refbot: forget: %s is the address of partner "
		    "%lld, under which its referrals, ledger and statements "
		    "are kept; nothing was changed.  It is the partner "
		    "firm's contact for the programme; a person who worked "
		    "there is forgotten by their own address\n", email,
		    (long long)partner);
		return EX_DATAERR_;
	default:
		return cli_db_error(rb);
	}
}

static int
cmd_forget(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct erasure e;
	char *email;
	int c, rc, dry_run = 0;
	size_t i;

	optind = 0;
	while ((c = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		if (c == 'n')
			dry_run = 1;
		else
			return cli_usage();
	}
	if (argc - optind != 1)
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	email = xstrdup(argv[optind]);
	ascii_lower(email);
	if ((rc = refused(&rb, email)) != 0) {
		free(email);
		refbot_close(&rb);
		return rc;
	}
	if ((rc = forget_run(&rb, email, dry_run, &e)) < 0) {
		rc = cli_db_error(&rb);
		free(email);
		refbot_close(&rb);
		return rc;
	}
	printf("%s %s: %lld rows%s\n", dry_run ? "would erase" : "erased",
	    email, (long long)erasure_total(&e), dry_run ?
	    " (dry run: nothing changed)" : "");
	for (i = 0; i < ER_NTABLES; i++)
		printf("  %-22s %lld\n", erased_table_name(i),
		    (long long)e.n[i]);
	if (dry_run)
		rc = 0;
	else if (rc == FORGET_SCRUBBED)
		printf("database file compacted (VACUUM), its WAL emptied\n");
	else if (rc == FORGET_WAL_BUSY) {
		printf("database file compacted (VACUUM); another process "
		    "reads it, so the old bytes leave its WAL at the next "
		    "checkpoint\n");
		rc = 0;
	} else {
		fprintf(stderr, "refbot: forget: erased, but the old bytes "
		    "are still in the database file: VACUUM failed (%s); "
		    "run forget again\n", db_errmsg(rb.db));
		rc = EX_TEMPFAIL_;
	}
	free(email);
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_forget_cmd = { "forget",
"  forget EMAIL [--dry-run]    erase one person's personal data everywhere\n",
	cmd_forget,
"Options:\n"
"  --dry-run         say what would change, change nothing\n"
"The referrals whose client or contact EMAIL is are anonymised (their\n"
"fields replaced by \"" ANON_MARKER "\"; state, dates, amounts and the\n"
"ledger kept, so reports do not change); raw mail and outbox bodies that\n"
"hold it are purged and unsent mail to it cancelled; in history, pending\n"
"requests, newsletter drafts, notes and surveys (recipient, answers'\n"
"words) it becomes the marker.  Prints the\n"
"rows changed per table, then compacts the database file so the bytes\n"
"are gone.  A partner's own address is refused.  The mail server's\n"
"copies (the processed folder) are not refbot's: delete them there.\n"
"\n"
"Example:\n"
"  refbot forget client@example.com --dry-run\n"
"  refbot forget client@example.com\n" };
