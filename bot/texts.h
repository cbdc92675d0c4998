/*
 * texts: everything refbot reads from its templates folder, read and
 * checked once.
 *
 * A text set holds the qualification template, the staff keyword
 * aliases, the commission tiers (tiers.txt, optional), and every mail
 * text, phrase file ("KEY = text" lines) and welcome-kit text, in
 * English and Japanese.  texts_load reads them all and checks each the
 * way it will be used: a mail text has its "Subject:" line, a phrase file the keys refbot looks up, and every
 * {{placeholder}} is one the text's senders fill in.  A set never
 * changes once loaded: mail is built from memory, and a new set (on
 * SIGHUP) replaces an old one whole, or not at all.
 *
 * The table of texts in texts.c names each text's placeholders: a new
 * render_var at a call site goes there too.
 */
#ifndef REFBOT_TEXTS_H
#define REFBOT_TEXTS_H

#include <stddef.h>

struct keyword_table;
struct kvfile;
struct render_var;
struct template;
struct texts;
struct tier_rows;

enum texts_level {
	TEXTS_OK,		/* a check passed: what it found */
	TEXTS_DETAIL,		/* more about it, for doctor -v */
	TEXTS_WARN,		/* works, but likely not as meant */
	TEXTS_FAIL,		/* the set is not usable */
};

/*
 * One finding of texts_load.  check names what was checked ("template",
 * "mail texts", ...); msg is "FILE:LINE: what is wrong — what to do"
 * for a failure.
 */
typedef void texts_report_fn(void *arg, enum texts_level, const char *check,
    const char *msg);

/*
 * Reads and checks every text under dir, reporting each finding (report
 * may be NULL).  Returns how many failures there were, with *out set in
 * any case (free with texts_free); a set with failures is for looking
 * at, not for sending mail.
 */
int texts_load(const char *dir, texts_report_fn *report, void *arg,
    struct texts **out);
void texts_free(struct texts *);

/* The set's parts; they live as long as the set. */
const struct template *texts_template(const struct texts *);
const struct keyword_table *texts_keywords(const struct texts *);
/* tiers.txt's rows, or NULL when it has none (tier_rates applies). */
const struct tier_rows *texts_tiers(const struct texts *);
/* The survey of kind "partner" or "client" (survey.h), or NULL. */
const struct template *texts_survey(const struct texts *, const char *kind);

/*
 * NAME.LANG's "KEY = text" lines (NAME as "mail/progress-lines"; LANG
 * "ja", else English; English when there is no Japanese), or NULL if
 * the set has no such file.
 */
const struct kvfile *texts_lines(const struct texts *, const char *name,
    const char *lang);

/* What every text may use besides its own placeholders. */
struct texts_env {
	const char *firm_name;
	const char *intake_address;
	const char *from_name;
};

/*
 * Fills in NAME.LANG (language as for texts_lines): vars, then {{form}}
 * (the blank form in the text's language) and env.  With subject set it
 * is a mail text: the subject is split off first and made header-safe.
 * Returns 0 with *out (and *subject; caller frees), or -1 with *errstr
 * set: no such text, or a placeholder vars lack — both program errors,
 * since the set was checked against its senders when it was loaded.
 */
int texts_render(const struct texts *, const struct texts_env *,
    const char *name, const char *lang, const struct render_var *vars,
    size_t nvars, char **subject, char **out, char **errstr);

#endif
