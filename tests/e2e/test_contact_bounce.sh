#!/bin/bash
# Issue 18 (the gap of item 1): a contact's bounce is flagged.  A firm's
# other contact whose address the server refuses for good (here: no
# mailbox, 550 at RCPT; and a delivery report about another contact) is
# marked in "partner contact list", staff are told, and the progress
# meant for them goes to the firm's main contact instead.  Session 6
# item 2: "partner contact set P EMAIL --bounced off" clears the flag,
# and mail meant for that contact reaches them again.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
# The JSON of USER's mails whose subject matches REGEX.
mails() { mt fetch --user "$1" --format json | pyjson "json.dumps([m for m in j if __import__('re').search(r'''$2''', m['headers']['Subject'] or '')])"; }
waitn() { local i; for i in $(seq 100); do [ "$(mails "$1" "$2" | pyjson 'len(j)')" -ge "$3" ] && return 0; sleep 0.2; done; return 1; }

rb partner add partner1@example.test --name "Firm One" --lang en >/dev/null
# gone@example.test has no mailbox in the sandbox: Postfix answers 550.
rb partner contact add partner1@example.test gone@example.test --name "Gone" >/dev/null
rb partner contact add partner1@example.test partner2@example.test --name "Two" >/dev/null
sed -e "s/^From: .*/From: gone@example.test/" "$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/gone.eml"
mt send --from gone@example.test --to intake --eml "$SB/gone.eml" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "the referral is the firm's, submitted by the contact" [ "$(sql "select submitted_by from referrals where id = 1")" = gone@example.test ]
check "the acknowledgement to the contact failed for good" [ "$(sql "select status from outbox where kind = 'ack'")" = failed ]
list=$(rb partner contact list partner1@example.test --format json)
check "the contact is flagged as bounced" [ "$(pyjson '[c["email"] for c in j if c["bounced_at"]]' <<<"$list")" = "['gone@example.test']" ]
check "with the server's words" grep -q 550 <<<"$(pyjson '[c["bounced"] for c in j if c["bounced_at"]][0]' <<<"$list")"
check "the text list says bounced" grep -qE '^gone@example.test .* bounced 20' <<<"$(rb partner contact list partner1@example.test)"
check "staff are told a contact was not reached" waitn staff1 'Not delivered' 1
check "in those words" grep -q "A contact of the partner was not reached" <<<"$(mails staff1 'Not delivered' | pyjson 'j[0]["text"]')"

# Staff move it on: the progress goes to the main contact, not the bounced one.
waitn staff1 'REF-000001\] New referral' 1
sto=$(mails staff1 'REF-000001\] New referral' | pyjson 'j[0]["headers"]["Reply-To"].strip("<>")')
mt send --from staff1 --to "$sto" --subject "Re: [REF-000001]" --body "CONTACTED" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "progress goes to the firm's main contact" waitn partner1 'REF-000001\] Update' 1
check "and no more mail is queued to the bounced contact" [ "$(sql "select count(*) from outbox where rcpt = 'gone@example.test'")" = 1 ]

# A delivery report about the other contact: flagged too, staff told.
ack_id=$(sql "select message_id from outbox where rcpt = 'partner1@example.test' order by id limit 1")
sql "update outbox set rcpt = 'partner2@example.test' where message_id = '$ack_id'"
dsn_save partner2@example.test "$ack_id" 2
rb run --once 2>>"$SB/run.log"
check "a delivery report about a contact flags that contact" \
	[ "$(rb partner contact list partner1@example.test --format json | pyjson '[c["bounced"] for c in j if c["email"] == "partner2@example.test"][0]')" = "failed 5.1.1" ]
check "not the firm" [ "$(sql "select coalesce(bounced, '-') from partners where id = 1")" = - ]
check "recorded on the message" grep -q "contact address flagged" <<<"$(sql "select detail from messages order by id desc limit 1")"
check "staff are told, naming the contact" waitn staff1 "contact's address bounced" 1
# Un-flagged by hand: mail meant for the contact reaches them again.
mt send --from partner2@example.test --to intake@example.test --subject STATUS --body STATUS >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "while flagged, the answer to the contact's STATUS goes to the main contact" \
	[ "$(sql "select rcpt from outbox where kind = 'status-all' order by id desc limit 1")" = partner1@example.test ]
check "contact set --bounced on is refused (exit 64)" \
	[ "$(rb partner contact set partner1@example.test partner2@example.test --bounced on >/dev/null 2>&1; echo $?)" = 64 ]
check "--bounced belongs to contact set (exit 64 with add)" \
	[ "$(rb partner contact add partner1@example.test new@example.test --bounced off >/dev/null 2>&1; echo $?)" = 64 ]
out=$(rb partner contact set partner1@example.test partner2@example.test --bounced off 2>"$SB/unbounce.err")
check "contact set --bounced off says the flag is cleared" grep -q "partner2@example.test is no longer flagged as bouncing" <<<"$out"
check "it is logged with ids, no address" bash -c 'grep -q "partner 1: contact [0-9]*.s bounce flag cleared by hand" "$1" && ! grep -q "partner2@" "$1"' _ "$SB/unbounce.err"
list=$(rb partner contact list partner1@example.test --format json)
check "the list no longer flags the contact" \
	[ "$(pyjson '[(c["bounced_at"], c["bounced"]) for c in j if c["email"] == "partner2@example.test"][0]' <<<"$list")" = "(None, None)" ]
check "the other bounced contact stays flagged" [ "$(pyjson '[c["email"] for c in j if c["bounced_at"]]' <<<"$list")" = "['gone@example.test']" ]
check "a second time: not flagged, nothing changes (exit 0)" \
	grep -q "was not flagged" <<<"$(rb partner contact set partner1@example.test partner2@example.test --bounced off 2>/dev/null)"
n2=$(mt count --user partner2)
mt send --from partner2@example.test --to intake@example.test --subject STATUS --body STATUS >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "then the answer to their STATUS goes to them" \
	[ "$(sql "select rcpt from outbox where kind = 'status-all' order by id desc limit 1")" = partner2@example.test ]
check "and reaches their mailbox" mt wait --user partner2 --count $((n2 + 1)) --timeout 20
finish
