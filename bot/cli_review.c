/*
 * cli_review: "refbot review", the quarterly review pack of each
 * partner (review.h), printed or sent to its account manager.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cli.h"
#include "db_partners.h"
#include "review.h"
#include "staff.h"

/* One partner's pack: printed in its first reader's language, or sent. */
static int
review_one(struct refbot *rb, const struct partner *p,
    const struct quarter *q, int send)
{
	struct staff_rcpt *to = NULL;
	struct review rv;
	char *subj, *body, *err = NULL;
	size_t i, n = 0;
	int rc;

	if (send) {
		if ((rc = review_send(rb, p, q, clock_now())) < 0)
			return cli_db_error(rb);
		if (rc)
			printf("%s: review pack %s queued\n", p->name, q->name);
		else
			printf("%s: review pack %s was sent before; not again\n",
			    p->name, q->name);
		return 0;
	}
	if (review_recipients(rb, p, &to, &n) != 0)
		return cli_db_error(rb);
	rc = review_build(rb, p, q, n > 0 ? to[0].lang : rb->cfg.language,
	    clock_now(), &rv);
	if (rc != 0)
		rc = cli_db_error(rb);
	else if (review_text(rb, &rv, &subj, &body, &err) != 0) {
		fprintf(stderr, "refbot: %s\n", err);
		free(err);
		rc = EX_CONFIG_;
	} else {
		printf("To:");
		for (i = 0; i < n; i++)
			printf("%s %s", i ? "," : "", to[i].email);
		printf("%s\nSubject: %s\n\n%s\n", n ? "" : " (nobody)", subj,
		    body);
		free(subj);
		free(body);
	}
	review_free(&rv);
	staff_rcpts_free(to, n);
	return rc;
}

int
cli_quarterly(const char *conf, int argc, char **argv, int need_quarter,
    int (*one)(struct refbot *, const struct partner *,
    const struct quarter *, int send))
{
	static const struct option opts[] = {
		{ "quarter", required_argument, NULL, 'q' },
		{ "partner", required_argument, NULL, 'p' },
		{ "send", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	struct quarter q, prev;
	struct partner p;
	const char *partner = NULL, *quarter = NULL;
	char key[24];
	int64_t *ids = NULL;
	size_t i, n = 0;
	int c, rc, send = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "q:p:s", opts, NULL)) != -1) {
		if (c == 'q')
			quarter = optarg;
		else if (c == 'p')
			partner = optarg;
		else if (c == 's')
			send = 1;
		else
			return cli_usage();
	}
	if (optind != argc || (need_quarter && quarter == NULL))
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	/* After cli_open: the quarter runs in the configured timezone. */
	review_quarter_at(clock_now(), &q, &prev);
	if (quarter != NULL && statement_quarter(quarter, &q) != 0) {
		fprintf(stderr, "refbot: --quarter is written like 2026Q4\n");
		refbot_close(&rb);
		return EX_USAGE_;
	}
	if (partner != NULL) {
		if ((rc = cli_find_partner(&rb, partner, &p)) == 0) {
			rc = one(&rb, &p, &q, send);
			partner_free(&p);
		}
	} else if (statement_partners(&rb, INT64_MAX, &ids, &n) != 0)
		rc = cli_db_error(&rb);
	else
		for (i = 0; i < n && rc == 0; i++) {
			snprintf(key, sizeof(key), "%lld", (long long)ids[i]);
			if (db_partner_find(rb.db, key, &p) <= 0)
				continue;
			rc = one(&rb, &p, &q, send);
			partner_free(&p);
		}
	free(ids);
	refbot_close(&rb);
	return rc;
}

/* "refbot review [--quarter 2026Q4] [--partner P] [--send]" */
static int
cmd_review(const char *conf, int argc, char **argv)
{
	return cli_quarterly(conf, argc, argv, 0, review_one);
}

const struct cli_cmd cli_review_cmd = { "review",
"  review [--quarter 2026Q4] [--partner P] [--send]\n"
"                                each active partner's quarterly review\n"
"                                pack for its account manager; --send\n"
"                                mails it (once per partner and quarter)\n",
	cmd_review,
"The pack: referrals both ways with outcomes, conversion, revenue,\n"
"commission earned and paid, median first response and SLA breaches,\n"
"survey scores against the previous quarter and comments, stalled\n"
"referrals, and talking points (templates/mail/talking-points.*.txt).\n"
"It is printed in the language of the person it goes to.\n"
"Options:\n"
"  --quarter YYYYQN  the quarter (default: the current one)\n"
"  --partner P       one partner (id or address) instead of all active\n"
"  --send            queue each pack as mail to the partner's account\n"
"                    manager, else the managers, once per partner and\n"
"                    quarter; without it, print them\n"
"\n"
"Example:\n"
"  refbot review --quarter 2026Q4 --partner partner@firm.example\n" };
