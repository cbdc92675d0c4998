/*
 * cli_parse: "refbot parse" — what refbot concludes from one message,
 * touching no server and no database.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "clock.h"
#include "cli.h"
#include "json.h"
#include "keyword.h"
#include "mailout.h"
#include "reply.h"

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
	struct tm today;
	struct keyword_table *kt = NULL;
	struct buf in, out;
	const char *tpath = NULL, *currency = "JPY";
	char *path = NULL, *text, *err = NULL, chunk[65536];
	size_t len, n;
	int json = 0, c, have_cfg = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "f:t:", opts, NULL)) != -1) {
		if (c == 'f') {
			if ((json = cli_parse_format(optarg)) < 0)
				return EX_USAGE_;
		} else if (c == 't')
			tpath = optarg;
		else
			return cli_usage();
	}
	if (optind != argc)
		return cli_usage();
	memset(&o, 0, sizeof(o));
	o.our_domain = "refbot.invalid";
	o.loop_header = MAILOUT_LOOP_HEADER;
	o.max_size = 25 * 1024 * 1024;
	/*
	 * Without --template, the configured template and settings; with
	 * no configuration file at all, the installed template (or, from a
	 * build tree, the source tree's): a dry run needs no servers.
	 */
	if (tpath == NULL && access(conf, F_OK) != 0 && errno == ENOENT) {
		const char *dir = PKGDATADIR "/templates";

		if (access(dir, F_OK) != 0 && config_source_templates() != NULL)
			dir = config_source_templates();
		path = xasprintf("%s/referral.template", dir);
		fprintf(stderr, "refbot: no configuration at %s; reading with "
		    "%s\n", conf, path);
		tpath = path;
	}
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
		    clock_local(clock_now(), &today), &rv.cmd) == 0;
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

const struct cli_cmd cli_parse_cmd = { "parse",
"  parse [--format text|json] [--template FILE] < MESSAGE.eml\n"
"                                what refbot concludes from one message,\n"
"                                touching no server and no database\n",
	cmd_parse,
"Reads one message on standard input and prints how refbot reads it: its\n"
"kind, language, the form's fields and what is missing, or a reply's\n"
"keyword.  Nothing is stored or sent.\n"
"Options:\n"
"  --format F        text or json\n"
"  --template FILE   the qualification template (default: the configured\n"
"                    one; with no configuration file, the installed one)\n"
"\n"
"Example:\n"
"  refbot parse --format json < referral.eml\n" };
