#!/bin/bash
# The outcomes of a submission, end to end: incomplete (told exactly what
# is missing), corrected by the partner's reply (then acknowledged),
# disqualified (the template's reason, in the partner's language), and a
# message nobody can read (set aside, staff told, nothing sent back).
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "パートナー二" --lang ja >/dev/null

# 1. Incomplete.
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/incomplete.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "an incomplete referral is stored as INCOMPLETE" \
	[ "$(rb referral list --format json | pyjson 'j[0]["status"]')" = INCOMPLETE ]
"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 1 --timeout 20 >/dev/null
inc=$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json)
check "the reply names each problem" [ "$(echo "$inc" | pyjson 'all(s in j[0]["text"] for s in ["Contact email: not an email address", "Service needed: missing", "Challenge: missing", "Client aware: please answer yes or no"])')" = True ]
check "and gives the blank lines to fill in" [ "$(echo "$inc" | pyjson '__import__("re").search(r"\nService needed: ?\nChallenge: ?\n", j[0]["text"]) is not None')" = True ]
check "and the whole form, made from the template" [ "$(echo "$inc" | pyjson 'all(s in j[0]["text"] + "\n" for s in ["\n* Client:\n", "\n* Contact phone:\n", "\n  Decision maker:\n"])')" = True ]
mid=$(echo "$inc" | pyjson 'j[0]["headers"]["Message-ID"]')
subj=$(echo "$inc" | pyjson 'j[0]["headers"]["Subject"]')

# 2. The partner replies with just the corrected lines, above the quote.
quoted=$(echo "$inc" | pyjson '"\n".join("> " + l for l in j[0]["text"].splitlines())')
body=$'Contact email: bob@foo.example\nService needed: Audit\nChallenge: Year-end close\nClient aware: yes\n\nOn Fri, 27 Nov 2026 at 10:00, Referrals <intake@example.test> wrote:\n'"$quoted"
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --subject "Re: $subj" \
	--header "In-Reply-To: $mid" --header "References: $mid" --body "$body" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
show=$(rb referral show REF-000001 --format json)
check "the corrected referral is now NEW" [ "$(echo "$show" | pyjson 'j["status"]')" = NEW ]
check "the corrected email is stored" [ "$(echo "$show" | pyjson 'j["fields"]["contact_email"]')" = bob@foo.example ]
check "the original fields are kept" [ "$(echo "$show" | pyjson 'j["fields"]["client"]')" = "Foo Corp" ]
check "the history shows the correction" [ "$(echo "$show" | pyjson '[h["event"] for h in j["history"]]')" = "['received', 'corrected']" ]
"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 2 --timeout 20 >/dev/null
check "the partner then gets the acknowledgement" [ "$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json | pyjson '"Referral received" in j[1]["headers"]["Subject"] and "bob@foo.example" in j[1]["text"]')" = True ]

# 3. Disqualified, in Japanese: the client does not know about it.
sed -e 's/partner1@example.test/partner2@example.test/' \
	-e 's/クライアントの了承：はい/クライアントの了承：いいえ/' \
	"$REFBOT_SRC/tests/data/ja-utf8-qp.eml" >"$SB/dq.eml"
/usr/bin/python3 - "$SB/dq.eml" <<'PY'
import email, email.policy, sys
p = sys.argv[1]
m = email.message_from_bytes(open(p, "rb").read(), policy=email.policy.default)
body = m.get_content().replace("クライアントの了承：はい", "クライアントの了承：いいえ")
m.set_content(body, charset="utf-8", cte="quoted-printable")
m.replace_header("Message-ID", "<dq@partner.example>")
open(p, "wb").write(m.as_bytes())
PY
"$MAILTOOL" send --env "$SB/env" --from partner2 --to intake --eml "$SB/dq.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "a referral whose client is not aware is DISQUALIFIED" \
	[ "$(rb referral show REF-000002 --format json | pyjson 'j["status"]')" = DISQUALIFIED ]
"$MAILTOOL" wait --env "$SB/env" --user partner2 --count 1 --timeout 20 >/dev/null
check "the partner is told why, in Japanese" [ "$("$MAILTOOL" fetch --env "$SB/env" --user partner2 --format json | pyjson '"お客様のご了承を得たうえで" in j[0]["text"] and "ご紹介について" in j[0]["headers"]["Subject"]')" = True ]
check "with the form in Japanese" [ "$("$MAILTOOL" fetch --env "$SB/env" --user partner2 --format json | pyjson '"* クライアント名：" in j[0]["text"] and "  予算：" in j[0]["text"]')" = True ]

# 4. A message over the size limit: set aside, staff and partner told.
sed 's/^poll_interval = .*/max_message_size = 1k/' "$CONF" >"$SB/small.conf"
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/multipart-alt.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
"$REFBOT" --config "$SB/small.conf" run --once 2>>"$SB/run.log"
check "an oversized message is filed in Rejected" [ "$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Rejected)" = 1 ]
check "its disposition is recorded" [ "$(sqlite3 "$SB/refbot.db" "select disposition from messages order by id desc limit 1")" = too-large ]
check "each staff member is told once" "$MAILTOOL" wait --env "$SB/env" --user staff1 --count 1 --timeout 20
check "staff2 too" "$MAILTOOL" wait --env "$SB/env" --user staff2 --count 1 --timeout 20
check "the partner is told it was too large, and the limit" \
	"$MAILTOOL" wait --env "$SB/env" --user partner1 --count 3 --timeout 20
check "in a few clear words" [ "$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json | pyjson '"too large" in j[2]["headers"]["Subject"] and "1 KB" in j[2]["text"]')" = True ]
check "every message has a disposition" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where disposition = 'pending'")" = 0 ]

# 5. A delivery report for our acknowledgement to partner1 (a hard
# bounce): the outbox row is marked, the partner flagged, staff told.
ack_id=$(sqlite3 "$SB/refbot.db" "select message_id from outbox where kind = 'ack' order by id limit 1")
staff_before=$("$MAILTOOL" count --env "$SB/env" --user staff1)
dsn_save partner1@example.test "$ack_id" 1
rb run --once 2>>"$SB/run.log"
check "the report is recorded as a bounce" [ "$(sqlite3 "$SB/refbot.db" "select disposition from messages order by id desc limit 1")" = bounce ]
check "the acknowledgement is marked bounced with the status" [ "$(sqlite3 "$SB/refbot.db" "select status || ' ' || last_error from outbox where message_id = '$ack_id'")" = "bounced failed 5.1.1" ]
check "the partner's address is flagged" [ "$(sqlite3 "$SB/refbot.db" "select bounced from partners where email = 'partner1@example.test'")" = "failed 5.1.1" ]
check "staff are told" "$MAILTOOL" wait --env "$SB/env" --user staff1 --count $((staff_before + 1)) --timeout 20
check "nobody answered the report" [ "$("$MAILTOOL" count --env "$SB/env" --user partner1)" = 3 ]

finish
