#!/usr/bin/python3
# tests/i18n/test-translations.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every user-visible text reaches the translators, and every shipped language
# is complete: po/data-texts.c matches the data files, a template made from
# po/POTFILES.in holds every data text, and each po/<lang>.po passes
# `msgfmt --check` with no untranslated or fuzzy message and keeps the
# {placeholders} of the data texts. The built desktop file and metainfo, given
# as arguments, carry every language. Prints TAP.

import importlib.util
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PO = os.path.join(ROOT, 'po')

# The keywords and flags of meson's "glib" gettext preset.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments', '--keyword=_', '--keyword=N_',
    '--keyword=C_:1c,2', '--keyword=NC_:1c,2', '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format', '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format', '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format', '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format', '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format', '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

results = []


def check(name, ok, detail=''):
    results.append((name, ok, detail))


def load_extractor():
    spec = importlib.util.spec_from_file_location(
        'extract_data_texts', os.path.join(PO, 'extract-data-texts.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_po(path):
    """Returns {msgid: [msgstr, ...]} of the non-obsolete messages in @path."""
    out = subprocess.run(['msgattrib', '--no-obsolete', '--no-wrap', path],
                         check=True, capture_output=True, text=True).stdout
    messages = {}
    key = None
    field = None
    parts = {}

    def flush():
        if 'msgid' in parts:
            strs = [v for k, v in sorted(parts.items()) if k.startswith('msgstr')]
            messages[parts['msgid']] = strs

    for line in out.splitlines() + ['']:
        if not line.strip():
            flush()
            parts = {}
            field = None
            continue
        if line.startswith('#'):
            continue
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$', line)
        if m:
            field = m.group(1)
            parts[field] = m.group(2)
        elif line.startswith('"') and field is not None:
            parts[field] += line[1:-1]
    return messages


def unescape(s):
    escapes = {'n': '\n', 't': '\t', '"': '"', '\\': '\\'}
    return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(0)), s)


def main():
    extractor = load_extractor()
    with open(os.path.join(PO, 'data-texts.c'), encoding='utf-8') as f:
        check('po/data-texts.c matches the data files (run po/extract-data-texts.py)',
              f.read() == extractor.generate())

    with open(os.path.join(PO, 'POTFILES.in'), encoding='utf-8') as f:
        sources = [l.strip() for l in f if l.strip() and not l.startswith('#')]
    missing_sources = [s for s in sources if not os.path.exists(os.path.join(ROOT, s))]
    check('every file in po/POTFILES.in exists', not missing_sources, ' '.join(missing_sources))

    unlisted = []
    for folder in ('src', 'ui'):
        for dirpath, _, names in os.walk(os.path.join(ROOT, folder)):
            for name in names:
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, ROOT)
                if not name.endswith(('.c', '.ui')) or rel in sources:
                    continue
                with open(path, encoding='utf-8') as f:
                    text = f.read()
                if re.search(r'\b(N?_|C_|g_dngettext)\s*\(\s*"|translatable="yes"', text):
                    unlisted.append(rel)
    check('every source file with translatable text is in po/POTFILES.in', not unlisted,
          '\n'.join(sorted(unlisted)))

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'stamp.pot')
        subprocess.run(['xgettext', '--package-name=stamp', '-o', pot, *XGETTEXT_ARGS,
                        *sources], cwd=ROOT, check=True, capture_output=True)
        template = {unescape(k) for k in read_po(pot) if k}

        data_texts = {text for _, text in extractor.texts()}
        absent = sorted(data_texts - template)
        check('every data text is in the template ({} texts)'.format(len(data_texts)),
              not absent, '\n'.join(absent[:5]))

        with open(os.path.join(PO, 'LINGUAS'), encoding='utf-8') as f:
            languages = [l.strip() for l in f if l.strip() and not l.startswith('#')]
        check('German and Spanish are shipped', {'de', 'es'} <= set(languages),
              ' '.join(languages))

        for lang in languages:
            po = os.path.join(PO, lang + '.po')
            fmt = subprocess.run(['msgfmt', '--check', '-o', os.devnull, po],
                                 capture_output=True, text=True)
            check('{}.po passes msgfmt --check'.format(lang), fmt.returncode == 0,
                  fmt.stderr.strip())

            merged = os.path.join(tmp, lang + '.po')
            subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged,
                            po, pot], check=True, capture_output=True)
            untranslated = subprocess.run(['msgattrib', '--untranslated', '--no-obsolete',
                                           merged], capture_output=True, text=True).stdout
            fuzzy = subprocess.run(['msgattrib', '--only-fuzzy', '--no-obsolete', merged],
                                   capture_output=True, text=True).stdout
            gaps = re.findall(r'^msgid "(.+)"$', untranslated + fuzzy, re.M)
            check('{}.po translates every message'.format(lang), not gaps,
                  '{} missing, e.g. {}'.format(len(gaps), gaps[:3]))

            messages = read_po(po)
            broken = []
            for msgid, strs in messages.items():
                wanted = sorted(re.findall(r'\{[a-z_]+\}', msgid))
                for s in strs:
                    if s and sorted(re.findall(r'\{[a-z_]+\}', s)) != wanted:
                        broken.append(msgid)
            check('{}.po keeps every {{placeholder}}'.format(lang), not broken,
                  '\n'.join(broken[:3]))

        # The built desktop file and metainfo, when given, carry the languages.
        for built in sys.argv[1:]:
            with open(built, encoding='utf-8') as f:
                text = f.read()
            for lang in languages:
                marker = 'Comment[{}]='.format(lang) if built.endswith('.desktop') \
                    else 'xml:lang="{}"'.format(lang)
                check('{} is translated into {}'.format(os.path.basename(built), lang),
                      marker in text)

    print('1..{}'.format(len(results)))
    for i, (name, ok, detail) in enumerate(results, 1):
        print('{} {} - {}'.format('ok' if ok else 'not ok', i, name))
        if not ok and detail:
            for line in detail.splitlines():
                print('#   ' + line)
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == '__main__':
    sys.exit(main())
