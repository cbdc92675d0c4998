#!/usr/bin/python3
# bench/peer_intake.py: the peer of bench/run-all's "peer" figure (issue
# 21).  The intake script a careful person would write in an afternoon
# with Python's standard library alone: log in over IMAPS, take the unseen
# mail one message at a time (UID FETCH BODY.PEEK[]), parse it with the
# email package, store it (raw bytes, sender, subject, Message-ID, the
# first text part) in SQLite with one commit per message, then flag it
# \Seen.  It sends nothing and decides nothing: a floor for "ingest".
#
# Usage: peer_intake.py HOST PORT USER PASSWORD_FILE DATABASE [MAILBOX]
# Prints "name value" lines: messages, seconds.  Certificates are not
# checked: this is a measurement on loopback.
import email
import email.policy
import imaplib
import sqlite3
import ssl
import sys
import time


def text_of(msg):
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return None
    try:
        return part.get_content()
    except (LookupError, ValueError, UnicodeError):
        return None


def main():
    if len(sys.argv) not in (6, 7):
        sys.exit("usage: peer_intake.py HOST PORT USER PASSWORD_FILE "
                 "DATABASE [MAILBOX]")
    host, port, user, pwfile, dbpath = sys.argv[1:6]
    mailbox = sys.argv[6] if len(sys.argv) == 7 else "INBOX"
    with open(pwfile) as f:
        password = f.read().strip()
    t0 = time.monotonic()
    db = sqlite3.connect(dbpath)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY "
               "KEY, uid INTEGER UNIQUE, message_id TEXT, sender TEXT, "
               "subject TEXT, body TEXT, raw BLOB)")
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4_SSL(host, int(port), ssl_context=ctx)
    imap.login(user, password)
    imap.select(mailbox)
    typ, data = imap.uid("SEARCH", None, "UNSEEN")
    if typ != "OK":
        sys.exit("peer_intake: UID SEARCH failed")
    n = 0
    for uid in data[0].split():
        typ, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        if typ != "OK" or not data or not isinstance(data[0], tuple):
            continue
        raw = data[0][1]
        try:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            row = (str(msg.get("Message-ID", "")), str(msg.get("From", "")),
                   str(msg.get("Subject", "")), text_of(msg))
        except Exception:  # hostile mail: keep the bytes alone
            row = (None, None, None, None)
        with db:
            db.execute("INSERT OR IGNORE INTO messages (uid, message_id, "
                       "sender, subject, body, raw) VALUES (?, ?, ?, ?, "
                       "?, ?)", (int(uid),) + row + (raw,))
        imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        n += 1
    imap.logout()
    db.close()
    print("messages %d" % n)
    print("seconds %.3f" % (time.monotonic() - t0))


if __name__ == "__main__":
    main()
