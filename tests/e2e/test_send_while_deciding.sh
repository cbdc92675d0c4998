#!/bin/bash
# Replies go out while a batch is decided (issue 21): the sender thread
# reads the committed outbox beside the main loop and hands what it sent
# to the main loop, the one writer, so a slow batch holds up no mail the
# batch before it queued.  Deciding the second batch of a backlog is made
# slow (the test-only fault point REFBOT_FAULT=slow-decide:N:TEXT): the
# first batch's acknowledgements reach the partner meanwhile.  Then a pass
# is killed (SIGKILL) while the slow batch is decided: the mail sent and
# not yet recorded is in the sent journal, and the next pass records it
# rather than sending it again.
. "$(dirname "$0")/lib.sh"

fault_injection_needed
sandbox_start

N=60
SLOW=12
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null

# One fetch batch is 50: message 50 opens the second.
batch_save "$N" sd "50=Referral SLOW-ME-50"
REFBOT_FAULT="slow-decide:$SLOW:SLOW-ME" "$REFBOT" --config "$CONF" run --once \
	2>"$SB/run.log" &
pid=$!
log_wait "$SB/run.log" "deciding slowly" 150 0.2
check "the second batch is being decided slowly" grep -q "deciding slowly" "$SB/run.log"
"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 50 --timeout $((SLOW - 4)) >/dev/null
got=$("$MAILTOOL" count --env "$SB/env" --user partner1)
over=$(grep -c "deciding on" "$SB/run.log")
diag "the partner had $got mails when the slow decision was over: $over"
check "the first batch's 50 acknowledgements arrive while the second is decided" \
	[ "$got/$over" = "50/0" ]
wait "$pid"
rc=$?
check "the pass ends well (exit $rc)" [ "$rc" = 0 ]
check "every acknowledgement is recorded sent once" \
	[ "$(sql "select count(*) || '/' || count(distinct referral_id) || '/' || sum(status = 'sent') || '/' || sum(attempts) from outbox where kind = 'ack'")" = "$N/$N/$N/$N" ]
check "the sent journal is empty" [ ! -s "$SB/refbot.db.sent-journal" ]

# Killed while the slow batch is decided: what the sender sent meanwhile
# is only in the journal, and is not sent again.
BATCH_CLIENT=Other batch_save 60 sk "50=Referral SLOW-ME-K50"
REFBOT_FAULT="slow-decide:60:SLOW-ME-K" "$REFBOT" --config "$CONF" run --once \
	2>"$SB/kill.log" &
pid=$!
"$MAILTOOL" wait --env "$SB/env" --user partner1 --count $((N + 50)) --timeout 40 >/dev/null
kill -KILL "$pid"
wait "$pid" 2>/dev/null
journal=$(wc -l <"$SB/refbot.db.sent-journal")
diag "killed with $journal mails in the sent journal"
check "the kill left mail sent and unrecorded in the journal" [ "$journal" -gt 0 ]
"$REFBOT" --config "$CONF" run --once 2>>"$SB/kill.log"
rc=$?
check "the next pass ends well (exit $rc)" [ "$rc" = 0 ]
check "it recorded the journal's mail" grep -q "recorded from the sent journal" "$SB/kill.log"
total=$((N + 60))
check "every acknowledgement of both backlogs is recorded sent once" \
	[ "$(sql "select count(*) || '/' || sum(status = 'sent') || '/' || sum(attempts) from outbox where kind = 'ack'")" = "$total/$total/$total" ]
"$MAILTOOL" wait --env "$SB/env" --user partner1 --count "$total" --timeout 60 >/dev/null
sleep 2
box=$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json)
check "the partner got $total acknowledgements, nothing twice" \
	[ "$(echo "$box" | pyjson 'str(len(j)) + "/" + str(len(set(m["headers"]["Subject"] for m in j)))')" = "$total/$total" ]

finish
