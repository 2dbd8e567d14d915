#!/usr/bin/python3
# test-summary.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads meson's testlog.json of each pass and prints "N passed, N failed"
# over single test cases: each TAP line of a GTest program counts, and a
# test without TAP counts once. A program that crashed before printing its
# plan counts as one failure, so a crash can never look like success.
#
# Usage: test-summary.py LABEL:TESTLOG:EXPECTED [LABEL:TESTLOG:EXPECTED ...]
#
# EXPECTED lists the tests the pass should have run (`meson test --list`);
# one that has no result in TESTLOG failed to run and counts as a failure.
# The headline counts the first pass; later passes run the same tests again
# (under the sanitizers, say), so they get a line of their own and only
# their failures reach the headline.

import json
import re
import sys

TAP_LINE = re.compile(r"^(not )?ok \d+")


def count_test(test):
    passed = failed = skipped = 0
    result = test.get("result")
    # meson's log does not name the protocol: a GTest program shows itself
    # by its TAP lines.
    cases = [TAP_LINE.match(l) for l in (test.get("stdout") or "").splitlines()]
    cases = [c for c in cases if c]
    if cases:
        for case in cases:
            if case.group(1):
                failed += 1
            elif "# SKIP" in case.string:
                skipped += 1
            else:
                passed += 1
        if result not in ("OK", "EXPECTEDFAIL", "SKIP") and not any(c.group(1) for c in cases):
            failed += 1
    elif result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:
        failed += 1
    return passed, failed, skipped


def count_pass(log_path, expected_path):
    totals = [0, 0, 0]
    ran = set()
    try:
        with open(log_path, encoding="utf-8") as log:
            for line in log:
                test = json.loads(line)
                ran.add(test.get("name"))
                for i, n in enumerate(count_test(test)):
                    totals[i] += n
    except FileNotFoundError:
        pass
    with open(expected_path, encoding="utf-8") as expected:
        wanted = [l.strip() for l in expected if " / " in l]
    missing = [name for name in wanted if name not in ran]
    totals[1] += len(missing)
    return totals, missing


def main():
    passes = []
    for arg in sys.argv[1:]:
        label, log_path, expected_path = arg.split(":", 2)
        passes.append((label,) + count_pass(log_path, expected_path))
    if not passes:
        print("usage: test-summary.py LABEL:TESTLOG:EXPECTED ...", file=sys.stderr)
        return 2

    headline_failed = 0
    for label, (passed, failed, skipped), missing in passes:
        for name in missing:
            print(f"did not run ({label}): {name}")
        headline_failed += failed
    for label, (passed, failed, skipped), _ in passes[1:]:
        print(f"(and {passed} again {label.replace('-', ' ')}, {failed} failed)")

    passed, _, skipped = passes[0][1]
    line = f"{passed} passed, {headline_failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if headline_failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
