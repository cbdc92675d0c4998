#!/bin/bash
# Caps under a flood (issue 14 item 7).  Within one hour, 30 mails from 30
# strangers, 30 forged staff commands (a staff From, no signed reply
# address) and 12 unreadable mails from one partner.  Staff get at most
# staff_alert_limit (default 10) alerts of each kind one by one, then,
# once the hour is over, exactly one summary per kind (across restarts)
# with the right count and message numbers and no sender address.  The
# partner gets no more automatic replies than auto_reply_limit (default
# 10): the "could not read your message" notice counts like any other.
# Every message has a disposition, which says what a cap held back.
# The clock is moved with REFBOT_CLOCK_OFFSET: the flood is handled in
# the middle of an hour, the summaries two hours later.
export SANDBOX_EXTRA_USERS="stranger"
. "$(dirname "$0")/lib.sh"
sandbox_start

# The moved clock must not bring the newsletter's reminder to staff.
echo "newsletter_reminder_days = 0" >>"$CONF"
rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null
LIMIT=10	# the defaults of staff_alert_limit and auto_reply_limit
N=30
NBAD=12

# An offset that puts refbot's clock at half past an hour, so the flood
# falls in one hour even if the run takes a while.
now=$(date +%s)
OFF=$((1800 - now % 3600))
at() { REFBOT_CLOCK_OFFSET=$((OFF + $1 * 3600)) "$REFBOT" --config "$CONF" run --once 2>>"$SB/run.log"; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
db() { sqlite3 "$SB/refbot.db" "$1"; }
# subjects USER: one decoded Subject a line.
subjects() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json | pyjson '"\n".join(m["headers"]["Subject"] or "" for m in j)'; }
nsubj() { subjects staff1 | grep -c -- "$1"; }

# A referral for the forged commands to be about.
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
at 0
check "the referral is stored" [ "$(db "select count(*) from referrals")" = 1 ]
"$MAILTOOL" wait --env "$SB/env" --user staff1 --count 1 --timeout 20 >/dev/null
base=$(count staff1)

/usr/bin/python3 - "$SMTP_PORT" "$N" "$NBAD" <<'PY'
import smtplib, sys
port, n, nbad = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
D = "example.test"
def mail(frm, mid, subject, body, ctype="text/plain; charset=utf-8"):
    return (f"From: {frm}\r\nTo: intake@{D}\r\nSubject: {subject}\r\n"
            "Date: Fri, 27 Nov 2026 10:00:00 +0900\r\n"
            f"Message-ID: <{mid}@flood.example>\r\n"
            f"Content-Type: {ctype}\r\nMIME-Version: 1.0\r\n\r\n"
            + body.replace("\n", "\r\n")).encode()
with smtplib.SMTP("127.0.0.1", port, local_hostname="flood.example", timeout=30) as s:
    for i in range(1, n + 1):
        frm = f"stranger+{i:02d}@{D}"
        s.sendmail(frm, [f"intake@{D}"], mail(frm, f"unknown-{i:02d}",
            f"Business proposal {i:02d}", "Dear sir, please reply.\n"))
    for i in range(1, n + 1):
        frm = f"staff{1 + i % 2}@{D}"
        s.sendmail(frm, [f"intake@{D}"], mail(frm, f"forged-{i:02d}",
            "[REF-000001] update", "WON 1,000,000\n"))
    # A multipart whose boundary never occurs: nothing a person can read.
    for i in range(1, nbad + 1):
        frm = f"partner2@{D}"
        s.sendmail(frm, [f"intake@{D}"], mail(frm, f"unreadable-{i:02d}",
            f"Referral {i:02d}", "no parts here\n",
            'multipart/mixed; boundary="never-used"'))
PY
TOTAL=$((2 * N + NBAD))
waitmail() { "$MAILTOOL" wait --env "$SB/env" "$@" >/dev/null; }
check "the flood of $TOTAL reaches the intake mailbox" \
	waitmail --user intake --count "$TOTAL" --timeout 60
at 0
check "the flood is handled" [ "$(count intake)" = 0 ]
check "every message has a disposition" \
	[ "$(db "select count(*) from messages where disposition = 'pending'")" = 0 ]
check "the strangers' mail is recorded as such" \
	[ "$(db "select count(*) from messages where disposition = 'unknown-sender'")" = "$N" ]
check "the forged commands are recorded as not accepted" \
	[ "$(db "select count(*) from messages where disposition = 'unverified-command'")" = "$N" ]
check "the partner's mails are recorded as unreadable" \
	[ "$(db "select count(*) from messages where disposition = 'unreadable'")" = "$NBAD" ]
check "the forged commands changed nothing" \
	[ "$(rb referral show REF-000001 --format json | pyjson 'j["status"]')" = NEW ]
sleep 2

# Staff: at most LIMIT alerts of each kind, one by one; nothing else yet.
u=$(nsubj "Mail from someone who is not a partner")
v=$(nsubj "A command about REF-000001 was not accepted")
r=$(nsubj "A message could not be read")
diag "staff1 got $u stranger, $v command and $r unreadable alerts"
check "staff get $LIMIT stranger alerts, not $N (got $u)" [ "$u" = "$LIMIT" ]
check "staff get $LIMIT command alerts, not $N (got $v)" [ "$v" = "$LIMIT" ]
check "staff get $LIMIT unreadable alerts, not $NBAD (got $r)" [ "$r" = "$LIMIT" ]
check "no summary while the hour lasts" [ "$(nsubj "alerts held back")" = 0 ]
check "nothing else reached staff" [ "$(count staff1)" = $((base + 3 * LIMIT)) ]
check "staff2 got the same" [ "$(count staff2)" = "$(count staff1)" ]
held() { db "select count(*) from messages where disposition = '$1' and detail like '%staff alert held for the hourly summary%'"; }
check "the held stranger alerts are named in their dispositions" [ "$(held unknown-sender)" = $((N - LIMIT)) ]
check "the held command alerts are named in their dispositions" [ "$(held unverified-command)" = $((N - LIMIT)) ]
check "the held unreadable alerts are named in their dispositions" [ "$(held unreadable)" = $((NBAD - LIMIT)) ]

# The partner: no more automatic replies than the cap.
p=$(count partner2)
check "the partner of $NBAD unreadable mails gets at most $LIMIT replies (got $p)" [ "$p" -le "$LIMIT" ]
check "and the first $LIMIT are answered (got $p)" [ "$p" -ge "$LIMIT" ]
check "the withheld replies are named in the dispositions" \
	[ "$(db "select count(*) from messages where disposition = 'unreadable' and detail like '%reply withheld%'")" = $((NBAD - LIMIT)) ]
check "each stranger gets one answer" [ "$(count stranger)" = "$N" ]

# Two hours later: one summary per kind, exactly once.
at 2
at 2
at 3
sleep 2
check "after the hour, one summary per kind, once" [ "$(nsubj "alerts held back")" = 3 ]
check "nothing else reached staff" [ "$(count staff1)" = $((base + 3 * LIMIT + 3)) ]
check "staff2 got the summaries too" [ "$(count staff2)" = "$(count staff1)" ]

# summary WORDS: the text of the summary whose subject has WORDS.
summary() { "$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json | pyjson "next((m['text'] for m in j if 'alerts held back: $1' in (m['headers']['Subject'] or '')), '')"; }
# rows TEXT: the message numbers a summary lists ("#3-#5, #9"), one a line.
rows() { /usr/bin/python3 -c '
import re, sys
t = sys.stdin.read().split("Messages", 1)[1]
for a, b in re.findall(r"#(\d+)(?:-#(\d+))?", t):
    for i in range(int(a), int(b or a) + 1): print(i)'; }
# same_rows SUMMARY WANT N: the summary lists the N rows in WANT.
same_rows() { [ "$(grep -c . <<<"$2")" = "$3" ] && [ "$(rows <<<"$1")" = "$2" ]; }
# want DISPOSITION: the rows whose alert was held, one a line.
want() { db "select id from messages where disposition = '$1' and detail like '%held for the hourly summary%' order by id"; }
for k in "mail from senders who are not partners|unknown-sender|$((N - LIMIT))" \
	"commands about referrals that were not accepted|unverified-command|$((N - LIMIT))" \
	"messages set aside|unreadable|$((NBAD - LIMIT))"; do
	IFS='|' read -r words disp n <<<"$k"
	s=$(summary "$words")
	diag "summary of $disp: $(grep -E '^(Held back|By disposition):' <<<"$s" | tr '\n' ' ')"
	check "$disp summary: the count is $n" grep -q "^Held back: $n alerts" <<<"$s"
	check "$disp summary: by disposition" grep -q "^By disposition: $disp $n\$" <<<"$s"
	check "$disp summary: the messages are the $n held ones" \
		same_rows "$s" "$(want "$disp")" "$n"
	check "$disp summary: the time span is named" grep -q "^Hour: .* UTC to .* UTC" <<<"$s"
	check "$disp summary: no sender address" bash -c '[ -n "$1" ] && ! grep -qi "stranger\|partner2@\|staff.@" <<<"$1"' _ "$s"
done

finish
