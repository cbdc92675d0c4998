#!/bin/bash
# Attribution: two partners refer the same client; the first formal
# referral keeps the credit, the second partner is told politely, staff
# see both, linked.  A different client from the second partner is new.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
run_once() { "$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null; rb run --once 2>>"$SB/run.log"; }

send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
run_once
send --from partner2 --to intake --subject "Referral" --body $'Client: ACME WIDGETS, LTD.\nContact name: J. Smith\nContact email: j.smith@acme.example\nService needed: Tax\nChallenge: Japan entry\nClient aware: yes\n'
run_once
list=$(rb referral list --format json)
check "the first referral is NEW" [ "$(echo "$list" | pyjson '[r["status"] for r in j if r["ref"] == "REF-000001"][0]')" = NEW ]
check "the second, same company by another name, is DUPLICATE" [ "$(echo "$list" | pyjson '[r["status"] for r in j if r["ref"] == "REF-000002"][0]')" = DUPLICATE ]
check "it is linked to the first" [ "$(sqlite3 "$SB/refbot.db" "select duplicate_of from referrals where id = 2")" = 1 ]
check "the second partner is told politely" "$MAILTOOL" wait --env "$SB/env" --user partner2 --count 1 --timeout 20
check "that the first formal referral is credited" [ "$("$MAILTOOL" fetch --env "$SB/env" --user partner2 --format json | pyjson '"already in our pipeline" in j[0]["headers"]["Subject"] and "first formal referral" in j[0]["text"]')" = True ]
check "staff see both" "$MAILTOOL" wait --env "$SB/env" --user staff1 --count 2 --timeout 20
check "the staff mail names the first referral" [ "$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson '"first: REF-000001" in j[1]["headers"]["Subject"]')" = True ]
check "the first partner hears nothing more" [ "$("$MAILTOOL" count --env "$SB/env" --user partner1)" = 1 ]

# Staff move the credit to the second referral with CREDIT.
dup_note=$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson '[m for m in j if "Duplicate referral" in m["headers"]["Subject"]][0]["headers"]["Reply-To"].strip("<>")')
send --from staff1 --to "$dup_note" --subject "Re: [REF-000002]" --body "CREDIT REF-000002"
run_once
check "CREDIT gives the second referral the credit" [ "$(rb referral show REF-000002 --format json | pyjson 'j["status"]')" = NEW ]
check "and the first becomes its duplicate" [ "$(sqlite3 "$SB/refbot.db" "select status || ' ' || duplicate_of from referrals where id = 1")" = "DUPLICATE 2" ]
check "the second is no longer linked" [ "$(sqlite3 "$SB/refbot.db" "select coalesce(duplicate_of, 0) from referrals where id = 2")" = 0 ]

check "the CLI can move it back" rb referral credit REF-000001
check "and then REF-000001 has it again" [ "$(sqlite3 "$SB/refbot.db" "select status || ' ' || coalesce(duplicate_of, 0) from referrals where id in (1, 2) order by id" | tr '\n' ,)" = "NEW 0,DUPLICATE 1," ]
check "crediting a referral that is no duplicate is refused" bash -c "! '$REFBOT' --config '$CONF' referral credit REF-000001 2>/dev/null"
rb referral credit REF-000002 >/dev/null

send --from partner2 --to intake --subject "Another" --body $'Client: Globex KK\nContact name: Hank\nContact email: hank@globex.example\nService needed: Audit\nChallenge: Close\nClient aware: yes\n'
run_once
check "a different client from the second partner is NEW" [ "$(rb referral show REF-000003 --format json | pyjson 'j["status"]')" = NEW ]

# Same email domain (not free-mail) is the same client.
send --from partner2 --to intake --subject "Acme again" --body $'Client: Acme Europe\nContact name: Bob\nContact email: bob@acme.example\nService needed: Tax\nChallenge: EU\nClient aware: yes\n'
run_once
check "the same company domain is a duplicate (of the credited one)" [ "$(sqlite3 "$SB/refbot.db" "select status || ' ' || duplicate_of from referrals where id = 4")" = "DUPLICATE 2" ]
# A free-mail domain proves nothing.
send --from partner1 --to intake --subject "Freelancer" --body $'Client: Lone Consultant\nContact name: Ann\nContact email: ann@gmail.com\nService needed: Tax\nChallenge: Setup\nClient aware: yes\n'
run_once
send --from partner2 --to intake --subject "Other freelancer" --body $'Client: Other Person\nContact name: Ben\nContact email: ben@gmail.com\nService needed: Tax\nChallenge: Setup\nClient aware: yes\n'
run_once
check "two clients on gmail.com are not duplicates" [ "$(rb referral show REF-000006 --format json | pyjson 'j["status"]')" = NEW ]

# The protection window (90 days).  Globex (REF-000003) was referred 100
# days ago; the hourly tidy (here two hours on) takes it out of the
# duplicate indexes, and a new Globex referral is new.
q() { sqlite3 "$SB/refbot.db" "$1"; }
q "update referrals set created_at = strftime('%s', 'now') - 100 * 86400 where id = 3"
REFBOT_CLOCK_OFFSET=7200 rb run --once 2>>"$SB/run.log"
check "the hourly tidy takes a referral past the window out of the duplicate indexes" [ "$(q "select in_window from referrals where id = 3")" = 0 ]
send --from partner1 --to intake --subject "Globex again" --body $'Client: Globex KK\nContact name: Ivy\nContact email: ivy@globex.example\nService needed: Tax\nChallenge: Close\nClient aware: yes\n'
run_once
check "past the window, the same client is new" [ "$(q "select status from referrals where id = 7")" = NEW ]
# The firm lengthens the window to 120 days: Globex's first is protected
# again, and the next referral is its duplicate, not REF-000007's.
sed -i '/^protection_days/d' "$CONF"
echo "protection_days = 120" >>"$CONF"
send --from partner2 --to intake --subject "Globex once more" --body $'Client: Globex KK\nContact name: Joe\nContact email: joe@globex.example\nService needed: Tax\nChallenge: Close\nClient aware: yes\n'
run_once
check "a longer window finds the first referral again" [ "$(q "select status || ' ' || duplicate_of from referrals where id = 8")" = "DUPLICATE 3" ]
# So does the CLI, with no pass of the daemon in between: the lone
# consultant (REF-000005), 140 days old, leaves the 120-day window at
# the next tidy; at 150 days, "referral add" finds it again.
q "update referrals set created_at = strftime('%s', 'now') - 140 * 86400 where id = 5"
REFBOT_CLOCK_OFFSET=10800 rb run --once 2>>"$SB/run.log"
check "the tidy takes it out of the window" [ "$(q "select in_window from referrals where id = 5")" = 0 ]
sed -i '/^protection_days/d' "$CONF"
echo "protection_days = 150" >>"$CONF"
check "referral add with a longer window" rb referral add --partner partner2@example.test --quiet --field client="Lone Consultant" --field contact_name=Ann --field contact_email=ann@gmail.com --field service=Tax --field challenge=Setup --field client_aware=yes
check "finds the first referral again" [ "$(q "select status || ' ' || duplicate_of from referrals where id = 9")" = "DUPLICATE 5" ]

finish
