# FHIRcast Monitor — the two set-up commands.
#
#   make run     install missing Debian packages, build, start the app
#   make check   same set-up, then every test suite headless
#
#   make check-asan  every suite that needs no display under ASan + UBSan +
#                    LSan (gcc, in _build-asan)
#   make fuzz        the libFuzzer targets, FUZZ_SECONDS each (clang, in
#                    _build-fuzz)
#
# Everything else (meson, ninja) is called from here; see README.md.

BUILDDIR ?= _build
MESON_OPTS ?=

DEB_PACKAGES = meson ninja-build pkg-config gcc gettext \
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev glib-networking \
  libjson-glib-dev libcjson-dev libzstd-dev libsecret-1-dev libdbusmenu-glib-dev libportal-gtk4-dev \
  libgtk-4-bin desktop-file-utils appstream \
  xvfb xauth dbus-daemon at-spi2-core gsettings-desktop-schemas adwaita-icon-theme \
  fonts-dejavu-core openssl python3 \
  gnome-keyring python3-pyatspi gir1.2-atspi-2.0

.PHONY: all deps setup build run check build-asan check-asan check-all fuzz-setup fuzz build-release bench screenshots clean

all: build

deps:
	@build-aux/install-deps.sh $(DEB_PACKAGES)

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) $(MESON_OPTS)

setup: deps $(BUILDDIR)/build.ninja

build: setup
	meson compile -C $(BUILDDIR)

run: build
	GSETTINGS_SCHEMA_DIR=$(BUILDDIR)/data $(BUILDDIR)/src/app/fhircast-monitor

check: build
	@build-aux/run-tests.sh $(BUILDDIR)

# ASan + UBSan + LSan (gcc). The GTK app is not built: its suites need a
# display and are not run here (tests/meson.build, the asan test setup).
ASAN_BUILDDIR ?= _build-asan
ASAN_MESON_OPTS = -Dgtk=false -Db_sanitize=address,undefined -Db_lundef=false

$(ASAN_BUILDDIR)/build.ninja:
	CC=gcc meson setup $(ASAN_BUILDDIR) $(ASAN_MESON_OPTS) $(MESON_OPTS)

build-asan: deps $(ASAN_BUILDDIR)/build.ninja
	meson compile -C $(ASAN_BUILDDIR)

check-asan: build-asan
	@build-aux/run-tests.sh --asan $(ASAN_BUILDDIR)

# `make check` and `make check-asan` with one closing "N passed, N failed".
check-all: build build-asan
	@build-aux/run-tests.sh $(BUILDDIR) $(ASAN_BUILDDIR)

# libFuzzer (clang, ASan + UBSan, leak detection): every target for
# FUZZ_SECONDS, one after the other; fails on a crash, a leak or a hang.
# `make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS=ws` for a longer run of one.
FUZZ_BUILDDIR ?= _build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= message ws http client
FUZZ_PACKAGES = clang libclang-rt-14-dev
FUZZ_MESON_OPTS = -Dfuzzing=true -Dgtk=false -Db_sanitize=address,undefined -Db_lundef=false

fuzz-setup: deps
	@build-aux/install-deps.sh $(FUZZ_PACKAGES)
	@test -f $(FUZZ_BUILDDIR)/build.ninja || \
	  CC=clang meson setup $(FUZZ_BUILDDIR) $(FUZZ_MESON_OPTS) $(MESON_OPTS)

fuzz: fuzz-setup
	meson compile -C $(FUZZ_BUILDDIR) $(addprefix fuzz-,$(FUZZ_TARGETS))
	@build-aux/run-fuzz.sh $(FUZZ_BUILDDIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Speed targets (issue notes and README): hub publish->deliver p50 <= 0.3 ms,
# fan-out >= 50,000 notifications/s, on loopback; client ingest (FcmHubClient
# in an FcmMonitor, hub in a child process) >= 20,000 events/s and <= 50 us CPU
# per event; validator >= 50,000 messages/s (in one process and `fhircast
# validate --ndjson`); `fhircast watch` drains a backlog >= 1.5x as fast as
# @medplum/core; 100,000 timeline rows <= 130 MB RSS; 1,000,000 events <= 300 MB
# in the core log; first frame <= 400 ms (median of 18 runs).
# bench-hub runs the hub in its own process and raw WebSocket/HTTP clients in
# another (docs/hub.md, Performance).
# Every figure is also appended to $(BUILDDIR)/bench.json (one JSON object a
# line, the run's id in "run"); docs/performance.md says how each is measured.
# The drain bench compares `fhircast watch` with @medplum/core on one hub:
# @medplum/core comes from npm's cache or the registry (the committed lock
# file); without it the bench says so and measures watch alone.
# Benchmarks run on a release build of their own (-O3, no debug checks:
# what users install), in _build-release; every figure goes to
# $(BUILDDIR)/bench.json.
BENCH_BUILDDIR ?= _build-release

$(BENCH_BUILDDIR)/build.ninja:
	meson setup $(BENCH_BUILDDIR) --buildtype=release $(MESON_OPTS)

build-release: deps $(BENCH_BUILDDIR)/build.ninja
	meson compile -C $(BENCH_BUILDDIR)

bench: export FCM_BENCH_RUN := $(shell date -u +%Y%m%dT%H%M%SZ)
bench: export FCM_BENCH_JSON := $(abspath $(BUILDDIR))/bench.json
bench: build-release
	meson compile -C $(BENCH_BUILDDIR) bench-hub bench-client bench-validate bench-drain bench-event-log bench-timeline bench-startup bench-app-load
	G_TEST_SRCDIR=tests GIO_USE_PROXY_RESOLVER=dummy $(BENCH_BUILDDIR)/tests/bench/bench-hub
	G_TEST_SRCDIR=tests GIO_USE_PROXY_RESOLVER=dummy $(BENCH_BUILDDIR)/tests/bench/bench-client
	G_TEST_SRCDIR=tests $(BENCH_BUILDDIR)/tests/bench/bench-validate
	-@sh tests/interop/install-medplum.sh tests/interop $(BENCH_BUILDDIR)/tests/interop >/dev/null 2>&1
	G_TEST_SRCDIR=tests GIO_USE_PROXY_RESOLVER=dummy $(BENCH_BUILDDIR)/tests/bench/bench-drain
	# the core event log: 1,000,000 events, no GTK (target <= 300 MB RSS)
	$(BENCH_BUILDDIR)/tests/bench/bench-event-log
	# the timeline: 100,000 rows under Xvfb, software rendering as in the gtk tests;
	# then 40 updates of 200 new rows each, as a stream of 2,000 events/s brings them
	xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- \
	  env GSK_RENDERER=cairo GDK_DISABLE=vulkan GIO_USE_PROXY_RESOLVER=dummy \
	  $(BENCH_BUILDDIR)/tests/bench/bench-timeline --stream 40
	# the app under load (issue 15.1): 2,000 events/s, 100,000 events, on the
	# built-in hub and on a separate `fhircast hub`, 3 runs each (medians, ranges)
	xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- \
	  env GSK_RENDERER=cairo GDK_DISABLE=vulkan GIO_USE_PROXY_RESOLVER=dummy GSETTINGS_BACKEND=memory \
	  GSETTINGS_SCHEMA_DIR=$(BENCH_BUILDDIR)/data FHIRCAST_CLI=$(BENCH_BUILDDIR)/src/cli/fhircast \
	  $(BENCH_BUILDDIR)/tests/bench/bench-app-load --runs 3 2>/dev/null
	@echo "start-up (first frame target <= 400 ms, live < 1 s; Xvfb, cairo renderer, one session,"
	@echo "18 starts, median and spread; the first also starts the session's accessibility bus):"
	@xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- env \
	  GSK_RENDERER=cairo GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$(BENCH_BUILDDIR)/data \
	  GIO_USE_PROXY_RESOLVER=dummy $(BENCH_BUILDDIR)/tests/bench/bench-startup --runs 18 2>/dev/null

# PNGs of the app's main states (data/screenshots/, used by the metainfo and
# the README), rendered by GTK from the real window on the built-in hub.
screenshots: build
	xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- env \
	  GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$(BUILDDIR)/data GTK_A11Y=none \
	  GIO_USE_PROXY_RESOLVER=dummy GSK_RENDERER=cairo LC_ALL=C.UTF-8 \
	  $(BUILDDIR)/tests/fcm-screenshots data/screenshots

clean:
	rm -rf $(BUILDDIR) $(ASAN_BUILDDIR) $(FUZZ_BUILDDIR) $(BENCH_BUILDDIR)
