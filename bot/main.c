/* main: the refbot command line. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "cli.h"
#include "db_outbox.h"
#include "db_referrals.h"
#include "doctor.h"
#include "fault.h"
#include "json.h"
#include "keyword.h"
#include "replies.h"
#include "reply.h"
#include "mailout.h"
#include "log.h"
#include "refbot.h"
#include "run.h"
#include "util.h"

static volatile sig_atomic_t stop_flag, hup_flag, wake_flag;

static int verbose_flag;

static const char usage_text[] =
"usage: refbot [--config FILE] [-v] [--syslog] COMMAND [ARGS]\n"
"\n"
"Commands:\n"
"  init                          create or upgrade the database\n"
"  run [--once]                  process the intake mailbox and send mail;\n"
"                                with --once, one pass and exit\n"
"  doctor [--fix]                check the configuration, files, database\n"
"                                and servers, one line per check; with\n"
"                                --fix, create missing IMAP folders\n"
"  referral list [--status S] [--format text|json]\n"
"  referral show REF [--format text|json]\n"
"  referral credit REF           give a duplicate the credit instead\n"
"  partner add EMAIL --name NAME [--welcome] [PARTNER OPTIONS]\n"
"                                --welcome: mail the welcome kit (how to\n"
"                                refer, the form, the overview, an\n"
"                                introduction email), once\n"
"  partner set PARTNER [PARTNER OPTIONS]   (PARTNER: id or address)\n"
"  partner list|show [PARTNER] [--format text|json]\n"
"  partner deactivate PARTNER\n"
"  partner import FILE.csv [--welcome]\n"
"                                email,name,lang,domains,tier,terms,rate\n"
"  partner welcome PARTNER       mail the welcome kit again, on purpose\n"
"  payout add PARTNER AMOUNT [--ref REF] [--note TEXT]\n"
"                                record a commission payment\n"
"  given add PARTNER [--note TEXT]   a referral the firm gave the partner\n"
"  cost add AMOUNT [--note TEXT]  a programme cost, for the ROI in reports\n"
"  statement --quarter 2026Q4 [--partner P] [--send]\n"
"                                each partner's quarter: referrals, revenue,\n"
"                                commission, paid, balance; --send mails it\n"
"                                (once per partner and quarter)\n"
"  report [--from DATE] [--to DATE] [--partner P]\n"
"         [--format text|csv|json|html]\n"
"                                per partner and overall: received, given,\n"
"                                won, conversion, revenue, commission,\n"
"                                median first response, SLA breaches;\n"
"                                html: the scorecard page with charts\n"
"  newsletter set --month 2026-12 --file FILE [--lang en|ja]\n"
"                                the month's hot-opportunity profile\n"
"  newsletter preview --partner P [--month M] [--html]\n"
"                                exactly what P gets: text, or the HTML part\n"
"  newsletter send --month M     queue the month's issue for every partner\n"
"                                who has not had it, and send it now\n"
"  newsletter status [--month M] profiles and what was sent\n"
"    PARTNER OPTIONS: --name N --lang en|ja|auto --domain D (repeatable)\n"
"      --tier 1|2|3 --terms percent|recurring|flat|reciprocal\n"
"      --rate 15% --fee AMOUNT --newsletter on|off --active on|off\n"
"  outbox list [--status pending|sent|failed] [--format text|json]\n"
"  outbox retry ID|--all-failed   send again now (never mail already sent)\n"
"  parse [--format text|json] [--template FILE] < MESSAGE.eml\n"
"                                what refbot concludes from one message,\n"
"                                touching no server and no database\n"
"\n"
"Options:\n"
"  -c, --config FILE   configuration file (default: $REFBOT_CONFIG, else\n"
"                      " SYSCONFDIR "/refbot/refbot.conf)\n"
"  -v, --verbose       debug logging\n"
"      --syslog        log to syslog instead of stderr\n"
"  -h, --help          this text\n"
"  -V, --version       the version\n"
"\n"
"Exit codes follow sysexits(3): 64 usage, 69 server unavailable,\n"
"74 database, 75 try again later, 76 TLS, 77 login refused, 78 config.\n";

int
usage(void)
{
	fputs(usage_text, stderr);
	return EX_USAGE_;
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		hup_flag = 1;
	else
		stop_flag = 1;
	wake_flag = 1;
}

void
iso_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Parses --format text|json; returns 0 text, 1 json, -1 bad. */
int
parse_format(const char *s)
{
	if (strcmp(s, "text") == 0)
		return 0;
	if (strcmp(s, "json") == 0)
		return 1;
	fprintf(stderr, "refbot: --format must be text or json\n");
	return -1;
}

int
open_or_complain(struct refbot *rb, const char *conf, int create)
{
	char *err = NULL;
	int rc = refbot_open(rb, conf, create, &err);

	if (rc != 0) {
		fprintf(stderr, "refbot: %s\n", err);
		free(err);
	}
	return rc;
}

static int
cmd_init(const char *conf, int argc, char **argv)
{
	struct refbot rb;
	int rc;

	if (argc > 1)
		return usage();
	if ((rc = open_or_complain(&rb, conf, 1)) != 0)
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
	int once = 0, c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o", opts, NULL)) != -1) {
		if (c != 'o')
			return usage();
		once = 1;
	}
	if (optind != argc)
		return usage();
	if ((rc = open_or_complain(&rb, conf, 0)) != 0)
		return rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: waits wake up */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int fix = 0, c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		if (c == 'f')
			fix = 1;
		else if (c == 'h') {
			fputs("usage: refbot [--config FILE] [-v] doctor "
			    "[--fix]\n", stdout);
			return 0;
		} else
			return usage();
	}
	if (optind != argc)
		return usage();
	return doctor_run(conf, fix, verbose_flag);
}


static int
print_referral_row(const struct referral *r, void *arg)
{
	struct list_ctx *lc = arg;
	char ref[24], created[32], updated[32];

	refbot_ref(r->id, ref, sizeof(ref));
	iso_time(r->created_at, created, sizeof(created));
	iso_time(r->updated_at, updated, sizeof(updated));
	if (!lc->json) {
		printf("%-10s  %-12s  %s  %-20s  %s\n", ref, r->status, created,
		    r->partner_name ? r->partner_name : "-",
		    r->client ? r->client : "-");
		return 0;
	}
	buf_adds(&lc->out, lc->n++ ? ",\n  {" : "\n  {");
	json_kv_str(&lc->out, "ref", ref, 1);
	json_kv_int(&lc->out, "id", r->id, 0);
	json_kv_str(&lc->out, "status", r->status, 0);
	json_kv_str(&lc->out, "partner", r->partner_name, 0);
	json_kv_str(&lc->out, "partner_email", r->partner_email, 0);
	json_kv_str(&lc->out, "client", r->client, 0);
	json_kv_str(&lc->out, "contact_name", r->contact_name, 0);
	json_kv_str(&lc->out, "created_at", created, 0);
	json_kv_str(&lc->out, "updated_at", updated, 0);
	buf_addc(&lc->out, '}');
	return 0;
}

static int
referral_list(struct refbot *rb, int json, const char *status)
{
	struct list_ctx lc = { json, 0, { NULL, 0, 0 } };

	if (db_referral_each(rb->db, status, print_referral_row, &lc) != 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb->db));
		buf_free(&lc.out);
		return EX_IOERR_;
	}
	if (json)
		printf("[%s%s]\n", lc.out.data ? lc.out.data : "",
		    lc.n ? "\n" : "");
	buf_free(&lc.out);
	return 0;
}

static int
referral_show(struct refbot *rb, int json, const char *refstr)
{
	struct referral r;
	struct buf b;
	char ref[24], when[32];
	int64_t id = refbot_parse_ref(refstr);
	size_t i;
	int found;

	if (id == 0) {
		fprintf(stderr, "refbot: '%s' is not a reference like "
		    "REF-000123\n", refstr);
		return EX_USAGE_;
	}
	if ((found = db_referral_get(rb->db, id, &r)) <= 0) {
		if (found < 0)
			fprintf(stderr, "refbot: database: %s\n",
			    db_errmsg(rb->db));
		else
			fprintf(stderr, "refbot: no referral %s\n", refstr);
		return found < 0 ? EX_IOERR_ : EX_DATAERR_;
	}
	refbot_ref(r.id, ref, sizeof(ref));
	buf_init(&b);
	if (!json) {
		iso_time(r.created_at, when, sizeof(when));
		buf_addf(&b, "%s  %s\nPartner:  %s <%s>\nReceived: %s\n"
		    "Subject:  %s\n\nFields:\n", ref, r.status,
		    r.partner_name ? r.partner_name : "-",
		    r.partner_email ? r.partner_email : "-", when,
		    r.subject ? r.subject : "");
		for (i = 0; i < r.nfields; i++)
			buf_addf(&b, "  %s: %s\n", r.fields[i].key,
			    r.fields[i].value);
		buf_adds(&b, "\nHistory:\n");
		for (i = 0; i < r.nhistory; i++) {
			iso_time(r.history[i].at, when, sizeof(when));
			buf_addf(&b, "  %s  %-10s %s -> %s  %s\n", when,
			    r.history[i].event, r.history[i].from_status ?
			    r.history[i].from_status : "-",
			    r.history[i].to_status ? r.history[i].to_status :
			    "-", r.history[i].actor ? r.history[i].actor : "");
		}
	} else {
		buf_addc(&b, '{');
		json_kv_str(&b, "ref", ref, 1);
		json_kv_int(&b, "id", r.id, 0);
		json_kv_str(&b, "status", r.status, 0);
		json_kv_str(&b, "partner", r.partner_name, 0);
		json_kv_str(&b, "partner_email", r.partner_email, 0);
		json_kv_str(&b, "subject", r.subject, 0);
		json_kv_str(&b, "message_id", r.inbound_message_id, 0);
		iso_time(r.created_at, when, sizeof(when));
		json_kv_str(&b, "created_at", when, 0);
		json_key(&b, "fields", 0);
		buf_addc(&b, '{');
		for (i = 0; i < r.nfields; i++)
			json_kv_str(&b, r.fields[i].key, r.fields[i].value,
			    i == 0);
		buf_addc(&b, '}');
		json_key(&b, "history", 0);
		buf_addc(&b, '[');
		for (i = 0; i < r.nhistory; i++) {
			buf_adds(&b, i ? ",{" : "{");
			iso_time(r.history[i].at, when, sizeof(when));
			json_kv_str(&b, "at", when, 1);
			json_kv_str(&b, "event", r.history[i].event, 0);
			json_kv_str(&b, "actor", r.history[i].actor, 0);
			json_kv_str(&b, "from", r.history[i].from_status, 0);
			json_kv_str(&b, "to", r.history[i].to_status, 0);
			json_kv_str(&b, "detail", r.history[i].detail, 0);
			buf_addc(&b, '}');
		}
		buf_adds(&b, "]}\n");
	}
	fputs(b.data, stdout);
	buf_free(&b);
	referral_free(&r);
	return 0;
}

static int
cmd_referral(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	const char *status = NULL, *verb;
	int json = 0, c, rc;

	if (argc < 2)
		return usage();
	verb = argv[1];
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:s:", opts, NULL)) != -1) {
		if (c == 'f') {
			if ((json = parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else if (c == 's')
			status = optarg;
		else
			return usage();
	}
	if (strcmp(verb, "list") == 0 && optind == argc) {
		if ((rc = open_or_complain(&rb, conf, 0)) != 0)
			return rc;
		rc = referral_list(&rb, json, status);
	} else if (strcmp(verb, "show") == 0 && optind == argc - 1) {
		if ((rc = open_or_complain(&rb, conf, 0)) != 0)
			return rc;
		rc = referral_show(&rb, json, argv[optind]);
	} else if (strcmp(verb, "credit") == 0 && optind == argc - 1) {
		int64_t id = refbot_parse_ref(argv[optind]);

		if (id == 0)
			return usage();
		if ((rc = open_or_complain(&rb, conf, 0)) != 0)
			return rc;
		if (db_begin(rb.db) != 0 || (rc = replies_credit(&rb, id)) < 0 ||
		    (rc == 0 && db_history_add(rb.db, id, "cli", "CREDIT",
		    "DUPLICATE", "NEW", NULL) != 0) || db_commit(rb.db) != 0) {
			db_rollback(rb.db);
			fprintf(stderr, "refbot: database: %s\n",
			    db_errmsg(rb.db));
			rc = EX_IOERR_;
		} else if (rc == 1) {
			fprintf(stderr, "refbot: %s is not a duplicate\n",
			    argv[optind]);
			rc = EX_DATAERR_;
		} else
			printf("%s now has the credit\n", argv[optind]);
	} else
		return usage();
	refbot_close(&rb);
	return rc;
}

static int
print_outmail(const struct outmail *m, void *arg)
{
	struct list_ctx *lc = arg;
	char created[32], sent[32];

	iso_time(m->created_at, created, sizeof(created));
	iso_time(m->sent_at, sent, sizeof(sent));
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
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb->db));
		return EX_IOERR_;
	}
	if (n == 0 && !all_failed) {
		fprintf(stderr, "refbot: outbox %lld: no such mail, or it was "
		    "sent already\n", id);
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
		return usage();
	verb = argv[1];
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:s:", opts, NULL)) != -1) {
		if (c == 'f') {
			if ((lc.json = parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else if (c == 's')
			status = optarg;
		else if (c == 'a')
			all_failed = 1;
		else
			return usage();
	}
	if (strcmp(verb, "retry") == 0) {
		if (argc - optind > 1)
			return usage();
		if ((rc = open_or_complain(&rb, conf, 0)) != 0)
			return rc;
		rc = outbox_retry(&rb, optind < argc ? argv[optind] : NULL,
		    all_failed);
		refbot_close(&rb);
		return rc;
	}
	if (optind != argc)
		return usage();
	if ((rc = open_or_complain(&rb, conf, 0)) != 0)
		return rc;
	if (db_outbox_each(rb.db, status, print_outmail, &lc) != 0) {
		fprintf(stderr, "refbot: database: %s\n", db_errmsg(rb.db));
		rc = EX_IOERR_;
	} else if (lc.json)
		printf("[%s%s]\n", lc.out.data ? lc.out.data : "",
		    lc.n ? "\n" : "");
	buf_free(&lc.out);
	refbot_close(&rb);
	return rc;
}

/* What a reply says: its new text and the keyword on its first line. */
struct reply_view {
	struct reply_text rt;
	struct keyword_cmd cmd;
	int is_kw;
};

static void
parse_json(const struct analysis *a, const struct reply_view *rv,
    struct buf *b)
{
	size_t i;

	buf_addc(b, '{');
	json_kv_str(b, "kind", mail_kind_name(a->kind), 1);
	if (a->kind == KIND_SUBMISSION)
		json_kv_str(b, "outcome", form_outcome_name(a->form.outcome),
		    0);
	if (a->kind == KIND_UNREADABLE) {
		json_kv_str(b, "error", a->error, 0);
		buf_adds(b, "}\n");
		return;
	}
	json_kv_str(b, "lang", a->lang, 0);
	json_kv_str(b, "from", a->msg.from_addr, 0);
	json_kv_str(b, "subject", a->msg.subject, 0);
	json_kv_str(b, "message_id", a->msg.message_id, 0);
	json_kv_str(b, "charset", a->msg.charset, 0);
	json_kv_str(b, "text_type", a->msg.text_type, 0);
	json_kv_str(b, "automatic", a->automatic, 0);
	json_kv_int(b, "ref", a->ref, 0);
	json_key(b, "fields", 0);
	buf_addc(b, '{');
	for (i = 0; i < a->form.nvalues; i++)
		json_kv_str(b, a->form.values[i].field->key,
		    a->form.values[i].value, i == 0);
	buf_addc(b, '}');
	json_key(b, "problems", 0);
	buf_addc(b, '[');
	for (i = 0; i < a->form.nproblems; i++) {
		const struct form_problem *p = &a->form.problems[i];
		buf_adds(b, i ? ",{" : "{");
		json_kv_str(b, "field", p->field->key, 1);
		json_kv_str(b, "label", p->field->title, 0);
		json_kv_str(b, "kind", p->kind == PROBLEM_MISSING ? "missing" :
		    "invalid", 0);
		json_kv_str(b, "code", p->code, 0);
		json_kv_str(b, "arg", p->arg, 0);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	json_key(b, "failed_rules", 0);
	buf_addc(b, '[');
	for (i = 0; i < a->form.nfailed; i++) {
		buf_adds(b, i ? ",{" : "{");
		json_kv_str(b, "field", a->form.failed[i]->key, 1);
		json_kv_str(b, "reason", a->form.failed[i]->reason, 0);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	json_key(b, "attachments", 0);
	buf_addc(b, '[');
	for (i = 0; i < a->msg.nattachments; i++) {
		buf_adds(b, i ? ",{" : "{");
		json_kv_str(b, "name", a->msg.attachments[i].name, 1);
		json_kv_str(b, "type", a->msg.attachments[i].type, 0);
		json_kv_int(b, "size", (int64_t)a->msg.attachments[i].size, 0);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	if (a->kind == KIND_REPLY) {
		json_kv_str(b, "visible", rv->rt.visible, 0);
		json_kv_str(b, "keyword", rv->is_kw ? rv->cmd.name : NULL, 0);
		json_kv_str(b, "argument", rv->cmd.arg, 0);
		json_kv_int(b, "amount_minor", rv->cmd.amount_minor, 0);
		json_kv_str(b, "date", rv->cmd.date, 0);
		json_kv_str(b, "words", rv->cmd.text, 0);
		json_kv_str(b, "relay", rv->cmd.relay, 0);
		json_kv_str(b, "keyword_error", rv->cmd.error, 0);
	}
	json_kv_str(b, "text", a->msg.text, 0);
	buf_adds(b, "}\n");
}

static void
parse_text(const struct analysis *a, const struct reply_view *rv,
    struct buf *b)
{
	size_t i;

	buf_addf(b, "kind:      %s\n", mail_kind_name(a->kind));
	if (a->kind == KIND_UNREADABLE) {
		buf_addf(b, "error:     %s\n", a->error);
		return;
	}
	if (a->kind == KIND_SUBMISSION)
		buf_addf(b, "outcome:   %s\n",
		    form_outcome_name(a->form.outcome));
	if (a->automatic != NULL)
		buf_addf(b, "automatic: %s\n", a->automatic);
	if (a->ref > 0)
		buf_addf(b, "ref:       REF-%06lld\n", (long long)a->ref);
	buf_addf(b, "from:      %s\nsubject:   %s\nlanguage:  %s\n"
	    "text:      %s, from %s\n", a->msg.from_addr ? a->msg.from_addr :
	    "-", a->msg.subject, a->lang, a->msg.text_type,
	    a->msg.charset && *a->msg.charset ? a->msg.charset : "-");
	for (i = 0; i < a->msg.nattachments; i++)
		buf_addf(b, "attached:  %s (%s, %zu bytes)\n",
		    a->msg.attachments[i].name, a->msg.attachments[i].type,
		    a->msg.attachments[i].size);
	if (a->kind == KIND_REPLY) {
		if (rv->is_kw && rv->cmd.error == NULL)
			buf_addf(b, "keyword:   %s%s%s\n", rv->cmd.name,
			    rv->cmd.arg ? " " : "", rv->cmd.arg ?
			    rv->cmd.arg : "");
		else
			buf_addf(b, "keyword:   none (%s)\n", rv->cmd.error ?
			    rv->cmd.error : "?");
		buf_addf(b, "relay:     %s\n", rv->cmd.relay ?
		    rv->cmd.relay : "");
	}
	if (a->kind != KIND_SUBMISSION)
		return;
	buf_adds(b, "\nfields:\n");
	for (i = 0; i < a->form.nvalues; i++)
		buf_addf(b, "  %-15s %s\n", a->form.values[i].field->key,
		    a->form.values[i].value);
	for (i = 0; i < a->form.nproblems; i++)
		buf_addf(b, "problem:   %s %s (%s%s%s)\n",
		    a->form.problems[i].field->key,
		    a->form.problems[i].kind == PROBLEM_MISSING ? "missing" :
		    "invalid", a->form.problems[i].code,
		    a->form.problems[i].arg ? " " : "",
		    a->form.problems[i].arg ? a->form.problems[i].arg : "");
	for (i = 0; i < a->form.nfailed; i++)
		buf_addf(b, "rule:      %s: %s\n", a->form.failed[i]->key,
		    a->form.failed[i]->reason ? a->form.failed[i]->reason : "");
}

static int
cmd_parse(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "template", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct config cfg;
	struct template tmpl;
	struct analyze_opts o;
	struct analysis a;
	struct reply_view rv;
	struct keyword_table *kt = NULL;
	struct buf in, out;
	const char *tpath = NULL, *currency = "JPY";
	char *path = NULL, *text, *err = NULL, chunk[65536];
	size_t len, n;
	int json = 0, c, have_cfg = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "f:t:", opts, NULL)) != -1) {
		if (c == 'f') {
			if ((json = parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else if (c == 't')
			tpath = optarg;
		else
			return usage();
	}
	if (optind != argc)
		return usage();
	memset(&o, 0, sizeof(o));
	o.our_domain = "refbot.invalid";
	o.loop_header = MAILOUT_LOOP_HEADER;
	o.max_size = 25 * 1024 * 1024;
	/* Without --template, the configured template and settings. */
	if (tpath == NULL) {
		if (config_load(conf, &cfg, &err) != 0) {
			fprintf(stderr, "refbot: %s (or give --template)\n",
			    err);
			free(err);
			return EX_CONFIG_;
		}
		have_cfg = 1;
		path = xasprintf("%s/referral.template", cfg.templates);
		o.our_domain = cfg.message_id_domain;
		o.max_size = cfg.max_message_size;
		currency = cfg.currency;
		tpath = path;
	}
	if ((text = read_file(tpath, &len)) == NULL ||
	    template_parse(text, len, &tmpl, &err) != 0) {
		fprintf(stderr, "refbot: %s%s%s\n", tpath, err ? ":" : ": ",
		    err ? err : strerror(errno));
		free(err);
		free(text);
		free(path);
		if (have_cfg)
			config_free(&cfg);
		return EX_CONFIG_;
	}
	free(text);
	o.tmpl = &tmpl;
	/* The keyword aliases sit beside the template. */
	{
		const char *slash = strrchr(tpath, '/');
		char *kpath = xasprintf("%.*s%skeywords.txt", slash ?
		    (int)(slash - tpath + 1) : 0, tpath, "");

		if ((text = read_file(kpath, &len)) != NULL) {
			if (keyword_table_parse(text, len, &kt, &err) != 0) {
				fprintf(stderr, "refbot: %s:%s\n", kpath, err);
				free(err);
				err = NULL;
				kt = NULL;
			}
			free(text);
		}
		free(kpath);
	}

	buf_init(&in);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		buf_add(&in, chunk, n);
	analyze(in.data ? in.data : "", in.len, &o, &a);
	memset(&rv, 0, sizeof(rv));
	if (a.kind == KIND_REPLY) {
		reply_extract(a.msg.text, REPLY_MARKER, &rv.rt);
		rv.is_kw = keyword_parse(kt, rv.rt.visible, currency,
		    &rv.cmd) == 0;
	}
	buf_init(&out);
	if (json)
		parse_json(&a, &rv, &out);
	else
		parse_text(&a, &rv, &out);
	if (a.kind == KIND_REPLY) {
		reply_text_free(&rv.rt);
		keyword_cmd_free(&rv.cmd);
	}
	keyword_table_free(kt);
	fputs(out.data, stdout);
	buf_free(&out);
	buf_free(&in);
	analysis_free(&a);
	template_free(&tmpl);
	free(path);
	if (have_cfg)
		config_free(&cfg);
	return 0;
}

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
	static const struct {
		const char *name;
		int (*fn)(const char *, int, char **);
	} cmds[] = {
		{ "init", cmd_init },
		{ "run", cmd_run },
		{ "doctor", cmd_doctor },
		{ "referral", cmd_referral },
		{ "partner", cmd_partner },
		{ "payout", cmd_payout },
		{ "report", cmd_report },
		{ "given", cmd_given },
		{ "statement", cmd_statement },
		{ "cost", cmd_cost },
		{ "newsletter", cmd_newsletter },
		{ "outbox", cmd_outbox },
		{ "parse", cmd_parse },
	};
	const char *conf = getenv("REFBOT_CONFIG");
	int c, verbose = 0, use_syslog = 0;
	size_t i;

	if (conf == NULL || *conf == '\0')
		conf = SYSCONFDIR "/refbot/refbot.conf";
	while ((c = getopt_long(argc, argv, "+c:vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 'v': verbose = verbose_flag = 1; break;
		case 's': use_syslog = 1; break;
		case 'h': fputs(usage_text, stdout); return 0;
		case 'V':
			printf("refbot %s%s\n", PACKAGE_VERSION, FAULT_BUILD_NOTE);
			return 0;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage();
	log_init(use_syslog, verbose);
	/* "refbot COMMAND --help" answers like "refbot --help". */
	for (c = 1; c < argc; c++)
		if (strcmp(argv[c], "--help") == 0 || strcmp(argv[c], "-h") == 0) {
			fputs(usage_text, stdout);
			return 0;
		}
	for (i = 0; i < nitems(cmds); i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			return cmds[i].fn(conf, argc, argv);
	fprintf(stderr, "refbot: unknown command '%s'\n", argv[0]);
	return usage();
}
