#!/bin/bash
# Bad setup gets a clear one-line error, a sysexits code, and changes
# nothing: config errors, an unreachable server, a wrong password, a
# certificate that does not verify.
. "$(dirname "$0")/lib.sh"
sandbox_start

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
"$MAILTOOL" send --env "$SB/env" --from partner1 --to intake --eml "$REFBOT_SRC/tests/data/plain-en.eml"
"$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null

# variant NAME SED-EXPR: a copy of the working config with one change.
variant() {
	sed "$2" "$CONF" >"$SB/$1.conf"
	echo "$SB/$1.conf"
}

# A typo in a key: file and line in the message, exit 78.
bad=$(variant typo 's/^imap_user = /imap_usr = /')
out=$("$REFBOT" --config "$bad" run --once 2>&1)
rc=$?
line=$(grep -n '^imap_usr' "$bad" | cut -d: -f1)
check "unknown key: exit 78 (got $rc)" [ "$rc" -eq 78 ]
check "unknown key: message names file and line" \
	grep -qF "$bad:$line: unknown key 'imap_usr'" <<<"$out"

# Nothing listens on this port.
bad=$(variant down "s|^imap_url = .*|imap_url = imaps://127.0.0.1:$SINK_PORT|")
out=$("$REFBOT" --config "$bad" run --once 2>&1)
rc=$?
check "unreachable IMAP server: exit 69 (got $rc)" [ "$rc" -eq 69 ]
check "unreachable IMAP server: says which server" grep -q "IMAP 127.0.0.1:$SINK_PORT: cannot connect" <<<"$out"

# Wrong password.
printf 'wrong\n' >"$SB/secrets/bad-password"
chmod 600 "$SB/secrets/bad-password"
bad=$(variant pw "s|^imap_password_file = .*|imap_password_file = $SB/secrets/bad-password|")
out=$("$REFBOT" --config "$bad" run --once 2>&1)
rc=$?
check "wrong password: exit 77 (got $rc)" [ "$rc" -eq 77 ]
check "wrong password: says the login was refused" grep -q "login as intake refused" <<<"$out"
check "wrong password: the password is not printed" bash -c "! grep -q wrong <<<'$out'"

# The server's certificate is not signed by the CA we trust: a CA of our
# own making, and the system store (which does not know the test CA).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=other-ca \
	-keyout "$SB/other-ca.key" -out "$SB/other-ca.pem" >/dev/null 2>&1
bad=$(variant ca "s|^imap_ca_file = .*|imap_ca_file = $SB/other-ca.pem|")
out=$("$REFBOT" --config "$bad" run --once 2>&1)
rc=$?
check "untrusted certificate: exit 76 (got $rc)" [ "$rc" -eq 76 ]
check "untrusted certificate: says so" grep -q "not trusted" <<<"$out"
bad=$(variant sysca '/^imap_ca_file/d')
"$REFBOT" --config "$bad" run --once >/dev/null 2>&1
rc=$?
check "system trust store rejects the test CA: exit 76 (got $rc)" [ "$rc" -eq 76 ]

# A certificate from the trusted CA, but for another host name.
openssl req -newkey rsa:2048 -nodes -subj /CN=other.example \
	-addext subjectAltName=DNS:other.example \
	-keyout "$SB/other.key" -out "$SB/other.csr" >/dev/null 2>&1
openssl x509 -req -in "$SB/other.csr" -CA "$SANDBOX_CA" -CAkey "$SB/tls/ca.key" \
	-CAcreateserial -days 1 -copy_extensions copy -out "$SB/other.pem" >/dev/null 2>&1
# imposter NAME PREFIX: a run against a TLS server on the spare port that
# presents $SB/PREFIX.pem and then greets like IMAP; sets out and rc.
imposter() {
	(printf '* OK IMAP ready\r\n'; sleep 5) |
		openssl s_server -quiet -accept "127.0.0.1:$SINK_PORT" -cert "$SB/$2.pem" \
		-key "$SB/$2.key" >/dev/null 2>&1 &
	local s_server=$! bad
	# Wait for it to listen without connecting: it serves one client.
	for _ in $(seq 50); do ss -Hltn "sport = :$SINK_PORT" | grep -q . && break; sleep 0.1; done
	bad=$(variant "$1" "s|^imap_url = .*|imap_url = imaps://127.0.0.1:$SINK_PORT|")
	out=$("$REFBOT" --config "$bad" run --once 2>&1)
	rc=$?
	kill "$s_server" 2>/dev/null
	wait "$s_server" 2>/dev/null
}
imposter name other
check "certificate for another host name: exit 76 (got $rc)" [ "$rc" -eq 76 ]
check "certificate for another host name: says so" grep -q "not trusted" <<<"$out"

# A certificate from the trusted CA for the right name, but issued for a
# TLS client only (extendedKeyUsage clientAuth): whoever holds one must
# not pass for our IMAP server (issue 14).
printf 'extendedKeyUsage = clientAuth\nsubjectAltName = DNS:localhost,IP:127.0.0.1\n' >"$SB/client.ext"
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
	-keyout "$SB/client.key" -out "$SB/client.csr" >/dev/null 2>&1
openssl x509 -req -in "$SB/client.csr" -CA "$SANDBOX_CA" -CAkey "$SB/tls/ca.key" \
	-CAcreateserial -days 1 -extfile "$SB/client.ext" -out "$SB/client.pem" >/dev/null 2>&1
check "the clientAuth-only certificate was made" grep -q "TLS Web Client Authentication" \
	<<<"$(openssl x509 -in "$SB/client.pem" -noout -ext extendedKeyUsage 2>&1)"
imposter kp client
diag "clientAuth-only: $(head -n 1 <<<"$out")"
check "certificate for TLS clients only: exit 76 (got $rc)" [ "$rc" -eq 76 ]
check "certificate for TLS clients only: says so" grep -q "not trusted" <<<"$out"

# STARTTLS on the plain port is verified the same way.
bad=$(variant starttls "s|^imap_url = .*|imap_url = imap://127.0.0.1:$IMAP_PORT|; s|^imap_ca_file = .*|imap_ca_file = $SB/other-ca.pem|")
"$REFBOT" --config "$bad" run --once >/dev/null 2>&1
rc=$?
check "STARTTLS with an untrusted certificate: exit 76 (got $rc)" [ "$rc" -eq 76 ]

check "nothing was processed: no referral" [ "$(rb referral list --format json | pyjson 'len(j)')" = 0 ]
check "nothing was moved: the mail is still in INBOX" [ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 1 ]

# And with the good config over STARTTLS, it works.
good=$(variant good-starttls "s|^imap_url = .*|imap_url = imap://127.0.0.1:$IMAP_PORT|")
"$REFBOT" --config "$good" run --once 2>"$SB/good.log"
rc=$?
check "STARTTLS with the right CA works (exit $rc)" [ "$rc" -eq 0 ]
check "and the referral is then stored" [ "$(rb referral list --format json | pyjson 'len(j)')" = 1 ]

# A database that was never initialised.
bad=$(variant nodb "s|^database = .*|database = $SB/none/refbot.db|")
out=$("$REFBOT" --config "$bad" referral list 2>&1)
rc=$?
check "missing database: non-zero exit (got $rc)" [ "$rc" -ne 0 ]
check "missing database: names the path" grep -qF "$SB/none/refbot.db" <<<"$out"

finish
