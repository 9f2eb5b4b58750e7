#!/usr/bin/env python3
# check-install.py: `meson install` puts every file where desktops expect it
#
#   check-install.py --meson MESON --builddir B --prefix P --bindir … --datadir …
#                    --mandir … --localedir … --completionsdir … --app-id ID
#                    --base-app-id ID --linguas po/LINGUAS --version V [--gtk]
#
# Installs the current build into a temporary DESTDIR (`meson install
# --destdir --no-rebuild`) and compares the installed files with the list
# below: a missing file fails, and so does one nobody expected (add it here
# when you install something new). One .mo file is expected for every
# language in po/LINGUAS, read when the test runs. Then the installed
# programs answer --version, and a few files are checked for content.
#
# Standard library only, so that it runs in the Flatpak SDK too.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message, file=sys.stderr)


def languages(linguas):
    langs = []
    with open(linguas, encoding='utf-8') as f:
        for line in f:
            langs += line.split('#', 1)[0].split()
    return langs


def expected_files(a):
    def at(directory, *parts):
        # directories are relative to the prefix unless given absolute
        return os.path.normpath(os.path.join(a.prefix, directory, *parts))

    files = {
        at(a.bindir, 'fhircast'),
        at(a.datadir, 'glib-2.0', 'schemas', a.base_app_id + '.gschema.xml'),
        at(a.mandir, 'man1', 'fhircast.1'),
        at(a.completionsdir, 'fhircast'),
    }
    if a.gtk:
        files |= {
            at(a.bindir, 'fhircast-monitor'),
            at(a.datadir, 'applications', a.app_id + '.desktop'),
            at(a.datadir, 'metainfo', a.app_id + '.metainfo.xml'),
            at(a.datadir, 'icons', 'hicolor', 'scalable', 'apps', a.app_id + '.svg'),
            at(a.datadir, 'icons', 'hicolor', 'symbolic', 'apps', a.app_id + '-symbolic.svg'),
            at(a.mandir, 'man1', 'fhircast-monitor.1'),
        }
    for lang in languages(a.linguas):
        files.add(at(a.localedir, lang, 'LC_MESSAGES', 'fhircast-monitor.mo'))
    return files


def installed_files(destdir):
    files = set()
    for root, dirs, names in os.walk(destdir):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            files.add('/' + os.path.relpath(os.path.join(root, name), destdir))
    return files


def read(destdir, path):
    with open(destdir + path, 'rb') as f:
        return f.read()


def check_contents(a, destdir, files):
    env = {k: v for k, v in os.environ.items()
           if k not in ('DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS')}
    env['DBUS_SESSION_BUS_ADDRESS'] = 'unix:path=/nonexistent'   # no bus, no autolaunch
    for program in ('fhircast', 'fhircast-monitor'):
        path = os.path.normpath(os.path.join(a.prefix, a.bindir, program))
        if path not in files:
            continue
        if not os.access(destdir + path, os.X_OK):
            fail(f'{path} is not executable')
            continue
        result = subprocess.run([destdir + path, '--version'], capture_output=True, text=True,
                                env=env, stdin=subprocess.DEVNULL, timeout=30)
        if result.returncode != 0 or result.stdout != f'{program} {a.version}\n':
            fail(f'installed {program} --version: exit status {result.returncode}, '
                 f'printed {result.stdout!r}, {result.stderr!r}')

    completion = os.path.normpath(os.path.join(a.prefix, a.completionsdir, 'fhircast'))
    for path in files:
        data = read(destdir, path)
        if path.endswith('.mo') and data[:4] not in (b'\xde\x12\x04\x95', b'\x95\x04\x12\xde'):
            fail(f'{path} is not a gettext message catalog')
        elif path.endswith('.1'):
            text = data.decode('utf-8')
            if '\n.TH ' not in text or f'"fhircast-monitor {a.version}"' not in text:
                fail(f'{path} is not a man page with its version filled in')
        elif path.endswith('.desktop'):
            text = data.decode('utf-8')
            for line in ('Exec=fhircast-monitor', 'Icon=' + a.app_id):
                if line not in text.splitlines():
                    fail(f'{path} lacks the line {line}')
        elif path.endswith('.metainfo.xml') and f'<id>{a.app_id}</id>' not in data.decode('utf-8'):
            fail(f'{path} does not name {a.app_id}')
        elif path == completion and b'complete -F _fhircast fhircast' not in data:
            fail(f'{path} does not register a completion for fhircast')


def main():
    p = argparse.ArgumentParser()
    for option in ('meson', 'builddir', 'prefix', 'bindir', 'datadir', 'mandir', 'localedir',
                   'completionsdir', 'app-id', 'base-app-id', 'linguas', 'version'):
        p.add_argument('--' + option, required=True)
    p.add_argument('--gtk', action='store_true')
    a = p.parse_args()

    destdir = tempfile.mkdtemp(prefix='fcm-install.')
    try:
        result = subprocess.run([a.meson, 'install', '-C', a.builddir, '--destdir', destdir,
                                 '--no-rebuild', '--quiet'],
                                capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            print(f'FAIL: meson install exited with status {result.returncode}', file=sys.stderr)
            return 1

        expected = expected_files(a)
        installed = installed_files(destdir)
        for path in sorted(expected - installed):
            fail(f'not installed: {path}')
        for path in sorted(installed - expected):
            fail(f'installed but not expected: {path} (add it to tests/check-install.py)')
        check_contents(a, destdir, expected & installed)

        if failures:
            return 1
        print(f'{len(installed)} files installed where expected:')
        for path in sorted(installed):
            print('  ' + path)
        return 0
    finally:
        shutil.rmtree(destdir)


if __name__ == '__main__':
    sys.exit(main())
