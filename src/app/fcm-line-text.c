/* fcm-line-text.c: one line of text, drawn, its size independent of the text
 *
 * FcmLineText shows a text on one line, cut short with an ellipsis where
 * it does not fit, like a GtkLabel with one line and an ellipsis. Unlike a
 * label its size never depends on the text: it is as tall as a line of
 * its font and asks for no width (it takes what its parent gives it), so
 * a new text is drawn without measuring or laying out anything again.
 * Under a stream of events the suspended reports' rows change texts at
 * every apply, and GTK measured their wrapping labels several times each
 * (issue 15.1).
 *
 * Its CSS name is "label", so the theme styles it as it would a label
 * (the `.title` and `.subtitle` of a list row: font size, dimming). For
 * screen readers it is a label with the text as its name; a row can name
 * itself by it (labelled-by, described-by).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fcm-line-text.h"

struct _FcmLineText
{
  GtkWidget    parent_instance;

  char        *text;
  PangoLayout *layout;        /* made when first drawn */
  int          layout_width;
  int          line_height;   /* 0: not known yet */
};

G_DEFINE_FINAL_TYPE (FcmLineText, fcm_line_text, GTK_TYPE_WIDGET)

static guint n_measured;

/* for tests: how many times any FcmLineText was measured */
guint
_fcm_line_text_get_n_measured (void)
{
  return n_measured;
}

/**
 * _fcm_font_line_height:
 *
 * Returns: the height of a line of @widget's font (its ascent and
 *   descent), in pixels: what a widget that draws one line of text asks
 *   for, whatever the text
 */
int
_fcm_font_line_height (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int height = PANGO_PIXELS_CEIL (pango_font_metrics_get_ascent (metrics) +
                                  pango_font_metrics_get_descent (metrics));

  pango_font_metrics_unref (metrics);
  return height;
}

static int
compute_line_height (FcmLineText *self)
{
  return _fcm_font_line_height (GTK_WIDGET (self));
}

static int
line_height (FcmLineText *self)
{
  if (self->line_height == 0)
    self->line_height = compute_line_height (self);
  return self->line_height;
}

static PangoLayout *
ensure_layout (FcmLineText *self,
               int          width)
{
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      /* a newline in a name is shown, not a second line */
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      self->layout_width = -1;
    }
  if (self->layout_width != width)
    {
      pango_layout_set_width (self->layout, MAX (width, 1) * PANGO_SCALE);
      self->layout_width = width;
    }
  return self->layout;
}

static void
fcm_line_text_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  FcmLineText *self = FCM_LINE_TEXT (widget);

  n_measured++;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 0;
  else
    *minimum = *natural = line_height (self);
}

static void
fcm_line_text_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  FcmLineText *self = FCM_LINE_TEXT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoLayout *layout;
  int text_width, text_height, x = 0;
  GdkRGBA color;

  if (self->text == NULL || self->text[0] == '\0' || width <= 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  layout = ensure_layout (self, width);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  /* the start of the line is the widget's start, as a label's xalign 0 */
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    x = MAX (width - text_width, 0);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (height - text_height) / 2));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

/* the font may have changed (the theme, the text scale, a style class):
 * shaped again when drawn, measured again only if the line's height did */
static void
fcm_line_text_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  FcmLineText *self = FCM_LINE_TEXT (widget);
  int height;

  GTK_WIDGET_CLASS (fcm_line_text_parent_class)->css_changed (widget, change);
  g_clear_object (&self->layout);
  if (self->line_height == 0)
    return;
  height = compute_line_height (self);
  if (height != self->line_height)
    {
      self->line_height = height;
      gtk_widget_queue_resize (widget);
    }
}

static void
fcm_line_text_direction_changed (GtkWidget        *widget,
                                 GtkTextDirection  previous)
{
  g_clear_object (&FCM_LINE_TEXT (widget)->layout);
  gtk_widget_queue_draw (widget);
}

static void
fcm_line_text_finalize (GObject *object)
{
  FcmLineText *self = FCM_LINE_TEXT (object);

  g_clear_object (&self->layout);
  g_free (self->text);

  G_OBJECT_CLASS (fcm_line_text_parent_class)->finalize (object);
}

static void
fcm_line_text_class_init (FcmLineTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fcm_line_text_finalize;
  widget_class->measure = fcm_line_text_measure;
  widget_class->snapshot = fcm_line_text_snapshot;
  widget_class->css_changed = fcm_line_text_css_changed;
  widget_class->direction_changed = fcm_line_text_direction_changed;

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
fcm_line_text_init (FcmLineText *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
fcm_line_text_new (void)
{
  return g_object_new (FCM_TYPE_LINE_TEXT, NULL);
}

const char *
fcm_line_text_get_text (FcmLineText *self)
{
  g_return_val_if_fail (FCM_IS_LINE_TEXT (self), NULL);

  return self->text;
}

/**
 * fcm_line_text_set_text:
 * @text: (nullable): the text; %NULL or "" shows nothing
 *
 * Shows @text: drawn again, nothing measured.
 */
void
fcm_line_text_set_text (FcmLineText *self,
                        const char  *text)
{
  g_return_if_fail (FCM_IS_LINE_TEXT (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text ? text : "", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text ? text : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * fcm_line_text_get_ellipsized:
 *
 * Returns: whether the text is cut short at the widget's present width
 */
gboolean
fcm_line_text_get_ellipsized (FcmLineText *self)
{
  g_return_val_if_fail (FCM_IS_LINE_TEXT (self), FALSE);

  if (self->text == NULL || self->text[0] == '\0')
    return FALSE;
  return pango_layout_is_ellipsized (ensure_layout (self, gtk_widget_get_width (GTK_WIDGET (self))));
}
