#!/bin/bash
# Operator experience: "make install" into a DESTDIR, the installed binary,
# "refbot doctor" against a real sandbox (all OK, then one fault at a
# time), the manual pages under "man --warnings", the unit file under
# "systemd-analyze verify", and "make uninstall" leaving no file behind.
#
# It builds nothing: $REFBOT's folder must be a configured build tree.
. "$(dirname "$0")/lib.sh"

builddir=$(cd "$(dirname "$REFBOT")" && pwd)
if [ ! -f "$builddir/Makefile" ]; then
	echo "Bail out! $builddir is not a configured build tree (set REFBOT to its refbot)"
	exit 1
fi
INST=$(mktemp -d /tmp/refbot-install.XXXXXX)
WORK=$(mktemp -d /tmp/refbot-install-work.XXXXXX)

if ! make -s -C "$builddir" install DESTDIR="$INST" >"$WORK/install.log" 2>&1; then
	cat "$WORK/install.log"
	echo "Bail out! make install failed"
	exit 1
fi
ok "make install DESTDIR=... succeeds"

# The installed tree, found by name so that any prefix works.
found() { find "$INST" -path "$1" "${@:2}" | head -n 1; }
BIN=$(found '*/bin/refbot' -type f -perm -u+x)
TEMPLATES=$(dirname "$(found '*/refbot/templates/referral.template' -type f)")
UNIT=$(found '*/systemd/system/refbot.service' -type f)
MAN1=$(found '*/man1/refbot.1' -type f)
MANDIR=$(dirname "$(dirname "$MAN1")")
check "binary installed" [ -n "$BIN" ]
check "templates installed" test -f "$TEMPLATES/keywords.txt" -a -f "$TEMPLATES/mail/ack.en.txt"
check "example configuration installed" [ -n "$(found '*/etc/refbot/refbot.conf.example' -type f)" ]
check "unit, sysusers.d and tmpfiles.d files installed" test -n "$UNIT" \
	-a -n "$(found '*/sysusers.d/refbot.conf' -type f)" \
	-a -n "$(found '*/tmpfiles.d/refbot.conf' -type f)"
check "state folder created" [ -n "$(found '*/lib/refbot' -type d)" ]

version=$("$BIN" --version)
check "installed binary runs: $version" grep -qE '^refbot [0-9]+\.[0-9]+' <<<"$version"

# --- manual pages ------------------------------------------------------------
for page in man1/refbot.1 man5/refbot.conf.5 man5/refbot-template.5; do
	f="$MANDIR/$page"
	if [ ! -f "$f" ]; then
		not_ok "$page installed"
		continue
	fi
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
	check "$page: man --warnings is silent" [ -z "$warnings" ]
	[ -z "$warnings" ] || diag "$warnings"
done
page=$(MANWIDTH=200 man -l "$MANDIR/man1/refbot.1" 2>/dev/null)
missing=""
for cmd in $("$BIN" --help | awk '/^Commands:/ { f = 1; next } /^$/ { f = 0 } f && /^  [a-z]/ { print $1 }' | sort -u) \
	--config --verbose --syslog --help --version; do
	grep -qw -- "$cmd" <<<"$page" || missing="$missing $cmd"
done
check "refbot(1) has every command and option of --help${missing:+ (missing:$missing)}" [ -z "$missing" ]
page=$(MANWIDTH=200 man -l "$MANDIR/man5/refbot.conf.5" 2>/dev/null)
missing=""
for key in $(sed -n 's/^#\{0,1\}\([a-z_]*\) = .*/\1/p' "$REFBOT_SRC/refbot.conf.example"); do
	grep -qw -- "$key" <<<"$page" || missing="$missing $key"
done
check "refbot.conf(5) has every key of refbot.conf.example${missing:+ (missing:$missing)}" [ -z "$missing" ]

# --- the unit file -------------------------------------------------------------
# The unit names the binary where it will live; verify a copy that points
# into the DESTDIR instead, so systemd-analyze can check it is executable.
exec_path=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$UNIT")
check "ExecStart names the installed binary ($exec_path)" [ "$INST$exec_path" = "$BIN" ]
if systemd-analyze --version >/dev/null 2>&1; then
	mkdir -p "$WORK/unit"
	sed "s|^ExecStart=$exec_path|ExecStart=$BIN|" "$UNIT" >"$WORK/unit/refbot.service"
	# It exits 0 even on unknown keys, so any output is a failure too;
	# MANPATH lets it find the Documentation= pages just installed.
	out=$(cd "$WORK/unit" && MANPATH="$MANDIR" SYSTEMD_LOG_COLOR=0 \
		systemd-analyze verify "$WORK/unit/refbot.service" 2>&1)
	rc=$?
	check "systemd-analyze verify: exit 0, no complaints" test "$rc" -eq 0 -a -z "$out"
	[ -z "$out" ] || diag "$out"
	exposure=$(cd "$WORK/unit" && systemd-analyze security --offline=true \
		"$WORK/unit/refbot.service" 2>/dev/null | sed -n 's/.*Overall exposure level for refbot.service: \([0-9.]*\).*/\1/p')
	check "unit is hardened: exposure ${exposure:-?} below 3" \
		awk -v e="${exposure:-99}" 'BEGIN { exit !(e < 3) }'
else
	ok "systemd-analyze verify # SKIP systemd-analyze does not run here: $(systemd-analyze --version 2>&1 | head -n 1)"
fi

# The user and the state folder, made in a scratch root as systemd would
# make them at boot; the folder is the one the unit may write.
SYSUSERS=$(found '*/sysusers.d/refbot.conf' -type f)
TMPFILES=$(found '*/tmpfiles.d/refbot.conf' -type f)
statedir=$(sed -n 's/^d \([^ ]*\) .*/\1/p' "$TMPFILES")
check "the unit may write the state folder ($statedir)" \
	grep -qx "ReadWritePaths=$statedir" "$UNIT"
check "the state folder is the refbot user's home" \
	grep -qE "^u refbot .* $statedir\$" "$SYSUSERS"
if command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null; then
	root="$WORK/root"
	mkdir -p "$root/etc"
	systemd-sysusers --root="$root" "$SYSUSERS" >"$WORK/sysusers.log" 2>&1
	uid=$(awk -F: '$1 == "refbot" { print $3 }' "$root/etc/passwd" 2>/dev/null)
	check "sysusers.d entry creates the refbot user" [ -n "$uid" ]
	systemd-tmpfiles --root="$root" --create "$TMPFILES" >"$WORK/tmpfiles.log" 2>&1
	check "tmpfiles.d entry makes the state folder: mode 750, owner refbot" \
		[ "$(stat -c '%a %u' "$root$statedir" 2>/dev/null)" = "750 $uid" ]
else
	ok "sysusers.d and tmpfiles.d entries # SKIP systemd-sysusers or systemd-tmpfiles missing"
fi

# --- refbot doctor against the sandbox ------------------------------------------
# The sandbox's refbot.conf points at the installed templates.
export REFBOT_TEMPLATES="$TEMPLATES"
sandbox_start
doctor() { "$BIN" --config "$1" doctor "${@:2}"; }
# variant NAME SED-EXPR: a copy of the sandbox config with one change.
variant() {
	sed "$2" "$CONF" >"$SB/$1.conf"
	echo "$SB/$1.conf"
}

out=$(doctor "$CONF")
rc=$?
check "doctor before init: exit 74 (got $rc)" [ "$rc" -eq 74 ]
check "doctor before init: says to run refbot init" \
	grep -qE "^FAIL database: .* — run 'refbot init'" <<<"$out"
check "doctor before init: the servers are still checked" \
	grep -qE '^OK +imap:' <<<"$out"

"$BIN" --config "$CONF" init >/dev/null
out=$(doctor "$CONF")
rc=$?
check "doctor on a good setup: exit 0 (got $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || diag "$out"
check "doctor: no FAIL line" bash -c "! grep -q '^FAIL' <<<\"\$1\"" _ "$out"
check "doctor: every line is OK, WARN or FAIL" bash -c "! grep -qvE '^(OK  |WARN|FAIL) [a-z.]' <<<\"\$1\"" _ "$out"
check "doctor: config loads" grep -qE "^OK +config: $CONF loads" <<<"$out"
check "doctor: template read from the installed templates" \
	grep -qE "^OK +template: $TEMPLATES/referral.template: [0-9]+ fields" <<<"$out"
check "doctor: mail texts checked" grep -qE '^OK +mail texts:' <<<"$out"
check "doctor: database schema reported" grep -qE '^OK +database: .*schema version [0-9]+' <<<"$out"
check "doctor: IMAP TLS verdict" \
	grep -qE "^OK +imap tls: TLS from the start, certificate for 127.0.0.1 verified against $SB/tls/ca.pem" <<<"$out"
check "doctor: IMAP login and mailbox" grep -qE '^OK +imap: logged in as intake at .* mailbox INBOX selected' <<<"$out"
check "doctor: both folders exist" [ "$(grep -cE '^OK +folder (Processed|Rejected): exists' <<<"$out")" = 2 ]
check "doctor: SMTP TLS verdict" \
	grep -qE "^OK +smtp tls: STARTTLS, certificate for 127.0.0.1 verified" <<<"$out"
check "doctor: SMTP session accepted, nothing sent" grep -qE '^OK +smtp: .*no mail sent' <<<"$out"
check "doctor sent no mail" [ "$("$MAILTOOL" count --env "$SB/env" --user intake)" = 0 ]

# A wrong IMAP password.
printf 'wrong\n' >"$SB/secrets/bad-password"
chmod 600 "$SB/secrets/bad-password"
bad=$(variant pw "s|^imap_password_file = .*|imap_password_file = $SB/secrets/bad-password|")
out=$(doctor "$bad")
rc=$?
check "wrong password: exit 77 (got $rc)" [ "$rc" -eq 77 ]
check "wrong password: FAIL line says to check the user and password" \
	grep -qE '^FAIL imap: .*login as intake refused.* — check imap_user and the password' <<<"$out"
check "wrong password: TLS was still verified" grep -qE '^OK +imap tls:' <<<"$out"
check "wrong password: SMTP still checked" grep -qE '^OK +smtp:' <<<"$out"
check "wrong password: the password is not printed" bash -c "! grep -q wrong <<<\"\$1\"" _ "$out"

# Neither server's certificate verifies against the system store.
bad=$(variant ca '/_ca_file = /d')
out=$(doctor "$bad")
rc=$?
check "untrusted certificates: exit 76 (got $rc)" [ "$rc" -eq 76 ]
check "untrusted certificates: FAIL imap tls says to set imap_ca_file" \
	grep -qE '^FAIL imap tls: .* — .*set imap_ca_file' <<<"$out"
check "untrusted certificates: FAIL smtp tls says to set smtp_ca_file" \
	grep -qE '^FAIL smtp tls: .* — .*set smtp_ca_file' <<<"$out"

# A folder that does not exist: reported, then created with --fix.
bad=$(variant folder 's|^imap_processed_folder = .*|imap_processed_folder = Filed|')
out=$(doctor "$bad")
rc=$?
check "missing folder: exit 78 (got $rc)" [ "$rc" -eq 78 ]
check "missing folder: FAIL line offers --fix" \
	grep -qE "^FAIL folder Filed: .* — run 'refbot doctor --fix'" <<<"$out"
out=$(doctor "$bad" --fix)
rc=$?
check "doctor --fix: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "doctor --fix: folder created" grep -qE '^OK +folder Filed: created' <<<"$out"
out=$(doctor "$bad")
check "after --fix the folder exists" grep -qE '^OK +folder Filed: exists' <<<"$out"

# A configuration that does not load stops before any server is tried.
bad=$(variant typo 's/^imap_user = /imap_usr = /')
out=$(doctor "$bad")
rc=$?
check "config error: exit 78 (got $rc)" [ "$rc" -eq 78 ]
check "config error: FAIL names file and line" grep -qE "^FAIL config: $bad:[0-9]+: unknown key 'imap_usr'" <<<"$out"
check "config error: no server contacted" bash -c "! grep -qE '^(OK|FAIL) +(imap|smtp)' <<<\"\$1\"" _ "$out"

# --- uninstall ---------------------------------------------------------------------
make -s -C "$builddir" uninstall DESTDIR="$INST" >"$WORK/uninstall.log" 2>&1
check "make uninstall succeeds" [ $? -eq 0 ]
left=$(find "$INST" -type f)
check "make uninstall leaves no file behind" [ -z "$left" ]
[ -z "$left" ] || diag "$left"

if [ "$T_FAILED" -eq 0 ]; then
	rm -rf "$INST" "$WORK"
else
	diag "install tree kept for inspection: $INST ($WORK)"
fi
finish
