/* fcm-validator-current.c: Get Current Context answers
 *
 * {"context.type", "context.versionId", "context"} (C-52) with IRA's
 * 'content' collection Bundle (H-29); also the bare array the sandbox.js
 * hub answers and the 2019 prototype shape.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-validator-private.h"

static void
check_content_entry (FcmCheck      *c,
                     const FcmJson *entry,
                     const char    *entry_path,
                     gpointer       user_data)
{
  if (fcm_get_member (entry, "request") != NULL)
    {
      g_autofree char *request_path = fcm_path_member (entry_path, "request");

      fcm_check_add (c, ERROR, "H-29", request_path,
                     _("Entries of the content Bundle carry no 'request' (it is a collection)"));
    }
}

static void
check_content_bundle (FcmCheck      *c,
                      const FcmJson *context,
                      const char    *ctx_path,
                      gboolean       empty_context)
{
  g_autofree char *item_path = NULL;
  g_autofree char *res_path = NULL;
  const FcmJson *item;
  const FcmJson *bundle;
  guint idx = 0;

  if (!(item = fcm_find_item (context, "content", &idx)))
    {
      if (empty_context)
        fcm_check_add (c, INFO, "H-29", ctx_path,
                       _("No 'content' item: IRA requires a {\"key\": \"content\", \"resource\": "
                         "<Bundle type=collection>} entry in the current context (with no "
                         "entries when there is no content)"));
      else
        fcm_check_add (c, WARNING, "H-29", ctx_path,
                       _("No 'content' item: IRA requires a {\"key\": \"content\", \"resource\": "
                         "<Bundle type=collection>} entry in the current context"));
      return;
    }

  item_path = fcm_path_index (ctx_path, idx);
  res_path = fcm_path_member (item_path, "resource");
  if (!(bundle = fcm_doc_get_object (item, "resource")))
    return; /* reported by the generic item check */

  if (g_strcmp0 (fcm_doc_get_string (bundle, "resourceType"), "Bundle") != 0)
    {
      g_autofree char *type_path = fcm_path_member (res_path, "resourceType");

      fcm_check_add (c, ERROR, "H-29", type_path, _("'content' must be a Bundle"));
      return;
    }

  fcm_check_bundle (c, bundle, res_path, "content", "collection", "H-29",
                    check_content_entry, NULL);
}

void
fcm_validate_current_context (FcmCheck      *c,
                              const FcmJson *root)
{
  const FcmJson *obj;
  const FcmJson *node;
  const FcmJson *context = NULL;
  const char *type;
  gboolean has_type;
  gboolean has_version;
  gboolean empty;

  if (fcm_as_array (root) != NULL)
    {
      fcm_check_add (c, WARNING, "C-52", "$",
                     _("A bare context array (as the sandbox.js hub answers); Get Current Context "
                       "returns {\"context.type\", \"context.versionId\", \"context\"}"));
      fcm_check_context_array (c, fcm_as_array (root), "$");
      return;
    }

  obj = fcm_as_object (root);

  /* 2019 prototype: {timestamp, id, event: {hub.topic, context}} */
  if ((node = fcm_get_member (obj, "event")) != NULL && fcm_as_object (node) != NULL)
    {
      const FcmJson *event = fcm_as_object (node);
      const char *timestamp;

      fcm_check_add (c, WARNING, "C-52", "$",
                     _("2019 prototype current-context shape {\"timestamp\", \"id\", \"event\"} "
                       "(legacy); STU3 answers {\"context.type\", \"context.versionId\", "
                       "\"context\"}"));

      timestamp = fcm_check_read_string (c, obj, "$", "timestamp", "C-25", NULL);
      if (timestamp != NULL)
        fcm_check_timestamp (c, timestamp, "$.timestamp", "C-25");
      fcm_check_read_string (c, event, "$.event", "hub.topic", "C-25", NULL);

      if ((context = fcm_check_read_array (c, event, "$.event", "context", "C-52")) != NULL)
        fcm_check_context_array (c, context, "$.event.context");
      else if (fcm_get_member (event, "context") == NULL)
        fcm_check_add (c, ERROR, "C-52", "$.event.context",
                       _("Required member 'context' is missing"));
      return;
    }

  context = fcm_check_read_array (c, obj, "$", "context", "C-52");
  if (context == NULL && fcm_get_member (obj, "context") == NULL)
    fcm_check_add (c, ERROR, "C-52", "$.context",
                   _("Required member 'context' is missing (an empty current context is [])"));
  if (context != NULL)
    fcm_check_context_array (c, context, "$.context");

  empty = fcm_doc_first (context) == NULL;

  type = fcm_check_read_string (c, obj, "$", "context.type", "C-52", &has_type);
  if (!has_type)
    fcm_check_add (c, ERROR, "C-52", "$['context.type']",
                   _("Required member 'context.type' is missing (the anchor resource type, or "
                     "\"\")"));
  else if (type != NULL && *type == '\0' && !empty)
    fcm_check_add (c, WARNING, "C-52", "$['context.type']",
                   _("'context.type' is empty but the context is not"));
  else if (type != NULL && *type != '\0' && empty && context != NULL)
    fcm_check_add (c, WARNING, "C-52", "$['context.type']",
                   _("'context.type' is '%.*s%s' but the context is empty"), SHOW (type));
  else if (type != NULL && *type != '\0' && !g_ascii_isupper (*type))
    fcm_check_add (c, WARNING, "C-52", "$['context.type']",
                   _("'context.type' should be a FHIR resource type such as 'DiagnosticReport', "
                     "got '%.*s%s'"), SHOW (type));

  fcm_check_read_string (c, obj, "$", "context.versionId", "C-52", &has_version);
  if (!has_version)
    {
      if (empty)
        fcm_check_add (c, INFO, "C-52", "$['context.versionId']",
                       _("'context.versionId' is omitted; accepted for an empty context (digest "
                         "§4.3 item 12)"));
      else
        fcm_check_add (c, ERROR, "C-52", "$['context.versionId']",
                       _("Required member 'context.versionId' is missing; it is needed to detect "
                         "missed updates (C-33)"));
    }

  if (context != NULL)
    check_content_bundle (c, context, "$.context", empty);
}
