#!/usr/bin/python3
# parse_bench.py: the script a user would write instead of refbot's parser,
# with Python's standard email package, run over the same corpus as
# parse_bench.c and printing the same figures and checksum.
#
# Per message: email.message_from_bytes(policy=email.policy.default);
# automatic mail from its headers (Auto-Submitted, Precedence, List-Id,
# X-Autoreply, an empty Return-Path, a robot sender, multipart/report);
# replies from a [REF-n] subject tag or our Message-ID host; otherwise the
# text/plain part (else the HTML one, tags stripped crudely), decoded, and
# its "Label: value" lines read for the labels of templates/referral.template
# (full-width folded with NFKC), quoted lines and the signature skipped;
# then required fields, the one-of groups, the yes/no checklist rules and
# the email type give qualified, incomplete or disqualified.
#
# Usage: parse_bench.py [-t TEMPLATE] [-n MAX] DIR
# Files are read one at a time; only the parsing is timed, in wall clock
# and in CPU time of this process.  MB = 10^6 bytes.
import argparse
import email
import email.policy
import html
import os
import re
import resource
import sys
import time
import unicodedata

OUR_DOMAIN = "refbot.example.test"
ROBOTS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply",
          "donotreply", "do-not-reply", "bounce", "bounces")
YES = {"yes", "y", "true", "はい", "有", "済", "ok", "1"}
NO = {"no", "n", "false", "いいえ", "無", "未", "0"}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LINE_RE = re.compile(r"^\s*([^:]{1,60}?)\s*:\s*(.*)$")
TAG_RE = re.compile(r"\[REF-(\d+)\]")


def fold(s):
    return " ".join(unicodedata.normalize("NFKC", s).lower().split())


def load_template(path):
    """Fields (labels, required, type, must) and one-of groups."""
    fields, groups, cur = {}, [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.match(r"\[(field|one_of)\s+(\S+)\]", line)
            if m:
                cur = {"key": m.group(2), "required": False, "type": "text",
                       "must": None, "labels": [], "fields": []}
                if m.group(1) == "field":
                    fields[cur["key"]] = cur
                else:
                    groups.append(cur)
                continue
            if cur is None or "=" not in line:
                continue
            k, v = (s.strip() for s in line.split("=", 1))
            if k == "labels":
                cur["labels"] = [fold(s) for s in v.split(",")]
            elif k == "required":
                cur["required"] = v == "yes"
            elif k in ("type", "must"):
                cur[k] = v
            elif k == "fields":
                cur["fields"] = [s.strip() for s in v.split(",")]
    by_label = {lab: fd for fd in fields.values() for lab in fd["labels"]}
    return fields, groups, by_label


def addr_of(msg, name):
    try:
        h = msg[name]
        if h is None or not h.addresses:
            return None
        return h.addresses[0].addr_spec.lower()
    except (IndexError, AttributeError, TypeError, ValueError):
        return None


def automatic(msg):
    v = msg.get("Auto-Submitted")
    if v is not None and not str(v).strip().lower().startswith("no"):
        return True
    v = msg.get("Precedence")
    if v is not None and str(v).strip().lower() in ("bulk", "junk", "list"):
        return True
    for h in ("X-Refbot-Loop", "X-Autoreply", "X-Autorespond", "List-Id"):
        if msg.get(h) is not None:
            return True
    rp = msg.get("Return-Path")
    if rp is not None and str(rp).strip() in ("", "<>"):
        return True
    frm = addr_of(msg, "From")
    if frm is None:
        return True
    local = frm.split("@", 1)[0]
    for r in ROBOTS:
        if local == r or (local.startswith(r) and local[len(r)] in "+-."):
            return True
    return msg.get_content_type() == "multipart/report"


def ours(msg):
    for h in ("In-Reply-To", "References"):
        v = msg.get(h)
        if v is not None and ("@" + OUR_DOMAIN) in str(v).lower():
            return True
    return TAG_RE.search(str(msg.get("Subject", ""))) is not None


def strip_html(s):
    s = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", s)
    s = re.sub(r"(?i)<br\s*/?>|</(p|div|tr|li|h\d)>", "\n", s)
    s = re.sub(r"(?s)<[^>]*>", "", s)
    return html.unescape(s)


def body_text(msg):
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError, KeyError):
        data = part.get_payload(decode=True) or b""
        text = data.decode("utf-8", "replace")
    if not isinstance(text, str):
        return ""
    if part.get_content_type() == "text/html":
        text = strip_html(text)
    return text


def read_form(text, by_label):
    values, cur = {}, None
    for line in text.splitlines():
        if line.rstrip() in ("--", "-- ") and line.startswith("--"):
            break
        if line.startswith(">") or not line.strip():
            cur = None
            continue
        m = LINE_RE.match(unicodedata.normalize("NFKC", line))
        fd = by_label.get(" ".join(m.group(1).lower().split())) if m else None
        if fd is not None:
            key = fd["key"]
            if key not in values:
                values[key] = m.group(2).strip()
            cur = key if fd["type"] == "text" else None
        elif cur is not None:
            values[cur] += "\n" + line.strip()
    return values


def evaluate(values, fields, groups):
    bad = False
    for fd in fields.values():
        v = values.get(fd["key"], "")
        if not v:
            bad = bad or fd["required"]
        elif fd["type"] == "email" and not EMAIL_RE.match(v):
            bad = True
        elif fd["type"] == "yesno" and fold(v) not in YES | NO:
            bad = True
    for g in groups:
        if not any(values.get(k) for k in g["fields"]):
            bad = True
    if bad:
        return "incomplete"
    for fd in fields.values():
        if fd["type"] == "yesno" and fd["must"]:
            v = fold(values.get(fd["key"], ""))
            if (v in YES) != (fd["must"] == "yes"):
                return "disqualified"
    return "qualified"


def has_attachment(msg):
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.is_attachment() or part.get_content_maintype() != "text":
            return True
    return False


def analyze(raw, tmpl, t):
    fields, groups, by_label = tmpl
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        if has_attachment(msg):
            t["attachments"] += 1
        if automatic(msg):
            t["automatic"] += 1
            return
        if ours(msg):
            t["reply"] += 1
            return
        values = read_form(body_text(msg), by_label)
    except Exception:  # what a careful script does with odd mail
        t["unreadable"] += 1
        return
    t["submission"] += 1
    t["fields"] += len(values)
    t[evaluate(values, fields, groups)] += 1


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("-t", dest="template",
                    default=os.path.join(top, "templates",
                                         "referral.template"))
    ap.add_argument("-n", dest="limit", type=int, default=None)
    ap.add_argument("dir")
    args = ap.parse_args()

    tmpl = load_template(args.template)
    names = sorted(n for n in os.listdir(args.dir)
                   if n.endswith(".eml") and not n.startswith("."))
    if args.limit is not None:
        names = names[:args.limit]
    if not names:
        sys.exit("parse_bench.py: %s: no .eml files" % args.dir)
    keys = ("submission", "automatic", "reply", "unreadable", "qualified",
            "incomplete", "disqualified", "fields", "attachments")
    t = dict.fromkeys(keys, 0)
    with open(os.path.join(args.dir, names[0]), "rb") as f:
        analyze(f.read(), tmpl, dict.fromkeys(keys, 0))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    seconds, cpu, nbytes = 0.0, 0.0, 0
    for name in names:
        with open(os.path.join(args.dir, name), "rb") as f:
            raw = f.read()
        c0 = time.process_time()
        t0 = time.perf_counter()
        analyze(raw, tmpl, t)
        seconds += time.perf_counter() - t0
        cpu += time.process_time() - c0
        nbytes += len(raw)

    n = len(names)
    print("messages %d" % n)
    print("mb %.3f" % (nbytes / 1e6))
    print("seconds %.4f" % seconds)
    print("mb_per_s %.2f" % (nbytes / 1e6 / seconds))
    print("messages_per_s %.0f" % (n / seconds))
    print("us_per_message %.1f" % (seconds * 1e6 / n))
    print("cpu_seconds %.4f" % cpu)
    print("cpu_mb_per_s %.2f" % (nbytes / 1e6 / cpu))
    print("rss_before_kib %d" % rss_before)
    print("peak_rss_kib %d" %
          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print("checksum " + " ".join("%s=%d" % (k, t[k]) for k in keys))


if __name__ == "__main__":
    main()
