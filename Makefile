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
  libjson-glib-dev libsecret-1-dev libgtk-4-bin desktop-file-utils appstream \
  xvfb xauth dbus-daemon at-spi2-core gsettings-desktop-schemas adwaita-icon-theme \
  fonts-dejavu-core openssl python3

.PHONY: all deps setup build run check bench clean

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
# fan-out >= 50,000 notifications/s, on loopback. bench-hub runs the hub in its
# own process and raw WebSocket/HTTP clients in another (docs/hub.md, Performance).
bench: build
	meson compile -C $(BUILDDIR) bench-hub
	G_TEST_SRCDIR=tests GIO_USE_PROXY_RESOLVER=dummy $(BUILDDIR)/tests/bench/bench-hub

clean:
	rm -rf $(BUILDDIR)
