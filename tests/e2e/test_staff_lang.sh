#!/bin/bash
# Issue 18 (the gap of item 2): a staff member who reads Japanese gets
# every staff mail in Japanese, including what refbot composes inside it:
# the referral's fields as read and its attachments (new referral), an
# alert's title, reason and what the sender was told (a message set
# aside), the kind of alerts held for the hourly summary, and what an
# undelivered mail was and who was not reached.  An English reader gets
# the same mails in English.  Mail is read over IMAP.  Later sections
# (the gaps of sessions 5-7) follow the numbered comments.
. "$(dirname "$0")/lib.sh"
sandbox_start

echo "staff_alert_limit = 1" >>"$CONF"
rb init >/dev/null
mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
send() { mt send "$@" >/dev/null; }
arrived() { mt wait --user intake --count 1 --timeout 20 >/dev/null; }
at() { REFBOT_CLOCK_OFFSET=$1 "$REFBOT" --config "${2:-$CONF}" run --once 2>>"$SB/run.log"; }
# The subject and text of USER's last mail whose subject matches REGEX.
mail_of() {
	mt fetch --user "$1" --format json | pyjson "(lambda m: m[-1]['headers']['Subject'] + '\n' + m[-1]['text'] if m else '')([m for m in j if __import__('re').search(r'''$2''', m['headers']['Subject'] or '')])"
}
waitsubj() {
	local i
	for i in $(seq 100); do
		[ -n "$(mail_of "$1" "$2")" ] && return 0
		sleep 0.2
	done
	return 1
}
# waitn USER REGEX N: until USER has N mails whose subject matches.
waitn() {
	local i
	for i in $(seq 100); do
		[ "$(mt fetch --user "$1" --format json | pyjson "len([m for m in j if __import__('re').search(r'''$2''', m['headers']['Subject'] or '')])")" -ge "$3" ] && return 0
		sleep 0.2
	done
	return 1
}
# has TEXT WORD...: every word is in the text; lacks TEXT WORD...: none is.
has() { local t=$1 w; shift; for w; do [[ $t == *"$w"* ]] || { diag "missing: $w"; return 1; }; done; }
lacks() { local t=$1 w; shift; for w; do [[ $t != *"$w"* ]] || { diag "left in: $w"; return 1; }; done; }

rb staff add staff1@example.test --name "Alice Smith" --lang en --role intake >/dev/null
rb staff add staff2@example.test --name "山本 花子" --lang ja --role intake >/dev/null
rb partner add partner1@example.test --name "Partner One" --lang en >/dev/null
rb partner set partner1@example.test --owner staff2@example.test >/dev/null
# gone@example.test: no mailbox in the sandbox, so Postfix answers 550.
rb partner add gone@example.test --name "Gone Ltd" --lang en >/dev/null
rb partner set gone@example.test --owner staff2@example.test >/dev/null
# partner3: no account manager, so its mail about no referral goes to all staff.
rb partner add partner3@example.test --name "Partner Three" --lang en >/dev/null

# 1. A new referral with attachments, to its owner who reads Japanese.
/usr/bin/python3 - "$SB/attached.eml" <<'PY'
import sys
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "partner1@example.test"; m["To"] = "intake@example.test"
m["Subject"] = "Referral: Acme Widgets"; m["Message-ID"] = "<att@partner.example>"
m.set_content("Client: Acme Widgets Ltd\nContact name: Jane Smith\n"
    "Contact email: jane.smith@acme.example\nContact phone: +44 20 7946 0000\n"
    "Service needed: Tax advisory\nChallenge: Expanding into Japan.\n"
    "Client aware: yes\nBudget: 2,000,000 JPY\n")
m.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf", filename="brief.pdf")
open(sys.argv[1], "wb").write(bytes(m))
PY
send --from partner1 --to intake --eml "$SB/attached.eml"
arrived
at 0
waitsubj staff2 'REF-000001\] 新しい紹介'
t=$(mail_of staff2 'REF-000001\] 新しい紹介')
check "the new referral's fields carry Japanese labels" has "$t" "クライアント名: Acme Widgets Ltd" "必要なサービス: Tax advisory"
check "its attachments are listed in Japanese" has "$t" "添付ファイル:" "brief.pdf" "添付しました"
check "no English label or word is left" lacks "$t" "Client: " "Service needed:" "Attachments:" ", attached"

# 2. Undelivered: the acknowledgement to gone@ is refused for good.
sed -e "s/^From: .*/From: gone@example.test/" -e "s/plain-en@/gone@/" \
	-e "s/Acme Widgets Ltd/Gone Client KK/" -e "s/jane.smith@acme.example/g@gone.example/" \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/gone.eml"
send --from gone@example.test --to intake --eml "$SB/gone.eml"
arrived
at 0
waitsubj staff2 '配信できませんでした'
t=$(mail_of staff2 '配信できませんでした')
check "the undelivered notice says what the mail was, in Japanese" has "$t" "受付のお知らせ（ack）" "REF-000002"
check "and who was not reached, in Japanese" has "$t" "パートナーに届いていません"
check "with no English sentence left" lacks "$t" "partner was not reached" "history says so"

# 3. Two messages over the size limit: one alert each hour, then the summary.
sed 's/^poll_interval = .*/max_message_size = 1k/' "$CONF" >"$SB/small.conf"
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/multipart-alt.eml"
arrived
at 0 "$SB/small.conf"
waitsubj staff2 '^\[refbot\] サイズの上限'
waitsubj staff1 '^\[refbot\] A message over the size limit'
t=$(mail_of staff2 '^\[refbot\] サイズの上限')
check "the alert's title, reason and what the sender heard are Japanese" \
	has "$t" "サイズの上限を超えるメールを保留しました" "上限の 1 KB を超えています" "送り主は登録済みのパートナーで"
check "with no English fragment" lacks "$t" "over the size limit" "over the 1 KB limit" "registered partner"
e=$(mail_of staff1 '^\[refbot\] A message over the size limit')
check "the English reader's alert is English" has "$e" "over the 1 KB limit" "The sender, a registered partner, was told"
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/multipart-alt.eml"
arrived
at 0 "$SB/small.conf"
at 7200 "$SB/small.conf"
waitsubj staff2 'ほかに 1 件の通知を保留しました'
t=$(mail_of staff2 'ほかに 1 件の通知を保留しました')
check "the hourly summary names the kind in Japanese" has "$t" "保留したメール（読み取れない、隔離、サイズ超過）と配信エラー"
check "not in English" lacks "$t" "messages set aside"
# 4. The same client again, with its file: the duplicate's notice lists the
# file in Japanese too (the list was English on the merge of #19's gap 4).
sed -e 's/<att@partner.example>/<att2@partner.example>/' "$SB/attached.eml" >"$SB/again.eml"
send --from partner1 --to intake --eml "$SB/again.eml"
arrived
at 7300
waitsubj staff2 '重複した紹介: Acme'
t=$(mail_of staff2 '重複した紹介: Acme')
check "the duplicate's notice lists its file in Japanese" has "$t" "添付ファイル:" "brief.pdf"
check "with no English label" lacks "$t" "Attachments:" ", attached"
# 5. A keyword line not understood: why, in the reader's language (the
# parser's sentence was English in Japanese mail before #18's item 2 gap).
rto=$(mt fetch --user staff2 --format json | pyjson "[m for m in j if 'REF-000001' in m['headers']['Subject']][0]['headers']['Reply-To'].strip('<>')")
# answer USER BODY REGEX N [READER]: USER replies BODY about REF-1;
# prints READER's (else USER's) last mail whose subject matches REGEX once
# there are N of them.
answer() {
	send --from "$1" --to "$rto" --subject "Re: [REF-000001]" --body "$2"
	arrived
	at 7400 >/dev/null
	waitn "${5:-$1}" "$3" "$4"
	mail_of "${5:-$1}" "$3"
}
no='REF-000001\] 処理されませんでした'
t=$(answer staff2 "WON" "$no" 1)
check "a keyword error's subject and sentence are Japanese" has "$t" "処理されませんでした: キーワードを読み取れませんでした" "WON には金額が必要です（例:「WON 1,200,000」）"
check "with no English sentence" lacks "$t" "keyword not understood" "needs an amount"
t=$(answer staff2 "MEETING 2026-13-45" "$no" 2)
check "a date it cannot read is said in Japanese" has "$t" "MEETING: 「2026-13-45」は正しい日付ではありません"
check "not in English" lacks "$t" "is not a valid date"
# Why an amount was refused: its own words, in Japanese too (#18, s6).
t=$(answer staff2 "WON ¥-5" "$no" 3)
check "a negative amount is refused in Japanese" has "$t" "WON: 「¥-5」— 金額にマイナスは使えません。"
check "with no English sentence" lacks "$t" "cannot be negative" "keyword not understood"
t=$(answer staff2 "AMEND 12.5 請求書の訂正" "$no" 4)
check "an amount with decimals in yen is refused in Japanese" has "$t" "AMEND: 「12.5」— JPY の金額は小数のない整数で書いてください。"
check "not in English" lacks "$t" "whole numbers" "without decimals"
e=$(answer staff1 "WON" 'REF-000001\] Not done' 1)
check "the English reader's keyword error is English" has "$e" "Not done: keyword not understood" 'WON needs an amount, e.g. "WON 1,200,000".'
e=$(answer staff1 "WON ¥-5" 'REF-000001\] Not done' 2)
check "the English reader's refused amount is unchanged" has "$e" 'WON: "¥-5": an amount cannot be negative.'
# 6. A command refused (ASSIGN to nobody, to the owner already): the
# subject and why in the reader's language.
t=$(answer staff2 "ASSIGN nobody-here" "$no" 5)
check "an ASSIGN to nobody is refused in Japanese" has "$t" "処理されませんでした: 実行できません" "スタッフの登録に「nobody-here」という有効な人はいません"
check "with no English sentence" lacks "$t" "not possible" "nobody active in the staff registry"
t=$(answer staff2 "ASSIGN staff2@example.test" "$no" 6)
check "an ASSIGN to the owner already is refused in Japanese" has "$t" "staff2@example.test が既に担当しています"
check "not in English" lacks "$t" "owns it already"
e=$(answer staff1 "ASSIGN nobody-here" 'REF-000001\] Not done' 3)
check "the English reader's refusal is English" has "$e" "Not done: not possible" "nobody active in the staff registry is 'nobody-here' (refbot staff list)"
# 7. ASSIGN there and back: the new owner's history lines name refbot's
# events and actors in their language (the recorded details as they are).
e=$(answer staff2 "ASSIGN staff1@example.test" 'REF-000001\] Now yours' 1 staff1)
check "the English owner's history is unchanged" has "$e" "  received   partner  - -> NEW" "  assigned   refbot  owner staff2@example.test"
t=$(answer staff1 "ASSIGN staff2@example.test" 'REF-000001\] 担当になりました' 1 staff2)
check "the Japanese owner's history names its events in Japanese" has "$t" "UTC  受付 " " パートナー  - -> NEW" "  担当の割り当て refbot  "
check "not in English" lacks "$t" " received " " assigned " " partner  - -> NEW"
# What refbot recorded in it, in Japanese too (#18, s6): who got it and
# why, and each handover; the English owner's lines as they always were.
check "the Japanese owner's history says in Japanese who got it and why" has "$t" "  担当 staff2@example.test（アカウントマネージャー）" "  担当 staff2@example.test → staff1@example.test"
check "with no English detail" lacks "$t" "owner staff2@example.test" "(account manager)" "example.test -> "
check "the English owner's history details are unchanged" has "$e" "  owner staff2@example.test (account manager)"
h=$(rb referral show REF-000001 --format json | pyjson "'\n'.join(h['detail'] or '' for h in j['history'])")
check "the CLI shows the details in English, as before" has "$h" "owner staff2@example.test (account manager)" "owner staff2@example.test -> staff1@example.test" "owner staff1@example.test -> staff2@example.test"
# 8. A delivery report for REF-1's acknowledgement: the bounce alert
# names the mail's kind in the reader's words, not refbot's name for it.
ack_id=$(sqlite3 "$SB/refbot.db" "select message_id from outbox where kind = 'ack' and referral_id = 1 order by id limit 1")
dsn_save partner1@example.test "$ack_id" lang
at 14400
waitsubj staff2 '^\[refbot\] パートナーのアドレスにメールが届きませんでした'
t=$(mail_of staff2 '^\[refbot\] パートナーのアドレスにメールが届きませんでした')
check "the bounce alert's title names the kind in Japanese" has "$t" "、受付のお知らせ（ack））"
check "not by its bare name" lacks "$t" "、ack）"
waitsubj staff1 "^\[refbot\] A partner's address bounced"
e=$(mail_of staff1 "^\[refbot\] A partner's address bounced")
check "the English reader's bounce alert is unchanged" has "$e" ", ack)"
# deliver FROM TO SUBJECT BODY OFFSET USER REGEX: FROM's mail, run at
# OFFSET; prints USER's last mail whose subject matches REGEX.
deliver() {
	send --from "$1" --to "$2" --subject "$3" --body "$4"
	arrived
	at "$5" >/dev/null
	waitsubj "$6" "$7"
	mail_of "$6" "$7"
}
# 9. REF-2 (its acknowledgement refused for good) handed over and back:
# the undelivered line of its history names the kind of mail in the
# Japanese owner's words, not refbot's name for it (#18, s7).
rto2=$(mt fetch --user staff2 --format json | pyjson "[m for m in j if 'REF-000002' in m['headers']['Subject'] and '+' in (m['headers'].get('Reply-To') or '')][0]['headers']['Reply-To'].strip('<>')")
e=$(deliver staff2 "$rto2" "Re: [REF-000002]" "ASSIGN staff1@example.test" 14500 staff1 'REF-000002\] Now yours')
check "the English owner's undelivered history line is unchanged" has "$e" "  ack mail (outbox " ") to the partner gone@example.test not delivered: "
t=$(deliver staff1 "$rto2" "Re: [REF-000002]" "ASSIGN staff2@example.test" 14500 staff2 'REF-000002\] 担当になりました')
check "the Japanese owner's undelivered history line names the kind in Japanese" has "$t" "  受付のお知らせ（ack）（送信キュー " "）がパートナー gone@example.test に届きませんでした: "
check "not by its bare name" lacks "$t" "ack のメール" "ack mail"
# 10. A partner's mail with no referral in it: what it was and its
# attachments in the Japanese reader's words (#18, s7).
t=$(deliver partner1@example.test intake "A question" "How are fees worked out?" 14600 staff2 'Partner One からのメッセージ')
check "a partner's message says what it was in Japanese" has "$t" "にメールがありました:
インテークアドレスへの新しいメール。" "添付ファイル: （なし）"
check "with no English words" lacks "$t" "a new mail to the intake address" "添付ファイル: none"
check "only to the firm's account manager" test "$(mt fetch --user staff1 --format json | pyjson "len([m for m in j if 'Partner One' in m['headers']['Subject'] and 'Message from' in m['headers']['Subject']])")" = 0
e=$(deliver partner3@example.test intake "A question" "How are fees worked out?" 14650 staff1 '^\[refbot\] Message from Partner Three')
check "the English reader's is English" has "$e" ": a new mail to the intake address."
# 11. A newsletter profile by mail from the Japanese reader: the preview
# and its state, and why an empty reply changed nothing, in Japanese (the
# whole answer was English, #18 s7); the English reader's as before.
t=$(deliver staff2@example.test intake "HOT-OPPORTUNITY 2027-03" "注目案件：大阪に進出する法律事務所。" 14700 staff2 '^\[refbot\] ニュースレター 2027-03（ja）')
check "the profile's preview is in Japanese, with where it stands" has "$t" "注目案件 下書き 1（OK と返信すると確定します）" "これは下書きです。"
check "with no English sentence" lacks "$t" "reply OK to confirm" "It is a draft"
drto=$(mt fetch --user staff2 --format json | pyjson "[m for m in j if '2027-03（ja）' in m['headers']['Subject']][-1]['headers']['Reply-To'].strip('<>')")
t=$(deliver staff2@example.test "$drto" "Re: newsletter" $'\n--\n山本' 14800 staff2 '^\[refbot\] ニュースレター 2027-03: 保存も確定もされませんでした')
check "an empty reply to the draft is answered in Japanese" has "$t" "下書き 1（ja）への返信が空でした"
check "with no English sentence" lacks "$t" "was empty" "Reply OK to confirm it"
e=$(deliver staff1@example.test intake "HOT-OPPORTUNITY 2027-04" "Law firms opening in Osaka." 14900 staff1 '^\[refbot\] Newsletter 2027-04')
check "the English reader's preview is as before" has "$e" "draft 2: reply OK to confirm" "It is a draft. Reply to this mail with OK"
# 12. A meeting for REF-1, which the Japanese reader owns: the invitation
# is written in Japanese (it was English, #18 s7).
t=$(deliver staff2@example.test "$rto" "Re: [REF-000001]" "MEETING 2026-12-10 14:00" 15000 staff2 '^\[REF-000001\] 面談: Acme Widgets Ltd')
check "the meeting invitation to the Japanese owner is in Japanese" has "$t" "REF-000001（Acme Widgets Ltd、Partner One様からのご紹介）の面談を "
check "not in English" lacks "$t" "The meeting about"
finish
