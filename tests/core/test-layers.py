#!/usr/bin/python3
# test-layers.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The core's layers, checked from the sources. The build already refuses an
# include of a higher layer (each folder sees only its own headers and those
# of the layers its meson.build names); this test says so by name, and also
# catches what the compiler cannot: a folder whose meson.build reaches up,
# a cycle between folders, GTK in the core, and a face (app, cli) that
# includes a core header other than the umbrella stamp-core.h.

import os
import re
import sys

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
CORE = os.path.join(TOP, 'src', 'core')

# Bottom first. A folder may use only folders listed before it.
LAYERS = ['base', 'providers', 'smtp', 'graph', 'accounts', 'auth',
          'discovery', 'diagnosis', 'dns', 'export', 'relay']

INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]([^">]+)[">]', re.M)
DEP = re.compile(r'\bstamp_([a-z]+)_dep\b')

results = []


def check(name, problems):
    results.append((name, problems))


def sources(folder):
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            if name.endswith(('.c', '.h')):
                yield os.path.join(root, name)


def includes(path):
    with open(path, encoding='utf-8') as f:
        return INCLUDE.findall(f.read())


# Which folder each core header belongs to (generated enum headers too).
owner = {}
for layer in LAYERS:
    for path in sources(os.path.join(CORE, layer)):
        if path.endswith('.h'):
            owner[os.path.basename(path)] = layer
    with open(os.path.join(CORE, layer, 'meson.build'), encoding='utf-8') as f:
        if "'stamp-%s-enums'" % layer in f.read():
            owner['stamp-%s-enums.h' % layer] = layer


def declared(layer):
    """The layers a folder's meson.build lets it use, directly."""
    with open(os.path.join(CORE, layer, 'meson.build'), encoding='utf-8') as f:
        text = f.read()
    own = 'stamp_%s_dep' % layer
    return {m for m in DEP.findall(text.replace(own, '')) if m in LAYERS}


closure = {}
for layer in LAYERS:
    reach = set()
    for used in declared(layer):
        reach |= {used} | closure.get(used, set())
    closure[layer] = reach

problems = []
for layer in LAYERS:
    for used in declared(layer):
        if LAYERS.index(used) >= LAYERS.index(layer):
            problems.append('%s/meson.build uses %s, which is not below it' % (layer, used))
check('every folder builds on the layers below it only', problems)

problems = []
for layer in LAYERS:
    for path in sources(os.path.join(CORE, layer)):
        for header in includes(path):
            used = owner.get(header)
            if used is None or used == layer:
                continue
            if used not in closure[layer]:
                problems.append('%s includes %s from %s/, which %s/ does not build on'
                                % (os.path.relpath(path, TOP), header, used, layer))
check('no core file includes a header of a higher or unrelated layer', problems)

problems = []
for layer in LAYERS:
    for path in sources(os.path.join(CORE, layer)):
        for header in includes(path):
            if header.startswith(('gtk/', 'adwaita.h', 'gdk/')) or header == 'stamp-core.h':
                problems.append('%s includes %s' % (os.path.relpath(path, TOP), header))
check('the core includes neither GTK nor its own umbrella header', problems)

problems = []
for face in ('app', 'cli'):
    for path in sources(os.path.join(TOP, 'src', face)):
        for header in includes(path):
            if header in owner:
                problems.append('%s includes %s instead of stamp-core.h'
                                % (os.path.relpath(path, TOP), header))
check('the app and stamp-cli include the core through stamp-core.h only', problems)

problems = []
with open(os.path.join(CORE, 'stamp-core.h'), encoding='utf-8') as f:
    umbrella = set(INCLUDE.findall(f.read()))
for header, layer in sorted(owner.items()):
    if not header.endswith('-private.h') and header not in umbrella:
        problems.append('stamp-core.h does not include %s (%s/)' % (header, layer))
check('stamp-core.h names every public header', problems)

print('TAP version 13')
print('1..%d' % len(results))
failed = 0
for number, (name, problems) in enumerate(results, 1):
    print('%s %d - %s' % ('not ok' if problems else 'ok', number, name))
    for problem in problems:
        print('# ' + problem)
    failed += bool(problems)
sys.exit(1 if failed else 0)
