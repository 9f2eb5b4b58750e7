/* fcm-hub-client-publish.c: context changes we request, and Get Current Context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmHubClient (see fcm-hub-client-private.h): publishing with the
 * retry-id rules (C-44 … C-48), our requests' echo (C-38), resends after a
 * syncerror (C-51), the follow-up syncerror after a 202 (C-30, C-60), and
 * Get Current Context (C-52).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-error.h"
#include "fcm-hub-client-private.h"
#include "fcm-json-private.h"

#define PUBLISH_MAX_ATTEMPTS 3
#define OWN_IDS_MAX 256

/* {hub.url}/{topic}: where Get Current Context asks (C-52), and where some
 * vendors take events (fcm_hub_client_set_post_to_topic()) */
static char *
topic_url (FcmHubClient *self)
{
  g_autofree char *escaped = g_uri_escape_string (self->topic, NULL, FALSE);

  return g_str_has_suffix (self->hub_url, "/")
           ? g_strconcat (self->hub_url, escaped, NULL)
           : g_strconcat (self->hub_url, "/", escaped, NULL);
}

/* How a request we made on our own (not for a caller) ended: @what names it. */
static void
own_publish_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      what)
{
  g_autoptr(GError) error = NULL;
  guint status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, NULL, NULL, &error);

  if (error != NULL)
    g_debug ("client: %s failed: %s", (const char *) what, error->message);
  else
    g_debug ("client: %s answered %u", (const char *) what, status);
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
                                   _("the hub did not answer within %u ms (%u tries)"),
                                   FCM_HUB_CLIENT (g_task_get_source_object (task))->request_timeout_ms,
                                   d->attempts);
          return;
        }
      _fcm_hub_client_prefix_tls_error (&error);
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
  r->reason = _fcm_hub_client_reason_from_body (body);
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
  GError *error = NULL;
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
      g_autofree char *url = topic_url (self);

      msg = soup_message_new (SOUP_METHOD_POST, url);
    }
  else
    msg = soup_message_new (SOUP_METHOD_POST, self->hub_url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                               _("hub URL is not a valid http(s) URL"));
      g_object_unref (task);
      return;
    }
  if (!_fcm_hub_client_check_url (self, self->hub_url, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  _fcm_hub_client_add_auth (self, msg);
  _fcm_hub_client_post_closes (msg);
  text = fcm_event_to_json (d->event, FALSE);
  bytes = g_bytes_new_take (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_SENT], 0,
                 "request", fcm_event_get_id (d->event), 0u, text);

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

/* ---------------------------------------------------------------- follow-up syncerror (C-30) */

/* C-30 / C-60: after a 202 we refuse through a SyncError POST. */
void
_fcm_hub_client_send_followup_syncerror (FcmHubClient *self,
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
  fcm_hub_client_publish_async (self, syncerror, self->cancellable, own_publish_done_cb,
                                (gpointer) "follow-up syncerror");
}

/* ---------------------------------------------------------------- resend (C-51) */

typedef struct
{
  FcmHubClient *self;                /* unowned; the source is removed in dispose */
  FcmEvent *event;                   /* the original request: same id, timestamp, context */
  guint tries;
  guint source_id;
} Resend;

void
_fcm_hub_client_resend_free (gpointer resend)
{
  Resend *r = resend;

  g_clear_handle_id (&r->source_id, g_source_remove);
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
  fcm_hub_client_publish_async (self, r->event, self->cancellable, own_publish_done_cb,
                                (gpointer) "resend after a syncerror");
  if (r->tries < self->resend_max_tries)
    r->source_id = g_timeout_add (self->resend_interval_ms, resend_cb, r);
  return G_SOURCE_REMOVE;
}

/* C-51: a syncerror names a request we sent: resend it, ≥ the interval apart */
void
_fcm_hub_client_maybe_resend (FcmHubClient *self,
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
void
_fcm_hub_client_stop_resends (FcmHubClient *self)
{
  GHashTableIter iter;
  Resend *r;

  g_hash_table_iter_init (&iter, self->resends);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &r))
    {
      g_clear_handle_id (&r->source_id, g_source_remove);
      r->tries = self->resend_max_tries;
    }
}

/* ---------------------------------------------------------------- get context */

static void
get_context_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FcmHubClient *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  JsonNode *root = NULL;
  gsize len = 0;
  const char *data;

  body = _fcm_hub_client_read_answer (source, result, _("getting the current context"), &error);
  if (error != NULL)
    {
      _fcm_hub_client_prefix_tls_error (&error);
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
      g_prefix_error (&error, _("current context: "));
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&self->current_context, json_node_unref);
  self->current_context = json_node_ref (root);
  g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_CURRENT_CONTEXT]);
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
  g_autofree char *url = NULL;
  GError *error = NULL;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_hub_client_get_context_async);

  /* C-52: GET {hub.url}/{topic} */
  url = topic_url (self);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                               _("hub URL is not a valid http(s) URL"));
      return;
    }
  if (!_fcm_hub_client_check_url (self, url, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  _fcm_hub_client_add_auth (self, msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  _fcm_hub_client_send (self, msg, cancellable, get_context_cb, g_steal_pointer (&task));
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
