#!/bin/bash
# A backlog is filed in few, large MOVEs (issue 21): the server's work on
# a MOVE grows with the mailbox, not with the messages moved, so the
# filer thread moves FILER_MAX (500) at a time, not each batch of 50.
# 1,200 messages, three of which crash the parser (the test-only fault
# point, REFBOT_FAULT=crash-parser:TEXT) and go to Rejected: every
# message is filed in its folder and recorded as moved in one pass, with
# at most three MOVEs to Processed (500, 500, the rest) and UID sets
# with holes where the rejected ones were.
. "$(dirname "$0")/lib.sh"

fault_injection_needed
sandbox_start

N=1200
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
q() { sqlite3 "$SB/refbot.db" "$1"; }

# Straight into the Maildir: doveadm save would take a minute for 1,200.
doveadm -c "$DOVECOT_CONF" mailbox status -u intake messages INBOX >/dev/null
md="$SB/mail/intake/Maildir"
for i in $(seq 0 $((N - 1))); do
	subject="Referral $i"
	case $i in 7|8|640) subject="Referral CRASH-ME-$i" ;; esac
	f="$md/tmp/$((1700000000 + i)).M${i}P$$.filer"
	printf '%s\n' "From: partner1@example.test" "To: intake@example.test" \
		"Subject: $subject" "Message-ID: <fl-$i@partner.example>" \
		"Date: Fri, 27 Nov 2026 10:00:00 +0900" "" \
		"Client: Client $i KK" "Contact name: Person $i" \
		"Contact email: person$i@client$i.example" \
		"Service needed: Audit" "Challenge: Case $i" \
		"Client aware: yes" >"$f"
	chown nobody:nogroup "$f"
	mv "$f" "$md/new/"
done
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

finish
