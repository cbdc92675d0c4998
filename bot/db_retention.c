/*
 * db_retention: purging raw mail and outbox bodies, anonymising
 * referrals, erasing one address (issue 19 item 5).  See db_retention.h.
 *
 * Bytes are emptied in place (raw = X'', data = X'') rather than rows
 * deleted: the message's disposition, the outbox row's stamps and every
 * foreign key stay, so history, threading and the reports still read.
 * "HAS(col)": col mentions the address as a whole address, any case
 * (has_address, db.c: "ann@x" is not found in "joann@x").
 */
#include "config.h"

#include <stdlib.h>

#include "db_int.h"
#include "db_retention.h"

static const char *const table_names[ER_NTABLES] = {
	[ER_REFERRALS] = "referrals",
	[ER_FIELDS] = "referral_fields",
	[ER_HISTORY] = "history",
	[ER_MESSAGES] = "messages (raw mail)",
	[ER_ATTACHMENTS] = "attachments",
	[ER_OUTBOX] = "outbox",
	[ER_PENDING] = "pending_requests",
	[ER_DRAFTS] = "drafts (newsletters, forwards, given)",
	[ER_PROFILES] = "newsletter_profiles",
	[ER_LEDGER] = "ledger (notes)",
	[ER_GIVEN] = "given",
	[ER_COSTS] = "costs (notes)",
	[ER_CONTACTS] = "contacts",
	[ER_MEETINGS] = "meetings (invitee)",
	[ER_SURVEYS] = "surveys, answers",
};

const char *
erased_table_name(enum erased_table t)
{
	return t < ER_NTABLES ? table_names[t] : "?";
}

int64_t
erasure_total(const struct erasure *e)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < ER_NTABLES; i++)
		n += e->n[i];
	return n;
}

/* db_changes, its count added to e->n[t]: 0, or -1. */
static int
count(struct erasure *e, enum erased_table t, int changed)
{
	if (changed < 0)
		return -1;
	e->n[t] += changed;
	return 0;
}

/*
 * An outbox row's body emptied; mail not sent yet is cancelled (status
 * "erased": not sent, not retried, not reported as failed).
 */
#define PURGE_OUTBOX "UPDATE outbox SET data = X'', purged_at = " \
	"coalesce(purged_at, ?2), status = CASE WHEN status IN ('sent', " \
	"'bounced') THEN status ELSE 'erased' END"
#define HAS(col) "has_address(" col ", ?1)"
/* col becomes the marker (?3) where it holds the address (?1). */
#define SCRUB(col) col " = CASE WHEN " HAS(col) " THEN ?3 ELSE " col " END"
/* col becomes the marker (?3) unless it is NULL. */
#define MARK(col) col " = CASE WHEN " col " IS NULL THEN NULL ELSE ?3 END"

int
db_purge_raw(struct db *db, int64_t before, int64_t now, struct erasure *e)
{
	/*
	 * Only mail handled and filed: a pending message is read again
	 * after a restart.  Every purge here, in db_anonymise_referral and
	 * in db_forget sets messages.purged_at: the raw mail (raw_mail)
	 * and stored attachment bytes (issue 19 item 2) go with their
	 * message by triggers on that column (AFTER UPDATE OF purged_at ON
	 * messages ... WHERE ... = NEW.id), one hook for the three.
	 */
	static const char msgs[] = "UPDATE messages SET purged_at = ?2 "
	    "WHERE purged_at IS NULL AND received_at < ?1 AND moved = 1 "
	    "AND disposition <> 'pending'";
	static const char out[] = "UPDATE outbox SET data = X'', purged_at = "
	    "?2 WHERE purged_at IS NULL AND status IN ('sent', 'bounced') AND "
	    "coalesce(sent_at, created_at) < ?1";

	if (count(e, ER_MESSAGES, db_changes(db, msgs, ARGS(arg_int(before),
	    arg_int(now)))) != 0)
		return -1;
	return count(e, ER_OUTBOX, db_changes(db, out, ARGS(arg_int(before),
	    arg_int(now))));
}

struct ids {
	int64_t *v;
	size_t n, cap;
};

static int
collect_id(sqlite3_stmt *st, void *arg)
{
	struct ids *ids = arg;

	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 16;
		ids->v = xreallocarray(ids->v, ids->cap, sizeof(*ids->v));
	}
	ids->v[ids->n++] = sqlite3_column_int64(st, 0);
	return 0;
}

/* Anonymises each referral sql (one parameter, p) names. */
static int
anonymise_each(struct db *db, const char *sql, struct dbarg p, int64_t now,
    struct erasure *e)
{
	struct ids ids = { NULL, 0, 0 };
	size_t i;
	int rc = db_each(db, sql, &p, 1, collect_id, &ids);

	for (i = 0; rc == 0 && i < ids.n; i++)
		rc = db_anonymise_referral(db, ids.v[i], now, e);
	free(ids.v);
	return rc;
}

int
db_anonymise_closed(struct db *db, int64_t before, int64_t now,
    struct erasure *e)
{
	/*
	 * updated_at: closed, and not touched since (a note, REVENUE); one
	 * changed after it was anonymised (or in the same second: once more
	 * at worst) is anonymised again.
	 */
	static const char sql[] = "SELECT id FROM referrals WHERE status IN "
	    "({WON}, {LOST}, {DECLINED}, {DISQUALIFIED}, {DUPLICATE}) AND "
	    "coalesce(anonymised_at, 0) <= updated_at AND updated_at < ?1 "
	    "ORDER BY id";

	return anonymise_each(db, sql, arg_int(before), now, e);
}

int
db_anonymise_referral(struct db *db, int64_t id, int64_t now,
    struct erasure *e)
{
	static const char ref[] = "UPDATE referrals SET " MARK("client") ", "
	    MARK("contact_name") ", " MARK("subject") ", contact_email = NULL,"
	    " email_domain = NULL, client_key = NULL, anonymised_at = ?2 "
	    "WHERE id = ?1";
	static const char fields[] = "UPDATE referral_fields SET value = ?2 "
	    "WHERE referral_id = ?1 AND value <> ?2";
	static const char hist[] = "UPDATE history SET detail = ?2, "
	    "detail_key = NULL, detail_args = NULL WHERE referral_id = ?1 AND "
	    "detail <> '' AND detail <> ?2";
	/* Its mail: the message it came in, and every one about it. */
#define ITS_MESSAGES "(SELECT id FROM messages WHERE referral_id = ?1 " \
	"UNION SELECT message_row FROM referrals WHERE id = ?1)"
	static const char att[] = "UPDATE attachments SET name = ?2 WHERE "
	    "name <> ?2 AND message_row IN " ITS_MESSAGES;
	static const char msgs[] = "UPDATE messages SET purged_at = ?2 "
	    "WHERE purged_at IS NULL AND id IN " ITS_MESSAGES;
#undef ITS_MESSAGES
	static const char out[] = PURGE_OUTBOX " WHERE referral_id = ?1 AND "
	    "purged_at IS NULL";
	static const char pend[] = "UPDATE pending_requests SET body = ?3, "
	    "done_at = coalesce(done_at, ?2) WHERE referral_id = ?1 AND body "
	    "<> ?3";
	/* Its client survey: the client's address and their words. */
	static const char sva[] = "UPDATE survey_answers SET comment = ?2 "
	    "WHERE comment IS NOT NULL AND comment <> ?2 AND survey_id IN "
	    "(SELECT id FROM surveys WHERE referral_id = ?1)";
	static const char svr[] = "UPDATE surveys SET recipient = ?2 WHERE "
	    "referral_id = ?1 AND recipient <> ?2";
	struct dbarg m = arg_text(ANON_MARKER);

	if (count(e, ER_SURVEYS, db_changes(db, sva, ARGS(arg_int(id),
	    m))) != 0 || count(e, ER_SURVEYS, db_changes(db, svr,
	    ARGS(arg_int(id), m))) != 0)
		return -1;
	if (count(e, ER_REFERRALS, db_changes(db, ref, ARGS(arg_int(id),
	    arg_int(now), m))) != 0 ||
	    count(e, ER_FIELDS, db_changes(db, fields, ARGS(arg_int(id),
	    m))) != 0 ||
	    count(e, ER_HISTORY, db_changes(db, hist, ARGS(arg_int(id),
	    m))) != 0 ||
	    count(e, ER_ATTACHMENTS, db_changes(db, att, ARGS(arg_int(id),
	    m))) != 0 ||
	    count(e, ER_MESSAGES, db_changes(db, msgs, ARGS(arg_int(id),
	    arg_int(now)))) != 0 ||
	    count(e, ER_OUTBOX, db_changes(db, out, ARGS(arg_int(id),
	    arg_int(now)))) != 0)
		return -1;
	return count(e, ER_PENDING, db_changes(db, pend, ARGS(arg_int(id),
	    arg_int(now), m)));
}

int
db_forget(struct db *db, const char *email, int64_t now, struct erasure *e)
{
	/* The referrals whose client or contact it is. */
	static const char refs[] = "SELECT id FROM referrals WHERE "
	    HAS("contact_email") " OR " HAS("client") " OR "
	    HAS("contact_name") " OR " HAS("subject") " UNION SELECT "
	    "referral_id FROM referral_fields WHERE " HAS("value");
	/*
	 * Statements over ?1 the address, ?2 now, ?3 the marker (each names
	 * ?3: the highest one bound must be in it), with the table each
	 * counts in.  Raw mail is matched on its bytes (an address is never
	 * encoded in a header; one in an encoded body is found by its
	 * referral, above).
	 */
	static const char *const sql[] = {
	    "UPDATE referrals SET " SCRUB("inbound_message_id") ", "
	    SCRUB("submitted_by") " WHERE " HAS("inbound_message_id") " OR "
	    HAS("submitted_by"),
	    "UPDATE messages SET purged_at = coalesce(purged_at, ?2), "
	    SCRUB("detail") ", " SCRUB("message_id") " WHERE id IN (SELECT "
	    "id FROM raw_mail WHERE " HAS("raw") ") OR " HAS("detail") " OR "
	    HAS("message_id"),
	    "UPDATE attachments SET name = ?3 WHERE " HAS("name"),
	    PURGE_OUTBOX ", " SCRUB("rcpt") ", " SCRUB("cc") ", "
	    SCRUB("last_error") " WHERE " HAS("rcpt") " OR " HAS("cc") " OR "
	    HAS("data") " OR " HAS("last_error"),
	    /* A detail scrubbed loses its words: it reads as scrubbed. */
	    "UPDATE history SET " SCRUB("actor") ", " SCRUB("detail") ", "
	    "detail_key = CASE WHEN " HAS("detail") " OR " HAS("detail_args")
	    " THEN NULL ELSE detail_key END, detail_args = CASE WHEN "
	    HAS("detail") " OR " HAS("detail_args") " THEN NULL ELSE "
	    "detail_args END, " SCRUB("message_id") " WHERE " HAS("actor")
	    " OR " HAS("detail") " OR " HAS("detail_args") " OR "
	    HAS("message_id"),
	    "UPDATE pending_requests SET body = ?3, done_at = "
	    "coalesce(done_at, ?2) WHERE " HAS("body"),
	    "UPDATE newsletter_drafts SET " SCRUB("author") ", " SCRUB("body")
	    " WHERE " HAS("author") " OR " HAS("body"),
	    "UPDATE newsletter_profiles SET " SCRUB("author") ", "
	    SCRUB("body") " WHERE " HAS("author") " OR " HAS("body"),
	    "UPDATE ledger SET note = ?3 WHERE " HAS("note"),
	    "UPDATE given SET " SCRUB("note") ", " SCRUB("contact") ", "
	    SCRUB("client") ", " SCRUB("actor") " WHERE " HAS("note") " OR "
	    HAS("contact") " OR " HAS("client") " OR " HAS("actor"),
	    "UPDATE costs SET note = ?3 WHERE " HAS("note"),
	    /*
	     * A contact of a partner firm who is this person (the partner's
	     * own, main, address is refused by the caller).
	     */
	    "DELETE FROM contacts WHERE " HAS("email") " AND role <> 'main' "
	    "AND ?3 IS NOT NULL",	/* ?3: named so that all three bind */
	    "UPDATE meetings SET attendee = ?3 WHERE " HAS("attendee"),	    "UPDATE forward_drafts SET " SCRUB("author") ", " SCRUB("sender")
	    ", " SCRUB("subject") ", " SCRUB("body") " WHERE " HAS("author")
	    " OR " HAS("sender") " OR " HAS("subject") " OR " HAS("body"),
	    /* A survey to the person: their words first, then the address. */
	    "UPDATE survey_answers SET comment = ?3 WHERE comment <> ?3 AND ("
	    HAS("comment") " OR survey_id IN (SELECT id FROM surveys WHERE "
	    HAS("recipient") "))",
	    "UPDATE surveys SET recipient = ?3 WHERE " HAS("recipient"),
	    "UPDATE given_drafts SET " SCRUB("author") ", " SCRUB("client")
	    ", " SCRUB("contact") ", " SCRUB("note") " WHERE " HAS("author")
	    " OR " HAS("client") " OR " HAS("contact") " OR " HAS("note"),
	};
	static const enum erased_table table[] = {
	    ER_REFERRALS, ER_MESSAGES, ER_ATTACHMENTS, ER_OUTBOX, ER_HISTORY,
	    ER_PENDING, ER_DRAFTS, ER_PROFILES, ER_LEDGER, ER_GIVEN, ER_COSTS,
	    ER_CONTACTS, ER_MEETINGS, ER_DRAFTS, ER_SURVEYS, ER_SURVEYS,
	    ER_DRAFTS,
	};
	size_t i;

	_Static_assert(nitems(sql) == nitems(table), "a table per statement");
	if (anonymise_each(db, refs, arg_text(email), now, e) != 0)
		return -1;
	for (i = 0; i < nitems(sql); i++)
		if (count(e, table[i], db_changes(db, sql[i],
		    ARGS(arg_text(email), arg_int(now),
		    arg_text(ANON_MARKER)))) != 0)
			return -1;
	return 0;
}
