#!/usr/bin/env python3
# check-flatpak-manifest.py
#
# Copyright 2026 The Stamp authors
#
# This program is free software: you can redistribute it and/or modify
# it under the terms of the GNU General Public License as published by
# the Free Software Foundation, either version 3 of the License, or
# (at your option) any later version.
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Check that a Flatpak manifest of Stamp keeps the sandbox Stamp was designed for.

Usage: check-flatpak-manifest.py MANIFEST EXPECTED-APP-ID

Prints one line per problem and exits with 1 if there is any, with 0 if none.
The Python standard library is all it needs.
"""

import json
import sys

COMMAND = "stamp"
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"

# What Stamp needs: the network for SMTP, OAuth and autoconfig; a display.
REQUIRED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]

# What it must not have. Files come and go through the file chooser portal and
# secrets through the Secret portal, so neither the file system nor the host's
# keyring is needed; X11 is only a fallback for sessions without Wayland.
FORBIDDEN_FINISH_ARGS = {
    "--talk-name=org.freedesktop.secrets":
        "libsecret uses the Secret portal inside the sandbox",
    "--socket=x11":
        "use --socket=fallback-x11, so that Wayland sessions stay isolated",
}
FORBIDDEN_PREFIXES = {
    "--filesystem=":
        "Stamp needs no file system access; exports go through the file chooser portal",
}

DEVELOPMENT_OPTION = "-Ddevelopment=true"


def check(manifest, expected_id):
    problems = []

    app_id = manifest.get("id", manifest.get("app-id"))
    if app_id != expected_id:
        problems.append(f"id is {app_id!r}, expected {expected_id!r}")

    if manifest.get("command") != COMMAND:
        problems.append(f"command is {manifest.get('command')!r}, expected {COMMAND!r}")

    if manifest.get("runtime") != RUNTIME:
        problems.append(f"runtime is {manifest.get('runtime')!r}, expected {RUNTIME!r}")
    if manifest.get("sdk") != SDK:
        problems.append(f"sdk is {manifest.get('sdk')!r}, expected {SDK!r}")
    if not isinstance(manifest.get("runtime-version"), str) or not manifest["runtime-version"]:
        problems.append("runtime-version is missing; name the GNOME runtime branch, e.g. \"51\"")

    finish_args = manifest.get("finish-args", [])
    if not isinstance(finish_args, list):
        problems.append("finish-args is not a list")
        finish_args = []
    for arg in REQUIRED_FINISH_ARGS:
        if arg not in finish_args:
            problems.append(f"finish-args lacks {arg}")
    for arg in finish_args:
        if arg in FORBIDDEN_FINISH_ARGS:
            problems.append(f"finish-args has {arg}: {FORBIDDEN_FINISH_ARGS[arg]}")
        for prefix, reason in FORBIDDEN_PREFIXES.items():
            if isinstance(arg, str) and arg.startswith(prefix):
                problems.append(f"finish-args has {arg}: {reason}")

    modules = manifest.get("modules")
    if not isinstance(modules, list) or not modules:
        problems.append("modules is missing or empty")
        return problems

    last = modules[-1]
    if not isinstance(last, dict):
        problems.append(f"the last module is {last!r}, expected Stamp's own module inline")
        return problems

    name = last.get("name", "<unnamed>")
    if last.get("buildsystem") != "meson":
        problems.append(f"the last module ({name}) has buildsystem "
                        f"{last.get('buildsystem')!r}, expected 'meson'")

    config_opts = last.get("config-opts", [])
    is_devel = expected_id.endswith(".Devel")
    if is_devel and DEVELOPMENT_OPTION not in config_opts:
        problems.append(f"the last module ({name}) lacks {DEVELOPMENT_OPTION}, "
                        f"which gives the .Devel build its application id")
    if not is_devel and DEVELOPMENT_OPTION in config_opts:
        problems.append(f"the last module ({name}) has {DEVELOPMENT_OPTION}, "
                        f"which would build the .Devel application id")

    return problems


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2

    path, expected_id = argv[1], argv[2]
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except OSError as e:
        print(f"{path}: cannot read: {e.strerror}")
        return 1
    except json.JSONDecodeError as e:
        print(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}")
        return 1

    if not isinstance(manifest, dict):
        print(f"{path}: the manifest is not a JSON object")
        return 1

    problems = check(manifest, expected_id)
    for problem in problems:
        print(f"{path}: {problem}")
    if problems:
        return 1

    print(f"{path}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
