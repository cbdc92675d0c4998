/* cli_newsletter: "refbot newsletter set|preview|send|status". */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "analyze.h"
#include "cli.h"
#include "db_newsletter.h"
#include "db_outbox.h"
#include "db_partners.h"
#include "newsletter.h"
#include "outbox.h"
#include "sla.h"
#include "smtp.h"

struct nl_opts {
	const char *month, *file, *lang, *partner;
	int html;
	char coming[8];
};

static int
parse_opts(int argc, char **argv, struct nl_opts *o)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "file", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "partner", required_argument, NULL, 'p' },
		{ "html", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "m:f:l:p:H", opts, NULL)) != -1) {
		switch (c) {
		case 'm': o->month = optarg; break;
		case 'f': o->file = optarg; break;
		case 'l': o->lang = optarg; break;
		case 'p': o->partner = optarg; break;
		case 'H': o->html = 1; break;
		default: return cli_usage();
		}
	}
	if (optind != argc)
		return cli_usage();
	if (o->month != NULL && !newsletter_month_valid(o->month)) {
		fprintf(stderr, "refbot: --month is written like 2026-12\n");
		return EX_USAGE_;
	}
	if (o->lang != NULL && strcmp(o->lang, "en") && strcmp(o->lang, "ja")) {
		fprintf(stderr, "refbot: --lang must be en or ja\n");
		return EX_USAGE_;
	}
	return 0;
}

static void
print_due(struct refbot *rb, const char *month)
{
	char when[48];
	int n = newsletter_subscribers(rb);

	newsletter_format_date(newsletter_due(rb, month), when, sizeof(when));
	printf("newsletter %s: goes out %s to %d subscribed partners\n", month,
	    when, n);
}

/* "newsletter set --month M --file F [--lang en|ja]" */
static int
nl_set(struct refbot *rb, const struct nl_opts *o)
{
	size_t len;
	char *text, *body;
	const char *lang;

	if (o->month == NULL || o->file == NULL)
		return cli_usage();
	if ((text = read_file(o->file, &len)) == NULL) {
		fprintf(stderr, "refbot: %s: cannot read it\n", o->file);
		return EX_NOINPUT_;
	}
	if (!utf8_valid(text, len) || strlen(text) != len) {
		fprintf(stderr, "refbot: %s: not UTF-8 text\n", o->file);
		free(text);
		return EX_DATAERR_;
	}
	body = strtrim(text);
	if (*body == '\0') {
		fprintf(stderr, "refbot: %s is empty\n", o->file);
		free(text);
		return EX_DATAERR_;
	}
	lang = o->lang ? o->lang : detect_lang(body);
	if (db_newsletter_profile_put(rb->db, o->month, lang, body,
	    "cli") != 0) {
		free(text);
		return cli_db_error(rb);
	}
	printf("newsletter %s: %s profile stored (%zu bytes)\n", o->month,
	    lang, strlen(body));
	print_due(rb, o->month);
	free(text);
	return 0;
}

/* "newsletter preview --partner P [--month M] [--html]" */
static int
nl_preview(struct refbot *rb, const struct nl_opts *o)
{
	struct newsletter_issue is;
	struct partner p;
	char *err = NULL;
	int rc;

	if (o->partner == NULL)
		return cli_usage();
	if ((rc = cli_find_partner(rb, o->partner, &p)) != 0)
		return rc;
	rc = newsletter_compose(rb, &p, o->month, clock_now(), NULL, &is, &err);
	if (rc == NEWSLETTER_NO_PROFILE)
		fprintf(stderr, "refbot: no confirmed profile for %s: write "
		    "one with \"refbot newsletter set\"\n", o->month);
	else if (rc != 0)
		fprintf(stderr, "refbot: %s\n", err);
	else if (o->html)
		fputs(is.html, stdout);
	else
		printf("To: %s\nSubject: %s\n\n%s", p.email, is.subject,
		    is.text);
	if (rc == 0 && !newsletter_wanted(&p))
		fprintf(stderr, "refbot: note: %s gets no newsletter (%s)\n",
		    p.email, p.bounced ? "address bounced" : !p.active ?
		    "inactive" : "unsubscribed");
	free(err);
	newsletter_issue_free(&is);
	partner_free(&p);
	return rc == 0 ? 0 : rc == NEWSLETTER_NO_PROFILE ? EX_DATAERR_ :
	    EX_SOFTWARE_;
}

static void
pause_briefly(void)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* Sends what is queued for month, with progress on a terminal. */
static int
drain_month(struct refbot *rb, const char *month)
{
	static volatile sig_atomic_t never;
	struct outbox_limits lim;
	struct newsletter_progress pr;
	struct smtp *smtp = smtp_new(&rb->cfg);
	int tty = isatty(STDERR_FILENO), rc = 0, halted;
	int64_t when;

	memset(&lim, 0, sizeof(lim));
	for (;;) {
		/* A halt holds the rest and tells staff, at once. */
		if (outbox_drain(rb, smtp, &lim, &never) < 0 ||
		    (halted = newsletter_halted(rb, &lim)) < 0 ||
		    (halted == 1 && outbox_drain(rb, smtp, &lim, &never) < 0) ||
		    db_newsletter_progress(rb->db, month, &pr) != 0) {
			rc = cli_db_error(rb);
			break;
		}
		if (tty)
			fprintf(stderr, "\rrefbot: newsletter %s: %lld of %lld "
			    "sent", month, (long long)pr.sent,
			    (long long)pr.total);
		if (pr.pending == 0)
			break;
		/* The server said later: leave the rest to refbot run. */
		if (db_outbox_next_time(rb->db, &when) == 1 &&
		    when > clock_now() + 2) {
			rc = EX_TEMPFAIL_;
			break;
		}
		pause_briefly();
	}
	if (tty)
		fputc('\n', stderr);
	smtp_free(smtp);
	outbox_limits_free(&lim);
	if (rc == EX_IOERR_)
		return rc;
	printf("newsletter %s: %lld sent, %lld failed, %lld held, %lld "
	    "waiting\n", month, (long long)pr.sent, (long long)pr.failed,
	    (long long)pr.held, (long long)pr.pending);
	if (pr.held > 0)
		fprintf(stderr, "refbot: the send stopped after repeated "
		    "failures; fix the mail server, then run this again\n");
	else if (rc == EX_TEMPFAIL_)
		fprintf(stderr, "refbot: the mail server asked to try later; "
		    "refbot run sends the rest\n");
	return pr.held > 0 ? EX_UNAVAILABLE_ : rc;
}

/* "newsletter send --month M": queue what is missing, then send it. */
static int
nl_send(struct refbot *rb, const struct nl_opts *o)
{
	char *err = NULL;
	int queued, rc, released;

	if (o->month == NULL)
		return cli_usage();
	/* Resuming a send that stopped: held issues go out again. */
	if ((released = db_outbox_hold(rb->db, NEWSLETTER_KIND, 1)) < 0)
		return cli_db_error(rb);
	rc = newsletter_queue(rb, o->month, clock_now(), &queued, &err);
	if (rc == NEWSLETTER_NO_PROFILE) {
		fprintf(stderr, "refbot: no confirmed profile for %s: write "
		    "one with \"refbot newsletter set\"\n", o->month);
		return EX_DATAERR_;
	}
	if (rc != 0) {
		fprintf(stderr, "refbot: %s\n", err);
		free(err);
		return EX_IOERR_;
	}
	printf("newsletter %s: %d issues queued%s\n", o->month, queued,
	    released > 0 ? " (and held ones released)" : "");
	return drain_month(rb, o->month);
}

/* "newsletter status [--month M]" */
static int
nl_status(struct refbot *rb, const struct nl_opts *o)
{
	static const char *langs[] = { "en", "ja" };
	struct newsletter_progress pr;
	char *body;
	size_t i;
	int r, drafts;

	print_due(rb, o->month);
	for (i = 0; i < nitems(langs); i++) {
		body = NULL;
		r = db_newsletter_profile_get(rb->db, o->month, langs[i],
		    &body);
		free(body);
		drafts = db_newsletter_drafts(rb->db, o->month, langs[i]);
		if (r < 0 || drafts < 0)
			return cli_db_error(rb);
		printf("  profile %s: %s", langs[i], r > 0 ? "confirmed" :
		    drafts > 0 ? "draft (not sent until confirmed)" : "none");
		if (drafts > 0)
			printf("; %d draft%s waiting for the author's OK",
			    drafts, drafts == 1 ? "" : "s");
		putchar('\n');
	}
	if (db_newsletter_progress(rb->db, o->month, &pr) != 0)
		return cli_db_error(rb);
	printf("  issues: %lld queued, %lld sent, %lld failed, %lld held, "
	    "%lld waiting\n", (long long)pr.total, (long long)pr.sent,
	    (long long)pr.failed, (long long)pr.held, (long long)pr.pending);
	return 0;
}

static int
cmd_newsletter(const char *conf, int argc, char **argv)
{
	struct nl_opts o;
	struct refbot rb;
	const char *sub;
	int rc;

	if (argc < 2)
		return cli_usage();
	sub = argv[1];
	memset(&o, 0, sizeof(o));
	if ((rc = parse_opts(argc - 1, argv + 1, &o)) != 0)
		return rc;
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	if (o.month == NULL && strcmp(sub, "send") != 0 &&
	    strcmp(sub, "set") != 0) {
		newsletter_coming_month(&rb, clock_now(), o.coming);
		o.month = o.coming;
	}
	if (strcmp(sub, "set") == 0)
		rc = nl_set(&rb, &o);
	else if (strcmp(sub, "preview") == 0)
		rc = nl_preview(&rb, &o);
	else if (strcmp(sub, "send") == 0)
		rc = nl_send(&rb, &o);
	else if (strcmp(sub, "status") == 0)
		rc = nl_status(&rb, &o);
	else
		rc = cli_usage();
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_newsletter_cmd = { "newsletter",
"  newsletter set --month 2026-12 --file FILE [--lang en|ja]\n"
"                                the month's hot-opportunity profile\n"
"  newsletter preview --partner P [--month M] [--html]\n"
"                                exactly what P gets: text, or the HTML part\n"
"  newsletter send --month M     queue the month's issue for every partner\n"
"                                who has not had it, and send it now\n"
"  newsletter status [--month M] profiles and what was sent\n",
	cmd_newsletter,
"Options:\n"
"  --month YYYY-MM   the issue's month\n"
"  --file FILE       the profile text, UTF-8 (set)\n"
"  --lang en|ja      the profile's language (set; default: detected)\n"
"  --partner P       a partner's id or address (preview)\n"
"  --html            the HTML part instead of the text (preview)\n"
"The daemon sends the month's issue on newsletter_day by itself; 'send'\n"
"does it now, by hand, and never twice to one partner in a month.\n"
"\n"
"Example:\n"
"  refbot newsletter set --month 2026-12 --file profile.ja.txt --lang ja\n"
"  refbot newsletter preview --partner partner@firm.example\n" };
