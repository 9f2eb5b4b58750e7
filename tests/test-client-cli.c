/* test-client-cli.c: the `fhircast` client commands against hubs on loopback
 *
 * publish, subscribe, get and the rest against the reference hub, GetTopic
 * on a --users hub, and `fhircast watch` (the app's subscriber) against a
 * scripted hub: it fetches the current context after a version gap and
 * prints one line per event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-client-util.h"

/* fhircast watch | publish | context against the in-process hub */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  const char *url = fcm_hub_get_url (f->hub);
  const char *watch_args[] = { "watch", "--hub", url, "--topic", f->topic, "--name", "Watcher",
                               "--count", "1", "--timeout", "20", NULL };
  const char *open_args[] = { "publish", "--hub", url, "--topic", f->topic, "DiagnosticReport-open",
                              "--report", "rpt-9", "--patient", "pat-9", "--study", "st-9",
                              "--accession", "ACC-9", "--mrn", "MRN-9", "--id", "cli-open-1", NULL };
  const char *close_args[] = { "publish", "--hub", url, "--topic", f->topic, "DiagnosticReport-close",
                               "--report", "not-open", NULL };
  const char *context_args[] = { "context", "--hub", url, "--topic", f->topic, NULL };
  const char *usage_args[] = { "watch", "--topic", f->topic, NULL };
  const char *help_args[][3] = { { "watch", "--help", NULL }, { "publish", "--help", NULL },
                                 { "context", "--help", NULL } };
  g_autoptr(GSubprocess) watch = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  Cli w = { 0 }, c = { 0 };

  watch = cli_start (&w, watch_args);
  FCM_TEST_WAIT_UNTIL (fcm_hub_get_n_subscribers (f->hub, f->topic) == 1);

  g_assert_cmpint (cli_run (&c, open_args), ==, 0);
  g_assert_cmpstr (g_strstrip (c.out), ==, "{\"status\":200,\"id\":\"cli-open-1\"}");
  cli_clear (&c);

  /* watch exits 0 after one event, unsubscribing first (C-40) */
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_cmpint (w.status, ==, 0);
  lines = g_strsplit (g_strstrip (w.out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) root = parse (lines[i]);
      JsonObject *obj = json_node_get_object (root);

      g_assert_nonnull (fcm_json_get_string (obj, "at"));
      g_assert_true (json_object_has_member (obj, "message"));
      g_assert_nonnull (fcm_json_get_array (obj, "issues"));
      g_hash_table_add (kinds, (gpointer) g_intern_string (fcm_json_get_string (obj, "kind")));
    }
  g_assert_true (g_hash_table_contains (kinds, "state"));
  g_assert_true (g_hash_table_contains (kinds, "confirmation"));
  g_assert_true (g_hash_table_contains (kinds, "event"));
  g_assert_true (g_hash_table_contains (kinds, "ack"));
  g_assert_nonnull (strstr (w.out, "{\"id\":\"cli-open-1\",\"status\":\"200\"}"));
  FCM_TEST_WAIT_UNTIL (fcm_hub_get_n_subscribers (f->hub, f->topic) == 0);

  g_assert_cmpint (cli_run (&c, context_args), ==, 0);
  {
    g_autoptr(JsonNode) root = parse (c.out);

    g_assert_cmpstr (fcm_json_get_string (json_node_get_object (root), "context.type"), ==,
                     "DiagnosticReport");
  }
  cli_clear (&c);

  /* an open with the patient's and study's details (C-47: FC SHOULD) */
  {
    const char *details_args[] = { "publish", "--hub", url, "--topic", f->topic, "DiagnosticReport-open",
                                   "--report", "rpt-10", "--patient", "pat-10", "--study", "st-10",
                                   "--accession", "ACC-10", "--mrn", "MRN-10",
                                   "--patient-name", "Doe, Jane", "--sex", "female",
                                   "--birth-date", "1961-04-12", "--study-description", "CT Chest",
                                   "--modality", "CT", "--study-date", "2025-11-21", NULL };
    const char *bad_args[] = { "publish", "--hub", url, "--topic", f->topic, "DiagnosticReport-open",
                               "--report", "rpt-11", "--patient", "pat-11", "--study", "st-11",
                               "--accession", "ACC-11", "--mrn", "MRN-11", "--sex", "F", NULL };
    const char *bare_args[] = { "publish", "--hub", url, "--topic", f->topic, "DiagnosticReport-open",
                                "--report", "rpt-12", "--patient", "pat-12", "--study", "st-12", NULL };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *patient = NULL;
    JsonObject *study = NULL;
    JsonArray *context;

    g_assert_cmpint (cli_run (&c, details_args), ==, 0);
    g_assert_null (strstr (c.err, "no --mrn"));
    cli_clear (&c);
    g_assert_cmpint (cli_run (&c, context_args), ==, 0);
    root = parse (c.out);
    context = fcm_json_get_array (json_node_get_object (root), "context");
    for (guint i = 0; i < json_array_get_length (context); i++)
      {
        JsonObject *item = fcm_json_array_get_object (context, i);

        if (g_strcmp0 (fcm_json_get_string (item, "key"), "patient") == 0)
          patient = fcm_json_get_object (item, "resource");
        else if (g_strcmp0 (fcm_json_get_string (item, "key"), "study") == 0)
          study = fcm_json_get_object (item, "resource");
      }
    g_assert_nonnull (patient);
    g_assert_nonnull (study);
    g_assert_cmpstr (fcm_json_get_string (patient, "gender"), ==, "female");
    g_assert_cmpstr (fcm_json_get_string (patient, "birthDate"), ==, "1961-04-12");
    g_assert_cmpstr (fcm_json_get_string (fcm_json_array_get_object (fcm_json_get_array (patient, "name"), 0),
                                          "family"), ==, "Doe");
    g_assert_cmpstr (fcm_json_get_string (study, "description"), ==, "CT Chest");
    g_assert_cmpstr (fcm_json_get_string (study, "started"), ==, "2025-11-21");
    cli_clear (&c);

    /* a sex that is not a FHIR code: a usage error that says why */
    g_assert_cmpint (cli_run (&c, bad_args), ==, 64);
    g_assert_nonnull (strstr (c.err, "sex \"F\""));
    cli_clear (&c);

    /* no --mrn, no --accession: nothing made up from the ids, and said on
     * stderr; our hub follows IRA and refuses it (C-47) */
    g_assert_cmpint (cli_run (&c, bare_args), ==, 1);
    g_assert_nonnull (strstr (c.err, "no --mrn"));
    g_assert_nonnull (strstr (c.err, "no --accession"));
    g_assert_null (strstr (c.err, "MRN: pat-12"));
    cli_clear (&c);

    /* rpt-9 current again for what follows (C-37: a re-open resumes) */
    {
      const char *resume_args[] = { "publish", "--hub", url, "--topic", f->topic, "DiagnosticReport-open",
                                    "--report", "rpt-9", "--patient", "pat-9", "--study", "st-9",
                                    "--accession", "ACC-9", "--mrn", "MRN-9", NULL };

      g_assert_cmpint (cli_run (&c, resume_args), ==, 0);
      cli_clear (&c);
    }
  }

  /* C-56: an update from --file, with the hub's current versionId fetched first */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) entries = NULL;
    g_autoptr(JsonArray) ctx = NULL;
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
    g_autofree char *text = NULL;
    g_autofree char *dir = g_dir_make_tmp ("fcm-client-update-XXXXXX", &error);
    g_autofree char *file = g_build_filename (dir, "update.json", NULL);
    const char *update_args[] = { "publish", "--hub", url, "--topic", f->topic,
                                  "DiagnosticReport-update", "--file", file, NULL };

    json_builder_begin_array (b);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "fullUrl");
    json_builder_add_string_value (b, "DiagnosticReport/rpt-9");
    json_builder_set_member_name (b, "resource");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "resourceType");
    json_builder_add_string_value (b, "DiagnosticReport");
    json_builder_set_member_name (b, "id");
    json_builder_add_string_value (b, "rpt-9");
    json_builder_set_member_name (b, "status");
    json_builder_add_string_value (b, "final");
    json_builder_end_object (b);
    json_builder_set_member_name (b, "request");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "method");
    json_builder_add_string_value (b, "PUT");
    json_builder_set_member_name (b, "url");
    json_builder_add_string_value (b, "DiagnosticReport/rpt-9");
    json_builder_end_object (b);
    json_builder_end_object (b);
    json_builder_end_array (b);
    entries = json_builder_get_root (b);
    ctx = fcm_context_build_update ("rpt-9", "pat-9", json_node_get_array (entries));
    json_node_set_array (node, ctx);
    text = fcm_json_to_string (node, TRUE);
    g_assert_no_error (error);
    g_assert_true (g_file_set_contents (file, text, -1, &error));
    g_assert_no_error (error);

    g_assert_cmpint (cli_run (&c, update_args), ==, 0);
    g_assert_nonnull (strstr (c.out, "\"status\":200"));
    cli_clear (&c);
    g_assert_cmpint (g_unlink (file), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
  }

  /* --topic-path: POST {hub}/{topic} (the hub serves both) */
  {
    const char *select_args[] = { "publish", "--hub", url, "--topic", f->topic, "--topic-path",
                                  "DiagnosticReport-select", "--report", "rpt-9", "--study", "st-9", NULL };

    g_assert_cmpint (cli_run (&c, select_args), ==, 0);
    g_assert_nonnull (strstr (c.out, "\"status\":200"));
    cli_clear (&c);
  }

  /* C-49: 409 for a context that isn't open → exit 1 */
  g_assert_cmpint (cli_run (&c, close_args), ==, 1);
  g_assert_nonnull (strstr (c.out, "\"status\":409"));
  cli_clear (&c);

  g_assert_cmpint (cli_run (&c, usage_args), ==, 64);
  cli_clear (&c);
  for (guint i = 0; i < G_N_ELEMENTS (help_args); i++)
    {
      g_assert_cmpint (cli_run (&c, help_args[i]), ==, 0);
      g_assert_nonnull (strstr (c.out, "--hub"));
      cli_clear (&c);
    }
  cli_clear (&w);
}

/* ------------------------------------------------------------------ watch runs the monitor */

/* A scripted hub that counts Get Current Context requests */
typedef struct
{
  SoupServer *server;
  char *url;
  char *endpoint;
  SoupWebsocketConnection *ws;
  GPtrArray *acked;     /* event ids */
  guint n_gets;
} Gap;

static void
gap_ack_cb (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            Gap                     *g)
{
  g_autoptr(JsonNode) root = fcm_json_parse (g_bytes_get_data (message, NULL),
                                             (gssize) g_bytes_get_size (message), NULL);

  g_assert_nonnull (root);
  g_ptr_array_add (g->acked, g_strdup (fcm_json_get_string (json_node_get_object (root), "id")));
}

static void
gap_ws_cb (SoupServer              *server,
           SoupServerMessage       *msg,
           const char              *path,
           SoupWebsocketConnection *ws,
           gpointer                 data)
{
  Gap *g = data;

  g_clear_object (&g->ws);
  g->ws = g_object_ref (ws);
  g_signal_connect (ws, "message", G_CALLBACK (gap_ack_cb), g);
  soup_websocket_connection_send_text (ws, "{\"hub.mode\":\"subscribe\",\"hub.topic\":\"t\","
                                       "\"hub.events\":\"DiagnosticReport-open,DiagnosticReport-update\","
                                       "\"hub.lease_seconds\":3600}");
}

static void
gap_http_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           data)
{
  Gap *g = data;

  if (g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      /* subscribe and unsubscribe */
      g_autofree char *body = g_strdup_printf ("{\"hub.channel.endpoint\":\"%s\"}", g->endpoint);

      soup_server_message_set_status (msg, 202, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }
  /* GET {hub}/{topic}: Get Current Context, nothing open */
  g->n_gets++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
}

/* Sends a DiagnosticReport event for rpt-g and waits for its ack. */
static void
gap_send (Gap        *g,
          const char *id,
          const char *name,
          JsonArray  *context,
          const char *version_id,
          const char *prior_version_id)
{
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, "t", name, context, version_id, prior_version_id);
  g_autofree char *text = fcm_event_to_json (event, FALSE);
  guint n = g->acked->len;

  soup_websocket_connection_send_text (g->ws, text);
  FCM_TEST_WAIT_UNTIL (g->acked->len > n);
  g_assert_cmpstr (g_ptr_array_index (g->acked, n), ==, id);
}

/* the fake hub on a free loopback port: its hub.url and its WebSocket */
static void
gap_server_start (Gap *g)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint port;

  g->server = soup_server_new (NULL, NULL);
  g->acked = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (g->server, "/hub", gap_http_cb, g, NULL);
  soup_server_add_websocket_handler (g->server, "/ws", NULL, NULL, gap_ws_cb, g, NULL);
  g_assert_true (soup_server_listen_local (g->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (g->server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g->url = g_strdup_printf ("http://127.0.0.1:%u/hub", port);
  g->endpoint = g_strdup_printf ("ws://127.0.0.1:%u/ws", port);
}

static void
gap_server_stop (Gap *g)
{
  if (g->ws != NULL)
    g_signal_handlers_disconnect_by_data (g->ws, g);
  g_clear_object (&g->ws);
  soup_server_disconnect (g->server);
  g_clear_object (&g->server);
  g_ptr_array_unref (g->acked);
  g_free (g->url);
  g_free (g->endpoint);
}

/* `fhircast watch` is the app's subscriber (FcmMonitor): after a version gap it fetches the
 * current context again (C-33), which the bare FcmHubClient it used to run did not do */
static void
test_cli_watch_refetch (void)
{
  g_autoptr(GSubprocess) watch = NULL;
  g_autoptr(JsonArray) open = fcm_context_build_open ("rpt-g", "pat-g", "st-g", NULL, NULL);
  g_autoptr(JsonNode) entries = parse ("[{\"fullUrl\":\"DiagnosticReport/rpt-g\","
                                       "\"resource\":{\"resourceType\":\"DiagnosticReport\",\"id\":\"rpt-g\","
                                       "\"status\":\"preliminary\"},"
                                       "\"request\":{\"method\":\"PUT\",\"url\":\"DiagnosticReport/rpt-g\"}}]");
  g_autoptr(JsonArray) update = fcm_context_build_update ("rpt-g", "pat-g", json_node_get_array (entries));
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  const char *args[] = { "watch", "--hub", NULL, "--topic", "t", "--timeout", "30", NULL };
  guint n_gets;
  Gap g = { 0 };
  Cli w = { 0 };

  gap_server_start (&g);
  args[2] = g.url;

  watch = cli_start (&w, args);
  /* confirmed, and the context fetched once on confirmation (C-22) */
  FCM_TEST_WAIT_UNTIL (g.n_gets == 1 && g.ws != NULL);
  run_for (100);

  /* an open and an update in sequence: no gap */
  gap_send (&g, "gap-open", FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open, "v1", NULL);
  gap_send (&g, "gap-update-1", FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, update, "v2", "v1");
  run_for (100);
  n_gets = g.n_gets;

  /* v3 was missed: the update after it is based on v3, not on v2 */
  gap_send (&g, "gap-update-2", FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, update, "v4", "v3");
  FCM_TEST_WAIT_UNTIL (g.n_gets > n_gets);

  /* SIGTERM: unsubscribe and exit 0; the output is what it always was */
  g_subprocess_send_signal (watch, SIGTERM);
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_cmpint (w.status, ==, 0);
  lines = g_strsplit (g_strstrip (w.out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) root = parse (lines[i]);

      g_hash_table_add (kinds, (gpointer) g_intern_string (fcm_json_get_string (json_node_get_object (root),
                                                                                "kind")));
    }
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 1 + 1 + 1 + 3 * 2 + 1);
  g_assert_true (g_hash_table_contains (kinds, "state"));
  g_assert_true (g_hash_table_contains (kinds, "confirmation"));
  g_assert_true (g_hash_table_contains (kinds, "event"));
  g_assert_true (g_hash_table_contains (kinds, "ack"));
  g_assert_nonnull (strstr (w.out, "{\"id\":\"gap-update-2\",\"status\":\"200\"}"));
  cli_clear (&w);

  gap_server_stop (&g);
}

/* A burst of frames, read ahead beneath libsoup and acked in corked
 * segments (issue 15.2): watch still prints every event's line, then its
 * ack's, in the order sent (C-28), with the issues the monitor's validator
 * finds; a frame that is not JSON and an event missing its report (C-47)
 * included. */
static void
test_cli_watch_lines (void)
{
  g_autoptr(GSubprocess) watch = NULL;
  g_autoptr(JsonArray) open = fcm_context_build_open ("rpt-l", "pat-l", "st-l", NULL, NULL);
  g_autoptr(JsonArray) no_report = json_array_new ();
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  const char *args[] = { "watch", "--hub", NULL, "--topic", "t", "--timeout", "60", NULL };
  guint n_events = 0, next = 0;
  guint n_issues[300] = { 0, };
  Gap g = { 0 };
  Cli w = { 0 };

  for (guint i = 0; i < json_array_get_length (open); i++)
    if (g_strcmp0 (fcm_json_get_string (fcm_json_array_get_object (open, i), "key"), "report") != 0)
      json_array_add_element (no_report, json_node_copy (json_array_get_element (open, i)));
  fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_NOTIFICATION);

  gap_server_start (&g);
  args[2] = g.url;

  watch = cli_start (&w, args);
  FCM_TEST_WAIT_UNTIL (g.n_gets == 1 && g.ws != NULL);
  run_for (100);

  /* a burst, without waiting for the acks */
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("lines-%u", i);
      g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, "t", FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                                                 i == 150 ? no_report : open, NULL, NULL);
      char *text = i == 77 ? g_strdup ("not JSON at all") : fcm_event_to_json (event, FALSE);

      soup_websocket_connection_send_text (g.ws, text);
      g_ptr_array_add (sent, text);
      n_events += i != 77;
    }
  FCM_TEST_WAIT_UNTIL (g.acked->len == n_events);

  g_subprocess_send_signal (watch, SIGTERM);
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_cmpint (w.status, ==, 0);
  lines = g_strsplit (g_strstrip (w.out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) root = parse (lines[i]);
      JsonObject *obj = json_node_get_object (root);
      const char *kind = fcm_json_get_string (obj, "kind");
      JsonArray *issues = fcm_json_get_array (obj, "issues");
      g_autoptr(FcmMessage) message = NULL;
      g_autoptr(GPtrArray) expected = NULL;

      g_assert_nonnull (issues);
      if (g_str_equal (kind, "state") || g_str_equal (kind, "confirmation"))
        continue;
      g_assert_cmpuint (next, <, sent->len);
      /* the next frame sent, as it was sent, with the validator's issues */
      message = fcm_message_new (g_ptr_array_index (sent, next), -1);
      expected = fcm_validator_validate_message (validator, message, NULL);
      g_assert_cmpuint (json_array_get_length (issues), ==, expected->len);
      n_issues[next] = expected->len;
      if (next == 77)
        {
          g_assert_cmpstr (kind, ==, "invalid");
          g_assert_cmpstr (fcm_json_get_string (obj, "message"), ==, "not JSON at all");
          next++;
          continue;
        }
      g_assert_cmpstr (kind, ==, "event");
      g_assert_cmpstr (fcm_json_get_string (fcm_json_get_object (obj, "message"), "id"), ==,
                       fcm_event_get_id (fcm_message_get_event (message)));
      /* its ack's line next */
      g_assert_nonnull (lines[i + 1]);
      {
        g_autoptr(JsonNode) ack = parse (lines[++i]);

        g_assert_cmpstr (fcm_json_get_string (json_node_get_object (ack), "kind"), ==, "ack");
        g_assert_cmpstr (fcm_json_get_string (fcm_json_get_object (json_node_get_object (ack), "message"), "id"), ==,
                         fcm_event_get_id (fcm_message_get_event (message)));
      }
      next++;
    }
  g_assert_cmpuint (next, ==, sent->len);
  /* the frame that is not JSON and the open without its report have issues of their own */
  g_assert_cmpuint (n_issues[77], >, 0);
  g_assert_cmpuint (n_issues[150], >, n_issues[0]);
  cli_clear (&w);

  gap_server_stop (&g);
}

/* fhircast gettopic: the 2019 prototype's GetTopic (digest §4.1) */
static void
test_cli_gettopic (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-client-users-XXXXXX", &error);
  g_autofree char *users = NULL;
  const char *url = fcm_hub_get_url (f->hub);
  const char *ok_args[] = { "gettopic", "--hub", url, "--user", "joe2", "--secret", "S", NULL };
  const char *bad_args[] = { "gettopic", "--hub", url, "--user", "joe", "--secret", "xyzzy-bad", NULL };
  const char *usage_args[] = { "gettopic", "--hub", url, NULL };
  Cli c = { 0 };

  g_assert_no_error (error);
  users = g_build_filename (dir, "users.ini", NULL);
  g_assert_true (g_file_set_contents (users, "[Dr Smith]\nusers=joe;joe2\n", -1, &error));
  g_assert_no_error (error);
  g_assert_true (fcm_hub_load_users (f->hub, users, &error));
  g_assert_no_error (error);
  fcm_hub_set_secret (f->hub, "S");

  g_assert_cmpint (cli_run (&c, ok_args), ==, 0);
  g_assert_cmpstr (g_strstrip (c.out), ==, fcm_hub_get_user_topic (f->hub, "joe"));
  cli_clear (&c);
  g_assert_cmpint (cli_run (&c, bad_args), ==, 1);
  g_assert_nonnull (strstr (c.err, "401"));
  g_assert_null (strstr (c.err, "xyzzy-bad"));
  cli_clear (&c);
  g_assert_cmpint (cli_run (&c, usage_args), ==, 64);
  cli_clear (&c);

  g_assert_cmpint (g_unlink (users), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/client/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("cli", test_cli);
  ADD ("cli-gettopic", test_cli_gettopic);
  g_test_add_func ("/fcm/client/cli-watch-refetch", test_cli_watch_refetch);
  g_test_add_func ("/fcm/client/cli-watch-lines", test_cli_watch_lines);

  return g_test_run ();
}
