/* screenshots.c: `make screenshots` — PNGs of the app's main states for the
 * metainfo and the README, rendered by GTK itself from the real window on
 * the real built-in hub.
 *
 * Usage: fcm-screenshots OUTPUT-DIR   (needs a display; run under xvfb-run)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>

#include "fcm-application.h"
#include "fcm-connection.h"
#include "fcm-open-report-dialog.h"
#include "fcm-probe-window-private.h"
#include "fcm-window.h"
#include "fcm-window-private.h"
#include "fcm-test-util.h"
#include "fcm-timeline-private.h"

static const char *output_dir;
static int exit_status = 1;

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;
  guint wake = g_timeout_add (10, fcm_test_wakeup, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (output_dir, name, NULL);
  GskRenderer *renderer;
  int width = 0, height = 0;

  /* the size once drawn: read before, a window just presented had none
   * yet and gave an empty snapshot now and then */
  for (guint tries = 0; node == NULL; tries++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (tries == 50)
        g_error ("nothing drawn for %s", name);
      if (tries > 0)
        settle (100);
      gtk_test_widget_wait_for_draw (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("could not write %s", path);
  g_print ("%s (%d×%d)\n", path, width, height);
}

typedef struct
{
  gboolean done;
  guint status;
} Answer;

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Answer *a = user_data;

  a->status = fcm_connection_publish_finish (FCM_CONNECTION (source), result, NULL, NULL);
  a->done = TRUE;
}

static void
publish (FcmConnection *connection,
         const char    *name,
         JsonArray     *context)
{
  Answer a = { 0, };

  fcm_connection_publish_async (connection, name, context, NULL, published_cb, &a);
  FCM_TEST_WAIT_UNTIL (a.done);
}

static FcmWindow *
find_window (FcmApplication *app)
{
  return FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static void
run (FcmApplication *app)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmConnection) connection = fcm_connection_new_embedded (&error);
  g_autoptr(FcmHubClient) viewer = NULL;
  g_autoptr(FcmHubClient) refuser = NULL;
  FcmWindow *window;
  FcmWindowParts parts;
  GtkWindow *dialog;

  g_assert_no_error (error);
  fcm_hub_client_set_subscriber_name (fcm_connection_get_client (connection), "FHIRcast Monitor");
  fcm_application_add_connection (app, connection);
  window = find_window (app);
  /* FCM_SCREENSHOT_SIZE=800x600 renders the small-screen layout */
  {
    const char *size = g_getenv ("FCM_SCREENSHOT_SIZE");
    int width = 1280, height = 720;

    if (size != NULL && sscanf (size, "%dx%d", &width, &height) != 2)
      g_error ("FCM_SCREENSHOT_SIZE: use WIDTHxHEIGHT");
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  }
  gtk_window_present (GTK_WINDOW (window));
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));

  /* another app in the session: an image viewer that follows every event */
  viewer = fcm_hub_client_new (fcm_hub_client_get_hub_url (fcm_connection_get_client (connection)),
                               fcm_hub_client_get_topic (fcm_connection_get_client (connection)));
  fcm_hub_client_set_subscriber_name (viewer, "PACS Viewer");
  fcm_hub_client_subscribe_async (viewer, NULL, NULL, NULL);
  FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (viewer) == FCM_CLIENT_STATE_ACTIVE);

  /* 1: the empty state of a live session */
  settle (300);
  save_png (GTK_WIDGET (window), "empty-session.png");

  /* 2: a report open, two measurements added, one selected */
  {
    JsonArray *ctx = fcm_context_build_open ("rpt-2f81c0", "pat-5f2c8e1a", "st-0b8d44f3", "ACC-2026-11873", "MRN-448210");
    FcmReportDetails details = { "Ingrid Nielsen", "female", "1958-03-14",
                                 "CT Chest with contrast", "CT", "2026-11-21T09:42:00+01:00" };

    g_assert_true (fcm_context_add_details (ctx, &details, NULL));
    publish (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
  }
  FCM_TEST_WAIT_UNTIL (fcm_context_store_get_current (fcm_monitor_get_context_store (fcm_connection_get_monitor (connection))) != NULL);
  publish (connection, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, fcm_connection_build_demo_update (connection, NULL));
  publish (connection, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, fcm_connection_build_demo_update (connection, NULL));
  publish (connection, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, fcm_connection_build_select (connection, NULL));
  settle (500);
  save_png (GTK_WIDGET (window), "report-open.png");

  /* 2b: the update selected in the timeline: its JSON and validation */
  fcm_window_get_parts (window, &parts);
  _fcm_timeline_select (FCM_TIMELINE (parts.timeline), 2);
  settle (400);
  save_png (GTK_WIDGET (window), "event-details.png");

  /* 2c: the subscribers of the session, from the built-in hub itself */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-subscribers", NULL);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (parts.subscribers_panel));
  settle (500);
  save_png (GTK_WIDGET (window), "subscribers.png");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-subscribers", NULL);
  FCM_TEST_WAIT_UNTIL (!gtk_widget_get_mapped (parts.subscribers_panel));

  /* 3: the open-report dialog with a demo study */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-report", NULL);
  settle (300);
  dialog = NULL;
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
        if (FCM_IS_OPEN_REPORT_DIALOG (w))
          dialog = w;
      }
  }
  g_assert_nonnull (dialog);
  fcm_open_report_dialog_fill_random (FCM_OPEN_REPORT_DIALOG (dialog));
  settle (300);
  save_png (GTK_WIDGET (dialog), "open-report-dialog.png");
  gtk_window_destroy (dialog);

  /* 4: sync lost: a viewer refuses the next open (C-63) */
  refuser = fcm_hub_client_new (fcm_hub_client_get_hub_url (fcm_connection_get_client (connection)),
                                fcm_hub_client_get_topic (fcm_connection_get_client (connection)));
  fcm_hub_client_set_subscriber_name (refuser, "AI Triage Tool");
  fcm_hub_client_set_ack_policy (refuser, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, 409);
  fcm_hub_client_subscribe_async (refuser, NULL, NULL, NULL);
  FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (refuser) == FCM_CLIENT_STATE_ACTIVE);
  {
    JsonArray *ctx = fcm_context_build_open ("rpt-91d4e7", "pat-77a0c3d2", "st-5c11e9a0", "ACC-2026-11902", "MRN-301977");
    FcmReportDetails details = { "Omar Haddad", "male", "1971-09-02",
                                 "MR Brain with and without contrast", "MR", "2026-11-21T10:05:00+01:00" };

    g_assert_true (fcm_context_add_details (ctx, &details, NULL));
    publish (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
  }
  FCM_TEST_WAIT_UNTIL (fcm_monitor_get_sync_lost (fcm_connection_get_monitor (connection)));
  fcm_window_get_parts (window, &parts);
  FCM_TEST_WAIT_UNTIL (gtk_revealer_get_child_revealed (parts.alert_revealer));
  settle (400);
  save_png (GTK_WIDGET (window), "sync-lost.png");

  /* 5: Test a Hub… on the built-in hub, every scenario done, one chosen */
  {
    FcmProbeWindow *probe_window = fcm_probe_window_new_for_hub (GTK_WINDOW (window), connection);
    FcmProbe *probe = _fcm_probe_window_get_probe (probe_window);
    guint position = 0;

    /* the scenarios that wait for the hub's ack timeout, sooner */
    fcm_hub_set_ack_timeout (fcm_connection_get_hub (connection), 1.0);
    fcm_hub_probe_set_ack_wait (FCM_HUB_PROBE (probe), 5.0);
    gtk_window_set_default_size (GTK_WINDOW (probe_window), 1100, 720);
    gtk_window_present (GTK_WINDOW (probe_window));
    fcm_probe_window_run (probe_window);
    while (fcm_probe_get_running (probe) || probe_window->ended == 0)
      g_main_context_iteration (NULL, TRUE);
    _fcm_probe_window_find_item (probe_window, "ack-refused", &position);
    _fcm_probe_window_select (probe_window, position);
    settle (400);
    save_png (GTK_WIDGET (probe_window), "test-a-hub.png");
    gtk_window_destroy (GTK_WINDOW (probe_window));
  }

  /* 6: sync lost (4) in the dark style */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  settle (400);
  save_png (GTK_WIDGET (window), "sync-lost-dark.png");

  exit_status = 0;
  g_application_quit (G_APPLICATION (app));
}

static void
activate_cb (GApplication *app)
{
  g_signal_stop_emission_by_name (app, "activate");
  run (FCM_APPLICATION (app));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FcmApplication) app = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: %s OUTPUT-DIR\n", argv[0]);
      return 64;
    }
  output_dir = argv[1];
  if (g_mkdir_with_parents (output_dir, 0755) != 0)
    {
      g_printerr ("cannot create %s\n", output_dir);
      return 1;
    }

  setlocale (LC_ALL, "C.UTF-8");
  gtk_disable_setlocale ();
  if (!gtk_init_check ())
    {
      g_printerr ("no display: run under xvfb-run\n");
      return 77;
    }
  adw_init ();

  app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  g_application_run (G_APPLICATION (app), 0, NULL);
  return exit_status;
}
