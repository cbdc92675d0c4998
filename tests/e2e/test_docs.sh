#!/bin/bash
# The documentation says what the program does (#17.7): every command and
# verb of "refbot --help" has an entry in refbot(1), every option a
# command's help names is in refbot(1), every command has its own help
# with an example, every key of bot/conf.c's key table is in
# refbot.conf(5) and refbot.conf.example, the two agree on default paths,
# every exit code is in refbot(1) and --help.  (The keyword x state table
# of refbot(1) is checked against parsers/status.c by tests/unit/
# test_status.)  No sandbox: it reads the sources and runs --help.
# Each failure says what is missing where.
. "$(dirname "$0")/lib.sh"

MAN1="$REFBOT_SRC/doc/refbot.1.in"
MAN5="$REFBOT_SRC/doc/refbot.conf.5.in"
EXAMPLE="$REFBOT_SRC/refbot.conf.example"
# Man source as plain text: no font changes, "\-" as "-".
plain() { sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\(em/-/g' "$1"; }
man1=$(plain "$MAN1")
man5=$(plain "$MAN5")
help=$("$REFBOT" --help)

# Commands and verbs: "  partner list|show [PARTNER]" gives partner,
# partner list and partner show.
missing=""
while read -r cmd verbs _; do
	grep -qE "^(\.B )?$cmd( |$)" <<<"$man1" || missing="$missing '$cmd'"
	case "$verbs" in [a-z]*) ;; *) continue ;; esac
	for v in ${verbs//|/ }; do
		grep -qE "^(\.B )?$cmd $v( |$)" <<<"$man1" ||
			missing="$missing '$cmd $v'"
	done
done < <(grep -E '^  [a-z]+( |$)' <<<"$help" | sed -e 's/^  //' -e 's/  .*//')
check "refbot(1) has an entry for every command of --help${missing:+ — add a .TP entry under COMMANDS in doc/refbot.1.in for:$missing}" [ -z "$missing" ]

# Each command: its own help, with an example; its options in refbot(1).
cmds=$(sed -n 's/^  \([a-z][a-z]*\)\( .*\)\{0,1\}$/\1/p' <<<"$help" | sort -u)
nohelp="" noopt=""
for c in $cmds; do
	out=$("$REFBOT" "$c" --help 2>&1)
	if [ "$out" = "$help" ] || ! grep -q '^Example' <<<"$out"; then
		nohelp="$nohelp $c"
		continue
	fi
	for o in $(grep -oE -- '--[a-z][a-z-]*' <<<"$out" | sort -u); do
		[ "$o" = --help ] || [ "$o" = --config ] && continue
		grep -qF -- "$o" <<<"$man1" || noopt="$noopt $c:$o"
	done
done
check "every command has its own --help with an example${nohelp:+ — give the struct cli_cmd of these commands (bot/cli_*.c) a help text with options and an 'Example:' line:$nohelp}" [ -z "$nohelp" ]
check "every option of a command's --help is in refbot(1)${noopt:+ — document in doc/refbot.1.in:$noopt}" [ -z "$noopt" ]

# Configuration keys: the key table of bot/conf.c.
keys=$(sed -n 's/^[[:space:]]*{ "\([a-z0-9_]*\)", K_.*/\1/p' "$REFBOT_SRC/bot/conf.c")
check "bot/conf.c's key table was read ($(wc -w <<<"$keys") keys)" [ "$(wc -w <<<"$keys")" -ge 30 ]
no5="" noex=""
for k in $keys; do
	# ".B key", or one of a ".BR a \", \" b" list
	grep -qE "^\.BR? (.* )?$k( |\$)" <<<"$man5" || no5="$no5 $k"
	grep -qE "^#?$k = " "$EXAMPLE" || noex="$noex $k"
done
check "refbot.conf(5) describes every key${no5:+ — add a '.TP/.B KEY' entry to doc/refbot.conf.5.in for:$no5}" [ -z "$no5" ]
check "refbot.conf.example shows every key${noex:+ — add 'KEY = value' (or '#KEY = default') with a comment to refbot.conf.example for:$noex}" [ -z "$noex" ]

# Default paths: the example and refbot.conf(5) agree (both filled in by make).
bad=""
for k in database templates; do
	ex=$(sed -n "s/^#\{0,1\}$k = //p" "$EXAMPLE")
	def=$(awk -v k=".B $k" '$0 == k { f = 1; next } f && /^\.TP/ { exit }
		f && /^Default:/ { getline; print; exit }' <<<"$man5" |
		sed -e 's/^\.IR* //' -e 's/ \.$//')
	[ -n "$ex" ] && [ "$ex" = "$def" ] || bad="$bad $k(example: '$ex', refbot.conf(5): '$def')"
done
check "refbot.conf.example and refbot.conf(5) agree on default paths${bad:+ —$bad}" [ -z "$bad" ]

# Exit codes: every EX_ code of bot/refbot.h, in refbot(1) and --help.
noman="" nohelp=""
for n in $(sed -n 's/^#define EX_[A-Z]*_ \([0-9][0-9]*\)$/\1/p' "$REFBOT_SRC/bot/refbot.h"); do
	grep -qE "^\.B $n\$" <<<"$man1" || noman="$noman $n"
	grep -qE "(^| )$n " <<<"$help" || nohelp="$nohelp $n"
done
check "refbot(1) EXIT STATUS has every exit code${noman:+ — add to doc/refbot.1.in, EXIT STATUS:$noman}" [ -z "$noman" ]
check "--help names every exit code${nohelp:+ — add to help_tail in bot/cli.c:$nohelp}" [ -z "$nohelp" ]

check "README.md promises nothing \"still to come\"" \
	bash -c '! grep -n "still to come" "$1"' _ "$REFBOT_SRC/README.md"
finish
