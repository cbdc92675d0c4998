#!/bin/bash
# A mail system without plus addressing (#17.1): Postfix without
# recipient_delimiter refuses intake+anything@.  "doctor --mail" says so,
# with the fix; with reply_token = message-id refbot's mail has no plus
# Reply-To and a staff keyword reply still acts, proven by the signed
# Message-ID it carries back in In-Reply-To.
. "$(dirname "$0")/lib.sh"
export SANDBOX_NO_PLUS=1
sandbox_start

send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null 2>&1; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$@"; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
run_once() { wait_for intake 1; rb run --once 2>>"$SB/run.log"; }
status() { rb referral show REF-000001 --format json | pyjson 'j["status"]'; }

rb init >/dev/null
check "the sandbox refuses a plus address, as such a site does" \
	bash -c '! "$1" send --env "$2" --from partner1 --to intake+r1@example.test --body x >/dev/null 2>&1' _ "$MAILTOOL" "$SB/env"

doc=$(rb doctor --mail 2>&1)
rc=$?
diag "$(grep '^.... mail' <<<"$doc")"
check "doctor --mail fails (exit 78, not $rc)" [ "$rc" = 78 ]
check "it says the server refused the probe, and the fix" \
	bash -c 'grep "^FAIL mail: the SMTP server refused the probe to intake+doctor\." <<<"$1" | grep -q "recipient_delimiter = +.*reply_token = message-id"' _ "$doc"

echo "reply_token = message-id" >>"$CONF"
doc=$(rb doctor --mail 2>&1)
rc=$?
check "with reply_token = message-id, doctor --mail warns and exits 0 ($rc)" \
	bash -c '[ "$1" = 0 ] && grep -q "^WARN mail: the SMTP server refused the probe.*reply_token = message-id copes" <<<"$2"' _ "$rc" "$doc"
rb partner add partner1@example.test --name "Partner One" >/dev/null
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
run_once
check "staff1 is notified" wait_for staff1 1
note=$(fetch staff1)
note_id=$(echo "$note" | pyjson 'j[0]["headers"]["Message-ID"]')
check "the notification has no Reply-To" \
	[ "$(echo "$note" | pyjson 'j[0]["headers"]["Reply-To"]')" = None ]
check "its Message-ID carries the signed token ($note_id)" \
	grep -qE '^<r1\.s\.[a-z2-7]{16}\.[0-9a-f]+@' <<<"$note_id"
check "the partner's acknowledgement has no plus Reply-To either" \
	[ "$(fetch partner1 | pyjson 'j[0]["headers"]["Reply-To"]')" = None ]

# Staff press Reply: the mail goes to the intake address itself.
send --from staff1 --to intake --subject "Re: [REF-000001] New referral" \
	--header "In-Reply-To: $note_id" --header "References: $note_id" \
	--body $'CONTACTED\nWe called the client today.'
run_once
check "the keyword reply acts: CONTACTED" [ "$(status)" = CONTACTED ]
check "the partner gets the update" wait_for partner1 2

# Without the signed Message-ID the same mail changes nothing.
send --from staff1 --to intake --subject "Re: [REF-000001] New referral" \
	--body $'LOST budget cut'
run_once
check "a reply without our Message-ID changes nothing" [ "$(status)" = CONTACTED ]
finish
