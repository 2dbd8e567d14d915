#!/usr/bin/python3
# test-relay-load.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Stamp Relay under load: a burst of 100 scans is accepted at once (every
# device gets 250) and drained at the set pace, as the upstream's log shows;
# Postfix's smtp-source hands over 200 messages in 20 parallel sessions and
# every one of them arrives upstream.
#
# Run by meson in tests/fixtures/with-keyring.sh; prints TAP.

import os
import secrets
import smtplib
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import relaykit as kit  # noqa: E402
from relaykit import ACCOUNT, RCPT, make_message, wait_until  # noqa: E402

# Messages a minute: 50 ms apart, 100 in about 5 s; slower where the
# binaries are (under the sanitizers), so that taking the burst in still
# shows as much quicker than the pace.
PACE = int(1200 / float(os.environ.get("STAMP_TEST_TIME_SCALE", "1")))
BURST = 100
BURST_CLIENTS = 10
SMTP_SOURCE = "/usr/sbin/smtp-source"


class Setting:
    pass


def setup():
    s = Setting()
    s.world = kit.World(name="relay-load")
    s.world.sign_in()
    s.scanners = [s.world.add_device(f"Scanner {n}") for n in range(BURST_CLIENTS)]
    s.door = s.world.add_device("Door Scanner", "--no-sign-in", "--allow-from", "127.0.0.1/32")
    return s


def teardown(s):
    if s is not None:
        s.world.close()


def test_pacing(s):
    relay = s.world.start_relay(max_per_minute=PACE)
    ids = []
    failures = []
    lock = threading.Lock()

    def device(n):
        # Each scanner sends its share over one session, as a copier with a
        # stack of pages does.
        try:
            with smtplib.SMTP("127.0.0.1", relay.port, timeout=30) as client:
                client.ehlo("scanner.local")
                client.starttls(context=kit.client_context(s.world))
                client.ehlo("scanner.local")
                client.login(s.scanners[n]["user"], s.scanners[n]["password"])
                for _ in range(BURST // BURST_CLIENTS):
                    message_id, data = make_message(tag=f"burst{n}")
                    client.sendmail(ACCOUNT, [RCPT], data)
                    with lock:
                        ids.append(message_id)
        except (smtplib.SMTPException, OSError) as error:
            with lock:
                failures.append(repr(error))

    try:
        started = time.monotonic()
        threads = [threading.Thread(target=device, args=(n,)) for n in range(BURST_CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        accepted_in = time.monotonic() - started
        delivered_then = len(s.world.upstream.messages())
        assert not failures, f"devices saw errors: {failures}"
        assert len(ids) == BURST, len(ids)

        interval = 60 / PACE
        wait_until(lambda: all(s.world.upstream.delivered(i) for i in ids),
                   BURST * interval * 3 + 20, "the burst upstream")
        times = sorted(t for t, m in s.world.upstream.timed_messages()
                       if kit.message_id_of(m["data"]) in set(ids))
        span = times[-1] - times[0]
        nominal = (BURST - 1) * interval
        print(f"# {BURST} accepted in {accepted_in:.2f} s ({delivered_then} upstream by then), "
              f"drained over {span:.2f} s; the pace allows no less than {nominal:.2f} s",
              flush=True)

        # Taken at once: the devices did not wait for the upstream's pace.
        assert accepted_in < nominal, f"accepting the burst took {accepted_in:.1f} s"
        # Drained at the pace: never faster, over the whole burst and over
        # any run of ten (log arrival times are good to a few ms).
        assert span >= nominal * 0.9, f"{BURST} messages went upstream in {span:.2f} s"
        for k in range(len(times) - 10):
            window = times[k + 10] - times[k]
            assert window >= 10 * interval * 0.7, \
                f"messages {k}..{k + 10} went upstream {window:.3f} s apart"
        # And not much slower than it.
        assert span <= nominal * 2 + 3, f"draining took {span:.1f} s"
        counts = s.world.upstream.count_by_message_id()
        assert all(counts[i] == 1 for i in ids)
        # At most 3 sessions at once for a Microsoft 365 mailbox.
        sessions, at_once = s.world.upstream.sessions(set(ids))
        print(f"# upstream: {sessions} sessions, at most {at_once} at once", flush=True)
        assert at_once <= 3, f"{at_once} upstream sessions at once"
    finally:
        relay.terminate()


def test_smtp_source(s):
    relay = s.world.start_relay(max_per_minute=100000)
    subject = "load-" + secrets.token_hex(4)
    try:
        started = time.monotonic()
        result = subprocess.run(
            [SMTP_SOURCE, "-s", "20", "-m", "200", "-l", "2000", "-f", ACCOUNT, "-t", RCPT,
             "-S", subject, "-M", "door-scanner.local", f"127.0.0.1:{relay.port}"],
            capture_output=True, text=True, timeout=60)
        handed_over = time.monotonic() - started
        assert result.returncode == 0, result.stdout + result.stderr

        def arrived():
            return [m for m in s.world.upstream.messages() if f"Subject: {subject}" in m["data"]]

        try:
            wait_until(lambda: len(arrived()) >= 200, 40, "200 messages upstream")
        except AssertionError:
            pass        # counted below
        time.sleep(0.5)
        messages = arrived()
        delivered_in = time.monotonic() - started
        print(f"# smtp-source handed over 200 in {handed_over:.2f} s; all upstream after "
              f"{delivered_in:.2f} s", flush=True)
        assert len(messages) == 200, f"{len(messages)} of 200 arrived"
        ids = {kit.message_id_of(m["data"]) for m in messages}
        assert len(ids) == 200
        # Several messages over one upstream session, not one connection each.
        sessions, at_once = s.world.upstream.sessions(ids)
        print(f"# upstream: {sessions} sessions, at most {at_once} at once", flush=True)
        assert at_once <= 3, f"{at_once} upstream sessions at once"
        assert sessions < 100, f"200 messages took {sessions} upstream sessions"
    finally:
        relay.terminate()


def test_pace_after_restart(s):
    # Messages already in the spool when the relay starts go at the pace
    # given on the command line too, not at the provider's.
    s.world.upstream.stop()
    relay = s.world.start_relay(["--first-retry", "1"], max_per_minute=PACE)
    try:
        ids = [kit.smtplib_send(s.world, relay, s.scanners[0], message=make_message(tag=f"back{i}"))
               for i in range(10)]
    finally:
        relay.terminate()
        s.world.upstream.start()
    relay = s.world.start_relay(["--first-retry", "1"], max_per_minute=PACE)
    try:
        started = time.monotonic()
        try:
            wait_until(lambda: all(s.world.upstream.delivered(i) for i in ids), 10,
                       "the backlog upstream")
        except AssertionError:
            delivered = [t for t, m in s.world.upstream.timed_messages()
                         if kit.message_id_of(m["data"]) in set(ids)]
            raise AssertionError(
                f"{len(delivered)} of 10 queued messages upstream {time.monotonic() - started:.1f}"
                f" s after a restart with --max-per-minute {PACE}; gaps "
                + ", ".join(f"{b - a:.2f} s" for a, b in zip(delivered, delivered[1:]))) from None
    finally:
        relay.terminate()


TESTS = [
    ("pacing: a burst of 100 accepted at once, drained at the set pace", test_pacing),
    ("load: smtp-source, 20 sessions, 200 messages, none lost", test_smtp_source),
    # Last: when it fails, what it leaves queued would slow the others.
    ("pacing: --max-per-minute holds for a backlog at start", test_pace_after_restart),
]

if __name__ == "__main__":
    sys.exit(kit.run_tests(TESTS, setup, teardown))
