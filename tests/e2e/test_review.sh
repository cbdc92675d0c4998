#!/bin/bash
# Issue 20 items 3 and 4: the quarterly review pack and relationship
# health.  A partner with referrals both ways (entered with "referral
# add" and moved with "referral set-status"), a payout, a stalled and a
# late referral, and survey answers (seeded in SQL: the surveys are
# another branch's; the lead adds the check through real answers) gets
# its pack mailed, review_days before the quarter ends, to its account
# manager in Japanese, and a partner without one to the managers in
# English; once per quarter across passes.  The talking points' words
# and thresholds come from templates/mail/talking-points.*.txt: editing
# it changes them.  The pack as a page ("report --review") and the
# scorecard's health sections are rendered in headless Chromium; the
# text, CSV and JSON reports carry survey averages and trend,
# conversion by tier and the "needs attention" list.  The clock is moved
# with REFBOT_CLOCK_OFFSET (timezone = UTC).
export SANDBOX_EXTRA_USERS="stranger boss"
. "$(dirname "$0")/lib.sh"
sandbox_start
export BROWSER_LOG="$SB/chromium.log"

D=86400
# IN: 09:00 seven days before the current quarter ends (inside the
# default review_days = 14); EARLY: twenty days before (outside).
read -r QNAME QSTART QEND IN EARLY < <(/usr/bin/python3 -c '
import datetime as d, time
now = d.datetime.now(d.timezone.utc)
q = (now.month - 1) // 3
start = d.datetime(now.year, q * 3 + 1, 1, tzinfo=d.timezone.utc)
end = d.datetime(now.year + (q == 3), (q * 3 + 3) % 12 + 1, 1, tzinfo=d.timezone.utc)
t = time.time()
print("%dQ%d" % (now.year, q + 1), start.strftime("%Y-%m-%d"),
      (end - d.timedelta(days=1)).strftime("%Y-%m-%d"),
      int((end - d.timedelta(days=7, hours=-9)).timestamp() - t),
      int((end - d.timedelta(days=20)).timestamp() - t))')
export REFBOT_CLOCK_OFFSET=$IN
NOW=$(( $(date +%s) + IN ))
run_at() { REFBOT_CLOCK_OFFSET=$1 "$REFBOT" --config "$CONF" run --once 2>>"$SB/run.log"; }
mails() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
nsubj() { mails "$1" | pyjson '"\n".join(m["headers"]["Subject"] for m in j)' | grep -cE "$2"; }
waitsubj() { local i; for i in $(seq 100); do [ "$(nsubj "$1" "$2")" -ge "$3" ] && return 0; sleep 0.2; done; return 1; }
sql() { sqlite3 "$SB/refbot.db" "$@"; }

rb init >/dev/null
rb staff add staff2@example.test --name "山本 花子" --lang ja --role owner >/dev/null
rb staff add boss@example.test --name "Bo Boss" --role manager >/dev/null
# The partners joined before the review days (who joins during them
# has nothing to review).
REFBOT_CLOCK_OFFSET=$EARLY rb partner add partner1@example.test --name "Partner One" >/dev/null
REFBOT_CLOCK_OFFSET=$EARLY rb partner add partner2@example.test --name "Partner Two" >/dev/null
rb partner add late@example.test --name "Late Partner" >/dev/null
rb partner set partner1@example.test --owner staff2@example.test >/dev/null

# add CLIENT AWARE: one referral from Partner One, entered by hand.
n=0
add() {
	n=$((n + 1))
	rb referral add --partner partner1@example.test --quiet \
		--field "client=$1" --field "contact_name=Contact" \
		--field "contact_email=c@client$n.example" \
		--field "service=Audit" --field "challenge=Year-end close" \
		--field "client_aware=$2" >/dev/null
}
add "Alpha KK" yes; add "Beta KK" yes; add "Gamma KK" no; add "Delta KK" no
add "Epsilon KK" yes; add "Zeta KK" yes
rb referral set-status REF-000001 WON 1,000,000 >/dev/null
rb referral set-status REF-000002 CONTACTED >/dev/null
rb referral set-status REF-000002 LOST --note "budget" >/dev/null
rb referral set-status REF-000005 CONTACTED >/dev/null
status=$(sql "select group_concat(status, ' ') from (select status from referrals order by id)")
check "six referrals this quarter ($status)" [ "$status" = "WON LOST DISQUALIFIED DISQUALIFIED CONTACTED NEW" ]
# REF-5 has been CONTACTED for ten days (stalled: stall_days 7); REF-6
# arrived two days ago and is still unanswered (past the 24 h SLA).
sql "update referrals set created_at = $NOW - 11 * $D, first_response_at = $NOW - 10 * $D where id = 5;
     update history set at = $NOW - 10 * $D where referral_id = 5;
     update referrals set created_at = $NOW - 2 * $D where id = 6"
rb payout add partner1@example.test 30000 >/dev/null
rb given add partner1@example.test --client "Given A" >/dev/null
rb given add partner1@example.test --client "Given B" >/dev/null
rb given set 1 won >/dev/null
rb given set 2 lost >/dev/null

# Survey answers, seeded in SQL as the surveys branch stores them: the
# current answer is a question's highest id.  Last quarter the client
# follow-ups said 5 and 4 (4.5); this quarter the partner survey said 1
# then corrected it to 3, and a client said 3 (3.0).
sql "insert into surveys (id, kind, partner_id, referral_id, period, recipient, lang, sent_at, answered_at) values
     (1, 'client', 1, 1, 'REF-000001', 'c@a.example', 'en', $NOW - 110 * $D, $NOW - 100 * $D),
     (2, 'client', 1, 2, 'REF-000002', 'c@b.example', 'en', $NOW - 110 * $D, $NOW - 100 * $D),
     (3, 'partner', 1, NULL, '2026', 'partner1@example.test', 'en', $NOW - 5 * $D, $NOW - 4 * $D),
     (4, 'client', 1, 5, 'REF-000005', 'c@e.example', 'en', $NOW - 5 * $D, $NOW - 3 * $D);
     insert into survey_answers (survey_id, question, score, comment, answered_at) values
     (1, 'satisfaction', 5, NULL, $NOW - 100 * $D),
     (2, 'satisfaction', 4, NULL, $NOW - 100 * $D),
     (3, 'satisfaction', 1, 'first answer', $NOW - 4 * $D),
     (3, 'ease', 4, NULL, $NOW - 4 * $D),
     (3, 'satisfaction', 3, 'Follow-up was slow this quarter', $NOW - 4 * $D),
     (4, 'satisfaction', 3, NULL, $NOW - 3 * $D)"

# Nothing before the review days; then one pack per partner.
ja_before=$(nsubj staff2 '四半期レビュー')
en_before=$(nsubj boss 'Quarterly review')
run_at "$EARLY"
sleep 1
check "no pack 20 days before the quarter ends" [ "$(nsubj staff2 '四半期レビュー')/$(nsubj boss 'Quarterly review')" = "$ja_before/$en_before" ]
run_at "$IN"
check "the account manager gets Partner One's pack in Japanese" waitsubj staff2 "四半期レビュー $QNAME: Partner One" $((ja_before + 1))
check "the managers get Partner Two's (no account manager) in English" waitsubj boss "Quarterly review $QNAME: Partner Two" $((en_before + 1))
check "and not Partner One's" [ "$(nsubj boss 'Partner One')" = 0 ]
pack=$(mails staff2 | pyjson '[m["text"] for m in j if "四半期レビュー" in m["headers"]["Subject"]][-1]')
printf '%s\n' "$pack" >"$SB/pack.ja.txt"
artifact "$SB/pack.ja.txt"
has() { grep -qF -- "$1" <<<"$pack" || { diag "not in the pack: [$1]"; return 1; }; }
check "pack: received with outcomes" has "先方からの紹介: 6 件（DISQUALIFIED 2, CONTACTED 1, LOST 1, NEW 1, WON 1）"
check "pack: given with outcomes" has "当社からの紹介: 2 件（成約 1 件、失注 1 件）"
check "pack: conversion and revenue" has "成約率: 16%"
check "pack: revenue" has "売上: ¥1,000,000"
check "pack: commission earned and paid" has "コミッション発生額: ¥100,000、支払額: ¥30,000"
check "pack: SLA breaches" has "SLA超過: 1 件（SLA 24 時間）"
check "pack: survey scores against the previous quarter" has "クライアント, satisfaction: 3.0 / 4.5"
check "pack: the partner survey's corrected answer" has "パートナー, satisfaction: 3.0 / -"
check "pack: the comment (the current answer's)" has "パートナー, satisfaction: Follow-up was slow this quarter"
check "pack: not the replaced answer's comment" bash -c "! grep -q 'first answer' <<<\"\$1\"" _ "$pack"
check "pack: the stalled referral" grep -qE '^  REF-000005  Epsilon KK \(CONTACTED, 10 日\)$' <<<"$pack"
check "point: reciprocity 6:2" has "- 相互紹介 6:2（受けた数:紹介した数）"
check "point: disqualified, by the rule" has "- 2 件がチェック項目「クライアントの了承」で不適格"
check "point: conversion" has "- 成約率 16% —"
check "point: SLA" has "- 1 件の初回対応が SLA（24 時間）を超過"
check "point: stalled" has "- 停滞中の紹介 1 件"
check "point: satisfaction fell" has "- 満足度が 4.5 から 3.0 に低下"
check "point: satisfaction low" has "- 満足度は 5 点中 3.0"
check "no 'quiet' point for a partner who refers" bash -c "! grep -q '紹介がありません' <<<\"\$1\"" _ "$pack"
en=$(mails boss | pyjson '[m["text"] for m in j if "Quarterly review" in m["headers"]["Subject"]][-1]')
check "Partner Two's pack: the quiet point, in English" grep -qF -- "- No referrals received from Partner Two" <<<"$en"
check "Partner Two's pack: nothing received" grep -qF "received from them: 0 (-)" <<<"$en"

# Once per partner and quarter: more passes and a --send send nothing.
run_at $((IN + 3600))
run_at $((IN + 2 * D))
check "review --send: sent before" grep -q "Partner One: review pack $QNAME was sent before; not again" <<<"$(rb review --quarter "$QNAME" --partner partner1@example.test --send)"
sleep 1
check "one pack per partner and quarter" [ "$(nsubj staff2 '四半期レビュー')/$(nsubj boss 'Quarterly review')" = "$((ja_before + 1))/$((en_before + 1))" ]
check "recorded once each, none for the partner who joined late" [ "$(sql "select group_concat(partner_id) from review_packs where quarter = '$QNAME'")" = "1,2" ]

# The CLI prints the same pack; the talking points file decides words
# and thresholds.
out=$(rb review --quarter "$QNAME" --partner partner2@example.test)
check "review prints the pack, to whom" grep -q "^To: boss@example.test$" <<<"$out"
check "review prints the quiet point" grep -qF -- "- No referrals received from Partner Two" <<<"$out"
cp -r "$REFBOT_SRC/templates" "$SB/tpl"
sed -i -e 's/^quiet = No referrals received from/quiet = Silence from/' \
	-e 's/^reciprocity.when = 3/reciprocity.when = off/' \
	-e 's/^sla.when = 1/sla.when = 2/' "$SB/tpl/mail/talking-points.en.txt"
sed "s|^templates = .*|templates = $SB/tpl|" "$CONF" >"$SB/edited.conf"
grep -q "^templates = $SB/tpl" "$SB/edited.conf" || echo "templates = $SB/tpl" >>"$SB/edited.conf"
out=$("$REFBOT" --config "$SB/edited.conf" review --quarter "$QNAME" --partner partner2@example.test)
check "edited words are used" grep -qF -- "- Silence from Partner Two" <<<"$out"
rb staff set staff2@example.test --lang en >/dev/null 2>&1 || sql "update staff set lang = 'en' where email = 'staff2@example.test'"
out=$("$REFBOT" --config "$SB/edited.conf" review --quarter "$QNAME" --partner partner1@example.test)
check "a threshold set off drops its point" bash -c "! grep -q 'Reciprocity' <<<\"\$1\"" _ "$out"
check "a raised threshold drops its point (1 breach < 2)" bash -c "! grep -q 'after the 24 h SLA' <<<\"\$1\"" _ "$out"
check "the other points stay" grep -qF -- "- Satisfaction fell from 4.5 to 3.0" <<<"$out"
out=$(rb review --quarter "$QNAME" --partner partner1@example.test)
check "unedited: reciprocity and SLA points, in English" bash -c 'grep -qF -- "- Reciprocity 6:2" <<<"$1" && grep -qF -- "- 1 referrals answered after the 24 h SLA" <<<"$1"' _ "$out"
rb review --quarter 2026Q5 >/dev/null 2>&1
check "a bad quarter is a usage error" [ $? -eq 64 ]

# Item 4: health in the reports.  Partner Two moves to (SLA) tier 1;
# conversion by tier groups by the COMMISSION tier each partner is on
# now (tier_rates here: Partner One's 4 referrals that count → 15%, the
# others' none → 10%), not by that SLA tier.
rb partner set partner2@example.test --tier 1 >/dev/null
json=$(rb report --quarter "$QNAME" --format json)
printf '%s\n' "$json" >"$SB/report.json"
artifact "$SB/report.json"
p1() { pyjson "[p for p in j['partners'] if p['partner'] == 'Partner One'][0]$1" <<<"$json"; }
check "JSON: tier 3 at 10.0%" [ "$(pyjson "[(p['tier'], p['commission_rate']) for p in j['partners']]" <<<"$json")" = "[(3, '10.0%'), (1, '-'), (3, '-')]" ]
check "JSON: satisfaction 3.0 against 4.5, trend -1.5, 2 answers" \
	[ "$(pyjson "[(p['satisfaction'], p['satisfaction_previous'], p['satisfaction_trend'], p['survey_answers']) for p in j['partners']]" <<<"$json")" = "[('3.0', '4.5', '-1.5', 2), ('-', '-', '-', 0), ('-', '-', '-', 0)]" ]
check "JSON: needs attention, from the talking points" \
	[ "$(pyjson "[[a['point'] for a in p['needs_attention']] for p in j['partners']]" <<<"$json")" = "[['reciprocity', 'disqualified', 'conversion', 'sla', 'stalled', 'satisfaction_fell', 'satisfaction_low'], ['quiet'], ['quiet']]" ]
check "JSON: the words are the file's" grep -qF "Reciprocity 6:2 (received:given)" <<<"$(p1 "['needs_attention'][0]['text']")"
check "JSON: conversion by commission tier" \
	[ "$(pyjson "[(t['commission_tier'], t['partners'], t['received'], t['won'], t['conversion'], t['commission_rate']) for t in j['tiers']]" <<<"$json")" = "[('tier_rates → 10%', 2, 0, 0, '-', '-'), ('tier_rates → 15%', 1, 6, 1, '16%', '10.0%')]" ]
check "JSON: each partner's commission tier beside its SLA tier" \
	[ "$(pyjson "[(p['tier'], p['commission_tier']) for p in j['partners']]" <<<"$json")" = "[(3, 'tier_rates → 15%'), (1, 'tier_rates → 10%'), (3, 'tier_rates → 10%')]" ]
check "JSON: overall satisfaction" [ "$(pyjson "(j['overall']['satisfaction'], j['overall']['satisfaction_previous'])" <<<"$json")" = "('3.0', '4.5')" ]
csv=$(rb report --quarter "$QNAME" --format csv)
col() { /usr/bin/python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print(" | ".join(",".join(r[c] for c in sys.argv[1:]) for r in rows))' "$@" <<<"$csv"; }
check "CSV: tier, commission tier, rate, satisfaction, trend, answers per partner" \
	[ "$(col partner tier commission_tier commission_rate satisfaction satisfaction_previous satisfaction_trend survey_answers)" = "Partner One,3,tier_rates → 15%,10.0%,3.0,4.5,-1.5,2 | Partner Two,1,tier_rates → 10%,-,-,-,-,0 | Late Partner,3,tier_rates → 10%,-,-,-,-,0 | overall,-,-,-,3.0,4.5,-1.5,2" ]
check "CSV: needs attention by key" \
	[ "$(col partner needs_attention)" = "Partner One,reciprocity disqualified conversion sla stalled satisfaction_fell satisfaction_low | Partner Two,quiet | Late Partner,quiet | overall," ]
text=$(rb report --quarter "$QNAME")
check "text: satisfaction per partner" grep -qE '^Partner One +3 +10.0% +3.0 +4.5 +-1.5 +2$' <<<"$text"
check "text: conversion by commission tier" bash -c 'grep -qF "conversion by commission tier (the tier each partner is on now)" <<<"$1" && grep -qE "^ +1 +6 +1 +16% +10.0%  tier_rates → 15%$" <<<"$1" && grep -qE "^ +2 +0 +0 +- +-  tier_rates → 10%$" <<<"$1"' _ "$text"
check "text: needs attention" grep -qF "  Partner Two: No referrals received from Partner Two" <<<"$text"
check "text: all time (5, 4, 3, 3), no trend without a previous period" grep -qE '^Partner One +3 +10.0% +3.8 +- +- +4$' <<<"$(rb report)"

# The scorecard's health sections, and the review page, in Chromium.
rb report --quarter "$QNAME" --format html >"$SB/health.html"
render health
check "DOM: needs attention" shows "t-attention|Partner Two|No referrals received from Partner Two — ask what would help before referrals dry up." \
	"t-attention|Partner One|Satisfaction fell from 4.5 to 3.0 — ask what changed."
check "DOM: satisfaction and trend" shows "t-satisfaction|Partner One|3.0|4.5|-1.5|2" "t-satisfaction|Overall|3.0|4.5|-1.5|2"
check "DOM: conversion by commission tier" shows "t-tiers|tier_rates → 10%|2|0|0|-|-" "t-tiers|tier_rates → 15%|1|6|1|16%|10.0%"
check "the scorecard has seven charts" [ "$(grep -o '<svg class="chart' "$SB/health.html" | wc -l)" -eq 7 ]
rb report --partner partner1@example.test --quarter "$QNAME" --format html --review >"$SB/review.html"
render review
check "DOM: the review page is Partner One's quarter" shows "partner|Partner: Partner One" \
	"period|Referrals received: $QSTART – $(date -u -d "@$NOW" +%Y-%m-%d)"
check "DOM: the scorecard's charts for that partner" shows "t-key|Received|6" "t-key|Commission paid|¥30,000" \
	"t-reciprocity|Partner One|2|6|-4" "t-partners|Partner One|6|0|1|16%"
check "DOM: talking points" shows "t-points|Reciprocity 6:2 (received:given) — talk about balancing the flow of referrals." \
	"t-points|Satisfaction is 3.0 of 5 — ask what we should do differently."
check "DOM: both ways" shows "t-both|Received from them|6|DISQUALIFIED 2, CONTACTED 1, LOST 1, NEW 1, WON 1" "t-both|Given to them|2|won 1, lost 1"
check "DOM: survey scores, this quarter and the previous" shows "t-surveys|client follow-up|satisfaction|3.0|4.5" "t-surveys|partner survey|ease|4.0|-"
check "DOM: comments and stalled referrals" shows "t-comments|partner survey|satisfaction|Follow-up was slow this quarter" \
	"t-stalled|REF-000005 Epsilon KK (CONTACTED, 10 days)"
check "the review page has its title and seven charts" bash -c 'grep -q "<h1>Quarterly review</h1>" "$1" && [ "$(grep -o "<svg class=\"chart" "$1" | wc -l)" -eq 7 ]' _ "$SB/review.html"
rb report --format html --review >/dev/null 2>&1
check "--review without --partner is a usage error" [ $? -eq 64 ]
cp "$CONF" "$SB/ja.conf"
echo "language = ja" >>"$SB/ja.conf"
"$REFBOT" --config "$SB/ja.conf" report --partner partner1@example.test --quarter "$QNAME" --format html --review >"$SB/review.ja.html"
artifact "$SB/review.ja.html"
check "the review page in Japanese: title, points, surveys" bash -c 'grep -q "<h1>四半期レビュー</h1>" "$1" && grep -q "相互紹介 6:2" "$1" && grep -q "<td>クライアント</td><td>satisfaction</td><td class=\"n\">3.0</td><td class=\"n\">4.5</td>" "$1"' _ "$SB/review.ja.html"
artifact "$BROWSER_LOG"
rb partner add gone@example.test --name "Gone Partner" >/dev/null
rb partner deactivate gone@example.test >/dev/null
check "a partner no longer active needs no attention" [ "$(rb report --quarter "$QNAME" --format json | pyjson "[p['needs_attention'] for p in j['partners'] if p['partner'] == 'Gone Partner']")" = "[[]]" ]

finish
