# FHIRcast Monitor — the two set-up commands.
#
#   make run     install missing Debian packages, build, start the app
#   make check   same set-up, then every test suite headless
#
# Everything else (meson, ninja) is called from here; see README.md.

BUILDDIR ?= _build
MESON_OPTS ?=

DEB_PACKAGES = meson ninja-build pkg-config gcc gettext \
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev glib-networking \
  libjson-glib-dev libzstd-dev libsecret-1-dev libdbusmenu-glib-dev libportal-gtk4-dev \
  libgtk-4-bin desktop-file-utils appstream \
  xvfb xauth dbus-daemon at-spi2-core gsettings-desktop-schemas adwaita-icon-theme \
  fonts-dejavu-core openssl python3 \
  gnome-keyring python3-pyatspi gir1.2-atspi-2.0

.PHONY: all deps setup build run check bench screenshots clean

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

# Speed targets (issue notes and README): hub publish->deliver p50 <= 0.3 ms,
# fan-out >= 50,000 notifications/s, on loopback; client ingest (FcmHubClient
# in an FcmMonitor, hub in a child process) >= 20,000 events/s; 100,000 timeline
# rows <= 130 MB RSS; 1,000,000 events <= 300 MB in the core log; first frame
# <= 400 ms (median of 18 runs). Figures go to $(BUILDDIR)/bench.json too.
# bench-hub runs the hub in its own process and raw WebSocket/HTTP clients in
# another (docs/hub.md, Performance).
bench: build
	meson compile -C $(BUILDDIR) bench-hub bench-client bench-event-log bench-timeline bench-startup
	G_TEST_SRCDIR=tests GIO_USE_PROXY_RESOLVER=dummy $(BUILDDIR)/tests/bench/bench-hub
	G_TEST_SRCDIR=tests GIO_USE_PROXY_RESOLVER=dummy $(BUILDDIR)/tests/bench/bench-client
	# the core event log: 1,000,000 events, no GTK (target <= 300 MB RSS)
	$(BUILDDIR)/tests/bench/bench-event-log
	# the timeline: 100,000 rows under Xvfb, software rendering as in the gtk tests
	xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- \
	  env GSK_RENDERER=cairo GDK_DISABLE=vulkan GIO_USE_PROXY_RESOLVER=dummy \
	  $(BUILDDIR)/tests/bench/bench-timeline
	@echo "start-up (first frame target <= 400 ms, live < 1 s; Xvfb, cairo renderer, one session,"
	@echo "18 starts, median and spread; the first also starts the session's accessibility bus):"
	@xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- env \
	  GSK_RENDERER=cairo GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$(BUILDDIR)/data \
	  GIO_USE_PROXY_RESOLVER=dummy $(BUILDDIR)/tests/bench/bench-startup --runs 18 2>/dev/null

# PNGs of the app's main states (data/screenshots/, used by the metainfo and
# the README), rendered by GTK from the real window on the built-in hub.
screenshots: build
	xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- env \
	  GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$(BUILDDIR)/data GTK_A11Y=none \
	  GIO_USE_PROXY_RESOLVER=dummy GSK_RENDERER=cairo LC_ALL=C.UTF-8 \
	  $(BUILDDIR)/tests/fcm-screenshots data/screenshots

clean:
	rm -rf $(BUILDDIR)
