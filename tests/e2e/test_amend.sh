#!/bin/bash
# Issue 16 items 1 and 2: the ledger is append-only.  WON -> REOPEN -> WON
# leaves one net commission (the reopen writes a reversal and the partner
# is told why, in their language); a payout then a reversal is a negative
# balance, said plainly; AMEND (by staff reply, 訂正, or the CLI) reverses
# and books anew, with who and why in the history and the corrected
# figure mailed to the partner; "referral set-status" is the keyword path.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" --rate 10% >/dev/null
rb partner add partner2@example.test --name "パートナー二" --lang ja --rate 10% >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
run_once() { wait_for intake 1; rb run --once 2>>"$SB/run.log"; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
refer() {	# partner N
	send --from "$1" --to intake --subject "Referral $2" \
		--body $'Client: Amend Client '"$2"$' KK\nContact name: C'"$2"$'\nContact email: c'"$2"$'@amend'"$2"$'.example\nService needed: Audit\nChallenge: Close\nClient aware: yes\n'
}
refer partner1 1
refer partner2 2
refer partner1 3
refer partner1 4
wait_for intake 4
rb run --once 2>>"$SB/run.log"
wait_for staff1 4
notes=$(fetch staff1)
staff() {	# N BODY: staff1 replies to REF-00000N's notification
	local to
	to=$(echo "$notes" | pyjson "[m for m in j if 'REF-00000$1' in m['headers']['Subject']][0]['headers']['Reply-To'].strip('<>')")
	send --from staff1 --to "$to" --subject "Re: [REF-00000$1]" --body "$2"
	run_once
}
status() { rb referral show "REF-00000$1" --format json | pyjson 'j["status"]'; }
win() { sql "select coalesce(sum(amount), 0) from ledger where referral_id = $1 and kind <> 'payout'"; }
mails() { fetch "$1" | pyjson "json.dumps([m for m in j if '$2' in m['headers']['Subject']], ensure_ascii=False)"; }

# --- item 1: WON, a partial payment, REOPEN, WON again -----------------
staff 1 "WON 1,000,000"
check "WON books 10%" [ "$(win 1)" = 100000 ]
check "the earned entry is tied to the WON history row" \
	[ "$(sql "select h.event from ledger l join history h on h.id = l.history_id where l.kind = 'earned'")" = WON ]
rb payout add partner1@example.test 40,000 --ref REF-000001 >/dev/null
lg=$(rb ledger --partner partner1@example.test)
check "a partial payment is shown as partly paid" grep -q "REF-000001: commission ¥100,000, paid ¥40,000, outstanding ¥60,000 (partly paid)" <<<"$lg"
check "the payout is in the referral's history" \
	[ "$(rb referral show REF-000001 --format json | pyjson '[h["event"] for h in j["history"]][-1]')" = PAYOUT ]
check "a payout against another partner's referral is refused" \
	bash -c '! "$0" --config "$1" payout add partner2@example.test 1000 --ref REF-000001 2>/dev/null' "$REFBOT" "$CONF"

staff 1 "REOPEN"
check "REOPEN reopens" [ "$(status 1)" = NEW ]
check "REOPEN of a WON writes a reversal" [ "$(sql "select amount, note from ledger where kind = 'reversal' and referral_id = 1")" = "-100000|REOPEN" ]
check "the referral's commission is back to zero" [ "$(win 1)" = 0 ]
check "the reversal is tied to the REOPEN history row" \
	[ "$(sql "select h.event from ledger l join history h on h.id = l.history_id where l.kind = 'reversal'")" = REOPEN ]
lg=$(rb ledger --partner partner1@example.test)
check "paid before the reversal: a negative balance, said plainly" grep -q "Partner One: commission ¥0, paid ¥40,000, balance -¥40,000 (paid more than earned" <<<"$lg"
check "partner show gives the negative balance" \
	[ "$(rb partner show partner1@example.test --format json | pyjson 'j["balance"]')" = -40000 ]
check "... in words too" grep -q "balance -¥40,000 (paid more than earned" <<<"$(rb partner show partner1@example.test)"
check "the partner is told of the reversal" wait_for partner1 5
rev=$(mails partner1 "Commission update")
check "one reversal mail, saying why and how much" \
	[ "$(echo "$rev" | pyjson 'len(j) == 1 and "no longer counted as signed" in j[0]["text"] and "¥100,000" in j[0]["text"] and "reversed" in j[0]["text"]')" = True ]

staff 1 "WON 1,000,000"
check "WON again books anew: exactly one net commission" [ "$(win 1)" = 100000 ]
check "as entries: earned, reversal, earned" [ "$(sql "select group_concat(kind) from (select kind from ledger where referral_id = 1 and kind <> 'payout' order by id)")" = "earned,reversal,earned" ]
check "partner show: 100,000 earned, 40,000 paid, 60,000 balance" \
	[ "$(rb partner show partner1@example.test --format json | pyjson '(j["commission_earned"], j["paid"], j["balance"])')" = "(100000, 40000, 60000)" ]
check "the ledger is append-only: no edits" bash -c '! sqlite3 "$0" "update ledger set amount = 0" 2>/dev/null' "$SB/refbot.db"
check "the ledger is append-only: no deletes" bash -c '! sqlite3 "$0" "delete from ledger" 2>/dev/null' "$SB/refbot.db"
check "... and nothing changed" [ "$(win 1)" = 100000 ]

# A Japanese partner is told in Japanese.
staff 2 "成約 500万円"
staff 2 "再開"
wait_for partner2 3
rev=$(mails partner2 "紹介手数料")
check "the reversal mail is in the partner's language" \
	[ "$(echo "$rev" | pyjson 'len(j) == 1 and "取り消しました" in j[0]["text"] and "¥500,000" in j[0]["text"]')" = True ]
staff 2 "成約 500万円"

# --- item 2: AMEND by staff reply, 訂正, and the CLI -------------------
staff 3 "AMEND 1,200,000"
check "AMEND before WON is refused" [ "$(sql "select count(*) from ledger where referral_id = 3")" = 0 ]
check "... and the staff member is told" [ "$(sql "select disposition from messages order by id desc limit 1")" = staff-error ]

staff 2 $'訂正 600万円 桁の誤り\n先方の発注書で確認しました。'
check "訂正 reverses and books the corrected commission" \
	[ "$(sql "select group_concat(amount) from (select amount from ledger where referral_id = 2 and note = 'AMEND' order by id)")" = "-500000,600000" ]
check "the referral's commission is the corrected one" [ "$(win 2)" = 600000 ]
check "revenue is the corrected amount" [ "$(sql "select won_amount from referrals where id = 2")" = 6000000 ]
check "history records who and why, and the old figure" \
	[ "$(rb referral show REF-000002 --format json | pyjson '[(h["actor"], h["detail"]) for h in j["history"] if h["event"] == "AMEND"][0]')" = "('staff1@example.test', '¥6,000,000 (was ¥5,000,000) 桁の誤り')" ]
wait_for partner2 5
cor=$(mails partner2 "金額訂正")
check "the partner gets the corrected figure, in Japanese" \
	[ "$(echo "$cor" | pyjson 'len(j) == 1 and "¥6,000,000" in j[0]["text"] and "¥500,000 でしたが" in j[0]["text"] and "¥600,000" in j[0]["text"] and "先方の発注書で確認しました。" in j[0]["text"]')" = True ]

out=$(rb referral amend REF-000001 --amount 1,200,000 --note "the signed figure was wrong")
check "referral amend --amount says what it did" grep -q "REF-000001 AMEND: WON -> WON" <<<"$out"
check "CLI AMEND reverses and books anew" [ "$(win 1)" = 120000 ]
check "CLI AMEND history: the user at the keyboard and why" \
	[ "$(rb referral show REF-000001 --format json | pyjson '[(h["actor"].startswith("cli:"), h["detail"]) for h in j["history"] if h["event"] == "AMEND"][0]')" = "(True, '¥1,200,000 (was ¥1,000,000) the signed figure was wrong')" ]
rb run --once 2>>"$SB/run.log"
check "the partner is mailed the corrected figure" wait_for partner1 7
cor=$(mails partner1 "corrected")
check "... with the old and new commission and the why" \
	[ "$(echo "$cor" | pyjson 'len(j) == 1 and "¥1,200,000" in j[0]["text"] and "was ¥100,000" in j[0]["text"] and "now ¥120,000" in j[0]["text"] and "the signed figure was wrong" in j[0]["text"]')" = True ]
rb referral amend REF-000001 --field "service=Tax advice" --note "partner phoned" >/dev/null
check "amend --field corrects a template field" [ $? = 0 ]
check "... recorded with why" [ "$(rb referral show REF-000001 --format json | pyjson 'j["fields"]["service"] + "|" + [h["detail"] for h in j["history"] if h["event"] == "AMEND"][-1]')" = "Tax advice|service corrected: partner phoned" ]
# A field a role names (the client) is derived again, keys and all.
c1=$(sql "select client from referrals where id = 1")
c2=$(sql "select client from referrals where id = 2")
rb referral amend REF-000001 --field "client=Renamed Holdings KK" >/dev/null
check "amend --field client= changes the referral's client and its key" \
	[ "$(sql "select client || '|' || (client_key like 'renamed%holdings%') from referrals where id = 1")" = "Renamed Holdings KK|1" ]
out=$(rb referral amend REF-000002 --field "client=Renamed Holdings KK")
check "... and staff hear when it now matches an earlier referral" grep -q "now matches REF-000001" <<<"$out"
rb referral amend REF-000002 --field "client=$c2" >/dev/null
rb referral amend REF-000001 --field "client=$c1" >/dev/null
check "... and back: the names as they were" \
	[ "$(sql "select group_concat(client, '|') from (select client from referrals where id in (1, 2) order by id)")" = "$c1|$c2" ]
check "amend of an unknown field is refused" bash -c '! "$0" --config "$1" referral amend REF-000001 --field nosuch=1 2>/dev/null' "$REFBOT" "$CONF"
# Two --field options: refused, not the last one applied in silence.
before=$(sql "select group_concat(key || '=' || value, '|') from referral_fields where referral_id = 1")
check "amend with two --field is refused, saying one at a time" bash -c '"$0" --config "$1" referral amend REF-000001 --field "service=Audit" --field "client=Other KK" 2>&1 >/dev/null | grep -q "takes one --field"; [ "${PIPESTATUS[0]}" = 64 ]' "$REFBOT" "$CONF"
check "... and changes no field" [ "$(sql "select group_concat(key || '=' || value, '|') from referral_fields where referral_id = 1")" = "$before" ]

# --- item 2: set-status is the keyword path ----------------------------
staff 4 $'CONTACTED\nWe called them today.'
out=$(rb referral set-status REF-000003 CONTACTED --note "We called them today.")
check "set-status moves it" [ "$(status 3)" = CONTACTED ]
check "set-status history names the CLI user" \
	[ "$(rb referral show REF-000003 --format json | pyjson '[h["actor"].startswith("cli:") for h in j["history"] if h["event"] == "CONTACTED"][0]')" = True ]
rb run --once 2>>"$SB/run.log"
wait_for partner1 9
box=$(fetch partner1)
same() { echo "$box" | pyjson "[m['headers']['Subject'] + m['text'] for m in j if 'REF-00000$1' in m['headers']['Subject'] and 'contacted' in m['headers']['Subject']][0].replace('REF-00000$1', 'REF').replace('Client $1', 'Client N')"; }
check "set-status sends the same partner mail as the keyword" [ "$(same 3)" = "$(same 4)" ]
check "set-status refuses what the state machine refuses" \
	bash -c '! "$0" --config "$1" referral set-status REF-000003 REOPEN 2>/dev/null' "$REFBOT" "$CONF"
check "... and changes nothing" [ "$(status 3)" = CONTACTED ]
check "set-status WON needs the amount, as the keyword does" \
	bash -c '! "$0" --config "$1" referral set-status REF-000003 WON 2>/dev/null' "$REFBOT" "$CONF"
rb referral set-status REF-000003 WON 2,000,000 >/dev/null
check "set-status WON books the commission" [ "$(win 3)" = 200000 ]
rb referral set-status REF-000003 LOST --note "client withdrew" 2>/dev/null
check "set-status LOST from WON is refused" [ "$(status 3)" = WON ]
rb referral set-status REF-000003 REOPEN >/dev/null
check "set-status REOPEN reverses it" [ "$(win 3)" = 0 ]
rb run --once 2>>"$SB/run.log"
wait_for partner1 11
check "... and the partner is told" [ "$(mails partner1 "REF-000003] Commission update" | pyjson 'len(j)')" = 1 ]

# An adjustment by hand: which way, why, against the partner's referral.
check "an adjustment needs a why" \
	bash -c '! "$0" --config "$1" ledger adjust partner2@example.test --debit 50,000 2>/dev/null' "$REFBOT" "$CONF"
rb ledger adjust partner2@example.test --debit 50,000 --note "goodwill share" --ref REF-000002 >/dev/null
check "an adjustment is its own entry, tied to the referral's history" \
	[ "$(sql "select l.amount, h.event, h.detail from ledger l join history h on h.id = l.history_id where l.kind = 'adjustment'")" = "-50000|ADJUSTMENT|-¥50,000 adjusted: goodwill share" ]
check "... and counts in the balance" \
	[ "$(rb partner show partner2@example.test --format json | pyjson 'j["balance"]')" = 550000 ]

# --- the migration: an existing database's ledger becomes typed ---------
# A database as the refbot before the typed ledger left it (made with the
# fault point schema-stop:N, so later migrations still run after it), with
# "commission" lines, then opened by this refbot.
if "$REFBOT" --version | grep -q "fault injection"; then
	sed "s|$SB/refbot.db|$SB/old.db|" "$CONF" >"$SB/old.conf"
	# The first schema version with ledger.history_id is the typed ledger.
	typed=0
	for v in $(seq 1 "$(sqlite3 "$SB/refbot.db" "pragma user_version")"); do
		rm -f "$SB/old.db"
		REFBOT_FAULT="schema-stop:$v" "$REFBOT" --config "$SB/old.conf" \
		    init >/dev/null 2>&1
		if sqlite3 "$SB/old.db" "select history_id from ledger" \
		    >/dev/null 2>&1; then
			typed=$v
			break
		fi
	done
	rm -f "$SB/old.db"
	REFBOT_FAULT="schema-stop:$((typed - 1))" "$REFBOT" \
	    --config "$SB/old.conf" init >/dev/null 2>&1
	sqlite3 "$SB/old.db" "
	insert into partners (id, name, email, created_at)
	    values (1, 'Old KK', 'old@example.test', 1000);
	insert into referrals (id, partner_id, status, created_at, updated_at,
	    won_amount) values (1, 1, 'WON', 1000, 3000, 1000000),
	    (2, 1, 'WON', 1000, 4000, 500000);
	insert into history (id, referral_id, at, actor, event, from_status,
	    to_status) values (1, 1, 2000, 's', 'CONTACTED', 'NEW', 'CONTACTED'),
	    (2, 1, 3000, 's', 'WON', 'CONTACTED', 'WON'),
	    (3, 2, 4000, 's', 'WON', 'NEW', 'WON');
	insert into ledger (partner_id, referral_id, kind, amount, note,
	    created_at) values (1, 1, 'commission', 100000, 'WON', 3000),
	    (1, NULL, 'payout', 60000, 'bank', 3500),
	    (1, 2, 'commission', 50000, 'WON', 4000);"
	"$REFBOT" --config "$SB/old.conf" init >/dev/null 2>&1
fi
old() { sqlite3 "$SB/old.db" "$1"; }
check "the migration makes commission lines earned entries" \
	[ "$(old "select group_concat(kind) from (select kind from ledger order by id)")" = "earned,payout,earned" ]
check "... tied to the WON history rows they were written with" \
	[ "$(old "select group_concat(l.history_id) from ledger l join history h on h.id = l.history_id where l.kind = 'earned' and h.event = 'WON'")" = "2,3" ]
check "... and the old ledger is append-only too" bash -c '! sqlite3 "$0" "update ledger set amount = 0" 2>/dev/null' "$SB/old.db"
check "... and the migrated database is at this refbot's schema version" \
	[ "$(old "pragma user_version")" = "$(sqlite3 "$SB/refbot.db" "pragma user_version")" ]

finish
