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
	[ "$(q "select count(*) || '/' || sum(instr(m.raw, 'Client: ' || r.client) > 0) from referrals r join messages m on m.referral_id = r.id")" = "$good/$good" ]
check "one acknowledgement queued per referral" \
	[ "$(q "select count(*) || '/' || count(distinct referral_id) from outbox where kind = 'ack'")" = "$good/$good" ]
check "every message is recorded as moved" \
	[ "$(q "select sum(moved) from messages")" = "$N" ]
check "the INBOX is empty: $good in Processed, 3 in Rejected" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake)/$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Processed)/$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Rejected)" = "0/$good/3" ]

finish
