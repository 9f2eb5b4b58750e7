/* fcm-hub-probe.c: conformance scenarios run against any FHIRcast hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-probe-hub-private.h"

/**
 * FcmHubProbe:
 *
 * Runs scripted scenarios against a hub at hub.url: discovery, subscribe
 * and unsubscribe answers, the WebSocket channel, broadcasts, versions,
 * Get Current Context, acks and syncerrors, topic isolation, size limits.
 * The probe is its own scripted subscriber (several at once where a
 * scenario needs a second one). Each scenario runs on a topic of its own
 * (`fhircast-probe-…`) unless a topic is set, and cleans up after itself:
 * it unsubscribes and closes every report it opened.
 */

struct _FcmHubProbe
{
  FcmProbe  parent_instance;

  char     *hub_url;
  char     *topic;
  guint     lease;
  double    ack_wait;
};

G_DEFINE_FINAL_TYPE (FcmHubProbe, fcm_hub_probe, FCM_TYPE_PROBE)

static FcmProbeScenario *all_scenarios;
static guint n_all_scenarios;

/* ------------------------------------------------------------------ preflight */

static void
preflight_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, FCM_PROBE_ERROR, FCM_PROBE_ERROR_UNREACHABLE,
                                 _("The hub cannot be reached: %s"), error->message);
      return;
    }
  /* any HTTP answer at all: the hub is there; the scenarios judge the rest */
  g_task_return_boolean (task, TRUE);
}

static void
fcm_hub_probe_prepare_async (FcmProbe            *probe,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  FcmHubProbe *self = FCM_HUB_PROBE (probe);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (self->hub_url, "/.well-known/fhircast-configuration", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  const char *token = fcm_probe_get_token (probe);

  if (!g_str_has_prefix (self->hub_url, "http://") && !g_str_has_prefix (self->hub_url, "https://"))
    msg = NULL;
  else
    msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, FCM_PROBE_ERROR, FCM_PROBE_ERROR_INVALID,
                               _("Not an http:// or https:// URL: %s"), self->hub_url);
      return;
    }
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_session_send_and_read_async (fcm_probe_get_session (probe), msg, G_PRIORITY_DEFAULT,
                                    cancellable, preflight_cb, g_steal_pointer (&task));
}

static gboolean
fcm_hub_probe_prepare_finish (FcmProbe      *probe,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fcm_hub_probe_setup (FcmProbe    *probe,
                     FcmProbeCtx *ctx)
{
  FcmHubProbe *self = FCM_HUB_PROBE (probe);
  g_autofree char *uuid = g_uuid_string_random ();

  ctx->hub_url = self->hub_url;
  ctx->topic = self->topic != NULL ? g_strdup (self->topic) : g_strconcat ("fhircast-probe-", uuid, NULL);
}

/* ------------------------------------------------------------------ teardown */

typedef struct
{
  GTask    *task;
  guint     pending;
  guint     timeout_id;
  gboolean  closing;
  GPtrArray *sockets;           /* SoupWebsocketConnection still closing */
} Teardown;

static void
teardown_free (gpointer data)
{
  Teardown *td = data;

  g_clear_handle_id (&td->timeout_id, g_source_remove);
  for (guint i = 0; i < td->sockets->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (td->sockets, i), td);
  g_ptr_array_unref (td->sockets);
  g_free (td);
}

static void
teardown_return (Teardown *td)
{
  GTask *task = g_steal_pointer (&td->task);

  if (task == NULL)
    return;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
socket_closed_cb (SoupWebsocketConnection *ws,
                  Teardown                *td)
{
  for (guint i = 0; i < td->sockets->len; i++)
    if (g_ptr_array_index (td->sockets, i) == ws)
      {
        g_signal_handlers_disconnect_by_data (ws, td);
        g_ptr_array_remove_index_fast (td->sockets, i);
        break;
      }
  if (td->closing && td->sockets->len == 0)
    teardown_return (td);
}

static void
close_sockets (Teardown *td)
{
  td->closing = TRUE;
  for (guint i = 0; i < td->sockets->len; i++)
    {
      SoupWebsocketConnection *ws = g_ptr_array_index (td->sockets, i);

      if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  if (td->sockets->len == 0)
    teardown_return (td);
}

static void
cleanup_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Teardown *td = g_task_get_task_data (task);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (--td->pending == 0 && td->task != NULL)
    close_sockets (td);
}

static gboolean
teardown_timeout_cb (gpointer data)
{
  Teardown *td = data;

  td->timeout_id = 0;
  teardown_return (td);
  return G_SOURCE_REMOVE;
}

static void
cleanup_post (FcmHubProbe *self,
              Teardown    *td,
              const char  *content_type,
              const char  *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", self->hub_url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  const char *token = fcm_probe_get_token (FCM_PROBE (self));

  if (msg == NULL)
    return;
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  td->pending++;
  soup_session_send_and_read_async (fcm_probe_get_session (FCM_PROBE (self)), msg, G_PRIORITY_DEFAULT,
                                    NULL, cleanup_cb, g_object_ref (td->task));
}

static void
cleanup_unsubscribe (FcmHubProbe *self,
                     Teardown    *td,
                     const char  *topic,
                     const char  *endpoint)
{
  g_autofree char *body = soup_form_encode ("hub.channel.type", "websocket",
                                            "hub.mode", "unsubscribe",
                                            "hub.topic", topic,
                                            "hub.channel.endpoint", endpoint,
                                            NULL);

  cleanup_post (self, td, "application/x-www-form-urlencoded", body);
}

/* Unsubscribes every scripted subscriber and stray endpoint, closes every
 * report left open, closes the sockets; at most two seconds. */
static void
fcm_hub_probe_teardown_async (FcmProbe            *probe,
                              FcmProbeCtx         *ctx,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  FcmHubProbe *self = FCM_HUB_PROBE (probe);
  Teardown *td = g_new0 (Teardown, 1);

  td->task = g_task_new (self, NULL, callback, user_data);
  td->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (td->task, td, teardown_free);

  for (guint i = 0; i < ctx->open_reports->len; i++)
    {
      g_auto(GStrv) ids = g_strsplit (g_ptr_array_index (ctx->open_reports, i), "\x1f", 3);
      g_autoptr(JsonArray) context = fcm_probe_context_close (ids[0], ids[1], ids[2]);
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *now = fcm_probe_now_iso ();
      g_autofree char *body = fcm_probe_message_new (id, now, ctx->topic, "DiagnosticReport-close",
                                                     context, NULL, NULL);

      cleanup_post (self, td, "application/json", body);
    }
  for (guint i = 0; i < ctx->subs->len; i++)
    {
      FcmProbeSub *sub = g_ptr_array_index (ctx->subs, i);

      sub->ack_status = 200;          /* no refusal while cleaning up */
      if (sub->endpoint != NULL && !sub->unsubscribed)
        cleanup_unsubscribe (self, td, sub->topic, sub->endpoint);
      if (sub->ws != NULL && soup_websocket_connection_get_state (sub->ws) != SOUP_WEBSOCKET_STATE_CLOSED)
        {
          g_ptr_array_add (td->sockets, g_object_ref (sub->ws));
          g_signal_connect (sub->ws, "closed", G_CALLBACK (socket_closed_cb), td);
        }
    }
  for (guint i = 0; i < ctx->strays->len; i++)
    {
      g_auto(GStrv) pair = g_strsplit (g_ptr_array_index (ctx->strays, i), "\x1f", 2);

      if (pair[0] != NULL && pair[1] != NULL)
        cleanup_unsubscribe (self, td, pair[0], pair[1]);
    }

  td->timeout_id = g_timeout_add (2000, teardown_timeout_cb, td);
  if (td->pending == 0)
    close_sockets (td);
}

/* -------------------------------------------------------------- class */

static void
fcm_hub_probe_finalize (GObject *object)
{
  FcmHubProbe *self = FCM_HUB_PROBE (object);

  g_clear_pointer (&self->hub_url, g_free);
  g_clear_pointer (&self->topic, g_free);

  G_OBJECT_CLASS (fcm_hub_probe_parent_class)->finalize (object);
}

static void
fcm_hub_probe_class_init (FcmHubProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FcmProbeClass *probe_class = FCM_PROBE_CLASS (klass);
  const FcmProbeScenario *parts[] = {
    fcm_probe_hub_subscribe_scenarios,
    fcm_probe_hub_context_scenarios,
    fcm_probe_hub_current_scenarios,
    fcm_probe_hub_acks_scenarios,
  };
  const guint n_parts[] = {
    fcm_probe_hub_subscribe_n_scenarios,
    fcm_probe_hub_context_n_scenarios,
    fcm_probe_hub_current_n_scenarios,
    fcm_probe_hub_acks_n_scenarios,
  };

  object_class->finalize = fcm_hub_probe_finalize;

  /* one table, in run order, made once */
  n_all_scenarios = 0;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    n_all_scenarios += n_parts[i];
  all_scenarios = g_new0 (FcmProbeScenario, n_all_scenarios);
  for (guint i = 0, k = 0; i < G_N_ELEMENTS (parts); i++)
    for (guint j = 0; j < n_parts[i]; j++)
      all_scenarios[k++] = parts[i][j];

  probe_class->kind = "hub";
  probe_class->scenarios = all_scenarios;
  probe_class->n_scenarios = n_all_scenarios;
  probe_class->prepare_async = fcm_hub_probe_prepare_async;
  probe_class->prepare_finish = fcm_hub_probe_prepare_finish;
  probe_class->setup = fcm_hub_probe_setup;
  probe_class->teardown_async = fcm_hub_probe_teardown_async;
}

static void
fcm_hub_probe_init (FcmHubProbe *self)
{
  self->lease = 2;
  self->ack_wait = 15;
}

/**
 * fcm_hub_probe_new:
 * @hub_url: hub.url (http:// or https://)
 *
 * Returns: (transfer full): a probe for that hub
 */
FcmHubProbe *
fcm_hub_probe_new (const char *hub_url)
{
  FcmHubProbe *self;

  g_return_val_if_fail (hub_url != NULL, NULL);

  self = g_object_new (FCM_TYPE_HUB_PROBE, NULL);
  self->hub_url = g_strstrip (g_strdup (hub_url));
  while (g_str_has_suffix (self->hub_url, "/"))
    self->hub_url[strlen (self->hub_url) - 1] = '\0';
  return self;
}

const char *
fcm_hub_probe_get_hub_url (FcmHubProbe *self)
{
  g_return_val_if_fail (FCM_IS_HUB_PROBE (self), NULL);
  return self->hub_url;
}

const char *
fcm_hub_probe_get_topic (FcmHubProbe *self)
{
  g_return_val_if_fail (FCM_IS_HUB_PROBE (self), NULL);
  return self->topic;
}

/**
 * fcm_hub_probe_set_topic:
 * @topic: (nullable): the topic every scenario uses; %NULL: a new one per scenario
 */
void
fcm_hub_probe_set_topic (FcmHubProbe *self,
                         const char  *topic)
{
  g_return_if_fail (FCM_IS_HUB_PROBE (self));

  g_free (self->topic);
  self->topic = (topic != NULL && topic[0] != '\0') ? g_strdup (topic) : NULL;
}

/**
 * fcm_hub_probe_set_token:
 * @token: (nullable): sent as `Authorization: Bearer` on every HTTP request;
 *   never shown in the evidence
 */
void
fcm_hub_probe_set_token (FcmHubProbe *self,
                         const char  *token)
{
  g_return_if_fail (FCM_IS_HUB_PROBE (self));
  fcm_probe_set_token_internal (FCM_PROBE (self), token);
}

guint
fcm_hub_probe_get_lease (FcmHubProbe *self)
{
  g_return_val_if_fail (FCM_IS_HUB_PROBE (self), 0);
  return self->lease;
}

/**
 * fcm_hub_probe_set_lease:
 * @seconds: the `hub.lease_seconds` the `lease` scenario asks for (default 2)
 */
void
fcm_hub_probe_set_lease (FcmHubProbe *self,
                         guint        seconds)
{
  g_return_if_fail (FCM_IS_HUB_PROBE (self));
  self->lease = CLAMP (seconds, 1, 3600);
}

double
fcm_hub_probe_get_ack_wait (FcmHubProbe *self)
{
  g_return_val_if_fail (FCM_IS_HUB_PROBE (self), 0);
  return self->ack_wait;
}

/**
 * fcm_hub_probe_set_ack_wait:
 * @seconds: how long `ack-timeout` waits for the hub to give up on a silent
 *   subscriber (default 15: the spec's 10 s and some slack)
 */
void
fcm_hub_probe_set_ack_wait (FcmHubProbe *self,
                            double       seconds)
{
  g_return_if_fail (FCM_IS_HUB_PROBE (self));
  self->ack_wait = CLAMP (seconds, 0.05, 3600);
}

/* ------------------------------------------------------- scenario helpers */

guint
fcm_probe_hub_lease (FcmProbeCtx *ctx)
{
  return FCM_HUB_PROBE (ctx->probe)->lease;
}

double
fcm_probe_hub_ack_wait (FcmProbeCtx *ctx)
{
  return FCM_HUB_PROBE (ctx->probe)->ack_wait;
}

gboolean
fcm_probe_hub_fixed_topic (FcmProbeCtx *ctx)
{
  return FCM_HUB_PROBE (ctx->probe)->topic != NULL;
}
