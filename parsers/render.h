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
 * A mail text: its "Subject:" first line rendered with render_header,
 * the rest (after one blank line) with render.  The template is split
 * before anything is filled in, so no value can move text between the
 * subject and the body.  Returns 0 with *subject and *body (caller
 * frees), or -1 when tmpl does not start with "Subject:".  *unknown as
 * for render.  Every mail text is rendered through this.
 */
int render_mail(const char *tmpl, const struct render_var *vars,
    size_t nvars, char **subject, char **body, char **unknown);

/*
 * render for a header line: each value goes in through
 * render_header_value, so none can end the line or add a control.
 */
char *render_header(const char *tmpl, const struct render_var *vars,
    size_t nvars, char **unknown);

/*
 * s fit for a header: CR, LF and every other C0 or C1 control, DEL,
 * U+2028 and U+2029 become blanks, and any run of blanks one space;
 * none at either end.  Caller frees.
 */
char *render_header_value(const char *s);

/*
 * Splits a mail text (a template) into its "Subject:" first line and
 * body.  Returns 0, or -1 when the text does not start with "Subject:".
 */
int render_split(const char *text, char **subject, char **body);

#endif
