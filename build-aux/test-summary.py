#!/usr/bin/python3
# test-summary.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads meson's testlog.json files and prints "N passed, N failed" over single
# test cases: each TAP line of a GTest program counts, and a test without TAP
# counts once. A program that crashed before printing its plan counts as one
# failure, so a crash can never look like success.

import json
import re
import sys

TAP_LINE = re.compile(r"^(not )?ok \d+")


def count(path):
    passed = failed = skipped = 0
    with open(path, encoding="utf-8") as log:
        for line in log:
            test = json.loads(line)
            result = test.get("result")
            # meson's log does not name the protocol: a GTest program shows
            # itself by its TAP lines.
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


def main():
    totals = [0, 0, 0]
    for path in sys.argv[1:]:
        for i, n in enumerate(count(path)):
            totals[i] += n
    passed, failed, skipped = totals
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
