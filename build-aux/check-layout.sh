#!/bin/sh
# check-layout.sh [SOURCE_ROOT]
#
# The directions between the source folders (docs/architecture.md):
#   src/fhircast  no libsoup, no GTK, nothing from client/hub/cli/app
#   src/client    fhircast only: nothing from hub, cli, app; no GTK
#   src/hub       fhircast only: nothing from client, cli, app; no GTK
#   src/probe     fhircast only: nothing from client, hub, cli, app; no GTK
#   src/cli       no GTK, nothing from app
# The include paths in each meson.build already make such an include fail to
# compile; this check also catches relative paths ("../hub/fcm-hub.h") and
# files that are not built yet. Prints each wrong-way include; exit 1 if any.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u
srcdir=${1:-$(dirname "$0")/..}
cd "$srcdir/src" || exit 2

headers_of () {
  for h in "$1"/*.h; do [ -e "$h" ] && basename "$h"; done
}

status=0
# check DIR LABEL PATTERN...: no file in DIR includes a header matching any pattern
check () {
  dir=$1; shift
  for f in "$dir"/*.c "$dir"/*.h; do
    [ -e "$f" ] || continue
    for pat in "$@"; do
      if grep -En "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]([^>\"]*/)?($pat)[>\"]" "$f"; then
        echo "check-layout: $f includes a header it must not use ($pat)" >&2
        status=1
      fi
    done
  done
}

alt () {
  # a regex alternation of the given header names, dots escaped
  printf '%s\n' "$@" | sed 's/\./\\./g' | paste -sd '|' -
}

client_h=$(alt $(headers_of client))
hub_h=$(alt $(headers_of hub))
probe_h=$(alt $(headers_of probe))
app_h=$(alt $(headers_of app))
gtk='gtk/gtk\.h|gdk/[^>"]*|adwaita\.h|libadwaita[^>"]*|gtk/[^>"]*'
soup='libsoup/soup\.h|libsoup/[^>"]*'

check fhircast "$gtk" "$soup" "$client_h" "$hub_h" "$probe_h" "$app_h"
check client "$gtk" "$hub_h" "$probe_h" "$app_h"
check hub "$gtk" "$client_h" "$probe_h" "$app_h"
check probe "$gtk" "$client_h" "$hub_h" "$app_h"
check cli "$gtk" "$app_h"

exit $status
