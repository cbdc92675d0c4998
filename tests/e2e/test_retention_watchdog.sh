#!/bin/bash
# Issue 19, retention: the daily policy's VACUUM runs in the daemon's
# loop, and on a large database it may take longer than the watchdog
# interval (WatchdogSec=180).  The daemon stretches the interval for it
# (WATCHDOG_USEC=, systemd 236+) and puts it back afterwards.  Under
# tests/e2e/fake-systemd with a 5 s watchdog and a VACUUM made 8 s long
# by the test-only fault point REFBOT_FAULT=slow-scrub:8, the daemon is
# not killed.
. "$(dirname "$0")/lib.sh"

WD=5
FAKE="$E2E/fake-systemd"
if ! "$REFBOT" --version | grep -q "fault injection"; then
	not_ok "$REFBOT is built with --enable-fault-injection (refbot --version: $("$REFBOT" --version))"
	echo "Bail out! rebuild with ./configure --enable-fault-injection (scripts/check does)"
	exit 1
fi
ok "the binary has the test-only fault points"

sandbox_start
cat >>"$CONF" <<EOF
timezone = UTC
keep_raw_mail_days = 1
EOF
now=$(date +%s)
BASE=$((43200 - now % 86400))
wait_for() {
	local i
	for i in $(seq $(($3 * 10))); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --subject "Referral" \
	--body $'Client: Vacuum KK\nContact name: Val\nContact email: val@vacuum.example\nService needed: Audit\nChallenge: Close\nClient aware: yes\n' >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
REFBOT_CLOCK_OFFSET=$BASE "$REFBOT" --config "$CONF" run --once 2>>"$SB/run.log"
check "one message stored, its raw mail kept" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where purged_at is null")" = 1 ]

# Three days on: the raw mail is past keep_raw_mail_days, so the first
# pass purges it and VACUUMs, slowly.
LOG="$SB/systemd.log"
REFBOT_CLOCK_OFFSET=$((BASE + 3 * 86400)) REFBOT_FAULT=slow-scrub:8 \
	"$FAKE" --log "$LOG" --watchdog-sec "$WD" --deadline 120 -- \
	"$REFBOT" --config "$CONF" run 2>"$SB/daemon.log" &
FAKE_PID=$!
check "before the VACUUM the watchdog interval is stretched (a minute at least)" \
	wait_for "$LOG" "notify pid=[0-9]+ WATCHDOG_USEC=[0-9]{8,}$" 30
check "and put back to systemd's after it" \
	wait_for "$LOG" "notify pid=[0-9]+ WATCHDOG_USEC=$((WD * 1000000))$" 30
check "the VACUUM ran in between (the fault point's 8 s)" grep -q "fault injection: a VACUUM of 8 s" "$SB/daemon.log"
sleep $((WD + 1))
check "the 8 s VACUUM did not get the daemon killed by the 5 s watchdog" \
	bash -c '! grep -q "watchdog timeout" "$1"' _ "$LOG"
check "and the raw mail was purged" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where purged_at is null")" = 0 ]
kill -TERM "$FAKE_PID"
wait "$FAKE_PID"
check "the daemon stops cleanly" [ $? -eq 0 ]
finish
