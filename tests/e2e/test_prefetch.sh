#!/bin/bash
# A backlog is fetched two batches ahead (issue 21): a thread on the main
# IMAP connection fetches the next two batches while the bot decides the
# current one, and no more.  Shown by the order of events, not by time:
# deciding the last message of the first batch is made slow (the
# test-only fault point, REFBOT_FAULT=slow-subject:TEXT), and the second
# and third batches' fetches are logged (-v) before that message's
# decision, the fourth's after it.  Then the connections
# are killed (doveadm kick) while the thread is ahead: the pass ends
# with the server gone, and the next pass handles the rest; every
# message ends with one disposition and one acknowledgement, none twice,
# and is filed.
. "$(dirname "$0")/lib.sh"

fault_injection_needed
sandbox_start

N=170
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
q() { sqlite3 "$SB/refbot.db" "$1"; }
line() { grep -n -m 1 -e "$2" "$1" | cut -d: -f1; }
# before A B: log line A came before log line B (both found).
before() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -lt "$2" ]; }

# uids 1-50 are the first batch; uid 50 (message 50) is its last.
batch_save "$N" pf "49=Referral SLOW-49"
REFBOT_FAULT="slow-subject:SLOW" "$REFBOT" --config "$CONF" -v run --once \
	2>"$SB/run1.log"
rc=$?
check "one pass handles the backlog (exit $rc)" [ "$rc" = 0 ]
slow=$(line "$SB/run1.log" "deciding slowly on purpose")
decided=$(line "$SB/run1.log" "message 50: .* replies queued")
second=$(line "$SB/run1.log" "fetched uids 51 to 100: 50 messages")
third=$(line "$SB/run1.log" "fetched uids 101 to 150: 50 messages")
fourth=$(line "$SB/run1.log" "fetched uids 151 to 170: 20 messages")
diag "log lines: slow decision $slow, its end $decided, batches 2-4 fetched $second, $third, $fourth"
check "the first batch's last message is decided slowly" \
	before "$slow" "$decided"
check "the second batch was fetched before the first one's last message was decided" \
	before "$second" "$decided"
check "so was the third" before "$third" "$decided"
check "the fourth waited for the first batch to be done (two ahead, no more)" \
	before "$decided" "$fourth"
check "every message is stored once and decided, one acknowledgement each" \
	[ "$(q "select count(*) || '/' || count(distinct uid) || '/' || sum(disposition = 'referral') || '/' || sum(moved) from messages")/$(q "select count(distinct referral_id) from outbox where kind = 'ack'")" = "$N/$N/$N/$N/$N" ]
check "the INBOX is empty" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 0 ]

# The connections killed while the thread holds batches ahead: what was
# not decided stays on the server for the next pass.
# A fresh database (the same clients again would be duplicates).
M=200
mv "$SB/refbot.db" "$SB/run1.db"
rm -f "$SB/refbot.db-wal" "$SB/refbot.db-shm"
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
batch_save "$M" pk "49=Referral SLOW-K"
REFBOT_FAULT="slow-subject:SLOW-K" "$REFBOT" --config "$CONF" -v run --once \
	2>"$SB/run2.log" &
pid=$!
for i in $(seq 200); do
	grep -q "deciding slowly" "$SB/run2.log" &&
		grep -q "fetched uids $((N + 51)) to" "$SB/run2.log" && break
	sleep 0.1
done
doveadm -c "$DOVECOT_CONF" kick intake >/dev/null
wait "$pid"
rc=$?
left=$("$MAILTOOL" count --env "$SB/env" --user intake)
diag "pass 1: exit $rc, $left of $M left in the INBOX, $(q "select count(*) from messages where disposition <> 'pending'") decided"
check "the pass ends without the server (exit $rc)" [ "$rc" = 69 ]
check "messages are left on the server for the next pass" [ "$left" -gt 0 ]
rb run --once 2>"$SB/run3.log"
rc=$?
check "the next pass handles the rest (exit $rc)" [ "$rc" = 0 ]
check "every message is stored once and decided, none pending" \
	[ "$(q "select count(*) || '/' || count(distinct uid) || '/' || sum(disposition = 'referral') || '/' || sum(moved) from messages")" = "$M/$M/$M/$M" ]
check "one acknowledgement per referral, none twice" \
	[ "$(q "select count(*) || '/' || count(distinct referral_id) from outbox where kind = 'ack'")" = "$M/$M" ]
diag "INBOX/Processed: $("$MAILTOOL" count --env "$SB/env" --user intake)/$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Processed)"
check "the INBOX is empty, all in Processed (with the first backlog)" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake)/$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Processed)" = "0/$((N + M))" ]

finish
