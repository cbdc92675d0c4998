#!/bin/bash
# Two ways in that other tests do not cover: "STATUS REF-n" sent to the
# intake address as new mail (answered to the referring partner only),
# and require_auth_results: a staff command needs DMARC pass or a DKIM
# pass aligned with From (an aligned SPF pass with auth_spf_fallback) in
# the topmost Authentication-Results header from the configured
# authserv-id.  The sandbox's Postfix writes none, so every header here
# is one a sender wrote: what a server that does not strip them passes on.
. "$(dirname "$0")/lib.sh"
sandbox_start

cat >>"$CONF" <<'CONF'
require_auth_results = yes
authserv_id = mx.example.test
CONF
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
run_once() { "$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null; rb run --once 2>>"$SB/run.log"; }
status() { rb referral show REF-000001 --format json | pyjson 'j["status"]'; }

send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
run_once
"$MAILTOOL" wait --env "$SB/env" --user staff1 --count 1 --timeout 20 >/dev/null
reply_to=$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson 'j[0]["headers"]["Reply-To"].strip("<>")')

# Signed, but no Authentication-Results: refused.
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "CONTACTED"
run_once
check "without Authentication-Results a signed command is refused" [ "$(status)" = NEW ]
# A pass from someone else's server proves nothing.
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" \
	--header "Authentication-Results: mx.attacker.example; dkim=pass header.d=example.test" --body "CONTACTED"
run_once
check "a pass from another authserv-id is refused" [ "$(status)" = NEW ]
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" \
	--header "Authentication-Results: mx.example.test; spf=fail smtp.mailfrom=example.test" --body "CONTACTED"
run_once
check "a failing result is refused" [ "$(status)" = NEW ]
# Issue 14 item 3: the old check took any header with our id and looked
# for "dkim=pass" or "spf=pass" anywhere in it.  (Headers over 78
# characters are folded by mailtool; the old check missed those whose
# fold came before the authserv-id, so these cases are kept short.)
unverified() { [ "$(status)" = NEW ] && [ "$(sqlite3 "$SB/refbot.db" "select disposition from messages order by id desc limit 1")" = unverified-command ]; }
# refused WHAT VALUE...: a signed CONTACTED with these Authentication-Results
# headers, topmost first, is not acted on and is recorded as unverified.
refused() {
	local what=$1 v h=()
	shift
	for v in "$@"; do h+=(--header "Authentication-Results: $v"); done
	send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" "${h[@]}" --body "CONTACTED"
	run_once
	check "$what" unverified
}
refused "dkim=pass inside a comment is refused" "mx.example.test; dkim=none (dkim=pass)"
refused "dkim=pass for another domain (header.d not aligned with From) is refused" \
	"mx.example.test; dkim=pass header.d=attacker.example"
refused "a pass with our id below the topmost one of ours is refused" \
	"mx.example.test; dkim=fail header.d=example.test" "mx.example.test; dkim=pass header.d=example.test"
refused "spf=pass alone is refused without auth_spf_fallback" \
	"mx.example.test; spf=pass smtp.mailfrom=example.test"
refused "dkim=pass inside a quoted envelope sender is refused" \
	'mx.example.test; spf=fail smtp.mailfrom="x;dkim=pass header.d=example.test"@attacker.example'
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" \
	--header "Authentication-Results: mx.example.test; dkim=pass header.d=example.test; spf=pass smtp.mailfrom=example.test" --body "CONTACTED"
run_once
check "DKIM pass from our own server is accepted" [ "$(status)" = CONTACTED ]

# STATUS REF-000001 as new mail to the intake address.
before=$("$MAILTOOL" count --env "$SB/env" --user partner1)
send --from partner1 --to intake --subject "STATUS REF-000001" --body "Could you tell me where this stands?"
run_once
check "STATUS REF-n from the referring partner is answered" \
	"$MAILTOOL" wait --env "$SB/env" --user partner1 --count $((before + 1)) --timeout 20
check "with the state" [ "$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json | pyjson '"is CONTACTED" in j[-1]["text"]')" = True ]
send --from partner2 --to intake --subject "STATUS REF-000001" --body "status please"
run_once
sleep 1
check "another partner asking gets nothing" [ "$("$MAILTOOL" count --env "$SB/env" --user partner2)" = 0 ]
check "and it is recorded" [ "$(sqlite3 "$SB/refbot.db" "select disposition from messages order by id desc limit 1")" = status-request ]
check "no referral was made of either" [ "$(rb referral list --format json | pyjson 'len(j)')" = 1 ]

# auth_spf_fallback: an SPF pass counts, only for the From domain.
echo "auth_spf_fallback = yes" >>"$CONF"
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" \
	--header "Authentication-Results: mx.example.test; spf=pass smtp.mailfrom=bounce@attacker.example" --body "LOST the client chose another firm"
run_once
check "with auth_spf_fallback an unaligned spf=pass is refused" [ "$(status)" = CONTACTED ]
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" \
	--header "Authentication-Results: mx.example.test; spf=pass smtp.mailfrom=staff1@example.test" --body "LOST the client chose another firm"
run_once
check "with auth_spf_fallback an aligned spf=pass is accepted" [ "$(status)" = LOST ]

finish
