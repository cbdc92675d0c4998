#!/bin/bash
# Quarterly statements (#16.3): revenue and commission counted on the same
# basis (won / booked in the quarter, not referred in it), quarters in the
# configured timezone, and the daemon sending the quarter's statements on
# statement_day, once per partner and quarter, across restarts.
# The clock is moved with REFBOT_CLOCK_OFFSET to fixed dates in 2027/28.
. "$(dirname "$0")/lib.sh"
sandbox_start

sed -i '/^timezone *=/d' "$CONF"
printf 'timezone = Asia/Tokyo\n' >>"$CONF"	# statement_day: the default, 5
# at "2027-09-20 12:00" CMD...: CMD with the clock at that Tokyo time.
at() { local when=$1; shift; REFBOT_CLOCK_OFFSET=$(( $(date -d "$when +0900" +%s) - $(date +%s) )) "$@"; }
rbat() { local when=$1; shift; at "$when" "$REFBOT" --config "$CONF" "$@"; }
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
wait_intake() { "$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
subjects() { fetch "$1" | pyjson '"|".join(m["headers"]["Subject"] for m in j)'; }
# stmts QUARTER: how many of partner1's mails are that quarter's statement
stmts() { subjects partner1 | tr '|' '\n' | grep -c "statement $1"; }
# await QUARTER: until partner1 has that statement (20 s at most)
await() { local i; for i in $(seq 40); do [ "$(stmts "$1")" -ge 1 ] && return 0; sleep 0.5; done; return 1; }

rbat "2027-06-01 10:00" init >/dev/null
rbat "2027-06-01 10:00" partner add partner1@example.test --name "Partner One" >/dev/null
referral() {	# referral WHEN N: partner1 refers client N at WHEN
	send --from partner1 --to intake --subject "Referral $2" --body $'Client: Stmt Client '"$2"$' KK\nContact name: P'"$2"$'\nContact email: p'"$2"$'@stmt'"$2"$'.example\nService needed: Audit\nChallenge: Close\nClient aware: yes\n'
	wait_intake
	rbat "$1" run --once 2>>"$SB/run.log"
}
won() {		# won WHEN N: staff mark REF-N WON 1,000,000 at WHEN
	local to
	to=$(fetch staff1 | pyjson "[m for m in j if 'REF-00000$2' in m['headers']['Subject']][0]['headers']['Reply-To'].strip('<>')")
	send --from staff1 --to "$to" --subject "Re: [REF-00000$2]" --body "WON 1,000,000"
	wait_intake
	rbat "$1" run --once 2>>"$SB/run.log"
}

referral "2027-09-20 12:00" 1		# received in Q3 ...
referral "2027-10-02 12:00" 2		# received in Q4 ...
won "2027-10-03 12:00" 1		# ... won in Q4
rbat "2027-10-05 09:00" run --once 2>>"$SB/run.log"	# Q3's statements go
# Won at 2027-12-31 20:00 UTC: in Tokyo that is 2028-01-01 05:00, Q1.
won "2028-01-01 05:00" 2
check "both are WON" [ "$(sqlite3 "$SB/refbot.db" "select group_concat(status) from referrals")" = "WON,WON" ]

q4=$(rbat "2028-01-02 10:00" statement --quarter 2027Q4 --partner partner1@example.test)
check "Q4: the revenue of the referral won in Q4, though referred in Q3" grep -q 'Revenue won from them: *¥1,000,000$' <<<"$q4"
check "Q4: the commission booked in Q4, on the same referral" grep -q 'Commission earned: *¥100,000$' <<<"$q4"
check "Q4: lists the referral won in it" grep -q "REF-000001  WON" <<<"$q4"
check "Q4: runs Oct 1 - Dec 31 in Tokyo" grep -q "2027-10-01 – 2027-12-31" <<<"$q4"
q3=$(rbat "2028-01-02 10:00" statement --quarter 2027Q3 --partner partner1@example.test)
check "Q3: no revenue (nothing was won in Q3)" grep -q 'Revenue won from them: *¥0$' <<<"$q3"
check "Q3: and no commission" grep -q 'Commission earned: *¥0$' <<<"$q3"
q1=$(rbat "2028-01-02 10:00" statement --quarter 2028Q1 --partner partner1@example.test)
check "Q1 2028 (Tokyo): the referral won on New Year's morning, revenue" grep -q 'Revenue won from them: *¥1,000,000$' <<<"$q1"
check "Q1 2028 (Tokyo): and its commission" grep -q 'Commission earned: *¥100,000$' <<<"$q1"
check "the Q3 statement went out on its own on October 5th" await 2027Q3

# The daemon: not before January 5th, then once, also after a restart.
rbat "2028-01-04 23:30" run --once 2>>"$SB/run.log"
sleep 2
check "no Q4 statement on January 4th" [ "$(stmts 2027Q4)" = 0 ]
rbat "2028-01-05 00:30" run --once 2>>"$SB/run.log"
check "the Q4 statement arrives on January 5th" await 2027Q4
rbat "2028-01-05 01:00" run --once 2>>"$SB/run.log"
rbat "2028-02-10 09:00" run --once 2>>"$SB/run.log"
sleep 2
check "and only once, through restarts" [ "$(stmts 2027Q4)" = 1 ]
check "recorded as sent for the partner and quarter" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from statements_sent where quarter = '2027Q4'")" = 1 ]
check "a --send afterwards does not send it again" grep -q "sent before" <<<"$(rb statement --quarter 2027Q4 --send)"

finish
