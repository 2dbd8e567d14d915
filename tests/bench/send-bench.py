#!/usr/bin/python3
# send-bench.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Compares how fast stamp-cli, swaks and msmtp submit one small message over
# STARTTLS + AUTH PLAIN through a link with 50 ms of round-trip time.
#
# Usage: /usr/bin/python3 tests/bench/send-bench.py [PATH-TO-stamp-cli] [RUNS]
#        (defaults: _build/src/cli/stamp-cli under the source tree, 7 runs)
#
# Everything runs on loopback: certificates from tests/fixtures/make-certs.sh
# in a temporary directory, tests/fixtures/smtp-server.py (STARTTLS,
# CHUNKING, one random password) and tests/fixtures/latency-proxy.py in
# front of it.  The clients take turns run by run (stamp, swaks, msmtp,
# stamp, ...) so drift on the machine hits all of them alike.  Each client
# gets its fastest honest settings: certificate verified against the test CA,
# PIPELINING where it supports it.  Round trips are the proxy's client
# flights.  Every send must show up as a message in the server log, or the
# benchmark fails.
#
# A stamp-cli that is not built yet is reported as missing; the peers are
# still measured.

import json
import select
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

SOURCE_ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = SOURCE_ROOT / "tests" / "fixtures"
DEFAULT_STAMP = SOURCE_ROOT / "_build" / "src" / "cli" / "stamp-cli"
PYTHON = "/usr/bin/python3"

USER = "bench@example.test"
RCPT = "rcpt@example.test"
SUBJECT = "Bench"
BODY = "A small message for the send benchmark."
RTT_MS = 50
CLIENT_TIMEOUT = 60


class BenchError(Exception):
    pass


class Fixture:
    """A fixture process that prints READY <port> and dies on stdin EOF."""

    def __init__(self, name, argv):
        self.name = name
        # Holding its stdin pipe ties its life to ours even if we are
        # killed outright.
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], 10)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("READY "):
            self.stop()
            raise BenchError(f"{name} did not start (said {line!r})")
        self.port = int(line.split()[1])

    def stop(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=3)
            except (OSError, subprocess.TimeoutExpired):
                self.process.terminate()
                try:
                    self.process.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()


def read_jsonl(path):
    with open(path, encoding="ascii") as f:
        return [json.loads(line) for line in f if line.strip()]


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
        self.fixtures = []

    def setup(self):
        subprocess.run(["sh", str(FIXTURES / "make-certs.sh"),
                        str(self.dir / "certs")], check=True)
        self.ca = str(self.dir / "certs" / "ca.pem")
        self.server_log = self.dir / "server.jsonl"
        self.proxy_log = self.dir / "proxy.jsonl"

        server = Fixture("smtp-server", [
            PYTHON, str(FIXTURES / "smtp-server.py"),
            "--security", "starttls",
            "--cert", str(self.dir / "certs" / "server.pem"),
            "--key", str(self.dir / "certs" / "server-key.pem"),
            "--chunking",
            "--user", USER, "--password", self.password,
            "--log", str(self.server_log)])
        self.fixtures.append(server)
        proxy = Fixture("latency-proxy", [
            PYTHON, str(FIXTURES / "latency-proxy.py"),
            "--target-host", "127.0.0.1",
            "--target-port", str(server.port),
            "--rtt-ms", str(RTT_MS),
            "--log", str(self.proxy_log)])
        self.fixtures.append(proxy)
        self.port = proxy.port

        # msmtp reads the password through a command and must not pick up
        # a personal ~/.msmtprc.
        password_file = self.dir / "password"
        password_file.write_text(self.password)
        password_file.chmod(0o600)
        self.msmtprc = self.dir / "msmtprc"
        self.msmtprc.write_text("defaults\n")
        self.msmtprc.chmod(0o600)
        self.password_command = "cat " + shlex.quote(str(password_file))
        self.message = (f"From: {USER}\r\nTo: {RCPT}\r\nSubject: {SUBJECT}"
                        f"\r\n\r\n{BODY}\r\n")

    def teardown(self):
        for fixture in reversed(self.fixtures):
            fixture.stop()

    # Each returns (argv, stdin text).
    def stamp_command(self):
        return ([str(self.stamp), "send",
                 "--host", "127.0.0.1", "--port", str(self.port),
                 "--security", "starttls", "--ca-file", self.ca,
                 "--user", USER, "--password-stdin",
                 "--from", USER, "--to", RCPT, "--subject", SUBJECT],
                self.password + "\n")

    def swaks_command(self):
        # swaks 20201014 --tls-verify checks the chain, not the host name;
        # that is as far as it goes.  A bare --config ignores any
        # ~/.swaksrc.
        return (["swaks", "--config",
                 "--server", f"127.0.0.1:{self.port}",
                 "--tls", "--tls-verify", "--tls-ca-path", self.ca,
                 "--pipeline",
                 "--auth", "PLAIN", "--auth-user", USER,
                 "--auth-password", self.password,
                 "--from", USER, "--to", RCPT,
                 "--header", f"Subject: {SUBJECT}", "--body", BODY,
                 "--silent", "2"],
                None)

    def msmtp_command(self):
        # msmtp uses PIPELINING on its own when the server offers it.
        return (["msmtp", "-C", str(self.msmtprc),
                 "--host=127.0.0.1", f"--port={self.port}",
                 "--tls=on", "--tls-starttls=on",
                 f"--tls-trust-file={self.ca}",
                 "--auth=plain", f"--user={USER}",
                 f"--passwordeval={self.password_command}",
                 f"--from={USER}", RCPT],
                self.message)

    def _connections(self):
        events = read_jsonl(self.server_log)
        return (sum(e["event"] == "connect" for e in events),
                sum(e["event"] == "disconnect" for e in events))

    def _settled(self, proxy_before, connects_before):
        """The client's connections are over on both fixtures.

        Each proxied connection makes one server connection, and the proxy
        logs it only once both directions have closed.
        """
        connects, disconnects = self._connections()
        proxied = len(read_jsonl(self.proxy_log)) - proxy_before
        return (connects == disconnects
                and proxied >= connects - connects_before)

    def run_client(self, name, make_command):
        argv, stdin = make_command()
        proxy_before = len(read_jsonl(self.proxy_log))
        connects_before, _ = self._connections()
        messages_before = sum(e["event"] == "message"
                              for e in read_jsonl(self.server_log))
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

        if result.returncode != 0:
            raise BenchError(
                f"{name} failed with status {result.returncode}\n"
                f"command: {shlex.join(argv)}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}")
        wait_until(lambda: self._settled(proxy_before, connects_before), 10,
                   f"{name}'s connection to close")

        messages = [e for e in read_jsonl(self.server_log)
                    if e["event"] == "message"][messages_before:]
        if (len(messages) != 1 or messages[0]["mail_from"] != USER
                or messages[0]["rcpt_tos"] != [RCPT]
                or f"Subject: {SUBJECT}" not in messages[0]["data"]):
            raise BenchError(
                f"{name} exited 0 but the server did not get exactly one "
                f"message from {USER} to {RCPT} with Subject: {SUBJECT}; "
                f"it got: {json.dumps(messages)[:2000]}")

        flights = sum(r["client_flights"]
                      for r in read_jsonl(self.proxy_log)[proxy_before:])
        return wall, flights

    def run(self):
        clients = [("swaks", self.swaks_command),
                   ("msmtp", self.msmtp_command)]
        if self.stamp is not None:
            clients.insert(0, ("stamp", self.stamp_command))
        results = {name: ([], []) for name, _ in clients}
        for run in range(self.runs):
            for name, make_command in clients:
                wall, flights = self.run_client(name, make_command)
                results[name][0].append(wall)
                results[name][1].append(flights)
        return results


def number(value):
    return f"{value:g}" if value != int(value) else str(int(value))


def report(results, stamp_path, stamp_missing, runs):
    print(f"{runs} runs per client, {RTT_MS} ms RTT, STARTTLS + AUTH PLAIN")
    print(f"{'client':<8} {'median wall s':>14} {'median round trips':>19}")
    medians = {}
    for name in ("stamp", "swaks", "msmtp"):
        if name not in results:
            print(f"{name:<8} {'MISSING':>14} {'-':>19}")
            continue
        walls, flights = results[name]
        medians[name] = (statistics.median(walls),
                         statistics.median(flights))
        print(f"{name:<8} {medians[name][0]:>14.3f} "
              f"{number(medians[name][1]):>19}")

    peers = [medians[n] for n in ("swaks", "msmtp")]
    fastest_wall = min(wall for wall, _ in peers)
    fewest_trips = min(trips for _, trips in peers)
    if stamp_missing:
        print(f"stamp/fastest-peer wall ratio: n/a "
              f"(stamp-cli missing: {stamp_path})")
        print(f"stamp round trips: n/a (fewest peer: {number(fewest_trips)})")
    else:
        print(f"stamp/fastest-peer wall ratio: "
              f"{medians['stamp'][0] / fastest_wall:.2f}")
        print(f"stamp round trips: {number(medians['stamp'][1])} "
              f"(fewest peer: {number(fewest_trips)})")


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
    for tool in ("swaks", "msmtp", "certtool"):
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
    except (BenchError, subprocess.CalledProcessError) as error:
        print(f"send-bench: FAILED: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        bench.teardown()
        shutil.rmtree(workdir, ignore_errors=True)
    report(results, stamp_path, stamp_missing, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
