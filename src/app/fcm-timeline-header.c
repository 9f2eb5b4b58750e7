/* fcm-timeline-header.c: the titles of the timeline's columns
 *
 * FcmTimelineHeader holds the rows (its body: the overlay with their
 * scrolled window) and, above them, a label a column, placed where the
 * rows draw that column's cells (_fcm_timeline_column_geometry()) and
 * moved with the rows when they scroll sideways (the window narrower than
 * the columns). The body is laid out first, so the titles follow the rows
 * as laid out in the same frame, the theme's padding included. Dragging
 * the line at a title's end resizes its column, as in GTK's own tables;
 * the ID column takes what the others leave, so its end resizes the From
 * column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include <math.h>

#include "fcm-timeline-private.h"

/* how near a column's end the pointer grabs it */
#define GRAB_DISTANCE 5

struct _FcmTimelineHeader
{
  GtkWidget          parent_instance;

  FcmTimeline       *timeline;            /* unowned: the header is its child */
  GtkAdjustment     *hadjustment;         /* the rows' */
  GtkWidget         *titles[FCM_TIMELINE_N_COLUMNS];
  GtkWidget         *body;
  int                titles_height;       /* as last allocated */
  gboolean           allocating;
  gboolean           cursor_set;          /* the resize cursor shows */
  FcmTimelineColumn  resizing;            /* FCM_TIMELINE_N_COLUMNS: none */
  int                resize_from;         /* the column's width as the drag began */
  int                resize_sign;         /* +1: the column left of the line; -1: right of it */
};

G_DEFINE_FINAL_TYPE (FcmTimelineHeader, fcm_timeline_header, GTK_TYPE_WIDGET)

/* a row the list has laid out, if any */
static GtkWidget *
some_row (FcmTimelineHeader *self)
{
  GtkWidget *list = GTK_WIDGET (self->timeline->list_view);

  for (GtkWidget *item = gtk_widget_get_first_child (list); item; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);

      if (row != NULL && FCM_IS_TIMELINE_ROW (row) && gtk_widget_get_child_visible (item) &&
          gtk_widget_get_width (row) > 0)
        return row;
    }
  return NULL;
}

/* Where the rows' cells are, in the header: the x of their left edge as
 * scrolled, and their width; from a row as laid out (the theme's padding
 * included), or with no row, from the list's edges */
static void
rows_geometry (FcmTimelineHeader *self,
               int               *x,
               int               *width)
{
  GtkWidget *list = GTK_WIDGET (self->timeline->list_view);
  GtkWidget *row = some_row (self);
  graphene_point_t p;

  if (row != NULL && gtk_widget_compute_point (row, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (0, 0), &p))
    {
      *x = (int) round (p.x);
      *width = gtk_widget_get_width (row);
      return;
    }
  if (!gtk_widget_compute_point (list, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (0, 0), &p))
    p.x = 0;
  *x = (int) round (p.x) - (self->hadjustment != NULL ? (int) gtk_adjustment_get_value (self->hadjustment) : 0);
  *width = MAX (gtk_widget_get_width (list), _fcm_timeline_columns_min_width (self->timeline));
}

static void
fcm_timeline_header_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  FcmTimelineHeader *self = FCM_TIMELINE_HEADER (widget);
  int titles = 0;

  gtk_widget_measure (self->body, orientation, -1, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    return;    /* the titles are as wide as the rows */
  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    {
      int nat;

      gtk_widget_measure (self->titles[i], orientation, -1, NULL, &nat, NULL, NULL);
      titles = MAX (titles, nat + 2 * FCM_TIMELINE_ROW_YPAD);
    }
  *minimum += titles;
  *natural += titles;
}

static void
fcm_timeline_header_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  FcmTimelineHeader *self = FCM_TIMELINE_HEADER (widget);
  GtkTextDirection direction = gtk_widget_get_direction (widget);
  int rows_x, total, titles = 0;

  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    {
      int nat;

      gtk_widget_measure (self->titles[i], GTK_ORIENTATION_VERTICAL, -1, NULL, &nat, NULL, NULL);
      titles = MAX (titles, nat + 2 * FCM_TIMELINE_ROW_YPAD);
    }
  self->titles_height = titles;
  /* the rows first: the titles go where they are */
  self->allocating = TRUE;
  gtk_widget_size_allocate (self->body, &(GtkAllocation) { 0, titles, width, MAX (height - titles, 0) }, -1);
  self->allocating = FALSE;

  rows_geometry (self, &rows_x, &total);
  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    {
      int x, w, min;

      _fcm_timeline_column_geometry (self->timeline, direction, total, i, &x, &w);
      w = MAX (w - 2 * FCM_TIMELINE_CELL_XPAD, 0);
      gtk_widget_measure (self->titles[i], GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      /* a title under its minimum (an ellipsis) goes over the line; the
       * titles are clipped at the header's edges (snapshot) */
      gtk_widget_size_allocate (self->titles[i],
                                &(GtkAllocation) { rows_x + x + FCM_TIMELINE_CELL_XPAD, 0, MAX (w, min), titles },
                                -1);
    }
}

static void
fcm_timeline_header_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  FcmTimelineHeader *self = FCM_TIMELINE_HEADER (widget);
  int width = gtk_widget_get_width (widget);
  GdkRGBA line;

  gtk_widget_snapshot_child (widget, self->body, snapshot);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, self->titles_height));
  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    gtk_widget_snapshot_child (widget, self->titles[i], snapshot);
  gtk_snapshot_pop (snapshot);
  /* the line under the titles, as a table's header has */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &line);
  G_GNUC_END_IGNORE_DEPRECATIONS
  line.alpha *= 0.15;
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (0, self->titles_height - 1, width, 1));
}

/* scrolled sideways: the titles follow (in our own allocation, the
 * list's clamping of the value: they are placed after it anyway) */
static void
hadjustment_changed_cb (FcmTimelineHeader *self)
{
  if (!self->allocating)
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ resizing */

/* the column whose width the line near @x sets, and which way */
static FcmTimelineColumn
column_end_at (FcmTimelineHeader *self,
               double             x_at,
               int               *sign)
{
  GtkTextDirection direction = gtk_widget_get_direction (GTK_WIDGET (self));
  int rows_x, total;

  rows_geometry (self, &rows_x, &total);
  x_at -= rows_x;
  for (guint i = 0; i + 1 < FCM_TIMELINE_N_COLUMNS; i++)
    {
      int x, w, end;

      _fcm_timeline_column_geometry (self->timeline, direction, total, i, &x, &w);
      end = direction == GTK_TEXT_DIR_RTL ? x : x + w;
      if (ABS (x_at - end) > GRAB_DISTANCE)
        continue;
      if (_fcm_timeline_get_column_width (self->timeline, i) >= 0)
        {
          *sign = direction == GTK_TEXT_DIR_RTL ? -1 : 1;
          return i;
        }
      /* the ID column's end: the column after it gives or takes */
      *sign = direction == GTK_TEXT_DIR_RTL ? 1 : -1;
      return i + 1;
    }
  return FCM_TIMELINE_N_COLUMNS;
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           FcmTimelineHeader        *self)
{
  int sign;
  gboolean near = self->resizing != FCM_TIMELINE_N_COLUMNS ||
                  (y < self->titles_height && column_end_at (self, x, &sign) != FCM_TIMELINE_N_COLUMNS);

  if (near != self->cursor_set)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), near ? "col-resize" : NULL);
  self->cursor_set = near;
}

static gboolean
resize_begin (FcmTimelineHeader *self,
              double             x)
{
  int sign = 1;

  self->resizing = column_end_at (self, x, &sign);
  if (self->resizing == FCM_TIMELINE_N_COLUMNS)
    return FALSE;
  self->resize_from = _fcm_timeline_get_column_width (self->timeline, self->resizing);
  self->resize_sign = sign;
  return TRUE;
}

static void
resize_update (FcmTimelineHeader *self,
               double             dx)
{
  if (self->resizing != FCM_TIMELINE_N_COLUMNS)
    _fcm_timeline_set_column_width (self->timeline, self->resizing,
                                    self->resize_from + self->resize_sign * (int) round (dx));
}

static void
drag_begin_cb (GtkGestureDrag    *drag,
               double             x,
               double             y,
               FcmTimelineHeader *self)
{
  /* on the titles only, not on the rows below them */
  if (y >= self->titles_height || !resize_begin (self, x))
    {
      self->resizing = FCM_TIMELINE_N_COLUMNS;
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (GtkGestureDrag    *drag,
                double             dx,
                double             dy,
                FcmTimelineHeader *self)
{
  resize_update (self, dx);
}

static void
drag_end_cb (GtkGestureDrag    *drag,
             double             dx,
             double             dy,
             FcmTimelineHeader *self)
{
  self->resizing = FCM_TIMELINE_N_COLUMNS;
}

/**
 * _fcm_timeline_header_drag:
 * @x: where a drag begins, in the header
 * @dx: how far it goes
 *
 * What a drag on the titles does, for tests.
 *
 * Returns: whether @x was on a column's end
 */
gboolean
_fcm_timeline_header_drag (FcmTimelineHeader *self,
                           double             x,
                           double             dx)
{
  gboolean resized = resize_begin (self, x);

  resize_update (self, dx);
  self->resizing = FCM_TIMELINE_N_COLUMNS;
  return resized;
}

/* ------------------------------------------------------------------ GObject */

static void
fcm_timeline_header_dispose (GObject *object)
{
  FcmTimelineHeader *self = FCM_TIMELINE_HEADER (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  g_clear_object (&self->hadjustment);
  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    g_clear_pointer (&self->titles[i], gtk_widget_unparent);
  g_clear_pointer (&self->body, gtk_widget_unparent);

  G_OBJECT_CLASS (fcm_timeline_header_parent_class)->dispose (object);
}

static void
fcm_timeline_header_class_init (FcmTimelineHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fcm_timeline_header_dispose;
  widget_class->measure = fcm_timeline_header_measure;
  widget_class->size_allocate = fcm_timeline_header_size_allocate;
  widget_class->snapshot = fcm_timeline_header_snapshot;

  gtk_widget_class_set_css_name (widget_class, "fcm-timeline-header");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fcm_timeline_header_init (FcmTimelineHeader *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->resizing = FCM_TIMELINE_N_COLUMNS;
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

/**
 * _fcm_timeline_header_new:
 * @body: the rows: the widget holding the list's scrolled window; the
 *   header takes it in
 * @hadjustment: the rows' horizontal scrolling
 */
GtkWidget *
_fcm_timeline_header_new (FcmTimeline   *timeline,
                          GtkWidget     *body,
                          GtkAdjustment *hadjustment)
{
  FcmTimelineHeader *self = g_object_new (FCM_TYPE_TIMELINE_HEADER, NULL);

  self->timeline = timeline;

  for (guint i = 0; i < FCM_TIMELINE_N_COLUMNS; i++)
    {
      GtkWidget *title = gtk_label_new (_fcm_timeline_column_title (i));

      gtk_label_set_xalign (GTK_LABEL (title), i == FCM_TIMELINE_COLUMN_ACK || i == FCM_TIMELINE_COLUMN_LATENCY
                                               ? 1.0 : 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      gtk_label_set_single_line_mode (GTK_LABEL (title), TRUE);
      gtk_widget_set_parent (title, GTK_WIDGET (self));
      self->titles[i] = title;
    }
  /* after the titles: a keyboard user meets them first */
  self->body = body;
  gtk_widget_set_parent (body, GTK_WIDGET (self));
  if (hadjustment != NULL)
    {
      self->hadjustment = g_object_ref (hadjustment);
      g_signal_connect_swapped (hadjustment, "value-changed", G_CALLBACK (hadjustment_changed_cb), self);
    }
  return GTK_WIDGET (self);
}
