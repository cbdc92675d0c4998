/*
 * db_schema_late: the later steps of refbot's SQLite schema (db_schema.c
 * has the first): issue 21's change numbers for exports, and the indexes
 * that keep each mail's work flat as the database grows.
 */
#include "config.h"

#include <stddef.h>

#include "db.h"
#include "db_int.h"
#include "util.h"

/* Each step is one schema version; never edit a released one. */
const char *const db_late_steps[] = {
	/*
	 * Issue 21: a transaction's changes may share one change number.
	 * change_counter.once 0: every change takes the next number, as
	 * before (any writer, the sqlite3 shell too); 1: this transaction
	 * takes one number at its first change (db_number_once), which
	 * every referral and history row it changes then carries; 2: it
	 * has taken it.  db_commit sets it back to 0 before COMMIT, so no
	 * committed state has it set and an export's stamp is below every
	 * later commit's number either way.  A row already at the number
	 * is not written again: a new referral's ten fields no longer
	 * rewrite it (and its change_seq index entry) ten times.  A number
	 * is only raised (change_seq < n), never lowered.
	 */
#define BUMP(id) \
	"  BEGIN UPDATE change_counter SET n = n + 1, once = 2 * (once > 0)" \
	"  WHERE once < 2;" \
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)" \
	"  WHERE id = " id " AND change_seq < (SELECT n FROM change_counter);"
#define HIST_BUMP \
	"  UPDATE history SET change_seq = (SELECT n FROM change_counter)" \
	"  WHERE id = NEW.id AND change_seq < (SELECT n FROM change_counter);"
	/*
	 * A trigger whose work is done (the number taken, its rows at it)
	 * is not run: a trigger program costs more than its WHEN.
	 */
#define TAKE "(SELECT once < 2 FROM change_counter)"
#define BELOW(seq) " OR " seq " < (SELECT n FROM change_counter)"
#define REF(id) "(SELECT change_seq FROM referrals WHERE id = " id ")"
	"ALTER TABLE change_counter ADD COLUMN once INTEGER NOT NULL "
	"  DEFAULT 0;"
	"DROP TRIGGER referrals_changed_ins;"
	"DROP TRIGGER referrals_changed_upd;"
	"DROP TRIGGER fields_changed_ins;"
	"DROP TRIGGER fields_changed_upd;"
	"DROP TRIGGER fields_changed_del;"
	"DROP TRIGGER history_changed_ins;"
	"DROP TRIGGER history_changed_upd;"
	"DROP TRIGGER ledger_changed;"
	"CREATE TRIGGER referrals_changed_ins AFTER INSERT ON referrals"
	"  WHEN " TAKE BELOW("NEW.change_seq")
	BUMP("NEW.id") " END;"
	"CREATE TRIGGER referrals_changed_upd AFTER UPDATE ON referrals"
	"  WHEN NEW.change_seq = OLD.change_seq AND"
	"  NOT (NEW.stall_due <> OLD.stall_due AND"
	"  NEW.status IS OLD.status AND NEW.created_at IS OLD.created_at)"
	"  AND (" TAKE BELOW("NEW.change_seq") ")"
	BUMP("NEW.id") " END;"
	"CREATE TRIGGER fields_changed_ins AFTER INSERT ON referral_fields"
	"  WHEN " TAKE BELOW(REF("NEW.referral_id"))
	BUMP("NEW.referral_id") " END;"
	"CREATE TRIGGER fields_changed_upd AFTER UPDATE ON referral_fields"
	"  WHEN " TAKE BELOW(REF("NEW.referral_id"))
	BUMP("NEW.referral_id") " END;"
	"CREATE TRIGGER fields_changed_del AFTER DELETE ON referral_fields"
	"  WHEN " TAKE BELOW(REF("OLD.referral_id"))
	BUMP("OLD.referral_id") " END;"
	"CREATE TRIGGER history_changed_ins AFTER INSERT ON history"
	"  WHEN " TAKE BELOW(REF("NEW.referral_id")) BELOW("NEW.change_seq")
	BUMP("NEW.referral_id") HIST_BUMP " END;"
	"CREATE TRIGGER history_changed_upd AFTER UPDATE ON history"
	"  WHEN NEW.change_seq = OLD.change_seq AND (" TAKE
	BELOW(REF("NEW.referral_id")) BELOW("NEW.change_seq") ")"
	BUMP("NEW.referral_id") HIST_BUMP " END;"
	"CREATE TRIGGER ledger_changed AFTER INSERT ON ledger"
	"  WHEN NEW.referral_id IS NOT NULL AND (" TAKE
	BELOW(REF("NEW.referral_id")) ")"
	BUMP("NEW.referral_id") " END;",
	/*
	 * Issue 21, session 7: a mail from an unknown sender looked for a
	 * partner by domain with a LIKE over every partner's list (1.2 ms
	 * per mail at 1,000 partners: spam to a public intake address grew
	 * with the partner list).  Each partner's domains, one per row, as
	 * db_partner_update keeps them: spaces dropped, split at commas.
	 */
	"CREATE TABLE partner_domains ("
	"  domain TEXT NOT NULL COLLATE NOCASE,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  PRIMARY KEY (domain, partner_id)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO partner_domains (domain, partner_id)"
	"  WITH RECURSIVE split(pid, rest, dom) AS ("
	"    SELECT id, replace(domains, ' ', '') || ',', '' FROM partners"
	"    UNION ALL SELECT pid, substr(rest, instr(rest, ',') + 1),"
	"    substr(rest, 1, instr(rest, ',') - 1) FROM split WHERE rest <> '')"
	"  SELECT dom, pid FROM split WHERE dom <> '';",
	/*
	 * Issue 21, session 8: "status NOT IN (three states)" made SQLite
	 * build a temporary table for the list each time it was read (an IN
	 * list of more than two constants is looked up, not compared): on
	 * every insert and status change, for each of the three duplicate
	 * indexes, and in each duplicate lookup.  The same rule as three
	 * comparisons costs nothing to evaluate.  The terms must read exactly
	 * as sql_rule writes {counted:status} (parsers/status.c order), or
	 * SQLite will not use the index; test_db checks that it does.
	 */
	"DROP INDEX referrals_first_client;"
	"DROP INDEX referrals_first_email;"
	"DROP INDEX referrals_first_domain;"
#define COUNTED "duplicate_of IS NULL AND status <> 'INCOMPLETE' AND " \
	"status <> 'DISQUALIFIED' AND status <> 'DUPLICATE'"
	"CREATE INDEX referrals_first_client ON referrals(client_key, "
	"  created_at, status, duplicate_of) WHERE " COUNTED ";"
	"CREATE INDEX referrals_first_email ON referrals(contact_email, "
	"  created_at, status, duplicate_of) WHERE " COUNTED ";"
	"CREATE INDEX referrals_first_domain ON referrals(email_domain, "
	"  created_at, status, duplicate_of) WHERE " COUNTED ";",
#undef COUNTED
	/*
	 * Issue 21, session 8: the intake rota's next member, in order,
	 * with no sort (a sort is a temporary table, for every referral).
	 */
	"CREATE INDEX staff_rota ON staff(role, rota, email) WHERE active;",
	/*
	 * Issue 21, session 12: a duplicate lookup only ever asks for the
	 * protection window, yet its three indexes held every referral ever
	 * counted.  After years, each new referral's entries landed on three
	 * random pages of large indexes, each written to the WAL and again
	 * to the file: per message, the cost grew with the history.  Now
	 * they hold only referrals marked in_window, which
	 * db_referral_window clears once a referral is older than the
	 * window (referrals_window finds those), so they stay the window's
	 * size.  Every referral starts in it.
	 */
	"ALTER TABLE referrals ADD COLUMN in_window INTEGER NOT NULL "
	"  DEFAULT 1;"
	"DROP INDEX referrals_first_client;"
	"DROP INDEX referrals_first_email;"
	"DROP INDEX referrals_first_domain;"
#define COUNTED "duplicate_of IS NULL AND status <> 'INCOMPLETE' AND " \
	"status <> 'DISQUALIFIED' AND status <> 'DUPLICATE' AND in_window = 1"
	"CREATE INDEX referrals_first_client ON referrals(client_key, "
	"  created_at, status, duplicate_of) WHERE " COUNTED ";"
	"CREATE INDEX referrals_first_email ON referrals(contact_email, "
	"  created_at, status, duplicate_of) WHERE " COUNTED ";"
	"CREATE INDEX referrals_first_domain ON referrals(email_domain, "
	"  created_at, status, duplicate_of) WHERE " COUNTED ";"
#undef COUNTED
	"CREATE INDEX referrals_window ON referrals(created_at) "
	"  WHERE in_window = 1;",
	/*
	 * Issue 21, session 12 (review of 44): leaving the window is no
	 * change to a referral: the change trigger skips it as it skips a
	 * stall date, or every referral would show in exports again as it
	 * aged out.  And the duplicate indexes carry in_window as a column:
	 * SQLite (3.40) does not read a partial index's WHERE as its
	 * columns, so without it each lookup read the table too.
	 */
	"DROP TRIGGER referrals_changed_upd;"
	"CREATE TRIGGER referrals_changed_upd AFTER UPDATE ON referrals"
	"  WHEN NEW.change_seq = OLD.change_seq AND"
	"  NOT ((NEW.stall_due <> OLD.stall_due OR"
	"  NEW.in_window <> OLD.in_window) AND"
	"  NEW.status IS OLD.status AND NEW.created_at IS OLD.created_at)"
	"  AND (" TAKE BELOW("NEW.change_seq") ")"
	BUMP("NEW.id") " END;"
	"DROP INDEX referrals_first_client;"
	"DROP INDEX referrals_first_email;"
	"DROP INDEX referrals_first_domain;"
#define COUNTED "duplicate_of IS NULL AND status <> 'INCOMPLETE' AND " \
	"status <> 'DISQUALIFIED' AND status <> 'DUPLICATE' AND in_window = 1"
	"CREATE INDEX referrals_first_client ON referrals(client_key, "
	"  created_at, status, duplicate_of, in_window) WHERE " COUNTED ";"
	"CREATE INDEX referrals_first_email ON referrals(contact_email, "
	"  created_at, status, duplicate_of, in_window) WHERE " COUNTED ";"
	"CREATE INDEX referrals_first_domain ON referrals(email_domain, "
	"  created_at, status, duplicate_of, in_window) WHERE " COUNTED ";",
#undef COUNTED
	/*
	 * Issue 21, session 13: a message's raw bytes in a table of their
	 * own.  After it is stored, a messages row is rewritten three
	 * times, each in a commit of its own (its attempt, its decision,
	 * its filing); with the raw mail in the row, a page held two
	 * messages and each rewrite wrote a page per two messages to the
	 * WAL and again to the file: 27 % of a backlog's page writes.
	 * The raw mail is now written once; purging a message (purged_at
	 * set) empties it, as it drops the message's attachments.
	 */
	"CREATE TABLE raw_mail ("
	"  id INTEGER PRIMARY KEY REFERENCES messages(id),"
	"  raw BLOB NOT NULL);"
	"INSERT INTO raw_mail (id, raw) SELECT id, raw FROM messages;"
	"ALTER TABLE messages DROP COLUMN raw;"
	"CREATE TRIGGER raw_mail_purged AFTER UPDATE OF purged_at ON"
	"  messages WHEN NEW.purged_at IS NOT NULL BEGIN UPDATE raw_mail"
	"  SET raw = X'' WHERE id = NEW.id AND length(raw) > 0; END;",
#undef BUMP
#undef HIST_BUMP
#undef TAKE
#undef BELOW
#undef REF
};

const size_t db_nlate_steps = nitems(db_late_steps);
