/* fcm-validator-event.c: the envelope every FHIRcast event shares
 *
 * {"timestamp", "id", "event": {"hub.topic", "hub.event", "context"}} (C-44,
 * H-31), the context.versionId/priorVersionId members, the event name (C-14,
 * H-22) and the generic shape of every context[] item (C-25). Then the
 * event name picks the rules of that event: DiagnosticReport-open/-close in
 * fcm-validator-context.c, -update/-select in fcm-validator-content.c,
 * syncerror in fcm-validator-syncerror.c, heartbeat in fcm-validator-legacy.c.
 * Other catalog events (Patient-, ImagingStudy-, Encounter-open/-close,
 * userLogout, …) and custom events get the generic checks only.
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
/* Context items (C-25, C-14)                                               */
/* ------------------------------------------------------------------------ */

static gboolean
is_lower_case (const char *s)
{
  for (; *s; s++)
    if (g_ascii_isupper (*s))
      return FALSE;

  return TRUE;
}

/* Checks one context[] item; returns its key or NULL. */
static const char *
check_context_item (FcmCheck      *c,
                    const FcmJson *node,
                    const char    *path)
{
  const FcmJson *item;
  const char *key;
  gboolean has_key;
  guint n_values = 0;

  if (!(item = fcm_as_object (node)))
    {
      fcm_check_add (c, ERROR, "C-25", path,
                     _("Context items must be objects {\"key\", "
                       "\"resource\"|\"reference\"|<datatype>}, got %s"),
                     fcm_doc_type_name (node));
      return NULL;
    }

  key = fcm_check_read_string (c, item, path, "key", "C-25", &has_key);

  if (!has_key)
    {
      g_autofree char *key_path = fcm_path_member (path, "key");

      fcm_check_add (c, ERROR, "C-25", key_path, _("Context item has no 'key'"));
    }
  else if (key != NULL && *key == '\0')
    {
      g_autofree char *key_path = fcm_path_member (path, "key");

      fcm_check_add (c, ERROR, "C-25", key_path, _("Context item has an empty 'key'"));
    }
  else if (key != NULL && !is_lower_case (key))
    {
      g_autofree char *key_path = fcm_path_member (path, "key");
      g_autofree char *lower = g_ascii_strdown (key, -1);

      fcm_check_add (c, WARNING, "C-14", key_path,
                     _("Context key '%.*s%s' is not lower case; keys are lower case and compared "
                       "case-sensitively (read leniently as '%.*s%s', digest §4.3 item 6)"),
                     SHOW (key), SHOW (lower));
    }

  FCM_DOC_FOREACH (item, value)
    {
      const char *name = fcm_doc_name (value);
      g_autofree char *value_path = NULL;
      gboolean is_select = fcm_key_matches (key, "select");

      if (strcmp (name, "key") == 0 || name[0] == '_')
        continue;

      n_values++;
      value_path = fcm_path_member (path, name);

      if (strcmp (name, "resource") == 0)
        {
          if (fcm_as_object (value) != NULL)
            {
              const FcmJson *resource = value;
              gboolean has_type;

              fcm_check_read_string (c, resource, value_path, "resourceType", "C-25", &has_type);
              if (!has_type)
                {
                  g_autofree char *type_path = fcm_path_member (value_path, "resourceType");

                  fcm_check_add (c, ERROR, "C-25", type_path,
                                 _("'resource' must be a FHIR resource with a 'resourceType'"));
                }
            }
          else if (!(is_select && fcm_as_array (value) != NULL))
            {
              fcm_check_add (c, ERROR, "C-25", value_path,
                             _("'resource' must be a FHIR resource object, got %s"),
                             fcm_doc_type_name (value));
            }
        }
      else if (strcmp (name, "reference") == 0)
        {
          if (fcm_as_object (value) != NULL)
            fcm_check_reference_object (c, value, value_path, "C-25");
          else if (!(is_select && fcm_as_array (value) != NULL))
            fcm_check_add (c, ERROR, "C-25", value_path,
                           _("'reference' must be a FHIR Reference object, got %s"),
                           fcm_doc_type_name (value));
        }
      else if (!g_ascii_islower (name[0]))
        {
          fcm_check_add (c, WARNING, "C-25", value_path,
                         _("Context value member '%.*s%s' is not 'resource', 'reference' or a "
                           "lower-case FHIR datatype name such as 'decimal'"), SHOW (name));
        }
    }

  if (n_values == 0)
    fcm_check_add (c, ERROR, "C-25", path,
                   _("Context item '%.*s%s' carries no value: expected 'resource', 'reference' or "
                     "a lower-case datatype member"), SHOW (key));
  else if (n_values > 1)
    fcm_check_add (c, WARNING, "C-25", path,
                   _("Context item '%.*s%s' carries %u value members; expected exactly one"),
                   SHOW (key), n_values);

  return key;
}

void
fcm_check_context_array (FcmCheck      *c,
                         const FcmJson *context,
                         const char    *path)
{
  guint i = 0;

  FCM_DOC_FOREACH (context, item)
    {
      g_autofree char *item_path = fcm_path_index (path, i++);

      check_context_item (c, item, item_path);
    }
}

/* ------------------------------------------------------------------------ */
/* Event messages (C-25, C-44, H-31)                                        */
/* ------------------------------------------------------------------------ */

static const char *
read_version (FcmCheck      *c,
              const FcmJson *event,
              const char    *ev_path,
              const char    *dotted,
              const char    *plain,
              gboolean      *out_present)
{
  g_autofree char *path = NULL;
  const char *name = dotted;
  const FcmJson *node;

  *out_present = FALSE;

  if ((node = fcm_get_member (event, dotted)) == NULL &&
      (node = fcm_get_member (event, plain)) != NULL)
    {
      name = plain;
      path = fcm_path_member (ev_path, plain);
      fcm_check_add (c, WARNING, "C-25", path,
                     _("'%s' is the undotted spelling of FC §2.3's table; every example uses '%s' "
                       "(digest §4.3 item 2)"), plain, dotted);
    }

  if (node == NULL)
    return NULL;

  if (path == NULL)
    path = fcm_path_member (ev_path, name);

  if (fcm_doc_is_null (node))
    {
      fcm_check_add (c, WARNING, "C-25", path, _("'%s' is null; read as absent"), name);
      return NULL;
    }

  *out_present = TRUE;

  if (!fcm_doc_is_string (node))
    {
      fcm_check_add (c, ERROR, "C-25", path, _("'%s' must be a string, got %s"),
                     name, fcm_doc_type_name (node));
      return NULL;
    }

  if (*fcm_doc_string (node) == '\0')
    {
      fcm_check_add (c, ERROR, "C-25", path, _("'%s' must not be empty"), name);
      return NULL;
    }

  return fcm_doc_string (node);
}

static void
check_event_name (FcmCheck   *c,
                  const char *name,
                  const char *canonical,
                  const char *path)
{
  if (fcm_event_name_is_legacy (name))
    fcm_check_add (c, WARNING, "C-14", path,
                   _("'%.*s%s' is a 2019 prototype / May-2019 ballot event name (legacy); STU3 "
                     "calls it '%s'"), SHOW (name), canonical);
  else if (canonical == name)
    fcm_check_add (c, INFO, "H-22", path,
                   _("'%.*s%s' is not an event of the FHIRcast catalog; as a custom event only its "
                     "generic shape is checked (hubs relay any valid event)"), SHOW (name));
  else if (strcmp (name, canonical) != 0 && g_ascii_strcasecmp (name, "syncerror") != 0)
    fcm_check_add (c, INFO, "C-14", path,
                   _("Event names match case-insensitively, so '%.*s%s' is fine; the recommended "
                     "spelling is '%s'"), SHOW (name), canonical);
}

void
fcm_validate_event_message (FcmCheck      *c,
                            const FcmJson *message,
                            const char    *base)
{
  const char *shape_rule = c->role == FCM_VALIDATOR_ROLE_REQUEST ? "C-44" : "H-31";
  g_autofree char *ts_path = fcm_path_member (base, "timestamp");
  g_autofree char *name_path = NULL;
  FcmEventInfo ev = { NULL, };
  const FcmJson *node;
  const char *timestamp;
  gboolean is_heartbeat;

  timestamp = fcm_check_require_string (c, message, base, "timestamp", shape_rule, ERROR,
                                        N_("when the event happened, ISO 8601 in UTC"));
  if (timestamp != NULL)
    fcm_check_timestamp (c, timestamp, ts_path, "C-25");

  fcm_check_require_string (c, message, base, "id", shape_rule, ERROR,
                            N_("the event id, unique per hub (a UUID)"));

  ev.ev_path = fcm_path_member (base, "event");
  node = fcm_get_member (message, "event");

  if (node == NULL)
    {
      fcm_check_add (c, ERROR, shape_rule, ev.ev_path,
                     _("Required member 'event' is missing: {\"hub.topic\", \"hub.event\", "
                       "\"context\"}"));
      goto out;
    }

  if (!(ev.event = fcm_as_object (node)))
    {
      fcm_check_add (c, ERROR, shape_rule, ev.ev_path,
                     _("'event' must be an object {\"hub.topic\", \"hub.event\", \"context\"}, got "
                       "%s"), fcm_doc_type_name (node));
      goto out;
    }

  ev.ctx_path = fcm_path_member (ev.ev_path, "context");
  name_path = fcm_path_member (ev.ev_path, "hub.event");

  fcm_check_require_string (c, ev.event, ev.ev_path, "hub.topic", "C-25", ERROR,
                            N_("the session topic"));
  ev.name = fcm_check_require_string (c, ev.event, ev.ev_path, "hub.event", "C-25", ERROR,
                                      N_("the event name"));
  ev.canonical = ev.name ? fcm_event_name_canonicalize (ev.name) : NULL;
  is_heartbeat = ev.canonical != NULL && g_ascii_strcasecmp (ev.canonical, "heartbeat") == 0;

  ev.version_id = read_version (c, ev.event, ev.ev_path, "context.versionId", "versionId",
                                &ev.has_version);
  ev.prior_version_id = read_version (c, ev.event, ev.ev_path, "context.priorVersionId",
                                      "priorVersionId", &ev.has_prior_version);
  ev.notification = c->role == FCM_VALIDATOR_ROLE_NOTIFICATION ||
                    (c->role == FCM_VALIDATOR_ROLE_ANY && ev.has_prior_version);

  node = fcm_get_member (ev.event, "context");
  if (node == NULL)
    fcm_check_add (c, is_heartbeat ? WARNING : ERROR, "C-25", ev.ctx_path,
                   _("Required member 'context' is missing (an empty context is [])"));
  else if (!(ev.context = fcm_as_array (node)))
    fcm_check_add (c, ERROR, "C-25", ev.ctx_path, _("'context' must be an array, got %s"),
                   fcm_doc_type_name (node));
  else
    fcm_check_context_array (c, ev.context, ev.ctx_path);

  if (ev.name == NULL)
    goto out;

  check_event_name (c, ev.name, ev.canonical, name_path);

  if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN) == 0)
    fcm_check_dr_open (c, &ev);
  else if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE) == 0)
    fcm_check_dr_close (c, &ev);
  else if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE) == 0)
    fcm_check_dr_update (c, &ev);
  else if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT) == 0)
    fcm_check_dr_select (c, &ev);
  else if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_SYNCERROR) == 0)
    fcm_check_syncerror (c, &ev);
  else if (is_heartbeat)
    fcm_check_heartbeat (c, &ev);

out:
  g_free (ev.ev_path);
  g_free (ev.ctx_path);
}
