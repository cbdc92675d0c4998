#!/bin/bash
# Issue 19 item 2: attachments are part of the referral.  A referral mail
# with a PDF (binary, every byte value), a DOCX and a large ZIP attached:
# the files within attachment_store_limit are kept (the ZIP is recorded
# as "not kept"), listed in the staff notification and in "referral
# show", those within attach_limit reach staff attached, and "referral
# attachment REF N" writes each kept one out byte for byte.
. "$(dirname "$0")/lib.sh"
sandbox_start

cat >>"$CONF" <<'CONF'
attachment_store_limit = 64k
attach_limit = 32k
CONF
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }

/usr/bin/python3 - "$SB" <<'PY'
import sys, random
from email.message import EmailMessage
sb = sys.argv[1]
rnd = random.Random(19)
pdf = b"%PDF-1.4\r\n" + bytes(range(256)) * 40 + b"\n=\r\n.\r\n--x\n" + \
    bytes(rnd.randrange(256) for _ in range(9000)) + b"%%EOF\n"
docx = b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(20000))
big = bytes(rnd.randrange(256) for _ in range(100000))
for name, data in (("brief.pdf", pdf), ("notes.docx", docx), ("big.zip", big)):
    open(f"{sb}/{name}", "wb").write(data)
m = EmailMessage()
m["From"] = "partner1@example.test"; m["To"] = "intake@example.test"
m["Subject"] = "Referral: Acme Widgets"; m["Message-ID"] = "<attached@partner.example>"
m.set_content("Client: Acme Widgets Ltd\nContact name: Jane Smith\n"
    "Contact email: jane.smith@acme.example\nContact phone: +44 20 7946 0000\n"
    "Service needed: Tax advisory\nChallenge: Expanding into Japan.\n"
    "Client aware: yes\nBudget: 2,000,000 JPY\n")
m.add_attachment(pdf, maintype="application", subtype="pdf", filename="brief.pdf")
m.add_attachment(docx, maintype="application",
    subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
    filename="相談メモ.docx")
m.add_attachment(big, maintype="application", subtype="zip", filename="big.zip")
open(f"{sb}/attached.eml", "wb").write(bytes(m))
PY
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$SB/attached.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>"$SB/run.log"
check "run --once exits 0" [ $? -eq 0 ]
check "the mail is a referral" [ "$(rb referral list --format json | pyjson 'len(j)')" = 1 ]

show=$(rb referral show REF-000001 --format json)
check "show lists three attachments" [ "$(echo "$show" | pyjson 'len(j["attachments"])')" = 3 ]
check "in the mail's order, with names and types" [ "$(echo "$show" | pyjson '",".join(a["name"] + ":" + a["type"] for a in j["attachments"])')" = "brief.pdf:application/pdf,相談メモ.docx:application/vnd.openxmlformats-officedocument.wordprocessingml.document,big.zip:application/zip" ]
check "the PDF and DOCX are kept, the ZIP (over the limit) not" [ "$(echo "$show" | pyjson '",".join(str(a["kept"]) for a in j["attachments"])')" = "True,True,False" ]
out=$(rb referral show REF-000001)
check "the text of show says so" bash -c 'grep -q "1\. brief.pdf (application/pdf, 19 KB)" <<<"$1" && grep -q "3\. big.zip (application/zip, 98 KB, not kept)" <<<"$1"' _ "$out"

rb referral attachment REF-000001 1 >"$SB/out.pdf"
check "referral attachment 1 writes the PDF byte for byte" cmp "$SB/brief.pdf" "$SB/out.pdf"
rb referral attachment REF-000001 2 >"$SB/out.docx"
check "referral attachment 2 writes the DOCX byte for byte" cmp "$SB/notes.docx" "$SB/out.docx"
rb referral attachment REF-000001 3 >"$SB/out3" 2>"$SB/err3"
check "attachment 3 was not kept: an error, said so, nothing written" bash -c '[ "$1" -ne 0 ] && grep -q "not kept" "$2" && [ ! -s "$3" ]' _ $? "$SB/err3" "$SB/out3"
rb referral attachment REF-000001 4 >/dev/null 2>&1
check "there is no attachment 4" [ $? -ne 0 ]

"$MAILTOOL" wait --env "$SB/env" --user staff1 --count 1 --timeout 20 >/dev/null
check "staff receive the notification" [ $? -eq 0 ]
mail=$(fetch staff1 | /usr/bin/python3 -c 'import json,sys; print(json.dumps([m for m in json.load(sys.stdin) if "New referral" in m["headers"]["Subject"]][0]))')
pdfsum=$(sha256sum "$SB/brief.pdf" | cut -d' ' -f1)
check "the PDF reaches staff attached, byte for byte" [ "$(echo "$mail" | pyjson '",".join(a["filename"] + ":" + a["content_type"] + ":" + a["sha256"] for a in j["attachments"])')" = "brief.pdf:application/pdf:$pdfsum" ]
check "the notification lists all three, which is attached and which not kept" bash -c 'grep -q "1\. brief.pdf (application/pdf, [0-9]* KB, attached)" <<<"$1" && grep -q "2\. 相談メモ.docx" <<<"$1" && grep -q "3\. big.zip (application/zip, 98 KB, not kept)" <<<"$1"' _ "$(echo "$mail" | pyjson 'j["text"]')"
check "the staff keyword sheet is still there" bash -c 'grep -q "CONTACTED" <<<"$1"' _ "$(echo "$mail" | pyjson 'j["text"]')"
check "the partner's ack does not carry the files" [ "$(fetch partner1 | pyjson 'len(j[0]["attachments"])')" = 0 ]

# The same client again, with the PDF: a DUPLICATE, whose staff
# notification carries its files as a new referral's does (#19, gap 4).
rb partner add partner2@example.test --name "Partner Two" >/dev/null
sed -e 's/^From: partner1@example.test/From: partner2@example.test/' \
	-e 's/^Message-ID: <attached@partner.example>/Message-ID: <dup-attached@partner.example>/' \
	"$SB/attached.eml" >"$SB/dup.eml"
"$MAILTOOL" send --env "$SB/env" --from partner2 --to intake --eml "$SB/dup.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "the same client from partner2 is a DUPLICATE" [ "$(rb referral show REF-000002 --format json | pyjson 'j["status"]')" = DUPLICATE ]
"$MAILTOOL" wait --env "$SB/env" --user staff1 --count 2 --timeout 20 >/dev/null
dup=$(fetch staff1 | /usr/bin/python3 -c 'import json,sys; print(json.dumps([m for m in json.load(sys.stdin) if "Duplicate referral" in m["headers"]["Subject"]][0]))')
check "the duplicate's staff notification carries the PDF, byte for byte" [ "$(echo "$dup" | pyjson '",".join(a["filename"] + ":" + a["sha256"] for a in j["attachments"])')" = "brief.pdf:$pdfsum" ]
check "and lists the files" bash -c 'grep -q "1\. brief.pdf (application/pdf, [0-9]* KB, attached)" <<<"$1" && grep -q "3\. big.zip (application/zip, 98 KB, not kept)" <<<"$1"' _ "$(echo "$dup" | pyjson 'j["text"]')"

finish
