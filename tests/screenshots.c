/* screenshots.c: `make screenshots` — PNGs of the app's main states for the
 * metainfo and the README, rendered by GTK itself from the real window on
 * the real built-in hub.
 *
 * Usage: fcm-screenshots OUTPUT-DIR   (needs a display; run under xvfb-run)
 *
 * A PNG is written only when it differs from the one in OUTPUT-DIR outside
 * the few texts that change from run to run (clock times, latencies, the
 * hub's own ids): `make screenshots` leaves the tree clean when nothing
 * changed visually.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

#include "fcm-application.h"
#include "fcm-connection.h"
#include "fcm-connection-private.h"
#include "fcm-open-report-dialog.h"
#include "fcm-probe-window-private.h"
#include "fcm-window.h"
#include "fcm-window-private.h"
#include "fcm-test-util.h"
#include "fcm-timeline-private.h"

#define SCREENSHOT_PORT  47611
#define SCREENSHOT_TOPIC "5f0c2e9a-7d41-4b8e-9a36-c1d2e3f4a5b6"

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

/* --------------------------------------------------- what may differ, run to run
 *
 * `make screenshots` rewrites a PNG only when it changed visually, so that
 * the working tree stays clean otherwise. Everything the scenario chooses
 * is fixed (the hub's port and topic, ids and demo data from a seeded
 * GRand), but a few texts cannot be: clock times, latencies, durations,
 * and what the hub and the probe make from their CSPRNG (versionIds, the
 * ids of syncerrors, endpoints, the probe's topics and event ids).
 * The widgets showing those are masked out of the comparison. */

static FcmConnection *the_connection;
static GRegex *volatile_regex;   /* a time, a latency */

/* versionIds, timestamps and the hub's own event ids, from the log */
static GPtrArray *
volatile_tokens (void)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  GListModel *log = G_LIST_MODEL (fcm_monitor_get_event_log (fcm_connection_get_monitor (the_connection)));
  g_autoptr(GRegex) fields = g_regex_new ("\"(context\\.versionId|context\\.priorVersionId|versionId|priorVersionId|timestamp)\"\\s*:\\s*\"([^\"]+)\"",
                                          0, 0, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (log, i);
      g_autofree char *text = fcm_event_log_entry_dup_text (entry);
      g_autoptr(GMatchInfo) match = NULL;

      /* the hub's syncerrors and derived events have ids from its CSPRNG */
      if (fcm_event_log_entry_get_event_id (entry) != NULL && !fcm_event_log_entry_get_own_echo (entry))
        g_ptr_array_add (tokens, g_strdup (fcm_event_log_entry_get_event_id (entry)));
      for (g_regex_match (fields, text, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
        g_ptr_array_add (tokens, g_match_info_fetch (match, 2));
    }
  return tokens;
}

static gboolean
is_volatile (const char *text,
             GPtrArray  *tokens)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  if (g_regex_match (volatile_regex, text, 0, NULL))
    return TRUE;
  for (guint i = 0; i < tokens->len; i++)
    if (strstr (text, g_ptr_array_index (tokens, i)) != NULL)
      return TRUE;
  return FALSE;
}

static void
add_widget_rect (GArray    *rects,
                 GtkWidget *widget,
                 GtkWidget *root)
{
  graphene_rect_t bounds;

  if (gtk_widget_get_mapped (widget) && gtk_widget_compute_bounds (widget, root, &bounds))
    g_array_append_val (rects, bounds);
}

/* the lines of a text view (the details' JSON) with a volatile text */
static void
add_text_view_rects (GArray      *rects,
                     GtkTextView *view,
                     GtkWidget   *root,
                     GPtrArray   *tokens)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter line, end;

  for (gtk_text_buffer_get_start_iter (buffer, &line); !gtk_text_iter_is_end (&line); )
    {
      g_autofree char *text = NULL;
      int y, height, wx, wy;
      graphene_point_t p;

      end = line;
      if (!gtk_text_iter_ends_line (&end))
        gtk_text_iter_forward_to_line_end (&end);
      text = gtk_text_iter_get_text (&line, &end);
      if (is_volatile (text, tokens))
        {
          gtk_text_view_get_line_yrange (view, &line, &y, &height);
          gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET, 0, y, &wx, &wy);
          if (gtk_widget_compute_point (GTK_WIDGET (view), root, &GRAPHENE_POINT_INIT (0, wy), &p))
            {
              graphene_rect_t r = GRAPHENE_RECT_INIT (p.x, p.y, gtk_widget_get_width (GTK_WIDGET (view)), height);

              g_array_append_val (rects, r);
            }
        }
      if (!gtk_text_iter_forward_line (&line))
        break;
    }
}

static void
collect_volatile (GtkWidget *widget,
                  GtkWidget *root,
                  GPtrArray *tokens,
                  GArray    *rects)
{
  const char *text = NULL;

  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_INSCRIPTION (widget))
    text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  else if (GTK_IS_TEXT_VIEW (widget))
    add_text_view_rects (rects, GTK_TEXT_VIEW (widget), root, tokens);
  else if (FCM_IS_TIMELINE_ROW (widget))
    /* a timeline row draws its cells' texts: a cell at a time */
    for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
      {
        graphene_rect_t cell;
        graphene_point_t p;

        if (is_volatile (_fcm_timeline_row_get_text (FCM_TIMELINE_ROW (widget), i), tokens) &&
            _fcm_timeline_row_get_cell_bounds (FCM_TIMELINE_ROW (widget), i, &cell) &&
            gtk_widget_compute_point (widget, root, &cell.origin, &p))
          {
            graphene_rect_t r = GRAPHENE_RECT_INIT (p.x, p.y, cell.size.width, cell.size.height);

            g_array_append_val (rects, r);
          }
      }
  if (is_volatile (text, tokens))
    add_widget_rect (rects, widget, root);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_volatile (child, root, tokens, rects);
}

static gboolean
masked (GArray *rects,
        int     x,
        int     y)
{
  for (guint i = 0; i < rects->len; i++)
    {
      graphene_rect_t *r = &g_array_index (rects, graphene_rect_t, i);

      /* a margin: antialiasing, glyphs that overhang their box */
      if (x >= r->origin.x - 3 && x <= r->origin.x + r->size.width + 3 &&
          y >= r->origin.y - 3 && y <= r->origin.y + r->size.height + 3)
        return TRUE;
    }
  return FALSE;
}

/* the same size, and the same pixels outside the masked rectangles */
static gboolean
same_picture (GdkTexture *fresh,
              const char *path,
              GArray     *rects)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkTexture) old = gdk_texture_new_from_file (file, NULL);
  int width = gdk_texture_get_width (fresh), height = gdk_texture_get_height (fresh);
  g_autofree guchar *a = NULL;
  g_autofree guchar *b = NULL;
  gsize stride = (gsize) width * 4;

  if (old == NULL || gdk_texture_get_width (old) != width || gdk_texture_get_height (old) != height)
    return FALSE;
  a = g_malloc (stride * height);
  b = g_malloc (stride * height);
  gdk_texture_download (fresh, a, stride);
  gdk_texture_download (old, b, stride);
  for (int y = 0; y < height; y++)
    if (memcmp (a + y * stride, b + y * stride, stride) != 0)
      for (int x = 0; x < width; x++)
        if (memcmp (a + y * stride + x * 4, b + y * stride + x * 4, 4) != 0 && !masked (rects, x, y))
          {
            if (g_getenv ("FCM_SHOT_DEBUG"))
              g_printerr ("  first difference at %d,%d\n", x, y);
            return FALSE;
          }
  return TRUE;
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (output_dir, name, NULL);
  g_autoptr(GPtrArray) tokens = volatile_tokens ();
  g_autoptr(GArray) rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  GskRenderer *renderer;
  int width = 0, height = 0;

  if (FCM_IS_WINDOW (widget))
    {
      FcmWindowParts parts;

      fcm_window_get_parts (FCM_WINDOW (widget), &parts);
      _fcm_timeline_reset_divider (FCM_TIMELINE (parts.timeline));
      settle (100);
    }
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
  collect_volatile (widget, widget, tokens, rects);
  /* FCM_SHOT_DEBUG=1: what is masked, where a picture differs */
  if (g_getenv ("FCM_SHOT_DEBUG"))
    for (guint i = 0; i < rects->len; i++)
      {
        graphene_rect_t *r = &g_array_index (rects, graphene_rect_t, i);

        g_printerr ("  mask %s %.0f,%.0f %.0fx%.0f\n", name, r->origin.x, r->origin.y, r->size.width, r->size.height);
      }
  if (same_picture (texture, path, rects))
    {
      g_print ("%s: unchanged (%u volatile areas ignored)\n", path, rects->len);
      return;
    }
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

/* The process's GRand also makes the WebSocket masks of every frame our
 * clients send, as many as the timing has it: each step starts from its
 * own seed, so that the ids and the demo values it draws are the same. */
static void
reseed (void)
{
  static guint32 step;

  g_random_set_seed (20261121 + step++);
}

static void
publish (FcmConnection *connection,
         const char    *name,
         JsonArray     *context)
{
  Answer a = { 0, };

  reseed ();
  fcm_connection_publish_async (connection, name, context, NULL, published_cb, &a);
  FCM_TEST_WAIT_UNTIL (a.done);
}

/* The dialog's Random Demo Study draws from its own GRand and uses today's
 * date: the same demo study every time instead (what the button could
 * have drawn) */
static void
fix_demo_study (GtkWidget *widget)
{
  static const struct { const char *title; const char *text; } fields[] = {
    { "Report ID", "3c7e1a52-9d04-4f6b-8b21-5e0a9c4d7f18" },
    { "Patient ID", "demo-6a1f0e93" },
    { "Name (optional)", "Noah Okafor" },
    { "Birth Date (optional, YYYY-MM-DD)", "1958-01-14" },
    { "MRN (optional)", "MRN-207533" },
    { "Description (optional)", "CT Abdomen and Pelvis with contrast" },
    { "Modality (optional, e.g. CT)", "CT" },
    { "Date (optional, YYYY-MM-DD)", "2026-11-21" },
    { "Study ID (ImagingStudy)", "demo-study-3f9a61c2" },
    { "Accession Number (optional)", "ACC20261121" },
  };

  if (ADW_IS_ENTRY_ROW (widget))
    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), fields[i].title) == 0)
        gtk_editable_set_text (GTK_EDITABLE (widget), fields[i].text);
  if (ADW_IS_COMBO_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), "Sex (optional)") == 0)
    adw_combo_row_set_selected (ADW_COMBO_ROW (widget), 2);   /* male */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    fix_demo_study (child);
}

static guint
count_content_entries (FcmConnection *connection)
{
  FcmContextStore *store = fcm_monitor_get_context_store (fcm_connection_get_monitor (connection));
  FcmContextItem *current = fcm_context_store_get_current (store);
  g_autoptr(JsonNode) bundle = current ? fcm_context_item_dup_content_bundle (current) : NULL;
  JsonObject *object = bundle && JSON_NODE_HOLDS_OBJECT (bundle) ? json_node_get_object (bundle) : NULL;
  JsonNode *entries = object ? json_object_get_member (object, "entry") : NULL;

  return entries && JSON_NODE_HOLDS_ARRAY (entries) ? json_array_get_length (json_node_get_array (entries)) : 0;
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
  g_autoptr(FcmConnection) connection = NULL;
  g_autoptr(FcmHubClient) viewer = NULL;
  g_autoptr(FcmHubClient) refuser = NULL;
  FcmWindow *window;
  FcmWindowParts parts;
  GtkWindow *dialog;

  /* the same pictures each time: a fixed port and topic (the sidebar shows
   * them), ids and demo data from a seeded GRand (g_uuid_string_random too) */
  reseed ();
  connection = _fcm_connection_new_embedded_full (SCREENSHOT_PORT, SCREENSHOT_TOPIC, FALSE, &error);
  if (connection == NULL)
    {
      g_printerr ("port %u: %s; a free one instead (the pictures will differ)\n", SCREENSHOT_PORT, error->message);
      g_clear_error (&error);
      connection = _fcm_connection_new_embedded_full (0, SCREENSHOT_TOPIC, FALSE, &error);
    }
  g_assert_no_error (error);
  the_connection = connection;
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
  /* the hub answers a publish before its event comes back over the
   * WebSocket; an update names the version it follows (context.versionId),
   * and the select needs the content: wait for each update's event */
  reseed ();
  publish (connection, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, fcm_connection_build_demo_update (connection, NULL));
  FCM_TEST_WAIT_UNTIL (count_content_entries (connection) == 1);
  reseed ();
  publish (connection, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, fcm_connection_build_demo_update (connection, NULL));
  FCM_TEST_WAIT_UNTIL (count_content_entries (connection) == 2);
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
  fix_demo_study (GTK_WIDGET (dialog));
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
  /* the syncerror selected: what the hub said, as the details show it */
  {
    GListModel *rows = _fcm_timeline_get_model (FCM_TIMELINE (parts.timeline));

    FCM_TEST_WAIT_UNTIL (g_list_model_get_n_items (rows) ==
                         g_list_model_get_n_items (G_LIST_MODEL (fcm_monitor_get_event_log (fcm_connection_get_monitor (connection)))));
    _fcm_timeline_select (FCM_TIMELINE (parts.timeline), g_list_model_get_n_items (rows) - 1);
  }
  /* the toast says what the alert says, over the JSON, and is gone or not
   * by the time of the picture: without it, the same every time */
  {
    AdwToast *toast = _fcm_window_get_toast (window, connection);

    if (toast != NULL)
      adw_toast_dismiss (toast);
  }
  settle (600);
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
  /* clock times and latencies; the subscribers panel's latencies and
   * shortened endpoint ids; the probe's durations, its random topics,
   * event ids and endpoints */
  volatile_regex = g_regex_new ("[0-9]{2}:[0-9]{2}:[0-9]{2}|^[0-9]+ ms$|[0-9.]+ ms ·|endpoint [0-9a-f]"
                                "|in [0-9]+ s$|^[0-9.]+ s$|fhircast-probe-|/ws/[0-9a-f]"
                                "|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}", 0, 0, NULL);

  app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  g_application_run (G_APPLICATION (app), 0, NULL);
  return exit_status;
}
