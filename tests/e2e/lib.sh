# Shared by the end-to-end tests: a fresh sandbox per test file, TAP
# output, and small assertions.  Source it; it expects $REFBOT (the binary)
# and $REFBOT_SRC (the source tree), which tests/run sets.
set -uo pipefail

: "${REFBOT_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${REFBOT:=$REFBOT_SRC/refbot}"
E2E="$REFBOT_SRC/tests/e2e"
MAILTOOL="$E2E/mailtool"
T_N=0
T_FAILED=0
SB=""
export SANDBOX_EXTRA_USERS="${SANDBOX_EXTRA_USERS:-stranger}"

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() { T_N=$((T_N + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_N - $*"; }
diag() { echo "# $*"; }
# check DESCRIPTION COMMAND...: one TAP line from a command's status.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# Starts a sandbox in a new temp dir; stops it when the test exits.
sandbox_start() {
	SB=$(mktemp -d /tmp/refbot-e2e.XXXXXX)
	rmdir "$SB"
	trap sandbox_cleanup EXIT
	if ! "$E2E/sandbox" start "$SB" >"/tmp/$(basename "$SB").start.log" 2>&1; then
		cat "/tmp/$(basename "$SB").start.log"
		echo "Bail out! sandbox did not start"
		exit 1
	fi
	# shellcheck source=/dev/null
	. "$SB/env"
	CONF="$SB/refbot.conf"
}

sandbox_cleanup() {
	local rc=$?
	[ -n "$SB" ] || return
	[ -n "${DAEMON_PID:-}" ] && kill "$DAEMON_PID" 2>/dev/null
	"$E2E/sandbox" stop "$SB" >/dev/null 2>&1
	if [ "$T_FAILED" -eq 0 ] && [ "$rc" -eq 0 ]; then
		rm -rf "$SB"
	else
		echo "# sandbox kept for inspection: $SB"
	fi
}

rb() { "$REFBOT" --config "$CONF" "$@"; }

# Files a test leaves for people to look at (screenshots, pages): under
# $REFBOT_TEST_ARTIFACTS (tests/run: BUILD/test-artifacts), else beside
# the binary, in a folder named after the test.  artifact FILE...
ARTIFACTS="${REFBOT_TEST_ARTIFACTS:-$(dirname "$REFBOT")/test-artifacts}/$(basename "$0" .sh)"
artifact() {
	mkdir -p "$ARTIFACTS" && cp "$@" "$ARTIFACTS/"
}
BROWSER="$E2E/browser"

# Runs python3 (Debian's, which has the mail modules) on a JSON document
# on stdin: py 'expression using j' prints the result.
pyjson() { /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

finish() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ]
}
