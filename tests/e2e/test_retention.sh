#!/bin/bash
# Issue 19 item 5: retention and erasure (APPI / GDPR).  "refbot forget
# EMAIL" leaves no trace of the address in the database files (checked
# with strings on the .db and its -wal), --dry-run changes nothing, a
# partner's own address is refused; the daily policy purges raw mail
# after keep_raw_mail_days (once a day) and anonymises closed referrals
# after anonymise_closed_after_days without changing a number of
# "refbot report".  The clock is moved with REFBOT_CLOCK_OFFSET, each
# run landing at noon UTC so no step straddles a midnight.
. "$(dirname "$0")/lib.sh"
sandbox_start

cat >>"$CONF" <<EOF
timezone = UTC
keep_raw_mail_days = 30
anonymise_closed_after_days = 90
EOF
now=$(date +%s)
BASE=$((43200 - now % 86400))
# at DAYS COMMAND...: refbot at noon, DAYS days from today.
at() { local d=$1; shift; REFBOT_CLOCK_OFFSET=$((BASE + d * 86400)) "$REFBOT" --config "$CONF" "$@"; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
# How often TEXT is in the database file or its WAL, any case (strings
# runs columns together, so no word boundaries), not counting where it
# is the end of LONGER.  traces TEXT [LONGER]
traces() {
	local all near=0
	all=$(cat "$SB/refbot.db" "$SB/refbot.db-wal" 2>/dev/null | strings | grep -oiF -- "$1" | wc -l)
	[ -n "${2:-}" ] && near=$(cat "$SB/refbot.db" "$SB/refbot.db-wal" 2>/dev/null | strings | grep -oiF -- "$2" | wc -l)
	echo $((all - near))
}

GONE=forgetme.person@client-one.example
NEAR=jo$GONE		# another person: a longer address
KEEP=keep.person@client-two.example
LOST=lost.person@client-three.example

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
refer() {	# CLIENT CONTACT EMAIL [MORE]
	"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --subject "Referral $1" \
		--body "Client: $1"$'\n'"Contact name: $2"$'\n'"Contact email: $3"$'\n'"Service needed: Audit"$'\n'"Challenge: ${4:-Close}"$'\n'"Client aware: yes"$'\n' >/dev/null
}
refer "Forget Me KK" "Hanako Forgetme" "$GONE"
refer "Keep Going KK" "Taro Keep" "$KEEP" "Also ask $NEAR"
refer "Lost Cause KK" "Jiro Lost" "$LOST"
refer "Still Open KK" "Saburo Open" "open.person@client-four.example"
"$MAILTOOL" wait --env "$SB/env" --user intake --count 4 --timeout 30 >/dev/null
at 0 run --once 2>>"$SB/run.log"
check "four referrals" [ "$(sql "select count(*) from referrals")" = 4 ]
at 0 referral set-status REF-000002 WON 1,200,000 --note "Taro ($KEEP) signed" >/dev/null
at 0 referral set-status REF-000003 LOST --note "Jiro chose another firm" >/dev/null
at 0 run --once 2>>"$SB/run.log"
check "the address to forget is in the database file before" [ "$(traces "$GONE" "$NEAR")" -gt 0 ]

# --- forget: --dry-run changes nothing ---------------------------------
before=$(sqlite3 "$SB/refbot.db" .dump | md5sum)
out=$(at 0 forget "$GONE" --dry-run)
check "forget --dry-run succeeds" [ $? = 0 ]
diag "$out"
check "... says what it would change, per table" \
	bash -c 'grep -q "^would erase" <<<"$0" && grep -Eq "^  referrals +1$" <<<"$0" && grep -Eq "^  messages \(raw mail\) +[1-9]" <<<"$0" && grep -Eq "^  outbox +[1-9]" <<<"$0"' "$out"
check "... and changes nothing" [ "$(sqlite3 "$SB/refbot.db" .dump | md5sum)" = "$before" ]

# --- a partner's own address is refused ---------------------------------
at 0 forget partner1@example.test >/dev/null 2>"$SB/err"
check "a partner's own address is refused (65)" [ $? = 65 ]
check "... saying why" grep -q "address of partner 1" "$SB/err"
check "... and nothing changed" [ "$(sqlite3 "$SB/refbot.db" .dump | md5sum)" = "$before" ]
at 0 forget "forgetme" >/dev/null 2>&1
check "a part of an address is refused (64)" [ $? = 64 ]

# --- forget ---------------------------------------------------------------
out=$(at 0 forget "$GONE")
check "forget succeeds" [ $? = 0 ]
diag "$out"
check "... and prints the rows it changed per table" \
	bash -c 'grep -q "^erased" <<<"$0" && grep -Eq "^  referrals +1$" <<<"$0" && grep -q "WAL emptied" <<<"$0"' "$out"
check "no trace of the address in the database file or its WAL (strings)" [ "$(traces "$GONE" "$NEAR")" = 0 ]
check "... nor of the person's name" [ "$(traces "Hanako Forgetme")" = 0 ]
check "its referral is kept, anonymised" \
	[ "$(sql "select status, client, contact_name, coalesce(contact_email, '-') from referrals where id = 1")" = "NEW|[anonymised]|[anonymised]|-" ]
check "... every field replaced" [ "$(sql "select count(*) from referral_fields where referral_id = 1 and value <> '[anonymised]'")" = 0 ]
check "another person's longer address is kept" [ "$(traces "$NEAR")" -gt 0 ]
check "other referrals are untouched" \
	[ "$(sql "select client from referrals where id = 2")" = "Keep Going KK" ]
out=$(at 0 forget "$GONE")
check "forgetting again changes nothing" grep -q ": 0 rows" <<<"$out"

# --- the daily policy ------------------------------------------------------
report() { at 0 report --from 2020-01-01 --to 2040-01-01 --format json; }
raw() { sql "select count(*) from raw_mail where length(raw) > 0"; }
raw0=$(raw)
# A stored file (issue 19 item 2) of the oldest message, to go with it.
sql "insert into attachments (message_row, name, type, size, data)
	select id, 'brief.pdf', 'application/pdf', 9, X'2550444621464f4f21'
	from raw_mail where length(raw) > 0 order by id limit 1"
check "raw mail is in the file before (its Received: headers)" [ "$(traces "Received: from")" -gt 0 ]
at 10 run --once 2>>"$SB/run.log"
check "after 10 days raw mail is kept" [ "$(raw)" = "$raw0" ]
check "... and the day is recorded" [ "$(sql "select value from settings where key = 'retention.day'")" = "$(date -u -d @$((now + BASE + 10 * 86400)) +%F)" ]
at 40 run --once 2>>"$SB/run.log"
check "after keep_raw_mail_days (30) raw mail is purged" [ "$(raw)" = 0 ]
check "... and the files stored with it" \
	[ "$(sql "select count(*) from attachments where data is not null")" = 0 ]
check "... its rows kept, with their disposition" \
	[ "$(sql "select count(*) from messages where purged_at is not null and disposition <> 'pending'")" -ge 4 ]
check "... and the bodies of mail sent before then" \
	[ "$(sql "select count(*) from outbox where sent_at < $((now + BASE + 10 * 86400)) and length(data) > 0")/$(sql "select count(*) > 0 from outbox where purged_at is not null")" = 0/1 ]
check "... the raw mail is no longer in the file (its Received: headers)" [ "$(traces "Received: from")" = 0 ]
check "closed referrals are not anonymised before anonymise_closed_after_days" \
	[ "$(sql "select client from referrals where id = 2")" = "Keep Going KK" ]
# Once a day: a message made old after today's pass waits for tomorrow's.
refer "Late KK" "Shiro Late" "late.person@client-five.example"
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 30 >/dev/null
at 40 run --once 2>>"$SB/run.log"
sql "update messages set received_at = received_at - 60 * 86400 where id in (select id from raw_mail where length(raw) > 0)"
at 40 run --once 2>>"$SB/run.log"
check "the policy runs once a day (not again on a restart)" [ "$(raw)" = 1 ]
at 41 run --once 2>>"$SB/run.log"
check "... and the next day it does" [ "$(raw)" = 0 ]

report >"$SB/report.before"
at 100 run --once 2>>"$SB/run.log"
check "after anonymise_closed_after_days the closed referrals are anonymised" \
	[ "$(sql "select group_concat(client || '/' || contact_name, ',') from referrals where id in (2, 3)")" = "[anonymised]/[anonymised],[anonymised]/[anonymised]" ]
check "... their fields and notes replaced" \
	[ "$(sql "select (select count(*) from referral_fields where referral_id in (2, 3) and value <> '[anonymised]') + (select count(*) from history where referral_id in (2, 3) and detail like '%Jiro%')")" = 0 ]
check "... no trace of their contacts in the file" [ "$(traces "$KEEP")$(traces "$LOST")" = 00 ]
check "... their states and amounts kept" \
	[ "$(sql "select group_concat(status || ':' || coalesce(won_amount, ''), ',') from referrals where id in (2, 3)")" = "WON:1200000,LOST:" ]
check "the open referral is not anonymised" [ "$(sql "select client from referrals where id = 4")" = "Still Open KK" ]
report >"$SB/report.after"
check "refbot report's numbers are unchanged" cmp -s "$SB/report.before" "$SB/report.after"
check "... and they are real numbers (1 won, 1,200,000)" \
	[ "$(pyjson 'j["overall"]["won"], j["overall"]["revenue"]' <"$SB/report.after")" = "1 1200000" ]

# A referral reopened after it was anonymised is anonymised again.
at 100 referral set-status REF-000003 REOPEN >/dev/null
at 100 referral set-status REF-000003 LOST --note "Jiro went elsewhere" >/dev/null
at 150 run --once 2>>"$SB/run.log"
check "a closed referral's later notes are kept for anonymise_closed_after_days" \
	[ "$(sql "select count(*) from history where referral_id = 3 and detail like '%Jiro%'")" = 1 ]
at 200 run --once 2>>"$SB/run.log"
check "... and replaced once it has been closed that long again" \
	[ "$(sql "select count(*) from history where referral_id = 3 and detail like '%Jiro%'")" = 0 ]

finish
