#!/bin/bash
# The daemon: "refbot run" waits in IMAP IDLE, picks up a referral that
# arrives while it runs, acknowledges it without a restart, and exits
# cleanly on SIGTERM.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null

"$REFBOT" --config "$CONF" run 2>"$SB/daemon.log" &
DAEMON_PID=$!

# Wait until it is idling, so the referral really arrives during IDLE.
log_wait "$SB/daemon.log" "(IDLE)"
check "the daemon connects and waits in IDLE" grep -q "(IDLE)" "$SB/daemon.log"

"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
check "the acknowledgement arrives while the daemon runs" \
	"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 1 --timeout 30
check "the referral is stored" [ "$(rb referral list --format json | pyjson 'len(j)')" = 1 ]

# A second referral: the daemon went back to IDLE after the first.
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/multipart-alt.eml"
check "a second referral is acknowledged too" \
	"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 2 --timeout 30

kill -TERM "$DAEMON_PID"
for _ in $(seq 100); do
	kill -0 "$DAEMON_PID" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$DAEMON_PID" 2>/dev/null; then
	not_ok "SIGTERM stops the daemon within 10 s"
else
	wait "$DAEMON_PID"
	rc=$?
	check "SIGTERM stops the daemon within 10 s, exit 0 (got $rc)" [ "$rc" -eq 0 ]
fi
DAEMON_PID=""
# A clean stop is no lost connection (issue 17): no false warning.
check "a clean SIGTERM logs no lost IDLE connection" \
	bash -c "! grep -q 'connection lost' '$SB/daemon.log'"
check "exactly two acknowledgements" [ "$("$MAILTOOL" count --env "$SB/env" --user partner1)" = 2 ]

# Without IDLE (a server that lacks it, or imap_idle = no) it polls.
sed 's/^poll_interval = .*/poll_interval = 1/' "$CONF" >"$SB/poll.conf"
echo "imap_idle = no" >>"$SB/poll.conf"
"$REFBOT" --config "$SB/poll.conf" run 2>"$SB/poll.log" &
DAEMON_PID=$!
sleep 1
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/quoted-below.eml" >/dev/null
check "polling picks up a referral too" \
	"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 3 --timeout 30
check "and did not use IDLE" bash -c "! grep -q '(IDLE)' '$SB/poll.log'"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
check "the polling daemon stops on SIGTERM with exit 0" [ $? -eq 0 ]
DAEMON_PID=""

# SIGHUP reloads the configuration; a broken one is refused whole.
cp "$CONF" "$SB/live.conf"
"$REFBOT" --config "$SB/live.conf" run 2>"$SB/hup.log" &
DAEMON_PID=$!
log_wait "$SB/hup.log" "(IDLE)"
echo "bogus_key = 1" >>"$SB/live.conf"
kill -HUP "$DAEMON_PID"
log_wait "$SB/hup.log" "reload refused" 50
check "a broken configuration is refused on SIGHUP, with the reason" \
	grep -q "reload refused.*unknown key 'bogus_key'" "$SB/hup.log"
check "and the daemon keeps running" kill -0 "$DAEMON_PID"
sed -i '/^bogus_key/d' "$SB/live.conf"
echo "from_name = Reloaded Desk" >>"$SB/live.conf"
kill -HUP "$DAEMON_PID"
log_wait "$SB/hup.log" "reloaded" 50
check "a good configuration is taken on SIGHUP" grep -q "configuration and templates reloaded" "$SB/hup.log"
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/ja-utf8-qp.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 4 --timeout 30 >/dev/null
check "mail after the reload uses the new settings" \
	[ "$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json | pyjson '"Reloaded Desk" in j[3]["headers"]["From"]')" = True ]
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
DAEMON_PID=""
check "neither SIGHUP nor SIGTERM logs a lost IDLE connection" \
	bash -c "! grep -q 'connection lost' '$SB/hup.log'"

finish
