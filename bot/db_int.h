/*
 * db_int: what the bot/db*.c files share and nobody else sees (only they
 * include sqlite3.h): the statement cache and the prepare, bind, step and
 * read-back patterns, so that a query is its SQL, its parameters and what
 * it reads, and nothing else.
 *
 * SQL passed here must be a string literal (a static string): the cache
 * knows a statement by the address of its text.  The text may name the
 * referral states' rules, which come from parsers/status.c and are put in
 * when the statement is prepared:
 *
 *   {open}         'NEW', 'CONTACTED', ...: the open states (a list)
 *   {not_counted}  the states that are no formal referral (a list)
 *   {counted:COL}  COL <> 'INCOMPLETE' AND COL <> ...: the same rule as
 *                  comparisons (an IN list of over two constants costs a
 *                  temporary table each time it is read)
 *   {stage:COL}    CASE COL WHEN 'CONTACTED' THEN 1 ... ELSE 0 END
 *   {WON}          'WON': one state, checked to exist
 */
#ifndef REFBOT_DB_INT_H
#define REFBOT_DB_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "db.h"
#include "util.h"

/* One parameter of a query; they are bound in order, from ?1. */
struct dbarg {
	enum { DBARG_NULL, DBARG_INT, DBARG_TEXT, DBARG_BLOB } type;
	int64_t i;
	const void *p;		/* text or blob: valid during the call */
	size_t len;
};

static inline struct dbarg
arg_int(int64_t i)
{
	return (struct dbarg){ DBARG_INT, i, NULL, 0 };
}

/* NULL binds SQL NULL. */
static inline struct dbarg
arg_text(const char *s)
{
	return (struct dbarg){ s ? DBARG_TEXT : DBARG_NULL, 0, s, 0 };
}

/* A row id, or NULL (none) when it is not positive. */
static inline struct dbarg
arg_id(int64_t id)
{
	return (struct dbarg){ id > 0 ? DBARG_INT : DBARG_NULL, id, NULL, 0 };
}

/* A value that is NULL when negative (-1: none). */
static inline struct dbarg
arg_opt(int64_t v)
{
	return (struct dbarg){ v >= 0 ? DBARG_INT : DBARG_NULL, v, NULL, 0 };
}

/* Must stay valid until the statement has run (during the call). */
static inline struct dbarg
arg_blob(const void *p, size_t len)
{
	return (struct dbarg){ DBARG_BLOB, 0, p, len };
}

/* Where one column of a one-row query goes. */
struct dbcol {
	enum { DBCOL_INT64, DBCOL_INT, DBCOL_TEXT } type;
	void *p;
};

static inline struct dbcol
col_int64(int64_t *p)
{
	return (struct dbcol){ DBCOL_INT64, p };
}

static inline struct dbcol
col_int(int *p)
{
	return (struct dbcol){ DBCOL_INT, p };
}

/* A copy the caller frees, or NULL for SQL NULL. */
static inline struct dbcol
col_text(char **p)
{
	return (struct dbcol){ DBCOL_TEXT, p };
}

/* A parameter list, or a column list: array and count. */
#define ARGS(...) (const struct dbarg[]){ __VA_ARGS__ }, \
	nitems(((const struct dbarg[]){ __VA_ARGS__ }))
#define NOARGS NULL, 0
#define COLS(...) (const struct dbcol[]){ __VA_ARGS__ }, \
	nitems(((const struct dbcol[]){ __VA_ARGS__ }))

/* Reads the row st is on; for db_each, non-zero stops. */
typedef int db_row_fn(sqlite3_stmt *st, void *arg);

/* The cached statement for sql, reset (bindings kept); NULL on error. */
sqlite3_stmt *db_stmt(struct db *, const char *sql);

/* Runs a statement that returns no rows: 0, or -1. */
int db_exec(struct db *, const char *sql, const struct dbarg *, size_t);
/* The same; returns the rows it changed, or -1. */
int db_changes(struct db *, const char *sql, const struct dbarg *, size_t);
/* The same for an INSERT; *id (if id is not NULL) is the new row's. */
int db_insert(struct db *, const char *sql, const struct dbarg *, size_t,
    int64_t *id);
/* The first column of the first row (a count, a sum), or -1. */
int64_t db_int64(struct db *, const char *sql, const struct dbarg *, size_t);
/*
 * Reads the first row into cols (which must not outnumber its columns):
 * 1, 0 when there is none (cols untouched), or -1.  A statement that
 * writes (UPDATE ... RETURNING) is run to its end.
 */
int db_row(struct db *, const char *sql, const struct dbarg *, size_t,
    const struct dbcol *, size_t ncols);
/* The same, with fn reading the row (its return value is not used). */
int db_row_with(struct db *, const char *sql, const struct dbarg *, size_t,
    db_row_fn *fn, void *arg);
/* fn for each row until it returns non-zero: 0 (also when stopped), -1. */
int db_each(struct db *, const char *sql, const struct dbarg *, size_t,
    db_row_fn *fn, void *arg);

/* Column i as a string the caller frees, or NULL. */
char *db_text(sqlite3_stmt *, int i);
/* Column i, or -1 when it is NULL. */
int64_t db_opt(sqlite3_stmt *, int i);
int db_in_transaction(struct db *);

/* A referral row (db_referrals.c), for the files that list referrals. */
struct referral;
#define REFERRAL_COLS "r.id, r.status, r.partner_id, p.name, p.email, " \
	"r.client, r.contact_name, r.subject, r.inbound_message_id, " \
	"r.created_at, r.updated_at, r.owner "
#define REFERRAL_JOIN "LEFT JOIN partners p ON p.id = r.partner_id "
#define REFERRAL_COLUMNS REFERRAL_COLS "FROM referrals r " REFERRAL_JOIN
void db_referral_row(sqlite3_stmt *, struct referral *);
/* Hands each REFERRAL_COLUMNS row to cb (cb non-zero stops). */
int db_referral_rows(struct db *, const char *sql, const struct dbarg *,
    size_t, int (*cb)(const struct referral *, void *), void *arg);

/*
 * The schema, one step per version: step i (from 0) makes version i + 1
 * (db_schema.c, and its later steps, db_schema_late.c).
 */
const char *db_migration(size_t i);
size_t db_migration_count(void);
extern const char *const db_late_steps[];
extern const size_t db_nlate_steps;

#endif
