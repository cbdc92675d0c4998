#!/bin/bash
# F1/F2 end to end: a referral sent by SMTP reaches the real IMAP intake
# mailbox; one "refbot run --once" stores it and acknowledges it; the
# acknowledgement lands, exactly once, in the partner's real mailbox.
. "$(dirname "$0")/lib.sh"
sandbox_start

check "refbot init creates the database" rb init
check "partner1 registered" rb partner add partner1@example.test --name "Partner One"
check "partner2 registered (Japanese)" rb partner add partner2@example.test --name "パートナー二" --lang ja

"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
# The fixture is written as from partner1; partner2 sends it here.
sed 's/partner1@example.test/partner2@example.test/' \
	"$REFBOT_SRC/tests/data/ja-iso2022jp.eml" >"$SB/ja.eml"
"$MAILTOOL" send --env "$SB/env" --from partner2 --to intake --eml "$SB/ja.eml"
"$MAILTOOL" send --env "$SB/env" --from stranger --to intake --subject "Hello" --body "Client: Someone"
check "three mails wait in the intake mailbox" "$MAILTOOL" wait --env "$SB/env" --user intake --count 3 --timeout 20

rb run --once 2>"$SB/run1.log"
rc=$?
check "run --once exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || cat "$SB/run1.log"

list=$(rb referral list --format json)
check "two referrals stored" [ "$(echo "$list" | pyjson 'len(j)')" = 2 ]
check "REF-000001 is Acme, NEW, from Partner One" [ "$(echo "$list" | pyjson '[r for r in j if r["ref"]=="REF-000001"][0]["client"] + "/" + [r for r in j if r["ref"]=="REF-000001"][0]["status"] + "/" + [r for r in j if r["ref"]=="REF-000001"][0]["partner"]')" = "Acme Widgets Ltd/NEW/Partner One" ]
check "REF-000002 is the Japanese client" [ "$(echo "$list" | pyjson '[r for r in j if r["ref"]=="REF-000002"][0]["client"]')" = "株式会社サンプル" ]
show=$(rb referral show REF-000001 --format json)
check "fields echoed in show" [ "$(echo "$show" | pyjson 'j["fields"]["contact_email"]')" = "jane.smith@acme.example" ]

check "partner1 receives one acknowledgement" "$MAILTOOL" wait --env "$SB/env" --user partner1 --count 1 --timeout 20
ack=$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json)
check "ack subject carries [REF-000001]" [ "$(echo "$ack" | pyjson '"[REF-000001]" in j[0]["headers"]["Subject"]')" = True ]
check "ack threads under the partner's message" [ "$(echo "$ack" | pyjson 'j[0]["headers"]["In-Reply-To"]')" = "<plain-en@partner.example>" ]
check "ack is marked auto-replied" [ "$(echo "$ack" | pyjson 'j[0]["headers"]["Auto-Submitted"]')" = auto-replied ]
check "ack Message-ID is under refbot's own domain" [ "$(echo "$ack" | pyjson 'j[0]["headers"]["Message-ID"].endswith("@refbot.example.test>")')" = True ]
check "ack echoes the fields read" [ "$(echo "$ack" | pyjson '"Jane Smith" in j[0]["text"] and "jane.smith@acme.example" in j[0]["text"]')" = True ]

check "partner2 receives one acknowledgement" "$MAILTOOL" wait --env "$SB/env" --user partner2 --count 1 --timeout 20
ack2=$("$MAILTOOL" fetch --env "$SB/env" --user partner2 --format json)
check "the Japanese partner's ack is in Japanese" [ "$(echo "$ack2" | pyjson '"ご紹介を受け付けました" in j[0]["headers"]["Subject"] and "株式会社サンプル" in j[0]["text"]')" = True ]

check "the stranger is told how to become a partner" "$MAILTOOL" wait --env "$SB/env" --user stranger --count 1 --timeout 20

check "intake INBOX is empty afterwards" [ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 0 ]
check "all three filed in Processed" [ "$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Processed)" = 3 ]

# A second pass, and the same message delivered again, change nothing.
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20
rb run --once 2>"$SB/run2.log"
check "second run exits 0" [ $? -eq 0 ]
check "a redelivered message makes no second referral" [ "$(rb referral list --format json | pyjson 'len(j)')" = 2 ]
sleep 1
check "still exactly one acknowledgement for partner1" [ "$("$MAILTOOL" count --env "$SB/env" --user partner1)" = 1 ]
# Three replies to senders, and per staff member a notification for each
# referral and one about the stranger.
check "outbox shows nine sent, none pending" [ "$(rb outbox list --format json | pyjson '",".join(sorted(set(m["status"] for m in j))) + str(len(j))')" = sent9 ]
check "staff are told about the stranger" [ "$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson 'sum("not a partner" in m["headers"]["Subject"] for m in j)')" = 1 ]
check "no addresses or bodies in the info log" bash -c "! grep -qE 'jane|acme|partner1@|Jane Smith' '$SB/run1.log'"

finish
