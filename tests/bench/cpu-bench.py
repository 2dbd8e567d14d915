#!/usr/bin/python3
# cpu-bench.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Compares the processor time (user + system) that one `stamp-cli send` and
# one `msmtp` send of the same message take: same loopback server, STARTTLS
# with the certificate verified against the same test CA, AUTH PLAIN.  The
# target is stamp <= 1.5x msmtp.
#
# Usage: /usr/bin/python3 tests/bench/cpu-bench.py [PATH-TO-stamp-cli] [RUNS]
#        (defaults: _build/src/cli/stamp-cli under the source tree, 21 runs)
#
# A run's time is the whole process's, start-up and dynamic linking
# included, read from the child's rusage with wait4().  Certificates come
# from tests/fixtures/make-certs.sh in a temporary directory; the server is
# tests/fixtures/smtp-server.py, with no latency in front of it, since
# waiting costs no processor time.  After one discarded warm-up run of each,
# every round runs all four commands in turns, the order reversed every
# other round, so drift on the machine hits them alike.  Besides the sends,
# each program's `--version` is timed: it is what start-up alone costs
# (loading and linking the shared libraries, then exiting), and its share of
# a send tells how much of the send is start-up.  The number of shared
# objects each program loads is counted as ld.so lists them.  Every send
# must show up as a message in the server log, or the benchmark fails.  All
# programs get the same environment, with private, empty home and XDG
# folders so no user state is read.
#
# Exit status: 0 within the target, 1 over it or a run failed, 2 setup
# errors (a program missing).

import json
import os
import select
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
                      empty_msmtprc, make_certs, read_jsonl, secret_command, tail)

DEFAULT_STAMP = SOURCE_ROOT / "_build" / "src" / "cli" / "stamp-cli"
DEFAULT_RUNS = 21

USER = "bench@example.test"
RCPT = "rcpt@example.test"
SUBJECT = "Bench"
BODY = "A small message for the processor time benchmark."  # msmtp's
CPU_TARGET = 1.5
RUN_TIMEOUT = 30


class Bench:
    def __init__(self, stamp, msmtp, runs, workdir):
        self.stamp = stamp
        self.msmtp = msmtp
        self.runs = runs
        self.dir = workdir
        self.password = os.urandom(12).hex()
        self.server = None

    def setup(self):
        self.ca = make_certs(self.dir)
        self.server_log = self.dir / "server.jsonl"
        self.server = Fixture("smtp-server", [
            PYTHON, str(FIXTURES / "smtp-server.py"),
            "--security", "starttls",
            "--cert", str(self.dir / "certs" / "server.pem"),
            "--key", str(self.dir / "certs" / "server-key.pem"),
            "--user", USER, "--password", self.password,
            "--log", str(self.server_log)])
        self.port = self.server.port

        for name in ("home", "config", "data", "cache", "runtime"):
            (self.dir / name).mkdir(mode=0o700, exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.dir / "home"),
            "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": str(self.dir / "config"),
            "XDG_DATA_HOME": str(self.dir / "data"),
            "XDG_CACHE_HOME": str(self.dir / "cache"),
            "XDG_RUNTIME_DIR": str(self.dir / "runtime"),
        }

        # msmtp reads the password through a command and must not pick up
        # a personal ~/.msmtprc; stamp-cli reads it from standard input.
        self.msmtprc = empty_msmtprc(self.dir)
        self.password_command = secret_command(self.dir / "password", self.password)
        self.stamp_stdin = self.dir / "stamp-stdin"
        self.stamp_stdin.write_text(self.password + "\n")
        self.msmtp_stdin = self.dir / "msmtp-stdin"
        self.msmtp_stdin.write_text(f"From: {USER}\r\nTo: {RCPT}\r\n"
                                    f"Subject: {SUBJECT}\r\n\r\n{BODY}\r\n")

    def teardown(self):
        if self.server is not None:
            self.server.stop()

    def commands(self):
        """(name, argv, stdin file, sends a message) of each command."""
        return [
            ("stamp send", [str(self.stamp), "send",
                            "--host", "127.0.0.1", "--port", str(self.port),
                            "--security", "starttls", "--ca-file", self.ca,
                            "--user", USER, "--password-stdin",
                            "--from", USER, "--to", RCPT,
                            "--subject", SUBJECT],
             self.stamp_stdin, True),
            # msmtp uses PIPELINING on its own when the server offers it.
            ("msmtp send", [self.msmtp, "-C", str(self.msmtprc),
                            "--host=127.0.0.1", f"--port={self.port}",
                            "--tls=on", "--tls-starttls=on",
                            f"--tls-trust-file={self.ca}",
                            "--auth=plain", f"--user={USER}",
                            f"--passwordeval={self.password_command}",
                            f"--from={USER}", RCPT],
             self.msmtp_stdin, True),
            ("stamp --version", [str(self.stamp), "--version"], None, False),
            ("msmtp --version", [self.msmtp, "--version"], None, False),
        ]

    def messages(self):
        return [e for e in read_jsonl(self.server_log)
                if e["event"] == "message"]

    def run_once(self, name, argv, stdin, sends):
        """Returns the child's processor time (user + system) in seconds."""
        before = len(self.messages()) if sends else 0
        log_path = self.dir / (name.replace(" ", "-") + ".log")
        with open(log_path, "ab") as log:
            pid = os.posix_spawn(argv[0], argv, self.env, file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, str(stdin or os.devnull),
                 os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, log.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, log.fileno(), 2)])
            pidfd = os.pidfd_open(pid)
            try:
                exited, _, _ = select.select([pidfd], [], [], RUN_TIMEOUT)
            finally:
                os.close(pidfd)
            if not exited:
                os.kill(pid, signal.SIGKILL)
                os.wait4(pid, 0)
                raise BenchError(f"{name} did not finish in {RUN_TIMEOUT} s;"
                                 f" log: {tail(log_path)}")
            _, status, usage = os.wait4(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise BenchError(f"{name} exited with status {code}\ncommand: "
                             f"{shlex.join(argv)}\nlog: {tail(log_path)}")
        if sends:
            self.check_message(name, before)
        return usage.ru_utime + usage.ru_stime

    def check_message(self, name, before):
        deadline = time.monotonic() + 5
        while len(self.messages()) <= before:
            if time.monotonic() > deadline:
                raise BenchError(f"{name} exited 0 but the server got no "
                                 "message")
            time.sleep(0.005)
        messages = self.messages()[before:]
        if (len(messages) != 1 or messages[0]["mail_from"] != USER
                or messages[0]["rcpt_tos"] != [RCPT]
                or f"Subject: {SUBJECT}" not in messages[0]["data"]):
            raise BenchError(
                f"{name} exited 0 but the server did not get exactly one "
                f"message from {USER} to {RCPT} with Subject: {SUBJECT}; "
                f"it got: {json.dumps(messages)[:2000]}")

    def shared_objects(self, program):
        """How many shared objects ld.so maps for @program, as ldd lists
        them (the vDSO left out)."""
        env = dict(self.env, LD_TRACE_LOADED_OBJECTS="1")
        listing = subprocess.run([program], env=env, capture_output=True,
                                 text=True, check=True).stdout
        return sum(1 for line in listing.splitlines()
                   if line.strip() and "linux-vdso" not in line)

    def run(self):
        commands = self.commands()
        results = {name: [] for name, *_ in commands}
        for name, argv, stdin, sends in commands:
            self.run_once(name, argv, stdin, sends)
        for round_index in range(self.runs):
            order = commands if round_index % 2 == 0 else commands[::-1]
            for name, argv, stdin, sends in order:
                results[name].append(self.run_once(name, argv, stdin, sends))
        return results


def spread(values):
    return " ".join(f"{v * 1000:7.2f}" for v in (
        statistics.median(values), min(values), max(values)))


def report(results, objects, runs):
    print(f"{runs} rounds (all commands in turns) after one warm-up run "
          f"each; STARTTLS + AUTH PLAIN on loopback, CA file verified")
    print(f"{'command':<16} {'processor ms (user + system)':^23}")
    print(f"{'':<16} {'median     min     max':>23}")
    medians = {}
    for name, values in results.items():
        medians[name] = statistics.median(values)
        print(f"{name:<16} {spread(values)}")

    ratio = medians["stamp send"] / medians["msmtp send"]
    ok = ratio <= CPU_TARGET
    print(f"stamp/msmtp send processor ratio: {ratio:.2f} "
          f"(target <= {CPU_TARGET}) {'PASS' if ok else 'FAIL'}")
    for program in ("stamp", "msmtp"):
        share = medians[f"{program} --version"] / medians[f"{program} send"]
        print(f"{program} start-up (--version) share of a send: "
              f"{share * 100:.0f} %, {medians[f'{program} --version'] * 1000:.2f}"
              f" ms; {objects[program]} shared objects loaded")
    print(f"stamp send beyond start-up: "
          f"{(medians['stamp send'] - medians['stamp --version']) * 1000:.2f}"
          f" ms (msmtp: "
          f"{(medians['msmtp send'] - medians['msmtp --version']) * 1000:.2f}"
          f" ms)")
    return ok


def main(argv):
    if len(argv) > 2 or any(a in ("-h", "--help") for a in argv):
        print(f"usage: {sys.argv[0]} [PATH-TO-stamp-cli] [RUNS]",
              file=sys.stderr)
        return 2
    stamp_path = Path(argv[0]) if argv else DEFAULT_STAMP
    try:
        runs = int(argv[1]) if len(argv) > 1 else DEFAULT_RUNS
        if runs < 1:
            raise ValueError
    except ValueError:
        print("RUNS must be a positive integer", file=sys.stderr)
        return 2
    for tool in ("msmtp", "certtool"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 2
    if not (stamp_path.is_file() and os.access(stamp_path, os.X_OK)):
        print(f"stamp-cli missing at {stamp_path}", file=sys.stderr)
        return 2

    # Turn SIGTERM into an exception so the cleanup below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="stamp-cpu-bench."))
    bench = Bench(stamp_path.resolve(), shutil.which("msmtp"), runs, workdir)
    try:
        bench.setup()
        objects = {"stamp": bench.shared_objects(str(bench.stamp)),
                   "msmtp": bench.shared_objects(bench.msmtp)}
        results = bench.run()
    except (SetupError, subprocess.CalledProcessError) as error:
        print(f"cpu-bench: setup failed: {error}", file=sys.stderr)
        return 2
    except BenchError as error:
        print(f"cpu-bench: FAILED: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        bench.teardown()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if report(results, objects, runs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
