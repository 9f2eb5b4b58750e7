/* fcm-preferences-window.h: the preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FCM_TYPE_PREFERENCES_WINDOW (fcm_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (FcmPreferencesWindow, fcm_preferences_window, FCM, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *fcm_preferences_window_new (GtkWindow *parent,
                                       GSettings *settings) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
