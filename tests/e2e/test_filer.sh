#!/bin/bash
# A backlog is filed in few, large MOVEs (issue 21): the server's work on
# a MOVE grows with the mailbox, not with the messages moved, so the
# filer thread moves FILER_MAX (500) at a time, not each batch of 50.
# 1,200 messages, three of which crash the parser (the test-only fault
# point, REFBOT_FAULT=crash-parser:TEXT) and go to Rejected: every
# message is filed in its folder and recorded as moved in one pass, with
# at most three MOVEs to Processed (500, 500, the rest) and UID sets
# with holes where the rejected ones were.  Then 600 more, one of which
# fails its decision (REFBOT_FAULT=fail-decide:TEXT) and is left for
# later, so that the batches handed over are not all of 50: the pass
# still ends (the filer once waited for 500 while the main loop waited
# for room, for good), and the next pass takes the one left.
. "$(dirname "$0")/lib.sh"

fault_injection_needed
sandbox_start

N=1200
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
q() { sqlite3 "$SB/refbot.db" "$1"; }

BATCH_MAILDIR=1 batch_save "$N" fl "7=Referral 7 CRASH-ME" \
	"8=Referral 8 CRASH-ME" "640=Referral 640 CRASH-ME"
check "$N messages wait in the intake mailbox" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = "$N" ]

REFBOT_FAULT="crash-parser:CRASH-ME" "$REFBOT" --config "$CONF" -v \
	run --once 2>"$SB/run.log"
rc=$?
check "one pass handles the backlog (exit $rc)" [ "$rc" = 0 ]
check "every message is stored once and decided" \
	[ "$(q "select count(*) || '/' || count(distinct uid) || '/' || sum(disposition = 'pending') from messages")" = "$N/$N/0" ]
check "every message is recorded as moved" \
	[ "$(q "select sum(moved) from messages")" = "$N" ]
check "the INBOX is empty: $((N - 3)) in Processed, 3 in Rejected" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake)/$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Processed)/$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Rejected)" = "0/$((N - 3))/3" ]
moves=$(grep -c "moved [0-9]* messages to Processed" "$SB/run.log")
diag "MOVEs to Processed: $moves ($(grep -o "moved [0-9]* messages to Processed" "$SB/run.log" | awk '{ print $2 }' | paste -sd ' '))"
check "the backlog went to Processed in at most three MOVEs" \
	test "$moves" -ge 1 -a "$moves" -le 3
rejected=$(grep -o "moved [0-9]* messages to Rejected" "$SB/run.log" | awk '{ n += $2; m++ } END { print n "/" m }')
diag "to Rejected (messages/MOVEs): $rejected"
check "the three rejected in at most three MOVEs" \
	test "${rejected%/*}" = 3 -a "${rejected#*/}" -le 3

# Batches of 49 (one left for later in the first): 49, 98, ... 490 held.
M=600
BATCH_MAILDIR=1 BATCH_CLIENT=Other batch_save "$M" fm \
	"20=Referral 20 FAIL-ME"
REFBOT_FAULT="fail-decide:FAIL-ME" timeout -k 10 120 "$REFBOT" --config "$CONF" -v \
	run --once 2>"$SB/run2.log"
rc=$?
check "a backlog with one left for later ends (exit $rc: 75, some left; 124: it hung)" \
	[ "$rc" = 75 ]
check "all but the one left for later are filed" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake)/$(q "select count(*) from messages where moved = 0")" = "1/1" ]
rb run --once 2>"$SB/run3.log"
rc=$?
check "the next pass takes it (exit $rc)" \
	[ "$rc/$("$MAILTOOL" count --env "$SB/env" --user intake)/$(q "select count(*) from messages where moved = 0 or disposition = 'pending'")" = "0/0/0" ]

finish
