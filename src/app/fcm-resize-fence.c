/* fcm-resize-fence.c: a bin whose size request changes only when its
 * child's does, measured when the child is laid out
 *
 * GTK 4.8 on X11 answers every resize queued anywhere in a window with the
 * toplevel's "compute-size" (gdk_x11_surface_request_layout() adds an idle
 * at G_PRIORITY_HIGH - 10): GtkWindow then measures its whole tree for its
 * minimum size, at its minimum width, between frames. Under a stream the
 * context panel's labels change ten times a second, each queueing a
 * resize: the window measured itself ~245 times a second, a third of the
 * app's time, up to 41 ms a time, mostly the panel at a width it never
 * has: the main-loop stalls left in issue 15.1 (with the panel hidden,
 * none over 25 ms).
 *
 * FcmResizeFence answers a measure from what its child measured the last
 * time it was laid out, whatever the size asked for (a constant size: the
 * child is a scrolled window, as tall as it is given), so that such a
 * measure stops here. When it lays its child out it measures it for
 * real, as any bin does; if the child's request differs from what it
 * answered, it asks for a new layout (a frame later). So the window's
 * minimum size follows the child's, one frame late, and a change of text
 * inside costs the frame's layout only. With the panel fenced in, 30,000
 * events at 2,000/s: no compute-size over 5 ms (248 before), the longest
 * frame gap 47.6 ms (62.3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fcm-resize-fence.h"

typedef struct
{
  gboolean valid;
  int      minimum;
  int      natural;
} Measured;

struct _FcmResizeFence
{
  GtkWidget  parent_instance;

  GtkWidget *child;
  Measured   kept[2];             /* by orientation */
  guint      requeue_id;
  guint      n_child_measures;    /* for tests */
};

G_DEFINE_FINAL_TYPE (FcmResizeFence, fcm_resize_fence, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* keeps what the child measured; TRUE if it differs from what was kept */
static gboolean
keep (FcmResizeFence *self,
      GtkOrientation  orientation,
      int             minimum,
      int             natural)
{
  Measured *kept = &self->kept[orientation];
  gboolean changed = kept->valid && (kept->minimum != minimum || kept->natural != natural);

  *kept = (Measured) { TRUE, minimum, natural };
  return changed;
}

static void
measure_child (FcmResizeFence *self,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural)
{
  self->n_child_measures++;
  gtk_widget_measure (self->child, orientation, for_size, minimum, natural, NULL, NULL);
}

/* The fence's size does not depend on the size asked for (constant size):
 * its width as the child's without constraint, its height as the child's
 * at the width it was last laid out at. So a measure at any size agrees
 * with one at any other, as GTK checks. */
static void
fcm_resize_fence_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  FcmResizeFence *self = FCM_RESIZE_FENCE (widget);

  *minimum = *natural = 0;
  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;
  if (!self->kept[orientation].valid)
    {
      measure_child (self, orientation, -1, minimum, natural);
      keep (self, orientation, *minimum, *natural);
      return;
    }
  *minimum = self->kept[orientation].minimum;
  *natural = self->kept[orientation].natural;
}

static gboolean
requeue_cb (gpointer data)
{
  FcmResizeFence *self = data;

  self->requeue_id = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
fcm_resize_fence_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  FcmResizeFence *self = FCM_RESIZE_FENCE (widget);
  int min_width, nat_width, min_height, nat_height;
  gboolean changed;

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;
  /* the child as it is now: what a bin measures before it lays out */
  measure_child (self, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width);
  measure_child (self, GTK_ORIENTATION_VERTICAL, width, &min_height, &nat_height);
  changed = keep (self, GTK_ORIENTATION_HORIZONTAL, min_width, nat_width);
  changed |= keep (self, GTK_ORIENTATION_VERTICAL, min_height, nat_height);
  gtk_widget_size_allocate (self->child,
                            &(GtkAllocation) { 0, 0, MAX (width, min_width), MAX (height, min_height) },
                            baseline);
  /* the child asks for another size than we said: say so, for the next
   * frame (not while the window lays out) */
  if (changed && self->requeue_id == 0)
    self->requeue_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, requeue_cb, self, NULL);
}

static GtkSizeRequestMode
fcm_resize_fence_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

/* ------------------------------------------------------------------ GObject */

void
fcm_resize_fence_set_child (FcmResizeFence *self,
                            GtkWidget      *child)
{
  g_return_if_fail (FCM_IS_RESIZE_FENCE (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;
  g_clear_pointer (&self->child, gtk_widget_unparent);
  self->kept[GTK_ORIENTATION_HORIZONTAL].valid = self->kept[GTK_ORIENTATION_VERTICAL].valid = FALSE;
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

/**
 * fcm_resize_fence_get_child:
 *
 * Returns: (transfer none) (nullable):
 */
GtkWidget *
fcm_resize_fence_get_child (FcmResizeFence *self)
{
  g_return_val_if_fail (FCM_IS_RESIZE_FENCE (self), NULL);
  return self->child;
}

guint
_fcm_resize_fence_get_n_child_measures (FcmResizeFence *self)
{
  return self->n_child_measures;
}

static void
fcm_resize_fence_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FcmResizeFence *self = FCM_RESIZE_FENCE (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_resize_fence_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FcmResizeFence *self = FCM_RESIZE_FENCE (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      fcm_resize_fence_set_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_resize_fence_dispose (GObject *object)
{
  FcmResizeFence *self = FCM_RESIZE_FENCE (object);

  g_clear_handle_id (&self->requeue_id, g_source_remove);
  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (fcm_resize_fence_parent_class)->dispose (object);
}

static void
fcm_resize_fence_class_init (FcmResizeFenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fcm_resize_fence_dispose;
  object_class->get_property = fcm_resize_fence_get_property;
  object_class->set_property = fcm_resize_fence_set_property;
  widget_class->measure = fcm_resize_fence_measure;
  widget_class->size_allocate = fcm_resize_fence_size_allocate;
  widget_class->get_request_mode = fcm_resize_fence_get_request_mode;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "fcm-resize-fence");
}

static void
fcm_resize_fence_init (FcmResizeFence *self)
{
}

GtkWidget *
fcm_resize_fence_new (void)
{
  return g_object_new (FCM_TYPE_RESIZE_FENCE, NULL);
}
