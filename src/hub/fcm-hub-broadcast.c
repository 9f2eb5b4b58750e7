/* fcm-hub-broadcast.c: what the hub sends to its subscribers (H-18, H-39)
 *
 * A broadcast goes to every subscriber of the topic that subscribed to the
 * event (matched case-insensitively, H-06), serialized and framed once for
 * all of them. A delivery that expects an ack starts its wait, then the
 * admin faults apply (drop, delay) as if the frame had been sent. Also the
 * heartbeat (H-39).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-hub-private.h"

/* The subscribers of @topic that subscribed to @event_name, except
 * @except, collected before anything is sent to them (H-18). */
GPtrArray *
_fcm_hub_find_recipients (FcmHub     *self,
                          const char *topic,
                          const char *event_name,
                          Subscriber *except)
{
  GPtrArray *targets = g_ptr_array_sized_new (g_hash_table_size (self->subscribers));
  const char *canon = fcm_event_name_canonicalize (event_name);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->subscribers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Subscriber *sub = value;

      if (sub != except && g_str_equal (sub->topic, topic) && _fcm_hub_subscriber_wants_canonical (sub, canon))
        g_ptr_array_add (targets, sub);
    }
  return targets;
}

/* Sends a notification frame; the legacy socket remembers the order, as
 * its replies carry no id. */
static void
subscriber_send_notification (Subscriber *sub,
                              const char *id,
                              const char *text,
                              GBytes     *frame)
{
  if (!_fcm_hub_subscriber_is_open (sub))
    return;
  /* @frame: @text as a WebSocket frame, encoded once for all recipients */
  if (frame != NULL)
    fcm_ws_conn_send_frame (sub->conn, frame);
  else
    fcm_ws_conn_send_text (sub->conn, text);
  if (sub->legacy)
    g_queue_push_tail (sub->legacy_sent, g_strdup (id));
}

void
_fcm_hub_delayed_free (Delayed *delayed)
{
  g_clear_handle_id (&delayed->source_id, g_source_remove);
  g_free (delayed->sub_id);
  g_free (delayed->id);
  g_free (delayed->text);
  g_free (delayed);
}

static gboolean
delayed_send_cb (gpointer data)
{
  Delayed *delayed = data;
  Subscriber *sub = g_hash_table_lookup (delayed->hub->subscribers, delayed->sub_id);

  delayed->source_id = 0;
  if (sub != NULL)
    subscriber_send_notification (sub, delayed->id, delayed->text, NULL);
  g_hash_table_remove (delayed->hub->delayed, delayed);
  return G_SOURCE_REMOVE;
}

/* A subscriber that stopped reading (issue 14.10): its unsent notifications
 * passed max-queued-bytes. It gets no more; the others of its topic get a
 * syncerror naming it (as for a missed ack, H-34), and it is unsubscribed.
 * From an idle callback: this runs in the middle of a broadcast. */
typedef struct
{
  FcmHub *hub;
  char   *sub_id;
  char   *event_id;
  char   *event_name;
} TooSlow;

static void
too_slow_free (gpointer data)
{
  TooSlow *slow = data;

  g_free (slow->sub_id);
  g_free (slow->event_id);
  g_free (slow->event_name);
  g_free (slow);
}

static gboolean
too_slow_cb (gpointer data)
{
  TooSlow *slow = data;
  FcmHub *self = slow->hub;
  Subscriber *sub = g_hash_table_lookup (self->subscribers, slow->sub_id);
  g_autofree char *diagnostics = NULL;
  g_autofree char *topic = NULL;

  if (sub == NULL)
    return G_SOURCE_REMOVE;
  sub->too_slow_id = 0;
  topic = g_strdup (sub->topic);
  diagnostics = g_strdup_printf ("%s stopped reading its notifications (more than %" G_GSIZE_FORMAT
                                 " bytes unsent); it is unsubscribed",
                                 sub->name ? sub->name : "A subscriber", self->max_queued_bytes);
  _fcm_hub_emit_syncerror (self, topic, sub, slow->event_id, slow->event_name, diagnostics);
  /* no denial frame: it would wait behind everything it does not read */
  _fcm_hub_remove_subscriber (self, sub, "too slow: notifications not read", FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
subscriber_too_slow (FcmHub     *self,
                     Subscriber *sub,
                     const char *id,
                     const char *event_name)
{
  TooSlow *slow;

  if (sub->too_slow_id != 0)
    return TRUE;
  if (sub->conn == NULL || self->max_queued_bytes == 0 ||
      fcm_ws_conn_get_queued_bytes (sub->conn) <= self->max_queued_bytes)
    return FALSE;
  slow = g_new0 (TooSlow, 1);
  slow->hub = self;
  slow->sub_id = g_strdup (sub->id);
  slow->event_id = g_strdup (id);
  slow->event_name = g_strdup (event_name);
  sub->too_slow_id = g_idle_add_full (G_PRIORITY_DEFAULT, too_slow_cb, slow, too_slow_free);
  return TRUE;
}

/* @frame: (nullable): @text as a WebSocket frame, shared by a broadcast */
static void
hub_deliver_frame (FcmHub     *self,
                   Subscriber *sub,
                   const char *id,
                   const char *event_name,
                   const char *text,
                   GBytes     *frame,
                   gboolean    expect_ack)
{
  g_autofree char *wrapped = NULL;

  if (!_fcm_hub_subscriber_is_open (sub) || subscriber_too_slow (self, sub, id, event_name))
    return;

  if (sub->legacy)
    {
      text = wrapped = _fcm_hub_legacy_wrap (sub, text);
      frame = NULL;
    }

  if (expect_ack)
    _fcm_hub_expect_ack (self, sub, id, event_name);

  /* admin fault injection: the ack timer runs as if the frame had been sent */
  if (sub->drop != 0)
    {
      if (sub->drop > 0)
        sub->drop--;
      return;
    }
  if (sub->delay_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->hub = self;
      delayed->sub_id = g_strdup (sub->id);
      delayed->id = g_strdup (id);
      delayed->text = g_strdup (text);
      delayed->source_id = g_timeout_add (sub->delay_ms, delayed_send_cb, delayed);
      g_hash_table_add (self->delayed, delayed);
      return;
    }
  subscriber_send_notification (sub, id, text, frame);
}

void
_fcm_hub_deliver (FcmHub     *self,
                  Subscriber *sub,
                  const char *id,
                  const char *event_name,
                  const char *text,
                  gboolean    expect_ack)
{
  hub_deliver_frame (self, sub, id, event_name, text, NULL, expect_ack);
}

/* Broadcasts to every subscriber of @event_name in @topic (H-18). */
void
_fcm_hub_broadcast (FcmHub     *self,
                    const char *topic,
                    const char *id,
                    const char *event_name,
                    const char *text,
                    Subscriber *except)
{
  g_autoptr(GPtrArray) targets = _fcm_hub_find_recipients (self, topic, event_name, except);
  gboolean expect_ack = !fcm_event_name_equal (event_name, "syncerror");
  g_autoptr(GBytes) frame = NULL;

  /* the same text for every subscriber, serialized and framed once (H-18) */
  if (targets->len > 0)
    frame = fcm_ws_frame_new_text (text, strlen (text));
  for (guint i = 0; i < targets->len; i++)
    hub_deliver_frame (self, g_ptr_array_index (targets, i), id, event_name, text, frame, expect_ack);

  g_signal_emit (self, _fcm_hub_signals[SIGNAL_EVENT_BROADCAST], 0, topic, event_name, id);
}

/* ------------------------------------------------------------------------ */
/* heartbeat (H-39)                                                          */

static gboolean
heartbeat_cb (gpointer data)
{
  FcmHub *self = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->subscribers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Subscriber *sub = value;
      g_autofree char *id = NULL;
      g_autoptr(JsonArray) context = NULL;
      JsonObject *period;
      g_autoptr(FcmEvent) event = NULL;
      g_autofree char *text = NULL;

      /* connected sockets only (nothing is built for the others) */
      if (!_fcm_hub_subscriber_is_open (sub))
        continue;
      id = _fcm_hub_random_uuid ();
      context = json_array_new ();
      period = json_object_new ();
      json_object_set_string_member (period, "key", "period");
      json_object_set_int_member (period, "decimal", self->heartbeat);
      json_array_add_object_element (context, period);
      event = fcm_event_new (id, NULL, sub->topic, "heartbeat", context, NULL, NULL);
      text = fcm_event_to_json (event, FALSE);
      _fcm_hub_deliver (self, sub, id, "heartbeat", text, FALSE);   /* never a syncerror */
    }
  return G_SOURCE_CONTINUE;
}

void
_fcm_hub_restart_heartbeat (FcmHub *self)
{
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  if (self->heartbeat > 0 && self->server != NULL && self->url != NULL)
    self->heartbeat_id = g_timeout_add_seconds (self->heartbeat, heartbeat_cb, self);
}
