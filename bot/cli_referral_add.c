/*
 * cli_referral_add: "refbot referral add": a referral that did not come
 * by mail (a call, a meeting), read against the template and recorded
 * by intake's own code (intake_referral_add), so it is checked, counted
 * and acknowledged exactly as a mailed one.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cli.h"
#include "clock.h"
#include "db_partners.h"
#include "intake.h"
#include "intake_text.h"
#include "template.h"

/* YYYY-MM-DD as the start of that day where the firm is; -1 if it is none. */
static int64_t
local_day(const char *s)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    s[n] != '\0' || strlen(s) != 10 || m < 1 || m > 12 || d < 1 ||
	    d > 31 || y < 2000)
		return -1;
	return clock_at(y, m, d, 0);
}

/* The --field KEY=VALUE options, each a field of the template. */
struct fields {
	const char **keys, **vals;
	size_t n;
};

static int
fields_add(struct fields *fs, const struct template *t, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char *key;

	if (eq == NULL || eq == kv) {
		fprintf(stderr, "refbot: --field takes KEY=VALUE\n");
		return EX_USAGE_;
	}
	key = xstrndup(kv, (size_t)(eq - kv));
	if (template_field(t, key) == NULL) {
		fprintf(stderr, "refbot: '%s' is not a field of the template\n",
		    key);
		free(key);
		return EX_USAGE_;
	}
	fs->keys = xreallocarray(fs->keys, fs->n + 1, sizeof(*fs->keys));
	fs->vals = xreallocarray(fs->vals, fs->n + 1, sizeof(*fs->vals));
	fs->keys[fs->n] = key;
	fs->vals[fs->n++] = eq + 1;
	return 0;
}

static void
fields_free(struct fields *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		free((char *)fs->keys[i]);
	free(fs->keys);
	free(fs->vals);
}

/*
 * Records it.  A required field missing or invalid is refused with the
 * template's reasons (a mail would be answered "incomplete"; here the
 * person who can fix it is at the keyboard); a checklist rule that fails
 * is recorded DISQUALIFIED as mail is.
 */
static int
add(struct refbot *rb, const struct partner *p, const struct fields *fs,
    const struct intake_add *o)
{
	struct form f;
	char ref[24], *why, *detail = NULL;
	int64_t id = 0;
	int rc = 0;

	form_evaluate(rb->tmpl, fs->keys, fs->vals, fs->n, &f);
	if (f.outcome == OUTCOME_INCOMPLETE) {
		why = intake_problems_text(rb, &f, "en");
		fprintf(stderr, "refbot: the referral is not complete; nothing "
		    "was recorded:\n%s\n", why);
		free(why);
		form_free(&f);
		return EX_DATAERR_;
	}
	if (intake_window_tidy(rb) != 0 || db_begin(rb->db) != 0 ||
	    intake_referral_add(rb, p, &f, o, 0, &id, &detail) != 0 ||
	    db_commit(rb->db) != 0) {
		db_rollback(rb->db);
		rc = rb->text_failed != NULL ? EX_CONFIG_ : cli_db_error(rb);
		if (rb->text_failed != NULL)
			fprintf(stderr, "refbot: mail text %s cannot be built\n",
			    rb->text_failed);
	} else {
		refbot_ref(id, ref, sizeof(ref));
		printf("%s recorded: %s%s\n", ref, detail, o->quiet ?
		    "; the partner is not told (--quiet)" :
		    "; the acknowledgement is sent by refbot run");
	}
	free(detail);
	form_free(&f);
	return rc;
}

int
cli_referral_add(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "partner", required_argument, NULL, 'p' },
		{ "field", required_argument, NULL, 'F' },
		{ "submitted-by", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct intake_add o = { .actor = cli_actor(),
	    .detail_key = "history.by-hand" };
	struct fields fs = { NULL, NULL, 0 };
	struct refbot rb;
	struct partner p;
	const char *partner = NULL;
	char **kv = xcalloc((size_t)argc + 1, sizeof(*kv));
	size_t nkv = 0, i;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "p:F:s:d:q", opts, NULL)) != -1) {
		if (c == 'p')
			partner = optarg;
		else if (c == 'F')
			kv[nkv++] = optarg;
		else if (c == 's')
			o.submitted_by = optarg;
		else if (c == 'q')
			o.quiet = 1;
		else if (c == 'd' && (o.created_at = local_day(optarg)) < 0) {
			fprintf(stderr, "refbot: --date is YYYY-MM-DD\n");
			free(kv);
			return EX_USAGE_;
		} else if (c != 'd') {
			free(kv);
			return cli_usage();
		}
	}
	if (partner == NULL || nkv == 0 || optind != argc) {
		free(kv);
		return cli_usage();
	}
	if (o.submitted_by != NULL && addr_check(o.submitted_by,
	    strlen(o.submitted_by)) != ADDR_OK) {
		fprintf(stderr, "refbot: --submitted-by: %s\n", addr_strerror(
		    addr_check(o.submitted_by, strlen(o.submitted_by))));
		free(kv);
		return EX_USAGE_;
	}
	if ((rc = cli_open(&rb, conf, 0)) != 0) {
		free(kv);
		return rc;
	}
	if (o.created_at > clock_now()) {
		fprintf(stderr, "refbot: --date is in the future\n");
		rc = EX_USAGE_;
	}
	for (i = 0; rc == 0 && i < nkv; i++)
		rc = fields_add(&fs, rb.tmpl, kv[i]);
	if (rc == 0 && (rc = cli_find_partner(&rb, partner, &p)) == 0) {
		if (!p.active) {
			fprintf(stderr, "refbot: %s is not an active partner\n",
			    p.name);
			rc = EX_DATAERR_;
		} else
			rc = add(&rb, &p, &fs, &o);
		partner_free(&p);
	}
	fields_free(&fs);
	free(kv);
	refbot_close(&rb);
	return rc;
}
