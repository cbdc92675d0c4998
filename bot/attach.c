/* attach: a referral's files for staff (attach.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "intake_text.h"
#include "util.h"

int
attach_load(struct refbot *rb, int64_t id, int with_files,
    struct attach_set *s)
{
	struct buf b;
	size_t i, room = rb->cfg.attach_limit;
	char size[32];

	memset(s, 0, sizeof(*s));
	if (db_attachments_of(rb->db, id, with_files, &s->list, &s->n) != 0)
		return -1;
	buf_init(&b);
	if (s->n > 0) {
		s->files = xcalloc(s->n, sizeof(*s->files));
		buf_adds(&b, "Attachments:\n");
	}
	for (i = 0; i < s->n; i++) {
		const struct stored_attachment *a = &s->list[i];
		const char *how = "";

		intake_size_text((uint64_t)a->size, size,
		    sizeof(size));
		if (!a->kept)
			how = ", not kept";
		else if (with_files && (uint64_t)a->len <= room) {
			struct mailout_file *f = &s->files[s->nfiles++];

			f->name = a->name;
			f->type = a->type;
			f->data = a->data;
			f->len = (size_t)a->len;
			room -= (size_t)a->len;
			how = ", attached";
		}
		buf_addf(&b, "  %d. %s (%s, %s%s)\n", a->n,
		    *a->name ? a->name : "(no name)", a->type, size, how);
	}
	s->text = buf_steal(&b);
	return 0;
}

void
attach_free(struct attach_set *s)
{
	db_attachments_free(s->list, s->n);
	free(s->files);
	free(s->text);
	memset(s, 0, sizeof(*s));
}

int
attach_notify_staff(struct refbot *rb, struct notify *n)
{
	const struct render_var *given = n->vars;
	size_t nvars = n->nvars;
	struct render_var *vars;
	struct attach_set files;
	int rc;

	if (attach_load(rb, n->referral_id, 1, &files) != 0)
		return NOTIFY_RETRY;
	vars = xcalloc(nvars + 1, sizeof(*vars));
	if (nvars > 0)
		memcpy(vars, given, nvars * sizeof(*vars));
	vars[nvars].name = "attachments";
	vars[nvars].value = files.text;
	n->vars = vars;
	n->nvars = nvars + 1;
	n->files = files.files;
	n->nfiles = files.nfiles;
	rc = notify_staff(rb, n);
	n->vars = given;
	n->nvars = nvars;
	n->files = NULL;
	n->nfiles = 0;
	free(vars);
	attach_free(&files);
	return rc;
}
