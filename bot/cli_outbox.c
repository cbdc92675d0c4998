/* cli_outbox: "refbot outbox list|retry" — the mail refbot sends. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db_outbox.h"
#include "json.h"

static int
print_outmail(const struct outmail *m, void *arg)
{
	struct list_ctx *lc = arg;
	char created[32], sent[32];

	cli_iso_time(m->created_at, created, sizeof(created));
	cli_iso_time(m->sent_at, sent, sizeof(sent));
	if (!lc->json) {
		printf("%-6lld %-8s %-12s %-3d %s %s\n", (long long)m->id,
		    m->status, m->kind, m->attempts, created,
		    m->last_error ? m->last_error : "");
		return 0;
	}
	buf_adds(&lc->out, lc->n++ ? ",\n  {" : "\n  {");
	json_kv_int(&lc->out, "id", m->id, 1);
	json_kv_int(&lc->out, "referral_id", m->referral_id, 0);
	json_kv_str(&lc->out, "kind", m->kind, 0);
	json_kv_str(&lc->out, "status", m->status, 0);
	json_kv_str(&lc->out, "rcpt", m->rcpt, 0);
	json_kv_str(&lc->out, "message_id", m->message_id, 0);
	json_kv_int(&lc->out, "attempts", m->attempts, 0);
	json_kv_str(&lc->out, "created_at", created, 0);
	json_kv_str(&lc->out, "sent_at", m->sent_at ? sent : NULL, 0);
	json_kv_str(&lc->out, "last_error", m->last_error, 0);
	buf_addc(&lc->out, '}');
	return 0;
}

static int
outbox_retry(struct refbot *rb, const char *idstr, int all_failed)
{
	char *end = NULL;
	long long id = idstr ? strtoll(idstr, &end, 10) : 0;
	int n;

	if ((idstr != NULL && (*end != '\0' || id <= 0)) ||
	    (idstr == NULL) == !all_failed) {
		fprintf(stderr, "refbot: outbox retry takes an outbox id or "
		    "--all-failed\n");
		return EX_USAGE_;
	}
	if ((n = db_outbox_retry(rb->db, id, all_failed)) < 0) {
		return cli_db_error(rb);
	}
	if (n == 0 && !all_failed) {
		fprintf(stderr, "refbot: outbox %lld: no such mail, or it was "
		    "sent already, or its body was erased\n", id);
		return EX_DATAERR_;
	}
	printf("%d mail(s) queued to be sent now\n", n);
	return 0;
}

static int
cmd_outbox(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "status", required_argument, NULL, 's' },
		{ "all-failed", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct list_ctx lc = { 0, 0, { NULL, 0, 0 } };
	const char *status = NULL, *verb;
	int c, rc, all_failed = 0;

	if (argc < 2 || (strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "retry") != 0))
		return cli_usage();
	verb = argv[1];
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:s:", opts, NULL)) != -1) {
		if (c == 'f') {
			if ((lc.json = cli_parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else if (c == 's')
			status = optarg;
		else if (c == 'a')
			all_failed = 1;
		else
			return cli_usage();
	}
	if (strcmp(verb, "retry") == 0) {
		if (argc - optind > 1)
			return cli_usage();
		if ((rc = cli_open(&rb, conf, 0)) != 0)
			return rc;
		rc = outbox_retry(&rb, optind < argc ? argv[optind] : NULL,
		    all_failed);
		refbot_close(&rb);
		return rc;
	}
	if (optind != argc)
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if (db_outbox_each(rb.db, status, print_outmail, &lc) != 0) {
		rc = cli_db_error(&rb);
	} else
		cli_list_print(&lc);
	buf_free(&lc.out);
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_outbox_cmd = { "outbox",
"  outbox list [--status pending|sent|failed] [--format text|json]\n"
"  outbox retry ID|--all-failed   send again now (never mail already sent)\n",
	cmd_outbox,
"Options:\n"
"  --status S        pending, sent or failed (list)\n"
"  --format F        text or json (list)\n"
"  --all-failed      every mail that failed for good (retry)\n"
"Temporary failures are retried by 'refbot run' with backoff; 'retry'\n"
"makes a failed or waiting mail due now (never one already sent).\n"
"\n"
"Example:\n"
"  refbot outbox list --status failed\n"
"  refbot outbox retry --all-failed && refbot run --once\n" };
