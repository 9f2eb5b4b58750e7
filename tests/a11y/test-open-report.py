#!/usr/bin/python3
# test-open-report.py: drive the real fhircast-monitor through AT-SPI, as a
# screen reader or a UI automation tool would: wait until the built-in hub is
# live, click "Open Report…", fill the dialog with a random demo study, click
# "Open", and find the DiagnosticReport-open row in the timeline.
#
# Usage: test-open-report.py PATH/TO/fhircast-monitor
# Exit codes: 0 passed, 1 failed, 77 skipped (no pyatspi or no display).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import sys
import time

try:
    import gi
    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi
except (ImportError, ValueError) as e:
    print(f"SKIP: no AT-SPI bindings ({e})")
    sys.exit(77)

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    print("SKIP: no display")
    sys.exit(77)

APP_NAME = "fhircast-monitor"
TIMEOUT = 20.0


def log(msg):
    print(f"# {msg}", flush=True)


def walk(node, depth=0, max_depth=40):
    """Yield every accessible below node (depth first)."""
    if node is None or depth > max_depth:
        return
    yield node
    try:
        n = node.get_child_count()
    except Exception:
        return
    for i in range(n):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            continue
        yield from walk(child, depth + 1, max_depth)


def name_of(node):
    try:
        return node.get_name() or ""
    except Exception:
        return ""


def role_of(node):
    try:
        return node.get_role_name() or ""
    except Exception:
        return ""


def is_sensitive(node):
    try:
        return node.get_state_set().contains(Atspi.StateType.SENSITIVE)
    except Exception:
        return False


def wait_for(what, predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def find_app():
    desktop = Atspi.get_desktop(0)
    # the desktop's child list is cached; an app that registers later is
    # only seen after the cache is dropped
    try:
        desktop.clear_cache()
    except Exception:
        pass
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and name_of(app) == APP_NAME:
            return app
    return None


def label_is(node, label):
    """GTK 4.8 names a mnemonic button "_Label Label"; accept both forms."""
    name = name_of(node).replace("_", "")
    return name == label or name == f"{label} {label}"


def find(root, role, label, need_sensitive=False):
    for node in walk(root):
        if role_of(node) == role and label_is(node, label):
            if need_sensitive and not is_sensitive(node):
                continue
            return node
    return None


def click(node):
    action = node.get_action_iface() if hasattr(node, "get_action_iface") else node
    n = action.get_n_actions()
    for i in range(n):
        if action.get_action_name(i) in ("click", "activate", "press"):
            action.do_action(i)
            return
    action.do_action(0)


def main():
    binary = sys.argv[1]
    env = dict(os.environ)
    env.pop("GTK_A11Y", None)
    proc = subprocess.Popen([binary], env=env)
    try:
        def app_or_exit():
            if proc.poll() is not None:
                raise AssertionError(f"the app exited with status {proc.returncode} before it showed up")
            return find_app()

        app = wait_for("the app on the accessibility bus", app_or_exit)
        log("app found on the AT-SPI bus")

        # The built-in hub is live when "Open Report…" becomes sensitive.
        button = wait_for("a sensitive Open Report button",
                          lambda: find(app, "push button", "Open Report…", need_sensitive=True))
        log("Open Report is enabled (built-in hub live)")
        click(button)

        random_button = wait_for("the Random Demo Study button",
                                 lambda: find(app, "push button", "Random Demo Study"))
        click(random_button)
        open_button = wait_for("a sensitive Open button in the dialog",
                               lambda: find(app, "push button", "Open", need_sensitive=True))
        click(open_button)
        log("clicked Open in the dialog")

        def in_list(node):
            parent = node.get_parent()
            while parent is not None:
                if role_of(parent) in ("table", "tree table", "list", "list box", "tree"):
                    return True
                parent = parent.get_parent()
            return False

        def timeline_row():
            # a cell of the timeline, not the hub's answer in the header bar;
            # rows come and go, so do not trust libatspi's cache
            try:
                app.clear_cache()
            except Exception:
                pass
            for node in walk(app):
                if name_of(node) == "DiagnosticReport-open" and in_list(node):
                    return node
            return None

        try:
            row = wait_for("a DiagnosticReport-open row in the timeline", timeline_row)
        except AssertionError:
            for node in walk(app):
                if "DiagnosticReport" in name_of(node):
                    log(f"seen: {role_of(node)} '{name_of(node)}'")
            raise
        log(f"found timeline row: {role_of(row)} '{name_of(row)}'")
        print("PASS")
        return 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
