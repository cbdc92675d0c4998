#!/bin/bash
# Partner firms with several contacts (#18.1) and STATUS alone (#18.7):
# two contacts of one firm — one submits, the other is in Cc of the
# progress mail, which goes to the submitter; a correction from the other
# contact through the signed address is the firm's; STATUS alone lists the
# firm's open referrals and its commission balance, to the contact who
# asked; a stranger's reply in a referral's thread reaches staff; the
# statement goes to the billing contact.
export SANDBOX_EXTRA_USERS="stranger billing1"
. "$(dirname "$0")/lib.sh"
sandbox_start

send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
run_once() { wait_for intake 1; rb run --once 2>>"$SB/run.log"; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
# has USER TEXT: USER has a mail whose subject contains TEXT (20 s at most)
has() { local i; for i in $(seq 40); do fetch "$1" | pyjson "any('''$2''' in m['headers']['Subject'] for m in j)" | grep -q True && return 0; sleep 0.5; done; return 1; }
# newest USER TEXT EXPR: of USER's newest mail with TEXT in its subject
newest() { fetch "$1" | pyjson "[m for m in j if '''$2''' in m['headers']['Subject']][-1]$3"; }
count_of() { fetch "$1" | pyjson "len([m for m in j if '''$2''' in m['headers']['Subject']])"; }
FORM=$'Client: Contacts Test KK\nContact name: Sato\nContact email: sato@ctk.example\nChallenge: Close the books\nClient aware: yes\n'

rb init >/dev/null
rb partner add partner1@example.test --name "Firm One" >/dev/null
check "a second contact is added to the firm" bash -c '"$@" >/dev/null' _ "$REFBOT" --config "$CONF" partner contact add partner1@example.test partner2@example.test --name "Jiro"
check "and a billing contact" bash -c '"$@" >/dev/null' _ "$REFBOT" --config "$CONF" partner contact add partner1@example.test billing1@example.test --role billing
check "an address is one firm's only" bash -c '! "$1" --config "$2" partner contact add partner1@example.test partner2@example.test 2>/dev/null' _ "$REFBOT" "$CONF"
list=$(rb partner contact list partner1@example.test)
check "contact list: the firm's address is its main contact" grep -qE '^partner1@example.test +main' <<<"$list"
check "contact list: the billing contact" grep -qE '^billing1@example.test +billing' <<<"$list"

# The second contact submits (without the service: INCOMPLETE).
send --from partner2 --to intake --subject "Referral" --body "$FORM"
run_once
check "mail from the second contact is the firm's referral" [ "$(sql "select p.name from referrals r join partners p on p.id = r.partner_id")" = "Firm One" ]
check "the referral records who submitted it" [ "$(sql "select submitted_by from referrals where id = 1")" = partner2@example.test ]
check "the answer goes to the submitter" has partner2 "REF-000001"

# The other contact corrects it through the signed address.
to=$(newest partner2 "REF-000001" "['headers']['Reply-To'].strip('<>')")
send --from partner1 --to "$to" --subject "Re: [REF-000001]" --body $'Service needed: Audit\n'
run_once
check "a correction from the other contact is accepted" [ "$(sql "select disposition from messages order by id desc limit 1")" = correction ]
check "and the referral is complete now" [ "$(sql "select status from referrals where id = 1")" = NEW ]

# Staff move it on: progress to the submitter, the main contact in Cc.
has staff1 "REF-000001" || true
sto=$(newest staff1 "REF-000001" "['headers']['Reply-To'].strip('<>')")
send --from staff1 --to "$sto" --subject "Re: [REF-000001]" --body "CONTACTED"
run_once
check "progress goes to the submitter" has partner2 "REF-000001] Update"
check "with the main contact in Cc" grep -q partner1@example.test <<<"$(newest partner2 "REF-000001] Update" "['headers'].get('Cc') or ''")"
check "who gets the same mail" has partner1 "REF-000001] Update"

# Without the Cc, per partner.
rb partner set partner1@example.test --cc-main off >/dev/null
send --from staff1 --to "$sto" --subject "Re: [REF-000001]" --body "MEETING"
run_once
for i in $(seq 40); do [ "$(count_of partner2 "REF-000001] Update")" = 2 ] && break; sleep 0.5; done
check "--cc-main off: the next update has no Cc" [ -z "$(newest partner2 "REF-000001] Update" "['headers'].get('Cc') or ''")" ]
check "and the main contact gets none" [ "$(count_of partner1 "REF-000001] Update")" = 1 ]

# A second referral, won: commission on the firm's ledger.
send --from partner1 --to intake --subject "Referral 2" --body $'Client: Second Contacts KK\nContact name: Ito\nContact email: ito@sck.example\nService needed: Tax\nChallenge: Filing\nClient aware: yes\n'
run_once
has staff1 "REF-000002" || true
sto2=$(newest staff1 "REF-000002" "['headers']['Reply-To'].strip('<>')")
send --from staff1 --to "$sto2" --subject "Re: [REF-000002]" --body "WON 1,000,000"
run_once

# STATUS alone: the firm's open referrals and balance, to who asked.
send --from partner2 --to intake --subject "status" --body "STATUS"
run_once
check "STATUS alone is answered to the contact who asked" has partner2 "in progress"
st=$(newest partner2 "in progress" "['text']")
check "it lists the firm's open referral" grep -q "REF-000001  MEETING" <<<"$st"
check "not the won one" bash -c '! grep -q REF-000002 <<<"$1"' _ "$st"
check "and the commission balance" grep -qE 'Balance: +¥100,000' <<<"$st"
check "it goes to no other contact" [ "$(count_of partner1 "in progress")" = 0 ]
send --from stranger --to intake --subject "status" --body "STATUS"
run_once
check "a stranger's STATUS lists nothing" [ "$(count_of stranger "in progress")" = 0 ]
send --from partner2 --to intake --subject "Status" --body $'Client: Third Contacts KK\nContact name: Ono\nService needed: Tax\nChallenge: Filing\nClient aware: yes\n'
run_once
check "a referral with the subject Status is a referral" [ "$(sql "select count(*) from referrals")" = 3 ]

# A stranger's reply in the thread: forwarded to staff, not dropped.
send --from stranger --to "$to" --subject "Re: [REF-000001]" --body "I am the client's lawyer; please call me."
run_once
check "a stranger's reply is forwarded to staff" has staff1 "REF-000001] Message from Someone who is neither staff nor a contact of Firm One"
check "with what they wrote" grep -q "please call me" <<<"$(newest staff1 "neither staff" "['text']")"

# The statement goes to the billing contact.
q=$(date +%Y)Q$(( ($(date +%-m) - 1) / 3 + 1 ))
rb statement --quarter "$q" --partner partner1@example.test --send >/dev/null
rb run --once 2>>"$SB/run.log"
check "the statement goes to the billing contact" has billing1 "statement $q"
check "not to the main contact" [ "$(count_of partner1 "statement")" = 0 ]

finish
