/* fcm-timeline-columns.c: the timeline's columns and their cells
 *
 * One GtkSignalListItemFactory a column. Cells are GtkInscriptions, which
 * are cheap to measure; the Validation pill is a label.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-timeline-private.h"
#include "fcm-time-private.h"

typedef enum
{
  COLUMN_TIME,
  COLUMN_EVENT,
  COLUMN_ID,
  COLUMN_FROM,
  COLUMN_ACK,
  COLUMN_LATENCY,
  COLUMN_VALIDATION,
} Column;

static const char *
entry_from (FcmEventLogEntry *entry)
{
  if (fcm_event_log_entry_get_own_echo (entry) || fcm_event_log_entry_get_note (entry) != NULL)
    return _("This app");
  /* Confirmations, denials and the hub's answers come from the hub; so do
   * syncerrors: hub-generated ones (H-33, RAD-155) look the same on the
   * wire as relayed ones, and both name the subscriber that caused them. */
  if (fcm_event_log_entry_get_name (entry) == NULL ||
      fcm_event_name_equal (fcm_event_log_entry_get_name (entry), FCM_EVENT_SYNCERROR))
    return _("Hub");
  return _("Other app");
}

static gboolean
is_syncerror (FcmEventLogEntry *entry)
{
  const char *name = fcm_event_log_entry_get_name (entry);

  return name != NULL && fcm_event_name_equal (name, FCM_EVENT_SYNCERROR);
}

static void
update_ack (FcmEventLogEntry *entry,
            GParamSpec       *pspec,
            GtkInscription   *inscription)
{
  guint status = fcm_event_log_entry_get_ack_status (entry);
  char buf[16];

  if (status == 0)
    gtk_inscription_set_text (inscription, "—");
  else
    {
      g_snprintf (buf, sizeof buf, "%u", status);
      gtk_inscription_set_text (inscription, buf);
    }
  /* a refusal of ours stands out; its tooltip says why */
  if (status != 0 && (status < 200 || status >= 300))
    gtk_widget_add_css_class (GTK_WIDGET (inscription), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (inscription), "warning");
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

/* tooltips are computed when the pointer asks, never set per row (GTK 4.8
 * queries the pointer from the X server on every set_tooltip_text) */
static gboolean
ack_query_tooltip_cb (GtkWidget  *widget,
                      int         x,
                      int         y,
                      gboolean    keyboard,
                      GtkTooltip *tooltip,
                      gpointer    user_data)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (widget), "fcm-list-item");
  FcmEventLogEntry *entry = item != NULL ? gtk_list_item_get_item (item) : NULL;
  g_autofree char *text = NULL;

  if (entry == NULL)
    return FALSE;
  text = _fcm_entry_ack_explanation (entry);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *child;

  if (column == COLUMN_VALIDATION)
    {
      child = gtk_label_new (NULL);
      gtk_widget_add_css_class (child, "fcm-badge");
      gtk_widget_set_halign (child, GTK_ALIGN_START);
      gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
      gtk_label_set_single_line_mode (GTK_LABEL (child), TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
    }
  else
    {
      /* never NULL text: GTK 4.8's AT-SPI text of an inscription calls
       * g_utf8_strlen (NULL) (a GLib-CRITICAL per cell a screen reader reads) */
      child = gtk_inscription_new ("");
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (child),
                                         column == COLUMN_ID ? GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE
                                                             : GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_min_lines (GTK_INSCRIPTION (child), 1);
      gtk_inscription_set_nat_lines (GTK_INSCRIPTION (child), 1);
      switch (column)
        {
        case COLUMN_TIME:
          gtk_inscription_set_nat_chars (GTK_INSCRIPTION (child), 12);
          gtk_widget_add_css_class (child, "numeric");
          break;
        case COLUMN_ID:
          gtk_inscription_set_nat_chars (GTK_INSCRIPTION (child), 14);
          gtk_widget_add_css_class (child, "monospace");
          break;
        case COLUMN_ACK:
          gtk_widget_set_has_tooltip (child, TRUE);
          g_signal_connect (child, "query-tooltip", G_CALLBACK (ack_query_tooltip_cb), NULL);
          G_GNUC_FALLTHROUGH;
        case COLUMN_LATENCY:
          gtk_inscription_set_xalign (GTK_INSCRIPTION (child), 1.0);
          gtk_widget_add_css_class (child, "numeric");
          break;
        case COLUMN_EVENT:
        case COLUMN_FROM:
        case COLUMN_VALIDATION:
        default:
          break;
        }
    }
  /* the row a cell shows: for the Ack tooltip and a double click */
  g_object_set_data (G_OBJECT (child), "fcm-list-item", item);
  gtk_list_item_set_child (item, child);
}

/* The entry a cell shows, as a weak pointer: GTK 4.8 unbinds and binds
 * again every row whose position moved, with the same entry. Under a
 * stream the log drops its oldest rows at the front at each update of the
 * view, so every row moved every time: the texts, classes and the Ack
 * cell's handler were all set again and every cell measured anew (about
 * 30 ms a frame for the ~200 rows GTK keeps; issue 15.1). A cell whose
 * entry is unchanged is left alone. The pointer is weak, so a new entry at
 * a freed one's address is never taken for it. */
typedef struct
{
  FcmEventLogEntry *entry;
} Shown;

static void
shown_free (gpointer data)
{
  Shown *shown = data;

  g_clear_weak_pointer (&shown->entry);
  g_free (shown);
}

static guint n_cells_filled;

guint
_fcm_timeline_get_n_cells_filled (void)
{
  return n_cells_filled;
}

static Shown *
get_shown (GtkWidget *child)
{
  Shown *shown = g_object_get_data (G_OBJECT (child), "fcm-shown");

  if (shown == NULL)
    {
      shown = g_new0 (Shown, 1);
      g_object_set_data_full (G_OBJECT (child), "fcm-shown", shown, shown_free);
    }
  return shown;
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  FcmEventLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  Shown *shown = get_shown (child);
  char buf[64];

  if (shown->entry == entry)
    return;
  n_cells_filled++;
  /* the Ack cell follows its entry's ack (C-28: sent after the row shows) */
  if (column == COLUMN_ACK && shown->entry != NULL)
    g_signal_handlers_disconnect_by_func (shown->entry, update_ack, child);
  g_set_weak_pointer (&shown->entry, entry);

  /* syncerror rows read as errors, in every cell (issue 11.3); the
   * monitor's notes of connection changes are not messages (issue 11.9) */
  if (column != COLUMN_VALIDATION)
    {
      if (is_syncerror (entry))
        gtk_widget_add_css_class (child, "fcm-syncerror");
      else
        gtk_widget_remove_css_class (child, "fcm-syncerror");
      if (fcm_event_log_entry_get_note (entry) != NULL)
        gtk_widget_add_css_class (child, "fcm-note");
      else
        gtk_widget_remove_css_class (child, "fcm-note");
    }
  if (fcm_event_log_entry_get_note (entry) != NULL &&
      (column == COLUMN_ACK || column == COLUMN_LATENCY || column == COLUMN_VALIDATION || column == COLUMN_ID))
    {
      if (column == COLUMN_VALIDATION)
        {
          gtk_label_set_label (GTK_LABEL (child), "");
          gtk_widget_set_css_classes (child, (const char *[]) { "fcm-badge", NULL });
        }
      else
        gtk_inscription_set_text (GTK_INSCRIPTION (child), "");
      return;
    }

  switch (column)
    {
    case COLUMN_TIME:
      {
        gint64 usec = fcm_event_log_entry_get_received (entry);
        g_autoptr(GDateTime) dt = _fcm_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

        if (dt != NULL)
          g_snprintf (buf, sizeof buf, "%02d:%02d:%02d.%03d",
                      g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                      g_date_time_get_second (dt), (int) ((usec % G_USEC_PER_SEC) / 1000));
        else
          buf[0] = '\0';
        gtk_inscription_set_text (GTK_INSCRIPTION (child), buf);
      }
      break;
    case COLUMN_EVENT:
      if (is_syncerror (entry))
        {
          /* Translators: the Event cell of a syncerror; "⚠" marks it without colour */
          g_snprintf (buf, sizeof buf, _("⚠ %s"), _fcm_entry_title (entry));
          gtk_inscription_set_text (GTK_INSCRIPTION (child), buf);
        }
      else
        gtk_inscription_set_text (GTK_INSCRIPTION (child), _fcm_entry_title (entry));
      break;
    case COLUMN_ID:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), fcm_event_log_entry_get_event_id (entry) ? fcm_event_log_entry_get_event_id (entry) : "");
      break;
    case COLUMN_FROM:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), entry_from (entry) ? entry_from (entry) : "");
      break;
    case COLUMN_ACK:
      update_ack (entry, NULL, GTK_INSCRIPTION (child));
      /* acks are sent after the row appears (C-28); disconnected when the
       * cell shows another entry, or goes */
      g_signal_connect_object (entry, "notify::ack-status", G_CALLBACK (update_ack), child, 0);
      break;
    case COLUMN_LATENCY:
      {
        gint64 ms = fcm_event_log_entry_get_latency_ms (entry);

        if (ms == G_MININT64)
          gtk_inscription_set_text (GTK_INSCRIPTION (child), "—");
        else
          {
            g_autofree char *text = NULL;

            g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, ms);
            /* TRANSLATORS: a latency in milliseconds */
            text = g_strdup_printf (_("%s ms"), buf);
            gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
          }
      }
      break;
    case COLUMN_VALIDATION:
      {
        g_autofree char *badge = NULL;
        const char *css = NULL;
        const char *classes[] = { "fcm-badge", NULL, NULL };

        badge = _fcm_entry_badge (entry, &css);
        classes[1] = css;
        gtk_label_set_label (GTK_LABEL (child), badge);
        /* most rows keep the class the cell had: setting the classes again
         * restyles the cell even so */
        if (css == NULL || !gtk_widget_has_css_class (child, css))
          gtk_widget_set_css_classes (child, classes);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
add_column (FcmTimeline *self,
            Column       column,
            const char  *title,
            int          fixed_width,
            gboolean     expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (col, fixed_width);
  gtk_column_view_append_column (self->column_view, col);
}

void
_fcm_timeline_add_columns (FcmTimeline *self)
{
  /* fits ~700 px: the event name whole, the id ellipsized in the middle */
  add_column (self, COLUMN_TIME, _("Time"), 96, FALSE);
  add_column (self, COLUMN_EVENT, _("Event"), 184, FALSE);
  add_column (self, COLUMN_ID, _("ID"), -1, TRUE);
  add_column (self, COLUMN_FROM, _("From"), 86, FALSE);
  add_column (self, COLUMN_ACK, _("Ack"), 44, FALSE);
  add_column (self, COLUMN_LATENCY, _("Latency"), 68, FALSE);
  add_column (self, COLUMN_VALIDATION, _("Validation"), 92, FALSE);
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
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->column_view), samples[i]);

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
