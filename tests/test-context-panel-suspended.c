/* test-context-panel-suspended.c: FcmContextPanel's suspended reports and its cost per event
 *
 * Re-opens of the current report that change nothing, suspended reports and
 * their rows reused under load. Over a real hub with another app that opens
 * and closes reports (fcm-test-context-panel-util.c).
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "fcm-compact-row.h"
#include "fcm-context-panel-private.h"
#include "fcm-line-text.h"
#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-open-report-dialog.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-test-context-panel-util.h"

static void
publish_close (Fixture    *f,
               const char *report)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_close (report, "pat-1", "st-1");

  publish (f, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, ctx);
}

typedef struct
{
  guint n_sent;
  guint n_done;
  guint n_failed;
} Burst;

static void
burst_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Burst *burst = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *id = NULL;
  guint status;

  status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, &reason, &id, &error);
  if (status != 200)
    burst->n_failed++;
  burst->n_done++;
}

/* Sends @n copies of an event built by @build, at most 32 in flight. */
static void
publish_burst (Fixture    *f,
               const char *name,
               JsonArray  *context,
               guint       n)
{
  Burst burst = { 0 };

  while (burst.n_done < n)
    {
      while (burst.n_sent < n && burst.n_sent - burst.n_done < 32)
        {
          g_autofree char *id = g_uuid_string_random ();
          g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, TOPIC, name, context, NULL, NULL);

          fcm_hub_client_publish_async (f->other, event, NULL, burst_done_cb, &burst);
          burst.n_sent++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (burst.n_failed, ==, 0);
}

static gboolean
tooltips_unset (Fixture *f)
{
  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    {
      GtkWidget *label = _fcm_context_panel_get_field_label (f->panel, i);

      if (label != NULL && gtk_widget_get_tooltip_text (label) != NULL)
        return FALSE;
    }
  return TRUE;
}

/* Issue 15: the panel must not cost per event. 1,000 re-opens of the current
 * report (C-37) change nothing but its versionId (C-32): the changes are
 * applied at most once per frame, only the version label is touched, and no
 * tooltip is set (GTK 4.8 asks the X server for the pointer on each). */
static void
test_panel_unchanged_is_free (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_open ("rpt-1", "pat-1", "st-1", "ACC-1", "MRN-1");
  const guint n_events = 1000;
  g_autofree char *version = NULL;
  guint updates, applies;

  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish (f, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-1") == 0);
  FCM_TEST_WAIT_UNTIL (!_fcm_context_panel_get_pending (f->panel));
  version = g_strdup (field (f, FCM_CONTEXT_FIELD_VERSION_ID));
  updates = _fcm_context_panel_get_n_label_updates (f->panel);
  applies = _fcm_context_panel_get_n_applies (f->panel);

  publish_burst (f, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx, n_events);
  /* the last one's echo carries the hub's newest version */
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (fcm_context_store_get_version_id (fcm_monitor_get_context_store (f->monitor)),
                                  version) != 0 && !_fcm_context_panel_get_pending (f->panel));
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_VERSION_ID),
                                  fcm_context_store_get_version_id (fcm_monitor_get_context_store (f->monitor))) == 0);

  applies = _fcm_context_panel_get_n_applies (f->panel) - applies;
  updates = _fcm_context_panel_get_n_label_updates (f->panel) - updates;
  g_test_message ("%u events: %u applies, %u label updates", n_events, applies, updates);
  g_assert_cmpuint (applies, >=, 1);
  g_assert_cmpuint (applies, <, n_events);
  /* only the version label, once per apply at most */
  g_assert_cmpuint (updates, <=, applies);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_REPORT_ID), ==, "rpt-1");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MRN), ==, "MRN-1");
  g_assert_true (tooltips_unset (f));
}

/* A second open suspends the first (C-37); closing all leaves the empty state (C-35) */
static void
test_panel_suspended (Fixture       *f,
                      gconstpointer  data)
{
  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish_open (f, "rpt-1", "ACC-1", "MRN-1");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-1") == 0);

  publish_open (f, "rpt-2", "ACC-2", "MRN-2");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-2") == 0);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_ACCESSION), ==, "ACC-2");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MRN), ==, "MRN-2");
  g_assert_true (_fcm_context_panel_get_suspended_visible (f->panel));
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 1);
  /* listed with their patient (here only the MRN is known) and the report */
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-1");
  g_assert_nonnull (strstr (_fcm_context_panel_get_suspended_subtitle (f->panel, 0), "Report rpt-1"));
  g_assert_nonnull (strstr (_fcm_context_panel_get_suspended_subtitle (f->panel, 0), "Accession ACC-1"));
  g_assert_cmpstr (_fcm_context_panel_get_suspended_count (f->panel), ==, "1 Suspended");
  /* one line each in the row (issue 15.1), whole in its tooltip */
  {
    GtkWidget *row = _fcm_context_panel_get_suspended_row (f->panel, 0);
    g_autofree char *tip = _fcm_context_panel_suspended_row_tooltip (row);
    g_autofree char *whole = g_strdup_printf ("MRN MRN-1\n%s", _fcm_context_panel_get_suspended_subtitle (f->panel, 0));

    g_assert_true (FCM_IS_COMPACT_ROW (row));
    g_assert_true (gtk_widget_get_has_tooltip (row));
    g_assert_cmpstr (tip, ==, whole);
  }

  /* re-opening the suspended one resumes it and suspends the other */
  publish_open (f, "rpt-1", "ACC-1", "MRN-1");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-1") == 0);
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 1);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-2");

  /* C-35: closing the current one leaves no current report, the suspended one stays */
  publish_close (f, "rpt-1");
  FCM_TEST_WAIT_UNTIL (field (f, FCM_CONTEXT_FIELD_REPORT_ID) == NULL);
  g_assert_cmpstr (_fcm_context_panel_get_page (f->panel), ==, "report");
  g_assert_false (_fcm_context_panel_get_field_visible (f->panel, FCM_CONTEXT_FIELD_REPORT_ID));
  g_assert_false (_fcm_context_panel_get_headline_visible (f->panel));
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 1);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-2");

  publish_close (f, "rpt-2");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_page (f->panel), "empty") == 0);
  g_assert_false (_fcm_context_panel_get_suspended_visible (f->panel));
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 0);
}

static const char *
row_target (FcmContextPanel *panel,
            guint            position,
            const char      *button)
{
  GtkWidget *row = _fcm_context_panel_get_suspended_row (panel, position);
  GVariant *target = gtk_actionable_get_action_target_value (g_object_get_data (G_OBJECT (row), button));

  return g_variant_get_string (target, NULL);
}

/* the suspended row showing @anchor_id's report, or NULL */
static GtkWidget *
row_for (FcmContextPanel *panel,
         const char      *anchor_id)
{
  for (guint i = 0; i < _fcm_context_panel_get_n_suspended (panel); i++)
    if (g_strcmp0 (row_target (panel, i, "resume"), anchor_id) == 0)
      return _fcm_context_panel_get_suspended_row (panel, i);
  return NULL;
}

/* Issue 15: under load the suspended reports change with every event, and
 * an AdwActionRow with its buttons cost milliseconds to make and measure.
 * A report that stays suspended keeps its row (its texts unchanged: its
 * wrapping labels are not measured again), the rows follow the store's
 * order, a row no longer needed waits for the list to grow, and the chosen
 * report keeps its selection. */
static void
test_panel_suspended_rows_reused (Fixture       *f,
                                  gconstpointer  data)
{
  GtkWidget *rows[2];
  GtkWidget *row_2, *row_4;
  g_autoptr(FcmContextItem) chosen = NULL;
  GtkListBoxRow *selected;

  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish_open (f, "rpt-1", "ACC-1", "MRN-1");
  publish_open (f, "rpt-2", "ACC-2", "MRN-2");
  publish_open (f, "rpt-3", "ACC-3", "MRN-3");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-3") == 0 &&
                       _fcm_context_panel_get_n_suspended (f->panel) == 2);
  for (guint i = 0; i < 2; i++)
    rows[i] = _fcm_context_panel_get_suspended_row (f->panel, i);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-1");
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 1), ==, "MRN MRN-2");

  /* choose rpt-2, then close rpt-1: rpt-2 is first now, in its own row */
  chosen = g_list_model_get_item (G_LIST_MODEL (fcm_monitor_get_context_store (f->monitor)), 1);
  g_assert_cmpstr (fcm_context_item_get_anchor_id (chosen), ==, "rpt-2");
  fcm_context_panel_set_chosen (f->panel, chosen);
  publish_close (f, "rpt-1");
  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_n_suspended (f->panel) == 1 && !_fcm_context_panel_get_pending (f->panel));
  g_assert_true (_fcm_context_panel_get_suspended_row (f->panel, 0) == rows[1]);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-2");
  g_assert_cmpstr (row_target (f->panel, 0, "resume"), ==, "rpt-2");
  g_assert_cmpstr (row_target (f->panel, 0, "close"), ==, "rpt-2");
  g_assert_true (fcm_context_panel_get_chosen (f->panel) == chosen);
  selected = gtk_list_box_get_selected_row (GTK_LIST_BOX (gtk_widget_get_parent (rows[1])));
  g_assert_true (GTK_WIDGET (selected) == rows[1]);

  /* two more suspended: rpt-2 keeps its row, rpt-1's (kept aside) shows one
   * of the new ones, a third is made */
  publish_open (f, "rpt-4", "ACC-4", "MRN-4");
  publish_open (f, "rpt-5", "ACC-5", "MRN-5");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-5") == 0 &&
                       _fcm_context_panel_get_n_suspended (f->panel) == 3 && !_fcm_context_panel_get_pending (f->panel));
  g_assert_true (_fcm_context_panel_get_suspended_row (f->panel, 0) == rows[1]);
  g_assert_true (row_for (f->panel, "rpt-3") == rows[0] || row_for (f->panel, "rpt-4") == rows[0]);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 1), ==, "MRN MRN-3");
  g_assert_cmpstr (row_target (f->panel, 1, "resume"), ==, "rpt-3");
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 2), ==, "MRN MRN-4");
  g_assert_cmpstr (row_target (f->panel, 2, "close"), ==, "rpt-4");

  /* rpt-3 resumed: the order changes, rows stay with their reports */
  row_2 = row_for (f->panel, "rpt-2");
  row_4 = row_for (f->panel, "rpt-4");
  publish_open (f, "rpt-3", "ACC-3", "MRN-3");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-3") == 0 &&
                       row_for (f->panel, "rpt-5") != NULL && !_fcm_context_panel_get_pending (f->panel));
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 3);
  g_assert_true (row_for (f->panel, "rpt-2") == row_2);
  g_assert_true (row_for (f->panel, "rpt-4") == row_4);
  g_assert_null (row_for (f->panel, "rpt-3"));
  /* in the store's order */
  {
    GListModel *store = G_LIST_MODEL (fcm_monitor_get_context_store (f->monitor));
    guint shown = 0;

    for (guint i = 0; i < g_list_model_get_n_items (store); i++)
      {
        g_autoptr(FcmContextItem) item = g_list_model_get_item (store, i);

        if (!fcm_context_item_get_current (item))
          g_assert_cmpstr (row_target (f->panel, shown++, "resume"), ==, fcm_context_item_get_anchor_id (item));
      }
    g_assert_cmpuint (shown, ==, 3);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (!fcm_gtk_test_init (&argc, &argv, "test-context-panel-suspended"))
    return 77;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fcm/context-panel/unchanged-is-free", test_panel_unchanged_is_free);
  ADD ("/fcm/context-panel/suspended", test_panel_suspended);
  ADD ("/fcm/context-panel/suspended-rows-reused", test_panel_suspended_rows_reused);
#undef ADD

  return g_test_run ();
}
