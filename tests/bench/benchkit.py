# tests/bench/benchkit.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the send and processor-time benchmarks share: the loopback fixtures
# they start, their logs, and the files that hand secrets to the clients.

import json
import select
import shlex
import subprocess
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = SOURCE_ROOT / "tests" / "fixtures"
PYTHON = "/usr/bin/python3"


class SetupError(Exception):
    """The benchmark could not start: a fixture or a program is missing."""


class BenchError(Exception):
    """A measured run went wrong."""


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
            raise SetupError(f"{name} did not start (said {line!r})")
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


def tail(path):
    return "\n" + path.read_text(errors="replace")[-2000:]


def make_certs(workdir):
    """Makes the test CA and server certificate; returns the CA's path."""
    subprocess.run(["sh", str(FIXTURES / "make-certs.sh"), str(workdir / "certs")],
                   check=True)
    return str(workdir / "certs" / "ca.pem")


def secret_command(path, secret):
    """Writes @secret to @path (mode 0600); returns a command that prints it."""
    path.write_text(secret)
    path.chmod(0o600)
    return "cat " + shlex.quote(str(path))


def empty_msmtprc(workdir):
    """An msmtp configuration of its own, so no personal ~/.msmtprc counts."""
    path = workdir / "msmtprc"
    path.write_text("defaults\n")
    path.chmod(0o600)
    return path
