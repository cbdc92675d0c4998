#!/bin/bash
# A backlog read in batches (issue 21): the parser child is sent the
# next message while the bot decides the current one, and a thread on a
# second IMAP connection files each batch while the next is fetched.
# Three messages crash the parser (the test-only fault point,
# REFBOT_FAULT=crash-parser:TEXT), two of them one after the other: each
# crash is laid at its own message (unreadable, the partner told), every
# other referral is read from its own message, and all are filed and
# recorded as moved in one pass.
. "$(dirname "$0")/lib.sh"

fault_injection_needed
sandbox_start

N=120
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
q() { sqlite3 "$SB/refbot.db" "$1"; }

batch_save "$N" pb "5=Referral CRASH-ME-5" "6=Referral CRASH-ME-6" \
	"70=Referral CRASH-ME-70"
check "$N messages wait in the intake mailbox" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = "$N" ]

REFBOT_FAULT="crash-parser:CRASH-ME" "$REFBOT" --config "$CONF" run --once \
	2>"$SB/run.log"
rc=$?
check "one pass handles the backlog (exit $rc)" [ "$rc" = 0 ]
check "every message is stored once, none pending" \
	[ "$(q "select count(*) || '/' || count(distinct uid) || '/' || sum(disposition = 'pending') from messages")" = "$N/$N/0" ]
check "the three crashes are laid at their own messages" \
	[ "$(q "select group_concat(message_id) from (select message_id from messages where disposition = 'unreadable' and detail like '%crashed%' order by message_id)")" = "pb-5@partner.example,pb-6@partner.example,pb-70@partner.example" ]
good=$((N - 3))
check "$good referrals, each read from its own message" \
	[ "$(q "select count(*) || '/' || sum(instr(w.raw, 'Client: ' || r.client) > 0) from referrals r join messages m on m.referral_id = r.id join raw_mail w on w.id = m.id")" = "$good/$good" ]
check "one acknowledgement queued per referral" \
	[ "$(q "select count(*) || '/' || count(distinct referral_id) from outbox where kind = 'ack'")" = "$good/$good" ]
check "every message is recorded as moved" \
	[ "$(q "select sum(moved) from messages")" = "$N" ]
check "the INBOX is empty: $good in Processed, 3 in Rejected" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake)/$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Processed)/$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Rejected)" = "0/$good/3" ]

# The second batch of 50 is left for later before it is decided (its
# attempts cannot be counted: REFBOT_FAULT=fail-attempts:TEXT), after the
# parser was told about its messages as they were stored: the third is
# still read from its own messages, and the next pass takes the second.
M=150
BATCH_CLIENT=Other batch_save "$M" pf "60=Referral FAIL-ATT"
REFBOT_FAULT="fail-attempts:FAIL-ATT" "$REFBOT" --config "$CONF" run --once \
	2>"$SB/run2.log"
rc=$?
check "a pass with a batch left undecided says some are left (exit $rc)" \
	[ "$rc" = 75 ]
mine="m.id > $N"	# rows in the order stored: batches of 50
check "the first and third batches are decided, the second pending" \
	[ "$(q "select sum(disposition = 'pending') || '/' || sum(disposition = 'pending' and m.id between $N + 51 and $N + 100) || '/' || count(*) from messages m where $mine")" = "50/50/$M" ]
check "100 referrals, each read from its own message" \
	[ "$(q "select count(*) || '/' || sum(instr(w.raw, 'Client: ' || r.client) > 0) from referrals r join messages m on m.referral_id = r.id join raw_mail w on w.id = m.id where $mine")" = "100/100" ]
"$REFBOT" --config "$CONF" run --once 2>>"$SB/run2.log"
rc=$?
check "the next pass decides the second batch (exit $rc)" \
	[ "$rc/$(q "select count(*) || '/' || sum(instr(w.raw, 'Client: ' || r.client) > 0) from referrals r join messages m on m.referral_id = r.id join raw_mail w on w.id = m.id where $mine")" = "0/$M/$M" ]

finish
