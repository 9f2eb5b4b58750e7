/* test-cli-client.c: `fhircast publish` and `context` as a developer expects
 * them, against the real hub and a scripted sandbox.js-like hub (loopback)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

typedef struct
{
  gboolean done;
  char *out;
  char *err;
  int status;
} Cli;

static void
cli_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Cli *c = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (G_SUBPROCESS (source)));
  c->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  c->done = TRUE;
}

static int
cli_run (Cli                *c,
         const char         *input,
         const char * const *args)
{
  const char *cli = g_getenv ("FHIRCAST_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, input ? input : "", NULL, cli_done_cb, c);
  FCM_TEST_WAIT_UNTIL (c->done);
  return c->status;
}

static void
cli_clear (Cli *c)
{
  g_clear_pointer (&c->out, g_free);
  g_clear_pointer (&c->err, g_free);
  c->done = FALSE;
}

/* ------------------------------------------------------------------ a sandbox.js-like hub */

/* What interop.md says of sandbox.js: events are POSTed to {hub}/{topic};
 * a POST to the hub URL itself hangs; GET {hub}/{topic} answers a bare
 * context array. Or, with not_found, a POST to the hub URL answers 404. */
typedef struct
{
  SoupServer *server;
  char *url;
  gboolean not_found;
  guint n_topic_posts;
  GPtrArray *hanging;       /* SoupServerMessage, paused */
} Sandbox;

static void
sandbox_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  Sandbox *s = data;
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/hub") && g_str_equal (method, "POST"))
    {
      if (s->not_found)
        {
          soup_server_message_set_status (msg, 404, NULL);
          return;
        }
      /* never answered */
      soup_server_message_pause (msg);
      g_ptr_array_add (s->hanging, g_object_ref (msg));
      return;
    }
  if (g_str_has_prefix (path, "/hub/") && g_str_equal (method, "POST"))
    {
      s->n_topic_posts++;
      soup_server_message_set_status (msg, 202, NULL);
      return;
    }
  if (g_str_has_prefix (path, "/hub/") && g_str_equal (method, "GET"))
    {
      const char *body =
        "[{\"key\":\"patient\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\"}}]";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
      return;
    }
  soup_server_message_set_status (msg, 404, NULL);
}

static Sandbox *
sandbox_new (gboolean not_found)
{
  Sandbox *s = g_new0 (Sandbox, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  s->not_found = not_found;
  s->hanging = g_ptr_array_new_with_free_func (g_object_unref);
  s->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (s->server, "/hub", sandbox_cb, s, NULL);
  g_assert_true (soup_server_listen_local (s->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (s->server);
  s->url = g_strdup_printf ("http://127.0.0.1:%u/hub", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return s;
}

static void
sandbox_free (Sandbox *s)
{
  for (guint i = 0; i < s->hanging->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (s->hanging, i);

      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_unpause (msg);
    }
  g_ptr_array_unref (s->hanging);
  soup_server_disconnect (s->server);
  g_object_unref (s->server);
  g_free (s->url);
  g_free (s);
}

/* ------------------------------------------------------------------ tests */

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &error));
  *(gboolean *) data = TRUE;
}

/* publish --file - reads the context (or a whole message) from stdin */
static void
test_publish_stdin (void)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) open = fcm_context_build_open ("rpt-s", "pat-s", "st-s", "ACC-S", "MRN-S");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;
  g_autoptr(FcmHubClient) subscriber = NULL;
  gboolean subscribed = FALSE;
  Cli c = { 0 };

  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  /* the hub knows a topic once somebody subscribed to it */
  subscriber = fcm_hub_client_new (fcm_hub_get_url (hub), "stdin");
  fcm_hub_client_subscribe_async (subscriber, NULL, subscribed_cb, &subscribed);
  FCM_TEST_WAIT_UNTIL (subscribed);
  json_node_set_array (node, open);
  text = fcm_json_to_string (node, FALSE);

  {
    const char *args[] = { "publish", "--hub", fcm_hub_get_url (hub), "--topic", "stdin",
                           "DiagnosticReport-open", "--file", "-", "--id", "from-stdin", NULL };

    g_assert_cmpint (cli_run (&c, text, args), ==, 0);
    g_assert_cmpstr (g_strstrip (c.out), ==, "{\"status\":200,\"id\":\"from-stdin\"}");
    cli_clear (&c);
  }
  {
    const char *args[] = { "context", "--hub", fcm_hub_get_url (hub), "--topic", "stdin", "--json", NULL };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *obj;
    gboolean stu3 = FALSE;

    g_assert_cmpint (cli_run (&c, NULL, args), ==, 0);
    root = fcm_json_parse (c.out, -1, &error);
    g_assert_no_error (error);
    obj = json_node_get_object (root);
    g_assert_true (fcm_json_get_bool (obj, "stu3", &stu3));
    g_assert_true (stu3);
    g_assert_cmpstr (fcm_json_get_string (fcm_json_get_object (obj, "context"), "context.type"), ==,
                     "DiagnosticReport");
    g_assert_nonnull (fcm_json_get_array (obj, "issues"));
    /* our hub answers STU3: nothing to flag */
    g_assert_null (strstr (c.err, "C-52"));
    cli_clear (&c);
  }
  {
    const char *args[] = { "publish", "--hub", fcm_hub_get_url (hub), "--topic", "stdin",
                           "DiagnosticReport-close", "--file", "-", NULL };

    /* not JSON on stdin: a clear error, exit 2 */
    g_assert_cmpint (cli_run (&c, "not json", args), ==, 2);
    g_assert_nonnull (strstr (c.err, "JSON"));
    cli_clear (&c);
  }
  fcm_hub_shutdown (hub);
}

/* A hub that takes events at {hub}/{topic} only: a POST to hub.url hangs.
 * The hint about --topic-path comes after the first timeout, while
 * publish still retries, before it gives up. */
static void
test_publish_topic_path_hint (void)
{
  Sandbox *s = sandbox_new (FALSE);
  Cli c = { 0 };
  const char *args[] = { "publish", "--hub", s->url, "--topic", "T", "DiagnosticReport-close",
                         "--report", "rpt-1", "--timeout", "0.3", NULL };
  const char *with[] = { "publish", "--hub", s->url, "--topic", "T", "DiagnosticReport-close",
                         "--report", "rpt-1", "--timeout", "0.3", "--topic-path", NULL };
  const char *hint, *failure;

  g_assert_cmpint (cli_run (&c, NULL, args), ==, 1);
  hint = strstr (c.err, "--topic-path");
  failure = strstr (c.err, "did not answer");
  g_assert_nonnull (hint);
  g_assert_nonnull (failure);
  g_assert_true (hint < failure);
  /* after the first try, while the others were still to come */
  g_assert_nonnull (strstr (c.err, "no answer from the hub yet (retrying)"));
  g_assert_true (strstr (c.err, "(retrying)") < hint);
  /* said once */
  g_assert_null (strstr (hint + 1, "--topic-path"));
  g_assert_cmpuint (s->hanging->len, ==, 3);
  cli_clear (&c);

  g_assert_cmpint (cli_run (&c, NULL, with), ==, 0);
  g_assert_null (strstr (c.err, "--topic-path"));
  g_assert_cmpuint (s->n_topic_posts, ==, 1);
  cli_clear (&c);
  sandbox_free (s);

  /* a 404 at hub.url says it too */
  s = sandbox_new (TRUE);
  args[2] = s->url;
  g_assert_cmpint (cli_run (&c, NULL, args), ==, 1);
  g_assert_nonnull (strstr (c.err, "404"));
  g_assert_nonnull (strstr (c.err, "--topic-path"));
  cli_clear (&c);
  sandbox_free (s);
}

/* A bare context array answer (sandbox.js) is printed as answered, and
 * flagged as not STU3: on stderr with the rule id, in --json a field. */
static void
test_context_bare_array (void)
{
  Sandbox *s = sandbox_new (FALSE);
  g_autoptr(GError) error = NULL;
  Cli c = { 0 };
  const char *args[] = { "context", "--hub", s->url, "--topic", "T", NULL };
  const char *json_args[] = { "context", "--hub", s->url, "--topic", "T", "--json", NULL };

  g_assert_cmpint (cli_run (&c, NULL, args), ==, 0);
  g_assert_true (g_str_has_prefix (c.out, "[{\"key\":\"patient\""));
  g_assert_nonnull (strstr (c.err, "warning C-52"));
  g_assert_nonnull (strstr (c.err, "not FHIRcast STU3"));
  cli_clear (&c);

  g_assert_cmpint (cli_run (&c, NULL, json_args), ==, 0);
  {
    g_autoptr(JsonNode) root = fcm_json_parse (c.out, -1, &error);
    JsonObject *obj;
    JsonArray *issues;
    gboolean stu3 = TRUE;
    gboolean flagged = FALSE;

    g_assert_no_error (error);
    obj = json_node_get_object (root);
    g_assert_true (fcm_json_get_bool (obj, "stu3", &stu3));
    g_assert_false (stu3);
    g_assert_nonnull (fcm_json_get_array (obj, "context"));
    issues = fcm_json_get_array (obj, "issues");
    for (guint i = 0; i < json_array_get_length (issues); i++)
      if (g_strcmp0 (fcm_json_get_string (fcm_json_array_get_object (issues, i), "rule"), "C-52") == 0)
        flagged = TRUE;
    g_assert_true (flagged);
  }
  cli_clear (&c);
  sandbox_free (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/cli/publish/stdin", test_publish_stdin);
  g_test_add_func ("/fcm/cli/publish/topic-path-hint", test_publish_topic_path_hint);
  g_test_add_func ("/fcm/cli/context/bare-array", test_context_bare_array);

  return g_test_run ();
}
