/* fcm-hub.c: a small FHIRcast STU3 / IHE IRA reference hub
 *
 * The FcmHub GObject: its properties and options, fcm_hub_listen() and
 * fcm_hub_shutdown(). What the hub does is in the fcm-hub-*.c files beside
 * this one, one concern each; fcm-hub-private.h has their map, the hub's
 * state and the functions they share.
 *
 * Everything runs on the thread-default main context of the caller of
 * fcm_hub_listen(): no threads, no blocking calls. Rule ids (H-xx) refer
 * to the project's spec digest, §2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-hub-private.h"

G_DEFINE_FINAL_TYPE (FcmHub, fcm_hub, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SECRET,
  PROP_ACK_TIMEOUT,
  PROP_LEASE_DEFAULT,
  PROP_HEARTBEAT,
  PROP_SYNCERROR_SEVERITY,
  PROP_VALIDATE,
  PROP_MAX_MISSED_ACKS,
  PROP_SYNCERROR_RESEND_INTERVAL,
  PROP_SYNCERROR_RESENDS,
  PROP_LEASE_MAX,
  PROP_UNCONNECTED_TIMEOUT,
  PROP_MAX_SUBSCRIPTIONS,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint _fcm_hub_signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
fcm_hub_dispose (GObject *object)
{
  FcmHub *self = FCM_HUB (object);

  fcm_hub_shutdown (self);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  G_OBJECT_CLASS (fcm_hub_parent_class)->dispose (object);
}

static void
fcm_hub_finalize (GObject *object)
{
  FcmHub *self = FCM_HUB (object);

  g_clear_pointer (&self->subscribers, g_hash_table_unref);
  g_clear_handle_id (&self->ack_timer_id, g_source_remove);
  g_clear_pointer (&self->topics, g_hash_table_unref);
  g_clear_pointer (&self->retired, g_hash_table_unref);
  g_clear_pointer (&self->delayed, g_hash_table_unref);
  g_clear_pointer (&self->async_jobs, g_hash_table_unref);
  g_clear_pointer (&self->users, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_pointer (&self->atna, fcm_atna_sender_free);
  _fcm_hub_introspect_finalize (self);
  g_clear_pointer (&self->audit, _fcm_hub_audit_writer_release);
  if (self->closing != NULL)
    {
      GHashTableIter iter;
      gpointer conn;

      /* connections may outlive us while their close handshake runs */
      g_hash_table_iter_init (&iter, self->closing);
      while (g_hash_table_iter_next (&iter, &conn, NULL))
        fcm_ws_conn_set_callbacks (conn, NULL, NULL, NULL);
    }
  g_clear_pointer (&self->closing, g_hash_table_unref);
  if (self->early_answers != NULL)
    {
      GHashTableIter iter;
      gpointer early;

      /* they finish on their own */
      g_hash_table_iter_init (&iter, self->early_answers);
      while (g_hash_table_iter_next (&iter, &early, NULL))
        _fcm_hub_early_answer_orphan (early);
    }
  g_clear_pointer (&self->early_answers, g_hash_table_unref);
  g_clear_pointer (&self->quota, g_hash_table_unref);
  if (self->admin_secret != NULL)
    memset (self->admin_secret, 0, strlen (self->admin_secret));
  g_free (self->admin_secret);
  g_clear_object (&self->validator);
  g_clear_object (&self->server);
  g_free (self->url);
  g_free (self->ws_url);
  g_free (self->secret);
  g_free (self->syncerror_severity);

  G_OBJECT_CLASS (fcm_hub_parent_class)->finalize (object);
}

static void
fcm_hub_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  FcmHub *self = FCM_HUB (object);

  switch (prop_id)
    {
    case PROP_SECRET:
      g_value_set_string (value, self->secret);
      break;
    case PROP_ACK_TIMEOUT:
      g_value_set_double (value, self->ack_timeout);
      break;
    case PROP_LEASE_DEFAULT:
      g_value_set_uint (value, self->lease_default);
      break;
    case PROP_HEARTBEAT:
      g_value_set_uint (value, self->heartbeat);
      break;
    case PROP_SYNCERROR_SEVERITY:
      g_value_set_string (value, self->syncerror_severity);
      break;
    case PROP_VALIDATE:
      g_value_set_boolean (value, self->validate);
      break;
    case PROP_MAX_MISSED_ACKS:
      g_value_set_uint (value, self->max_missed_acks);
      break;
    case PROP_SYNCERROR_RESEND_INTERVAL:
      g_value_set_double (value, self->syncerror_resend_interval);
      break;
    case PROP_SYNCERROR_RESENDS:
      g_value_set_uint (value, self->syncerror_resends);
      break;
    case PROP_LEASE_MAX:
      g_value_set_uint (value, self->lease_max);
      break;
    case PROP_UNCONNECTED_TIMEOUT:
      g_value_set_double (value, self->unconnected_timeout);
      break;
    case PROP_MAX_SUBSCRIPTIONS:
      g_value_set_uint (value, self->max_subscriptions);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_double (value, self->idle_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_hub_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  FcmHub *self = FCM_HUB (object);

  switch (prop_id)
    {
    case PROP_SECRET:
      fcm_hub_set_secret (self, g_value_get_string (value));
      break;
    case PROP_ACK_TIMEOUT:
      fcm_hub_set_ack_timeout (self, g_value_get_double (value));
      break;
    case PROP_LEASE_DEFAULT:
      fcm_hub_set_lease_default (self, g_value_get_uint (value));
      break;
    case PROP_HEARTBEAT:
      fcm_hub_set_heartbeat (self, g_value_get_uint (value));
      break;
    case PROP_SYNCERROR_SEVERITY:
      fcm_hub_set_syncerror_severity (self, g_value_get_string (value));
      break;
    case PROP_VALIDATE:
      fcm_hub_set_validate (self, g_value_get_boolean (value));
      break;
    case PROP_MAX_MISSED_ACKS:
      fcm_hub_set_max_missed_acks (self, g_value_get_uint (value));
      break;
    case PROP_SYNCERROR_RESEND_INTERVAL:
      fcm_hub_set_syncerror_resend (self, g_value_get_double (value), self->syncerror_resends);
      break;
    case PROP_SYNCERROR_RESENDS:
      fcm_hub_set_syncerror_resend (self, self->syncerror_resend_interval, g_value_get_uint (value));
      break;
    case PROP_LEASE_MAX:
      fcm_hub_set_lease_max (self, g_value_get_uint (value));
      break;
    case PROP_UNCONNECTED_TIMEOUT:
      fcm_hub_set_unconnected_timeout (self, g_value_get_double (value));
      break;
    case PROP_MAX_SUBSCRIPTIONS:
      fcm_hub_set_max_subscriptions (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT:
      fcm_hub_set_idle_timeout (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_hub_class_init (FcmHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fcm_hub_dispose;
  object_class->finalize = fcm_hub_finalize;
  object_class->get_property = fcm_hub_get_property;
  object_class->set_property = fcm_hub_set_property;

  properties[PROP_SECRET] =
    g_param_spec_string ("secret", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACK_TIMEOUT] =
    g_param_spec_double ("ack-timeout", NULL, NULL, 0.0, 3600.0, 10.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEASE_DEFAULT] =
    g_param_spec_uint ("lease-default", NULL, NULL, 1, G_MAXUINT32 / 1000, 3600,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEARTBEAT] =
    g_param_spec_uint ("heartbeat", NULL, NULL, 0, 3600, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNCERROR_SEVERITY] =
    g_param_spec_string ("syncerror-severity", NULL, NULL, "warning",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* whether context changes go through FcmValidator (IRA profile checks) */
  properties[PROP_VALIDATE] =
    g_param_spec_boolean ("validate", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* consecutive ack timeouts before a subscriber is unsubscribed (H-34) */
  properties[PROP_MAX_MISSED_ACKS] =
    g_param_spec_uint ("max-missed-acks", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* H-37: resend an unacknowledged hub syncerror after this many seconds… */
  properties[PROP_SYNCERROR_RESEND_INTERVAL] =
    g_param_spec_double ("syncerror-resend-interval", NULL, NULL, 0.001, 3600.0, 10.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* …at most this many times (0 = never) */
  properties[PROP_SYNCERROR_RESENDS] =
    g_param_spec_uint ("syncerror-resends", NULL, NULL, 0, 100, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the longest lease granted; longer requests get this (H-09) */
  properties[PROP_LEASE_MAX] =
    g_param_spec_uint ("lease-max", NULL, NULL, 1, G_MAXUINT32 / 1000, 86400,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* a subscription without a socket for this long ends (never connected, or dropped) */
  properties[PROP_UNCONNECTED_TIMEOUT] =
    g_param_spec_double ("unconnected-timeout", NULL, NULL, 0.001, 86400.0, 60.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* subscriptions per token (per address without tokens); more get 429 */
  properties[PROP_MAX_SUBSCRIPTIONS] =
    g_param_spec_uint ("max-subscriptions", NULL, NULL, 1, G_MAXUINT, 1000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* keep-alive connections without a request for this long are closed; 0 = never */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_double ("idle-timeout", NULL, NULL, 0.0, 86400.0, 60.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (topic, subscriber name or NULL) */
  _fcm_hub_signals[SIGNAL_SUBSCRIBER_ADDED] =
    g_signal_new ("subscriber-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* (topic, subscriber name or NULL, reason) */
  _fcm_hub_signals[SIGNAL_SUBSCRIBER_REMOVED] =
    g_signal_new ("subscriber-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  /* (topic, event name, event id) */
  _fcm_hub_signals[SIGNAL_EVENT_BROADCAST] =
    g_signal_new ("event-broadcast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  /* (topic, diagnostics) */
  _fcm_hub_signals[SIGNAL_SYNCERROR] =
    g_signal_new ("syncerror", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * FcmHub::subscribers-changed:
   * @topic: the topic whose subscribers changed
   *
   * The subscribers of @topic or their figures (fcm_hub_list_subscribers())
   * changed: one came or went, connected or disconnected, or acks came,
   * were refused or missed. Emitted at most once every
   * %FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS for all changes since, so a
   * burst of events costs a listener nothing per event.
   */
  _fcm_hub_signals[SIGNAL_SUBSCRIBERS_CHANGED] =
    g_signal_new ("subscribers-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fcm_hub_init (FcmHub *self)
{
  self->ack_timeout = 10.0;
  self->max_missed_acks = 1;
  self->syncerror_resend_interval = 10.0;
  self->syncerror_resends = 1;
  self->lease_default = 3600;
  self->lease_max = 86400;
  self->unconnected_timeout = 60.0;
  self->max_subscriptions = 1000;
  self->idle_timeout = 60.0;
  self->accept_priority = G_PRIORITY_DEFAULT;
  self->processed_max = FCM_HUB_PROCESSED_MAX;
  self->max_queued_bytes = 4 * 1024 * 1024;
  self->connections = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                             (GDestroyNotify)_fcm_hub_connection_free);
  self->early_answers = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->quota = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->syncerror_severity = g_strdup ("warning");
  self->validate = TRUE;
  self->validator = fcm_validator_new ();
  fcm_validator_set_role (self->validator, FCM_VALIDATOR_ROLE_REQUEST);
  self->subscribers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)_fcm_hub_subscriber_free);
  self->topics = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)_fcm_hub_topic_free);
  self->retired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->closing = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->delayed = g_hash_table_new_full (g_direct_hash, g_direct_equal, (GDestroyNotify)_fcm_hub_delayed_free, NULL);
  self->async_jobs = g_hash_table_new_full (g_direct_hash, g_direct_equal, (GDestroyNotify)_fcm_hub_async_job_free, NULL);
  self->introspected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)_fcm_hub_token_free);
  self->introspecting = g_hash_table_new (g_str_hash, g_str_equal);
}

/* ------------------------------------------------------------------------ */
/* public API                                                               */

FcmHub *
fcm_hub_new (void)
{
  return g_object_new (FCM_TYPE_HUB, NULL);
}

/**
 * fcm_hub_listen:
 * @host: (nullable): the address to bind; %NULL means 127.0.0.1
 * @port: the port, or 0 for any free one
 * @tls_certificate: (nullable): serve https/wss with this certificate
 */
gboolean
fcm_hub_listen (FcmHub           *self,
                const char       *host,
                guint             port,
                GTlsCertificate  *tls_certificate,
                GError          **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host_part = NULL;
  const char *scheme = tls_certificate != NULL ? "https" : "http";
  const char *ws_scheme = tls_certificate != NULL ? "wss" : "ws";
  guint bound_port;

  g_return_val_if_fail (FCM_IS_HUB (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  if (host == NULL)
    host = "127.0.0.1";
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("not an IP address: %s"), host);
      return FALSE;
    }

  if (self->admin && !g_inet_address_get_is_loopback (address))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("the admin endpoints need a loopback address, not %s"), host);
      return FALSE;
    }

  self->server = soup_server_new ("tls-certificate", tls_certificate, NULL);
  soup_server_add_early_handler (self->server, NULL, _fcm_hub_early_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, _fcm_hub_http_cb, self, NULL);
  soup_server_add_early_handler (self->server, WS_PATH, _fcm_hub_early_cb, self, NULL);
  soup_server_add_handler (self->server, WS_PATH, _fcm_hub_http_cb, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (_fcm_hub_conn_request_started_cb), self);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (_fcm_hub_conn_request_done_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (_fcm_hub_conn_request_done_cb), self);

  if (!_fcm_hub_conn_listen (self, address, port, tls_certificate != NULL, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  /* not soup_server_get_uris(): it leaks a GSocketAddress in libsoup 3.2 */
  local = g_socket_get_local_address (_fcm_hub_conn_get_listen_socket (self), error);
  if (local == NULL)
    {
      _fcm_hub_conn_shutdown (self);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
      return FALSE;
    }
  bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  host_part = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6
              ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  self->url = g_strdup_printf ("%s://%s:%u%s", scheme, host_part, bound_port, FCM_HUB_BASE_PATH);
  self->ws_url = g_strdup_printf ("%s://%s:%u%s", ws_scheme, host_part, bound_port, WS_PATH);
  _fcm_hub_restart_heartbeat (self);
  return TRUE;
}

const char *
fcm_hub_get_url (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), NULL);
  return self->url;
}

/**
 * fcm_hub_shutdown:
 *
 * Closes every subscriber socket with 1001 (going away) and stops listening.
 */
void
fcm_hub_shutdown (FcmHub *self)
{
  g_autoptr(GList) subs = NULL;

  g_return_if_fail (FCM_IS_HUB (self));

  self->shutting_down = TRUE;
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  _fcm_hub_subscribers_changed_stop (self);
  g_clear_handle_id (&self->ack_timer_id, g_source_remove);
  g_hash_table_remove_all (self->delayed);
  g_hash_table_remove_all (self->async_jobs);
  subs = g_hash_table_get_values (self->subscribers);
  for (GList *l = subs; l != NULL; l = l->next)
    _fcm_hub_subscriber_detach (l->data, FCM_WS_CLOSE_GOING_AWAY, "hub shutting down");
  g_hash_table_remove_all (self->subscribers);
  _fcm_hub_conn_shutdown (self);
  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
    }
}

guint
fcm_hub_get_n_subscribers (FcmHub     *self,
                           const char *topic)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (FCM_IS_HUB (self), 0);

  g_hash_table_iter_init (&iter, self->subscribers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (topic == NULL || g_str_equal (((Subscriber *)value)->topic, topic))
      n++;
  return n;
}

static int
compare_subscriber_seq (gconstpointer a,
                        gconstpointer b)
{
  const Subscriber *sa = *(Subscriber * const *) a;
  const Subscriber *sb = *(Subscriber * const *) b;

  return sa->seq < sb->seq ? -1 : sa->seq > sb->seq;
}

/**
 * fcm_hub_dup_subscriber_names:
 * @topic: (nullable): only this topic's subscribers; %NULL for all
 *
 * For a hub embedded in an application that wants to say who depends on it
 * before it stops: the subscribers whose WebSocket is open right now.
 *
 * Returns: (transfer full): their subscriber.name values in the order they
 *   subscribed; "" for a subscriber that gave no name
 */
GStrv
fcm_hub_dup_subscriber_names (FcmHub     *self,
                              const char *topic)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) open = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (FCM_IS_HUB (self), NULL);

  g_hash_table_iter_init (&iter, self->subscribers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Subscriber *sub = value;

      if (_fcm_hub_subscriber_is_open (sub) && (topic == NULL || g_str_equal (sub->topic, topic)))
        g_ptr_array_add (open, sub);
    }
  g_ptr_array_sort (open, compare_subscriber_seq);
  for (guint i = 0; i < open->len; i++)
    {
      Subscriber *sub = g_ptr_array_index (open, i);

      g_strv_builder_add (builder, sub->name ? sub->name : "");
    }
  return g_strv_builder_end (builder);
}

const char *
fcm_hub_get_secret (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), NULL);
  return self->secret;
}

void
fcm_hub_set_secret (FcmHub     *self,
                    const char *secret)
{
  g_return_if_fail (FCM_IS_HUB (self));
  if (g_strcmp0 (self->secret, secret) == 0)
    return;
  g_free (self->secret);
  self->secret = g_strdup (secret);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRET]);
}

double
fcm_hub_get_ack_timeout (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->ack_timeout;
}

void
fcm_hub_set_ack_timeout (FcmHub *self,
                         double  seconds)
{
  g_return_if_fail (FCM_IS_HUB (self));
  if (self->ack_timeout == seconds)
    return;
  self->ack_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACK_TIMEOUT]);
}

guint
fcm_hub_get_lease_default (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->lease_default;
}

void
fcm_hub_set_lease_default (FcmHub *self,
                           guint   seconds)
{
  g_return_if_fail (FCM_IS_HUB (self));
  if (self->lease_default == seconds)
    return;
  self->lease_default = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEASE_DEFAULT]);
}

guint
fcm_hub_get_heartbeat (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->heartbeat;
}

void
fcm_hub_set_heartbeat (FcmHub *self,
                       guint   seconds)
{
  g_return_if_fail (FCM_IS_HUB (self));
  if (self->heartbeat == seconds)
    return;
  self->heartbeat = seconds;
  _fcm_hub_restart_heartbeat (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEARTBEAT]);
}

const char *
fcm_hub_get_syncerror_severity (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), NULL);
  return self->syncerror_severity;
}

void
fcm_hub_set_syncerror_severity (FcmHub     *self,
                                const char *severity)
{
  g_return_if_fail (FCM_IS_HUB (self));
  if (severity == NULL)
    severity = "warning";
  if (g_strcmp0 (self->syncerror_severity, severity) == 0)
    return;
  g_free (self->syncerror_severity);
  self->syncerror_severity = g_strdup (severity);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCERROR_SEVERITY]);
}

gboolean
fcm_hub_get_validate (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), FALSE);
  return self->validate;
}

void
fcm_hub_set_validate (FcmHub   *self,
                      gboolean  validate)
{
  g_return_if_fail (FCM_IS_HUB (self));
  validate = !!validate;
  if (self->validate == validate)
    return;
  self->validate = validate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATE]);
}

guint
fcm_hub_get_max_missed_acks (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 1);
  return self->max_missed_acks;
}

void
fcm_hub_set_max_missed_acks (FcmHub *self,
                             guint   n)
{
  g_return_if_fail (FCM_IS_HUB (self));
  n = MAX (n, 1);
  if (self->max_missed_acks == n)
    return;
  self->max_missed_acks = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_MISSED_ACKS]);
}

/**
 * fcm_hub_set_syncerror_resend:
 * @interval: seconds to wait for the ack of a hub-generated syncerror
 * @resends: how often to resend it (same id and timestamp); 0 = never
 *
 * H-37 (MAY). Defaults: 10 s, once.
 */
void
fcm_hub_set_syncerror_resend (FcmHub *self,
                              double  interval,
                              guint   resends)
{
  g_return_if_fail (FCM_IS_HUB (self));
  g_return_if_fail (interval > 0);

  if (self->syncerror_resend_interval != interval)
    {
      self->syncerror_resend_interval = interval;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCERROR_RESEND_INTERVAL]);
    }
  if (self->syncerror_resends != resends)
    {
      self->syncerror_resends = resends;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCERROR_RESENDS]);
    }
}

double
fcm_hub_get_syncerror_resend_interval (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->syncerror_resend_interval;
}

guint
fcm_hub_get_syncerror_resends (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->syncerror_resends;
}

/**
 * fcm_hub_get_n_closing:
 *
 * Returns: the number of WebSocket connections whose close handshake is
 *   still running (after fcm_hub_shutdown(), for example)
 */
guint
fcm_hub_get_n_closing (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return g_hash_table_size (self->closing);
}

guint
fcm_hub_get_lease_max (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->lease_max;
}

/**
 * fcm_hub_set_lease_max:
 * @seconds: the longest lease granted (default 86400, one day)
 *
 * A subscriber asking for more gets this (H-09: the confirmation says
 * what was granted).
 */
void
fcm_hub_set_lease_max (FcmHub *self,
                       guint   seconds)
{
  g_return_if_fail (FCM_IS_HUB (self));
  g_return_if_fail (seconds > 0);
  if (self->lease_max == seconds)
    return;
  self->lease_max = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEASE_MAX]);
}

double
fcm_hub_get_unconnected_timeout (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->unconnected_timeout;
}

/**
 * fcm_hub_set_unconnected_timeout:
 * @seconds: how long a subscription may stay without a WebSocket (never
 *   connected, or dropped with 1000/1001) before it ends; default 60
 *
 * Applies to subscriptions that lose (or never get) their socket from now on.
 */
void
fcm_hub_set_unconnected_timeout (FcmHub *self,
                                 double  seconds)
{
  g_return_if_fail (FCM_IS_HUB (self));
  g_return_if_fail (seconds > 0);
  if (self->unconnected_timeout == seconds)
    return;
  self->unconnected_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNCONNECTED_TIMEOUT]);
}

guint
fcm_hub_get_max_subscriptions (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->max_subscriptions;
}

/**
 * fcm_hub_set_max_subscriptions:
 * @n: subscriptions one token may hold (one address, without tokens);
 *   default 1000. One more gets 429.
 */
void
fcm_hub_set_max_subscriptions (FcmHub *self,
                               guint   n)
{
  g_return_if_fail (FCM_IS_HUB (self));
  g_return_if_fail (n > 0);
  if (self->max_subscriptions == n)
    return;
  self->max_subscriptions = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SUBSCRIPTIONS]);
}
