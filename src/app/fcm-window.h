/* fcm-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-application.h"
#include "fcm-connection.h"

G_BEGIN_DECLS

#define FCM_TYPE_WINDOW (fcm_window_get_type ())

G_DECLARE_FINAL_TYPE (FcmWindow, fcm_window, FCM, WINDOW, AdwApplicationWindow)

FcmWindow     *fcm_window_new                (FcmApplication *application) G_GNUC_WARN_UNUSED_RESULT;
GListModel    *fcm_window_get_connections    (FcmWindow      *self);
void           fcm_window_add_connection     (FcmWindow      *self,
                                              FcmConnection  *connection);
void           fcm_window_remove_connection  (FcmWindow      *self,
                                              FcmConnection  *connection);
FcmConnection *fcm_window_get_connection     (FcmWindow      *self);
void           fcm_window_set_connection     (FcmWindow      *self,
                                              FcmConnection  *connection);
void           fcm_window_show_connection    (FcmWindow      *self,
                                              FcmConnection  *connection);

G_END_DECLS
