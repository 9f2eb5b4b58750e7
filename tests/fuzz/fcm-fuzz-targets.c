/* fcm-fuzz-targets.c: the list of fuzz targets, and what they share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "fcm-fuzz.h"

const FcmFuzzTarget fcm_fuzz_targets[] = {
  { "message", fcm_fuzz_message, fcm_fuzz_message_cleanup },
  { "ws", fcm_fuzz_ws, fcm_fuzz_ws_cleanup },
  { "http", fcm_fuzz_http, fcm_fuzz_http_cleanup },
};

const guint fcm_fuzz_n_targets = G_N_ELEMENTS (fcm_fuzz_targets);

static GLogWriterOutput
abort_on_warnings (GLogLevelFlags   level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  /* debug output only when asked for (G_MESSAGES_DEBUG), as usual */
  if (g_log_writer_default_would_drop (level, NULL) && !(level & G_LOG_LEVEL_WARNING))
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

void
fcm_fuzz_abort_on_warnings (void)
{
  g_log_set_writer_func (abort_on_warnings, NULL, NULL);
}
