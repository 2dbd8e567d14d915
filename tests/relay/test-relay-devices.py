#!/usr/bin/python3
# test-relay-devices.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Stamp Relay as devices see it: real mail clients (swaks, msmtp, Python's
# smtplib, gnutls-cli for TLS 1.0) hand mail to `stamp-cli relay serve`,
# which delivers it with XOAUTH2 to the loopback SMTP fixture, signed in
# through the mock identity provider, with its secrets in a real keyring.
# Then everything a device or a stranger must not get away with: a wrong
# password, relaying for strangers, a foreign sender, an oversize message,
# a slow or hostile client, and 200 idle connections.
#
# Run by meson in tests/fixtures/with-keyring.sh; prints TAP.

import os
import re
import resource
import smtplib
import socket
import ssl
import subprocess
import sys
import threading
import time
import warnings

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import relaykit as kit  # noqa: E402
from relaykit import ACCOUNT, RCPT, Conversation, make_message, smtplib_send, wait_until  # noqa: E402

DELIVERY_TIMEOUT = 15


class Setting:
    pass


def setup():
    s = Setting()
    s.world = kit.World(name="relay-devices")
    s.world.sign_in()
    s.printer = s.world.add_device("Office Printer")
    # TLS 1.0 is offered only to the addresses of a device allowed it.
    s.legacy = s.world.add_device("Old Copier", "--tls-min", "1.0",
                                  "--allow-from", "127.0.0.1/32")
    s.plain = s.world.add_device("Label Printer", "--allow-plaintext")
    s.scanner = s.world.add_device("Door Scanner", "--no-sign-in", "--allow-from", "127.0.0.1/32")
    s.relay = s.world.start_relay()
    s.secrets = [d["password"] for d in (s.printer, s.legacy, s.plain)]
    return s


def teardown(s):
    if s is not None:
        s.world.close()


def assert_delivered(s, message_id, sender=ACCOUNT):
    wait_until(lambda: s.world.upstream.delivered(message_id), DELIVERY_TIMEOUT,
               f"{message_id} upstream")
    assert s.world.upstream.delivered(message_id) == 1
    message = next(m for m in s.world.upstream.messages()
                   if kit.message_id_of(m["data"]) == message_id)
    assert message["mail_from"] == sender, message["mail_from"]
    assert message["rcpt_tos"] == [RCPT], message["rcpt_tos"]
    assert message["tls"], "delivered upstream without TLS"


def assert_logged(s, pattern, timeout=5):
    """A line of the relay's log matches @pattern (and names the client)."""
    wait_until(lambda: any(re.search(pattern, line) for line in s.relay.log_lines()), timeout,
               f"a relay log line matching {pattern!r}; it said:\n"
               + "\n".join(s.relay.log_lines()[-20:]))


def assert_nothing_delivered_from(s, count_before):
    time.sleep(0.5)
    assert len(s.world.upstream.messages()) == count_before, "a refused message went upstream"


# -- delivery ------------------------------------------------------------------

def test_swaks(s):
    message_id = make_message(tag="swaks")[0]
    result = subprocess.run(
        ["swaks", "--server", "127.0.0.1", "--port", str(s.relay.port), "--tls",
         "--tls-verify", "--tls-ca-path", s.world.ca,
         "--auth", "PLAIN", "--auth-user", s.printer["user"],
         "--auth-password", s.printer["password"],
         "--from", ACCOUNT, "--to", RCPT, "--h-Subject", "Scan from swaks",
         "--h-Message-Id", message_id, "--body", "A scanned page.", "--timeout", "20"],
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "250" in result.stdout
    assert_delivered(s, message_id)
    assert_logged(s, r"127\.0\.0\.1")
    # Upstream, Stamp signed in with the account's token, never the device's password.
    auths = s.world.upstream.auths()
    assert auths and all(a["mechanism"] == "XOAUTH2" for a in auths), auths
    assert all(a["user"] == ACCOUNT for a in auths)


def test_msmtp(s):
    message_id, data = make_message(subject="Scan from msmtp", tag="msmtp")
    rc = s.world.dir / "msmtprc"
    rc.write_text(f"""defaults
account relay
host 127.0.0.1
port {s.relay.port}
tls on
tls_starttls on
tls_trust_file {s.world.ca}
auth on
user {s.printer['user']}
password {s.printer['password']}
from {ACCOUNT}
timeout 20
""")
    rc.chmod(0o600)
    result = subprocess.run(["msmtp", "-C", str(rc), "-a", "relay", RCPT], input=data,
                            capture_output=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_delivered(s, message_id)


def test_smtplib(s):
    message_id = smtplib_send(s.world, s.relay, s.printer)
    assert_delivered(s, message_id)


def test_plaintext_device(s):
    # The device set to plain text signs in without STARTTLS.
    message_id = smtplib_send(s.world, s.relay, s.plain, starttls=False)
    assert_delivered(s, message_id)

    # Any other device, and everybody else, must use STARTTLS first.
    before = len(s.world.upstream.messages())
    try:
        smtplib_send(s.world, s.relay, s.printer, starttls=False, source="127.0.0.4")
    except (smtplib.SMTPException, OSError) as error:
        code = getattr(error, "smtp_code", 0)
        assert code == 0 or 500 <= code < 600, error
    else:
        raise AssertionError("a device not set to plain text signed in without TLS")
    assert_nothing_delivered_from(s, before)


def gnutls_session(s, priority):
    """gnutls-cli with SMTP STARTTLS, driven line by line; returns (process,
    read_reply, send)."""
    process = subprocess.Popen(
        ["gnutls-cli", "--starttls-proto=smtp", "--x509cafile", s.world.ca,
         "--priority", priority, "-p", str(s.relay.port), "localhost"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, bufsize=1)
    transcript = []

    def read_reply(timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                raise ConnectionError("gnutls-cli ended:\n" + "".join(transcript))
            transcript.append(line)
            if re.match(r"\d{3} ", line):
                return int(line[:3]), line.strip()
        raise AssertionError("no reply:\n" + "".join(transcript))

    def send(line):
        process.stdin.write(line + "\r\n")
        process.stdin.flush()

    return process, read_reply, send, transcript


def auth_plain(device):
    import base64
    raw = f"\0{device['user']}\0{device['password']}".encode()
    return "AUTH PLAIN " + base64.b64encode(raw).decode()


def test_tls10_legacy_device(s):
    priority = "NORMAL:-VERS-ALL:+VERS-TLS1.0"
    message_id, data = make_message(subject="Scan over TLS 1.0", tag="tls10")

    process, read_reply, send, transcript = gnutls_session(s, priority)
    try:
        send("EHLO old-copier.local")
        code, _ = read_reply()
        assert code == 250, "".join(transcript)
        assert any("TLS1.0" in line for line in transcript), "".join(transcript)
        send(auth_plain(s.legacy))
        assert read_reply()[0] == 235, "".join(transcript)
        send(f"MAIL FROM:<{ACCOUNT}>")
        assert read_reply()[0] == 250, "".join(transcript)
        send(f"RCPT TO:<{RCPT}>")
        assert read_reply()[0] == 250, "".join(transcript)
        send("DATA")
        assert read_reply()[0] == 354, "".join(transcript)
        for line in data.decode().split("\r\n")[:-1]:
            send(line)
        send(".")
        assert read_reply()[0] == 250, "".join(transcript)
        send("QUIT")
    finally:
        process.stdin.close()
        process.wait(timeout=10)
    assert_delivered(s, message_id)

    # From anywhere else, TLS 1.0 is not even offered.
    context = kit.client_context(s.world)
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)     # that is the point
        context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1
    with smtplib.SMTP("127.0.0.1", s.relay.port, timeout=10,
                      source_address=("127.0.0.6", 0)) as client:
        client.ehlo("somebody.local")
        try:
            client.starttls(context=context)
        except (ssl.SSLError, OSError):
            pass
        else:
            raise AssertionError("TLS 1.0 was offered to an address no device needs it for")

    # A device left at the default (TLS 1.2) cannot use TLS 1.0 even from
    # the legacy device's address: either the handshake or its sign-in is
    # refused.
    process, read_reply, send, transcript = gnutls_session(s, priority)
    try:
        try:
            send("EHLO office-printer.local")
            code, _ = read_reply()
            if code == 250:
                send(auth_plain(s.printer))
                code, line = read_reply()
                assert 500 <= code < 600, line
        except (ConnectionError, BrokenPipeError):
            pass        # the handshake was refused
    finally:
        try:
            process.stdin.close()
        except BrokenPipeError:
            pass
        process.wait(timeout=10)


# -- refusals ------------------------------------------------------------------

def test_wrong_password(s):
    before = len(s.world.upstream.messages())
    wrong = dict(s.printer, password="not-the-password-at-all")
    try:
        smtplib_send(s.world, s.relay, wrong, source="127.0.0.3")
    except smtplib.SMTPAuthenticationError as error:
        assert 500 <= error.smtp_code < 600, error
    else:
        raise AssertionError("a wrong password was taken")
    assert_nothing_delivered_from(s, before)
    assert_logged(s, r"127\.0\.0\.3")

    # swaks says the same.
    result = subprocess.run(
        ["swaks", "--server", "127.0.0.1", "--port", str(s.relay.port), "--tls",
         "--local-interface", "127.0.0.3", "--auth", "PLAIN",
         "--auth-user", s.printer["user"], "--auth-password", "wrong-password-123456",
         "--from", ACCOUNT, "--to", RCPT, "--timeout", "20"],
        capture_output=True, text=True, timeout=30)
    assert result.returncode != 0, result.stdout
    assert re.search(r"<~\* 5\d\d", result.stdout), result.stdout

    # Five failures from one address: for a while, not even the right
    # password helps from there, while other addresses are not affected.
    for _ in range(5):
        code = auth_plain_code(s, s.printer["user"], "wrong-password-123456", "127.0.0.8")
        assert code == 535, code
    code = auth_plain_code(s, s.printer["user"], s.printer["password"], "127.0.0.8")
    assert 400 <= code < 500, f"the right password after five failures got {code}"
    assert_delivered(s, smtplib_send(s.world, s.relay, s.printer, source="127.0.0.7"))


def auth_plain_code(s, user, password, source):
    """The relay's answer to AUTH PLAIN from @source, after STARTTLS (or the
    code of an earlier refusal)."""
    try:
        with smtplib.SMTP("127.0.0.1", s.relay.port, timeout=10,
                          source_address=(source, 0)) as client:
            client.ehlo("device.local")
            client.starttls(context=kit.client_context(s.world))
            client.ehlo("device.local")
            return client.docmd("AUTH PLAIN", auth_plain({"user": user, "password": password})
                                .split()[-1])[0]
    except smtplib.SMTPResponseException as error:
        return error.smtp_code


def test_no_sign_in_device(s):
    # The door scanner, known by its address, sends without signing in.
    message_id = smtplib_send(s.world, s.relay, None, starttls=False, source="127.0.0.1")
    assert_delivered(s, message_id)


def test_open_relay_refused(s):
    before = len(s.world.upstream.messages())
    for starttls in (False, True):
        conversation = Conversation(s.relay.port, source="127.0.0.2")
        try:
            assert conversation.reply()[0] == 220
            assert conversation.command("EHLO stranger.example")[0] == 250
            if starttls:
                # A stranger with TLS is still a stranger.
                conversation.close()
                try:
                    smtplib_send(s.world, s.relay, None, source="127.0.0.2",
                                 rcpts=("victim@elsewhere.example",))
                except smtplib.SMTPRecipientsRefused as error:
                    codes = [code for code, _ in error.recipients.values()]
                    assert all(500 <= code < 600 for code in codes), error
                except smtplib.SMTPResponseException as error:
                    assert 500 <= error.smtp_code < 600, error
                else:
                    raise AssertionError("relayed for a stranger over TLS")
                continue
            code, line = conversation.command(f"MAIL FROM:<{ACCOUNT}>")
            if code == 250:
                code, line = conversation.command("RCPT TO:<victim@elsewhere.example>")
            assert 500 <= code < 600, f"relayed for a stranger: {line}"
            print(f"# {line}", flush=True)
        finally:
            conversation.close()
    assert_nothing_delivered_from(s, before)
    assert_logged(s, r"127\.0\.0\.2")


def test_foreign_sender_refused(s):
    before = len(s.world.upstream.messages())
    for device, starttls, source in ((s.printer, True, "127.0.0.1"),
                                     (None, False, "127.0.0.1")):
        try:
            smtplib_send(s.world, s.relay, device, sender="ceo@elsewhere.example",
                         starttls=starttls, source=source)
        except smtplib.SMTPSenderRefused as error:
            assert 500 <= error.smtp_code < 600, error
            assert error.smtp_error, "the refusal gives no reason"
            print(f"# {error.smtp_code} {error.smtp_error.decode(errors='replace')}", flush=True)
        else:
            raise AssertionError("a foreign MAIL FROM was taken")
    assert_nothing_delivered_from(s, before)


def ehlo_size(s):
    """The SIZE the relay offers, checking the rest of its EHLO on the way."""
    with smtplib.SMTP("127.0.0.1", s.relay.port, timeout=20) as client:
        client.ehlo("device.local")
        client.starttls(context=kit.client_context(s.world))
        client.ehlo("device.local")
        assert client.has_extn("size"), client.esmtp_features
        for name in ("pipelining", "8bitmime"):
            assert client.has_extn(name), client.esmtp_features
        assert "PLAIN" in client.esmtp_features.get("auth", "").upper()
        assert "LOGIN" in client.esmtp_features.get("auth", "").upper()
        return int(client.esmtp_features["size"])


def test_oversize(s):
    limit = ehlo_size(s)
    assert 0 < limit <= 200 << 20, limit
    before = len(s.world.upstream.messages())

    # Declared too big: refused at MAIL.
    with smtplib.SMTP("127.0.0.1", s.relay.port, timeout=30) as client:
        client.ehlo("device.local")
        client.starttls(context=kit.client_context(s.world))
        client.ehlo("device.local")
        client.login(s.printer["user"], s.printer["password"])
        code, line = client.mail(ACCOUNT, [f"SIZE={limit + 1}"])
        assert code == 552 or 500 <= code < 600, line

        # Not declared, but too big all the same: refused after the data,
        # and the session goes on.
        client.rset()
        message = make_message(tag="oversize", size=limit + 1024)
        try:
            client.sendmail(ACCOUNT, [RCPT], message[1])
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            assert 500 <= error.smtp_code < 600, error
        else:
            raise AssertionError("an oversize message was taken")
        client.noop()
    assert_nothing_delivered_from(s, before)


def rss_kb(relay):
    with open(f"/proc/{relay.process.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def closed_by_relay(sock, timeout):
    """True when the relay hangs up on @sock (perhaps after a 4xx/5xx line)
    within @timeout seconds."""
    sock.settimeout(timeout)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
            if re.search(rb"(^|\n)[45]\d\d ", data) is None and not data.startswith(b"220"):
                return False
    except socket.timeout:
        return False
    except OSError:
        return True


def test_slowloris(s):
    # A relay of its own with a short deadline for one command, so that the
    # deadline shows within the test.
    relay = s.world.start_relay(["--read-timeout", "2"], own_spool=True)
    stop = threading.Event()
    dribblers = []
    threads = []

    def dribble(sock):
        try:
            while not stop.is_set():
                sock.sendall(b"E")
                stop.wait(0.5)
        except OSError:
            pass

    try:
        # Clients that send a byte now and then never finish a command.
        for i in range(20):
            sock = socket.create_connection(("127.0.0.1", relay.port), timeout=10,
                                            source_address=(f"127.0.2.{i + 1}", 0))
            sock.recv(1024)     # the greeting
            dribblers.append(sock)
            thread = threading.Thread(target=dribble, args=(sock,), daemon=True)
            thread.start()
            threads.append(thread)

        # One sends a line that never ends.
        rss_before = rss_kb(relay)
        flood = socket.create_connection(("127.0.0.1", relay.port), timeout=10,
                                         source_address=("127.0.3.1", 0))
        flood.recv(1024)
        chunk = b"A" * 65536
        sent = 0
        try:
            while sent < (32 << 20):
                flood.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass        # the relay hung up on the endless line: good
        rss_after = rss_kb(relay)
        assert rss_after - rss_before < 16 << 10, \
            f"a 32 MB line grew the relay by {rss_after - rss_before} kB"
        flood.settimeout(5)
        try:
            answer = flood.recv(4096)
        except socket.timeout:
            answer = b"(nothing)"
        except OSError:
            answer = b""
        assert answer == b"" or re.match(rb"[45]\d\d", answer), \
            f"an endless line got {answer[:80]!r}"
        flood.close()

        # Meanwhile a device sends as usual.
        started = time.monotonic()
        message_id = smtplib_send(s.world, relay, s.printer)
        took = time.monotonic() - started
        assert took < 3, f"a device waited {took:.1f} s behind slow clients"
        assert_delivered(s, message_id)

        # And the deadline ends the slow ones.
        for sock in dribblers:
            assert closed_by_relay(sock, 5), "a client dribbling bytes was kept past the deadline"
        assert relay.alive()
    finally:
        stop.set()
        for sock in dribblers:
            sock.close()
        for thread in threads:
            thread.join(timeout=2)
        relay.terminate()


def test_idle_connections(s):
    # 200 connections that never say anything, from 200 addresses; a device
    # still sends, promptly.
    idle = []
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < 1024:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 1024), hard))
        for i in range(200):
            idle.append(socket.create_connection(
                ("127.0.0.1", s.relay.port), timeout=10,
                source_address=(f"127.0.{4 + i // 250}.{i % 250 + 1}", 0)))
        time.sleep(0.3)
        started = time.monotonic()
        message_id = smtplib_send(s.world, s.relay, s.printer)
        took = time.monotonic() - started
        assert took < 5, f"a device waited {took:.1f} s behind 200 idle connections"
        assert_delivered(s, message_id)
    finally:
        for sock in idle:
            sock.close()
    assert s.relay.alive()


def relay_certificate(port):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("device.local")
        client.starttls(context=context)
        return client.sock.getpeercert(binary_form=True)


def test_own_certificate(s):
    # Without --tls-cert the relay makes a certificate once and keeps it:
    # the same after a restart, its key readable by its owner alone.
    first = s.world.start_relay(tls=False, own_spool=True)
    try:
        certificate = relay_certificate(first.port)
    finally:
        first.terminate()
    folder = os.path.join(s.world.env["XDG_CONFIG_HOME"], "stamp", "relay-tls")
    files = os.listdir(folder)
    assert files, "no certificate kept"
    for name in files:
        mode = os.stat(os.path.join(folder, name)).st_mode & 0o777
        if "key" in name:
            assert mode == 0o600, f"{name} has mode {mode:o}"
    second = s.world.start_relay(tls=False, own_spool=True)
    try:
        assert relay_certificate(second.port) == certificate, "a new certificate at restart"
    finally:
        second.terminate()


def test_status(s):
    # What relay status says while the relay serves: where it listens, the
    # queue, and per device what it took and what went upstream.
    status = s.world.status()
    assert f"127.0.0.1:{s.relay.port}" in status.get("listening", []), status
    assert status.get("queued") == 0, status
    printer = status.get("devices", {}).get("Office Printer", {})
    assert printer.get("accepted_today", 0) >= 5, status
    assert printer.get("delivered_today") == printer.get("accepted_today"), status
    assert status.get("last_delivery", {}).get("ok") is True, status
    text = s.world.cli("relay", "status").stdout
    assert "Office Printer" in text, text


def test_sigterm_ends_serve(s):
    status = s.relay.terminate(timeout=10)
    assert status is not None, "relay serve did not end on SIGTERM"
    assert status == 0, f"relay serve ended with {status} on SIGTERM:\n{s.relay.describe()}"


def test_no_secret_in_output(s):
    # Passwords of devices and the account's tokens never reach the log.
    lines = s.relay.lines("out") + s.relay.lines("err")
    assert len(lines) > 10, lines
    for line in lines:
        for secret in s.secrets + ["CANARY"]:
            assert secret not in line, f"a secret reached the relay's output: {line}"


TESTS = [
    ("delivery: swaks with STARTTLS and AUTH PLAIN", test_swaks),
    ("delivery: msmtp", test_msmtp),
    ("delivery: Python smtplib", test_smtplib),
    ("plain-text device; others need STARTTLS", test_plaintext_device),
    ("TLS 1.0 for a legacy device only (gnutls-cli)", test_tls10_legacy_device),
    ("wrong password refused, logged; five failures limit the address", test_wrong_password),
    ("no sign-in device known by its address", test_no_sign_in_device),
    ("open relay attempt refused", test_open_relay_refused),
    ("foreign MAIL FROM refused", test_foreign_sender_refused),
    ("oversize message refused", test_oversize),
    ("slowloris and an endless line", test_slowloris),
    ("200 idle connections while a device sends", test_idle_connections),
    ("a certificate made once and kept", test_own_certificate),
    ("relay status: listening, queue, counts per device", test_status),
    ("SIGTERM ends relay serve", test_sigterm_ends_serve),
    ("no password or token in the relay's output", test_no_secret_in_output),
]

if __name__ == "__main__":
    sys.exit(kit.run_tests(TESTS, setup, teardown))
