#!/bin/bash
# Issue 18 (the gap of item 1): the newsletter and the welcome kit reach
# a firm's other contacts when asked.  A contact added with --newsletter
# on gets their own copy of the firm's issue, in their language, with
# their own signed List-Unsubscribe address: using it stops their copy
# only (the main contact's issue goes on), and an UNSUBSCRIBE reply from
# them does the same.  --welcome sends the kit to that contact.
# Session 6 item 1: an unsigned UNSUBSCRIBE to the intake from such a
# contact asks (by a signed confirmation, as before) to stop their own
# copy only, and says so; from the main contact, the firm's, saying so.
# Session 7 item 1: one with nothing to stop (no copy of their own, or
# the firm's newsletter already off) is told so; the mail after the
# confirmation says whether the firm's newsletter or one copy stopped.
export SANDBOX_EXTRA_USERS="sales keiri stranger"
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
# USER's mails, as JSON, whose subject matches REGEX.
mails() { mt fetch --user "$1" --format json | pyjson "json.dumps([m for m in j if __import__('re').search(r'''$2''', m['headers']['Subject'] or '')])"; }
nmails() { mails "$1" "$2" | pyjson 'len(j)'; }
waitn() { local i; for i in $(seq 100); do [ "$(nmails "$1" "$2")" -ge "$3" ] && return 0; sleep 0.2; done; return 1; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }

rb partner add partner1@example.test --name "Partner One" --lang en >/dev/null
check "contact add --newsletter on --welcome" \
	rb partner contact add partner1@example.test sales@example.test --name "営業 太郎" --lang ja --newsletter on --welcome
rb partner contact add partner1@example.test keiri@example.test --role billing >/dev/null
check "the main contact's newsletter is the firm's, not a contact flag (exit 65)" \
	[ "$(rb partner contact set partner1@example.test partner1@example.test --newsletter off >/dev/null 2>&1; echo $?)" = 65 ]
check "contact list shows who gets the newsletter" \
	[ "$(rb partner contact list partner1@example.test --format json | pyjson '[(c["email"], c["newsletter"]) for c in j]')" = "[('partner1@example.test', False), ('sales@example.test', True), ('keiri@example.test', False)]" ]
rb run --once 2>>"$SB/run.log"
check "the welcome kit reaches the contact, in their language" waitn sales 'パートナープログラムへようこそ' 1
check "and nobody else" [ "$(mt count --user partner1)$(mt count --user keiri)" = 00 ]

MONTH=$(date -u +%Y-%m)
printf 'Manufacturers moving into Kansai.\n' >"$SB/profile.txt"
printf '関西に進出する製造業のお客様。\n' >"$SB/profile.ja.txt"
rb newsletter set --month "$MONTH" --file "$SB/profile.txt" >/dev/null
rb newsletter set --month "$MONTH" --lang ja --file "$SB/profile.ja.txt" >/dev/null
rb newsletter send --month "$MONTH" >/dev/null
rb run --once 2>>"$SB/run.log"
check "the main contact gets the issue" waitn partner1 . 1
check "the contact who asked gets a copy" waitn sales '今月の注目案件' 1
issue=$(mt fetch --user sales --format json | pyjson "json.dumps([m for m in j if m['headers'].get('List-Id')])")
check "one copy, with a List-Id" [ "$(pyjson 'len(j)' <<<"$issue")" = 1 ]
check "in the contact's language" bash -c '[[ $1 == *関西に進出する製造業* ]]' _ "$(pyjson 'j[0]["text"]' <<<"$issue")"
unsub=$(pyjson 'j[0]["headers"]["List-Unsubscribe"]' <<<"$issue" | sed -E 's/^<mailto:([^?]*)\?.*/\1/')
main_unsub=$(mt fetch --user partner1 --format json | pyjson "[m for m in j if m['headers'].get('List-Id')][0]['headers']['List-Unsubscribe']" | sed -E 's/^<mailto:([^?]*)\?.*/\1/')
diag "contact: $unsub main: $main_unsub"
check "its unsubscribe address is its own" bash -c '[[ $1 == intake+r*.k.*@example.test && $1 != "$2" ]]' _ "$unsub" "$main_unsub"
check "the billing contact who did not ask gets none" [ "$(mt count --user keiri)" = 0 ]

mt send --from sales@example.test --to "$unsub" --subject unsubscribe --body "" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "the contact's unsubscribe stops their copy" \
	[ "$(rb partner contact list partner1@example.test --format json | pyjson '[c["newsletter"] for c in j if c["email"] == "sales@example.test"][0]')" = False ]
check "but not the firm's" [ "$(sql "select newsletter from partners where email = 'partner1@example.test'")" = 1 ]
check "the contact is told, in their language" waitn sales '配信を停止しました' 1
check "recorded as an unsubscribe" grep -q "contact [0-9]* of partner 1 unsubscribed" <<<"$(sql "select detail from messages order by id desc limit 1")"

# Next month: the firm's issue, no copy for the contact who left.
NEXT=$(date -u -d "$(date -u +%Y-%m-15) +1 month" +%Y-%m)
rb newsletter set --month "$NEXT" --file "$SB/profile.txt" >/dev/null
before=$(nmails sales .)
rb newsletter send --month "$NEXT" >/dev/null
rb run --once 2>>"$SB/run.log"
check "next month the main contact gets the issue" waitn partner1 . 2
sleep 1
check "and the contact who unsubscribed none" [ "$(nmails sales .)" = "$before" ]

# An UNSUBSCRIBE reply from a contact stops that contact only.
rb partner contact set partner1@example.test keiri@example.test --newsletter on >/dev/null
NEXT2=$(date -u -d "$(date -u +%Y-%m-15) +2 month" +%Y-%m)
rb newsletter set --month "$NEXT2" --file "$SB/profile.txt" >/dev/null
rb newsletter send --month "$NEXT2" >/dev/null
rb run --once 2>>"$SB/run.log"
check "a contact set --newsletter on gets the next issue" waitn keiri . 1
reply_to=$(mails keiri . | pyjson 'j[0]["headers"]["Reply-To"].strip("<>")')
mt send --from keiri@example.test --to "$reply_to" --subject "Re: newsletter" --body "UNSUBSCRIBE" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "their UNSUBSCRIBE reply stops their copy" \
	[ "$(rb partner contact list partner1@example.test --format json | pyjson '[c["newsletter"] for c in j if c["email"] == "keiri@example.test"][0]')" = False ]
check "and leaves the firm subscribed" [ "$(sql "select newsletter from partners where email = 'partner1@example.test'")" = 1 ]
# An unsigned UNSUBSCRIBE to the intake from a contact other than the
# main one: their own copy only, once they confirm by a signed reply.
rb partner contact set partner1@example.test sales@example.test --newsletter on >/dev/null
ns=$(nmails sales .)
mt send --from sales@example.test --to intake@example.test --subject "配信停止" --body "配信停止" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
contact_news() { rb partner contact list partner1@example.test --format json | pyjson "[c['newsletter'] for c in j if c['email'] == '$1'][0]"; }
check "an unsigned UNSUBSCRIBE from a contact changes nothing yet" [ "$(contact_news sales@example.test)/$(sql "select newsletter from partners where id = 1")" = True/1 ]
check "recorded as the contact's request for their own copy" \
	grep -q "^unsubscribe-unsigned|unsubscribe for contact [0-9]* of partner 1 (their own copy) without a signed address" <<<"$(sql "select disposition, detail from messages order by id desc limit 1")"
check "the contact is asked to confirm, in their language" waitn sales 'ご本人宛の写し）の配信停止のご確認' 1
confirm=$(mails sales 'ご本人宛の写し）の配信停止のご確認')
check "the mail says only their copy stops, the firm's goes on" \
	bash -c '[[ $1 == *"停止するのはご本人宛の写しのみです"* && $1 == *sales@example.test* ]]' _ "$(pyjson 'j[0]["text"]' <<<"$confirm")"
mt send --from sales@example.test --to "$(pyjson 'j[0]["headers"]["Reply-To"].strip("<>")' <<<"$confirm")" \
	--subject "Re: 確認" --body "はい" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "their confirmation stops their copy" [ "$(contact_news sales@example.test)" = False ]
check "and not the firm's" [ "$(sql "select newsletter from partners where id = 1")" = 1 ]
check "recorded as the contact's unsubscribe" grep -q "contact [0-9]* of partner 1 unsubscribed from the newsletter (confirmed by a signed reply)" <<<"$(sql "select detail from messages order by id desc limit 1")"
check "they are told their copy stopped" waitn sales '配信を停止しました' 2
check "the mail says only their own copy stopped" \
	bash -c '[[ $1 == *"停止したのはご本人宛の写しのみです"* ]]' _ "$(mails sales '配信を停止しました' | pyjson 'j[-1]["text"]')"
# Session 7 item 1: nothing ends in silence.  A contact with no copy of
# their own who asks again is told there is nothing to stop.
mt send --from sales@example.test --to intake@example.test --subject "配信停止" --body "配信停止" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "a contact with no copy of their own is told so, in their language" waitn sales 'ニュースレターはお送りしておりません' 1
check "nothing changed, and the record says why" \
	grep -q "^unsubscribe-unsigned|unsigned unsubscribe for contact [0-9]* of partner 1, who gets no newsletter (no copy of their own): told so" <<<"$(sql "select disposition, detail from messages order by id desc limit 1")"
check "the answer counts under the reply cap" \
	[ "$(sql "select auto_reply from outbox where kind = 'newsletter-no-copy'")" = 1 ]
# Their signed List-Unsubscribe address again: no longer silent either.
mt send --from sales@example.test --to "$unsub" --subject unsubscribe --body "" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "a signed unsubscribe with nothing to stop is answered too" waitn sales 'ニュースレターはお送りしておりません' 2
check "recorded, saying so" grep -q "^unsubscribe|contact [0-9]* was already unsubscribed (.*): told so" <<<"$(sql "select disposition, detail from messages order by id desc limit 1")"

# The same in English, for a contact in the firm's language.
rb partner contact set partner1@example.test keiri@example.test --newsletter on >/dev/null
mt send --from keiri@example.test --to intake@example.test --subject "UNSUBSCRIBE" --body "UNSUBSCRIBE" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "an English contact is asked in English about their copy" waitn keiri 'Please confirm: stop your copy' 1
check "saying only their own copy stops" \
	grep -q "Only your own copy stops" <<<"$(mails keiri 'Please confirm: stop your copy' | pyjson 'j[0]["text"]')"
check "nothing changed yet" [ "$(contact_news keiri@example.test)" = True ]

# From the main contact: the firm's newsletter, the mail says so.
mt send --from partner1@example.test --to intake@example.test --subject "UNSUBSCRIBE" --body "UNSUBSCRIBE" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "the main contact's UNSUBSCRIBE asks to confirm the firm's" waitn partner1 'Please confirm: stop our monthly newsletter' 1
confirm=$(mails partner1 'Please confirm: stop our monthly newsletter')
check "saying it stops the firm's issue and the colleagues' copies" \
	grep -q "the copies any of your colleagues asked for" <<<"$(pyjson 'j[0]["text"]' <<<"$confirm")"
mt send --from partner1@example.test --to "$(pyjson 'j[0]["headers"]["Reply-To"].strip("<>")' <<<"$confirm")" \
	--subject "Re: Please confirm" --body "Yes" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "the main contact's confirmation stops the firm's newsletter" [ "$(sql "select newsletter from partners where id = 1")" = 0 ]
check "the main contact is told the firm's newsletter stopped" \
	grep -q "Partner One's monthly hot-opportunity newsletter has" <<<"$(mails partner1 'You will no longer receive our monthly newsletter' | pyjson 'j[0]["text"]')"
# A contact whose firm's newsletter is already stopped is told so.
mt send --from keiri@example.test --to intake@example.test --subject "UNSUBSCRIBE" --body "UNSUBSCRIBE" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "a contact of a firm already unsubscribed is told so, in English" waitn keiri 'newsletter to you is already stopped' 1
check "recorded with why" \
	grep -q "partner 1, who gets no newsletter (the firm's is stopped): told so" <<<"$(sql "select detail from messages order by id desc limit 1")"
finish
