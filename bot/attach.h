/*
 * attach: a referral's stored files as staff see them — the list (for
 * the staff notification and "referral show") and the files that go
 * with the notification, as many as fit attach_limit in the message's
 * order.
 */
#ifndef REFBOT_ATTACH_H
#define REFBOT_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "db_attachments.h"
#include "mailout.h"
#include "notify.h"
#include "refbot.h"

struct attach_set {
	struct stored_attachment *list;
	size_t n;
	struct mailout_file *files;	/* pointing into list */
	size_t nfiles;
	char *text;	/* "Attachments:\n  1. a.pdf (...)\n", or "" */
	char *text_ja;	/* the same in Japanese */
};

/*
 * Loads referral id's files; with_files: the bytes too, and files set
 * to those that fit attach_limit (the text says which are attached).
 * Returns 0 (free with attach_free), or -1 (database).
 */
int attach_load(struct refbot *, int64_t id, int with_files,
    struct attach_set *);
void attach_free(struct attach_set *);

/*
 * notify_staff(n) with referral n->referral_id's files attached as
 * attach_load picks them and their list as {{attachments}} (after
 * n->vars); n is as it was on return.  Returns as notify_staff.
 */
int attach_notify_staff(struct refbot *, struct notify *n);

#endif
