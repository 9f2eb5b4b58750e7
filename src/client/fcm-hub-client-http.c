/* fcm-hub-client-http.c: every request to the hub within the request timeout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmHubClient (see fcm-hub-client-private.h). libsoup's own limit
 * is 60 s per request; a hub that accepted a connection and never answered
 * (a resubscribe, a Get Current Context) held the client that long. Every
 * HTTP request and WebSocket connect here ends after the request timeout
 * (default 10 s) with FCM_ERROR_TIMEOUT instead (C-68). Also which URLs
 * may be used at all: plain http:// and ws:// only to this machine, unless
 * the caller allows it (TLS off loopback), and the bearer token goes on a
 * WebSocket upgrade only to the hub's own origin.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-error.h"
#include "fcm-hub-client-private.h"

/* ---------------------------------------------------------------- deadlines */

struct _FcmDeadline
{
  GCancellable *cancellable;   /* cancelled at the deadline, or with the outer one */
  GCancellable *outer;
  gulong        outer_id;
  guint         timer_id;
  gboolean      expired;
  guint         ms;
};

static gboolean
deadline_cb (gpointer data)
{
  FcmDeadline *deadline = data;

  deadline->timer_id = 0;
  deadline->expired = TRUE;
  g_cancellable_cancel (deadline->cancellable);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    gpointer      data)
{
  g_cancellable_cancel (data);
}

/*
 * _fcm_hub_client_deadline_new:
 * @outer: (nullable): the caller's cancellable
 *
 * A cancellable for one request: cancelled after @ms, or when @outer is.
 */
FcmDeadline *
_fcm_hub_client_deadline_new (GCancellable *outer,
                              guint         ms)
{
  FcmDeadline *deadline = g_new0 (FcmDeadline, 1);

  deadline->cancellable = g_cancellable_new ();
  deadline->ms = ms;
  if (outer != NULL)
    {
      deadline->outer = g_object_ref (outer);
      deadline->outer_id = g_cancellable_connect (outer, G_CALLBACK (outer_cancelled_cb),
                                                  deadline->cancellable, NULL);
    }
  deadline->timer_id = g_timeout_add (ms, deadline_cb, deadline);
  return deadline;
}

GCancellable *
_fcm_hub_client_deadline_get_cancellable (FcmDeadline *deadline)
{
  return deadline->cancellable;
}

/*
 * _fcm_hub_client_deadline_free:
 * @error: (nullable): the request's error: a cancellation that came from
 *   the deadline becomes FCM_ERROR_TIMEOUT
 */
void
_fcm_hub_client_deadline_free (FcmDeadline  *deadline,
                               GError      **error)
{
  if (deadline->expired && error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_set_error (error, FCM_ERROR, FCM_ERROR_TIMEOUT, _("the hub did not answer within %u ms"), deadline->ms);
    }
  g_clear_handle_id (&deadline->timer_id, g_source_remove);
  if (deadline->outer != NULL)
    g_cancellable_disconnect (deadline->outer, deadline->outer_id);
  g_clear_object (&deadline->outer);
  g_clear_object (&deadline->cancellable);
  g_free (deadline);
}

/* ---------------------------------------------------------------- requests */

typedef struct
{
  SoupMessage *msg;
  FcmDeadline *deadline;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->msg);
  if (request->deadline != NULL)
    _fcm_hub_client_deadline_free (request->deadline, NULL);
  g_free (request);
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GTask) task = data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  _fcm_hub_client_deadline_free (g_steal_pointer (&request->deadline), &error);
  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
}

/*
 * _fcm_hub_client_send:
 * @cancellable: (nullable): the caller's
 *
 * Sends @msg and reads the answer, within the request timeout. Finish with
 * _fcm_hub_client_read_answer() (the callback's source is @self).
 */
void
_fcm_hub_client_send (FcmHubClient        *self,
                      SoupMessage         *msg,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  request->msg = g_object_ref (msg);
  request->deadline = _fcm_hub_client_deadline_new (cancellable, self->request_timeout_ms);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    _fcm_hub_client_deadline_get_cancellable (request->deadline),
                                    request_done_cb, task);
}

static GError *
http_error (SoupMessage *msg,
            GBytes      *body,
            const char  *what)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *reason = _fcm_hub_client_reason_from_body (body);
  FcmError code = FCM_ERROR_REFUSED;

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    code = FCM_ERROR_UNAUTHORIZED;
  else if (status == SOUP_STATUS_NOT_FOUND)
    code = FCM_ERROR_NOT_FOUND;
  else if (status == SOUP_STATUS_CONFLICT)
    code = FCM_ERROR_CONFLICT;

  /* Translators: what was asked ("subscribing"), the HTTP status code and
   * reason phrase, then ": " and the hub's own reason if it gave one */
  return g_error_new (FCM_ERROR, code, _("%s: the hub answered %u %s%s%s"), what, status,
                      soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "",
                      reason[0] ? ": " : "", reason);
}

/*
 * _fcm_hub_client_read_answer:
 * @source: the client a request was sent by with _fcm_hub_client_send()
 * @what: what the request was for, to start the error message ("subscribing")
 *
 * Returns: (transfer full) (nullable): the body of the hub's answer; %NULL
 *   with @error set when it could not be read in time or its status is not
 *   2xx
 */
GBytes *
_fcm_hub_client_read_answer (GObject       *source,
                             GAsyncResult  *result,
                             const char    *what,
                             GError       **error)
{
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), error);

  if (body == NULL)
    return NULL;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (request->msg)))
    {
      g_propagate_error (error, http_error (request->msg, body, what));
      return NULL;
    }
  return g_steal_pointer (&body);
}

/* ---------------------------------------------------------------- which URLs */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  if (host[0] == '[')
    host = bare = g_strndup (host + 1, strlen (host) - 2);
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/*
 * _fcm_hub_client_check_url:
 * @url: a hub URL or a WebSocket endpoint
 *
 * Whether the client may use @url: TLS (https, wss) anywhere, plain http
 * and ws only to this machine, unless #FcmHubClient:insecure allows it.
 */
gboolean
_fcm_hub_client_check_url (FcmHubClient  *self,
                           const char    *url,
                           GError       **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (scheme == NULL)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE, _("not a URL"));
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0 ||
      self->insecure || host_is_loopback (g_uri_get_host (uri)))
    return TRUE;
  g_set_error (error, FCM_ERROR, FCM_ERROR_INSECURE,
               /* Translators: 1: http or ws, 2: a host name */
               _("refusing plain %s:// to %s, which is not this machine: tokens and patient context would cross the "
                 "network unencrypted; use https:// (or allow it with --insecure)"), scheme, g_uri_get_host (uri));
  return FALSE;
}

static int
effective_port (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  if (g_uri_get_port (uri) > 0)
    return g_uri_get_port (uri);
  return g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0 ? 443 : 80;
}

/*
 * _fcm_hub_client_same_origin:
 *
 * Whether @endpoint is on the hub's own host and port, with TLS if the hub
 * has it: only then does the WebSocket upgrade carry the bearer token.
 */
gboolean
_fcm_hub_client_same_origin (FcmHubClient *self,
                             const char   *endpoint)
{
  g_autoptr(GUri) hub = g_uri_parse (self->hub_url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) ws = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  gboolean hub_tls, ws_tls;

  if (hub == NULL || ws == NULL || g_uri_get_host (hub) == NULL || g_uri_get_host (ws) == NULL)
    return FALSE;
  hub_tls = g_ascii_strcasecmp (g_uri_get_scheme (hub), "https") == 0;
  ws_tls = g_ascii_strcasecmp (g_uri_get_scheme (ws), "wss") == 0;
  return hub_tls == ws_tls && g_ascii_strcasecmp (g_uri_get_host (hub), g_uri_get_host (ws)) == 0 &&
         effective_port (hub) == effective_port (ws);
}
