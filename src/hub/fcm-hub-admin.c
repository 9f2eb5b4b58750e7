/* fcm-hub-admin.c: inspection and fault injection below /admin/ (--admin)
 *
 * Loopback only, with its own credential when the hub has any auth: the
 * --admin-token-file secret, or a --tokens token with the `admin` scope
 * (any FHIRcast token would otherwise see every endpoint id here, and with
 * it read other applications' notifications). GET /admin/topics,
 * /admin/subscribers and /admin/contexts
 * list the hub's state as JSON; POST /admin/subscribers/{endpoint}/close,
 * /deny, /faults (delay or drop notifications) and /async (answer context
 * changes 202 and decide later, H-17) make the hub misbehave on purpose,
 * to test how other applications cope. docs/hub.md has the details.
 *
 * The faults take effect in fcm-hub-broadcast.c (delay, drop) and
 * fcm-hub-context.c (async).
 *
 * The same figures without HTTP, for the app's subscribers panel:
 * fcm_hub_list_subscribers() and FcmHub::subscribers-changed, which the
 * hub's files ask for with _fcm_hub_subscribers_changed() and which comes
 * at most every FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fcm-hub-private.h"

static JsonObject *
admin_subscriber_json (Subscriber *sub)
{
  JsonObject *obj = json_object_new ();
  JsonArray *events = json_array_new ();
  gint64 left = (sub->lease_end - g_get_monotonic_time ()) / G_USEC_PER_SEC;

  for (guint i = 0; i < sub->events->len; i++)
    json_array_add_string_element (events, g_ptr_array_index (sub->events, i));
  json_object_set_string_member (obj, "endpoint", sub->id);
  json_object_set_string_member (obj, "topic", sub->topic);
  if (sub->name != NULL)
    json_object_set_string_member (obj, "name", sub->name);
  else
    json_object_set_null_member (obj, "name");
  json_object_set_array_member (obj, "events", events);
  json_object_set_boolean_member (obj, "connected", _fcm_hub_subscriber_is_open (sub));
  json_object_set_int_member (obj, "leaseSecondsLeft", MAX (left, 0));
  json_object_set_int_member (obj, "acksPending", g_hash_table_size (sub->pending));
  if (sub->last_latency >= 0)
    json_object_set_double_member (obj, "lastAckLatencyMs", (double)sub->last_latency / 1000.0);
  else
    json_object_set_null_member (obj, "lastAckLatencyMs");
  if (sub->latencies != NULL)
    {
      JsonObject *latencies = json_object_new ();

      json_object_set_int_member (latencies, "count", (gint64) sub->latencies->n);
      json_object_set_double_member (latencies, "p50", _fcm_hub_ack_histogram_quantile (sub->latencies, 0.50) / 1000.0);
      json_object_set_double_member (latencies, "p99", _fcm_hub_ack_histogram_quantile (sub->latencies, 0.99) / 1000.0);
      json_object_set_double_member (latencies, "max", sub->latencies->max / 1000.0);
      json_object_set_object_member (obj, "ackLatencyMs", latencies);
    }
  else
    json_object_set_null_member (obj, "ackLatencyMs");
  json_object_set_int_member (obj, "missedAcks", sub->missed_acks);
  json_object_set_int_member (obj, "acks", (gint64) sub->acks);
  json_object_set_int_member (obj, "refusedAcks", (gint64) sub->refused_acks);
  json_object_set_int_member (obj, "missedAcksTotal", (gint64) sub->missed_total);
  json_object_set_int_member (obj, "delayMs", sub->delay_ms);
  json_object_set_int_member (obj, "drop", sub->drop);
  json_object_set_string_member (obj, "async", sub->async_mode == ASYNC_ACCEPT ? "accept" :
                                               sub->async_mode == ASYNC_REJECT ? "reject" : "off");
  json_object_set_boolean_member (obj, "legacy", sub->legacy);
  if (sub->token_name != NULL)
    json_object_set_string_member (obj, "token", sub->token_name);
  else
    json_object_set_null_member (obj, "token");
  json_object_set_int_member (obj, "asyncLeft", sub->async_mode != ASYNC_OFF ? sub->async_left : 0);
  return obj;
}

static JsonObject *
admin_context_json (Context *ctx,
                    gboolean current)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "type", ctx->anchor_type);
  json_object_set_string_member (obj, "id", ctx->anchor_id);
  json_object_set_string_member (obj, "versionId", ctx->version_id);
  json_object_set_boolean_member (obj, "current", current);
  json_object_set_int_member (obj, "contentEntries", json_object_get_size (ctx->content));
  return obj;
}

static void
admin_list (FcmHub            *self,
            SoupServerMessage *msg,
            const char        *what,
            GHashTable        *query)
{
  const char *only_topic = query != NULL ? g_hash_table_lookup (query, "topic") : NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *list = json_array_new ();
  g_autofree gpointer *keys = NULL;
  guint n = 0;

  if (g_str_equal (what, "subscribers"))
    keys = g_hash_table_get_keys_as_array (self->subscribers, &n);
  else
    keys = g_hash_table_get_keys_as_array (self->topics, &n);
  qsort (keys, n, sizeof (gpointer), _fcm_hub_compare_strings);

  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (what, "subscribers"))
        {
          Subscriber *sub = g_hash_table_lookup (self->subscribers, keys[i]);

          if (only_topic == NULL || g_str_equal (only_topic, sub->topic))
            json_array_add_object_element (list, admin_subscriber_json (sub));
        }
      else
        {
          Topic *topic = g_hash_table_lookup (self->topics, keys[i]);
          JsonObject *obj = json_object_new ();

          if (only_topic != NULL && !g_str_equal (only_topic, topic->topic))
            {
              json_object_unref (obj);
              continue;
            }
          json_object_set_string_member (obj, "topic", topic->topic);
          if (g_str_equal (what, "topics"))
            {
              json_object_set_int_member (obj, "subscribers", fcm_hub_get_n_subscribers (self, topic->topic));
              json_object_set_int_member (obj, "openContexts", topic->contexts->len);
              if (topic->current != NULL)
                json_object_set_object_member (obj, "current", admin_context_json (topic->current, TRUE));
              else
                json_object_set_null_member (obj, "current");
            }
          else
            {
              JsonArray *contexts = json_array_new ();

              for (guint j = 0; j < topic->contexts->len; j++)
                {
                  Context *ctx = g_ptr_array_index (topic->contexts, j);

                  json_array_add_object_element (contexts, admin_context_json (ctx, ctx == topic->current));
                }
              json_object_set_array_member (obj, "contexts", contexts);
            }
          json_array_add_object_element (list, obj);
        }
    }
  json_object_set_array_member (root, what, list);
  _fcm_hub_respond_json (msg, SOUP_STATUS_OK, root);
}

static gboolean
admin_parse_int (GHashTable *query,
                 const char *key,
                 gint64      min,
                 gint64      max,
                 gint64     *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, key) : NULL;

  if (text == NULL)
    return TRUE;   /* keep *out */
  return g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

/* POST /admin/subscribers/{endpoint}/{close|deny|faults} */
static void
admin_fault (FcmHub            *self,
             SoupServerMessage *msg,
             const char        *rest,
             GHashTable        *query)
{
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  const char *reason = query != NULL ? g_hash_table_lookup (query, "reason") : NULL;
  Subscriber *sub;

  if (g_strv_length (parts) != 2)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
      return;
    }
  sub = g_hash_table_lookup (self->subscribers, parts[0]);
  if (sub == NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "unknown subscriber");
      return;
    }
  /* the reason goes into a close frame (≤ 123 bytes) or a JSON string */
  if (reason != NULL && (strlen (reason) > 123 || !g_utf8_validate (reason, -1, NULL)))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "reason must be UTF-8 of at most 123 bytes");
      return;
    }

  if (g_str_equal (parts[1], "close"))
    {
      gint64 code = FCM_WS_CLOSE_NORMAL;

      if (!admin_parse_int (query, "code", 1000, 4999, &code) ||
          code == FCM_WS_CLOSE_NO_STATUS || code == FCM_WS_CLOSE_ABNORMAL ||
          code == 1015 || code == 1004)
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "code must be a sendable close code (1000..4999)");
          return;
        }
      if (!_fcm_hub_subscriber_is_open (sub))
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_CONFLICT, "subscriber is not connected");
          return;
        }
      /* the subscription stays: the client may reconnect to its endpoint */
      _fcm_hub_subscriber_detach (sub, (gushort)code, reason);
    }
  else if (g_str_equal (parts[1], "deny"))
    {
      _fcm_hub_remove_subscriber (self, sub, reason != NULL ? reason : "denied by the hub administrator", TRUE);
      _fcm_hub_respond_text (msg, SOUP_STATUS_OK, "denied");
      return;
    }
  else if (g_str_equal (parts[1], "faults"))
    {
      gint64 delay = sub->delay_ms, drop = sub->drop;
      const char *drop_text = query != NULL ? g_hash_table_lookup (query, "drop") : NULL;

      if (drop_text != NULL && g_str_equal (drop_text, "all"))
        drop = -1;
      else if (!admin_parse_int (query, "drop", -1, G_MAXINT, &drop))
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "drop must be an integer ≥ -1 or “all”");
          return;
        }
      if (!admin_parse_int (query, "delay_ms", 0, 600000, &delay))
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "delay_ms must be 0..600000");
          return;
        }
      sub->delay_ms = (guint)delay;
      sub->drop = (int)drop;
    }
  else if (g_str_equal (parts[1], "async"))
    {
      const char *mode = query != NULL ? g_hash_table_lookup (query, "mode") : NULL;
      const char *count_text = query != NULL ? g_hash_table_lookup (query, "count") : NULL;
      gint64 count = 1, delay = 100;
      int async_mode;

      if (g_strcmp0 (mode, "reject") == 0)
        async_mode = ASYNC_REJECT;
      else if (g_strcmp0 (mode, "accept") == 0)
        async_mode = ASYNC_ACCEPT;
      else if (g_strcmp0 (mode, "off") == 0)
        async_mode = ASYNC_OFF;
      else
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "mode must be reject, accept or off");
          return;
        }
      if (count_text != NULL && g_str_equal (count_text, "all"))
        count = -1;
      else if (!admin_parse_int (query, "count", -1, G_MAXINT, &count) || count == 0)
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "count must be a positive integer, -1 or “all”");
          return;
        }
      if (!admin_parse_int (query, "delay_ms", 0, 600000, &delay))
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "delay_ms must be 0..600000");
          return;
        }
      sub->async_mode = async_mode;
      sub->async_left = async_mode != ASYNC_OFF ? (int)count : 0;
      sub->async_delay_ms = (guint)delay;
      g_free (sub->async_reason);
      sub->async_reason = g_strdup (reason);
    }
  else
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
      return;
    }

  {
    g_autoptr(JsonObject) obj = admin_subscriber_json (sub);

    _fcm_hub_respond_json (msg, SOUP_STATUS_OK, obj);
  }
}

static gboolean
is_loopback_client (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (remote) &&
         g_inet_address_get_is_loopback (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

/*
 * _fcm_hub_admin_authorized:
 *
 * The admin endpoints' own credential: the admin token (--admin-token-file)
 * when there is one, else a --tokens token with the `admin` scope. Without
 * any auth (no secret, tokens or introspection) they are open, as the hub
 * is (loopback only either way). The static --secret and introspected
 * tokens are FHIRcast credentials, never admin ones.
 */
gboolean
_fcm_hub_admin_authorized (FcmHub            *self,
                           SoupServerMessage *msg,
                           AuthRefusal       *refusal)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  gboolean bearer = auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0;
  Token *token;

  refusal->status = SOUP_STATUS_UNAUTHORIZED;
  refusal->challenge = "Bearer";
  refusal->reason = "the admin endpoints need the admin token";
  if (self->admin_secret != NULL)
    {
      return bearer && _fcm_hub_constant_time_equal (auth + 7, self->admin_secret);
    }
  if (self->tokens != NULL)
    {
      if (!bearer || (token = _fcm_hub_find_token (self, auth + 7)) == NULL || _fcm_hub_token_expired (token))
        {
          refusal->reason = "the admin endpoints need a token with the admin scope";
          return FALSE;
        }
      if (token->admin)
        return TRUE;
      refusal->status = SOUP_STATUS_FORBIDDEN;
      refusal->challenge = NULL;
      refusal->reason = "the bearer token lacks the admin scope";
      return FALSE;
    }
  if (self->introspect_url == NULL && (self->secret == NULL || *self->secret == '\0'))
    return TRUE;
  refusal->status = SOUP_STATUS_FORBIDDEN;
  refusal->challenge = NULL;
  refusal->reason = "the admin endpoints need their own credential (--admin-token-file)";
  return FALSE;
}

void
_fcm_hub_handle_admin (FcmHub            *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *rest = path + strlen (ADMIN_PATH "/");

  if (!is_loopback_client (msg))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_FORBIDDEN, "admin endpoints are loopback only");
      return;
    }

  if (g_str_equal (rest, "topics") || g_str_equal (rest, "subscribers") || g_str_equal (rest, "contexts"))
    {
      if (!g_str_equal (method, SOUP_METHOD_GET))
        _fcm_hub_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "use GET");
      else
        admin_list (self, msg, rest, query);
      return;
    }
  if (g_str_has_prefix (rest, "subscribers/"))
    {
      if (!g_str_equal (method, SOUP_METHOD_POST))
        _fcm_hub_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "use POST");
      else
        admin_fault (self, msg, rest + strlen ("subscribers/"), query);
      return;
    }
  _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
}

/**
 * fcm_hub_set_admin:
 *
 * Serves the inspection and fault-injection endpoints below `/admin/`
 * (docs/hub.md). Set it before fcm_hub_listen(), which then refuses any
 * non-loopback address.
 */
void
fcm_hub_set_admin (FcmHub   *self,
                   gboolean  admin)
{
  g_return_if_fail (FCM_IS_HUB (self));
  g_return_if_fail (self->server == NULL);
  self->admin = !!admin;
}

gboolean
fcm_hub_get_admin (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), FALSE);
  return self->admin;
}

/**
 * fcm_hub_set_admin_token:
 * @secret: (nullable): the bearer token the `/admin/` endpoints require;
 *   %NULL = none (then a `--tokens` token with the `admin` scope, or no
 *   auth at all)
 */
void
fcm_hub_set_admin_token (FcmHub     *self,
                         const char *secret)
{
  g_return_if_fail (FCM_IS_HUB (self));
  if (self->admin_secret != NULL)
    memset (self->admin_secret, 0, strlen (self->admin_secret));
  g_free (self->admin_secret);
  self->admin_secret = secret != NULL && *secret != '\0' ? g_strdup (secret) : NULL;
}

/**
 * fcm_hub_set_ws_token_optional:
 * @optional: with tokens (`--tokens`, `--introspect`), accept a WebSocket
 *   upgrade that carries no token at all (the endpoint id is then the
 *   ticket, as in FHIRcast, C-09); a token it does carry must still be the
 *   subscribing application's. Default %FALSE: the upgrade must carry it.
 */
void
fcm_hub_set_ws_token_optional (FcmHub   *self,
                               gboolean  optional)
{
  g_return_if_fail (FCM_IS_HUB (self));
  self->ws_token_optional = !!optional;
}

/* ------------------------------------------------------------------------ */
/* the subscribers, without HTTP                                            */

G_DEFINE_BOXED_TYPE (FcmHubSubscriberInfo, fcm_hub_subscriber_info,
                     fcm_hub_subscriber_info_copy, fcm_hub_subscriber_info_free)

FcmHubSubscriberInfo *
fcm_hub_subscriber_info_copy (const FcmHubSubscriberInfo *info)
{
  FcmHubSubscriberInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->name = g_strdup (info->name);
  copy->endpoint = g_strdup (info->endpoint);
  copy->events = g_strdupv (info->events);
  return copy;
}

void
fcm_hub_subscriber_info_free (FcmHubSubscriberInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->endpoint);
  g_strfreev (info->events);
  g_free (info);
}

static FcmHubSubscriberInfo *
subscriber_info_new (Subscriber *sub)
{
  FcmHubSubscriberInfo *info = g_new0 (FcmHubSubscriberInfo, 1);
  GStrvBuilder *events = g_strv_builder_new ();

  for (guint i = 0; i < sub->events->len; i++)
    g_strv_builder_add (events, g_ptr_array_index (sub->events, i));
  info->serial = sub->seq + 1;
  info->name = g_strdup (sub->name);
  info->endpoint = _fcm_hub_redact (sub->id);   /* C-09, H-02 */
  info->events = g_strv_builder_end (events);
  info->connected = _fcm_hub_subscriber_is_open (sub);
  info->acks = sub->acks;
  info->refused_acks = sub->refused_acks;
  info->missed_acks = sub->missed_total;
  info->pending_acks = g_hash_table_size (sub->pending);
  info->last_ack_latency = sub->last_latency;
  g_strv_builder_unref (events);
  return info;
}

static int
compare_serial (gconstpointer a,
                gconstpointer b)
{
  const FcmHubSubscriberInfo *x = *(FcmHubSubscriberInfo * const *) a;
  const FcmHubSubscriberInfo *y = *(FcmHubSubscriberInfo * const *) b;

  return x->serial < y->serial ? -1 : x->serial > y->serial;
}

/**
 * fcm_hub_list_subscribers:
 * @topic: (nullable): only the subscribers of this topic; %NULL for all
 *
 * What /admin/subscribers shows, without HTTP and with the endpoint ids
 * redacted: for an app that embeds the hub.
 *
 * Returns: (transfer full) (element-type FcmHubSubscriberInfo): the
 *   subscriptions in subscribe order
 */
GPtrArray *
fcm_hub_list_subscribers (FcmHub     *self,
                          const char *topic)
{
  GPtrArray *list;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (FCM_IS_HUB (self), NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) fcm_hub_subscriber_info_free);
  g_hash_table_iter_init (&iter, self->subscribers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Subscriber *sub = value;

      if (topic == NULL || g_str_equal (sub->topic, topic))
        g_ptr_array_add (list, subscriber_info_new (sub));
    }
  g_ptr_array_sort (list, compare_serial);
  return list;
}

/**
 * fcm_hub_get_subscriber_serial:
 * @endpoint: an endpoint URL (hub.channel.endpoint) or its id
 *
 * Which of fcm_hub_list_subscribers()'s entries is this endpoint's, for
 * an app that knows its own subscription's endpoint.
 *
 * Returns: its #FcmHubSubscriberInfo.serial, or 0 when it is not a
 *   subscription of this hub
 */
guint64
fcm_hub_get_subscriber_serial (FcmHub     *self,
                               const char *endpoint)
{
  const char *slash;
  Subscriber *sub;

  g_return_val_if_fail (FCM_IS_HUB (self), 0);

  if (endpoint == NULL)
    return 0;
  slash = strrchr (endpoint, '/');
  sub = g_hash_table_lookup (self->subscribers, slash != NULL ? slash + 1 : endpoint);
  return sub != NULL ? sub->seq + 1 : 0;
}

static gboolean
subscribers_changed_cb (gpointer data)
{
  FcmHub *self = data;
  g_autoptr(GHashTable) topics = g_steal_pointer (&self->changed_topics);
  g_autofree gpointer *names = NULL;
  guint n = 0;

  self->changed_id = 0;
  if (topics == NULL)
    return G_SOURCE_REMOVE;
  names = g_hash_table_get_keys_as_array (topics, &n);
  qsort (names, n, sizeof (gpointer), _fcm_hub_compare_strings);
  g_object_ref (self);
  for (guint i = 0; i < n; i++)
    g_signal_emit (self, _fcm_hub_signals[SIGNAL_SUBSCRIBERS_CHANGED], 0, names[i]);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Called wherever a subscriber's figures change, up to once per
 * notification: a lookup at most. FcmHub::subscribers-changed follows
 * within FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS, once for all. Nothing
 * at all while no one listens. */
void
_fcm_hub_subscribers_changed (FcmHub     *self,
                              const char *topic)
{
  if (self->shutting_down || topic == NULL)
    return;
  if (self->changed_id == 0)
    {
      if (!g_signal_has_handler_pending (self, _fcm_hub_signals[SIGNAL_SUBSCRIBERS_CHANGED], 0, TRUE))
        return;
      self->changed_id = g_timeout_add (FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS, subscribers_changed_cb, self);
    }
  if (self->changed_topics == NULL)
    self->changed_topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_contains (self->changed_topics, topic))
    g_hash_table_add (self->changed_topics, g_strdup (topic));
}

void
_fcm_hub_subscribers_changed_stop (FcmHub *self)
{
  g_clear_handle_id (&self->changed_id, g_source_remove);
  g_clear_pointer (&self->changed_topics, g_hash_table_unref);
}
