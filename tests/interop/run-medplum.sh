#!/bin/sh
# run-medplum.sh: the 'interop' suite. Installs @medplum/core and ws from the
# committed package-lock.json into the build dir (install-medplum.sh), starts
# `fhircast hub`, and runs medplum-client.mjs against it. Exit 77 (skip)
# without node/npm or without registry access.
#
# Usage: run-medplum.sh SRCDIR WORKDIR   (FHIRCAST_CLI must be set)
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

srcdir=$1
workdir=$2
vector=$srcdir/../data/vectors/diagnosticreport-open.json

if [ -z "${FHIRCAST_CLI:-}" ]; then
  echo "FHIRCAST_CLI not set" >&2
  exit 1
fi

sh "$srcdir/install-medplum.sh" "$srcdir" "$workdir"
status=$?
[ $status -eq 0 ] || exit $status

out=$workdir/hub.out
: >"$out"
"$FHIRCAST_CLI" hub --port 0 --no-auth >"$out" &
hub_pid=$!

url=
tries=0
while [ -z "$url" ] && [ $tries -lt 100 ]; do
  url=$(head -n1 "$out")
  [ -n "$url" ] || sleep 0.1
  tries=$((tries + 1))
done
if [ -z "$url" ]; then
  echo "the hub printed no URL" >&2
  kill "$hub_pid" 2>/dev/null
  exit 1
fi

node "$workdir/medplum-client.mjs" "$url" "$vector"
status=$?

kill -TERM "$hub_pid"
wait "$hub_pid"
hub_status=$?
if [ $hub_status -ne 0 ]; then
  echo "the hub exited with $hub_status after SIGTERM" >&2
  [ $status -ne 0 ] || status=1
fi
exit $status
