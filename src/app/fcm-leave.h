/* fcm-leave.h: leaving every hub cleanly before the app exits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long leaving may take in all (issue 12: within 2 s). */
#define FCM_LEAVE_TIMEOUT_MS 2000

void     fcm_leave_async  (GPtrArray            *connections,
                           guint                 timeout_ms,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data);
gboolean fcm_leave_finish (GAsyncResult         *result,
                           GError              **error);

G_END_DECLS
