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
static const char *const early[] = {
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
	 * Issue 21 (group commit): of a message's attempts, those made in a
	 * batch of more than one; a batch that dies is split, and only the
	 * attempts a message made alone count toward its quarantine.
	 */
	"ALTER TABLE messages ADD COLUMN batch_attempts INTEGER NOT NULL "
	"  DEFAULT 0;",
	/*
	 * Issue 18 item 6: the meeting a MEETING keyword with a date
	 * records, one per referral, with the iCalendar SEQUENCE of the
	 * last invitation or cancellation sent about it.
	 */
	"CREATE TABLE meetings ("
	"  referral_id INTEGER PRIMARY KEY REFERENCES referrals(id),"
	"  day TEXT NOT NULL,"
	"  minute INTEGER,"
	"  starts_at INTEGER,"
	"  sequence INTEGER NOT NULL,"
	"  attendee TEXT,"
	"  cancelled_at INTEGER,"
	"  updated_at INTEGER NOT NULL);",
	/*
	 * Issue 19 item 2: an attachment's decoded bytes, kept with its
	 * message row (NULL: not kept — over attachment_store_limit, not
	 * decodable, recorded before this version, or purged).
	 */
	"ALTER TABLE attachments ADD COLUMN data BLOB;",
	/*
	 * Issue 19 item 3: a change counter for exact incremental export.
	 * Every write that changes what an export shows of a referral (the
	 * row, its fields, its history, its ledger) takes the next number
	 * in the same transaction, by trigger, whichever code made it.
	 * SQLite has one writer at a time, so the numbers are given in
	 * commit order and an export that reads the counter and the rows in
	 * one snapshot misses nothing and repeats nothing.  A history row
	 * carries the number it was written (or edited) with, for the
	 * history export.  Existing referrals start at their id, existing
	 * history at the counter's start.
	 */
	"CREATE TABLE change_counter (n INTEGER NOT NULL);"
	"ALTER TABLE referrals ADD COLUMN change_seq INTEGER NOT NULL "
	"  DEFAULT 0;"
	"UPDATE referrals SET change_seq = id;"
	"INSERT INTO change_counter SELECT coalesce(max(id), 0) "
	"  FROM referrals;"
	"CREATE INDEX referrals_change_seq ON referrals(change_seq);"
	"CREATE TRIGGER referrals_changed_ins AFTER INSERT ON referrals"
	"  BEGIN UPDATE change_counter SET n = n + 1;"
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.id; END;"
	"CREATE TRIGGER referrals_changed_upd AFTER UPDATE ON referrals"
	"  WHEN NEW.change_seq = OLD.change_seq"
	"  BEGIN UPDATE change_counter SET n = n + 1;"
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.id; END;"
	"CREATE TRIGGER fields_changed_ins AFTER INSERT ON referral_fields"
	"  BEGIN UPDATE change_counter SET n = n + 1;"
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.referral_id; END;"
	"CREATE TRIGGER fields_changed_upd AFTER UPDATE ON referral_fields"
	"  BEGIN UPDATE change_counter SET n = n + 1;"
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.referral_id; END;"
	"CREATE TRIGGER fields_changed_del AFTER DELETE ON referral_fields"
	"  BEGIN UPDATE change_counter SET n = n + 1;"
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = OLD.referral_id; END;"
	"ALTER TABLE history ADD COLUMN change_seq INTEGER NOT NULL "
	"  DEFAULT 0;"
	"UPDATE history SET change_seq = (SELECT n FROM change_counter);"
	"CREATE INDEX history_change_seq ON history(change_seq);"
	"CREATE TRIGGER history_changed_ins AFTER INSERT ON history"
	"  BEGIN UPDATE change_counter SET n = n + 1;"
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.referral_id;"
	"  UPDATE history SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.id; END;"
	"CREATE TRIGGER history_changed_upd AFTER UPDATE ON history"
	"  WHEN NEW.change_seq = OLD.change_seq"
	"  BEGIN UPDATE change_counter SET n = n + 1;"
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.referral_id;"
	"  UPDATE history SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.id; END;"
	"CREATE TRIGGER ledger_changed AFTER INSERT ON ledger"
	"  WHEN NEW.referral_id IS NOT NULL"
	"  BEGIN UPDATE change_counter SET n = n + 1;"
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.referral_id; END;",
	/*
	 * Issue 18 item 1: a partner is a firm with contacts.  An address
	 * belongs to one firm; the partner's own address is its main
	 * contact (partners.email stays that address).  A referral keeps
	 * who submitted it (earlier ones: the firm's address); progress
	 * mail may copy the main contact (cc_main); outbox mail may have
	 * one Cc.
	 */
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  name TEXT,"
	"  lang TEXT,"
	"  role TEXT NOT NULL DEFAULT 'other',"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX contacts_partner ON contacts(partner_id, role);"
	"INSERT INTO contacts (partner_id, email, role, created_at)"
	"  SELECT id, email, 'main', created_at FROM partners;"
	"ALTER TABLE partners ADD COLUMN cc_main INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE referrals ADD COLUMN submitted_by TEXT;"
	"UPDATE referrals SET submitted_by = (SELECT email FROM partners p"
	"  WHERE p.id = referrals.partner_id);"
	"ALTER TABLE outbox ADD COLUMN cc TEXT;",
	/*
	 * Issue 19 item 5 (retention and erasure): when a message's raw
	 * bytes or an outbox row's body were purged (the bytes are then
	 * empty), and when a referral's personal fields were anonymised.
	 * The ledger stays append-only for money; only a note may be
	 * replaced, and only by the marker, so an erasure reaches a note
	 * that names a person without touching an amount.
	 */
	"ALTER TABLE messages ADD COLUMN purged_at INTEGER;"
	"ALTER TABLE outbox ADD COLUMN purged_at INTEGER;"
	"ALTER TABLE referrals ADD COLUMN anonymised_at INTEGER;"
	"DROP TRIGGER ledger_no_update;"
	"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger WHEN"
	"  NEW.id IS NOT OLD.id OR NEW.partner_id IS NOT OLD.partner_id OR"
	"  NEW.referral_id IS NOT OLD.referral_id OR NEW.kind IS NOT OLD.kind"
	"  OR NEW.amount IS NOT OLD.amount OR NEW.basis IS NOT OLD.basis OR"
	"  NEW.rate_bp IS NOT OLD.rate_bp OR NEW.created_at IS NOT"
	"  OLD.created_at OR NEW.history_id IS NOT OLD.history_id OR"
	"  NEW.note IS NOT '[anonymised]'"
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;"
	/* A message's stored files (issue 19 item 2) go with its bytes. */
	"CREATE TRIGGER attachments_purged AFTER UPDATE OF purged_at ON"
	"  messages WHEN NEW.purged_at IS NOT NULL BEGIN UPDATE attachments"
	"  SET data = NULL WHERE message_row = NEW.id AND data IS NOT NULL;"
	"  END;",
	/*
	 * Issue 19 items 1 and 4 (who sent a referral in is the contacts
	 * step's submitted_by, set also for one entered by hand or
	 * forwarded by staff): a staff member's forward of a partner's
	 * mail, kept until they confirm its preview; referrals the firm
	 * gives out, recorded like the ones it receives, with outcomes
	 * (earlier rows were a bare count: open, client not recorded).
	 */
	"CREATE TABLE forward_drafts ("
	"  id INTEGER PRIMARY KEY,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  author TEXT NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  subject TEXT,"
	"  body TEXT NOT NULL,"
	"  message_row INTEGER REFERENCES messages(id),"
	"  created_at INTEGER NOT NULL,"
	"  confirmed_at INTEGER,"
	"  referral_id INTEGER REFERENCES referrals(id));"
	"ALTER TABLE given ADD COLUMN client TEXT;"
	"ALTER TABLE given ADD COLUMN contact TEXT;"
	"ALTER TABLE given ADD COLUMN outcome TEXT NOT NULL DEFAULT 'open';"
	"ALTER TABLE given ADD COLUMN outcome_at INTEGER;"
	"ALTER TABLE given ADD COLUMN actor TEXT;"
	"ALTER TABLE given ADD COLUMN message_row INTEGER "
	"  REFERENCES messages(id);"
	"CREATE INDEX given_partner ON given(partner_id, at);",
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
	/*
	 * Issue 20 item 1: surveys answered by reply. One row a survey
	 * sent: kind 'partner' yearly to a partner's main contact (period:
	 * the year, "2026"), kind 'client' after WON to the referral's
	 * client contact (period: the reference, "REF-000123"). Every
	 * answer line read is kept: a second answer to a question is a new
	 * row, and the current answer is the question's latest row (its
	 * highest id); question is the survey template's field name.
	 */
	"CREATE TABLE surveys ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('partner', 'client')),"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  referral_id INTEGER REFERENCES referrals(id),"
	"  period TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  sent_at INTEGER NOT NULL,"
	"  reminded_at INTEGER,"
	"  answered_at INTEGER,"
	"  UNIQUE (kind, partner_id, period));"
	"CREATE TABLE survey_answers ("
	"  id INTEGER PRIMARY KEY,"
	"  survey_id INTEGER NOT NULL REFERENCES surveys(id),"
	"  question TEXT NOT NULL,"
	"  score INTEGER CHECK (score BETWEEN 1 AND 5),"
	"  comment TEXT,"
	"  message_row INTEGER REFERENCES messages(id),"
	"  answered_at INTEGER NOT NULL);"
	"CREATE INDEX survey_answers_survey "
	"  ON survey_answers(survey_id, question, id);",
	/*
	 * Issue 20 item 2: the tier row (or other term) that set an earned
	 * entry's rate, as words ("conversion>=50% and count>=4 → 20%
	 * (count 5, conversion 60%)"); NULL on older entries and on
	 * reversals, adjustments and payouts.  The ledger stays
	 * append-only: the rule is one more column no update may change.
	 */
	"ALTER TABLE ledger ADD COLUMN rule TEXT;"
	"DROP TRIGGER ledger_no_update;"
	"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger WHEN"
	"  NEW.id IS NOT OLD.id OR NEW.partner_id IS NOT OLD.partner_id OR"
	"  NEW.referral_id IS NOT OLD.referral_id OR NEW.kind IS NOT OLD.kind"
	"  OR NEW.amount IS NOT OLD.amount OR NEW.basis IS NOT OLD.basis OR"
	"  NEW.rate_bp IS NOT OLD.rate_bp OR NEW.created_at IS NOT"
	"  OLD.created_at OR NEW.history_id IS NOT OLD.history_id OR"
	"  NEW.rule IS NOT OLD.rule OR NEW.note IS NOT '[anonymised]'"
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;",
	/*
	 * Issue 18, its gap: a contact other than the main one gets the
	 * newsletter when set (partner contact set --newsletter on) and
	 * stops by their own unsubscribe address.
	 */
	"ALTER TABLE contacts ADD COLUMN newsletter INTEGER NOT NULL "
	"  DEFAULT 0;",
	/*
	 * Issue 18, its gap: a contact (not the main one) whose address
	 * was refused for good: when, and the server's words.  Mail meant
	 * for them goes to the main contact instead.
	 */
	"ALTER TABLE contacts ADD COLUMN bounced_at INTEGER;"
	"ALTER TABLE contacts ADD COLUMN bounced TEXT;",
	/*
	 * Issue 18, its gap: how long a meeting is (MEETING 12/10
	 * 14:00-15:30; else meeting_minutes when it was set).  NULL: a
	 * meeting recorded before, 60 minutes.
	 */
	"ALTER TABLE meetings ADD COLUMN minutes INTEGER;",
	/*
	 * Issue 20 item 1, built: when the one reply asking for a survey's
	 * missing answers went (never a second), and whether a partner's
	 * terms allow mailing its referrals' clients (the client follow-up
	 * survey; off unless the partner said yes).
	 */
	"ALTER TABLE surveys ADD COLUMN asked_at INTEGER;"
	"ALTER TABLE partners ADD COLUMN client_contact INTEGER NOT NULL "
	"  DEFAULT 0;"
	"CREATE INDEX surveys_partner ON surveys(partner_id, sent_at);",
	/*
	 * Issue 20 item 3: each quarterly review pack queued, once per
	 * partner and quarter across restarts (review.c).
	 */
	"CREATE TABLE review_packs ("
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  quarter TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (partner_id, quarter));",
	/*
	 * Issue 21 (a grown database): the SLA pass (db_sla_due) reads the
	 * referrals still waiting for their reminder (escalation), oldest
	 * first, not every NEW one: a referral leaves the index when it is
	 * answered or reminded (escalated).
	 */
	"CREATE INDEX referrals_sla_remind ON referrals(created_at) "
	"  WHERE status = 'NEW' AND sla_reminded = 0;"
	"CREATE INDEX referrals_sla_escalate ON referrals(created_at) "
	"  WHERE status = 'NEW' AND sla_escalated = 0;",
	/*
	 * Issue 19 item 4 by mail: a staff member's GIVEN mail, kept until
	 * they confirm its signed preview; given_id is the given row their
	 * OK recorded (NULL while open, or once cancelled).
	 */
	"CREATE TABLE given_drafts ("
	"  id INTEGER PRIMARY KEY,"
	"  partner_id INTEGER NOT NULL REFERENCES partners(id),"
	"  author TEXT NOT NULL,"
	"  client TEXT NOT NULL,"
	"  contact TEXT,"
	"  note TEXT,"
	"  message_row INTEGER REFERENCES messages(id),"
	"  created_at INTEGER NOT NULL,"
	"  confirmed_at INTEGER,"
	"  given_id INTEGER REFERENCES given(id));",
	/*
	 * Issue 18, session 6: what refbot records in a history row's
	 * detail, as a line key of mail/staff-lines and its words
	 * ("name=value" lines), so that each staff reader sees it in their
	 * language; detail keeps the English.  NULL: a row from before, or
	 * words that are not refbot's (shown as written).
	 */
	"ALTER TABLE history ADD COLUMN detail_key TEXT;"
	"ALTER TABLE history ADD COLUMN detail_args TEXT;",
	/*
	 * Issue 21 (a grown database): the hourly stall look (stall.c)
	 * reads the referrals whose next note can be due, not every one
	 * stalled long ago.  stall_due is when the look last found the
	 * next one could be (0: look); a change of state or of created_at
	 * sets it back to 0, and so does a change of stall_days
	 * (stall.c).  Setting it is not a change to the referral
	 * (change_seq, for exports).  The index serves what
	 * referrals_status did.
	 */
	"ALTER TABLE referrals ADD COLUMN stall_due INTEGER NOT NULL "
	"  DEFAULT 0;"
	"DROP INDEX referrals_status;"
	"CREATE INDEX referrals_stall ON referrals(status, stall_due);"
	"CREATE TRIGGER referrals_stall_reset AFTER UPDATE OF status, "
	"  created_at ON referrals WHEN OLD.stall_due <> 0 AND "
	"  (NEW.status IS NOT OLD.status OR NEW.created_at IS NOT "
	"  OLD.created_at)"
	"  BEGIN UPDATE referrals SET stall_due = 0 WHERE id = NEW.id; END;"
	"DROP TRIGGER referrals_changed_upd;"
	"CREATE TRIGGER referrals_changed_upd AFTER UPDATE ON referrals"
	"  WHEN NEW.change_seq = OLD.change_seq AND"
	"  NOT (NEW.stall_due <> OLD.stall_due AND"
	"  NEW.status IS OLD.status AND NEW.created_at IS OLD.created_at)"
	"  BEGIN UPDATE change_counter SET n = n + 1;"
	"  UPDATE referrals SET change_seq = (SELECT n FROM change_counter)"
	"  WHERE id = NEW.id; END;"
	/*
	 * The quarterly statement (db_statement) reads a partner's WON
	 * referrals by this index, not all the partner's referrals.
	 */
	"CREATE INDEX referrals_won ON referrals(partner_id) "
	"  WHERE status = 'WON';",
	/*
	 * Issue 18, session 6: an unsigned UNSUBSCRIBE from a contact
	 * other than the main one asks to stop that contact's own copy
	 * (the contact's id; NULL: the firm's newsletter).  No foreign key:
	 * the contact may be removed while the request waits.
	 */
	"ALTER TABLE pending_requests ADD COLUMN contact_id INTEGER;",
	/* Later steps: db_schema_late.c. */
};

const char *
db_migration(size_t i)
{
	return i < nitems(early) ? early[i] : db_late_steps[i - nitems(early)];
}

size_t
db_migration_count(void)
{
	return nitems(early) + db_nlate_steps;
}
