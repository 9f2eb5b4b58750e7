/* test-timeline-columns.c: the event timeline's columns and Validation badges
 *
 * The header's titles over the rows' cells, and the Validation cells'
 * classes as rows are shown again. Over a real hub, client and monitor
 * (fcm-test-timeline-util.c).
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-test-timeline-util.h"
#include "fcm-view-pace.h"
#include "fcm-timeline.h"
#include "fcm-timeline-private.h"

/* a logged event with an error (no hub.topic) or without */
static void
append_checked (Fixture      *f,
                FcmValidator *validator,
                guint         i,
                gboolean      flawed)
{
  g_autofree char *id = g_strdup_printf ("badge-%u", i);
  const char *refs[] = { "Observation/obs-1", NULL };
  g_autoptr(JsonArray) context = fcm_context_build_select ("rpt-1", refs);
  g_autoptr(FcmEvent) built = fcm_event_new (id, NULL, f->topic, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT,
                                             context, NULL, NULL);
  g_autoptr(GString) text = g_string_new (fcm_event_to_json (built, FALSE));
  g_autoptr(FcmEvent) ev = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(FcmEventLogEntry) entry = NULL;
  FcmMessageKind kind;

  if (flawed)
    g_assert_cmpuint (g_string_replace (text, "\"hub.topic\"", "\"hub.topiq\"", 1), ==, 1);
  ev = fcm_event_new_from_json (text->str, -1, NULL);
  issues = fcm_validator_validate_text (validator, text->str, -1, &kind);
  entry = fcm_event_log_entry_new (text->str, kind, ev, issues);
  fcm_event_log_append (fcm_monitor_get_event_log (f->monitor), entry);
}

/* every Validation pill on screen has the badge's class of the row it shows, and no other */
static void
assert_badge_classes (Fixture *f)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint flawed = 0;

  collect_rows (list_view_of (f), rows);
  g_assert_cmpuint (rows->len, >, 5);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *badge = _fcm_timeline_row_get_badge (g_ptr_array_index (rows, i));
      g_autofree char *text = NULL;
      g_auto(GStrv) classes = gtk_widget_get_css_classes (badge);
      const char *css = NULL;

      text = _fcm_entry_badge (_fcm_timeline_row_get_entry (g_ptr_array_index (rows, i)), &css);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (badge)), ==, text);
      g_assert_cmpuint (g_strv_length (classes), ==, 2);
      g_assert_true (g_strv_contains ((const char * const *) classes, "fcm-badge"));
      g_assert_true (g_strv_contains ((const char * const *) classes, css));
      flawed += g_strcmp0 (css, "success") != 0;
    }
  g_assert_cmpuint (flawed, >, 0);
}

/* Issue 15.1: a Validation cell's classes are set again only when its
 * badge's class changes; cells shown other rows keep the right one */
static void
test_timeline_badge_classes (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();

  for (guint i = 0; i < 60; i++)
    append_checked (f, validator, i, i % 3 == 0);
  FCM_TEST_WAIT_UNTIL (n_rows (f) == n_log (f) && n_rows (f) >= 60);
  wait_frames (f, 2);
  assert_badge_classes (f);
  /* the same cells show other rows now, with errors elsewhere */
  for (guint i = 60; i < 200; i++)
    append_checked (f, validator, i, i % 4 == 1);
  FCM_TEST_WAIT_UNTIL (n_rows (f) == n_log (f) && n_rows (f) >= 200);
  wait_frames (f, 2);
  assert_badge_classes (f);
}

/* ------------------------------------------------------------------ columns */

/* every title of the header starts where its column's cells do */
static void
assert_titles_over_cells (Fixture        *f,
                          FcmTimelineRow *row)
{
  GtkWidget *title = gtk_widget_get_first_child (_fcm_timeline_get_header (f->timeline));

  for (FcmTimelineColumn c = 0; c < FCM_TIMELINE_N_COLUMNS; c++, title = gtk_widget_get_next_sibling (title))
    {
      graphene_rect_t cell, shown;

      g_assert_true (GTK_IS_LABEL (title));
      cell_bounds (row, c, GTK_WIDGET (f->window), &cell);
      g_assert_true (gtk_widget_compute_bounds (title, GTK_WIDGET (f->window), &shown));
      if (fabs (shown.origin.x - (cell.origin.x + FCM_TIMELINE_CELL_XPAD)) > 1)
        g_error ("column %d: title at x %.1f, cells at %.1f", c, shown.origin.x, cell.origin.x);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, _fcm_timeline_column_title (c));
    }
}

/* Issue 15.1: the rows draw their cells; the header's titles stand over
 * them, when a column is resized and when the rows scroll sideways; the
 * Ack cell and a text cut short explain themselves in a tooltip */
static void
test_timeline_columns (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonArray) open = fcm_context_build_open ("rpt-1", "pat-1", "st-1", "ACC-1", "MRN-1");
  GtkWidget *list = list_view_of (f);
  GtkWidget *scroller = gtk_widget_get_parent (list);
  GtkAdjustment *hadj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  int event_width = _fcm_timeline_get_column_width (f->timeline, FCM_TIMELINE_COLUMN_EVENT);
  g_autofree char *open_id = NULL;
  g_autofree char *tip = NULL;
  FcmTimelineRow *row;
  graphene_rect_t id_before, id_after, cell;

  subscribe (f->ours);
  subscribe (f->other);
  open_id = publish (f, f->other, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open);
  FCM_TEST_WAIT_UNTIL (n_rows (f) == 3);
  FCM_TEST_WAIT_UNTIL (fcm_event_log_entry_get_ack_status (fcm_event_log_find_event (
                         fcm_monitor_get_event_log (f->monitor), open_id)) == 200);
  wait_frames (f, 2);
  row = find_row (list, FCM_TIMELINE_COLUMN_EVENT, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, NULL);
  g_assert_nonnull (row);
  g_assert_cmpstr (_fcm_timeline_row_get_text (row, FCM_TIMELINE_COLUMN_ID), ==, open_id);
  g_assert_cmpstr (_fcm_timeline_row_get_text (row, FCM_TIMELINE_COLUMN_FROM), ==, "Other app");
  g_assert_cmpstr (_fcm_timeline_row_get_text (row, FCM_TIMELINE_COLUMN_ACK), ==, "200");
  assert_titles_over_cells (f, row);

  /* the Ack cell's tooltip says what the ack means; a whole text none */
  cell_bounds (row, FCM_TIMELINE_COLUMN_ACK, GTK_WIDGET (row), &cell);
  tip = _fcm_timeline_row_get_tooltip (row, cell.origin.x + cell.size.width / 2);
  g_assert_cmpstr (tip, ==, "This app acknowledged it with 200");
  g_clear_pointer (&tip, g_free);
  cell_bounds (row, FCM_TIMELINE_COLUMN_EVENT, GTK_WIDGET (row), &cell);
  g_assert_null (_fcm_timeline_row_get_tooltip (row, cell.origin.x + cell.size.width / 2));

  /* a wider Event column: the cells after it move, under their titles */
  cell_bounds (row, FCM_TIMELINE_COLUMN_ID, GTK_WIDGET (f->window), &id_before);
  _fcm_timeline_set_column_width (f->timeline, FCM_TIMELINE_COLUMN_EVENT, event_width + 40);
  wait_frames (f, 2);
  cell_bounds (row, FCM_TIMELINE_COLUMN_ID, GTK_WIDGET (f->window), &id_after);
  g_assert_cmpfloat (fabs (id_after.origin.x - id_before.origin.x - 40), <, 0.5);
  assert_titles_over_cells (f, row);
  /* dragging the line at the end of the Time title: its column; at the
   * ID column's end: the From column gives or takes; in a title: nothing */
  {
    FcmTimelineHeader *header = FCM_TIMELINE_HEADER (_fcm_timeline_get_header (f->timeline));
    int time_width = _fcm_timeline_get_column_width (f->timeline, FCM_TIMELINE_COLUMN_TIME);
    int from_width = _fcm_timeline_get_column_width (f->timeline, FCM_TIMELINE_COLUMN_FROM);

    cell_bounds (row, FCM_TIMELINE_COLUMN_TIME, GTK_WIDGET (header), &cell);
    g_assert_true (_fcm_timeline_header_drag (header, cell.origin.x + cell.size.width + 2, 30));
    g_assert_cmpint (_fcm_timeline_get_column_width (f->timeline, FCM_TIMELINE_COLUMN_TIME), ==, time_width + 30);
    cell_bounds (row, FCM_TIMELINE_COLUMN_ID, GTK_WIDGET (header), &cell);
    g_assert_true (_fcm_timeline_header_drag (header, cell.origin.x + cell.size.width - 1, -10));
    g_assert_cmpint (_fcm_timeline_get_column_width (f->timeline, FCM_TIMELINE_COLUMN_FROM), ==, from_width + 10);
    g_assert_false (_fcm_timeline_header_drag (header, cell.origin.x + cell.size.width / 2, 50));
    wait_frames (f, 1);
    assert_titles_over_cells (f, row);
  }
  /* a column is never narrower than a few characters; the ID column
   * takes what the others leave and is not set */
  _fcm_timeline_set_column_width (f->timeline, FCM_TIMELINE_COLUMN_FROM, 1);
  g_assert_cmpint (_fcm_timeline_get_column_width (f->timeline, FCM_TIMELINE_COLUMN_FROM), >=, 20);
  _fcm_timeline_set_column_width (f->timeline, FCM_TIMELINE_COLUMN_ID, 300);
  g_assert_cmpint (_fcm_timeline_get_column_width (f->timeline, FCM_TIMELINE_COLUMN_ID), <, 0);

  /* wider than the window: the rows scroll sideways, the titles with them */
  _fcm_timeline_set_column_width (f->timeline, FCM_TIMELINE_COLUMN_EVENT, 1000);
  wait_frames (f, 2);
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadj), >, gtk_adjustment_get_page_size (hadj) + 100);
  gtk_adjustment_set_value (hadj, 100);
  wait_frames (f, 2);
  assert_titles_over_cells (f, row);
  /* the ID column at its narrowest: the id is cut short, and whole in the tooltip */
  cell_bounds (row, FCM_TIMELINE_COLUMN_ID, GTK_WIDGET (row), &cell);
  g_assert_cmpfloat (cell.size.width, <, 100);
  tip = _fcm_timeline_row_get_tooltip (row, cell.origin.x + cell.size.width / 2);
  g_assert_cmpstr (tip, ==, open_id);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fcm_gtk_test_set_fatal_handler ();
  if (!gtk_init_check ())
    {
      g_printerr ("No display; skipping\n");
      return 77;
    }
  adw_init ();

  g_test_add ("/timeline/badge-classes", Fixture, NULL, fixture_setup, test_timeline_badge_classes, fixture_teardown);
  g_test_add ("/timeline/columns", Fixture, NULL, fixture_setup, test_timeline_columns, fixture_teardown);

  return g_test_run ();
}
