#!/bin/bash
# Security checks of issue 5 (PRODUCT.md "Security"):
#  (a) header injection: partner-supplied text carrying CR/LF or other
#      control characters (a Client value, an RFC 2047-encoded Subject, an
#      HTML entity, a folded Message-ID) never adds or alters a header of
#      the mail refbot sends, and never adds a recipient;
#  (b) a password file readable by group or others is refused (exit 78,
#      naming the file);
#  (c) no password, key or reply token appears in the log, even with -v;
#  (d) the database is private (0600) whatever the umask, and so are its
#      -wal and -shm; one left wider is narrowed with a warning (issue 14);
#  (e) an envelope address with CR/LF or other bad syntax fails its outbox
#      row permanently and is never given to the SMTP server (issue 14).
export SANDBOX_EXTRA_USERS="stranger victim"
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
count() { "$MAILTOOL" count --env "$SB/env" --user "$1"; }
waitmail() { "$MAILTOOL" wait --env "$SB/env" --user "$1" --count "$2" --timeout 20 >/dev/null; }

# ------------------------------------------------------------------ (a)
# Each message prints "WHO ID"; WHO is partner (a registered partner's
# submission, acknowledged) or stranger (answered with "Re: <subject>").
/usr/bin/python3 - "$SMTP_PORT" <<'PY' >"$SB/inject.txt"
import base64, smtplib, sys
port = int(sys.argv[1])
D = "example.test"
INJ = "Bcc: victim@example.test"

def b64w(s):
    return "=?UTF-8?B?" + base64.b64encode(s.encode()).decode() + "?="

N = [0]
def rest():
    # Each its own contact address: the same one twice is a duplicate.
    N[0] += 1
    return (f"Contact name: Jane Smith\r\nContact email: jane@evil{N[0]}.example\r\n"
            "Service needed: Audit\r\nChallenge: Year-end close\r\nClient aware: yes\r\n")

def qp_form(client_qp):
    return ("Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n",
            f"Client: {client_qp}\r\n" + rest())

plain = lambda client: ("Content-Type: text/plain; charset=utf-8\r\n", f"Client: {client}\r\n" + rest())

MSGS = [
    # who, id, subject (raw header text), (content headers, body), extra headers
    ("partner", "p1-lone-cr", "Referral one",
     qp_form("Evil One KK=0DBcc: victim@example.test=0DX-Injected: p1"), []),
    ("partner", "p2-crlf", "Referral two",
     qp_form("Evil Two KK=0D=0ABcc: victim@example.test=0D=0AX-Injected: p2"), []),
    ("partner", "p3-continuation", "Referral three",
     ("Content-Type: text/plain; charset=utf-8\r\n",
      "Client: Evil Three KK\r\n Bcc: victim@example.test\r\n X-Injected: p3\r\n" + rest()), []),
    ("partner", "p4-controls", "Referral four",
     qp_form("Evil Four KK=0BBcc=0C: victim=1B[2J=7F=C2=85X-Injected: p4=E2=80=A8=00tail"), []),
    ("partner", "p5-subject-b", b64w(f"Referral five\r\n{INJ}\r\nX-Injected: p5"),
     plain("Subject Bee KK"), []),
    ("partner", "p6-subject-q",
     "=?UTF-8?Q?Referral_six=0D=0ABcc:_victim@example.test=0D=0AX-Injected:_p6?=",
     plain("Subject Queue KK"), []),
    ("partner", "p7-html-entities", "Referral seven",
     ("Content-Type: text/html; charset=utf-8\r\n",
      "<html><body><p>Client: Evil Seven KK&#13;&#10;Bcc: victim@example.test&#x0d;X-Injected: p7</p>"
      + "".join(f"<p>{l}</p>" for l in rest().strip().split("\r\n")) + "</body></html>\r\n"), []),
    ("partner", "p8-folded-ids", "Referral eight", plain("Folded Ids KK"),
     ["References: <x@partner.example>\r\n\tBcc: victim@example.test",
      "In-Reply-To: <y@partner.example>\r\n Bcc: victim@example.test"]),
    ("stranger", "s1-subject-b", b64w(f"Hello\r\n{INJ}\r\nX-Injected: s1"), plain("Nobody KK"), []),
    ("stranger", "s2-subject-bare-cr", f"Hello two\r{INJ}\rX-Injected: s2", plain("Nobody KK"), []),
    ("stranger", "s3-subject-lf", b64w(f"Hello three\n{INJ}\nX-Injected: s3"), plain("Nobody KK"), []),
    ("stranger", "s4-subject-controls", b64w("Hello four\x0b\x0c\x1b[2J\x7f\u0085\u2028X-Injected: s4\x00"),
     plain("Nobody KK"), []),
]

with smtplib.SMTP("127.0.0.1", port, local_hostname="evil.example.test", timeout=30) as s:
    for who, mid, subject, (ctype, body), extra in MSGS:
        frm = f"partner1@{D}" if who == "partner" else f"stranger@{D}"
        hdr = (f"From: {frm}\r\nTo: intake@{D}\r\nSubject: {subject}\r\n"
               "Date: Fri, 27 Nov 2026 10:00:00 +0900\r\n"
               f"Message-ID: <{mid}@evil.example>\r\nMIME-Version: 1.0\r\n" + ctype +
               "".join(h + "\r\n" for h in extra))
        s.sendmail(frm, [f"intake@{D}"], (hdr + "\r\n" + body).encode())
        print(who, mid)
PY
NP=$(grep -c '^partner ' "$SB/inject.txt")
NS=$(grep -c '^stranger ' "$SB/inject.txt")
check "injection: $NP partner and $NS stranger messages sent" [ "$NP" = 8 -a "$NS" = 4 ]
waitmail intake $((NP + NS))
rb run --once 2>"$SB/run-inject.log"
rc=$?
check "injection: run --once exits 0 (got $rc)" [ "$rc" -eq 0 ]
sqlite3 "$SB/refbot.db" "select message_id || ': ' || disposition || ' ' || coalesce(detail, '') from messages order by id" |
	sed 's/^/# /'
check "injection: every partner submission became a referral" \
	[ "$(sqlite3 "$SB/refbot.db" "select count(*) from messages where message_id like '%p_-%evil.example%' and disposition = 'referral'")" = "$NP" ]
waitmail partner1 "$NP"
waitmail staff1 $((NP + NS))
waitmail stranger "$NS"
sleep 1
check "injection: partner1 got one ack per submission ($(count partner1) of $NP)" [ "$(count partner1)" = "$NP" ]
# One notice per referral, and one per stranger (staff hear about those).
check "injection: staff1 got one notice per referral and stranger ($(count staff1) of $((NP + NS)))" [ "$(count staff1)" = $((NP + NS)) ]
check "injection: the stranger got one reply per message ($(count stranger) of $NS)" [ "$(count stranger)" = "$NS" ]

# hdrcheck MODE USER=ADDR...: reads every message in those users' Maildirs
# (the bytes as delivered) and prints one line per problem.
#   raw      no injected header (Bcc, X-Injected), every line of the header
#            block a header or a continuation, no control character but TAB
#            in the raw header bytes, exactly one From/To/Subject, and To
#            names only the user
#   decoded  after RFC 2047 decoding, no control character (CR, LF, C0,
#            DEL, C1) in Subject, From, To, Reply-To (U+2028/9 are noted)
hdrcheck() {
	/usr/bin/python3 - "$SB" "$@" <<'PY'
import email.header, email.utils, glob, os, re, sys, unicodedata
sb, mode, users = sys.argv[1], sys.argv[2], sys.argv[3:]
problems = 0
def bad(f, what):
    global problems
    problems += 1
    print(f"{os.path.basename(os.path.dirname(os.path.dirname(os.path.dirname(f))))}/{os.path.basename(f)[:24]}: {what}")
for spec in users:
    user, addr = spec.split("=")
    files = sorted(glob.glob(f"{sb}/mail/{user}/Maildir/new/*") + glob.glob(f"{sb}/mail/{user}/Maildir/cur/*"))
    for f in files:
        raw = open(f, "rb").read()
        head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
        lines = re.split(rb"\r?\n", head)
        fields = []
        for ln in lines:
            if ln[:1] in (b" ", b"\t") and fields:
                fields[-1][1] += b" " + ln.strip()
            else:
                m = re.match(rb"([!-9;-~]+):(.*)", ln)
                if not m:
                    if mode == "raw":
                        bad(f, f"line in the header block is neither header nor continuation: {ln[:60]!r}")
                    continue
                fields.append([m.group(1).decode().lower(), m.group(2).strip()])
        names = [n for n, _ in fields]
        if mode == "raw":
            for n in ("bcc", "x-injected"):
                if n in names:
                    bad(f, f"injected header {n}: {dict(fields)[n][:60]!r}")
            for n in ("from", "to", "subject"):
                if names.count(n) != 1:
                    bad(f, f"{names.count(n)} {n} headers")
            ctl = [c for c in head if (c < 32 and c not in (9, 10, 13)) or c == 127]
            cr = head.replace(b"\r\n", b"").count(b"\r")
            if ctl or cr:
                bad(f, f"control bytes in the raw header: {bytes(ctl)!r}, {cr} bare CR")
            to = [v for n, v in fields if n == "to"]
            if to:
                got = [a.lower() for _, a in email.utils.getaddresses([to[0].decode("latin-1")])]
                if got != [addr]:
                    bad(f, f"To is {got}, want [{addr!r}]")
        else:
            for n, v in fields:
                if n not in ("subject", "from", "to", "reply-to"):
                    continue
                try:
                    dec = str(email.header.make_header(email.header.decode_header(v.decode("utf-8", "replace"))))
                except Exception as e:
                    bad(f, f"{n}: cannot decode: {e}")
                    continue
                cc = [c for c in dec if unicodedata.category(c) == "Cc" and c != "\t"]
                if cc:
                    bad(f, f"{n} decodes to control characters {''.join(cc)!r}: {dec[:80]!r}")
                seps = [c for c in dec if unicodedata.category(c) in ("Zl", "Zp")]
                if seps:
                    # Not a control character; reported, not counted.
                    print(f"note: {n} keeps the line/paragraph separator {''.join(seps)!r}")
print(f"{problems} problem(s)")
sys.exit(1 if problems else 0)
PY
}
USERS="partner1=partner1@example.test staff1=staff1@example.test staff2=staff2@example.test stranger=stranger@example.test"
# shellcheck disable=SC2086
hdrcheck raw $USERS >"$SB/hdr-raw.txt"
rc=$?
sed 's/^/# raw: /' "$SB/hdr-raw.txt"
check "injection: no injected header, no raw control character, one To naming only the recipient" [ "$rc" = 0 ]
# shellcheck disable=SC2086
hdrcheck decoded $USERS >"$SB/hdr-decoded.txt"
rc=$?
sed 's/^/# decoded: /' "$SB/hdr-decoded.txt"
check "injection: no control character in decoded Subject/From/To/Reply-To" [ "$rc" = 0 ]
check "injection: the outbox never addressed the victim" \
	[ "$(sqlite3 "$SB/refbot.db" "select count(*) from outbox where lower(rcpt) like '%victim%' or lower(mail_from) like '%victim%'")" = 0 ]
check "injection: no queued mail carries a Bcc header" \
	[ "$(sqlite3 "$SB/refbot.db" "select count(*) from (select lower(cast(data as text)) as d from outbox) where instr(substr(d, 1, instr(d, char(13, 10, 13, 10))), char(10) || 'bcc:') > 0")" = 0 ]
check "injection: the victim's mailbox is empty" [ "$(count victim)" = 0 ]
check "injection: Postfix delivered nothing to the victim" bash -c "! grep -q 'to=<victim@' '$POSTFIX_LOG'"
check "injection: the acks still name the clients" \
	[ "$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json | pyjson 'sum(1 for m in j if "Evil" in (m["headers"]["Subject"] or "") or "Subject" in (m["headers"]["Subject"] or "") or "Folded" in (m["headers"]["Subject"] or ""))')" = "$NP" ]

# ------------------------------------------------------------------ (b)
PW="$SB/secrets/imap-password"
for mode in 640 604 660 644; do
	chmod "$mode" "$PW"
	out=$(rb run --once 2>&1)
	rc=$?
	check "password file mode $mode: refused with exit 78 (got $rc)" [ "$rc" -eq 78 ]
	check "password file mode $mode: the message names the file" grep -qF "$PW" <<<"$out"
	diag "mode $mode: $(head -n 1 <<<"$out")"
done
chmod 600 "$PW"
rb run --once 2>/dev/null
rc=$?
check "password file mode 600: accepted (got $rc)" [ "$rc" -eq 0 ]
# The same rule for the HMAC secret file.
printf 'a-long-secret-for-the-reply-tokens\n' >"$SB/secrets/hmac-secret"
chmod 640 "$SB/secrets/hmac-secret"
{ cat "$CONF"; echo "secret_file = $SB/secrets/hmac-secret"; } >"$SB/secret.conf"
out=$("$REFBOT" --config "$SB/secret.conf" outbox list 2>&1)
rc=$?
check "secret_file mode 640: refused with exit 78 (got $rc)" [ "$rc" -eq 78 ]
check "secret_file mode 640: the message names the file" grep -qF "$SB/secrets/hmac-secret" <<<"$out"
check "secret_file mode 640: the secret is not printed" bash -c "! grep -q 'a-long-secret' <<<'$out'"

# ------------------------------------------------------------------ (c)
# Verbose runs over mail that exercises the secrets: a referral (tokens are
# made), a staff reply through the signed address (a token is checked), a
# reply with a forged token, and a staff reply to the plain address that
# only In-Reply-To can prove.
sed -e 's/^Client: .*/Client: Logcheck KK/' -e 's/^Message-ID: .*/Message-ID: <logcheck@partner.example>/' \
	-e 's/^Contact email: .*/Contact email: jane.smith@logcheck.example/' \
	"$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/logcheck.eml"
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$SB/logcheck.eml" >/dev/null
waitmail intake 1
rb -v run --once 2>"$SB/verbose1.log"
rc=$?
check "verbose run exits 0 (got $rc)" [ "$rc" -eq 0 ]
waitmail staff1 $((NP + NS + 1))
note=$("$MAILTOOL" fetch --env "$SB/env" --user staff1 --format json |
	pyjson 'json.dumps(([m for m in j if "Logcheck" in (m["headers"]["Subject"] or "")] or [{}])[0])')
reply_to=$(echo "$note" | pyjson 'j["headers"]["Reply-To"].strip("<>")')
note_id=$(echo "$note" | pyjson 'j["headers"]["Message-ID"]')
ref=$(echo "$note" | pyjson '__import__("re").search(r"REF-\d+", j["headers"]["Subject"]).group(0)')
diag "staff notice for $ref, Reply-To $reply_to"
forged=$(sed -E 's/(\+r[0-9]+\.s\.)[a-z2-7]+@/\1aaaaaaaaaaaaaaaa@/' <<<"$reply_to")
"$MAILTOOL" send --env "$SB/env" --from staff1 --to "$reply_to" --subject "Re: [$ref] New referral" \
	--header "In-Reply-To: $note_id" --body $'CONTACTED\n\nCalled them.' >/dev/null
"$MAILTOOL" send --env "$SB/env" --from staff2 --to "$forged" --subject "Re: [$ref] New referral" \
	--body $'LOST forged' >/dev/null
"$MAILTOOL" send --env "$SB/env" --from staff2 --to intake --subject "Re: [$ref] New referral" \
	--header "In-Reply-To: <r9.s.bbbbbbbbbbbbbbbb.1@refbot.example.test>" --body $'WON 5' >/dev/null
waitmail intake 3
rb -v run --once 2>"$SB/verbose2.log"
rc=$?
check "second verbose run exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "the signed reply worked ($ref is CONTACTED)" \
	[ "$(rb referral show "$ref" --format json | pyjson 'j["status"]')" = CONTACTED ]
cat "$SB/run-inject.log" "$SB/verbose1.log" "$SB/verbose2.log" >"$SB/all.log"
diag "verbose log: $(wc -l <"$SB/all.log") lines"
check "the verbose log has debug lines (-v works)" grep -q "debug:" "$SB/verbose1.log"
check "log: no IMAP password" bash -c "! grep -qF 'pw-intake' '$SB/all.log'"
key=$(sqlite3 "$SB/refbot.db" "select value from settings where key = 'hmac_key'")
check "the HMAC key is in the settings table" [ -n "$key" ]
check "log: no HMAC key" bash -c "[ -n '$key' ] && ! grep -qiF '$key' '$SB/all.log'"
# Every reply token refbot made: from the Message-IDs and Reply-To
# addresses of all outbound mail.
sqlite3 "$SB/refbot.db" "select message_id from outbox; select cast(data as text) from outbox" |
	grep -oE 'r[0-9]+\.[a-z]\.[a-z2-7]{16}' | sed -E 's/.*\.//' | sort -u >"$SB/tokens.txt"
check "reply tokens were found in the outbox ($(wc -l <"$SB/tokens.txt"))" [ -s "$SB/tokens.txt" ]
leaked=$(grep -oFf "$SB/tokens.txt" "$SB/all.log" | sort -u | tr '\n' ' ')
check "log: no reply token${leaked:+ (leaked: $leaked)}" [ -z "$leaked" ]
check "log: no message bodies or client data" bash -c "! grep -qE 'Jane Smith|jane.smith@|Logcheck|Called them' '$SB/all.log'"
if [ "$T_FAILED" -gt 0 ]; then
	diag "--- verbose2.log"
	sed 's/^/#   /' "$SB/verbose2.log"
fi

# ------------------------------------------------------------------ (d)
mode() { stat -c %a "$1" 2>/dev/null || echo missing; }
mkdir -p "$SB/priv"
sed "s|^database = .*|database = $SB/priv/refbot.db|" "$CONF" >"$SB/priv.conf"
PDB="$SB/priv/refbot.db"
(umask 000 && "$REFBOT" --config "$SB/priv.conf" init >/dev/null 2>&1)
check "umask 000: init creates the database 0600 (got $(mode "$PDB"))" [ "$(mode "$PDB")" = 600 ]
# The daemon keeps its connection open, and with it the -wal and -shm.
(umask 000 && exec "$REFBOT" --config "$SB/priv.conf" run 2>"$SB/priv-daemon.log") &
pid=$!
for _ in $(seq 100); do [ -e "$PDB-wal" ] && [ -e "$PDB-shm" ] && break; sleep 0.1; done
check "umask 000: the -wal file is 0600 (got $(mode "$PDB-wal"))" [ "$(mode "$PDB-wal")" = 600 ]
check "umask 000: the -shm file is 0600 (got $(mode "$PDB-shm"))" [ "$(mode "$PDB-shm")" = 600 ]
kill "$pid" 2>/dev/null
wait "$pid"
# A database left wider (an older refbot, a copy made by hand) is narrowed.
chmod 644 "$PDB"
out=$("$REFBOT" --config "$SB/priv.conf" outbox list 2>&1)
check "a database left 0644 is narrowed to 0600 (got $(mode "$PDB"))" [ "$(mode "$PDB")" = 600 ]
check "with a warning naming it" grep -qF "$PDB was accessible by group or others" <<<"$out"

# ------------------------------------------------------------------ (e)
# An envelope address that would smuggle an SMTP command (a CR LF and a
# second RCPT TO) never reaches the server: the row fails permanently,
# saying why, and the victim gets nothing.  One bad recipient, one bad
# sender, copied from a real acknowledgement.
smuggle() {
	sqlite3 "$SB/refbot.db" "insert into outbox (referral_id, kind, mail_from, rcpt, message_id, data,
		next_attempt_at, created_at)
		select referral_id, kind, $1, $2, '<smuggle-$3@refbot.example.test>', data, 0, strftime('%s', 'now')
		from outbox where rcpt = 'partner1@example.test' and status = 'sent' limit 1;
		select id from outbox where message_id = '<smuggle-$3@refbot.example.test>'"
}
CRLF_VICTIM="char(13, 10) || 'RCPT TO:<victim@example.test>'"
R1=$(smuggle mail_from "'partner1@example.test' || $CRLF_VICTIM" rcpt)
R2=$(smuggle "mail_from || $CRLF_VICTIM" "'partner1@example.test'" from)
check "smuggling rows queued ($R1, $R2)" [ -n "$R1" -a -n "$R2" ]
before=$(count partner1)
rb run --once 2>"$SB/run-smuggle.log"
rc=$?
check "smuggling: run --once exits 0 (got $rc)" [ "$rc" -eq 0 ]
for r in "$R1" "$R2"; do
	row=$(sqlite3 "$SB/refbot.db" "select status || '|' || coalesce(last_error, '') from outbox where id = $r")
	diag "outbox $r: $row"
	check "smuggling: outbox $r failed permanently" [ "${row%%|*}" = failed ]
done
check "smuggling: the bad recipient is named as the reason" \
	grep -q "envelope recipient refused before sending" <<<"$(sqlite3 "$SB/refbot.db" "select last_error from outbox where id = $R1")"
check "smuggling: the bad sender is named as the reason" \
	grep -q "envelope sender refused before sending" <<<"$(sqlite3 "$SB/refbot.db" "select last_error from outbox where id = $R2")"
sleep 1
check "smuggling: the victim's mailbox is still empty" [ "$(count victim)" = 0 ]
check "smuggling: partner1 got nothing more ($(count partner1), was $before)" [ "$(count partner1)" = "$before" ]
check "smuggling: the log does not carry the addresses" bash -c "! grep -q 'victim@' '$SB/run-smuggle.log'"
finish
