#!/bin/sh
# asan-run.sh PROGRAM [ARG...]: the exe_wrapper of `meson test --setup=asan`
# (tests/meson.build, toolchain notes in README "Sanitizers").
#
# Preloads libasan and the GnuTLS GIO module ($FCM_ASAN_PRELOAD) into our own
# sanitized programs only: LSan crashes at exit scanning the dynamic TLS of a
# dlopen()ed libgiognutls.so, and preloading it first avoids that. Tools that
# are not ours (sh, grep, timeout...) deadlock on glibc's locale lock at start
# or exit with that preload, so scripts run without it.
#
# Malloc stacks are unwound the slow way (fast_unwind_on_malloc=0 in
# ASAN_OPTIONS), so that tests/lsan.supp can name frames inside Debian's
# libraries, which have no frame pointers; that makes every malloc some 30
# times dearer. Tests that start no SoupServer, which is where all of those
# library leaks come from, set FCM_ASAN_FAST_UNWIND=1 (tests/meson.build) and
# get the fast unwinder back.
#
# SPDX-License-Identifier: GPL-3.0-or-later

if [ -n "${FCM_ASAN_PRELOAD:-}" ] && [ "$(head -c 4 "$1" 2>/dev/null | tail -c 3)" = ELF ]; then
  LD_PRELOAD="$FCM_ASAN_PRELOAD${LD_PRELOAD:+ $LD_PRELOAD}"
  export LD_PRELOAD
fi
if [ -n "${FCM_ASAN_FAST_UNWIND:-}" ]; then
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=1"
  export ASAN_OPTIONS
fi
exec "$@"
