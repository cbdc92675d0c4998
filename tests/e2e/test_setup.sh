#!/bin/bash
# What a newcomer and an operator trip over (#17): per-command help
# (17.5), a refbot run from its build tree without "templates =" (17.2),
# "refbot parse" without a configuration (17.3), no false plaintext
# warning for a loopback SMTP server without a login (17.4), "doctor
# --mail" on a mail system with plus addressing (17.1), and the staff
# cheat sheet listing only what the referral's state allows (17.6).
. "$(dirname "$0")/lib.sh"
sandbox_start

send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
count() { "$MAILTOOL" count --env "$SB/env" --user "$@"; }
wait_for() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }
fetch() { "$MAILTOOL" fetch --env "$SB/env" --user "$1" --format json; }
quiet() { "$@" >/dev/null; }
src_templates=$(cd "$REFBOT_SRC/templates" && pwd -P)

# 17.5: each command its own help, with its options and an example.
global=$("$REFBOT" --help)
cmds=$(sed -n 's/^  \([a-z][a-z]*\) .*/\1/p; s/^  \([a-z][a-z]*\)$/\1/p' <<<"$global" | sort -u)
diag "commands in --help: $(echo $cmds)"
check "--help lists the commands" [ "$(wc -w <<<"$cmds")" -ge 10 ]
bad=""
for c in $cmds; do
	out=$("$REFBOT" "$c" --help 2>&1) || { bad="$bad $c(exit)"; continue; }
	[ "$out" != "$global" ] && grep -q "^  $c\b" <<<"$out" &&
		grep -q '^Example' <<<"$out" || bad="$bad $c"
done
check "each 'refbot CMD --help' is its own, with an example${bad:+ (not:$bad)}" [ -z "$bad" ]
run_help=$("$REFBOT" run --help)
check "'refbot run --help' explains --once" grep -q -- '--once    fetch' <<<"$run_help"
check "'refbot partner set --help' gives partner's help" \
	grep -q -- '--tier 1|2|3          strategic' <<<"$("$REFBOT" partner set --help)"
check "--help names exit status 65" grep -q '65 bad data' <<<"$global"

# 17.2: without "templates =" a build-tree refbot says the cause once.
grep -v '^templates' "$CONF" >"$SB/notemplates.conf"
out=$("$REFBOT" --config "$SB/notemplates.conf" init 2>&1)
rc=$?
diag "init: $out"
check "init without templates exits 78" [ "$rc" = 78 ]
check "init says the cause once, with the fix ($src_templates)" \
	bash -c '[ "$(wc -l <<<"$1")" = 1 ] && grep -qF "templates = $2" <<<"$1"' _ "$out" "$src_templates"
doc=$("$REFBOT" --config "$SB/notemplates.conf" doctor 2>&1)
ntf=$(grep -c 'refbot/templates' <<<"$doc")
diag "doctor lines about templates: $ntf"
check "doctor says it in one line, with the fix" \
	bash -c '[ "$1" = 1 ] && grep -qF "FAIL templates: " <<<"$2" && grep -qF "templates = $3" <<<"$2"' _ "$ntf" "$doc" "$src_templates"
{ cat "$SB/notemplates.conf"; echo "templates = $src_templates"; } >"$SB/fixed.conf"
check "with that fix, init works" quiet "$REFBOT" --config "$SB/fixed.conf" init

# 17.3: parse with no configuration file reads with the default template.
out=$("$REFBOT" --config "$SB/no-such.conf" parse <"$REFBOT_SRC/tests/data/plain-en.eml" 2>"$SB/parse.err")
rc=$?
diag "parse stderr: $(cat "$SB/parse.err")"
check "parse without a configuration exits 0" [ "$rc" = 0 ]
check "and reads the form with the source tree's template" \
	grep -q 'Acme Widgets Ltd' <<<"$out"
check "and says which template it used" grep -qF "$src_templates/referral.template" "$SB/parse.err"

rb init >/dev/null
# 17.4: plaintext to a loopback server without a login is no risk.
sed -e 's/^smtp_tls = .*/smtp_tls = none/' -e '/^smtp_ca_file/d' "$CONF" >"$SB/plain.conf"
chmod 600 "$SB/plain.conf"
doc=$("$REFBOT" --config "$SB/plain.conf" doctor 2>&1)
diag "$(grep 'smtp' <<<"$doc")"
check "no warning that a password crosses the network" \
	bash -c '! grep -q "^WARN smtp tls" <<<"$1"' _ "$doc"
check "the plaintext loopback session is named" \
	grep -q '^OK   smtp tls: plaintext (smtp_tls = none) to 127.0.0.1, on this host' <<<"$doc"

# 17.1: doctor --mail on a mail system with plus addressing.
doc=$(rb doctor --mail 2>&1)
rc=$?
diag "$(grep '^.... mail' <<<"$doc")"
check "doctor --mail exits 0" [ "$rc" = 0 ]
check "it says plus addresses work" grep -q '^OK   mail: plus addresses work: the probe to intake+doctor\.' <<<"$doc"
check "it deleted its probe" [ "$(count intake)" = 0 ]

# 17.6: the cheat sheet lists what NEW allows, and only that.
rb partner add partner1@example.test --name "Partner One" >/dev/null
send --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
wait_for intake 1
rb run --once 2>>"$SB/run.log"
check "staff1 is notified" wait_for staff1 1
text=$(fetch staff1 | pyjson 'j[0]["text"]')
sheet=$(sed -n '/keyword on the first line/,/^Lines below/p' <<<"$text")
diag "$sheet"
check "the cheat sheet has CONTACTED and WON" \
	bash -c 'grep -q "^  CONTACTED  " <<<"$1" && grep -q "^  WON <amount>" <<<"$1"' _ "$sheet"
check "but not REOPEN or REVENUE, which NEW does not allow" \
	bash -c '! grep -qE "^  (REOPEN|REVENUE)" <<<"$1"' _ "$sheet"
finish
