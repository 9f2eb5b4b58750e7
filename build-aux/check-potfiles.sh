#!/bin/sh
# check-potfiles.sh [SOURCE_ROOT]
#
# Fails when a file under src/ or data/ has translatable strings but is not
# listed in po/POTFILES.in (or po/POTFILES.skip), when POTFILES.in names a
# file that does not exist, or when POTFILES.in is not sorted.
#
# "Translatable strings" means _(), N_(), C_(), NC_(), g_dngettext () or
# ngettext () in C sources, translatable="yes" (or "true", "1") in GtkBuilder
# files, and the desktop entry,
# metainfo and GSettings schema sources in data/ (always translatable).
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

srcdir=${1:-$(dirname "$0")/..}
cd "$srcdir" || exit 2

potfiles=po/POTFILES.in
skipfiles=po/POTFILES.skip

if [ ! -f "$potfiles" ]; then
  echo "check-potfiles: $potfiles not found" >&2
  exit 2
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# Listed entries, without comments and blank lines.
grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$potfiles" > "$tmp/listed"
if [ -f "$skipfiles" ]; then
  grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$skipfiles" > "$tmp/skipped"
else
  : > "$tmp/skipped"
fi

is_skipped () {
  while IFS= read -r entry; do
    case "$1" in
      "$entry"|"${entry%/}"/*) return 0 ;;
    esac
  done < "$tmp/skipped"
  return 1
}

# Files that need to be listed.
{
  find src -type f \( -name '*.c' -o -name '*.h' \) -exec \
    grep -l -E '(^|[^A-Za-z0-9_])(N_|C_|NC_|_|ngettext|g_dngettext|g_dcgettext|g_dpgettext2?)[[:space:]]*\(' {} +
  find src data -type f -name '*.ui' -exec grep -l -E 'translatable="(yes|true|1)"' {} +
  find data -type f \( -name '*.desktop.in' -o -name '*.desktop.in.in' \
                       -o -name '*.metainfo.xml.in' -o -name '*.metainfo.xml.in.in' \
                       -o -name '*.gschema.xml' \)
} 2>/dev/null | sed 's|^\./||' | LC_ALL=C sort -u > "$tmp/needed"

status=0

while IFS= read -r file; do
  if is_skipped "$file"; then
    continue
  fi
  if ! grep -qxF "$file" "$tmp/listed"; then
    echo "check-potfiles: $file has translatable strings but is missing from $potfiles" >&2
    status=1
  fi
done < "$tmp/needed"

while IFS= read -r file; do
  if [ ! -f "$file" ]; then
    echo "check-potfiles: $potfiles lists $file, which does not exist" >&2
    status=1
  fi
done < "$tmp/listed"

if ! LC_ALL=C sort -c "$tmp/listed" 2>/dev/null; then
  echo "check-potfiles: $potfiles is not sorted (LC_ALL=C sort)" >&2
  status=1
fi

if [ "$status" -eq 0 ]; then
  echo "check-potfiles: $(wc -l < "$tmp/listed") files listed, all translatable files present"
fi
exit "$status"
