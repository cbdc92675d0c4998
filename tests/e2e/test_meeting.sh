#!/bin/bash
# Issue 18 item 6: meetings in the calendar.  A staff reply "MEETING
# 2026-12-10 14:00" (or "面談 12月11日 午後3時半") records the meeting in
# the configured timezone and sends that staff member an iCalendar
# invitation (iMIP: text/calendar; method=REQUEST beside the text, and
# invite.ics); a new time updates the same event (same UID, higher
# SEQUENCE); LOST cancels it (METHOD:CANCEL); ASSIGN / 担当 alone moves
# an invitation still to come to the new owner (#18, session 6 item 3).
# The invitations are read over IMAP and parsed with an independent
# parser, Python's icalendar.
. "$(dirname "$0")/lib.sh"
sandbox_start

sed -i '/^timezone *=/d' "$CONF"
echo "timezone = Asia/Tokyo" >>"$CONF"
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$@"; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
run_once() { wait_for intake 1; rb run --once 2>>"$SB/run.log"; }
status() { rb referral show REF-000001 --format json | pyjson 'j["status"]'; }

# The invitations in USER's mailbox, read over IMAP and parsed by
# Python's email and icalendar packages (not by refbot's code), as JSON.
invites() {
	/usr/bin/python3 - "$MAILTOOL" "$SB/env" "$1" <<'PY'
import email, email.policy, importlib.machinery, json, sys
import icalendar
mt = importlib.machinery.SourceFileLoader("mailtool", sys.argv[1]).load_module()
env = mt.load_env(sys.argv[2])
conn = mt.imap_connect(env, sys.argv[3])
conn.select("INBOX", readonly=True)
typ, data = conn.uid("FETCH", "1:*", "(BODY.PEEK[])")
out = []
for item in data:
    if not isinstance(item, tuple):
        continue
    msg = email.message_from_bytes(item[1], policy=email.policy.default)
    cal = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    if not cal:
        continue
    ics = cal[0].get_payload(decode=True)
    att = [p for p in msg.walk() if p.get_filename() == "invite.ics"]
    c = icalendar.Calendar.from_ical(ics)
    ev = c.walk("VEVENT")[0]
    start = ev["DTSTART"].dt
    out.append({
        "subject": str(msg["Subject"]),
        "top": msg.get_content_type(),
        "alternative": cal[0] in list(next(p for p in msg.walk() if p.get_content_type() == "multipart/alternative").iter_parts()),
        "part_method": cal[0].get_param("method"),
        "method": str(c["METHOD"]),
        "uid": str(ev["UID"]),
        "sequence": int(ev["SEQUENCE"]),
        "status": str(ev["STATUS"]),
        "start": start.isoformat(),
        "offset": start.utcoffset().total_seconds(),
        "minutes": (ev["DTEND"].dt - start).total_seconds() / 60,
        "attendee": str(ev["ATTENDEE"]),
        "organizer": str(ev["ORGANIZER"]),
        "summary": str(ev["SUMMARY"]),
        "attachment_same": bool(att) and att[0].get_payload(decode=True) == ics,
        "text": msg.get_body(preferencelist=("plain",)).get_content(),
    })
conn.logout()
print(json.dumps(out))
PY
}

send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
run_once
check "staff1 is notified" wait_for staff1 1
reply_to=$(fetch staff1 | pyjson 'j[0]["headers"]["Reply-To"].strip("<>")')

# A time that does not exist is explained, and nothing is recorded.
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "MEETING 2026-12-10 25:00"
run_once
check "a time that does not exist changes nothing" [ "$(status)" = NEW ]
check "and staff1 is told why" wait_for staff1 2
check "the explanation names the time" \
	[ "$(fetch staff1 | pyjson '"\"25:00\" is not a valid time" in j[-1]["text"]')" = True ]

send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" \
	--body $'MEETING 2026-12-10 14:00\nAt their office.'
run_once
check "MEETING with a date and time moves it" [ "$(status)" = MEETING ]
check "staff1 gets the invitation" wait_for staff1 3
inv=$(invites staff1)
check "one invitation, parsed by icalendar" [ "$(echo "$inv" | pyjson 'len(j)')" = 1 ]
check "multipart/mixed: text and text/calendar as alternatives, method=REQUEST" \
	[ "$(echo "$inv" | pyjson '(j[0]["top"], j[0]["alternative"], j[0]["part_method"])')" = "('multipart/mixed', True, 'REQUEST')" ]
check "METHOD:REQUEST, SEQUENCE 0, CONFIRMED" \
	[ "$(echo "$inv" | pyjson '(j[0]["method"], j[0]["sequence"], j[0]["status"])')" = "('REQUEST', 0, 'CONFIRMED')" ]
check "14:00 in Tokyo is 05:00 UTC, an hour long" \
	[ "$(echo "$inv" | pyjson '(j[0]["start"], j[0]["offset"], j[0]["minutes"])')" = "('2026-12-10T05:00:00+00:00', 0.0, 60.0)" ]
check "the invite.ics attachment is the same object" [ "$(echo "$inv" | pyjson 'j[0]["attachment_same"]')" = True ]
check "organizer is the referral's signed meeting address (#18.6), attendee the sender" \
	[ "$(echo "$inv" | pyjson '(bool(__import__("re").fullmatch(r"mailto:intake\+r1\.m\.[a-z0-9]{16}@example\.test", j[0]["organizer"].lower())), j[0]["attendee"].lower())')" = "(True, 'mailto:staff1@example.test')" ]
check "the summary names the referral and client" \
	[ "$(echo "$inv" | pyjson 'j[0]["summary"]')" = "REF-000001: Acme Widgets Ltd" ]
check "the text gives the local time with its offset" \
	grep -q "2026-12-10 14:00 +0900" <<<"$(echo "$inv" | pyjson 'j[0]["text"]')"
uid=$(echo "$inv" | pyjson 'j[0]["uid"]')
check "only the sender is invited (staff2 has its notification only)" [ "$(count staff2)" = 1 ]
check "the history records the date and time" \
	[ "$(rb referral show REF-000001 --format json | pyjson '[h["detail"] for h in j["history"] if h["event"] == "MEETING"][0]')" = "2026-12-10 14:00" ]

# A new time, in Japanese: the same event, updated.
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "面談 12月11日 午後3時半"
run_once
check "a new time sends an update" wait_for staff1 4
inv=$(invites staff1)
check "same UID, SEQUENCE 1, at the new time (15:30 in Tokyo)" \
	[ "$(echo "$inv" | pyjson '(j[1]["uid"] == j[0]["uid"], j[1]["method"], j[1]["sequence"], j[1]["start"])')" = "(True, 'REQUEST', 1, '2026-12-11T06:30:00+00:00')" ]

# A span gives the length: DTEND is its end (#18: not always an hour).
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "MEETING 2026-12-12 14:00-15:30"
run_once
check "a span sends an update" wait_for staff1 5
inv=$(invites staff1)
check "14:00-15:30 is 90 minutes from 05:00 UTC, SEQUENCE 2" \
	[ "$(echo "$inv" | pyjson '(j[2]["uid"] == j[0]["uid"], j[2]["sequence"], j[2]["start"], j[2]["minutes"])')" = "(True, 2, '2026-12-12T05:00:00+00:00', 90.0)" ]
check "the history records the span" \
	[ "$(rb referral show REF-000001 --format json | pyjson '[h["detail"] for h in j["history"] if h["event"] == "MEETING"][-1]')" = "2026-12-12 14:00-15:30" ]
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "面談 12月13日 10時〜11時半"
run_once
check "the same in Japanese" wait_for staff1 6
inv=$(invites staff1)
check "10時〜11時半 is 90 minutes from 01:00 UTC" \
	[ "$(echo "$inv" | pyjson '(j[3]["sequence"], j[3]["start"], j[3]["minutes"])')" = "(3, '2026-12-13T01:00:00+00:00', 90.0)" ]
# Without an end, meeting_minutes says how long.
echo "meeting_minutes = 45" >>"$CONF"
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "MEETING 12/14 9:00"
run_once
check "a time alone sends an update" wait_for staff1 7
inv=$(invites staff1)
check "meeting_minutes = 45 makes it 45 minutes" \
	[ "$(echo "$inv" | pyjson '(j[4]["sequence"], j[4]["start"], j[4]["minutes"])')" = "(4, '2026-12-14T00:00:00+00:00', 45.0)" ]

# LOST cancels it.
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "LOST budget cut"
run_once
check "LOST closes the referral" [ "$(status)" = LOST ]
check "and sends a cancellation" wait_for staff1 8
inv=$(invites staff1)
check "METHOD:CANCEL (also on the part), same UID, SEQUENCE 5, CANCELLED" \
	[ "$(echo "$inv" | pyjson '(j[5]["method"], j[5]["part_method"], j[5]["uid"] == j[0]["uid"], j[5]["sequence"], j[5]["status"])')" = "('CANCEL', 'CANCEL', True, 5, 'CANCELLED')" ]
check "for the span it cancels (45 minutes)" [ "$(echo "$inv" | pyjson 'j[5]["minutes"]')" = 45.0 ]
check "the UID is the referral's ($uid)" grep -q "^refbot-meeting-1@" <<<"$uid"
check "the partner heard of the meeting with its time" \
	[ "$(fetch partner1 | pyjson 'any("2026-12-10 14:00" in (m["text"] or "") for m in j)')" = True ]
# Another staff member moves a meeting (no owner: the sender is invited):
# the first invitee gets a cancellation, the second the invitation.
sed -e 's/plain-en@partner.example/second@partner.example/' -e 's/Acme Widgets Ltd/Beta Corp/' \
	-e 's/jane.smith@acme.example/b@beta.example/' "$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/second.eml"
send --from partner1 --to intake --eml "$SB/second.eml"
run_once
wait_for staff2 2
s1=$(fetch staff1 | pyjson '[m for m in j if "REF-000002" in m["headers"]["Subject"]][0]["headers"]["Reply-To"].strip("<>")')
s2=$(fetch staff2 | pyjson '[m for m in j if "REF-000002" in m["headers"]["Subject"]][0]["headers"]["Reply-To"].strip("<>")')
n1=$(count staff1)
send --from staff1 --to "$s1" --subject "Re: [REF-000002]" --body "MEETING 2026-12-15 10:00"
run_once
wait_for staff1 $((n1 + 1))
n2=$(count staff2)
send --from staff2 --to "$s2" --subject "Re: [REF-000002]" --body "MEETING 2026-12-16 11:00"
run_once
check "staff1, invited first, hears of the move" wait_for staff1 $((n1 + 2))
check "staff2, who moved it, gets the invitation" wait_for staff2 $((n2 + 1))
a=$(invites staff1 | pyjson 'json.dumps([i for i in j if "REF-000002" in i["summary"]])')
b=$(invites staff2 | pyjson 'json.dumps([i for i in j if "REF-000002" in i["summary"]])')
check "staff1 gets METHOD:CANCEL for the old time, SEQUENCE 1" \
	[ "$(pyjson '(len(j), j[-1]["method"], j[-1]["status"], j[-1]["sequence"], j[-1]["start"], j[-1]["uid"] == j[0]["uid"])' <<<"$a")" = "(2, 'CANCEL', 'CANCELLED', 1, '2026-12-15T01:00:00+00:00', True)" ]
check "staff2 gets METHOD:REQUEST for the new time, same UID, SEQUENCE 2" \
	[ "$(pyjson '(len(j), j[0]["method"], j[0]["sequence"], j[0]["start"], j[0]["attendee"].lower())' <<<"$b")" = "(1, 'REQUEST', 2, '2026-12-16T02:00:00+00:00', 'mailto:staff2@example.test')" ]
check "the same event for both" [ "$(pyjson 'j[0]["uid"]' <<<"$a")" = "$(pyjson 'j[0]["uid"]' <<<"$b")" ]
# ASSIGN alone moves the invitation still to come: the one invited gets
# METHOD:CANCEL, the new owner the same event with the next SEQUENCE.
rb staff add staff1@example.test --name "Alice Smith" >/dev/null
rb staff add staff2@example.test --name "山本 花子" --lang ja >/dev/null
# USER's invitations about REF-000002, as JSON.
ref2() { invites "$1" | pyjson 'json.dumps([i for i in j if "REF-000002" in i["summary"]])'; }
# Waits until USER has N of them.
wait_ref2() { local i; for i in $(seq 100); do [ "$(ref2 "$1" | pyjson 'len(j)')" -ge "$2" ] && return 0; sleep 0.2; done; return 1; }
owner2() { sqlite3 "$SB/refbot.db" "select owner from referrals where id = 2"; }
# hand FROM REPLY-TO BODY: a staff reply about REF-000002, handled.
hand() { send --from "$1" --to "$2" --subject "Re: [REF-000002]" --body "$3"; run_once; }
hand staff2 "$s2" "ASSIGN staff1@example.test"
check "ASSIGN makes staff1 the owner" [ "$(owner2)" = staff1@example.test ]
check "staff2, invited before, gets a cancellation" wait_ref2 staff2 2
check "staff1, the new owner, gets the invitation" wait_ref2 staff1 3
check "staff2's is METHOD:CANCEL for 11:00 on the 16th, SEQUENCE 3, the same UID" \
	[ "$(ref2 staff2 | pyjson '(j[-1]["method"], j[-1]["status"], j[-1]["sequence"], j[-1]["start"], j[-1]["uid"] == j[0]["uid"])')" = "('CANCEL', 'CANCELLED', 3, '2026-12-16T02:00:00+00:00', True)" ]
check "staff1's is METHOD:REQUEST for the same time, SEQUENCE 4, the same UID" \
	[ "$(ref2 staff1 | pyjson '(j[-1]["method"], j[-1]["sequence"], j[-1]["start"], j[-1]["attendee"].lower(), j[-1]["uid"] == j[0]["uid"])')" = "('REQUEST', 4, '2026-12-16T02:00:00+00:00', 'mailto:staff1@example.test', True)" ]
# 担当 山本 hands it back: the invitation follows again.
hand staff1 "$s1" "担当 山本"
check "担当 山本 makes staff2 the owner" [ "$(owner2)" = staff2@example.test ]
check "staff1 gets the cancellation" wait_ref2 staff1 4
check "staff2 the invitation" wait_ref2 staff2 3
check "CANCEL to staff1 (SEQUENCE 5), REQUEST to staff2 (SEQUENCE 6)" \
	[ "$(ref2 staff1 | pyjson '(j[-1]["method"], j[-1]["sequence"])')/$(ref2 staff2 | pyjson '(j[-1]["method"], j[-1]["sequence"], j[-1]["attendee"].lower())')" = "('CANCEL', 5)/('REQUEST', 6, 'mailto:staff2@example.test')" ]
# From the CLI, as the staff keyword: the same.
cli_assign() { rb referral set-status REF-000002 ASSIGN "$1" >/dev/null; }
check "referral set-status REF ASSIGN from the CLI" cli_assign staff1@example.test
rb run --once 2>>"$SB/run.log"
check "the CLI's ASSIGN: staff2 gets the cancellation" wait_ref2 staff2 4
check "staff1 the invitation" wait_ref2 staff1 5
check "CANCEL to staff2 (SEQUENCE 7), REQUEST to staff1 (SEQUENCE 8)" \
	[ "$(ref2 staff2 | pyjson '(j[-1]["method"], j[-1]["sequence"])')/$(ref2 staff1 | pyjson '(j[-1]["method"], j[-1]["sequence"], j[-1]["attendee"].lower())')" = "('CANCEL', 7)/('REQUEST', 8, 'mailto:staff1@example.test')" ]
# A meeting that is over stays where it was.
sqlite3 "$SB/refbot.db" "update meetings set starts_at = starts_at - 30 * 86400 where referral_id = 2"
hand staff1 "$s1" "担当 山本"
sleep 1
check "ASSIGN after the meeting: owner changed, no invitation moves" \
	[ "$(owner2)/$(ref2 staff1 | pyjson 'len(j)')/$(ref2 staff2 | pyjson 'len(j)')" = "staff2@example.test/5/4" ]
check "refbot logged no warnings" [ "$(grep -c 'warning:' "$SB/run.log")" = 0 ]
finish
