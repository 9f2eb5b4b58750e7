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
    from gi.repository import Atspi, GLib
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


def safe_description(node):
    try:
        return node.get_description() or ""
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


def pump():
    """libatspi keeps its cache of names and children up to date from the
    app's D-Bus events, which are only read while the main context runs."""
    context = GLib.MainContext.default()
    while context.pending():
        context.iteration(False)


def wait_for(what, predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pump()
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def find_app():
    desktop = Atspi.get_desktop(0)
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
    proc = None
    try:
        # A fresh Xvfb sometimes refuses the very first client ("cannot open
        # display"); an app that really cannot start fails all three tries.
        for attempt in range(3):
            proc = subprocess.Popen([binary], env=env)
            try:
                proc.wait(timeout=1.5)
            except subprocess.TimeoutExpired:
                break
            log(f"the app exited with status {proc.returncode} at once (try {attempt + 1})")
            time.sleep(0.5)

        def app_or_exit():
            if proc.poll() is not None:
                raise AssertionError(f"the app exited with status {proc.returncode} before it showed up")
            return find_app()

        app = wait_for("the app on the accessibility bus", app_or_exit)
        log("app found on the AT-SPI bus")
        # Read everything from the app, not from libatspi's cache: GTK 4.8
        # does not announce every new list row, so a cached table goes stale.
        try:
            app.set_cache_mask(Atspi.Cache.NONE)
        except Exception as e:
            log(f"cannot turn the AT-SPI cache off: {e}")

        # The built-in hub is live when "Open Report…" becomes sensitive.
        button = wait_for("a sensitive Open Report button",
                          lambda: find(app, "push button", "Open Report…", need_sensitive=True))
        log("Open Report is enabled (built-in hub live)")
        timeline = wait_for("the timeline list", lambda: find(app, "list", "Timeline"))
        click(button)

        random_button = wait_for("the Random Demo Study button",
                                 lambda: find(app, "push button", "Random Demo Study"))
        click(random_button)
        open_button = wait_for("a sensitive Open button in the dialog",
                               lambda: find(app, "push button", "Open", need_sensitive=True))
        click(open_button)
        log("clicked Open in the dialog")
        # Leave GTK alone while it destroys the dialog: GTK 4.8's AT-SPI
        # code can crash answering for widgets that are going away.
        time.sleep(1.0)

        def timeline_row():
            # a row of the timeline, not the hub's answer in the header
            # bar; only the list's subtree is read. A row reads as one line:
            # its cells' texts in column order (time, event, id, from, ...)
            for node in walk(timeline):
                cells = name_of(node).split(", ")
                if role_of(node) == "table row" and len(cells) >= 4 and cells[1] == "DiagnosticReport-open" \
                        and cells[3] == "This app":
                    return node
            return None

        try:
            row = wait_for("a DiagnosticReport-open row in the timeline", timeline_row)
        except AssertionError:
            if proc.poll() is not None:
                raise AssertionError(f"the app exited with status {proc.returncode}")
            for node in walk(timeline):
                if role_of(node) in ("label", "table row"):
                    log(f"seen in the timeline: {role_of(node)} '{name_of(node)}'")
            raise
        log(f"found timeline row: {role_of(row)} '{name_of(row)}'")

        # A second report suspends the first (C-37): its row in the panel's
        # list reads as the patient (its name) and the report (its
        # description), as an AdwActionRow would, though its texts are drawn
        click(wait_for("a sensitive Open Report button",
                       lambda: find(app, "push button", "Open Report…", need_sensitive=True)))
        click(wait_for("the Random Demo Study button", lambda: find(app, "push button", "Random Demo Study")))
        click(wait_for("a sensitive Open button in the dialog",
                       lambda: find(app, "push button", "Open", need_sensitive=True)))
        time.sleep(1.0)

        def suspended_row():
            for node in walk(app):
                if role_of(node) != "list item":
                    continue
                description = safe_description(node)
                if name_of(node) and "Report " in description and "Accession " in description:
                    return node
            return None

        try:
            row = wait_for("a suspended report's row named by its patient", suspended_row)
        except AssertionError:
            for node in walk(app):
                if role_of(node) == "list item":
                    log(f"seen: list item '{name_of(node)}', described as '{safe_description(node)}'")
            raise
        log(f"found suspended row: '{name_of(row)}', described as '{safe_description(row)}'")
        print("PASS")
        return 0
    finally:
        if proc is None:
            return 1
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
