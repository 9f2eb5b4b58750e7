/* faults-attacks.c: the attacks of issue 14 points 1, 3, 4, 5 and 6 against `fhircast hub`
 *
 * The same attacks as the regression tests of test-hub-limits,
 * test-hub-conn and test-hub-access, here against the hub binary in its
 * own process with its figures measured from outside (/proc): time to
 * answer, descriptors, RSS. Each figure is printed as a "# FIGURE" line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-faults-util.h"

#define TOPIC "faults-attacks-topic"

static char *
host_port (FaultsHub *hub)
{
  return g_strdup_printf ("127.0.0.1:%u", hub->port);
}

/* Point 1: one subscribe form with 32,000 distinct event names (213 KB)
 * took the hub 84 s; discovery waited as long. */
static void
test_events (void)
{
  g_autoptr(FaultsHub) hub = faults_hub_start (0, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GString) events = g_string_new (NULL);
  g_autofree char *form = NULL;
  g_autofree char *wk = g_strconcat (hub->url, "/.well-known/fhircast-configuration", NULL);
  gint64 start, took;

  for (guint i = 0; i < 32000; i++)
    g_string_append_printf (events, "%sx-event-%05u", i > 0 ? "," : "", i);
  form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic", TOPIC,
                           "hub.events", events->str, NULL);
  start = g_get_monotonic_time ();
  g_assert_cmpuint (fcm_test_http (session, "POST", hub->url, "application/x-www-form-urlencoded", form, -1, NULL,
                                   NULL), ==, 400);
  g_assert_cmpuint (fcm_test_http (session, "GET", wk, NULL, NULL, 0, NULL, NULL), ==, 200);
  took = g_get_monotonic_time () - start;
  g_print ("# FIGURE events: a %zu-byte subscribe with 32,000 event names refused, and discovery answered, in "
           "%.0f ms (84 s before the fix)\n", strlen (form), took / 1000.0);
  g_assert_cmpint (took, <, 2 * G_USEC_PER_SEC);
}

/* Point 3: every request on a keep-alive connection that the client then
 * closes (what `fhircast publish` does) left a descriptor in the hub. */
static void
test_closed_keep_alive (void)
{
  g_autoptr(FaultsHub) hub = faults_hub_start (0, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *hp = host_port (hub);
  FaultsSub *sub = faults_sub_new (session, hub->url, TOPIC, "listener", "x-faults-note");
  guint before, after, peak = 0;
  gint64 start;

  soup_session_abort (session);
  faults_run_for (200);
  before = faults_proc_fds (hub->pid);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *id = g_strdup_printf ("keep-alive-%04u", i);
      g_autofree char *json = faults_event_json (TOPIC, "x-faults-note", id, 10);
      g_autofree char *request = g_strdup_printf ("POST /fhircast HTTP/1.1\r\nHost: %s\r\nContent-Type: "
                                                  "application/json\r\nContent-Length: %zu\r\n\r\n%s", hp,
                                                  strlen (json), json);
      g_autoptr(GSocket) socket = fcm_test_raw_connect (hub->url);

      g_assert_true (fcm_test_raw_send (socket, request, strlen (request)));
      g_assert_cmpuint (fcm_test_raw_read_answer (socket, NULL), ==, 200);
      g_socket_close (socket, NULL);
      if (i % 100 == 99)
        peak = MAX (peak, faults_proc_fds (hub->pid));
    }
  start = g_get_monotonic_time ();
  while ((after = faults_proc_fds (hub->pid)) > before)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
      faults_run_for (50);
    }
  FCM_TEST_WAIT_UNTIL (sub->received == 1000);
  g_print ("# FIGURE keep-alive: 1,000 publishes on connections closed by the client: hub fds %u before, at most "
           "%u meanwhile, %u after (1,000 more before the fix)\n", before, peak, after);
  faults_sub_leave (sub, NULL, NULL);
  faults_sub_free (sub);
}

typedef struct
{
  gboolean                 done;
  SoupWebsocketConnection *ws;
  guint                    status;
} Upgrade;

static void
upgrade_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Upgrade *u = data;

  u->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, NULL);
  u->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  u->done = TRUE;
}

/* The status of a WebSocket upgrade to @endpoint with @auth (nullable). */
static guint
upgrade_status (SoupSession *session,
                const char  *endpoint,
                const char  *auth)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", endpoint);
  Upgrade u = { FALSE, NULL, 0 };

  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, upgrade_done_cb, &u);
  FCM_TEST_WAIT_UNTIL (u.done);
  if (u.ws != NULL)
    {
      soup_websocket_connection_close (u.ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      FCM_TEST_WAIT_UNTIL (soup_websocket_connection_get_state (u.ws) == SOUP_WEBSOCKET_STATE_CLOSED);
      g_object_unref (u.ws);
    }
  return u.status;
}

/* Point 4: with --tokens --admin, a write-only token read every endpoint
 * id below /admin/ and then connected another application's endpoint. */
static void
test_admin_and_endpoints (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-faults-tokens-XXXXXX", &error);
  g_autofree char *tokens = g_build_filename (dir, "tokens.ini", NULL);
  g_autofree char *admin = g_build_filename (dir, "admin", NULL);
  g_autoptr(FaultsHub) hub = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *admin_url = NULL;
  g_autofree char *form = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint list, upgrade_writer, upgrade_none, upgrade_reader;
  const char *endpoint;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (tokens, "[token reader]\nname=Reader\nsecret=faults-reader-1f3a\n"
                                              "scopes=fhircast/*.read\n"
                                              "[token writer]\nname=Writer\nsecret=faults-writer-9c2e\n"
                                              "scopes=fhircast/*.write\n", -1, NULL));
  g_assert_true (g_file_set_contents (admin, "faults-admin-77b0\n", -1, NULL));
  hub = faults_hub_start (0, (const char *[]) { "--tokens", tokens, "--admin", "--admin-token-file", admin, NULL });
  admin_url = g_strdup_printf ("http://127.0.0.1:%u/admin/subscribers", hub->port);

  form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic", TOPIC,
                           "hub.events", "DiagnosticReport-open", NULL);
  g_assert_cmpuint (fcm_test_http (session, "POST", hub->url, "application/x-www-form-urlencoded", form, -1,
                                   "Bearer faults-reader-1f3a", &body), ==, 202);
  root = fcm_json_parse (body, -1, NULL);
  endpoint = fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint");

  list = fcm_test_http (session, "GET", admin_url, NULL, NULL, 0, "Bearer faults-writer-9c2e", NULL);
  upgrade_writer = upgrade_status (session, endpoint, "Bearer faults-writer-9c2e");
  upgrade_none = upgrade_status (session, endpoint, NULL);
  upgrade_reader = upgrade_status (session, endpoint, "Bearer faults-reader-1f3a");
  g_print ("# FIGURE access: a write-only token gets %u on /admin/subscribers; another application's endpoint: "
           "%u with the write token, %u without a token (200 and 101 before the fix), %u with its own\n",
           list, upgrade_writer, upgrade_none, upgrade_reader);
  g_assert_cmpuint (list, ==, 401);   /* only the --admin-token-file secret opens /admin/ */
  g_assert_cmpuint (upgrade_writer, ==, 403);
  g_assert_cmpuint (upgrade_none, ==, 401);
  g_assert_cmpuint (upgrade_reader, ==, 101);

  g_clear_pointer (&hub, faults_hub_free);
  g_unlink (tokens);
  g_unlink (admin);
  g_rmdir (dir);
}

/* Point 5: a 300 MB chunked body was buffered whole before the 1 MiB
 * check (RSS 11 -> 614 MB), and 200 MB before a 401 (-> 382 MB). */
static gsize
send_chunked (FaultsHub  *hub,
              const char *auth,
              gsize       total,
              guint      *out_status,
              gsize      *out_peak)
{
  g_autofree char *hp = host_port (hub);
  g_autofree char *head = g_strdup_printf ("POST /fhircast HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                                           "%sTransfer-Encoding: chunked\r\n\r\n", hp, auth);
  g_autoptr(GSocket) socket = fcm_test_raw_connect (hub->url);
  gsize chunk_size = 256 * 1024, header, sent = 0;
  g_autofree char *chunk = g_malloc (chunk_size + 32);

  header = (gsize) g_snprintf (chunk, 32, "%zx\r\n", chunk_size);
  memset (chunk + header, ' ', chunk_size);
  memcpy (chunk + header + chunk_size, "\r\n", 2);
  chunk_size += header + 2;
  g_assert_true (fcm_test_raw_send (socket, head, strlen (head)));
  *out_peak = 0;
  while (sent < total && fcm_test_raw_send (socket, chunk, chunk_size))
    {
      sent += chunk_size;
      if (sent % (16 * chunk_size) == 0)
        *out_peak = MAX (*out_peak, faults_proc_rss_kib (hub->pid));
    }
  *out_peak = MAX (*out_peak, faults_proc_rss_kib (hub->pid));
  *out_status = fcm_test_raw_read_answer (socket, NULL);
  return sent;
}

static void
test_bodies (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-faults-secret-XXXXXX", &error);
  g_autofree char *secret = g_build_filename (dir, "secret", NULL);
  g_autoptr(FaultsHub) open_hub = faults_hub_start (0, NULL);
  g_autoptr(FaultsHub) secret_hub = NULL;
  gsize rss_open, rss_secret, peak_open, peak_secret, sent_open, sent_secret;
  guint status_open, status_secret;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (secret, "faults-secret-4e81\n", -1, NULL));
  secret_hub = faults_hub_start (0, (const char *[]) { "--secret-file", secret, NULL });

  rss_open = faults_proc_rss_kib (open_hub->pid);
  sent_open = send_chunked (open_hub, "", 300 * 1000 * 1000, &status_open, &peak_open);
  rss_secret = faults_proc_rss_kib (secret_hub->pid);
  sent_secret = send_chunked (secret_hub, "Authorization: Bearer wrong\r\n", 200 * 1000 * 1000, &status_secret,
                              &peak_secret);
  g_print ("# FIGURE bodies: 300 MB chunked: %u after %zu KB sent, hub RSS %zu -> %zu KiB (614 MB before the fix); "
           "200 MB with a wrong token: %u after %zu KB sent, RSS %zu -> %zu KiB (382 MB before)\n",
           status_open, sent_open / 1000, rss_open, peak_open, status_secret, sent_secret / 1000, rss_secret,
           peak_secret);
  g_assert_cmpuint (status_open, ==, 413);
  g_assert_cmpuint (status_secret, ==, 401);
  g_assert_cmpuint (peak_open, <, rss_open + 16 * 1024);
  g_assert_cmpuint (peak_secret, <, rss_secret + 16 * 1024);

  g_clear_pointer (&secret_hub, faults_hub_free);
  g_unlink (secret);
  g_rmdir (dir);
}

/* Point 6: the heartbeat leaked a JSON object per unconnected subscriber
 * per tick (+100 MB per 20 s with 20,000 of them); leases went up to
 * 4,294,967 s. */
static void
test_limits (void)
{
  g_autoptr(FaultsHub) hub = faults_hub_start (0, (const char *[]) { "--heartbeat", "1", "--max-subscriptions",
                                                                     "5000", NULL });
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic",
                                            TOPIC, "hub.events", "x-faults-note", "hub.lease_seconds", "4294967",
                                            NULL);
  FaultsSub *sub;
  gsize rss_before, rss_after;
  guint answered = 0;
  const guint n = 1000;

  for (guint i = 0; i < n; i++)
    answered += fcm_test_http (session, "POST", hub->url, "application/x-www-form-urlencoded", form, -1, NULL,
                               NULL) == 202;
  g_assert_cmpuint (answered, ==, n);
  sub = faults_sub_new (session, hub->url, TOPIC, "connected", "x-faults-note");
  faults_run_for (1500);
  rss_before = faults_proc_rss_kib (hub->pid);
  faults_run_for (5000);   /* five heartbeats */
  rss_after = faults_proc_rss_kib (hub->pid);
  g_print ("# FIGURE heartbeat: %u unconnected subscriptions, 5 heartbeats: hub RSS %zu -> %zu KiB "
           "(+%u objects per tick before the fix)\n", n, rss_before, rss_after, n);
  g_assert_cmpuint (rss_after, <, rss_before + 1024);
  faults_sub_leave (sub, hub->url, TOPIC);
  faults_sub_free (sub);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fcm/faults/attacks/events", test_events);
  g_test_add_func ("/fcm/faults/attacks/closed-keep-alive", test_closed_keep_alive);
  g_test_add_func ("/fcm/faults/attacks/admin-and-endpoints", test_admin_and_endpoints);
  g_test_add_func ("/fcm/faults/attacks/bodies", test_bodies);
  g_test_add_func ("/fcm/faults/attacks/limits", test_limits);
  return g_test_run ();
}
