/* history_words: a history row's detail as a code and its words. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "history_words.h"
#include "util.h"

#define HISTORY_MAX_ARGS 8

char *
history_args_encode(const struct render_var *vars, size_t nvars)
{
	struct buf b;
	const char *p;
	size_t i;

	buf_init(&b);
	for (i = 0; i < nvars; i++) {
		buf_addf(&b, "%s=", vars[i].name);
		for (p = vars[i].value ? vars[i].value : ""; *p != '\0'; p++)
			buf_addc(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
		buf_addc(&b, '\n');
	}
	return b.data != NULL ? buf_steal(&b) : xstrdup("");
}

int
history_add_words(struct refbot *rb, int64_t referral_id, const char *actor,
    const char *event, const char *from_status, const char *to_status,
    const char *message_id, const char *key, const struct render_var *vars,
    size_t nvars, int64_t *id)
{
	char *en = refbot_mail_line(rb, "staff-lines", "en", key, vars,
	    nvars);
	char *args = history_args_encode(vars, nvars);
	int rc;

	rc = db_history_insert_words(rb->db, referral_id, actor, event,
	    from_status, to_status, en != NULL ? en : key,
	    en != NULL ? key : NULL, args,
	    message_id, id);
	free(en);
	free(args);
	return rc;
}

char *
history_kind_text(const struct kvfile *lines, const char *name)
{
	const struct render_var vars[] = { { "name", name } };
	char *key = xasprintf("kind.%s", name), *s;

	if ((s = refbot_line(lines, key, vars, 1)) == NULL)
		s = refbot_line(lines, "kind", vars, 1);
	free(key);
	return s;
}

char *
history_detail_text(const struct kvfile *lines, const struct history_entry *e)
{
	struct render_var vars[HISTORY_MAX_ARGS];
	char *args, *p, *nl, *eq, *s = NULL, *kind = NULL;
	size_t n = 0;

	if (e->detail_key == NULL || e->detail_args == NULL)
		return e->detail != NULL ? xstrdup(e->detail) : NULL;
	args = xstrdup(e->detail_args);
	for (p = args; *p != '\0' && n < HISTORY_MAX_ARGS; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		if ((eq = strchr(p, '=')) == NULL)
			break;
		*eq = '\0';
		vars[n].name = p;
		vars[n].value = eq + 1;
		/* A kind of mail ("ack") in the reader's words. */
		if (strcmp(p, "kind") == 0 && kind == NULL &&
		    (kind = history_kind_text(lines, eq + 1)) != NULL)
			vars[n].value = kind;
		n++;
	}
	if (*p == '\0')	/* every line read */
		s = refbot_line(lines, e->detail_key, vars, n);
	free(kind);
	free(args);
	if (s == NULL && e->detail != NULL)
		s = xstrdup(e->detail);
	return s;
}
