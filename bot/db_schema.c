/*
 * db_schema: refbot's SQLite schema, as the list of steps that build it.
 * Each step is one schema version (PRAGMA user_version); db.c runs the
 * ones a database has not had yet, each in its own transaction.
 */
#include "config.h"

#include <stddef.h>

#include "db.h"
#include "db_int.h"
#include "util.h"

/* Each step is one schema version; never edit a released one. */
const char *const db_migrations[] = {
	/* 1: the walking skeleton */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  mailbox TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL,"
	"  message_id TEXT,"
	"  size INTEGER NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  disposition TEXT NOT NULL DEFAULT 'pending',"
	"  detail TEXT,"
	"  referral_id INTEGER REFERENCES referrals(id),"
	"  moved INTEGER NOT NULL DEFAULT 0,"
	"  processed_at INTEGER,"
	"  UNIQUE (mailbox, uidvalidity, uid));"
	"CREATE INDEX messages_message_id ON messages(message_id);"
	"CREATE TABLE partners ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  lang TEXT NOT NULL DEFAULT 'en',"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE referrals ("
	"  id INTEGER PRIMARY KEY,"
	"  partner_id INTEGER REFERENCES partners(id),"
	"  message_row INTEGER REFERENCES messages(id),"
	"  status TEXT NOT NULL,"
	"  client TEXT,"
	"  contact_name TEXT,"
	"  subject TEXT,"
	"  inbound_message_id TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX referrals_status ON referrals(status);"
	"CREATE TABLE referral_fields ("
	"  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (referral_id, key));"
	"CREATE TABLE history ("
	"  id INTEGER PRIMARY KEY,"
	"  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT,"
	"  event TEXT NOT NULL,"
	"  from_status TEXT,"
	"  to_status TEXT,"
	"  detail TEXT);"
	"CREATE INDEX history_referral ON history(referral_id);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  referral_id INTEGER REFERENCES referrals(id),"
	"  kind TEXT NOT NULL,"
	"  mail_from TEXT NOT NULL,"
	"  rcpt TEXT NOT NULL,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  data BLOB NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending',"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox(status, next_attempt_at);",
	/* 2: parsing (issue 3): attachments, processing attempts */
	"ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  message_row INTEGER NOT NULL REFERENCES messages(id),"
	"  name TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  size INTEGER NOT NULL);"
	"CREATE INDEX attachments_message ON attachments(message_row);",
	/* 3: staff keywords (issue 4): refbot's own settings */
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);"
	"ALTER TABLE history ADD COLUMN message_id TEXT;",
	/* 4: bounces (issue 5): a partner address that hard-bounced */
	"ALTER TABLE partners ADD COLUMN bounced TEXT;",
	/* 5: SLA (issue 6): first response, reminder and escalation sent */
	"ALTER TABLE referrals ADD COLUMN first_response_at INTEGER;"
	"ALTER TABLE referrals ADD COLUMN sla_reminded INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE referrals ADD COLUMN sla_escalated INTEGER NOT NULL "
	"  DEFAULT 0;",
	/* 6: attribution (issue 6): the keys that find the same client */
	"ALTER TABLE referrals ADD COLUMN client_key TEXT;"
	"ALTER TABLE referrals ADD COLUMN contact_email TEXT;"
	"ALTER TABLE referrals ADD COLUMN email_domain TEXT;"
	"ALTER TABLE referrals ADD COLUMN duplicate_of INTEGER "
	"  REFERENCES referrals(id);"
	"CREATE INDEX referrals_client_key ON referrals(client_key);"
	"CREATE INDEX referrals_contact_email ON referrals(contact_email);"
	"CREATE INDEX referrals_email_domain ON referrals(email_domain);",
	/* 7: the partner programme (issue 6): domains, tier and terms */
	"ALTER TABLE partners ADD COLUMN domains TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE partners ADD COLUMN tier INTEGER NOT NULL DEFAULT 3;"
	"ALTER TABLE partners ADD COLUMN terms TEXT NOT NULL "
	"  DEFAULT 'percent';"
	"ALTER TABLE partners ADD COLUMN rate_bp INTEGER;"
	"ALTER TABLE partners ADD COLUMN flat_fee INTEGER;"
	"ALTER TABLE partners ADD COLUMN newsletter INTEGER NOT NULL "
	"  DEFAULT 1;",
	/* 8: commissions (issue 6): the ledger, in integer minor units */
	"CREATE TABLE ledger ("
	"  id INTEGER PRIMARY KEY,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  referral_id INTEGER REFERENCES referrals(id),"
	"  kind TEXT NOT NULL,"
	"  amount INTEGER NOT NULL,"
	"  basis INTEGER,"
	"  rate_bp INTEGER,"
	"  note TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX ledger_partner ON ledger(partner_id);",
	/* 9: reports (issue 6): revenue won, referrals given to partners */
	"ALTER TABLE referrals ADD COLUMN won_amount INTEGER;"
	"CREATE TABLE given ("
	"  id INTEGER PRIMARY KEY,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  at INTEGER NOT NULL,"
	"  note TEXT);",
	/* 10: statements (issue 6): sent once per partner and quarter */
	"CREATE TABLE statements_sent ("
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  quarter TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (partner_id, quarter));",
	/* 11: programme costs (issue 6), for the ROI in reports */
	"CREATE TABLE costs ("
	"  id INTEGER PRIMARY KEY,"
	"  amount INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  note TEXT);",
	/* 12: the monthly newsletter (issue 7) */
	"CREATE TABLE newsletter_profiles ("
	"  month TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  author TEXT,"
	"  confirmed INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (month, lang));"
	"CREATE TABLE newsletter_sends ("
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  month TEXT NOT NULL,"
	"  outbox_id INTEGER REFERENCES outbox(id),"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (partner_id, month));"
	"ALTER TABLE partners ADD COLUMN soft_bounces INTEGER NOT NULL "
	"  DEFAULT 0;",
	/* 13: enablement (issue 10): when the welcome kit was last sent */
	"ALTER TABLE partners ADD COLUMN welcomed_at INTEGER;",
	/*
	 * 14: benchmarks (issue 8): per-message lookups that scanned a whole
	 * table, so a backlog took quadratic time: the auto-reply count per
	 * sender (by kind, so it reads only the replies that count, which
	 * the limit itself keeps few, not every acknowledgement), a
	 * referral's thread, a partner's referrals (tier, reports).
	 */
	"CREATE INDEX outbox_rcpt ON outbox(rcpt, kind, created_at);"
	"CREATE INDEX outbox_referral ON outbox(referral_id);"
	"CREATE INDEX referrals_partner ON referrals(partner_id, created_at);",
	/*
	 * Issue 14 items 2 and 6: nothing changes on a From address alone.
	 * A newsletter draft is its own row (id, author), confirmed only
	 * through the signed address of its own preview; newsletter_profiles
	 * keeps only confirmed profiles.  A partner's unsigned correction or
	 * unsubscribe waits here until the partner answers a signed mail.
	 */
	"CREATE TABLE newsletter_drafts ("
	"  id INTEGER PRIMARY KEY,"
	"  month TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  author TEXT NOT NULL,"
	"  message_row INTEGER REFERENCES messages(id),"
	"  created_at INTEGER NOT NULL,"
	"  confirmed_at INTEGER);"
	"INSERT INTO newsletter_drafts (month, lang, body, author, created_at)"
	"  SELECT month, lang, body, coalesce(author, ''), updated_at"
	"  FROM newsletter_profiles WHERE NOT confirmed;"
	"DELETE FROM newsletter_profiles WHERE NOT confirmed;"
	"CREATE TABLE pending_requests ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  referral_id INTEGER REFERENCES referrals(id),"
	"  message_row INTEGER REFERENCES messages(id),"
	"  body TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  done_at INTEGER);",
	/*
	 * issue 14 item 7 (caps): every automatic reply counts toward the
	 * per-sender cap, marked as it is queued (the kinds that counted
	 * before, and those that wrongly did not, are marked here); staff
	 * alerts about inbound mail, one row each, so a clock hour's
	 * alerts beyond staff_alert_limit are held for one summary.
	 */
	"ALTER TABLE outbox ADD COLUMN auto_reply INTEGER NOT NULL DEFAULT 0;"
	"UPDATE outbox SET auto_reply = 1 WHERE kind IN ('incomplete', "
	"  'disqualified', 'duplicate', 'not-partner', 'status', "
	"  'staff-error', 'form-reply', 'unreadable', 'too-large', "
	"  'newsletter-unsubscribed', 'staff-newsletter-unconfirmed', "
	"  'confirm-correction', 'confirm-unsubscribe');"
	"CREATE INDEX outbox_replies ON outbox(rcpt, created_at) "
	"  WHERE auto_reply = 1;"
	"CREATE TABLE staff_alerts ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  period INTEGER NOT NULL,"
	"  message_row INTEGER REFERENCES messages(id),"
	"  at INTEGER NOT NULL,"
	"  held INTEGER NOT NULL,"
	"  summarised_at INTEGER);"
	"CREATE INDEX staff_alerts_period ON staff_alerts(kind, period);"
	"CREATE INDEX staff_alerts_unsummarised ON staff_alerts(period) "
	"  WHERE held = 1 AND summarised_at IS NULL;",
	/*
	 * Issue 16 item 7: a mail the server refused for good is told to
	 * staff once, after it failed (0 until then; mail that failed
	 * before this version counts as told, so an upgrade sends nothing).
	 */
	"ALTER TABLE outbox ADD COLUMN failure_told INTEGER NOT NULL "
	"  DEFAULT 1;"
	"CREATE INDEX outbox_untold ON outbox(id) WHERE failure_told = 0;",
	/*
	 * Issue 21: the duplicate lookup read every earlier referral of
	 * the same client (an OR over three indexes, then a sort), so ingest
	 * slowed as the table grew.  Now one lookup per key, each on its own
	 * covering index that holds only the referrals that can be "first"
	 * (not duplicates, in a state that counts): a range on created_at
	 * finds those in the protection window.  The state list must read
	 * exactly as sql_rule writes {not_counted} (parsers/status.c order),
	 * or SQLite will not use the index; test_db checks that it does.
	 */
	"DROP INDEX referrals_client_key;"
	"DROP INDEX referrals_contact_email;"
	"DROP INDEX referrals_email_domain;"
	"CREATE INDEX referrals_first_client ON referrals(client_key, "
	"  created_at, status, duplicate_of) WHERE duplicate_of IS NULL AND "
	"  status NOT IN ('INCOMPLETE', 'DISQUALIFIED', 'DUPLICATE');"
	"CREATE INDEX referrals_first_email ON referrals(contact_email, "
	"  created_at, status, duplicate_of) WHERE duplicate_of IS NULL AND "
	"  status NOT IN ('INCOMPLETE', 'DISQUALIFIED', 'DUPLICATE');"
	"CREATE INDEX referrals_first_domain ON referrals(email_domain, "
	"  created_at, status, duplicate_of) WHERE duplicate_of IS NULL AND "
	"  status NOT IN ('INCOMPLETE', 'DISQUALIFIED', 'DUPLICATE');",
	/*
	 * Issue 16 item 1: the ledger is append-only with typed entries,
	 * each tied to the history row that caused it; a correction is a
	 * new entry (a reversal, an adjustment), never an edit.  Existing
	 * commission lines are "earned", linked to the WON or REVENUE
	 * history row they were written with.
	 */
	"ALTER TABLE ledger ADD COLUMN history_id INTEGER "
	"  REFERENCES history(id);"
	"UPDATE ledger SET kind = 'earned' WHERE kind = 'commission';"
	"UPDATE ledger SET history_id = (SELECT max(h.id) FROM history h"
	"  WHERE h.referral_id = ledger.referral_id AND h.event = ledger.note"
	"  AND h.at <= ledger.created_at) WHERE referral_id IS NOT NULL;"
	"CREATE INDEX ledger_referral ON ledger(referral_id);"
	"CREATE TRIGGER ledger_kind BEFORE INSERT ON ledger WHEN NEW.kind"
	"  NOT IN ('earned', 'reversal', 'adjustment', 'payout')"
	"  BEGIN SELECT RAISE(ABORT, 'unknown ledger entry kind'); END;"
	"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger"
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
	"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger"
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;",
	/*
	 * Issue 18 items 2, 3, 5: the staff registry (one row a person:
	 * language, role, in the intake rota's order), each referral's
	 * owner and each partner's account manager (staff emails; NULL:
	 * none), every stall note sent, so each goes once per period across
	 * restarts, and each person's morning queue (item 4), once a day.
	 */
	"CREATE TABLE staff ("
	"  email TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  lang TEXT NOT NULL DEFAULT 'en',"
	"  role TEXT NOT NULL DEFAULT 'intake',"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  rota INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL);"
	"ALTER TABLE referrals ADD COLUMN owner TEXT;"
	"ALTER TABLE partners ADD COLUMN owner TEXT;"
	"CREATE INDEX referrals_owner ON referrals(owner) "
	"  WHERE owner IS NOT NULL;"
	"CREATE TABLE stall_notes ("
	"  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
	"  status TEXT NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  period INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (referral_id, status, since, kind, period));"
	"CREATE TABLE digests ("
	"  email TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (email, day));",
};

const size_t db_nmigrations = nitems(db_migrations);
