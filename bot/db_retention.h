/*
 * db_retention: what the retention policy and "refbot forget" change in
 * the database (issue 19 item 5).  Raw mail and outbox bodies are
 * purged (their bytes emptied, the row and its stamps kept); a
 * referral's personal fields are replaced by ANON_MARKER while its
 * state, dates, amounts and ledger stay, so reports do not change.
 *
 * Each function runs inside the caller's transaction and adds the rows
 * it changed, per table, to *e.  Returns 0, or -1 (db_errmsg).  After
 * committing, db_scrub (db.h) takes the old bytes out of the file.
 */
#ifndef REFBOT_DB_RETENTION_H
#define REFBOT_DB_RETENTION_H

#include <stdint.h>

#include "db.h"

/* What replaces a personal value (the ledger's trigger allows only it). */
#define ANON_MARKER "[anonymised]"

/* The tables an erasure reaches, in the order they are reported. */
enum erased_table {
	ER_REFERRALS, ER_FIELDS, ER_HISTORY, ER_MESSAGES, ER_ATTACHMENTS,
	ER_OUTBOX, ER_PENDING, ER_DRAFTS, ER_PROFILES, ER_LEDGER, ER_GIVEN,
	ER_COSTS, ER_CONTACTS, ER_MEETINGS, ER_SURVEYS, ER_NTABLES
};

struct erasure {
	int64_t n[ER_NTABLES];	/* rows changed per table */
};

/* The table's name, as "forget" prints it. */
const char *erased_table_name(enum erased_table);
/* All the rows changed. */
int64_t erasure_total(const struct erasure *);

/*
 * Empties the raw bytes of messages received before `before` (filed,
 * and handled: a pending message is still needed) and the bodies of
 * mail sent before it.  now is the purge's stamp.
 */
int db_purge_raw(struct db *, int64_t before, int64_t now, struct erasure *);

/*
 * Anonymises the referrals closed (WON, LOST, DECLINED, DISQUALIFIED,
 * DUPLICATE) and unchanged since before `before`: see
 * db_anonymise_referral.
 */
int db_anonymise_closed(struct db *, int64_t before, int64_t now,
    struct erasure *);

/*
 * One referral's personal data: client, contact, subject and every
 * field value become the marker, the duplicate keys are cleared, the
 * history's notes become the marker, its mail (inbound raw bytes,
 * attachment names, outbox bodies; unsent mail is cancelled as
 * "erased") is purged and partners' pending requests about it dropped.
 * Its state, dates, won amount and ledger are kept.
 */
int db_anonymise_referral(struct db *, int64_t id, int64_t now,
    struct erasure *);

/*
 * Erases one address (lowercase) everywhere: the referrals that name it
 * are anonymised whole; any other raw mail or outbox body holding it is
 * purged (unsent mail to it cancelled); where it appears as a
 * recipient, a history actor or note, a pending request, a newsletter
 * draft or profile, a ledger, given or cost note, it becomes the marker.
 * A partner's own address is the caller's to refuse first.
 */
int db_forget(struct db *, const char *email, int64_t now, struct erasure *);

#endif
