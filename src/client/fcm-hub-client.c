/* fcm-hub-client.c: a FHIRcast STU3 / IHE IRA subscriber (WebSocket channel)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rule ids (C-xx) refer to the client checklist of the spec digest §1.
 * Everything runs on the thread-default main context of the thread that
 * created the client: no threads, no blocking calls.
 *
 * The object itself: properties, signals, state and settings, and the
 * helpers its parts share (fcm-hub-client-private.h lists the parts).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-error.h"
#include "fcm-client-marshal.h"
#include "fcm-hub-client-private.h"

#define DEFAULT_REQUEST_TIMEOUT_MS 10000
#define DEFAULT_RECONNECT_INITIAL_MS 1000
#define DEFAULT_RECONNECT_MAX_MS 60000
#define DEFAULT_RESEND_INTERVAL_MS 10000
#define DEFAULT_RESEND_MAX_TRIES 3
#define DEFAULT_STABLE_MS 30000
#define MAX_REASON_CHARS 200

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

GParamSpec *_fcm_hub_client_properties[N_PROPS];
guint _fcm_hub_client_signals[N_SIGNALS];

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

char *
_fcm_hub_client_reason_from_body (GBytes *body)
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

void
_fcm_hub_client_set_state (FcmHubClient   *self,
                           FcmClientState  state)
{
  if (self->state == state)
    return;
  g_debug ("client: state %s → %s", fcm_client_state_to_string (self->state),
           fcm_client_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_STATE]);
}

void
_fcm_hub_client_add_auth (FcmHubClient *self,
                          SoupMessage  *msg)
{
  if (self->token != NULL && self->token[0] != '\0')
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", value);
    }
}

/* libsoup never sends a POST on a connection it used before (POST is not
 * idempotent), and a hub's keep-alive connection that we close later,
 * between two requests, is one libsoup 3.2.3's SoupServer never lets go
 * of (docs/hub.md): so say at once that it ends with this request. Costs
 * nothing here (only a later GET could have used it). */
void
_fcm_hub_client_post_closes (SoupMessage *msg)
{
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Connection", "close");
}

/* A clear message for certificate problems (TLS, toolchain §6). */
void
_fcm_hub_client_prefix_tls_error (GError **error)
{
  if (error != NULL && *error != NULL && (*error)->domain == G_TLS_ERROR)
    g_prefix_error (error, "TLS: %s",
                    (*error)->code == G_TLS_ERROR_BAD_CERTIFICATE
                      ? _("the hub's certificate is not trusted (use --ca-file for a private CA): ")
                      : "");
}

/* ---------------------------------------------------------------- GObject */

static void
fcm_hub_client_dispose (GObject *object)
{
  FcmHubClient *self = FCM_HUB_CLIENT (object);

  g_hash_table_remove_all (self->resends);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->renew_id, g_source_remove);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_handle_id (&self->confirm_timeout_id, g_source_remove);
  g_clear_handle_id (&self->stable_id, g_source_remove);
  self->closing = TRUE;
  _fcm_hub_client_frames_clear (self);
  _fcm_hub_client_ws_disconnect (self, TRUE);
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

  _fcm_hub_client_properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FCM_TYPE_CLIENT_STATE,
                       FCM_CLIENT_STATE_DISCONNECTED, ro);
  _fcm_hub_client_properties[PROP_HUB_URL] =
    g_param_spec_string ("hub-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  _fcm_hub_client_properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  _fcm_hub_client_properties[PROP_EVENTS] =
    g_param_spec_boxed ("events", NULL, NULL, G_TYPE_STRV, rw);
  _fcm_hub_client_properties[PROP_SUBSCRIBER_NAME] =
    g_param_spec_string ("subscriber-name", NULL, NULL, NULL, rw);
  _fcm_hub_client_properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL, rw);
  _fcm_hub_client_properties[PROP_LEASE_SECONDS] =
    g_param_spec_uint ("lease-seconds", NULL, NULL, 0, G_MAXUINT / 1000, 0, rw);
  _fcm_hub_client_properties[PROP_GRANTED_EVENTS] =
    g_param_spec_boxed ("granted-events", NULL, NULL, G_TYPE_STRV, ro);
  _fcm_hub_client_properties[PROP_LEGACY] =
    g_param_spec_boolean ("legacy", NULL, NULL, FALSE, rw);
  /* the last Get Current Context answer (C-52), notified on every fetch */
  _fcm_hub_client_properties[PROP_CURRENT_CONTEXT] =
    g_param_spec_boxed ("current-context", NULL, NULL, JSON_TYPE_NODE, ro);
  /* C-51: resend our requests that a syncerror names (see fcm_hub_client_set_resend_policy()) */
  _fcm_hub_client_properties[PROP_RESEND_ON_SYNCERROR] =
    g_param_spec_boolean ("resend-on-syncerror", NULL, NULL, TRUE, rw);

  g_object_class_install_properties (object_class, N_PROPS, _fcm_hub_client_properties);

  /**
   * FcmHubClient::event:
   * @event: a notification (not a syncerror, not a heartbeat); already acked
   */
  _fcm_hub_client_signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FCM_TYPE_EVENT);
  _fcm_hub_client_signals[SIGNAL_SYNCERROR] =
    g_signal_new ("syncerror", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FCM_TYPE_EVENT);
  /**
   * FcmHubClient::denied:
   * @reason: (nullable): hub.reason
   */
  _fcm_hub_client_signals[SIGNAL_DENIED] =
    g_signal_new ("denied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * FcmHubClient::message:
   * @message: (transfer none): the frame, parsed once (its text, tree,
   *   kind and event); fcm_message_ref() it to keep it after the emission
   *
   * Every frame, before it is handled and acked (for monitors: #FcmMonitor
   * validates and logs it here).
   */
  _fcm_hub_client_signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FCM_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * FcmHubClient::frame:
   * @text: the frame as received (made valid UTF-8)
   * @kind: its #FcmMessageKind
   *
   * Every frame, right after #FcmHubClient::message, as text and kind only.
   */
  _fcm_hub_client_signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, _fcm_client_marshal_VOID__STRING_ENUM, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, FCM_TYPE_MESSAGE_KIND);
  g_signal_set_va_marshaller (_fcm_hub_client_signals[SIGNAL_FRAME], G_TYPE_FROM_CLASS (klass),
                              _fcm_client_marshal_VOID__STRING_ENUMv);
  /**
   * FcmHubClient::ack-sent:
   * @id: the acknowledged event id
   * @status: the status sent
   */
  _fcm_hub_client_signals[SIGNAL_ACK_SENT] =
    g_signal_new ("ack-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, _fcm_client_marshal_VOID__STRING_UINT, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_UINT);
  g_signal_set_va_marshaller (_fcm_hub_client_signals[SIGNAL_ACK_SENT], G_TYPE_FROM_CLASS (klass),
                              _fcm_client_marshal_VOID__STRING_UINTv);
  /**
   * FcmHubClient::sent:
   * @what: "ack" (a frame on the WebSocket) or "request" (a context change POSTed)
   * @id: (nullable): the acknowledged event's id, or the request's event id
   * @status: the status of an ack, 0 for a request
   * @text: exactly what was sent (the frame, or the request body)
   *
   * Everything we send to the hub besides the subscription forms, as it
   * leaves: each ack before #FcmHubClient::ack-sent, each try of a request
   * (retries and resends too). #FcmRecorder records these.
   */
  _fcm_hub_client_signals[SIGNAL_SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, _fcm_client_marshal_VOID__STRING_STRING_UINT_STRING, G_TYPE_NONE, 4,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_UINT,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (_fcm_hub_client_signals[SIGNAL_SENT], G_TYPE_FROM_CLASS (klass),
                              _fcm_client_marshal_VOID__STRING_STRING_UINT_STRINGv);
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
  self->frames_max_wait_usec = FCM_HUB_CLIENT_FRAMES_MAX_WAIT_MS * 1000;
  self->reconnect_initial_ms = DEFAULT_RECONNECT_INITIAL_MS;
  self->reconnect_max_ms = DEFAULT_RECONNECT_MAX_MS;
  self->request_timeout_ms = DEFAULT_REQUEST_TIMEOUT_MS;
  self->stable_ms = DEFAULT_STABLE_MS;
  self->keepalive_seconds = 15;
  self->own_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->resends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _fcm_hub_client_resend_free);
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
  g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_EVENTS]);
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
    g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_SUBSCRIBER_NAME]);
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
    g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_TOKEN]);
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
  g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_LEASE_SECONDS]);
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
  g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_LEGACY]);
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

  /* per event (C-28): no policy by name (watch's --ack, the app's default)
   * needs no lower-case copies to look up */
  if (event_name == NULL || g_hash_table_size (self->ack_policy) == 0)
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
    _fcm_hub_client_stop_resends (self);
  g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_RESEND_ON_SYNCERROR]);
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
 * fcm_hub_client_set_stable_period:
 * @ms: how long a connection must stay up before the reconnect backoff
 *   starts from its first delay again (default 30 s)
 *
 * C-68: a hub that accepts every resubscribe and drops the socket soon
 * after gets reconnects ever further apart, not one every second or two.
 */
void
fcm_hub_client_set_stable_period (FcmHubClient *self,
                                  guint         ms)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (ms > 0);

  self->stable_ms = ms;
}

/**
 * fcm_hub_client_set_insecure:
 * @insecure: allow plain http:// and ws:// to hosts other than this machine
 *
 * Off by default: bearer tokens and patient context go to another host only
 * over TLS (https://, wss://); such a request fails with
 * %FCM_ERROR_INSECURE.
 */
void
fcm_hub_client_set_insecure (FcmHubClient *self,
                             gboolean      insecure)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));

  self->insecure = !!insecure;
}

gboolean
fcm_hub_client_get_insecure (FcmHubClient *self)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FALSE);
  return self->insecure;
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
      /* Translators: %s is the path of a PEM file */
      g_prefix_error (error, _("CA file %s: "), path);
      return FALSE;
    }
  soup_session_set_tls_database (self->session, db);
  return TRUE;
}
