#!/bin/bash
# The partner registry: add with a whole domain, show, set, import a CSV,
# deactivate; mail from a colleague at a partner's domain is theirs; mail
# from a deactivated partner is treated as from a stranger.
export SANDBOX_EXTRA_USERS="stranger colleague"
. "$(dirname "$0")/lib.sh"
sandbox_start
rb init >/dev/null

check "add with options" rb partner add partner1@example.test --name "Partner One" \
	--lang ja --tier 1 --terms percent --rate 12.5% --domain partner-one.example
show=$(rb partner show partner1@example.test --format json)
check "show gives the stored terms" [ "$(echo "$show" | pyjson '(j["name"], j["lang"], j["tier"], j["rate_bp"], j["domains"])')" = "('Partner One', 'ja', 1, 1250, 'partner-one.example')" ]
check "set changes only what is given" rb partner set 1 --tier 2 --newsletter off
check "the change is stored" [ "$(rb partner show 1 --format json | pyjson '(j["tier"], j["newsletter"], j["rate_bp"])')" = "(2, False, 1250)" ]
check "bad values are refused with a reason" bash -c "'$REFBOT' --config '$CONF' partner set 1 --tier 9 2>&1 | grep -q 'must be 1'"
rb partner set 1 --tier 9 >/dev/null 2>&1
check "and exit 64" [ $? -eq 64 ]

printf 'email,name,lang,domains,tier,terms,rate\npartner2@example.test,"Two, KK",en,,3,flat,\n"colleague@example.test",Colleague Firm,auto,,2,percent,15%%\nnot-an-address,Broken,en,,3,percent,\n' >"$SB/p.csv"
rb partner import "$SB/p.csv" >"$SB/import.out" 2>&1
check "import reports the bad line by number" grep -q "p.csv:4: partner not added" "$SB/import.out"
check "and imports the good ones" [ "$(rb partner list --format json | pyjson 'len(j)')" = 3 ]
check "quoted CSV names survive" [ "$(rb partner show partner2@example.test --format json | pyjson 'j["name"]')" = "Two, KK" ]

# A whole domain identifies the firm: mail from another address there is theirs.
rb partner set partner2@example.test --domain example.test >/dev/null
sed 's/partner1@example.test/stranger@example.test/' "$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/colleague.eml"
"$MAILTOOL" send --env "$SB/env" --from stranger --to intake --eml "$SB/colleague.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "a colleague at the partner's domain is credited to the firm" \
	[ "$(rb referral list --format json | pyjson 'j[0]["partner"] if j else None')" = "Two, KK" ]

rb partner deactivate partner2@example.test >/dev/null
rb partner set partner2@example.test --domain "" >/dev/null 2>&1
check "deactivate" [ "$(rb partner show partner2@example.test --format json | pyjson 'j["active"]')" = False ]
sed 's/plain-en@partner.example/plain-en-2@partner.example/; s/partner1@example.test/partner2@example.test/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/p2.eml"
"$MAILTOOL" send --env "$SB/env" --from partner2 --to intake --eml "$SB/p2.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "a deactivated partner's mail is not a referral" [ "$(rb referral list --format json | pyjson 'len(j)')" = 1 ]
check "they are told how to become a partner" [ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where disposition = 'unknown-sender'")" -ge 1 ]

# Issue 14: a name that is not UTF-8 (typed in another charset, or a
# CSV from a legacy system) reaches the Subject of the staff notice; the
# encoder once looped forever on a long run of such bytes.
bad=$(printf 'Bad\xff \xc0\xaf %s end' "$(head -c 60 /dev/zero | tr '\0' '\200')")
check "a name with invalid UTF-8 is stored" rb partner set partner1@example.test --name "$bad"
before=$("$MAILTOOL" count --env "$SB/env" --user staff1)
sed 's/plain-en@partner.example/plain-en-bad-name@partner.example/; s/^Client: .*/Client: Bad Name KK/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/badname.eml"
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$SB/badname.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
timeout -k 5 60 "$REFBOT" --config "$CONF" run --once 2>>"$SB/run.log"
rc=$?
check "the run with that name finishes (exit $rc)" [ "$rc" -eq 0 ]
"$MAILTOOL" wait --env "$SB/env" --user staff1 --count $((before + 1)) --timeout 20 >/dev/null
subj=$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json |
	pyjson '[m["headers"]["Subject"] for m in j if "Bad Name KK" in (m["headers"]["Subject"] or "")]')
diag "staff notice subject: $subj"
check "staff hear of it, the bad bytes shown as U+FFFD" grep -q "Bad"$'\xef\xbf\xbd' <<<"$subj"

# --- partner set --email: the firm's address replaced (#19, gap 5) ----
rb partner add old.addr@moving.example --name "Moving KK" >/dev/null
pid=$(rb partner show old.addr@moving.example --format json | pyjson 'j["id"]')
out=$(rb partner set old.addr@moving.example --email New.Addr@moving.example 2>&1)
check "set --email replaces the main address, and says what became of the old" grep -q "main address new.addr@moving.example (was old.addr@moving.example" <<<"$out"
check "the partner is found by the new address" [ "$(rb partner show new.addr@moving.example --format json | pyjson 'j["id"]')" = "$pid" ]
rb partner show old.addr@moving.example >/dev/null 2>&1
check "and no longer by the old one" [ $? -ne 0 ]
check "its contacts: the new address as main, the old gone" [ "$(rb partner contact list "$pid" --format json | pyjson '",".join(c["email"] + ":" + c["role"] for c in j)')" = "new.addr@moving.example:main" ]
out=$(rb forget old.addr@moving.example 2>&1)
check "forget of the old address now works" [ $? -eq 0 ]
rb forget new.addr@moving.example >/dev/null 2>&1
check "forget of the new one is refused, as a partner's address" [ $? -ne 0 ]
out=$(rb partner set "$pid" --email partner2@example.test 2>&1)
check "another partner's address is refused" bash -c '[ "$1" -ne 0 ] && grep -q "already a contact of partner" <<<"$2"' _ $? "$out"
rb partner set "$pid" --email not-an-address >/dev/null 2>&1
check "an invalid address is refused" [ $? -ne 0 ]
check "and after both the address is unchanged" [ "$(rb partner show "$pid" --format json | pyjson 'j["email"]')" = new.addr@moving.example ]
rb partner set "$pid" --email other.addr@moving.example --tier 1 >/dev/null
check "--email with other options sets both" [ "$(rb partner show "$pid" --format json | pyjson 'j["email"] + "/" + str(j["tier"])')" = other.addr@moving.example/1 ]

finish
