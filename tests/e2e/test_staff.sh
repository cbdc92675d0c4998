#!/bin/bash
# F3/F4 end to end: staff move a referral NEW -> CONTACTED -> MEETING ->
# PROPOSAL -> WON by replying from their mail client (several styles);
# the partner gets exactly one update per step, threaded, with the relayed
# text; quoted keywords, strangers and unsigned mail change nothing; an
# invalid transition is explained; the partner can ask for the STATUS.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$@"; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
run_once() { wait_for intake 1; rb run --once 2>>"$SB/run.log"; }
status() { rb referral show REF-000001 --format json | pyjson 'j["status"]'; }

send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
run_once
check "staff1 is notified" wait_for staff1 1
check "staff2 is notified" wait_for staff2 1
note=$(fetch staff1)
check "the notification names the referral, client and partner" \
	[ "$(echo "$note" | pyjson 'j[0]["headers"]["Subject"]')" = "[REF-000001] New referral: Acme Widgets Ltd (from Partner One)" ]
reply_to=$(echo "$note" | pyjson 'j[0]["headers"]["Reply-To"].strip("<>")')
note_id=$(echo "$note" | pyjson 'j[0]["headers"]["Message-ID"]')
check "its Reply-To is a signed plus-address ($reply_to)" \
	grep -qE '^intake\+r1\.s\.[a-z2-7]{16}@example\.test$' <<<"$reply_to"
check "it carries the keyword cheat-sheet and the due time" \
	[ "$(echo "$note" | pyjson '"WON <amount>" in j[0]["text"] and "First response due" in j[0]["text"]')" = True ]
quoted=$(echo "$note" | pyjson '"\n".join("> " + l for l in j[0]["text"].splitlines())')

# Outlook style: keyword, relay text, then the original below a header block.
send --from staff1 --to "$reply_to" --subject "RE: [REF-000001] New referral" \
	--header "In-Reply-To: $note_id" --body $'CONTACTED\n\nWe called Jane today; she is keen.\n\nAlice\n\n-----Original Message-----\nFrom: Referrals <intake@example.test>\nSent: Friday, November 27, 2026 10:00 AM\nTo: staff1@example.test\nSubject: [REF-000001] New referral\n\nWON 99999'
run_once
check "CONTACTED moves it (Outlook style)" [ "$(status)" = CONTACTED ]

# Gmail style, sent to the plain intake address: only In-Reply-To proves it.
send --from staff1 --to intake --subject "Re: [REF-000001] New referral" \
	--header "In-Reply-To: $note_id" --header "References: $note_id" \
	--body $'MEETING 2026-12-03\nMeeting booked for the 3rd.\n\nOn Fri, Nov 27, 2026 at 10:00 AM Referrals <intake@example.test> wrote:\n'"$quoted"
run_once
check "MEETING moves it (Gmail style, In-Reply-To only)" [ "$(status)" = MEETING ]

# Japanese alias and full-width digits from a phone, with its carrier's
# footer (issue 17: never relayed).
send --from staff2 --to "$reply_to" --subject "Re: [REF-000001]" \
	--body $'提案　１，２００，０００円\n見積書を送りました。\n\nau Android携帯からの送信'
run_once
check "提案 (PROPOSAL) with a full-width amount moves it" [ "$(status)" = PROPOSAL ]

# A keyword only in the quote does nothing.
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" \
	--body $'Thanks, will follow up.\n\nOn Fri, Nov 27, 2026, Referrals wrote:\n> WON 500'
run_once
check "a keyword only in the quote changes nothing" [ "$(status)" = PROPOSAL ]

# Someone who is not staff, using the signed address, and staff without it.
send --from partner2 --to "$reply_to" --subject "Re: [REF-000001]" --body "LOST never mind"
run_once
check "a non-staff sender changes nothing" [ "$(status)" = PROPOSAL ]
send --from staff2 --to intake --subject "[REF-000001] update" --body "LOST budget cut"
run_once
check "staff without a signed address or reference change nothing" [ "$(status)" = PROPOSAL ]
check "partner2 got no reply" [ "$(count partner2)" = 0 ]

send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" \
	--body $'WON 12,000,000\nThree-year audit engagement.\n\n-- \nAlice Tanaka\nCONTACTED'
run_once
check "WON with an amount closes it" [ "$(status)" = WON ]
show=$(rb referral show REF-000001 --format json)
check "history records who, keyword and argument" \
	[ "$(echo "$show" | pyjson '[(h["event"], h["actor"]) for h in j["history"] if h["event"] == "WON"][0]')" = "('WON', 'staff1@example.test')" ]

# Not allowed after WON: staff1 is told what is allowed.
before=$(count staff1)
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "CONTACTED"
run_once
check "an invalid transition changes nothing" [ "$(status)" = WON ]
check "the staff member is told why" wait_for staff1 $((before + 1))
err=$(fetch staff1 | pyjson '[m for m in j if "Not done" in m["headers"]["Subject"]][-1]["text"]')
check "the explanation says what is allowed now" grep -q "REOPEN" <<<"$err"

# The partner: one ack and one update per step, in order, threaded.
check "partner1 has the ack and four updates" wait_for partner1 5
sleep 1
box=$(fetch partner1)
check "exactly five mails" [ "$(echo "$box" | pyjson 'len(j)')" = 5 ]
check "updates in order" [ "$(echo "$box" | pyjson '",".join(m["headers"]["Subject"].split("— ")[-1] for m in j[1:])')" = "contacted,meeting,proposal sent,won" ]
check "each update threads under the ack" [ "$(echo "$box" | pyjson 'all(m["headers"]["In-Reply-To"] == j[0]["headers"]["Message-ID"] for m in j[1:])')" = True ]
check "the relayed text reaches the partner" [ "$(echo "$box" | pyjson '"We called Jane today; she is keen." in j[1]["text"] and "Original Message" not in j[1]["text"]')" = True ]
check "WON states the amount" [ "$(echo "$box" | pyjson '"12,000,000" in j[4]["text"] and "Three-year audit engagement." in j[4]["text"]')" = True ]
# The first referral of the year is in the guide's first tier: 10 %.
check "WON states the commission under the partner's terms" [ "$(echo "$box" | pyjson '"¥1,200,000 (10% of the engagement)" in j[4]["text"]')" = True ]
check "the ledger holds the commission" [ "$(sqlite3 "$SB/refbot.db" "select kind, amount, basis, rate_bp from ledger")" = "earned|1200000|12000000|1000" ]
rb payout add partner1@example.test 200000 --ref REF-000001 >/dev/null
check "a payout leaves the right balance" [ "$(rb partner show partner1@example.test --format json | pyjson '(j["commission_earned"], j["paid"], j["balance"])')" = "(1200000, 200000, 1000000)" ]
check "nothing from the quotes or signatures leaked" [ "$(echo "$box" | pyjson 'not any("99999" in m["text"] or "500" in m["text"] for m in j)')" = True ]
check "the relayed text reaches the partner without the phone's footer" \
	[ "$(echo "$box" | pyjson '"見積書を送りました。" in j[3]["text"] and "携帯" not in j[3]["text"]')" = True ]
check "staff were alerted about the two refused commands" \
	[ "$(fetch staff2 | pyjson 'sum("was not accepted" in m["headers"]["Subject"] for m in j)')" = 2 ]

# The partner asks for the status.
ack_id=$(echo "$box" | pyjson 'j[0]["headers"]["Message-ID"]')
send --from partner1 --to intake --subject "Re: [REF-000001] Referral received" \
	--header "In-Reply-To: $ack_id" --body "STATUS"
run_once
check "STATUS is answered to the partner" wait_for partner1 6
check "with the state and history" [ "$(fetch partner1 | pyjson '"is WON" in j[5]["text"] and "CONTACTED" in j[5]["text"]')" = True ]

# F8: the report has the numbers, as JSON and CSV.
rb given add partner1@example.test --client "Their Client KK" --note "sent them a client" >/dev/null
rep=$(rb report --format json)
check "report: received, given, won, revenue, commission per partner" \
	[ "$(echo "$rep" | pyjson '[(p["received"], p["given"], p["won"], p["conversion"], p["revenue"], p["commission"]) for p in j["partners"] if p["partner"] == "Partner One"][0]')" = "(1, 1, 1, '100%', 12000000, 1200000)" ]
check "report: the overall row adds up" [ "$(echo "$rep" | pyjson 'j["overall"]["revenue"]')" = 12000000 ]
check "report: a first response time was measured" [ "$(echo "$rep" | pyjson 'j["overall"]["median_first_response_hours"] != "-"')" = True ]
check "report: CSV has a header and a row per partner plus overall" \
	[ "$(rb report --format csv | wc -l)" = 3 ]
rb cost add 800000 --note "partner event" >/dev/null
check "report: ROI over commission and costs" [ "$(rb report --format json | pyjson '(j["overall"]["costs"], j["overall"]["roi"])')" = "(800000, '500%')" ]
check "report: an empty period has zeros" [ "$(rb report --from 2001-01-01 --to 2001-12-31 --format json | pyjson 'j["overall"]["received"]')" = 0 ]

# REVENUE adds commission only for partners on recurring terms.
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "REVENUE 1,000,000"
run_once
check "REVENUE is refused for percent terms" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from ledger where note = 'REVENUE'")" = 0 ]
rb partner set partner1@example.test --terms recurring >/dev/null
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "REVENUE 1,000,000"
run_once
check "REVENUE on recurring terms writes 10% to the ledger" [ "$(sqlite3 "$SB/refbot.db" "select amount from ledger where note = 'REVENUE'")" = 100000 ]
check "and the state stays WON" [ "$(status)" = WON ]
rb partner set partner1@example.test --terms percent >/dev/null

# F6: the quarter's statement, printed and then sent once.
quarter="$(date -u +%Y)Q$(( ($(date -u +%-m) - 1) / 3 + 1 ))"
stmt=$(rb statement --quarter "$quarter" --partner partner1@example.test)
check "statement: revenue, commission (WON and REVENUE), paid and balance" \
	bash -c "grep -q 'Revenue won from them: *¥12,000,000' <<<'$stmt' && grep -q 'Commission earned: *¥1,300,000' <<<'$stmt' && grep -q 'Paid to you this quarter: *¥200,000' <<<'$stmt' && grep -q 'Balance at quarter end: *¥1,100,000' <<<'$stmt'"
check "statement: lists the quarter's referrals" grep -q "REF-000001  WON" <<<"$stmt"
before=$("$MAILTOOL" count --env "$SB/env" --user partner1)
rb statement --quarter "$quarter" --send >/dev/null
rb statement --quarter "$quarter" --send >"$SB/stmt2.out"
rb run --once 2>>"$SB/run.log"
check "statement: sent to the partner" "$MAILTOOL" wait --env "$SB/env" --user partner1 --count $((before + 1)) --timeout 20
sleep 1
check "statement: exactly once per partner and quarter" [ "$("$MAILTOOL" count --env "$SB/env" --user partner1)" = $((before + 1)) ]
check "statement: the second --send says so" grep -q "sent before" "$SB/stmt2.out"

# refbot parse shows what it reads from a staff reply.
printf 'From: staff1@example.test\nTo: intake@example.test\nSubject: Re: [REF-000001] x\nMessage-ID: <p1@x>\n\nWON 1,200,000円 audit\nThanks all\n\n> quoted\n' >"$SB/staff.eml"
parsed=$(rb parse --format json <"$SB/staff.eml")
check "parse shows the keyword, argument and relayed text" \
	[ "$(echo "$parsed" | pyjson 'j["keyword"] + "|" + str(j["amount_minor"]) + "|" + j["relay"]')" = "WON|1200000|Thanks all" ]

finish
