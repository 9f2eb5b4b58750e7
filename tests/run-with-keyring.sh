#!/bin/sh
# run-with-keyring.sh: run a test program against a private Secret Service
#
#   run-with-keyring.sh TEST-PROGRAM [ARGS…]
#
# Starts a private session bus (dbus-run-session) so that the test never
# reaches the user's real keyring, then gnome-keyring-daemon on it with
# temporary XDG directories, unlocked with a throw-away password (an empty
# one makes it ask gcr-prompter, which needs a display: toolchain.md §11).
# Exits 77 (meson: SKIP) when gnome-keyring-daemon or dbus-run-session is
# missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

if [ "${FCM_KEYRING_INNER:-}" != 1 ]; then
  if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
    echo "run-with-keyring: gnome-keyring-daemon not found, skipping" >&2
    exit 77
  fi
  if ! command -v dbus-run-session >/dev/null 2>&1; then
    echo "run-with-keyring: dbus-run-session not found, skipping" >&2
    exit 77
  fi
  FCM_KEYRING_INNER=1 exec dbus-run-session -- sh "$0" "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fcm-keyring.XXXXXX") || exit 1
mkdir -p "$tmp/data" "$tmp/config" "$tmp/runtime" "$tmp/cache"
chmod 700 "$tmp/runtime"
export XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_RUNTIME_DIR="$tmp/runtime"
export XDG_CACHE_HOME="$tmp/cache"

printf 'fcm-test-password' | gnome-keyring-daemon --foreground --unlock --components=secrets \
  >"$tmp/daemon.log" 2>&1 &
daemon=$!

cleanup () {
  kill "$daemon" 2>/dev/null
  wait "$daemon" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Wait (at most ~5 s) until the daemon owns org.freedesktop.secrets. Do not
# let the bus activate a second, locked daemon meanwhile: only ask whether
# the name has an owner.
tries=0
until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null \
      | grep -q true; do
  tries=$((tries + 1))
  if [ "$tries" -ge 50 ] || ! kill -0 "$daemon" 2>/dev/null; then
    echo "run-with-keyring: gnome-keyring-daemon did not come up:" >&2
    cat "$tmp/daemon.log" >&2
    exit 1
  fi
  sleep 0.1
done

"$@"
status=$?
exit "$status"
