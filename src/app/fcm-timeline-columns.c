/* fcm-timeline-columns.c: the timeline's columns and their cells
 *
 * The columns are not widgets: a row (fcm-timeline-row.c) draws its cells
 * where _fcm_timeline_column_geometry() puts them, and the header
 * (fcm-timeline-header.c) its titles. This file says what the columns
 * are, how wide, and what each cell of a log entry says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-timeline-private.h"
#include "fcm-time-private.h"

gboolean
_fcm_timeline_entry_is_syncerror (FcmEventLogEntry *entry)
{
  const char *name = fcm_event_log_entry_get_name (entry);

  return name != NULL && fcm_event_name_equal (name, FCM_EVENT_SYNCERROR);
}

/**
 * _fcm_entry_ack_explanation:
 *
 * Returns: (transfer full): what this app's ack of @entry means, for the Ack
 *   cell's tooltip: above all why an event of our own was refused although
 *   the hub accepted the request (testing mode)
 */
char *
_fcm_entry_ack_explanation (FcmEventLogEntry *entry)
{
  guint status = fcm_event_log_entry_get_ack_status (entry);

  if (status == 0)
    return fcm_event_log_entry_get_kind (entry) == FCM_MESSAGE_EVENT
           ? g_strdup (_("Not acknowledged yet"))
           : g_strdup (_("Not an event: nothing to acknowledge"));
  if (status >= 200 && status < 300 && status != 202)
    /* Translators: %u is an HTTP status, 200 */
    return g_strdup_printf (_("This app acknowledged it with %u"), status);
  if (status == 400)
    return g_strdup (_("This app could not use this message and answered 400 (C-28)"));
  if (fcm_event_log_entry_get_own_echo (entry))
    /* Translators: %u is an HTTP status; the header shows the hub's 200 for the request */
    return g_strdup_printf (_("This app answered %u on purpose: Testing in the preferences refuses every "
                              "event, its own too. The hub accepted the request itself."), status);
  /* Translators: %u is an HTTP status */
  return g_strdup_printf (_("This app answered %u on purpose: Testing in the preferences refuses every event"),
                          status);
}

/* ------------------------------------------------------------------ columns */

typedef struct
{
  const char *title;          /* translatable */
  int         width;          /* at first; -1: takes the rest */
} ColumnInfo;

/* fits ~700 px: the event name whole, the id ellipsized in the middle */
static const ColumnInfo columns[FCM_TIMELINE_N_COLUMNS] = {
  [FCM_TIMELINE_COLUMN_TIME] = { N_("Time"), 96 },
  [FCM_TIMELINE_COLUMN_EVENT] = { N_("Event"), 184 },
  [FCM_TIMELINE_COLUMN_ID] = { N_("ID"), -1 },
  [FCM_TIMELINE_COLUMN_FROM] = { N_("From"), 86 },
  [FCM_TIMELINE_COLUMN_ACK] = { N_("Ack"), 44 },
  [FCM_TIMELINE_COLUMN_LATENCY] = { N_("Latency"), 74 },     /* the bold title whole */
  [FCM_TIMELINE_COLUMN_VALIDATION] = { N_("Validation"), 92 },
};

/* the ID column never gets narrower than this; a column resized by hand
 * no narrower than FCM_TIMELINE_MIN_COLUMN */
#define MIN_EXPANDING 64
#define FCM_TIMELINE_MIN_COLUMN 24

G_STATIC_ASSERT (G_N_ELEMENTS (((FcmTimeline *) NULL)->column_widths) == FCM_TIMELINE_N_COLUMNS);

void
_fcm_timeline_setup_columns (FcmTimeline *self)
{
  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    self->column_widths[i] = columns[i].width;
}

const char *
_fcm_timeline_column_title (FcmTimelineColumn column)
{
  g_return_val_if_fail (column < FCM_TIMELINE_N_COLUMNS, "");
  return _(columns[column].title);
}

int
_fcm_timeline_columns_min_width (FcmTimeline *self)
{
  int width = 0;

  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    width += self->column_widths[i] < 0 ? MIN_EXPANDING : self->column_widths[i];
  return width;
}

void
_fcm_timeline_column_geometry (FcmTimeline       *self,
                               GtkTextDirection   direction,
                               int                total,
                               FcmTimelineColumn  column,
                               int               *x,
                               int               *width)
{
  int fixed = 0, left = 0, w = 0;

  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    fixed += MAX (self->column_widths[i], 0);
  for (guint i = 0; i <= column; i++)
    {
      w = self->column_widths[i] >= 0 ? self->column_widths[i] : MAX (total - fixed, MIN_EXPANDING);
      if (i < column)
        left += w;
    }
  /* columns run right to left in an RTL locale, as in GTK's own tables */
  *x = direction == GTK_TEXT_DIR_RTL ? total - left - w : left;
  *width = w;
}

int
_fcm_timeline_get_column_width (FcmTimeline       *self,
                                FcmTimelineColumn  column)
{
  return self->column_widths[column];
}

/* a column resized by hand: every row and the header lay it out again */
void
_fcm_timeline_set_column_width (FcmTimeline       *self,
                                FcmTimelineColumn  column,
                                int                width)
{
  g_return_if_fail (column < FCM_TIMELINE_N_COLUMNS);
  if (self->column_widths[column] < 0)
    return;    /* the ID column takes what the others leave */
  width = MAX (width, FCM_TIMELINE_MIN_COLUMN);
  if (self->column_widths[column] == width)
    return;
  self->column_widths[column] = width;
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);

      if (row != NULL && FCM_IS_TIMELINE_ROW (row))
        _fcm_timeline_row_columns_changed (FCM_TIMELINE_ROW (row));
    }
  gtk_widget_queue_resize (GTK_WIDGET (self->list_view));
  gtk_widget_queue_resize (self->header);
}

/* ------------------------------------------------------------------ texts */

static const char *
entry_from (FcmEventLogEntry *entry)
{
  if (fcm_event_log_entry_get_own_echo (entry) || fcm_event_log_entry_get_note (entry) != NULL)
    return _("This app");
  /* Confirmations, denials and the hub's answers come from the hub; so do
   * syncerrors: hub-generated ones (H-33, RAD-155) look the same on the
   * wire as relayed ones, and both name the subscriber that caused them. */
  if (fcm_event_log_entry_get_name (entry) == NULL || _fcm_timeline_entry_is_syncerror (entry))
    return _("Hub");
  return _("Other app");
}

const char *
_fcm_timeline_cell_text (FcmEventLogEntry  *entry,
                         FcmTimelineColumn  column,
                         char              *buf,
                         gsize              size)
{
  /* the monitor's notes of connection changes are not messages (issue
   * 11.9): no id, ack, latency or validation */
  if (fcm_event_log_entry_get_note (entry) != NULL &&
      (column == FCM_TIMELINE_COLUMN_ACK || column == FCM_TIMELINE_COLUMN_LATENCY ||
       column == FCM_TIMELINE_COLUMN_VALIDATION || column == FCM_TIMELINE_COLUMN_ID))
    return "";

  switch (column)
    {
    case FCM_TIMELINE_COLUMN_TIME:
      {
        gint64 usec = fcm_event_log_entry_get_received (entry);
        g_autoptr(GDateTime) dt = _fcm_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

        if (dt == NULL)
          return "";
        g_snprintf (buf, size, "%02d:%02d:%02d.%03d",
                    g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                    g_date_time_get_second (dt), (int) ((usec % G_USEC_PER_SEC) / 1000));
        return buf;
      }
    case FCM_TIMELINE_COLUMN_EVENT:
      if (!_fcm_timeline_entry_is_syncerror (entry))
        return _fcm_entry_title (entry);
      /* Translators: the Event cell of a syncerror; "⚠" marks it without colour */
      g_snprintf (buf, size, _("⚠ %s"), _fcm_entry_title (entry));
      return buf;
    case FCM_TIMELINE_COLUMN_ID:
      return fcm_event_log_entry_get_event_id (entry) != NULL ? fcm_event_log_entry_get_event_id (entry) : "";
    case FCM_TIMELINE_COLUMN_FROM:
      return entry_from (entry);
    case FCM_TIMELINE_COLUMN_ACK:
      {
        guint status = fcm_event_log_entry_get_ack_status (entry);

        if (status == 0)
          return "—";
        g_snprintf (buf, size, "%u", status);
        return buf;
      }
    case FCM_TIMELINE_COLUMN_LATENCY:
      {
        gint64 ms = fcm_event_log_entry_get_latency_ms (entry);
        char number[32];

        if (ms == G_MININT64)
          return "—";
        g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, ms);
        /* TRANSLATORS: a latency in milliseconds */
        g_snprintf (buf, size, _("%s ms"), number);
        return buf;
      }
    case FCM_TIMELINE_COLUMN_VALIDATION:
    case FCM_TIMELINE_N_COLUMNS:
    default:
      /* the pill: _fcm_entry_badge() */
      return "";
    }
}

/* The glyphs the cells draw, drawn once off screen after the timeline is
 * realized: the first rows of a stream were painted in ~40 ms (the
 * monospace face loaded and every glyph rasterized for the first time, in
 * the frame that showed them; issue 15.1). The fonts are those of the
 * cells: the timeline's own, and monospace for the ID column. */
gboolean
_fcm_timeline_warm_up_cells (gpointer timeline)
{
  static const char *const samples[] = {
    "DiagnosticReport-open close update select SyncError This app Other app Hub 0123456789:.– ms ✓ — ⚠ %",
    "0123456789abcdef-ABCDEF",
  };
  FcmTimeline *self = timeline;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1024, 32);
  cairo_t *cr = cairo_create (surface);

  self->warm_up_id = 0;
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->list_view), samples[i]);

      if (i == 1)
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_family_new ("monospace"));
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
        }
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return G_SOURCE_REMOVE;
}
