/* fcm-hub-client.c: a FHIRcast STU3 / IHE IRA subscriber (WebSocket channel)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rule ids (C-xx) refer to the client checklist of the spec digest §1.
 * Everything runs on the thread-default main context of the thread that
 * created the client: no threads, no blocking calls.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-error.h"
#include "fcm-hub-client.h"
#include "fcm-json-private.h"
#include "fcm-message.h"

#define DEFAULT_REQUEST_TIMEOUT_MS 10000
#define DEFAULT_RECONNECT_INITIAL_MS 1000
#define DEFAULT_RECONNECT_MAX_MS 60000
#define PUBLISH_MAX_ATTEMPTS 3
#define MAX_REASON_CHARS 200

struct _FcmHubClient
{
  GObject parent_instance;

  SoupSession *session;
  GCancellable *cancellable;         /* internal operations; cancelled in dispose */

  char *hub_url;
  char *topic;
  GStrv events;
  char *subscriber_name;
  char *token;
  guint lease_seconds;               /* requested; 0 = let the hub choose */
  guint granted_lease;
  GStrv granted_events;
  gboolean legacy;

  FcmClientState state;
  char *endpoint;
  SoupWebsocketConnection *ws;
  gboolean closing;                  /* we asked for the close */

  GTask *pending;                    /* subscribe attempt waiting for the confirmation */
  guint confirm_timeout_id;
  guint renew_id;
  guint reconnect_id;
  guint attempt;
  guint reconnect_initial_ms;
  guint reconnect_max_ms;
  guint request_timeout_ms;

  /* liveness (C-69): heartbeat period seen, and WebSocket ping/pong */
  gboolean post_to_topic;            /* publish to {hub}/{topic} (some vendors) */
  guint keepalive_seconds;
  guint heartbeat_period_ms;         /* 0 until a heartbeat carries a period */
  guint heartbeat_watch_id;
  guint pong_watch_id;

  GHashTable *ack_policy;            /* lower-case event name → status */
  guint default_ack;

  JsonNode *current_context;

  /* requests we published by id, oldest first, to spot the hub's echo (C-38) */
  GHashTable *own_ids;               /* id → FcmEvent */
  GQueue own_id_queue;

  /* C-51: resending our requests named by a syncerror */
  gboolean resend_on_syncerror;
  guint resend_interval_ms;
  guint resend_max_tries;
  GHashTable *resends;               /* id → Resend */
};

typedef struct
{
  FcmHubClient *self;                /* unowned; the source is removed in dispose */
  FcmEvent *event;                   /* the original request: same id, timestamp, context */
  guint tries;
  guint source_id;
} Resend;

#define DEFAULT_RESEND_INTERVAL_MS 10000
#define DEFAULT_RESEND_MAX_TRIES 3

#define OWN_IDS_MAX 256

G_DEFINE_FINAL_TYPE (FcmHubClient, fcm_hub_client, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (FcmClientState, fcm_client_state,
                    G_DEFINE_ENUM_VALUE (FCM_CLIENT_STATE_DISCONNECTED, "disconnected"),
                    G_DEFINE_ENUM_VALUE (FCM_CLIENT_STATE_SUBSCRIBING, "subscribing"),
                    G_DEFINE_ENUM_VALUE (FCM_CLIENT_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (FCM_CLIENT_STATE_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (FCM_CLIENT_STATE_RENEWING, "renewing"),
                    G_DEFINE_ENUM_VALUE (FCM_CLIENT_STATE_RECONNECTING, "reconnecting"),
                    G_DEFINE_ENUM_VALUE (FCM_CLIENT_STATE_DENIED, "denied"),
                    G_DEFINE_ENUM_VALUE (FCM_CLIENT_STATE_ERROR, "error"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_HUB_URL,
  PROP_TOPIC,
  PROP_EVENTS,
  PROP_SUBSCRIBER_NAME,
  PROP_TOKEN,
  PROP_LEASE_SECONDS,
  PROP_GRANTED_EVENTS,
  PROP_LEGACY,
  PROP_CURRENT_CONTEXT,
  PROP_RESEND_ON_SYNCERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_EVENT,
  SIGNAL_SYNCERROR,
  SIGNAL_DENIED,
  SIGNAL_MESSAGE,
  SIGNAL_FRAME,
  SIGNAL_ACK_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_subscribe (FcmHubClient *self,
                             GTask        *task);
static void lost_sync       (FcmHubClient *self,
                             const char   *why);

/* ---------------------------------------------------------------- helpers */

const char *
fcm_client_state_to_string (FcmClientState state)
{
  GEnumClass *klass = g_type_class_ref (FCM_TYPE_CLIENT_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);
  const char *nick = value != NULL ? value->value_nick : "unknown";

  g_type_class_unref (klass);
  return nick;
}

/* Never log a secret (token, endpoint id, topic) in full (C-09). */
static char *
redact (const char *text)
{
  if (text == NULL)
    return g_strdup ("(null)");
  if (strlen (text) <= 4)
    return g_strdup ("…");
  return g_strdup_printf ("%.4s…", text);
}

static char *
redact_url (const char *url)
{
  const char *slash;

  if (url == NULL)
    return g_strdup ("(null)");
  slash = strrchr (url, '/');
  if (slash == NULL)
    return redact (url);
  return g_strdup_printf ("%.*s/%.4s…", (int) (slash - url), url, slash + 1);
}

static char *
reason_from_body (GBytes *body)
{
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *valid = NULL;

  if (data == NULL || len == 0)
    return g_strdup ("");
  valid = g_utf8_make_valid (data, (gssize) MIN (len, 4096));
  g_strstrip (valid);
  if (g_utf8_strlen (valid, -1) > MAX_REASON_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (valid, MAX_REASON_CHARS);
      *end = '\0';
    }
  return g_steal_pointer (&valid);
}

static gboolean
set_str (char       **dest,
         const char  *value)
{
  if (g_strcmp0 (*dest, value) == 0)
    return FALSE;
  g_free (*dest);
  *dest = g_strdup (value);
  return TRUE;
}

static void
set_state (FcmHubClient   *self,
           FcmClientState  state)
{
  if (self->state == state)
    return;
  g_debug ("client: state %s → %s", fcm_client_state_to_string (self->state),
           fcm_client_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
add_auth (FcmHubClient *self,
          SoupMessage  *msg)
{
  if (self->token != NULL && self->token[0] != '\0')
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", value);
    }
}

static void
clear_source (guint *id)
{
  if (*id != 0)
    {
      g_source_remove (*id);
      *id = 0;
    }
}

static void
ws_disconnect (FcmHubClient *self,
               gboolean      send_close)
{
  clear_source (&self->heartbeat_watch_id);
  clear_source (&self->pong_watch_id);
  if (self->ws == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->ws, self);
  if (send_close && soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->ws);
}

static GError *
http_error (SoupMessage *msg,
            GBytes      *body,
            const char  *what)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *reason = reason_from_body (body);
  FcmError code = FCM_ERROR_REFUSED;

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    code = FCM_ERROR_UNAUTHORIZED;
  else if (status == SOUP_STATUS_NOT_FOUND)
    code = FCM_ERROR_NOT_FOUND;
  else if (status == SOUP_STATUS_CONFLICT)
    code = FCM_ERROR_CONFLICT;

  return g_error_new (FCM_ERROR, code, "%s: the hub answered %u %s%s%s", what, status,
                      soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "",
                      reason[0] ? ": " : "", reason);
}

/* A clear message for certificate problems (TLS, toolchain §6). */
static void
prefix_tls_error (GError **error)
{
  if (error != NULL && *error != NULL && (*error)->domain == G_TLS_ERROR)
    g_prefix_error (error, "TLS: %s",
                    (*error)->code == G_TLS_ERROR_BAD_CERTIFICATE
                      ? "the hub's certificate is not trusted (use --ca-file for a private CA): "
                      : "");
}

/* ---------------------------------------------------------------- acks */

void
fcm_hub_client_set_ack_policy (FcmHubClient *self,
                               const char   *event_name,
                               guint         status)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (status >= 100 && status <= 599);

  if (event_name == NULL)
    self->default_ack = status;
  else
    g_hash_table_insert (self->ack_policy, g_ascii_strdown (event_name, -1),
                         GUINT_TO_POINTER (status));
}

guint
fcm_hub_client_get_ack_status (FcmHubClient *self,
                               const char   *event_name)
{
  g_autofree char *lower = NULL;
  gpointer value;

  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), 200);

  if (event_name == NULL)
    return self->default_ack;
  lower = g_ascii_strdown (event_name, -1);
  if (g_hash_table_lookup_extended (self->ack_policy, lower, NULL, &value))
    return GPOINTER_TO_UINT (value);
  /* the canonical spelling too (legacy names map onto STU3 names) */
  g_free (lower);
  lower = g_ascii_strdown (fcm_event_name_canonicalize (event_name), -1);
  if (g_hash_table_lookup_extended (self->ack_policy, lower, NULL, &value))
    return GPOINTER_TO_UINT (value);
  return self->default_ack;
}

/* @text as the inside of a JSON string (RFC 8259 §7). */
static void
append_json_escaped (GString    *out,
                     const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
}

/* C-28: {"id","status"} over the same socket; status as a string (digest §4.3 item 1). */
static void
send_ack (FcmHubClient *self,
          const char   *id,
          guint         status)
{
  g_autofree char *text = NULL;
  g_autofree char *status_text = g_strdup_printf ("%u", status);

  if (self->ws == NULL || soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  if (self->legacy)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *ts = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");

      /* 2019 prototype reply: {"timestamp","status","statusCode"}, no id */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "timestamp");
      json_builder_add_string_value (builder, ts);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status >= 200 && status < 300 ? "OK" : "Error");
      json_builder_set_member_name (builder, "statusCode");
      json_builder_add_string_value (builder, status_text);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = fcm_json_to_string (root, FALSE);
    }
  else
    {
      /* Hot path, one ack per notification: written directly (a JsonBuilder
       * and generator cost ~5 % of the ingest time in bench-client). */
      GString *ack = g_string_sized_new (64);

      g_string_append (ack, "{\"id\":\"");
      append_json_escaped (ack, id);
      g_string_append (ack, "\",\"status\":\"");
      g_string_append (ack, status_text);
      g_string_append (ack, "\"}");
      text = g_string_free (ack, FALSE);
    }

  soup_websocket_connection_send_text (self->ws, text);
  g_signal_emit (self, signals[SIGNAL_ACK_SENT], 0, id, status);
}

static void
followup_syncerror_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint status;

  status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, NULL, NULL, &error);
  if (error != NULL)
    g_debug ("client: follow-up syncerror failed: %s", error->message);
  else
    g_debug ("client: follow-up syncerror answered %u", status);
}

/* C-30 / C-60: after a 202 we refuse through a SyncError POST. */
static void
send_followup_syncerror (FcmHubClient *self,
                         FcmEvent     *event)
{
  g_autoptr(JsonArray) context = NULL;
  g_autoptr(FcmEvent) syncerror = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *diagnostics = NULL;

  if (fcm_event_has_name (event, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE) ||
      fcm_event_has_name (event, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT) ||
      fcm_event_has_name (event, FCM_EVENT_SYNCERROR))
    {
      /* C-61: never a syncerror for update/select (nor for a syncerror) */
      return;
    }

  diagnostics = g_strdup_printf ("%s did not follow %s",
                                 self->subscriber_name ? self->subscriber_name : "subscriber",
                                 fcm_event_get_name (event));
  context = fcm_context_build_syncerror (fcm_event_get_id (event), fcm_event_get_name (event),
                                         self->subscriber_name ? self->subscriber_name : "",
                                         diagnostics);
  syncerror = fcm_event_new (id, NULL, self->topic, "syncerror", context, NULL, NULL);
  fcm_hub_client_publish_async (self, syncerror, self->cancellable, followup_syncerror_cb, NULL);
}

/* ---------------------------------------------------------------- liveness */

static gboolean
heartbeat_watch_cb (gpointer data)
{
  FcmHubClient *self = data;

  self->heartbeat_watch_id = 0;
  /* C-69: a heartbeat period (twice, plus slack) without anything received */
  lost_sync (self, "no heartbeat within the announced period");
  return G_SOURCE_REMOVE;
}

static gboolean
pong_watch_cb (gpointer data)
{
  FcmHubClient *self = data;

  self->pong_watch_id = 0;
  lost_sync (self, "no answer to WebSocket pings");
  return G_SOURCE_REMOVE;
}

static void
stop_watchdogs (FcmHubClient *self)
{
  clear_source (&self->heartbeat_watch_id);
  clear_source (&self->pong_watch_id);
}

/* Anything from the hub proves the connection is alive. */
static void
feed_watchdogs (FcmHubClient *self)
{
  if (self->ws == NULL)
    return;
  clear_source (&self->heartbeat_watch_id);
  /* two periods plus slack (up to 1 s) with nothing received means the connection is gone */
  if (self->heartbeat_period_ms > 0)
    self->heartbeat_watch_id = g_timeout_add (self->heartbeat_period_ms * 2 +
                                              MIN (self->heartbeat_period_ms, 1000),
                                              heartbeat_watch_cb, self);
  clear_source (&self->pong_watch_id);
  if (self->keepalive_seconds > 0)
    self->pong_watch_id = g_timeout_add_seconds (self->keepalive_seconds * 3,
                                                 pong_watch_cb, self);
}

static void
ws_pong_cb (SoupWebsocketConnection *ws,
            GBytes                  *message,
            gpointer                 user_data)
{
  feed_watchdogs (user_data);
}

static void
note_heartbeat (FcmHubClient *self,
                FcmEvent     *event)
{
  JsonObject *period = fcm_event_lookup_context (event, "period");
  JsonNode *value = period ? json_object_get_member (period, "decimal") : NULL;
  double seconds = 0;

  if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
    {
      GType type = json_node_get_value_type (value);

      if (type == G_TYPE_INT64)
        seconds = (double) json_node_get_int (value);
      else if (type == G_TYPE_DOUBLE)
        seconds = json_node_get_double (value);
    }
  /* the period comes from the hub (Medplum: 10 s); accept fractions of a second */
  if (seconds >= 0.05 && seconds <= 3600)
    {
      self->heartbeat_period_ms = (guint) (seconds * 1000);
      feed_watchdogs (self);
    }
}

/* ---------------------------------------------------------------- renewal */

static gboolean renew_cb (gpointer data);

static void
schedule_renewal (FcmHubClient *self)
{
  guint lease = self->granted_lease ? self->granted_lease : self->lease_seconds;
  guint64 ms;

  clear_source (&self->renew_id);
  if (lease == 0 || self->legacy)
    return;
  /* C-23: renew at about 80 % of the lease */
  ms = (guint64) lease * 800;
  self->renew_id = g_timeout_add ((guint) MIN (ms, G_MAXUINT), renew_cb, self);
}

static void
renew_post_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FcmHubClient) self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->state != FCM_CLIENT_STATE_RENEWING)
    return;
  if (error == NULL && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    error = http_error (msg, body, "renewing the lease");
  if (error != NULL)
    {
      g_debug ("client: %s", error->message);
      lost_sync (self, "lease renewal failed");
      return;
    }

  /* The hub may send a fresh confirmation (handled in on_confirmation); don't rely on it. */
  set_state (self, FCM_CLIENT_STATE_ACTIVE);
  schedule_renewal (self);
}

static SoupMessage *
subscribe_message (FcmHubClient *self,
                   const char   *mode,
                   const char   *endpoint)
{
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  SoupMessage *msg;
  char *encoded;

  g_hash_table_insert (form, (char *) "hub.channel.type", g_strdup ("websocket"));
  g_hash_table_insert (form, (char *) "hub.mode", g_strdup (mode));
  g_hash_table_insert (form, (char *) "hub.topic", g_strdup (self->topic));
  if (g_str_equal (mode, "subscribe") && self->legacy)
    {
      g_autofree char *events = g_strjoinv (",", self->events);

      /* 2019 prototype (digest §4.1): legacy names, no lease, no subscriber.name */
      if (g_str_equal (events, FCM_HUB_CLIENT_DEFAULT_EVENTS))
        g_hash_table_insert (form, (char *) "hub.events", g_strdup (FCM_HUB_CLIENT_LEGACY_EVENTS));
      else
        g_hash_table_insert (form, (char *) "hub.events", g_steal_pointer (&events));
    }
  else if (g_str_equal (mode, "subscribe"))
    {
      g_hash_table_insert (form, (char *) "hub.events",
                           g_strjoinv (",", self->events));
      if (self->lease_seconds > 0)
        g_hash_table_insert (form, (char *) "hub.lease_seconds",
                             g_strdup_printf ("%u", self->lease_seconds));
      if (self->subscriber_name != NULL && self->subscriber_name[0] != '\0')
        g_hash_table_insert (form, (char *) "subscriber.name", g_strdup (self->subscriber_name));
    }
  if (endpoint != NULL)
    g_hash_table_insert (form, (char *) "hub.channel.endpoint", g_strdup (endpoint));

  encoded = soup_form_encode_hash (form);
  msg = soup_message_new_from_encoded_form (SOUP_METHOD_POST, self->hub_url, encoded);
  if (msg != NULL)
    add_auth (self, msg);
  return msg;
}

static gboolean
renew_cb (gpointer data)
{
  FcmHubClient *self = data;
  g_autoptr(SoupMessage) msg = NULL;

  self->renew_id = 0;
  if (self->state != FCM_CLIENT_STATE_ACTIVE || self->endpoint == NULL)
    return G_SOURCE_REMOVE;

  set_state (self, FCM_CLIENT_STATE_RENEWING);
  /* C-23: same topic and the same hub.channel.endpoint */
  msg = subscribe_message (self, "subscribe", self->endpoint);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    renew_post_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------- reconnect */

static gboolean
reconnect_cb (gpointer data)
{
  FcmHubClient *self = data;
  g_autoptr(GTask) task = NULL;

  self->reconnect_id = 0;
  if (self->state != FCM_CLIENT_STATE_RECONNECTING)
    return G_SOURCE_REMOVE;

  task = g_task_new (self, self->cancellable, NULL, NULL);
  g_task_set_source_tag (task, reconnect_cb);
  start_subscribe (self, task);
  return G_SOURCE_REMOVE;
}

/* C-68: capped exponential backoff with jitter (half fixed, half random). */
static void
schedule_reconnect (FcmHubClient *self)
{
  guint64 delay = self->reconnect_initial_ms;
  guint jittered;

  for (guint i = 0; i < self->attempt && delay < self->reconnect_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->reconnect_max_ms);
  jittered = (guint) (delay / 2 + (guint64) g_random_int_range (0, (gint32) MIN (delay / 2, G_MAXINT32 - 1) + 1));
  self->attempt++;
  g_debug ("client: resubscribing in %u ms (attempt %u)", jittered, self->attempt);
  clear_source (&self->reconnect_id);
  self->reconnect_id = g_timeout_add (jittered, reconnect_cb, self);
}

static void
retire_post_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (error != NULL)
    g_debug ("client: retiring the old endpoint: %s", error->message);
}

static void
lost_sync (FcmHubClient *self,
           const char   *why)
{
  g_debug ("client: sync lost: %s", why);
  clear_source (&self->renew_id);
  clear_source (&self->confirm_timeout_id);
  ws_disconnect (self, TRUE);
  if (self->endpoint != NULL)
    {
      /* Best effort: the hub may still hold the old subscription (a dropped
       * socket keeps it until the lease ends); we resubscribe with a new
       * endpoint (C-68), so retire the old one instead of leaving it behind. */
      g_autoptr(SoupMessage) msg = subscribe_message (self, "unsubscribe", self->endpoint);

      if (msg != NULL)
        soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                          self->cancellable, retire_post_cb, NULL);
    }
  g_clear_pointer (&self->endpoint, g_free);
  set_state (self, FCM_CLIENT_STATE_RECONNECTING);
  schedule_reconnect (self);
}

/* ---------------------------------------------------------------- subscribe */

/* Ends the attempt in self->pending with @error (takes it). */
static void
attempt_failed (FcmHubClient *self,
                GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);
  gboolean internal;

  clear_source (&self->confirm_timeout_id);
  ws_disconnect (self, TRUE);
  g_clear_pointer (&self->endpoint, g_free);

  if (task == NULL)
    {
      g_error_free (error);
      return;
    }

  internal = g_task_get_source_tag (task) == reconnect_cb;
  if (g_error_matches (error, FCM_ERROR, FCM_ERROR_DENIED))
    set_state (self, FCM_CLIENT_STATE_DENIED);
  else if (internal && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("client: resubscribe failed: %s", error->message);
      set_state (self, FCM_CLIENT_STATE_RECONNECTING);
      schedule_reconnect (self);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, FCM_CLIENT_STATE_ERROR);
  else
    set_state (self, FCM_CLIENT_STATE_DISCONNECTED);

  g_task_return_error (task, error);
}

static void
subscribe_context_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) context = NULL;

  context = fcm_hub_client_get_context_finish (FCM_HUB_CLIENT (source), result, &error);
  if (error != NULL)
    g_debug ("client: fetching the current context failed: %s", error->message);
  /* the subscription is up either way; get_context_finish already stored the context */
  g_task_return_boolean (task, TRUE);
}

static void
on_confirmation (FcmHubClient *self,
                 JsonObject   *object)
{
  const char *events = fcm_json_get_string (object, "hub.events");
  gint64 lease = 0;
  g_autoptr(GTask) task = NULL;

  if (events != NULL)
    {
      g_auto(GStrv) split = g_strsplit (events, ",", -1);

      for (guint i = 0; split[i] != NULL; i++)
        g_strstrip (split[i]);
      g_strfreev (self->granted_events);
      self->granted_events = g_steal_pointer (&split);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTED_EVENTS]);
    }
  else if (self->granted_events == NULL || self->granted_events[0] == NULL)
    {
      /* sandbox-style hubs omit hub.events (interop.md): assume the request was granted */
      g_strfreev (self->granted_events);
      self->granted_events = g_strdupv (self->events);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTED_EVENTS]);
    }
  if (fcm_json_get_int (object, "hub.lease_seconds", &lease) && lease > 0)
    self->granted_lease = (guint) MIN (lease, G_MAXUINT / 1000);
  else
    self->granted_lease = 0;

  clear_source (&self->confirm_timeout_id);
  self->attempt = 0;
  set_state (self, FCM_CLIENT_STATE_ACTIVE);
  schedule_renewal (self);

  task = g_steal_pointer (&self->pending);
  if (task != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* C-22 / C-52: current context right after subscribing (also after a reconnect, C-68) */
      fcm_hub_client_get_context_async (self, cancellable, subscribe_context_cb,
                                        g_steal_pointer (&task));
    }
}

static void
on_denial (FcmHubClient *self,
           JsonObject   *object)
{
  const char *reason = fcm_json_get_string (object, "hub.reason");

  if (self->closing)
    return;                          /* the answer to our own unsubscribe */

  g_debug ("client: denied: %s", reason ? reason : "(no reason)");
  if (self->pending != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_DENIED], 0, reason);
      attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_DENIED, "subscription denied: %s",
                                         reason ? reason : "no reason given"));
      return;
    }

  /* C-23 / C-68: a lapsed lease is lost sync, not a refusal */
  if (reason != NULL && strstr (reason, "lease") != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_DENIED], 0, reason);
      lost_sync (self, reason);
      return;
    }

  /* C-20: gone for good; no automatic retry, so no hot loop */
  clear_source (&self->renew_id);
  clear_source (&self->reconnect_id);
  ws_disconnect (self, TRUE);
  g_clear_pointer (&self->endpoint, g_free);
  set_state (self, FCM_CLIENT_STATE_DENIED);
  g_signal_emit (self, signals[SIGNAL_DENIED], 0, reason);
}

/* ---------------------------------------------------------------- resend (C-51) */

static void
resend_free (Resend *r)
{
  clear_source (&r->source_id);
  g_object_unref (r->event);
  g_free (r);
}

/* The event id a syncerror names (its OperationOutcome's eventid coding), or %NULL. */
static const char *
syncerror_event_id (FcmEvent *event)
{
  JsonObject *item = fcm_event_lookup_context (event, "operationoutcome");
  JsonObject *resource = item ? fcm_json_get_object (item, "resource") : NULL;
  JsonArray *issues = resource ? fcm_json_get_array (resource, "issue") : NULL;

  for (guint i = 0; issues != NULL && i < json_array_get_length (issues); i++)
    {
      JsonNode *node = json_array_get_element (issues, i);
      JsonObject *details = JSON_NODE_HOLDS_OBJECT (node)
        ? fcm_json_get_object (json_node_get_object (node), "details") : NULL;
      JsonArray *codings = details ? fcm_json_get_array (details, "coding") : NULL;

      for (guint j = 0; codings != NULL && j < json_array_get_length (codings); j++)
        {
          JsonNode *cnode = json_array_get_element (codings, j);
          JsonObject *coding = JSON_NODE_HOLDS_OBJECT (cnode) ? json_node_get_object (cnode) : NULL;
          const char *system = coding ? fcm_json_get_string (coding, "system") : NULL;

          if (system != NULL && g_str_has_suffix (system, "/eventid"))
            return fcm_json_get_string (coding, "code");
        }
    }
  return NULL;
}

static void
resend_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, NULL, NULL, &error);

  if (error != NULL)
    g_debug ("client: resending after a syncerror failed: %s", error->message);
  else
    g_debug ("client: resend after a syncerror answered %u", status);
}

static gboolean
resend_cb (gpointer data)
{
  Resend *r = data;
  FcmHubClient *self = r->self;

  r->source_id = 0;
  if (r->tries >= self->resend_max_tries)
    return G_SOURCE_REMOVE;
  r->tries++;
  g_debug ("client: resending %s after a syncerror (try %u of %u)",
           fcm_event_get_name (r->event), r->tries, self->resend_max_tries);
  /* the original request: same id, original timestamp, same context */
  fcm_hub_client_publish_async (self, r->event, self->cancellable, resend_done_cb, NULL);
  if (r->tries < self->resend_max_tries)
    r->source_id = g_timeout_add (self->resend_interval_ms, resend_cb, r);
  return G_SOURCE_REMOVE;
}

/* C-51: a syncerror names a request we sent: resend it, ≥ the interval apart */
static void
maybe_resend (FcmHubClient *self,
              FcmEvent     *syncerror)
{
  const char *id = syncerror_event_id (syncerror);
  FcmEvent *original;
  Resend *r;

  if (!self->resend_on_syncerror || self->resend_max_tries == 0 || id == NULL)
    return;
  original = g_hash_table_lookup (self->own_ids, id);
  /* never resend a syncerror; one series per request (a copy of the syncerror changes nothing) */
  if (original == NULL || fcm_event_has_name (original, FCM_EVENT_SYNCERROR) ||
      g_hash_table_contains (self->resends, id))
    return;
  r = g_new0 (Resend, 1);
  r->self = self;
  r->event = g_object_ref (original);
  r->source_id = g_timeout_add (self->resend_interval_ms, resend_cb, r);
  g_hash_table_insert (self->resends, g_strdup (id), r);
}

/* A later event on the topic (a newer one, or the echo of our resend: C-66) ends the resends. */
static void
stop_resends (FcmHubClient *self)
{
  GHashTableIter iter;
  Resend *r;

  g_hash_table_iter_init (&iter, self->resends);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &r))
    {
      clear_source (&r->source_id);
      r->tries = self->resend_max_tries;
    }
}

static void
on_notification (FcmHubClient *self,
                 FcmMessage   *message)
{
  FcmEvent *event = fcm_message_get_event (message);
  guint status;

  if (event == NULL)
    {
      JsonNode *root = fcm_message_get_root (message);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      const char *id = object ? fcm_json_get_string (object, "id") : NULL;

      g_debug ("client: unusable notification: %s", fcm_message_get_error (message)->message);
      if (id != NULL)
        send_ack (self, id, 400);    /* C-28: other 4xx = our side can't use it */
      return;
    }

  status = fcm_hub_client_get_ack_status (self, fcm_event_get_name (event));
  /* acknowledge first and quickly (C-28, C-29): syncerrors, replays, heartbeats and echoes too */
  send_ack (self, fcm_event_get_id (event), status);

  if (fcm_event_has_name (event, FCM_EVENT_HEARTBEAT))
    {
      note_heartbeat (self, event);  /* C-69: liveness only */
      return;
    }

  g_object_ref (self);
  if (fcm_event_has_name (event, FCM_EVENT_SYNCERROR))
    {
      maybe_resend (self, event);
      g_signal_emit (self, signals[SIGNAL_SYNCERROR], 0, event);
    }
  else
    {
      stop_resends (self);
      g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
    }
  g_object_unref (self);

  if (status == 202)
    send_followup_syncerror (self, event);
}

static void
ws_message_cb (SoupWebsocketConnection *ws,
               SoupWebsocketDataType    type,
               GBytes                  *message,
               gpointer                 user_data)
{
  FcmHubClient *self = user_data;
  g_autoptr(FcmMessage) msg = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  JsonNode *root;
  FcmMessageKind kind;

  g_object_ref (self);
  feed_watchdogs (self);
  /* Hot path (tests/bench/bench-client): each frame is parsed here, once.
   * The FcmMessage carries the tree (and the event) forward: to the
   * monitor, the validator and the event log, and to the handling below. */
  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    msg = fcm_message_new (data, (gssize) len);
  else
    msg = fcm_message_new_unparsed (data, (gssize) len,
                                    "A binary WebSocket frame: FHIRcast messages are JSON text frames");
  root = fcm_message_get_root (msg);
  kind = fcm_message_get_kind (msg);
  if (root == NULL)
    g_debug ("client: frame that is not JSON text (%" G_GSIZE_FORMAT " bytes)", len);

  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, msg);
  g_signal_emit (self, signals[SIGNAL_FRAME], 0, fcm_message_get_text (msg), kind);

  switch (kind)
    {
    case FCM_MESSAGE_CONFIRMATION:
      on_confirmation (self, json_node_get_object (root));
      break;
    case FCM_MESSAGE_DENIAL:
      on_denial (self, json_node_get_object (root));
      break;
    case FCM_MESSAGE_EVENT:
    case FCM_MESSAGE_LEGACY_EVENT:
      on_notification (self, msg);
      break;
    case FCM_MESSAGE_LEGACY_STATUS:
      /* 2019 prototype: the status frame answering the connect is the confirmation */
      if (self->legacy && self->pending != NULL)
        on_confirmation (self, json_node_get_object (root));
      break;
    case FCM_MESSAGE_UNKNOWN:
    case FCM_MESSAGE_ACK:
    case FCM_MESSAGE_CURRENT_CONTEXT:
    case FCM_MESSAGE_SUBSCRIPTION_REQUEST:
    case FCM_MESSAGE_SUBSCRIPTION_RESPONSE:
    case FCM_MESSAGE_CONFIGURATION:
    case FCM_MESSAGE_BACKPORT:
    case FCM_MESSAGE_GETTOPIC:
    default:
      /* §4.4 step 7: log it and don't ack */
      g_debug ("client: ignoring a %s frame", fcm_message_kind_to_string (kind));
      break;
    }
  g_object_unref (self);
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  FcmHubClient *self = user_data;
  gushort code = soup_websocket_connection_get_close_code (ws);

  g_debug ("client: socket closed (%u)", code);
  g_signal_handlers_disconnect_by_data (ws, self);
  stop_watchdogs (self);
  if (self->ws == ws)
    g_clear_object (&self->ws);

  if (self->closing || self->state == FCM_CLIENT_STATE_DENIED ||
      self->state == FCM_CLIENT_STATE_DISCONNECTED)
    return;

  if (self->pending != NULL)
    {
      /* C-18: closed before the confirmation; go back to subscribing */
      attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_IO,
                                         "the hub closed the socket (%u) before confirming", code));
      return;
    }

  /* C-68 */
  lost_sync (self, "socket closed unexpectedly");
}

static gboolean
confirm_timeout_cb (gpointer data)
{
  FcmHubClient *self = data;

  self->confirm_timeout_id = 0;
  attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_TIMEOUT,
                                     "no subscription confirmation within %u ms",
                                     self->request_timeout_ms));
  return G_SOURCE_REMOVE;
}

static void
ws_connect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FcmHubClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (ws == NULL)
    {
      prefix_tls_error (&error);
      g_prefix_error (&error, "connecting the WebSocket: ");
      self->pending = g_steal_pointer (&task);
      attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  if (self->closing)
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (ws);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "unsubscribed");
      return;
    }

  soup_websocket_connection_set_max_incoming_payload_size (ws, 16 * 1024 * 1024);
  self->ws = ws;
  g_signal_connect (ws, "message", G_CALLBACK (ws_message_cb), self);
  g_signal_connect (ws, "closed", G_CALLBACK (ws_closed_cb), self);
  g_signal_connect (ws, "pong", G_CALLBACK (ws_pong_cb), self);
  self->heartbeat_period_ms = 0;
  if (self->keepalive_seconds > 0)
    soup_websocket_connection_set_keepalive_interval (ws, self->keepalive_seconds);
  feed_watchdogs (self);

  /* C-19: active only once the confirmation arrives */
  self->pending = g_steal_pointer (&task);
  self->confirm_timeout_id = g_timeout_add (self->request_timeout_ms, confirm_timeout_cb, self);
}

static void
subscribe_post_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FcmHubClient *self = g_task_get_source_object (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) ws_msg = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *legacy_endpoint = NULL;
  const char *endpoint = NULL;
  GCancellable *cancellable;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (error == NULL && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    error = http_error (msg, body, "subscribing");
  if (error == NULL && self->legacy)
    {
      /* 2019 prototype: the socket is derived, ws(s)://host/{topic} */
      g_autoptr(GUri) uri = g_uri_parse (self->hub_url, G_URI_FLAGS_NONE, NULL);
      g_autofree char *escaped = g_uri_escape_string (self->topic, NULL, FALSE);
      g_autofree char *path = g_strconcat ("/", escaped, NULL);

      if (uri != NULL)
        {
          g_autoptr(GUri) ws = g_uri_build (G_URI_FLAGS_NONE,
                                            g_str_equal (g_uri_get_scheme (uri), "https") ? "wss" : "ws",
                                            NULL, g_uri_get_host (uri), g_uri_get_port (uri),
                                            path, NULL, NULL);

          legacy_endpoint = g_uri_to_string (ws);
          endpoint = legacy_endpoint;
        }
    }
  else if (error == NULL)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);

      root = fcm_json_parse (data ? data : "", (gssize) len, &error);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        endpoint = fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint");
      if (root != NULL && endpoint == NULL)
        error = g_error_new (FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                             "the hub's subscription response has no hub.channel.endpoint (C-15)");
      else if (error != NULL)
        g_prefix_error (&error, "subscription response: ");
    }
  if (error == NULL && endpoint == NULL)
    error = g_error_new (FCM_ERROR, FCM_ERROR_INVALID_MESSAGE, "hub URL is not a valid URL");
  if (error != NULL)
    {
      prefix_tls_error (&error);
      self->pending = g_steal_pointer (&task);
      attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  g_free (self->endpoint);
  self->endpoint = g_strstrip (g_strdup (endpoint));   /* digest §4.3 item 13 */
  shown = redact_url (self->endpoint);
  g_debug ("client: subscribed, endpoint %s", shown);

  /* C-17: exactly the returned endpoint */
  ws_msg = soup_message_new (SOUP_METHOD_GET, self->endpoint);
  if (ws_msg == NULL)
    {
      self->pending = g_steal_pointer (&task);
      attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                                         "hub.channel.endpoint is not a valid URL"));
      return;
    }
  set_state (self, FCM_CLIENT_STATE_CONNECTING);
  cancellable = g_task_get_cancellable (task);
  soup_session_websocket_connect_async (self->session, ws_msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, ws_connect_cb, g_steal_pointer (&task));
}

static void
start_subscribe (FcmHubClient *self,
                 GTask        *task)
{
  g_autoptr(SoupMessage) msg = NULL;

  self->closing = FALSE;
  if (self->state != FCM_CLIENT_STATE_RECONNECTING)
    set_state (self, FCM_CLIENT_STATE_SUBSCRIBING);

  /* C-11 / C-12: form POST to hub.url itself */
  msg = subscribe_message (self, "subscribe", NULL);
  if (msg == NULL)
    {
      self->pending = g_object_ref (task);
      attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                                         "hub URL is not a valid http(s) URL"));
      return;
    }
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), subscribe_post_cb,
                                    g_object_ref (task));
}

void
fcm_hub_client_subscribe_async (FcmHubClient        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_hub_client_subscribe_async);

  if (self->pending != NULL || self->ws != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "already subscribed or subscribing");
      return;
    }
  clear_source (&self->reconnect_id);
  self->attempt = 0;
  start_subscribe (self, task);
}

gboolean
fcm_hub_client_subscribe_finish (FcmHubClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- unsubscribe */

static void
unsubscribe_post_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FcmHubClient *self = g_task_get_source_object (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (error == NULL && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    error = http_error (msg, body, "unsubscribing");

  /* C-42: close with 1000 whatever the hub said */
  ws_disconnect (self, TRUE);
  g_clear_pointer (&self->endpoint, g_free);
  set_state (self, FCM_CLIENT_STATE_DISCONNECTED);

  if (error != NULL && self->legacy && error->domain == FCM_ERROR)
    {
      /* the prototype has no unsubscribe of its own; closing the socket is what counts */
      g_debug ("client: legacy unsubscribe: %s", error->message);
      g_clear_error (&error);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
fcm_hub_client_unsubscribe_async (FcmHubClient        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_hub_client_unsubscribe_async);

  self->closing = TRUE;
  clear_source (&self->renew_id);
  clear_source (&self->reconnect_id);
  if (self->pending != NULL)
    attempt_failed (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "unsubscribed"));

  if (self->endpoint == NULL)
    {
      ws_disconnect (self, TRUE);
      set_state (self, FCM_CLIENT_STATE_DISCONNECTED);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* C-40: all four fields */
  msg = subscribe_message (self, "unsubscribe", self->legacy ? NULL : self->endpoint);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    unsubscribe_post_cb, g_steal_pointer (&task));
}

gboolean
fcm_hub_client_unsubscribe_finish (FcmHubClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- get context */

static void
get_context_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FcmHubClient *self = g_task_get_source_object (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  JsonNode *root = NULL;
  gsize len = 0;
  const char *data;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (error == NULL && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    error = http_error (msg, body, "getting the current context");
  if (error != NULL)
    {
      prefix_tls_error (&error);
      g_task_return_error (task, error);
      return;
    }

  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0)
    {
      /* sandbox hubs answer an empty body when nothing happened yet: no context */
      root = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (root, json_array_new ());
    }
  else if ((root = fcm_json_parse (data, (gssize) len, &error)) == NULL)
    {
      g_prefix_error (&error, "current context: ");
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&self->current_context, json_node_unref);
  self->current_context = json_node_ref (root);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_CONTEXT]);
  g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

void
fcm_hub_client_get_context_async (FcmHubClient        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_hub_client_get_context_async);

  /* C-52: GET {hub.url}/{topic} */
  escaped = g_uri_escape_string (self->topic, NULL, FALSE);
  url = g_str_has_suffix (self->hub_url, "/")
          ? g_strconcat (self->hub_url, escaped, NULL)
          : g_strconcat (self->hub_url, "/", escaped, NULL);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                               "hub URL is not a valid http(s) URL");
      return;
    }
  add_auth (self, msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    get_context_cb, g_steal_pointer (&task));
}

JsonNode *
fcm_hub_client_get_context_finish (FcmHubClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fcm_hub_client_get_current_context:
 *
 * Returns: (transfer none) (nullable): the last Get Current Context answer
 */
JsonNode *
fcm_hub_client_get_current_context (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);

  return self->current_context;
}

/* ---------------------------------------------------------------- 2019 GetTopic */

static void
gettopic_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  g_autofree char *text = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (error == NULL && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    error = http_error (msg, body, "GetTopic");
  if (error != NULL)
    {
      prefix_tls_error (&error);
      g_task_return_error (task, error);
      return;
    }
  text = reason_from_body (body);
  /* a plain-text topic, or a JSON string (digest §4.1 item 1) */
  if (text[0] == '"')
    {
      g_autoptr(JsonNode) node = fcm_json_parse (text, -1, NULL);

      if (node != NULL && fcm_json_node_is_string (node))
        {
          g_free (text);
          text = g_strdup (json_node_get_string (node));
        }
    }
  if (text[0] == '\0')
    {
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                               "GetTopic: the hub answered an empty topic");
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&text), g_free);
}

/**
 * fcm_hub_client_gettopic_async:
 * @username: the user name known to the hub
 * @secret: the application-wide secret
 *
 * 2019 prototype session discovery: `GET /gettopic?username=…&secret=…` on
 * the hub's host (digest §4.1). The secret is never logged.
 */
void
fcm_hub_client_gettopic_async (FcmHubClient        *self,
                               const char          *username,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *query = NULL;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_hub_client_gettopic_async);

  base = g_uri_parse (self->hub_url, G_URI_FLAGS_NONE, NULL);
  if (base == NULL)
    {
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                               "hub URL is not a valid http(s) URL");
      return;
    }
  query = soup_form_encode ("username", username, secret ? "secret" : NULL, secret, NULL);
  uri = g_uri_build (G_URI_FLAGS_ENCODED_QUERY, g_uri_get_scheme (base), NULL, g_uri_get_host (base),
                     g_uri_get_port (base), "/gettopic", query, NULL);
  msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    gettopic_cb, g_steal_pointer (&task));
}

/**
 * fcm_hub_client_gettopic_finish:
 *
 * Returns: (transfer full): the topic
 */
char *
fcm_hub_client_gettopic_finish (FcmHubClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- publish */

typedef struct
{
  FcmEvent *event;
  guint attempts;
  guint timeout_id;
  gboolean timed_out;
  GCancellable *request_cancellable;
  gulong cancel_id;
  GCancellable *outer;
} PublishData;

typedef struct
{
  guint status;
  char *reason;
  char *id;
} PublishResult;

static void
publish_result_free (PublishResult *r)
{
  g_free (r->reason);
  g_free (r->id);
  g_free (r);
}

static void
publish_data_free (PublishData *d)
{
  if (d->timeout_id != 0)
    g_source_remove (d->timeout_id);
  if (d->cancel_id != 0)
    g_cancellable_disconnect (d->outer, d->cancel_id);
  g_clear_object (&d->outer);
  g_clear_object (&d->request_cancellable);
  g_clear_object (&d->event);
  g_free (d);
}

static void publish_send (GTask *task);

static gboolean
publish_timeout_cb (gpointer data)
{
  PublishData *d = data;

  d->timeout_id = 0;
  d->timed_out = TRUE;
  g_cancellable_cancel (d->request_cancellable);
  return G_SOURCE_REMOVE;
}

static void
publish_outer_cancelled_cb (GCancellable *cancellable,
                            gpointer      data)
{
  GCancellable *request = data;

  g_cancellable_cancel (request);
}

static void
publish_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PublishData *d = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  PublishResult *r;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (d->timeout_id != 0)
    {
      g_source_remove (d->timeout_id);
      d->timeout_id = 0;
    }

  if (error != NULL)
    {
      if (d->timed_out && (d->outer == NULL || !g_cancellable_is_cancelled (d->outer)))
        {
          if (d->attempts < PUBLISH_MAX_ATTEMPTS)
            {
              /* C-48: no answer → resend with the SAME id */
              g_debug ("client: publish timed out, resending the same id");
              publish_send (g_steal_pointer (&task));
              return;
            }
          g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_TIMEOUT,
                                   "the hub did not answer within %u ms (%u tries)",
                                   FCM_HUB_CLIENT (g_task_get_source_object (task))->request_timeout_ms,
                                   d->attempts);
          return;
        }
      prefix_tls_error (&error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (msg);
  if (SOUP_STATUS_IS_SERVER_ERROR (status) && d->attempts < PUBLISH_MAX_ATTEMPTS)
    {
      FcmEvent *old = d->event;
      g_autofree char *id = g_uuid_string_random ();

      /* C-48: an error answer → resend with a NEW id (same timestamp, C-51) */
      g_debug ("client: publish answered %u, resending with a new id", status);
      d->event = fcm_event_new (id, fcm_event_get_timestamp (old), fcm_event_get_topic (old),
                                fcm_event_get_name (old), fcm_event_get_context (old),
                                fcm_event_get_version_id (old),
                                fcm_event_get_prior_version_id (old));
      g_object_unref (old);
      publish_send (g_steal_pointer (&task));
      return;
    }

  r = g_new0 (PublishResult, 1);
  r->status = status;
  r->reason = reason_from_body (body);
  r->id = g_strdup (fcm_event_get_id (d->event));
  g_task_return_pointer (task, r, (GDestroyNotify) publish_result_free);
}

static void
remember_own_id (FcmHubClient *self,
                 FcmEvent     *event)
{
  const char *id = fcm_event_get_id (event);
  char *copy;

  if (id == NULL || g_hash_table_contains (self->own_ids, id))
    return;
  copy = g_strdup (id);
  g_hash_table_insert (self->own_ids, copy, g_object_ref (event));
  g_queue_push_tail (&self->own_id_queue, copy);
  while (g_queue_get_length (&self->own_id_queue) > OWN_IDS_MAX)
    g_hash_table_remove (self->own_ids, g_queue_pop_head (&self->own_id_queue));
}

/**
 * fcm_hub_client_set_resend_policy:
 * @interval_ms: time between tries (C-51 says at least 10 s; the default)
 * @max_tries: how many times to resend (default 3); 0 disables
 *
 * When a syncerror names a request this client published, it is resent (same id, original
 * timestamp, same context) every @interval_ms until a later event arrives on the topic or
 * @max_tries resends were made (C-51). See also #FcmHubClient:resend-on-syncerror.
 */
void
fcm_hub_client_set_resend_policy (FcmHubClient *self,
                                  guint         interval_ms,
                                  guint         max_tries)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (interval_ms > 0);

  self->resend_interval_ms = interval_ms;
  self->resend_max_tries = max_tries;
}

gboolean
fcm_hub_client_get_resend_on_syncerror (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FALSE);
  return self->resend_on_syncerror;
}

void
fcm_hub_client_set_resend_on_syncerror (FcmHubClient *self,
                                        gboolean      resend)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));

  resend = !!resend;
  if (self->resend_on_syncerror == resend)
    return;
  self->resend_on_syncerror = resend;
  if (!resend)
    stop_resends (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESEND_ON_SYNCERROR]);
}

/**
 * fcm_hub_client_is_own_request:
 * @event_id: an event id
 *
 * Returns: %TRUE if this client published a request with @event_id: a notification
 *   carrying it is the hub's echo of our own accepted request (C-38). Ack it, but don't
 *   react to it as a new context change.
 */
gboolean
fcm_hub_client_is_own_request (FcmHubClient *self,
                               const char   *event_id)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FALSE);
  return event_id != NULL && g_hash_table_contains (self->own_ids, event_id);
}

static void
publish_send (GTask *task)
{
  FcmHubClient *self = g_task_get_source_object (task);
  PublishData *d = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  if (d->cancel_id != 0)
    g_cancellable_disconnect (d->outer, d->cancel_id);
  d->cancel_id = 0;
  g_clear_object (&d->request_cancellable);
  d->request_cancellable = g_cancellable_new ();
  if (d->outer != NULL)
    {
      d->cancel_id = g_cancellable_connect (d->outer, G_CALLBACK (publish_outer_cancelled_cb),
                                            d->request_cancellable, NULL);
      if (g_cancellable_is_cancelled (d->outer))
        {
          g_task_return_error_if_cancelled (task);
          g_object_unref (task);
          return;
        }
    }
  d->timed_out = FALSE;
  d->attempts++;
  remember_own_id (self, d->event);

  /* C-44: POST the event JSON to hub.url with the bearer token (or {hub.url}/{topic}) */
  if (self->post_to_topic)
    {
      g_autofree char *escaped = g_uri_escape_string (self->topic, NULL, FALSE);
      g_autofree char *url = g_str_has_suffix (self->hub_url, "/")
                               ? g_strconcat (self->hub_url, escaped, NULL)
                               : g_strconcat (self->hub_url, "/", escaped, NULL);

      msg = soup_message_new (SOUP_METHOD_POST, url);
    }
  else
    msg = soup_message_new (SOUP_METHOD_POST, self->hub_url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                               "hub URL is not a valid http(s) URL");
      g_object_unref (task);
      return;
    }
  add_auth (self, msg);
  text = fcm_event_to_json (d->event, FALSE);
  bytes = g_bytes_new_take (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  d->timeout_id = g_timeout_add (self->request_timeout_ms, publish_timeout_cb, d);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    d->request_cancellable, publish_cb, task);
}

void
fcm_hub_client_publish_async (FcmHubClient        *self,
                              FcmEvent            *event,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  PublishData *d;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (FCM_IS_EVENT (event));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_hub_client_publish_async);
  d = g_new0 (PublishData, 1);
  d->event = g_object_ref (event);
  d->outer = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, d, (GDestroyNotify) publish_data_free);
  publish_send (task);
}

/**
 * fcm_hub_client_publish_finish:
 * @out_reason: (out) (optional): the hub's answer body (plain text reason), trimmed
 * @out_id: (out) (optional): the event id of the last try
 *
 * Returns: the HTTP status of the last try, 0 on error. A 4xx/5xx answer is
 *   not a #GError.
 */
guint
fcm_hub_client_publish_finish (FcmHubClient  *self,
                               GAsyncResult  *result,
                               char         **out_reason,
                               char         **out_id,
                               GError       **error)
{
  PublishResult *r;
  guint status;

  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return 0;
  status = r->status;
  if (out_reason != NULL)
    *out_reason = g_steal_pointer (&r->reason);
  if (out_id != NULL)
    *out_id = g_steal_pointer (&r->id);
  publish_result_free (r);
  return status;
}

/* ---------------------------------------------------------------- context builders */

static void
add_coding (JsonBuilder *b,
            const char  *system,
            const char  *code,
            const char  *display)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "coding");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "system");
  json_builder_add_string_value (b, system);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  if (display != NULL)
    {
      json_builder_set_member_name (b, "display");
      json_builder_add_string_value (b, display);
    }
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_reference (JsonBuilder *b,
               const char  *member,
               const char  *type,
               const char  *id)
{
  g_autofree char *ref = g_strdup_printf ("%s/%s", type, id);

  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reference");
  json_builder_add_string_value (b, ref);
  json_builder_end_object (b);
}

static void
add_typed_identifier (JsonBuilder *b,
                      const char  *type_system,
                      const char  *type_code,
                      const char  *display,
                      const char  *system,
                      const char  *value)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  add_coding (b, type_system, type_code, display);
  json_builder_set_member_name (b, "system");
  json_builder_add_string_value (b, system);
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, value);
  json_builder_end_object (b);
}

static void
begin_item (JsonBuilder *b,
            const char  *key,
            const char  *type,
            const char  *id)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resourceType");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
}

static void
end_item (JsonBuilder *b)
{
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static JsonArray *
builder_steal_array (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  return json_array_ref (json_node_get_array (root));
}

/* A Study Instance UID for @study_id: itself when it is already a dotted OID,
 * otherwise a stable 2.25 UUID-derived OID (DICOM PS3.5 B.2). */
static char *
study_uid (const char *study_id)
{
  g_autofree char *sha = NULL;
  guint64 a, b;

  if (strspn (study_id, "0123456789.") == strlen (study_id) && study_id[0] != '\0')
    return g_strdup_printf ("urn:oid:%s", study_id);
  sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, study_id, -1);
  {
    char hi[17], lo[17];

    memcpy (hi, sha, 16);
    hi[16] = '\0';
    memcpy (lo, sha + 16, 16);
    lo[16] = '\0';
    a = g_ascii_strtoull (hi, NULL, 16);
    b = g_ascii_strtoull (lo, NULL, 16);
  }
  return g_strdup_printf ("urn:oid:2.25.%" G_GUINT64_FORMAT "%" G_GUINT64_FORMAT, a >> 1, b >> 1);
}

#define V2_0203 "http://terminology.hl7.org/CodeSystem/v2-0203"
#define DCM     "http://dicom.nema.org/resources/ontology/DCM"
#define LOCAL_SYSTEM "urn:oid:2.999.1"

/**
 * fcm_context_build_open:
 * @accession: (nullable): accession number; defaults to @study_id
 * @mrn: (nullable): medical record number; defaults to @patient_id
 *
 * A DiagnosticReport-open context (report, patient, study) with the IRA
 * identifier slices (C-46, C-47).
 *
 * Returns: (transfer full): the context array
 */
JsonArray *
fcm_context_build_open (const char *report_id,
                        const char *patient_id,
                        const char *study_id,
                        const char *accession,
                        const char *mrn)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *uid = NULL;

  g_return_val_if_fail (report_id != NULL && patient_id != NULL && study_id != NULL, NULL);

  if (accession == NULL)
    accession = study_id;
  if (mrn == NULL)
    mrn = patient_id;
  uid = study_uid (study_id);

  json_builder_begin_array (b);

  begin_item (b, "report", "DiagnosticReport", report_id);
  json_builder_set_member_name (b, "identifier");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "system");
  json_builder_add_string_value (b, LOCAL_SYSTEM ".300");
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, report_id);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "basedOn");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "ServiceRequest");
  json_builder_set_member_name (b, "identifier");
  add_typed_identifier (b, V2_0203, "ACSN", NULL, LOCAL_SYSTEM ".200", accession);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "unknown");
  json_builder_set_member_name (b, "code");
  add_coding (b, "http://loinc.org", "18748-4", "Diagnostic imaging study");
  add_reference (b, "subject", "Patient", patient_id);
  json_builder_set_member_name (b, "study");
  json_builder_begin_array (b);
  {
    g_autofree char *ref = g_strdup_printf ("ImagingStudy/%s", study_id);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "reference");
    json_builder_add_string_value (b, ref);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  end_item (b);

  begin_item (b, "patient", "Patient", patient_id);
  json_builder_set_member_name (b, "identifier");
  json_builder_begin_array (b);
  add_typed_identifier (b, V2_0203, "MR", "Medical Record Number", LOCAL_SYSTEM ".100", mrn);
  json_builder_end_array (b);
  end_item (b);

  begin_item (b, "study", "ImagingStudy", study_id);
  json_builder_set_member_name (b, "identifier");
  json_builder_begin_array (b);
  add_typed_identifier (b, DCM, "110180", "Study Instance UID", "urn:dicom:uid", uid);
  add_typed_identifier (b, V2_0203, "ACSN", "Accession ID", LOCAL_SYSTEM ".200", accession);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "available");
  add_reference (b, "subject", "Patient", patient_id);
  end_item (b);

  json_builder_end_array (b);
  return builder_steal_array (b);
}

/**
 * fcm_context_build_close:
 * @patient_id: (nullable):
 * @study_id: (nullable):
 *
 * A DiagnosticReport-close context: the same ids as the open (C-50).
 *
 * Returns: (transfer full): the context array
 */
JsonArray *
fcm_context_build_close (const char *report_id,
                         const char *patient_id,
                         const char *study_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (report_id != NULL, NULL);

  json_builder_begin_array (b);
  begin_item (b, "report", "DiagnosticReport", report_id);
  end_item (b);
  if (patient_id != NULL)
    {
      begin_item (b, "patient", "Patient", patient_id);
      end_item (b);
    }
  if (study_id != NULL)
    {
      begin_item (b, "study", "ImagingStudy", study_id);
      end_item (b);
    }
  json_builder_end_array (b);
  return builder_steal_array (b);
}

/**
 * fcm_context_build_measurement:
 * @patient_id: (nullable): the report's patient
 * @study_id: (nullable): the report's ImagingStudy
 * @value_mm: the measured length
 *
 * One Bundle entry for a content-sharing update (C-56, C-58): a preliminary
 * imaging Observation of a length in millimetres, with a fresh id, PUT into
 * the report's content. The demo measurement of the app's Update button.
 *
 * Returns: (transfer full): an array holding the one entry
 */
JsonArray *
fcm_context_build_measurement (const char *patient_id,
                               const char *study_id,
                               double      value_mm)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *obs_id = g_strdup_printf ("obs-%.8s", uuid);
  g_autofree char *url = g_strdup_printf ("Observation/%s", obs_id);

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fullUrl");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resourceType");
  json_builder_add_string_value (b, "Observation");
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, obs_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "preliminary");
  json_builder_set_member_name (b, "category");
  json_builder_begin_array (b);
  add_coding (b, "http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "code");
  add_coding (b, "http://snomed.info/sct", "410668003", "Length");
  if (patient_id != NULL)
    add_reference (b, "subject", "Patient", patient_id);
  if (study_id != NULL)
    {
      json_builder_set_member_name (b, "partOf");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "reference");
      {
        g_autofree char *ref = g_strdup_printf ("ImagingStudy/%s", study_id);
        json_builder_add_string_value (b, ref);
      }
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "valueQuantity");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "value");
  json_builder_add_double_value (b, value_mm);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, "mm");
  json_builder_set_member_name (b, "system");
  json_builder_add_string_value (b, "http://unitsofmeasure.org");
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "mm");
  json_builder_end_object (b);
  json_builder_end_object (b);  /* resource */
  json_builder_set_member_name (b, "request");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, "PUT");
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_end_object (b);
  json_builder_end_object (b);  /* entry */
  json_builder_end_array (b);

  return builder_steal_array (b);
}

/**
 * fcm_context_build_update:
 * @patient_id: (nullable):
 * @bundle_entries: (nullable): Bundle entries (PUT/DELETE, C-56)
 *
 * Returns: (transfer full): report reference, patient reference and an
 *   `updates` transaction Bundle
 */
JsonArray *
fcm_context_build_update (const char *report_id,
                          const char *patient_id,
                          JsonArray  *bundle_entries)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *bundle_id = g_uuid_string_random ();

  g_return_val_if_fail (report_id != NULL, NULL);

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, "report");
  add_reference (b, "reference", "DiagnosticReport", report_id);
  json_builder_end_object (b);
  if (patient_id != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, "patient");
      add_reference (b, "reference", "Patient", patient_id);
      json_builder_end_object (b);
    }
  begin_item (b, "updates", "Bundle", bundle_id);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "transaction");
  json_builder_set_member_name (b, "entry");
  if (bundle_entries != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, bundle_entries);
      json_builder_add_value (b, node);
    }
  else
    {
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
  end_item (b);
  json_builder_end_array (b);
  return builder_steal_array (b);
}

/**
 * fcm_context_build_select:
 * @select_references: (nullable) (array zero-terminated=1): "Type/id" items
 *
 * A DiagnosticReport-select context in the repeated-key FC form (C-58).
 *
 * Returns: (transfer full): the context array
 */
JsonArray *
fcm_context_build_select (const char         *report_id,
                          const char * const *select_references)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (report_id != NULL, NULL);

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, "report");
  add_reference (b, "reference", "DiagnosticReport", report_id);
  json_builder_end_object (b);
  for (guint i = 0; select_references != NULL && select_references[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, "select");
      json_builder_set_member_name (b, "reference");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "reference");
      json_builder_add_string_value (b, select_references[i]);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return builder_steal_array (b);
}

/**
 * fcm_context_build_syncerror:
 *
 * The subscriber SyncError context (C-60): one OperationOutcome with
 * severity warning, code processing, the diagnostics and the eventid,
 * eventname and subscribername codings, in that order.
 *
 * Returns: (transfer full): the context array
 */
JsonArray *
fcm_context_build_syncerror (const char *event_id,
                             const char *event_name,
                             const char *subscriber_name,
                             const char *diagnostics)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *oo_id = g_uuid_string_random ();
  const char *codes[3][2] = {
    { "eventid", event_id },
    { "eventname", event_name },
    { "subscribername", subscriber_name },
  };

  g_return_val_if_fail (event_id != NULL && event_name != NULL, NULL);
  g_return_val_if_fail (subscriber_name != NULL && diagnostics != NULL, NULL);

  json_builder_begin_array (b);
  begin_item (b, "operationoutcome", "OperationOutcome", oo_id);
  json_builder_set_member_name (b, "issue");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, "warning");
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "processing");
  json_builder_set_member_name (b, "diagnostics");
  json_builder_add_string_value (b, diagnostics);
  json_builder_set_member_name (b, "details");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "coding");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *system = g_strdup_printf ("https://fhircast.hl7.org/events/syncerror/%s",
                                                 codes[i][0]);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "system");
      json_builder_add_string_value (b, system);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, codes[i][1]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  end_item (b);
  json_builder_end_array (b);
  return builder_steal_array (b);
}

/* ---------------------------------------------------------------- GObject */

static void
fcm_hub_client_dispose (GObject *object)
{
  FcmHubClient *self = FCM_HUB_CLIENT (object);

  g_hash_table_remove_all (self->resends);

  g_cancellable_cancel (self->cancellable);
  clear_source (&self->renew_id);
  clear_source (&self->reconnect_id);
  clear_source (&self->confirm_timeout_id);
  self->closing = TRUE;
  ws_disconnect (self, TRUE);
  if (self->session != NULL)
    soup_session_abort (self->session);

  G_OBJECT_CLASS (fcm_hub_client_parent_class)->dispose (object);
}

static void
fcm_hub_client_finalize (GObject *object)
{
  FcmHubClient *self = FCM_HUB_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->hub_url);
  g_free (self->topic);
  g_strfreev (self->events);
  g_free (self->subscriber_name);
  g_free (self->token);
  g_strfreev (self->granted_events);
  g_free (self->endpoint);
  g_hash_table_unref (self->ack_policy);
  g_queue_clear (&self->own_id_queue);
  g_hash_table_unref (self->own_ids);
  g_hash_table_unref (self->resends);
  g_clear_pointer (&self->current_context, json_node_unref);

  G_OBJECT_CLASS (fcm_hub_client_parent_class)->finalize (object);
}

static void
fcm_hub_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FcmHubClient *self = FCM_HUB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_HUB_URL:
      g_value_set_string (value, self->hub_url);
      break;
    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;
    case PROP_EVENTS:
      g_value_set_boxed (value, self->events);
      break;
    case PROP_SUBSCRIBER_NAME:
      g_value_set_string (value, self->subscriber_name);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_LEASE_SECONDS:
      g_value_set_uint (value, self->lease_seconds);
      break;
    case PROP_GRANTED_EVENTS:
      g_value_set_boxed (value, self->granted_events);
      break;
    case PROP_LEGACY:
      g_value_set_boolean (value, self->legacy);
      break;
    case PROP_CURRENT_CONTEXT:
      g_value_set_boxed (value, self->current_context);
      break;
    case PROP_RESEND_ON_SYNCERROR:
      g_value_set_boolean (value, self->resend_on_syncerror);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_hub_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FcmHubClient *self = FCM_HUB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HUB_URL:
      g_free (self->hub_url);
      self->hub_url = g_value_dup_string (value);
      break;
    case PROP_TOPIC:
      g_free (self->topic);
      self->topic = g_value_dup_string (value);
      break;
    case PROP_EVENTS:
      fcm_hub_client_set_events (self, g_value_get_boxed (value));
      break;
    case PROP_SUBSCRIBER_NAME:
      fcm_hub_client_set_subscriber_name (self, g_value_get_string (value));
      break;
    case PROP_TOKEN:
      fcm_hub_client_set_token (self, g_value_get_string (value));
      break;
    case PROP_LEASE_SECONDS:
      fcm_hub_client_set_lease_seconds (self, g_value_get_uint (value));
      break;
    case PROP_LEGACY:
      fcm_hub_client_set_legacy (self, g_value_get_boolean (value));
      break;
    case PROP_RESEND_ON_SYNCERROR:
      fcm_hub_client_set_resend_on_syncerror (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_hub_client_class_init (FcmHubClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = fcm_hub_client_dispose;
  object_class->finalize = fcm_hub_client_finalize;
  object_class->get_property = fcm_hub_client_get_property;
  object_class->set_property = fcm_hub_client_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FCM_TYPE_CLIENT_STATE,
                       FCM_CLIENT_STATE_DISCONNECTED, ro);
  properties[PROP_HUB_URL] =
    g_param_spec_string ("hub-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENTS] =
    g_param_spec_boxed ("events", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_SUBSCRIBER_NAME] =
    g_param_spec_string ("subscriber-name", NULL, NULL, NULL, rw);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL, rw);
  properties[PROP_LEASE_SECONDS] =
    g_param_spec_uint ("lease-seconds", NULL, NULL, 0, G_MAXUINT / 1000, 0, rw);
  properties[PROP_GRANTED_EVENTS] =
    g_param_spec_boxed ("granted-events", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_LEGACY] =
    g_param_spec_boolean ("legacy", NULL, NULL, FALSE, rw);
  /* the last Get Current Context answer (C-52), notified on every fetch */
  properties[PROP_CURRENT_CONTEXT] =
    g_param_spec_boxed ("current-context", NULL, NULL, JSON_TYPE_NODE, ro);
  /* C-51: resend our requests that a syncerror names (see fcm_hub_client_set_resend_policy()) */
  properties[PROP_RESEND_ON_SYNCERROR] =
    g_param_spec_boolean ("resend-on-syncerror", NULL, NULL, TRUE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FcmHubClient::event:
   * @event: a notification (not a syncerror, not a heartbeat); already acked
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FCM_TYPE_EVENT);
  signals[SIGNAL_SYNCERROR] =
    g_signal_new ("syncerror", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FCM_TYPE_EVENT);
  /**
   * FcmHubClient::denied:
   * @reason: (nullable): hub.reason
   */
  signals[SIGNAL_DENIED] =
    g_signal_new ("denied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * FcmHubClient::message:
   * @message: the frame, parsed once (its text, tree, kind and event)
   *
   * Every frame, before it is handled and acked (for monitors: #FcmMonitor
   * validates and logs it here).
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FCM_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * FcmHubClient::frame:
   * @text: the frame as received (made valid UTF-8)
   * @kind: its #FcmMessageKind
   *
   * Every frame, right after #FcmHubClient::message, as text and kind only.
   */
  signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, FCM_TYPE_MESSAGE_KIND);
  /**
   * FcmHubClient::ack-sent:
   * @id: the acknowledged event id
   * @status: the status sent
   */
  signals[SIGNAL_ACK_SENT] =
    g_signal_new ("ack-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
fcm_hub_client_init (FcmHubClient *self)
{
  self->session = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
  self->cancellable = g_cancellable_new ();
  self->events = g_strsplit (FCM_HUB_CLIENT_DEFAULT_EVENTS, ",", -1);
  self->granted_events = g_new0 (char *, 1);
  self->ack_policy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->default_ack = 200;
  self->reconnect_initial_ms = DEFAULT_RECONNECT_INITIAL_MS;
  self->reconnect_max_ms = DEFAULT_RECONNECT_MAX_MS;
  self->request_timeout_ms = DEFAULT_REQUEST_TIMEOUT_MS;
  self->keepalive_seconds = 15;
  self->own_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->resends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) resend_free);
  self->resend_on_syncerror = TRUE;
  self->resend_interval_ms = DEFAULT_RESEND_INTERVAL_MS;
  self->resend_max_tries = DEFAULT_RESEND_MAX_TRIES;
  g_queue_init (&self->own_id_queue);
}

/* ---------------------------------------------------------------- accessors */

FcmHubClient *
fcm_hub_client_new (const char *hub_url,
                    const char *topic)
{
  g_return_val_if_fail (hub_url != NULL, NULL);
  g_return_val_if_fail (topic != NULL, NULL);

  return g_object_new (FCM_TYPE_HUB_CLIENT, "hub-url", hub_url, "topic", topic, NULL);
}

FcmClientState
fcm_hub_client_get_state (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FCM_CLIENT_STATE_DISCONNECTED);
  return self->state;
}

const char *
fcm_hub_client_get_hub_url (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  return self->hub_url;
}

const char *
fcm_hub_client_get_topic (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  return self->topic;
}

const char * const *
fcm_hub_client_get_events (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  return (const char * const *) self->events;
}

/**
 * fcm_hub_client_set_events:
 * @events: (nullable) (array zero-terminated=1): NULL = the IRA default set
 */
void
fcm_hub_client_set_events (FcmHubClient       *self,
                           const char * const *events)
{
  g_auto(GStrv) copy = NULL;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));

  if (events == NULL || events[0] == NULL)
    copy = g_strsplit (FCM_HUB_CLIENT_DEFAULT_EVENTS, ",", -1);
  else
    copy = g_strdupv ((char **) events);
  if (g_strv_equal ((const char * const *) copy, (const char * const *) self->events))
    return;
  g_strfreev (self->events);
  self->events = g_steal_pointer (&copy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS]);
}

const char *
fcm_hub_client_get_subscriber_name (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  return self->subscriber_name;
}

void
fcm_hub_client_set_subscriber_name (FcmHubClient *self,
                                    const char   *name)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));

  if (set_str (&self->subscriber_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIBER_NAME]);
}

const char *
fcm_hub_client_get_token (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  return self->token;
}

void
fcm_hub_client_set_token (FcmHubClient *self,
                          const char   *token)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));

  if (set_str (&self->token, token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

guint
fcm_hub_client_get_lease_seconds (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), 0);
  return self->granted_lease ? self->granted_lease : self->lease_seconds;
}

void
fcm_hub_client_set_lease_seconds (FcmHubClient *self,
                                  guint         seconds)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));

  seconds = MIN (seconds, G_MAXUINT / 1000);
  if (self->lease_seconds == seconds)
    return;
  self->lease_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEASE_SECONDS]);
}

const char * const *
fcm_hub_client_get_granted_events (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  return (const char * const *) self->granted_events;
}

gboolean
fcm_hub_client_get_legacy (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FALSE);
  return self->legacy;
}

void
fcm_hub_client_set_legacy (FcmHubClient *self,
                           gboolean      legacy)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));

  legacy = !!legacy;
  if (self->legacy == legacy)
    return;
  self->legacy = legacy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEGACY]);
}

/**
 * fcm_hub_client_get_endpoint:
 *
 * Returns: (nullable): hub.channel.endpoint; a secret (C-09): never log it
 */
const char *
fcm_hub_client_get_endpoint (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  return self->endpoint;
}

void
fcm_hub_client_set_reconnect_delay (FcmHubClient *self,
                                    guint         initial_ms,
                                    guint         max_ms)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (initial_ms > 0 && max_ms >= initial_ms);

  self->reconnect_initial_ms = initial_ms;
  self->reconnect_max_ms = max_ms;
}

void
fcm_hub_client_set_request_timeout (FcmHubClient *self,
                                    guint         timeout_ms)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  self->request_timeout_ms = timeout_ms;
}

/**
 * fcm_hub_client_set_post_to_topic:
 * @post_to_topic: publish to `{hub.url}/{topic}` instead of `hub.url`
 *
 * Vendors differ on where events are posted (interop.md); STU3 says hub.url.
 */
void
fcm_hub_client_set_post_to_topic (FcmHubClient *self,
                                  gboolean      post_to_topic)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));

  self->post_to_topic = !!post_to_topic;
}

/**
 * fcm_hub_client_set_keepalive:
 * @seconds: WebSocket ping interval; 0 = off. No pong (nor any frame) for
 *   three intervals counts as a lost connection (C-68). Default 15.
 *
 * Applies to the next connection.
 */
void
fcm_hub_client_set_keepalive (FcmHubClient *self,
                              guint         seconds)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (seconds <= 3600);

  self->keepalive_seconds = seconds;
}

/**
 * fcm_hub_client_set_ca_file:
 * @path: PEM file with the CA certificate(s) to trust instead of the system store
 *
 * Toolchain §6: the file database replaces the system trust for this client.
 */
gboolean
fcm_hub_client_set_ca_file (FcmHubClient  *self,
                            const char    *path,
                            GError       **error)
{
  g_autoptr(GTlsDatabase) db = NULL;

  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  db = g_tls_file_database_new (path, error);
  if (db == NULL)
    {
      g_prefix_error (error, "CA file %s: ", path);
      return FALSE;
    }
  soup_session_set_tls_database (self->session, db);
  return TRUE;
}
