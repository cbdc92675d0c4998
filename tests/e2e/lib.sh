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

# Pages rendered in headless Chromium (the scorecard, the review page).
# dom_rows FILE: the rendered tables as "TABLE-ID|cell|cell", and the
# period and partner lines as "period|text".
dom_rows() {
	/usr/bin/python3 - "$1" <<'EOF'
import html.parser, sys

class Rows(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.table, self.row, self.cell, self.para = None, None, None, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'table':
            self.table = a.get('id', '?')
        elif tag == 'tr':
            self.row = []
        elif tag in ('td', 'th') and self.row is not None:
            self.cell = ''
        elif tag == 'p' and a.get('id'):
            self.para = [a['id'], '']
        elif tag == 'html':
            print('lang|' + a.get('lang', ''))
    def handle_endtag(self, tag):
        if tag in ('td', 'th') and self.cell is not None:
            self.row.append(' '.join(self.cell.split()))
            self.cell = None
        elif tag == 'tr' and self.row is not None:
            print('|'.join([self.table] + self.row))
            self.row = None
        elif tag == 'table':
            self.table = None
        elif tag == 'p' and self.para:
            print(self.para[0] + '|' + ' '.join(self.para[1].split()))
            self.para = None
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.para is not None:
            self.para[1] += data

Rows().feed(open(sys.argv[1], encoding='utf-8').read())
EOF
}

# render NAME: the DOM and a screenshot of $SB/NAME.html, kept as artifacts.
render() {
	if ! "$BROWSER" dom "$SB/$1.html" >"$SB/$1.dom.html"; then
		not_ok "Chromium renders $1.html (see $BROWSER_LOG)"
		return 1
	fi
	ok "Chromium renders $1.html"
	rows=$(dom_rows "$SB/$1.dom.html")
	check "Chromium takes a screenshot of $1.html" "$BROWSER" shot "$SB/$1.html" "$SB/$1.png" 1200,3400
	check "the screenshot of $1 is not blank ($("$BROWSER" colours "$SB/$1.png" 2>/dev/null) colours)" \
		"$BROWSER" notblank "$SB/$1.png" 32
	check "the screenshot of $1 shows the charts' blue bars" "$BROWSER" hascolour "$SB/$1.png" 0072b2
	artifact "$SB/$1.html" "$SB/$1.png"
}
# shows LINE...: every line is a row of the rendered DOM, exactly.
shows() {
	local l missing=""
	for l in "$@"; do
		grep -qxF -- "$l" <<<"$rows" || missing="$missing [$l]"
	done
	[ -z "$missing" ] || diag "not in the rendered DOM:$missing"
	[ -z "$missing" ]
}

rows=""

# dsn_save RCPT MESSAGE_ID TAG: puts a delivery report (a hard bounce,
# 5.1.1) for our mail MESSAGE_ID to RCPT in the intake mailbox, as the
# receiving server would (<dsn-TAG@mail.example.test>).
dsn_save() {
	cat >"$SB/dsn-$3.eml" <<EOF2
From: MAILER-DAEMON@example.test (Mail Delivery System)
To: intake@example.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-$3@mail.example.test>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

The mail system could not deliver your message.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.test

Final-Recipient: rfc822; $1
Action: failed
Status: 5.1.1

--b1
Content-Type: text/rfc822-headers

From: Referrals <intake@example.test>
To: <$1>
Message-ID: <$2>

--b1--
EOF2
	doveadm -c "$DOVECOT_CONF" save -u intake <"$SB/dsn-$3.eml"
}

# Runs python3 (Debian's, which has the mail modules) on a JSON document
# on stdin: py 'expression using j' prints the result.
# fault_injection_needed: bails out unless $REFBOT has the test-only
# fault points (REFBOT_FAULT).
fault_injection_needed() {
	"$REFBOT" --version | grep -q "fault injection" && return 0
	not_ok "$REFBOT is built with --enable-fault-injection (refbot --version: $("$REFBOT" --version))"
	echo "Bail out! rebuild with ./configure --enable-fault-injection (scripts/check does)"
	exit 1
}

# maildir_put FILE...: each file into intake's INBOX as it is, straight
# into the Maildir (as a backlog looks after an outage; Dovecot indexes
# it on the next SELECT): much faster than doveadm save, and it takes
# mail Postfix would refuse.  Dovecot creates the Maildir first.
maildir_put() {
	local md="$SB/mail/intake/Maildir" f t
	[ -d "$md/new" ] ||
		doveadm -c "$DOVECOT_CONF" mailbox status -u intake messages \
			INBOX >/dev/null
	for f in "$@"; do
		MAILDIR_N=$((${MAILDIR_N:-0} + 1))
		t="$md/tmp/$((1700000000 + MAILDIR_N)).M${MAILDIR_N}P$$.test"
		cp "$f" "$t" && chown nobody:nogroup "$t" && mv "$t" "$md/new/" ||
			return 1
	done
}

# batch_save N TAG [I=SUBJECT]...: N plain referrals from partner1,
# numbered 0 to N-1 (Message-ID <TAG-I@partner.example>, client "Client I
# KK", subject "Referral I" unless an I=SUBJECT says otherwise), saved
# straight into intake's INBOX as one backlog (the last call's files are
# in $SB/batch).  BATCH_CLIENT=Name names
# the clients "Name I KK" instead, for a second backlog of new referrals.
# BATCH_MAILDIR=1 puts them into the Maildir (maildir_put), for backlogs
# of a thousand or more.
batch_save() {
	local n=$1 tag=$2 i s subject f c=${BATCH_CLIENT:-Client}
	local d
	d=$(echo "$c" | tr 'A-Z' 'a-z')
	shift 2
	rm -rf "$SB/batch"
	mkdir -p "$SB/batch"
	for i in $(seq 0 $((n - 1))); do
		subject="Referral $i"
		for s in "$@"; do
			[ "${s%%=*}" = "$i" ] && subject=${s#*=}
		done
		printf '%s\n' "From: partner1@example.test" "To: intake@example.test" \
			"Subject: $subject" "Message-ID: <$tag-$i@partner.example>" \
			"Date: Fri, 27 Nov 2026 10:00:00 +0900" "" \
			"Client: $c $i KK" "Contact name: Person $i" \
			"Contact email: person$i@$d$i.example" "Service needed: Audit" \
			"Challenge: Case $i" "Client aware: yes" \
			>"$SB/batch/$(printf %04d "$i").eml"
	done
	if [ -n "${BATCH_MAILDIR:-}" ]; then
		maildir_put "$SB"/batch/*.eml
		return
	fi
	for f in "$SB"/batch/*.eml; do
		doveadm -c "$DOVECOT_CONF" save -u intake <"$f" || return 1
	done
}

# log_wait FILE TEXT [TRIES [PAUSE]]: until FILE has a line matching TEXT
# (grep), at most TRIES looks PAUSE s apart (100, 0.1); 1 if none came.
log_wait() {
	local i
	for i in $(seq "${3:-100}"); do
		grep -q -- "$2" "$1" && return 0
		sleep "${4:-0.1}"
	done
	return 1
}

pyjson() { /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

# The sandbox's mail tool and database, for tests that want them short:
# mt COMMAND ARGS (mt fetch --user partner1), sql 'SELECT ...'.
mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
sql() { sqlite3 "$SB/refbot.db" "$1"; }
# subject_count USER REGEX: how many of USER's mails have a subject
# matching REGEX; subject_wait USER REGEX N waits (20 s) for N of them.
subject_count() { mt fetch --user "$1" --format json | pyjson "len([m for m in j if __import__('re').search(r'''$2''', m['headers']['Subject'] or '')])"; }
subject_wait() { local i; for i in $(seq 100); do [ "$(subject_count "$1" "$2")" -ge "$3" ] && return 0; sleep 0.2; done; return 1; }

finish() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ]
}
