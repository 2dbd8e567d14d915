# relaykit.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the relay's end-to-end tests and its benchmark share: one "world" of
# real peers on loopback (the mock identity provider, the SMTP fixture as
# the upstream with STARTTLS and XOAUTH2, a signed-in account, devices) and
# `stamp-cli relay serve` started, watched, killed and restarted by the
# test.  Runs inside a D-Bus session with a fresh gnome-keyring
# (tests/fixtures/with-keyring.sh); config and state live in a temporary
# folder of the world's own.
#
# Several loopback addresses stand for several machines: Linux routes all
# of 127.0.0.0/8 to the loopback device, so a client bound to 127.0.0.2
# reaches a relay on 127.0.0.1 from another IP.

import email.utils
import json
import os
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(SOURCE_ROOT / "tests" / "bench"))

from benchkit import FIXTURES, PYTHON, Fixture, SetupError, make_certs  # noqa: E402

STAMP_CLI = os.environ.get("STAMP_CLI", str(SOURCE_ROOT / "_build" / "src" / "cli" / "stamp-cli"))
CLIENT_ID = "stamp-test-client"
ACCOUNT = "relay-owner@contoso.example"
RCPT = "colleague@example.test"


def wait_until(predicate, timeout, what, interval=0.02):
    """Returns predicate()'s first true value; raises AssertionError after
    @timeout seconds, naming @what."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def can_connect(host, port, timeout=0.2):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def make_message(subject="Scan", body="A scanned page.\n", sender=ACCOUNT, rcpt=RCPT,
                 size=0, tag="relay"):
    """A small RFC 5322 message with a fresh Message-ID; returns
    (message_id, bytes). @size pads the body to about that many bytes."""
    message_id = email.utils.make_msgid(idstring=tag, domain="stamp.test")
    lines = [
        f"From: {sender}",
        f"To: {rcpt}",
        f"Subject: {subject}",
        f"Date: {email.utils.formatdate(localtime=False)}",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        body.rstrip("\n"),
    ]
    text = "\r\n".join(lines) + "\r\n"
    if size > len(text):
        line = "x" * 76 + "\r\n"
        text += line * ((size - len(text)) // len(line) + 1)
    return message_id, text.encode("ascii")


class Process:
    """A child whose stdout and stderr lines are collected, each with the
    time it arrived (time.monotonic())."""

    def __init__(self, name, argv, env=None, stdin=subprocess.DEVNULL):
        self.name = name
        self.argv = argv
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(argv, env=env, stdin=stdin, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True,
                                        errors="replace")
        self.out = []
        self.err = []
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._read, args=(self.process.stdout, self.out),
                                          daemon=True),
                         threading.Thread(target=self._read, args=(self.process.stderr, self.err),
                                          daemon=True)]
        for thread in self._threads:
            thread.start()

    def _read(self, stream, into):
        for line in stream:
            with self._lock:
                into.append((time.monotonic(), line.rstrip("\n")))

    def lines(self, which="out"):
        with self._lock:
            return [line for _, line in (self.out if which == "out" else self.err)]

    def timed_lines(self):
        with self._lock:
            return list(self.out)

    def alive(self):
        return self.process.poll() is None

    def signal(self, signum):
        if self.alive():
            self.process.send_signal(signum)

    def wait(self, timeout):
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def join_output(self):
        for thread in self._threads:
            thread.join(timeout=2)

    def stop(self):
        if self.alive():
            self.process.terminate()
            if self.wait(5) is None:
                self.process.kill()
                self.process.wait()
        self.join_output()

    def describe(self):
        return (f"{self.name} (exit {self.process.poll()}):\n  out: "
                + "\n  out: ".join(self.lines("out")[-30:]) + "\n  err: "
                + "\n  err: ".join(self.lines("err")[-30:]))


class Upstream:
    """tests/fixtures/smtp-server.py as the provider's submission server:
    STARTTLS, XOAUTH2 with the identity provider's tokens.  Can go down and
    come back on the same port.  A thread tails its logs and notes when
    each event arrived, so tests can judge the pace of deliveries."""

    def __init__(self, world, extra=()):
        self.world = world
        self.extra = list(extra)
        self.fixture = None
        self.port = None
        self.generation = 0
        self.events = []            # (arrival time, event dict)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._logs = []
        self.start()
        self._thread = threading.Thread(target=self._tail, daemon=True)
        self._thread.start()

    def start(self):
        self.generation += 1
        # A name of its own: several upstreams may live in one world.
        fd, log = tempfile.mkstemp(prefix=f"upstream-{self.generation}-", suffix=".log",
                                   dir=self.world.dir)
        os.close(fd)
        log = Path(log)
        argv = [PYTHON, str(FIXTURES / "smtp-server.py"), "--security", "starttls",
                "--cert", str(self.world.certs / "server.pem"),
                "--key", str(self.world.certs / "server-key.pem"),
                "--log", str(log), "--user", ACCOUNT,
                "--token-file", str(self.world.token_file)] + self.extra
        if self.port is not None:
            argv += ["--port", str(self.port)]
        # A port left in TIME_WAIT by the last generation can take a moment.
        for attempt in range(50):
            try:
                self.fixture = Fixture("smtp-server.py", argv)
                break
            except SetupError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        self.port = self.fixture.port
        with self._lock:
            self._logs.append([log, 0, b""])

    def stop(self):
        if self.fixture is not None:
            self.fixture.stop()
            self.fixture = None

    def _tail(self):
        while not self._stop.is_set():
            self.poll()
            time.sleep(0.005)

    def poll(self):
        with self._lock:
            for entry in self._logs:
                path, offset, rest = entry
                try:
                    with open(path, "rb") as f:
                        f.seek(offset)
                        data = f.read()
                except FileNotFoundError:
                    continue
                if not data:
                    continue
                now = time.monotonic()
                entry[1] = offset + len(data)
                data = rest + data
                *lines, entry[2] = data.split(b"\n")
                for line in lines:
                    if line.strip():
                        self.events.append((now, json.loads(line)))

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.stop()

    def timed_messages(self):
        self.poll()
        with self._lock:
            return [(t, e) for t, e in self.events if e["event"] == "message"]

    def messages(self):
        return [e for _, e in self.timed_messages()]

    def auths(self):
        self.poll()
        with self._lock:
            return [e for _, e in self.events if e["event"] == "auth"]

    def sessions(self, message_ids):
        """(upstream connections that carried any of @message_ids, the most
        connections open at once while they went)."""
        self.poll()
        with self._lock:
            events = [e for _, e in self.events]
        carriers = {e["conn"] for e in events
                    if e["event"] == "message" and message_id_of(e["data"]) in message_ids}
        open_now = peak = 0
        for event in events:
            if event["conn"] in carriers:
                if event["event"] == "connect":
                    open_now += 1
                    peak = max(peak, open_now)
                elif event["event"] == "disconnect":
                    open_now -= 1
        return len(carriers), peak

    def count_by_message_id(self):
        counts = {}
        for message in self.messages():
            message_id = message_id_of(message["data"])
            counts[message_id] = counts.get(message_id, 0) + 1
        return counts

    def delivered(self, message_id):
        return self.count_by_message_id().get(message_id, 0)


def message_id_of(data):
    for line in data.split("\n"):
        if line.lower().startswith("message-id:"):
            return line.split(":", 1)[1].strip()
        if line.strip() == "":
            break
    return None


class Relay(Process):
    """`stamp-cli relay serve`, started by the test on ports of its own."""

    def __init__(self, world, listen, extra=(), env=None):
        self.world = world
        self.listen = listen            # [(host, port)]
        argv = [STAMP_CLI, "relay", "serve"]
        for host, port in listen:
            argv += ["--listen", f"{host}:{port}"]
        argv += list(extra)
        super().__init__("stamp-cli relay serve", argv, env=env or world.env)

    @property
    def port(self):
        return self.listen[0][1]

    def wait_listening(self, timeout=15):
        host, port = self.listen[0]

        def ready():
            if not self.alive():
                raise AssertionError("relay serve ended before it listened:\n" + self.describe())
            return can_connect(host, port)

        wait_until(ready, timeout, "the relay to listen", interval=0.005)
        return self

    def log_lines(self):
        return self.lines("out")

    def kill9(self):
        self.signal(signal.SIGKILL)
        self.wait(5)
        self.join_output()

    def terminate(self, timeout=10):
        """SIGTERM; returns the exit status (None if it did not end)."""
        self.signal(signal.SIGTERM)
        status = self.wait(timeout)
        if status is None:
            self.process.kill()
            self.process.wait()
        self.join_output()
        return status


class World:
    """Temporary config and state, certificates, the identity provider, the
    upstream, and helpers to run stamp-cli in that environment."""

    def __init__(self, idp_args=(), upstream_args=(), name="relay"):
        if not os.path.exists(STAMP_CLI):
            raise SetupError(f"no stamp-cli at {STAMP_CLI}")
        self.dir = Path(tempfile.mkdtemp(prefix=f"stamp-{name}-"))
        self.certs = self.dir / "certs"
        self.relays = []
        self.fixtures = []
        self.ca = make_certs(self.dir)
        self.token_file = self.dir / "access-tokens"
        self.idp = Fixture("oauth-idp.py", [PYTHON, str(FIXTURES / "oauth-idp.py"),
                                            "--log", str(self.dir / "idp.log"),
                                            "--token-file", str(self.token_file)]
                           + list(idp_args))
        self.fixtures.append(self.idp)
        self.authority = f"http://127.0.0.1:{self.idp.port}"
        self.env = dict(os.environ)
        for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            path = self.dir / var.lower()
            path.mkdir(mode=0o700)
            self.env[var] = str(path)
        self.env["STAMP_BROWSER"] = f"{PYTHON} {FIXTURES / 'scripted-browser.py'}"
        self.env["STAMP_TEST_BROWSER"] = "accept"
        self.env["LC_ALL"] = "C.UTF-8"
        self.upstream = Upstream(self, upstream_args)

    @property
    def state_dir(self):
        return Path(self.env["XDG_STATE_HOME"]) / "stamp" / "relay"

    def cli(self, *args, input=None, check=True, timeout=60):
        result = subprocess.run([STAMP_CLI, *args], input=input, env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"stamp-cli {' '.join(args)} failed with {result.returncode}:\n"
                                 f"{result.stdout}{result.stderr}")
        return result

    def sign_in(self, address=ACCOUNT, port=None):
        """Signs @address in against the mock identity provider (the tokens go
        to the keyring), then points the account at the upstream (or @port)."""
        self.cli("login", address, "--provider", "microsoft", "--client-id", CLIENT_ID,
                 "--authority", self.authority, "--timeout", "20")
        self.point_account(address, port)

    def point_account(self, address=ACCOUNT, port=None, provider="microsoft"):
        """Saves the account's server as the upstream (or @port).  Without
        @provider the account has no provider's limits, so no pacing."""
        options = ["--provider", provider] if provider else []
        self.cli("accounts", "add", address, *options,
                 "--host", "127.0.0.1", "--port", str(port or self.upstream.port),
                 "--security", "starttls", "--auth", "xoauth2", "--ca-file", self.ca,
                 "--client-id", CLIENT_ID, "--authority", self.authority)

    def add_device(self, name, *options, account=ACCOUNT):
        result = self.cli("relay", "add-device", name, "--account", account, "--json", *options)
        device = json.loads(result.stdout)
        assert "--no-sign-in" in options or (device.get("user") and device.get("password")), \
            f"add-device printed {result.stdout!r}"
        return device

    def idp_control(self, request):
        import urllib.request
        req = urllib.request.Request(self.authority + "/_control",
                                     data=json.dumps(request).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as response:
            assert response.status == 200

    def start_relay(self, extra=(), listen=None, tls=True, wait=True, max_per_minute=6000,
                    own_spool=False):
        """Starts `relay serve` on a free port (or @listen).  The account is a
        Microsoft 365 one, paced to 30 messages a minute; tests that do not
        test pacing lift that with @max_per_minute.  A relay started while
        another serves gets @own_spool (a state folder of its own), as a
        relay on another computer would have."""
        listen = listen or [("127.0.0.1", free_port())]
        env = None
        if own_spool:
            env = dict(self.env)
            env["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="state-", dir=self.dir)
        options = list(extra)
        if max_per_minute:
            options += ["--max-per-minute", str(max_per_minute)]
        if tls:
            options += ["--tls-cert", str(self.certs / "server.pem"),
                        "--tls-key", str(self.certs / "server-key.pem")]
        relay = Relay(self, listen, options, env)
        self.relays.append(relay)
        if wait:
            relay.wait_listening()
        return relay

    def status(self):
        result = self.cli("relay", "status", "--json")
        return json.loads(result.stdout)

    def spool_files(self, folder):
        path = self.state_dir / folder
        return sorted(p.name for p in path.iterdir()) if path.is_dir() else []

    def close(self):
        for relay in self.relays:
            relay.stop()
        self.upstream.close()
        for fixture in self.fixtures:
            fixture.stop()
        if os.environ.get("STAMP_TEST_KEEP") is None:
            shutil.rmtree(self.dir, ignore_errors=True)


# -- devices -----------------------------------------------------------------

def client_context(world):
    context = ssl.create_default_context(cafile=world.ca)
    return context


def smtplib_send(world, relay, device=None, message=None, sender=ACCOUNT, rcpts=(RCPT,),
                 starttls=True, source="127.0.0.1", timeout=20):
    """Sends one message as a device with Python's smtplib; returns the
    Message-ID.  Raises smtplib's errors as they come."""
    if message is None:
        message_id, data = make_message(tag="smtplib")
    else:
        message_id, data = message
    with smtplib.SMTP("127.0.0.1", relay.port, timeout=timeout,
                      source_address=(source, 0)) as client:
        client.ehlo("device.local")
        if starttls:
            client.starttls(context=client_context(world))
            client.ehlo("device.local")
        if device is not None and device.get("password"):
            client.login(device["user"], device["password"])
        client.sendmail(sender, list(rcpts), data)
    return message_id


class Conversation:
    """A hand-driven SMTP session over a socket, for what libraries will not
    do: slow writes, oversize lines, half-done sessions."""

    def __init__(self, port, source="127.0.0.1", timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                             source_address=(source, 0))
        self.file = self.sock.makefile("rb")

    def reply(self):
        lines = []
        while True:
            line = self.file.readline()
            if not line:
                raise ConnectionError("the relay closed the connection; got " + repr(lines))
            lines.append(line.decode("latin-1").rstrip("\r\n"))
            if len(line) < 4 or line[3:4] != b"-":
                return int(lines[-1][:3]), "\n".join(lines)

    def send(self, line):
        self.sock.sendall(line.encode("latin-1") + b"\r\n")

    def command(self, line):
        self.send(line)
        return self.reply()

    def close(self):
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass


# -- TAP ---------------------------------------------------------------------

def run_tests(tests, setup=None, teardown=None):
    """Runs [(name, function)] in order and prints TAP; returns the exit
    status.  @setup returns the argument every test gets.  When
    STAMP_TEST_ONLY is set, tests whose name lacks it are skipped (for runs
    by hand)."""
    only = os.environ.get("STAMP_TEST_ONLY")
    if only:
        tests = [(name, function) for name, function in tests if only in name]
    print("TAP version 13", flush=True)
    print(f"1..{len(tests)}", flush=True)
    try:
        context = setup() if setup else None
    except Exception:
        for number, (name, _) in enumerate(tests, 1):
            print(f"not ok {number} - {name} # set-up failed", flush=True)
        for line in traceback.format_exc().splitlines():
            print("# " + line, flush=True)
        return 1
    failed = 0
    try:
        for number, (name, function) in enumerate(tests, 1):
            started = time.monotonic()
            try:
                function(context)
            except Exception:
                failed += 1
                print(f"not ok {number} - {name}", flush=True)
                for line in traceback.format_exc().splitlines():
                    print("# " + line, flush=True)
            else:
                print(f"ok {number} - {name} ({time.monotonic() - started:.1f} s)", flush=True)
    finally:
        if teardown:
            teardown(context)
    return 1 if failed else 0
