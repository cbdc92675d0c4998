/* attach: a referral's files for staff (attach.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "intake_text.h"
#include "notify.h"
#include "util.h"

int
attach_load(struct refbot *rb, int64_t id, int with_files,
    struct attach_set *s)
{
	struct buf b[2];
	size_t i, room = rb->cfg.attach_limit;
	char size[32], *w[2][4];
	static const char *keys[] = { "attach.title", "attach.not-kept",
	    "attach.attached", "attach.noname" };
	int k, l;

	memset(s, 0, sizeof(*s));
	if (db_attachments_of(rb->db, id, with_files, &s->list, &s->n) != 0)
		return -1;
	/* The words in both languages, from mail/staff-lines. */
	for (l = 0; l < 2; l++) {
		buf_init(&b[l]);
		for (k = 0; k < 4; k++)
			w[l][k] = s->n == 0 ? NULL : notify_line(rb, l ? "ja" :
			    "en", keys[k], NULL, 0);
		if (s->n > 0)
			buf_addf(&b[l], "%s\n", w[l][0]);
	}
	if (s->n > 0)
		s->files = xcalloc(s->n, sizeof(*s->files));
	for (i = 0; i < s->n; i++) {
		const struct stored_attachment *a = &s->list[i];
		int how = 0;

		intake_size_text((uint64_t)a->size, size,
		    sizeof(size));
		if (!a->kept)
			how = 1;
		else if (with_files && (uint64_t)a->len <= room) {
			struct mailout_file *f = &s->files[s->nfiles++];

			f->name = a->name;
			f->type = a->type;
			f->data = a->data;
			f->len = (size_t)a->len;
			room -= (size_t)a->len;
			how = 2;
		}
		for (l = 0; l < 2; l++)
			buf_addf(&b[l], "  %d. %s (%s, %s%s%s)\n", a->n,
			    *a->name ? a->name : w[l][3], a->type, size,
			    how ? ", " : "", how ? w[l][how] : "");
	}
	for (l = 0; l < 2; l++)
		for (k = 0; k < 4; k++)
			free(w[l][k]);
	s->text = buf_steal(&b[0]);
	s->text_ja = buf_steal(&b[1]);
	return 0;
}

void
attach_free(struct attach_set *s)
{
	db_attachments_free(s->list, s->n);
	free(s->files);
	free(s->text);
	free(s->text_ja);
	memset(s, 0, sizeof(*s));
}

int
attach_notify_staff(struct refbot *rb, struct notify *n)
{
	const struct render_var *given = n->vars, *given_ja = n->vars_ja;
	size_t nvars = n->nvars, nja = n->nvars_ja;
	struct render_var *vars, *ja;
	struct attach_set files;
	int rc;

	if (attach_load(rb, n->referral_id, 1, &files) != 0)
		return NOTIFY_RETRY;
	/* The list as {{attachments}}, in the reader's language too. */
	vars = xcalloc(nvars + 1, sizeof(*vars));
	ja = xcalloc(nja + 1, sizeof(*ja));
	if (nvars > 0)
		memcpy(vars, given, nvars * sizeof(*vars));
	if (nja > 0)
		memcpy(ja, given_ja, nja * sizeof(*ja));
	vars[nvars] = (struct render_var){ "attachments", files.text };
	ja[nja] = (struct render_var){ "attachments", files.text_ja };
	n->vars = vars;
	n->nvars = nvars + 1;
	n->vars_ja = ja;
	n->nvars_ja = nja + 1;
	n->files = files.files;
	n->nfiles = files.nfiles;
	rc = notify_staff(rb, n);
	n->vars = given;
	n->nvars = nvars;
	n->vars_ja = given_ja;
	n->nvars_ja = nja;
	n->files = NULL;
	n->nfiles = 0;
	free(vars);
	free(ja);
	attach_free(&files);
	return rc;
}
