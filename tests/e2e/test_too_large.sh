#!/bin/bash
# Issue 14 item 5: a message over max_message_size is never downloaded
# whole.  Sizes are fetched first; of an oversized message only the header
# is fetched and stored (with its size), it is filed in Rejected with the
# disposition too-large, staff are told, and the partner is told in their
# language.  The mail after it flows on.  Fetch batches are bounded by
# bytes as well as by count.
. "$(dirname "$0")/lib.sh"
sandbox_start
waitmail() { "$MAILTOOL" wait --env "$SB/env" "$@" >/dev/null; }
db() { sqlite3 "$SB/refbot.db" "$@"; }
fetchj() { "$MAILTOOL" fetch --env "$SB/env" --format json "$@"; }

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "パートナー二" --lang ja >/dev/null
echo "max_message_size = 1M" >>"$CONF"

# A referral with a 1.5 MB attachment; MARKER appears only in the body.
MARKER=BODY-MARKER-5d1c93e0
mkbig() {	# FROM MESSAGE-ID FILE
	/usr/bin/python3 - "$1" "$2" "$3" "$MARKER" <<'PY'
import email.message, os, sys
frm, mid, path, marker = sys.argv[1:]
m = email.message.EmailMessage()
m["From"] = frm
m["To"] = "intake@example.test"
m["Subject"] = "Referral with the plans"
m["Message-ID"] = mid
m.set_content("Client: Big Plans Ltd\nContact name: Ann Large\n" + marker + "\n")
m.add_attachment(os.urandom(1100 * 1024) + marker.encode(), maintype="application",
                 subtype="octet-stream", filename="plans.bin")
open(path, "wb").write(m.as_bytes())
PY
}
mkbig partner1@example.test "<big-en@partner.example>" "$SB/big-en.eml"
mkbig partner2@example.test "<big-ja@partner.example>" "$SB/big-ja.eml"
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$SB/big-en.eml" >/dev/null
"$MAILTOOL" send --env "$SB/env" --from partner2 --to intake --eml "$SB/big-ja.eml" >/dev/null
waitmail --user intake --count 2 --timeout 30
# A normal referral after them.
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml" >/dev/null
waitmail --user intake --count 3 --timeout 30

# What the IMAP server sent refbot: Dovecot logs each session's bytes out.
dlog="$SB/log/dovecot.log"
before=$(grep -c 'imap(intake).*out=' "$dlog")
"$REFBOT" --config "$CONF" -v run --once 2>"$SB/run1.log"
rc=$?
check "run --once exits 0 (got $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$SB/run1.log"
for _ in $(seq 50); do
	[ "$(grep -c 'imap(intake).*out=' "$dlog")" -gt "$before" ] && break
	sleep 0.1
done
out=$(grep 'imap(intake).*out=' "$dlog" | tail -n +$((before + 1)) |
	sed -n 's/.*out=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
diag "the IMAP server sent refbot $out bytes"
check "the server did not send the bodies (sent $out bytes, < 200000)" \
	[ "$((out > 0 && out < 200000))" = 1 ]
check "refbot fetched only the headers of the two" \
	[ "$(grep -c 'over the limit: fetched its header only' "$SB/run1.log")" = 2 ]

# The stored rows: the size, the header, not the body.
for who in en ja; do
	eml="$SB/big-$who.eml"
	row=$(db "select id from raw_mail where instr(raw, cast('<big-$who@partner.example>' as blob)) > 0")
	check "big-$who: one row stored" [ -n "$row" ]
	row=${row:-0}
	check "big-$who: disposition too-large" [ "$(db "select disposition from messages where id = $row")" = too-large ]
	size=$(db "select size from messages where id = $row")
	check "big-$who: its whole size is recorded ($size bytes)" [ "${size:-0}" -gt 1100000 ]
	# The header as the server gives it (CRLF): the Maildir copy's header.
	md=$(grep -l "big-$who@partner.example" "$SB"/mail/intake/Maildir/.Rejected/cur/* "$SB"/mail/intake/Maildir/.Rejected/new/* 2>/dev/null | head -1)
	hsize=$(/usr/bin/python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); h = b[:b.index(b"\n\n") + 2]; print(len(h) + h.count(b"\n"))' "$md" 2>/dev/null)
	stored=$(db "select length(raw) from raw_mail where id = $row")
	check "big-$who: stored bytes ($stored) are at most the header ($hsize)" \
		[ "$((${stored:-999999} <= ${hsize:-0}))" = 1 ]
	check "big-$who: the body is not stored" \
		[ "$(db "select instr(raw, cast('$MARKER' as blob)) from raw_mail where id = $row")" = 0 ]
done

check "both are filed in Rejected" [ "$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Rejected)" = 2 ]
check "the normal referral after them is processed" \
	[ "$(rb referral list --format json | pyjson '[r["client"] for r in j]')" = "['Acme Widgets Ltd']" ]
check "the intake INBOX is empty" [ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 0 ]

# Staff: an alert per message (plus the new referral).
waitmail --user staff1 --count 3 --timeout 20
check "staff are told about both" [ "$(fetchj --user staff1 | pyjson 'sum("over the size limit" in m["headers"]["Subject"] for m in j)')" = 2 ]

# The partners, in their language, in the thread of what they sent.
waitmail --user partner1 --count 2 --timeout 20
check "partner1 is told, in English, with the limit in MB" \
	[ "$(fetchj --user partner1 | pyjson 'sum("too large" in m["headers"]["Subject"] and "1 MB" in m["text"] and "another way" in m["text"] for m in j)')" = 1 ]
check "in the thread of the large message" \
	[ "$(fetchj --user partner1 | pyjson '[m["headers"]["In-Reply-To"] for m in j if "too large" in m["headers"]["Subject"]]')" = "['<big-en@partner.example>']" ]
check "partner1 also gets the normal acknowledgement" \
	[ "$(fetchj --user partner1 | pyjson 'sum("[REF-000001]" in m["headers"]["Subject"] for m in j)')" = 1 ]
waitmail --user partner2 --count 1 --timeout 20
check "partner2 is told in Japanese, with the limit in MB" \
	[ "$(fetchj --user partner2 | pyjson '"大きすぎる" in j[0]["headers"]["Subject"] and "1 MB" in j[0]["text"]')" = True ]

# Restarts: a second pass changes nothing.
"$REFBOT" --config "$CONF" run --once 2>"$SB/run2.log"
check "a second pass exits 0" [ $? -eq 0 ]
sleep 1
check "no second reply to partner1" [ "$("$MAILTOOL" count --env "$SB/env" --user partner1)" = 2 ]
check "still three messages stored" [ "$(db "select count(*) from messages")" = 3 ]

# A stranger's oversized mail: set aside, staff told, no reply.
mkbig stranger@example.test "<big-x@stranger.example>" "$SB/big-x.eml"
"$MAILTOOL" send --env "$SB/env" --from stranger --to intake --eml "$SB/big-x.eml" >/dev/null
waitmail --user intake --count 1 --timeout 30
"$REFBOT" --config "$CONF" run --once 2>"$SB/run3.log"
check "the stranger's is too-large as well" [ "$(db "select disposition from messages order by id desc limit 1")" = too-large ]
waitmail --user staff1 --count 4 --timeout 20
sleep 1
check "the stranger gets no reply" [ "$("$MAILTOOL" count --env "$SB/env" --user stranger)" = 0 ]

# Batches bounded by bytes: with a 16 KiB limit a fetch brings at most
# 64 KiB (or one message), so six messages of about 12 KiB take two or
# more fetches.
sed 's/^max_message_size = .*/max_message_size = 16k/' "$CONF" >"$SB/small.conf"
pad=$(head -c 12500 /dev/zero | tr '\0' 'x' | fold -w 70)
for i in 1 2 3 4 5 6; do
	"$MAILTOOL" send --env "$SB/env" --from stranger --to intake --subject "Note $i" --body "Hello $i
$pad" >/dev/null
done
waitmail --user intake --count 6 --timeout 30
"$REFBOT" --config "$SB/small.conf" -v run --once 2>"$SB/run4.log"
check "all six are handled" [ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 0 ]
batches=$(sed -n 's/.*fetching \([0-9]*\) messages (\([0-9]*\) bytes).*/\1 \2/p' "$SB/run4.log")
diag "fetches (messages bytes): $(echo "$batches" | tr '\n' ';')"
check "the six came in more than one fetch" [ "$(echo "$batches" | awk '$1 > 0' | wc -l)" -ge 2 ]
check "they add up to six" [ "$(echo "$batches" | awk '{ s += $1 } END { print s + 0 }')" = 6 ]
check "no fetch of several messages passed 64 KiB" \
	[ "$(echo "$batches" | awk '$1 > 1 && $2 > 65536' | wc -l)" = 0 ]

finish
