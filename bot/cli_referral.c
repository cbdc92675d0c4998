/* cli_referral: "refbot referral list|show|credit|set-status|amend". */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "cli.h"
#include "intake.h"
#include "clock.h"
#include "db_referrals.h"
#include "history_words.h"
#include "db_staff.h"
#include "json.h"
#include "keyword.h"
#include "replies.h"
#include "template.h"

static int
print_referral_row(const struct referral *r, void *arg)
{
	struct list_ctx *lc = arg;
	char ref[24], created[32], updated[32];

	refbot_ref(r->id, ref, sizeof(ref));
	cli_iso_time(r->created_at, created, sizeof(created));
	cli_iso_time(r->updated_at, updated, sizeof(updated));
	if (!lc->json) {
		printf("%-10s  %-12s  %s  %-20s  %-24s  %s\n", ref, r->status,
		    created, r->partner_name ? r->partner_name : "-",
		    r->owner ? r->owner : "-", r->client ? r->client : "-");
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
	json_kv_str(&lc->out, "owner", r->owner, 0);
	json_kv_str(&lc->out, "created_at", created, 0);
	json_kv_str(&lc->out, "updated_at", updated, 0);
	buf_addc(&lc->out, '}');
	return 0;
}

static int
referral_list(struct refbot *rb, int json, const char *status,
    const char *owner, int open)
{
	struct list_ctx lc = { json, 0, { NULL, 0, 0 } };

	if (db_referral_each_owned(rb->db, owner, open, status,
	    print_referral_row, &lc) != 0) {
		buf_free(&lc.out);
		return cli_db_error(rb);
	}
	cli_list_print(&lc);
	buf_free(&lc.out);
	return 0;
}

static int
referral_show(struct refbot *rb, int json, const char *refstr)
{
	struct referral r;
	struct attach_set files;
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
	if (attach_load(rb, id, 0, &files) != 0) {
		referral_free(&r);
		return cli_db_error(rb);
	}
	refbot_ref(r.id, ref, sizeof(ref));
	buf_init(&b);
	if (!json) {
		cli_iso_time(r.created_at, when, sizeof(when));
		buf_addf(&b, "%s  %s\nPartner:  %s <%s>\nOwner:    %s\n"
		    "Received: %s\nSubject:  %s\n\nFields:\n", ref, r.status,
		    r.partner_name ? r.partner_name : "-",
		    r.partner_email ? r.partner_email : "-",
		    r.owner ? r.owner : "-", when, r.subject ? r.subject : "");
		for (i = 0; i < r.nfields; i++)
			buf_addf(&b, "  %s: %s\n", r.fields[i].key,
			    r.fields[i].value);
		if (*files.text != '\0')
			buf_addf(&b, "\n%s", files.text);
		buf_adds(&b, "\nHistory:\n");
		for (i = 0; i < r.nhistory; i++) {
			cli_iso_time(r.history[i].at, when, sizeof(when));
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
		json_kv_str(&b, "owner", r.owner, 0);
		json_kv_str(&b, "subject", r.subject, 0);
		json_kv_str(&b, "message_id", r.inbound_message_id, 0);
		cli_iso_time(r.created_at, when, sizeof(when));
		json_kv_str(&b, "created_at", when, 0);
		json_key(&b, "fields", 0);
		buf_addc(&b, '{');
		for (i = 0; i < r.nfields; i++)
			json_kv_str(&b, r.fields[i].key, r.fields[i].value,
			    i == 0);
		buf_addc(&b, '}');
		json_key(&b, "attachments", 0);
		buf_addc(&b, '[');
		for (i = 0; i < files.n; i++) {
			const struct stored_attachment *a = &files.list[i];

			buf_adds(&b, i ? ",{" : "{");
			json_kv_int(&b, "n", a->n, 1);
			json_kv_str(&b, "name", a->name, 0);
			json_kv_str(&b, "type", a->type, 0);
			json_kv_int(&b, "size", a->size, 0);
			json_key(&b, "kept", 0);
			buf_adds(&b, a->kept ? "true" : "false");
			buf_addc(&b, '}');
		}
		buf_addc(&b, ']');
		json_key(&b, "history", 0);
		buf_addc(&b, '[');
		for (i = 0; i < r.nhistory; i++) {
			buf_adds(&b, i ? ",{" : "{");
			cli_iso_time(r.history[i].at, when, sizeof(when));
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
	attach_free(&files);
	referral_free(&r);
	return 0;
}

/* Writes attachment n of a referral to stdout, byte for byte. */
static int
referral_attachment(struct refbot *rb, const char *refstr, const char *nstr)
{
	struct attach_set files;
	int64_t id = refbot_parse_ref(refstr);
	char *end;
	long n = strtol(nstr, &end, 10);
	int rc = 0;

	if (id == 0 || *nstr == '\0' || *end != '\0' || n < 1)
		return cli_usage();
	if (attach_load(rb, id, 1, &files) != 0)
		return cli_db_error(rb);
	if ((size_t)n > files.n) {
		fprintf(stderr, "refbot: %s has %zu attachment%s\n", refstr,
		    files.n, files.n == 1 ? "" : "s");
		rc = EX_DATAERR_;
	} else if (!files.list[n - 1].kept) {
		fprintf(stderr, "refbot: attachment %ld of %s was not kept "
		    "(over attachment_store_limit, or purged)\n", n, refstr);
		rc = EX_DATAERR_;
	} else if (fwrite(files.list[n - 1].data, 1,
	    (size_t)files.list[n - 1].len, stdout) !=
	    (size_t)files.list[n - 1].len || fflush(stdout) != 0) {
		perror("refbot: stdout");
		rc = EX_IOERR_;
	}
	attach_free(&files);
	return rc;
}

/*
 * A staff command from the CLI, read by the keyword parser from
 * "WORDS\nNOTE" (NOTE: the lines below the keyword, relayed to the
 * partner; the reason itself for LOST, DECLINED and NOTE when WORDS has
 * none) and applied as a keyword reply is (replies_apply).
 */
static int
staff_command(struct refbot *rb, int64_t id, const char *words,
    const char *note)
{
	struct keyword_cmd cmd;
	struct apply_result res = { NULL, NULL, NULL, NULL, NULL };
	struct referral r;
	struct tm today;
	char ref[24], *text;
	int rc, found;

	refbot_ref(id, ref, sizeof(ref));
	text = xasprintf("%s%s%s", words, note ? "\n" : "", note ? note : "");
	clock_local(clock_now(), &today);
	if (keyword_parse(rb->keywords, text, rb->cfg.currency, &today,
	    &cmd) == 0 && note != NULL && strchr(words, ' ') == NULL &&
	    (keyword_arg(cmd.kw) == KW_ARG_TEXT ||
	    keyword_arg(cmd.kw) == KW_ARG_TEXT_REQUIRED)) {
		/* "set-status REF LOST --note why": the reason on its line. */
		keyword_cmd_free(&cmd);
		free(text);
		text = xasprintf("%s %s", words, note);
		keyword_parse(rb->keywords, text, rb->cfg.currency, &today,
		    &cmd);
	}
	free(text);
	if (cmd.kw == KW_NONE || cmd.error != NULL) {
		fprintf(stderr, "refbot: %s\n", cmd.error);
		keyword_cmd_free(&cmd);
		return EX_USAGE_;
	}
	if (db_begin(rb->db) != 0) {
		keyword_cmd_free(&cmd);
		return cli_db_error(rb);
	}
	if ((found = db_referral_get(rb->db, id, &r)) <= 0) {
		db_rollback(rb->db);
		keyword_cmd_free(&cmd);
		if (found < 0)
			return cli_db_error(rb);
		fprintf(stderr, "refbot: no referral %s\n", ref);
		return EX_DATAERR_;
	}
	rc = replies_apply(rb, &r, &cmd, cli_actor(), NULL, &res);
	if (rc != 0 || db_commit(rb->db) != 0) {
		db_rollback(rb->db);
		if (rc > 0)
			fprintf(stderr, "refbot: %s: %s\n", ref, res.why);
		rc = rc > 0 ? EX_DATAERR_ : cli_db_error(rb);
	} else
		printf("%s %s: %s -> %s%s\n", ref, cmd.name, r.status, res.to,
		    strcmp(cmd.name, "NOTE") != 0 ? " (the partner's update "
		    "is sent by refbot run)" : "");
	free(res.why);
	free(res.who);
	referral_free(&r);
	keyword_cmd_free(&cmd);
	return rc;
}

/* "amend REF --field KEY=VALUE": a template field, in the history. */
static int
amend_field(struct refbot *rb, int64_t id, const char *kv, const char *why)
{
	const char *eq = strchr(kv, '=');
	char *key;
	int64_t earlier = 0;
	int rc = 0;

	if (eq == NULL || eq == kv) {
		fprintf(stderr, "refbot: --field takes KEY=VALUE\n");
		return EX_USAGE_;
	}
	key = xstrndup(kv, (size_t)(eq - kv));
	if (template_field(rb->tmpl, key) == NULL) {
		fprintf(stderr, "refbot: '%s' is not a field of the template\n",
		    key);
		free(key);
		return EX_USAGE_;
	}
	const struct render_var vars[] = { { "name", key }, { "text", why } };

	if (intake_window_tidy(rb) != 0 || db_begin(rb->db) != 0 ||
	    db_referral_field(rb->db, id, key,
	    eq + 1) != 0 || intake_rederive(rb, id, &earlier) != 0 ||
	    history_add_words(rb, id, cli_actor(), "AMEND", NULL, NULL, NULL,
	    why ? "history.field-corrected-note" : "history.field-corrected",
	    vars, nitems(vars), NULL) != 0 || db_commit(rb->db) != 0) {
		db_rollback(rb->db);
		rc = cli_db_error(rb);
	} else {
		printf("%s of the referral corrected\n", key);
		if (earlier > 0) {
			char ref[24];

			refbot_ref(earlier, ref, sizeof(ref));
			printf("note: it now matches %s, an earlier referral "
			    "of the same client (see referral credit)\n", ref);
		}
	}
	free(key);
	return rc;
}

/* set-status REF STATE [ARG...] [--note T]; amend REF --amount A | --field */
static int
referral_change(struct refbot *rb, const char *verb, int argc, char **argv,
    const char *note, const char *amount, const char *field)
{
	int64_t id = argc > 0 ? refbot_parse_ref(argv[0]) : 0;
	struct buf words;
	struct referral r;
	int i, rc, found;

	if (id == 0)
		return cli_usage();
	if ((found = db_referral_get(rb->db, id, &r)) <= 0) {
		if (found < 0)
			return cli_db_error(rb);
		fprintf(stderr, "refbot: no referral %s\n", argv[0]);
		return EX_DATAERR_;
	}
	referral_free(&r);
	buf_init(&words);
	if (strcmp(verb, "amend") == 0) {
		if (argc != 1 || (amount == NULL) == (field == NULL))
			return cli_usage();
		if (field != NULL)
			return amend_field(rb, id, field, note);
		/* The keyword path's AMEND, the note its why. */
		buf_addf(&words, "AMEND %s", amount);
		if (note != NULL)
			buf_addf(&words, " %s", note);
		rc = staff_command(rb, id, words.data, NULL);
	} else {
		if (argc < 2)
			return cli_usage();
		for (i = 1; i < argc; i++)
			buf_addf(&words, "%s%s", i > 1 ? " " : "", argv[i]);
		rc = staff_command(rb, id, words.data, note);
	}
	buf_free(&words);
	return rc;
}

static int
cmd_referral(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "status", required_argument, NULL, 's' },
		{ "note", required_argument, NULL, 'n' },
		{ "amount", required_argument, NULL, 'a' },
		{ "field", required_argument, NULL, 'F' },
		{ "owner", required_argument, NULL, 'o' },
		{ "open", no_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	const char *status = NULL, *verb, *note = NULL, *amount = NULL;
	const char *field = NULL, *owner = NULL;
	int json = 0, open = 0, c, rc;

	if (argc < 2)
		return cli_usage();
	if (strcmp(argv[1], "add") == 0)
		return cli_referral_add(conf, argc - 1, argv + 1);
	verb = argv[1];
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:s:n:a:F:o:O", opts, NULL)) !=
	    -1) {
		if (c == 'f') {
			if ((json = cli_parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else if (c == 's')
			status = optarg;
		else if (c == 'n')
			note = optarg;
		else if (c == 'a')
			amount = optarg;
		else if (c == 'F' && field != NULL) {
			/* Not the last one silently: each is its own entry. */
			fprintf(stderr, "refbot: referral %s takes one --field; "
			    "run it again for the next (each correction is "
			    "its own history entry)\n", verb);
			return EX_USAGE_;
		} else if (c == 'F')
			field = optarg;
		else if (c == 'o')
			owner = optarg;
		else if (c == 'O')
			open = 1;
		else
			return cli_usage();
	}
	if (strcmp(verb, "list") == 0 && optind == argc) {
		if ((rc = cli_open(&rb, conf, 0)) != 0)
			return rc;
		rc = referral_list(&rb, json, status, owner, open);
	} else if (strcmp(verb, "show") == 0 && optind == argc - 1) {
		if ((rc = cli_open(&rb, conf, 0)) != 0)
			return rc;
		rc = referral_show(&rb, json, argv[optind]);
	} else if (strcmp(verb, "attachment") == 0 && optind == argc - 2) {
		if ((rc = cli_open(&rb, conf, 0)) != 0)
			return rc;
		rc = referral_attachment(&rb, argv[optind], argv[optind + 1]);
	} else if (strcmp(verb, "credit") == 0 && optind == argc - 1) {
		int64_t id = refbot_parse_ref(argv[optind]);

		if (id == 0)
			return cli_usage();
		if ((rc = cli_open(&rb, conf, 0)) != 0)
			return rc;
		if (db_begin(rb.db) != 0 || (rc = replies_credit(&rb, id)) < 0 ||
		    (rc == 0 && db_history_add(rb.db, id, "cli", "CREDIT",
		    "DUPLICATE", "NEW", NULL) != 0) || db_commit(rb.db) != 0) {
			db_rollback(rb.db);
			rc = cli_db_error(&rb);
		} else if (rc == 1) {
			fprintf(stderr, "refbot: %s is not a duplicate\n",
			    argv[optind]);
			rc = EX_DATAERR_;
		} else
			printf("%s now has the credit\n", argv[optind]);
	} else if (strcmp(verb, "set-status") == 0 ||
	    strcmp(verb, "amend") == 0) {
		if ((rc = cli_open(&rb, conf, 0)) != 0)
			return rc;
		rc = referral_change(&rb, verb, argc - optind, argv + optind,
		    note, amount, field);
	} else
		return cli_usage();
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_referral_cmd = { "referral",
"  referral add --partner P --field KEY=VALUE... [--submitted-by EMAIL]\n"
"               [--date YYYY-MM-DD] [--quiet]\n"
"                                a referral that did not come by mail,\n"
"                                checked and acknowledged as mail is\n"
"  referral list [--status S] [--owner EMAIL] [--open]\n"
"                [--format text|json]\n"
"  referral show REF [--format text|json]\n"
"  referral attachment REF N     write attachment N (as numbered by show)\n"
"                                to stdout, byte for byte\n"
"  referral credit REF           give a duplicate the credit instead\n"
"  referral set-status REF STATE [ARG...] [--note TEXT]\n"
"                                as the staff keyword (WON 1,200,000,\n"
"                                LOST --note why, REOPEN): the same\n"
"                                state machine, history and partner mail\n"
"  referral amend REF --amount AMOUNT [--note WHY]\n"
"                                correct a WON amount (as AMEND): the\n"
"                                commission reversed and booked anew\n"
"  referral amend REF --field KEY=VALUE [--note WHY]\n"
"                                correct one field of the template\n",
	cmd_referral,
"Options:\n"
"  --status S        only referrals in state S (NEW, CONTACTED, MEETING,\n"
"                    PROPOSAL, WON, LOST, DECLINED, INCOMPLETE,\n"
"                    DISQUALIFIED, DUPLICATE)\n"
"  --owner EMAIL     only the referrals this staff member owns\n"
"  --open            only open referrals (NEW to PROPOSAL)\n"
"  --format F        text or json\n"
"  --partner P       (add) the referring partner, by id or address\n"
"  --field KEY=VALUE (add, repeated) a field of the template; a required\n"
"                    one missing or invalid is refused with its reason\n"
"  --submitted-by A  (add) who at the partner sent it in: recorded, and\n"
"                    the acknowledgement goes there (else to the partner)\n"
"  --date D          (add) the day it was referred, YYYY-MM-DD\n"
"  --quiet           (add) no acknowledgement to the partner\n"
"REF is REF-000012 or 12.  Staff move referrals by replying to their\n"
"notification with a keyword (refbot(1), KEYWORDS BY STATE).\n"
"\n"
"Example:\n"
"  refbot referral add --partner partner@firm.example --field client=Acme \\\n"
"      --field contact_name=\"Ann Lee\" --field contact_email=ann@acme.example\n"
"  refbot referral list --status NEW\n"
"  refbot referral list --owner yamamoto@firm.example --open\n"
"  refbot referral show REF-000012 --format json\n"
"  refbot referral attachment REF-000012 1 > brief.pdf\n"
"  refbot referral set-status REF-000012 WON 1,200,000\n"
"  refbot referral amend REF-000012 --amount 1,150,000 --note \"invoice\"\n" };
