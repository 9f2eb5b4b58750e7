/* fcm-hub-acks.c: acks, and the syncerrors the hub makes (H-32..H-37)
 *
 * Every notification but heartbeats and syncerrors waits for an ack
 * (H-32): one Pending record per subscriber and event id, in one queue
 * ordered by deadline that a single timer serves. A non-2xx ack (H-33) or
 * no ack within ack-timeout (H-34, ack_timeout()) sends a syncerror to the
 * other subscribers of syncerror; max-missed-acks timeouts in a row
 * unsubscribe the silent one. Hub syncerrors (H-36) are resent until acked
 * (H-37), and a missing syncerror ack never makes another one. The
 * requester of a change answered 202 and rejected later gets its syncerror
 * from here too (H-17).
 *
 * Acks arrive from fcm-hub-channel.c, which reads the usual
 * {"id":"…","status":200} without building a JSON tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <math.h>

#include "fcm-hub-private.h"

void
_fcm_hub_pending_free (Pending *pending)
{
  g_queue_unlink (&pending->sub->hub->ack_queue, &pending->link);
  g_free (pending->id);
  g_free (pending->event_name);
  g_free (pending);
}

void
_fcm_hub_resend_free (Resend *resend)
{
  g_clear_handle_id (&resend->timeout_id, g_source_remove);
  g_free (resend->id);
  g_free (resend->text);
  g_free (resend);
}

/* ------------------------------------------------------------------------ */
/* syncerror (H-33..H-38)                                                   */

static JsonArray *
build_syncerror_context (FcmHub     *self,
                         const char *event_id,
                         const char *event_name,
                         const char *subscriber_name,
                         const char *diagnostics)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *codes[3] = { event_id, event_name, subscriber_name != NULL ? subscriber_name : "" };
  const char *systems[3] = { "eventid", "eventname", "subscribername" };

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, "operationoutcome");
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resourceType");
  json_builder_add_string_value (b, "OperationOutcome");
  json_builder_set_member_name (b, "issue");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, self->syncerror_severity);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "processing");
  json_builder_set_member_name (b, "diagnostics");
  json_builder_add_string_value (b, diagnostics);
  json_builder_set_member_name (b, "details");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "coding");
  json_builder_begin_array (b);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *system = g_strconcat (SYNCERROR_SYSTEM, systems[i], NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "system");
      json_builder_add_string_value (b, system);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, codes[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);

  root = json_builder_get_root (b);
  return json_array_ref (json_node_get_array (root));
}

static gboolean
resend_cb (gpointer data)
{
  Resend *resend = data;
  Subscriber *sub = resend->sub;

  /* H-37: the same message again (original id and timestamp) */
  _fcm_hub_deliver (sub->hub, sub, resend->id, "syncerror", resend->text, FALSE);
  if (--resend->left > 0)
    return G_SOURCE_CONTINUE;
  resend->timeout_id = 0;
  g_hash_table_remove (sub->resends, resend->id);
  return G_SOURCE_REMOVE;
}

/* Sends a hub-generated syncerror to one subscriber; it is sent again
 * (up to syncerror-resends times) while no ack for it arrives (H-37). A
 * missing ack never causes another syncerror or counts as a missed ack. */
static void
hub_deliver_syncerror (FcmHub     *self,
                       Subscriber *sub,
                       const char *id,
                       const char *text)
{
  if (!_fcm_hub_subscriber_is_open (sub))
    return;
  _fcm_hub_deliver (self, sub, id, "syncerror", text, FALSE);
  if (self->syncerror_resends > 0 && self->syncerror_resend_interval > 0 &&
      !g_hash_table_contains (sub->resends, id))
    {
      Resend *resend = g_new0 (Resend, 1);

      resend->sub = sub;
      resend->id = g_strdup (id);
      resend->text = g_strdup (text);
      resend->left = self->syncerror_resends;
      resend->timeout_id = g_timeout_add ((guint)MAX (self->syncerror_resend_interval * 1000.0, 1.0),
                                          resend_cb, resend);
      g_hash_table_insert (sub->resends, resend->id, resend);
    }
}

/* Builds a hub-generated syncerror message (H-36); *out_id gets its id. */
static char *
build_syncerror_text (FcmHub      *self,
                      const char  *topic,
                      const char  *event_id,
                      const char  *event_name,
                      const char  *subscriber_name,
                      const char  *diagnostics,
                      char       **out_id)
{
  g_autofree char *id = _fcm_hub_random_uuid ();
  g_autofree char *generated = NULL;
  g_autoptr(JsonArray) context = NULL;
  g_autoptr(FcmEvent) event = NULL;

  if (event_id == NULL)
    event_id = generated = _fcm_hub_random_uuid ();
  if (event_name == NULL)
    event_name = "syncerror";

  context = build_syncerror_context (self, event_id, event_name, subscriber_name, diagnostics);
  event = fcm_event_new (id, NULL, topic, "syncerror", context, NULL, NULL);
  *out_id = g_steal_pointer (&id);
  return fcm_event_to_json (event, FALSE);
}

/* Sends a hub-generated syncerror to every subscriber of syncerror in
 * @topic except @culprit (FC §2.5). */
void
_fcm_hub_emit_syncerror (FcmHub     *self,
                         const char *topic,
                         Subscriber *culprit,
                         const char *event_id,
                         const char *event_name,
                         const char *diagnostics)
{
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) targets = NULL;

  text = build_syncerror_text (self, topic, event_id, event_name,
                               culprit != NULL ? culprit->name : NULL, diagnostics, &id);
  targets = _fcm_hub_find_recipients (self, topic, "syncerror", culprit);

  /* no ack tracking for syncerrors: a missing ack must not cascade */
  for (guint i = 0; i < targets->len; i++)
    hub_deliver_syncerror (self, g_ptr_array_index (targets, i), id, text);

  g_signal_emit (self, _fcm_hub_signals[SIGNAL_SYNCERROR], 0, topic, diagnostics);
}

/* One syncerror to the requester only, whatever its events (H-17, H-37). */
void
_fcm_hub_syncerror_to_requester (FcmHub     *self,
                                 Subscriber *sub,
                                 FcmEvent   *event,
                                 const char *reason)
{
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *diagnostics = g_strdup_printf ("The hub rejected %s after accepting it for "
                                                  "asynchronous processing: %s",
                                                  fcm_event_get_name (event), reason);

  text = build_syncerror_text (self, sub->topic, fcm_event_get_id (event), fcm_event_get_name (event),
                               sub->name, diagnostics, &id);
  hub_deliver_syncerror (self, sub, id, text);
  g_signal_emit (self, _fcm_hub_signals[SIGNAL_SYNCERROR], 0, sub->topic, diagnostics);
}

/* ------------------------------------------------------------------------ */
/* waiting for acks (H-32, H-34)                                            */

static void
ack_timeout (Pending *pending)
{
  Subscriber *sub = pending->sub;
  FcmHub *self = sub->hub;
  g_autofree char *diagnostics = NULL;
  g_autofree char *event_id = g_strdup (pending->id);
  g_autofree char *event_name = g_strdup (pending->event_name);
  g_autofree char *topic = g_strdup (sub->topic);

  g_hash_table_remove (sub->pending, event_id);
  sub->missed_total++;
  _fcm_hub_subscribers_changed (self, topic);

  diagnostics = g_strdup_printf ("%s did not acknowledge %s within %.1f s",
                                 sub->name ? sub->name : "A subscriber", event_name,
                                 self->ack_timeout);
  _fcm_hub_emit_syncerror (self, topic, sub, event_id, event_name, diagnostics);
  /* H-34: unresponsive after max-missed-acks consecutive timeouts (default 1) */
  if (++sub->missed_acks >= self->max_missed_acks)
    _fcm_hub_remove_subscriber (self, sub, "unresponsive: no acknowledgement", TRUE);
}

static void hub_arm_ack_timer (FcmHub *self);

/* One timer serves every pending ack: it fires at the earliest deadline,
 * handles all that are due and re-arms for the next one. A timer that fires
 * early (its pending ack was answered) just re-arms. */
static gboolean
ack_timer_cb (gpointer data)
{
  FcmHub *self = data;
  Pending *pending;

  self->ack_timer_id = 0;
  /* due within the timer's millisecond resolution */
  while ((pending = g_queue_peek_head (&self->ack_queue)) != NULL &&
         pending->deadline <= g_get_monotonic_time () + 1000)
    ack_timeout (pending);   /* frees it, may remove subscribers */
  hub_arm_ack_timer (self);
  return G_SOURCE_REMOVE;
}

static void
hub_arm_ack_timer (FcmHub *self)
{
  Pending *head = g_queue_peek_head (&self->ack_queue);
  gint64 wait;

  if (head == NULL || (self->ack_timer_id != 0 && self->ack_timer_deadline <= head->deadline))
    return;
  g_clear_handle_id (&self->ack_timer_id, g_source_remove);
  wait = MAX (head->deadline - g_get_monotonic_time (), 0);
  self->ack_timer_deadline = head->deadline;
  self->ack_timer_id = g_timeout_add ((guint) ((wait + 999) / 1000), ack_timer_cb, self);
}

/* Queues @pending by deadline: nearly always at the tail, since every
 * deadline is now + ack-timeout. */
static void
hub_queue_pending (FcmHub  *self,
                   Pending *pending)
{
  GList *l = self->ack_queue.tail;

  pending->link.data = pending;
  while (l != NULL && ((Pending *) l->data)->deadline > pending->deadline)
    l = l->prev;
  if (l == NULL)
    g_queue_push_head_link (&self->ack_queue, &pending->link);
  else
    {
      /* insert after l */
      pending->link.prev = l;
      pending->link.next = l->next;
      if (l->next != NULL)
        l->next->prev = &pending->link;
      else
        self->ack_queue.tail = &pending->link;
      l->next = &pending->link;
      self->ack_queue.length++;
    }
  hub_arm_ack_timer (self);
}

/* The ack for @id from @sub is awaited from now on, for ack-timeout
 * seconds (H-32, H-34); a second send of the same id keeps the first
 * deadline. */
void
_fcm_hub_expect_ack (FcmHub     *self,
                     Subscriber *sub,
                     const char *id,
                     const char *event_name)
{
  if (self->ack_timeout > 0 && !g_hash_table_contains (sub->pending, id))
    {
      Pending *pending = g_new0 (Pending, 1);

      pending->sub = sub;
      pending->id = g_strdup (id);
      pending->event_name = g_strdup (event_name);
      pending->sent_at = g_get_monotonic_time ();
      pending->deadline = pending->sent_at + (gint64) (self->ack_timeout * G_USEC_PER_SEC);
      g_hash_table_insert (sub->pending, pending->id, pending);
      hub_queue_pending (self, pending);
    }
}

/* ------------------------------------------------------------------------ */
/* acks received (H-32, H-33)                                               */

static gboolean
status_is_success (guint status)
{
  return status >= 200 && status < 300;
}

void
_fcm_hub_handle_ack_status (Subscriber *sub,
                            const char *id,
                            guint       status)
{
  FcmHub *self = sub->hub;
  Pending *pending;
  g_autofree char *event_name = NULL;
  g_autofree char *topic = NULL;

  /* any ack of a hub syncerror stops its resends (H-37) */
  if (g_hash_table_size (sub->resends) > 0)
    g_hash_table_remove (sub->resends, id);

  pending = g_hash_table_lookup (sub->pending, id);
  if (pending == NULL)
    return;   /* unknown, late or duplicate ack: ignore */

  event_name = g_strdup (pending->event_name);
  sub->last_latency = g_get_monotonic_time () - pending->sent_at;
  if (sub->latencies == NULL)
    sub->latencies = g_new0 (AckHistogram, 1);
  _fcm_hub_ack_histogram_add (sub->latencies, sub->last_latency);
  g_hash_table_remove (sub->pending, id);
  sub->missed_acks = 0;
  sub->acks++;
  if (!status_is_success (status))
    sub->refused_acks++;
  _fcm_hub_subscribers_changed (self, sub->topic);

  if (!status_is_success (status))
    {
      g_autofree char *diagnostics = NULL;

      topic = g_strdup (sub->topic);
      diagnostics = g_strdup_printf ("%s %s %s (HTTP %u)",
                                     sub->name ? sub->name : "A subscriber",
                                     status == 409 ? "refused to follow" : "failed to process",
                                     event_name, status);
      _fcm_hub_emit_syncerror (self, topic, sub, id, event_name, diagnostics);
    }
}

void
_fcm_hub_handle_ack (Subscriber *sub,
                     JsonObject *obj)
{
  const char *id = fcm_json_get_string (obj, "id");
  JsonNode *node = json_object_get_member (obj, "status");
  guint status = 200;   /* Medplum acks carry no status: success */

  if (id == NULL)
    return;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        status = (guint)CLAMP (json_node_get_int (node), 0, 999);
      else if (type == G_TYPE_DOUBLE)
        status = (guint)CLAMP (json_node_get_double (node), 0, 999);
      else if (type == G_TYPE_STRING)
        {
          guint64 v = 0;

          if (g_ascii_string_to_unsigned (json_node_get_string (node), 10, 100, 999, &v, NULL))
            status = (guint)v;
        }
    }
  _fcm_hub_handle_ack_status (sub, id, status);
}

/* ------------------------------------------------------------------ ack latencies */

static guint
bucket_of (gint64 usec)
{
  double b = usec > 1 ? log2 ((double) usec) * 4.0 : 0.0;

  return MIN ((guint) b, ACK_HISTOGRAM_BUCKETS - 1);
}

/* O(1) for each ack */
void
_fcm_hub_ack_histogram_add (AckHistogram *h,
                            gint64        usec)
{
  h->counts[bucket_of (MAX (usec, 0))]++;
  h->n++;
  h->max = MAX (h->max, usec);
}

/* the @q quantile in µs: the middle of its bucket (at most the largest seen) */
double
_fcm_hub_ack_histogram_quantile (AckHistogram *h,
                                 double        q)
{
  guint64 rank = (guint64) ceil (q * h->n);
  guint64 seen = 0;

  if (h->n == 0)
    return 0;
  rank = CLAMP (rank, 1, h->n);
  for (guint b = 0; b < ACK_HISTOGRAM_BUCKETS; b++)
    {
      seen += h->counts[b];
      if (seen >= rank)
        return MIN (exp2 ((b + 0.5) / 4.0), (double) h->max);
    }
  return h->max;
}
