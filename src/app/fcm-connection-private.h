/* fcm-connection-private.h: for the screenshots and the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-connection.h"

G_BEGIN_DECLS

/* shared by fcm-connection.c (the object, its state),
 * fcm-connection-alert.c (what its alert says) and
 * fcm-connection-publish.c (its context requests) */
struct _FcmConnection
{
  GObject        parent_instance;

  FcmHub        *hub;          /* embedded only */
  FcmHubClient  *client;
  FcmMonitor    *monitor;
  GCancellable  *cancellable;

  char          *title;
  char          *subtitle;
  char          *status_text;
  char          *alert;        /* title and text, as last notified */
  char          *last_error;
  char          *id;
  gboolean       started;
  gboolean       ever_live;    /* was live once: a loss is "lost", not "could not connect" */
  gboolean       failed;       /* set up failed before subscribing (e.g. GetTopic) */
  GFile         *recording;    /* read-only: shows this recording, never subscribes */
};

static inline gboolean
_fcm_connection_state_is_live (FcmClientState state)
{
  return state == FCM_CLIENT_STATE_ACTIVE || state == FCM_CLIENT_STATE_RENEWING;
}

FcmConnection *_fcm_connection_new_embedded_full (guint        port,
                                                  const char  *topic,
                                                  gboolean     admin,
                                                  GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
