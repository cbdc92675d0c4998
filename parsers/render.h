/*
 * render: fills "{{name}}" placeholders in an outbound mail text.
 * Pure; the texts themselves live in templates/mail/.
 */
#ifndef REFBOT_RENDER_H
#define REFBOT_RENDER_H

#include <stddef.h>

struct render_var {
	const char *name;
	const char *value;
};

/*
 * Returns the text with every {{name}} replaced by its value (a name not
 * in vars becomes "", and is reported through *unknown when non-NULL:
 * the first such name, caller frees).  "{{{{" stands for a literal "{{".
 */
char *render(const char *tmpl, const struct render_var *vars, size_t nvars,
    char **unknown);

/*
 * Splits a rendered mail text into its "Subject:" first line and body.
 * Returns 0, or -1 when the text does not start with "Subject:".
 */
int render_split(const char *text, char **subject, char **body);

#endif
