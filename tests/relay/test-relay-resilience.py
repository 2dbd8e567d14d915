#!/usr/bin/python3
# test-relay-resilience.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Store and forward, nothing lost: Stamp Relay takes mail while its
# upstream is down and delivers it when it returns; a relay killed with
# SIGKILL in the middle of transfers and started again delivers every
# message a device got 250 for exactly once (or holds it aside and says so),
# counted by Message-ID in the upstream's log; a sign-in revoked for good
# stops the account, says so in `relay status`, and keeps the messages.
#
# Run by meson in tests/fixtures/with-keyring.sh; prints TAP.

import json
import os
import random
import smtplib
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import relaykit as kit  # noqa: E402
from relaykit import ACCOUNT, PYTHON, FIXTURES, make_message, smtplib_send, wait_until  # noqa: E402


class Setting:
    pass


def setup():
    s = Setting()
    s.world = kit.World(name="relay-resilience")
    s.world.sign_in()
    s.printer = s.world.add_device("Office Printer")
    return s


def teardown(s):
    if s is not None:
        s.world.close()


def queued(s):
    return s.world.status().get("queued", 0)


def test_upstream_down_then_up(s):
    relay = s.world.start_relay(["--first-retry", "1"])
    try:
        s.world.upstream.stop()
        ids = [smtplib_send(s.world, relay, s.printer, message=make_message(tag=f"down{i}"))
               for i in range(3)]
        time.sleep(1.5)
        assert all(s.world.upstream.delivered(i) == 0 for i in ids)
        wait_until(lambda: queued(s) >= 3, 5, "relay status to count 3 queued")

        s.world.upstream.start()
        wait_until(lambda: all(s.world.upstream.delivered(i) for i in ids), 30,
                   "the queued messages upstream after it came back")
        time.sleep(0.5)
        counts = s.world.upstream.count_by_message_id()
        assert all(counts[i] == 1 for i in ids), counts
        wait_until(lambda: queued(s) == 0, 5, "an empty queue")
        status = s.world.status()
        assert status.get("last_delivery", {}).get("ok") is True, status
    finally:
        if s.world.upstream.fixture is None:
            s.world.upstream.start()
        relay.terminate()


def held_message_ids(s):
    ids = set()
    held = s.world.state_dir / "held"
    for name in s.world.spool_files("held"):
        if name.endswith(".eml"):
            ids.add(kit.message_id_of((held / name).read_text(errors="replace")))
    return ids


class Senders:
    """Devices sending one message after another until told to stop or the
    relay goes away; remembers which messages got 250."""

    def __init__(self, s, relay, count, size):
        self.accepted = []
        self.attempted = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(s, relay, n, size), daemon=True)
                        for n in range(count)]
        for thread in self.threads:
            thread.start()

    def run(self, s, relay, n, size):
        while not self.stop.is_set():
            message = make_message(tag=f"kill{n}", size=size)
            with self.lock:
                self.attempted.append(message[0])
            try:
                smtplib_send(s.world, relay, s.printer, message=message, timeout=10)
            except (smtplib.SMTPException, OSError):
                return
            with self.lock:
                self.accepted.append(message[0])
            self.stop.wait(0.15)

    def join(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=15)


def test_kill9_and_restart(s):
    # A link with 100 ms of round-trip time in front of the upstream keeps
    # each delivery under way for most of a second.
    proxy = kit.Fixture("latency-proxy.py", [PYTHON, str(FIXTURES / "latency-proxy.py"),
                                             "--target-port", str(s.world.upstream.port),
                                             "--rtt-ms", "100",
                                             "--log", str(s.world.dir / "latency.log")])
    s.world.fixtures.append(proxy)
    # Pacing is not what this tests: an account with no provider's limits.
    s.world.point_account(port=proxy.port, provider=None)
    listen = [("127.0.0.1", kit.free_port())]
    accepted = []
    attempted = []
    held_before = held_message_ids(s)
    try:
        random.seed(17)
        for kill_after in (1.3, 0.7, 2.1):
            relay = s.world.start_relay(["--first-retry", "1"], listen=listen)
            senders = Senders(s, relay, count=4, size=64 << 10)
            time.sleep(kill_after + random.uniform(0, 0.3))
            relay.kill9()
            senders.join()
            accepted += senders.accepted
            attempted += senders.attempted
        assert accepted, "no message was accepted before the kills"

        relay = s.world.start_relay(["--first-retry", "1"], listen=listen)

        def settled():
            counts = s.world.upstream.count_by_message_id()
            held = held_message_ids(s)
            return all(counts.get(i, 0) or i in held for i in accepted) and queued(s) == 0

        try:
            wait_until(settled, 45, "every accepted message delivered or held")
        except AssertionError as error:
            counts = s.world.upstream.count_by_message_id()
            held = held_message_ids(s)
            missing = [i for i in accepted if not counts.get(i) and i not in held]
            raise AssertionError(
                f"{error}: {len(missing)} of {len(accepted)} accepted neither upstream nor "
                f"held; queue: {s.world.spool_files('queue')}; status: {s.world.status()}; "
                f"{relay.describe()}") from None
        time.sleep(1.5)     # room for a duplicate to show up

        counts = s.world.upstream.count_by_message_id()
        held = held_message_ids(s) - held_before
        lost = [i for i in accepted if counts.get(i, 0) == 0 and i not in held]
        doubled = {i: n for i, n in counts.items() if n > 1}
        unaccepted = [i for i in attempted if i not in accepted]
        held_delivered = sum(1 for i in held if counts.get(i))
        print(f"# {len(accepted)} accepted, {len(unaccepted)} cut off by the kills "
              f"({sum(1 for i in unaccepted if counts.get(i))} of those delivered all the same), "
              f"{sum(1 for i in accepted if counts.get(i))} of the accepted delivered, "
              f"{len(held)} held as maybe delivered ({held_delivered} of them were, "
              f"{len(held & set(accepted))} had been accepted)", flush=True)
        assert not lost, f"accepted but lost: {lost}"
        assert not doubled, f"delivered more than once: {doubled}"
        # A message held aside is one whose fate the relay could not know:
        # it must be reported, in status.
        if held:
            status = s.world.status()
            assert status.get("held", 0) >= len(held), status
            # Held under the device that sent them.
            devices = status.get("devices", {})
            assert devices.get("Office Printer", {}).get("held", 0) >= len(held), \
                f"held messages not counted under their device: {devices}"
        relay.terminate()
    finally:
        s.world.point_account()


def test_permanent_refusal_held(s):
    # An upstream that refuses for good (Microsoft's 5.7.60: not allowed to
    # send as this address): the message is held aside with an explanation,
    # shown in status, and not tried again.
    refusing = kit.Upstream(s.world, ["--scenario", "mail-reject-5.7.60"])
    s.world.point_account(port=refusing.port)
    relay = s.world.start_relay(["--first-retry", "1"])
    try:
        held_before = s.world.status().get("held", 0)
        message_id = smtplib_send(s.world, relay, s.printer, message=make_message(tag="refused"))
        try:
            wait_until(lambda: message_id in held_message_ids(s), 20, "the refused message held")
        except AssertionError as error:
            raise AssertionError(f"{error}; status {s.world.status()}\n{relay.describe()}") from None
        status = s.world.status()
        assert status.get("held") == held_before + 1, status
        last = status.get("last_delivery", {})
        assert last.get("ok") is False and last.get("explanation"), status
        print(f"# {last['explanation']}", flush=True)
        time.sleep(2)
        attempts = [e for e in refusing.auths() if e["success"]]
        assert len(attempts) == 1, f"a refused message was tried {len(attempts)} times"
        assert refusing.messages() == []
    finally:
        relay.terminate()
        refusing.close()
        s.world.point_account()


def test_two_relays_one_spool(s):
    # A second relay on another port but the same spool (the app's and the
    # service's, say) would send what the first one sends: it refuses to
    # start and says why, and the first one delivers everything once.
    s.world.upstream.stop()
    first = s.world.start_relay(["--first-retry", "1"])
    second = s.world.start_relay(["--first-retry", "1"], wait=False)
    try:
        assert second.wait(5) is not None, "a second relay on the same spool started"
        assert second.process.returncode == 1, second.describe()
        said = " ".join(second.lines("err"))
        assert "already delivers" in said, second.describe()
        ids = [smtplib_send(s.world, first, s.printer, message=make_message(tag=f"once{i}"))
               for i in range(5)]
        s.world.upstream.start()
        wait_until(lambda: all(s.world.upstream.delivered(i) for i in ids), 20,
                   "the first relay's messages upstream")
        counts = s.world.upstream.count_by_message_id()
        assert all(counts[i] == 1 for i in ids), counts
        assert first.process.poll() is None, first.describe()
    finally:
        if s.world.upstream.fixture is None:
            s.world.upstream.start()
        first.terminate()
        second.terminate()


def test_token_revoked(s):
    # The desktop's notification service, on the test's own session bus.
    notes_log = s.world.dir / "notifications.log"
    notes = kit.Process("notifications", [PYTHON, str(FIXTURES / "notification-server.py"),
                                          "--log", str(notes_log)],
                        env=s.world.env, stdin=subprocess.PIPE)
    wait_until(lambda: "READY" in notes.lines(), 10, "the notification service")
    relay = s.world.start_relay(["--first-retry", "1"])
    try:
        # Consent withdrawn: no access token works and no refresh token either.
        s.world.idp_control({"revoke_refresh_tokens": True, "invalidate_access_tokens": True})
        ids = [smtplib_send(s.world, relay, s.printer, message=make_message(tag=f"revoked{i}"))
               for i in range(2)]

        def stopped():
            account = s.world.status().get("accounts", {}).get(ACCOUNT, {})
            return account if account.get("stopped") else None

        account = wait_until(stopped, 20, "relay status to say the account stopped")
        assert account.get("explanation"), account
        time.sleep(1)
        assert all(s.world.upstream.delivered(i) == 0 for i in ids)
        status = s.world.status()
        assert status.get("queued", 0) >= 2, status
        assert len([n for n in s.world.spool_files("queue") if n.endswith(".eml")]) >= 2

        text = s.world.cli("relay", "status").stdout
        assert ACCOUNT in text, text
        assert relay.alive(), "the relay ended when a sign-in was revoked"

        # Nobody may read a service's log: the desktop is told, once.
        def notified():
            return notes_log.exists() and [json.loads(line) for line in
                                           notes_log.read_text().splitlines()]
        shown = wait_until(notified, 10, "a desktop notification")
        assert len(shown) == 1, shown
        assert ACCOUNT in shown[0]["summary"], shown
        assert "Sign in again" in shown[0]["body"], shown
    finally:
        relay.terminate()
        notes.process.kill()


TESTS = [
    ("upstream down, then up: queued mail delivered once", test_upstream_down_then_up),
    ("kill -9 mid-transfer and restart: none lost, none doubled", test_kill9_and_restart),
    ("permanent refusal: held aside, explained, not retried", test_permanent_refusal_held),
    ("two relays on one spool: the second refuses", test_two_relays_one_spool),
    ("token revoked: account stopped, status says so, mail stays queued", test_token_revoked),
]

if __name__ == "__main__":
    sys.exit(kit.run_tests(TESTS, setup, teardown))
