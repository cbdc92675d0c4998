#!/bin/bash
# Bad input never crashes the bot or blocks the mailbox (PRODUCT.md
# "Guarantees", issue 5): the corpus from tests/data/hostile/make-hostile
# (nested 100+ deep, 20 MB, broken boundaries, NUL bytes, invalid UTF-8,
# header floods, ...), "sent" by a registered partner straight into the
# intake Maildir, is read by "refbot run --once" (a bounded number of
# passes): no run dies of a signal, every message gets a disposition and
# leaves the INBOX, and a normal referral sent afterwards is processed.
. "$(dirname "$0")/lib.sh"
sandbox_start
waitmail() { "$MAILTOOL" wait --env "$SB/env" "$@" >/dev/null; }

MAX_RUNS=5            # passes of "run --once" over the corpus
BUDGET=100            # seconds for all passes together; a hang fails the test
RUN_TIMEOUT=30        # seconds for the single normal referral afterwards
T_START=$EPOCHREALTIME
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null

t=$EPOCHREALTIME
N=$(/usr/bin/python3 "$REFBOT_SRC/tests/data/hostile/make-hostile" "$SB/hostile")
diag "corpus: $N messages, $(du -sh "$SB/hostile" | cut -f1), generated in $(elapsed "$t") s"
check "the corpus has at least 200 messages" [ "${N:-0}" -ge 200 ]

# Straight into the Maildir (Postfix would refuse some).
t=$EPOCHREALTIME
maildir_put "$SB"/hostile/*.eml
n=$("$MAILTOOL" count --env "$SB/env" --user intake)
diag "delivered $n into the Maildir in $(elapsed "$t") s"
check "all $N messages are in the intake INBOX (got $n)" [ "$n" = "$N" ]

# Passes of "run --once" until the INBOX is empty, at most MAX_RUNS.
codes=""
crashed=0
t=$EPOCHREALTIME
deadline=$((SECONDS + BUDGET))
for run in $(seq "$MAX_RUNS"); do
	tr=$EPOCHREALTIME
	left_s=$((deadline - SECONDS))
	[ "$left_s" -gt 0 ] || { codes="$codes budget-spent"; crashed=1; break; }
	timeout -k 5 "$left_s" "$REFBOT" --config "$CONF" run --once 2>"$SB/run$run.log"
	rc=$?
	left=$("$MAILTOOL" count --env "$SB/env" --user intake)
	diag "pass $run: exit $rc in $(elapsed "$tr") s, $left left in INBOX"
	codes="$codes $rc"
	if [ "$rc" -ge 124 ]; then
		crashed=1
		diag "pass $run died or hung (exit $rc); last lines of its log:"
		tail -n 5 "$SB/run$run.log" | sed 's/^/#   /'
	fi
	[ "$left" = 0 ] && break
done
diag "corpus processed in $(elapsed "$t") s over $run pass(es)"
check "no pass died of a signal or hung (exit codes:$codes)" [ "$crashed" = 0 ]
check "every pass exits 0 or 75 (exit codes:$codes)" \
	bash -c "for c in $codes; do [ \$c = 0 ] || [ \$c = 75 ] || exit 1; done"

db() { sqlite3 "$SB/refbot.db" "$@"; }
stored=$(db "select count(*) from messages")
check "every message is stored (got $stored of $N)" [ "$stored" = "$N" ]
pending=$(db "select count(*) from messages where disposition = 'pending' or disposition is null or disposition = ''")
check "no message is left without a disposition (got $pending pending)" [ "$pending" = 0 ]
if [ "$pending" != 0 ]; then
	db "select id, uid, size, coalesce(detail, '') from messages where disposition = 'pending' limit 20" |
		sed 's/^/# pending: /'
fi
diag "dispositions: $(db "select disposition || '=' || count(*) from messages group by disposition order by count(*) desc" | tr '\n' ' ')"
db "select count(*) || ' x ' || disposition || ': ' || substr(coalesce(detail, ''), 1, 90) from messages where disposition not in ('referral', 'incomplete', 'duplicate-message') group by disposition, substr(coalesce(detail, ''), 1, 90) order by count(*) desc" |
	sed 's/^/# /'
# A parser crash is contained (the parse runs in a child first), but it is
# still a memory-safety bug in the MIME code.
crashes=$(db "select count(*) from messages where detail like '%crashed%'")
check "the MIME parser never crashed on the corpus (got $crashes)" [ "$crashes" = 0 ]
if [ "$crashes" != 0 ]; then
	db "select m.uid || ' ' || m.size || ' bytes: ' || m.detail from messages m where detail like '%crashed%'" | sed 's/^/# crash: /'
fi
# Issue 17: a message set aside keeps the Message-ID its header gives.
noid=$(/usr/bin/python3 - "$SB/refbot.db" <<'PY'
import re, sqlite3, sys
n = 0
for disp, mid, raw in sqlite3.connect(sys.argv[1]).execute(
        "select disposition, message_id, raw from messages join raw_mail "
        "using (id) where disposition "
        "in ('unreadable', 'quarantined', 'too-large')"):
    head = re.split(rb"\r?\n\r?\n", bytes(raw), maxsplit=1)[0]
    m = re.search(rb"^message-id:[ \t]*<([!-=?-~]+@[!-=?-~]+)>", head, re.I | re.M)
    if m and not mid:
        n += 1
print(n)
PY
)
check "messages set aside are stored with their Message-ID (got $noid without)" [ "$noid" = 0 ]
inbox=$("$MAILTOOL" count --env "$SB/env" --user intake)
processed=$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Processed)
rejected=$("$MAILTOOL" count --env "$SB/env" --user intake --mailbox Rejected)
diag "INBOX $inbox, Processed $processed, Rejected $rejected"
check "the intake INBOX is empty (got $inbox)" [ "$inbox" = 0 ]
check "every message is filed in Processed or Rejected ($processed + $rejected of $N)" \
	[ "$((processed + rejected))" = "$N" ]
check "each stored message is marked as moved" \
	[ "$(db "select count(*) from messages where moved = 0")" = 0 ]
diag "outbox: $(db "select kind || '/' || status || '=' || count(*) from outbox group by kind, status" | tr '\n' ' ')"

# The mailbox keeps flowing: a normal referral afterwards.
sed -e 's/partner1@example.test/partner2@example.test/' \
	-e 's/^Client: .*/Client: After The Storm KK/' \
	-e 's/^Message-ID: .*/Message-ID: <after-hostile@partner.example>/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/after.eml"
"$MAILTOOL" send --env "$SB/env" --from partner2 --to intake --eml "$SB/after.eml" >/dev/null
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null
t=$EPOCHREALTIME
timeout -k 5 "$RUN_TIMEOUT" "$REFBOT" --config "$CONF" run --once 2>"$SB/run-after.log"
rc=$?
diag "normal referral afterwards: exit $rc in $(elapsed "$t") s"
check "afterwards: run --once exits 0 (got $rc)" [ "$rc" = 0 ]
check "afterwards: the normal referral is stored as NEW" \
	[ "$(rb referral list --format json | pyjson '[r["status"] for r in j if r["client"] == "After The Storm KK"]')" = "['NEW']" ]
check "afterwards: partner2 gets its acknowledgement" \
	waitmail --user partner2 --count 1 --timeout 20
check "afterwards: the intake INBOX is empty" [ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 0 ]

diag "total time $(elapsed "$T_START") s"
finish
