/* fcm-test-context-panel-util.h: a hub, a monitored client and another app, for the context panel and Open Report tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-client.h"
#include "fcm-context-panel-private.h"

G_BEGIN_DECLS

#define TOPIC "panel-test"

typedef struct
{
  FcmHub          *hub;
  FcmHubClient    *client;     /* monitored */
  FcmHubClient    *other;      /* the app that publishes */
  FcmMonitor      *monitor;
  GtkWindow       *window;
  FcmContextPanel *panel;
} Fixture;

typedef struct
{
  gboolean  done;
  gboolean  ok;
  guint     status;
  GError   *error;
} Wait;

void        subscribe_done_cb (GObject          *source,
                               GAsyncResult     *result,
                               gpointer          data);
void        subscribe         (FcmHubClient     *client);
void        publish_done_cb   (GObject          *source,
                               GAsyncResult     *result,
                               gpointer          data);
void        publish_from      (FcmHubClient     *client,
                               const char       *name,
                               JsonArray        *context);
void        publish           (Fixture          *f,
                               const char       *name,
                               JsonArray        *context);
void        publish_open      (Fixture          *f,
                               const char       *report,
                               const char       *accession,
                               const char       *mrn);
const char *field             (Fixture          *f,
                               FcmContextField   which);

void        fixture_setup     (Fixture          *f,
                               gconstpointer     data);
void        fixture_teardown  (Fixture          *f,
                               gconstpointer     data);

G_END_DECLS
