#!/bin/bash
# The scorecard page (issue #10): a database built through real mail —
# partners refer, staff move referrals through the pipeline by keyword,
# a duplicate, payouts, referrals given, costs — then "refbot report
# --format html" rendered in headless Chromium: the page is
# self-contained, the rendered DOM shows the right totals and labels in
# English and in Japanese, and the screenshots are not blank.  The pages
# and screenshots are left in the test's artifacts folder.
export SANDBOX_EXTRA_USERS="stranger"
. "$(dirname "$0")/lib.sh"
sandbox_start
export BROWSER_LOG="$SB/chromium.log"

rb init >/dev/null
rb partner add partner1@example.test --name "Alpha Consulting KK" >/dev/null
rb partner add partner2@example.test --name "ベータ会計事務所" --lang ja >/dev/null
rb partner add gamma@law.example --name "Gamma Law" >/dev/null

send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
# pass N: N messages have reached the intake mailbox; one refbot pass.
pass() {
	"$MAILTOOL" wait --env "$SB/env" --user intake --count "$1" --timeout 30 >/dev/null
	rb run --once 2>>"$SB/run.log"
}
referral() {	# FROM CLIENT N
	send --from "$1" --to intake --subject "Referral $3" --body "Client: $2
Contact name: Contact $3
Contact email: c$3@client$3.example
Service needed: Audit
Challenge: Year-end close
Client aware: yes
"
}

# REF-000001..4 from Alpha, 5 and 6 from Beta.
for i in 1 2 3 4; do referral partner1 "Alpha Client $i KK" "$i"; done
for i in 5 6; do referral partner2 "Beta Client $i KK" "$i"; done
pass 6
"$MAILTOOL" wait --env "$SB/env" --user staff1 --count 6 --timeout 30 >/dev/null
notes=$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json)
# Beta refers Alpha's first client again: a duplicate, credited to Alpha.
send --from partner2 --to intake --subject "Referral 7" --body $'Client: Alpha Client 1 KK\nContact name: Someone Else\nContact email: else@elsewhere.example\nService needed: Tax\nChallenge: Audit\nClient aware: yes\n'
pass 1

# staff REF KEYWORD...: staff1 answers the notification of REF-00000N.
staff() {
	local to
	to=$(echo "$notes" | pyjson "[m for m in j if 'REF-00000$1' in m['headers']['Subject']][0]['headers']['Reply-To'].strip('<>')")
	send --from staff1 --to "$to" --subject "Re: [REF-00000$1]" --body "$2"
}
# The pipeline: 1 goes all the way to WON, 2 to MEETING, 3 is CONTACTED,
# 4 is never answered, 5 is LOST after a proposal, 6 is WON at once
# (skipping steps: it still counts as contacted, met and proposed).
staff 1 CONTACTED; staff 2 CONTACTED; staff 3 CONTACTED; staff 5 CONTACTED
staff 6 "WON 500,000"
pass 5
staff 1 MEETING; staff 2 MEETING; staff 5 MEETING
pass 3
staff 1 PROPOSAL; staff 5 PROPOSAL
pass 2
staff 1 "WON 1,000,000"; staff 5 "LOST budget cut"
pass 2
status=$(sqlite3 "$SB/refbot.db" "select group_concat(status, ' ') from (select status from referrals order by id)")
check "the pipeline was built through mail ($status)" \
	[ "$status" = "WON MEETING CONTACTED NEW LOST WON DUPLICATE" ]

rb payout add partner1@example.test 60000 >/dev/null
rb given add partner1@example.test --client "Given A" >/dev/null
rb given add partner1@example.test --client "Given B" >/dev/null
for i in 1 2 3; do rb given add gamma@law.example --client "Given C$i" >/dev/null; done
rb cost add 50000 >/dev/null

# Arrival and first-response times over four months (August has none):
# June 30 h and 10 h, July 48 h, September 2 h and 4 h, REF-000004 never.
at() { date -u -d "$1" +%s; }
set_times() {	# ID ARRIVED HOURS|-
	local c
	c=$(at "$2")
	if [ "$3" = - ]; then
		sqlite3 "$SB/refbot.db" "update referrals set created_at = $c, first_response_at = null where id = $1"
	else
		sqlite3 "$SB/refbot.db" "update referrals set created_at = $c, first_response_at = $c + $3 * 3600 where id = $1"
	fi
}
set_times 1 "2026-06-10 09:00" 30
set_times 2 "2026-06-12 09:00" 10
set_times 3 "2026-07-10 09:00" 48
set_times 4 "2026-09-08 09:00" -
set_times 5 "2026-09-09 09:00" 2
set_times 6 "2026-09-10 09:00" 4
set_times 7 "2026-09-11 09:00" -

# The JSON report, to compare: the page shows the same numbers.
json=$(rb report --format json)
check "the JSON report agrees: 7 received, 2 won, 33%, 3 breaches" \
	[ "$(echo "$json" | pyjson '(j["overall"]["received"], j["overall"]["won"], j["overall"]["conversion"], j["overall"]["sla_breaches"])')" = "(7, 2, '33%', 3)" ]

# The page.
rb report --format html >"$SB/scorecard.en.html" 2>"$SB/report.err"
check "report --format html exits 0" [ $? -eq 0 ]
page=$(cat "$SB/scorecard.en.html")
check "the page says it is UTF-8 and English" grep -q '<html lang="en"><head><meta charset="utf-8">' <<<"$page"
check "the page names no outside address (no http:// or https://)" bash -c "! grep -qiE 'https?://' '$SB/scorecard.en.html'"
check "the page has no script, no outside file, no font to fetch" \
	bash -c "! grep -qiE '<script|<link|<img|<iframe|src=|url\\(|@import|@font-face' '$SB/scorecard.en.html'"
check "the page has print styles" grep -q '@media print' <<<"$page"
check "the page has seven SVG charts (five, satisfaction and tiers)" [ "$(grep -o '<svg class="chart' <<<"$page" | wc -l)" -eq 7 ]

# The blank check is not vacuous: an empty page fails it.
echo '<!DOCTYPE html><html><body></body></html>' >"$SB/blank.html"
"$BROWSER" shot "$SB/blank.html" "$SB/blank.png" 400,300
check "a blank page's screenshot is found blank" bash -c "! '$BROWSER' notblank '$SB/blank.png' 32 2>/dev/null"
render scorecard.en
check "DOM: English, all partners" shows "lang|en" "partner|Partner: all partners"
check "DOM: key figures" shows "t-key|Received|7" "t-key|Given|5" \
	"t-key|Won|2" "t-key|Conversion|33%" "t-key|Revenue|¥1,500,000" \
	"t-key|Commission earned|¥150,000" "t-key|Commission paid|¥60,000" \
	"t-key|Programme costs|¥50,000" "t-key|Return on commission and costs|650%" \
	"t-key|Median time to first response|10.0 h" "t-key|SLA breaches|3" \
	"t-key|Duplicates|1"
check "DOM: the funnel (duplicates out; WON at once counts every stage)" shows \
	"t-funnel|Received|6|100%" "t-funnel|Contacted|5|83%" \
	"t-funnel|Meeting|4|66%" "t-funnel|Proposal|3|50%" "t-funnel|Won|2|33%"
check "DOM: referrals and wins per partner" shows \
	"t-partners|Alpha Consulting KK|4|0|1|25%" \
	"t-partners|ベータ会計事務所|3|1|1|50%" \
	"t-partners|Gamma Law|0|0|0|-" "t-partners|Overall|7|1|2|33%"
check "DOM: reciprocity" shows "t-reciprocity|Alpha Consulting KK|2|4|-2" \
	"t-reciprocity|ベータ会計事務所|0|3|-3" "t-reciprocity|Gamma Law|3|0|+3" \
	"t-reciprocity|Overall|5|7|-2"
check "DOM: first response by month against the SLA, August empty" shows \
	"t-response|2026-06|2|20.0|1" "t-response|2026-07|1|48.0|1" \
	"t-response|2026-08|0|-|0" "t-response|2026-09|3|3.0|1" \
	"t-response|Overall|6|10.0|3"
check "DOM: commission earned and paid" shows \
	"t-commission|Alpha Consulting KK|¥100,000|¥60,000|+¥40,000" \
	"t-commission|ベータ会計事務所|¥50,000|¥0|+¥50,000" \
	"t-commission|Overall|¥150,000|¥60,000|+¥90,000"
dom=$(cat "$SB/scorecard.en.dom.html" 2>/dev/null)
check "DOM: the SLA line is at 24 h, July's point is over it" \
	grep -q 'class="point over" data-value="480"' <<<"$dom"
check "DOM: the funnel's first bar is 6 referrals" grep -q 'class="stage" data-value="6"' <<<"$dom"

# A period: September only.
rb report --format html --from 2026-09-01 --to 2026-09-30 >"$SB/scorecard.sep.html"
render scorecard.sep
check "DOM: --from/--to choose the period" shows "period|Referrals received: 2026-09-01 – 2026-09-30" \
	"t-key|Received|4" "t-funnel|Received|3|100%" "t-response|2026-09|3|3.0|1"
check "DOM: only that period's months" bash -c "! grep -q 't-response|2026-06' <<<\"\$1\"" _ "$rows"

# One partner.
rb report --format html --partner partner2@example.test >"$SB/scorecard.beta.html"
check "--partner works for html" grep -q '<p id="partner">Partner: ベータ会計事務所</p>' "$SB/scorecard.beta.html"

# Japanese, when the configuration says so.
cp "$CONF" "$SB/ja.conf"
echo "language = ja" >>"$SB/ja.conf"
"$REFBOT" --config "$SB/ja.conf" report --format html >"$SB/scorecard.ja.html"
render scorecard.ja
check "DOM (ja): lang=ja, Japanese headings" shows "lang|ja" "partner|パートナー: 全パートナー"
check "DOM (ja): Japanese labels with the same numbers" shows \
	"t-key|受けた紹介|7" "t-key|成約|2" "t-key|成約率|33%" \
	"t-key|初回対応までの時間(中央値)|10.0 時間" \
	"t-funnel|連絡済|5|83%" "t-funnel|面談|4|66%" "t-funnel|提案|3|50%" \
	"t-partners|合計|7|1|2|33%"
check "DOM (ja): chart titles in Japanese" grep -q '<title>紹介ファネル</title>' "$SB/scorecard.ja.dom.html"
check "DOM (ja): the SLA line is labelled in Japanese" grep -q 'SLA 24 時間' "$SB/scorecard.ja.dom.html"

# An empty database still makes a page.
cp "$CONF" "$SB/empty.conf"
sed -i "s|^database = .*|database = $SB/empty.db|" "$SB/empty.conf"
"$REFBOT" --config "$SB/empty.conf" init >/dev/null
"$REFBOT" --config "$SB/empty.conf" report --format html >"$SB/scorecard.empty.html"
check "an empty database gives a page that says there is no data" \
	grep -q 'No data for this period' "$SB/scorecard.empty.html"

rb report --format pdf >/dev/null 2>"$SB/bad.err"
check "an unknown format is a usage error that lists html" \
	[ $? -eq 64 -a -n "$(grep 'text, csv, json or html' "$SB/bad.err")" ]
# Chromium's own chatter (D-Bus, GPU) stays with the pages, not in the log.
artifact "$BROWSER_LOG"
diag "pages and screenshots: $ARTIFACTS"

finish
