#!/bin/bash
# Issue 14 items 2 and 6: nothing that changes state is done on a From
# address alone.  A forged staff HOT-OPPORTUNITY is a draft that never
# replaces the confirmed profile; a draft is confirmed only by OK through
# the signed address of its own preview (not another draft of the month,
# not an empty reply); a partner's correction by "[REF-n]" and UNSUBSCRIBE
# sent to the intake wait for a reply to a signed confirmation, which then
# applies exactly what was asked; the signed ways act at once.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "パートナー二" --lang ja >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
run_once() { wait_for intake 1; rb run --once 2>>"$SB/run.log"; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
last_disposition() { sql "select disposition from messages order by id desc limit 1"; }
status() { rb newsletter status --month "$1"; }
# The newest mail to USER whose subject has TEXT: its header or "text".
newest() { fetch "$1" | pyjson "[m for m in j if '''$2''' in m['headers']['Subject']][-1]$3"; }
reply_to_of() { newest "$1" "$2" "['headers']['Reply-To'].strip('<>')"; }

M1=2031-01 M2=2031-02 M3=2031-03

# ---------------------------------------------------------------- item 2
printf 'The confirmed English profile: law firms opening in Osaka.\n' >"$SB/en.txt"
rb newsletter set --month "$M1" --file "$SB/en.txt" >/dev/null
send --from staff1 --to intake --subject "HOT-OPPORTUNITY $M1" --body "Forged profile: buy our pills."
run_once
check "a forged staff HOT-OPPORTUNITY does not replace the confirmed profile" \
	[ "$(sql "select body from newsletter_profiles where month = '$M1' and lang = 'en'")" = "The confirmed English profile: law firms opening in Osaka." ]
check "the month's issue still carries the confirmed profile" \
	bash -c '"$1" --config "$2" newsletter preview --partner partner1@example.test --month "$3" | grep -q "law firms opening in Osaka" && ! "$1" --config "$2" newsletter preview --partner partner1@example.test --month "$3" | grep -q pills' _ "$REFBOT" "$CONF" "$M1"
check "status says confirmed, with a draft waiting" \
	bash -c '"$1" --config "$2" newsletter status --month "$3" | grep -q "profile en: confirmed; 1 draft waiting"' _ "$REFBOT" "$CONF" "$M1"
check "the preview goes to the address named, not to whoever wrote it" wait_for staff1 1

# Two drafts of one month, one per language: OK to one confirms only it.
send --from staff1 --to intake --subject "HOT-OPPORTUNITY $M2" --body "Draft A: retailers moving to the cloud."
send --from staff1 --to intake --subject "HOT-OPPORTUNITY $M2" --body "下書きB：クラウドに移行する小売業の企業様。"
wait_for intake 2
rb run --once 2>>"$SB/run.log"
wait_for staff1 3
a_to=$(reply_to_of staff1 "$M2 (en)")
check "draft A's preview has a signed reply address naming a draft" grep -qE '^intake\+r[0-9]+\.d\.[a-z2-7]+@example\.test$' <<<"$a_to"
send --from staff1 --to "$a_to" --subject "Re: newsletter" --body "OK"
run_once
check "OK through draft A's preview confirms draft A" \
	[ "$(sql "select body from newsletter_profiles where month = '$M2' and lang = 'en'")" = "Draft A: retailers moving to the cloud." ]
check "and not draft B of the same month in the other language" \
	[ "$(sql "select count(*) from newsletter_profiles where month = '$M2' and lang = 'ja'")" = 0 ]
check "status shows en confirmed, ja still a draft" \
	bash -c 's=$("$1" --config "$2" newsletter status --month "$3"); grep -q "profile en: confirmed$" <<<"$s" && grep -q "profile ja: draft" <<<"$s"' _ "$REFBOT" "$CONF" "$M2"

# Empty replies (only the quote and a signature) are not a confirmation.
staff_before=$(count staff1)
send --from staff1 --to intake --subject "HOT-OPPORTUNITY $M3" --body "Draft C: exporters of machine tools."
run_once
wait_for staff1 $((staff_before + 1))
c_to=$(reply_to_of staff1 "$M3 (en)")
quoted=$(newest staff1 "$M3 (en)" "['text']" | sed 's/^/> /')
send --from staff1 --to "$c_to" --subject "Re: newsletter" \
	--body $'\n\nOn Mon, 1 Dec 2031 at 09:00, Referrals <intake@example.test> wrote:\n'"$quoted"$'\n\n-- \nAlice Staff'
run_once
check "an empty reply does not confirm the draft" [ "$(sql "select count(*) from newsletter_profiles where month = '$M3'")" = 0 ]
check "the author is told it confirmed nothing" wait_for staff1 $((staff_before + 2))
check "in a mail saying so" [ "$(newest staff1 "$M3" "['headers']['Subject']")" = "[refbot] Newsletter $M3: nothing stored or confirmed" ]
send --from stranger --to "$c_to" --subject "Re: newsletter" --body "OK"
run_once
check "OK from a stranger through the signed address confirms nothing" [ "$(sql "select count(*) from newsletter_profiles where month = '$M3'")" = 0 ]

# New text through the signed address: a new draft, a new preview.
staff_before=$(count staff1)
send --from staff1 --to "$c_to" --subject "Re: newsletter" --body "Draft C2: exporters of machine tools to Asia."
run_once
check "new text through the preview's address is a new draft" [ "$(sql "select count(*) from newsletter_drafts where month = '$M3' and confirmed_at is null")" = 2 ]
check "with a new preview" wait_for staff1 $((staff_before + 1))
c2_to=$(reply_to_of staff1 "$M3 (en)")
check "whose signed address names the new draft" [ "$c2_to" != "$c_to" ]
check "and nothing is confirmed yet" [ "$(sql "select count(*) from newsletter_profiles where month = '$M3'")" = 0 ]
send --from staff1 --to "$c2_to" --subject "Re: newsletter" --body "OK."
run_once
check "OK to the new preview confirms exactly the new draft" \
	[ "$(sql "select body from newsletter_profiles where month = '$M3' and lang = 'en'")" = "Draft C2: exporters of machine tools to Asia." ]
send --from stranger --to intake --subject "HOT-OPPORTUNITY $M3" --body "Stranger's pills"
run_once
check "a stranger's HOT-OPPORTUNITY is recorded, never stored" \
	[ "$(sql "select count(*) from newsletter_drafts where body like '%Stranger%'") $(sql "select count(*) from newsletter_profiles where body like '%Stranger%'") $(last_disposition)" = "0 0 unknown-sender" ]

# ---------------------------------------------------------------- item 6
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/incomplete.eml"
run_once
check "an incomplete referral is INCOMPLETE" [ "$(rb referral show REF-000001 --format json | pyjson 'j["status"]')" = INCOMPLETE ]
wait_for partner1 1
p1_before=$(count partner1)
# A new mail naming the referral in its subject: no token at all.
send --from partner1 --to intake --subject "[REF-000001] corrections" \
	--body $'Contact email: bob@foo.example\nService needed: Audit\nChallenge: Year-end close\nClient aware: yes'
run_once
show=$(rb referral show REF-000001 --format json)
check "an unsigned [REF-n] correction changes nothing" \
	[ "$(echo "$show" | pyjson 'j["status"] + " " + j["fields"]["contact_email"]')" = "INCOMPLETE not-an-address" ]
check "its disposition is correction-unsigned" [ "$(last_disposition)" = correction-unsigned ]
check "the partner is asked to confirm" wait_for partner1 $((p1_before + 1))
conf_to=$(reply_to_of partner1 "Please confirm")
check "with a signed reply address" grep -qE '^intake\+r[0-9]+\.c\.[a-z2-7]+@example\.test$' <<<"$conf_to"
check "showing what would change" [ "$(newest partner1 "Please confirm" "['text']" | grep -c "Contact email: bob@foo.example")" = 1 ]
# The reply itself says something else: only the kept request applies.
send --from partner1 --to "$conf_to" --subject "Re: Please confirm" --body $'Yes.\nClient: Other Corp'
run_once
show=$(rb referral show REF-000001 --format json)
check "replying to the signed confirmation applies the correction" \
	[ "$(echo "$show" | pyjson 'j["status"] + " " + j["fields"]["contact_email"]')" = "NEW bob@foo.example" ]
check "exactly that one: the reply's own lines change nothing" [ "$(echo "$show" | pyjson 'j["fields"]["client"]')" = "Foo Corp" ]
check "the partner then gets the acknowledgement" wait_for partner1 $((p1_before + 2))
send --from partner1 --to "$conf_to" --subject "Re: Please confirm" --body "Yes again"
run_once
check "a second reply applies nothing twice" \
	[ "$(rb referral show REF-000001 --format json | pyjson '[h["event"] for h in j["history"]].count("corrected")') $(last_disposition)" = "1 request-confirmed" ]

# UNSUBSCRIBE / 配信停止 in new mail to the intake.
send --from partner2 --to intake --subject "配信停止" --body "配信停止"
run_once
check "an unsigned 配信停止 does not unsubscribe" [ "$(sql "select newsletter from partners where email = 'partner2@example.test'")" = 1 ]
check "its disposition is unsubscribe-unsigned" [ "$(last_disposition)" = unsubscribe-unsigned ]
check "the partner is asked, in Japanese" wait_for partner2 1
check "in a mail saying what would change" [ "$(fetch partner2 | pyjson "'配信停止のご確認' in j[0]['headers']['Subject']")" = True ]
u_to=$(fetch partner2 | pyjson "j[0]['headers']['Reply-To'].strip('<>')")
send --from partner2 --to "$u_to" --subject "Re: 確認" --body "はい"
run_once
check "replying to the signed confirmation unsubscribes" [ "$(sql "select newsletter from partners where email = 'partner2@example.test'")" = 0 ]
check "and it is confirmed to the partner" wait_for partner2 2

# The signed ways act at once: the issue's List-Unsubscribe address.
rb newsletter send --month "$M1" >/dev/null 2>&1
wait_for partner1 $((p1_before + 3))
unsub=$(fetch partner1 | pyjson "[m for m in j if m['headers']['List-Id']][0]['headers']['List-Unsubscribe'].strip('<>')[len('mailto:'):].split('?')[0]")
send --from partner1 --to "$unsub" --subject "unsubscribe" --body ""
run_once
check "mail to the signed List-Unsubscribe address unsubscribes at once" [ "$(sql "select newsletter from partners where email = 'partner1@example.test'")" = 0 ]
check "every message has a disposition" [ "$(sql "select count(*) from messages where disposition = 'pending'")" = 0 ]

finish
