#!/usr/bin/python3
# bench/latency.py: the "latency" figure of bench/run-all.
#
# With "refbot run" idling in IMAP IDLE against the sandbox's Dovecot,
# referrals are sent at a steady rate to the sandbox's Postfix; each one's
# clock starts when Postfix answers 250 to its DATA (accepted by the SMTP
# server) and stops when refbot's acknowledgement of it (In-Reply-To its
# Message-ID) is accepted by the SMTP server refbot sends through: a small
# capture server here on loopback, on the same clock.
#
# First, without refbot, the floor: the same referrals at the same rate
# to a mailbox watched by a bare IDLE client (user "bench" of the
# sandbox), each clock stopping when the server reports the message.
# Dovecot waits up to 500 ms after a change before it tells IDLE clients
# (NOTIFY_DELAY_MSECS in its mailbox-watch.c), so that is most of it.
#
# Usage: latency.py --env SB/env --refbot BIN --conf CONF --work DIR
#            [--count N] [--rate PER_S]
# Prints "name value" lines (milliseconds) on stdout: latency.sent,
# latency.acked, latency.p50_ms, latency.p99_ms, latency.max_ms, and
# latency.floor_p50_ms, latency.floor_p99_ms, latency.floor_max_ms.
import argparse
import email
import imaplib
import math
import os
import re
import signal
import smtplib
import socketserver
import ssl
import subprocess
import sys
import threading
import time
from email.policy import compat32

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
MID = "<bench-latency-%d@partner.example>"

acked = {}
acked_lock = threading.Lock()


class Capture(socketserver.StreamRequestHandler):
    """Just enough SMTP for libcurl: EHLO, MAIL, RCPT, DATA, RSET, QUIT."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 capture.example.test ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 capture.example.test")
            elif verb == b"DATA":
                self.reply("354 go on")
                data = []
                while True:
                    d = self.rfile.readline()
                    if not d or d in (b".\r\n", b".\n"):
                        break
                    data.append(d)
                now = time.monotonic()
                self.reply("250 accepted")
                m = re.search(rb"^In-Reply-To:\s*(<bench-latency-\d+@[^>]+>)",
                              b"".join(data), re.M | re.I)
                if m:
                    with acked_lock:
                        acked.setdefault(m.group(1).decode(), now)
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def env_file(path):
    env = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            env[k] = v.strip("'\"")
    return env


def referral(i, template):
    """The fixture referral, as a new client each time (no duplicates)."""
    msg = email.message_from_bytes(template, policy=compat32)
    body = msg.get_payload()
    body = body.replace("Acme Widgets Ltd", "Latency Client %d Ltd" % i)
    body = body.replace("jane.smith@acme.example",
                        "contact%d@client%d.example" % (i, i))
    msg.set_payload(body)
    msg.replace_header("Message-ID", MID % i)
    return msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def send_all(env, count, rate, template, to):
    """Sends the referrals at the rate; their acceptance times by MID."""
    sent = {}
    start = time.monotonic()
    for i in range(count):
        data = referral(i, template)
        wait = start + i / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        with smtplib.SMTP(env["SANDBOX_HOST"], int(env["SMTP_PORT"]),
                          local_hostname="bench.example.test",
                          timeout=30) as s:
            s.sendmail("partner1@example.test", [to], data)
        sent[MID % i] = time.monotonic()
    return sent


def idle_floor(env, count, rate, template):
    """Latencies (ms) from acceptance to the IDLE client's EXISTS."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    m = imaplib.IMAP4_SSL(env["SANDBOX_HOST"], int(env["IMAPS_PORT"]),
                          ssl_context=ctx)
    m.login("bench", env["BENCH_PASS"])
    typ, data = m.select("INBOX")
    base = int(data[0])
    seen = {}
    m.send(b"F1 IDLE\r\n")
    if not m.readline().startswith(b"+"):
        raise SystemExit("latency: IDLE refused")

    def watch():
        while len(seen) < count:
            line = m.readline()
            if not line:
                return
            now = time.monotonic()
            g = re.match(rb"\* (\d+) EXISTS", line)
            if g:
                for k in range(base, int(g.group(1))):
                    seen.setdefault(k - base, now)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    sent = send_all(env, count, rate, template, "bench@example.test")
    t.join(timeout=30)
    m.send(b"DONE\r\n")
    lat = []
    for i in range(count):
        if i in seen:
            lat.append((seen[i] - sent[MID % i]) * 1000.0)
    return lat


def percentile(values, p):
    """Nearest rank: the smallest value with p % at or below it."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100.0 * len(s)) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--env", required=True)
    ap.add_argument("--refbot", required=True)
    ap.add_argument("--conf", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--rate", type=float, default=5.0)
    a = ap.parse_args()
    env = env_file(a.env)

    with open(os.path.join(TOP, "tests/data/plain-en.eml"), "rb") as f:
        template = f.read()
    floor = idle_floor(env, a.count, a.rate, template) \
        if "BENCH_PASS" in env else []

    srv = Server(("127.0.0.1", 0), Capture)
    port = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()

    conf = os.path.join(a.work, "latency.conf")
    with open(a.conf) as f:
        text = f.read()
    text = re.sub(r"(?m)^database = .*$", "database = %s" %
                  os.path.join(a.work, "latency.db"), text)
    text = re.sub(r"(?m)^smtp_url = .*$",
                  "smtp_url = smtp://127.0.0.1:%d" % port, text)
    text = re.sub(r"(?m)^smtp_tls = .*$", "smtp_tls = none", text)
    with open(conf, "w") as f:
        f.write(text)
    rb = [a.refbot, "--config", conf]
    subprocess.run(rb + ["init"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(rb + ["partner", "add", "partner1@example.test",
                         "--name", "Partner One"], check=True,
                   stdout=subprocess.DEVNULL)

    log = open(os.path.join(a.work, "latency-daemon.log"), "w+")
    daemon = subprocess.Popen(rb + ["run"], stderr=log)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            log.seek(0)
            if "(IDLE)" in log.read():
                break
            if daemon.poll() is not None:
                sys.exit("latency: refbot run exited early")
            time.sleep(0.05)
        else:
            sys.exit("latency: refbot run did not reach IDLE")
        time.sleep(0.5)     # the IDLE command itself is on its way

        sent = send_all(env, a.count, a.rate, template,
                        "intake@example.test")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with acked_lock:
                if len(acked) >= len(sent):
                    break
            time.sleep(0.1)
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        srv.shutdown()

    with acked_lock:
        lat = [(acked[m] - t) * 1000.0 for m, t in sent.items() if m in acked]
    print("latency.sent %d" % len(sent))
    print("latency.acked %d" % len(lat))
    if lat:
        print("latency.p50_ms %.0f" % percentile(lat, 50))
        print("latency.p99_ms %.0f" % percentile(lat, 99))
        print("latency.max_ms %.0f" % max(lat))
    if floor:
        print("latency.floor_seen %d" % len(floor))
        print("latency.floor_p50_ms %.0f" % percentile(floor, 50))
        print("latency.floor_p99_ms %.0f" % percentile(floor, 99))
        print("latency.floor_max_ms %.0f" % max(floor))
    if len(lat) == len(sent):
        return 0
    sys.stderr.write("latency: %d of %d referrals acknowledged within 30 s "
                     "(the daemon's log: %s)\n" % (len(lat), len(sent),
                                                   log.name))
    return 1


if __name__ == "__main__":
    sys.exit(main())
