/* fcm-probe-window-test-util.h: what the probe window's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-application.h"
#include "fcm-connection.h"
#include "fcm-probe-window-private.h"
#include "fcm-window.h"

G_BEGIN_DECLS

/* The probe's waits: short for a test, long enough for a loaded machine
 * (the values of tests/test-probe-hub.c and test-probe-subscriber.c). */
#define HUB_PROBE_TIMEOUT    2.0
#define HUB_PROBE_WINDOW     0.25
#define HUB_ACK_TIMEOUT      1.0
#define HUB_PROBE_ACK_WAIT   3.0
#define APP_PROBE_TIMEOUT    1.5
#define APP_PROBE_WINDOW     0.25
#define APP_PROBE_LEASE      2
#define APP_CONNECT_TIMEOUT  3.0

/* Spin until EXPR holds, for up to SECONDS (a whole probe run). */
#define WAIT_LONG(expr, seconds)                                             \
  G_STMT_START {                                                             \
    gint64 _deadline = g_get_monotonic_time ()                               \
                       + (gint64) ((seconds) * G_USEC_PER_SEC                \
                                   * fcm_test_timeout_scale ());            \
    guint _wake = g_timeout_add (20, fcm_test_wakeup, NULL);                 \
    while (!(expr))                                                          \
      {                                                                      \
        if (g_get_monotonic_time () > _deadline)                             \
          g_error ("timed out waiting for: %s", #expr);                      \
        g_main_context_iteration (NULL, TRUE);                               \
      }                                                                      \
    g_source_remove (_wake);                                                 \
  } G_STMT_END

FcmConnection *add_embedded       (FcmApplication      *app,
                                   FcmWindow          **out_window);
void           close_all          (FcmApplication      *app,
                                   FcmWindow           *main_window);
void           tune_hub_probe     (FcmProbeWindow      *window);
void           wait_for_run       (FcmProbeWindow      *window);
guint          n_scenarios        (FcmProbeWindow      *window);
FcmProbeItem  *item_at            (FcmProbeWindow      *window,
                                   guint                position);
void           assert_all_passed  (FcmProbeWindow      *window,
                                   guint                expected);
void           choose_only        (FcmProbeWindow      *window,
                                   const char          *id);
gboolean       is_label_with_text (GtkWidget           *widget,
                                   gconstpointer        text);
char          *evidence_text      (FcmProbeWindow      *window);
char          *export_to          (FcmProbeWindow      *window,
                                   FcmProbeReportKind   kind,
                                   const char          *dir,
                                   const char          *name);
void           assert_ndjson      (const char          *text,
                                   guint                expected,
                                   const char          *kind,
                                   const char          *verdict);
void           assert_junit       (const char          *text,
                                   guint                testcases,
                                   guint                failures,
                                   const char          *classname);

G_END_DECLS
