#!/bin/bash
# Partner enablement by email (issue 10): "partner add --welcome" mails
# the welcome kit once, in the partner's language; "partner welcome"
# sends it again on purpose; TEMPLATE (テンプレート, HELP) from a partner
# gets the blank form, from a stranger the how-to-join reply; a referral
# that says "help" is still a referral.
export SANDBOX_EXTRA_USERS="stranger partner3"
. "$(dirname "$0")/lib.sh"
sandbox_start
printf 'firm_name = Example Consulting KK\nauto_reply_limit = 2\n' >>"$CONF"
rb init >/dev/null
mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
# The newest mail in a user's mailbox, as JSON.
last() { mt fetch --user "$1" --format json | pyjson 'json.dumps(j[-1])'; }
outbox_count() { sqlite3 "$SB/refbot.db" "select count(*) from outbox where kind = '$1'"; }

# 1. The kit, queued with the partner.
out=$(rb partner add partner1@example.test --name "Partner One" --lang en --welcome)
check "partner add --welcome says the kit is queued" grep -q "welcome kit queued" <<<"$out"
rb partner add partner2@example.test --name "パートナー二" --lang ja --welcome >/dev/null
rb partner add partner3@example.test --name "株式会社パートナー三" >/dev/null
check "one kit queued per partner added with --welcome" [ "$(outbox_count welcome)" = 2 ]
check "show says a partner added without it has none" grep -q "welcome kit not sent" <<<"$(rb partner show partner3@example.test)"

rb run --once 2>>"$SB/run.log"
check "partner1 receives the kit" mt wait --user partner1 --count 1 --timeout 20
kit=$(last partner1)
check "the kit's subject welcomes them" [ "$(pyjson '"Welcome to the Example Consulting KK partner programme" in j["headers"]["Subject"]' <<<"$kit")" = True ]
check "it names the intake address" [ "$(pyjson '"intake@example.test" in j["text"]' <<<"$kit")" = True ]
check "it carries the form, made from the template" [ "$(pyjson 'all(s in j["text"] for s in ["\n* Client:\n", "\n* Contact name:\n", "\n  Budget:\n", "\n* Client aware:\n"])' <<<"$kit")" = True ]
check "it carries the one-page overview" [ "$(pyjson '"one-page overview for our partners" in j["text"] and "WHEN TO THINK OF US" in j["text"]' <<<"$kit")" = True ]
check "and the introduction email, with the firm's name" [ "$(pyjson '"I was talking with Example Consulting KK recently" in j["text"]' <<<"$kit")" = True ]
check "and the response time" [ "$(pyjson '"within 24 hours" in j["text"]' <<<"$kit")" = True ]
check "no placeholder is left" [ "$(pyjson '"{{" in j["text"]' <<<"$kit")" = False ]
check "it is a notice, not an auto-reply" [ "$(pyjson 'j["headers"]["Auto-Submitted"]' <<<"$kit")" = auto-generated ]

check "partner2 receives the kit" mt wait --user partner2 --count 1 --timeout 20
kit=$(last partner2)
check "in Japanese: the subject" [ "$(pyjson '"パートナープログラムへようこそ" in j["headers"]["Subject"]' <<<"$kit")" = True ]
check "the Japanese form" [ "$(pyjson 'all(s in j["text"] for s in ["\n* クライアント名：\n", "\n* 担当者名：\n", "\n  予算：\n"])' <<<"$kit")" = True ]
check "the Japanese overview and introduction" [ "$(pyjson '"1ページ概要" in j["text"] and "Example Consulting KKと話をする機会があり" in j["text"]' <<<"$kit")" = True ]
raw_subject=$(sqlite3 "$SB/refbot.db" "select data from outbox where kind = 'welcome' and rcpt = 'partner2@example.test'" | grep -m1 '^Subject:')
check "the Japanese subject is RFC 2047 encoded" bash -c "grep -qE '^Subject: =\\?(UTF-8|utf-8)\\?' <<<'$raw_subject' && LC_ALL=C grep -qv \$'[\\x80-\\xff]' <<<'$raw_subject'"

rb run --once 2>>"$SB/run.log"
sleep 1
check "another run sends no second kit" [ "$(mt count --user partner1)/$(mt count --user partner2)" = 1/1 ]
check "show gives when it was sent" [ "$(rb partner show partner1@example.test --format json | pyjson 'j["welcomed_at"] is not None')" = True ]

# 2. Sent again on purpose.
out=$(rb partner welcome partner1@example.test)
check "partner welcome queues it again and says so" grep -q "queued again (last sent " <<<"$out"
rb run --once 2>>"$SB/run.log"
check "partner1 receives it once more" mt wait --user partner1 --count 2 --timeout 20
sleep 1
check "exactly once more" [ "$(mt count --user partner1)" = 2 ]
rb partner add partner4@example.test --name "Gone KK" >/dev/null
rb partner deactivate partner4@example.test >/dev/null
rb partner welcome partner4@example.test >/dev/null 2>&1
check "an inactive partner gets no kit (exit 65)" [ $? -eq 65 ]
rb partner add partner5@example.test --name "Off KK" --active off --welcome >/dev/null
check "nor one added inactive" [ "$(outbox_count welcome)" = 3 ]
rb partner set partner3@example.test --welcome >/dev/null 2>&1
check "--welcome belongs to add and import only (exit 64)" [ $? -eq 64 ]

# 3. TEMPLATE from partners, in the subject or the body, any encoding.
mt send --from partner1 --to intake --subject "TEMPLATE" --body "" >/dev/null
/usr/bin/python3 - "$SB/iso.eml" <<'PY'
import sys
body = "テンプレート\r\n".encode("iso-2022-jp")
subj = "=?ISO-2022-JP?B?" + __import__("base64").b64encode("フォーム".encode("iso-2022-jp")).decode() + "?="
head = ("From: partner2@example.test\r\nTo: intake@example.test\r\n"
        "Subject: " + subj + "\r\nDate: Fri, 27 Nov 2026 10:00:00 +0900\r\n"
        "Message-ID: <iso-template@partner.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=ISO-2022-JP\r\n"
        "Content-Transfer-Encoding: 7bit\r\n\r\n").encode()
open(sys.argv[1], "wb").write(head + body)
PY
mt send --from partner2 --to intake --eml "$SB/iso.eml" >/dev/null
mt send --from partner3 --to intake --subject "Re" --body $'テンプレート\n\nよろしくお願いします。' >/dev/null
mt send --from stranger --to intake --subject "TEMPLATE" --body "" >/dev/null
# A referral whose subject is HELP and whose text asks for help is a referral.
sed -e 's/Subject: Referral: Acme Widgets/Subject: Help/' -e 's/plain-en@partner.example/help-ref@partner.example/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/help.eml"
mt send --from partner1 --to intake --eml "$SB/help.eml" >/dev/null
mt wait --user intake --count 5 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"

check "partner1 gets the form" mt wait --user partner1 --count 3 --timeout 20
form=$(mt fetch --user partner1 --format json | pyjson 'json.dumps([m for m in j if "referral form" in m["headers"]["Subject"]])')
check "exactly one form reply, with the form and the intake address" [ "$(pyjson 'len(j) == 1 and "\n* Client:\n" in j[0]["text"] and "intake@example.test" in j[0]["text"]' <<<"$form")" = True ]
check "threaded under the request, as an auto-reply" [ "$(pyjson 'j[0]["headers"]["In-Reply-To"] is not None and j[0]["headers"]["Auto-Submitted"] == "auto-replied"' <<<"$form")" = True ]
check "partner2's ISO-2022-JP テンプレート gets the Japanese form" mt wait --user partner2 --count 2 --timeout 20
check "in Japanese" [ "$(last partner2 | pyjson '"ご紹介フォーム" in j["headers"]["Subject"] and "\n* クライアント名：\n" in j["text"]')" = True ]
check "partner3 (language auto) writing テンプレート gets it in Japanese" mt wait --user partner3 --count 1 --timeout 20
check "in Japanese too" [ "$(last partner3 | pyjson '"\n* クライアント名：\n" in j["text"]')" = True ]
check "the stranger gets how to become a partner" mt wait --user stranger --count 1 --timeout 20
check "not the form" [ "$(last stranger | pyjson '"registered partners only" in j["text"] and "Client:" not in j["text"]')" = True ]
check "the referral that says help is a referral" [ "$(rb referral list --format json | pyjson '[r["client"] for r in j]')" = "['Acme Widgets Ltd']" ]
check "three form requests recorded, no referral made of them" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where disposition = 'form-request'")" = 3 ]
check "the stranger's recorded as unknown-sender" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where disposition = 'unknown-sender'")" = 1 ]
check "every message has a disposition" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where disposition = 'pending'")" = 0 ]
# 4. The form answer counts toward the per-sender cap like other replies.
mt send --from partner3 --to intake --subject "TEMPLATE" --body "" >/dev/null
mt send --from partner3 --to intake --subject "TEMPLATE" --body "" >/dev/null
mt wait --user intake --count 2 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
mt wait --user partner3 --count 2 --timeout 20 >/dev/null
sleep 1
check "past auto_reply_limit the form is withheld" [ "$(mt count --user partner3)" = 2 ]
check "and the request is still recorded, with why" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where disposition = 'form-request' and detail like '%reply withheld%'")" = 1 ]
check "no addresses or bodies in the info log" bash -c "! grep -qE 'partner[0-9]@|stranger@|テンプレート|Acme' '$SB/run.log'"

finish
