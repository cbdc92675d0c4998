#!/bin/bash
# The newsletter's failure streak belongs to the running daemon, not to its
# configuration: a SIGHUP between failing deliveries does not reset it.  A
# server refuses every issue; the daemon is reloaded after the first and
# the second refusal, and the send still stops at the third
# (newsletter_max_failures = 3), holding the rest and telling staff.
PARTNERS=$(seq -f 'p%02g' 1 8 | tr '\n' ' ')
export SANDBOX_EXTRA_USERS="stranger $PARTNERS"
. "$(dirname "$0")/lib.sh"
sandbox_start

sql() { sqlite3 "$SB/refbot.db" "$1"; }
nl() { sql "select count(*) from outbox where kind = 'newsletter' and status = '$1'"; }
reloads() { grep -c "configuration and templates reloaded" "$SB/daemon.log"; }
# until SECONDS COMMAND...: waits for COMMAND to succeed.
until_ok() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
ge() { [ "$($1 "${2:-}")" -ge "$3" ]; }

# 12 a minute: 5 s between issues, time enough to reload between two.
cat >>"$CONF" <<'EOF'
timezone = UTC
newsletter_day = 1
newsletter_hour = 0
newsletter_rate = 12
newsletter_max_failures = 3
EOF
rb init >/dev/null
for u in $PARTNERS; do
	rb partner add "$u@example.test" --name "Partner ${u#p}" --lang en >/dev/null
done
printf 'Manufacturers planning a subsidiary in Japan.\n' >"$SB/profile.txt"
M0=$(date -u +%Y-%m)
rb newsletter set --month "$M0" --file "$SB/profile.txt" >/dev/null

mkdir -p "$SB/sink" && chown nobody:nogroup "$SB/sink"
smtp-sink -u nobody -h sink.example.test -f rcpt "127.0.0.1:$SINK_PORT" 64 >>"$SB/sink.log" 2>&1 &
SINK_PID=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$SINK_PORT") 2>/dev/null && break; sleep 0.05; done
sed -i -e "s|^smtp_url = .*|smtp_url = smtp://127.0.0.1:$SINK_PORT|" -e "s|^smtp_tls = .*|smtp_tls = none|" "$CONF"

# The daemon finds this month's issue due and starts sending it.
: >"$SB/daemon.log"
"$REFBOT" --config "$CONF" run 2>>"$SB/daemon.log" &
DAEMON_PID=$!
check "the first issue is refused" until_ok 30 ge nl failed 1
kill -HUP "$DAEMON_PID"
check "the daemon reloads" until_ok 15 ge reloads "" 1
check "the second issue is refused" until_ok 15 ge nl failed 2
kill -HUP "$DAEMON_PID"
check "the daemon reloads again" until_ok 15 ge reloads "" 2
none_pending() { [ "$(nl pending)" = 0 ]; }
check "no issue is left pending" until_ok 60 none_pending
stopped_at_3() { [ "$(nl failed)" = 3 ] && [ "$(nl held)" = 5 ]; }
check "the send stopped at the third refusal, reloads notwithstanding (failed: $(nl failed), held: $(nl held))" stopped_at_3
check "the log says 3 in a row" grep -q "newsletter: 3 deliveries failed in a row" "$SB/daemon.log"
check "staff are told" [ "$(sql "select count(*) from outbox where kind = 'staff-newsletter-halted'")" -gt 0 ]
kill "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
kill "$SINK_PID"
wait "$SINK_PID" 2>/dev/null

finish
