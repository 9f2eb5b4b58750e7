/* fcm-compact-row.h: a list row with a title and a subtitle drawn on one
 * line each, and suffix widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FCM_TYPE_COMPACT_ROW (fcm_compact_row_get_type ())

G_DECLARE_FINAL_TYPE (FcmCompactRow, fcm_compact_row, FCM, COMPACT_ROW, GtkListBoxRow)

GtkWidget  *fcm_compact_row_new          (void);
const char *fcm_compact_row_get_title    (FcmCompactRow *self);
const char *fcm_compact_row_get_subtitle (FcmCompactRow *self);
void        fcm_compact_row_set_texts    (FcmCompactRow *self,
                                          const char    *title,
                                          const char    *subtitle);
void        fcm_compact_row_add_suffix   (FcmCompactRow *self,
                                          GtkWidget     *widget);
GtkWidget  *_fcm_compact_row_get_title_widget    (FcmCompactRow *self);
GtkWidget  *_fcm_compact_row_get_subtitle_widget (FcmCompactRow *self);

G_END_DECLS
