#!/usr/bin/python3
# Generates a large mail corpus for bench/parse, deterministically (seeded).
#
# Every message is one of the test fixtures (tests/data/*.eml and
# tests/data/corpus/*.eml) with its Message-ID, its form values (client,
# contact name, email, phone) and its attachments' bytes varied.  Each text
# part is decoded, changed and encoded again in the charset and
# transfer encoding it came in (lying charset labels stay lying), so the
# corpus keeps the fixtures' real-world habits: ISO-2022-JP, Shift_JIS,
# EUC-JP, quoted-printable, base64, CRLF, HTML, bounces.
#
# The mix, by weight: 40 % English plain text, 25 % Japanese, 15 % HTML
# (multipart/alternative or HTML only), 10 % with attachments, 10 %
# automatic (auto-replies, bounces, list mail).  Broken fixtures (bad-*)
# and replies in our threads (reply-*, staff-*) are left out.
#
# Usage: gen_corpus.py OUTDIR [--messages N] [--seed S] [--distinct-clients]
# Writes OUTDIR/000000.eml ... and OUTDIR/manifest.tsv (file, kind,
# fixture); prints a summary to stderr.
import argparse
import base64
import email
import glob
import os
import quopri
import random
import re
import sys
from email.policy import compat32

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

WEIGHTS = [("en", 40), ("ja", 25), ("html", 15), ("attach", 10),
           ("auto", 10)]

# With --distinct-clients, the number of the message being written: every
# client name and contact domain is then new, so no referral is a
# duplicate of another (bench/run-all wants acknowledgements, not notices).
DISTINCT = None

# The template fields whose values are varied.
VARIED = ("client", "contact_name", "contact_email", "contact_phone")

EN_A = ["Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark",
        "Wayne", "Hooli", "Vandelay", "Tyrell", "Cyberdyne", "Soylent",
        "Oscorp", "Wonka", "Gringotts", "Monarch", "Blue Sun", "Aperture"]
EN_B = ["Widgets", "Trading", "Logistics", "Foods", "Robotics", "Capital",
        "Pharma", "Textiles", "Software", "Holdings", "Energy", "Marine"]
EN_C = ["Ltd", "Inc", "LLC", "GmbH", "plc", "KK", "SA", "Pty Ltd"]
EN_FIRST = ["Jane", "John", "Maria", "Ahmed", "Wei", "Olga", "Liam",
            "Sofia", "Kenji", "Priya", "Lucas", "Emma", "Noah", "Chloe"]
EN_LAST = ["Smith", "Garcia", "Chen", "Novak", "Brown", "Okafor", "Rossi",
           "Dubois", "Tanaka", "Patel", "Silva", "Muller", "Kim", "Evans"]
# JIS X 0208 only, so every Japanese charset can carry them.
JA_A = ["サンプル", "山田商事", "東京精機", "日本物産", "青葉製作所",
        "みらい技研", "北斗システム", "桜井工業", "大和運輸", "富士食品",
        "松本電機", "光陽化学", "中央物流", "新星産業"]
JA_FORM = ["株式会社{}", "{}株式会社", "有限会社{}", "{}合同会社"]
JA_LAST = ["山田", "鈴木", "佐藤", "高橋", "田中", "伊藤", "渡辺", "中村",
           "小林", "加藤", "吉田", "山本"]
JA_FIRST = ["太郎", "花子", "一郎", "美咲", "健太", "陽子", "大輔", "直美",
            "翔太", "由美"]
DOMAINS = ["example.com", "example.net", "example.org", "client.example",
           "sample.example"]


def template_labels(path):
    """The labels of each field in the qualification template."""
    labels, key = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                m = re.match(r"\[field\s+(\S+)\]", line)
                key = m.group(1) if m else None
            elif key and line.startswith("labels") and "=" in line:
                labels[key] = [s.strip() for s in
                               line.split("=", 1)[1].split(",")]
    return labels


def value_re(labels):
    """Matches "Label: value" anywhere in a line (also inside HTML)."""
    alts = []
    for key in VARIED:
        for lab in labels.get(key, []):
            alts.append((lab, key))
    alts.sort(key=lambda a: -len(a[0]))
    owner = {lab.lower(): key for lab, key in alts}
    pat = "(?<![\\w])(%s)([ \\t]*[:：][ \\t]*)([^<\\r\\n]+)" % "|".join(
        re.escape(lab) for lab, _ in alts)
    return re.compile(pat, re.IGNORECASE), owner


def japanese(s):
    return any(ord(c) >= 0x3000 for c in s)


def new_value(rng, key, old):
    ja = japanese(old)
    if key == "client":
        n = "" if DISTINCT is None else "%d" % DISTINCT
        if ja:
            return rng.choice(JA_FORM).format(rng.choice(JA_A) + n)
        return "%s %s%s %s" % (rng.choice(EN_A), rng.choice(EN_B),
                               n and " " + n, rng.choice(EN_C))
    if key == "contact_name":
        if ja:
            return "%s %s" % (rng.choice(JA_LAST), rng.choice(JA_FIRST))
        return "%s %s" % (rng.choice(EN_FIRST), rng.choice(EN_LAST))
    if key == "contact_email":
        # Keep what is being tested (an invalid address stays invalid).
        if "@" not in old and "＠" not in old:
            return old
        first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
        num, domain = rng.randrange(100), rng.choice(DOMAINS)
        if DISTINCT is not None:
            domain = "c%d.%s" % (DISTINCT, domain)
        return "%s.%s%d@%s" % (first.lower(), last.lower(), num, domain)
    if key == "contact_phone":
        return "+81 3 %04d %04d" % (rng.randrange(10000), rng.randrange(10000))
    return old


# Codecs to try for a part, in order; the first that decodes is the part's
# real charset and the one it is encoded back in.  ISO-2022-JP is 7-bit, so
# its escapes decide whatever the label says (UTF-8 would "decode" it too).
def codecs_for(declared, data):
    if b"\x1b$" in data:
        return ["iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2",
                "iso2022_jp_3"]
    tries = []
    if declared:
        d = declared.lower()
        tries.append({"shift_jis": "cp932", "windows-31j": "cp932",
                      "us-ascii": "utf-8"}.get(d, d))
    return tries + ["utf-8", "cp932", "euc_jp"]


def decode_text(declared, data):
    for cs in codecs_for(declared, data):
        try:
            return data.decode(cs), cs
        except (LookupError, UnicodeDecodeError):
            continue
    return None, None


class Slot:
    """One varied piece of a fixture: a text part or an attachment body."""

    def __init__(self, kind, **kw):
        self.kind = kind
        self.__dict__.update(kw)


class Fixture:
    def __init__(self, path, vre, owner):
        self.name = os.path.relpath(path, TOP)
        raw = open(path, "rb").read()
        head = raw.split(b"\n\n", 1)[0]
        self.nl = "\r\n" if b"\r\n" in head else "\n"
        pol = compat32.clone(linesep=self.nl, max_line_length=None)
        msg = email.message_from_bytes(raw, policy=pol)
        self.slots, self.category = [], None
        self.vre, self.owner = vre, owner
        has_html = attach = False
        for part in msg.walk():
            ctype = part.get_content_type()
            disp = str(part.get("Content-Disposition", "")).lower()
            if ctype == "message/rfc822" and part is not msg:
                attach = True
            if part.is_multipart():
                continue
            cte = str(part.get("Content-Transfer-Encoding", "7bit"))
            cte = cte.strip().lower()
            if disp.startswith("attachment"):
                attach = True
                if cte == "base64":
                    size = len(part.get_payload(decode=True) or b"")
                    self.add(part, Slot("attach", size=max(size, 512)))
                continue
            if ctype not in ("text/plain", "text/html"):
                continue
            has_html = has_html or ctype == "text/html"
            data = part.get_payload(decode=True) or b""
            text, cs = decode_text(part.get_content_charset(), data)
            if text is None:
                continue
            orig = part._payload  # raw: get_payload() decodes 8bit
            self.add(part, Slot("text", text=text.replace("\r\n", "\n"),
                                codec=cs, cte=cte, orig=orig))
        if "Message-ID" in msg:
            msg.replace_header("Message-ID", "\x00MID\x00")
        base = os.path.basename(path)
        if base.startswith("auto-") or base in ("autoreply.eml",
                                                "bounce.eml"):
            self.category = "auto"
        elif attach:
            self.category = "attach"
        elif has_html:
            self.category = "html"
        elif base.startswith("ja"):
            self.category = "ja"
        else:
            self.category = "en"
        self.pieces = re.split(rb"\x00(\w+)\x00", msg.as_bytes(policy=pol))

    def add(self, part, slot):
        part.set_payload("\x00S%d\x00" % len(self.slots))
        self.slots.append(slot)

    def render(self, rng, mid):
        nl = self.nl.encode()
        out = []
        for i, piece in enumerate(self.pieces):
            if i % 2 == 0:
                out.append(piece)
            elif piece == b"MID":
                out.append(mid.encode())
            else:
                out.append(self.fill(self.slots[int(piece[1:])], rng, nl))
        return b"".join(out)

    def fill(self, slot, rng, nl):
        orig = slot.orig.encode("ascii", "surrogateescape") \
            if slot.kind == "text" else b""
        if slot.kind == "attach":
            n = rng.randrange(slot.size // 2 + 1, slot.size * 2 + 2048)
            body = base64.encodebytes(rng.randbytes(n))
            return body.replace(b"\n", nl).rstrip(nl) + nl
        changed = [False]

        def sub(m):
            key = self.owner.get(m.group(1).lower())
            old = m.group(3)
            new = new_value(rng, key, old.strip()) if key else old
            if new == old.strip():
                return m.group(0)
            changed[0] = True
            return m.group(1) + m.group(2) + new
        text = self.vre.sub(sub, slot.text)
        if not changed[0]:
            return orig
        try:
            data = text.encode(slot.codec)
        except UnicodeEncodeError:
            return orig
        if slot.cte == "base64":
            body = base64.encodebytes(data)
        elif slot.cte == "quoted-printable":
            body = quopri.encodestring(data)
        else:
            body = data
        body = body.replace(b"\r\n", b"\n").replace(b"\n", nl)
        ends = orig.endswith(b"\n")
        body = body.rstrip(b"\r\n")
        return body + nl if ends else body


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("outdir")
    ap.add_argument("--messages", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--distinct-clients", action="store_true")
    ap.add_argument("--template",
                    default=os.path.join(TOP, "templates",
                                         "referral.template"))
    args = ap.parse_args()

    vre, owner = value_re(template_labels(args.template))
    paths = sorted(glob.glob(os.path.join(TOP, "tests/data/*.eml")) +
                   glob.glob(os.path.join(TOP, "tests/data/corpus/*.eml")))
    pools = {c: [] for c, _ in WEIGHTS}
    for p in paths:
        b = os.path.basename(p)
        if b.startswith(("bad-", "reply-", "staff-")):
            continue
        fx = Fixture(p, vre, owner)
        pools[fx.category].append(fx)
    for c, _ in WEIGHTS:
        if not pools[c]:
            sys.exit("gen_corpus: no fixture of kind %s" % c)

    rng = random.Random(args.seed)
    cats = [c for c, _ in WEIGHTS]
    weights = [w for _, w in WEIGHTS]
    os.makedirs(args.outdir, exist_ok=True)
    count = {c: 0 for c in cats}
    total = 0
    manifest = open(os.path.join(args.outdir, "manifest.tsv"), "w")
    global DISTINCT
    for i in range(args.messages):
        if args.distinct_clients:
            DISTINCT = i
        c = rng.choices(cats, weights)[0]
        fx = rng.choice(pools[c])
        mid = "<bench.%06d.%012x@%s>" % (i, rng.getrandbits(48),
                                         rng.choice(DOMAINS))
        data = fx.render(rng, mid)
        with open(os.path.join(args.outdir, "%06d.eml" % i), "wb") as f:
            f.write(data)
        manifest.write("%06d.eml\t%s\t%s\n" % (i, c, fx.name))
        count[c] += 1
        total += len(data)
    manifest.close()
    print("gen_corpus: %d messages, %.1f MB, from %d fixtures (%s)" % (
        args.messages, total / 1e6, sum(len(v) for v in pools.values()),
        ", ".join("%s %d" % (c, count[c]) for c in cats)), file=sys.stderr)


if __name__ == "__main__":
    main()
