#!/usr/bin/python3
# startup-bench.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Compares how fast Stamp's window appears, and how much memory Stamp takes to
# get there, with a bare libadwaita window (tests/bench/bare-window.c: an
# AdwApplicationWindow of the same default size with a header bar and a
# status page).  The targets are 1.25x the bare window's time and 1.3x its
# memory.
#
# Usage: /usr/bin/python3 tests/bench/startup-bench.py [BUILD_DIR] [RUNS]
#        (defaults: _build under the source tree, 9 runs)
#
# One Xvfb serves every run; it picks a free display number itself
# (-displayfd).  Both programs quit right after their main window's first
# frame has been painted (Stamp when STAMP_BENCH_QUIT_AFTER_FIRST_FRAME is
# set), so a run's wall time, from spawn to exit, is the time the window took
# to appear plus the exit.  Peak memory is the child's own ru_maxrss from
# wait4().  Both get the same environment: memory GSettings, no portal, no
# accessibility bus, no session bus, and private, empty XDG folders, so no
# user state is read.  After one discarded warm-up run of each, every round
# runs both, in turns (bare, Stamp, then Stamp, bare, ...) so drift on the
# machine and the order of the two hit them alike.  The ratios are the
# median of the per-round ratios Stamp/bare.
#
# Exit status: 0 within both targets, 1 over a target or a program failed,
# 2 setup errors (no Xvfb, a binary not built).

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

TIME_TARGET = 1.25
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


def child_env(build, display, workdir):
    home = workdir / "home"
    for name in ("home", "config", "data", "cache", "runtime"):
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
        "XDG_CONFIG_HOME": str(workdir / "config"),
        "XDG_DATA_HOME": str(workdir / "data"),
        "XDG_CACHE_HOME": str(workdir / "cache"),
        "XDG_RUNTIME_DIR": str(workdir / "runtime"),
        "STAMP_BENCH_QUIT_AFTER_FIRST_FRAME": "1",
    }
    # Where the system's icon themes and schemas are, if not the default.
    if "XDG_DATA_DIRS" in os.environ:
        env["XDG_DATA_DIRS"] = os.environ["XDG_DATA_DIRS"]
    return env


def run_once(name, binary, env, log_path):
    """Returns (wall seconds, peak RSS in KiB) of one run."""
    with open(log_path, "ab") as log:
        started = time.perf_counter()
        pid = os.posix_spawn(binary, [binary], env, file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, log.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, log.fileno(), 2)])
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
                raise BenchError(f"{name} did not quit within {RUN_TIMEOUT} s"
                                 f" (did its window ever paint?); log: "
                                 f"{tail(log_path)}")
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise BenchError(f"{name} exited with status {code}; log: "
                         f"{tail(log_path)}")
    return wall, usage.ru_maxrss


def tail(path):
    return "\n" + path.read_text(errors="replace")[-2000:]


def run_bench(programs, runs, env, workdir):
    results = {name: ([], []) for name, _ in programs}
    logs = {name: workdir / f"{name}.log" for name, _ in programs}
    for name, binary in programs:
        run_once(name, binary, env, logs[name])
    for round_index in range(runs):
        order = programs if round_index % 2 == 0 else programs[::-1]
        for name, binary in order:
            wall, rss = run_once(name, binary, env, logs[name])
            results[name][0].append(wall)
            results[name][1].append(rss)
    return results


def spread(values, scale):
    return " ".join(f"{v * scale:7.1f}" for v in (
        statistics.median(values), min(values), max(values)))


def report(results, runs):
    bare_walls, bare_rss = results["bare"]
    stamp_walls, stamp_rss = results["stamp"]
    print(f"{runs} rounds (bare and Stamp in turns) after one warm-up run "
          f"each, Xvfb 1280x800x24")
    print(f"{'':<8} {'wall ms':^23}   {'peak RSS MiB':^23}")
    print(f"{'program':<8} {'median     min     max':>23}   "
          f"{'median     min     max':>23}")
    for name in ("bare", "stamp"):
        walls, rss = results[name]
        print(f"{name:<8} {spread(walls, 1000)}   {spread(rss, 1 / 1024)}")

    time_ratios = [s / b for s, b in zip(stamp_walls, bare_walls)]
    memory_ratios = [s / b for s, b in zip(stamp_rss, bare_rss)]
    time_ratio = statistics.median(time_ratios)
    memory_ratio = statistics.median(memory_ratios)
    time_ok = time_ratio <= TIME_TARGET
    memory_ok = memory_ratio <= MEMORY_TARGET
    print(f"stamp/bare wall ratio: {time_ratio:.2f} "
          f"(per round {min(time_ratios):.2f} to {max(time_ratios):.2f}; "
          f"target <= {TIME_TARGET}) {'PASS' if time_ok else 'FAIL'}")
    print(f"stamp/bare memory ratio: {memory_ratio:.2f} "
          f"(per round {min(memory_ratios):.2f} to {max(memory_ratios):.2f}; "
          f"target <= {MEMORY_TARGET}) {'PASS' if memory_ok else 'FAIL'}")
    return time_ok and memory_ok


def main(argv):
    if len(argv) > 2 or any(a in ("-h", "--help") for a in argv):
        print(f"usage: {sys.argv[0]} [BUILD_DIR] [RUNS]", file=sys.stderr)
        return 2
    build = Path(argv[0]).resolve() if argv else DEFAULT_BUILD
    try:
        runs = int(argv[1]) if len(argv) > 1 else DEFAULT_RUNS
        if runs < 1:
            raise ValueError
    except ValueError:
        print("RUNS must be a positive integer", file=sys.stderr)
        return 2

    if shutil.which("Xvfb") is None:
        print("Xvfb is not installed", file=sys.stderr)
        return 2
    programs = [("bare", build / "tests" / "bench" / "bare-window"),
                ("stamp", build / "src" / "app" / "stamp")]
    needed = [path for _, path in programs]
    needed.append(build / "data" / "gschemas.compiled")
    for path in needed:
        if not path.is_file():
            print(f"missing {path}: build with -Dgui=true -Dtests=true "
                  f"first", file=sys.stderr)
            return 2
    programs = [(name, str(path)) for name, path in programs]

    # Turn SIGTERM into an exception so the cleanup below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="stamp-startup-bench."))
    xvfb = None
    try:
        xvfb = Xvfb(workdir)
        env = child_env(build, xvfb.display, workdir)
        results = run_bench(programs, runs, env, workdir)
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
    return 0 if report(results, runs) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
