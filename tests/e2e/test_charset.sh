#!/bin/bash
# outbound_charset = iso-2022-jp (issue 16 item 9, PRODUCT.md): Japanese
# mail to partners goes as ISO-2022-JP (subject in ISO-2022-JP encoded
# words, a 7bit ISO-2022-JP text), and decodes to the right text both in
# the partner's mail program (Python's email package, through the real
# Postfix and Dovecot) and in refbot's own parser; a mail with a
# character outside JIS X 0208 (髙) goes as UTF-8, whole; English mail
# stays UTF-8.
. "$(dirname "$0")/lib.sh"
sandbox_start

echo "outbound_charset = iso-2022-jp" >>"$CONF"
mt() { "$MAILTOOL" "$1" --env "$SB/env" "${@:2}"; }
expect() { mt wait --user "$1" --count "$2" --timeout 20 >/dev/null; }
run_once() { rb run --once 2>>"$SB/run.log"; }
# acked USER N EML WHAT: USER mails EML to the intake, one pass, and its
# Nth mail (an acknowledgement) arrives; $f is then the file of the
# bytes refbot sent.
acked() {
	local id
	mt send --from "$1" --to intake --eml "$3" >/dev/null
	run_once
	check "$4: the acknowledgement arrives" expect "$1" "$2"
	id=$(sqlite3 "$SB/refbot.db" "select max(id) from outbox where kind = 'ack' and rcpt = '$1@example.test'")
	f="$SB/out-$id.eml"
	sqlite3 "$SB/refbot.db" "select writefile('$f', data) from outbox where id = $id" >/dev/null
}
# newest USER EXPR: EXPR over the newest mail of USER (as mailtool decodes it).
newest() { mt fetch --user "$1" | pyjson "(lambda m: $2)(j[-1])"; }
# own FILE EXPR: EXPR over refbot's own reading of FILE.
own() { "$REFBOT" parse --template "$REFBOT_SRC/templates/referral.template" --format json <"$1" | pyjson "$2"; }
seven_bit() { ! LC_ALL=C grep -q $'[\x80-\xff]' "$1"; }

rb init >/dev/null
rb partner add partner1@example.test --name "パートナー一" --lang ja >/dev/null
rb partner add partner2@example.test --name "Partner Two" --lang en >/dev/null

# --- A Japanese acknowledgement: ISO-2022-JP -------------------------------
acked partner1 1 "$REFBOT_SRC/tests/data/ja-iso2022jp.eml" ja
check "ja: sent as ISO-2022-JP" grep -q "^Content-Type: text/plain; charset=ISO-2022-JP" "$f"
check "ja: 7bit" grep -q "^Content-Transfer-Encoding: 7bit" "$f"
check "ja: the subject in ISO-2022-JP encoded words" grep -q "^Subject: =?ISO-2022-JP?B?" "$f"
check "ja: no 8-bit byte in the whole message" seven_bit "$f"
check "ja: the text shifts into JIS X 0208 and back" grep -q $'\x1b\$B' "$f"
subj=$(newest partner1 'm["headers"]["Subject"]')
diag "ja: received subject: $subj"
check "ja: received: the subject decodes" grep -q "ご紹介を受け付けました: 株式会社サンプル" <<<"$subj"
check "ja: received: declared ISO-2022-JP" grep -qi "iso-2022-jp" <<<"$(newest partner1 'm["headers"]["Content-Type"]')"
text=$(newest partner1 'm["text"]')
check "ja: received: the text decodes" grep -q "パートナー一 様" <<<"$text"
check "ja: received: the fields read back" grep -q "会計監査" <<<"$text"
check "ja: refbot's own parser reads the same subject" [ "$(own "$f" 'j["subject"]')" = "$subj" ]
check "ja: refbot's own parser reads the same text" \
	[ "$(own "$f" 'j["text"]')" = "$(newest partner1 'm["text"].rstrip("\n")')" ]

# --- 髙 is not in JIS X 0208: the whole mail is UTF-8 ------------------------
sed -e 's/^Message-ID: .*/Message-ID: <taka@partner.example>/' -e 's/^Subject: .*/Subject: =?UTF-8?B?'"$(printf 'ご紹介' | base64)"'?=/' \
	-e 's/^Content-Type: .*/Content-Type: text\/plain; charset=UTF-8/' -e '/^Content-Transfer-Encoding/d' \
	-e '/^$/q' "$REFBOT_SRC/tests/data/ja-iso2022jp.eml" >"$SB/taka.eml"
cat >>"$SB/taka.eml" <<'MAIL'
お世話になっております。ご紹介です。

クライアント名：髙島商事株式会社
担当者名：髙橋 一郎
メール：takahashi@takashima.example
必要なサービス：会計監査
課題：海外子会社の連結決算
背景：来年上場予定
クライアントの了承：はい
予算：１，２００，０００円
MAIL
acked partner1 2 "$SB/taka.eml" 髙
check "髙: sent as UTF-8" grep -q "^Content-Type: text/plain; charset=UTF-8" "$f"
check "髙: the subject in UTF-8 encoded words" grep -q "^Subject: =?UTF-8?B?" "$f"
check "髙: nothing in ISO-2022-JP" bash -c "! grep -q ISO-2022-JP '$f'"
subj=$(newest partner1 'm["headers"]["Subject"]')
diag "髙: received subject: $subj"
check "髙: received: the subject keeps 髙" grep -q "ご紹介を受け付けました: 髙島商事株式会社" <<<"$subj"
check "髙: received: the text keeps 髙" grep -q "髙橋" <<<"$(newest partner1 'm["text"]')"
check "髙: refbot's own parser reads the subject" [ "$(own "$f" 'j["subject"]')" = "$subj" ]

# --- English mail stays UTF-8 ------------------------------------------------
sed -e "s/^From: .*/From: partner2@example.test/" "$REFBOT_SRC/tests/data/plain-en.eml" >"$SB/en.eml"
acked partner2 1 "$SB/en.eml" en
check "en: sent as UTF-8" grep -q "^Content-Type: text/plain; charset=UTF-8" "$f"

# --- The setting is checked ---------------------------------------------------
sed 's/^outbound_charset = .*/outbound_charset = shift_jis/' "$CONF" >"$SB/bad.conf"
out=$("$REFBOT" --config "$SB/bad.conf" doctor 2>&1)
check "a charset other than utf-8 or iso-2022-jp is refused with file:line" \
	grep -q "bad.conf:[0-9]*: outbound_charset must be utf-8 or iso-2022-jp" <<<"$out"

if [ "$T_FAILED" -gt 0 ]; then
	diag "--- run.log"
	sed 's/^/#   /' "$SB/run.log"
fi
finish
