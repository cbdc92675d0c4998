/* render: "{{name}}" substitution for outbound mail texts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "util.h"

char *
render(const char *tmpl, const struct render_var *vars, size_t nvars,
    char **unknown)
{
	struct buf b;
	const char *p = tmpl, *open, *close;
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
		if (i < nvars)
			buf_adds(&b, vars[i].value ? vars[i].value : "");
		else if (unknown != NULL && *unknown == NULL)
			*unknown = xstrndup(open + 2,
			    (size_t)(close - open - 2));
		p = close + 2;
	}
	buf_adds(&b, p);
	return buf_steal(&b);
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
