#!/bin/bash
# The outbox under SMTP trouble (issue 5, PRODUCT.md "Guarantees"): mail is
# queued in the same transaction as the referral, a temporary failure
# (nothing listening; a 4xx from smtp-sink) leaves it pending with the
# reason and a retry time, a permanent one (5xx at the final dot) marks it
# failed with the server's reply, and once the server is back every
# acknowledgement arrives exactly once, under one Message-ID.
#
# Retries are scheduled a minute or more ahead; the test does not wait for
# that but makes a row due now with "refbot outbox retry ID".
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null

SINK_PID=""
stop_sink() {
	[ -n "$SINK_PID" ] || return 0
	kill -TERM "$SINK_PID" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$SINK_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$SINK_PID" 2>/dev/null
	wait "$SINK_PID" 2>/dev/null
	SINK_PID=""
}
# lib.sh's EXIT trap stops the sandbox; stop our smtp-sink first.
trap 'rc=$?; stop_sink; (exit $rc); sandbox_cleanup' EXIT

port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }
waitport() {
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# start_sink ARGS...: smtp-sink on the sandbox's spare port with fault flags.
start_sink() {
	mkdir -p "$SB/sink"
	chown nobody:nogroup "$SB/sink"
	port_free "$SINK_PORT" || { diag "port $SINK_PORT is taken"; return 1; }
	smtp-sink -u nobody -a -h sink.example.test -d "$SB/sink/%Y%m%d%H%M%S." \
		"$@" "127.0.0.1:$SINK_PORT" 64 >>"$SB/sink.log" 2>&1 &
	SINK_PID=$!
	waitport "$SINK_PORT"
}

# variant NAME SED-EXPR...: a copy of the working config with changes.
variant() {
	local name=$1
	shift
	sed "$@" "$CONF" >"$SB/$name.conf"
	echo "$SB/$name.conf"
}
DOWN=$(variant down -e "s|^smtp_url = .*|smtp_url = smtp://127.0.0.1:$SINK_PORT|")
SINKCONF=$(variant sink -e "s|^smtp_url = .*|smtp_url = smtp://127.0.0.1:$SINK_PORT|" \
	-e "s|^smtp_tls = .*|smtp_tls = none|")

# send_referral FROM CLIENT ID: a complete referral with its own client and
# Message-ID, through the sandbox's SMTP into the intake mailbox.
send_referral() {
	sed -e "s/^From: .*/From: $1@example.test/" \
		-e "s/^Client: .*/Client: $2/" \
		-e "s/^Subject: .*/Subject: Referral: $2/" \
		-e "s/^Message-ID: .*/Message-ID: <$3@partner.example>/" \
		-e "s/^Contact email: .*/Contact email: jane.smith@$3.example/" \
		"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/$3.eml"
	"$MAILTOOL" send --env "$SB/env" --from "$1" --to intake --eml "$SB/$3.eml" >/dev/null &&
		"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
}

# newest_row RCPT: the id of the newest outbox row addressed to RCPT.
# field ID NAME: one field of an outbox row, from "outbox list --format json".
outbox_json() { rb outbox list --format json; }
newest_row() {
	outbox_json | pyjson "[m for m in j if m['rcpt']=='$1'][-1]['id'] if [m for m in j if m['rcpt']=='$1'] else ''"
}
field() {
	outbox_json | pyjson "next((str(m['$2']) for m in j if m['id']==$1), 'NO-ROW')"
}
count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
due_in() { sqlite3 "$SB/refbot.db" "select next_attempt_at - strftime('%s','now') from outbox where id = $1"; }

# retry_now ID: "refbot outbox retry ID" makes a row due now.
retry_now() {
	local out rc
	out=$(rb outbox retry "$1" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] || diag "refbot outbox retry $1: exit $rc: $out"
	return "$rc"
}

# ------------------------------------------------------------------------
# (a) SMTP down: nothing listens on the configured port.
port_free "$SINK_PORT" || diag "warning: port $SINK_PORT is not free"
send_referral partner1 "Alpha Down KK" alpha
t0=$EPOCHREALTIME
"$REFBOT" --config "$DOWN" run --once 2>"$SB/run-down.log"
rc=$?
diag "SMTP down: run --once exited $rc in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}') s"
check "SMTP down: run --once exits 0 or 75, no crash (got $rc)" [ "$rc" -eq 0 -o "$rc" -eq 75 ]
check "SMTP down: the referral is stored anyway" \
	[ "$(rb referral list --format json | pyjson '[r["client"] for r in j]')" = "['Alpha Down KK']" ]
check "SMTP down: the message is filed in Processed" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Processed)" = 1 ]
A=$(newest_row partner1@example.test)
check "SMTP down: an outbox row for the ack to partner1 exists" [ -n "$A" ]
A=${A:-0}
check "SMTP down: the ack is pending" [ "$(field "$A" status)" = pending ]
check "SMTP down: the ack had 1 attempt (got $(field "$A" attempts))" [ "$(field "$A" attempts)" = 1 ]
err=$(field "$A" last_error)
diag "SMTP down: last_error: $err"
check "SMTP down: last_error says why" [ -n "$err" -a "$err" != None ]
d=$(due_in "$A")
diag "SMTP down: next attempt in ${d}s"
check "SMTP down: the retry is scheduled ahead (backoff), not now" [ "${d:-0}" -ge 30 ]
check "SMTP down: the run logs the deferral" grep -qi "retry" "$SB/run-down.log"
check "SMTP down: partner1 has nothing yet" [ "$(count partner1)" = 0 ]
ackid_a=$(field "$A" message_id)

# Back: the real Postfix again.  The staff notices (never tried) go out;
# the ack is made due now and goes out exactly once.
check "SMTP down: refbot outbox retry ID succeeds" retry_now "$A"
check "SMTP down: after retry the row is pending (got $(field "$A" status))" [ "$(field "$A" status)" = pending ]
rb run --once 2>"$SB/run-back.log"
rc=$?
check "SMTP back: run --once exits 0 (got $rc)" [ "$rc" -eq 0 ]
"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 1 --timeout 10 >/dev/null
rb run --once 2>>"$SB/run-back.log"
sleep 1
check "SMTP back: the ack arrives exactly once (got $(count partner1))" [ "$(count partner1)" = 1 ]
check "SMTP back: the ack row is sent" [ "$(field "$A" status)" = sent ]
got=$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json | pyjson 'j[0]["headers"]["Message-ID"] if j else ""')
check "SMTP back: the ack keeps the Message-ID it was queued with" [ "$got" = "<$ackid_a>" -o "$got" = "$ackid_a" ]
check "SMTP back: each staff member got one notice" \
	[ "$(count staff1)/$(count staff2)" = 1/1 ]

# ------------------------------------------------------------------------
# (b) 4xx to RCPT: pending with the server's text; still pending after a
# further 4xx; delivered once when the server accepts again.
start_sink -r RCPT -b '451 4.3.0 refbot-test try again later'
check "4xx: smtp-sink is up" kill -0 "$SINK_PID"
send_referral partner2 "Beta Soft KK" beta
"$REFBOT" --config "$SINKCONF" run --once 2>"$SB/run-4xx.log"
rc=$?
diag "4xx: run --once exited $rc"
check "4xx: run --once exits 0 or 75 (got $rc)" [ "$rc" -eq 0 -o "$rc" -eq 75 ]
B=$(newest_row partner2@example.test)
check "4xx: an outbox row for the ack to partner2 exists" [ -n "$B" ]
B=${B:-0}
check "4xx: the ack is pending (got $(field "$B" status))" [ "$(field "$B" status)" = pending ]
check "4xx: 1 attempt (got $(field "$B" attempts))" [ "$(field "$B" attempts)" = 1 ]
err=$(field "$B" last_error)
diag "4xx: last_error: $err"
check "4xx: last_error carries the server's 4xx reply" grep -qF "451 4.3.0 refbot-test try again later" <<<"$err"
d=$(due_in "$B")
diag "4xx: next attempt in ${d}s"
check "4xx: the retry is scheduled ahead (backoff)" [ "${d:-0}" -ge 30 ]
# Two more passes against the 4xx server, without retry: whatever the
# drain order, every row of referral 2 has then been tried once and is
# waiting for its backoff.
"$REFBOT" --config "$SINKCONF" run --once 2>>"$SB/run-4xx.log"
"$REFBOT" --config "$SINKCONF" run --once 2>>"$SB/run-4xx.log"
diag "4xx: rows of referral 2 (id status attempts): $(outbox_json | pyjson "' | '.join('%d %s %d' % (m['id'], m['status'], m['attempts']) for m in j if m['referral_id']==$(field "$B" referral_id))")"
check "4xx: every mail of referral 2 is pending" \
	[ "$(outbox_json | pyjson "all(m['status']=='pending' for m in j if m['referral_id']==$(field "$B" referral_id))")" = True ]
check "4xx: every mail of referral 2 was tried once" \
	[ "$(outbox_json | pyjson "sorted(set(m['attempts'] for m in j if m['referral_id']==$(field "$B" referral_id)))")" = "[1]" ]
check "4xx: repeated passes do not retry before the backoff (ack still 1 attempt)" [ "$(field "$B" attempts)" = 1 ]
retry_now "$B"
"$REFBOT" --config "$SINKCONF" run --once 2>>"$SB/run-4xx.log"
check "4xx again: still pending (got $(field "$B" status))" [ "$(field "$B" status)" = pending ]
check "4xx again: 2 attempts (got $(field "$B" attempts))" [ "$(field "$B" attempts)" = 2 ]
d2=$(due_in "$B")
diag "4xx again: next attempt in ${d2}s"
check "4xx again: the backoff grew (${d}s, then ${d2}s)" [ "${d2:-0}" -gt "${d:-0}" ]
check "4xx: nothing was accepted by smtp-sink" [ -z "$(ls -A "$SB/sink")" ]
stop_sink

# Server fine again: make every mail of referral 2 due now.
ok2=1
for id in $(outbox_json | pyjson "' '.join(str(m['id']) for m in j if m['referral_id']==$(field "$B" referral_id))"); do
	retry_now "$id" || ok2=0
done
check "4xx, server fine again: refbot outbox retry ID succeeds for each" [ "$ok2" = 1 ]
rb run --once 2>>"$SB/run-4xx.log"
"$MAILTOOL" wait --env "$SB/env" --user partner2 --count 1 --timeout 10 >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user staff1 --count 2 --timeout 10 >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user staff2 --count 2 --timeout 10 >/dev/null
rb run --once 2>>"$SB/run-4xx.log"
sleep 1
check "4xx, server fine again: the ack arrives exactly once (got $(count partner2))" [ "$(count partner2)" = 1 ]
check "4xx, server fine again: the row is sent" [ "$(field "$B" status)" = sent ]
check "4xx, server fine again: one notice per staff member (got $(count staff1)/$(count staff2) in all)" \
	[ "$(count staff1)/$(count staff2)" = 2/2 ]

# ------------------------------------------------------------------------
# (c) 5xx at the final dot: failed, with the server's reply, shown by
# "outbox list --status failed"; never sent later.
start_sink -f . -B '554 5.7.1 refbot-test message refused'
check "5xx: smtp-sink is up" kill -0 "$SINK_PID"
send_referral partner1 "Gamma Hard KK" gamma
"$REFBOT" --config "$SINKCONF" run --once 2>"$SB/run-5xx.log"
rc=$?
diag "5xx: run --once exited $rc"
check "5xx: run --once exits 0 or 75 (got $rc)" [ "$rc" -eq 0 -o "$rc" -eq 75 ]
C=$(newest_row partner1@example.test)
check "5xx: a new outbox row for the ack to partner1 exists" [ -n "$C" -a "$C" != "$A" ]
C=${C:-0}
check "5xx: the ack is failed (got $(field "$C" status))" [ "$(field "$C" status)" = failed ]
err=$(field "$C" last_error)
diag "5xx: last_error: $err"
check "5xx: last_error carries the server's 5xx reply" grep -qF "554 5.7.1 refbot-test message refused" <<<"$err"
failed=$(rb outbox list --status failed --format json)
check "5xx: outbox list --status failed shows it" \
	[ "$(echo "$failed" | pyjson "any(m['id']==$C and m['status']=='failed' for m in j)")" = True ]
check "5xx: outbox list --status failed shows only failed rows" \
	[ "$(echo "$failed" | pyjson "all(m['status']=='failed' for m in j)")" = True ]
check "5xx: the text listing shows the reply code too" \
	grep -q "554" <<<"$(rb outbox list --status failed)"
check "5xx: the run logs the permanent failure with the reply code" grep -q "554" "$SB/run-5xx.log"
stop_sink

rb run --once 2>>"$SB/run-5xx.log"
sleep 1
check "5xx: a failed row is not sent by a later run" [ "$(field "$C" status)" = failed ]
check "5xx: partner1 still has exactly the one earlier ack" [ "$(count partner1)" = 1 ]
check "every message has a disposition" \
	[ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where disposition = 'pending'")" = 0 ]

if [ "$T_FAILED" -gt 0 ]; then
	for f in down back 4xx 5xx; do
		diag "--- run-$f.log"
		sed 's/^/#   /' "$SB/run-$f.log"
	done
fi
finish
