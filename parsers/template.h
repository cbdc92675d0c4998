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
	FIELD_SCORE,		/* a survey's 1-5 answer (survey.h) */
};

/*
 * What a field means to refbot beyond its checks: the client's name
 * (duplicate detection, every mail about the referral), the contact's
 * name and email (duplicate detection by domain).  Set with "role =" in
 * the template; a role no field claims falls to the field whose key is
 * the role's name, so a template without roles reads as before.
 */
enum field_role {
	FIELD_ROLE_NONE,
	FIELD_ROLE_CLIENT,
	FIELD_ROLE_CONTACT_NAME,
	FIELD_ROLE_CONTACT_EMAIL,
	FIELD_ROLES
};

struct tfield {
	char *key;
	enum field_role role;
	char *title;		/* first label: used when echoing */
	char *title_ja;		/* first Japanese label, or the title */
	char **labels;		/* normalised for matching */
	size_t nlabels;
	int required;
	enum field_type type;
	size_t max_length;	/* in bytes; 0 = no limit */
	void *pattern;		/* pcre2_code *: extra validation, or NULL */
	char **values;		/* enum: the accepted values (folded) */
	size_t nvalues;
	char *values_text;	/* enum: as written, for messages */
	int must;		/* yesno checklist rule: 1 yes, 0 no, -1 none */
	char *reason;		/* why the rule failed, English */
	char *reason_ja;	/* and Japanese */
	int line;		/* of its first setting, for errors */
};

/* "One of these fields is required" (contact email or phone). */
struct tgroup {
	char *name;
	struct tfield **fields;	/* borrowed from the template */
	size_t nfields;
	char *reason;
	char *reason_ja;
};

struct template {
	struct tfield *fields;
	size_t nfields;
	struct tgroup *groups;
	size_t ngroups;
	void *line_re;		/* pcre2_code *: "label: value" */
	void *email_re;		/* pcre2_code *: addr-spec check */
	void *date_re;		/* pcre2_code *: a date */
};

/*
 * Parses template text.  Returns 0, or -1 with *errstr = "LINE: why"
 * (caller frees).
 */
int template_parse(const char *text, size_t len, struct template *t,
    char **errstr);
void template_free(struct template *);
const struct tfield *template_field(const struct template *, const char *key);

/*
 * Appends the blank form to out: one "Label: " line per field, in
 * template order, with the field's first label in lang ("ja": its first
 * Japanese label and a full-width colon).  Lines of required fields, and
 * of fields of a one_of group, start with "* "; the others with two
 * spaces.  Read back with form_read, the blank form holds no values;
 * filled in, it is a submission.
 */
struct buf;
void template_blank_form(const struct template *, const char *lang,
    struct buf *out);

struct form_value {
	const struct tfield *field;	/* borrowed from the template */
	char *value;
	int line;			/* line in the text, from 1 */
};

enum problem_kind { PROBLEM_MISSING, PROBLEM_INVALID };

/*
 * What is wrong with a field.  code names the rule ("missing", "email",
 * "phone", "yesno", "date", "money", "enum", "pattern", "too_long",
 * "one_of"); the words shown to people live in templates/mail/reasons.*.
 * arg is the rule's parameter (the maximum length, the enum values).
 */
struct form_problem {
	const struct tfield *field;
	const struct tgroup *group;	/* for "one_of" */
	enum problem_kind kind;
	const char *code;
	char *arg;
};

enum form_outcome {
	OUTCOME_QUALIFIED,
	OUTCOME_INCOMPLETE,	/* a required field missing or invalid */
	OUTCOME_DISQUALIFIED,	/* a checklist rule failed */
};

struct form {
	struct form_value *values;	/* in template order */
	size_t nvalues;
	struct form_problem *problems;
	size_t nproblems;
	const struct tfield **failed;	/* checklist rules that failed */
	size_t nfailed;
	enum form_outcome outcome;
};

/*
 * Reads the fields of a submission from UTF-8 text.  Lines that name a
 * template label start a field; following non-blank lines continue it.
 * Quoted lines (">") are skipped and a "-- " signature ends the form.
 * Then checks required fields, types and checklist rules.  Never fails.
 */
void form_read(const struct template *, const char *text, struct form *out);

/*
 * Reads only the fields present in text (a partner's corrections): no
 * required-field or rule checks.  Never fails.
 */
void form_read_lines(const struct template *, const char *text,
    struct form *out);

/*
 * Checks a complete set of values (key, value pairs, in any order)
 * against the template, filling problems, failed rules and outcome of
 * out, which takes copies of the values.
 */
void form_evaluate(const struct template *, const char *const *keys,
    const char *const *values, size_t n, struct form *out);

/* The static copy of a problem code, or NULL when it is none. */
const char *form_problem_code(const char *);
const char *form_outcome_name(enum form_outcome);
void form_free(struct form *);
const char *form_get(const struct form *, const char *key);
/* The value of the field that has role, or NULL. */
const char *form_role(const struct form *, enum field_role role);

/*
 * Folds full-width ASCII and the ideographic space to ASCII, lowercases
 * ASCII, and collapses runs of white space: the form labels are compared
 * in.  Returns a new string.
 */
char *text_fold(const char *);

#endif
