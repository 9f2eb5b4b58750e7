/* fcm-fuzz.h: the entry points of the libFuzzer targets
 *
 * Each target is one function fed one input; tests/fuzz/fuzz-main.c wraps
 * it for libFuzzer (-Dfuzzing=true, clang), and tests/test-fuzz-regressions.c
 * feeds the seed corpora and every saved finding
 * (tests/data/fuzz-regressions/TARGET/) through the same function in the
 * normal build, so that `make check` replays them without clang.
 *
 * An entry point returns normally for any input; a bug is a crash, an
 * abort() on a broken invariant, a GLib warning or critical (fatal in both
 * drivers), a sanitizer report or a leak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef void (*FcmFuzzFunc) (const guint8 *data,
                             gsize         size);

typedef void (*FcmFuzzCleanupFunc) (void);

typedef struct
{
  const char         *name;      /* the directory name under the corpora */
  FcmFuzzFunc         func;
  FcmFuzzCleanupFunc  cleanup;
} FcmFuzzTarget;

/* message: FcmEvent, FcmValidator and FcmContextStore on JSON text */
void fcm_fuzz_message (const guint8 *data,
                       gsize         size);

/* ws: the hub's WebSocket frame parser (FcmWsConn); byte 0 chooses how the
 * rest is cut into reads, the rest is what a client sends */
void fcm_fuzz_ws      (const guint8 *data,
                       gsize         size);

/* http: one HTTP/1.1 connection to a hub on 127.0.0.1: the input is what
 * the client sends before it half-closes */
void fcm_fuzz_http    (const guint8 *data,
                       gsize         size);

/* client: a subscriber's FcmHubClient and FcmMonitor on the frames its hub
 * sends (parse, validate, ack, context update); byte 0 chooses the client's
 * settings, the rest is up to 8 messages separated by NUL bytes */
void fcm_fuzz_client  (const guint8 *data,
                       gsize         size);

/* What each keeps between inputs (the message target's store, the http
 * target's hub), released so that a leak checker at exit sees only leaks. */
void fcm_fuzz_message_cleanup (void);
void fcm_fuzz_ws_cleanup      (void);
void fcm_fuzz_http_cleanup    (void);
void fcm_fuzz_client_cleanup  (void);

/* Makes GLib warnings and criticals abort(), as libFuzzer only counts
 * crashes (G_DEBUG=fatal-criticals raises SIGTRAP, which it ignores). */
void fcm_fuzz_abort_on_warnings (void);

/* Non-blocking main context iterations without a poll() when there is
 * nothing to poll but GLib's wakeup descriptor (fcm-fuzz-targets.c). */
void fcm_fuzz_skip_lone_wakeup_polls (void);

gboolean fcm_fuzz_is_known_library_warning (const char *domain,
                                            const char *message);

extern const FcmFuzzTarget fcm_fuzz_targets[];
extern const guint fcm_fuzz_n_targets;

G_END_DECLS
