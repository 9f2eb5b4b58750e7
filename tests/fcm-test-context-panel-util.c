/* fcm-test-context-panel-util.c: a hub, a monitored client and another app, for the context panel and Open Report tests
 *
 * A real FcmHub on 127.0.0.1, the monitored FcmHubClient with its
 * FcmMonitor, a second client as the "other app" that opens and closes
 * reports, and a window with an FcmContextPanel. Shared by
 * test-context-panel.c, test-context-panel-suspended.c and
 * test-open-report-dialog.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-test-util.h"
#include "fcm-test-context-panel-util.h"

void
subscribe_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Wait *w = data;

  w->ok = fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

void
subscribe (FcmHubClient *client)
{
  Wait w = { 0 };

  fcm_hub_client_subscribe_async (client, NULL, subscribe_done_cb, &w);
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
}

void
publish_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Wait *w = data;
  g_autofree char *reason = NULL;
  g_autofree char *id = NULL;

  w->status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result,
                                             &reason, &id, &w->error);
  w->done = TRUE;
}

void
publish_from (FcmHubClient *client,
              const char   *name,
              JsonArray    *context)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, TOPIC, name, context, NULL, NULL);
  Wait w = { 0 };

  fcm_hub_client_publish_async (client, event, NULL, publish_done_cb, &w);
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.status, ==, 200);
}

/* as the other app */
void
publish (Fixture    *f,
         const char *name,
         JsonArray  *context)
{
  publish_from (f->other, name, context);
}

void
publish_open (Fixture    *f,
              const char *report,
              const char *accession,
              const char *mrn)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_open (report, "pat-1", "st-1", accession, mrn);

  publish (f, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
}

const char *
field (Fixture         *f,
       FcmContextField  which)
{
  return _fcm_context_panel_get_field_text (f->panel, which);
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = fcm_hub_new ();
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);

  f->client = fcm_hub_client_new (fcm_hub_get_url (f->hub), TOPIC);
  fcm_hub_client_set_subscriber_name (f->client, "Monitor");
  f->monitor = fcm_monitor_new (f->client);
  f->other = fcm_hub_client_new (fcm_hub_get_url (f->hub), TOPIC);
  fcm_hub_client_set_subscriber_name (f->other, "Reporting App");
  subscribe (f->client);
  subscribe (f->other);

  f->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref (f->window);
  gtk_window_set_default_size (f->window, 360, 700);
  f->panel = FCM_CONTEXT_PANEL (fcm_context_panel_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->panel));
  gtk_window_present (f->window);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->window);
  g_clear_object (&f->monitor);
  g_clear_object (&f->client);
  g_clear_object (&f->other);
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  /* let pending closes finish */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
