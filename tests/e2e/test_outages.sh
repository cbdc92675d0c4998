#!/bin/bash
# Outages: the IMAP server restarted under a running daemon (it reconnects
# and carries on), and a database that cannot be written (no mail is moved
# on the server unless its row is committed; the bot says so and a later
# run finishes the work).
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$1" >/dev/null; }

# 1. IMAP restarted mid-run.
"$REFBOT" --config "$CONF" run 2>"$SB/daemon.log" &
DAEMON_PID=$!
log_wait "$SB/daemon.log" "(IDLE)"
# A restart ends every process of the server, as systemd's stop does
# (KillMode=control-group).  Dovecot's master on its own does not: it
# leaves an imap process that has not yet reported to it, and one that
# served the daemon's fresh login survived its stop even a second later
# (CI, stop 28) and kept the connection alive.
master=$(cut -d' ' -f1 "$SB/run/dovecot.pid")
children=
for stat in /proc/[0-9]*/stat; do
	fields=$(cat "$stat" 2>/dev/null) || continue
	fields=${fields##*) }	# past the command name: state, parent, ...
	read -r _ parent _ <<<"$fields"
	[ "$parent" = "$master" ] && children+=" $(basename "$(dirname "$stat")")"
done
kill -TERM "$master"
for _ in $(seq 100); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
# shellcheck disable=SC2086 # one PID a word
kill -KILL $children 2>/dev/null || true
check "the daemon notices the lost connection" bash -c "for _ in \$(seq 100); do grep -q 'lost\|cannot connect' '$SB/daemon.log' && exit 0; sleep 0.1; done; exit 1"
check "and keeps running" kill -0 "$DAEMON_PID"
dovecot -c "$DOVECOT_CONF" 9>&-
master=$(cat "$SB/dovecot/run/master.pid")
echo "$master $(cut -d' ' -f22 /proc/"$master"/stat)" >"$SB/run/dovecot.pid"
send "$REFBOT_SRC/tests/data/plain-en.eml"
check "after the restart it reconnects and acknowledges new mail" \
	"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 1 --timeout 60
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
check "and still stops cleanly" [ $? -eq 0 ]
DAEMON_PID=""

# 2. A database that cannot be written.
send "$REFBOT_SRC/tests/data/ja-utf8-qp.eml"
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
chmod 0555 "$SB"
chmod 0444 "$SB/refbot.db"
# Root ignores permissions: make the file immutable-like by a read-only
# bind of the directory when possible, else by a read-only database open.
if touch "$SB/refbot.db" 2>/dev/null && [ "$(id -u)" = 0 ]; then
	mkdir -p "$SB/ro"
	mount --bind -o ro "$SB" "$SB/ro" 2>/dev/null || true
fi
chmod 0755 "$SB"
ro_conf="$SB/ro.conf"
if mountpoint -q "$SB/ro" 2>/dev/null; then
	sed "s|^database = .*|database = $SB/ro/refbot.db|" "$CONF" >"$ro_conf"
	"$REFBOT" --config "$ro_conf" run --once 2>"$SB/ro.log"
	rc=$?
	umount "$SB/ro"
	check "a read-only database: the run says so and asks to retry (exit $rc)" \
		bash -c "[ $rc -ne 0 ] && grep -qi 'writable\|readonly\|cannot store' '$SB/ro.log'"
	check "nothing was moved on the server" [ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 1 ]
	check "and no reply was sent" [ "$("$MAILTOOL" count --env "$SB/env" --user partner1)" = 1 ]
else
	diag "read-only bind mount not available here"
	not_ok "a read-only database is refused without losing mail"
fi
chmod 0644 "$SB/refbot.db"
rb run --once 2>>"$SB/run.log"
check "once writable again, the next run finishes the work" [ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 0 ]
check "and the referral is stored once" [ "$(rb referral list --format json | pyjson 'len(j)')" = 2 ]

finish
