/* refbot: opening and closing the process-wide state. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "analyze.h"
#include "log.h"
#include "refbot.h"
#include "render.h"
#include "util.h"

char *
refbot_reason(struct refbot *rb, const char *lang, const char *code,
    const char *arg)
{
	const struct kvfile *kv = texts_lines(rb->texts, "mail/reasons", lang);
	const struct render_var vars[] = { { "arg", arg ? arg : "" } };
	char *s = kv != NULL ? refbot_line(kv, code, vars, nitems(vars)) :
	    NULL;

	return s != NULL ? s : xstrdup(code);
}

/*
 * The key for reply tokens: the configured secret, else a random one
 * that refbot makes once and keeps in its database.
 */
static int
load_secret(struct refbot *rb, char **errstr)
{
	unsigned char r[32];
	char hex[sizeof(r) * 2 + 1];
	size_t i;
	int found;

	if (rb->cfg.secret != NULL) {
		rb->secret = xstrdup(rb->cfg.secret);
		return 0;
	}
	if ((found = db_setting_get(rb->db, "hmac_key", &rb->secret)) > 0)
		return 0;
	if (found == 0) {
		if (gnutls_rnd(GNUTLS_RND_KEY, r, sizeof(r)) != 0)
			fatalx("gnutls_rnd failed");
		for (i = 0; i < sizeof(r); i++)
			snprintf(hex + 2 * i, 3, "%02x", r[i]);
		if (db_setting_put(rb->db, "hmac_key", hex) == 0) {
			rb->secret = xstrdup(hex);
			return 0;
		}
	}
	*errstr = xasprintf("%s: cannot keep the token key: %s",
	    rb->cfg.database, db_errmsg(rb->db));
	return -1;
}

/* texts_load's findings at the start: the failures, the first in full. */
struct open_errors {
	char *first;
	int n;
};

static void
open_report(void *arg, enum texts_level level, const char *check,
    const char *msg)
{
	struct open_errors *e = arg;

	(void)check;
	if (level != TEXTS_FAIL)
		return;
	if (e->n++ == 0)
		e->first = xstrdup(msg);
}

/* Every text, checked; 0, or -1 with *errstr naming the first problem. */
static int
load_texts(struct refbot *rb, char **errstr)
{
	struct open_errors e = { NULL, 0 };

	if (texts_load(rb->cfg.templates, open_report, &e, &rb->texts) == 0) {
		rb->tmpl = texts_template(rb->texts);
		rb->keywords = texts_keywords(rb->texts);
		return 0;
	}
	texts_free(rb->texts);
	rb->texts = NULL;
	if (e.n == 1)
		*errstr = e.first;
	else {
		*errstr = xasprintf("%s (and %d more problems: 'refbot doctor' "
		    "lists them)", e.first, e.n - 1);
		free(e.first);
	}
	return -1;
}

/*
 * What sla_due needs, the database's own copy: a struct refbot is copied
 * whole on reload, so the database must not point into one.
 */
struct sla_rules {
	struct workhours hours;
	int sla_hours[4];	/* by tier; 0: no partner tier */
};

/*
 * sla_due in SQL (db.h): a first response is due the tier's SLA hours
 * after the referral arrived, counted as sla_hours_mode says.
 */
static int64_t
sla_due(void *arg, int64_t created, int tier, int times)
{
	const struct sla_rules *s = arg;

	return workhours_due(&s->hours, created, (int64_t)times *
	    s->sla_hours[tier >= 1 && tier <= 3 ? tier : 0] * 3600);
}

static void
sla_rules_free(void *arg)
{
	struct sla_rules *s = arg;

	workhours_free(&s->hours);
	free(s);
}

static int
install_sla(struct refbot *rb)
{
	struct sla_rules *s = xcalloc(1, sizeof(*s));
	size_t n = rb->cfg.hours.nholidays;
	int t;

	s->hours = rb->cfg.hours;
	s->hours.holidays = NULL;
	if (n > 0) {
		s->hours.holidays = xreallocarray(NULL, n,
		    sizeof(*s->hours.holidays));
		memcpy(s->hours.holidays, rb->cfg.hours.holidays,
		    n * sizeof(*s->hours.holidays));
	}
	for (t = 0; t <= 3; t++)
		s->sla_hours[t] = config_sla_hours(&rb->cfg, t);
	return db_sla_function(rb->db, sla_due, s, sla_rules_free);
}

int
refbot_open(struct refbot *rb, const char *confpath, int create,
    char **errstr)
{
	char *err = NULL;

	memset(rb, 0, sizeof(*rb));
	if (config_load(confpath, &rb->cfg, errstr) != 0)
		return EX_CONFIG_;
	rb->sla_hours = rb->cfg.sla_hours;
	/* The calendar (newsletter day, month boundaries) is the firm's. */
	if (rb->cfg.timezone != NULL) {
		setenv("TZ", rb->cfg.timezone, 1);
		tzset();
	}
	if (load_texts(rb, errstr) != 0)
		goto fail_config;
	if (db_open(rb->cfg.database, create, &rb->db, errstr) != 0) {
		texts_free(rb->texts);
		config_free(&rb->cfg);
		return EX_IOERR_;
	}
	if (create) {
		if (db_migrate(rb->db, &err) < 0)
			goto fail_db;
	} else if (db_schema_version(rb->db) < 1) {
		err = xstrdup("the database is not initialised: run "
		    "'refbot init'");
		goto fail_db;
	} else if (db_migrate(rb->db, &err) < 0)
		goto fail_db;
	if (install_sla(rb) != 0) {
		err = xstrdup(db_errmsg(rb->db));
		goto fail_db;
	}
	if (load_secret(rb, errstr) != 0) {
		refbot_close(rb);
		return EX_IOERR_;
	}
	return 0;
fail_db:
	*errstr = xasprintf("%s: %s", rb->cfg.database, err);
	free(err);
	refbot_close(rb);
	return EX_IOERR_;
fail_config:
	config_free(&rb->cfg);
	return EX_CONFIG_;
}

struct refbot_memo {
	char *key, *value;
};

const char *
refbot_memo(const struct refbot *rb, const char *key)
{
	size_t i;

	for (i = 0; i < rb->nmemo; i++)
		if (strcmp(rb->memo[i].key, key) == 0)
			return rb->memo[i].value;
	return NULL;
}

const char *
refbot_memo_put(struct refbot *rb, const char *key, char *value)
{
	rb->memo = xreallocarray(rb->memo, rb->nmemo + 1, sizeof(*rb->memo));
	rb->memo[rb->nmemo].key = xstrdup(key);
	rb->memo[rb->nmemo++].value = value;
	return value;
}

void
refbot_close(struct refbot *rb)
{
	size_t i;

	for (i = 0; i < rb->nmemo; i++) {
		free(rb->memo[i].key);
		free(rb->memo[i].value);
	}
	free(rb->memo);
	db_close(rb->db);
	free(rb->secret);
	texts_free(rb->texts);
	config_free(&rb->cfg);
	memset(rb, 0, sizeof(*rb));
}

/* The phrase file mail/FILE in lang; NULL (logged) if there is none. */
static const struct kvfile *
mail_lines(struct refbot *rb, const char *file, const char *lang)
{
	const struct kvfile *kv;
	char *name = xasprintf("mail/%s", file);

	if ((kv = texts_lines(rb->texts, name, lang)) == NULL)
		log_warnx("%s: no such list of phrases", name);
	free(name);
	return kv;
}

int
refbot_mail_lines(struct refbot *rb, const char *file, const char *lang,
    struct kvfile *out)
{
	const struct kvfile *kv = mail_lines(rb, file, lang);
	size_t i;

	memset(out, 0, sizeof(*out));
	if (kv == NULL)
		return -1;
	out->entries = xcalloc(kv->n ? kv->n : 1, sizeof(*out->entries));
	for (i = 0; i < kv->n; i++) {
		out->entries[i].section = xstrdup(kv->entries[i].section);
		out->entries[i].key = xstrdup(kv->entries[i].key);
		out->entries[i].value = xstrdup(kv->entries[i].value);
		out->entries[i].line = kv->entries[i].line;
	}
	out->n = kv->n;
	return 0;
}

char *
refbot_line(const struct kvfile *kv, const char *key,
    const struct render_var *vars, size_t nvars)
{
	size_t i;

	for (i = 0; i < kv->n; i++)
		if (strcmp(kv->entries[i].key, key) == 0)
			return render(kv->entries[i].value, vars, nvars, NULL);
	return NULL;
}

char *
refbot_mail_line(struct refbot *rb, const char *file, const char *lang,
    const char *key, const struct render_var *vars, size_t nvars)
{
	const struct kvfile *kv;
	char *line;

	if ((kv = mail_lines(rb, file, lang)) == NULL)
		return NULL;
	if ((line = refbot_line(kv, key, vars, nvars)) == NULL)
		log_warnx("%s.%s.txt: no line for %s", file, lang, key);
	return line;
}

int
refbot_text(struct refbot *rb, const char *name, const char *lang,
    const struct render_var *vars, size_t nvars, char **out, char **errstr)
{
	const struct texts_env env = { rb->cfg.firm_name,
	    rb->cfg.intake_address, rb->cfg.from_name };

	return texts_render(rb->texts, &env, name, lang, vars, nvars, NULL,
	    out, errstr);
}

int
refbot_mail_text(struct refbot *rb, const char *name, const char *lang,
    const struct render_var *vars, size_t nvars, char **subject,
    char **body, char **errstr)
{
	const struct texts_env env = { rb->cfg.firm_name,
	    rb->cfg.intake_address, rb->cfg.from_name };
	char *rel = xasprintf("mail/%s", name);
	int rc;

	rc = texts_render(rb->texts, &env, rel, lang, vars, nvars, subject,
	    body, errstr);
	free(rel);
	return rc;
}

const char *
refbot_partner_lang(const struct partner *p, const char *otherwise)
{
	if (p != NULL && p->lang != NULL && strcmp(p->lang, "ja") == 0)
		return "ja";
	if (p != NULL && p->lang != NULL && strcmp(p->lang, "en") == 0)
		return "en";
	/* A Japanese name says so; a Latin one says nothing either way. */
	if (p != NULL && p->name != NULL &&
	    strcmp(detect_lang(p->name), "ja") == 0)
		return "ja";
	return otherwise != NULL && strcmp(otherwise, "ja") == 0 ? "ja" : "en";
}

int
refbot_iso2022jp(const struct refbot *rb, const char *lang)
{
	return rb->cfg.iso2022jp && lang != NULL && strcmp(lang, "ja") == 0;
}

void
refbot_ref(int64_t id, char *buf, size_t size)
{
	snprintf(buf, size, "REF-%06lld", (long long)id);
}

int64_t
refbot_parse_ref(const char *s)
{
	char *end;
	long long v;

	if (ascii_strncasecmp(s, "REF-", 4) == 0)
		s += 4;
	if (*s < '0' || *s > '9')
		return 0;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 ? (int64_t)v : 0;
}
