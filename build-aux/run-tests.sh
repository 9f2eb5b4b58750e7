#!/bin/sh
# run-tests.sh [BUILDDIR [ASAN_BUILDDIR]]
# run-tests.sh --asan ASAN_BUILDDIR
#
# Runs every meson test suite headless (Xvfb + a private D-Bus session), then
# the hub and app suites again under valgrind, then (given ASAN_BUILDDIR, a
# build configured as `make check-asan` does) every suite that needs no
# display under ASan + UBSan + LSan. With --asan only that last pass runs.
# Ends with one line "N passed, N failed" counting the results of all passes.
set -u

main_pass=1
if [ "${1:-}" = --asan ]; then
  main_pass=0
  builddir=
  asan_builddir=${2:?usage: run-tests.sh --asan ASAN_BUILDDIR}
else
  builddir=${1:-_build}
  asan_builddir=${2:-}
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -m 700 "$tmp/runtime" "$tmp/cache" "$tmp/config" "$tmp/data"

status=0
logs=

if [ $main_pass = 1 ]; then
  rm -f "$builddir/meson-logs/testlog.json" "$builddir/meson-logs/testlog-valgrind.json"

  XDG_RUNTIME_DIR="$tmp/runtime" XDG_CACHE_HOME="$tmp/cache" \
  XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
    xvfb-run -a -s "-screen 0 1366x768x24" \
    dbus-run-session -- meson test -C "$builddir" --print-errorlogs || status=1
  logs="$builddir/meson-logs/testlog.json"

  # Nothing a client sends may leak memory in the hub, nor in the app's
  # connections and tray: those suites again under valgrind (definite leaks and
  # memory errors fail; tests/valgrind.supp), on a private bus for the tray.
  if command -v valgrind >/dev/null 2>&1; then
    XDG_RUNTIME_DIR="$tmp/runtime" dbus-run-session -- \
      meson test -C "$builddir" --setup=valgrind --suite hub --suite app --print-errorlogs || status=1
    logs="$logs $builddir/meson-logs/testlog-valgrind.json"
  fi
fi

# ASan + UBSan + LSan on every suite that needs no display (the asan test
# setup in tests/meson.build picks them), on a private bus for the tray.
if [ -n "$asan_builddir" ]; then
  rm -f "$asan_builddir/meson-logs/testlog-asan.json"
  XDG_RUNTIME_DIR="$tmp/runtime" XDG_CACHE_HOME="$tmp/cache" \
  XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
    dbus-run-session -- meson test -C "$asan_builddir" --setup=asan --print-errorlogs || status=1
  logs="$logs $asan_builddir/meson-logs/testlog-asan.json"
fi

# shellcheck disable=SC2086
python3 "$(dirname "$0")/test-summary.py" $logs || status=1
exit $status
