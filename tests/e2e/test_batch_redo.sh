#!/bin/bash
# A batch's messages are decided in one transaction with no savepoint
# each (issue 21: a savepoint copied every page a message changed).  When
# one of them fails after its work was done (the test-only fault point
# REFBOT_FAULT=fail-decide:TEXT, as a database error would), the batch's
# work is undone and decided again, each message on its own: the one that
# failed leaves nothing behind and waits in the mailbox, every other one
# is kept once, and nothing is queued twice.  The next pass takes the one
# left over.
. "$(dirname "$0")/lib.sh"

fault_injection_needed
sandbox_start

N=12
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
q() { sqlite3 "$SB/refbot.db" "$1"; }

batch_save "$N" br "4=Referral FAIL-ME" "9=Referral FAIL-ME"
REFBOT_FAULT="fail-decide:FAIL-ME" "$REFBOT" --config "$CONF" run --once \
	2>"$SB/run.log"
rc=$?
good=$((N - 2))
check "one pass leaves two for later (exit $rc: 75)" [ "$rc" = 75 ]
check "the batch was decided again, each message on its own" \
	grep -q "deciding them again, each on its own" "$SB/run.log"
check "$good referrals, none from the two that failed" \
	[ "$(q "select count(*) || '/' || sum(client in ('Client 4 KK', 'Client 9 KK')) from referrals")" = "$good/0" ]
check "one acknowledgement queued per referral, none twice" \
	[ "$(q "select count(*) || '/' || count(distinct referral_id) from outbox where kind = 'ack'")" = "$good/$good" ]
check "the two wait, pending, in the intake mailbox; the rest filed" \
	[ "$(q "select group_concat(uid) from (select uid from messages where disposition = 'pending' order by uid)")/$(mt count --user intake)/$(mt count --user intake --mailbox Processed)" = "5,10/2/$good" ]

"$REFBOT" --config "$CONF" run --once 2>"$SB/run2.log"
rc=$?
check "the next pass (exit $rc) takes them: $N referrals, one ack each" \
	[ "$rc/$(q "select count(*) from referrals")/$(q "select count(*) || '/' || count(distinct referral_id) from outbox where kind = 'ack'")" = "0/$N/$N/$N" ]
check "the intake mailbox is empty" [ "$(mt count --user intake)" = 0 ]

finish
