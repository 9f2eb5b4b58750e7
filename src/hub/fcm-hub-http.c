/* fcm-hub-http.c: every HTTP request the hub receives
 *
 * Routing, in order: the WebSocket endpoints, the 2019 prototype's socket
 * and GetTopic, authorization, /admin/, discovery (.well-known, H-01),
 * then below FCM_HUB_BASE_PATH: GET {topic} (Get Current Context), a JSON
 * POST (a context change) or a form POST (a subscription). Bodies over
 * 1 MiB are refused, announced ones before they are read. Each request is
 * audited once answered (H-40). Also the plain-text and JSON replies every
 * handler uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-hub-private.h"

void
_fcm_hub_respond_text (SoupServerMessage *msg,
                       guint              status,
                       const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  if (text != NULL)
    soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                      text, strlen (text));
}

void
_fcm_hub_respond_json (SoupServerMessage *msg,
                       guint              status,
                       JsonObject        *obj)
{
  g_autofree char *text = _fcm_hub_object_to_string (obj);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
handle_well_known (FcmHub            *self,
                   SoupServerMessage *msg)
{
  static const char * const events[] = {
    "DiagnosticReport-open", "DiagnosticReport-close", "DiagnosticReport-update",
    "DiagnosticReport-select", "ImagingStudy-open", "ImagingStudy-close", "Patient-open",
    "Patient-close", "Encounter-open", "Encounter-close", "SyncError", "userLogout",
    "userHibernate",
  };
  g_autoptr(JsonObject) obj = json_object_new ();
  JsonArray *supported = json_array_new ();
  JsonObject *caps = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    json_array_add_string_element (supported, events[i]);
  json_object_set_array_member (obj, "eventsSupported", supported);
  json_object_set_boolean_member (obj, "websocketSupport", TRUE);
  json_object_set_string_member (obj, "fhircastVersion", "3.0.0");
  json_object_set_boolean_member (obj, "getCurrentSupport", TRUE);
  json_object_set_boolean_member (caps, "supportsGetCurrentContext", TRUE);
  json_object_set_boolean_member (caps, "supportsNonCurrentContextUpdates", FALSE);
  json_object_set_object_member (obj, "capabilities", caps);
  json_object_set_string_member (obj, "fhirVersion", "R5");
  _fcm_hub_respond_json (msg, SOUP_STATUS_OK, obj);
}

static gboolean
content_type_is_json (SoupServerMessage *msg)
{
  const char *ct = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

  return ct != NULL && (g_ascii_strcasecmp (ct, "application/json") == 0 ||
                        g_ascii_strcasecmp (ct, "application/fhir+json") == 0);
}

static void
http_dispatch (FcmHub            *self,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  Token *token = NULL;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  const char *rest;
  g_autoptr(GBytes) body = NULL;

  /* WebSocket endpoints: refuse unknown ids before the upgrade (H-10) */
  if (g_str_has_prefix (path, WS_PATH "/"))
    {
      if (!g_hash_table_contains (self->subscribers, path + strlen (WS_PATH "/")))
        _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "unknown endpoint");
      else
        _fcm_hub_ws_handshake (self, msg);
      return;
    }

  /* 2019 prototype: the derived socket ws://host/{topic} (--legacy) */
  if (self->legacy && g_str_equal (method, SOUP_METHOD_GET) && _fcm_hub_is_legacy_ws_path (self, path))
    {
      const char *upgrade = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                          "Upgrade");

      if (upgrade != NULL && g_ascii_strcasecmp (upgrade, "websocket") == 0)
        {
          _fcm_hub_ws_handshake (self, msg);
          return;
        }
    }

  /* the prototype's GetTopic carries the secret in its query instead */
  if (self->users != NULL && _fcm_hub_is_gettopic_path (path))
    {
      _fcm_hub_handle_gettopic (self, msg, path, query);
      return;
    }

  if (self->audit_rec != NULL)
    {
      g_autoptr(GBytes) audit_body = soup_message_body_flatten (request_body);

      _fcm_hub_audit_classify (self, msg, path, audit_body);
    }

  /* the secret or a token guards every HTTP call, discovery included */
  if (!_fcm_hub_check_auth (self, msg, path, query, &token))
    return;

  if (self->admin && g_str_has_prefix (path, ADMIN_PATH "/"))
    {
      _fcm_hub_handle_admin (self, msg, path, query);
      return;
    }

  if (g_str_equal (path, FCM_HUB_BASE_PATH "/.well-known/fhircast-configuration") ||
      g_str_equal (path, "/.well-known/fhircast-configuration"))
    {
      if (!g_str_equal (method, SOUP_METHOD_GET))
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "use GET");
          return;
        }
      handle_well_known (self, msg);   /* H-01 */
      return;
    }

  if (!g_str_equal (path, FCM_HUB_BASE_PATH) && !g_str_has_prefix (path, FCM_HUB_BASE_PATH "/"))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
      return;
    }

  if (request_body->length > FCM_HUB_MAX_MESSAGE_BYTES)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "request body larger than 1 MiB");
      return;
    }

  rest = path + strlen (FCM_HUB_BASE_PATH);
  if (*rest == '/')
    rest++;
  if (strchr (rest, '/') != NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
      return;
    }

  body = soup_message_body_flatten (request_body);

  if (g_str_equal (method, SOUP_METHOD_GET))
    {
      if (*rest == '\0')
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "GET " FCM_HUB_BASE_PATH "/{topic}");
          return;
        }
      _fcm_hub_handle_get_context (self, msg, rest, token);
      return;
    }

  if (!g_str_equal (method, SOUP_METHOD_POST))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "use GET or POST");
      return;
    }

  if (content_type_is_json (msg))
    {
      _fcm_hub_handle_context_change (self, msg, *rest != '\0' ? rest : NULL,
                                      g_bytes_get_data (body, NULL), g_bytes_get_size (body), token);
      return;
    }

  {
    const char *ct = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

    if (*rest == '\0' && ct != NULL && g_ascii_strcasecmp (ct, "application/x-www-form-urlencoded") == 0)
      {
        g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
        g_autoptr(GHashTable) form = soup_form_decode (text);

        _fcm_hub_handle_form (self, msg, form, token);
        return;
      }
  }

  _fcm_hub_respond_text (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                         "expected application/x-www-form-urlencoded or application/json");
}

void
_fcm_hub_handle (FcmHub            *self,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query)
{
  AuditRecord rec = { NULL, };

  self->request_paused = FALSE;
  if (!_fcm_hub_auditing (self))
    {
      http_dispatch (self, msg, path, query);
      return;
    }

  /* H-40: the handlers fill in rec; audited transactions are written once
   * answered (a request waiting for token introspection is handled again) */
  self->audit_rec = &rec;
  http_dispatch (self, msg, path, query);
  self->audit_rec = NULL;
  if (rec.transaction != NULL && !self->request_paused)
    {
      if (self->audit != NULL && !self->audit->failed)
        _fcm_hub_audit_emit (self, msg, &rec);
      if (self->atna != NULL)
        _fcm_hub_audit_emit_atna (self, msg, &rec);
    }
  _fcm_hub_audit_record_clear (&rec);
}

void
_fcm_hub_http_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  _fcm_hub_handle (user_data, msg, path, query);
}

/* Refuses an announced oversized body before it is read. */
void
_fcm_hub_early_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > FCM_HUB_MAX_MESSAGE_BYTES)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      _fcm_hub_respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "request body larger than 1 MiB");
    }
}
