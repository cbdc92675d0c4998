#!/bin/bash
# Issue 21: a kill between the SMTP server accepting a mail and refbot
# recording it sent sends nothing twice, on every path that sends the
# outbox, not only the sender thread's (test_send_while_deciding.sh): the
# main loop's paced newsletter drain and "newsletter send" write the
# mail's line to the sent journal first, and whoever sends next replays
# it.  The test-only fault point REFBOT_FAULT=kill-sent:newsletter kills
# the process (SIGKILL) right after the server accepted an issue, before
# it is recorded; then each partner must still get each issue once.
PARTNERS="p1 p2 p3"
export SANDBOX_EXTRA_USERS="stranger $PARTNERS"
. "$(dirname "$0")/lib.sh"

fault_injection_needed
sandbox_start

# Due from the first of the month, 00:00 UTC: this month's issue always
# is; 10 a second, so that one pass (--once) sends them all.
printf 'timezone = UTC\nnewsletter_hour = 0\nnewsletter_rate = 600\n' >>"$CONF"
rb init >/dev/null
for u in $PARTNERS; do
	rb partner add "$u@example.test" --name "Partner ${u#p}" --lang en >/dev/null
done
month() { date -u -d "$(date -u +%Y-%m-15) $1 month" +%Y-%m; }
M0=$(month 0) M1=$(month 1) M2=$(month 2)
printf 'Manufacturers planning a subsidiary in Japan.\n' >"$SB/profile.txt"
for m in "$M0" "$M1" "$M2"; do
	rb newsletter set --month "$m" --file "$SB/profile.txt" >/dev/null
done

journal="$SB/refbot.db.sent-journal"
issues() { mt fetch --user "$1" --format json | pyjson "sum(1 for m in j if m['headers']['List-Id'])"; }
# delivered N: waits for N issues in all, then for any extra one.
delivered() {
	local u
	for u in $PARTNERS; do
		mt wait --user "$u" --count "$1" --timeout 30 >/dev/null
	done
	sleep 2
}
# each N WHAT: every partner has exactly N issues.
each() {
	local u wrong=""
	for u in $PARTNERS; do
		[ "$(issues "$u")" = "$1" ] || wrong="$wrong $u:$(issues "$u")"
	done
	check "$2: every partner has $1 issues, none twice (wrong:$wrong)" [ -z "$wrong" ]
}
# killed RC WHAT N: the run was killed after the server took an issue,
# N recorded sent before.
killed() {
	check "$2 is killed after the server accepted an issue (exit $1)" [ "$1" = 137 ]
	journaled "$3" "its issue is in the sent journal, not yet recorded"
}
# journaled N WHAT: one line in the journal, N issues recorded sent.
journaled() {
	check "$2" [ "$(cat "$journal" 2>/dev/null | wc -l)/$(sql "select count(*) from outbox where kind = 'newsletter' and status = 'sent'")" = "1/$1" ]
}
# kill_send M N: "newsletter send --month M" is killed so.
kill_send() {
	REFBOT_FAULT=kill-sent:newsletter "$REFBOT" --config "$CONF" newsletter \
		send --month "$1" >/dev/null 2>>"$SB/send.log"
	killed $? "newsletter send" "$2"
}
# recorded N WHAT LOG: all N issues recorded sent once, the journal empty.
recorded() {
	check "$2 recorded the journal's issue" grep -q "recorded from the sent journal" "$3"
	check "$2: all $1 issues are recorded sent, each sent once" \
		[ "$(sql "select count(*) || '/' || sum(status = 'sent') || '/' || sum(attempts) from outbox where kind = 'newsletter'")" = "$1/$1/$1" ]
	check "$2: the sent journal is empty" [ ! -s "$journal" ]
}
# rerun N WHAT: the daemon's next pass ends well and records all N.
rerun() {
	rb run --once 2>"$SB/rerun$1.log"
	local rc=$?
	check "$2 ends well (exit $rc)" [ "$rc" = 0 ]
	recorded "$1" "$2" "$SB/rerun$1.log"
}

# 1. The daemon's paced drain (after the pass) is killed; the next pass
# replays the journal.
REFBOT_FAULT=kill-sent:newsletter "$REFBOT" --config "$CONF" run --once \
	2>"$SB/run1.log"
killed $? "the pass sending this month's issue" 0
rerun 3 "the next pass"
delivered 1
each 1 "the daemon's drain killed"

# 2. "newsletter send" is killed; sent again, it replays the journal.
kill_send "$M1" 3
# While another process holds the send lock (as the daemon's sender
# thread does), one more sends nothing and leaves the journal alone.
flock "$SB/refbot.db.send-lock" bash -c "touch '$SB/locked'; while [ -e '$SB/locked' ]; do sleep 0.1; done" &
lockpid=$!
for _ in $(seq 50); do [ -e "$SB/locked" ] && break; sleep 0.1; done
timeout 2 "$REFBOT" --config "$CONF" newsletter send --month "$M1" >/dev/null 2>>"$SB/send.log"
journaled 3 "newsletter send beside the send lock's holder sends nothing and keeps its journal"
rm -f "$SB/locked"
wait "$lockpid"
out=$(rb newsletter send --month "$M1" 2>"$SB/send2b.log")
check "newsletter send again sends the rest" grep -q "3 sent, 0 failed" <<<"$out"
recorded 6 "newsletter send again" "$SB/send2b.log"
delivered 2
each 2 "newsletter send killed"

# 3. "newsletter send" is killed; the daemon's next pass replays its
# journal and sends the rest.
kill_send "$M2" 6
rerun 9 "the daemon's pass after it"
delivered 3
each 3 "newsletter send killed, the daemon sending the rest"

finish
