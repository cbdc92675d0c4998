#!/bin/bash
# Mail texts are configuration: every text is read and checked when refbot
# starts (a bad one stops it with file:line, before any mail is touched),
# kept in memory (no disk per mail), and replaced on SIGHUP only by a set
# that checks out.  doctor reports the same problem as the start does.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
mtw() { mt wait "$@" >/dev/null; }
# A configuration reading its texts from folder $2, written to $1.
conf_with() { sed "s|^templates = .*|templates = $2|" "$CONF" >"$1"; }

# --- 1. A bad placeholder stops "run" before anything is processed ------------
cp -r "$REFBOT_SRC/templates" "$SB/bad"
sed -i '5s/{{partner_name}}/{{partner_nmae}}/' "$SB/bad/mail/ack.ja.txt"
conf_with "$SB/bad.conf" "$SB/bad"
mt send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/ja-utf8-qp.eml" >/dev/null
"$REFBOT" --config "$SB/bad.conf" run --once 2>"$SB/bad.log"
rc=$?
check "a bad placeholder: run --once exits 78 (got $rc)" [ "$rc" -eq 78 ]
WHERE="$SB/bad/mail/ack.ja.txt:5: unknown placeholder {{partner_nmae}}"
check "and names the file, the line and the placeholder" grep -qF "$WHERE" "$SB/bad.log"
check "nothing was processed" [ "$(rb referral list --format json | pyjson 'len(j)')" = 0 ]
check "the referral is still in the inbox" [ "$(mt count --user intake)" = 1 ]
check "and nobody was answered" [ "$(mt count --user partner1)" = 0 ]

# --- 4. doctor says the same ------------------------------------------------------
out=$("$REFBOT" --config "$SB/bad.conf" doctor)
rc=$?
check "doctor: exit 78 for the bad text (got $rc)" [ "$rc" -eq 78 ]
check "doctor: the same file, line and placeholder as the start" \
	grep -qF "FAIL mail texts: $WHERE" <<<"$out"
check "doctor: no other text is reported" [ "$(grep -c '^FAIL' <<<"$out")" = 1 ]

# --- 2. Texts are read at the start only ------------------------------------
cp -r "$REFBOT_SRC/templates" "$SB/live"
conf_with "$SB/live.conf" "$SB/live"
"$REFBOT" --config "$SB/live.conf" run 2>"$SB/daemon.log" &
DAEMON_PID=$!
log_wait "$SB/daemon.log" "(IDLE)"
check "the daemon starts and waits in IDLE" grep -q "(IDLE)" "$SB/daemon.log"
check "and takes the message left from before" mtw --user partner1 --count 1 --timeout 30
mv "$SB/live" "$SB/away"
mt send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml" >/dev/null
check "with the templates folder gone, a referral is still acknowledged" \
	mtw --user partner1 --count 2 --timeout 30
mv "$SB/away" "$SB/live"

# --- 3. SIGHUP: a broken set is refused whole, a good one taken -------------
sed -i -e '1s/^Subject: /Subject: Second edition /' \
	-e '5s/{{partner_name}}/{{partner_nmae}}/' "$SB/live/mail/ack.en.txt"
kill -HUP "$DAEMON_PID"
log_wait "$SB/daemon.log" "reload refused" 50
check "a broken text is refused on SIGHUP, with file and line" \
	grep -qF "reload refused, keeping the running configuration: $SB/live/mail/ack.en.txt:5: unknown placeholder {{partner_nmae}}" "$SB/daemon.log"
check "and the daemon keeps running" kill -0 "$DAEMON_PID"
mt send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/multipart-alt.eml" >/dev/null
check "a referral is still acknowledged" mtw --user partner1 --count 3 --timeout 30
subject() { mt fetch --user partner1 --format json | pyjson "j[$1]['headers']['Subject']"; }
check "with the old text" bash -c "! grep -q 'Second edition' <<<\"\$1\"" _ "$(subject 2)"

sed -i '5s/{{partner_nmae}}/{{partner_name}}/' "$SB/live/mail/ack.en.txt"
kill -HUP "$DAEMON_PID"
log_wait "$SB/daemon.log" "templates reloaded" 50
check "the corrected text is taken on SIGHUP" grep -q "configuration and templates reloaded" "$SB/daemon.log"
mt send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/quoted-below.eml" >/dev/null
mt wait --user partner1 --count 4 --timeout 30 >/dev/null
check "and the next acknowledgement uses it" grep -q "Second edition" <<<"$(subject 3)"

kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
check "the daemon stops on SIGTERM with exit 0" [ $? -eq 0 ]
DAEMON_PID=""
check "no text was read from disk for a mail (none failed)" \
	bash -c "! grep -qE 'cannot build|not processed' '$SB/daemon.log'"

finish
