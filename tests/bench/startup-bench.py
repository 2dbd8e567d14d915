#!/usr/bin/python3
# startup-bench.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Measures how fast Stamp's window appears and how fast its list of accounts
# is on screen, and how much memory Stamp takes to get there, against a bare
# libadwaita window (tests/bench/bare-window.c: an AdwApplicationWindow of
# the same default size with a header bar and a status page).
#
# Three programs run in every round: the bare window; Stamp with an account
# file of 0 accounts; and Stamp with a file of ACCOUNTS accounts (1000 unless
# told), each file in the run's private XDG config folder.  Three ratios are
# printed, each the median of the per-round ratios, with its target:
#
#   first frame   Stamp (ACCOUNTS accounts) / bare, time from spawn to the
#                 window's first painted frame              target <= 1.25
#   filled list   Stamp (ACCOUNTS) / Stamp (0), time from spawn to the first
#                 frame painted once the accounts are read  target <= 1.5
#   memory        Stamp (ACCOUNTS) / bare, peak RSS         target <= 1.3
#
# The account file is read after the first frame, so Stamp's "filled" frame
# is a later one: the first painted after the list was filled (with 0
# accounts, after the empty state replaced the loading page).  Stamp, with
# STAMP_BENCH_FRAMES set, and the bare window print on stdout
# "first-frame T" when their first frame has been painted, Stamp then
# "filled-frame T N" (N accounts read) and quits; T is CLOCK_MONOTONIC in
# microseconds, against the same clock read just before the spawn.  Peak
# memory is the child's ru_maxrss from wait4(), so it covers the filled list.
#
# Usage: /usr/bin/python3 tests/bench/startup-bench.py [BUILD_DIR] [RUNS]
#                         [ACCOUNTS]
#        (defaults: _build under the source tree, 9 runs, 1000 accounts)
#
# One Xvfb serves every run; it picks a free display number itself
# (-displayfd).  Every run gets the same environment: memory GSettings, no
# portal, no accessibility bus, no session bus (so no keyring: the rows ask
# and get "none" at once), and private XDG folders, so no user state is
# read.  After one discarded warm-up run of each program, every round runs
# the three, in an order that turns by one each round, so drift on the
# machine and the order hit them alike.
#
# Exit status: 0 within all three targets, 1 over a target or a program
# failed, 2 setup errors (no Xvfb, a binary not built).

import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_BUILD = SOURCE_ROOT / "_build"
DEFAULT_RUNS = 9
DEFAULT_ACCOUNTS = 1000

FIRST_FRAME_TARGET = 1.25
FILLED_TARGET = 1.5
MEMORY_TARGET = 1.3
RUN_TIMEOUT = 30
XVFB_TIMEOUT = 10


class SetupError(Exception):
    pass


class BenchError(Exception):
    pass


class Xvfb:
    """One Xvfb on a display number it picks, stopped on exit."""

    def __init__(self, workdir):
        read_fd, write_fd = os.pipe()
        try:
            with open(workdir / "xvfb.log", "wb") as log:
                self.process = subprocess.Popen(
                    ["Xvfb", "-displayfd", str(write_fd),
                     "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                    pass_fds=[write_fd], stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=log)
        except OSError as error:
            os.close(read_fd)
            raise SetupError(f"cannot start Xvfb: {error}")
        finally:
            os.close(write_fd)
        # Xvfb writes the display number once it accepts connections.
        with os.fdopen(read_fd, "rb") as reader:
            ready, _, _ = select.select([reader], [], [], XVFB_TIMEOUT)
            number = reader.readline().strip() if ready else b""
        if not number.isdigit():
            self.stop()
            raise SetupError("Xvfb did not start; see its log: "
                             + (workdir / "xvfb.log").read_text(
                                 errors="replace")[-2000:])
        self.display = ":" + number.decode()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def account_file(count):
    """An account file of @count accounts, as Stamp writes them: a mix of
    providers, security and sign-in methods, some tested."""
    kinds = [
        {"provider": "microsoft365", "host": "smtp.office365.com",
         "port": 587, "security": "starttls", "auth": "xoauth2"},
        {"provider": "google", "host": "smtp.gmail.com", "port": 465,
         "security": "tls", "auth": "xoauth2"},
        {"host": "mail.example.org", "port": 587, "security": "starttls",
         "auth": "plain"},
        {"host": "relay.example.net", "port": 25, "security": "none",
         "auth": "none"},
    ]
    accounts = []
    for i in range(count):
        account = {"address": f"sender{i:05d}@example.org",
                   "display_name": f"Sender {i:05d}"}
        account.update(kinds[i % len(kinds)])
        if i % 3 == 0:
            account["last_test"] = {"ok": i % 2 == 0,
                                    "at": "2026-03-14T09:30:00Z"}
        accounts.append(account)
    return json.dumps({"format": 1, "accounts": accounts}, indent=1)


def child_env(build, display, workdir, config):
    home = workdir / "home"
    for name in ("home", "data", "cache", "runtime"):
        (workdir / name).mkdir(mode=0o700, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "DISPLAY": display,
        "GDK_BACKEND": "x11",
        "GSETTINGS_BACKEND": "memory",
        "GSETTINGS_SCHEMA_DIR": str(build / "data"),
        "ADW_DISABLE_PORTAL": "1",
        "NO_AT_BRIDGE": "1",
        # GTK warns once that it has no session bus, then goes on without.
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
        "XDG_CONFIG_HOME": str(config),
        "XDG_DATA_HOME": str(workdir / "data"),
        "XDG_CACHE_HOME": str(workdir / "cache"),
        "XDG_RUNTIME_DIR": str(workdir / "runtime"),
        "STAMP_BENCH_FRAMES": "1",
    }
    # Where the system's icon themes and schemas are, if not the default.
    if "XDG_DATA_DIRS" in os.environ:
        env["XDG_DATA_DIRS"] = os.environ["XDG_DATA_DIRS"]
    return env


def config_with_accounts(workdir, count):
    config = workdir / f"config-{count}"
    (config / "stamp").mkdir(mode=0o700, parents=True)
    (config / "stamp" / "accounts.json").write_text(account_file(count))
    return config


def monotonic_us():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000


def run_once(program, log_path):
    """Returns {"first": s, "filled": s or None, "rss": KiB} of one run."""
    name, binary, env = program
    read_fd, write_fd = os.pipe()
    with open(log_path, "ab") as log:
        try:
            started = monotonic_us()
            pid = os.posix_spawn(binary, [binary], env, file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, write_fd, 1),
                (os.POSIX_SPAWN_DUP2, log.fileno(), 2)])
        finally:
            os.close(write_fd)
        # A pidfd bounds the wait without polling, which would blur the
        # time.  Without one (Linux before 5.3) a hung run hangs the bench.
        try:
            pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            pidfd = None
        if pidfd is not None:
            try:
                exited, _, _ = select.select([pidfd], [], [], RUN_TIMEOUT)
            finally:
                os.close(pidfd)
            if not exited:
                os.kill(pid, signal.SIGKILL)
                os.wait4(pid, 0)
                os.close(read_fd)
                raise BenchError(f"{name} did not quit within {RUN_TIMEOUT} s"
                                 f" (did its list ever paint?); log: "
                                 f"{tail(log_path)}")
        _, status, usage = os.wait4(pid, 0)
    # The few lines fit the pipe's buffer, so reading after the exit is safe.
    with os.fdopen(read_fd, "rb") as reader:
        output = reader.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise BenchError(f"{name} exited with status {code}; log: "
                         f"{tail(log_path)}")
    frames = {}
    for line in output.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] in ("first-frame", "filled-frame"):
            frames[words[0]] = (int(words[1]) - started) / 1e6
    if "first-frame" not in frames:
        raise BenchError(f"{name} printed no first-frame line: {output!r}")
    return {"first": frames["first-frame"],
            "filled": frames.get("filled-frame"),
            "rss": usage.ru_maxrss}


def tail(path):
    return "\n" + path.read_text(errors="replace")[-2000:]


def run_bench(programs, runs, workdir):
    results = {name: [] for name, _, _ in programs}
    logs = {name: workdir / f"{name}.log" for name, _, _ in programs}
    for program in programs:
        run_once(program, logs[program[0]])
    for round_index in range(runs):
        turn = round_index % len(programs)
        for program in programs[turn:] + programs[:turn]:
            results[program[0]].append(run_once(program, logs[program[0]]))
    for name, runs_of in results.items():
        if name != "bare" and any(r["filled"] is None for r in runs_of):
            raise BenchError(f"{name} printed no filled-frame line")
    return results


def spread(values, scale):
    if not values:
        return f"{'-':>7} {'-':>7} {'-':>7}"
    return " ".join(f"{v * scale:7.1f}" for v in (
        statistics.median(values), min(values), max(values)))


def ratio_line(label, ratios, target):
    median = statistics.median(ratios)
    ok = median <= target
    print(f"{label}: {median:.2f} (per round {min(ratios):.2f} to "
          f"{max(ratios):.2f}; target <= {target}) {'PASS' if ok else 'FAIL'}")
    return ok


def report(results, runs, accounts):
    many = f"stamp-{accounts}"
    print(f"{runs} rounds (bare, Stamp with 0 and with {accounts} accounts, "
          f"in turns) after one warm-up run each, Xvfb 1280x800x24")
    print(f"{'':<11} {'first frame ms':^23}   {'filled list ms':^23}   "
          f"{'peak RSS MiB':^23}")
    print(f"{'program':<11} " + "   ".join(
        [f"{'median     min     max':>23}"] * 3))
    for name in results:
        runs_of = results[name]
        print(f"{name:<11} "
              f"{spread([r['first'] for r in runs_of], 1000)}   "
              f"{spread([r['filled'] for r in runs_of if r['filled']], 1000)}"
              f"   {spread([r['rss'] for r in runs_of], 1 / 1024)}")

    bare = results["bare"]
    empty = results["stamp-0"]
    full = results[many]
    first_ok = ratio_line(
        f"first frame, stamp-{accounts}/bare",
        [s["first"] / b["first"] for s, b in zip(full, bare)],
        FIRST_FRAME_TARGET)
    filled_ok = ratio_line(
        f"filled list, stamp-{accounts}/stamp-0",
        [s["filled"] / e["filled"] for s, e in zip(full, empty)],
        FILLED_TARGET)
    memory_ok = ratio_line(
        f"peak memory, stamp-{accounts}/bare",
        [s["rss"] / b["rss"] for s, b in zip(full, bare)],
        MEMORY_TARGET)
    return first_ok and filled_ok and memory_ok


def main(argv):
    if len(argv) > 3 or any(a in ("-h", "--help") for a in argv):
        print(f"usage: {sys.argv[0]} [BUILD_DIR] [RUNS] [ACCOUNTS]",
              file=sys.stderr)
        return 2
    build = Path(argv[0]).resolve() if argv else DEFAULT_BUILD
    try:
        runs = int(argv[1]) if len(argv) > 1 else DEFAULT_RUNS
        accounts = int(argv[2]) if len(argv) > 2 else DEFAULT_ACCOUNTS
        if runs < 1 or accounts < 1:
            raise ValueError
    except ValueError:
        print("RUNS and ACCOUNTS must be positive integers", file=sys.stderr)
        return 2

    if shutil.which("Xvfb") is None:
        print("Xvfb is not installed", file=sys.stderr)
        return 2
    bare = build / "tests" / "bench" / "bare-window"
    stamp = build / "src" / "app" / "stamp"
    for path in (bare, stamp, build / "data" / "gschemas.compiled"):
        if not path.is_file():
            print(f"missing {path}: build with -Dgui=true -Dtests=true "
                  f"first", file=sys.stderr)
            return 2

    # Turn SIGTERM into an exception so the cleanup below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="stamp-startup-bench."))
    xvfb = None
    try:
        xvfb = Xvfb(workdir)
        # The bare window and Stamp with no accounts share a folder.
        empty_env = child_env(build, xvfb.display, workdir,
                              config_with_accounts(workdir, 0))
        programs = [
            ("bare", str(bare), empty_env),
            ("stamp-0", str(stamp), empty_env),
            (f"stamp-{accounts}", str(stamp),
             child_env(build, xvfb.display, workdir,
                       config_with_accounts(workdir, accounts))),
        ]
        results = run_bench(programs, runs, workdir)
    except SetupError as error:
        print(f"startup-bench: {error}", file=sys.stderr)
        return 2
    except BenchError as error:
        print(f"startup-bench: FAILED: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if xvfb is not None:
            xvfb.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if report(results, runs, accounts) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
