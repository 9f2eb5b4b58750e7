/* fcm-test-timeline-util.h: a timeline over a real hub, client and monitor, for the test-timeline* programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-timeline.h"
#include "fcm-timeline-private.h"

G_BEGIN_DECLS

typedef struct
{
  FcmHub       *hub;
  char         *topic;
  FcmHubClient *ours;        /* the monitor's client */
  FcmHubClient *other;       /* another app in the session */
  FcmMonitor   *monitor;
  GtkWindow    *window;
  AdwToastOverlay *overlay;
  FcmTimeline  *timeline;
} Fixture;

void            done_cb           (GObject           *source,
                                   GAsyncResult      *result,
                                   gpointer           data);
void            subscribe         (FcmHubClient      *client);
char           *publish           (Fixture           *f,
                                   FcmHubClient      *client,
                                   const char        *name,
                                   JsonArray         *context);
guint           n_rows            (Fixture           *f);
guint           n_log             (Fixture           *f);
void            wait_frames       (Fixture           *f,
                                   guint              n);
GtkWidget      *list_view_of      (Fixture           *f);
void            collect_rows      (GtkWidget         *list,
                                   GPtrArray         *out);
FcmTimelineRow *find_row          (GtkWidget         *list,
                                   FcmTimelineColumn  column,
                                   const char        *text,
                                   const char        *css_class);
void            cell_bounds       (FcmTimelineRow    *row,
                                   FcmTimelineColumn  column,
                                   GtkWidget         *target,
                                   graphene_rect_t   *bounds);

void            fixture_setup     (Fixture           *f,
                                   gconstpointer      data);
void            fixture_teardown  (Fixture           *f,
                                   gconstpointer      data);

G_END_DECLS
