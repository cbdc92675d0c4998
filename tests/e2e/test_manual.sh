#!/bin/bash
# Issue 19 items 1 and 4: referrals that did not arrive by mail (entered
# with "referral add", or forwarded by staff and confirmed through a
# signed preview), and referrals the firm gives out, with outcomes, shown
# both ways in the partner's statement.
. "$(dirname "$0")/lib.sh"
sandbox_start

send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
wait_intake() { "$MAILTOOL" wait --env "$SB/env" --user intake --count "${1:-1}" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
arrives() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
quiet() { "$@" >/dev/null; }
db() { sqlite3 "$SB/refbot.db" "$1"; }
FORM=(--field client="Manual Client KK" --field contact_name="Mina Ito"
	--field contact_email=mina@manual.example --field service=Audit
	--field challenge="Year-end close" --field client_aware=yes)

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null

# --- referral add -----------------------------------------------------
out=$(rb referral add --partner partner1@example.test "${FORM[@]}" \
	--submitted-by partner1@example.test --date 2026-12-01 2>&1)
check "referral add records REF-000001 as NEW" grep -q "REF-000001 recorded: REF-000001 NEW" <<<"$out"
show=$(rb referral show REF-000001 --format json)
check "its fields are the template's" [ "$(pyjson 'j["fields"]["contact_email"]' <<<"$show")" = mina@manual.example ]
check "history records the CLI user, not the partner" [ "$(pyjson 'j["history"][0]["actor"]' <<<"$show")" = "cli:$(id -un)" ]
check "submitted_by is kept" [ "$(db "select submitted_by from referrals where id = 1")" = partner1@example.test ]
check "--date sets when it was referred" grep -q '^2026-12-01' <<<"$(pyjson 'j["created_at"]' <<<"$show")"
rb run --once 2>>"$SB/run.log"
check "the partner gets the acknowledgement" arrives partner1 1
check "it is the ack for REF-000001" grep -q 'REF-000001' <<<"$(fetch partner1 | pyjson 'j[0]["headers"]["Subject"]')"
check "staff are told of the new referral" grep -q 'REF-000001' <<<"$(fetch staff1 | pyjson '" ".join(m["headers"]["Subject"] for m in j)')"

# The same client again: the duplicate check, as for mail.
out=$(rb referral add --partner partner2@example.test "${FORM[@]}" --quiet 2>&1)
check "the same client from another partner is a DUPLICATE" grep -q "REF-000002 DUPLICATE of referral 1" <<<"$out"
rb run --once 2>>"$SB/run.log"
sleep 1
check "--quiet: partner2 is told nothing" [ "$(count partner2)" = 0 ]

# A field the template refuses: nothing is recorded, the reason is shown.
out=$(rb referral add --partner partner1@example.test --field client="Bad Co" \
	--field contact_name=X --field contact_email=not-an-address \
	--field service=Audit --field challenge=Close --field client_aware=yes 2>&1)
rc=$?
check "an invalid field is refused" [ "$rc" -ne 0 ]
check "with the template's reason" grep -q "Contact email: not an email address" <<<"$out"
check "and nothing recorded" [ "$(db "select count(*) from referrals")" = 2 ]
out=$(rb referral add --partner partner1@example.test --field nosuch=1 2>&1)
check "a key outside the template is refused" grep -q "'nosuch' is not a field of the template" <<<"$out"

# --- given: referrals the firm gives out ------------------------------
db "insert into given (partner_id, at, note) values (1, strftime('%s','now'), 'old row')"
out=$(rb given add partner1@example.test --client "Given One KK" --contact ceo@given1.example --note "tax")
check "given add records it" grep -q "given 2: Given One KK referred to Partner One" <<<"$out"
rb given add partner1@example.test --client "Given Two KK" >/dev/null
rb given add partner1@example.test --client "Given Three KK" >/dev/null
check "given set won" quiet rb given set 2 won
check "given set lost" quiet rb given set 3 lost
out=$(rb given set 99 won 2>&1)
check "given set of an unknown id is refused" grep -q "no given referral 99" <<<"$out"
out=$(rb given set 2 maybe 2>&1)
check "an outcome other than won|lost|open is refused" [ -n "$out" ]
list=$(rb given list --format json)
check "given list shows all four, the old row migrated as open" [ "$(pyjson '",".join(g["outcome"] for g in j)' <<<"$list")" = open,won,lost,open ]
check "with client, contact and who recorded it" [ "$(pyjson 'j[1]["client"] + "/" + j[1]["contact"] + "/" + j[1]["recorded_by"]' <<<"$list")" = "Given One KK/ceo@given1.example/cli:$(id -un)" ]
q=$(date +%Y)Q$(( ($(date +%-m) + 2) / 3 ))
st=$(rb statement --quarter "$q" --partner partner1@example.test)
check "the statement shows both directions with outcomes" grep -q "We sent you 4 referrals (1 won, 1 lost); you sent us 1 (0 won)." <<<"$st"
rep=$(rb report --format json)
check "the report counts given and given won" [ "$(pyjson '[str(p["given"]) + "/" + str(p["given_won"]) for p in j["partners"] if p["partner"] == "Partner One"][0]' <<<"$rep")" = 4/1 ]

# --- a partner's mail forwarded by staff ------------------------------
last() { db "select disposition from messages order by id desc limit 1"; }
refs() { db "select count(*) from referrals"; }
send --from staff1 --to intake --eml "$REFBOT_SRC/tests/data/forward/outlook.eml"
wait_intake
rb run --once 2>>"$SB/run.log"
check "a staff forward is kept as a draft, with a preview" [ "$(last)" = forward-preview ]
check "nothing is recorded before the staff member confirms" [ "$(refs)" = 2 ]
check "the preview reaches the staff member" arrives staff1 3
pv=$(fetch staff1 | pyjson 'json.dumps([m for m in j if "Forwarded referral" in m["headers"]["Subject"]][0])')
to=$(pyjson 'j["headers"]["Reply-To"].strip("<>")' <<<"$pv")
subj=$(pyjson 'j["headers"]["Subject"]' <<<"$pv")
check "the preview names the partner and what was read" grep -q "Forward Client Ltd" <<<"$(pyjson 'j["text"]' <<<"$pv")"
check "its reply address is signed" grep -q '+r1\.v\.' <<<"$to"

# Partner1 answers "OK" to the intake without the token: not a confirmation.
send --from partner1 --to intake --subject "Re: $subj" --body "OK"
wait_intake
rb run --once 2>>"$SB/run.log"
check "a non-staff reply without the token confirms nothing" [ "$(refs)" = 2 ]
check "and the draft stays open" [ "$(db "select coalesce(confirmed_at, 0) from forward_drafts where id = 1")" = 0 ]
# A stranger who got hold of the signed address: refused.
send --from stranger --to "$to" --subject "Re: $subj" --body "OK"
wait_intake
rb run --once 2>>"$SB/run.log"
check "a non-staff reply through the signed address is refused" [ "$(last)" = forward-refused ]
check "still nothing recorded" [ "$(refs)" = 2 ]

n1=$(count partner1)
send --from staff1 --to "$to" --subject "Re: $subj" --body "OK"
wait_intake
rb run --once 2>>"$SB/run.log"
check "staff's OK through the signed address records it" [ "$(last)" = forward-confirmed ]
show=$(rb referral show REF-000003 --format json)
check "the referral is Partner One's, the forwarded client" [ "$(pyjson 'j["partner"] + "/" + j["fields"]["client"] + "/" + j["status"]' <<<"$show")" = "Partner One/Forward Client Ltd/NEW" ]
check "with the subject the partner wrote" [ "$(pyjson 'j["subject"]' <<<"$show")" = "New referral - Forward Client Ltd" ]
check "attributed to the original sender" [ "$(db "select submitted_by from referrals where id = 3")" = partner1@example.test ]
check "history says which staff member confirmed it" [ "$(pyjson 'j["history"][0]["actor"]' <<<"$show")" = staff1@example.test ]
check "the partner gets the acknowledgement" arrives partner1 $((n1 + 1))
send --from staff1 --to "$to" --subject "Re: $subj" --body "OK"
wait_intake
rb run --once 2>>"$SB/run.log"
check "a second OK records nothing more" [ "$(refs)" = 3 ]

# --- forwarded as an attached message (message/rfc822) ----------------
# Outlook's "Forward as Attachment": the partner's mail, with its own
# PDF, inside the staff member's.
n1=$(count partner1)
ns=$(count staff1)
send --from staff1 --to intake --eml "$REFBOT_SRC/tests/data/forward/outlook-attached.eml"
wait_intake
rb run --once 2>>"$SB/run.log"
check "an Outlook forward as attachment is kept as a draft, with a preview" [ "$(last)" = forward-preview ]
check "nothing recorded before the OK" [ "$(refs)" = 3 ]
check "its preview reaches the staff member" arrives staff1 $((ns + 1))
pv=$(fetch staff1 | pyjson 'json.dumps([m for m in j if "Forwarded referral" in m["headers"]["Subject"]][-1])')
to=$(pyjson 'j["headers"]["Reply-To"].strip("<>")' <<<"$pv")
check "the preview shows the attached mail's sender and form" bash -c 'grep -q "partner1@example.test" <<<"$1" && grep -q "Attached Client KK" <<<"$1" && grep -q "form: qualified" <<<"$1"' _ "$(pyjson 'j["text"]' <<<"$pv")"
send --from staff1 --to "$to" --subject "Re: x" --body "OK"
wait_intake
rb run --once 2>>"$SB/run.log"
check "OK records the attached mail as Partner One's referral" [ "$(last)" = forward-confirmed ]
show=$(rb referral show REF-000004 --format json)
check "with the attached mail's client and subject" [ "$(pyjson 'j["partner"] + "/" + j["fields"]["client"] + "/" + j["subject"]' <<<"$show")" = "Partner One/Attached Client KK/Referral - Attached Client KK" ]
check "attributed to the attached mail's sender" [ "$(db "select submitted_by from referrals where id = 4")" = partner1@example.test ]
check "who gets the acknowledgement" arrives partner1 $((n1 + 1))
check "the attached mail's own PDF is one of the referral's files" [ "$(pyjson '",".join(a["name"] + ":" + a["type"] for a in j["attachments"] if a["kept"])' <<<"$show")" = ":message/rfc822,brief.pdf:application/pdf" ]
rb referral attachment REF-000004 2 >"$SB/brief.pdf"
check "written out, it is the PDF" [ "$(head -c 5 "$SB/brief.pdf")" = "%PDF-" ]
check "and it reaches staff attached to the new-referral notification" grep -q "brief.pdf" <<<"$(fetch staff1 | pyjson '" ".join(a["filename"] or "" for m in j if "REF-000004" in m["headers"]["Subject"] for a in m["attachments"])')"
# Apple Mail's, in Japanese, for the other partner.
send --from staff1 --to intake --eml "$REFBOT_SRC/tests/data/forward/apple-attached.eml"
wait_intake
rb run --once 2>>"$SB/run.log"
check "an Apple Mail forward as attachment is kept as a draft" [ "$(last)" = forward-preview ]
check "its draft is Partner Two's, from the attached sender" [ "$(db "select partner_id || '/' || sender || '/' || subject from forward_drafts order by id desc limit 1")" = "2/partner2@example.test/ご紹介（添付）" ]

# --- a forward of a non-partner's mail: the staff member is told -------
ns=$(count staff1)
send --from staff1 --to intake --subject "FW: hello" --body "Can we take this one?

-----Original Message-----
From: Sam Someone <sam@elsewhere.example>
Sent: Friday, December 4, 2026 5:02 PM
To: Staff One <staff1@example.test>
Subject: A client for you

Client: Elsewhere Client KK"
wait_intake
rb run --once 2>>"$SB/run.log"
check "a forward of a non-partner's mail records nothing" [ "$(last)/$(refs)" = forward/4 ]
check "the forwarding staff member gets a reply" arrives staff1 $((ns + 1))
np=$(fetch staff1 | pyjson 'json.dumps([m for m in j if "not a partner" in m["headers"]["Subject"]][-1])')
check "saying the sender is not a partner and how to add them" grep -q "refbot partner add sam@elsewhere.example" <<<"$(pyjson 'j["text"]' <<<"$np")"
check "in reply to the forward" [ -n "$(pyjson 'j["headers"].get("In-Reply-To", "")' <<<"$np")" ]
# In Japanese for a staff member who reads Japanese.
rb staff set staff2@example.test --lang ja >/dev/null 2>&1 || rb staff add staff2@example.test --name "Staff Two" --lang ja >/dev/null
n2=$(count staff2)
send --from staff2 --to intake --subject "FW: hello" --body "-----Original Message-----
From: Sam Someone <sam@elsewhere.example>
Sent: Friday, December 4, 2026 5:02 PM
To: Staff Two <staff2@example.test>
Subject: A client for you

Client: Elsewhere Client KK"
wait_intake
rb run --once 2>>"$SB/run.log"
arrives staff2 $((n2 + 1))
check "a Japanese-reading staff member is told in Japanese" grep -q "パートナーではありません" <<<"$(fetch staff2 | pyjson '" ".join(m["headers"]["Subject"] for m in j)')"

finish
