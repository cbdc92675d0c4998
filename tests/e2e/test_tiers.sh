#!/bin/bash
# Tiers by quality as well as volume (issue 20 item 2): with rows in
# templates/tiers.txt a won referral earns the best row its partner meets
# — by this year's count, or by conversion (won / closed) — and the
# ledger entry records the row; without rows tier_rates works as before.
# "partner show" says which tier applies and what would raise it; a
# broken tiers file stops the start and doctor with its file and line;
# partners with their own terms keep them.
export SANDBOX_EXTRA_USERS="stranger partner3 partner4 partner5"
. "$(dirname "$0")/lib.sh"
sandbox_start

db() { sqlite3 "$SB/refbot.db" "$1"; }
mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
conf_with() { sed "s|^templates = .*|templates = $2|" "$CONF" >"$1"; }
N=0
# add PARTNER: one more referral by hand (a new client each time).
add() {
	N=$((N + 1))
	rb referral add --partner "$1@example.test" --quiet \
		--field client="Tier Client $N KK" --field contact_name="C $N" \
		--field contact_email="c$N@tier$N.example" --field service=Audit \
		--field challenge="Close" --field client_aware=yes >/dev/null 2>&1
}
ref() { printf 'REF-%06d' "$1"; }
rate() { db "select rate_bp from ledger where referral_id = $1 and kind = 'earned'"; }
rule() { db "select rule from ledger where referral_id = $1 and kind = 'earned'"; }

rb init >/dev/null
for p in 1 2 3 4 5; do
	rb partner add "partner$p@example.test" --name "Partner $p" >/dev/null
done
rb partner set partner4@example.test --rate 12% >/dev/null
rb partner set partner5@example.test --terms flat --fee 50,000 >/dev/null

# --- No rows in tiers.txt (as installed): tier_rates, as before ------------
out=$(rb doctor 2>&1)
check "doctor: the installed tiers.txt has no rows, tier_rates applies" \
	grep -q "tiers.txt: no rows: commission tiers by the configuration's tier_rates" <<<"$out"
for i in 1 2 3 4; do add partner2; done			# REF 1-4
rb referral set-status "$(ref 4)" WON 1,000,000 >/dev/null
check "tier_rates unchanged: the 4th referral of the year earns 15% (got $(rate 4))" \
	[ "$(rate 4)" = 1500 ]
check "and the ledger says so" \
	[ "$(rule 4)" = "tier_rates, referral 4 of the year → 15%" ]

# --- A tiers file with rows decides --------------------------------------
cp -r "$REFBOT_SRC/templates" "$SB/tiers"
cat >"$SB/tiers/tiers.txt" <<'EOF'
# test tiers: volume, and quality
count>=5 → 20%
conversion>=50% and count>=3 -> 18%
count>=2 → 12.5
default -> 10%
EOF
conf_with "$SB/tiers.conf" "$SB/tiers"
CONF="$SB/tiers.conf"
out=$(rb doctor 2>&1)
check "doctor: the tiers file loads" grep -q "tiers.txt: 4 commission tiers load" <<<"$out"

# Partner 1: three referrals; one won, one lost; the third won by mail.
for i in 5 6 7; do add partner1; done
rb referral set-status "$(ref 5)" WON 1,000,000 >/dev/null
check "partner 1's first win: count 1 meets the default row only (10%)" \
	[ "$(rule 5)" = "default → 10% (count 1, conversion 100%)" ]
rb referral set-status "$(ref 6)" LOST --note "went elsewhere" >/dev/null
rb run --once 2>>"$SB/run.log"
mt wait --user staff1 --count 7 --timeout 30 >/dev/null
to=$(mt fetch --user staff1 --format json |
	pyjson "[m for m in j if '$(ref 7)' in m['headers']['Subject']][0]['headers']['Reply-To'].strip('<>')")
mt send --from staff1 --to "$to" --subject "Re: [$(ref 7)]" --body "WON 2,000,000" >/dev/null
mt wait --user intake --count 1 --timeout 20 >/dev/null
rb run --once 2>>"$SB/run.log"
check "a WON by mail: conversion 2/3 and count 3 earn the conversion tier, 18% (got $(rate 7))" \
	[ "$(rate 7)" = 1800 ]
check "the ledger entry records the row and the numbers" \
	[ "$(rule 7)" = "conversion>=50% and count>=3 → 18% (count 3, conversion 66.66%)" ]
check "the commission is 18% of 2,000,000" \
	[ "$(db "select amount from ledger where referral_id = 7")" = 360000 ]
out=$(rb ledger --ref "$(ref 7)")
check "refbot ledger shows the rule" \
	grep -q "WON  rule: conversion>=50% and count>=3 → 18% (count 3, conversion 66.66%)" <<<"$out"
check "refbot ledger --format json has it" \
	[ "$(rb ledger --ref "$(ref 7)" --format json | pyjson 'j["entries"][0]["rule"]')" = \
	"conversion>=50% and count>=3 → 18% (count 3, conversion 66.66%)" ]

# Partner 2 (volume): a 5th referral meets count>=5 (20%) and conversion
# (100%, 18%); the best rate wins.
add partner2						# REF 8
rb referral set-status "$(ref 8)" WON 1,000,000 >/dev/null
check "count 5 earns the volume tier, the best of the rows met (got $(rate 8))" \
	[ "$(rate 8)" = 2000 ]
check "and records it" [ "$(rule 8)" = "count>=5 → 20% (count 5, conversion 100%)" ]

# Partners with their own terms keep them.
add partner4; rb referral set-status "$(ref 9)" WON 1,000,000 >/dev/null
check "an own --rate is kept over the tiers (got $(rate 9))" [ "$(rate 9)" = 1200 ]
check "and named as such" [ "$(rule 9)" = "the partner's own rate" ]
add partner5; rb referral set-status "$(ref 10)" WON 1,000,000 >/dev/null
check "a flat fee is kept over the tiers" \
	[ "$(db "select amount || ' ' || coalesce(rate_bp, '-') || ' ' || rule from ledger where referral_id = 10")" = "50000 - flat fee" ]

# The ledger stays append-only, its rule included.
check "the rule cannot be edited" \
	bash -c '! sqlite3 "$1" "update ledger set rule = '"'x'"' where referral_id = 7" 2>/dev/null' _ "$SB/refbot.db"
check "nor the entry deleted" \
	bash -c '! sqlite3 "$1" "delete from ledger where referral_id = 7" 2>/dev/null' _ "$SB/refbot.db"

# --- partner show: the tier now, and what would raise it -------------------
out=$(rb partner show partner1@example.test)
check "partner show: this year's numbers" \
	grep -q "this year: 3 referrals, conversion 66.66% (2 won of 3 closed)" <<<"$out"
check "partner show: the row that applies" \
	grep -q "tier: conversion>=50% and count>=3 → 18% (tiers.txt line 3): 18%" <<<"$out"
check "partner show: what would raise it" \
	grep -q "to raise it: 2 more referrals this year → 20% (count>=5 → 20%)" <<<"$out"
for i in 11 12 13; do add partner3; done
rb referral set-status "$(ref 11)" WON 1,000,000 >/dev/null
rb referral set-status "$(ref 12)" LOST --note "no budget" >/dev/null
rb referral set-status "$(ref 13)" DECLINED --note "not a fit" >/dev/null
out=$(rb partner show partner3@example.test)
check "partner show: a conversion shortfall in words" \
	grep -q "to raise it: conversion 50% (now 33.33%) → 18% (conversion>=50% and count>=3 → 18%)" <<<"$out"
js=$(rb partner show partner3@example.test --format json)
check "partner show --format json: the row and rate" \
	[ "$(pyjson 'j["commission_tier"]["rule"] + " " + str(j["commission_tier"]["rate_bp"])' <<<"$js")" = "count>=2 → 12.5% 1250" ]
check "partner show --format json: the SLA tier keeps its key" \
	[ "$(grep -o '"tier":' <<<"$js" | wc -l)" = 1 ]
check "partner show --format json: count, won, closed, conversion" \
	[ "$(pyjson '" ".join(str(j["commission_tier"][k]) for k in ("count", "won", "closed", "conversion_bp"))' <<<"$js")" = "3 1 3 3333" ]
check "partner show --format json: the ways up" \
	[ "$(pyjson '"; ".join(r["needs"] for r in j["commission_tier"]["raise"])' <<<"$js")" = \
	"2 more referrals this year; conversion 50% (now 33.33%)" ]
out=$(rb partner show partner5@example.test)
check "partner show: own terms are not tiered" grep -q "tier: not tiered (a flat fee)" <<<"$out"
CONF="$SB/refbot.conf"
out=$(rb partner show partner2@example.test)
check "partner show without rows: tier_rates, and its next step" \
	grep -q "to raise it: 6 more referrals this year → 20% (tier_rates)" <<<"$out"

# --- A broken tiers file: the start and doctor name file and line -----------
cp -r "$SB/tiers" "$SB/broken"
sed -i '3s/.*/conversion>=50% or count>=3 -> 18%/' "$SB/broken/tiers.txt"
conf_with "$SB/broken.conf" "$SB/broken"
"$REFBOT" --config "$SB/broken.conf" run --once 2>"$SB/broken.log"
rc=$?
check "a broken tiers file: run --once exits 78 (got $rc)" [ "$rc" -eq 78 ]
WHERE="$SB/broken/tiers.txt:3: \"or count>=3\": join conditions with \"and\""
check "and names the file and the line" grep -qF "$WHERE" "$SB/broken.log"
out=$("$REFBOT" --config "$SB/broken.conf" doctor 2>&1)
rc=$?
check "doctor: exit 78 (got $rc)" [ "$rc" -eq 78 ]
check "doctor: the same file and line" grep -qF "FAIL tiers: $WHERE" <<<"$out"
printf 'count>=4 -> 15%%\n' >"$SB/broken/tiers.txt"
out=$("$REFBOT" --config "$SB/broken.conf" doctor 2>&1)
check "doctor: a file without a default row is refused" \
	grep -qF "FAIL tiers: $SB/broken/tiers.txt: no default row" <<<"$out"

# --- SIGHUP: the tiers are read again with the other texts ------------------
CONF="$SB/tiers.conf"
# Before the start, whose first pass sends staff the notification.
add partner2						# REF 14
"$REFBOT" --config "$CONF" run 2>"$SB/daemon.log" &
DAEMON_PID=$!
log_wait "$SB/daemon.log" "(IDLE)"
check "the daemon starts with the tiers file" grep -q "(IDLE)" "$SB/daemon.log"
sed -i '2s/.*/count>=5 → twenty/' "$SB/tiers/tiers.txt"
kill -HUP "$DAEMON_PID"
log_wait "$SB/daemon.log" "reload refused" 50
check "a broken tiers file is refused on SIGHUP, with file and line" \
	grep -qF "reload refused, keeping the running configuration: $SB/tiers/tiers.txt:2: rate \"twenty\"" "$SB/daemon.log"
sed -i '2s/.*/count>=5 → 25%/' "$SB/tiers/tiers.txt"
kill -HUP "$DAEMON_PID"
log_wait "$SB/daemon.log" "templates reloaded" 50
check "the corrected file is taken on SIGHUP" grep -q "configuration and templates reloaded" "$SB/daemon.log"
to=
for _ in $(seq 60); do
	to=$(mt fetch --user staff1 --format json |
		pyjson "([m['headers']['Reply-To'].strip('<>') for m in j if '$(ref 14)' in m['headers']['Subject']] + [''])[0]")
	[ -n "$to" ] && break
	sleep 0.5
done
mt send --from staff1 --to "$to" --subject "Re: [$(ref 14)]" --body "WON 1,000,000" >/dev/null
for _ in $(seq 100); do [ -n "$(rate 14)" ] && break; sleep 0.2; done
check "a WON after the reload earns the new row's 25% (got $(rate 14))" [ "$(rate 14)" = 2500 ]
check "and records it" [ "$(rule 14)" = "count>=5 → 25% (count 6, conversion 100%)" ]
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
check "the daemon stops on SIGTERM with exit 0" [ $? -eq 0 ]
DAEMON_PID=""

finish
