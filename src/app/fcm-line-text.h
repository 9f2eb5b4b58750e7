/* fcm-line-text.h: one line of text, drawn, its size independent of the text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FCM_TYPE_LINE_TEXT (fcm_line_text_get_type ())

G_DECLARE_FINAL_TYPE (FcmLineText, fcm_line_text, FCM, LINE_TEXT, GtkWidget)

GtkWidget  *fcm_line_text_new              (void);
const char *fcm_line_text_get_text         (FcmLineText *self);
void        fcm_line_text_set_text         (FcmLineText *self,
                                            const char  *text);
gboolean    fcm_line_text_get_ellipsized   (FcmLineText *self);
guint       _fcm_line_text_get_n_measured  (void);
int         _fcm_font_line_height          (GtkWidget   *widget);

G_END_DECLS
