#!/bin/sh
# check-version.sh PROGRAM NAME VERSION
#
# PROGRAM --version prints exactly "NAME VERSION", nothing on stderr, and
# exits 0, without a display and without a session bus (an unusable bus
# address, so nothing can be autolaunched either).
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

program=$1 name=$2 version=$3
err=$(mktemp) || exit 1
trap 'rm -f "$err"' EXIT

out=$(env -u DISPLAY -u WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent \
        "$program" --version </dev/null 2>"$err")
status=$?

if [ "$status" -ne 0 ] || [ "$out" != "$name $version" ] || [ -s "$err" ]; then
  echo "FAIL: $name --version: exit status $status, printed '$out', expected '$name $version'" >&2
  cat "$err" >&2
  exit 1
fi
echo "$name --version: $out"
