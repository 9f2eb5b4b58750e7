/* fcm-preferences-background.h: the preferences of a workstation monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *fcm_preferences_background_group_new  (GSettings *settings) G_GNUC_WARN_UNUSED_RESULT;
GtkWidget *fcm_preferences_builtin_hub_group_new (GSettings *settings) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
