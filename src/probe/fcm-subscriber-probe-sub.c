/* fcm-subscriber-probe-sub.c: the app's subscriptions as the subscriber probe sees them
 *
 * What the probe's hub records about each subscription (acks, renewals,
 * the unsubscribe) and how it talks to it (notifications, confirmation,
 * denial, close, drop).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-json-private.h"
#include "fcm-subscriber-probe-private.h"

static void
ack_free (gpointer data)
{
  FcmSpAck *ack = data;

  g_free (ack->id);
  g_free (ack);
}

static void
sent_free (gpointer data)
{
  FcmSpSent *sent = data;

  g_free (sent->id);
  g_free (sent->name);
  g_free (sent);
}

/* A new subscription of the app (added to the probe's list). */
FcmSpSub *
fcm_sp_sub_new (FcmSubscriberProbe *self)
{
  FcmSpSub *sub = g_new0 (FcmSpSub, 1);

  sub->probe = self;
  sub->subscribed_at = g_get_monotonic_time ();
  sub->renewals = g_array_new (FALSE, FALSE, sizeof (gint64));
  sub->acks = g_ptr_array_new_with_free_func (ack_free);
  sub->sent = g_ptr_array_new_with_free_func (sent_free);
  g_ptr_array_add (self->subscriptions, sub);
  return sub;
}

void
fcm_sp_sub_free (gpointer data)
{
  FcmSpSub *sub = data;

  if (sub->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (sub->ws, sub);
      if (soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (sub->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&sub->ws);
    }
  g_free (sub->id);
  g_free (sub->endpoint);
  g_clear_pointer (&sub->form, g_hash_table_unref);
  g_clear_pointer (&sub->unsubscribe, g_hash_table_unref);
  g_free (sub->content_type);
  g_free (sub->name);
  g_strfreev (sub->events);
  g_array_unref (sub->renewals);
  g_ptr_array_unref (sub->acks);
  g_ptr_array_unref (sub->sent);
  g_free (sub);
}

/* The subscription with that endpoint (or endpoint id). */
FcmSpSub *
fcm_sp_find_sub (FcmSubscriberProbe *self,
                 const char         *endpoint_or_id)
{
  const char *slash;
  g_autofree char *id = NULL;

  if (endpoint_or_id == NULL)
    return NULL;
  slash = strrchr (endpoint_or_id, '/');
  id = g_strstrip (g_strdup (slash != NULL ? slash + 1 : endpoint_or_id));
  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      FcmSpSub *sub = g_ptr_array_index (self->subscriptions, i);

      if (g_str_equal (sub->id, id))
        return sub;
    }
  return NULL;
}

/**
 * fcm_sp_find_unclaimed:
 * @connected: only subscriptions whose socket is up and confirmed
 *
 * Returns: (transfer none) (nullable): the oldest live subscription no
 *   scenario has claimed yet
 */
FcmSpSub *
fcm_sp_find_unclaimed (FcmSubscriberProbe *self,
                       gboolean            connected)
{
  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      FcmSpSub *sub = g_ptr_array_index (self->subscriptions, i);

      if (sub->claimed || sub->retired)
        continue;
      if (!connected || (sub->ws != NULL && !sub->closed && sub->confirmed_at != 0))
        return sub;
    }
  return NULL;
}

/* --------------------------------------------------------------- sending */

void
fcm_sp_send (FcmSpSub   *sub,
             const char *text,
             gsize       len)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *excerpt = NULL;

  if (sub->ws == NULL || soup_websocket_connection_get_state (sub->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  if (len > 400)
    excerpt = g_strdup_printf ("%.300s… (%" G_GSIZE_FORMAT " bytes)", text, len);
  fcm_sp_evidence (sub->probe, "→ %s", excerpt != NULL ? excerpt : text);
  bytes = g_bytes_new (text, len);
  soup_websocket_connection_send_message (sub->ws, SOUP_WEBSOCKET_DATA_TEXT, bytes);
}

void
fcm_sp_send_binary (FcmSpSub   *sub,
                    const char *data,
                    gsize       len)
{
  if (sub->ws == NULL || soup_websocket_connection_get_state (sub->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  fcm_sp_evidence (sub->probe, "→ <binary, %" G_GSIZE_FORMAT " bytes>", len);
  soup_websocket_connection_send_binary (sub->ws, data, len);
}

/**
 * fcm_sp_send_event:
 * @id: (nullable): the notification id; %NULL for a new UUID
 * @timestamp: (nullable): %NULL for now
 *
 * Sends a notification to @sub (and records it).
 *
 * Returns: (transfer full): the id
 */
char *
fcm_sp_send_event (FcmSpSub   *sub,
                   const char *id,
                   const char *timestamp,
                   const char *event_name,
                   JsonArray  *context,
                   const char *version_id,
                   const char *prior_version_id)
{
  g_autofree char *new_id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  g_autofree char *now = timestamp != NULL ? g_strdup (timestamp) : fcm_probe_now_iso ();
  g_autofree char *text = fcm_probe_message_new (new_id, now, sub->probe->topic, event_name, context,
                                                 version_id, prior_version_id);
  FcmSpSent *sent = g_new0 (FcmSpSent, 1);

  sent->id = g_strdup (new_id);
  sent->name = g_strdup (event_name);
  sent->at = g_get_monotonic_time ();
  g_ptr_array_add (sub->sent, sent);
  fcm_sp_send (sub, text, strlen (text));
  return g_steal_pointer (&new_id);
}

void
fcm_sp_send_confirmation (FcmSpSub *sub)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *events = g_strjoinv (",", sub->events);
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hub.mode");
  json_builder_add_string_value (b, "subscribe");
  json_builder_set_member_name (b, "hub.topic");
  json_builder_add_string_value (b, sub->probe->topic);
  json_builder_set_member_name (b, "hub.events");
  json_builder_add_string_value (b, events);
  json_builder_set_member_name (b, "hub.lease_seconds");
  json_builder_add_int_value (b, sub->lease);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = fcm_json_to_string (root, FALSE);
  fcm_sp_send (sub, text, strlen (text));
  sub->confirmed_at = g_get_monotonic_time ();
}

void
fcm_sp_send_denial (FcmSpSub   *sub,
                    const char *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *events = g_strjoinv (",", sub->events);
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hub.mode");
  json_builder_add_string_value (b, "denied");
  json_builder_set_member_name (b, "hub.topic");
  json_builder_add_string_value (b, sub->probe->topic);
  json_builder_set_member_name (b, "hub.events");
  json_builder_add_string_value (b, events);
  json_builder_set_member_name (b, "hub.reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = fcm_json_to_string (root, FALSE);
  fcm_sp_send (sub, text, strlen (text));
}

void
fcm_sp_close (FcmSpSub   *sub,
              gushort     code,
              const char *reason)
{
  if (sub->ws == NULL || soup_websocket_connection_get_state (sub->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  fcm_sp_evidence (sub->probe, "→ close (code %u)", code);
  soup_websocket_connection_close (sub->ws, code, reason);
}

/* Drops the TCP connection without a close frame; the endpoint is retired. */
void
fcm_sp_drop (FcmSpSub *sub)
{
  sub->retired = TRUE;
  if (sub->ws == NULL)
    return;
  fcm_sp_evidence (sub->probe, "→ drops the connection (no close frame)");
  g_io_stream_close (soup_websocket_connection_get_io_stream (sub->ws), NULL, NULL);
}

gboolean
fcm_sp_granted (FcmSpSub   *sub,
                const char *event_name)
{
  for (guint i = 0; sub->events != NULL && sub->events[i] != NULL; i++)
    if (fcm_event_name_equal (sub->events[i], event_name))
      return TRUE;
  return FALSE;
}

FcmSpAck *
fcm_sp_find_ack (FcmSpSub   *sub,
                 const char *id)
{
  for (guint i = 0; i < sub->acks->len; i++)
    {
      FcmSpAck *ack = g_ptr_array_index (sub->acks, i);

      if (g_strcmp0 (ack->id, id) == 0)
        return ack;
    }
  return NULL;
}

guint
fcm_sp_count_acks (FcmSpSub   *sub,
                   const char *id)
{
  guint n = 0;

  for (guint i = 0; i < sub->acks->len; i++)
    if (g_strcmp0 (((FcmSpAck *) g_ptr_array_index (sub->acks, i))->id, id) == 0)
      n++;
  return n;
}

/* How many Get Current Context calls came at or after @since. */
guint
fcm_sp_gets_since (FcmSubscriberProbe *self,
                   gint64              since)
{
  guint n = 0;

  for (guint i = 0; i < self->gets->len; i++)
    if (g_array_index (self->gets, gint64, i) >= since)
      n++;
  return n;
}

/* A new report context is open: replayed on connect, served by Get Current Context. */
void
fcm_sp_open_context (FcmSubscriberProbe *self)
{
  g_free (self->report);
  g_free (self->patient);
  g_free (self->study);
  g_free (self->open_id);
  g_free (self->open_timestamp);
  g_free (self->version);
  self->report = fcm_probe_random_id ("probe-rpt");
  self->patient = fcm_probe_random_id ("probe-pat");
  self->study = fcm_probe_random_id ("probe-st");
  self->open_id = g_uuid_string_random ();
  self->open_timestamp = fcm_probe_now_iso ();
  self->version = g_uuid_string_random ();
  self->context_open = TRUE;
}

void
fcm_sp_close_context (FcmSubscriberProbe *self)
{
  self->context_open = FALSE;
}
