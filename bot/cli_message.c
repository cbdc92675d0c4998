/*
 * cli_message: "refbot message list|show|retry" — the inbound mail as
 * refbot recorded it: what arrived, what was decided and why, and a
 * message set aside run again once its cause is fixed.  The mail itself
 * is shown only when asked (show --raw): it holds personal data.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "db_messages.h"
#include "intake.h"
#include "json.h"
#include "message.h"
#include "rawhdr.h"

/* A header field of the stored bytes, decoded for reading, or NULL. */
static char *
field(const struct inbound *m, const char *name)
{
	char *v = rawhdr_field(m->raw, m->rawlen, name, 1000), *s;

	if (v == NULL)
		return NULL;
	s = mime_decode_header(v);
	free(v);
	return s;
}

static int
print_row(const struct inbound *m, void *arg)
{
	struct list_ctx *lc = arg;
	char when[40], ref[24];
	char *from = field(m, "From"), *subject = field(m, "Subject");

	cli_iso_time(m->received_at, when, sizeof(when));
	refbot_ref(m->referral_id, ref, sizeof(ref));
	if (!lc->json)
		printf("%-6lld %s  %-18s %-10s %s\n", (long long)m->id, when,
		    m->disposition, m->referral_id > 0 ? ref : "-",
		    subject ? subject : "");
	else {
		buf_adds(&lc->out, lc->n++ ? ",\n  {" : "\n  {");
		json_kv_int(&lc->out, "id", m->id, 1);
		json_kv_str(&lc->out, "received_at", when, 0);
		json_kv_str(&lc->out, "disposition", m->disposition, 0);
		json_kv_str(&lc->out, "detail", m->detail, 0);
		json_kv_str(&lc->out, "referral", m->referral_id > 0 ? ref :
		    NULL, 0);
		json_kv_str(&lc->out, "message_id", m->message_id, 0);
		json_kv_str(&lc->out, "from", from, 0);
		json_kv_str(&lc->out, "subject", subject, 0);
		buf_addc(&lc->out, '}');
	}
	free(from);
	free(subject);
	return 0;
}

static int
message_list(struct refbot *rb, int json, const char *disp, int64_t since)
{
	struct list_ctx lc = { json, 0, { NULL, 0, 0 } };
	int rc = 0;

	if (db_message_each(rb->db, disp, since, print_row, &lc) != 0)
		rc = cli_db_error(rb);
	else
		cli_list_print(&lc);
	buf_free(&lc.out);
	return rc;
}

/* A message id as given on the command line; 0 if it is none. */
static int64_t
parse_id(const char *s)
{
	char *end = NULL;
	long long id = strtoll(s, &end, 10);

	if (*s == '#')
		id = strtoll(s + 1, &end, 10);
	return end != NULL && *end == '\0' && id > 0 ? (int64_t)id : 0;
}

/* Message id, or an EX_* code said on stderr. */
static int
get_message(struct refbot *rb, const char *idstr, struct inbound *m)
{
	int64_t id = parse_id(idstr);
	int found;

	if (id == 0) {
		fprintf(stderr, "refbot: '%s' is not a message number\n",
		    idstr);
		return EX_USAGE_;
	}
	if ((found = db_message_get(rb->db, id, m)) < 0)
		return cli_db_error(rb);
	if (found == 0) {
		fprintf(stderr, "refbot: no message %lld\n", (long long)id);
		return EX_DATAERR_;
	}
	return 0;
}

static void
show_text(const struct inbound *m)
{
	static const char *const names[] = { "From", "To", "Date", "Subject" };
	char when[40], ref[24], *v;
	size_t i;

	cli_iso_time(m->received_at, when, sizeof(when));
	printf("Message:     %lld\nReceived:    %s\nMailbox:     %s, UID %lld "
	    "(%s)\nSize:        %lld bytes%s\nMessage-ID:  %s\n",
	    (long long)m->id, when, m->mailbox, (long long)m->uid,
	    m->moved ? "filed in its folder" : "still in the mailbox",
	    (long long)m->size, m->stored == 0 ? " (raw mail purged: "
	    "retention policy or forget)" : m->stored < (size_t)m->size ?
	    " (only its header was fetched)" : "",
	    m->message_id ? m->message_id : "-");
	for (i = 0; i < nitems(names); i++) {
		v = field(m, names[i]);
		printf("%s:%*s%s\n", names[i], (int)(12 - strlen(names[i])),
		    "", v ? v : "-");
		free(v);
	}
	printf("\nDisposition: %s\nWhy:         %s\nAttempts:    %d\n",
	    m->disposition, m->detail ? m->detail : "-", m->attempts);
	if (m->referral_id > 0) {
		refbot_ref(m->referral_id, ref, sizeof(ref));
		printf("Referral:    %s (refbot referral show %s)\n", ref, ref);
	}
	if (m->processed_at >= 0) {
		cli_iso_time(m->processed_at, when, sizeof(when));
		printf("Decided:     %s\n", when);
	}
}

static void
show_json(const struct inbound *m, int raw)
{
	struct buf b;
	char when[40], ref[24], *from = field(m, "From");
	char *subject = field(m, "Subject"), *date = field(m, "Date");
	char *text = raw ? utf8_sanitize(m->raw, m->rawlen) : NULL;

	buf_init(&b);
	buf_addc(&b, '{');
	json_kv_int(&b, "id", m->id, 1);
	cli_iso_time(m->received_at, when, sizeof(when));
	json_kv_str(&b, "received_at", when, 0);
	json_kv_str(&b, "mailbox", m->mailbox, 0);
	json_kv_int(&b, "uid", m->uid, 0);
	json_kv_int(&b, "moved", m->moved, 0);
	json_kv_int(&b, "size", m->size, 0);
	json_kv_int(&b, "stored", (int64_t)m->stored, 0);
	json_kv_str(&b, "message_id", m->message_id, 0);
	json_kv_str(&b, "from", from, 0);
	json_kv_str(&b, "date", date, 0);
	json_kv_str(&b, "subject", subject, 0);
	json_kv_str(&b, "disposition", m->disposition, 0);
	json_kv_str(&b, "detail", m->detail, 0);
	json_kv_int(&b, "attempts", m->attempts, 0);
	refbot_ref(m->referral_id, ref, sizeof(ref));
	json_kv_str(&b, "referral", m->referral_id > 0 ? ref : NULL, 0);
	if (m->processed_at >= 0)
		cli_iso_time(m->processed_at, when, sizeof(when));
	json_kv_str(&b, "decided_at", m->processed_at >= 0 ? when : NULL, 0);
	if (raw)
		json_kv_str(&b, "raw", text, 0);
	buf_adds(&b, "}\n");
	fputs(b.data, stdout);
	buf_free(&b);
	free(text);
	free(from);
	free(subject);
	free(date);
}

static int
message_show(struct refbot *rb, int json, const char *idstr, int raw)
{
	struct inbound m;
	int rc;

	if ((rc = get_message(rb, idstr, &m)) != 0)
		return rc;
	if (json)
		show_json(&m, raw);
	else if (raw)	/* the bytes as stored, for a person or a file */
		fwrite(m.raw, 1, m.rawlen, stdout);
	else
		show_text(&m);
	inbound_free(&m);
	return 0;
}

/*
 * Runs a quarantined or unreadable message through intake again, here
 * and now, as the daemon would have: its replies are queued in the
 * outbox for the daemon to send.  The mail stays in its IMAP folder.
 */
static int
message_retry(struct refbot *rb, const char *idstr)
{
	struct inbound m, now;
	enum intake_result res;
	int rc, r;

	if ((rc = get_message(rb, idstr, &m)) != 0)
		return rc;
	/* Before any lookup (a lengthened protection_days). */
	if (intake_window_tidy(rb) != 0) {
		inbound_free(&m);
		return cli_db_error(rb);
	}
	if ((r = db_message_retry(rb->db, m.id)) <= 0) {
		if (r < 0)
			rc = cli_db_error(rb);
		else {
			fprintf(stderr, "refbot: message %lld is %s%s: only "
			    "a quarantined or unreadable message that was "
			    "stored whole can be run again\n",
			    (long long)m.id, m.disposition,
			    m.stored == 0 ? " (purged)" : m.stored <
			    (size_t)m.size ? " (header only)" : "");
			rc = EX_DATAERR_;
		}
		inbound_free(&m);
		return rc;
	}
	/* Its first attempt alone since the fix (counted by the retry). */
	res = intake_process(rb, m.id, m.raw, m.rawlen, 1);
	intake_probe_stop();
	if (res == INTAKE_RETRY || res == INTAKE_CONFIG) {
		fprintf(stderr, "refbot: message %lld: not processed (%s); "
		    "it is left pending\n", (long long)m.id,
		    res == INTAKE_CONFIG ? "a mail text failed to build" :
		    "database busy or failing");
		inbound_free(&m);
		return EX_TEMPFAIL_;
	}
	if (db_message_get(rb->db, m.id, &now) <= 0) {
		inbound_free(&m);
		return cli_db_error(rb);
	}
	printf("message %lld: was %s, now %s: %s\n", (long long)m.id,
	    m.disposition, now.disposition, now.detail ? now.detail : "-");
	inbound_free(&now);
	inbound_free(&m);
	return 0;
}

static int
cmd_message(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "disposition", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	const char *disp = NULL, *since = NULL, *verb;
	int json = 0, raw = 0, c, rc;
	int64_t from = 0;

	if (argc < 2)
		return cli_usage();
	verb = argv[1];
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:d:s:r", opts, NULL)) != -1) {
		if (c == 'f') {
			if ((json = cli_parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else if (c == 'd')
			disp = optarg;
		else if (c == 's')
			since = optarg;
		else if (c == 'r')
			raw = 1;
		else
			return cli_usage();
	}
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	/* After cli_open: the date is in the configured timezone. */
	if (since != NULL && (from = cli_parse_day(since)) < 0) {
		fprintf(stderr, "refbot: --since takes a date, YYYY-MM-DD\n");
		rc = EX_USAGE_;
	} else if (strcmp(verb, "list") == 0 && optind == argc && !raw)
		rc = message_list(&rb, json, disp, from);
	else if (strcmp(verb, "show") == 0 && optind == argc - 1 &&
	    disp == NULL && since == NULL)
		rc = message_show(&rb, json, argv[optind], raw);
	else if (strcmp(verb, "retry") == 0 && optind == argc - 1 &&
	    disp == NULL && since == NULL && !raw && !json)
		rc = message_retry(&rb, argv[optind]);
	else
		rc = cli_usage();
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_message_cmd = { .name = "message", .usage =
"  message list [--disposition D] [--since YYYY-MM-DD] [--format text|json]\n"
"                                what arrived and what was decided\n"
"  message show N [--raw] [--format text|json]\n"
"                                one message: headers, decision, why\n"
"  message retry N               run a quarantined or unreadable message\n"
"                                again, after a fix\n",
	.exec = cmd_message, .help =
"Every inbound mail is kept with the disposition refbot recorded for it\n"
"(referral, unreadable, quarantined, unknown-sender, ...); staff alerts\n"
"name messages by their number N.\n"
"Options:\n"
"  --disposition D   (list) only messages with disposition D\n"
"  --since DAY       (list) received on or after DAY, in the timezone\n"
"  --raw             (show) the message as stored, headers and body\n"
"  --format F        text or json\n"
"\n"
"Example:\n"
"  refbot message list --disposition quarantined\n"
"  refbot message show 42\n"
"  refbot message retry 42\n" };
