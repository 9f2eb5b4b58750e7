/* fcm-probe-sub.c: the hub probe's own scripted subscribers
 *
 * A scripted subscriber posts the subscribe form (C-11, C-12), opens the
 * WebSocket to the endpoint it got (C-17), keeps every frame it receives
 * and acknowledges every event with {"id", "status"} (C-28), unless the
 * scenario tells it to refuse (ack_status 409) or to stay silent (0).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-probe-private.h"

/* The events IRA requires a subscriber to ask for (C-12). */
#define IRA_EVENTS \
  "DiagnosticReport-open,DiagnosticReport-close,DiagnosticReport-update,DiagnosticReport-select,SyncError"

static void
frame_free (gpointer data)
{
  FcmProbeFrame *frame = data;

  g_free (frame->text);
  g_clear_pointer (&frame->json, json_node_unref);
  g_free (frame);
}

/**
 * fcm_probe_sub_new:
 * @label: a short name for the evidence ("A", "B", …), unique in the scenario
 * @events: (nullable): hub.events; %NULL for the IRA set
 *
 * Returns: (transfer none): a subscriber owned by @ctx
 */
FcmProbeSub *
fcm_probe_sub_new (FcmProbeCtx *ctx,
                   const char  *label,
                   const char  *topic,
                   const char  *events)
{
  FcmProbeSub *sub = g_new0 (FcmProbeSub, 1);

  sub->ctx = ctx;
  sub->label = g_strdup (label);
  sub->name = g_strdup_printf ("fhircast probe %s", label);
  sub->topic = g_strdup (topic);
  sub->events = g_strdup (events != NULL ? events : IRA_EVENTS);
  sub->lease = 300;
  sub->ack_status = 200;
  sub->frames = g_ptr_array_new_with_free_func (frame_free);
  g_ptr_array_add (ctx->subs, sub);
  return sub;
}

void
fcm_probe_sub_free (FcmProbeSub *sub)
{
  if (sub->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (sub->ws, sub);
      if (soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (sub->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&sub->ws);
    }
  g_free (sub->label);
  g_free (sub->name);
  g_free (sub->topic);
  g_free (sub->events);
  g_free (sub->endpoint);
  g_free (sub->failure);
  g_free (sub->wait_arg);
  g_ptr_array_unref (sub->frames);
  g_free (sub);
}

/**
 * fcm_probe_sub_form:
 * @mode: "subscribe" or "unsubscribe"
 *
 * Returns: (transfer full): the form fields for @mode (a renewal when the
 *   subscriber already has an endpoint); change them to make a bad request
 */
GHashTable *
fcm_probe_sub_form (FcmProbeSub *sub,
                    const char  *mode)
{
  GHashTable *form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (form, g_strdup ("hub.channel.type"), g_strdup ("websocket"));
  g_hash_table_insert (form, g_strdup ("hub.mode"), g_strdup (mode));
  g_hash_table_insert (form, g_strdup ("hub.topic"), g_strdup (sub->topic));
  if (g_str_equal (mode, "subscribe"))
    {
      g_hash_table_insert (form, g_strdup ("hub.events"), g_strdup (sub->events));
      g_hash_table_insert (form, g_strdup ("subscriber.name"), g_strdup (sub->name));
      if (sub->lease > 0)
        g_hash_table_insert (form, g_strdup ("hub.lease_seconds"), g_strdup_printf ("%u", sub->lease));
    }
  if (sub->endpoint != NULL)
    g_hash_table_insert (form, g_strdup ("hub.channel.endpoint"), g_strdup (sub->endpoint));
  return form;
}

/* POSTs @form (form-urlencoded) to hub.url (C-11). */
void
fcm_probe_post_form (FcmProbeCtx *ctx,
                     GHashTable  *form)
{
  g_autofree char *encoded = soup_form_encode_hash (form);

  fcm_probe_ctx_http (ctx, "POST", ctx->hub_url, "application/x-www-form-urlencoded", encoded, -1);
}

/**
 * fcm_probe_sub_take_endpoint:
 *
 * Reads hub.channel.endpoint from the last answer (any 2xx).
 *
 * Returns: %TRUE if there was one
 */
gboolean
fcm_probe_sub_take_endpoint (FcmProbeSub *sub)
{
  FcmProbeCtx *ctx = sub->ctx;
  g_autoptr(JsonObject) obj = NULL;
  const char *endpoint;

  if (ctx->error != NULL || !SOUP_STATUS_IS_SUCCESSFUL (ctx->status))
    return FALSE;
  obj = fcm_probe_ctx_body_object (ctx);
  endpoint = obj != NULL ? fcm_json_get_string (obj, "hub.channel.endpoint") : NULL;
  if (endpoint == NULL || endpoint[0] == '\0')
    return FALSE;
  g_free (sub->endpoint);
  sub->endpoint = g_strstrip (g_strdup (endpoint));
  return TRUE;
}

void
fcm_probe_sub_subscribe (FcmProbeSub *sub)
{
  g_autoptr(GHashTable) form = fcm_probe_sub_form (sub, "subscribe");

  fcm_probe_post_form (sub->ctx, form);
}

void
fcm_probe_sub_unsubscribe (FcmProbeSub *sub)
{
  g_autoptr(GHashTable) form = fcm_probe_sub_form (sub, "unsubscribe");

  fcm_probe_post_form (sub->ctx, form);
}

/* ----------------------------------------------------------------- WebSocket */

static void
send_ack (FcmProbeSub *sub,
          const char  *id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (soup_websocket_connection_get_state (sub->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, sub->ack_status);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = fcm_json_to_string (root, FALSE);
  soup_websocket_connection_send_text (sub->ws, text);
  {
    g_autofree char *prefix = g_strdup_printf ("⇒ %s", sub->label);

    fcm_probe_evidence_frame (sub->ctx, prefix, text, strlen (text));
  }
}

static void
message_cb (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            FcmProbeSub             *sub)
{
  FcmProbeFrame *frame = g_new0 (FcmProbeFrame, 1);
  g_autofree char *prefix = g_strdup_printf ("⇐ %s", sub->label);
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);

  frame->at = g_get_monotonic_time ();
  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    {
      frame->text = g_strndup (data != NULL ? data : "", len);
      frame->json = fcm_json_parse (frame->text, (gssize) len, NULL);
      frame->kind = frame->json != NULL ? fcm_validator_classify (frame->json) : FCM_MESSAGE_UNKNOWN;
      fcm_probe_evidence_frame (sub->ctx, prefix, frame->text, len);
    }
  else
    {
      frame->text = g_strdup_printf ("<binary, %" G_GSIZE_FORMAT " bytes>", len);
      frame->kind = FCM_MESSAGE_UNKNOWN;
      fcm_probe_evidence (sub->ctx, "%s %s", prefix, frame->text);
    }
  g_ptr_array_add (sub->frames, frame);

  if (frame->kind == FCM_MESSAGE_CONFIRMATION)
    sub->confirmed = TRUE;
  if (frame->kind == FCM_MESSAGE_EVENT && sub->ack_status > 0)
    {
      const char *id = fcm_json_get_string (json_node_get_object (frame->json), "id");

      if (id != NULL)
        send_ack (sub, id);
    }
  fcm_probe_ctx_poke (sub->ctx);
}

static void
closed_cb (SoupWebsocketConnection *ws,
           FcmProbeSub             *sub)
{
  sub->closed = TRUE;
  sub->close_code = soup_websocket_connection_get_close_code (ws);
  fcm_probe_evidence (sub->ctx, "⇄ %s closed (code %u)", sub->label, sub->close_code);
  fcm_probe_ctx_poke (sub->ctx);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  SoupMessage *msg = soup_session_get_async_result_message (session, result);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;
  FcmProbeSub *sub = user_data;

  ws = soup_session_websocket_connect_finish (session, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;                             /* the scenario may be gone */
  if (ws == NULL)
    {
      sub->connect_status = msg != NULL ? soup_message_get_status (msg) : 0;
      if (sub->connect_status != 0)
        fcm_probe_evidence (sub->ctx, "⇄ %s refused: HTTP %u", sub->label, sub->connect_status);
      else
        fcm_probe_evidence (sub->ctx, "⇄ %s refused: %s", sub->label, error->message);
      fcm_probe_ctx_complete (sub->ctx);
      return;
    }
  sub->ws = ws;
  sub->closed = FALSE;
  soup_websocket_connection_set_max_incoming_payload_size (ws, 16 * 1024 * 1024);
  g_signal_connect (ws, "message", G_CALLBACK (message_cb), sub);
  g_signal_connect (ws, "closed", G_CALLBACK (closed_cb), sub);
  fcm_probe_evidence (sub->ctx, "⇄ %s connected", sub->label);
  fcm_probe_ctx_complete (sub->ctx);
}

/**
 * fcm_probe_sub_connect:
 * @url: (nullable): the WebSocket URL; %NULL for the subscriber's endpoint
 *
 * Opens the WebSocket. Afterwards sub->ws is set, or sub->connect_status
 * holds the HTTP status of the refused upgrade (0 for a network error).
 */
void
fcm_probe_sub_connect (FcmProbeSub *sub,
                       const char  *url)
{
  FcmProbeCtx *ctx = sub->ctx;
  g_autoptr(SoupMessage) msg = NULL;

  if (url == NULL)
    url = sub->endpoint;
  fcm_probe_ctx_begin (ctx);
  sub->connect_status = 0;
  fcm_probe_add_endpoint_secret (ctx->probe, url);
  fcm_probe_evidence (ctx, "⇄ %s connect %s", sub->label, url != NULL ? url : "(none)");
  msg = url != NULL ? soup_message_new ("GET", url) : NULL;
  if (msg == NULL)
    {
      fcm_probe_evidence (ctx, "⇄ %s refused: not a URL", sub->label);
      fcm_probe_ctx_complete (ctx);
      return;
    }
  soup_session_websocket_connect_async (fcm_probe_get_session (ctx->probe), msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, ctx->cancellable, connect_cb, sub);
}

void
fcm_probe_sub_close (FcmProbeSub *sub,
                     gushort      code)
{
  if (sub->ws == NULL || soup_websocket_connection_get_state (sub->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  fcm_probe_evidence (sub->ctx, "⇒ %s close (code %u)", sub->label, code);
  soup_websocket_connection_close (sub->ws, code, NULL);
}

/* Drops the TCP connection without a close frame (the hub sees 1006). */
void
fcm_probe_sub_drop (FcmProbeSub *sub)
{
  if (sub->ws == NULL)
    return;
  fcm_probe_evidence (sub->ctx, "⇒ %s drops the connection (no close frame)", sub->label);
  g_io_stream_close (soup_websocket_connection_get_io_stream (sub->ws), NULL, NULL);
}

void
fcm_probe_sub_send_text (FcmProbeSub *sub,
                         const char  *text,
                         gsize        len)
{
  g_autofree char *prefix = g_strdup_printf ("⇒ %s", sub->label);
  g_autoptr(GBytes) bytes = NULL;

  if (sub->ws == NULL || soup_websocket_connection_get_state (sub->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  fcm_probe_evidence_frame (sub->ctx, prefix, text, len);
  bytes = g_bytes_new (text, len);
  soup_websocket_connection_send_message (sub->ws, SOUP_WEBSOCKET_DATA_TEXT, bytes);
}

/* -------------------------------------------------------------------- frames */

JsonObject *
fcm_probe_frame_event (FcmProbeFrame *frame)
{
  if (frame == NULL || frame->json == NULL || !JSON_NODE_HOLDS_OBJECT (frame->json))
    return NULL;
  return fcm_json_get_object (json_node_get_object (frame->json), "event");
}

static gboolean
frame_matches (FcmProbeFrame *frame,
               FcmProbeMatch  match,
               const char    *arg)
{
  JsonObject *obj = frame->json != NULL && JSON_NODE_HOLDS_OBJECT (frame->json)
                    ? json_node_get_object (frame->json) : NULL;
  JsonObject *event = fcm_probe_frame_event (frame);
  const char *name = event != NULL ? fcm_json_get_string (event, "hub.event") : NULL;

  switch (match)
    {
    case FCM_PROBE_MATCH_ANY:
      return TRUE;
    case FCM_PROBE_MATCH_CONFIRMATION:
      return frame->kind == FCM_MESSAGE_CONFIRMATION;
    case FCM_PROBE_MATCH_DENIAL:
      return frame->kind == FCM_MESSAGE_DENIAL;
    case FCM_PROBE_MATCH_EVENT:
      return frame->kind == FCM_MESSAGE_EVENT;
    case FCM_PROBE_MATCH_EVENT_ID:
      return frame->kind == FCM_MESSAGE_EVENT && g_strcmp0 (fcm_json_get_string (obj, "id"), arg) == 0;
    case FCM_PROBE_MATCH_EVENT_NAME:
      return frame->kind == FCM_MESSAGE_EVENT && name != NULL && fcm_event_name_equal (name, arg);
    case FCM_PROBE_MATCH_SYNCERROR:
      if (frame->kind != FCM_MESSAGE_EVENT || name == NULL || !fcm_event_name_equal (name, "syncerror"))
        return FALSE;
      if (arg == NULL)
        return TRUE;
      {
        g_autoptr(FcmEvent) ev = fcm_event_new_from_node (frame->json, NULL);
        const char *failed = NULL;

        return ev != NULL && fcm_event_get_syncerror_details (ev, &failed, NULL, NULL, NULL) &&
               g_strcmp0 (failed, arg) == 0;
      }
    default:
      return FALSE;
    }
}

/**
 * fcm_probe_sub_find:
 *
 * Returns: (transfer none) (nullable): the first frame not taken yet that matches
 */
FcmProbeFrame *
fcm_probe_sub_find (FcmProbeSub   *sub,
                    FcmProbeMatch  match,
                    const char    *arg)
{
  for (guint i = 0; i < sub->frames->len; i++)
    {
      FcmProbeFrame *frame = g_ptr_array_index (sub->frames, i);

      if (!frame->taken && frame_matches (frame, match, arg))
        return frame;
    }
  return NULL;
}

/* Like fcm_probe_sub_find(), and marks the frame taken. */
FcmProbeFrame *
fcm_probe_sub_take (FcmProbeSub   *sub,
                    FcmProbeMatch  match,
                    const char    *arg)
{
  FcmProbeFrame *frame = fcm_probe_sub_find (sub, match, arg);

  if (frame != NULL)
    frame->taken = TRUE;
  return frame;
}

/* How many frames (taken or not) match. */
guint
fcm_probe_sub_count (FcmProbeSub   *sub,
                     FcmProbeMatch  match,
                     const char    *arg)
{
  guint n = 0;

  for (guint i = 0; i < sub->frames->len; i++)
    if (frame_matches (g_ptr_array_index (sub->frames, i), match, arg))
      n++;
  return n;
}

static gboolean
frame_cond (FcmProbeCtx *ctx,
            gpointer     data)
{
  FcmProbeSub *sub = data;

  return fcm_probe_sub_find (sub, sub->wait_match, sub->wait_arg) != NULL || sub->ws == NULL || sub->closed;
}

/**
 * fcm_probe_wait_frame:
 *
 * Resumes when a matching frame is there (take it with
 * fcm_probe_sub_take()), when the socket is closed, or after @seconds.
 */
void
fcm_probe_wait_frame (FcmProbeSub   *sub,
                      FcmProbeMatch  match,
                      const char    *arg,
                      double         seconds)
{
  sub->wait_match = match;
  g_free (sub->wait_arg);
  sub->wait_arg = g_strdup (arg);
  fcm_probe_ctx_wait (sub->ctx, frame_cond, sub, seconds);
}

static gboolean
closed_cond (FcmProbeCtx *ctx,
             gpointer     data)
{
  FcmProbeSub *sub = data;

  return sub->ws == NULL || sub->closed;
}

void
fcm_probe_wait_closed (FcmProbeSub *sub,
                       double       seconds)
{
  fcm_probe_ctx_wait (sub->ctx, closed_cond, sub, seconds);
}

/* ------------------------------------------------------------------ open */

static gboolean sub_open_step (FcmProbeCtx *ctx,
                               FcmProbeSub *sub);

/**
 * fcm_probe_sub_open_step:
 *
 * One step of opening @sub: subscribe → 202 + endpoint → WebSocket →
 * confirmation.
 *
 * Returns: %TRUE when it started the next step's operation, %FALSE when
 *   opening is over (sub->opened set; sub->failure says whether it failed)
 */
gboolean
fcm_probe_sub_open_step (FcmProbeCtx *ctx,
                         FcmProbeSub *sub)
{
  gboolean more = sub_open_step (ctx, sub);

  if (!more)
    sub->opened = TRUE;
  return more;
}

static gboolean
sub_open_step (FcmProbeCtx *ctx,
               FcmProbeSub *sub)
{
  switch (sub->open_step++)
    {
    case 0:
      fcm_probe_sub_subscribe (sub);
      return TRUE;
    case 1:
      if (!fcm_probe_sub_take_endpoint (sub))
        {
          sub->failure = ctx->error != NULL
            ? g_strdup_printf (_("subscriber %s: subscribing failed: %s"), sub->label, ctx->error->message)
            : g_strdup_printf (_("subscriber %s: subscribing answered %u without hub.channel.endpoint"),
                               sub->label, ctx->status);
          return FALSE;
        }
      fcm_probe_sub_connect (sub, NULL);
      return TRUE;
    case 2:
      if (sub->ws == NULL)
        {
          sub->failure = g_strdup_printf (_("subscriber %s: the WebSocket to the endpoint did not open"),
                                          sub->label);
          return FALSE;
        }
      fcm_probe_wait_frame (sub, FCM_PROBE_MATCH_CONFIRMATION, NULL, fcm_probe_ctx_timeout (ctx));
      return TRUE;
    case 3:
    default:
      if (fcm_probe_sub_take (sub, FCM_PROBE_MATCH_CONFIRMATION, NULL) == NULL)
        sub->failure = g_strdup_printf (_("subscriber %s: no subscription confirmation arrived"), sub->label);
      return FALSE;
    }
}

static gboolean
open_chain (FcmProbeCtx *ctx,
            gpointer     data)
{
  return fcm_probe_sub_open_step (ctx, data);
}

/**
 * fcm_probe_sub_open:
 *
 * Subscribes, connects and waits for the confirmation. Afterwards
 * sub->failure is %NULL when all went well.
 */
void
fcm_probe_sub_open (FcmProbeSub *sub)
{
  sub->open_step = 0;
  sub->opened = FALSE;
  g_clear_pointer (&sub->failure, g_free);
  fcm_probe_ctx_chain (sub->ctx, open_chain, sub);
}
