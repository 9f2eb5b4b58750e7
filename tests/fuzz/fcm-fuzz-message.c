/* fcm-fuzz-message.c: FcmEvent, FcmValidator and FcmContextStore
 *
 * The path every message a hub or a subscriber receives takes. The input is
 * up to four messages separated by NUL bytes (JSON text holds none), given
 * in turn to one new context store, as a monitor receives them: each is
 * validated as text (and, unless it looks like JSON, as a subscription
 * form), parsed as an event, validated, written back out and read again,
 * and applied to the store; a Get Current Context answer is loaded into it.
 *
 * Nothing is kept between inputs but the validator (it has no state), so
 * the libFuzzer leak check only runs when an input really leaks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-fuzz.h"
#include "fcm-json-private.h"

#define MAX_MESSAGES 4

static FcmValidator *validator;

static void
check_issues (GPtrArray *issues)
{
  if (issues == NULL)
    abort ();
  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      if (fcm_issue_get_rule_id (issue) == NULL || fcm_issue_get_message (issue) == NULL)
        abort ();
      /* shown and logged as it is: never bytes that are not UTF-8 */
      if (!g_utf8_validate (fcm_issue_get_message (issue), -1, NULL))
        abort ();
    }
}

static void
one_message (FcmContextStore *store,
             const char      *text,
             gsize            size,
             guint            index)
{
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(FcmEvent) event = NULL;
  FcmMessageKind kind = FCM_MESSAGE_UNKNOWN;

  /* the role from the input, so that it always replays the same way */
  fcm_validator_set_role (validator, (size + index) % 3);
  issues = fcm_validator_validate_text (validator, text, size, &kind);
  check_issues (issues);

  /* the same text as a subscription request form (what the hub gets) */
  if (size > 0 && text[0] != '{' && text[0] != '[')
    {
      g_autofree char *form_text = g_strndup (text, size);
      g_autoptr(GHashTable) form = g_uri_parse_params (form_text, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);

      if (form != NULL)
        {
          g_autoptr(GPtrArray) form_issues = fcm_validator_validate_form (validator, form);

          check_issues (form_issues);
        }
      return;
    }

  event = fcm_event_new_from_json (text, size, NULL);
  if (event != NULL)
    {
      g_autoptr(GPtrArray) more = fcm_validator_validate_event (validator, event);
      g_autofree char *json = fcm_event_to_json (event, FALSE);
      g_autoptr(FcmEvent) again = NULL;

      check_issues (more);
      /* what we write, we read back */
      if (json == NULL)
        abort ();
      again = fcm_event_new_from_json (json, -1, NULL);
      if (again == NULL || g_strcmp0 (fcm_event_get_id (again), fcm_event_get_id (event)) != 0)
        abort ();

      fcm_context_store_apply (store, event, NULL);
      return;
    }

  if (kind == FCM_MESSAGE_CURRENT_CONTEXT)
    {
      g_autoptr(JsonNode) root = fcm_json_parse (text, size, NULL);

      if (root != NULL)
        fcm_context_store_load_current (store, root, NULL);
    }
}

void
fcm_fuzz_message (const guint8 *data,
                  gsize         size)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  const char *p = size > 0 ? (const char *) data : "";
  const char *end = p + size;

  if (validator == NULL)
    validator = fcm_validator_new ();

  for (guint i = 0; i < MAX_MESSAGES; i++)
    {
      const char *nul = memchr (p, '\0', end - p);

      one_message (store, p, (nul != NULL ? nul : end) - p, i);
      if (nul == NULL)
        break;
      p = nul + 1;
    }

  /* what a view reads back */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(FcmContextItem) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (item == NULL)
        abort ();
    }
}

void
fcm_fuzz_message_cleanup (void)
{
  g_clear_object (&validator);
}
