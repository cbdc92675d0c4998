/* intake_text: placeholder values of intake's mails (intake_text.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idlist.h"
#include "intake_text.h"
#include "util.h"

static const char *
field_title(const struct tfield *f, const char *lang)
{
	return strcmp(lang, "ja") == 0 ? f->title_ja : f->title;
}

/* The echo of fields read, one "  Label: value" line each, in lang. */
char *
intake_fields_text(const struct form *f, const char *lang)
{
	struct buf b;
	size_t i;
	const char *p;
	size_t n;

	buf_init(&b);
	for (i = 0; i < f->nvalues; i++) {
		buf_adds(&b, i > 0 ? "\n  " : "  ");
		buf_adds(&b, field_title(f->values[i].field, lang));
		buf_adds(&b, ": ");
		/* Continuation lines stay visibly part of the field. */
		for (p = f->values[i].value; *p != '\0'; p += n) {
			n = strcspn(p, "\n");
			buf_add(&b, p, n);
			if (p[n] == '\n') {
				buf_adds(&b, "\n    ");
				n++;
			}
		}
	}
	if (b.len == 0)
		buf_adds(&b, "  -");
	return buf_steal(&b);
}

/* "  - Contact email: not an email address", one line per problem. */
char *
intake_problems_text(struct refbot *rb, const struct form *f,
    const char *lang)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < f->nproblems; i++) {
		const struct form_problem *p = &f->problems[i];
		char *why;

		if (p->group != NULL)
			why = xstrdup(strcmp(lang, "ja") == 0 &&
			    p->group->reason_ja ? p->group->reason_ja :
			    p->group->reason ? p->group->reason : "");
		else
			why = refbot_reason(rb, lang, p->code, p->arg);
		buf_addf(&b, "%s  - %s: %s", i ? "\n" : "",
		    field_title(p->field, lang), why);
		free(why);
	}
	return buf_steal(&b);
}

/* The template's reason for every checklist rule that failed. */
char *
intake_rules_text(const struct form *f, const char *lang)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < f->nfailed; i++) {
		const struct tfield *fd = f->failed[i];
		const char *why = strcmp(lang, "ja") == 0 && fd->reason_ja ?
		    fd->reason_ja : fd->reason ? fd->reason : "";
		buf_addf(&b, "%s  - %s: %s", i ? "\n" : "",
		    field_title(fd, lang), why);
	}
	return buf_steal(&b);
}

void
intake_staff_form(struct staff_form *sf, const struct form *f)
{
	sf->fields[0] = intake_fields_text(f, "en");
	sf->reasons[0] = intake_rules_text(f, "en");
	sf->fields[1] = intake_fields_text(f, "ja");
	sf->reasons[1] = intake_rules_text(f, "ja");
	sf->ja[0] = (struct render_var){ "fields", sf->fields[1] };
	sf->ja[1] = (struct render_var){ "reasons", sf->reasons[1] };
}

void
intake_staff_form_free(struct staff_form *sf)
{
	int i;

	for (i = 0; i < 2; i++) {
		free(sf->fields[i]);
		free(sf->reasons[i]);
	}
}

/* "Label: " lines for the partner to fill in, one per field to fix. */
char *
intake_blank_lines(const struct form *f, const char *lang)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < f->nproblems; i++)
		buf_addf(&b, "%s%s: ", b.len ? "\n" : "",
		    field_title(f->problems[i].field, lang));
	for (i = 0; i < f->nfailed; i++)
		buf_addf(&b, "%s%s: ", b.len ? "\n" : "",
		    field_title(f->failed[i], lang));
	return buf_steal(&b);
}

/*
 * The References of our reply: the sender's, then their Message-ID, cut
 * to the last IDLIST_REFERENCES_MAX valid ids (the values are the sender's).
 */
char *
intake_references(const struct message *msg)
{
	char *all = xasprintf("%s %s", msg->references ? msg->references : "",
	    msg->message_id ? msg->message_id : ""), *refs;

	refs = idlist_last_msgids(all, IDLIST_REFERENCES_MAX);
	free(all);
	if (*refs == '\0') {
		free(refs);
		return NULL;
	}
	return refs;
}

/* "25 MB", "1.5 MB"; a limit under 1 MiB (tests only) in KB. */
void
intake_size_text(uint64_t bytes, char *buf, size_t len)
{
	if (bytes < 1024 * 1024)
		snprintf(buf, len, "%llu KB",
		    (unsigned long long)((bytes + 1023) / 1024));
	else if (bytes % (1024 * 1024) == 0)
		snprintf(buf, len, "%llu MB", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, len, "%.1f MB", (double)bytes / (1024 * 1024));
}

