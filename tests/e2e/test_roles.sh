#!/bin/bash
# Template roles (#16.11): a firm renames the client and contact keys of
# its template; the roles it gives them keep the client's name in the
# mails and the first-referral-wins duplicate check working.
. "$(dirname "$0")/lib.sh"
sandbox_start

cp -r "$REFBOT_SRC/templates" "$SB/tpl"
sed -i 's/^\[field client\]$/[field kaisha]/; s/^\[field contact_name\]$/[field tanto]/;
	s/^\[field contact_email\]$/[field renraku]/; s/^fields = contact_email,/fields = renraku,/' \
	"$SB/tpl/referral.template"
sed -i "s|^templates = .*|templates = $SB/tpl|" "$CONF"
check "the template has no key named client any more" bash -c "! grep -q '^\[field client\]' '$SB/tpl/referral.template'"

rb init >/dev/null
rb partner add partner1@example.test --name "Partner One" >/dev/null
rb partner add partner2@example.test --name "Partner Two" >/dev/null
send() { "$MAILTOOL" send --env "$SB/env" "$@" >/dev/null; }
run_once() { "$MAILTOOL" wait --env "$SB/env" --user intake --count 1 --timeout 20 >/dev/null; rb run --once 2>>"$SB/run.log"; }

send --from partner1 --to intake --subject "Referral" --body $'Client: Acme Widgets KK\nContact name: Ann\nContact email: ann@acme.example\nService needed: Tax\nChallenge: Japan entry\nClient aware: yes\n'
run_once
send --from partner2 --to intake --subject "Referral" --body $'Client: ACME WIDGETS, LTD.\nContact name: J. Smith\nContact email: j.smith@other.example\nService needed: Tax\nChallenge: Japan entry\nClient aware: yes\n'
run_once
send --from partner2 --to intake --subject "Referral" --body $'Client: Beta Works\nContact name: Bob\nContact email: bob@acme.example\nService needed: Audit\nChallenge: Close\nClient aware: yes\n'
run_once
check "the first referral is NEW, with its client's name" [ "$(sqlite3 "$SB/refbot.db" "select status || ' ' || client || ' ' || contact_name from referrals where id = 1")" = "NEW Acme Widgets KK Ann" ]
check "the same company under another name is a DUPLICATE of it" [ "$(sqlite3 "$SB/refbot.db" "select status || ' ' || duplicate_of from referrals where id = 2")" = "DUPLICATE 1" ]
check "the same contact domain is a DUPLICATE too" [ "$(sqlite3 "$SB/refbot.db" "select status || ' ' || duplicate_of from referrals where id = 3")" = "DUPLICATE 1" ]
check "the fields are stored under the firm's keys" [ "$(sqlite3 "$SB/refbot.db" "select value from referral_fields where referral_id = 1 and key = 'kaisha'")" = "Acme Widgets KK" ]
check "the acknowledgement names the client" [ "$("$MAILTOOL" fetch --env "$SB/env" --user partner1 --format json | pyjson '"Acme Widgets KK" in j[0]["text"]')" = True ]

finish
