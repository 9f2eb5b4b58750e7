/* fcm-validator-configuration.c: the hub's .well-known/fhircast-configuration
 *
 * eventsSupported, websocketSupport, fhircastVersion and the current-context
 * capability flags (C-05, H-01).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-validator-private.h"

void
fcm_validate_configuration (FcmCheck      *c,
                            const FcmJson *root)
{
  const FcmJson *events;
  const FcmJson *capabilities;
  const FcmJson *node;
  gboolean websocket;
  gboolean has_current = FALSE;

  events = fcm_check_read_array (c, root, "$", "eventsSupported", "H-01");
  if (events == NULL && fcm_get_member (root, "eventsSupported") == NULL)
    fcm_check_add (c, ERROR, "H-01", "$.eventsSupported",
                   _("Required member 'eventsSupported' (array of event names) is missing"));
  else if (events != NULL)
    {
      guint i = 0;

      if (fcm_doc_first (events) == NULL)
        fcm_check_add (c, WARNING, "H-01", "$.eventsSupported",
                       _("'eventsSupported' lists no event"));

      FCM_DOC_FOREACH (events, event)
        {
          if (!fcm_doc_is_string (event))
            {
              g_autofree char *one_path = fcm_path_index ("$.eventsSupported", i);

              fcm_check_add (c, ERROR, "H-01", one_path, _("Event names are strings, got %s"),
                             fcm_doc_type_name (event));
            }
          i++;
        }
    }

  node = fcm_get_member (root, "websocketSupport");
  if (node == NULL)
    fcm_check_add (c, ERROR, "H-01", "$.websocketSupport",
                   _("'websocketSupport': true is required"));
  else if (!fcm_doc_boolean (node, &websocket))
    fcm_check_add (c, ERROR, "H-01", "$.websocketSupport",
                   _("'websocketSupport' must be a boolean, got %s"),
                   fcm_doc_type_name (node));
  else if (!websocket)
    fcm_check_add (c, ERROR, "H-01", "$.websocketSupport",
                   _("'websocketSupport' must be true: FHIRcast STU3 is WebSocket only"));

  node = fcm_get_member (root, "fhircastVersion");
  if (node == NULL)
    fcm_check_add (c, WARNING, "H-01", "$.fhircastVersion",
                   _("'fhircastVersion' (e.g. \"3.0.0\") SHOULD be present"));
  else if (!fcm_doc_is_string (node))
    fcm_check_add (c, ERROR, "H-01", "$.fhircastVersion",
                   _("'fhircastVersion' must be a string, got %s"), fcm_doc_type_name (node));

  if ((node = fcm_get_member (root, "getCurrentSupport")) != NULL)
    {
      has_current = TRUE;
      if (!fcm_doc_boolean (node, NULL))
        fcm_check_add (c, ERROR, "C-05", "$.getCurrentSupport",
                       _("'getCurrentSupport' must be a boolean, got %s"),
                       fcm_doc_type_name (node));
    }

  capabilities = fcm_check_read_object (c, root, "$", "capabilities", "C-05");
  if (capabilities != NULL)
    {
      static const char * const flags[] = {
        "supportsGetCurrentContext",
        "supportsNonCurrentContextUpdates",
      };

      for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
        {
          if ((node = fcm_get_member (capabilities, flags[i])) == NULL)
            continue;
          if (i == 0)
            has_current = TRUE;
          if (!fcm_doc_boolean (node, NULL))
            {
              g_autofree char *flag_path = fcm_path_member ("$.capabilities", flags[i]);

              fcm_check_add (c, ERROR, "C-05", flag_path, _("'%s' must be a boolean, got %s"),
                             flags[i], fcm_doc_type_name (node));
            }
        }
    }

  if (!has_current)
    fcm_check_add (c, INFO, "H-01", "$",
                   _("Neither 'getCurrentSupport' nor 'capabilities.supportsGetCurrentContext' is "
                     "given; hubs should include both"));

  if (fcm_get_member (root, "webhookSupport") != NULL)
    fcm_check_add (c, INFO, "C-05", "$.webhookSupport",
                   _("'webhookSupport' is ignored (STU3 is WebSocket only)"));

  if ((node = fcm_get_member (root, "fhirVersion")) != NULL && !fcm_doc_is_string (node))
    fcm_check_add (c, WARNING, "C-05", "$.fhirVersion",
                   _("'fhirVersion' should be a string, got %s"), fcm_doc_type_name (node));
}
