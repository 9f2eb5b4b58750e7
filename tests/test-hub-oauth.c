/* test-hub-oauth.c: bearer tokens checked by OAuth 2.0 token introspection
 * (RFC 7662; H-03, H-09)
 *
 * The authorization server is a real SoupServer on loopback in this
 * process, with an introspection endpoint that knows a few tokens, checks
 * the hub's client credentials, counts its calls, and can fail or hold its
 * answers. The hub is a real FcmHub; requests go over loopback HTTP.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fcm-fhircast.h"
#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

#define TOPIC         "oauth-test-topic"
#define CLIENT_ID     "fhircast-hub"
#define CLIENT_SECRET "s3cret:with/odd&chars"

typedef struct
{
  SoupServer  *auth_server;
  char        *introspect_url;
  GHashTable  *calls;          /* token → number of introspection calls */
  guint        n_calls;
  gboolean     fail;           /* answer 500 */
  gboolean     hold;           /* keep answers back until released */
  GPtrArray   *held;           /* SoupServerMessage */
  char        *last_auth;

  FcmHub      *hub;
  SoupSession *session;
  const char  *url;
} Fixture;

/* ------------------------------------------------------------------------ */
/* the authorization server                                                  */

static void
introspection_answer (Fixture           *f,
                      SoupServerMessage *msg,
                      const char        *token)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *json = NULL;

  if (g_strcmp0 (token, "good-token") == 0)
    json = g_strdup_printf ("{\"active\":true,\"client_id\":\"acme-viewer\",\"sub\":\"dr-jones\","
                            "\"scope\":\"openid fhircast/DiagnosticReport-open.read "
                            "fhircast/DiagnosticReport-open.write fhircast/syncerror.read launch\","
                            "\"exp\":%" G_GINT64_FORMAT "}", now + 3600);
  else if (g_strcmp0 (token, "reader-token") == 0)
    json = g_strdup_printf ("{\"active\":true,\"username\":\"reader\",\"scope\":\"fhircast/*.read\","
                            "\"exp\":%" G_GINT64_FORMAT "}", now + 100);
  else if (g_strcmp0 (token, "expired-token") == 0)
    json = g_strdup_printf ("{\"active\":true,\"client_id\":\"late\",\"scope\":\"fhircast/*.*\","
                            "\"exp\":%" G_GINT64_FORMAT "}", now - 10);
  else if (g_strcmp0 (token, "garbled-token") == 0)
    json = g_strdup ("{\"active\":\"yes\"}");
  else
    json = g_strdup ("{\"active\":false}");

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
introspect_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = NULL;
  const char *token;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  g_autofree char *expected = NULL;

  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "POST");
  form = soup_form_decode (text);
  token = g_hash_table_lookup (form, "token");
  g_assert_nonnull (token);
  g_assert_cmpstr (g_hash_table_lookup (form, "token_type_hint"), ==, "access_token");

  g_free (f->last_auth);
  f->last_auth = g_strdup (auth);
  {
    g_autofree char *id = g_uri_escape_string (CLIENT_ID, NULL, FALSE);
    g_autofree char *secret = g_uri_escape_string (CLIENT_SECRET, NULL, FALSE);
    g_autofree char *pair = g_strconcat (id, ":", secret, NULL);
    g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

    expected = g_strconcat ("Basic ", encoded, NULL);
  }
  if (g_strcmp0 (auth, expected) != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      return;
    }

  f->n_calls++;
  g_hash_table_insert (f->calls, g_strdup (token),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (f->calls, token)) + 1));
  if (f->fail)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  if (f->hold)
    {
      g_object_set_data_full (G_OBJECT (msg), "token", g_strdup (token), g_free);
      soup_server_message_pause (msg);
      g_ptr_array_add (f->held, g_object_ref (msg));
      return;
    }
  introspection_answer (f, msg, token);
}

static void
release_held (Fixture *f)
{
  f->hold = FALSE;
  for (guint i = 0; i < f->held->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (f->held, i);

      introspection_answer (f, msg, g_object_get_data (G_OBJECT (msg), "token"));
      soup_server_message_unpause (msg);
    }
  g_ptr_array_set_size (f->held, 0);
}

static guint
calls_for (Fixture    *f,
           const char *token)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (f->calls, token));
}

/* ------------------------------------------------------------------------ */
/* fixture                                                                   */

static void
start_auth_server (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *listeners;
  g_autoptr(GSocketAddress) local = NULL;

  f->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->held = g_ptr_array_new_with_free_func (g_object_unref);
  f->auth_server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->auth_server, "/oauth/introspect", introspect_cb, f, NULL);
  g_assert_true (soup_server_listen (f->auth_server, address, 0, &error));
  g_assert_no_error (error);
  listeners = soup_server_get_listeners (f->auth_server);
  local = g_socket_get_local_address (listeners->data, &error);
  g_slist_free (listeners);
  g_assert_no_error (error);
  f->introspect_url = g_strdup_printf ("http://127.0.0.1:%u/oauth/introspect",
                                       g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  start_auth_server (f);
  f->hub = fcm_hub_new ();
  g_assert_true (fcm_hub_set_introspection (f->hub, f->introspect_url, CLIENT_ID, CLIENT_SECRET, &error));
  g_assert_no_error (error);
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->url = fcm_hub_get_url (f->hub);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->hub != NULL)
    fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  g_clear_object (&f->session);
  release_held (f);
  soup_server_disconnect (f->auth_server);
  g_clear_object (&f->auth_server);
  g_hash_table_unref (f->calls);
  g_ptr_array_unref (f->held);
  g_free (f->introspect_url);
  g_free (f->last_auth);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ------------------------------------------------------------------------ */
/* hub requests                                                              */

static guint
request (Fixture     *f,
         const char  *method,
         const char  *url,
         const char  *content_type,
         const char  *body,
         const char  *token,
         char       **out_body,
         char       **out_www_authenticate)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  guint status;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  status = fcm_test_send (f->session, msg, out_body);
  if (out_www_authenticate != NULL)
    *out_www_authenticate = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                    "WWW-Authenticate"));
  return status;
}

static char *
subscribe_form (const char *events,
                const char *lease)
{
  return soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic", TOPIC,
                           "hub.events", events, "hub.lease_seconds", lease, "subscriber.name", "Viewer", NULL);
}

static char *
open_event (const char *id)
{
  g_autofree char *vector = fcm_test_load_text ("data", "vectors", "diagnosticreport-open.json", NULL);
  g_autoptr(JsonNode) root = fcm_json_parse (vector, -1, NULL);
  JsonObject *event;

  g_assert_nonnull (root);
  json_object_set_string_member (json_node_get_object (root), "id", id);
  event = fcm_json_get_object (json_node_get_object (root), "event");
  json_object_set_string_member (event, "hub.topic", TOPIC);
  return fcm_json_to_string (root, FALSE);
}

typedef struct
{
  SoupWebsocketConnection *ws;
  char                    *first;
} Ws;

static void
ws_message_cb (SoupWebsocketConnection *ws,
               SoupWebsocketDataType    type,
               GBytes                  *message,
               Ws                      *w)
{
  if (w->first == NULL)
    w->first = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
}

static void
ws_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Ws *w = data;
  g_autoptr(GError) error = NULL;

  w->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (w->ws, "message", G_CALLBACK (ws_message_cb), w);
}

/* The hub.lease_seconds of the confirmation on @endpoint (H-11); the
 * upgrade carries the subscribing @token (the endpoint is bound to it). */
static gint64
confirmed_lease (Fixture    *f,
                 const char *endpoint,
                 const char *token)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", endpoint);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  Ws w = { NULL, NULL };
  g_autoptr(JsonNode) root = NULL;
  const char *lease;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected_cb, &w);
  FCM_TEST_WAIT_UNTIL (w.first != NULL);
  root = fcm_json_parse (w.first, -1, NULL);
  soup_websocket_connection_close (w.ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&w.ws);
  g_free (w.first);
  g_assert_nonnull (root);
  lease = fcm_json_get_string (json_node_get_object (root), "hub.lease_seconds");
  if (lease != NULL)
    return g_ascii_strtoll (lease, NULL, 10);
  {
    gint64 n = -1;

    g_assert_true (fcm_json_get_int (json_node_get_object (root), "hub.lease_seconds", &n));
    return n;
  }
}

static char *
endpoint_of (const char *body)
{
  g_autoptr(JsonNode) root = fcm_json_parse (body, -1, NULL);

  g_assert_nonnull (root);
  return g_strdup (fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint"));
}

/* ------------------------------------------------------------------------ */
/* tests                                                                     */

/* An active token with the scopes: subscribe, publish; one introspection
 * call for both (cached), with the hub's client credentials. */
static void
test_active (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *form = subscribe_form ("DiagnosticReport-open,syncerror", "600");
  g_autofree char *event = open_event ("oauth-open-1");
  g_autofree char *body = NULL;
  g_autofree char *endpoint = NULL;

  g_assert_cmpuint (request (f, "POST", f->url, "application/x-www-form-urlencoded", form, "good-token",
                             &body, NULL), ==, 202);
  endpoint = endpoint_of (body);
  g_assert_cmpint (confirmed_lease (f, endpoint, "good-token"), ==, 600);
  g_assert_cmpuint (request (f, "POST", f->url, "application/json", event, "good-token", NULL, NULL), ==, 200);
  g_assert_cmpuint (calls_for (f, "good-token"), ==, 1);
  g_assert_true (g_str_has_prefix (f->last_auth, "Basic "));
}

/* H-03: the token's scopes rule; H-09: the lease ends with the token. */
static void
test_scopes_and_lease (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *form = subscribe_form ("DiagnosticReport-open", "3600");
  g_autofree char *closing = subscribe_form ("DiagnosticReport-close", "3600");
  g_autofree char *event = open_event ("oauth-open-2");
  g_autofree char *body = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *endpoint = NULL;
  gint64 lease;

  g_assert_cmpuint (request (f, "POST", f->url, "application/x-www-form-urlencoded", form, "reader-token",
                             &body, NULL), ==, 202);
  endpoint = endpoint_of (body);
  lease = confirmed_lease (f, endpoint, "reader-token");
  g_assert_cmpint (lease, >, 90);
  g_assert_cmpint (lease, <=, 100);

  /* read scopes only: no publishing */
  g_assert_cmpuint (request (f, "POST", f->url, "application/json", event, "reader-token", &reason, NULL), ==, 403);
  g_assert_nonnull (strstr (reason, "fhircast/DiagnosticReport-open.write"));

  /* good-token cannot read DiagnosticReport-close */
  g_clear_pointer (&reason, g_free);
  g_assert_cmpuint (request (f, "POST", f->url, "application/x-www-form-urlencoded", closing, "good-token",
                             &reason, NULL), ==, 403);
  g_assert_nonnull (strstr (reason, "fhircast/DiagnosticReport-close.read"));
}

/* 401 with a reason and a Bearer challenge; an inactive answer is cached
 * briefly, so a stream of bad requests does not reach the server. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *well_known = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  g_autofree char *reason = NULL;
  g_autofree char *challenge = NULL;

  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, NULL, &reason, &challenge), ==, 401);
  g_assert_cmpstr (reason, ==, "missing bearer token");
  g_assert_cmpstr (challenge, ==, "Bearer");
  g_assert_cmpuint (f->n_calls, ==, 0);

  g_clear_pointer (&reason, g_free);
  g_clear_pointer (&challenge, g_free);
  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "revoked-token", &reason, &challenge), ==, 401);
  g_assert_cmpstr (reason, ==, "bearer token is not active");
  g_assert_cmpstr (challenge, ==, "Bearer error=\"invalid_token\"");
  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "revoked-token", NULL, NULL), ==, 401);
  g_assert_cmpuint (calls_for (f, "revoked-token"), ==, 1);

  g_clear_pointer (&reason, g_free);
  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "expired-token", &reason, NULL), ==, 401);
  g_assert_cmpstr (reason, ==, "bearer token expired");

  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "good-token", NULL, NULL), ==, 200);
}

typedef struct
{
  guint status;
  gboolean done;
} Async;

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Async *a = data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  a->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  a->done = TRUE;
}

/* Requests with a token not yet known wait together for one call. */
static void
test_coalesced (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *well_known = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  Async answers[3] = { { 0, FALSE }, };

  f->hold = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", well_known);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer good-token");
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, async_done_cb, &answers[i]);
    }
  FCM_TEST_WAIT_UNTIL (f->held->len == 1);
  /* the others reach the hub and wait too */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (answers[0].done || answers[1].done || answers[2].done);

  release_held (f);
  FCM_TEST_WAIT_UNTIL (answers[0].done && answers[1].done && answers[2].done);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    g_assert_cmpuint (answers[i].status, ==, 200);
  g_assert_cmpuint (calls_for (f, "good-token"), ==, 1);
}

/* The authorization server failing is the hub's problem to say (503), not
 * the client's fault, and is not cached. A malformed answer likewise. */
static void
test_server_failure (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *well_known = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  g_autofree char *reason = NULL;

  f->fail = TRUE;
  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "good-token", &reason, NULL), ==, 503);
  g_assert_cmpstr (reason, ==, "token introspection failed: HTTP 500 from the authorization server");
  f->fail = FALSE;
  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "good-token", NULL, NULL), ==, 200);
  g_assert_cmpuint (calls_for (f, "good-token"), ==, 2);

  g_clear_pointer (&reason, g_free);
  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "garbled-token", &reason, NULL), ==, 503);
  g_assert_cmpstr (reason, ==, "token introspection failed: the answer has no boolean \"active\"");
}

/* Wrong client credentials: the server refuses the hub, the hub says 503. */
static void
test_wrong_credentials (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *well_known = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  g_assert_true (fcm_hub_set_introspection (f->hub, f->introspect_url, CLIENT_ID, "wrong", &error));
  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "good-token", &reason, NULL), ==, 503);
  g_assert_cmpstr (reason, ==, "token introspection failed: HTTP 401 from the authorization server");
  g_assert_cmpuint (f->n_calls, ==, 0);
}

/* The hub goes away while a request waits for introspection. */
static void
test_hub_gone (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *well_known = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", well_known);
  Async answer = { 0, FALSE };

  f->hold = TRUE;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer good-token");
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, async_done_cb, &answer);
  FCM_TEST_WAIT_UNTIL (f->held->len == 1);
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  release_held (f);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_configuration (void)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (fcm_hub_set_introspection (hub, "http://auth.example.org/introspect", NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (fcm_hub_set_introspection (hub, "not a url", NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (fcm_hub_set_introspection (hub, "https://auth.example.org/introspect", NULL, "secret", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (fcm_hub_set_introspection (hub, "https://auth.example.org/introspect", "hub", "secret", &error));
  g_assert_true (fcm_hub_set_introspection (hub, "http://localhost:9/introspect", NULL, NULL, &error));
  g_assert_true (fcm_hub_set_introspection (hub, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* `fhircast hub --introspect URL --introspect-client ID --introspect-secret-file F` */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  const char *cli = g_getenv ("FHIRCAST_CLI");
  g_autofree char *dir = g_dir_make_tmp ("fcm-oauth-XXXXXX", NULL);
  g_autofree char *secret_file = g_build_filename (dir, "secret", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *well_known = NULL;
  gsize length;

  if (cli == NULL)
    {
      g_test_skip ("FHIRCAST_CLI not set");
      return;
    }
  g_assert_true (g_file_set_contents (secret_file, CLIENT_SECRET "\n", -1, &error));
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, cli, "hub", "--port", "0",
                           "--introspect", f->introspect_url, "--introspect-client", CLIENT_ID,
                           "--introspect-secret-file", secret_file, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  url = g_data_input_stream_read_line (out, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (url);
  well_known = g_strconcat (url, "/.well-known/fhircast-configuration", NULL);

  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "good-token", NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", well_known, NULL, NULL, "nobody", NULL, NULL), ==, 401);
  g_assert_cmpuint (calls_for (f, "good-token"), ==, 1);

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_unlink (secret_file);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/hub/oauth/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("active", test_active);
  ADD ("scopes-and-lease", test_scopes_and_lease);
  ADD ("refused", test_refused);
  ADD ("coalesced", test_coalesced);
  ADD ("server-failure", test_server_failure);
  ADD ("wrong-credentials", test_wrong_credentials);
  ADD ("hub-gone", test_hub_gone);
  ADD ("cli", test_cli);
#undef ADD
  g_test_add_func ("/fcm/hub/oauth/configuration", test_configuration);

  return g_test_run ();
}
