/* fcm-hub-subscriptions.c: subscribe, renew and unsubscribe (H-04..H-14)
 *
 * A form POST to the hub (hub.mode, hub.topic, hub.events, …) is checked
 * (H-05, H-14), held to the bearer token's read scopes (H-03) and answered
 * 202 with a new random endpoint (H-02, H-08); a renewal replaces events,
 * name and lease (H-07). A lease ends the subscription when it runs out,
 * no later than its token (H-09, H-13). Here too: the hub.mode frames sent
 * on the socket (the confirmation, H-11, and the denial, H-13), and
 * removing a subscriber for good, after which its id is never handed out
 * again (H-14).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "fcm-hub-private.h"

static char *
events_join (GPtrArray *events)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, g_ptr_array_index (events, i));
    }
  return g_string_free (s, FALSE);
}

/* Splits a comma list into a case-insensitive set (H-06), in one pass: a
 * name is a duplicate when its canonical spelling (legacy names mapped,
 * fcm_event_name_equal()) is already in. At most MAX_EVENTS distinct names
 * of at most MAX_EVENT_NAME_BYTES; %NULL and @out_reason beyond that. */
static GPtrArray *
events_parse (const char  *list,
              char       **out_reason)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = list != NULL ? list : "";

  for (;;)
    {
      const char *comma = strchr (p, ',');
      const char *end = comma != NULL ? comma : p + strlen (p);
      g_autofree char *name = g_strstrip (g_strndup (p, end - p));

      if (*name != '\0')
        {
          char *key;

          if (strlen (name) > MAX_EVENT_NAME_BYTES)
            {
              *out_reason = g_strdup_printf ("hub.events: an event name is longer than %d bytes",
                                             MAX_EVENT_NAME_BYTES);
              return NULL;
            }
          key = g_ascii_strdown (fcm_event_name_canonicalize (name), -1);
          if (!g_hash_table_add (seen, key))
            ;   /* a duplicate: the first spelling stays */
          else if (events->len == MAX_EVENTS)
            {
              *out_reason = g_strdup_printf ("hub.events has more than %d events", MAX_EVENTS);
              return NULL;
            }
          else
            g_ptr_array_add (events, g_steal_pointer (&name));
        }
      if (comma == NULL)
        break;
      p = comma + 1;
    }
  return g_steal_pointer (&events);
}

void
_fcm_hub_subscriber_free (Subscriber *sub)
{
  _fcm_hub_subscriber_detach (sub, FCM_WS_CLOSE_GOING_AWAY, NULL);
  g_clear_handle_id (&sub->lease_id, g_source_remove);
  g_clear_handle_id (&sub->unconnected_id, g_source_remove);
  g_clear_handle_id (&sub->too_slow_id, g_source_remove);
  if (sub->quota_key != NULL && sub->hub->quota != NULL)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (sub->hub->quota, sub->quota_key));

      if (n > 1)
        g_hash_table_insert (sub->hub->quota, g_strdup (sub->quota_key), GUINT_TO_POINTER (n - 1));
      else
        g_hash_table_remove (sub->hub->quota, sub->quota_key);
    }
  g_free (sub->quota_key);
  g_free (sub->owner);
  g_hash_table_unref (sub->pending);
  g_hash_table_unref (sub->resends);
  g_ptr_array_unref (sub->events);
  g_ptr_array_unref (sub->events_canon);
  for (guint d = 0; d < G_N_ELEMENTS (sub->implied); d++)
    g_free (sub->implied[d]);
  g_free (sub->async_reason);
  g_free (sub->latencies);
  g_queue_free_full (sub->legacy_sent, g_free);
  g_free (sub->id);
  g_free (sub->topic);
  g_free (sub->name);
  g_free (sub->token_name);
  g_free (sub);
}

static char *
subscriber_dup_endpoint (Subscriber *sub)
{
  return g_strdup_printf ("%s/%s", sub->hub->ws_url, sub->id);
}

void
_fcm_hub_subscriber_send_mode (Subscriber *sub,
                               const char *mode,
                               const char *reason)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autofree char *events = events_join (sub->events);
  g_autofree char *text = NULL;

  json_object_set_string_member (obj, "hub.mode", mode);
  json_object_set_string_member (obj, "hub.topic", sub->topic);
  json_object_set_string_member (obj, "hub.events", events);
  if (g_str_equal (mode, "subscribe"))
    json_object_set_int_member (obj, "hub.lease_seconds", sub->lease_seconds);
  if (reason != NULL)
    json_object_set_string_member (obj, "hub.reason", reason);
  text = _fcm_hub_object_to_string (obj);
  _fcm_hub_subscriber_send_text (sub, text);
}

/* Once most of the subscribers of a busy moment have gone, the memory they
 * used goes back to the system: glibc keeps freed memory in its arenas, and
 * a hub that once had 1,000 subscribers would hold their 30 MB for good
 * (issue 14.10, "RSS back after they leave"). At most once a second. */
static gboolean
hub_trim_cb (gpointer data)
{
  FcmHub *self = data;

  self->trim_id = 0;
  self->subscribers_peak = g_hash_table_size (self->subscribers);
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

static void
hub_maybe_trim (FcmHub *self)
{
  guint n = g_hash_table_size (self->subscribers);

  if (self->trim_id != 0 || self->shutting_down || self->subscribers_peak < 64 || n > self->subscribers_peak / 2)
    return;
  self->trim_id = g_timeout_add_full (G_PRIORITY_LOW, 1000, hub_trim_cb, self, NULL);
}

/* Unsubscribes: denial frame, close, id retired forever (H-13, H-14). */
void
_fcm_hub_remove_subscriber (FcmHub     *self,
                            Subscriber *sub,
                            const char *reason,
                            gboolean    send_denial)
{
  g_autofree char *topic = g_strdup (sub->topic);
  g_autofree char *name = g_strdup (sub->name);
  g_autofree char *id = g_strdup (sub->id);
  g_autofree char *redacted = _fcm_hub_redact (sub->id);

  g_debug ("removing subscriber %s (%s): %s", redacted, name ? name : "unnamed", reason);
  if (send_denial)
    _fcm_hub_subscriber_send_mode (sub, "denied", reason);
  _fcm_hub_subscriber_detach (sub, FCM_WS_CLOSE_NORMAL, reason);
  g_hash_table_add (self->retired, g_strdup (id));
  g_hash_table_remove (self->subscribers, id);
  hub_maybe_trim (self);
  _fcm_hub_subscribers_changed (self, topic);
  g_signal_emit (self, _fcm_hub_signals[SIGNAL_SUBSCRIBER_REMOVED], 0, topic, name, reason);
}

static gboolean
unconnected_cb (gpointer data)
{
  Subscriber *sub = data;

  sub->unconnected_id = 0;
  _fcm_hub_remove_subscriber (sub->hub, sub, sub->ever_connected ? "no WebSocket connection"
                                                                 : "the WebSocket never connected", FALSE);
  return G_SOURCE_REMOVE;
}

/* A subscription without a socket (not yet connected, or dropped with
 * 1000/1001, H-35) ends after the unconnected timeout unless one comes. */
void
_fcm_hub_subscriber_wait_for_socket (Subscriber *sub)
{
  g_clear_handle_id (&sub->unconnected_id, g_source_remove);
  if (sub->hub->shutting_down)
    return;
  sub->unconnected_id = g_timeout_add ((guint) MAX (sub->hub->unconnected_timeout * 1000, 1), unconnected_cb, sub);
}

static gboolean
lease_expired_cb (gpointer data)
{
  Subscriber *sub = data;
  gint64 left = sub->lease_end - g_get_monotonic_time ();

  sub->lease_id = 0;
  /* H-09, H-13: not before the lease is over. g_timeout_add_seconds()
   * (one wake-up a second for every timer) may fire up to a quarter of a
   * second early: a 1 s lease ended before a renewal at 80 % of it. */
  if (left > 0)
    {
      sub->lease_id = g_timeout_add ((guint) MIN ((left + 999) / 1000, G_MAXUINT), lease_expired_cb, sub);
      return G_SOURCE_REMOVE;
    }
  _fcm_hub_remove_subscriber (sub->hub, sub,
                              sub->lease_by_token ? "access token expired" : "subscription lease expired", TRUE);
  return G_SOURCE_REMOVE;
}

/* The lease ends after lease_seconds, or when the subscriber's token
 * expires if that comes first (H-09). */
static void
subscriber_start_lease (Subscriber *sub)
{
  gint64 lease_us = (gint64)sub->lease_seconds * G_USEC_PER_SEC;

  g_clear_handle_id (&sub->lease_id, g_source_remove);
  sub->lease_by_token = FALSE;
  if (sub->token_expires != 0)
    {
      gint64 token_us = MAX (sub->token_expires - g_get_real_time (), 0);

      /* a lease capped at the token (rounded down to whole seconds) ends with the token */
      sub->lease_by_token = token_us < lease_us + G_USEC_PER_SEC;
      if (sub->lease_by_token)
        lease_us = token_us;
      sub->lease_id = g_timeout_add ((guint)(lease_us / 1000), lease_expired_cb, sub);
    }
  else
    sub->lease_id = g_timeout_add_seconds (sub->lease_seconds, lease_expired_cb, sub);
  sub->lease_end = g_get_monotonic_time () + lease_us;
}

/* Finds the subscription of an endpoint URL by its id alone, so that
 * "localhost" vs "127.0.0.1" or ws vs wss spellings still match. */
static Subscriber *
lookup_endpoint (FcmHub     *self,
                 const char *endpoint)
{
  const char *id;

  if (endpoint == NULL || (id = strstr (endpoint, WS_PATH "/")) == NULL)
    return NULL;
  id += strlen (WS_PATH "/");
  return g_hash_table_lookup (self->subscribers, id);
}

static void
respond_endpoint (SoupServerMessage *msg,
                  Subscriber        *sub)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autofree char *endpoint = subscriber_dup_endpoint (sub);

  json_object_set_string_member (obj, "hub.channel.endpoint", endpoint);
  _fcm_hub_respond_json (msg, SOUP_STATUS_ACCEPTED, obj);
}

void
_fcm_hub_handle_form (FcmHub            *self,
                      SoupServerMessage *msg,
                      GHashTable        *form,
                      Token             *token)
{
  const char *type = _fcm_hub_form_get (form, "hub.channel.type");
  const char *mode = _fcm_hub_form_get (form, "hub.mode");
  const char *topic = _fcm_hub_form_get (form, "hub.topic");
  const char *events = _fcm_hub_form_get (form, "hub.events");
  const char *endpoint = _fcm_hub_form_get (form, "hub.channel.endpoint");
  const char *name = _fcm_hub_form_get (form, "subscriber.name");
  const char *lease = _fcm_hub_form_get (form, "hub.lease_seconds");
  g_autoptr(GPtrArray) event_set = NULL;
  g_autofree char *events_problem = NULL;
  g_autofree char *quota_key = NULL;
  guint64 lease_seconds = MIN (self->lease_default, self->lease_max);
  const char *topic_problem;
  Subscriber *sub = NULL;

  /* H-05 / H-14 */
  if (type == NULL || g_ascii_strcasecmp (type, "websocket") != 0)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "hub.channel.type must be \"websocket\"");
      return;
    }
  if (mode == NULL || (!g_str_equal (mode, "subscribe") && !g_str_equal (mode, "unsubscribe")))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "hub.mode must be \"subscribe\" or \"unsubscribe\"");
      return;
    }
  topic_problem = _fcm_hub_check_topic (topic);
  _fcm_hub_audit_note (self, g_str_equal (mode, "unsubscribe") ? "RAD-152" : "RAD-146",
                       g_str_equal (mode, "unsubscribe") ? "unsubscribe" : (endpoint != NULL ? "renew" : "subscribe"),
                       topic_problem == NULL ? topic : NULL);
  if (topic_problem != NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, topic_problem);
      return;
    }

  if (endpoint != NULL)
    {
      sub = lookup_endpoint (self, endpoint);
      if (sub != NULL)
        _fcm_hub_audit_note_subscriber (self, sub->id, sub->name);
      if (sub == NULL || !g_str_equal (sub->topic, topic))
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST,
                                 "hub.channel.endpoint is not a subscription of this topic");
          return;
        }
      /* only the application that subscribed may renew or end it */
      if (sub->owner != NULL && (token == NULL || g_strcmp0 (token->principal, sub->owner) != 0))
        {
          g_debug ("%s refused for %s: another application's endpoint", mode,
                   token != NULL ? token->name : "a request without a token");
          _fcm_hub_respond_text (msg, SOUP_STATUS_FORBIDDEN,
                                 "hub.channel.endpoint belongs to another application's token");
          return;
        }
    }

  if (g_str_equal (mode, "unsubscribe"))
    {
      if (sub == NULL)
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "hub.channel.endpoint is missing or empty");
          return;
        }
      respond_endpoint (msg, sub);
      _fcm_hub_remove_subscriber (self, sub, "unsubscribed", TRUE);
      return;
    }

  event_set = events_parse (events, &events_problem);
  if (event_set == NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, events_problem);
      return;
    }
  if (event_set->len == 0)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "hub.events is missing or empty");
      return;
    }
  if (name != NULL && _fcm_hub_is_blank (name))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "subscriber.name is empty");
      return;
    }
  if (name != NULL && strlen (name) > MAX_NAME_BYTES)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "subscriber.name is longer than 256 bytes");
      return;
    }
  _fcm_hub_audit_note_subscriber (self, NULL, name);

  /* H-03: a .read scope for every requested event, or 403 (no silent narrowing) */
  for (guint i = 0; token != NULL && i < event_set->len; i++)
    {
      const char *event = g_ptr_array_index (event_set, i);

      if (!_fcm_hub_token_allows (token, event, FALSE))
        {
          g_autofree char *reason = g_strdup_printf ("the bearer token lacks the scope fhircast/%s.read", event);

          g_debug ("subscribe refused for %s: no %s.read", token->name, event);
          _fcm_hub_respond_text (msg, SOUP_STATUS_FORBIDDEN, reason);
          return;
        }
    }

  if (lease == NULL)
    lease = _fcm_hub_form_get (form, "hub.lease");   /* seen in the field (interop.md) */
  if (lease != NULL &&
      !g_ascii_string_to_unsigned (lease, 10, 1, G_MAXUINT32 / 1000, &lease_seconds, NULL))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "hub.lease_seconds must be a positive integer");
      return;
    }
  lease_seconds = MIN (lease_seconds, self->lease_max);   /* H-09: the hub grants at most lease-max */

  /* H-09: the lease ends no later than the token */
  if (token != NULL && token->expires != G_MAXINT64)
    {
      gint64 left = (token->expires - g_get_real_time ()) / G_USEC_PER_SEC;

      if (left < 1)
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_UNAUTHORIZED, "bearer token expires in less than a second");
          return;
        }
      lease_seconds = MIN (lease_seconds, (guint64)left);
    }

  /* a new subscription counts against its token (its address without tokens) */
  if (sub == NULL)
    {
      quota_key = token != NULL ? g_strdup (token->principal)
                                : g_strconcat ("address:", soup_server_message_get_remote_host (msg), NULL);
      if (GPOINTER_TO_UINT (g_hash_table_lookup (self->quota, quota_key)) >= self->max_subscriptions)
        {
          g_autofree char *reason = g_strdup_printf ("too many subscriptions for this %s (at most %u)",
                                                     token != NULL ? "token" : "address",
                                                     self->max_subscriptions);

          g_debug ("subscribe refused: %s", reason);
          _fcm_hub_respond_text (msg, 429, reason);
          soup_server_message_set_status (msg, 429, "Too Many Requests");   /* RFC 6585 */
          return;
        }
    }

  if (sub == NULL)
    {
      sub = g_new0 (Subscriber, 1);
      sub->hub = self;
      sub->last_latency = -1;
      do
        {
          g_free (sub->id);
          sub->id = _fcm_hub_random_hex (16);   /* 128 bits */
        }
      while (g_hash_table_contains (self->retired, sub->id) ||
             g_hash_table_contains (self->subscribers, sub->id));
      sub->topic = g_strdup (topic);
      sub->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)_fcm_hub_pending_free);
      sub->resends = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)_fcm_hub_resend_free);
      sub->legacy_sent = g_queue_new ();
      sub->seq = self->next_seq++;
      sub->quota_key = g_steal_pointer (&quota_key);
      g_hash_table_insert (self->quota, g_strdup (sub->quota_key),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->quota, sub->quota_key)) + 1));
      if (token != NULL)
        sub->owner = g_strdup (token->principal);
      _fcm_hub_subscriber_wait_for_socket (sub);
      g_hash_table_insert (self->subscribers, sub->id, sub);
      self->subscribers_peak = MAX (self->subscribers_peak, g_hash_table_size (self->subscribers));
      _fcm_hub_ensure_topic (self, topic);   /* H-04: a session starts on first subscribe */
    }
  else
    {
      g_clear_pointer (&sub->events, g_ptr_array_unref);
      g_clear_pointer (&sub->events_canon, g_ptr_array_unref);
    }

  /* H-07: a re-subscribe replaces events, name and lease */
  sub->events = g_steal_pointer (&event_set);
  sub->events_canon = g_ptr_array_sized_new (sub->events->len);
  for (guint i = 0; i < sub->events->len; i++)
    g_ptr_array_add (sub->events_canon,
                     (gpointer) fcm_event_name_canonicalize (g_ptr_array_index (sub->events, i)));
  if (name != NULL)
    {
      g_free (sub->name);
      sub->name = g_strdup (name);
    }
  g_clear_pointer (&sub->token_name, g_free);
  sub->token_expires = 0;
  if (token != NULL)
    {
      sub->token_name = g_strdup (token->name);
      sub->token_expires = token->expires != G_MAXINT64 ? token->expires : 0;
    }
  sub->lease_seconds = (guint)lease_seconds;
  subscriber_start_lease (sub);
  _fcm_hub_audit_note_subscriber (self, sub->id, NULL);
  if (token != NULL)
    {
      g_autofree char *redacted = _fcm_hub_redact (sub->id);

      g_debug ("subscription %s: token %s, lease %u s", redacted, token->name, sub->lease_seconds);
    }

  respond_endpoint (msg, sub);
  _fcm_hub_subscribers_changed (self, sub->topic);   /* new, or new events or name (H-07) */

  if (endpoint != NULL)
    _fcm_hub_subscriber_send_mode (sub, "subscribe", NULL);   /* confirm the renewal */
  else
    g_signal_emit (self, _fcm_hub_signals[SIGNAL_SUBSCRIBER_ADDED], 0, sub->topic, sub->name);
}
