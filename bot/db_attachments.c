/* db_attachments: an inbound message's files (db_attachments.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_attachments.h"
#include "db_int.h"

int
db_attachment_add(struct db *db, int64_t row, const char *name,
    const char *type, size_t size, const char *data, size_t len)
{
	static const char sql[] = "INSERT INTO attachments (message_row, name, "
	    "type, size, data) VALUES (?, ?, ?, ?, ?)";

	return db_exec(db, sql, ARGS(arg_int(row), arg_text(name),
	    arg_text(type), arg_int((int64_t)size), data ?
	    arg_blob(data, len) : arg_text(NULL)));
}

struct list_ctx {
	struct stored_attachment *list;
	size_t n;
	int with_data;
};

static int
add_row(sqlite3_stmt *st, void *arg)
{
	struct list_ctx *c = arg;
	struct stored_attachment *a;

	c->list = xreallocarray(c->list, c->n + 1, sizeof(*c->list));
	a = &c->list[c->n++];
	memset(a, 0, sizeof(*a));
	a->n = (int)c->n;
	a->name = db_text(st, 0);
	a->type = db_text(st, 1);
	a->size = sqlite3_column_int64(st, 2);
	a->kept = sqlite3_column_type(st, 3) != SQLITE_NULL;
	a->len = a->kept ? sqlite3_column_int64(st, 3) : 0;
	if (a->kept && c->with_data) {
		const void *p = sqlite3_column_blob(st, 4);

		a->data = xmalloc((size_t)a->len + 1);
		if (a->len > 0)
			memcpy(a->data, p, (size_t)a->len);
		a->data[a->len] = '\0';
	}
	return 0;
}

int
db_attachments_of(struct db *db, int64_t referral_id, int with_data,
    struct stored_attachment **list, size_t *n)
{
	/* The bytes are read only when wanted (?2). */
	static const char sql[] = "SELECT a.name, a.type, a.size, "
	    "length(a.data), CASE WHEN ?2 THEN a.data END FROM attachments a "
	    "JOIN referrals r ON r.message_row = a.message_row "
	    "WHERE r.id = ?1 ORDER BY a.id";
	struct list_ctx c = { NULL, 0, with_data };

	if (db_each(db, sql, ARGS(arg_int(referral_id),
	    arg_int(with_data != 0)), add_row, &c) != 0) {
		db_attachments_free(c.list, c.n);
		return -1;
	}
	*list = c.list;
	*n = c.n;
	return 0;
}

void
db_attachments_free(struct stored_attachment *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].type);
		free(list[i].data);
	}
	free(list);
}
