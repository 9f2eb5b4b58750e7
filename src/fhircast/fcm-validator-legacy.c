/* fcm-validator-legacy.c: forms FHIRcast STU3 no longer has
 *
 * The 2019 prototype: the {"header", "body"} event wrapper, the
 * {"timestamp", "status", "statusCode"} status frame and GetTopic topic
 * discovery; and the heartbeat event removed in June 2024 (C-01, C-25,
 * C-28, C-69). All are read leniently and flagged as legacy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-validator-private.h"

/* ------------------------------------------------------------------------ */
/* The 2019 prototype (C-01, C-25, C-28)                                    */
/* ------------------------------------------------------------------------ */

void
fcm_validate_legacy_event (FcmCheck      *c,
                           const FcmJson *root)
{
  const FcmJson *header = fcm_get_member (root, "header");
  const FcmJson *body = fcm_get_member (root, "body");

  fcm_check_add (c, WARNING, "C-25", "$",
                 _("2019 prototype {\"header\", \"body\"} wrapper (legacy); STU3 sends the bare "
                   "{\"timestamp\", \"id\", \"event\"}"));

  if (header != NULL && fcm_as_object (header) == NULL)
    fcm_check_add (c, WARNING, "C-25", "$.header",
                   _("'header' should be an object of HTTP headers, got %s"),
                   fcm_doc_type_name (header));

  if (fcm_as_object (body) == NULL)
    {
      fcm_check_add (c, ERROR, "C-25", "$.body",
                     _("'body' must be an object {\"timestamp\", \"id\", \"event\"}, got %s"),
                     fcm_doc_type_name (body));
      return;
    }

  fcm_validate_event_message (c, fcm_as_object (body), "$.body");
}

void
fcm_validate_legacy_status (FcmCheck      *c,
                            const FcmJson *root)
{
  const FcmJson *status = fcm_get_member (root, "status");
  const char *code_name = "statusCode";
  const FcmJson *code_node = fcm_get_member (root, "statusCode");
  const char *timestamp;
  gboolean is_string;

  fcm_check_add (c, WARNING, "C-28", "$",
                 _("2019 prototype status frame {\"timestamp\", \"status\", \"statusCode\"} "
                   "(legacy); STU3 acknowledges with {\"id\", \"status\"}"));

  if (code_node == NULL && (code_node = fcm_get_member (root, "statuscode")) != NULL)
    code_name = "statuscode";

  if (status != NULL && !fcm_doc_is_string (status) && code_node == NULL)
    {
      /* {"status": 200} with neither id nor statusCode */
      code_node = status;
      code_name = "status";
    }
  else if (status != NULL && !fcm_doc_is_string (status))
    {
      fcm_check_add (c, ERROR, "C-28", "$.status",
                     _("'status' must be a string such as \"OK\", got %s"),
                     fcm_doc_type_name (status));
    }

  if (code_node == NULL)
    {
      fcm_check_add (c, WARNING, "C-28", "$.statusCode", _("The status frame has no 'statusCode'"));
    }
  else
    {
      g_autofree char *code_path = fcm_path_member ("$", code_name);
      gint64 code = fcm_status_code_from_node (code_node, &is_string);

      if (code < 100 || code > 599)
        fcm_check_add (c, ERROR, "C-28", code_path, _("'%s' must be an HTTP status code, got %s"),
                       code_name, fcm_doc_type_name (code_node));
    }

  timestamp = fcm_check_read_string (c, root, "$", "timestamp", "C-28", NULL);
  if (timestamp != NULL)
    fcm_check_timestamp (c, timestamp, "$.timestamp", "C-25");
}

void
fcm_validate_gettopic (FcmCheck      *c,
                       const FcmJson *root)
{
  const FcmJson *body = fcm_get_member (root, "responseBody");
  const char *method;

  fcm_check_add (c, WARNING, "C-01", "$",
                 _("2019 prototype GetTopic topic discovery (legacy); STU3 obtains hub.topic from "
                   "the launch (SMART or otherwise)"));

  method = fcm_check_read_string (c, root, "$", "method", "C-01", NULL);
  if (method != NULL && strcmp (method, "GET") != 0)
    fcm_check_add (c, WARNING, "C-01", "$.method", _("GetTopic is a GET, got '%.*s%s'"),
                   SHOW (method));

  if (body != NULL && !fcm_doc_is_string (body))
    fcm_check_add (c, ERROR, "C-01", "$.responseBody",
                   _("The GetTopic answer is the bare topic string, got %s"),
                   fcm_doc_type_name (body));
  else if (body != NULL && fcm_is_blank (fcm_doc_string (body)))
    fcm_check_add (c, ERROR, "C-01", "$.responseBody",
                   _("The GetTopic answer (the topic) is empty"));
}

/* ------------------------------------------------------------------------ */
/* heartbeat (C-69)                                                         */
/* ------------------------------------------------------------------------ */

void
fcm_check_heartbeat (FcmCheck     *c,
                     FcmEventInfo *ev)
{
  const FcmJson *item;
  guint idx = 0;

  fcm_check_add (c, INFO, "C-69", ev->ev_path,
                 _("heartbeat is not part of FHIRcast STU3 (removed in June 2024); accepted as a "
                   "liveness signal and acknowledged"));

  if ((item = fcm_find_item (ev->context, "period", &idx)))
    {
      const FcmJson *value = fcm_get_member (item, "decimal");
      g_autofree char *item_path = fcm_path_index (ev->ctx_path, idx);
      g_autofree char *value_path = fcm_path_member (item_path, "decimal");

      if (value == NULL)
        fcm_check_add (c, WARNING, "C-69", item_path,
                       _("The heartbeat 'period' is given as 'decimal'"));
      else if (!(fcm_doc_number (value, NULL) || fcm_doc_is_string (value)))
        fcm_check_add (c, WARNING, "C-69", value_path,
                       _("The heartbeat period must be a number of seconds, got %s"),
                       fcm_doc_type_name (value));
    }
}
