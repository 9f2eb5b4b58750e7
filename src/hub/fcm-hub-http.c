/* fcm-hub-http.c: every HTTP request the hub receives
 *
 * First, from the headers alone (the early handler, before any of the body
 * is read): a body over 1 MiB is refused (an announced one at once, a
 * chunked one as soon as it passes the limit), and so is a request whose
 * bearer token (or secret) is missing or wrong, without reading its body
 * (fcm-hub-connections.c writes those answers).
 *
 * Then routing, in order: the WebSocket endpoints (with tokens, only the
 * application that subscribed may connect one), the 2019 prototype's
 * socket and GetTopic, /admin/ (its own credential), authorization,
 * discovery (.well-known, H-01), then below FCM_HUB_BASE_PATH: GET {topic}
 * (Get Current Context), a JSON POST (a context change) or a form POST (a
 * subscription). Each request is audited once answered (H-40). Also the
 * plain-text and JSON replies every handler uses.
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

/* With tokens (or introspection), a subscription belongs to the
 * application whose token made it, and only it may connect its endpoint:
 * the upgrade carries that application's bearer token. FHIRcast's own
 * handshake carries none (C-09), so --ws-token-optional lets an upgrade
 * without any token through (the endpoint id alone is then the ticket).
 * @owner: (nullable): the principal the socket must belong to; %NULL = any.
 * Returns FALSE when @msg was answered (or waits for introspection). */
static gboolean
ws_authorized (FcmHub            *self,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               const char        *owner,
               Token            **out_token)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  AuthRefusal refusal = { 0, };

  *out_token = NULL;
  if (self->tokens == NULL && self->introspect_url == NULL)
    return TRUE;
  if (auth == NULL && self->ws_token_optional)
    return TRUE;
  switch (_fcm_hub_authenticate (self, msg, path, query, FALSE, out_token, &refusal))
    {
    case AUTH_PAUSED:
      return FALSE;
    case AUTH_REFUSED:
      _fcm_hub_refuse (msg, &refusal);
      return FALSE;
    case AUTH_OK:
    default:
      break;
    }
  if (owner != NULL && (*out_token == NULL || g_strcmp0 ((*out_token)->principal, owner) != 0))
    {
      g_debug ("WebSocket upgrade refused: another application's endpoint");
      _fcm_hub_respond_text (msg, SOUP_STATUS_FORBIDDEN, "this endpoint belongs to another application's token");
      return FALSE;
    }
  return TRUE;
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
      Subscriber *sub = g_hash_table_lookup (self->subscribers, path + strlen (WS_PATH "/"));

      if (sub == NULL)
        _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "unknown endpoint");
      else if (ws_authorized (self, msg, path, query, sub->owner, &token))
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
          if (!ws_authorized (self, msg, path, query, NULL, &token))
            return;
          /* the socket goes to a subscription of this application only */
          if (token != NULL)
            g_object_set_data_full (G_OBJECT (msg), "fcm-principal", g_strdup (token->principal), g_free);
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

  /* /admin/ has its own credential (fcm-hub-admin.c) */
  if (self->admin && g_str_has_prefix (path, ADMIN_PATH "/"))
    {
      AuthRefusal refusal = { 0, };

      if (!_fcm_hub_admin_authorized (self, msg, &refusal))
        _fcm_hub_refuse (msg, &refusal);
      else
        _fcm_hub_handle_admin (self, msg, path, query);
      return;
    }

  /* the secret or a token guards every other HTTP call, discovery included */
  if (!_fcm_hub_check_auth (self, msg, path, query, &token))
    return;

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
  if (*rest != '\0' && _fcm_hub_check_topic (rest) != NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, _fcm_hub_check_topic (rest));
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
        const char *bad_field = NULL;
        g_autoptr(GHashTable) form = _fcm_hub_form_decode (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                                           &bad_field);

        if (form == NULL)
          {
            g_autofree char *reason = g_strdup_printf ("%s is not UTF-8 text without NUL", bad_field);

            _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, reason);
            return;
          }
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

/* Small forms are read before a refusal when an audit trail is written, so
 * that it can say which transaction was refused (subscribe, unsubscribe). */
#define AUDITED_FORM_MAX_BYTES 8192

static gboolean
is_small_form (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *ct = soup_message_headers_get_content_type (headers, NULL);

  return ct != NULL && g_ascii_strcasecmp (ct, "application/x-www-form-urlencoded") == 0 &&
         soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
         soup_message_headers_get_content_length (headers) <= AUDITED_FORM_MAX_BYTES;
}

/*
 * _fcm_hub_early_check:
 *
 * Authorization from the headers alone, before the body is read (H-03):
 * a refused request is answered at once and its body never read. The
 * WebSocket upgrades and GetTopic (no body; checked when handled) pass.
 * With token introspection the request waits here for the answer.
 *
 * Returns: FALSE when @msg was answered
 */
gboolean
_fcm_hub_early_check (FcmHub            *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query)
{
  AuthRefusal refusal = { 0, };
  Token *token = NULL;

  if (g_str_has_prefix (path, WS_PATH "/") ||
      (self->legacy && _fcm_hub_is_legacy_ws_path (self, path)) ||
      (self->users != NULL && _fcm_hub_is_gettopic_path (path)))
    return TRUE;

  if (self->admin && g_str_has_prefix (path, ADMIN_PATH "/"))
    {
      if (_fcm_hub_admin_authorized (self, msg, &refusal))
        return TRUE;
    }
  else
    {
      switch (_fcm_hub_authenticate (self, msg, path, query, TRUE, &token, &refusal))
        {
        case AUTH_OK:
        case AUTH_PAUSED:
          return TRUE;
        case AUTH_REFUSED:
        default:
          if (_fcm_hub_auditing (self) && is_small_form (msg))
            return TRUE;   /* refused once read, and audited in full */
          break;
        }
    }

  if (refusal.challenge != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                  refusal.challenge);
  if (refusal.status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
  _fcm_hub_answer_early (self, msg, path, refusal.status, refusal.reason);
  return FALSE;
}

/* From the headers alone: the body's size, then who calls. */
void
_fcm_hub_early_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  FcmHub *self = user_data;

  if (!_fcm_hub_conn_limit_body (self, msg, path))
    return;
  _fcm_hub_early_check (self, msg, path, query);
}
