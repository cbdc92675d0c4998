/* render: "{{name}}" substitution for outbound mail texts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "util.h"

/*
 * The length of the character at s if it must not be in a header (it
 * could end the line, or is a control that mail readers show oddly): C0
 * controls and DEL, C1 controls (U+0080..U+009F: C2 80..9F, NEL among
 * them), U+2028 and U+2029 (E2 80 A8/A9); 0 for anything else.
 */
static size_t
unsafe_len(const unsigned char *s)
{
	if (*s < 0x20 || *s == 0x7f)
		return 1;
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9))
		return 3;
	return 0;
}

/* Appends s for a header: unsafe characters and blanks as one space. */
static void
add_header_value(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s, *run;
	size_t start = b->len, k;
	int blank = 0;

	while (*u != '\0') {
		if ((k = unsafe_len(u)) > 0 || *u == ' ') {
			u += k > 0 ? k : 1;
			blank = 1;
			continue;
		}
		/* Inner blanks become one space; none at the value's ends. */
		if (blank && b->len > start)
			buf_addc(b, ' ');
		blank = 0;
		/* The safe bytes from here on, in one go. */
		for (run = u++; *u != '\0' && *u != ' ' && unsafe_len(u) == 0;
		    u++)
			;
		buf_add(b, run, (size_t)(u - run));
	}
}

char *
render_header_value(const char *s)
{
	struct buf b;

	buf_init(&b);
	add_header_value(&b, s ? s : "");
	return buf_steal(&b);
}

/* render, with every value made header-safe when header is set. */
static char *
render_any(const char *tmpl, const struct render_var *vars, size_t nvars,
    char **unknown, int header)
{
	struct buf b;
	const char *p = tmpl, *open, *close, *v;
	size_t i;

	if (unknown != NULL)
		*unknown = NULL;
	buf_init(&b);
	while ((open = strstr(p, "{{")) != NULL) {
		buf_add(&b, p, (size_t)(open - p));
		if (strncmp(open, "{{{{", 4) == 0) {
			buf_adds(&b, "{{");
			p = open + 4;
			continue;
		}
		if ((close = strstr(open + 2, "}}")) == NULL) {
			p = open;
			break;
		}
		for (i = 0; i < nvars; i++)
			if (strlen(vars[i].name) == (size_t)(close - open - 2) &&
			    strncmp(vars[i].name, open + 2,
			    (size_t)(close - open - 2)) == 0)
				break;
		if (i < nvars) {
			v = vars[i].value ? vars[i].value : "";
			if (header)
				add_header_value(&b, v);
			else
				buf_adds(&b, v);
		} else if (unknown != NULL && *unknown == NULL)
			*unknown = xstrndup(open + 2,
			    (size_t)(close - open - 2));
		p = close + 2;
	}
	buf_adds(&b, p);
	return buf_steal(&b);
}

char *
render(const char *tmpl, const struct render_var *vars, size_t nvars,
    char **unknown)
{
	return render_any(tmpl, vars, nvars, unknown, 0);
}

char *
render_header(const char *tmpl, const struct render_var *vars, size_t nvars,
    char **unknown)
{
	return render_any(tmpl, vars, nvars, unknown, 1);
}

int
render_mail(const char *tmpl, const struct render_var *vars, size_t nvars,
    char **subject, char **body, char **unknown)
{
	char *subj_tmpl, *body_tmpl, *unknown_body = NULL;

	if (unknown != NULL)
		*unknown = NULL;
	if (render_split(tmpl, &subj_tmpl, &body_tmpl) != 0)
		return -1;
	*subject = strtrim(render_header(subj_tmpl, vars, nvars, unknown));
	*body = render(body_tmpl, vars, nvars, unknown != NULL &&
	    *unknown == NULL ? unknown : &unknown_body);
	free(unknown_body);
	free(subj_tmpl);
	free(body_tmpl);
	return 0;
}

int
render_split(const char *text, char **subject, char **body)
{
	const char *nl;

	if (ascii_strncasecmp(text, "Subject:", 8) != 0)
		return -1;
	nl = strchr(text, '\n');
	*subject = strtrim(xstrndup(text + 8,
	    nl ? (size_t)(nl - text - 8) : strlen(text + 8)));
	if (nl == NULL) {
		*body = xstrdup("");
		return 0;
	}
	nl++;
	/* One blank line separates the subject from the body. */
	if (*nl == '\n')
		nl++;
	*body = xstrdup(nl);
	return 0;
}
