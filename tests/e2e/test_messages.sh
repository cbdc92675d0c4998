#!/bin/bash
# Issue 17, items 8-11, end to end:
#  - mail refbot cannot read is answered in the thread of what was sent,
#    quoting its subject and date, and recorded with its Message-ID; the
#    staff alert says truly what the sender was told and names the command
#    that shows the message;
#  - "refbot message list|show|retry": what arrived, what was decided and
#    why, and a quarantined message run again after a fix;
#  - invalid bytes in an unlabelled part and header are U+FFFD, never "ÿ";
#  - times shown to people are in the configured timezone, with its offset.
# The test mail is put straight into the intake Maildir (as in
# test_hostile.sh): Postfix would add the headers some of it lacks.
. "$(dirname "$0")/lib.sh"

if ! "$REFBOT" --version | grep -q "fault injection"; then
	not_ok "$REFBOT is built with --enable-fault-injection"
	echo "Bail out! rebuild with ./configure --enable-fault-injection"
	exit 1
fi
sandbox_start
echo "timezone = Asia/Tokyo" >>"$CONF"
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" --lang ja >/dev/null

count() { "$MAILTOOL" count --env "$SB/env" --user "$@"; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
db() { sqlite3 "$SB/refbot.db" "$@"; }
row() { db "select id from messages join raw_mail using (id) where instr(raw, '$1') > 0" 2>/dev/null; }
# deliver FILE: into the intake INBOX as it is.
deliver() { maildir_put "$1"; }
C="$REFBOT_SRC/tests/data/corpus"
deliver "$C/bad-boundary-mismatch.eml"            # partner1, English
sed 's/^From: partner1@/From: partner2@/' "$C/bad-boundary-quote.eml" >"$SB/quote.eml"
deliver "$SB/quote.eml"                            # partner2, Japanese
deliver "$C/bad-no-headers.eml"                    # nobody to tell
deliver "$REFBOT_SRC/tests/data/invalid-bytes-subject.eml"
sed -e 's/^Subject: .*/Subject: Referral: HANG-ME/' \
	-e 's/^Client: .*/Client: Hangfast KK/' \
	-e 's/^Contact name: .*/Contact name: Ken Hayashi/' \
	-e 's/^Contact email: .*/Contact email: ken@hangfast.example/' \
	-e 's/^Contact phone: .*/Contact phone: +81 3 5555 0101/' \
	-e 's/^Message-ID: .*/Message-ID: <hang@partner.example>/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/hang.eml"
deliver "$SB/hang.eml"

# The last message hangs its handling (a test-only fault point) until the
# run is killed: three times, then the next run quarantines it.
for i in 1 2 3 4 5 6; do
	[ "$(db "select disposition from messages join raw_mail using (id) where instr(raw, 'HANG-ME') > 0" 2>/dev/null)" = quarantined ] && break
	{ REFBOT_FAULT=hang-subject:HANG-ME timeout -s KILL 10 \
		"$REFBOT" --config "$CONF" run --once 2>>"$SB/run.log"; } 2>/dev/null
done
check "the intake INBOX is empty" [ "$(count intake)" = 0 ]

# --- 8: the notices are threaded and quote what was sent.
wait_for partner1 2
p1=$(fetch partner1)
notice=$(echo "$p1" | pyjson '[m for m in j if m["headers"]["Subject"].startswith("We could not read")][0]')
n1() { echo "$p1" | pyjson "[m for m in j if m['headers']['Subject'].startswith('We could not read')][0]$1"; }
check "partner1's notice answers the message it is about (In-Reply-To)" \
	[ "$(n1 '["headers"]["In-Reply-To"]')" = "<bad-boundary-mismatch@partner.example>" ]
check "and names it in References" \
	grep -qF "<bad-boundary-mismatch@partner.example>" <<<"$(n1 '["headers"]["References"]')"
check "its subject quotes the original subject" \
	[ "$(n1 '["headers"]["Subject"]')" = "We could not read your message: Referral: Brokenbyte Systems" ]
check "its text quotes the original date" \
	grep -qF "on Fri, 27 Nov 2026 14:16:00 +0900, with the subject" <<<"$(n1 '["text"]')"
[ -n "$notice" ] || diag "partner1 got: $(echo "$p1" | pyjson '[m["headers"]["Subject"] for m in j]')"
wait_for partner2 1
n2() { fetch partner2 | pyjson "j[0]$1"; }
check "partner2's notice is Japanese, threaded and quotes the subject" \
	[ "$(n2 '["headers"]["Subject"] + "|" + j[0]["headers"]["In-Reply-To"]')" = "お送りいただいたメールを読み取れませんでした：Referral: Brokenbyte Systems (photo)|<bad-boundary-quote@partner.example>" ]
check "the unreadable messages are stored with their Message-ID" \
	[ "$(db "select coalesce(message_id, '-') from messages where disposition = 'unreadable' order by id" | tr '\n' ' ')" = "bad-boundary-mismatch@partner.example bad-boundary-quote@partner.example - " ]

# The staff alerts say what the sender got and where to look.
r1=$(row bad-boundary-mismatch@)
r3=$(db "select id from messages where message_id is null and disposition = 'unreadable'")
alert() { fetch staff1 | pyjson "[m['text'] for m in j if 'Message: #$1,' in (m['text'] or '')][0]"; }
wait_for staff1 5
a1=$(alert "$r1")
check "the alert about partner1's message says they were told" \
	grep -q "The sender, a registered partner, was told" <<<"$a1"
check "and does not say nothing was sent" bash -c "! grep -q 'Nothing was sent' <<<'$a1'"
check "it names the command that shows the message" \
	grep -qF "refbot message show $r1" <<<"$a1"
check "the alert about the message with no sender says nothing was sent" \
	grep -q "Nothing was sent to the sender" <<<"$(alert "$r3")"

# --- 9: refbot message list / show / retry.
list=$(rb message list --format json)
check "message list shows every message with its disposition" \
	[ "$(echo "$list" | pyjson '" ".join(m["disposition"] for m in j)')" = "unreadable unreadable unreadable referral quarantined" ]
check "--disposition filters" \
	[ "$(rb message list --disposition unreadable --format json | pyjson 'len(j)')" = 3 ]
today=$(TZ=Asia/Tokyo date +%F)
check "--since a date in the future lists nothing, --since today all" \
	[ "$(rb message list --since 2099-01-01 --format json | pyjson 'len(j)')/$(rb message list --since "$today" --format json | pyjson 'len(j)')" = 0/5 ]
check "the text list has one line a message" [ "$(rb message list | wc -l)" = 5 ]
show=$(rb message show "$r1")
check "message show says what was decided and why" \
	bash -c "grep -q '^Disposition: unreadable' <<<'$show' && grep -q '^Why: .*boundary' <<<'$show'"
check "and names the sender, subject and Message-ID" \
	bash -c "grep -qF 'bad-boundary-mismatch@partner.example' <<<'$show' && grep -qE '^Subject: +Referral: Brokenbyte Systems$' <<<'$show'"
check "but not the body" bash -c "! grep -q 'Ada Lovelace' <<<'$show'"
rb message show "$r1" --raw >"$SB/raw.eml"
# IMAP serves lines ending in CRLF: that is what was fetched and stored.
check "message show --raw gives the stored bytes" \
	cmp -s "$SB/raw.eml" <(sed 's/$/\r/' "$C/bad-boundary-mismatch.eml")
rb message show "$(row invalid-subject@)" >/dev/null
rb message retry "$(row invalid-subject@)" >/dev/null 2>&1
check "retry refuses a message that was handled (exit 65)" [ $? = 65 ]
rb message show 999 >/dev/null 2>&1
check "show of no such message: exit 65" [ $? = 65 ]

rh=$(row hang@partner.example)
check "the hanging message was quarantined" \
	[ "$(db "select disposition from messages where id = $rh")" = quarantined ]
out=$(rb message retry "$rh" 2>&1)
check "retry runs the quarantined message again, now that it does not hang" \
	grep -q "was quarantined, now referral" <<<"$out"
diag "$out"
check "and it became a referral" \
	[ "$(rb referral list --format json | pyjson '[r["client"] for r in j if r["client"] == "Hangfast KK"]')" = "['Hangfast KK']" ]
rb run --once 2>>"$SB/run.log"
wait_for partner1 3
check "its acknowledgement goes out with the next run" \
	grep -q "Referral received: Hangfast KK" <<<"$(fetch partner1 | pyjson '"\n".join(m["headers"]["Subject"] for m in j)')"

# --- 10: invalid bytes are U+FFFD.
ack=$(fetch partner1 | pyjson '[m["headers"]["Subject"] for m in j if "Referral received" in m["headers"]["Subject"] and "Acme" in m["headers"]["Subject"]][0]')
check "the acknowledgement's subject has U+FFFD for the invalid byte ($ack)" \
	[ "$ack" = "[REF-000001] Referral received: Acme � Widgets Ltd" ]
check "and no ÿ" bash -c "! grep -q 'ÿ' <<<'$ack'"
check "the referral's stored subject too" \
	[ "$(rb referral show REF-000001 --format json | pyjson 'j["subject"]')" = "Referral: Acme � Widgets" ]

# --- 11: times in the configured timezone, with the offset.
new=$(fetch staff1 | pyjson '[m["text"] for m in j if "New referral: Acme" in m["headers"]["Subject"]][0]')
due=$(grep "First response due:" <<<"$new")
diag "$due"
check "the staff notification's due time is in Asia/Tokyo with its offset" \
	grep -qE "First response due: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} \+0900 JST$" <<<"$due"
created=$(rb referral show REF-000001 --format json | pyjson 'j["created_at"]')
check "the CLI gives times with the offset ($created)" grep -qE "^[0-9-]{10}T[0-9:]{8}\+09:00$" <<<"$created"
when=$(db "select received_at from messages where id = $r1")
check "and message show too" grep -qF "Received:    $(TZ=Asia/Tokyo date -d "@$when" +%Y-%m-%dT%H:%M:%S+09:00)" <<<"$show"

# --- Issue 21: raw mail in a table of its own (version 46).  A database
# from before (fault point schema-stop:45) with a stored message, then
# opened by this refbot: the bytes moved, and show --raw still gives them.
sed "s|$SB/refbot.db|$SB/old.db|" "$CONF" >"$SB/old.conf"
REFBOT_FAULT="schema-stop:45" "$REFBOT" --config "$SB/old.conf" init >/dev/null 2>&1
sqlite3 "$SB/old.db" "insert into messages (id, mailbox, uidvalidity, uid,
	size, raw, received_at, disposition) values (7, 'INBOX', 1, 1,
	length(readfile('$C/bad-no-headers.eml')),
	readfile('$C/bad-no-headers.eml'), 1000, 'unreadable')"
"$REFBOT" --config "$SB/old.conf" init >/dev/null 2>&1
check "a migrated database keeps raw mail out of its messages rows" \
	[ "$(sqlite3 "$SB/old.db" "select (select count(*) from pragma_table_info('messages') where name = 'raw') || '/' || (select count(*) from raw_mail where id = 7)")" = 0/1 ]
check "... and message show --raw gives the bytes stored before" \
	cmp -s <("$REFBOT" --config "$SB/old.conf" message show 7 --raw) "$C/bad-no-headers.eml"

finish
