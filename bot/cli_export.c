/*
 * cli_export: "refbot export referrals|history" — the records for a
 * CRM, as CSV (RFC 4180, a header row, optionally with a UTF-8 BOM for
 * Excel), JSON (one array) or NDJSON (an object a line), with an
 * optional column map that picks, orders and renames the columns.
 *
 * Incremental export uses the change counter (db_schema.c): every write
 * to a referral, its fields, history or ledger takes the next number in
 * its own transaction.  The export reads the counter and the rows in one
 * snapshot and prints the counter as the stamp for the next run, so a
 * referral changed after a stamp is in the next export exactly once.
 * Wall-clock seconds could not promise that: several changes share a
 * second (so "after T" misses some and "from T" repeats some), and the
 * clock can step back.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "db_export.h"
#include "db_referrals.h"
#include "json.h"
#include "keyword.h"
#include "kvfile.h"
#include "status.h"
#include "template.h"

enum fmt { CSV, JSON, NDJSON };

/* A table being written: its columns, and which go out as what. */
struct table {
	char **names;		/* our column names */
	int *numeric;		/* JSON numbers (when not empty) */
	size_t ncols;
	size_t *order;		/* the columns written, in order */
	char **heads;		/* their names in the output */
	size_t nout;
	enum fmt fmt;
	int safe;		/* --csv-safe: see csv_field */
	size_t rows;
	struct refbot *rb;
	int failed;
};

static void
add_col(struct table *t, const char *name, int numeric)
{
	t->names = xreallocarray(t->names, t->ncols + 1, sizeof(char *));
	t->numeric = xreallocarray(t->numeric, t->ncols + 1, sizeof(int));
	t->names[t->ncols] = xstrdup(name);
	t->numeric[t->ncols++] = numeric;
}

static void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		free(t->names[i]);
	for (i = 0; i < t->nout; i++)
		free(t->heads[i]);
	free(t->names);
	free(t->numeric);
	free(t->order);
	free(t->heads);
}

/*
 * The columns written: all, under our names; or those the map file
 * names ("our_column = CRM name" lines), in its order.  0, or an EX_*
 * code said on stderr.
 */
static int
table_map(struct table *t, const char *path)
{
	struct kvfile kv;
	char *text, *err = NULL;
	size_t i, j, len;

	if (path == NULL) {
		t->order = xcalloc(t->ncols, sizeof(size_t));
		t->heads = xcalloc(t->ncols, sizeof(char *));
		for (i = 0; i < t->ncols; i++) {
			t->order[i] = i;
			t->heads[i] = xstrdup(t->names[i]);
		}
		t->nout = t->ncols;
		return 0;
	}
	if ((text = read_file(path, &len)) == NULL) {
		fprintf(stderr, "refbot: %s: cannot read it\n", path);
		return EX_NOINPUT_;
	}
	if (kvfile_parse(text, len, &kv, &err) != 0) {
		fprintf(stderr, "refbot: %s:%s\n", path, err);
		free(err);
		free(text);
		return EX_DATAERR_;
	}
	free(text);
	t->order = xcalloc(kv.n + 1, sizeof(size_t));
	t->heads = xcalloc(kv.n + 1, sizeof(char *));
	for (i = 0; i < kv.n; i++) {
		for (j = 0; j < t->ncols; j++)
			if (strcmp(kv.entries[i].key, t->names[j]) == 0)
				break;
		if (j == t->ncols) {
			fprintf(stderr, "refbot: %s:%d: no column '%s' (see "
			    "refbot(1), EXPORT)\n", path, kv.entries[i].line,
			    kv.entries[i].key);
			kvfile_free(&kv);
			return EX_DATAERR_;
		}
		t->order[t->nout] = j;
		t->heads[t->nout++] = xstrdup(kv.entries[i].value);
	}
	kvfile_free(&kv);
	return 0;
}

/*
 * One CSV field: quoted when it holds a comma, quote, CR or LF.  safe
 * (--csv-safe): a field a spreadsheet would run as a formula (starting
 * with = + - @, TAB or CR) gets a leading ' and quotes.  Off by default:
 * it changes the data ("+81 3 1234 5678" becomes "'+81 ...", "-5" a
 * text), which a CRM import takes literally; on for files people open
 * in Excel, where a partner's "=HYPERLINK(...)" would otherwise run.
 */
static void
csv_field(struct buf *b, const char *s, int safe)
{
	int formula = safe && *s != '\0' && strchr("=+-@\t\r", *s) != NULL;

	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	if (formula)
		buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

static void
put_header(struct table *t, int bom)
{
	struct buf b;
	size_t i;

	if (t->fmt == JSON)
		fputc('[', stdout);
	if (t->fmt != CSV)
		return;
	buf_init(&b);
	if (bom)
		buf_adds(&b, "\xef\xbb\xbf");
	for (i = 0; i < t->nout; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		csv_field(&b, t->heads[i], 0);
	}
	buf_adds(&b, "\r\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

/* One row; v[i] is column i's value ("" when none). */
static void
put_row(struct table *t, char *const *v)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	if (t->fmt == JSON && t->rows > 0)
		buf_addc(&b, ',');
	if (t->fmt != CSV)
		buf_addc(&b, '{');
	for (i = 0; i < t->nout; i++) {
		size_t c = t->order[i];

		if (t->fmt == CSV) {
			if (i > 0)
				buf_addc(&b, ',');
			csv_field(&b, v[c], t->safe);
			continue;
		}
		json_key(&b, t->heads[i], i == 0);
		if (*v[c] == '\0')
			buf_adds(&b, "null");
		else if (t->numeric[c])
			buf_adds(&b, v[c]);
		else
			json_str(&b, v[c]);
	}
	buf_adds(&b, t->fmt == CSV ? "\r\n" : t->fmt == JSON ? "}" : "}\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	t->rows++;
}

static void
put_end(struct table *t)
{
	if (t->fmt == JSON)
		fputs("]\n", stdout);
}

static char *
iso(int64_t at)
{
	char when[40];

	if (at <= 0)
		return xstrdup("");
	cli_iso_time(at, when, sizeof(when));
	return xstrdup(when);
}

/* Minor units as a decimal number in the configured currency. */
static char *
money(int64_t minor, const char *currency)
{
	int d = amount_decimals(currency), i;
	int64_t scale = 1, a = minor < 0 ? -minor : minor;

	for (i = 0; i < d; i++)
		scale *= 10;
	if (d == 0)
		return xasprintf("%lld", (long long)minor);
	return xasprintf("%s%lld.%0*lld", minor < 0 ? "-" : "",
	    (long long)(a / scale), d, (long long)(a % scale));
}

/* The fixed columns of a referral row, before the template's fields. */
static const char *const ref_head[] = { "ref", "id", "status", "partner",
    "partner_email", "submitted_by", "owner", "received_at", "updated_at" };
/* And after them and the "<state>_at" dates. */
static const char *const ref_tail[] = { "amount_won", "commission",
    "currency", "change" };

/* "won_at" for WON: a state's date column. */
static char *
state_column(const char *state)
{
	char *name = xasprintf("%s_at", state), *p;

	for (p = name; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return name;
}

static void
referral_columns(struct table *t, int owner, int submitter)
{
	const char *s;
	size_t i;

	for (i = 0; i < nitems(ref_head); i++) {
		if ((strcmp(ref_head[i], "owner") == 0 && !owner) ||
		    (strcmp(ref_head[i], "submitted_by") == 0 && !submitter))
			continue;
		add_col(t, ref_head[i], strcmp(ref_head[i], "id") == 0);
	}
	for (i = 0; i < t->rb->tmpl->nfields; i++)
		add_col(t, t->rb->tmpl->fields[i].key, 0);
	for (i = 0; (s = status_name(i)) != NULL; i++) {
		char *name = state_column(s);

		add_col(t, name, 0);
		free(name);
	}
	for (i = 0; i < nitems(ref_tail); i++)
		add_col(t, ref_tail[i], strcmp(ref_tail[i], "currency") != 0);
}

/* Column name's index (it exists: the table was built so). */
static size_t
col(const struct table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->names[i], name) == 0)
			return i;
	return t->ncols;
}

static void
set(const struct table *t, char **v, const char *name, char *value)
{
	size_t i = col(t, name);

	if (i < t->ncols) {
		free(v[i]);
		v[i] = value;
	} else
		free(value);
}

static int
referral_row(const struct export_ref *e, void *arg)
{
	struct table *t = arg;
	const char *cur = t->rb->cfg.currency;
	struct referral r;
	char **v, ref[24];
	size_t i;

	if (db_referral_get(t->rb->db, e->id, &r) <= 0) {
		t->failed = 1;
		return 1;
	}
	v = xcalloc(t->ncols, sizeof(char *));
	refbot_ref(r.id, ref, sizeof(ref));
	set(t, v, "ref", xstrdup(ref));
	set(t, v, "id", xasprintf("%lld", (long long)r.id));
	set(t, v, "status", xstrdup(r.status));
	set(t, v, "partner", xstrdup(r.partner_name ? r.partner_name : ""));
	set(t, v, "partner_email", xstrdup(r.partner_email ?
	    r.partner_email : ""));
	set(t, v, "submitted_by", xstrdup(e->submitter ? e->submitter : ""));
	set(t, v, "owner", xstrdup(e->owner ? e->owner : ""));
	set(t, v, "received_at", iso(r.created_at));
	set(t, v, "updated_at", iso(r.updated_at));
	for (i = 0; i < r.nfields; i++)
		set(t, v, r.fields[i].key, xstrdup(r.fields[i].value));
	/* The last time it entered each state; NEW when it was made. */
	set(t, v, "new_at", iso(r.created_at));
	for (i = 0; i < r.nhistory; i++)
		if (r.history[i].to_status != NULL) {
			char *name = state_column(r.history[i].to_status);

			set(t, v, name, iso(r.history[i].at));
			free(name);
		}
	set(t, v, "amount_won", e->won_amount >= 0 ?
	    money(e->won_amount, cur) : xstrdup(""));
	set(t, v, "commission", money(e->commission, cur));
	set(t, v, "currency", xstrdup(cur && *cur ? cur : "JPY"));
	set(t, v, "change", xasprintf("%lld", (long long)e->change_seq));
	for (i = 0; i < t->ncols; i++)
		if (v[i] == NULL)
			v[i] = xstrdup("");
	put_row(t, v);
	for (i = 0; i < t->ncols; i++)
		free(v[i]);
	free(v);
	referral_free(&r);
	return 0;
}

static const char *const hist_cols[] = { "ref", "referral_id", "at",
    "event", "from_status", "to_status", "actor", "detail", "change" };

static int
history_row(const struct export_hist *h, void *arg)
{
	struct table *t = arg;
	char *v[nitems(hist_cols)], ref[24];
	size_t i;

	refbot_ref(h->referral_id, ref, sizeof(ref));
	v[0] = xstrdup(ref);
	v[1] = xasprintf("%lld", (long long)h->referral_id);
	v[2] = iso(h->at);
	v[3] = xstrdup(h->event ? h->event : "");
	v[4] = xstrdup(h->from_status ? h->from_status : "");
	v[5] = xstrdup(h->to_status ? h->to_status : "");
	v[6] = xstrdup(h->actor ? h->actor : "");
	v[7] = xstrdup(h->detail ? h->detail : "");
	v[8] = xasprintf("%lld", (long long)h->change_seq);
	put_row(t, v);
	for (i = 0; i < nitems(v); i++)
		free(v[i]);
	return 0;
}

static int
run_export(struct refbot *rb, int history, int64_t since, int64_t changed,
    enum fmt fmt, int bom, int safe, const char *map)
{
	struct table t;
	int64_t stamp;
	size_t i;
	int rc, owner = 0, submitter = 0;

	memset(&t, 0, sizeof(t));
	t.rb = rb;
	t.fmt = fmt;
	t.safe = safe;
	/* One snapshot: the stamp and the rows agree. */
	if (db_begin_read(rb->db) != 0 || (stamp = db_change_stamp(rb->db)) < 0
	    || (owner = db_referrals_have(rb->db, "owner")) < 0 ||
	    (submitter = db_referrals_have(rb->db, "submitted_by")) < 0) {
		db_rollback(rb->db);
		return cli_db_error(rb);
	}
	if (history)
		for (i = 0; i < nitems(hist_cols); i++)
			add_col(&t, hist_cols[i], i == 1 || i == 8);
	else
		referral_columns(&t, owner, submitter);
	if ((rc = table_map(&t, map)) != 0) {
		db_rollback(rb->db);
		table_free(&t);
		return rc;
	}
	put_header(&t, bom);
	rc = history ? db_export_history(rb->db, since, changed, history_row,
	    &t) : db_export_referrals(rb->db, since, changed, referral_row,
	    &t);
	put_end(&t);
	if (rc != 0 || t.failed || db_commit(rb->db) != 0) {
		db_rollback(rb->db);
		table_free(&t);
		return cli_db_error(rb);
	}
	if (fflush(stdout) != 0) {
		perror("refbot: stdout");
		table_free(&t);
		return EX_IOERR_;
	}
	/* For the next run: --changed-since this. */
	fprintf(stderr, "refbot: exported %zu row%s; next stamp: %lld\n",
	    t.rows, t.rows == 1 ? "" : "s", (long long)stamp);
	table_free(&t);
	return 0;
}

static int
cmd_export(const char *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "since", required_argument, NULL, 's' },
		{ "changed-since", required_argument, NULL, 'c' },
		{ "bom", no_argument, NULL, 'b' },
		{ "map", required_argument, NULL, 'm' },
		{ "csv-safe", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct refbot rb;
	const char *what, *map = NULL;
	enum fmt fmt = CSV;
	int64_t since = 0, changed = 0;
	int c, rc, bom = 0, safe = 0, history;
	char *end;

	if (argc < 2)
		return cli_usage();
	what = argv[1];
	if (strcmp(what, "referrals") != 0 && strcmp(what, "history") != 0)
		return cli_usage();
	history = strcmp(what, "history") == 0;
	argc--, argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:s:c:bm:S", opts, NULL)) != -1) {
		if (c == 'f') {
			if (strcmp(optarg, "csv") == 0)
				fmt = CSV;
			else if (strcmp(optarg, "json") == 0)
				fmt = JSON;
			else if (strcmp(optarg, "ndjson") == 0)
				fmt = NDJSON;
			else {
				fprintf(stderr, "refbot: --format must be csv, "
				    "json or ndjson\n");
				return EX_USAGE_;
			}
		} else if (c == 's') {
			if ((since = cli_parse_day(optarg)) < 0) {
				fprintf(stderr, "refbot: --since wants a date, "
				    "YYYY-MM-DD\n");
				return EX_USAGE_;
			}
		} else if (c == 'c') {
			changed = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || changed < 0) {
				fprintf(stderr, "refbot: --changed-since wants "
				    "the stamp the last export printed\n");
				return EX_USAGE_;
			}
		} else if (c == 'b')
			bom = 1;
		else if (c == 'm')
			map = optarg;
		else if (c == 'S')
			safe = 1;
		else
			return cli_usage();
	}
	if (optind != argc || ((bom || safe) && fmt != CSV))
		return cli_usage();
	if ((rc = cli_open(&rb, conf, 0)) != 0)
		return rc;
	rc = run_export(&rb, history, since, changed, fmt, bom, safe, map);
	refbot_close(&rb);
	return rc;
}

const struct cli_cmd cli_export_cmd = { "export",
"  export referrals|history [--since DATE | --changed-since STAMP]\n"
"         [--format csv|json|ndjson] [--bom] [--csv-safe] [--map FILE]\n"
"                                the records for a CRM: one row per\n"
"                                referral, or per history entry\n",
	cmd_export,
"Options:\n"
"  --format F          csv (RFC 4180, a header row; default), json or ndjson\n"
"  --since DATE        only those received (history: written) on or after\n"
"                      DATE, YYYY-MM-DD\n"
"  --changed-since S   only those changed after stamp S; each export ends\n"
"                      by printing the stamp for the next on stderr\n"
"  --bom               start the CSV with a UTF-8 BOM (Excel in Japan)\n"
"  --csv-safe          a cell starting with = + - @, TAB or CR gets a leading\n"
"                      ' so a spreadsheet shows it rather than runs it as a\n"
"                      formula (off by default: it changes the data, e.g.\n"
"                      phone numbers \"+81 ...\", for a CRM import)\n"
"  --map FILE          \"our_column = CRM column\" lines: only these\n"
"                      columns, in this order, under these names\n"
"\n"
"Example:\n"
"  refbot export referrals --format csv --bom > referrals.csv\n"
"  refbot export referrals --csv-safe --bom > for-excel.csv\n"
"  refbot export referrals --changed-since 1234 --map hubspot.map\n"
"  refbot export history --format ndjson --since 2026-10-01\n" };
