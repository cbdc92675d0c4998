#!/bin/bash
# F5: a referral still NEW after sla_hours gets one reminder to staff; at
# twice that, one escalation; never twice, across restarts.  A referral
# answered in time gets neither, and its first response time is kept.
# The clock is moved with REFBOT_CLOCK_OFFSET so nobody waits a day.
export SANDBOX_EXTRA_USERS="stranger boss"
. "$(dirname "$0")/lib.sh"
sandbox_start

echo "escalation_address = boss@example.test" >>"$CONF"
# The moved clock must not bring the newsletter's reminder to staff (it
# would on some days of the month) into the counts below.
echo "newsletter_reminder_days = 0" >>"$CONF"
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
at() { REFBOT_CLOCK_OFFSET=$(($1 * 3600)) "$REFBOT" --config "$CONF" run --once 2>>"$SB/run.log"; }

"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
at 0
"$MAILTOOL" wait --env "$SB/env" --user staff1 --count 1 --timeout 20 >/dev/null
check "no reminder while the SLA holds" [ "$(count staff1)" = 1 ]

at 25
check "after 24 hours staff get one reminder" "$MAILTOOL" wait --env "$SB/env" --user staff1 --count 2 --timeout 20
check "the reminder is about REF-000001" [ "$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson '"Reminder" in j[1]["headers"]["Subject"] and "REF-000001" in j[1]["headers"]["Subject"]')" = True ]
at 30
at 31
sleep 1
check "and only one, across restarts" [ "$(count staff1)" = 2 ]
check "no escalation yet" [ "$(count boss)" = 0 ]

at 49
check "after twice the SLA the escalation address gets one escalation" "$MAILTOOL" wait --env "$SB/env" --user boss --count 1 --timeout 20
at 60
sleep 1
check "and only one" [ "$(count boss)" = 1 ]
check "the history records both" [ "$(rb referral show REF-000001 --format json | pyjson '[h["event"] for h in j["history"]][1:]')" = "['sla-reminded', 'sla-escalated']" ]

# Answered in time: no reminder, and the first response time is kept.
# (Another client: the same one again would be a duplicate.)
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/ja-utf8-qp.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
at 0
"$MAILTOOL" wait --env "$SB/env" --user staff1 --count 3 --timeout 20 >/dev/null
note=$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson '[m for m in j if "REF-000002" in m["headers"]["Subject"]][0]["headers"]["Reply-To"].strip("<>")')
"$MAILTOOL" send --env "$SB/env" --from staff1 --to "$note" --subject "Re: [REF-000002]" --body "CONTACTED" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
at 1
check "the first response is recorded" [ "$(sqlite3 "$SB/refbot.db" "select first_response_at is not null from referrals where id = 2")" = 1 ]
before=$(count staff1)
at 30
sleep 1
check "an answered referral gets no reminder" [ "$(count staff1)" = "$before" ]

# A strategic (tier 1) partner is promised a faster first response.
echo "sla_hours_tier1 = 4" >>"$CONF"
rb partner add partner2@example.test --name "Partner Two" --tier 1 >/dev/null
sed -e 's/partner1@example.test/partner2@example.test/' -e 's/plain-en@partner.example/tier1@partner.example/' \
	-e 's/Acme Widgets Ltd/Tier One Corp/' -e 's/jane.smith@acme.example/t1@tierone.example/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/tier1.eml"
"$MAILTOOL" send --env "$SB/env" --from partner2 --to intake --eml "$SB/tier1.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
at 0
n=$(count staff1)
at 5
check "a tier-1 referral is reminded after its own 4 hours" "$MAILTOOL" wait --env "$SB/env" --user staff1 --count $((n + 1)) --timeout 20
check "the reminder is for that referral" [ "$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson '"Reminder" in j[-1]["headers"]["Subject"] and "REF-000003" in j[-1]["headers"]["Subject"]')" = True ]

finish
