#!/bin/sh
# check-potfiles-selftest.sh CHECK_POTFILES_SH
#
# Shows that build-aux/check-potfiles.sh fails for each kind of gap it is
# meant to catch (on small trees in a temporary directory), and passes on a
# complete one, so the check-potfiles test on the real tree can fail.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u
check=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0

# tree NAME: a complete tree with one listed C file, one listed .ui file
tree () {
  mkdir -p "$tmp/$1/po" "$tmp/$1/src/app" "$tmp/$1/data"
  printf '# comment\nsrc/app/listed.c\nsrc/app/listed.ui\n' > "$tmp/$1/po/POTFILES.in"
  printf 'const char *s = _("Listed");\n' > "$tmp/$1/src/app/listed.c"
  printf '<property name="label" translatable="yes">Listed</property>\n' > "$tmp/$1/src/app/listed.ui"
  printf 'g_print ("not translatable");\n' > "$tmp/$1/src/app/plain.c"
}

# expect NAME STATUS PATTERN: check-potfiles on the tree gives STATUS and
# says PATTERN
expect () {
  out=$(sh "$check" "$tmp/$1" 2>&1)
  status=$?
  if [ "$status" -ne "$2" ] || ! printf '%s\n' "$out" | grep -q -- "$3"; then
    echo "not ok: $1: wanted status $2 and '$3', got status $status: $out"
    failures=$((failures + 1))
  else
    echo "ok: $1"
  fi
}

tree complete
expect complete 0 'all translatable files present'

tree missing-c
printf 'msg = ngettext ("%%d item", "%%d items", n);\n' > "$tmp/missing-c/src/app/new.c"
expect missing-c 1 'src/app/new.c has translatable strings but is missing'

tree missing-context
printf 'msg = C_("menu", "Open");\n' > "$tmp/missing-context/src/app/ctx.h"
expect missing-context 1 'src/app/ctx.h has translatable strings'

tree missing-ui
printf '<property name="title" translatable="true">New</property>\n' > "$tmp/missing-ui/src/app/new.ui"
expect missing-ui 1 'src/app/new.ui has translatable strings'

tree missing-desktop
printf '[Desktop Entry]\nName=X\n' > "$tmp/missing-desktop/data/x.desktop.in"
expect missing-desktop 1 'data/x.desktop.in has translatable strings'

tree stale
printf 'src/app/gone.c\n' >> "$tmp/stale/po/POTFILES.in"
expect stale 1 'lists src/app/gone.c, which does not exist'

tree unsorted
printf '# comment\nsrc/app/listed.ui\nsrc/app/listed.c\n' > "$tmp/unsorted/po/POTFILES.in"
expect unsorted 1 'is not sorted'

[ "$failures" -eq 0 ]
