#!/bin/bash
# F7: the monthly hot-opportunity newsletter.  50 partners in the sandbox:
# the issue arrives once in each subscribed mailbox with that partner's own
# numbers, in their language, as text and HTML with List-Unsubscribe; the
# daemon is killed mid-send and restarted and still sends exactly one each;
# an unsubscribe by reply, by the List-Unsubscribe address and by 配信停止
# (confirmed by a reply to a signed mail) stops the next month's issue; a hard-bounced address is suppressed; staff
# are reminded of a month with no profile, and nothing is sent for it;
# staff write a profile by mail and confirm it by replying.
PARTNERS=$(seq -f 'p%02g' 1 50 | tr '\n' ' ')
export SANDBOX_EXTRA_USERS="stranger $PARTNERS"
. "$(dirname "$0")/lib.sh"
sandbox_start

cat >>"$CONF" <<'EOF'
timezone = UTC
newsletter_day = 1
newsletter_hour = 0
newsletter_rate = 120
EOF
rb init >/dev/null
for u in $PARTNERS; do
	rb partner add "$u@example.test" --name "Partner ${u#p}" --lang en >/dev/null
done
rb partner set p02@example.test --name "株式会社ニシ" --lang ja >/dev/null
rb partner set p03@example.test --newsletter off >/dev/null
rb partner deactivate p04@example.test >/dev/null
sqlite3 "$SB/refbot.db" "update partners set bounced = 'failed 5.1.1' where email = 'p05@example.test'"
SUBSCRIBED=47

count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
once() { REFBOT_CLOCK_OFFSET=${OFFSET:-0} "$REFBOT" --config "$CONF" run --once 2>>"$SB/run.log"; }
# month N: "YYYY-MM" N months from now (UTC); start N: its first second.
month() { date -u -d "$(date -u +%Y-%m-15) $1 month" +%Y-%m; }
start() { date -u -d "$(month "$1")-01" +%s; }
M0=$(month 0) M1=$(month 1) M2=$(month 2) M3=$(month 3)
YEAR=${M0%-*}

cat >"$SB/profile-en.txt" <<'EOF'
Mid-sized manufacturers (100-500 staff) planning their first
subsidiary in Japan within a year.

Signs to look for:
- a board decision to enter Japan
- no Japanese tax adviser yet
EOF
cat >"$SB/profile-ja.txt" <<'EOF'
従業員100〜500名の製造業で、1年以内に日本法人の設立を計画している企業様。
EOF
check "newsletter set stores the English profile" rb newsletter set --month "$M0" --file "$SB/profile-en.txt"
check "and the Japanese one (detected)" rb newsletter set --month "$M0" --file "$SB/profile-ja.txt"
# Partner 1 has a referral in progress: it must show in their issue only.
# This run's clock is set just before the month began, so the issue is
# not due yet (and last month, due with no profile, is skipped).
sed -e 's/partner1@example.test/p01@example.test/' "$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/ref.eml"
"$MAILTOOL" send --env "$SB/env" --from p01 --to intake --eml "$SB/ref.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
OFFSET=$(($(start 0) - 7200 - $(date +%s))) once
check "partner 1's referral is in" [ "$(sql "select status from referrals where id = 1")" = NEW ]

preview=$(rb newsletter preview --partner p01@example.test --month "$M0")
check "preview shows partner 1 their own referral" grep -q "REF-000001" <<<"$preview"
check "preview shows the profile" grep -q "subsidiary in Japan within a year" <<<"$preview"
check "preview shows this year's count" grep -Eq "Referrals sent in $YEAR: +1" <<<"$preview"
check "preview --html is an HTML page with the profile" bash -c 'rb() { "$REFBOT" --config "$1" "${@:2}"; }; rb "$1" newsletter preview --partner p01@example.test --month "$2" --html | grep -q "<li>a board decision to enter Japan</li>"' _ "$CONF" "$M0"
check "a partner with no profile month gets an error" bash -c '! "$REFBOT" --config "$1" newsletter preview --partner p01@example.test --month 2031-01 2>/dev/null' _ "$CONF"

# The daemon finds this month's issue due (day 1, 00:00) and sends it at
# 2 a second; it is killed mid-send and started again.
"$REFBOT" --config "$CONF" run 2>>"$SB/daemon.log" &
DAEMON_PID=$!
for _ in $(seq 1 300); do
	[ "$(sql "select count(*) from outbox where kind = 'newsletter' and status = 'sent'")" -ge 10 ] && break
	sleep 0.1
done
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
sent_at_kill=$(sql "select count(*) from outbox where kind = 'newsletter' and status = 'sent'")
check "the daemon was killed mid-send ($sent_at_kill of $SUBSCRIBED sent)" [ "$sent_at_kill" -ge 10 -a "$sent_at_kill" -lt $SUBSCRIBED ]
check "every subscribed partner's issue was queued once" [ "$(sql "select count(*) from newsletter_sends where month = '$M0'")" = $SUBSCRIBED ]
"$REFBOT" --config "$CONF" run 2>>"$SB/daemon.log" &
DAEMON_PID=$!
for _ in $(seq 1 600); do
	[ "$(sql "select count(*) from outbox where kind = 'newsletter' and status = 'sent'")" -ge $SUBSCRIBED ] && break
	sleep 0.1
done
check "after the restart all $SUBSCRIBED issues are sent" [ "$(sql "select count(*) from outbox where kind = 'newsletter' and status = 'sent'")" = $SUBSCRIBED ]
kill "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
sleep 2
check "restarting queued nothing twice" [ "$(sql "select count(*) from outbox where kind = 'newsletter'")" = $SUBSCRIBED ]

# Count the issues in every mailbox (partner 1 also has its acknowledgement).
issues() { fetch "$1" | pyjson "sum(1 for m in j if m['headers']['List-Id'])"; }
wrong=""
for u in $PARTNERS; do
	case $u in p03|p04|p05) want=0 ;; *) want=1 ;; esac
	[ "$(issues "$u")" = "$want" ] || wrong="$wrong $u"
done
check "exactly one issue in each subscribed mailbox, none for unsubscribed, inactive or bounced (wrong:$wrong)" [ -z "$wrong" ]

fetch p01 >"$SB/p01.json"
py() { pyjson "$1" <"$SB/p01.json"; }
check "partner 1's issue has their referral" [ "$(py "[m for m in j if m['headers']['List-Id']][0]['text'].count('REF-000001')")" = 1 ]
check "and their count for the year" [ "$(py "'Referrals sent in $YEAR:  1' in [m for m in j if m['headers']['List-Id']][0]['text']")" = True ]
check "it is multipart/alternative" [ "$(py "[m for m in j if m['headers']['List-Id']][0]['headers']['Content-Type'].startswith('multipart/alternative')")" = True ]
check "the HTML part has the profile" [ "$(py "'Mid-sized manufacturers' in [m for m in j if m['headers']['List-Id']][0]['html']")" = True ]
check "List-Unsubscribe is a signed mailto" [ "$(py "[m for m in j if m['headers']['List-Id']][0]['headers']['List-Unsubscribe']" | grep -cE '^<mailto:intake\+r1\.u\.[a-z2-7]{16}@example.test\?subject=unsubscribe>$')" = 1 ]
check "List-Unsubscribe-Post is one-click" [ "$(py "[m for m in j if m['headers']['List-Id']][0]['headers']['List-Unsubscribe-Post']")" = "List-Unsubscribe=One-Click" ]
check "another partner's issue has no trace of partner 1's referral" [ "$(fetch p10 | pyjson "'REF-000001' in j[0]['text'] or 'Acme' in j[0]['text']")" = False ]
fetch p02 >"$SB/p02.json"
check "the Japanese partner's issue is in Japanese" [ "$(pyjson "'注目案件' in j[0]['headers']['Subject'] and '日本法人' in j[0]['text']" <"$SB/p02.json")" = True ]
check "its subject is RFC 2047 encoded UTF-8" grep -q "=?UTF-8?B?" "$(ls -d "$SB"/mail/p02/Maildir/new/* "$SB"/mail/p02/Maildir/cur/* 2>/dev/null | head -n 1)"

# The HTML parts, as a mail client would show them: rendered by Chromium.
export BROWSER_LOG="$SB/chromium.log"
py "[m for m in j if m['headers']['List-Id']][0]['html']" >"$SB/issue-en.html"
pyjson "j[0]['html']" <"$SB/p02.json" >"$SB/issue-ja.html"
for page in issue-en issue-ja; do
	if "$BROWSER" dom "$SB/$page.html" >"$SB/$page.dom.html"; then
		ok "Chromium renders the $page HTML part"
	else
		not_ok "Chromium renders the $page HTML part (see $BROWSER_LOG)"
	fi
	check "the $page screenshot is not blank" bash -c '"$1" shot "$2.html" "$2.png" 800,1400 && "$1" notblank "$2.png" 16' _ "$BROWSER" "$SB/$page"
	check "and shows the page's grey frame" "$BROWSER" hascolour "$SB/$page.png" f3f4f6
	artifact "$SB/$page.html" "$SB/$page.png"
done
dom_has() { /usr/bin/python3 - "$SB/$1.dom.html" "$2" <<'PY'
import re, sys, html
text = html.unescape(re.sub(r"<[^>]+>", " ", open(sys.argv[1], encoding="utf-8").read()))
sys.exit(0 if re.search(sys.argv[2], " ".join(text.split())) else 1)
PY
}
check "the rendered English issue shows the profile's list" dom_has issue-en "Signs to look for: a board decision to enter Japan no Japanese tax adviser yet"
check "and partner 1's numbers in their table" dom_has issue-en "Referrals sent in $YEAR 1 In progress now 1"
check "and their referral in progress" dom_has issue-en "REF-000001 Acme Widgets Ltd"
check "the rendered Japanese issue shows the Japanese profile" dom_has issue-ja "従業員100〜500名の製造業"
check "and its numbers table" dom_has issue-ja "${YEAR}年のご紹介件数 0 件"
artifact "$BROWSER_LOG"

# Unsubscribing: by reply, by the List-Unsubscribe address, by 配信停止.
reply_to=$(pyjson "j[0]['headers']['Reply-To'].strip('<>')" < <(fetch p06))
"$MAILTOOL" send --env "$SB/env" --from p06 --to "$reply_to" --subject "Re: newsletter" --body "UNSUBSCRIBE" >/dev/null
unsub=$(fetch p07 | pyjson "j[0]['headers']['List-Unsubscribe'].strip('<>')[len('mailto:'):].split('?')[0]")
"$MAILTOOL" send --env "$SB/env" --from p07 --to "$unsub" --subject "unsubscribe" --body "" >/dev/null
"$MAILTOOL" send --env "$SB/env" --from p02 --to intake --subject "配信停止" --body "配信停止" >/dev/null
reply_to=$(pyjson "j[0]['headers']['Reply-To'].strip('<>')" < <(fetch p08))
"$MAILTOOL" send --env "$SB/env" --from p08 --to "$reply_to" --subject "Re: newsletter" --body "Thanks, we may have someone for you." >/dev/null
staff_before=$(count staff1)
"$MAILTOOL" wait --env "$SB/env" --user intake --count 4 --timeout 20 >/dev/null
once
check "UNSUBSCRIBE by reply turns the newsletter off" [ "$(sql "select newsletter from partners where email = 'p06@example.test'")" = 0 ]
check "mail to the List-Unsubscribe address turns it off" [ "$(sql "select newsletter from partners where email = 'p07@example.test'")" = 0 ]
# 配信停止 in new mail proves only a From address: the partner is asked.
check "配信停止 to the intake leaves it on until the partner confirms" [ "$(sql "select newsletter from partners where email = 'p02@example.test'")" = 1 ]
check "another reply leaves it on" [ "$(sql "select newsletter from partners where email = 'p08@example.test'")" = 1 ]
check "each unsubscribe is confirmed" "$MAILTOOL" wait --env "$SB/env" --user p06 --count 2 --timeout 20
check "the Japanese partner is asked to confirm, in Japanese" bash -c '"$1" wait --env "$2" --user p02 --count 2 --timeout 20 >/dev/null && "$1" fetch --env "$2" --user p02 --format json | /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); sys.exit(0 if \"配信停止のご確認\" in j[-1][\"headers\"][\"Subject\"] else 1)"' _ "$MAILTOOL" "$SB/env"
reply_to=$(pyjson "j[-1]['headers']['Reply-To'].strip('<>')" < <(fetch p02))
"$MAILTOOL" send --env "$SB/env" --from p02 --to "$reply_to" --subject "Re: 確認" --body "はい" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
once
check "replying to it turns it off" [ "$(sql "select newsletter from partners where email = 'p02@example.test'")" = 0 ]
check "which is confirmed in Japanese" bash -c '"$1" wait --env "$2" --user p02 --count 3 --timeout 20 >/dev/null && "$1" fetch --env "$2" --user p02 --format json | /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); sys.exit(0 if \"配信を停止しました\" in j[-1][\"headers\"][\"Subject\"] else 1)"' _ "$MAILTOOL" "$SB/env"
check "the other reply reaches staff" "$MAILTOOL" wait --env "$SB/env" --user staff1 --count $((staff_before + 1)) --timeout 20
check "every message has a disposition" [ "$(sql "select count(*) from messages where disposition = 'pending'")" = 0 ]

# A hard bounce of partner 9's issue suppresses the address.
mid=$(sql "select o.message_id from outbox o join newsletter_sends s on s.outbox_id = o.id join partners p on p.id = s.partner_id where p.email = 'p09@example.test'")
dsn_save p09@example.test "$mid" nl
once
check "the bounced address is flagged" [ "$(sql "select bounced from partners where email = 'p09@example.test'")" = "failed 5.1.1" ]

# Next month, by hand: the unsubscribed and bounced get nothing.
rb newsletter set --month "$M1" --file "$SB/profile-en.txt" >/dev/null
out=$(rb newsletter send --month "$M1" 2>&1)
check "newsletter send queues the next month for those still subscribed" grep -q "$((SUBSCRIBED - 4)) issues queued" <<<"$out"
check "and sends them all" grep -q "$((SUBSCRIBED - 4)) sent, 0 failed" <<<"$out"
check "sending the month again queues nothing" bash -c '"$1" --config "$2" newsletter send --month "$3" | grep -q " 0 issues queued"' _ "$REFBOT" "$CONF" "$M1"
sleep 2
for u in p02 p06 p07 p09; do
	check "$u got no issue for $M1" [ "$(fetch "$u" | pyjson "sum(1 for m in j if m['headers']['List-Id'])")" = 1 ]
done
check "a subscribed partner got the second issue" "$MAILTOOL" wait --env "$SB/env" --user p10 --count 2 --timeout 20
check "partner set --newsletter on resubscribes" rb partner set p06@example.test --newsletter on
check "so they are counted again" bash -c '"$1" --config "$2" newsletter status --month "$3" | grep -q "to 44 subscribed"' _ "$REFBOT" "$CONF" "$M2"

# No profile for the month after: one reminder a few days before, nothing sent.
staff_before=$(count staff1)
OFFSET=$(($(start 2) - 86400 - $(date +%s)))
once
once
# (The moved clock also brings REF-000001's SLA reminders: not counted.)
check "staff get a reminder before a month with no profile" "$MAILTOOL" wait --env "$SB/env" --user staff1 --count $((staff_before + 1)) --timeout 20
sleep 1
check "one, naming the month" [ "$(fetch staff1 | pyjson "sum(1 for m in j if '$M2' in m['headers']['Subject'] and 'no hot-opportunity profile' in m['headers']['Subject'])")" = 1 ]
OFFSET=$(($(start 2) + 3600 - $(date +%s)))
once
check "the month comes with no profile: nothing is queued" [ "$(sql "select count(*) from newsletter_sends where month = '$M2'")" = 0 ]
OFFSET=0

# Staff write a profile by mail: a draft, confirmed by replying OK.
staff_before=$(count staff1)
"$MAILTOOL" send --env "$SB/env" --from staff1 --to intake --subject "HOT-OPPORTUNITY $M3" --body "Family-owned retailers moving their books to the cloud." >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
once
check "the profile is stored as a draft" bash -c '"$1" --config "$2" newsletter status --month "$3" | grep -q "profile en: draft"' _ "$REFBOT" "$CONF" "$M3"
check "the author gets a confirmation with a preview" "$MAILTOOL" wait --env "$SB/env" --user staff1 --count $((staff_before + 1)) --timeout 20
fetch staff1 >"$SB/staff.json"
check "the preview shows the profile as partners will see it" [ "$(pyjson "'Family-owned retailers' in j[-1]['text'] and 'Example Partner Ltd' in j[-1]['text']" <"$SB/staff.json")" = True ]
confirm_to=$(pyjson "j[-1]['headers']['Reply-To'].strip('<>')" <"$SB/staff.json")
"$MAILTOOL" send --env "$SB/env" --from staff1 --to "$confirm_to" --subject "Re: newsletter" --body "OK" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
once
check "replying OK confirms it" bash -c '"$1" --config "$2" newsletter status --month "$3" | grep -q "profile en: confirmed"' _ "$REFBOT" "$CONF" "$M3"
"$MAILTOOL" send --env "$SB/env" --from stranger --to intake --subject "HOT-OPPORTUNITY $M3" --body "Buy our pills" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
once
check "a stranger cannot write the profile" [ "$(sql "select count(*) from newsletter_profiles where body like '%pills%'")" = 0 ]
check "nor a draft" [ "$(sql "select count(*) from newsletter_drafts where body like '%pills%'")" = 0 ]
check "every message has a disposition" [ "$(sql "select count(*) from messages where disposition = 'pending'")" = 0 ]

# A server that refuses every issue: after newsletter_max_failures in a row
# the send stops, the rest are held and staff are told; resuming later
# sends the held ones and nothing twice.
M5=$(month 5)
rb newsletter set --month "$M5" --file "$SB/profile-en.txt" >/dev/null
mkdir -p "$SB/sink" && chown nobody:nogroup "$SB/sink"
smtp-sink -u nobody -h sink.example.test -f rcpt "127.0.0.1:$SINK_PORT" 64 >>"$SB/sink.log" 2>&1 &
SINK_PID=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$SINK_PORT") 2>/dev/null && break; sleep 0.05; done
sed -e "s|^smtp_url = .*|smtp_url = smtp://127.0.0.1:$SINK_PORT|" -e "s|^smtp_tls = .*|smtp_tls = none|" "$CONF" >"$SB/refusing.conf"
echo "newsletter_max_failures = 3" >>"$SB/refusing.conf"
out=$("$REFBOT" --config "$SB/refusing.conf" newsletter send --month "$M5" 2>&1)
kill "$SINK_PID"
wait "$SINK_PID" 2>/dev/null
check "the send stops after 3 refusals in a row" grep -q "0 sent, 3 failed, 41 held" <<<"$out"
check "and says how to resume" grep -q "run this again" <<<"$out"
check "staff are told (queued while the server refuses)" [ "$(sql "select count(*) from outbox where kind = 'staff-newsletter-halted'")" = 2 ]
out=$(rb newsletter send --month "$M5" 2>&1)
check "resuming sends the held issues" grep -q "41 sent, 3 failed, 0 held" <<<"$out"
check "nobody got the month twice" [ "$(sql "select count(*) from newsletter_sends where month = '$M5'")" = 44 ]

finish
