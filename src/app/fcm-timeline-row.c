/* fcm-timeline-row.c: one row of the timeline, its cells drawn as text
 *
 * FcmTimelineRow is the child of one GtkListView row. It draws the texts
 * of its cells itself (a PangoLayout each, in the columns'
 * geometry, fcm-timeline-columns.c) and keeps one child, the Validation
 * pill (a GtkLabel, so that the theme draws it). A GtkColumnView row was
 * 15 widgets (the row, a cell and its child per column), and GTK 4.8 binds,
 * styles, measures and lays out the ~200 rows it keeps around the visible
 * ones whenever a stream brings new rows: about 30 ms a frame at 2,000
 * events/s (issue 15.1). Here a row is three widgets, measured from the
 * font's metrics, and its texts are shaped only when drawn.
 *
 * A row binds to the entry it shows through a weak pointer: GTK 4.8 binds a
 * row again whenever its position moves, with the same entry, and a bind
 * with the entry already shown does nothing. The row follows its entry's
 * ack (C-28: the ack is sent after the row shows).
 *
 * Screen readers read a row as one line: its accessible label is the
 * cells' texts in column order. The Ack cell's tooltip says what the ack
 * means; a cell whose text is cut short shows it whole in its tooltip. Both
 * are computed when the pointer asks (query-tooltip).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include "fcm-line-text.h"
#include "fcm-timeline-private.h"

struct _FcmTimelineRow
{
  GtkWidget         parent_instance;

  FcmTimeline      *timeline;                             /* unowned: the row is in its list */
  FcmEventLogEntry *entry;                                /* weak */
  char             *texts[FCM_TIMELINE_N_COLUMNS];        /* NULL: empty */
  PangoLayout      *layouts[FCM_TIMELINE_N_COLUMNS];      /* made when first drawn */
  int               layout_widths[FCM_TIMELINE_N_COLUMNS];
  GtkWidget        *badge;
  int               line_height;                          /* 0: not known yet */
};

G_DEFINE_FINAL_TYPE (FcmTimelineRow, fcm_timeline_row, GTK_TYPE_WIDGET)

static guint n_rows_filled;

/* for tests and the benchmark: how many times a row was filled in */
guint
_fcm_timeline_get_n_rows_filled (void)
{
  return n_rows_filled;
}

/* ------------------------------------------------------------------ texts */

static void
set_text (FcmTimelineRow    *self,
          FcmTimelineColumn  column,
          const char        *text)
{
  if (g_strcmp0 (self->texts[column] != NULL ? self->texts[column] : "", text) == 0)
    return;
  g_free (self->texts[column]);
  self->texts[column] = text[0] != '\0' ? g_strdup (text) : NULL;
  if (self->layouts[column] != NULL)
    pango_layout_set_text (self->layouts[column], text, -1);
}

/* what a screen reader reads for the row: its cells, in column order */
static void
update_accessible_label (FcmTimelineRow *self)
{
  GString *label = g_string_sized_new (128);

  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    {
      const char *text = i == FCM_TIMELINE_COLUMN_VALIDATION
                         ? gtk_label_get_label (GTK_LABEL (self->badge)) : self->texts[i];

      if (text == NULL || text[0] == '\0')
        continue;
      if (label->len > 0)
        g_string_append (label, ", ");
      g_string_append (label, text);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label->str, -1);
  g_string_free (label, TRUE);
}

static void
update_ack (FcmTimelineRow *self)
{
  char buf[64];

  set_text (self, FCM_TIMELINE_COLUMN_ACK,
            _fcm_timeline_cell_text (self->entry, FCM_TIMELINE_COLUMN_ACK, buf, sizeof buf));
}

static void
ack_changed_cb (FcmEventLogEntry *entry,
                GParamSpec       *pspec,
                FcmTimelineRow   *self)
{
  update_ack (self);
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_class (GtkWidget  *widget,
           const char *css_class,
           gboolean    set)
{
  if (set == gtk_widget_has_css_class (widget, css_class))
    return;
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

/**
 * _fcm_timeline_row_set_entry:
 *
 * Shows @entry; nothing happens if the row shows it already.
 */
void
_fcm_timeline_row_set_entry (FcmTimelineRow   *self,
                             FcmEventLogEntry *entry)
{
  char buf[128];

  if (self->entry == entry)
    return;
  if (self->entry != NULL)
    g_signal_handlers_disconnect_by_func (self->entry, ack_changed_cb, self);
  g_set_weak_pointer (&self->entry, entry);
  if (entry == NULL)
    return;
  n_rows_filled++;

  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    if (i != FCM_TIMELINE_COLUMN_ACK)
      set_text (self, i, _fcm_timeline_cell_text (entry, i, buf, sizeof buf));
  update_ack (self);
  /* acks are sent after the row appears (C-28) */
  g_signal_connect_object (entry, "notify::ack-status", G_CALLBACK (ack_changed_cb), self, 0);

  /* syncerror rows read as errors (issue 11.3); the monitor's notes of
   * connection changes, quieter (issue 11.9) */
  set_class (GTK_WIDGET (self), "fcm-syncerror", _fcm_timeline_entry_is_syncerror (entry));
  set_class (GTK_WIDGET (self), "fcm-note", fcm_event_log_entry_get_note (entry) != NULL);

  if (fcm_event_log_entry_get_note (entry) != NULL)
    {
      gtk_label_set_label (GTK_LABEL (self->badge), "");
      gtk_widget_set_visible (self->badge, FALSE);
    }
  else
    {
      g_autofree char *badge = NULL;
      const char *css = NULL;
      const char *classes[] = { "fcm-badge", NULL, NULL };

      badge = _fcm_entry_badge (entry, &css);
      classes[1] = css;
      gtk_label_set_label (GTK_LABEL (self->badge), badge);
      gtk_widget_set_visible (self->badge, TRUE);
      /* most rows keep the class the pill had: setting the classes again
       * restyles it even so */
      if (css == NULL || !gtk_widget_has_css_class (self->badge, css))
        gtk_widget_set_css_classes (self->badge, classes);
    }
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

FcmEventLogEntry *
_fcm_timeline_row_get_entry (FcmTimelineRow *self)
{
  return self->entry;
}

const char *
_fcm_timeline_row_get_text (FcmTimelineRow    *self,
                            FcmTimelineColumn  column)
{
  if (column == FCM_TIMELINE_COLUMN_VALIDATION)
    return gtk_label_get_label (GTK_LABEL (self->badge));
  return self->texts[column] != NULL ? self->texts[column] : "";
}

GtkWidget *
_fcm_timeline_row_get_badge (FcmTimelineRow *self)
{
  return self->badge;
}


gboolean
_fcm_timeline_row_get_cell_bounds (FcmTimelineRow    *self,
                                   FcmTimelineColumn  column,
                                   graphene_rect_t   *bounds)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int x, w;

  _fcm_timeline_column_geometry (self->timeline, gtk_widget_get_direction (GTK_WIDGET (self)),
                                 MAX (width, _fcm_timeline_columns_min_width (self->timeline)),
                                 column, &x, &w);
  if (x >= width || x + w <= 0)
    return FALSE;
  graphene_rect_init (bounds, x, 0, w, gtk_widget_get_height (GTK_WIDGET (self)));
  return TRUE;
}

/* ------------------------------------------------------------------ layout */

void
_fcm_timeline_row_columns_changed (FcmTimelineRow *self)
{
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static int
line_height (FcmTimelineRow *self)
{
  if (self->line_height == 0)
    self->line_height = _fcm_font_line_height (GTK_WIDGET (self));
  return self->line_height;
}

static void
fcm_timeline_row_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  FcmTimelineRow *self = FCM_TIMELINE_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = _fcm_timeline_columns_min_width (self->timeline);
  else
    *minimum = *natural = line_height (self) + 2 * FCM_TIMELINE_ROW_YPAD;
}

static void
fcm_timeline_row_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  FcmTimelineRow *self = FCM_TIMELINE_ROW (widget);
  int x, w, badge_w, badge_h;

  _fcm_timeline_column_geometry (self->timeline, gtk_widget_get_direction (widget), width,
                                 FCM_TIMELINE_COLUMN_VALIDATION, &x, &w);
  if (!gtk_widget_should_layout (self->badge))
    return;
  gtk_widget_measure (self->badge, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &badge_w, NULL, NULL);
  gtk_widget_measure (self->badge, GTK_ORIENTATION_VERTICAL, -1, NULL, &badge_h, NULL, NULL);
  w = MAX (w - 2 * FCM_TIMELINE_CELL_XPAD, 0);
  badge_w = MIN (badge_w, w);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    x += w + FCM_TIMELINE_CELL_XPAD - badge_w;
  else
    x += FCM_TIMELINE_CELL_XPAD;
  gtk_widget_size_allocate (self->badge,
                            &(GtkAllocation) { x, (height - badge_h) / 2, badge_w, badge_h }, -1);
}

static PangoLayout *
ensure_layout (FcmTimelineRow    *self,
               FcmTimelineColumn  column)
{
  PangoLayout *layout = self->layouts[column];

  if (layout == NULL)
    {
      PangoAttrList *attrs = NULL;

      layout = self->layouts[column] = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->texts[column]);
      self->layout_widths[column] = -1;
      pango_layout_set_ellipsize (layout, column == FCM_TIMELINE_COLUMN_ID ? PANGO_ELLIPSIZE_MIDDLE
                                                                           : PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      switch ((int) column)
        {
        case FCM_TIMELINE_COLUMN_ID:
          attrs = pango_attr_list_new ();
          pango_attr_list_insert (attrs, pango_attr_family_new ("monospace"));
          break;
        case FCM_TIMELINE_COLUMN_ACK:
        case FCM_TIMELINE_COLUMN_LATENCY:
          pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
          G_GNUC_FALLTHROUGH;
        case FCM_TIMELINE_COLUMN_TIME:
          /* figures of one width, so that times and numbers line up */
          attrs = pango_attr_list_new ();
          pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
          break;
        default:
          break;
        }
      if (attrs != NULL)
        {
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
        }
    }
  return layout;
}

/* a refusal of ours stands out (its tooltip says why) */
static gboolean
ack_is_refusal (FcmTimelineRow *self)
{
  guint status;

  if (self->entry == NULL || fcm_event_log_entry_get_note (self->entry) != NULL)
    return FALSE;
  status = fcm_event_log_entry_get_ack_status (self->entry);
  return status != 0 && (status < 200 || status >= 300);
}

static void
fcm_timeline_row_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  FcmTimelineRow *self = FCM_TIMELINE_ROW (widget);
  GtkTextDirection direction = gtk_widget_get_direction (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkStyleContext *style;
  GdkRGBA color, warning;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (style, &color);
  if (!ack_is_refusal (self) || !gtk_style_context_lookup_color (style, "warning_color", &warning))
    warning = color;
  G_GNUC_END_IGNORE_DEPRECATIONS

  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    {
      PangoLayout *layout;
      int x, w, text_height;

      if (self->texts[i] == NULL)
        continue;
      _fcm_timeline_column_geometry (self->timeline, direction, width, i, &x, &w);
      w -= 2 * FCM_TIMELINE_CELL_XPAD;
      if (w <= 0 || x >= width)
        continue;
      layout = ensure_layout (self, i);
      if (self->layout_widths[i] != w)
        {
          pango_layout_set_width (layout, w * PANGO_SCALE);
          self->layout_widths[i] = w;
        }
      pango_layout_get_pixel_size (layout, NULL, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (x + FCM_TIMELINE_CELL_XPAD, (height - text_height) / 2));
      gtk_snapshot_append_layout (snapshot, layout, i == FCM_TIMELINE_COLUMN_ACK ? &warning : &color);
      gtk_snapshot_restore (snapshot);
    }
  gtk_widget_snapshot_child (widget, self->badge, snapshot);
}

/* the font or the text's style changed (a note's italics, the theme) */
static void
fcm_timeline_row_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  FcmTimelineRow *self = FCM_TIMELINE_ROW (widget);

  GTK_WIDGET_CLASS (fcm_timeline_row_parent_class)->css_changed (widget, change);
  self->line_height = 0;
  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    g_clear_object (&self->layouts[i]);
  gtk_widget_queue_resize (widget);
}

static void
fcm_timeline_row_direction_changed (GtkWidget        *widget,
                                    GtkTextDirection  previous)
{
  gtk_widget_queue_allocate (widget);
  gtk_widget_queue_draw (widget);
}

/* ------------------------------------------------------------------ tooltips */

static FcmTimelineColumn
column_at (FcmTimelineRow *self,
           int             x_at)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    {
      int x, w;

      _fcm_timeline_column_geometry (self->timeline, gtk_widget_get_direction (GTK_WIDGET (self)),
                                     width, i, &x, &w);
      if (x_at >= x && x_at < x + w)
        return i;
    }
  return FCM_TIMELINE_N_COLUMNS;
}

/**
 * _fcm_timeline_row_get_tooltip:
 * @x: where the pointer is, in the row
 *
 * Returns: (transfer full) (nullable): the tooltip there: what the ack
 *   means on the Ack cell, a text cut short whole
 */
char *
_fcm_timeline_row_get_tooltip (FcmTimelineRow *self,
                               int             x)
{
  FcmTimelineColumn column = column_at (self, x);

  if (self->entry == NULL || column == FCM_TIMELINE_N_COLUMNS)
    return NULL;
  if (column == FCM_TIMELINE_COLUMN_ACK && fcm_event_log_entry_get_note (self->entry) == NULL)
    return _fcm_entry_ack_explanation (self->entry);
  if (self->texts[column] != NULL && self->layouts[column] != NULL &&
      pango_layout_is_ellipsized (self->layouts[column]))
    return g_strdup (self->texts[column]);
  return NULL;
}

static gboolean
fcm_timeline_row_query_tooltip (GtkWidget  *widget,
                                int         x,
                                int         y,
                                gboolean    keyboard,
                                GtkTooltip *tooltip)
{
  g_autofree char *text = _fcm_timeline_row_get_tooltip (FCM_TIMELINE_ROW (widget), x);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ------------------------------------------------------------------ GObject */

static void
fcm_timeline_row_dispose (GObject *object)
{
  FcmTimelineRow *self = FCM_TIMELINE_ROW (object);

  if (self->entry != NULL)
    g_signal_handlers_disconnect_by_func (self->entry, ack_changed_cb, self);
  g_clear_weak_pointer (&self->entry);
  g_clear_pointer (&self->badge, gtk_widget_unparent);
  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    {
      g_clear_object (&self->layouts[i]);
      g_clear_pointer (&self->texts[i], g_free);
    }

  G_OBJECT_CLASS (fcm_timeline_row_parent_class)->dispose (object);
}

static void
fcm_timeline_row_class_init (FcmTimelineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fcm_timeline_row_dispose;
  widget_class->measure = fcm_timeline_row_measure;
  widget_class->size_allocate = fcm_timeline_row_size_allocate;
  widget_class->snapshot = fcm_timeline_row_snapshot;
  widget_class->css_changed = fcm_timeline_row_css_changed;
  widget_class->direction_changed = fcm_timeline_row_direction_changed;
  widget_class->query_tooltip = fcm_timeline_row_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "fcm-timeline-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ROW);
}

static void
fcm_timeline_row_init (FcmTimelineRow *self)
{
  self->badge = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->badge, "fcm-badge");
  gtk_label_set_single_line_mode (GTK_LABEL (self->badge), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (self->badge), PANGO_ELLIPSIZE_END);
  /* the row's label reads the pill already */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->badge), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_widget_set_parent (self->badge, GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
_fcm_timeline_row_new (FcmTimeline *timeline)
{
  FcmTimelineRow *self = g_object_new (FCM_TYPE_TIMELINE_ROW, NULL);

  self->timeline = timeline;
  return GTK_WIDGET (self);
}
