#!/bin/bash
# The test runner's own counting (tests/tap-count): a skip is never a
# pass, a program without a plan or with the wrong plan fails, a program
# that ran nothing fails, and a crash without "not ok" is one failure.
# No sandbox: it only reads TAP made up here.
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# counts NAME STATUS EXPECTED TAP-LINES...: tap-count's first line.
counts() {
	local name=$1 rc=$2 want=$3 got
	shift 3
	printf '%s\n' "$@" >"$W/log"
	got=$("$REFBOT_SRC/tests/tap-count" "$W/log" "$rc" | head -n 1)
	check "$name: '$got' is '$want'" [ "$got" = "$want" ]
}

counts "all pass" 0 "2 0 0" "ok 1 - a" "ok 2 - b" "1..2"
counts "a skip is not a pass" 0 "1 0 1" "ok 1 - a" \
	"ok 2 - b # SKIP no tool" "1..2"
counts "lower-case skip" 0 "0 0 1" "ok 1 - b # skip no tool" "1..1"
counts "no plan fails" 0 "1 1 0" "ok 1 - a"
counts "plan larger than the lines fails" 0 "1 1 0" "ok 1 - a" "1..3"
counts "no test at all fails" 0 "0 1 0" "1..0"
counts "exit status without 'not ok' fails" 86 "1 1 0" "ok 1 - a" "1..1"
counts "exit status with 'not ok' counts once" 1 "1 1 0" "ok 1 - a" \
	"not ok 2 - b" "1..2"
counts "indented and commented lines are not tests" 0 "1 0 0" \
	"# ok 5 - from a log" "    ok 6 - nested" "ok 1 - a" "1..1"
out=$(printf 'ok 1 - a\n' >"$W/log"; "$REFBOT_SRC/tests/tap-count" "$W/log" 0)
check "the reason is said" grep -q "not ok - printed no TAP plan" <<<"$out"
finish
