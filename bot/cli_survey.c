/*
 * cli_survey: "refbot survey send|list|show" (issue 20 item 1): send a
 * partner's survey now (or a WON referral's client survey), list the
 * surveys sent, and show one with its answers and their history.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "clock.h"
#include "db_partners.h"
#include "db_surveys.h"
#include "json.h"
#include "survey_send.h"

static int
survey_send(struct refbot *rb, const char *partner, const char *ref)
{
	struct partner p;
	struct tm tm;
	int64_t id = 0, rid = 0;
	int rc, r;

	if (ref != NULL && (rid = refbot_parse_ref(ref)) <= 0) {
		fprintf(stderr, "refbot: --referral: '%s' is not a reference "
		    "(REF-000123)\n", ref);
		return EX_USAGE_;
	}
	if ((rc = cli_find_partner(rb, partner, &p)) != 0)
		return rc;
	if (!p.active) {
		fprintf(stderr, "refbot: partner %lld is inactive: no survey\n",
		    (long long)p.id);
		partner_free(&p);
		return EX_DATAERR_;
	}
	if (rid > 0) {
		if ((r = db_partner_client_contact(rb->db, p.id)) == 0) {
			fprintf(stderr, "refbot: partner %lld does not allow "
			    "contacting its clients (partner set %lld "
			    "--client-contact on)\n", (long long)p.id,
			    (long long)p.id);
			partner_free(&p);
			return EX_DATAERR_;
		}
		r = r < 0 ? -1 : survey_send_client(rb, rid, &id);
	} else {
		clock_local(clock_now(), &tm);
		r = survey_send_partner(rb, &p, tm.tm_year + 1900, &id);
	}
	if (r < 0)
		rc = cli_db_error(rb);
	else if (r == 0)
		printf("nothing sent: partner %lld already had this %s survey "
		    "(or the referral has no client email)\n", (long long)p.id,
		    rid ? "client" : "year's");
	else
		printf("survey %lld queued for partner %lld\n", (long long)id,
		    (long long)p.id);
	partner_free(&p);
	return rc;
}

static int
print_survey(const struct survey_row *s, void *arg)
{
	struct list_ctx *lc = arg;
	char sent[40], answered[40];

	cli_iso_time(s->sent_at, sent, sizeof(sent));
	if (s->answered_at)
		cli_iso_time(s->answered_at, answered, sizeof(answered));
	if (!lc->json) {
		printf("%-5lld %-7s %-10s %-20s %-3s sent %s  %s%s\n",
		    (long long)s->id, s->kind, s->period, s->partner_name ?
		    s->partner_name : "-", s->lang, sent, s->answered_at ?
		    "answered " : "unanswered", s->answered_at ? answered :
		    "");
		return 0;
	}
	buf_adds(&lc->out, lc->n++ ? ",\n  {" : "\n  {");
	json_kv_int(&lc->out, "id", s->id, 1);
	json_kv_str(&lc->out, "kind", s->kind, 0);
	json_kv_int(&lc->out, "partner_id", s->partner_id, 0);
	json_kv_str(&lc->out, "partner", s->partner_name, 0);
	json_kv_str(&lc->out, "period", s->period, 0);
	json_kv_str(&lc->out, "recipient", s->recipient, 0);
	json_kv_str(&lc->out, "lang", s->lang, 0);
	json_kv_str(&lc->out, "sent_at", sent, 0);
	json_kv_str(&lc->out, "answered_at", s->answered_at ? answered :
	    NULL, 0);
	json_kv_int(&lc->out, "answers", s->answers, 0);
	buf_addc(&lc->out, '}');
	return 0;
}

static int
survey_list(struct refbot *rb, const char *kind, const char *partner,
    int json)
{
	struct list_ctx lc = { json, 0, { NULL, 0, 0 } };
	struct partner p;
	int64_t pid = 0;
	int rc;

	if (kind != NULL && strcmp(kind, "partner") != 0 &&
	    strcmp(kind, "client") != 0) {
		fprintf(stderr, "refbot: --kind must be partner or client\n");
		return EX_USAGE_;
	}
	if (partner != NULL) {
		if ((rc = cli_find_partner(rb, partner, &p)) != 0)
			return rc;
		pid = p.id;
		partner_free(&p);
	}
	if (db_survey_each(rb->db, kind, pid, print_survey, &lc) != 0) {
		buf_free(&lc.out);
		return cli_db_error(rb);
	}
	cli_list_print(&lc);
	buf_free(&lc.out);
	return 0;
}

static int
print_answer(const struct survey_answer_row *a, void *arg)
{
	char at[40], score[16] = "-";

	(void)arg;
	cli_iso_time(a->answered_at, at, sizeof(at));
	if (a->score > 0)
		snprintf(score, sizeof(score), "%d", a->score);
	printf("  %-14s %-2s %s  %s  message #%lld%s%s\n", a->question,
	    score, at, a->current ? "current" : "earlier",
	    (long long)a->message_row, a->comment ? "\n      " : "",
	    a->comment ? a->comment : "");
	return 0;
}

static int
survey_show(struct refbot *rb, const char *idstr)
{
	struct survey_row s;
	char *end, when[40];
	long long id = strtoll(idstr, &end, 10);
	int r;

	if (*idstr == '\0' || *end != '\0' || id <= 0)
		return cli_usage();
	if ((r = db_survey_get(rb->db, id, &s)) < 0)
		return cli_db_error(rb);
	if (r == 0) {
		fprintf(stderr, "refbot: no survey %lld\n", id);
		return EX_DATAERR_;
	}
	cli_iso_time(s.sent_at, when, sizeof(when));
	printf("survey %lld: %s survey %s, partner %lld (%s)\n", id, s.kind,
	    s.period, (long long)s.partner_id, s.partner_name ?
	    s.partner_name : "-");
	printf("  to %s (%s), sent %s\n", s.recipient, s.lang, when);
	if (s.reminded_at) {
		cli_iso_time(s.reminded_at, when, sizeof(when));
		printf("  reminded %s\n", when);
	}
	if (s.asked_at) {
		cli_iso_time(s.asked_at, when, sizeof(when));
		printf("  asked for missing answers %s\n", when);
	}
	printf("answers (%d, oldest first per question):\n", s.answers);
	if (db_survey_answers(rb->db, id, print_answer, NULL) != 0)
		r = -1;
	survey_row_free(&s);
	return r < 0 ? cli_db_error(rb) : 0;
}

/* "refbot survey send|list|show ..." */
static int
cmd_survey(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "partner", required_argument, NULL, 'p' },
		{ "referral", required_argument, NULL, 'r' },
		{ "kind", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	const char *verb, *partner = NULL, *ref = NULL, *kind = NULL;
	int c, rc, json = 0, n;

	if (argc < 2)
		return cli_usage();
	verb = argv[1];
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "p:r:k:f:", opts, NULL)) != -1) {
		if (c == 'p')
			partner = optarg;
		else if (c == 'r')
			ref = optarg;
		else if (c == 'k')
			kind = optarg;
		else if (c == 'f') {
			if ((json = cli_parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else
			return cli_usage();
	}
	n = argc - optind;
	if (!((strcmp(verb, "send") == 0 && n == 0 && partner != NULL) ||
	    (strcmp(verb, "list") == 0 && n == 0) ||
	    (strcmp(verb, "show") == 0 && n == 1)))
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if (strcmp(verb, "send") == 0)
		rc = survey_send(&rb, partner, ref);
	else if (strcmp(verb, "list") == 0)
		rc = survey_list(&rb, kind, partner, json);
	else
		rc = survey_show(&rb, argv[optind]);
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_survey_cmd = { "survey",
"  survey send --partner P [--referral REF]\n"
"                                the partner's survey for this year now\n"
"                                (once a year), or REF's client survey\n"
"  survey list [--kind partner|client] [--partner P] [--format text|json]\n"
"  survey show ID                a survey and its answers, with history\n",
	cmd_survey,
"Surveys are answered by replying with lines like \"1: 4\" (1 to 5, words\n"
"may follow); the questions are templates/survey-partner.template and\n"
"survey-client.template.  The daemon sends the partner survey in\n"
"partner_survey_month and client surveys client_survey_days after WON\n"
"(refbot.conf(5)); send sends one now, still at most once a year per\n"
"partner (once per referral for a client survey).\n"
"Options:\n"
"  --partner P       the partner (id or address)\n"
"  --referral REF    (send) the client survey of this WON referral; the\n"
"                    partner must allow it (partner set --client-contact)\n"
"  --kind K          (list) partner or client surveys only\n"
"  --format F        (list) text or json\n"
"\n"
"Example:\n"
"  refbot survey send --partner partner@firm.example\n"
"  refbot survey list --kind partner --partner 3\n"
"  refbot survey show 12\n" };
