/*
 * intake_text: the pieces of the mails intake sends (the acknowledgement,
 * what is missing, why a referral cannot go ahead, a message set aside)
 * that are built from what the partner sent: the placeholders' values.
 * Every function returns a new string (caller frees) unless it says not.
 */
#ifndef REFBOT_INTAKE_TEXT_H
#define REFBOT_INTAKE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "message.h"
#include "refbot.h"
#include "render.h"
#include "template.h"

/* The echo of fields read, one "  Label: value" line each, in lang. */
char *intake_fields_text(const struct form *, const char *lang);

/* "  - Contact email: not an email address", one line per problem. */
char *intake_problems_text(struct refbot *, const struct form *,
    const char *lang);

/* The template's reason for every checklist rule that failed. */
char *intake_rules_text(const struct form *, const char *lang);

/*
 * Staff's {{fields}} and {{reasons}} of a form in English (fields[0],
 * reasons[0]) and in Japanese, which ja holds for notify's vars_ja
 * (attach_notify_staff adds the list of files in Japanese).
 */
struct staff_form {
	char *fields[2], *reasons[2];
	struct render_var ja[2];
};
void intake_staff_form(struct staff_form *, const struct form *);
void intake_staff_form_free(struct staff_form *);

/* "Label: " lines for the partner to fill in, one per field to fix. */
char *intake_blank_lines(const struct form *, const char *lang);

/*
 * The References of our reply to msg, or NULL when it would be empty.
 */
char *intake_references(const struct message *msg);

/* "25 MB", "1.5 MB" into buf (a limit under 1 MiB, tests only, in KB). */
void intake_size_text(uint64_t bytes, char *buf, size_t len);

#endif
