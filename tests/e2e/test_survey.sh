#!/bin/bash
# Issue 20 item 1: surveys answered by reply.  The partner survey goes in
# partner_survey_month from its first working day, once a year, to each
# active partner's main contact in their language; a Japanese partner
# answers from an ISO-2022-JP mail program in full-width digits; answers
# are stored per question with history; a partial answer gets ONE reply
# asking for the missing lines (a second partial answer gets none); one
# reminder, never two; an answer without the survey's token is ordinary
# mail; the client follow-up goes N days after WON only with client_survey
# = on and only for a partner that allows contacting its clients; forget
# reaches a survey's recipient and words; words written beside the
# answers (a question for the firm) reach a person — the partner's
# account manager, in their language — while answers alone (with a
# greeting, a closing, the open question's text) send staff nothing.
# The clock is moved with REFBOT_CLOCK_OFFSET to fixed dates in 2027.
export SANDBOX_EXTRA_USERS="client1"
. "$(dirname "$0")/lib.sh"
sandbox_start

sed -i '/^timezone *=/d' "$CONF"
cat >>"$CONF" <<'CONF'
timezone = Asia/Tokyo
partner_survey_month = 6
client_survey = off
client_survey_days = 30
survey_reminder_days = 14
CONF
# at "2027-06-01 10:00" CMD...: CMD with the clock at that Tokyo time.
at() { local when=$1; shift; REFBOT_CLOCK_OFFSET=$(( $(date -d "$when +0900" +%s) - $(date +%s) )) "$@"; }
rbat() { local when=$1; shift; at "$when" "$REFBOT" --config "$CONF" "$@"; }
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
wait_intake() { "$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
# mails USER TEXT: how many of USER's mails have TEXT in the subject
mails() { fetch "$1" | pyjson "len([m for m in j if '''$2''' in m['headers']['Subject']])"; }
# await USER TEXT N: until USER has N such mails (20 s at most)
await() { local i; for i in $(seq 40); do [ "$(mails "$1" "$2")" -ge "$3" ] && return 0; sleep 0.5; done; return 1; }
# newest USER TEXT EXPR: EXPR of the newest mail to USER with TEXT in its subject
newest() { fetch "$1" | pyjson "[m for m in j if '''$2''' in m['headers']['Subject']][-1]$3"; }
last() { sql "select disposition || ' | ' || coalesce(detail, '') from messages order by id desc limit 1"; }
run_at() { rbat "$1" run --once 2>>"$SB/run.log"; }
# jp_reply WHEN USER SUBJECT BODY: USER replies in ISO-2022-JP (as an old
# Japanese mail program does) to their newest mail with SUBJECT.
jp_reply() {
	local to mid
	to=$(newest "$2" "$3" "['headers']['Reply-To']"); to=${to#<}; to=${to%>}
	mid=$(newest "$2" "$3" "['headers']['Message-ID']")
	python3 - "$2@$MAIL_DOMAIN" "$to" "$mid" "$4" >"$SB/jp.eml" <<'PY'
import sys, email.utils
from email.mime.text import MIMEText
from email.header import Header
frm, to, mid, body = sys.argv[1:5]
m = MIMEText(body, "plain", "iso-2022-jp")
m["From"] = frm
m["To"] = to
m["Subject"] = Header("Re: アンケート", "iso-2022-jp")
m["Date"] = email.utils.formatdate(localtime=True)
m["Message-ID"] = email.utils.make_msgid(domain="mua.example.test")
m["In-Reply-To"] = mid
m["References"] = mid
sys.stdout.write(m.as_string())
PY
	"$MAILTOOL" send --env "$SB/env" --from "$2" --to "$to" --eml "$SB/jp.eml" >/dev/null
	wait_intake
	run_at "$1"
}
# reply WHEN USER SUBJECT BODY: the same in UTF-8 (mailtool).
reply() {
	local to mid
	to=$(newest "$2" "$3" "['headers']['Reply-To']"); to=${to#<}; to=${to%>}
	mid=$(newest "$2" "$3" "['headers']['Message-ID']")
	send --from "$2" --to "$to" --subject "Re: survey" --header "In-Reply-To: $mid" --body "$4"
	wait_intake
	run_at "$1"
}
survey_of() { sql "select id from surveys where kind = '$1' and partner_id = $2"; }
answers() { sql "select group_concat(question || '=' || coalesce(score, '') || ':' || coalesce(comment, ''), '|') from (select * from survey_answers where survey_id = $1 order by id)"; }
current() { sql "select score from survey_answers where survey_id = $1 and question = '$2' order by id desc limit 1"; }
outbox_n() { sql "select count(*) from outbox where kind = '$1'"; }

rbat "2027-05-20 10:00" init >/dev/null
rbat "2027-05-20 10:00" partner add partner1@example.test --name "パートナー一" --lang ja >/dev/null
rbat "2027-05-20 10:00" partner add partner2@example.test --name "Partner Two" --lang en >/dev/null
rbat "2027-05-20 10:00" staff add staff1@example.test --name "Staff One" --lang en --role owner >/dev/null
rbat "2027-05-20 10:00" staff add staff2@example.test --name "山本 花子" --lang ja --role owner >/dev/null
rbat "2027-05-20 10:00" partner set partner1@example.test --owner staff2@example.test >/dev/null

# --- The yearly partner survey ----------------------------------------------
run_at "2027-05-31 10:00"
check "no survey in May (partner_survey_month = 6)" [ "$(sql 'select count(*) from surveys')" = 0 ]
run_at "2027-06-01 10:00"
check "June 1st (a Tuesday, the first working day): a survey to each partner" \
	[ "$(sql "select group_concat(kind || ' ' || partner_id || ' ' || period || ' ' || lang, ',') from surveys")" = "partner 1 2027 ja,partner 2 2027 en" ]
run_at "2027-06-02 10:00"
rbat "2027-06-02 10:00" survey send --partner partner1@example.test >"$SB/send.out"
check "once a year: another pass and survey send send nothing more" \
	bash -c '[ "$1" = 2 ] && grep -q "nothing sent" "$2"' _ "$(sql 'select count(*) from surveys')" "$SB/send.out"
check "partner1 gets the survey in Japanese (read over IMAP)" await partner1 "アンケート" 1
text=$(newest partner1 "アンケート" "['text']")
check "the Japanese survey asks the numbered questions" \
	bash -c 'grep -q "1. 当社とのパートナーシップ全体の満足度" <<<"$1" && grep -qE "^1: ?$" <<<"$1" && grep -qE "^4: ?$" <<<"$1"' _ "$text"
check "partner2 gets it in English" await partner2 "survey in one minute" 1
check "it carries a reply address signed for the survey" \
	grep -qE '^intake\+r[0-9]+\.q\.[a-z0-9]{16}@' <<<"$(newest partner2 "survey" "['headers']['Reply-To']" | tr -d '<>')"
s1=$(survey_of partner 1); s2=$(survey_of partner 2)

# --- A partial answer in ISO-2022-JP with full-width digits -----------------
jp_reply "2027-06-03 10:00" partner1 "アンケート" $'１：５　とても良い\n\nよろしくお願いします。'
check "partial: recorded as survey-partial" bash -c '[[ "$1" == "survey-partial | partner survey '"$s1"' (2027, partner 1): 1 answer recorded; still wanted: question 2, 3; asked for them once"  ]]' _ "$(last)"
check "partial: the full-width answer is stored with its words" [ "$(answers "$s1")" = "satisfaction=5:とても良い" ]
check "partial: ONE reply asks for the missing lines, in Japanese" await partner1 "読み取れなかった" 1
text=$(newest partner1 "読み取れなかった" "['text']")
check "the asking reply lists just questions 2 and 3" \
	bash -c 'grep -qE "^2: ?$" <<<"$1" && grep -qE "^3: ?$" <<<"$1" && ! grep -qE "^1: ?$" <<<"$1" && ! grep -qE "^4: ?$" <<<"$1"' _ "$text"
jp_reply "2027-06-03 11:00" partner1 "アンケート" $'２：４'
check "a second partial answer: recorded, not asked again" \
	bash -c '[[ "$1" == "survey-partial"*"not asked again"* ]]' _ "$(last)"
check "... and only one asking reply was ever queued" [ "$(outbox_n survey-missing)" = 1 ]

# --- A full answer: the first answers stay as history -----------------------
jp_reply "2027-06-04 10:00" partner1 "アンケート" $'１：４　まあまあ\n２：５\n３：３\n４：紹介後のご連絡を\nもう少し早くいただけると助かります。'
check "answers alone (a closing, the open question's text): staff told nothing" \
	bash -c '[ "$1" = 0 ] && [[ "$2" != *"forwarded to staff"* ]]' _ "$(outbox_n staff-survey-message)" "$(last)"
check "full answer: recorded as survey-answered" bash -c '[[ "$1" == "survey-answered | "*"4 answers recorded (a later answer: the earlier ones kept as history)"* ]]' _ "$(last)"
check "full answer: satisfaction now 4, the 5 kept as history" \
	bash -c '[ "$1" = 4 ] && [ "$2" = 2 ]' _ "$(current "$s1" satisfaction)" "$(sql "select count(*) from survey_answers where survey_id = $s1 and question = 'satisfaction'")"
check "full answer: every question stored under its template name" \
	[ "$(sql "select group_concat(question || '=' || coalesce(score, '-'), ',') from (select question, score from survey_answers a where survey_id = $s1 and id = (select max(id) from survey_answers b where b.survey_id = a.survey_id and b.question = a.question) order by question)")" = "comment=-,ease=5,follow_up=3,satisfaction=4" ]
check "the open answer keeps both of its lines" \
	[ "$(sql "select comment from survey_answers where survey_id = $s1 and question = 'comment'")" = $'紹介後のご連絡を\nもう少し早くいただけると助かります。' ]
check "surveys.answered_at is set" [ "$(sql "select answered_at is not null from surveys where id = $s1")" = 1 ]
show=$(rbat "2027-06-04 10:00" survey show "$s1")
check "survey show: the current answer and the earlier one" \
	bash -c 'grep -qE "^  satisfaction +4 .*current" <<<"$1" && grep -qE "^  satisfaction +5 .*earlier" <<<"$1"' _ "$show"
check "survey list --kind partner lists both" [ "$(rbat "2027-06-04 10:00" survey list --kind partner --format json | pyjson 'len(j)')" = 2 ]

# --- The answer read by mail, in the report and the review pack (#20) ---------
# What the ISO-2022-JP answer above stored is what the report (the
# current satisfaction, 4 — not the replaced 5) and partner1's quarterly
# review pack (every score, and the open answer's words) show.
json=$(rbat "2027-06-04 12:00" report --quarter 2027Q2 --format json)
check "report JSON: partner1's satisfaction from the mailed answer, 1 answer" \
	[ "$(pyjson "[(p['partner'], p['satisfaction'], p['survey_answers']) for p in j['partners']]" <<<"$json")" = "[('パートナー一', '4.0', 1), ('Partner Two', '-', 0)]" ]
check "report JSON: the overall satisfaction too" [ "$(pyjson "j['overall']['satisfaction']" <<<"$json")" = 4.0 ]
pack=$(rbat "2027-06-04 12:00" review --quarter 2027Q2 --partner partner1@example.test)
printf '%s\n' "$pack" >"$SB/review.txt"
artifact "$SB/review.txt"
check "review pack: the scores of the mailed answer (current ones only)" \
	bash -c 'for l in "satisfaction: 4.0 / -" "ease: 5.0 / -" "follow_up: 3.0 / -"; do grep -qF "$l" <<<"$1" || exit 1; done' _ "$pack"
check "review pack: the open answer's words and the score's" \
	bash -c 'grep -qF "もう少し早くいただけると助かります。" <<<"$1" && grep -qF "まあまあ" <<<"$1" && ! grep -qF "とても良い" <<<"$1"' _ "$pack"

# --- Words beside the answers reach a person -----------------------------------
# A later answer with a question in it: the answers are stored as ever,
# and the question goes to partner1's account manager (staff2, who reads
# Japanese) — not to all staff — with replies to the partner.
jp_reply "2027-06-04 13:00" partner1 "アンケート" $'お世話になっております。\n１：４\n２：５\n３：３\n田中様の件で、お電話いただけますか？\n\nよろしくお願いします。'
check "words beside the answers: stored, and the disposition says they went to staff" \
	bash -c '[[ "$1" == "survey-answered | "*"3 answers recorded"*"; the words beside the answers forwarded to staff" ]] && [ "$2" = 3 ]' _ \
	"$(last)" "$(sql "select count(*) from survey_answers where survey_id = $s1 and question = 'satisfaction'")"
check "the account manager gets the words, in Japanese (read over IMAP)" await staff2 "アンケート回答に添えられた文面" 1
text=$(newest staff2 "アンケート回答に添えられた文面" "['text']")
check "... with the question's words, and replies go to the partner" \
	bash -c 'grep -qF "田中様の件で、お電話いただけますか？" <<<"$1" && grep -qF "パートナー一" <<<"$1" && [[ "$2" == *partner1@example.test* ]]' _ \
	"$text" "$(newest staff2 "アンケート回答に添えられた文面" "['headers']['Reply-To']")"
check "... and only to the account manager" \
	[ "$(sql "select group_concat(rcpt) from outbox where kind = 'staff-survey-message'")" = "staff2@example.test" ]

# --- No token, no survey: ordinary mail --------------------------------------
n=$(sql "select count(*) from survey_answers")
send --from partner2 --to intake --subject "Survey" --body $'1: 1\n2: 1\n3: 1\n'
wait_intake
run_at "2027-06-05 10:00"
check "an answer without the token is not a survey answer" \
	bash -c '[ "$1" = "$2" ] && [[ "$3" != survey* ]]' _ "$n" "$(sql "select count(*) from survey_answers")" "$(last)"
send --from partner2 --to "intake+r$s2.q.aaaaaaaaaaaaaaaa@$MAIL_DOMAIN" --subject "Re: survey" --body $'1: 1\n2: 1\n3: 1\n'
wait_intake
run_at "2027-06-05 11:00"
check "nor one with a forged token" \
	bash -c '[ "$1" = "$2" ] && [[ "$3" != survey* ]]' _ "$n" "$(sql "select count(*) from survey_answers")" "$(last)"

# --- One reminder, never two -------------------------------------------------
run_at "2027-06-14 10:00"
check "no reminder before survey_reminder_days" [ "$(outbox_n survey-reminder)" = 0 ]
run_at "2027-06-16 10:00"
run_at "2027-06-20 10:00"
run_at "2027-07-30 10:00"
check "one reminder, to the partner who did not answer" \
	bash -c '[ "$1" = 1 ] && [ "$2" = "partner2@example.test" ]' _ "$(outbox_n survey-reminder)" "$(sql "select rcpt from outbox where kind = 'survey-reminder'")"
check "the reminder arrives" await partner2 "A reminder" 1
# The per-sender cap: partner2 was answered once this hour already.
send --from partner2 --to intake --subject "Hello" --body "Just saying hello."
wait_intake
run_at "2027-07-30 10:00"
echo "auto_reply_limit = 1" >>"$CONF"
reply "2027-07-30 10:30" partner2 "A reminder" $'1: 4 good\n2) 3\n3. 9\n'
check "over the per-sender cap the asking reply is withheld (and said)" \
	bash -c '[[ "$1" == "survey-partial"*"the reply asking for them was withheld"* ]] && [ "$2" = 1 ]' _ "$(last)" "$(outbox_n survey-missing)"
sed -i '/^auto_reply_limit = 1$/d' "$CONF"
reply "2027-07-30 11:00" partner2 "A reminder" $'1: 4 good\n2) 3\n3. 9\n'
check "an out-of-range score is a problem, asked for once" \
	bash -c '[[ "$1" == "survey-partial"*"2 answers recorded"*"asked for them once"* ]]' _ "$(last)"
check "answers and problems alone: staff told nothing more" [ "$(outbox_n staff-survey-message)" = 1 ]

# --- The client follow-up: only when enabled and allowed ---------------------
referral() {	# referral WHEN USER N EMAIL: USER refers client N (contact EMAIL)
	send --from "$2" --to intake --subject "Referral $3" --body $'Client: Survey Client '"$3"$' KK\nContact name: Client '"$3"$'\nContact email: '"$4"$'\nService needed: Audit\nChallenge: Close\nClient aware: yes\n'
	wait_intake
	run_at "$1"
}
won() {		# won WHEN N: staff mark REF-N WON
	local to
	to=$(fetch staff1 | pyjson "[m for m in j if 'REF-00000$2' in m['headers']['Subject']][0]['headers']['Reply-To'].strip('<>')")
	send --from staff1 --to "$to" --subject "Re: [REF-00000$2]" --body "WON 1,000,000"
	wait_intake
	run_at "$1"
}
rbat "2027-08-01 10:00" partner set partner1@example.test --client-contact on --owner - >/dev/null
referral "2027-08-02 10:00" partner1 1 client1@example.test
# (another domain: the same one would make it a duplicate of the first)
referral "2027-08-02 11:00" partner2 2 client2@client-two.example
won "2027-08-03 10:00" 1
won "2027-08-03 11:00" 2
check "both are WON" [ "$(sql "select group_concat(status) from referrals")" = "WON,WON" ]
run_at "2027-09-03 12:00"
check "client_survey = off: no client survey" [ "$(sql "select count(*) from surveys where kind = 'client'")" = 0 ]
sed -i 's/^client_survey = off/client_survey = on/' "$CONF"
run_at "2027-08-20 12:00"
check "on, but before client_survey_days: none" [ "$(sql "select count(*) from surveys where kind = 'client'")" = 0 ]
run_at "2027-09-03 12:00"
run_at "2027-09-04 12:00"
check "on: one client survey, for the partner that allows it" \
	[ "$(sql "select group_concat(partner_id || ' ' || period || ' ' || recipient, ',') from surveys where kind = 'client'")" = "1 REF-000001 client1@example.test" ]
check "the client gets it, in the partner's language" await client1 "当社の対応についてのアンケート（REF-000001）" 1
reply "2027-09-05 10:00" client1 "REF-000001" $'1: 5 excellent\n2: 5\n3: Keep it up\n'
c1=$(survey_of client 1)
check "the client's answer is stored" [ "$(answers "$c1")" = "satisfaction=5:excellent|recommend=5:|comment=:Keep it up" ]

# --- forget reaches the survey ------------------------------------------------
rbat "2027-09-06 10:00" forget client1@example.test >"$SB/forget.out"
check "forget: the survey's recipient and words are erased" \
	bash -c '[ "$1" = "[anonymised]" ] && [ "$2" = 0 ] && grep -qE "^  surveys, answers +[1-9]" "$3"' _ \
	"$(sql "select recipient from surveys where id = $c1")" \
	"$(sql "select count(*) from survey_answers where survey_id = $c1 and comment not like '[anonymised]'")" "$SB/forget.out"

finish
