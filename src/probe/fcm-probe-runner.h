/* fcm-probe-runner.h: what the hub probe and the subscriber probe share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-probe-result.h"

G_BEGIN_DECLS

#define FCM_PROBE_ERROR (fcm_probe_error_quark ())

/**
 * FcmProbeError:
 * @FCM_PROBE_ERROR_UNREACHABLE: the hub could not be reached at all
 * @FCM_PROBE_ERROR_UNKNOWN_SCENARIO: `--only` named a scenario that does not exist
 * @FCM_PROBE_ERROR_BUSY: the probe is already running
 * @FCM_PROBE_ERROR_INVALID: a setting is out of range or malformed
 */
typedef enum
{
  FCM_PROBE_ERROR_UNREACHABLE,
  FCM_PROBE_ERROR_UNKNOWN_SCENARIO,
  FCM_PROBE_ERROR_BUSY,
  FCM_PROBE_ERROR_INVALID,
} FcmProbeError;

GQuark fcm_probe_error_quark (void);

typedef struct _FcmProbeScenario FcmProbeScenario;
typedef struct _FcmProbeCtx      FcmProbeCtx;

#define FCM_TYPE_PROBE (fcm_probe_get_type ())

G_DECLARE_DERIVABLE_TYPE (FcmProbe, fcm_probe, FCM, PROBE, GObject)

/**
 * FcmProbeClass:
 *
 * The two probes (#FcmHubProbe, #FcmSubscriberProbe) are the only
 * subclasses; the virtual functions are private to the probe library.
 */
struct _FcmProbeClass
{
  GObjectClass parent_class;

  /*< private >*/
  const char               *kind;
  const FcmProbeScenario   *scenarios;
  guint                     n_scenarios;

  void                    (*prepare_async)   (FcmProbe             *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
  gboolean                (*prepare_finish)  (FcmProbe             *self,
                                              GAsyncResult         *result,
                                              GError              **error);
  void                    (*setup)           (FcmProbe             *self,
                                              FcmProbeCtx          *ctx);
  void                    (*teardown_async)  (FcmProbe             *self,
                                              FcmProbeCtx          *ctx,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
  void                    (*finished)        (FcmProbe             *self);

  gpointer padding[8];
};

GPtrArray      *fcm_probe_list_scenarios  (FcmProbe             *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean        fcm_probe_set_only        (FcmProbe             *self,
                                           const char * const   *ids,
                                           GError              **error);
double          fcm_probe_get_timeout     (FcmProbe             *self);
void            fcm_probe_set_timeout     (FcmProbe             *self,
                                           double                seconds);
void            fcm_probe_set_window      (FcmProbe             *self,
                                           double                seconds);
gboolean        fcm_probe_get_running     (FcmProbe             *self);
GListModel     *fcm_probe_get_results     (FcmProbe             *self);

void            fcm_probe_run_async       (FcmProbe             *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean        fcm_probe_run_finish      (FcmProbe             *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
