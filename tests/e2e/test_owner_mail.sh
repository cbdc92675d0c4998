#!/bin/bash
# Issue 18 (session 6, item 4): a partner's mail that is about no
# referral (no form field in it, or a reply to its newsletter issue)
# goes to the firm's account manager, in their language; a firm without
# one still reaches all staff, as before.  Session 7 item 2: the record
# and the log say which of the two it was.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
run_once() { mt wait --user intake --count 1 --timeout 20 >/dev/null; rb run --once 2>>"$SB/run.log"; }

rb staff add staff1@example.test --name "Alice Smith" --lang en >/dev/null
rb staff add staff2@example.test --name "山本 花子" --lang ja >/dev/null
rb partner add partner1@example.test --name "Partner One" --lang en >/dev/null
rb partner add partner2@example.test --name "Partner Two" --lang en >/dev/null
rb partner set partner1@example.test --owner staff2@example.test >/dev/null

mt send --from partner1@example.test --to intake@example.test \
	--subject "A question" --body "Could we meet next week about the programme?" >/dev/null
run_once
check "recorded as a partner message" [ "$(sql "select disposition from messages order by id desc limit 1")" = partner-message ]
check "the firm's account manager gets it, in Japanese" subject_wait staff2 'Partner One からのメッセージ' 1
check "the partner is told it reached the team" subject_wait partner1 . 1
sleep 1
check "nobody else on staff gets it" [ "$(mt count --user staff1)" = 0 ]
check "the record says where it went" grep -q "forwarded to its account manager, the partner" <<<"$(sql "select detail from messages order by id desc limit 1")"
check "the log says so too, by ids" grep -q "partner 1's message without a referral passed to its account manager" "$SB/run.log"

mt send --from partner2@example.test --to intake@example.test \
	--subject "A question" --body "Who do we talk to about the terms?" >/dev/null
run_once
check "a firm without an account manager: all staff get it" subject_wait staff1 'Message from Partner Two' 1
check "each in their language" subject_wait staff2 'Partner Two からのメッセージ' 1
check "the record says all staff got it" grep -q "forwarded to all staff (no account manager)" <<<"$(sql "select detail from messages order by id desc limit 1")"
check "and the log" grep -q "partner 2's message without a referral passed to all staff" "$SB/run.log"

# A reply to the firm's newsletter issue that is not UNSUBSCRIBE.
MONTH=$(date -u +%Y-%m)
printf 'Manufacturers moving into Kansai.\n' >"$SB/profile.txt"
rb newsletter set --month "$MONTH" --file "$SB/profile.txt" >/dev/null
rb newsletter send --month "$MONTH" >/dev/null
rb run --once 2>>"$SB/run.log"
subject_wait partner1 'the referral we are looking for' 1
issue=$(mt fetch --user partner1 --format json | pyjson "json.dumps([m for m in j if m['headers'].get('List-Id')][0])")
n1=$(mt count --user staff1)
mt send --from partner1@example.test --to "$(pyjson 'j["headers"]["Reply-To"].strip("<>")' <<<"$issue")" \
	--subject "Re: $(pyjson 'j["headers"]["Subject"]' <<<"$issue")" --body "Thanks, we have a client for this." >/dev/null
run_once
check "a reply to the issue reaches the account manager" subject_wait staff2 'ニュースレター' 1
sleep 1
check "and not the rest of staff" [ "$(mt count --user staff1)" = "$n1" ]
check "the record says the account manager got it" grep -q "newsletter forwarded to its account manager" <<<"$(sql "select detail from messages order by id desc limit 1")"
finish
