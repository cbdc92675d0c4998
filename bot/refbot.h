/*
 * refbot: the state one refbot process works with — configuration,
 * database, texts (the template among them) — and the exit codes it
 * uses.
 */
#ifndef REFBOT_REFBOT_H
#define REFBOT_REFBOT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "db.h"
#include "db_partners.h"
#include "keyword.h"
#include "kvfile.h"
#include "template.h"
#include "texts.h"

/* sysexits(3) codes, as Postfix and friends use them. */
#define EX_OK_ 0
#define EX_USAGE_ 64
#define EX_DATAERR_ 65
#define EX_NOINPUT_ 66
#define EX_UNAVAILABLE_ 69
#define EX_SOFTWARE_ 70
#define EX_IOERR_ 74
#define EX_TEMPFAIL_ 75
#define EX_PROTOCOL_ 76
#define EX_NOPERM_ 77
#define EX_CONFIG_ 78

struct refbot {
	struct config cfg;
	struct db *db;
	struct texts *texts;		/* templates/, read and checked */
	const struct template *tmpl;	/* referral.template, in texts */
	const struct keyword_table *keywords;	/* keywords.txt, in texts */
	char *secret;			/* HMAC key for reply tokens */
	int sla_hours;
	/* What the caps held back since intake last reset them (notify.c). */
	int replies_withheld;		/* automatic replies (per sender) */
	int alerts_held;		/* staff alerts (per kind and hour) */
	/* The mail text (static name) notify.c could not build, or NULL. */
	const char *text_failed;
	/*
	 * Texts built from the texts and configuration alone, by key:
	 * the main thread's (sender.c's copy of this struct must not use
	 * them; it sends, it builds no mail).
	 */
	struct refbot_memo *memo;
	size_t nmemo;
};

/*
 * The text kept under key (refbot_memo_put), or NULL.  For what depends
 * only on the loaded texts and the configuration, built once a run
 * instead of once a mail (issue 21).
 */
const char *refbot_memo(const struct refbot *, const char *key);
/* Keeps value (taken over) under key; returns it. */
const char *refbot_memo_put(struct refbot *, const char *key, char *value);

/* The words for a form problem code in lang, with {{arg}} filled in. */
char *refbot_reason(struct refbot *, const char *lang, const char *code,
    const char *arg);

/*
 * Loads the configuration and every text of its templates folder
 * (texts.h: a text that does not check out is EX_CONFIG_, *errstr
 * naming its file and line), and opens the database (creating it when
 * create is set).  Returns 0, or an EX_* code with *errstr set (caller
 * frees).
 */
int refbot_open(struct refbot *, const char *confpath, int create,
    char **errstr);
void refbot_close(struct refbot *);

/*
 * templates/NAME.LANG.txt (NAME may name a subfolder; LANG "ja" or else
 * "en", falling back to English), as loaded at the start, with vars
 * filled in, then the placeholders every text may use: {{form}} (the
 * blank qualification form in the text's language), {{firm_name}},
 * {{intake_address}} and {{from_name}}.  Returns 0 with *out (caller
 * frees), or -1 with *errstr set: no such text, or a placeholder vars
 * lack (program errors: the texts were checked against their callers).
 */
struct render_var;
int refbot_text(struct refbot *, const char *name, const char *lang,
    const struct render_var *vars, size_t nvars, char **out, char **errstr);

/*
 * templates/mail/NAME.LANG.txt filled in as refbot_text does, through
 * render_mail: the subject is split off first and its placeholders made
 * header-safe.  Returns 0, or -1 with *errstr set.
 */
int refbot_mail_text(struct refbot *, const char *name, const char *lang,
    const struct render_var *vars, size_t nvars, char **subject,
    char **body, char **errstr);

/*
 * templates/mail/FILE.LANG.txt, "KEY = text" lines: 0 with *out, a copy
 * (free with kvfile_free), or -1 (logged) with *out empty.
 */
int refbot_mail_lines(struct refbot *, const char *file, const char *lang,
    struct kvfile *out);
/* Line key of kv with vars filled in (caller frees); NULL if none. */
char *refbot_line(const struct kvfile *, const char *key,
    const struct render_var *vars, size_t nvars);
/*
 * One line of templates/mail/FILE.LANG.txt, with vars filled in; NULL
 * (logged) when the file or the line is missing.
 */
char *refbot_mail_line(struct refbot *, const char *file, const char *lang,
    const char *key, const struct render_var *vars, size_t nvars);

/*
 * The one rule for the language of every mail to a partner ("en" or
 * "ja", static): theirs when set; else Japanese when their name is
 * (株式会社...); else otherwise (the language of what they wrote, or of
 * a stranger's mail when p is NULL) when given; else English.
 */
const char *refbot_partner_lang(const struct partner *p,
    const char *otherwise);

/*
 * Whether a mail in lang is asked to go as ISO-2022-JP: Japanese, with
 * outbound_charset = iso-2022-jp (mailout falls back to UTF-8 when the
 * text does not fit).
 */
int refbot_iso2022jp(const struct refbot *, const char *lang);

/* "REF-000123" into buf (at least 24 bytes). */
void refbot_ref(int64_t id, char *buf, size_t size);
/* Parses "REF-000123", "000123" or "123"; 0 if invalid. */
int64_t refbot_parse_ref(const char *s);

#endif
