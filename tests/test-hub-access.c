/* test-hub-access.c: which application may do what with another's subscription
 *
 * Issue 14 point 4: with --tokens --admin, any token could read every
 * endpoint id below /admin/, drop or deny other applications' subscriptions,
 * and then connect to their endpoints (the upgrade needed no token) and read
 * their notifications. Now /admin/ has its own credential, and an endpoint
 * belongs to the application whose token subscribed it: only that token
 * renews, unsubscribes or connects it (H-03, H-09; C-09 for the handshake).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

#define TOPIC "5a1d3c7e-9f2b-4e6a-8c0d-1b2a3c4d5e6f"
#define READER "Bearer reader-secret-a81f3c"
#define OTHER "Bearer other-reader-secret-52d9e0"
#define WRITER "Bearer writer-secret-6e0b2d"
#define ADMIN "Bearer admin-secret-93c7aa"
#define ADMIN_FILE_TOKEN "admin-file-secret-0f4e19"

static const char tokens_ini[] =
  "[token reader]\nname=Reader App\nsecret=reader-secret-a81f3c\nscopes=fhircast/*.read\n"
  "[token other]\nname=Other Reader\nsecret=other-reader-secret-52d9e0\nscopes=fhircast/*.read\n"
  "[token writer]\nname=Writer App\nsecret=writer-secret-6e0b2d\nscopes=fhircast/*.write\n"
  "[token admin]\nname=Hub Admin\nsecret=admin-secret-93c7aa\nscopes=admin\n";

typedef struct
{
  FcmHub      *hub;
  SoupSession *session;
  const char  *url;
  char        *dir;
  char        *tokens;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("fcm-hub-access-XXXXXX", &error);
  g_assert_no_error (error);
  f->tokens = g_build_filename (f->dir, "tokens.ini", NULL);
  g_assert_true (g_file_set_contents (f->tokens, tokens_ini, -1, &error));
  f->hub = fcm_hub_new ();
  g_assert_true (fcm_hub_load_tokens (f->hub, f->tokens, &error));
  g_assert_no_error (error);
  fcm_hub_set_admin (f->hub, TRUE);
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->url = fcm_hub_get_url (f->hub);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  g_clear_object (&f->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (g_unlink (f->tokens), ==, 0);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->tokens);
  g_free (f->dir);
}

static guint
http (Fixture     *f,
      const char  *method,
      const char  *path,
      const char  *form,
      const char  *auth,
      char       **out_body)
{
  g_autofree char *base = g_strndup (f->url, strlen (f->url) - strlen ("/fhircast"));
  g_autofree char *url = g_strconcat (base, path, NULL);

  return fcm_test_http (f->session, method, url, form != NULL ? "application/x-www-form-urlencoded" : NULL, form,
                        -1, auth, out_body);
}

/* Subscribes with @auth; returns the endpoint URL. */
static char *
subscribe (Fixture    *f,
           const char *auth)
{
  g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe",
                                            "hub.topic", TOPIC, "hub.events", "DiagnosticReport-open", NULL);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (http (f, "POST", "/fhircast", form, auth, &body), ==, 202);
  root = fcm_json_parse (body, -1, NULL);
  g_assert_nonnull (root);
  return g_strdup (fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint"));
}

typedef struct
{
  gboolean                 done;
  SoupWebsocketConnection *ws;
  guint                    status;
  GPtrArray               *frames;   /* char* */
} Upgrade;

static void
upgrade_message_cb (SoupWebsocketConnection *ws,
                    SoupWebsocketDataType    type,
                    GBytes                  *message,
                    Upgrade                 *u)
{
  g_ptr_array_add (u->frames, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
upgrade_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Upgrade *u = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  u->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, NULL);
  u->status = soup_message_get_status (msg);
  if (u->ws != NULL)
    g_signal_connect (u->ws, "message", G_CALLBACK (upgrade_message_cb), u);
  u->done = TRUE;
}

/* Connects to @endpoint with @auth (nullable) on the upgrade; returns the
 * HTTP status (101 when it worked) and closes again. */
static guint
connect_status (Fixture    *f,
                const char *endpoint,
                const char *auth)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", endpoint);
  Upgrade u = { FALSE, NULL, 0, g_ptr_array_new_with_free_func (g_free) };

  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, upgrade_done_cb, &u);
  FCM_TEST_WAIT_UNTIL (u.done);
  if (u.ws != NULL)
    {
      /* the confirmation comes over it (H-11) */
      FCM_TEST_WAIT_UNTIL (u.frames->len > 0);
      g_assert_nonnull (strstr (g_ptr_array_index (u.frames, 0), "\"hub.mode\":\"subscribe\""));
      soup_websocket_connection_close (u.ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      FCM_TEST_WAIT_UNTIL (soup_websocket_connection_get_state (u.ws) == SOUP_WEBSOCKET_STATE_CLOSED);
      g_clear_object (&u.ws);
    }
  g_ptr_array_unref (u.frames);
  return u.status;
}

static const char *
endpoint_id (const char *endpoint)
{
  return strrchr (endpoint, '/') + 1;
}

/* ------------------------------------------------------------------------ */

/* /admin/ needs a token with the admin scope: any other token (even one
 * with every FHIRcast scope) gets 403, none 401; the admin token gets in. */
static void
test_admin_scope (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *endpoint = subscribe (f, READER);
  g_autofree char *deny = g_strdup_printf ("/admin/subscribers/%s/deny", endpoint_id (endpoint));
  g_autofree char *list = NULL;
  g_autofree char *reason = NULL;

  g_assert_cmpuint (http (f, "GET", "/admin/subscribers", NULL, WRITER, &reason), ==, 403);
  g_assert_cmpstr (reason, ==, "the bearer token lacks the admin scope");
  g_assert_cmpuint (http (f, "GET", "/admin/subscribers", NULL, READER, NULL), ==, 403);
  g_assert_cmpuint (http (f, "GET", "/admin/subscribers", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (http (f, "POST", deny, "", WRITER, NULL), ==, 403);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);

  g_assert_cmpuint (http (f, "GET", "/admin/subscribers", NULL, ADMIN, &list), ==, 200);
  g_assert_nonnull (strstr (list, endpoint_id (endpoint)));
  /* the admin token is no FHIRcast token */
  g_assert_cmpuint (http (f, "GET", "/fhircast/" TOPIC, NULL, ADMIN, NULL), ==, 403);
}

/* --admin-token-file: then only that secret opens /admin/, even the
 * tokens file's admin token does not. */
static void
test_admin_token (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *reason = NULL;

  fcm_hub_set_admin_token (f->hub, ADMIN_FILE_TOKEN);
  g_assert_cmpuint (http (f, "GET", "/admin/topics", NULL, ADMIN, &reason), ==, 401);
  g_assert_cmpstr (reason, ==, "the admin endpoints need the admin token");
  g_assert_cmpuint (http (f, "GET", "/admin/topics", NULL, READER, NULL), ==, 401);
  g_assert_cmpuint (http (f, "GET", "/admin/topics", NULL, "Bearer " ADMIN_FILE_TOKEN, NULL), ==, 200);
}

/* Only the subscribing application connects its endpoint: without a token
 * 401, with another application's token 403 (even one that may read the
 * same events), with its own 101. */
static void
test_endpoint_bound (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *endpoint = subscribe (f, READER);

  g_assert_cmpuint (connect_status (f, endpoint, NULL), ==, 401);
  g_assert_cmpuint (connect_status (f, endpoint, OTHER), ==, 403);
  g_assert_cmpuint (connect_status (f, endpoint, WRITER), ==, 403);
  g_assert_cmpuint (connect_status (f, endpoint, "Bearer nope"), ==, 401);
  g_assert_cmpuint (connect_status (f, endpoint, READER), ==, 101);
}

/* --ws-token-optional: an upgrade without any token is let through (the
 * endpoint id is the ticket, as FHIRcast clients such as Medplum's expect,
 * C-09); one with the wrong token still is not. */
static void
test_endpoint_token_optional (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *endpoint = subscribe (f, READER);

  fcm_hub_set_ws_token_optional (f->hub, TRUE);
  g_assert_cmpuint (connect_status (f, endpoint, NULL), ==, 101);
  g_assert_cmpuint (connect_status (f, endpoint, OTHER), ==, 403);
  g_assert_cmpuint (connect_status (f, endpoint, READER), ==, 101);
}

/* Renewing or unsubscribing an endpoint is for its application only. */
static void
test_renew_unsubscribe_bound (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *endpoint = subscribe (f, READER);
  g_autofree char *renew = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe",
                                             "hub.topic", TOPIC, "hub.events", "DiagnosticReport-open",
                                             "hub.channel.endpoint", endpoint, NULL);
  g_autofree char *unsubscribe = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "unsubscribe",
                                                   "hub.topic", TOPIC, "hub.channel.endpoint", endpoint, NULL);
  g_autofree char *reason = NULL;

  g_assert_cmpuint (http (f, "POST", "/fhircast", unsubscribe, OTHER, &reason), ==, 403);
  g_assert_cmpstr (reason, ==, "hub.channel.endpoint belongs to another application's token");
  g_assert_cmpuint (http (f, "POST", "/fhircast", renew, OTHER, NULL), ==, 403);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
  g_assert_cmpuint (http (f, "POST", "/fhircast", renew, READER, NULL), ==, 202);
  g_assert_cmpuint (http (f, "POST", "/fhircast", unsubscribe, READER, NULL), ==, 202);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 0);
}

/* Issue 14.6: with tokens the subscriptions are counted per token, not
 * per address: one application at its cap does not lock out another on
 * the same machine, and an ended subscription frees its place. */
static void
test_per_token (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe",
                                            "hub.topic", TOPIC, "hub.events", "DiagnosticReport-open", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *unsubscribe = NULL;

  fcm_hub_set_max_subscriptions (f->hub, 2);
  first = subscribe (f, READER);
  second = subscribe (f, READER);
  g_assert_cmpuint (http (f, "POST", "/fhircast", form, READER, &reason), ==, 429);
  g_assert_cmpstr (reason, ==, "too many subscriptions for this token (at most 2)");
  /* another application from the same address still gets in */
  g_assert_cmpuint (http (f, "POST", "/fhircast", form, OTHER, NULL), ==, 202);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 3);

  unsubscribe = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "unsubscribe", "hub.topic", TOPIC,
                                  "hub.channel.endpoint", first, NULL);
  g_assert_cmpuint (http (f, "POST", "/fhircast", unsubscribe, READER, NULL), ==, 202);
  g_assert_cmpuint (http (f, "POST", "/fhircast", form, READER, NULL), ==, 202);
}

/* With a static --secret every application holds the same credential, so
 * it can't be the admin one: /admin/ needs the admin token. */
static void
test_admin_with_secret (void)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *reason = NULL;

  fcm_hub_set_secret (hub, "shared-secret");
  fcm_hub_set_admin (hub, TRUE);
  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("%.*s/admin/topics", (int) (strlen (fcm_hub_get_url (hub)) - strlen ("/fhircast")),
                         fcm_hub_get_url (hub));
  g_assert_cmpuint (fcm_test_http (session, "GET", url, NULL, NULL, 0, "Bearer shared-secret", &reason), ==, 403);
  g_assert_cmpstr (reason, ==, "the admin endpoints need their own credential (--admin-token-file)");
  fcm_hub_set_admin_token (hub, ADMIN_FILE_TOKEN);
  g_assert_cmpuint (fcm_test_http (session, "GET", url, NULL, NULL, 0, "Bearer shared-secret", NULL), ==, 401);
  g_assert_cmpuint (fcm_test_http (session, "GET", url, NULL, NULL, 0, "Bearer " ADMIN_FILE_TOKEN, NULL), ==, 200);
  fcm_hub_shutdown (hub);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/hub/access/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("admin-scope", test_admin_scope);
  ADD ("admin-token", test_admin_token);
  ADD ("endpoint-bound", test_endpoint_bound);
  ADD ("endpoint-token-optional", test_endpoint_token_optional);
  ADD ("renew-unsubscribe-bound", test_renew_unsubscribe_bound);
  ADD ("per-token", test_per_token);
#undef ADD
  g_test_add_func ("/fcm/hub/access/admin-with-secret", test_admin_with_secret);

  return g_test_run ();
}
