#!/usr/bin/python3
# send-bench.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Compares how fast stamp-cli, msmtp, swaks and curl submit one small
# message through a link with 50 ms of round-trip time: AUTH PLAIN, XOAUTH2
# and OAUTHBEARER, each over STARTTLS (port 587 style) and implicit TLS
# (port 465 style).
#
# Usage: /usr/bin/python3 tests/bench/send-bench.py [PATH-TO-stamp-cli] [RUNS]
#        (defaults: _build/src/cli/stamp-cli under the source tree, 7 runs)
#
# Everything runs on loopback: certificates from tests/fixtures/make-certs.sh
# in a temporary directory, one tests/fixtures/smtp-server.py per mechanism
# and security (STARTTLS or implicit TLS; offering only that mechanism, and
# CHUNKING; one random password and one random access token of 1700
# characters, the size of a Microsoft 365 token, so the XOAUTH2 line is over
# 2 KB) and tests/fixtures/latency-proxy.py in front of each.  The clients take turns run by run (stamp, msmtp, swaks, curl,
# stamp, ...) so drift on the machine hits all of them alike.  Each client
# gets its fastest honest settings: certificate verified against the test
# CA, PIPELINING where it supports it, the SASL initial response where it
# can send one.  swaks 20201014 has no XOAUTH2 or OAUTHBEARER, so it runs
# PLAIN only.  Round trips are the proxy's client flights.  Every send must
# show up as a message in the server log, or the benchmark fails.
#
# Prints, per mechanism and security, each client's median wall time and
# round trips and stamp's ratio to the fastest peer.  Exit status 0 when,
# for XOAUTH2 and OAUTHBEARER, stamp's wall time is at most 0.75 of the
# fastest peer's and its round trips are 6 over STARTTLS and 5 over
# implicit TLS (see TARGET_TRIPS).
#
# A stamp-cli that is not built yet is reported as missing; the peers are
# still measured.

import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import (PYTHON, FIXTURES, SOURCE_ROOT, BenchError, Fixture, SetupError,
                      empty_msmtprc, make_certs, read_jsonl, secret_command)

DEFAULT_STAMP = SOURCE_ROOT / "_build" / "src" / "cli" / "stamp-cli"

USER = "bench@example.test"
RCPT = "rcpt@example.test"
SUBJECT = "Bench"
BODY = "A small message for the send benchmark."
RTT_MS = 50
CLIENT_TIMEOUT = 60
TOKEN_LENGTH = 1700

MECHANISMS = ("PLAIN", "XOAUTH2", "OAUTHBEARER")
SECURITIES = ("starttls", "tls")
PEERS = ("msmtp", "swaks", "curl")
# Targets for the token mechanisms.  Client flights include the TLS
# close_notify a client must send before it closes (RFC 8446 section 6.1),
# after the server's last reply.  So over STARTTLS the fewest are 6: EHLO,
# STARTTLS, ClientHello, Finished with EHLO, the pipelined AUTH group, the
# close; over implicit TLS 5: ClientHello, Finished, EHLO (only after the
# greeting, which follows the handshake), the group, the close.  That is 4
# turns that wait for the server, plus the close.
TARGET_RATIO = 0.75
TARGET_TRIPS = {"starttls": 6, "tls": 5}


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise BenchError(f"timed out waiting for {what}")
        time.sleep(0.01)


class Bench:
    def __init__(self, stamp, runs, workdir):
        self.stamp = stamp
        self.runs = runs
        self.dir = workdir
        self.password = os.urandom(12).hex()
        alphabet = (b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    b"0123456789-_")
        self.token = bytes(alphabet[b % len(alphabet)]
                           for b in os.urandom(TOKEN_LENGTH)).decode()
        self.fixtures = []
        self.ports = {}
        self.server_logs = {}
        self.proxy_logs = {}

    def setup(self):
        self.ca = make_certs(self.dir)
        token_file = self.dir / "token"

        # One server per mechanism, offering only it: curl 7.88 takes
        # OAUTHBEARER whenever it is offered, whatever --login-options says.
        for mechanism in MECHANISMS:
            for security in SECURITIES:
                key = (mechanism, security)
                self.server_logs[key] = (
                    self.dir / f"server-{mechanism}-{security}.jsonl")
                self.proxy_logs[key] = (
                    self.dir / f"proxy-{mechanism}-{security}.jsonl")
                server = Fixture(f"smtp-server ({mechanism}, {security})", [
                    PYTHON, str(FIXTURES / "smtp-server.py"),
                    "--security", security,
                    "--cert", str(self.dir / "certs" / "server.pem"),
                    "--key", str(self.dir / "certs" / "server-key.pem"),
                    "--chunking", "--auth-mechanisms", mechanism,
                    "--user", USER, "--password", self.password,
                    "--token", self.token,
                    "--log", str(self.server_logs[key])])
                self.fixtures.append(server)
                proxy = Fixture(f"latency-proxy ({mechanism}, {security})", [
                    PYTHON, str(FIXTURES / "latency-proxy.py"),
                    "--target-host", "127.0.0.1",
                    "--target-port", str(server.port),
                    "--rtt-ms", str(RTT_MS),
                    "--log", str(self.proxy_logs[key])])
                self.fixtures.append(proxy)
                self.ports[key] = proxy.port

        # msmtp reads the secret through a command and must not pick up a
        # personal ~/.msmtprc.
        self.msmtprc = empty_msmtprc(self.dir)
        self.password_command = secret_command(self.dir / "password", self.password)
        self.token_command = secret_command(token_file, self.token)
        self.message = (f"From: {USER}\r\nTo: {RCPT}\r\nSubject: {SUBJECT}"
                        f"\r\n\r\n{BODY}\r\n")
        self.message_file = self.dir / "message.eml"
        self.message_file.write_text(self.message)
        # curl takes the password on its command line only; keep it out of
        # the process list with a config file.
        self.curlrc = {"PLAIN": self.dir / "curlrc-password",
                       "token": self.dir / "curlrc-token"}
        self.curlrc["PLAIN"].write_text(f'user = "{USER}:{self.password}"\n')
        self.curlrc["token"].write_text(f'user = "{USER}"\n'
                                        f'oauth2-bearer = "{self.token}"\n')
        for path in self.curlrc.values():
            path.chmod(0o600)

    def teardown(self):
        for fixture in reversed(self.fixtures):
            fixture.stop()

    # Each returns (argv, stdin text), or None when the client cannot do
    # the mechanism.
    def stamp_command(self, mechanism, security):
        secret_option = ("--password-stdin" if mechanism == "PLAIN"
                         else "--oauth-token-stdin")
        secret = self.password if mechanism == "PLAIN" else self.token
        return ([str(self.stamp), "send",
                 "--host", "127.0.0.1", "--port", str(self.ports[mechanism, security]),
                 "--security", security, "--ca-file", self.ca,
                 "--user", USER, secret_option, "--auth", mechanism.lower(),
                 "--from", USER, "--to", RCPT, "--subject", SUBJECT],
                secret + "\n")

    def swaks_command(self, mechanism, security):
        if mechanism != "PLAIN":
            return None
        # swaks 20201014 --tls-verify checks the chain, not the host name;
        # that is as far as it goes.  A bare --config ignores any
        # ~/.swaksrc.
        tls = ["--tls"] if security == "starttls" else ["--tls-on-connect"]
        return (["swaks", "--config",
                 "--server", f"127.0.0.1:{self.ports[mechanism, security]}",
                 *tls, "--tls-verify", "--tls-ca-path", self.ca,
                 "--pipeline",
                 "--auth", "PLAIN", "--auth-user", USER,
                 "--auth-password", self.password,
                 "--from", USER, "--to", RCPT,
                 "--header", f"Subject: {SUBJECT}", "--body", BODY,
                 "--silent", "2"],
                None)

    def msmtp_command(self, mechanism, security):
        # msmtp uses PIPELINING on its own when the server offers it.
        secret = (self.password_command if mechanism == "PLAIN"
                  else self.token_command)
        return (["msmtp", "-C", str(self.msmtprc),
                 "--host=127.0.0.1", f"--port={self.ports[mechanism, security]}",
                 "--tls=on",
                 f"--tls-starttls={'on' if security == 'starttls' else 'off'}",
                 f"--tls-trust-file={self.ca}",
                 f"--auth={mechanism.lower()}", f"--user={USER}",
                 f"--passwordeval={secret}",
                 f"--from={USER}", RCPT],
                self.message)

    def curl_command(self, mechanism, security):
        # --sasl-ir puts the response on the AUTH line; AUTH= picks the
        # mechanism (with a bearer token curl would take OAUTHBEARER first).
        scheme = "smtp" if security == "starttls" else "smtps"
        curlrc = self.curlrc["PLAIN" if mechanism == "PLAIN" else "token"]
        return (["curl", "--disable", "--config", str(curlrc),
                 "--silent", "--show-error", "--fail",
                 f"{scheme}://127.0.0.1:{self.ports[mechanism, security]}",
                 "--ssl-reqd", "--cacert", self.ca,
                 "--login-options", f"AUTH={mechanism}", "--sasl-ir",
                 "--mail-from", USER, "--mail-rcpt", RCPT,
                 "--upload-file", str(self.message_file)],
                None)

    def _connections(self, key):
        events = read_jsonl(self.server_logs[key])
        return (sum(e["event"] == "connect" for e in events),
                sum(e["event"] == "disconnect" for e in events))

    def _settled(self, key, proxy_before, connects_before):
        """The client's connections are over on both fixtures.

        Each proxied connection makes one server connection, and the proxy
        logs it only once both directions have closed.
        """
        connects, disconnects = self._connections(key)
        proxied = len(read_jsonl(self.proxy_logs[key])) - proxy_before
        return (connects == disconnects
                and proxied >= connects - connects_before)

    def run_client(self, name, command, mechanism, security):
        argv, stdin = command
        key = (mechanism, security)
        server_log = self.server_logs[key]
        proxy_log = self.proxy_logs[key]
        proxy_before = len(read_jsonl(proxy_log))
        connects_before, _ = self._connections(key)
        events_before = len(read_jsonl(server_log))
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SWAKS_OPT_")}

        started = time.perf_counter()
        try:
            result = subprocess.run(argv, input=stdin, env=env,
                                    capture_output=True, text=True,
                                    timeout=CLIENT_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise BenchError(f"{name} did not finish in {CLIENT_TIMEOUT} s")
        wall = time.perf_counter() - started

        what = f"{name} ({mechanism}, {security})"
        if result.returncode != 0:
            raise BenchError(
                f"{what} failed with status {result.returncode}\n"
                f"command: {shlex.join(argv)}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}")
        wait_until(lambda: self._settled(key, proxy_before,
                                         connects_before), 10,
                   f"{what}'s connection to close")

        events = read_jsonl(server_log)[events_before:]
        messages = [e for e in events if e["event"] == "message"]
        auths = [e for e in events if e["event"] == "auth"]
        if (len(messages) != 1 or messages[0]["mail_from"] != USER
                or messages[0]["rcpt_tos"] != [RCPT]
                or f"Subject: {SUBJECT}" not in messages[0]["data"]):
            raise BenchError(
                f"{what} exited 0 but the server did not get exactly one "
                f"message from {USER} to {RCPT} with Subject: {SUBJECT}; "
                f"it got: {json.dumps(messages)[:2000]}")
        if not any(a["mechanism"] == mechanism and a["success"]
                   for a in auths):
            raise BenchError(f"{what} did not sign in with {mechanism}: "
                             + ", ".join(f"{a['mechanism']} success="
                                         f"{a['success']}" for a in auths))

        flights = sum(r["client_flights"]
                      for r in read_jsonl(proxy_log)[proxy_before:])
        return wall, flights

    def clients(self):
        clients = [("msmtp", self.msmtp_command),
                   ("swaks", self.swaks_command),
                   ("curl", self.curl_command)]
        if self.stamp is not None:
            clients.insert(0, ("stamp", self.stamp_command))
        return clients

    def run(self):
        results = {}
        for run in range(self.runs):
            for mechanism in MECHANISMS:
                for security in SECURITIES:
                    for name, make_command in self.clients():
                        command = make_command(mechanism, security)
                        if command is None:
                            continue
                        wall, flights = self.run_client(
                            name, command, mechanism, security)
                        walls, trips = results.setdefault(
                            (mechanism, security, name), ([], []))
                        walls.append(wall)
                        trips.append(flights)
        return results


def number(value):
    return f"{value:g}" if value != int(value) else str(int(value))


def report(results, stamp_path, stamp_missing, runs):
    """Prints the table; returns whether the token targets are met."""
    print(f"{runs} runs per client, {RTT_MS} ms RTT, {TOKEN_LENGTH}-character "
          f"token; wall in ms (median), round trips = client flights "
          f"(median)")
    print(f"{'mechanism':<12} {'security':<9} {'client':<6} "
          f"{'wall ms':>8} {'trips':>6}")
    met = True
    summary = []
    for mechanism in MECHANISMS:
        for security in SECURITIES:
            medians = {}
            for name in ("stamp",) + PEERS:
                key = (mechanism, security, name)
                if key not in results:
                    why = ("MISSING" if name == "stamp" else "n/a")
                    print(f"{mechanism:<12} {security:<9} {name:<6} "
                          f"{why:>8} {'-':>6}")
                    continue
                walls, flights = results[key]
                medians[name] = (statistics.median(walls) * 1000,
                                 statistics.median(flights))
                print(f"{mechanism:<12} {security:<9} {name:<6} "
                      f"{medians[name][0]:>8.0f} "
                      f"{number(medians[name][1]):>6}")
            peers = {n: m for n, m in medians.items() if n != "stamp"}
            fastest = min(peers, key=lambda n: peers[n][0])
            token = mechanism != "PLAIN"
            if stamp_missing:
                summary.append(f"{mechanism:<12} {security:<9} stamp/{fastest}"
                               f" = n/a (stamp-cli missing: {stamp_path})")
                met = met and not token
                continue
            ratio = medians["stamp"][0] / peers[fastest][0]
            trips = medians["stamp"][1]
            fewest = min(m[1] for m in peers.values())
            verdict = ""
            if token:
                ok = (ratio <= TARGET_RATIO
                      and trips == TARGET_TRIPS[security])
                met = met and ok
                verdict = (f"  target <= {TARGET_RATIO:.2f} and "
                           f"{TARGET_TRIPS[security]} trips: "
                           f"{'met' if ok else 'MISSED'}")
            summary.append(f"{mechanism:<12} {security:<9} "
                           f"stamp/fastest-peer ({fastest}) = {ratio:.2f}; "
                           f"stamp trips {number(trips)} (fewest peer "
                           f"{number(fewest)}){verdict}")
    print()
    for line in summary:
        print(line)
    return met


def main(argv):
    if len(argv) > 2 or any(a in ("-h", "--help") for a in argv):
        print(f"usage: {sys.argv[0]} [PATH-TO-stamp-cli] [RUNS]",
              file=sys.stderr)
        return 2
    stamp_path = Path(argv[0]) if argv else DEFAULT_STAMP
    try:
        runs = int(argv[1]) if len(argv) > 1 else 7
        if runs < 1:
            raise ValueError
    except ValueError:
        print("RUNS must be a positive integer", file=sys.stderr)
        return 2
    for tool in ("swaks", "msmtp", "curl", "certtool"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 1

    stamp_missing = not (stamp_path.is_file()
                         and os.access(stamp_path, os.X_OK))
    if stamp_missing:
        print(f"stamp-cli missing at {stamp_path}: measuring the peers only",
              file=sys.stderr)

    # Turn SIGTERM into an exception so the cleanup below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="stamp-send-bench."))
    bench = Bench(None if stamp_missing else stamp_path.resolve(), runs,
                  workdir)
    try:
        bench.setup()
        results = bench.run()
    except (SetupError, BenchError, subprocess.CalledProcessError) as error:
        print(f"send-bench: FAILED: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        bench.teardown()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if report(results, stamp_path, stamp_missing, runs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
