#!/bin/sh
# run-fuzz.sh BUILDDIR SECONDS [TARGET...]
#
# Runs each libFuzzer target of BUILDDIR (configured as `make fuzz` does:
# clang, -Dfuzzing=true, ASan + UBSan) for SECONDS, one after the other,
# niced, with leak detection on. The working corpus grows in
# BUILDDIR/fuzz-corpus/TARGET (kept between runs), starting from the seeds
# that tests/test-fuzz-regressions.c also replays; a finding is written to
# BUILDDIR/fuzz-artifacts/TARGET/. Prints per target the executions, the
# rate, the edges reached and the CPU seconds used; exit 1 if any target crashed, leaked or hung.
# A finding becomes a regression input: copy it to
# tests/data/fuzz-regressions/TARGET/ (README.md there).
# $FUZZ_ARGS is passed on to libFuzzer, e.g. "-fork=1 -ignore_crashes=1" to
# keep going past known findings (each still counts and fails the run), or
# "-runs=10000000" to stop at ten million executions. $FUZZ_NICE is the
# niceness of the runs (default 10; 19 next to benchmarks).
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u
builddir=${1:?usage: run-fuzz.sh BUILDDIR SECONDS [TARGET...]}
seconds=${2:?usage: run-fuzz.sh BUILDDIR SECONDS [TARGET...]}
shift 2
targets=${*:-message ws http client}
src=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "$builddir" && pwd)
status=0
niceness=${FUZZ_NICE:-10}

for t in $targets; do
  exe=$builddir/tests/fuzz/fuzz-$t
  corpus=$builddir/fuzz-corpus/$t
  artifacts=$builddir/fuzz-artifacts/$t
  log=$builddir/fuzz-$t.log
  if [ ! -x "$exe" ]; then
    echo "$t: no $exe (configure with CC=clang -Dfuzzing=true)" >&2
    status=1
    continue
  fi
  mkdir -p "$corpus" "$artifacts"
  found_before=$(find "$artifacts" -type f | wc -l)

  # the same seed directories as tests/test-fuzz-regressions.c
  seeds="$src/tests/fuzz/corpus/$t"
  [ "$t" = message ] && seeds="$seeds $src/tests/data/vectors $src/tests/data/invalid"
  # libFuzzer takes one dictionary: http bodies are JSON too
  dict=
  case $t in
    message) dict="-dict=$src/tests/fuzz/message.dict" ;;
    http) cat "$src/tests/fuzz/http.dict" "$src/tests/fuzz/message.dict" > "$builddir/fuzz-http.dict"
          dict="-dict=$builddir/fuzz-http.dict" ;;
  esac

  # Leaks are checked after each input that allocated more than it freed.
  # The http target cannot work that way: libsoup 3.2.3 leaks a GSocket on
  # every accepted connection (tests/lsan.supp), so every input would cost a
  # full leak scan, and matching the suppressions needs the slow unwinder:
  # 40 inputs/s instead of hundreds. It fuzzes without, then replays its
  # whole corpus once with per-input leak checks (second log).
  leaks=1
  [ "$t" = http ] && leaks=0

  # CPU seconds next to the wall-clock ones: on a shared machine a niced
  # run may get a fraction of a core
  timer=
  [ -x /usr/bin/time ] && timer="/usr/bin/time -f %U+%S -o $builddir/fuzz-$t.time"

  # shellcheck disable=SC2086
  ASAN_OPTIONS="detect_leaks=$leaks:abort_on_error=1:allocator_may_return_null=1" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
  G_SLICE=always-malloc GIO_USE_PROXY_RESOLVER=dummy GIO_USE_VFS=local LC_ALL=C.UTF-8 \
    $timer nice -n "$niceness" "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -detect_leaks=$leaks -print_final_stats=1 -artifact_prefix="$artifacts/" \
      $dict ${FUZZ_ARGS:-} "$corpus" $seeds > "$log" 2>&1
  rc=$?

  leak_check=
  if [ $rc = 0 ] && [ $leaks = 0 ]; then
    ASAN_OPTIONS="fast_unwind_on_malloc=0:malloc_context_size=16:detect_leaks=1:abort_on_error=1" \
    LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    G_SLICE=always-malloc GIO_USE_PROXY_RESOLVER=dummy GIO_USE_VFS=local LC_ALL=C.UTF-8 \
      nice -n "$niceness" "$exe" -runs=0 -timeout=30 -detect_leaks=1 -artifact_prefix="$artifacts/" \
        "$corpus" > "$builddir/fuzz-$t-leaks.log" 2>&1
    rc=$?
    log=$builddir/fuzz-$t-leaks.log
    leak_check=", corpus replayed with leak checks"
  fi
  # libFuzzer stops checking after 1000 inputs that allocated more than
  # they freed without leaking: say so rather than claim a clean run
  if grep -q 'disabled leak detection' "$builddir/fuzz-$t.log" "$builddir/fuzz-$t-leaks.log" 2>/dev/null; then
    leak_check="$leak_check (libFuzzer turned leak checks off part way)"
  fi

  fuzz_log=$builddir/fuzz-$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$fuzz_log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$fuzz_log" | tail -1)
  if [ -z "$execs" ]; then
    # -fork=N prints "#EXECS: cov: ... exec/s: N ..." lines instead
    execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$fuzz_log" | tail -1)
    rate=$(sed -n 's/^#[0-9]*: cov:.* exec\/s:* \([0-9]*\).*/\1/p' "$fuzz_log" | tail -1)
  fi
  edges=$(grep -o 'cov: [0-9]*' "$fuzz_log" | tail -1 | cut -d' ' -f2)
  total=$(sed -n 's/.*(\([0-9]*\) inline 8-bit counters).*/\1/p' "$fuzz_log" | head -1)
  features=$(grep -o 'ft: [0-9]*' "$fuzz_log" | tail -1 | cut -d' ' -f2)
  inputs=$(find "$corpus" -type f | wc -l)
  cpu=$( [ -n "$timer" ] && tail -n 1 "$builddir/fuzz-$t.time" | awk -F+ '{ printf "%.0f", $1 + $2 }')
  found=$(( $(find "$artifacts" -type f | wc -l) - found_before ))
  [ $rc = 0 ] && [ $found -gt 0 ] && rc=1
  if [ $rc = 0 ]; then
    result="ok$leak_check"
  else
    result="FAILED (exit $rc, $found new in $artifacts; $log)"
    status=1
  fi
  printf '%-8s %12s execs %7s exec/s  cov %s of %s edges  ft %s  corpus %s  cpu %ss  %s\n' \
    "$t" "${execs:-?}" "${rate:-?}" "${edges:-?}" "${total:-?}" "${features:-?}" "$inputs" "${cpu:-?}" "$result"
  if [ $rc != 0 ]; then
    grep -E '^==[0-9]+==|^SUMMARY|^artifact_prefix|Test unit written|fuzz-(ws|http):' "$log" | head -12 | sed 's/^/  /'
  fi
done
exit $status
