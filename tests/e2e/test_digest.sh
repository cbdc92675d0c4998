#!/bin/bash
# Issue 18 item 4: each staff member who owns open referrals gets one
# morning queue on working days, in their language, from digest_hour:
# overdue, due today, stalled and otherwise open, each referral with its
# reference, client, partner, state, age and a signed address that acts
# on it.  Nobody with an empty queue gets one; none twice a day across
# restarts; none at weekends or before the hour.  The clock is moved with
# REFBOT_CLOCK_OFFSET to a working day's morning (timezone = UTC).
export SANDBOX_EXTRA_USERS="stranger boss"
. "$(dirname "$0")/lib.sh"
sandbox_start

echo "newsletter_reminder_days = 0" >>"$CONF"
rb init >/dev/null
H=3600
D=$((24 * H))
at() { REFBOT_CLOCK_OFFSET=$1 "$REFBOT" --config "$CONF" run --once 2>>"$SB/run.log"; }
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
arrived() { "$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null; }
mails() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
nsubj() { mails "$1" | pyjson '"\n".join(m["headers"]["Subject"] for m in j)' | grep -cE "$2"; }
waitsubj() { local i; for i in $(seq 100); do [ "$(nsubj "$1" "$2")" -ge "$3" ] && return 0; sleep 0.2; done; return 1; }
# The offset to 09:00 UTC of the first working day at least 9 days on,
# and to the Saturday after it.
O=$(/usr/bin/python3 -c '
import datetime as d, time
t = (d.datetime.now(d.timezone.utc) + d.timedelta(days=9)).replace(hour=9, minute=0, second=0, microsecond=0)
while t.weekday() >= 5: t += d.timedelta(days=1)
print(int(t.timestamp() - time.time()))')
SAT=$((O + (5 - $(date -u -d "@$(( $(date +%s) + O ))" +%u)) * D + D))

rb staff add staff1@example.test --name "Alice Smith" --role intake >/dev/null
rb staff add staff2@example.test --name "山本 花子" --lang ja --role intake >/dev/null
rb staff add boss@example.test --name "Bo Boss" --role manager >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null

# REF-1 (staff1) and REF-2 (staff2) now.
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
arrived
at 0
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/ja-utf8-qp.eml"
arrived
at 0
waitsubj staff1 'REF-000001' 1 && waitsubj staff2 'REF-000002' 1
# REF-1 CONTACTED 8 days before the morning: stalled by then.
send --from staff1 --to "$(mails staff1 | pyjson 'j[0]["headers"]["Reply-To"].strip("<>")')" --subject "Re: [REF-000001]" --body "CONTACTED"
arrived
at $((O - 8 * D))
# REF-3 (the rota: staff1) the evening before: due today.
sed -e 's/partner1@example.test/partner2@example.test/' -e 's/plain-en@partner.example/p2@partner.example/' \
	-e 's/Acme Widgets Ltd/Beta Corp/' -e 's/jane.smith@acme.example/b@beta.example/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/p2.eml"
send --from partner2 --to intake --eml "$SB/p2.eml"
arrived
at $((O - 10 * H))
check "the rota gave REF-3 to staff1" [ "$(sqlite3 "$SB/refbot.db" "select owner from referrals where id = 3")" = staff1@example.test ]
before1=$(nsubj staff1 'Your queue')
before2=$(nsubj staff2 'の担当案件')

at $((O - 2 * H))
sleep 1
check "nothing before digest_hour" [ "$(nsubj staff1 'Your queue')/$(nsubj staff2 'の担当案件')" = "$before1/$before2" ]
at "$O"
check "staff1 gets the morning queue" waitsubj staff1 'Your queue' $((before1 + 1))
check "staff2 gets it in Japanese" waitsubj staff2 'の担当案件' $((before2 + 1))
last() { mails "$1" | pyjson '[m["headers"]["Subject"] for m in j if "queue" in m["headers"]["Subject"] or "担当案件" in m["headers"]["Subject"]][-1]'; }
check "its subject counts what staff1 owns" grep -qE '^\[refbot\] Your queue for [0-9-]+: 2 open referrals$' <<<"$(last staff1)"
check "and staff2's, in Japanese" grep -qE '^\[refbot\] [0-9-]+ の担当案件: 未完了 1 件$' <<<"$(last staff2)"
# The sections of USER's last queue mail, as "Section: REF REF | ...".
sections() {
	mails "$1" | /usr/bin/python3 -c '
import json, re, sys
m = [m for m in json.load(sys.stdin) if "queue" in m["headers"]["Subject"] or "担当案件" in m["headers"]["Subject"]][-1]
out = []
for line in m["text"].split("\n"):
    if line.endswith(":") and not line.startswith(" "):
        out.append([line])
    elif out and re.match(r"  REF-", line):
        out[-1].append(line.split()[0])
print(" | ".join(" ".join(s) for s in out))'
}
check "overdue, due today, stalled, each in its place" [ "$(sections staff1)" = "Overdue (the first response is late): | Due today: REF-000003 | Stalled (in one state too long): REF-000001 | Also open:" ]
check "staff2's overdue referral" [ "$(sections staff2)" = "期限切れ（初回連絡が遅れています）: REF-000002 | 本日期限: | 停滞（同じ状態が長く続いています）: | その他の未完了:" ]
check "staff2's line says the age in Japanese" grep -qE "^  REF-000002  .*, [0-9]+ 日経過$" <<<"$(mails staff2 | pyjson '[m["text"] for m in j if "担当案件" in m["headers"]["Subject"]][-1]')"
text=$(mails staff1 | pyjson '[m["text"] for m in j if "Your queue" in m["headers"]["Subject"]][-1]')
check "each line has client, partner, state and age" grep -q "REF-000001  Acme Widgets Ltd (Partner One)  CONTACTED, [0-9]* days" <<<"$text"
addr=$(grep -A1 'REF-000003' <<<"$text" | tail -1 | tr -d ' ')
check "and a signed address that acts on it ($addr)" grep -qE '^intake\+r3\.s\.[a-z2-7]{16}@example\.test$' <<<"$addr"
check "someone with an empty queue gets nothing" [ "$(nsubj boss 'queue')" = 0 ]
at $((O + H))
at $((O + 3 * H))
sleep 1
check "one a day, across restarts" [ "$(nsubj staff1 'Your queue')/$(nsubj staff2 'の担当案件')" = "$((before1 + 1))/$((before2 + 1))" ]

# The address under a line acts on that referral, in a new mail too.
send --from staff1 --to "$addr" --subject "Beta Corp" --body "CONTACTED"
arrived
at $((O + 4 * H))
check "a keyword sent to it moves the referral" [ "$(rb referral show REF-000003 --format json | pyjson 'j["status"]')" = CONTACTED ]

at $((SAT))
at $((SAT + D))
sleep 1
check "no queue at the weekend" [ "$(nsubj staff1 'Your queue')" = $((before1 + 1)) ]
at $((SAT + 2 * D))
check "the next working day, the next one" waitsubj staff1 'Your queue' $((before1 + 2))

finish
