#!/bin/bash
# The tier table across a year boundary: a partner's rate counts only its
# referrals of the won referral's calendar year (the guide's 1-3 10 %,
# 4-10 15 %), so last year's referrals do not raise this year's rate.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
for i in 1 2 3 4 5 6; do
	"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --subject "Referral $i" \
		--body $'Client: Ledger Client '"$i"$' KK\nContact name: P'"$i"$'\nContact email: p'"$i"$'@ledger'"$i"$'.example\nService needed: Audit\nChallenge: Close\nClient aware: yes\n' >/dev/null
done
"$MAILTOOL" wait --env "$SB/env" --user intake --count 6 --timeout 30 >/dev/null
rb run --once 2>>"$SB/run.log"
"$MAILTOOL" wait --env "$SB/env" --user staff1 --count 6 --timeout 30 >/dev/null
# REF-000001 and REF-000002 came in last year.
sqlite3 "$SB/refbot.db" "update referrals set created_at = created_at - 366 * 86400 where id in (1, 2)"
notes=$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json)
won() {
	local to
	to=$(echo "$notes" | pyjson "[m for m in j if 'REF-00000$1' in m['headers']['Subject']][0]['headers']['Reply-To'].strip('<>')")
	"$MAILTOOL" send --env "$SB/env" --from staff1 --to "$to" --subject "Re: [REF-00000$1]" --body "WON 1,000,000" >/dev/null
	"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
	rb run --once 2>>"$SB/run.log"
}
rate() { sqlite3 "$SB/refbot.db" "select rate_bp from ledger where referral_id = $1"; }

won 4
check "the 2nd referral this year earns 10% (last year's do not count)" [ "$(rate 4)" = 1000 ]
won 6
check "the 4th referral this year earns 15% (the 3/4 boundary)" [ "$(rate 6)" = 1500 ]
won 2
check "last year's 2nd referral earns last year's rate, 10%" [ "$(rate 2)" = 1000 ]
check "amounts are integer minor units: 10% of 1,000,000 is 100,000" [ "$(sqlite3 "$SB/refbot.db" "select amount from ledger where referral_id = 4")" = 100000 ]

finish
