#!/bin/bash
# SLA by tier everywhere (#16.10): the reminder quotes the tier's SLA and
# the report counts breaches by it; with sla_hours_mode = business only
# working hours count (Asia/Tokyo, the shipped Japanese holidays), so a
# referral that arrives on Friday evening is not late on Sunday, nor on a
# Monday holiday.  The clock is moved with REFBOT_CLOCK_OFFSET.
. "$(dirname "$0")/lib.sh"
sandbox_start

# The moved clock must not bring the newsletter's reminder to staff.
printf 'newsletter_reminder_days = 0\nsla_hours_tier1 = 4\n' >>"$CONF"
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" --tier 1 >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
wait_intake() { "$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null; }
hours() { REFBOT_CLOCK_OFFSET=$(($1 * 3600)) "$REFBOT" --config "$CONF" "${@:2}"; }
tokyo() { REFBOT_CLOCK_OFFSET=$(( $(date -d "$1 +0900" +%s) - $(date +%s) )) "$REFBOT" --config "$CONF" "${@:2}"; }
# reminders REF: staff1's reminders about REF so far (after mail settles)
reminders() { sleep 1; "$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson "sum('Reminder' in m['headers']['Subject'] and '$1' in m['headers']['Subject'] for m in j)"; }
breaches() { pyjson "[p['sla_breaches'] for p in j['partners'] if p['partner'] == '$1'][0]"; }

# A tier-1 partner is promised 4 hours, and the reminder says so.
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
wait_intake
hours 0 run --once 2>>"$SB/run.log"
check "a tier-1 referral is within its SLA after 3 hours" [ "$(hours 3 report --format json | breaches "Partner One")" = 0 ]
hours 5 run --once 2>>"$SB/run.log"
check "after its 4 hours staff get a reminder" [ "$(reminders REF-000001)" = 1 ]
check "which quotes the tier's 4 hours, not the global 24" [ "$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson "[m['text'] for m in j if 'Reminder' in m['headers']['Subject']][0]" | tr '\n' ' ' | grep -c 'within 4 hours')" = 1 ]
check "the report counts the tier's SLA breached after 5 hours" [ "$(hours 5 report --format json | breaches "Partner One")" = 1 ]

# Business hours in Tokyo, with Japan's holidays.
cat >>"$CONF" <<CONF
timezone = Asia/Tokyo
sla_hours_mode = business
business_days = mon-fri
business_hours = 09:00-18:00
holidays = holidays.ja.txt
sla_hours = 8
CONF
send --from partner2 --to intake --subject "Referral" --body $'Client: Friday Evening KK\nContact name: Ken\nContact email: ken@friday.example\nService needed: Tax\nChallenge: Setup\nClient aware: yes\n'
wait_intake
tokyo "2027-01-08 19:00" run --once 2>>"$SB/run.log"	# a Friday
check "the Friday-evening referral is REF-000002" [ "$(sqlite3 "$SB/refbot.db" "select client from referrals where id = 2")" = "Friday Evening KK" ]
tokyo "2027-01-10 12:00" run --once 2>>"$SB/run.log"
check "no reminder on Sunday" [ "$(reminders REF-000002)" = 0 ]
check "and no breach in Sunday's report" [ "$(tokyo "2027-01-10 12:00" report --format json | breaches "Partner Two")" = 0 ]
tokyo "2027-01-11 17:30" run --once 2>>"$SB/run.log"
check "none on Monday the 11th either: 成人の日, a holiday" [ "$(reminders REF-000002)" = 0 ]
tokyo "2027-01-12 16:30" run --once 2>>"$SB/run.log"
check "none on Tuesday at 16:30 (7.5 working hours)" [ "$(reminders REF-000002)" = 0 ]
tokyo "2027-01-12 17:30" run --once 2>>"$SB/run.log"
check "the reminder comes on Tuesday after 8 working hours" [ "$(reminders REF-000002)" = 1 ]
check "and the report then counts the breach" [ "$(tokyo "2027-01-12 17:30" report --format json | breaches "Partner Two")" = 1 ]
printf '2027-01-01\n2027-13-01  # no such month\n' >"$SB/h.txt"
sed -i "s|^holidays = .*|holidays = $SB/h.txt|" "$CONF"
check "a bad holidays line is refused, naming file and line" grep -q "h.txt:2: not a date" <<<"$(rb report 2>&1 >/dev/null)"

finish
