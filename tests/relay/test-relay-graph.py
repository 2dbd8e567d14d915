#!/usr/bin/python3
# test-relay-graph.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Stamp Relay for an account that sends through Microsoft Graph: a device's
# message reaches the mock Graph endpoint byte for byte, with a Bcc header
# for the envelope's hidden recipients; a refused token is refreshed once;
# 429 waits as Graph asks and delivers once; 403 holds the message with the
# reason; a relay killed mid-way and started again neither loses nor
# doubles; devices hear Graph's 4 MB limit in EHLO and at DATA; and `relay
# serve` keeps the sign-in alive when it has not been used for a week.
#
# Run by meson in tests/fixtures/with-keyring.sh; prints TAP.

import json
import os
import smtplib
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import relaykit as kit  # noqa: E402
from relaykit import ACCOUNT, FIXTURES, PYTHON, RCPT, make_message, wait_until  # noqa: E402

# Graph's limit for the message itself (STAMP_GRAPH_MAX_MESSAGE).
GRAPH_MAX_MESSAGE = 4 * 1024 * 1024 // 4 * 3


def graph_account(world, url):
    """Saves the account as one that sends through Microsoft Graph at @url:
    `accounts add --method graph --graph-url`, or where this stamp-cli has
    no such options yet, the account file's own "method" and "graph_url"."""
    common = ["accounts", "add", ACCOUNT, "--provider", "microsoft",
              "--client-id", kit.CLIENT_ID, "--authority", world.authority]
    if world.cli(*common, "--method", "graph", "--graph-url", url, check=False).returncode == 0:
        return
    world.cli(*common, "--host", "smtp.office365.com", "--port", "587",
              "--security", "starttls", "--auth", "xoauth2")
    path = Path(world.env["XDG_CONFIG_HOME"]) / "stamp" / "accounts.json"
    data = json.loads(path.read_text())
    for account in data["accounts"]:
        if account["address"] == ACCOUNT:
            account["method"] = "graph"
            account["graph_url"] = url
    path.write_text(json.dumps(data, indent=2))


class Graph:
    """tests/fixtures/graph-server.py: checks the bearer token's audience
    and scope, decodes the base64 MIME and keeps each message it takes in
    a folder of its own, byte for byte. @options script its answers
    (--throttle, --fail, --expire-first, --hang)."""

    count_started = 0

    def __init__(self, world, *options):
        Graph.count_started += 1
        name = f"graph-{Graph.count_started}"
        self.world = world
        self.log = world.dir / f"{name}.log"
        self.maildir = world.dir / name
        self.maildir.mkdir()
        self.fixture = kit.Fixture("graph-server.py",
                                   [PYTHON, str(FIXTURES / "graph-server.py"),
                                    "--log", str(self.log), "--maildir", str(self.maildir),
                                    "--mailbox", ACCOUNT, *options])
        world.fixtures.append(self.fixture)
        self.url = f"http://127.0.0.1:{self.fixture.port}/v1.0"
        # The relay started next sends this account's mail here.
        graph_account(world, self.url)

    def events(self, kind):
        if not self.log.exists():
            return []
        return [e for e in (json.loads(line) for line in self.log.read_text().splitlines()
                            if line.strip())
                if e.get("event") == kind]

    def statuses(self):
        return [e.get("status") for e in self.events("request")]

    def messages(self):
        """Every message Graph took, as bytes, in order."""
        return [(self.maildir / e["file"]).read_bytes() for e in self.events("accepted")]

    def count(self, message_id):
        return sum(1 for m in self.messages()
                   if kit.message_id_of(m.decode("latin-1")) == message_id)

    def stop(self):
        self.fixture.stop()


class Setting:
    pass


def setup():
    s = Setting()
    s.world = kit.World(name="relay-graph")
    s.graph = Graph(s.world)
    s.world.cli("login", ACCOUNT, "--provider", "microsoft", "--client-id", kit.CLIENT_ID,
                "--authority", s.world.authority,
                "--timeout", "20")
    s.printer = s.world.add_device("Office Printer")
    return s


def teardown(s):
    if s is not None:
        s.world.close()


def held_explanations(s):
    held = s.world.state_dir / "held"
    return {kit.message_id_of((held / name.replace(".json", ".eml")).read_text(errors="replace")
                              if (held / name.replace(".json", ".eml")).exists() else ""):
            json.loads((held / name).read_text()).get("last_error", "")
            for name in s.world.spool_files("held") if name.endswith(".json")}


def send(s, relay, message, rcpts=(RCPT,)):
    return kit.smtplib_send(s.world, relay, s.printer, message=message, rcpts=rcpts)


def test_delivered_byte_exact(s):
    s.graph = Graph(s.world)
    relay = s.world.start_relay(["--first-retry", "1"])
    try:
        message_id, data = make_message(tag="graph")
        hidden = "hidden@example.test"
        send(s, relay, (message_id, data), rcpts=(RCPT, hidden))
        wait_until(lambda: s.graph.count(message_id) == 1, 20, "the message at Graph")
        got = s.graph.messages()[-1]
        # The relay's Received line first, then the device's message as it
        # sent it, with the envelope-only recipient in a Bcc header.
        head, _, body = got.partition(b"\r\n\r\n")
        sent_head, _, sent_body = data.partition(b"\r\n\r\n")
        assert head.startswith(b"Received: "), head
        assert body == sent_body, (body, sent_body)
        assert head.endswith(sent_head + b"\r\nBcc: " + hidden.encode()), head
        assert s.graph.events("accepted")[-1]["to"] == [RCPT, hidden]
        wait_until(lambda: any("delivered" in line for line in relay.log_lines()), 5,
                   "the delivery in the log")
        assert "202 Accepted" in " ".join(relay.log_lines()), relay.describe()
    finally:
        relay.terminate()


def idp_refreshes(s):
    """The refreshes the identity provider granted, each with its scope."""
    log = s.world.dir / "idp.log"
    if not log.exists():
        return []
    events = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return [e.get("scope") or "" for e in events
            if e.get("event") == "token" and e.get("grant_type") == "refresh_token"
            and e.get("ok")]


def test_401_refresh_then_delivered(s):
    # The token expired on the way: Graph says 401 once.
    s.graph = Graph(s.world, "--expire-first", "1")
    relay = s.world.start_relay(["--first-retry", "1"])
    try:
        refreshes = len(idp_refreshes(s))
        message_id = send(s, relay, make_message(tag="refresh"))
        wait_until(lambda: s.graph.count(message_id) == 1, 20, "the message after a refresh")
        assert s.graph.statuses() == [401, 202], s.graph.statuses()
        new = idp_refreshes(s)[refreshes:]
        assert new, "no refresh at the identity provider"
        # For Graph's scope alone: an SMTP token never goes to Graph.
        assert all("Mail.Send" in scope and "SMTP.Send" not in scope for scope in new), new
        time.sleep(1)
        assert s.graph.count(message_id) == 1
    finally:
        relay.terminate()


def test_429_deferred_then_once(s):
    s.graph = Graph(s.world, "--throttle", "2:1")
    relay = s.world.start_relay(["--first-retry", "1"])
    try:
        message_id = send(s, relay, make_message(tag="throttled"))
        wait_until(lambda: any("will be tried again" in line for line in relay.log_lines()), 10,
                   "the message deferred")
        deferred_at = time.monotonic()
        assert s.graph.count(message_id) == 0
        wait_until(lambda: s.graph.count(message_id) == 1, 20, "the message after Retry-After")
        assert time.monotonic() - deferred_at >= 1.5, "the relay did not wait as Graph asked"
        time.sleep(1.5)
        assert s.graph.count(message_id) == 1
        assert s.graph.statuses() == [429, 202], s.graph.statuses()
    finally:
        relay.terminate()


def test_403_held_with_reason(s):
    s.graph = Graph(s.world, "--fail", "403:ErrorAccessDenied:1")
    relay = s.world.start_relay(["--first-retry", "1"])
    try:
        held_before = s.world.status().get("held", 0)
        message_id = send(s, relay, make_message(tag="denied"))
        wait_until(lambda: message_id in held_explanations(s), 20, "the refused message held")
        explanation = held_explanations(s)[message_id]
        print(f"# {explanation}", flush=True)
        assert "403" in explanation and "ErrorAccessDenied" in explanation, explanation
        status = s.world.status()
        assert status.get("held") == held_before + 1, status
        assert status.get("last_delivery", {}).get("ok") is False, status
        time.sleep(1.5)
        assert s.graph.count(message_id) == 0
        assert s.graph.statuses() == [403], s.graph.statuses()
    finally:
        relay.terminate()


def test_restart_midway(s):
    # A Graph that never answers: requests are under way when the relay is
    # killed; those may have been delivered and are held aside, the others
    # go once the relay is back, to a Graph that answers.
    hanging = Graph(s.world, "--hang")
    listen = [("127.0.0.1", kit.free_port())]
    relay = s.world.start_relay(["--first-retry", "1"], listen=listen)
    held_before = set(held_explanations(s))
    accepted = [send(s, relay, make_message(tag=f"restart{i}")) for i in range(6)]
    wait_until(lambda: len(hanging.events("request")) >= 1, 10, "a request under way")
    time.sleep(0.5)
    relay.kill9()
    under_way = len(hanging.events("request"))
    hanging.stop()

    s.graph = Graph(s.world)
    relay = s.world.start_relay(["--first-retry", "1"], listen=listen)
    try:
        def settled():
            held = held_explanations(s)
            return all(s.graph.count(i) or i in held for i in accepted) \
                and s.world.status().get("queued", 0) == 0

        wait_until(settled, 30, "every accepted message delivered or held")
        time.sleep(1)
        held = {i: e for i, e in held_explanations(s).items() if i not in held_before}
        doubled = [i for i in accepted if s.graph.count(i) > 1]
        lost = [i for i in accepted if s.graph.count(i) == 0 and i not in held]
        assert not doubled, f"delivered twice: {doubled}"
        assert not lost, f"lost: {lost}"
        # What was under way is held, and said so; the rest was delivered.
        assert len(held) == under_way, (held, under_way)
        assert all("may have been delivered" in e for e in held.values()), held
        print(f"# {under_way} under way held, {len(accepted) - under_way} delivered", flush=True)
        assert sum(1 for i in accepted if s.graph.count(i)) == len(accepted) - under_way
    finally:
        relay.terminate()


def test_401_twice_stops_account(s):
    # Refused again after the refresh: a person must sign in again. The
    # account stops as it does for SMTP, and the message waits in the queue.
    s.graph = Graph(s.world, "--expire-first", "10")
    relay = s.world.start_relay(["--first-retry", "1"])
    try:
        message_id = send(s, relay, make_message(tag="lapsed"))

        def stopped():
            account = s.world.status().get("accounts", {}).get(ACCOUNT, {})
            return account if account.get("stopped") else None

        account = wait_until(stopped, 20, "relay status to say the account stopped")
        assert "InvalidAuthenticationToken" in account.get("explanation", ""), account
        assert any("delivery for " + ACCOUNT + " stopped" in line for line in relay.log_lines()), \
            relay.describe()
        time.sleep(1)
        # One refresh, so two tries, and nothing more until a person acts.
        assert s.graph.statuses() == [401, 401], s.graph.statuses()
        assert s.graph.count(message_id) == 0
        assert s.world.status().get("queued", 0) >= 1
    finally:
        relay.terminate()


def test_size_limit(s):
    s.graph = Graph(s.world)
    relay = s.world.start_relay()
    try:
        with smtplib.SMTP("127.0.0.1", relay.port, timeout=20) as client:
            client.ehlo("device.local")
            client.starttls(context=kit.client_context(s.world))
            client.ehlo("device.local")
            client.login(s.printer["user"], s.printer["password"])
            # Known by its sign-in now, the device hears its account's limit.
            client.ehlo("device.local")
            assert int(client.esmtp_features["size"]) == GRAPH_MAX_MESSAGE, \
                client.esmtp_features
            # A client that does not say SIZE= hears it at the end of DATA.
            message_id, data = make_message(tag="big", size=GRAPH_MAX_MESSAGE + 1024)
            code, _ = client.mail(ACCOUNT)
            assert code == 250
            code, _ = client.rcpt(RCPT)
            assert code == 250
            code, text = client.data(data)
            assert code == 552, (code, text)
            assert b"5.3.4" in text and b"Microsoft Graph" in text and b"4 MB" in text, text
            print(f"# 552 {text.decode()}", flush=True)
            # One that says SIZE= hears it at once.
            code, text = client.mail(ACCOUNT, [f"SIZE={len(data)}"])
            assert code == 552 and b"Microsoft Graph" in text, (code, text)
        assert s.graph.count(message_id) == 0
        assert any("over the limit" in line for line in relay.log_lines()), relay.describe()
    finally:
        relay.terminate()


def test_keep_alive(s):
    def refreshes():
        return len(idp_refreshes(s))

    before = refreshes()
    env = dict(s.world.env)
    # Eight days on: the sign-in was last refreshed more than a week ago.
    env["STAMP_TEST_NOW_OFFSET"] = str(8 * 24 * 3600)
    listen = [("127.0.0.1", kit.free_port())]
    relay = kit.Relay(s.world, listen, ["--tls-cert", str(s.world.certs / "server.pem"),
                                        "--tls-key", str(s.world.certs / "server-key.pem")],
                      env=env)
    s.world.relays.append(relay)
    try:
        relay.wait_listening()
        wait_until(lambda: refreshes() > before, 20, "a refresh at the identity provider")
        wait_until(lambda: any("refreshed the sign-in of " + ACCOUNT in line
                               for line in relay.log_lines()), 10, "the refresh in the log")
    finally:
        relay.terminate()


def test_keep_alive_failure(s):
    # Consent withdrawn while nobody sent anything: the keep-alive's refresh
    # fails for good, which relay serve says in its log and on the desktop.
    notes_log = s.world.dir / "notifications.log"
    notes = kit.Process("notifications", [PYTHON, str(FIXTURES / "notification-server.py"),
                                          "--log", str(notes_log)],
                        env=s.world.env, stdin=subprocess.PIPE)
    wait_until(lambda: "READY" in notes.lines(), 10, "the notification service")
    s.world.idp_control({"revoke_refresh_tokens": True, "invalidate_access_tokens": True})
    env = dict(s.world.env)
    env["STAMP_TEST_NOW_OFFSET"] = str(16 * 24 * 3600)
    relay = kit.Relay(s.world, [("127.0.0.1", kit.free_port())],
                      ["--tls-cert", str(s.world.certs / "server.pem"),
                       "--tls-key", str(s.world.certs / "server-key.pem")], env=env)
    s.world.relays.append(relay)
    try:
        relay.wait_listening()
        line = wait_until(lambda: [line for line in relay.log_lines()
                                   if "sign-in of " + ACCOUNT in line], 20,
                          "the keep-alive's warning in the log")
        print(f"# {line[0]}", flush=True)

        def notified():
            return notes_log.exists() and [json.loads(line) for line in
                                           notes_log.read_text().splitlines()]
        shown = wait_until(notified, 10, "a desktop notification")
        assert ACCOUNT in shown[0]["summary"], shown
        assert "Sign in again" in shown[0]["body"], shown
        time.sleep(1)
        # One notification, and one log line, per account and state.
        shown = notified()
        assert len(shown) == len({n["summary"] for n in shown}), shown
        assert len(line) == len(set(line)), line
    finally:
        relay.terminate()
        notes.process.kill()


TESTS = [
    ("delivered through Graph byte for byte, hidden recipients in Bcc",
     test_delivered_byte_exact),
    ("401: refreshed once, then delivered", test_401_refresh_then_delivered),
    ("429: deferred for Retry-After, then delivered once", test_429_deferred_then_once),
    ("403: held, not delivered, with the reason", test_403_held_with_reason),
    ("restarted mid-way: none lost, none doubled", test_restart_midway),
    ("401 after the refresh too: the account stops, the message waits",
     test_401_twice_stops_account),
    ("SIZE is Graph's limit; a bigger message is refused at DATA", test_size_limit),
    ("relay serve keeps an unused sign-in alive", test_keep_alive),
    ("a sign-in that fails for good: a log line and a desktop notification",
     test_keep_alive_failure),
]

if __name__ == "__main__":
    sys.exit(kit.run_tests(TESTS, setup, teardown))
