#!/bin/bash
# Issue 16 items 4-6: nothing a person sends is silently dropped.
# Item 4: every mail refbot sends that is not about a referral carries a
# signed reply address naming what it is; a filled form in a reply to the
# welcome kit, the blank form or the newsletter is a referral; a question
# in a reply to a statement or to the unreadable-mail notice reaches
# staff with what it answers; a stranger's reply to the join instructions
# is a partnership enquiry.  Item 5: a partner's mail with no form field
# is not a referral: staff get it, the partner is told (with the form),
# reports do not count it.  Item 6: a signed correction of a NEW referral
# applies, from any address of the partner firm, derives the client and
# keys again, runs the duplicate check again, and tells staff.
export SANDBOX_EXTRA_USERS="stranger"
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" --welcome >/dev/null
rb partner add partner2@example.test --name "Partner Two" --domain firm.example >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
run_once() { wait_for intake 1; rb run --once 2>>"$SB/run.log"; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
last() { sql "select disposition || ' | ' || coalesce(detail, '') from messages order by id desc limit 1"; }
nrefs() { sql "select count(*) from referrals"; }
# The newest mail to USER whose subject has TEXT: its header or "text".
newest() { fetch "$1" | pyjson "[m for m in j if '''$2''' in m['headers']['Subject']][-1]$3"; }
# Where a reply to that mail goes: its Reply-To, else the intake address.
reply_to() { local r; r=$(newest "$1" "$2" "['headers']['Reply-To']" 2>/dev/null); r=${r#<}; r=${r%>}; [ -n "$r" ] && [ "$r" != None ] && echo "$r" || echo intake; }
# Replies to the newest mail to USER with TEXT in its subject, as a mail
# client does (Reply-To, In-Reply-To, the original quoted): reply USER TEXT FROM BODY
reply() {
	local mid quoted
	mid=$(newest "$1" "$2" "['headers']['Message-ID']")
	quoted=$(newest "$1" "$2" "['text']" | sed 's/^/> /')
	send --from "$3" --to "$(reply_to "$1" "$2")" --subject "Re: $2" \
		--header "In-Reply-To: $mid" --header "References: $mid" \
		--body "$4"$'\n\nOn Mon, 7 Dec 2026, Referrals wrote:\n'"$quoted"
}
form() {
	printf 'Client: %s\nContact name: %s\nContact email: %s\nService needed: Audit\nChallenge: Year-end close\nClient aware: yes\n' "$@"
}
staff_has() { fetch staff1 | pyjson "len([m for m in j if '''$1''' in m['headers']['Subject'] and '''$2''' in (m['text'] or '')])"; }

# REF-000001, a referral by new mail, for item 6; and the welcome kit.
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
run_once
wait_for partner1 2

# ------------------------------------------------------------- item 4
check "the welcome kit has a signed reply address naming it" \
	grep -qE '^intake\+r[0-9]+\.w\.[a-z2-7]{16}@example\.test$' <<<"$(reply_to partner1 Welcome)"
reply partner1 Welcome partner1 "$(form "Kit Corp" "Bob Smith" bob@kitcorp.example)"
run_once
check "a filled form in a reply to the welcome kit is a referral" \
	[ "$(rb referral list --format json | pyjson '[(r["client"], r["status"]) for r in j]')" = "[('Kit Corp', 'NEW'), ('Acme Widgets Ltd', 'NEW')]" ]
check "attributed to the partner, recorded as a referral that answers the kit" \
	bash -c '[[ "$1" == "referral | REF-000002 NEW"*"reply to the welcome kit"* ]] && [ "$2" = "Partner One" ]' _ "$(last)" \
	"$(rb referral show REF-000002 --format json | pyjson 'j["partner"]')"
check "the partner gets the acknowledgement" wait_for partner1 3
check "staff get the new referral (its SLA runs)" [ "$(staff_has "[REF-000002] New referral" "Kit Corp")" = 1 ]

send --from partner1 --to intake --subject TEMPLATE --body ""
run_once
wait_for partner1 4
check "the blank form's reply address is signed" grep -qE '^intake\+r[0-9]+\.f\.' <<<"$(reply_to partner1 "referral form")"
reply partner1 "referral form" partner1 "$(form "Beta Corp" "Ann Lee" ann@beta.example)"
run_once
check "a filled form in a reply to the blank form is a referral" \
	[ "$(sql "select status from referrals where client = 'Beta Corp'") $(last | cut -d' ' -f1)" = "NEW referral" ]

MONTH=$(date -u +%Y-%m)
printf 'Manufacturers moving into Kansai.\n' >"$SB/profile.txt"
rb newsletter set --month "$MONTH" --file "$SB/profile.txt" >/dev/null
rb newsletter send --month "$MONTH" >/dev/null
rb run --once 2>>"$SB/run.log"
wait_for partner1 6
reply partner1 "the referral we are looking for" partner1 "$(form "Gamma KK" "Ken Sato" ken@gamma.example)"
run_once
check "a filled form in a reply to the newsletter is a referral" \
	bash -c '[ "$1" = NEW ] && [[ "$2" == *"reply to the newsletter"* ]]' _ "$(sql "select status from referrals where client = 'Gamma KK'")" "$(last)"

quarter="$(date -u +%Y)Q$(( ($(date -u +%-m) - 1) / 3 + 1 ))"
before=$(count partner1)
rb statement --quarter "$quarter" --partner partner1@example.test --send >/dev/null
rb run --once 2>>"$SB/run.log"
wait_for partner1 $((before + 1))
refs=$(nrefs)
reply partner1 "$quarter" partner1 "Could you explain the balance? It looks low."
run_once
check "a question in a reply to a statement reaches staff, saying what it answers" \
	[ "$(staff_has "Message from Partner One" "reply to a quarterly statement")" = 1 ]
check "recorded as a partner message, no referral made" \
	bash -c '[[ "$1" == "partner-message |"* ]] && [ "$2" = "$3" ]' _ "$(last)" "$refs" "$(nrefs)"
check "the partner is told it reached the team" wait_for partner1 $((before + 2))

# A mail nobody can read, from partner2: the notice; a reply resends it.
/usr/bin/python3 - "$SB/bad.eml" <<'PY'
import sys
open(sys.argv[1], "w").write("From: partner2@example.test\nTo: intake@example.test\n"
    "Subject: Referral\nMessage-ID: <bad-1@partner.example>\nMIME-Version: 1.0\n"
    'Content-Type: multipart/mixed; boundary="never-used"\n\nno parts here\n')
PY
send --from partner2 --to intake --eml "$SB/bad.eml"
run_once
wait_for partner2 1
check "the unreadable-mail notice is signed" grep -qE '^intake\+r[0-9]+\.x\.' <<<"$(reply_to partner2 "could not read")"
reply partner2 "could not read" partner2 "$(form "Notice GmbH" "Eva Braun" eva@notice.example)"
run_once
check "the referral sent again in a reply to the notice is partner2's referral" \
	[ "$(sql "select p.email || ' ' || r.status from referrals r join partners p on p.id = r.partner_id where r.client = 'Notice GmbH'")" = "partner2@example.test NEW" ]
reply partner2 "could not read" partner2 "What was wrong with my mail?"
run_once
check "a question in a reply to the notice reaches staff, saying what it answers" \
	[ "$(staff_has "Message from Partner Two" "notice that a message could not be read")" = 1 ]

send --from stranger --to intake --subject "Hello" --body "Do you work with accountants?"
run_once
wait_for stranger 1
check "the join instructions are signed" grep -qE '^intake\+r[0-9]+\.j\.' <<<"$(reply_to stranger "Hello")"
reply stranger "Hello" stranger "We are an accounting firm in Osaka and would like to join."
run_once
check "a stranger's reply to the join instructions is a partnership enquiry for staff" \
	bash -c '[[ "$1" == "partnership-enquiry |"* ]] && [ "$2" = 1 ]' _ "$(last)" "$(staff_has "Partnership enquiry" "accounting firm in Osaka")"
check "whose reply goes to the stranger" [ "$(newest staff1 "Partnership enquiry" "['headers']['Reply-To'].strip('<>')")" = stranger@example.test ]
sleep 1
check "the stranger is not sent the join instructions again" [ "$(count stranger)" = 1 ]

# ------------------------------------------------------------- item 5
refs=$(nrefs)
before=$(count partner1)
received=$(rb report --partner partner1@example.test --format json | pyjson 'j["partners"][0]["received"]')
/usr/bin/python3 - "$SB/attached.eml" <<'PY'
import sys
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "partner1@example.test"; m["To"] = "intake@example.test"
m["Subject"] = "New client"; m["Message-ID"] = "<see-attached@partner.example>"
m.set_content("Hi, see attached.\n\nPartner One\n")
m.add_attachment(b"%PDF-1.4 referral", maintype="application", subtype="pdf", filename="referral.pdf")
open(sys.argv[1], "wb").write(bytes(m))
PY
send --from partner1 --to intake --eml "$SB/attached.eml"
run_once
check "'see attached' with no form field gets no REF number" [ "$(nrefs)" = "$refs" ]
check "it is recorded as a partner message" bash -c '[[ "$1" == "partner-message |"* ]]' _ "$(last)"
check "staff get it, with the attachment's name" [ "$(staff_has "Message from Partner One" "referral.pdf")" = 1 ]
check "the partner is told it reached the team, with the form" wait_for partner1 $((before + 1))
check "in a reply that carries the blank form" [ "$(newest partner1 "New client" "['text']" | grep -c '^\* Client:$')" = 1 ]
send --from partner1 --to intake --subject "STATUS" --body "STATUS"
run_once
# (#18.7: it is answered with the firm's open referrals and balance)
check "STATUS without a reference is no referral either" \
	bash -c '[[ "$1" == "status-request |"* ]] && [ "$2" = "$3" ]' _ "$(last)" "$refs" "$(nrefs)"
check "reports count only real submissions as received" \
	[ "$(rb report --partner partner1@example.test --format json | pyjson 'j["partners"][0]["received"]')" = "$received" ]

# ------------------------------------------------------------- item 6
reply partner1 "[REF-000001] Referral received" partner1 "Contact name: Robert Smith"
run_once
show=$(rb referral show REF-000001 --format json)
check "a signed correction of a NEW referral applies (the ack's promise)" \
	[ "$(pyjson 'j["fields"]["contact_name"]' <<<"$show") / $(sql "select contact_name from referrals where id = 1")" = "Robert Smith / Robert Smith" ]
check "recorded as a correction, still NEW" bash -c '[[ "$1" == "correction | REF-000001 NEW -> NEW"* ]] && [ "$2" = NEW ]' _ "$(last)" "$(pyjson 'j["status"]' <<<"$show")"
check "staff are told what changed" [ "$(staff_has "[REF-000001] Corrected by the partner" "Robert Smith")" = 1 ]

# partner2's colleague (firm.example is theirs) renames Delta to Acme:
# Acme was partner1's first, so Delta becomes its duplicate.
before=$(count partner2)
send --from partner2 --to intake --subject "Referral: Delta" --body "$(form "Delta GmbH" "Eva Braun" eva@delta.example)"
run_once
wait_for partner2 $((before + 1))
delta=$(sql "select id from referrals where client = 'Delta GmbH'")
dref=$(printf 'REF-%06d' "$delta")
mid=$(newest partner2 "[$dref] Referral received" "['headers']['Message-ID']")
send --from colleague@firm.example --to "$(reply_to partner2 "[$dref] Referral received")" \
	--subject "Re: [$dref] Referral received" --header "In-Reply-To: $mid" \
	--body "Client: Acme Widgets Ltd"
run_once
show=$(rb referral show "$dref" --format json)
check "a correction from another address of the partner firm applies, the client derived again" \
	[ "$(pyjson 'j["fields"]["client"]' <<<"$show") / $(sql "select client from referrals where id = $delta")" = "Acme Widgets Ltd / Acme Widgets Ltd" ]
check "the duplicate check runs again: the first referral keeps the credit" \
	[ "$(sql "select status || ' ' || coalesce(duplicate_of, 0) || ' ' || client_key from referrals where id = $delta")" = "DUPLICATE 1 $(sql "select client_key from referrals where id = 1")" ]
check "staff are told of that change too" [ "$(staff_has "[$dref] Corrected by the partner" "duplicate of REF-000001")" = 1 ]
check "REF-000001 is untouched" [ "$(sql "select status || ' ' || coalesce(duplicate_of, 0) from referrals where id = 1")" = "NEW 0" ]

check "every message has a disposition, none 'reply about an unknown referral'" \
	[ "$(sql "select count(*) from messages where disposition = 'pending' or detail like '%unknown referral%'")" = 0 ]
check "no addresses or bodies in the info log" bash -c "! grep 'info:' '$SB/run.log' | grep -qE 'partner[0-9]@|stranger@|colleague@|Osaka|balance'"

finish
