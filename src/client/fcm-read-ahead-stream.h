/* fcm-read-ahead-stream.h: larger reads under libsoup's WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* as much as the kernel hands over in one recv() on loopback, typically */
#define FCM_READ_AHEAD_SIZE (64 * 1024)

#define FCM_TYPE_READ_AHEAD_STREAM (fcm_read_ahead_stream_get_type ())
G_DECLARE_FINAL_TYPE (FcmReadAheadStream, fcm_read_ahead_stream, FCM, READ_AHEAD_STREAM, GInputStream)

GInputStream *fcm_read_ahead_stream_new    (GInputStream *base);
gboolean      fcm_read_ahead_stream_insert (GInputStream *filter);

G_END_DECLS
