/* fcm-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-test-util.h"

static char *
build_path_va (const char *first,
               va_list     ap)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *p;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  for (p = first; p != NULL; p = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

/**
 * fcm_test_load_text:
 *
 * Loads a file below G_TEST_SRCDIR (tests/), aborting the test if missing.
 */
char *
fcm_test_load_text (const char *first_path,
                    ...)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  va_list ap;

  va_start (ap, first_path);
  path = build_path_va (first_path, ap);
  va_end (ap);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

JsonNode *
fcm_test_load_json (const char *first_path,
                    ...)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  va_list ap;

  va_start (ap, first_path);
  path = build_path_va (first_path, ap);
  va_end (ap);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  node = fcm_json_parse (contents, -1, &error);
  g_assert_no_error (error);

  return node;
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  /* g_ptr_array_sort passes pointers to the elements */
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * fcm_test_list_data:
 * @subdir: a directory below tests/, e.g. "data/vectors"
 * @suffix: a file-name suffix such as ".json"
 *
 * Returns: (transfer full): sorted file names (not paths)
 */
GPtrArray *
fcm_test_list_data (const char *subdir,
                    const char *suffix)
{
  g_autofree char *dir_path = g_build_filename (g_test_get_dir (G_TEST_DIST), subdir, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, suffix))
      g_ptr_array_add (names, g_strdup (name));

  g_ptr_array_sort (names, compare_names);

  return names;
}

gboolean
fcm_test_wakeup (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * fcm_test_make_certificate:
 * @prefix: name prefix of the temporary directory
 * @out_dir: (out): the new directory holding server.pem and server.key
 * @out_pem: (out): path of the certificate
 * @out_key: (out): path of the key
 *
 * Makes a self-signed certificate for 127.0.0.1/localhost with openssl
 * (toolchain §6). Calls g_test_skip() and returns %NULL when openssl or a
 * TLS backend is missing.
 *
 * Returns: (transfer full) (nullable): the certificate with its key
 */
GTlsCertificate *
fcm_test_make_certificate (const char  *prefix,
                           char       **out_dir,
                           char       **out_pem,
                           char       **out_key)
{
  g_autofree char *openssl_path = g_find_program_in_path ("openssl");
  g_autofree char *template = g_strconcat (prefix, "-XXXXXX", NULL);
  g_autoptr(GSubprocess) openssl = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificate *cert;

  if (openssl_path == NULL)
    {
      g_test_skip ("openssl not found");
      return NULL;
    }
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend");
      return NULL;
    }

  *out_dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  *out_pem = g_build_filename (*out_dir, "server.pem", NULL);
  *out_key = g_build_filename (*out_dir, "server.key", NULL);
  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              openssl_path, "req", "-x509", "-newkey", "ec",
                              "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", *out_key, "-out", *out_pem, "-days", "2",
                              "-subj", "/CN=localhost",
                              "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (openssl, NULL, &error));
  g_assert_no_error (error);
  cert = g_tls_certificate_new_from_files (*out_pem, *out_key, &error);
  g_assert_no_error (error);

  return cert;
}

typedef struct
{
  gboolean  done;
  guint     status;
  GBytes   *body;
} HttpResult;

static void
http_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  HttpResult *r = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;

  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->done = TRUE;
}

/**
 * fcm_test_send:
 * @out_body: (out) (optional): the answer's body as text
 *
 * Sends @msg through @session, the main loop spinning until it is answered
 * (at most 10 s). Returns the status.
 */
guint
fcm_test_send (SoupSession  *session,
               SoupMessage  *msg,
               char        **out_body)
{
  HttpResult r = { FALSE, 0, NULL };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, http_done_cb, &r);
  FCM_TEST_WAIT_UNTIL (r.done);

  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body));
  g_bytes_unref (r.body);
  return r.status;
}

/**
 * fcm_test_http:
 * @body: (nullable): the request body; @body_length -1 for NUL-terminated
 * @authorization: (nullable): the Authorization header
 * @out_body: (out) (optional): the answer's body as text
 *
 * One HTTP request, as fcm_test_send().
 */
guint
fcm_test_http (SoupSession *session,
               const char  *method,
               const char  *url,
               const char  *content_type,
               const char  *body,
               gssize       body_length,
               const char  *authorization,
               char       **out_body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length < 0 ? strlen (body) : (gsize) body_length);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  return fcm_test_send (session, msg, out_body);
}

/* ------------------------------------------------------------------------ */
/* raw HTTP                                                                  */

/**
 * fcm_test_raw_connect:
 * @url: an http:// URL on a loopback address
 *
 * Returns: (transfer full): a connected, non-blocking TCP socket
 */
GSocket *
fcm_test_raw_connect (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  g_assert_nonnull (uri);
  address = g_inet_address_new_from_string (g_uri_get_host (uri));
  g_assert_nonnull (address);
  socket_address = g_inet_socket_address_new (address, g_uri_get_port (uri));
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  /* the kernel completes the handshake from the listen queue: no main loop needed */
  g_socket_connect (socket, socket_address, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);
  return socket;
}

/* Sends it all; FALSE when the peer closed or reset the connection first. */
gboolean
fcm_test_raw_send (GSocket    *socket,
                   const void *data,
                   gsize       length)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (10 * G_USEC_PER_SEC * fcm_test_timeout_scale ());
  gsize done = 0;

  while (done < length)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (socket, (const char *) data + done, length - done, NULL, &error);

      if (n > 0)
        {
          done += (gsize) n;
          continue;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return FALSE;
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out sending %" G_GSIZE_FORMAT " bytes", length);
      g_main_context_iteration (NULL, FALSE);
      if (!(g_socket_condition_check (socket, G_IO_OUT) & G_IO_OUT))
        g_usleep (200);
    }
  return TRUE;
}

/* Reads what is there; -1 at EOF or an error, 0 when nothing came. */
static gssize
raw_receive (GSocket *socket,
             char    *buffer,
             gsize    size)
{
  g_autoptr(GError) error = NULL;
  gssize n = g_socket_receive (socket, buffer, size, NULL, &error);

  if (n > 0)
    return n;
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return 0;
  return -1;
}

/**
 * fcm_test_raw_read_answer:
 * @out_body: (out) (optional): the answer's body
 *
 * Reads one HTTP answer (headers, then Content-Length bytes), at most 10 s.
 *
 * Returns: its status, 0 when the connection ended first
 */
guint
fcm_test_raw_read_answer (GSocket  *socket,
                          char    **out_body)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (10 * G_USEC_PER_SEC * fcm_test_timeout_scale ());
  g_autoptr(GString) in = g_string_new (NULL);
  const char *head_end = NULL;
  gsize body_length = 0;
  guint status = 0;

  for (;;)
    {
      char buffer[4096];
      gssize n = raw_receive (socket, buffer, sizeof buffer);

      if (n < 0)
        return 0;
      g_string_append_len (in, buffer, n);
      if (head_end == NULL && (head_end = strstr (in->str, "\r\n\r\n")) != NULL)
        {
          const char *length = strstr (in->str, "Content-Length: ");

          g_assert_true (g_str_has_prefix (in->str, "HTTP/1.1 "));
          status = (guint) atoi (in->str + strlen ("HTTP/1.1 "));
          body_length = length != NULL && length < head_end ? (gsize) atol (length + strlen ("Content-Length: ")) : 0;
        }
      if (head_end != NULL && in->len >= (gsize) (head_end - in->str) + 4 + body_length)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for an HTTP answer");
      if (n == 0)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (200);
        }
    }
  if (out_body != NULL)
    *out_body = g_strndup (head_end + 4, body_length);
  return status;
}

/* Waits (at most 10 s) for the peer to close the connection. */
gboolean
fcm_test_raw_wait_closed (GSocket *socket)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (10 * G_USEC_PER_SEC * fcm_test_timeout_scale ());

  while (g_get_monotonic_time () < deadline)
    {
      char buffer[4096];
      gssize n = raw_receive (socket, buffer, sizeof buffer);

      if (n < 0)
        return TRUE;
      if (n == 0)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (500);
        }
    }
  return FALSE;
}

/* The open file descriptors of this process. */
guint
fcm_test_count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n - 1;   /* the directory's own */
}

/* This process's resident set size (VmRSS). */
gsize
fcm_test_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return (gsize) g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

double
fcm_test_timeout_scale (void)
{
  static double scale = 0;

  if (scale == 0)
    {
      const char *env = g_getenv ("FCM_TEST_TIMEOUT_SCALE");
      double value = env != NULL ? g_ascii_strtod (env, NULL) : 1;

      scale = value >= 1 ? value : 1;
    }
  return scale;
}

/* ------------------------------------------------ a subscriber, by hand */

static void
subscriber_message_cb (SoupWebsocketConnection *ws,
                       SoupWebsocketDataType    type,
                       GBytes                  *message,
                       FcmTestSubscriber       *sub)
{
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  g_autoptr(JsonNode) root = fcm_json_parse (data, (gssize) size, NULL);
  JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *id = obj ? fcm_json_get_string (obj, "id") : NULL;
  const char *event = obj ? fcm_json_get_string (fcm_json_get_object (obj, "event"), "hub.event") : NULL;

  if (obj != NULL && fcm_json_get_string (obj, "hub.mode") != NULL)
    sub->confirmed = TRUE;
  if (id == NULL || event == NULL)
    return;
  g_ptr_array_add (sub->events, g_strdup (event));
  /* every event acknowledged at once: the hub has no reason for a syncerror */
  {
    g_autofree char *ack = g_strdup_printf ("{\"id\":\"%s\",\"status\":200}", id);

    soup_websocket_connection_send_text (ws, ack);
  }
}

static void
subscriber_closed_cb (SoupWebsocketConnection *ws,
                      FcmTestSubscriber       *sub)
{
  sub->close_code = soup_websocket_connection_get_close_code (ws);
  sub->closed_at = g_get_monotonic_time ();
  sub->closed = TRUE;
}

static void
subscriber_connected_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      data)
{
  FcmTestSubscriber *sub = data;
  g_autoptr(GError) error = NULL;

  sub->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (sub->ws, "message", G_CALLBACK (subscriber_message_cb), sub);
  g_signal_connect (sub->ws, "closed", G_CALLBACK (subscriber_closed_cb), sub);
}

/**
 * fcm_test_subscriber_new:
 * @hub_url: the hub's hub.url
 * @events: comma-separated hub.events
 *
 * Subscribes over HTTP (STU3 form, WebSocket channel) as a plain other
 * application would, opens the WebSocket and waits for the hub's
 * confirmation. Events are acknowledged with 200 and their names kept;
 * the close code is kept when the hub closes the socket.
 */
FcmTestSubscriber *
fcm_test_subscriber_new (const char *hub_url,
                         const char *topic,
                         const char *name,
                         const char *events)
{
  FcmTestSubscriber *sub = g_new0 (FcmTestSubscriber, 1);
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupMessage) connect = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *body = NULL;
  const char *endpoint;

  sub->session = soup_session_new ();
  sub->events = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_insert (form, (gpointer) "hub.channel.type", (gpointer) "websocket");
  g_hash_table_insert (form, (gpointer) "hub.mode", (gpointer) "subscribe");
  g_hash_table_insert (form, (gpointer) "hub.topic", (gpointer) topic);
  g_hash_table_insert (form, (gpointer) "hub.events", (gpointer) events);
  g_hash_table_insert (form, (gpointer) "hub.lease_seconds", (gpointer) "3600");
  g_hash_table_insert (form, (gpointer) "subscriber.name", (gpointer) name);
  encoded = soup_form_encode_hash (form);
  g_assert_cmpuint (fcm_test_http (sub->session, "POST", hub_url, "application/x-www-form-urlencoded",
                                   encoded, -1, NULL, &body), ==, 202);

  root = fcm_json_parse (body, -1, NULL);
  g_assert_nonnull (root);
  endpoint = fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint");
  g_assert_nonnull (endpoint);
  connect = soup_message_new ("GET", endpoint);
  soup_session_websocket_connect_async (sub->session, connect, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        subscriber_connected_cb, sub);
  FCM_TEST_WAIT_UNTIL (sub->confirmed);
  return sub;
}

void
fcm_test_subscriber_free (FcmTestSubscriber *sub)
{
  if (sub->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (sub->ws, sub);
      if (soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          soup_websocket_connection_close (sub->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          FCM_TEST_WAIT_UNTIL (soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_CLOSED);
        }
    }
  g_clear_object (&sub->ws);
  g_clear_object (&sub->session);
  g_ptr_array_unref (sub->events);
  g_free (sub);
}
