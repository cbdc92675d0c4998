/*
 * template: the qualification template (templates/referral.template) and
 * the form reader that matches a submission's "Label: value" lines to it.
 *
 * Pure: bytes in, structs out.  A struct template owns its compiled
 * patterns; a struct form owns its strings.
 */
#ifndef REFBOT_TEMPLATE_H
#define REFBOT_TEMPLATE_H

#include <stddef.h>

enum field_type {
	FIELD_TEXT,
	FIELD_EMAIL,
	FIELD_PHONE,
	FIELD_YESNO,
	FIELD_DATE,
	FIELD_MONEY,
	FIELD_ENUM,
};

struct tfield {
	char *key;
	char *title;		/* first label: used when echoing */
	char **labels;		/* normalised for matching */
	size_t nlabels;
	int required;
	enum field_type type;
	size_t max_length;	/* in bytes; 0 = no limit */
	int line;		/* of its [field] header, for errors */
};

struct template {
	struct tfield *fields;
	size_t nfields;
	void *line_re;		/* pcre2_code *: "label: value" */
	void *email_re;		/* pcre2_code *: addr-spec check */
};

/*
 * Parses template text.  Returns 0, or -1 with *errstr = "LINE: why"
 * (caller frees).
 */
int template_parse(const char *text, size_t len, struct template *t,
    char **errstr);
void template_free(struct template *);
const struct tfield *template_field(const struct template *, const char *key);

struct form_value {
	const struct tfield *field;	/* borrowed from the template */
	char *value;
	int line;			/* line in the text, from 1 */
};

enum problem_kind { PROBLEM_MISSING, PROBLEM_INVALID };

struct form_problem {
	const struct tfield *field;
	enum problem_kind kind;
	char *reason;
};

struct form {
	struct form_value *values;	/* in template order */
	size_t nvalues;
	struct form_problem *problems;
	size_t nproblems;
};

/*
 * Reads the fields of a submission from UTF-8 text.  Lines that name a
 * template label start a field; following non-blank lines continue it.
 * Quoted lines (">") are skipped and a "-- " signature ends the form.
 * Then checks required fields and types.  Never fails.
 */
void form_read(const struct template *, const char *text, struct form *out);
void form_free(struct form *);
const char *form_get(const struct form *, const char *key);

/*
 * Folds full-width ASCII and the ideographic space to ASCII, lowercases
 * ASCII, and collapses runs of white space: the form labels are compared
 * in.  Returns a new string.
 */
char *text_fold(const char *);

#endif
