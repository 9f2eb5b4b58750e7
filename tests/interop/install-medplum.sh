#!/bin/sh
# install-medplum.sh: installs @medplum/core and ws from the committed
# package-lock.json into WORKDIR, with the scripts that drive them. Used by
# the 'interop' suite (run-medplum.sh) and by `make bench` (bench-drain).
# Exit 77 without node/npm or without registry access (nothing in npm's
# cache either).
#
# Usage: install-medplum.sh SRCDIR WORKDIR
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

srcdir=$1
workdir=$2

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node or npm not found: skipping"
  exit 77
fi

mkdir -p "$workdir" || exit 1
cp "$srcdir/package.json" "$srcdir/package-lock.json" "$srcdir/medplum-client.mjs" \
   "$srcdir/medplum-drain.mjs" "$workdir/" || exit 1
# Already installed from this lock file: nothing to do.
if [ -f "$workdir/node_modules/.package-lock.json" ] &&
   [ "$workdir/node_modules/.package-lock.json" -nt "$srcdir/package-lock.json" ]; then
  exit 0
fi
# Offline (a Flatpak builder, a CI without network) npm's default retries
# take over two minutes, past the test's timeout: use the cache when it has
# the locked packages, and give up on the registry within seconds otherwise.
if ! npm ci --prefix "$workdir" --no-audit --no-fund --loglevel=error --prefer-offline \
       --fetch-retries=1 --fetch-retry-mintimeout=1000 --fetch-retry-maxtimeout=5000 \
       --fetch-timeout=20000 >"$workdir/npm-ci.log" 2>&1; then
  cat "$workdir/npm-ci.log"
  echo "npm ci failed (registry unreachable?): skipping"
  exit 77
fi
exit 0
