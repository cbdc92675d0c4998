#!/bin/bash
# Issue 18 (the gap of item 2): staff_addresses is optional once the
# staff registry has an active person.  With neither, refbot run and
# refbot doctor refuse, saying so and naming the configuration file;
# with a registry alone, a new referral reaches its person.
. "$(dirname "$0")/lib.sh"
sandbox_start

sed '/^staff_addresses/d' "$CONF" >"$SB/nostaff.conf"
chmod 600 "$SB/nostaff.conf"
nb() { "$REFBOT" --config "$SB/nostaff.conf" "$@"; }
check "a configuration without staff_addresses loads (init)" nb init
out=$(nb run --once 2>&1)
rc=$?
diag "$out"
check "with nobody in the registry either, run refuses (exit 78, got $rc)" [ "$rc" = 78 ]
check "saying so and naming the configuration file" \
	grep -q "no staff to tell: staff_addresses is not set in $SB/nostaff.conf" <<<"$out"
doc=$(nb doctor 2>&1)
check "doctor fails the staff check, naming the file" \
	grep -q "^FAIL staff: no staff to tell: .* $SB/nostaff.conf" <<<"$doc"

nb staff add staff2@example.test --name "Staff Two" --lang en --role intake >/dev/null
doc=$(nb doctor 2>&1)
diag "$(grep 'staff' <<<"$doc")"
check "with one active person, doctor's staff check passes" \
	grep -q "^OK   staff: 0 in staff_addresses, 1 active in the registry" <<<"$doc"
nb partner add partner1@example.test --name "Partner One" >/dev/null
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
nb run --once 2>>"$SB/run.log"
rc=$?
check "run works from the registry alone (exit $rc)" [ "$rc" = 0 ]
check "and the new referral reaches the registry's person" \
	"$MAILTOOL" wait --env "$SB/env" --user staff2 --count 1 --timeout 20
check "nobody else" [ "$("$MAILTOOL" count --env "$SB/env" --user staff1)" = 0 ]
nb staff deactivate staff2@example.test >/dev/null
out=$(nb run --once 2>&1)
check "once that person is deactivated, run refuses again" [ "$?" = 78 ]
finish
