#!/bin/bash
# Issue 19 item 4 by mail: a staff member's "GIVEN partner@..." mail to
# the intake, with the client below it, records a referral the firm gave
# that partner only after the staff member's OK to a signed preview, as
# "refbot given add" does; CANCEL drops it, a reply without the token or
# from anyone but staff records nothing, and a mail that cannot be
# recorded gets the reason back.
. "$(dirname "$0")/lib.sh"
sandbox_start

send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
wait_intake() { "$MAILTOOL" wait --env "$SB/env" --user intake --count "${1:-1}" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
arrives() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
quiet() { "$@" >/dev/null; }
db() { sqlite3 "$SB/refbot.db" "$1"; }
last() { db "select disposition from messages order by id desc limit 1"; }
given() { db "select count(*) from given"; }
run() { wait_intake; rb run --once 2>>"$SB/run.log"; }
# The newest mail to $1 whose subject has $2: as JSON.
mail_with() { fetch "$1" | pyjson "json.dumps([m for m in j if '$2' in m['headers']['Subject']][-1])"; }

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null

send --from staff1 --to intake --subject "given" --body "GIVEN partner1@example.test
Client: Given Mail KK
Contact: cfo@givenmail.example
Note: tax advice

--
Staff One"
run
check "a GIVEN mail is kept as a draft, with a preview" [ "$(last)" = given-preview ]
check "nothing is recorded before the staff member confirms" [ "$(given)" = 0 ]
check "the preview reaches the staff member" arrives staff1 1
pv=$(mail_with staff1 "Referral given")
to=$(pyjson 'j["headers"]["Reply-To"].strip("<>")' <<<"$pv")
subj=$(pyjson 'j["headers"]["Subject"]' <<<"$pv")
text=$(pyjson 'j["text"]' <<<"$pv")
check "the preview names the partner" grep -q "Partner One" <<<"$text"
check "and the client, contact and note read" bash -c 'grep -q "Given Mail KK" <<<"$1" && grep -q "cfo@givenmail.example" <<<"$1" && grep -q "tax advice" <<<"$1"' _ "$text"
check "its reply address is signed for the GIVEN role" grep -q '+r1\.g\.' <<<"$to"

# OK to the intake without the token: not a confirmation.
send --from staff1 --to intake --subject "Re: $subj" --body "OK"
run
check "an OK without the token records nothing" [ "$(given)" = 0 ]
check "and the draft stays open" [ "$(db "select coalesce(confirmed_at, 0) from given_drafts where id = 1")" = 0 ]
send --from stranger --to "$to" --subject "Re: $subj" --body "OK"
run
check "a non-staff reply through the signed address is refused" [ "$(last)" = given-refused ]
check "still nothing recorded" [ "$(given)" = 0 ]
send --from staff1 --to "$to" --subject "Re: $subj" --body "OK"
run
check "staff's OK through the signed address records it" [ "$(last)" = given-confirmed ]
list=$(rb given list --format json)
check "given list shows it, as given add would" [ "$(pyjson 'j[0]["partner"] + "/" + j[0]["client"] + "/" + j[0]["contact"] + "/" + j[0]["note"] + "/" + j[0]["outcome"]' <<<"$list")" = "Partner One/Given Mail KK/cfo@givenmail.example/tax advice/open" ]
check "recorded by the staff member who confirmed it" [ "$(pyjson 'j[0]["recorded_by"]' <<<"$list")" = staff1@example.test ]
check "given set works on it" quiet rb given set 1 won
send --from staff1 --to "$to" --subject "Re: $subj" --body "OK"
run
check "a second OK records nothing more" [ "$(given)" = 1 ]

# Japanese: 紹介先 with Japanese labels, then CANCEL.
n=$(count staff1)
send --from staff1 --to intake --subject "紹介" --body "紹介先 partner1@example.test
顧客：山田商事
連絡先：yamada@yamada.example"
run
check "紹介先 with Japanese labels is a GIVEN mail" [ "$(last)" = given-preview ]
arrives staff1 $((n + 1))
pv=$(mail_with staff1 "(draft 2)")
to=$(pyjson 'j["headers"]["Reply-To"].strip("<>")' <<<"$pv")
check "its preview has the client" grep -q "山田商事" <<<"$(pyjson 'j["text"]' <<<"$pv")"
send --from staff1 --to "$to" --subject "Re: x" --body "CANCEL"
run
check "CANCEL drops it" [ "$(last)" = given-cancelled ]
check "nothing more recorded" [ "$(given)" = 1 ]

# Mail that cannot be recorded: the reason, back to its author.
n=$(count staff1)
send --from staff1 --to intake --subject "given" --body "GIVEN partner1@example.test
Note: no client here"
run
check "a GIVEN mail without a client is refused" [ "$(last)" = given-refused ]
check "and the staff member is told why" arrives staff1 $((n + 1))
check "naming the missing client" grep -q "needs the client" <<<"$(mail_with staff1 "not recorded" | pyjson 'j["text"]')"
send --from staff1 --to intake --subject "given" --body "GIVEN nobody@elsewhere.example
Client: Lost KK"
run
check "a GIVEN mail for an unknown partner is refused" [ "$(last)" = given-refused ]
check "nothing recorded for it" [ "$(db "select count(*) from given_drafts")" = 2 ]
# Not from staff: a partner's GIVEN mail is not one.
send --from partner1 --to intake --subject "hello" --body "GIVEN partner1@example.test
Client: Sneaky KK"
run
check "a partner's GIVEN mail makes no draft" [ "$(db "select count(*) from given_drafts")" = 2 ]

# A staff member who reads Japanese is told why in Japanese (#18, s7):
# each reason the parser gives and the unknown partner; the message's
# detail (refbot message list) stays English, as the answers above.
rb staff add staff2@example.test --name "山本 花子" --lang ja >/dev/null
# why_ja BODY: staff2's GIVEN mail BODY; prints the text of the answer.
why_ja() {
	local n
	n=$(count staff2)
	send --from staff2 --to intake --subject "紹介" --body "$1"
	run
	arrives staff2 $((n + 1))
	mail_with staff2 "記録されませんでした" | pyjson 'j["text"]'
}
t=$(why_ja "紹介先 partner1@example.test
備考：顧客なし")
check "no client: why in Japanese" grep -q "顧客が必要です。その下に「顧客：株式会社サンプル」の行を書いてください。" <<<"$t"
check "with no English sentence" bash -c '! grep -q "needs the client" <<<"$1"' _ "$t"
t=$(why_ja "紹介先
顧客：山田商事")
check "no partner: why in Japanese" grep -q "紹介先（GIVEN）の後にパートナーのアドレスを書いてください" <<<"$t"
check "with no English sentence" bash -c '! grep -q "needs the partner" <<<"$1"' _ "$t"
t=$(why_ja "紹介先 partner1@example.test
顧客：山田商事
連絡先：山田さんに電話")
check "a contact that is not an address: why in Japanese" grep -q "連絡先「山田さんに電話」はメールアドレスではありません。" <<<"$t"
check "with no English sentence" bash -c '! grep -q "is not an email address" <<<"$1"' _ "$t"
t=$(why_ja "紹介先 nobody@elsewhere.example
顧客：山田商事")
check "an unknown partner: why in Japanese" grep -q "有効なパートナーではありません。先に「refbot partner add」で登録してください。" <<<"$t"
check "with no English sentence" bash -c '! grep -q "not an active partner" <<<"$1"' _ "$t"
check "the message's detail stays English" [ "$(db "select detail from messages order by id desc limit 1")" = 'GIVEN mail from staff not recorded: it is not an active partner: add it with "refbot partner add" first.' ]
check "nothing recorded for any of them" [ "$(db "select count(*) from given_drafts")" = 2 ]

# forget reaches the drafts too.
out=$(rb forget cfo@givenmail.example 2>&1)
check "forget scrubs a given draft's contact" [ "$(db "select count(*) from given_drafts where contact like '%cfo@givenmail%'")" = 0 ]

finish
