/* fcm-test-timeline-util.c: a timeline over a real hub, client and monitor, for the test-timeline* programs
 *
 * The fixture (an FcmHub on 127.0.0.1 port 0, the monitor's client and
 * another app's, a window with an FcmTimeline on the monitor's log),
 * subscribing and publishing, and lookups of the rows on screen. Shared by
 * test-timeline.c, test-timeline-follow.c and test-timeline-columns.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-test-timeline-util.h"

void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

void
subscribe (FcmHubClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fcm_hub_client_subscribe_async (client, NULL, done_cb, &result);
  FCM_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (fcm_hub_client_subscribe_finish (client, result, &error));
  g_assert_no_error (error);
}

char *
publish (Fixture      *f,
         FcmHubClient *client,
         const char   *name,
         JsonArray    *context)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, f->topic, name, context, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  guint status;

  fcm_hub_client_publish_async (client, event, NULL, done_cb, &result);
  FCM_TEST_WAIT_UNTIL (result != NULL);
  status = fcm_hub_client_publish_finish (client, result, &reason, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  return g_steal_pointer (&id);
}

guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (_fcm_timeline_get_model (f->timeline));
}

guint
n_log (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (fcm_monitor_get_event_log (f->monitor)));
}

void
wait_frames (Fixture *f,
             guint    n)
{
  fcm_test_wait_frames (GTK_WIDGET (f->timeline), n);
}

GtkWidget *
list_view_of (Fixture *f)
{
  return GTK_WIDGET (_fcm_timeline_get_list_view (f->timeline));
}

/* the rows of the list that are on screen, in the list's order of widgets */
void
collect_rows (GtkWidget *list,
              GPtrArray *out)
{
  for (GtkWidget *item = gtk_widget_get_first_child (list); item; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);

      if (row != NULL && FCM_IS_TIMELINE_ROW (row) && gtk_widget_get_mapped (row) &&
          gtk_widget_get_child_visible (item) && _fcm_timeline_row_get_entry (FCM_TIMELINE_ROW (row)) != NULL)
        g_ptr_array_add (out, row);
    }
}

/* a row on screen whose cell in @column (FCM_TIMELINE_N_COLUMNS: any)
 * says @text, with @css_class if not NULL */
FcmTimelineRow *
find_row (GtkWidget         *list,
          FcmTimelineColumn  column,
          const char        *text,
          const char        *css_class)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (list, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      FcmTimelineRow *row = g_ptr_array_index (rows, i);

      if (css_class != NULL && !gtk_widget_has_css_class (GTK_WIDGET (row), css_class))
        continue;
      for (guint c = 0; c < FCM_TIMELINE_N_COLUMNS; c++)
        if ((column == FCM_TIMELINE_N_COLUMNS || column == c) &&
            g_strcmp0 (_fcm_timeline_row_get_text (row, c), text) == 0)
          return row;
    }
  return NULL;
}

/* where a row's cell is, in @target's coordinates */
void
cell_bounds (FcmTimelineRow    *row,
             FcmTimelineColumn  column,
             GtkWidget         *target,
             graphene_rect_t   *bounds)
{
  graphene_point_t p;

  g_assert_true (_fcm_timeline_row_get_cell_bounds (row, column, bounds));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (row), target, &bounds->origin, &p));
  bounds->origin = p;
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = fcm_hub_new ();
  /* data "admin": the hub's /admin/ endpoints (loopback only) */
  fcm_hub_set_admin (f->hub, g_strcmp0 (data, "admin") == 0);
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->topic = g_uuid_string_random ();
  f->ours = fcm_hub_client_new (fcm_hub_get_url (f->hub), f->topic);
  fcm_hub_client_set_subscriber_name (f->ours, "FHIRcast Monitor");
  f->other = fcm_hub_client_new (fcm_hub_get_url (f->hub), f->topic);
  fcm_hub_client_set_subscriber_name (f->other, "Report Creator");
  f->monitor = fcm_monitor_new (f->ours);

  f->window = GTK_WINDOW (gtk_window_new ());
  /* data "small": a small window, the timeline much longer than its pane */
  if (g_strcmp0 (data, "small") == 0)
    gtk_window_set_default_size (f->window, 640, 360);
  else
    gtk_window_set_default_size (f->window, 700, 500);
  f->timeline = FCM_TIMELINE (fcm_timeline_new ());
  /* as in the window: what actions did is said in toasts */
  f->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (f->overlay, GTK_WIDGET (f->timeline));
  gtk_window_set_child (f->window, GTK_WIDGET (f->overlay));
  fcm_timeline_set_event_log (f->timeline, fcm_monitor_get_event_log (f->monitor));
  gtk_window_present (f->window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->monitor);
  g_clear_object (&f->ours);
  g_clear_object (&f->other);
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  g_free (f->topic);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
