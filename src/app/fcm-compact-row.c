/* fcm-compact-row.c: a list row with a title and a subtitle drawn on one
 * line each, and suffix widgets
 *
 * FcmCompactRow looks like an AdwActionRow whose title and subtitle are
 * one line each (the same widget tree and style classes: the theme's
 * `row > box.header > box.title` rules apply), but its texts are
 * FcmLineText: a row's size does not depend on its texts, so pointing it
 * at another report draws it again and measures nothing (issue 15.1: the
 * suspended reports' rows change texts at every apply under a stream).
 * The texts are cut short where they do not fit; whoever makes the row
 * shows them whole in its tooltip.
 *
 * Screen readers read the title as the row's name (labelled-by) and the
 * subtitle as its description, as for an AdwActionRow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fcm-compact-row.h"
#include "fcm-line-text.h"

struct _FcmCompactRow
{
  GtkListBoxRow  parent_instance;

  GtkWidget     *title;
  GtkWidget     *subtitle;
  GtkWidget     *suffixes;
};

G_DEFINE_FINAL_TYPE (FcmCompactRow, fcm_compact_row, GTK_TYPE_LIST_BOX_ROW)

static void
fcm_compact_row_class_init (FcmCompactRowClass *klass)
{
}

static void
fcm_compact_row_init (FcmCompactRow *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *title_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);

  gtk_widget_add_css_class (header, "header");
  gtk_widget_set_valign (header, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (title_box, "title");
  gtk_widget_set_valign (title_box, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (title_box, TRUE);

  self->title = fcm_line_text_new ();
  gtk_widget_add_css_class (self->title, "title");
  self->subtitle = fcm_line_text_new ();
  gtk_widget_add_css_class (self->subtitle, "subtitle");
  gtk_widget_set_visible (self->subtitle, FALSE);
  gtk_box_append (GTK_BOX (title_box), self->title);
  gtk_box_append (GTK_BOX (title_box), self->subtitle);

  self->suffixes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->suffixes, "suffixes");
  gtk_widget_set_visible (self->suffixes, FALSE);

  gtk_box_append (GTK_BOX (header), title_box);
  gtk_box_append (GTK_BOX (header), self->suffixes);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), header);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title, NULL,
                                  -1);
}

GtkWidget *
fcm_compact_row_new (void)
{
  return g_object_new (FCM_TYPE_COMPACT_ROW, NULL);
}

const char *
fcm_compact_row_get_title (FcmCompactRow *self)
{
  g_return_val_if_fail (FCM_IS_COMPACT_ROW (self), NULL);

  return fcm_line_text_get_text (FCM_LINE_TEXT (self->title));
}

const char *
fcm_compact_row_get_subtitle (FcmCompactRow *self)
{
  g_return_val_if_fail (FCM_IS_COMPACT_ROW (self), NULL);

  return fcm_line_text_get_text (FCM_LINE_TEXT (self->subtitle));
}

/**
 * fcm_compact_row_set_texts:
 * @subtitle: (nullable): %NULL or "" for none
 *
 * Only a subtitle coming or going changes the row's size.
 */
void
fcm_compact_row_set_texts (FcmCompactRow *self,
                           const char    *title,
                           const char    *subtitle)
{
  gboolean has_subtitle = subtitle != NULL && subtitle[0] != '\0';

  g_return_if_fail (FCM_IS_COMPACT_ROW (self));

  fcm_line_text_set_text (FCM_LINE_TEXT (self->title), title);
  if (g_strcmp0 (subtitle, fcm_line_text_get_text (FCM_LINE_TEXT (self->subtitle))) != 0)
    {
      fcm_line_text_set_text (FCM_LINE_TEXT (self->subtitle), subtitle);
      /* GTK 4.8 does not follow described-by to a screen reader */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      has_subtitle ? subtitle : "", -1);
    }
  if (gtk_widget_get_visible (self->subtitle) != has_subtitle)
    gtk_widget_set_visible (self->subtitle, has_subtitle);
}

void
fcm_compact_row_add_suffix (FcmCompactRow *self,
                            GtkWidget     *widget)
{
  g_return_if_fail (FCM_IS_COMPACT_ROW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_box_append (GTK_BOX (self->suffixes), widget);
  gtk_widget_set_visible (self->suffixes, TRUE);
}

GtkWidget *
_fcm_compact_row_get_title_widget (FcmCompactRow *self)
{
  g_return_val_if_fail (FCM_IS_COMPACT_ROW (self), NULL);

  return self->title;
}

GtkWidget *
_fcm_compact_row_get_subtitle_widget (FcmCompactRow *self)
{
  g_return_val_if_fail (FCM_IS_COMPACT_ROW (self), NULL);

  return self->subtitle;
}
