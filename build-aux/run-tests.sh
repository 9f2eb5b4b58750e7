#!/bin/sh
# Runs every meson test suite headless (Xvfb + a private D-Bus session) and
# ends with one line "N passed, N failed" counting meson's test results.
set -u

builddir=${1:-_build}
rm -f "$builddir/meson-logs/testlog.json" "$builddir/meson-logs/testlog-valgrind.json"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -m 700 "$tmp/runtime" "$tmp/cache" "$tmp/config" "$tmp/data"

XDG_RUNTIME_DIR="$tmp/runtime" XDG_CACHE_HOME="$tmp/cache" \
XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
  xvfb-run -a -s "-screen 0 1366x768x24" \
  dbus-run-session -- meson test -C "$builddir" --print-errorlogs
status=$?

# Nothing a client sends may leak memory in the hub, nor in the app's
# connections and tray: those suites again under valgrind (definite leaks and
# memory errors fail; tests/valgrind.supp), on a private bus for the tray.
logs="$builddir/meson-logs/testlog.json"
if command -v valgrind >/dev/null 2>&1; then
  XDG_RUNTIME_DIR="$tmp/runtime" dbus-run-session -- \
    meson test -C "$builddir" --setup=valgrind --suite hub --suite app --print-errorlogs || status=1
  logs="$logs $builddir/meson-logs/testlog-valgrind.json"
fi

# shellcheck disable=SC2086
python3 "$(dirname "$0")/test-summary.py" $logs || status=1
exit $status
