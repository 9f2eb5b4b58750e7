#!/usr/bin/env python3
# check-flatpak-manifests.py: the release and Devel Flatpak manifests
#
#   check-flatpak-manifests.py policy RELEASE.json DEVEL.json
#   check-flatpak-manifests.py show MANIFEST.json…
#
# policy: both parse; the release one has the app id, the Devel one the
#   .Devel id and -Ddevelopment=true; both are on the same maintained GNOME
#   runtime with the same finish-args, which are exactly the permissions the
#   app needs (network, wayland with fallback-x11, ipc, dri, the tray's
#   StatusNotifierWatcher, the Secret Service; notifications go through the
#   portal, so no talk-name for them); the app's module runs its tests, with
#   no extra permission for them (they run headless and skip what needs a
#   display or a session bus); the modules the app needs beyond the runtime
#   (libdbusmenu-glib for the tray's menu) are the same in both, and every
#   downloaded source is pinned by its sha256.
# show: `flatpak-builder --show-manifest` with G_DEBUG=fatal-warnings accepts
#   each manifest (it traps on unknown keys and wrong types). Exit 77 (skip)
#   when flatpak-builder is not installed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import shutil
import subprocess
import sys

APP_ID = 'io.github.fhircastmonitor.FhircastMonitor'

# GNOME runtimes older than this are end-of-life on Flathub.
OLDEST_RUNTIME = 48

FINISH_ARGS = {
    '--share=network',                           # hubs
    '--share=ipc',                               # X11 shared memory (fallback-x11)
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',                              # GTK 4 renders with the GPU
    '--talk-name=org.kde.StatusNotifierWatcher', # the tray item
    '--talk-name=org.freedesktop.secrets',       # hub tokens in the keyring
}

# Libraries the app links that the GNOME runtime does not ship.
DEPENDENCY_MODULES = ['libdbusmenu-glib']

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message, file=sys.stderr)


def load(path):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f'{path}: {e}')
        return None


def app_module(path, manifest):
    modules = manifest.get('modules') or [{}]
    module = modules[-1]
    if not isinstance(module, dict) or module.get('name') != 'fhircast-monitor':
        fail(f'{path}: the last module is not fhircast-monitor')
        return {}
    return module


def check_policy(release_path, devel_path):
    release, devel = load(release_path), load(devel_path)
    if release is None or devel is None:
        return

    for path, manifest, app_id in ((release_path, release, APP_ID),
                                   (devel_path, devel, APP_ID + '.Devel')):
        if manifest.get('id') != app_id:
            fail(f'{path}: id is {manifest.get("id")!r}, expected {app_id!r}')
        if manifest.get('command') != 'fhircast-monitor':
            fail(f'{path}: command is not fhircast-monitor')
        if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
            fail(f'{path}: not on the GNOME runtime and SDK')
        version = str(manifest.get('runtime-version', ''))
        if not version.isdigit() or int(version) < OLDEST_RUNTIME:
            fail(f'{path}: runtime-version {version!r} is not a maintained GNOME runtime '
                 f'({OLDEST_RUNTIME} or newer)')
        args = manifest.get('finish-args', [])
        if len(args) != len(set(args)):
            fail(f'{path}: finish-args has duplicates')
        for arg in sorted(set(args) - FINISH_ARGS):
            fail(f'{path}: finish-args {arg} is more than the app needs')
        for arg in sorted(FINISH_ARGS - set(args)):
            fail(f'{path}: finish-args lacks {arg}')

        module = app_module(path, manifest)
        if module.get('buildsystem') != 'meson':
            fail(f'{path}: the app module is not built with meson')
        if module.get('run-tests') is not True:
            fail(f'{path}: the app module does not run its tests')
        if module.get('build-options', {}).get('test-args'):
            fail(f'{path}: the tests get extra permissions (test-args); they must run headless')
        development = '-Ddevelopment=true' in module.get('config-opts', [])
        if development != (manifest is devel):
            fail(f'{path}: -Ddevelopment=true belongs in the Devel manifest only')

    for key in ('runtime-version', 'finish-args', 'cleanup'):
        if release.get(key) != devel.get(key):
            fail(f'{key} differs between {release_path} and {devel_path}')
    if release.get('modules', [])[:-1] != devel.get('modules', [])[:-1]:
        fail(f'the modules before the app differ between {release_path} and {devel_path}')
    names = [m.get('name') for m in release.get('modules', [])[:-1] if isinstance(m, dict)]
    for needed in DEPENDENCY_MODULES:
        if needed not in names:
            fail(f'{release_path}: no module {needed}')
    for path, manifest in ((release_path, release), (devel_path, devel)):
        for module in manifest.get('modules', []):
            for source in (module.get('sources', []) if isinstance(module, dict) else []):
                if source.get('type') in ('archive', 'file') and 'url' in source and \
                   len(source.get('sha256', '')) != 64:
                    fail(f'{path}: {module.get("name")}: {source["url"]} has no sha256')

    if not failures:
        print(f'{release_path} and {devel_path}: ids, GNOME {release["runtime-version"]} runtime, '
              f'finish-args {" ".join(release["finish-args"])}')


def check_show(paths):
    builder = shutil.which('flatpak-builder')
    if builder is None:
        print('flatpak-builder not installed: skipping')
        sys.exit(77)
    env = dict(os.environ, G_DEBUG='fatal-warnings')
    for path in paths:
        result = subprocess.run([builder, '--show-manifest', path], capture_output=True, text=True,
                                env=env, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            fail(f'flatpak-builder --show-manifest {path}: exit status {result.returncode}: '
                 f'{result.stderr.strip()}')
        else:
            print(f'flatpak-builder --show-manifest {path}: OK')


def main(argv):
    if len(argv) == 4 and argv[1] == 'policy':
        check_policy(argv[2], argv[3])
    elif len(argv) >= 3 and argv[1] == 'show':
        check_show(argv[2:])
    else:
        sys.exit('usage: see the head of build-aux/check-flatpak-manifests.py')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
