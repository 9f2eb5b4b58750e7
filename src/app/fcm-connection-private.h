/* fcm-connection-private.h: for the screenshots and the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-connection.h"

G_BEGIN_DECLS

FcmConnection *_fcm_connection_new_embedded_full (guint16      port,
                                                  const char  *topic,
                                                  gboolean     admin,
                                                  GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
