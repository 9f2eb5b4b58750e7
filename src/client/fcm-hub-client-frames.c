/* fcm-hub-client-frames.c: what the hub sends, handed on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmHubClient (see fcm-hub-client-private.h).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include "fcm-hub-client-private.h"

/* ---------------------------------------------------------------- frames
 *
 * A frame is read, parsed once and, if it is an event, acknowledged at
 * once (C-28, C-29), in libsoup's read of the socket. Handing it on (the
 * "message", "frame", "sent", "ack-sent", "event" and "syncerror" signals:
 * the monitor, the event log, a GUI's views) follows either right away
 * (G_PRIORITY_DEFAULT, the default) or, with a lower frame priority, from
 * a queue in a source of that priority, FRAMES_PER_TURN frames or
 * FRAMES_TURN_USEC at a time (issue 15.1). A GUI sets a priority below its
 * redraw's: a stream of 2,000 events a second then never holds a frame of
 * the window back behind the messages read meanwhile, nor D-Bus calls and
 * timers at the default priority, while the hub still sees every ack as
 * soon as the event is read. The queue keeps the order of the frames, and
 * is emptied before the socket's close or our own disconnect is handled,
 * so nothing read is lost.
 */
#define FRAMES_PER_TURN  64
#define FRAMES_TURN_USEC (4 * 1000)
/* A main loop busy at a higher priority without a break (the embedded
 * hub answering publishers, besides the views) would hold the frames back
 * for good: once the oldest has waited frames_max_wait_usec (by default
 * FCM_HUB_CLIENT_FRAMES_MAX_WAIT_MS; a timeout at the default priority
 * looks that often) they go at the default priority, taking turns with the
 * rest, until they have caught up. */

typedef struct
{
  FcmMessage *message;
  char       *ack_text;      /* the ack written when the frame was read, or NULL */
  guint       ack_status;
  gint64      read_usec;     /* monotonic: when it was read (queued frames) */
} FcmQueuedFrame;

static void
queued_frame_clear (FcmQueuedFrame *frame)
{
  g_clear_pointer (&frame->message, fcm_message_unref);
  g_clear_pointer (&frame->ack_text, g_free);
}

static void
queued_frame_free (gpointer data)
{
  queued_frame_clear (data);
  g_free (data);
}

/* The id a notification's ack names: the event's, or for a notification
 * we cannot use, whatever id it has. */
static const char *
notification_id (FcmMessage *message)
{
  FcmEvent *event = fcm_message_get_event (message);

  if (event != NULL)
    return fcm_event_get_id (event);
  return fcm_doc_get_string (fcm_doc_get_root (fcm_message_get_doc (message)), "id");
}

/* When the frame is read: an event is acknowledged at once (C-28) with
 * the status the ack policy gives its name; a notification we cannot use
 * but that has an id gets a 400 (other 4xx: our side cannot use it). */
static void
ack_on_read (FcmHubClient   *self,
             FcmQueuedFrame *frame)
{
  FcmEvent *event = fcm_message_get_event (frame->message);
  const char *id = notification_id (frame->message);

  if (event != NULL)
    frame->ack_status = fcm_hub_client_get_ack_status (self, fcm_event_get_name (event));
  else
    {
      frame->ack_status = 400;
      g_debug ("client: unusable notification: %s", fcm_message_get_error (frame->message)->message);
    }
  if (id != NULL)
    frame->ack_text = _fcm_hub_client_write_ack (self, id, frame->ack_status);
}

static void
on_notification (FcmHubClient   *self,
                 FcmQueuedFrame *frame)
{
  FcmEvent *event = fcm_message_get_event (frame->message);

  if (frame->ack_text != NULL)
    {
      const char *id = notification_id (frame->message);

      g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_SENT], 0, "ack", id, frame->ack_status, frame->ack_text);
      g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_ACK_SENT], 0, id, frame->ack_status);
    }
  if (event == NULL)
    return;

  /* syncerrors, replays, heartbeats and echoes were acknowledged too */
  if (fcm_event_has_name (event, FCM_EVENT_HEARTBEAT))
    {
      _fcm_hub_client_note_heartbeat (self, event);  /* C-69: liveness only */
      return;
    }

  if (fcm_event_has_name (event, FCM_EVENT_SYNCERROR))
    {
      _fcm_hub_client_maybe_resend (self, event);
      g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_SYNCERROR], 0, event);
    }
  else
    {
      _fcm_hub_client_stop_resends (self);
      g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_EVENT], 0, event);
    }

  if (frame->ack_status == 202)
    _fcm_hub_client_send_followup_syncerror (self, event);
}

/* Hands a frame on: to the monitor, the validator and the event log (the
 * FcmMessage carries the parsed document and event), then by its kind. */
static void
handle_frame (FcmHubClient   *self,
              FcmQueuedFrame *frame)
{
  FcmMessage *msg = frame->message;
  FcmMessageKind kind = fcm_message_get_kind (msg);

  g_object_ref (self);
  g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_MESSAGE], 0, msg);
  g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_FRAME], 0, fcm_message_get_text (msg), kind);

  switch (kind)
    {
    /* once per connection: these read a json-glib tree */
    case FCM_MESSAGE_CONFIRMATION:
      _fcm_hub_client_on_confirmation (self, json_node_get_object (fcm_message_get_root (msg)));
      break;
    case FCM_MESSAGE_DENIAL:
      _fcm_hub_client_on_denial (self, json_node_get_object (fcm_message_get_root (msg)));
      break;
    case FCM_MESSAGE_EVENT:
    case FCM_MESSAGE_LEGACY_EVENT:
      on_notification (self, frame);
      break;
    case FCM_MESSAGE_LEGACY_STATUS:
      /* 2019 prototype: the status frame answering the connect is the confirmation */
      if (self->legacy && self->pending != NULL)
        _fcm_hub_client_on_confirmation (self, json_node_get_object (fcm_message_get_root (msg)));
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

/* Hands on the oldest queued frames: at most @max_frames, until
 * @deadline (monotonic; 0: none). FALSE once the queue is empty. A frame's
 * handlers may disconnect us, which empties the queue: not twice. */
static gboolean
handle_queued_frames (FcmHubClient *self,
                      guint         max_frames,
                      gint64        deadline)
{
  if (self->handling_frames)
    return !g_queue_is_empty (&self->frames);
  self->handling_frames = TRUE;
  g_object_ref (self);
  for (guint n = 0; n < max_frames && !g_queue_is_empty (&self->frames); n++)
    {
      FcmQueuedFrame *frame = g_queue_pop_head (&self->frames);

      handle_frame (self, frame);
      queued_frame_free (frame);
      if (deadline != 0 && g_get_monotonic_time () >= deadline)
        break;
    }
  self->handling_frames = FALSE;
  g_object_unref (self);
  return !g_queue_is_empty (&self->frames);
}

static void
frames_sources_stop (FcmHubClient *self)
{
  if (self->frames_source != NULL)
    g_source_destroy (self->frames_source);
  g_clear_pointer (&self->frames_source, g_source_unref);
  if (self->frames_watch != NULL)
    g_source_destroy (self->frames_watch);
  g_clear_pointer (&self->frames_watch, g_source_unref);
}

static gboolean
frames_source_cb (gpointer data)
{
  FcmHubClient *self = data;

  if (handle_queued_frames (self, FRAMES_PER_TURN, g_get_monotonic_time () + FRAMES_TURN_USEC))
    return G_SOURCE_CONTINUE;
  frames_sources_stop (self);
  return G_SOURCE_REMOVE;
}

/* The oldest frame has waited too long: the frames go at the default
 * priority until they have caught up. Looked at every maximum wait, so a
 * frame waits less than two. */
static gboolean
frames_watch_cb (gpointer data)
{
  FcmHubClient *self = data;
  FcmQueuedFrame *oldest = g_queue_peek_head (&self->frames);
  gboolean late = oldest != NULL && g_get_monotonic_time () - oldest->read_usec >= self->frames_max_wait_usec;

  if (self->frames_source != NULL)
    g_source_set_priority (self->frames_source, late ? G_PRIORITY_DEFAULT : self->frame_priority);
  return G_SOURCE_CONTINUE;
}

static void
frames_sources_start (FcmHubClient *self)
{
  GMainContext *context = g_main_context_get_thread_default ();

  self->frames_source = g_idle_source_new ();
  g_source_set_priority (self->frames_source, self->frame_priority);
  g_source_set_callback (self->frames_source, frames_source_cb, self, NULL);
  g_source_set_static_name (self->frames_source, "FcmHubClient frames");
  g_source_attach (self->frames_source, context);

  self->frames_watch = g_timeout_source_new ((guint) (self->frames_max_wait_usec / 1000));
  g_source_set_callback (self->frames_watch, frames_watch_cb, self, NULL);
  g_source_set_static_name (self->frames_watch, "FcmHubClient frames watch");
  g_source_attach (self->frames_watch, context);
}

/* Every frame read so far is handed on, now (the socket is closing, or we
 * are leaving it). */
void
_fcm_hub_client_frames_drain (FcmHubClient *self)
{
  handle_queued_frames (self, G_MAXUINT, 0);
  if (g_queue_is_empty (&self->frames))
    frames_sources_stop (self);
}

/* dispose: nobody is left to tell */
void
_fcm_hub_client_frames_clear (FcmHubClient *self)
{
  g_queue_clear_full (&self->frames, queued_frame_free);
  frames_sources_stop (self);
}

/**
 * fcm_hub_client_set_frame_priority:
 * @self: a client
 * @priority: G_PRIORITY_DEFAULT (the default), or a lower priority (a
 *   larger number), such as one below GDK_PRIORITY_REDRAW
 * @max_wait_ms: how long queued frames may wait, held back by sources of a
 *   higher priority, before they take turns at the default priority; 0 for
 *   FCM_HUB_CLIENT_FRAMES_MAX_WAIT_MS
 *
 * Where frames from the hub are handed on. Events are acknowledged as soon
 * as they are read, whatever the priority (C-28, C-29); with a priority
 * other than G_PRIORITY_DEFAULT the signals for each frame follow in a
 * source of that priority, in order, a few dozen frames a main-loop turn,
 * so a stream of events leaves a window's redraw (and anything else of a
 * higher priority) its turns.
 */
void
fcm_hub_client_set_frame_priority (FcmHubClient *self,
                                   int           priority,
                                   guint         max_wait_ms)
{
  g_return_if_fail (FCM_IS_HUB_CLIENT (self));

  self->frame_priority = priority;
  self->frames_max_wait_usec = (gint64) (max_wait_ms ? max_wait_ms : FCM_HUB_CLIENT_FRAMES_MAX_WAIT_MS) * 1000;
  /* the queued frames, if any, go on at the new priority */
  if (self->frames_source != NULL)
    frames_sources_stop (self);
  if (!g_queue_is_empty (&self->frames))
    frames_sources_start (self);
}

/* A frame read from the socket (fcm-hub-client-socket.c), parsed: acked
 * now if it is an event, handed on now or queued. Takes @message. */
void
_fcm_hub_client_take_frame (FcmHubClient *self,
                            FcmMessage   *message)
{
  FcmQueuedFrame frame = { message, };
  FcmMessageKind kind = fcm_message_get_kind (message);

  if (kind == FCM_MESSAGE_EVENT || kind == FCM_MESSAGE_LEGACY_EVENT)
    ack_on_read (self, &frame);

  if (self->frame_priority == G_PRIORITY_DEFAULT && g_queue_is_empty (&self->frames))
    {
      handle_frame (self, &frame);
      queued_frame_clear (&frame);
      return;
    }

  frame.read_usec = g_get_monotonic_time ();
  g_queue_push_tail (&self->frames, g_memdup2 (&frame, sizeof frame));
  if (self->frames_source == NULL)
    frames_sources_start (self);
}
