/* fcm-recordings.h: every connection of the app recorded (issue 16.5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-connection.h"

G_BEGIN_DECLS

void         fcm_recordings_attach       (FcmConnection *connection,
                                          GSettings     *settings);
FcmRecorder *fcm_recordings_get_recorder (FcmConnection *connection);
GFile       *fcm_recordings_dup_source   (FcmConnection *connection) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
