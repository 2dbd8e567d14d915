#!/usr/bin/python3
# relay-bench.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Stamp Relay against email-oauth2-proxy, the best-known OAuth pass-through
# proxy for devices, side by side in one run against the same upstream (the
# loopback SMTP fixture with STARTTLS and XOAUTH2, tokens from the mock
# identity provider), with a direct XOAUTH2 send by `stamp-cli send
# --account` for reference.  Both take devices over STARTTLS with a
# certificate from the test CA and sign in upstream with the same account.
#
# Usage: /usr/bin/python3 tests/bench/relay-bench.py [--peer PATH]
#            [--stamp-cli PATH] [--runs N] [--burst N] [--clients N] [--short]
#
# The peer is one Python file that the project never copies; its default
# path is ../shared/peers/emailproxy.py next to the source tree.  Debian's
# /usr/bin/python3 with python3-cryptography runs it with --no-gui
# --local-server-auth.  Its token is seeded once before measuring: a first
# AUTH makes it print the sign-in address, which the scripted browser of
# tests/fixtures opens and approves, as a person would.
#
# Measured, each in turns so drift on the machine hits both alike:
#   device latency  connect() to the 250 after the message, as the device
#                   sees it (STARTTLS, AUTH PLAIN, one small message);
#                   median of --runs
#   burst           --burst messages from --clients devices at once, each
#                   on a loopback address of its own and each message on
#                   its own connection: time until all are in the upstream's
#                   log (or the last device gave up), and how many never
#                   got there
#   memory          RSS once listening (idle) and the peak (VmHWM) at the end
#   listening       start of the process to the first accepted connect()
# Pacing is off for Stamp (--max-per-minute far above the burst).
#
# Prints each figure and the ratios against the targets of Stamp Relay's
# design; exits 1 when a target is missed, 2 when it could not run.
# Runs in a keyring of its own (tests/fixtures/with-keyring.sh).

import argparse
import json
import os
import re
import smtplib
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "relay"))

import relaykit as kit  # noqa: E402
from benchkit import FIXTURES, PYTHON, SOURCE_ROOT, BenchError, SetupError  # noqa: E402
from relaykit import ACCOUNT, RCPT, make_message, wait_until  # noqa: E402

DEFAULT_PEER = SOURCE_ROOT.parent / "shared" / "peers" / "emailproxy.py"
PEER_PASSWORD = "device-password-for-the-proxy"
CLIENT_TIMEOUT = 30
NO_PACE = 1000000

TARGETS = {
    "latency_vs_peer": 0.1,       # Stamp's device latency / the peer's, at most
    "latency_vs_direct": 3.0,     # Stamp's device latency / a direct send's, at most
    "burst_speedup": 10.0,        # the peer's burst time / Stamp's, at least
    "peak_rss_vs_peer": 0.4,      # at most
    "listening_vs_peer": 0.2,     # at most
}


def rss_kb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise BenchError(f"no {field} for {pid}")


def time_to_listen(process, port, timeout=20):
    """Seconds from the process's start until a connect() succeeds."""
    deadline = time.monotonic() + timeout
    while not kit.can_connect("127.0.0.1", port, timeout=0.05):
        if not process.alive():
            raise BenchError(f"{process.name} ended before it listened:\n{process.describe()}")
        if time.monotonic() > deadline:
            raise BenchError(f"{process.name} did not listen within {timeout} s")
        time.sleep(0.001)
    return time.monotonic() - process.started_at


# -- the two relays ------------------------------------------------------------

class StampSide:
    name = "Stamp Relay"

    def __init__(self, world):
        self.world = world
        self.device = world.add_device("Bench Scanner")
        self.user = self.device["user"]
        self.password = self.device["password"]
        self.port = kit.free_port()
        self.relay = None

    def start(self):
        self.relay = kit.Relay(self.world, [("127.0.0.1", self.port)],
                               ["--tls-cert", str(self.world.certs / "server.pem"),
                                "--tls-key", str(self.world.certs / "server-key.pem"),
                                "--max-per-minute", str(NO_PACE)])
        self.world.relays.append(self.relay)
        return time_to_listen(self.relay, self.port)

    @property
    def pid(self):
        return self.relay.process.pid

    def stop(self):
        self.relay.terminate()


class PeerSide:
    name = "email-oauth2-proxy"

    def __init__(self, world, script):
        self.world = world
        self.script = script
        self.user = ACCOUNT
        self.password = PEER_PASSWORD
        self.port = kit.free_port()
        self.redirect_port = kit.free_port()
        self.config = world.dir / "emailproxy.config"
        self.log = world.dir / "emailproxy.log"
        self.process = None
        self.env = dict(os.environ)
        # The proxy verifies the upstream with the default trust store.
        self.env["SSL_CERT_FILE"] = world.ca
        # Its token cache is this file: written once, by the seeding.
        self.config.write_text(f"""[SMTP-{self.port}]
local_address = 127.0.0.1
server_address = 127.0.0.1
server_port = {world.upstream.port}
server_starttls = True
local_starttls = True
local_certificate_path = {world.certs / 'server.pem'}
local_key_path = {world.certs / 'server-key.pem'}

[{ACCOUNT}]
permission_url = {world.authority}/organizations/oauth2/v2.0/authorize
token_url = {world.authority}/organizations/oauth2/v2.0/token
oauth2_scope = https://outlook.office.com/SMTP.Send offline_access
redirect_uri = http://127.0.0.1:{self.redirect_port}
client_id = {kit.CLIENT_ID}
client_secret =
use_pkce = True

[emailproxy]
delete_account_token_on_password_error = False
""")

    def start(self):
        self.process = kit.Process(self.name, [PYTHON, str(self.script), "--no-gui",
                                               "--local-server-auth",
                                               "--config-file", str(self.config),
                                               "--log-file", str(self.log)],
                                   env=self.env)
        return time_to_listen(self.process, self.port)

    @property
    def pid(self):
        return self.process.process.pid

    def stop(self):
        self.process.stop()

    def seed_token(self):
        """Signs the proxy in once, through the scripted browser."""
        result = {}

        def first_auth():
            try:
                send_as_device(self.world, self, make_message(tag="seed"), timeout=60)
                result["ok"] = True
            except Exception as error:      # reported below
                result["error"] = error

        thread = threading.Thread(target=first_auth, daemon=True)
        thread.start()

        def sign_in_url():
            text = self.log.read_text(errors="replace") if self.log.exists() else ""
            match = re.search(r"authenticate account \S+: (\S+)", text)
            if match is None and "error" in result:
                raise SetupError(f"the proxy's first send failed: {result['error']}\n"
                                 + text[-3000:])
            return match.group(1) if match else None

        try:
            url = wait_until(sign_in_url, 30, "the proxy's sign-in address")
        except AssertionError as error:
            raise SetupError(f"{error}\n{self.process.describe()}\n"
                             + self.log.read_text(errors="replace")[-3000:]) from None
        browser_env = dict(self.world.env, STAMP_TEST_BROWSER="accept")
        browser = subprocess.run([PYTHON, str(FIXTURES / "scripted-browser.py"), url],
                                 env=browser_env, capture_output=True, text=True, timeout=30)
        if browser.returncode != 0:
            raise SetupError(f"the scripted browser failed: {browser.stderr}")
        thread.join(timeout=60)
        if not result.get("ok"):
            raise SetupError(f"the proxy's first send failed: {result.get('error')}\n"
                             + self.log.read_text(errors="replace")[-3000:])


# -- devices -------------------------------------------------------------------

PHASES = ("greeting", "ehlo+starttls", "auth", "mail+rcpt", "data to 250")


def send_as_device(world, side, message, timeout=CLIENT_TIMEOUT, phases=None,
                   source="127.0.0.1"):
    """One message as a device: STARTTLS, AUTH PLAIN; returns the seconds
    from connect() to the 250 after the message.  @phases, a dict, gets the
    time of each step added to its lists."""
    marks = [time.monotonic()]
    with smtplib.SMTP("127.0.0.1", side.port, timeout=timeout,
                      source_address=(source, 0)) as client:
        marks.append(time.monotonic())
        client.ehlo("device.local")
        client.starttls(context=kit.client_context(world))
        client.ehlo("device.local")
        marks.append(time.monotonic())
        client.login(side.user, side.password)
        marks.append(time.monotonic())
        for reply in (client.mail(ACCOUNT), client.rcpt(RCPT)):
            if reply[0] != 250:
                raise smtplib.SMTPResponseException(*reply)
        marks.append(time.monotonic())
        code, text = client.data(message[1])
        if code != 250:
            raise smtplib.SMTPDataError(code, text)
        marks.append(time.monotonic())
    if phases is not None:
        for name, start, end in zip(PHASES, marks, marks[1:]):
            phases.setdefault(name, []).append(end - start)
    return marks[-1] - marks[0]


def direct_send(world):
    """`stamp-cli send --account`: its own connect-to-250 time and its wall
    time as a process."""
    started = time.monotonic()
    result = world.cli("send", "--account", ACCOUNT, "--to", RCPT, "--json")
    wall = time.monotonic() - started
    report = json.loads(result.stdout)
    if not report.get("ok"):
        raise BenchError(f"the direct send failed: {result.stdout}")
    return report["elapsed_us"] / 1e6, wall


def burst(world, side, total, clients):
    """@total messages from @clients devices at once, each device on an
    address of its own as in an office; returns (seconds until the last
    message was upstream or the last device gave up, messages never
    upstream, messages upstream twice, messages a device saw refused)."""
    ids = [make_message(tag=f"burst{n}") for n in range(total)]
    queue = list(ids)
    lock = threading.Lock()
    refused = []

    def device(address):
        while True:
            with lock:
                if not queue:
                    return
                message = queue.pop()
            try:
                send_as_device(world, side, message, source=address)
            except (smtplib.SMTPException, OSError) as error:
                with lock:
                    refused.append(repr(error))

    started = time.monotonic()
    threads = [threading.Thread(target=device, args=(f"127.0.10.{n + 1}",), daemon=True)
               for n in range(clients)]
    for thread in threads:
        thread.start()
    wanted = {message_id for message_id, _ in ids}

    def arrivals():
        return [t for t, m in world.upstream.timed_messages()
                if kit.message_id_of(m["data"]) in wanted]

    # Until everything is upstream, or every device is done and a while
    # has passed for the last deliveries.
    done_at = None
    while len(arrivals()) < total:
        if all(not t.is_alive() for t in threads):
            done_at = done_at or time.monotonic()
            if time.monotonic() - done_at > 10:
                break
        time.sleep(0.01)
    for thread in threads:
        thread.join()
    times = arrivals()
    took = max(times + [done_at or 0]) - started
    counts = world.upstream.count_by_message_id()
    lost = sum(1 for i in wanted if not counts.get(i))
    doubled = sum(1 for i in wanted if counts.get(i, 0) > 1)
    return took, lost, doubled, len(refused)


# -- report --------------------------------------------------------------------

def ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def main():
    parser = argparse.ArgumentParser(description="Stamp Relay against email-oauth2-proxy.")
    parser.add_argument("--peer", default=str(DEFAULT_PEER))
    parser.add_argument("--stamp-cli", default=kit.STAMP_CLI)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--short", action="store_true",
                        help="3 runs, a burst of 40 from 10 devices")
    args = parser.parse_args()
    if args.short:
        args.runs, args.burst, args.clients = 3, 40, 10

    if "STAMP_TEST_KEYRING_DIR" not in os.environ:
        # A keyring of our own, never the person's.
        os.execv("/bin/sh", ["sh", str(FIXTURES / "with-keyring.sh"), PYTHON,
                             str(Path(__file__).resolve()), *sys.argv[1:]])

    kit.STAMP_CLI = os.path.abspath(args.stamp_cli)
    peer_script = Path(args.peer).resolve()
    if not peer_script.is_file():
        print(f"relay-bench: no email-oauth2-proxy at {peer_script}", file=sys.stderr)
        return 2

    world = None
    try:
        world = kit.World(name="relay-bench")
        world.sign_in()
        stamp = StampSide(world)
        peer = PeerSide(world, peer_script)
        sides = (stamp, peer)

        # Time to listening, in turns; the last start of each stays up.
        listening = {side.name: [] for side in sides}
        for run in range(max(3, args.runs // 2)):
            for side in sides:
                if run:
                    side.stop()
                listening[side.name].append(side.start())
        time.sleep(1)
        idle = {side.name: rss_kb(side.pid) for side in sides}
        peer.seed_token()

        # Device latency, in turns, with the direct send as the third.
        latency = {side.name: [] for side in sides}
        phases = {side.name: {} for side in sides}
        direct, direct_wall = [], []
        for side in sides:
            send_as_device(world, side, make_message(tag="warm"))
        for run in range(args.runs):
            for side in sides:
                latency[side.name].append(send_as_device(world, side, make_message(tag="lat"),
                                                         phases=phases[side.name]))
            elapsed, wall = direct_send(world)
            direct.append(elapsed)
            direct_wall.append(wall)
        # Let the relay's deliveries of those finish before the burst.
        time.sleep(1)

        bursts = {}
        for side in sides:
            bursts[side.name] = burst(world, side, args.burst, args.clients)
        peak = {side.name: rss_kb(side.pid, "VmHWM") for side in sides}
        for side in sides:
            side.stop()
    except (SetupError, BenchError, AssertionError) as error:
        print(f"relay-bench: {error}", file=sys.stderr)
        return 2
    finally:
        if world is not None:
            world.close()

    s, p = stamp.name, peer.name
    lat = {name: statistics.median(values) for name, values in latency.items()}
    lis = {name: statistics.median(values) for name, values in listening.items()}
    direct_median = statistics.median(direct)
    print(f"Stamp Relay and email-oauth2-proxy, {args.runs} runs, burst of {args.burst} "
          f"from {args.clients} devices\n")
    print(f"{'':28}{s:>16}{p:>22}")
    print(f"{'device latency (median)':28}{ms(lat[s]):>16}{ms(lat[p]):>22}")
    print(f"{'direct XOAUTH2 send':28}{ms(direct_median):>16}"
          f"   (stamp-cli send, whole process {ms(statistics.median(direct_wall)).strip()})")
    for phase in PHASES:
        print(f"{'  ' + phase:28}{ms(statistics.median(phases[s][phase])):>16}"
              f"{ms(statistics.median(phases[p][phase])):>22}")
    print(f"{'burst: all upstream after':28}{bursts[s][0]:>14.2f} s{bursts[p][0]:>20.2f} s")
    print(f"{'burst: lost':28}{bursts[s][1]:>16}{bursts[p][1]:>22}")
    print(f"{'burst: delivered twice':28}{bursts[s][2]:>16}{bursts[p][2]:>22}")
    print(f"{'burst: devices saw errors':28}{bursts[s][3]:>16}{bursts[p][3]:>22}")
    print(f"{'idle RSS':28}{idle[s] / 1024:>13.1f} MB{idle[p] / 1024:>19.1f} MB")
    print(f"{'peak RSS':28}{peak[s] / 1024:>13.1f} MB{peak[p] / 1024:>19.1f} MB")
    print(f"{'time to listening (median)':28}{ms(lis[s]):>16}{ms(lis[p]):>22}")
    print()

    checks = [
        ("device latency vs the peer", lat[s] / lat[p], "<=", TARGETS["latency_vs_peer"]),
        ("device latency vs a direct send", lat[s] / direct_median, "<=",
         TARGETS["latency_vs_direct"]),
        ("burst speed-up over the peer", bursts[p][0] / bursts[s][0], ">=",
         TARGETS["burst_speedup"]),
        ("burst: Stamp's lost messages", bursts[s][1], "==", 0),
        ("peak RSS vs the peer", peak[s] / peak[p], "<=", TARGETS["peak_rss_vs_peer"]),
        ("time to listening vs the peer", lis[s] / lis[p], "<=", TARGETS["listening_vs_peer"]),
    ]
    missed = 0
    for label, value, op, target in checks:
        ok = {"<=": value <= target, ">=": value >= target, "==": value == target}[op]
        missed += not ok
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{label:34} {shown:>9}  target {op} {target}  {'ok' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
