/* fcm-preferences-recordings.h: the Recordings group of the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *fcm_preferences_recordings_group_new (GSettings *settings) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
