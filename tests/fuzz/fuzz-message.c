/* fuzz-message.c: libFuzzer target for FcmEvent, FcmValidator and the store
 *
 * Build: CC=clang meson setup _build-fuzz -Dfuzzing=true -Dgtk=false \
 *          -Db_sanitize=address,undefined -Db_lundef=false
 * Run:   _build-fuzz/tests/fuzz/fuzz-message -max_total_time=60 tests/data/vectors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "fcm-fhircast.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* GLib criticals and warnings are bugs: abort so libFuzzer records them
 * (G_DEBUG=fatal-criticals raises SIGTRAP, which libFuzzer ignores). */
static GLogWriterOutput
abort_on_warnings (GLogLevelFlags   level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (abort_on_warnings, NULL, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static FcmValidator *validator;
  static FcmContextStore *store;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(FcmEvent) event = NULL;
  FcmMessageKind kind;

  if (validator == NULL)
    {
      validator = fcm_validator_new ();
      store = fcm_context_store_new ();
    }

  issues = fcm_validator_validate_text (validator, (const char *) data, size, &kind);

  event = fcm_event_new_from_json ((const char *) data, size, NULL);
  if (event != NULL)
    {
      g_autoptr(GPtrArray) more = fcm_validator_validate_event (validator, event);
      g_autofree char *json = fcm_event_to_json (event, FALSE);

      /* both always succeed on a parsed event */
      if (more == NULL || json == NULL)
        abort ();

      fcm_context_store_apply (store, event, NULL);
      if (g_list_model_get_n_items (G_LIST_MODEL (store)) > 64)
        fcm_context_store_clear (store);
    }

  return 0;
}
