#!/bin/bash
# A hang anywhere is survived (issue 14, item 9).  There is no systemd in
# the sandbox, so tests/e2e/fake-systemd plays its part as refbot.service
# sets it up (Type=notify, NotifyAccess=main, WatchdogSec=, SIGABRT on a
# missed ping, Restart=on-failure), with a 5 s watchdog:
#  - a healthy daemon says READY=1 and what it is doing (STATUS=), and
#    keeps pinging for many intervals while it waits in IMAP IDLE, so it
#    is never killed; SIGHUP is wrapped in RELOADING=1 / READY=1 and
#    SIGTERM announced with STOPPING=1;
#  - with IMAP down it is ready all the same, says so, and pings through
#    its backoff naps;
#  - a message whose handling hangs (the test-only fault point,
#    REFBOT_FAULT=hang-subject:TEXT, a build with --enable-fault-injection)
#    stops the pings; the daemon is killed and restarted, and after the
#    usual three attempts the message is quarantined (disposition, rejected
#    folder, staff alert) without being handled again, and a referral sent
#    after it is acknowledged: the mailbox flows again.
. "$(dirname "$0")/lib.sh"

# Seconds.  refbot pings every half interval, checked at its 1 s ticks in
# IDLE, so every 3 s here: 2 s to spare on a loaded machine.
WD=5
FAKE="$E2E/fake-systemd"

# Without the fault point this test cannot show anything: fail loudly.
if ! "$REFBOT" --version | grep -q "fault injection"; then
	not_ok "$REFBOT is built with --enable-fault-injection (refbot --version: $("$REFBOT" --version))"
	echo "Bail out! rebuild with ./configure --enable-fault-injection (scripts/check does)"
	exit 1
fi
ok "the binary has the test-only fault points"

sandbox_start
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null

# count FILE PATTERN: lines of FILE matching the extended regex.
count() { grep -cE -- "$2" "$1" 2>/dev/null; }
# wait_for FILE PATTERN SECONDS
wait_for() {
	local i
	for i in $(seq $(($3 * 10))); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
# mail_waits USER COUNT SECONDS: COUNT mails arrive for USER in time.
mail_waits() {
	"$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout "$3" >/dev/null
}
main_pid() { sed -n 's/.* start [0-9]* pid=\([0-9]*\)$/\1/p' "$1" | tail -n 1; }

# --- A healthy daemon: ready, says what it does, pings through IDLE.
LOG="$SB/systemd-idle.log"
"$FAKE" --log "$LOG" --watchdog-sec "$WD" --deadline 120 -- \
	"$REFBOT" --config "$CONF" run 2>"$SB/daemon-idle.log" &
DAEMON_PID=$!
check "READY=1 arrives" wait_for "$LOG" "notify pid=[0-9]+ READY=1$" 30
check "a STATUS line says it is idle, with the outbox count" \
	wait_for "$LOG" "STATUS=idle; 0 pending in outbox$" 30
check "the daemon waits in IMAP IDLE" wait_for "$SB/daemon-idle.log" "\(IDLE\)" 10
pings0=$(count "$LOG" "WATCHDOG=1$")
sleep $((4 * WD))
pings=$(($(count "$LOG" "WATCHDOG=1$") - pings0))
diag "$pings pings in $((4 * WD)) s of IDLE with a ${WD} s watchdog"
check "an idle daemon keeps pinging through IDLE (>= 4 pings in 4 intervals, got $pings)" \
	[ "$pings" -ge 4 ]
check "and is never killed by the watchdog" \
	[ "$(count "$LOG" "watchdog timeout|^[0-9.]+ exit ")" = 0 ]
check "messages came, all from the main process (NotifyAccess=main)" \
	[ "$(count "$LOG" " notify pid=")" -gt 0 -a "$(count "$LOG" "ignored pid=")" = 0 ]
check "STATUS lines came, none carries an address" \
	[ "$(count "$LOG" "STATUS=")" -gt 0 -a "$(count "$LOG" "STATUS=.*@")" = 0 ]

pid=$(main_pid "$LOG")
readies=$(count "$LOG" "READY=1$")
kill -HUP "$pid"
wait_for "$LOG" "RELOADING=1" 10
check "SIGHUP: RELOADING=1 (with MONOTONIC_USEC), then READY=1 again" \
	wait_for "$LOG" "MONOTONIC_USEC=[0-9]+$" 10
wait_for "$SB/daemon-idle.log" "reloaded" 10
for _ in $(seq 50); do
	[ "$(count "$LOG" "READY=1$")" -gt "$readies" ] && break
	sleep 0.1
done
check "READY=1 follows the reload" [ "$(count "$LOG" "READY=1$")" -gt "$readies" ]

kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
rc=$?
DAEMON_PID=""
check "systemctl stop: STOPPING=1" grep -q "notify pid=$pid STOPPING=1" "$LOG"
check "then a clean exit, not restarted (fake-systemd exit $rc)" \
	bash -c "[ $rc = 0 ] && grep -qE 'exit pid=$pid status=0 clean' '$LOG'"

# --- IMAP down: ready all the same, says so, pings through its naps.
LOG="$SB/systemd-down.log"
sed 's|^imap_url = .*|imap_url = imaps://127.0.0.1:1|' "$CONF" >"$SB/down.conf"
"$FAKE" --log "$LOG" --watchdog-sec "$WD" --deadline 120 -- \
	"$REFBOT" --config "$SB/down.conf" run 2>"$SB/daemon-down.log" &
DAEMON_PID=$!
check "with IMAP down, READY=1 still arrives" \
	wait_for "$LOG" "notify pid=[0-9]+ READY=1$" 30
check "and the status says IMAP is down and when it retries" \
	wait_for "$LOG" "STATUS=IMAP down, retrying in 5 s$" 30
sleep $((3 * WD))
check "the backoff naps ping the watchdog: not killed in 3 intervals" \
	[ "$(count "$LOG" "watchdog timeout|^[0-9.]+ exit ")" = 0 ]
check "the status follows the growing backoff" grep -q "STATUS=IMAP down, retrying in 10 s$" "$LOG"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
check "it stops cleanly while IMAP is down" [ $? = 0 ]
DAEMON_PID=""

# --- A message whose handling hangs, then an ordinary referral.
sed -e 's/^Subject: .*/Subject: Referral HANG-ME: Acme Widgets/' \
	-e 's/^Message-ID: .*/Message-ID: <hang-me@partner.example>/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/hang.eml"
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$SB/hang.eml" >/dev/null
for _ in $(seq 100); do
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 1 ] && break
	sleep 0.1
done

LOG="$SB/systemd-hang.log"
REFBOT_FAULT="hang-subject:HANG-ME" \
"$FAKE" --log "$LOG" --watchdog-sec "$WD" --restart-sec 1 --max-restarts 6 \
	--deadline 150 -- "$REFBOT" --config "$CONF" run 2>"$SB/daemon-hang.log" &
DAEMON_PID=$!
check "the hanging message stops the pings: the watchdog kills the daemon with SIGABRT" \
	wait_for "$LOG" "exit pid=[0-9]+ signal=SIGABRT failure" 60
check "and it is started again (Restart=on-failure)" wait_for "$LOG" " start 2 pid=" 10
# Sent after the first kill: it waits behind the hanging one.
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake \
	--eml "$REFBOT_SRC/tests/data/multipart-alt.eml" >/dev/null
check "the referral sent after it is acknowledged: the mailbox flows again" \
	mail_waits partner1 2 120
box=$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json)
check "the partner is told their hanging message could not be read" \
	[ "$(echo "$box" | pyjson 'sum(m["headers"]["Subject"].startswith("We could not read your message") for m in j)')" = 1 ]

kills=$(count "$LOG" "watchdog timeout")
starts=$(count "$LOG" " start [0-9]+ pid=")
diag "$kills watchdog kills, $starts starts"
check "three attempts hung and were killed by the watchdog, no more (got $kills)" [ "$kills" = 3 ]
check "the fourth start handled the rest (got $starts starts)" [ "$starts" = 4 ]
q() { sqlite3 "$SB/refbot.db" "$1"; }
check "the hanging message is quarantined after its 3 failed attempts" \
	[ "$(q "select disposition || '/' || attempts from messages join raw_mail using (id) where instr(raw, 'HANG-ME') > 0")" = "quarantined/4" ]
check "the fault point ran exactly 3 times: quarantine does not handle it again" \
	[ "$(count "$SB/daemon-hang.log" "hanging on purpose")" = 3 ]
check "the referral after it is stored and acknowledged" \
	[ "$(rb referral list --format json | pyjson 'len(j)')" = 1 ]
# staff_alerts: staff1's alerts about a message set aside after failures.
staff_alerts() {
	"$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json |
		pyjson 'sum("set aside" in m["headers"]["Subject"] and "failed 3 times" in (m["text"] or "") for m in j)'
}
for _ in $(seq 60); do [ "$(staff_alerts)" = 1 ] && break; sleep 0.5; done
check "staff are alerted: the message was set aside after 3 failed attempts" \
	[ "$(staff_alerts)" = 1 ]
check "the quarantined message is in the rejected folder" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Rejected)" = 1 ]
check "the referral is in Processed, the INBOX is empty" \
	[ "$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Processed)/$("$MAILTOOL" count --env "$SB/env" --user intake)" = 1/0 ]

# Healthy again: the last daemon keeps pinging and is not killed.
pings0=$(count "$LOG" "WATCHDOG=1$")
sleep $((2 * WD))
check "after the quarantine the daemon keeps pinging" \
	[ "$(count "$LOG" "WATCHDOG=1$")" -ge $((pings0 + 2)) ]
check "and is not killed again" [ "$(count "$LOG" "watchdog timeout")" = 3 ]
check "a STATUS line reported the messages being processed" \
	grep -qE "STATUS=processing [0-9]+ messages$" "$LOG"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
check "the restarted daemon stops cleanly" [ $? = 0 ]
DAEMON_PID=""

finish
