#!/bin/bash
# A mail the server refuses for good (issue 16 item 7): the sandbox
# Postfix refuses a partner address it has no mailbox for (550 at RCPT).
# The outbox row is failed with the server's reply, staff are told once
# (what the mail was: kind, referral, recipient, the reply; not its
# body), and the referral's history says the partner was not reached.
# A later pass tells nobody again; a retry that fails again is a new
# failure and is told again.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
# gone@example.test: no mailbox in the sandbox, so Postfix answers 550.
rb partner add gone@example.test --name "Gone Partners Ltd" --lang en >/dev/null
mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
notices() {
	mt fetch --user "$1" | pyjson "json.dumps([m for m in j if (m['headers']['Subject'] or '').startswith('[refbot] Not delivered')])"
}
nnotices() { notices "$1" | pyjson 'len(j)'; }

sed -e "s/^From: .*/From: gone@example.test/" \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/gone.eml"
mt send --from gone@example.test --to intake --eml "$SB/gone.eml" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>"$SB/run1.log"
rc=$?
check "run --once exits 0 (got $rc)" [ "$rc" -eq 0 ]

ack=$(rb outbox list --format json | pyjson "json.dumps([m for m in j if m['kind']=='ack'])")
check "the ack to the refused address is failed" \
	[ "$(pyjson "[m['status'] for m in j]" <<<"$ack")" = "['failed']" ]
err=$(pyjson "j[0]['last_error'] if j else ''" <<<"$ack")
diag "last_error: $err"
check "with the server's 5xx reply" grep -q "550" <<<"$err"

mt wait --user staff1 --count 2 --timeout 20 >/dev/null
mt wait --user staff2 --count 2 --timeout 20 >/dev/null
check "staff1 is told once (got $(nnotices staff1))" [ "$(nnotices staff1)" = 1 ]
check "staff2 is told once (got $(nnotices staff2))" [ "$(nnotices staff2)" = 1 ]
text=$(notices staff1 | pyjson "j[0]['headers']['Subject'] + '\n' + j[0]['text'] if j else ''")
diag "notice: $(head -1 <<<"$text")"
check "the notice names the kind of mail" grep -q "ack" <<<"$text"
check "the referral" grep -q "REF-000001" <<<"$text"
check "the recipient" grep -q "gone@example.test" <<<"$text"
check "and the server's reply" grep -q "550" <<<"$text"
check "but not the mail's body" bash -c "! grep -q \"Thank you for your referral\" <<<\"\$1\"" _ "$text"
check "it says the partner was not reached" grep -q "partner was not reached" <<<"$text"

hist=$(rb referral show REF-000001 --format json)
und=$(pyjson "json.dumps([h for h in j['history'] if h['event']=='undelivered'])" <<<"$hist")
check "the referral's history has one 'undelivered' entry" \
	[ "$(pyjson 'len(j)' <<<"$und")" = 1 ]
check "saying the partner was not reached, and why" \
	grep -q "to the partner gone@example.test not delivered: .*550" <<<"$(pyjson "j[0]['detail'] if j else ''" <<<"$und")"
check "'referral show' lists it" grep -q "undelivered" <<<"$(rb referral show REF-000001)"

# Another pass: nothing new to tell.
rb run --once 2>"$SB/run2.log"
sleep 1
check "a later pass tells nobody again (got $(nnotices staff1))" [ "$(nnotices staff1)" = 1 ]

# A retry the server refuses again is a new failure: told again, once.
id=$(pyjson "j[0]['id']" <<<"$ack")
rb outbox retry "$id" >/dev/null
rb run --once 2>"$SB/run3.log"
mt wait --user staff1 --count 3 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run3.log"
sleep 1
check "a retry refused again is told again, once (got $(nnotices staff1))" [ "$(nnotices staff1)" = 2 ]
check "and is in the history again" [ "$(rb referral show REF-000001 --format json | pyjson "len([h for h in j['history'] if h['event']=='undelivered'])")" = 2 ]
check "the log names the outbox row, not the address" \
	bash -c "grep -q 'outbox $id: staff told' '$SB/run1.log' && ! grep 'staff told' '$SB/run1.log' | grep -q 'gone@'"

if [ "$T_FAILED" -gt 0 ]; then
	for f in run1 run2 run3; do diag "--- $f.log"; sed 's/^/#   /' "$SB/$f.log"; done
fi
finish
