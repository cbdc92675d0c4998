/*
 * cli_given: "refbot given add|set|list": referrals the firm gives to
 * partners, recorded like the ones it receives (client, contact, who,
 * when) with their outcome, for reciprocity both ways (reports and
 * statements).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cli.h"
#include "clock.h"
#include "db_given.h"
#include "db_partners.h"
#include "json.h"

static int
given_add(struct refbot *rb, const char *partner, const char *client,
    const char *contact, const char *note)
{
	struct partner p;
	int64_t id;
	int rc;

	if (contact != NULL && addr_check(contact, strlen(contact)) !=
	    ADDR_OK) {
		fprintf(stderr, "refbot: --contact: %s\n", addr_strerror(
		    addr_check(contact, strlen(contact))));
		return EX_USAGE_;
	}
	if ((rc = cli_find_partner(rb, partner, &p)) != 0)
		return rc;
	if (db_given_add(rb->db, p.id, clock_now(), client, contact, note,
	    cli_actor(), 0, &id) != 0)
		rc = cli_db_error(rb);
	else
		printf("given %lld: %s referred to %s\n", (long long)id, client,
		    p.name);
	partner_free(&p);
	return rc;
}

static int
given_set(struct refbot *rb, const char *idstr, const char *outcome)
{
	char *end;
	long long id = strtoll(idstr, &end, 10);
	int r;

	if (*idstr == '\0' || *end != '\0' || id <= 0 ||
	    (strcmp(outcome, "won") != 0 && strcmp(outcome, "lost") != 0 &&
	    strcmp(outcome, "open") != 0)) {
		fprintf(stderr, "refbot: given set ID won|lost|open\n");
		return EX_USAGE_;
	}
	if ((r = db_given_set(rb->db, id, outcome, clock_now())) < 0)
		return cli_db_error(rb);
	if (r == 0) {
		fprintf(stderr, "refbot: no given referral %lld\n", id);
		return EX_DATAERR_;
	}
	printf("given %lld: %s\n", id, outcome);
	return 0;
}

static int
print_given(const struct given *g, void *arg)
{
	struct list_ctx *lc = arg;
	char at[32], out_at[32];

	cli_iso_time(g->at, at, sizeof(at));
	if (g->outcome_at >= 0)
		cli_iso_time(g->outcome_at, out_at, sizeof(out_at));
	if (!lc->json) {
		printf("%-6lld %-5s %s  %-20s  %s%s%s%s\n", (long long)g->id,
		    g->outcome, at, g->partner_name ? g->partner_name : "-",
		    g->client ? g->client : "(client not recorded)",
		    g->contact ? " <" : "", g->contact ? g->contact : "",
		    g->contact ? ">" : "");
		return 0;
	}
	buf_adds(&lc->out, lc->n++ ? ",\n  {" : "\n  {");
	json_kv_int(&lc->out, "id", g->id, 1);
	json_kv_int(&lc->out, "partner_id", g->partner_id, 0);
	json_kv_str(&lc->out, "partner", g->partner_name, 0);
	json_kv_str(&lc->out, "client", g->client, 0);
	json_kv_str(&lc->out, "contact", g->contact, 0);
	json_kv_str(&lc->out, "note", g->note, 0);
	json_kv_str(&lc->out, "outcome", g->outcome, 0);
	json_kv_str(&lc->out, "recorded_by", g->actor, 0);
	json_kv_str(&lc->out, "at", at, 0);
	json_kv_str(&lc->out, "outcome_at", g->outcome_at >= 0 ? out_at :
	    NULL, 0);
	buf_addc(&lc->out, '}');
	return 0;
}

static int
given_list(struct refbot *rb, const char *partner, int json)
{
	struct list_ctx lc = { json, 0, { NULL, 0, 0 } };
	struct partner p;
	int64_t pid = 0;
	int rc;

	if (partner != NULL) {
		if ((rc = cli_find_partner(rb, partner, &p)) != 0)
			return rc;
		pid = p.id;
		partner_free(&p);
	}
	if (db_given_each(rb->db, pid, print_given, &lc) != 0) {
		buf_free(&lc.out);
		return cli_db_error(rb);
	}
	cli_list_print(&lc);
	buf_free(&lc.out);
	return 0;
}

/* "refbot given add|set|list ..." */
static int
cmd_given(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "client", required_argument, NULL, 'c' },
		{ "contact", required_argument, NULL, 'e' },
		{ "note", required_argument, NULL, 'n' },
		{ "partner", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	const char *verb, *client = NULL, *contact = NULL, *note = NULL;
	const char *partner = NULL;
	int c, rc, json = 0, n;

	if (argc < 2)
		return cli_usage();
	verb = argv[1];
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "c:e:n:p:f:", opts, NULL)) != -1) {
		if (c == 'c')
			client = optarg;
		else if (c == 'e')
			contact = optarg;
		else if (c == 'n')
			note = optarg;
		else if (c == 'p')
			partner = optarg;
		else if (c == 'f') {
			if ((json = cli_parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else
			return cli_usage();
	}
	n = argc - optind;
	if (strcmp(verb, "add") == 0 && n == 1 && client == NULL) {
		fprintf(stderr, "refbot: given add needs --client NAME\n");
		return EX_USAGE_;
	}
	if (!((strcmp(verb, "add") == 0 && n == 1 && *client != '\0') ||
	    (strcmp(verb, "set") == 0 && n == 2) ||
	    (strcmp(verb, "list") == 0 && n == 0)))
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if (strcmp(verb, "add") == 0)
		rc = given_add(&rb, argv[optind], client, contact, note);
	else if (strcmp(verb, "set") == 0)
		rc = given_set(&rb, argv[optind], argv[optind + 1]);
	else
		rc = given_list(&rb, partner, json);
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_given_cmd = { "given",
"  given add PARTNER --client NAME [--contact EMAIL] [--note TEXT]\n"
"                                a referral the firm gave the partner\n"
"  given set ID won|lost|open    how it ended\n"
"  given list [--partner P] [--format text|json]\n",
	cmd_given,
"Records a referral the firm gave to a partner, like the ones it\n"
"receives, and how it ended; reports and statements show both\n"
"directions.\n"
"Options:\n"
"  --client NAME     (add) the client referred (required)\n"
"  --contact EMAIL   (add) the client's contact address\n"
"  --note TEXT       (add) a note kept with it\n"
"  --partner P       (list) one partner (id or address)\n"
"  --format F        (list) text or json\n"
"\n"
"Example:\n"
"  refbot given add partner@firm.example --client \"Acme KK\" \\\n"
"      --contact cfo@acme.example --note \"tax advice\"\n"
"  refbot given set 3 won\n"
"  refbot given list --partner partner@firm.example\n" };
