#!/bin/bash
# Two ways in that other tests do not cover: "STATUS REF-n" sent to the
# intake address as new mail (answered to the referring partner only),
# and require_auth_results: a staff command needs DKIM or SPF "pass" in
# an Authentication-Results header from the configured authserv-id.
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

finish
