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

/* Loads templates/mail/reasons.LANG.txt, which must name every code. */
static int
load_reasons(struct refbot *rb, const char *lang, struct kvfile *kv,
    char **errstr)
{
	static const char *codes[] = { "missing", "email", "phone", "yesno",
	    "date", "money", "enum", "pattern", "too_long" };
	char *path, *text, *err = NULL;
	size_t len, i, j;

	path = xasprintf("%s/mail/reasons.%s.txt", rb->cfg.templates, lang);
	if ((text = read_file(path, &len)) == NULL) {
		*errstr = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (kvfile_parse(text, len, kv, &err) != 0) {
		*errstr = xasprintf("%s:%s", path, err);
		free(err);
		free(text);
		free(path);
		return -1;
	}
	free(text);
	for (i = 0; i < nitems(codes); i++) {
		for (j = 0; j < kv->n; j++)
			if (strcmp(kv->entries[j].key, codes[i]) == 0)
				break;
		if (j == kv->n) {
			*errstr = xasprintf("%s:%d: no text for '%s'", path,
			    kv->n ? kv->entries[kv->n - 1].line : 1, codes[i]);
			kvfile_free(kv);
			free(path);
			return -1;
		}
	}
	free(path);
	return 0;
}

char *
refbot_reason(struct refbot *rb, const char *lang, const char *code,
    const char *arg)
{
	const struct kvfile *kv = lang != NULL && strcmp(lang, "ja") == 0 ?
	    &rb->reasons_ja : &rb->reasons_en;
	const struct render_var vars[] = { { "arg", arg ? arg : "" } };
	char *s = refbot_line(kv, code, vars, nitems(vars));

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

static int
load_keywords(struct refbot *rb, char **errstr)
{
	char *path, *text, *err = NULL;
	size_t len;

	path = xasprintf("%s/keywords.txt", rb->cfg.templates);
	if ((text = read_file(path, &len)) == NULL) {
		*errstr = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (keyword_table_parse(text, len, &rb->keywords, &err) != 0) {
		*errstr = xasprintf("%s:%s", path, err);
		free(err);
		free(text);
		free(path);
		return -1;
	}
	free(text);
	free(path);
	return 0;
}

int
refbot_open(struct refbot *rb, const char *confpath, int create,
    char **errstr)
{
	char *path, *text, *err = NULL;
	size_t len;

	memset(rb, 0, sizeof(*rb));
	if (config_load(confpath, &rb->cfg, errstr) != 0)
		return EX_CONFIG_;
	rb->sla_hours = rb->cfg.sla_hours;
	/* The calendar (newsletter day, month boundaries) is the firm's. */
	if (rb->cfg.timezone != NULL) {
		setenv("TZ", rb->cfg.timezone, 1);
		tzset();
	}
	path = xasprintf("%s/referral.template", rb->cfg.templates);
	if ((text = read_file(path, &len)) == NULL) {
		*errstr = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		goto fail_config;
	}
	if (template_parse(text, len, &rb->tmpl, &err) != 0) {
		*errstr = xasprintf("%s:%s", path, err);
		free(err);
		free(text);
		free(path);
		goto fail_config;
	}
	free(text);
	free(path);
	if (load_reasons(rb, "en", &rb->reasons_en, errstr) != 0) {
		template_free(&rb->tmpl);
		goto fail_config;
	}
	if (load_reasons(rb, "ja", &rb->reasons_ja, errstr) != 0) {
		kvfile_free(&rb->reasons_en);
		template_free(&rb->tmpl);
		goto fail_config;
	}
	if (load_keywords(rb, errstr) != 0) {
		kvfile_free(&rb->reasons_en);
		kvfile_free(&rb->reasons_ja);
		template_free(&rb->tmpl);
		goto fail_config;
	}
	if (db_open(rb->cfg.database, create, &rb->db, errstr) != 0) {
		keyword_table_free(rb->keywords);
		kvfile_free(&rb->reasons_en);
		kvfile_free(&rb->reasons_ja);
		template_free(&rb->tmpl);
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

void
refbot_close(struct refbot *rb)
{
	db_close(rb->db);
	keyword_table_free(rb->keywords);
	free(rb->secret);
	kvfile_free(&rb->reasons_en);
	kvfile_free(&rb->reasons_ja);
	template_free(&rb->tmpl);
	config_free(&rb->cfg);
	memset(rb, 0, sizeof(*rb));
}

int
refbot_mail_lines(struct refbot *rb, const char *file, const char *lang,
    struct kvfile *out)
{
	char *path, *text, *err = NULL;
	size_t len;
	int rc = 0;

	path = xasprintf("%s/mail/%s.%s.txt", rb->cfg.templates, file, lang);
	if ((text = read_file(path, &len)) == NULL ||
	    kvfile_parse(text, len, out, &err) != 0) {
		log_warnx("%s: %s", path, err ? err : "cannot read");
		memset(out, 0, sizeof(*out));
		rc = -1;
	}
	free(err);
	free(text);
	free(path);
	return rc;
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
	struct kvfile kv;
	char *line;

	if (refbot_mail_lines(rb, file, lang, &kv) != 0)
		return NULL;
	if ((line = refbot_line(&kv, key, vars, nvars)) == NULL)
		log_warnx("%s.%s.txt: no line for %s", file, lang, key);
	kvfile_free(&kv);
	return line;
}

/*
 * Fills in a text from templates/: the caller's placeholders first, then
 * those every text may use — the blank form in the text's language, the
 * firm, the intake address and the sender's name.  With subject set the
 * text is a mail text, rendered by render_mail (-1 when it has no
 * "Subject:" line); otherwise it is rendered whole.
 */
static int
render_text(struct refbot *rb, const char *text, const char *lang,
    const struct render_var *vars, size_t nvars, char **subject, char **out,
    char **unknown)
{
	struct render_var *all = xcalloc(nvars + 4, sizeof(*all));
	struct buf form;
	int rc = 0;

	buf_init(&form);
	if (strstr(text, "{{form}}") != NULL)
		template_blank_form(&rb->tmpl, lang, &form);
	if (nvars > 0)
		memcpy(all, vars, nvars * sizeof(*all));
	all[nvars].name = "form";
	all[nvars].value = form.data ? form.data : "";
	all[nvars + 1].name = "firm_name";
	all[nvars + 1].value = rb->cfg.firm_name;
	all[nvars + 2].name = "intake_address";
	all[nvars + 2].value = rb->cfg.intake_address;
	all[nvars + 3].name = "from_name";
	all[nvars + 3].value = rb->cfg.from_name;
	if (subject != NULL)
		rc = render_mail(text, all, nvars + 4, subject, out, unknown);
	else
		*out = render(text, all, nvars + 4, unknown);
	buf_free(&form);
	free(all);
	return rc;
}

/* refbot_text, and refbot_mail_text when subject is set. */
static int
load_text(struct refbot *rb, const char *name, const char *lang,
    const struct render_var *vars, size_t nvars, char **subject, char **out,
    char **errstr)
{
	char *path, *text, *unknown = NULL;

	if (lang == NULL || strcmp(lang, "ja") != 0)
		lang = "en";
	path = xasprintf("%s/%s.%s.txt", rb->cfg.templates, name, lang);
	if ((text = read_file(path, NULL)) == NULL && strcmp(lang, "en")) {
		free(path);
		lang = "en";
		path = xasprintf("%s/%s.en.txt", rb->cfg.templates, name);
		text = read_file(path, NULL);
	}
	if (text == NULL) {
		*errstr = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (render_text(rb, text, lang, vars, nvars, subject, out,
	    &unknown) != 0) {
		*errstr = xasprintf("%s: the first line must be "
		    "'Subject: ...'", path);
		free(text);
		free(path);
		return -1;
	}
	free(text);
	if (unknown != NULL) {
		*errstr = xasprintf("%s: unknown placeholder {{%s}}", path,
		    unknown);
		free(unknown);
		free(*out);
		*out = NULL;
		if (subject != NULL) {
			free(*subject);
			*subject = NULL;
		}
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

int
refbot_text(struct refbot *rb, const char *name, const char *lang,
    const struct render_var *vars, size_t nvars, char **out, char **errstr)
{
	return load_text(rb, name, lang, vars, nvars, NULL, out, errstr);
}

int
refbot_mail_text(struct refbot *rb, const char *name, const char *lang,
    const struct render_var *vars, size_t nvars, char **subject,
    char **body, char **errstr)
{
	char *rel = xasprintf("mail/%s", name);
	int rc;

	rc = load_text(rb, rel, lang, vars, nvars, subject, body, errstr);
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
	if (otherwise != NULL)
		return strcmp(otherwise, "ja") == 0 ? "ja" : "en";
	return detect_lang(p != NULL && p->name != NULL ? p->name : "");
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
