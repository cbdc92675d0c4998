#!/bin/bash
# Issue 18 items 2, 3, 5: staff are people.  Two intake staff with
# different languages and a manager: each staff mail goes to the
# referral's owner in their language; a new referral's owner is the
# partner's account manager, else the intake rota; ASSIGN / 担当 in a
# reply hands it over (the new owner is told, with the history); SLA
# reminders go to the owner only, escalations to the manager; a referral
# that sits in one state too long nudges its owner exactly once per
# period across restarts, then the manager, and the partner hears it is
# still in progress at most once in 30 days.  The clock is moved with
# REFBOT_CLOCK_OFFSET.
export SANDBOX_EXTRA_USERS="stranger boss"
. "$(dirname "$0")/lib.sh"
sandbox_start

# Moved clocks must not bring the newsletter's reminder into the mail.
echo "newsletter_reminder_days = 0" >>"$CONF"
echo "partner_progress_note = yes" >>"$CONF"
rb init >/dev/null
quiet() { "$@" >/dev/null; }
H=3600
D=$((24 * H))
at() { REFBOT_CLOCK_OFFSET=$1 "$REFBOT" --config "$CONF" run --once 2>>"$SB/run.log"; }
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
arrived() { "$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null; }
# Mail is counted by subject: the moved clock also brings each owner's
# morning queue (test_digest) on working days.
# Subjects of USER's mail, one a line.
subjects() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json | pyjson '"\n".join(m["headers"]["Subject"] for m in j)'; }
# How many of USER's mails have a subject matching the regex.
nsubj() { subjects "$1" | grep -cE "$2"; }
# The Reply-To of USER's last mail whose subject matches the regex.
reply_to() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json | pyjson "[m for m in j if __import__('re').search(r'''$2''', m['headers']['Subject'])][-1]['headers']['Reply-To'].strip('<>')"; }
# The text of USER's last mail whose subject matches the regex.
body() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json | pyjson "[m for m in j if __import__('re').search(r'''$2''', m['headers']['Subject'])][-1]['text']"; }
# Waits (up to 20 s) until USER has N mails with a subject matching REGEX.
waitsubj() { local i; for i in $(seq 100); do [ "$(nsubj "$1" "$2")" -ge "$3" ] && return 0; sleep 0.2; done; return 1; }
owner() { sqlite3 "$SB/refbot.db" "select coalesce(owner, '-') from referrals where id = $1"; }

# The registry.
check "staff add (English, intake)" quiet rb staff add staff1@example.test --name "Alice Smith" --lang en --role intake
check "staff add (Japanese, intake)" quiet rb staff add Staff2@Example.test --name "山本 花子" --lang ja --role intake
check "staff add (manager)" quiet rb staff add boss@example.test --name "Bo Boss" --role manager
check "a second add of the same address is refused" [ "$(rb staff add staff1@example.test --name X >/dev/null 2>&1; echo $?)" = 65 ]
check "a bad language is refused" [ "$(rb staff add x@example.test --name X --lang fr >/dev/null 2>&1; echo $?)" = 64 ]
check "staff list shows the three, lowercased" [ "$(rb staff list --format json | pyjson '[(m["email"], m["lang"], m["role"]) for m in j]')" = "[('boss@example.test', 'en', 'manager'), ('staff1@example.test', 'en', 'intake'), ('staff2@example.test', 'ja', 'intake')]" ]

rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null
check "partner set --owner refuses someone not on staff" [ "$(rb partner set partner2@example.test --owner stranger@example.test >/dev/null 2>&1; echo $?)" = 65 ]
check "partner set --owner names the account manager" quiet rb partner set partner2@example.test --owner staff2@example.test

# REF-1 from partner1 (no account manager): the rota's first, staff1.
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
arrived
at 0
waitsubj staff1 'REF-000001' 1
check "the rota made staff1 the owner of REF-1" [ "$(owner 1)" = staff1@example.test ]
check "staff1 got the English notification" [ "$(nsubj staff1 'REF-000001\] New referral')" = 1 ]
check "staff2 and the manager got nothing" [ "$("$MAILTOOL" count --env "$SB/env" --user staff2)$("$MAILTOOL" count --env "$SB/env" --user boss)" = 00 ]

# REF-2 from partner2: its account manager, staff2, in Japanese.
sed -e 's/partner1@example.test/partner2@example.test/' -e 's/plain-en@partner.example/p2@partner.example/' \
	-e 's/Acme Widgets Ltd/Beta Corp/' -e 's/jane.smith@acme.example/b@beta.example/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/p2.eml"
send --from partner2 --to intake --eml "$SB/p2.eml"
arrived
at 0
waitsubj staff2 'REF-000002' 1
check "the account manager owns REF-2" [ "$(owner 2)" = staff2@example.test ]
check "staff2's notification is in Japanese" [ "$(nsubj staff2 'REF-000002\] 新しい紹介')" = 1 ]
b=$(body staff2 'REF-000002')
check "its cheat sheet is in Japanese, with ASSIGN" bash -c '[[ $1 == *クライアントに連絡した* && $1 == *"ASSIGN <who>"* && $1 == *初回連絡の期限* ]]' _ "$b"
check "staff1 got nothing about REF-2" [ "$(nsubj staff1 'REF-000002')" = 0 ]

# REF-3 from partner1: the rota's next, staff2.
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/ja-utf8-qp.eml"
arrived
at 0
waitsubj staff2 'REF-000003' 1
check "the rota went on to staff2 for REF-3" [ "$(owner 3)" = staff2@example.test ]
check "referral list --owner --open" [ "$(rb referral list --owner staff2@example.test --open --format json | pyjson '[r["ref"] for r in j]')" = "['REF-000003', 'REF-000002']" ]
check "referral list has an owner column" [ "$(rb referral list | sed -E 's/^(REF-[0-9]+) .*  ([^ ]+@example.test) .*/\1 \2/' | tr '\n' ' ')" = "REF-000003 staff2@example.test REF-000002 staff2@example.test REF-000001 staff1@example.test " ]
check "and the JSON an owner" [ "$(rb referral list --format json | pyjson '[r["owner"] for r in j]')" = "['staff2@example.test', 'staff2@example.test', 'staff1@example.test']" ]
check "referral show names the owner" grep -q '^Owner:    staff1@example.test$' <<<"$(rb referral show REF-000001)"
check "the history says why" [ "$(rb referral show REF-000003 --format json | pyjson '[h["detail"] for h in j["history"] if h["event"] == "assigned"]')" = "['owner staff2@example.test (intake rota)']" ]

# ASSIGN by reply: staff1 hands REF-1 to 山本 by name.
send --from staff1 --to "$(reply_to staff1 'REF-000001')" --subject "Re: [REF-000001]" --body $'担当 山本\n\nShe knows the client.'
arrived
at 1
waitsubj staff2 'REF-000001\] 担当' 1
check "担当 山本 made staff2 the owner of REF-1" [ "$(owner 1)" = staff2@example.test ]
b=$(body staff2 'REF-000001')
check "the new owner is told in Japanese, with the note and the history" bash -c '[[ $1 == *担当を* && $1 == *"She knows the client."* && $1 == *受付* && $1 == *"担当 staff1@example.test（受付の輪番）"* ]]' _ "$b"
check "the reassignment is in the history" [ "$(rb referral show 1 --format json | pyjson '[h["detail"] for h in j["history"] if h["event"] == "ASSIGN"]')" = "['owner staff1@example.test -> staff2@example.test']" ]
send --from staff2 --to "$(reply_to staff2 'REF-000003')" --subject "Re: [REF-000003]" --body "ASSIGN nobody-here"
arrived
at 1
waitsubj staff2 'REF-000003\] 処理' 1
check "ASSIGN to nobody is refused, to the sender, in their language" [ "$(nsubj staff2 'REF-000003\] 処理されませんでした')" = 1 ]
check "and changes nothing" [ "$(owner 3)" = staff2@example.test ]
send --from staff2 --to "$(reply_to staff2 'REF-000003')" --subject "Re: [REF-000003]" --body "ASSIGN staff1@example.test"
arrived
at 1
waitsubj staff1 'REF-000003\] Now yours' 1
check "ASSIGN by address hands REF-3 to staff1, told in English" [ "$(owner 3)/$(nsubj staff1 'REF-000003\] Now yours')" = "staff1@example.test/1" ]

# SLA reminders: each to its owner only; escalations to the manager.
at $((25 * H))
waitsubj staff1 'REF-000003\] Reminder' 1 && waitsubj staff2 'リマインダー' 2
check "staff2 is reminded of REF-1 and REF-2, in Japanese" [ "$(nsubj staff2 'REF-00000[12]\] リマインダー')" = 2 ]
check "staff1 is reminded of REF-3 only" [ "$(nsubj staff1 'Reminder')/$(nsubj staff1 'REF-000003\] Reminder')" = 1/1 ]
check "nobody else is reminded" [ "$(nsubj staff2 'REF-000003\] リマインダー')$(nsubj boss 'REF')" = 00 ]
at $((49 * H))
waitsubj boss 'Escalation' 3
check "the manager gets the three escalations" [ "$(nsubj boss 'Escalation')" = 3 ]
check "owners get no escalation" [ "$(nsubj staff1 'Escalation')$(nsubj staff2 'エスカレーション')" = 00 ]

# Stalls: REF-1 CONTACTED at 50 h; CONTACTED stalls after 7 days.
send --from staff2 --to "$(reply_to staff2 'REF-000001\] 担当')" --subject "Re: [REF-000001]" --body "CONTACTED"
arrived
at $((50 * H))
at $((50 * H + 6 * D))
sleep 1
check "no nudge within the first 7 days" [ "$(nsubj staff2 'CONTACTED のまま')" = 0 ]
at $((50 * H + 7 * D + H))
check "after 7 days the owner is nudged, in Japanese" waitsubj staff2 'REF-000001\] CONTACTED のまま 7 日' 1
at $((50 * H + 7 * D + 2 * H))
at $((50 * H + 13 * D))
sleep 1
check "once per period, across restarts" [ "$(nsubj staff2 'CONTACTED のまま')" = 1 ]
check "staff1 and the manager are not nudged yet" [ "$(nsubj staff1 'Still CONTACTED')$(nsubj boss 'Stalled')" = 00 ]
at $((50 * H + 14 * D + H))
at $((50 * H + 14 * D + 2 * H))
waitsubj boss 'Stalled' 1
sleep 1
check "the second period: the owner again, once" [ "$(nsubj staff2 'CONTACTED のまま')" = 2 ]
check "and the manager is told, once" [ "$(nsubj boss 'REF-000001\] Stalled: CONTACTED for 14 days')" = 1 ]
check "the history records each note" [ "$(rb referral show 1 --format json | pyjson '[h["detail"] for h in j["history"] if h["event"] == "stall-note"]')" = "['owner, 7 days in CONTACTED', 'owner, 14 days in CONTACTED', 'manager, 14 days in CONTACTED']" ]
check "no partner hears of it within 30 days" [ "$(nsubj partner1 'Still in progress')$(nsubj partner2 'Still in progress')" = 00 ]

# A month after: each open referral's partner hears it is in progress.
at $((31 * D))
waitsubj partner2 'Still in progress' 1
sleep 1
check "the partners heard it is still in progress, once a referral" [ "$(nsubj partner1 'REF-00000[13]\] Still in progress')/$(nsubj partner2 'REF-000002\] Still in progress')" = 2/1 ]
at $((40 * D))
at $((45 * D))
sleep 1
check "and not again within 30 days, across restarts" [ "$(nsubj partner1 'Still in progress')/$(nsubj partner2 'Still in progress')" = 2/1 ]
check "each note is recorded once" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from stall_notes where kind = 'partner'")" = 3 ]

# An upgrade: a database whose referrals stalled before stall notes
# existed (no start recorded, no notes) does not send them all at once;
# each is nudged when its next period begins.
sleep 1
n0=$(nsubj staff2 'CONTACTED のまま')
sqlite3 "$SB/refbot.db" "delete from settings where key = 'stall.start';
	delete from stall_notes where kind <> 'partner'"
at $((45 * D + H))
sleep 1
check "after an upgrade, old stalls are not all nudged at once" [ "$(nsubj staff2 'CONTACTED のまま')" = "$n0" ]
at $((50 * H + 49 * D + H))
check "... but when their next period begins" waitsubj staff2 'CONTACTED のまま' $((n0 + 1))

finish
