#!/bin/bash
# Issue 18 item 6: a calendar client's answer to refbot's meeting
# invitation is understood.  The invitation's ORGANIZER is the
# referral's signed meeting address; the answer (iTIP REPLY or COUNTER,
# built here with Python's icalendar from the invitation refbot actually
# sent, in the MIME shapes Outlook and Gmail use) is mailed to it: the
# referral's history records it, its disposition says so, nobody is
# acknowledged and nothing is forwarded; a decline or a new time is told
# to the managers, in their language (a Japanese manager here), with the
# time in the configured zone.  An answer to a replaced invitation (or a
# cancelled meeting) is recorded as outdated and told to nobody; one without the token, with a
# forged token or for another UID is ordinary mail, its disposition
# saying why it was not counted.
export SANDBOX_EXTRA_USERS="manager1"
. "$(dirname "$0")/lib.sh"
sandbox_start

sed -i '/^timezone *=/d' "$CONF"
echo "timezone = Asia/Tokyo" >>"$CONF"
rb init >/dev/null
rb staff add staff1@example.test --name "Alice Smith" --lang en --role intake >/dev/null
rb staff add staff2@example.test --name "Bob Jones" --lang en --role intake >/dev/null
rb staff add manager1@example.test --name "山本 太郎" --lang ja --role manager >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner set partner1@example.test --owner staff1@example.test >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$@"; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
run_once() { wait_for intake 1; rb run --once 2>>"$SB/run.log"; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
last() { sql "select disposition || ' | ' || coalesce(detail, '') from messages order by id desc limit 1"; }
answers() { rb referral show REF-000001 --format json | pyjson '[(h["actor"], h["detail"]) for h in j["history"] if h["event"] == "meeting-answer"]'; }
counts() { echo "$(count staff1) $(count staff2) $(count manager1) $(count partner1)"; }

# answer STYLE PARTSTAT|COUNTER OUT [UID] [TO] [SEQUENCE]: staff1's
# calendar answering the newest invitation in their mailbox (read over
# IMAP), as Outlook (multipart/alternative, the calendar part base64)
# or Gmail (a Japanese subject, the calendar part inside the
# alternative and again as invite.ics) sends it, to the invitation's
# ORGANIZER unless TO says otherwise.  Prints the organizer address.
answer() {
	/usr/bin/python3 - "$MAILTOOL" "$SB/env" "$@" <<'PY'
import base64, email, email.encoders, email.policy, importlib.machinery, sys
from datetime import datetime, timezone
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
import icalendar
mt = importlib.machinery.SourceFileLoader("mailtool", sys.argv[1]).load_module()
env = mt.load_env(sys.argv[2])
style, what, out = sys.argv[3:6]
uid_over = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else None
to_over = sys.argv[7] if len(sys.argv) > 7 and sys.argv[7] else None
seq_over = sys.argv[8] if len(sys.argv) > 8 and sys.argv[8] else None
conn = mt.imap_connect(env, "staff1")
conn.select("INBOX", readonly=True)
typ, data = conn.uid("FETCH", "1:*", "(BODY.PEEK[])")
inv = None
for item in data:
    if isinstance(item, tuple):
        msg = email.message_from_bytes(item[1], policy=email.policy.default)
        for p in msg.walk():
            if p.get_content_type() == "text/calendar":
                c = icalendar.Calendar.from_ical(p.get_payload(decode=True))
                if str(c["METHOD"]) == "REQUEST":
                    inv = c
                break
conn.logout()
ev = inv.walk("VEVENT")[0]
organizer = str(ev["ORGANIZER"])[len("mailto:"):]
cal = icalendar.Calendar()
cal.add("prodid", "Microsoft Exchange Server 2010" if style == "outlook" else "-//Google Inc//Google Calendar 70.9054//EN")
cal.add("version", "2.0")
cal.add("method", "COUNTER" if what == "COUNTER" else "REPLY")
e = icalendar.Event()
e.add("uid", uid_over or str(ev["UID"]))
e.add("sequence", int(seq_over) if seq_over else int(ev["SEQUENCE"]))
e.add("dtstamp", datetime.now(timezone.utc))
e.add("summary", str(ev["SUMMARY"]))
if what == "COUNTER":
    # 2026-12-11 16:00-16:30 in Tokyo, written in UTC.
    e.add("dtstart", datetime(2026, 12, 11, 7, 0, tzinfo=timezone.utc))
    e.add("dtend", datetime(2026, 12, 11, 7, 30, tzinfo=timezone.utc))
else:
    e.add("dtstart", ev["DTSTART"].dt)
    e.add("dtend", ev["DTEND"].dt)
e["organizer"] = ev["ORGANIZER"]
att = icalendar.vCalAddress("mailto:staff1@example.test")
att.params["cn"] = icalendar.vText("Alice Smith")
att.params["partstat"] = icalendar.vText("TENTATIVE" if what == "COUNTER" else what)
e.add("attendee", att)
cal.add_component(e)
ics = cal.to_ical()
method = "COUNTER" if what == "COUNTER" else "REPLY"
word = {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentative", "COUNTER": "New Time Proposed"}[what]
calpart = MIMEBase("text", "calendar", method=method, charset="utf-8")
calpart.set_payload(ics)
if style == "outlook":
    email.encoders.encode_base64(calpart)
    m = MIMEMultipart("alternative")
    m.attach(MIMEText("\n", "plain", "us-ascii"))
    m.attach(calpart)
    m["Subject"] = f"{word}: {ev['SUMMARY']}"
else:
    alt = MIMEMultipart("alternative")
    alt.attach(MIMEText("Alice Smith さんがこの招待に回答しました。\n", "plain", "utf-8"))
    alt.attach(calpart)
    ics_file = MIMEBase("application", "ics", name="invite.ics")
    ics_file.set_payload(ics)
    email.encoders.encode_base64(ics_file)
    ics_file.add_header("Content-Disposition", "attachment", filename="invite.ics")
    m = MIMEMultipart("mixed")
    m.attach(alt)
    m.attach(ics_file)
    ja = {"ACCEPTED": "承諾", "DECLINED": "辞退", "TENTATIVE": "仮承諾", "COUNTER": "新しい時間の提案"}[what]
    m["Subject"] = Header(f"{ja}: {ev['SUMMARY']} (staff1@example.test)", "utf-8")
m["From"] = "Alice Smith <staff1@example.test>"
m["To"] = to_over or organizer
m["Date"] = formatdate(localtime=True)
m["Message-ID"] = make_msgid(domain="example.test")
with open(out, "wb") as f:
    f.write(m.as_bytes())
print(to_over or organizer)
PY
}

send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
run_once
check "staff1, the owner, is notified" wait_for staff1 1
reply_to=$(fetch staff1 | pyjson 'j[0]["headers"]["Reply-To"].strip("<>")')
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "MEETING 2026-12-10 14:00"
run_once
check "staff1 gets the invitation" wait_for staff1 2

# The invitation names a signed organizer: where answers come.
org=$(answer outlook ACCEPTED "$SB/accept.eml")
check "the invitation's ORGANIZER is the referral's signed meeting address" \
	grep -Eqi '^intake\+r1\.m\.[a-z0-9]{16}@example\.test$' <<<"$org"
before=$(counts)
h0=$(sql "select count(*) from history")
send --from staff1 --to "$org" --eml "$SB/accept.eml"
run_once
check "an Outlook Accept is a meeting answer" \
	grep -q "^meeting-answer | REF-000001: the meeting invitation answered by staff1@example.test: accepted (sequence 0); nobody told" <<<"$(last)"
check "the history records who accepted" \
	[ "$(answers)" = "[('staff1@example.test', 'accepted (sequence 0)')]" ]
check "one history line and nothing else" [ "$(sql "select count(*) from history")" = $((h0 + 1)) ]
sleep 1
check "nobody gets mail: no acknowledgement, no forward" [ "$(counts)" = "$before" ]

# Declined, as Gmail sends it: the managers hear of it, in Japanese.
answer gmail DECLINED "$SB/decline.eml" >/dev/null
m0=$(count manager1)
send --from staff1 --to "$org" --eml "$SB/decline.eml"
run_once
check "a Gmail Decline is a meeting answer; the managers told" \
	grep -q "^meeting-answer | .*declined (sequence 0); managers told" <<<"$(last)"
check "the history records the decline" \
	grep -q "('staff1@example.test', 'declined (sequence 0)')" <<<"$(answers)"
check "the Japanese manager is told" wait_for manager1 $((m0 + 1))
dec=$(fetch manager1 | pyjson 'json.dumps(j[-1])')
check "in Japanese: who declined which meeting, at what time" \
	[ "$(pyjson '("面談の辞退" in j["headers"]["Subject"], "staff1@example.test が REF-000001" in j["text"], "2026-12-10 14:00 +0900" in j["text"], "辞退しました" in j["text"])' <<<"$dec")" = "(True, True, True, True)" ]
check "through a signed staff reply address" \
	grep -Eqi '^<?intake\+r1\.s\.' <<<"$(pyjson 'j["headers"]["Reply-To"]' <<<"$dec")"
sleep 1
check "the sender and the other staff get nothing" \
	[ "$(count staff1) $(count staff2) $(count partner1)" = "$(cut -d' ' -f1,2,4 <<<"$before")" ]

# Outlook's Propose New Time: the proposal in Tokyo time.
answer outlook COUNTER "$SB/counter.eml" >/dev/null
send --from staff1 --to "$org" --eml "$SB/counter.eml"
run_once
check "a proposal is a meeting answer" \
	grep -q "^meeting-answer | .*new time proposed: 2026-12-11 16:00 +0900 JST - 2026-12-11 16:30 +0900 JST (sequence 0); managers told" <<<"$(last)"
check "the manager hears of the proposed time" wait_for manager1 $((m0 + 2))
check "in Japanese, in the configured zone" \
	[ "$(fetch manager1 | pyjson '("新しい日時の提案" in j[-1]["headers"]["Subject"], "提案: 2026-12-11 16:00 +0900" in j[-1]["text"], "現在: 2026-12-10 14:00 +0900" in j[-1]["text"])')" = "(True, True, True)" ]
check "the meeting itself is unchanged" \
	[ "$(sql "select sequence || ' ' || day || ' ' || minute from meetings")" = "0 2026-12-10 840" ]

# A new time: an answer to the old invitation is outdated, told to nobody.
n1=$(count staff1)
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "MEETING 2026-12-12 10:00"
run_once
wait_for staff1 $((n1 + 1))
answer outlook DECLINED "$SB/old.eml" "" "" 0 >/dev/null
before=$(counts)
send --from staff1 --to "$org" --eml "$SB/old.eml"
run_once
check "a decline of the replaced invitation is recorded as outdated" \
	grep -q "^meeting-answer-outdated | .*declined (sequence 0), to an invitation since replaced: outdated; nobody told" <<<"$(last)"
check "and in the history" grep -q "declined (sequence 0), to an invitation since replaced: outdated" <<<"$(answers)"
sleep 1
check "nobody is told" [ "$(counts)" = "$before" ]
answer outlook ACCEPTED "$SB/new.eml" >/dev/null
send --from staff1 --to "$org" --eml "$SB/new.eml"
run_once
check "the current invitation's answer counts (sequence 1)" \
	grep -q "^meeting-answer | .*accepted (sequence 1); nobody told" <<<"$(last)"

# Not the signed organizer, a forged token, another UID: ordinary mail.
nh=$(answers)
answer outlook DECLINED "$SB/plain.eml" "" intake@example.test >/dev/null
send --from staff1 --to intake --eml "$SB/plain.eml"
run_once
check "to the plain intake address: ordinary staff mail, saying why" \
	grep -q "^staff-mail | new mail from staff, not a referral; a calendar answer (declined) not counted: not sent to a meeting invitation's signed organizer address" <<<"$(last)"
forged=$(sed -E 's/\.m\.[a-z0-9]{16}@/.m.aaaaaaaaaaaaaaaa@/' <<<"$org")
answer outlook DECLINED "$SB/forged.eml" "" "$forged" >/dev/null
send --from staff1 --to "$forged" --eml "$SB/forged.eml"
run_once
check "a forged token: ordinary mail, saying why" \
	grep -q "^staff-mail | .*a calendar answer (declined) not counted: not sent to a meeting invitation's signed organizer address" <<<"$(last)"
answer outlook DECLINED "$SB/uid.eml" "refbot-meeting-99@example.test" >/dev/null
send --from staff1 --to "$org" --eml "$SB/uid.eml"
run_once
check "another UID: ordinary mail, saying why" \
	grep -q "^staff-mail | .*a calendar answer (declined) not counted: its UID is not the meeting refbot sent for REF-000001" <<<"$(last)"
check "none of them is in the history" [ "$(answers)" = "$nh" ]
sleep 1
check "and no manager heard of them" [ "$(count manager1)" = $((m0 + 2)) ]

# LOST cancels the meeting: a later Accept of it is outdated too.
n1=$(count staff1)
send --from staff1 --to "$reply_to" --subject "Re: [REF-000001]" --body "LOST budget cut"
run_once
wait_for staff1 $((n1 + 1))
answer outlook ACCEPTED "$SB/late.eml" >/dev/null
send --from staff1 --to "$org" --eml "$SB/late.eml"
run_once
check "an answer to a cancelled meeting is outdated, told to nobody" \
	grep -q "^meeting-answer-outdated | .*accepted (sequence 1), to a meeting since cancelled: outdated; nobody told" <<<"$(last)"

# Session 7 item 3: the history's meeting answers in the reader's words.
# The Japanese manager, made the owner, reads the history in Japanese.
rb referral set-status REF-000001 REOPEN >/dev/null
m1=$(count manager1)
rb referral set-status REF-000001 ASSIGN manager1@example.test >/dev/null
rb run --once 2>>"$SB/run.log"
check "the Japanese new owner is told, with the history" wait_for manager1 $((m1 + 1))
hist=$(fetch manager1 | pyjson "[m['text'] for m in j if '担当になりました' in m['headers']['Subject']][-1]")
check "the meeting answers in Japanese" \
	bash -c '[[ $1 == *"出席の返答（招待の版 0）"* && $1 == *"辞退の返答（招待の版 0）"* && $1 == *"新しい日時の提案: 2026-12-11 16:00 +0900 JST - 2026-12-11 16:30 +0900 JST（招待の版 0）"* && $1 == *"差し替え前の招待への返答（招待の版 0）: 無効"* && $1 == *"中止した面談への返答（招待の版 1）: 無効"* ]]' _ "$hist"
check "no English answer words left" bash -c '! grep -Eq "accepted|declined|sequence" <<<"$1"' _ "$hist"
check "the CLI keeps the English" grep -q "('staff1@example.test', 'accepted (sequence 0)')" <<<"$(answers)"
check "refbot logged no warnings" [ "$(grep -c 'warning:' "$SB/run.log")" = 0 ]
finish
