#!/bin/bash
# One language rule for every mail to a partner (issue 16 item 8): the
# partner's own setting; else Japanese when the firm's name is Japanese
# (株式会社...); else the language of what they wrote; else English.
# A 株式会社 partner with no setting gets every kind of mail in Japanese
# (welcome kit, acknowledgement, form, status, progress, unreadable
# notice, statement) even when it writes in English; a partner with a
# Latin name gets the language of its mail; a stranger's not-a-partner
# reply follows the stranger's mail.
. "$(dirname "$0")/lib.sh"
sandbox_start

mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
count() { mt count --user "$1"; }
run_once() { rb run --once 2>>"$SB/run.log"; }
# expect USER N: wait for the Nth mail of USER.
expect() { mt wait --user "$1" --count "$2" --timeout 20 >/dev/null; }
# lang_of USER KIND: the language (en, ja, or ?) of USER's newest mail,
# judged by the fixed words of templates/mail/KIND.LANG.txt it carries.
lang_of() {
	mt fetch --user "$1" | /usr/bin/python3 -c '
import json, re, sys
j = json.load(sys.stdin)
kind, src = sys.argv[1], sys.argv[2]
m = j[-1] if j else {"headers": {}, "text": ""}
mail = (m["headers"].get("Subject") or "") + "\n" + (m["text"] or "")
found = []
for lang in ("en", "ja"):
    with open(f"{src}/templates/mail/{kind}.{lang}.txt", encoding="utf-8") as f:
        text = f.read()[len("Subject:"):]
    # The words between placeholders, a line at a time.
    fixed = [w.strip() for seg in re.split(r"\{\{[^}]*\}\}", text)
             for w in seg.split("\n")
             if len(w.strip()) >= 3 and any(c.isalpha() for c in w)]
    if fixed[:3] and all(w in mail for w in fixed[:3]):
        found.append(lang)
print(" ".join(found) or "?")' "$2" "$REFBOT_SRC"
}
# answered USER N KIND LANG WHAT: USER's Nth mail arrives and is KIND in LANG.
answered() {
	local got=none
	expect "$1" "$2" && got=$(lang_of "$1" "$3")
	check "$5: $3 in $4 (got $got)" [ "$got" = "$4" ]
}
# ask USER SUBJECT BODY: USER mails the intake; one pass.
ask() {
	mt send --from "$1" --to intake --subject "$2" --body "$3" >/dev/null
	run_once
}
# referral FROM ID CLIENT [FILE]: a complete referral with its own
# Message-ID and client.
referral() {
	sed -e "s/^From: .*/From: $1@example.test/" \
		-e "s/^Message-ID: .*/Message-ID: <$2@partner.example>/" \
		-e "s/^Client: .*/Client: $3/" \
		-e "s/^Contact email: .*/Contact email: someone@$2.example/" \
		"${4:-$REFBOT_SRC/tests/data/plain-en.eml}" >"$SB/$2.eml"
	mt send --from "$1" --to intake --eml "$SB/$2.eml" >/dev/null
}

rb init >/dev/null
# No --lang: the rule decides.
rb partner add partner1@example.test --name "山田商事株式会社" --welcome >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null

run_once
answered partner1 1 welcome ja "a 株式会社 partner"

# An English referral from the 株式会社 partner.
referral partner1 yamada-en "Acme Widgets Ltd"
run_once
answered partner1 2 ack ja "a 株式会社 partner writing English"

# A partner with a Latin name: the language of its mail.
referral partner2 two-en "Beta Trading Ltd"
run_once
answered partner2 1 ack en "a Latin-named partner writing English"
sed -e "s/^From: .*/From: partner2@example.test/" \
	-e "s/^Message-ID: .*/Message-ID: <two-ja@partner.example>/" \
	"$REFBOT_SRC/tests/data/ja-utf8-qp.eml" >"$SB/two-ja.eml"
mt send --from partner2 --to intake --eml "$SB/two-ja.eml" >/dev/null
run_once
answered partner2 2 ack ja "a Latin-named partner writing Japanese"

# The blank form and a status answer, asked for in English.
ask partner1 "TEMPLATE" "TEMPLATE"
answered partner1 3 form-reply ja "the form, asked for in English"
ask partner1 "STATUS REF-000001" "STATUS REF-000001"
answered partner1 4 status ja "a status answer, asked for in English"

# Progress: staff move the referral on; the partner hears in its language.
note=$(mt fetch --user staff1 | pyjson 'json.dumps([m for m in j if m["headers"]["Subject"].startswith("[REF-000001] New referral")])')
reply_to=$(pyjson 'j[0]["headers"]["Reply-To"].strip("<>") if j else ""' <<<"$note")
note_id=$(pyjson 'j[0]["headers"]["Message-ID"] if j else ""' <<<"$note")
mt send --from staff1 --to "$reply_to" --subject "Re: [REF-000001] New referral" \
	--header "In-Reply-To: $note_id" --body $'CONTACTED\n\nWe called Jane today.' >/dev/null
run_once
answered partner1 5 progress ja "the English client of a 株式会社 partner"

# Unreadable: a multipart whose boundary never occurs.
printf 'From: partner1@example.test\r\nTo: intake@example.test\r\nSubject: Referral\r\nMessage-ID: <broken@partner.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="never-used"\r\n\r\nno parts here\r\n' >"$SB/broken.eml"
mt send --from partner1 --to intake --eml "$SB/broken.eml" >/dev/null
run_once
answered partner1 6 unreadable ja "a 株式会社 partner's unreadable mail"

# The quarter's statement.
quarter="$(date -u +%Y)Q$(( ($(date -u +%-m) - 1) / 3 + 1 ))"
rb statement --quarter "$quarter" --partner partner1@example.test --send >/dev/null
run_once
answered partner1 7 statement ja "a 株式会社 partner's statement"

# A partner's own setting wins over its name.
rb partner set partner1@example.test --lang en >/dev/null
ask partner1 "TEMPLATE" "TEMPLATE"
answered partner1 8 form-reply en "once the partner is set to en"

# Strangers: the language of their mail.
ask stranger "Hello" "We would like to refer clients to you. How do we start?"
answered stranger 1 not-partner en "a stranger writing English"
ask stranger "ご相談" "お世話になっております。御社にお客様をご紹介したいのですが、どうすればよろしいでしょうか。"
answered stranger 2 not-partner ja "a stranger writing Japanese"

if [ "$T_FAILED" -gt 0 ]; then
	diag "--- run.log"
	sed 's/^/#   /' "$SB/run.log"
fi
finish
