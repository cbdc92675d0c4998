#!/bin/bash
# Issue 14, items 1 and 4, end to end: header values a sender writes can
# neither stop the daemon nor write into the mail refbot sends.
#  - A subject that decodes to two lines (=?UTF-8?Q?a=0A...?=) stays one
#    line in the Subject of our replies and never becomes a line of their
#    body; the References we copy are capped at the last 10 ids.
#  - Address headers ending in ">" (X-Original-To: <x@y>) on a stranger's
#    mail and on a signed staff reply are read in bounded time: both get a
#    disposition, the signed command still acts, and the next referral flows.
. "$(dirname "$0")/lib.sh"
sandbox_start

RUN_TIMEOUT=60        # seconds for one "run --once"; a hang fails the test
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
db() { sqlite3 "$SB/refbot.db" "$@"; }
# run_once LOG: one bounded pass; prints its exit status.
run_once() {
	timeout -k 5 "$RUN_TIMEOUT" "$REFBOT" --config "$CONF" run --once 2>>"$SB/$1"
	echo $?
}

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null

# --- Item 4: a newline in a decoded subject -------------------------------
refs=""
for i in $(seq 1 14); do refs="$refs <thread$i@stranger.example>"; done
cat >"$SB/inject.eml" <<EOF
From: Stranger <stranger@example.test>
To: intake@example.test
Subject: =?UTF-8?Q?a=0AInjected_line?=
Message-ID: <inject@stranger.example>
References:$refs
Date: Mon, 2 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Hello, can I refer a client?
EOF
send --from stranger --to intake --eml "$SB/inject.eml"
wait_for intake 1
rc=$(run_once run1.log)
check "the stranger's mail is processed (exit $rc)" [ "$rc" = 0 ]
check "the stranger gets the not-a-partner reply" wait_for stranger 1
reply=$(fetch stranger)
subject=$(echo "$reply" | pyjson 'repr(j[0]["headers"]["Subject"])')
diag "reply subject: $subject"
check "its Subject keeps the whole decoded subject on one line" \
	[ "$subject" = "'Re: a Injected line'" ]
check "no line of its body is the sender's injected line" \
	[ "$(echo "$reply" | pyjson 'any(l.strip() == "Injected line" for l in j[0]["text"].splitlines())')" = False ]
check "its body starts with the text's own first line" \
	[ "$(echo "$reply" | pyjson 'j[0]["text"].splitlines()[0]')" = "Hello," ]
ids=$(echo "$reply" | pyjson '" ".join(j[0]["headers"]["References"].split())')
diag "reply References: $ids"
want=""
for i in $(seq 6 14); do want="$want <thread$i@stranger.example>"; done
check "its References are the last 10 ids, ending with the stranger's own" \
	[ "$ids" = "${want# } <inject@stranger.example>" ]
check "staff are told about the stranger" wait_for staff1 1
note=$(fetch staff1)
check "the staff alert's Subject keeps the subject on one line" \
	[ "$(echo "$note" | pyjson 'j[0]["headers"]["Subject"]')" = "[refbot] Mail from someone who is not a partner: a Injected line" ]
check "no line of the staff alert's body is the injected line" \
	[ "$(echo "$note" | pyjson 'any(l.strip() == "Injected line" for l in j[0]["text"].splitlines())')" = False ]

# --- Item 1: address headers ending in ">" --------------------------------
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
wait_for intake 1
rc=$(run_once run2.log)
check "the referral is processed (exit $rc)" [ "$rc" = 0 ]
check "staff1 is notified of REF-000001" wait_for staff1 2
reply_to=$(fetch staff1 | pyjson '[m for m in j if "New referral" in m["headers"]["Subject"]][0]["headers"]["Reply-To"].strip("<>")')
diag "signed reply address: $reply_to"

cat >"$SB/brackets.eml" <<'EOF'
From: Stranger <stranger@example.test>
To: intake@example.test
X-Original-To: <x@y>
Delivered-To: a@b>
Envelope-To: >>>
Subject: Hello
Message-ID: <brackets@stranger.example>
Date: Mon, 2 Nov 2026 10:05:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Client: Someone
EOF
send --from stranger --to intake --eml "$SB/brackets.eml"
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001] New referral" \
	--header "X-Original-To: <x@y>" --header "Envelope-To: <<" \
	--body $'CONTACTED\n\nWe called Jane today.'
wait_for intake 2
rc=$(run_once run3.log)
check "the mails with '>' in address headers are processed in time (exit $rc)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || tail -n 5 "$SB/run3.log" | sed 's/^/#   /'
check "the stranger's mail is recorded as unknown-sender" \
	[ "$(db "select count(*) from messages where message_id = 'brackets@stranger.example' and disposition = 'unknown-sender'")" = 1 ]
check "the signed staff reply still acts: REF-000001 is CONTACTED" \
	[ "$(rb referral show REF-000001 --format json | pyjson 'j["status"]')" = CONTACTED ]
check "no message is left without a disposition" \
	[ "$(db "select count(*) from messages where disposition = 'pending' or disposition is null or disposition = ''")" = 0 ]
check "the intake INBOX is empty" [ "$(count intake)" = 0 ]

# The mailbox keeps flowing.
sed -e 's/^Client: .*/Client: After The Brackets KK/' \
	-e 's/^Message-ID: .*/Message-ID: <after-brackets@partner.example>/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/after.eml"
send --from partner1 --to intake --eml "$SB/after.eml"
wait_for intake 1
rc=$(run_once run4.log)
check "afterwards: run --once exits 0 (got $rc)" [ "$rc" = 0 ]
# (The same contact as REF-000001, so it is recorded as its duplicate.)
check "afterwards: the next referral is stored" \
	[ "$(rb referral list --format json | pyjson 'len([r for r in j if r["client"] == "After The Brackets KK"])')" = 1 ]
finish
