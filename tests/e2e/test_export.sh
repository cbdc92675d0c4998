#!/bin/bash
# Issue 19 item 3: export for a CRM.  Referrals with Japanese text,
# commas, quotes and newlines in their fields export as RFC 4180 CSV
# (with a BOM when asked) that Python's csv module reads back to exactly
# the values of the JSON export; NDJSON is one object a line; a column
# map renames and picks columns; the history export has a row per
# history entry; and incremental export (--changed-since the stamp the
# last export printed) returns a changed referral exactly once.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One, Ltd." >/dev/null
rb partner add partner2@example.test --name "パートナー二" --lang ja >/dev/null
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml" >/dev/null
sed 's/partner1@example.test/partner2@example.test/' \
	"$REFBOT_SRC/tests/data/ja-iso2022jp.eml" >"$SB/ja.eml"
"$MAILTOOL" send --env "$SB/env" --from partner2 --to intake --eml "$SB/ja.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 2 --timeout 20 >/dev/null
rb run --once 2>"$SB/run.log"
check "two referrals" [ "$(rb referral list --format json | pyjson 'len(j)')" = 2 ]
tricky=$'Line one, with "quotes", commas\nline two: 日本語、「引用」\r\nline three'
rb referral amend REF-000001 --field "challenge=$tricky" --note "for the export test" >/dev/null 2>&1
check "a field holds commas, quotes, newlines and Japanese" [ "$(rb referral show REF-000001 --format json | pyjson 'j["fields"]["challenge"]')" = "$tricky" ]

# stamp FILE: the stamp an export printed on stderr.
stamp() { sed -n 's/.*next stamp: \([0-9]*\)$/\1/p' "$1"; }
rb export referrals --format csv --bom >"$SB/all.csv" 2>"$SB/csv.err"
check "export referrals --format csv exits 0" [ $? -eq 0 ]
rb export referrals --format json >"$SB/all.json" 2>"$SB/json.err"
check "export referrals --format json exits 0" [ $? -eq 0 ]
check "the CSV starts with a UTF-8 BOM" [ "$(head -c3 "$SB/all.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
check "the CSV's lines end CRLF (RFC 4180)" bash -c '[ "$(head -1 "$1" | tail -c2 | od -An -tx1 | tr -d " ")" = 0d0a ]' _ "$SB/all.csv"
check "csv and json round-trip to the same records" /usr/bin/python3 - "$SB/all.csv" "$SB/all.json" "$tricky" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
objs = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(rows) == 2 == len(objs), (len(rows), len(objs))
for r, o in zip(rows, objs):
    assert list(r) == list(o), (list(r), list(o))
    for k in r:
        want = "" if o[k] is None else str(o[k])
        assert r[k] == want, (k, r[k], want)
one, two = rows
assert one["ref"] == "REF-000001" and one["client"] == "Acme Widgets Ltd", one
assert one["challenge"] == sys.argv[3], repr(one["challenge"])
assert one["partner"] == "Partner One, Ltd.", one["partner"]
assert two["client"] == "株式会社サンプル" and two["partner"] == "パートナー二", two
assert one["status"] == "NEW" and one["new_at"] and not one["won_at"], one
for col in ("contact_email", "service", "budget", "received_at", "commission", "change"):
    assert col in one, col
PY
rb export referrals --format ndjson >"$SB/all.ndjson" 2>/dev/null
check "ndjson is one JSON object a line, the same records" /usr/bin/python3 - "$SB/all.ndjson" "$SB/all.json" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "" and len(lines) == 3, lines
assert [json.loads(l) for l in lines[:-1]] == json.load(open(sys.argv[2]))
PY

rb export referrals --map "$REFBOT_SRC/doc/export-hubspot.map" >"$SB/hubspot.csv" 2>/dev/null
check "a column map names and orders the columns as the CRM imports them" /usr/bin/python3 - "$SB/hubspot.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
assert rows[0][:4] == ["Deal Name", "Deal Stage", "Create Date", "Close Date"], rows[0]
assert rows[1][0] == "REF-000001" and "Company Name" in rows[0]
assert rows[1][rows[0].index("Company Name")] == "Acme Widgets Ltd"
PY
rb export referrals --map "$REFBOT_SRC/doc/export-salesforce.map" >/dev/null 2>&1
check "the Salesforce example map is valid" [ $? -eq 0 ]
printf 'no_such_column = X\n' >"$SB/bad.map"
rb export referrals --map "$SB/bad.map" >/dev/null 2>"$SB/bad.err"
check "a map naming an unknown column is refused, with its line" bash -c '[ "$1" -ne 0 ] && grep -q "bad.map:1:.*no_such_column" "$2"' _ $? "$SB/bad.err"

# ------------------------------------------------ incremental export
s1=$(stamp "$SB/csv.err")
check "the export printed a stamp" [ -n "$s1" ]
n() { rb export referrals --format json --changed-since "$1" 2>"$SB/inc.err" | pyjson '",".join(r["ref"] for r in j)'; }
check "nothing changed since that stamp: an empty export" [ "$(n "$s1")" = "" ]
rb referral set-status REF-000002 CONTACTED >/dev/null 2>&1
check "a changed referral is in the next export" [ "$(n "$s1")" = REF-000002 ]
s2=$(stamp "$SB/inc.err")
check "and not in the one after it" [ "$(n "$s2")" = "" ]
check "its CONTACTED date is exported" [ "$(rb export referrals --format json --changed-since "$s1" 2>/dev/null | pyjson 'bool(j[0]["contacted_at"]) and j[0]["status"] == "CONTACTED"')" = True ]
rb referral set-status REF-000001 CONTACTED >/dev/null 2>&1
rb referral set-status REF-000001 MEETING >/dev/null 2>&1
check "two changes to one referral: it appears once" [ "$(n "$s2")" = REF-000001 ]
s3=$(stamp "$SB/inc.err")
check "the stamp only grows" [ "$s3" -gt "$s2" ] && [ "$s2" -gt "$s1" ]

# ------------------------------------------------ history
rb export history --format csv >"$SB/hist.csv" 2>"$SB/hist.err"
check "export history: one row per history entry" /usr/bin/python3 - "$SB/hist.csv" "$(sqlite3 "$SB/refbot.db" 'select count(*) from history')" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
assert len(rows) == int(sys.argv[2]), (len(rows), sys.argv[2])
moves = [(r["ref"], r["from_status"], r["to_status"]) for r in rows]
assert ("REF-000001", "CONTACTED", "MEETING") in moves, moves
assert ("REF-000002", "NEW", "CONTACTED") in moves, moves
PY
check "history since the last stamp: only the newer entries" [ "$(rb export history --format json --changed-since "$s2" 2>/dev/null | pyjson '",".join(r["to_status"] for r in j)')" = CONTACTED,MEETING ]


# ------------------------------------------------ --csv-safe (#19, gap 7)
formula='=HYPERLINK("http://evil.example/","click")'
for f in "challenge=$formula" "context=@SUM(A1)" "promises=+81 3 1234 5678"; do
	rb referral amend REF-000002 --field "$f" --note "formula test" >/dev/null 2>&1
done
rb export referrals --format csv >"$SB/plain.csv" 2>/dev/null
rb export referrals --format csv --csv-safe >"$SB/safe.csv" 2>/dev/null
check "export --csv-safe exits 0" [ $? -eq 0 ]
check "by default cells are exported as they are (a CRM import gets the data)" /usr/bin/python3 - "$SB/plain.csv" "$formula" <<'PY'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))[1]
assert r["challenge"] == sys.argv[2] and r["context"] == "@SUM(A1)", r
assert r["promises"] == "+81 3 1234 5678", r["promises"]
PY
check "--csv-safe: cells starting with = + - @ get a leading quote, the rest unchanged" /usr/bin/python3 - "$SB/safe.csv" "$formula" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
r = rows[1]
assert r["challenge"] == "'" + sys.argv[2], r["challenge"]
assert r["context"] == "'@SUM(A1)" and r["promises"] == "'+81 3 1234 5678", r
assert r["client"] == "株式会社サンプル" and rows[0]["ref"] == "REF-000001", r
assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for v in row.values()), rows
PY
check "and quotes them on the wire" grep -q '"'"'"'=HYPERLINK(""http' "$SB/safe.csv"
rb export referrals --format json --csv-safe >/dev/null 2>&1
check "--csv-safe with another format is refused" [ $? -ne 0 ]

# ------------------------------------------------ change numbers (#21)
# A transaction's changes share one change number: a new referral's row,
# fields and history stored together, and changes made one at a time by
# any writer (refbot or the sqlite3 shell), each reach the next export.
# s: a fresh stamp; h SINCE: the refs of history rows changed since.
s() { rb export referrals --format json >/dev/null 2>"$SB/s.err"; stamp "$SB/s.err"; }
h() { rb export history --format json --changed-since "$1" 2>/dev/null | pyjson '",".join(r["ref"] + ":" + r["event"] for r in j)'; }
s4=$(s)
sed 's/^Message-ID: <ja-/Message-ID: <again-ja-/' "$SB/ja.eml" >"$SB/ja2.eml"
"$MAILTOOL" send --env "$SB/env" --from partner2 --to intake --eml "$SB/ja2.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "a referral stored with its fields and history in one transaction is exported" [ "$(n "$s4")" = REF-000003 ]
check "... and its history row" [ "$(h "$s4")" = REF-000003:received ]
check "the transaction's shared number is not left on" [ "$(sql 'select once from change_counter')" = 0 ]
s5=$(s)
sql "update referral_fields set value = 'v5' where referral_id = 1 and key = 'challenge'"
check "a field changed alone is exported" [ "$(n "$s5")" = REF-000001 ]
s6=$(s)
sql "insert into history (referral_id, at, actor, event) values (2, 1, 'shell', 'NOTE')"
check "a history row written alone is exported, with its referral" bash -c '[ "$1" = REF-000002 ] && [ "$2" = REF-000002:NOTE ]' _ "$(n "$s6")" "$(h "$s6")"
s7=$(s)
sql "insert into referrals (partner_id, status, created_at, updated_at) values (1, 'NEW', strftime('%s'), strftime('%s'))"
check "a referral inserted alone is exported" [ "$(n "$s7")" = REF-000004 ]
s8=$(s)
sql "begin; update referral_fields set value = 'v8' where referral_id = 1 and key = 'challenge';
insert into history (referral_id, at, actor, event) values (2, 1, 'shell', 'NOTE8');
insert into referrals (partner_id, status, created_at, updated_at) values (1, 'NEW', strftime('%s'), strftime('%s')); commit"
check "a field change, a history row and a referral insert in one transaction are exported" [ "$(n "$s8")" = REF-000001,REF-000002,REF-000005 ]
check "... the history row too" [ "$(h "$s8")" = REF-000002:NOTE8 ]
s9=$(s)
rb referral amend REF-000003 --field "challenge=again" --note "amended" >/dev/null 2>&1
check "an amendment after them is exported alone" [ "$(n "$s9")" = REF-000003 ]
check "the stamps only grew" bash -c '[ "$1" -gt "$2" ] && [ "$2" -gt "$3" ] && [ "$3" -gt "$4" ] && [ "$4" -gt "$5" ] && [ "$5" -gt "$6" ]' _ "$s9" "$s8" "$s7" "$s6" "$s5" "$s4"

# A database from the refbot before shared numbers (made with the fault
# point schema-stop:N), with a referral, then opened by this refbot: its
# triggers are a fresh database's, and a change still numbers the
# referral above the stamp.
if "$REFBOT" --version | grep -q "fault injection"; then
	sed "s|$SB/refbot.db|$SB/old.db|" "$CONF" >"$SB/old.conf"
	# Version 40 brought shared numbers (bot/db_schema.c).
	REFBOT_FAULT="schema-stop:39" "$REFBOT" --config "$SB/old.conf" init >/dev/null 2>&1
	old() { sqlite3 "$SB/old.db" "$1"; }
	old "insert into partners (id, name, email, created_at) values (1, 'Old KK', 'old@example.test', 1000);
	insert into referrals (id, partner_id, status, created_at, updated_at) values (1, 1, 'NEW', 1000, 1000)"
	os=$(old "select n from change_counter")
	"$REFBOT" --config "$SB/old.conf" init >/dev/null 2>&1
	trig="select name || ':' || sql from sqlite_master where type = 'trigger' order by name"
	check "a migrated database has a fresh one's change triggers" [ "$(old "$trig")" = "$(sql "$trig")" ]
	old "insert into referral_fields (referral_id, key, value) values (1, 'k', 'v')"
	check "... and a field change numbers its referral above the old stamp" [ "$(old "select change_seq > $os and once = 0 from referrals, change_counter where id = 1")" = 1 ]
fi

finish
