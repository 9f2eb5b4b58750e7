/* fcm-faults-util.c: what the fault scenarios share (see the header)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-faults-util.h"

/* ------------------------------------------------------------------------ */
/* the hub process                                                          */

/* the hub dies with this process, also when a failed assertion aborts it */
static void
hub_child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/**
 * faults_hub_start:
 * @port: 0 for any free port
 * @args: (nullable): more options for `fhircast hub`
 *
 * Starts `fhircast hub --port PORT ARGS…` on 127.0.0.1 with its output in
 * files, and waits (iterating the main context) for its first line, the
 * URL.
 */
FaultsHub *
faults_hub_start (guint               port,
                  const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  FaultsHub *hub = g_new0 (FaultsHub, 1);
  gint64 deadline = g_get_monotonic_time () + (gint64) (10 * G_USEC_PER_SEC * fcm_test_timeout_scale ());
  g_autoptr(GUri) uri = NULL;

  hub->dir = g_dir_make_tmp ("fcm-faults-hub-XXXXXX", &error);
  g_assert_no_error (error);
  hub->out_path = g_build_filename (hub->dir, "out", NULL);
  hub->err_path = g_build_filename (hub->dir, "err", NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, hub->out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, hub->err_path);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, hub_child_setup, NULL, NULL);
  g_ptr_array_add (argv, g_strdup (g_getenv ("FHIRCAST_CLI")));
  g_ptr_array_add (argv, g_strdup ("hub"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  hub->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  hub->pid = atoi (g_subprocess_get_identifier (hub->proc));
  while (hub->url == NULL)
    {
      g_autofree char *out = NULL;
      const char *newline;

      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *err = NULL;

          g_file_get_contents (hub->err_path, &err, NULL, NULL);
          g_error ("the hub did not start: %s", err != NULL ? err : "");
        }
      if (g_file_get_contents (hub->out_path, &out, NULL, NULL) && (newline = strchr (out, '\n')) != NULL)
        hub->url = g_strndup (out, newline - out);
      else
        faults_run_for (10);
    }
  uri = g_uri_parse (hub->url, G_URI_FLAGS_NONE, NULL);
  hub->port = (guint) g_uri_get_port (uri);
  return hub;
}

/* SIGKILL, and waits for it to be gone. */
void
faults_hub_kill (FaultsHub *hub)
{
  if (hub->proc == NULL)
    return;
  g_subprocess_send_signal (hub->proc, SIGKILL);
  g_subprocess_wait (hub->proc, NULL, NULL);
  g_clear_object (&hub->proc);
}

void
faults_hub_free (FaultsHub *hub)
{
  if (hub->proc != NULL)
    {
      g_subprocess_send_signal (hub->proc, SIGTERM);
      g_subprocess_wait (hub->proc, NULL, NULL);
      g_clear_object (&hub->proc);
    }
  g_unlink (hub->out_path);
  g_unlink (hub->err_path);
  g_rmdir (hub->dir);
  g_free (hub->out_path);
  g_free (hub->err_path);
  g_free (hub->dir);
  g_free (hub->url);
  g_free (hub);
}

/* ------------------------------------------------------------------------ */
/* /proc                                                                    */

gsize
faults_proc_rss_kib (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "VmRSS:")) == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

guint
faults_proc_fds (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* utime + stime of @pid, in seconds */
double
faults_proc_cpu_seconds (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return 0;
  /* after "(comm)": state is field 3, utime 14, stime 15 */
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

static gboolean
run_for_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
faults_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, run_for_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

guint
faults_raise_fd_limit (guint wanted)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_cur < wanted)
    {
      limit.rlim_cur = MIN ((rlim_t) wanted, limit.rlim_max);
      g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
    }
  return (guint) limit.rlim_cur;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

gint64
faults_percentile (GArray *values,
                   double  p)
{
  guint i;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_gint64);
  i = (guint) MIN ((double) values->len - 1, p / 100.0 * values->len);
  return g_array_index (values, gint64, i);
}

/* ------------------------------------------------------------------------ */
/* a subscriber                                                             */

static void
sub_message_cb (SoupWebsocketConnection *ws,
                SoupWebsocketDataType    type,
                GBytes                  *message,
                FaultsSub               *sub)
{
  g_autoptr(JsonNode) root = fcm_json_parse (g_bytes_get_data (message, NULL), (gssize) g_bytes_get_size (message),
                                             NULL);
  JsonObject *obj, *event;
  const char *id, *name;
  gint64 now = g_get_monotonic_time ();

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  obj = json_node_get_object (root);
  if (json_object_has_member (obj, "hub.mode"))
    {
      sub->confirmed = TRUE;
      return;
    }
  id = fcm_json_get_string (obj, "id");
  event = fcm_json_get_object (obj, "event");
  name = event != NULL ? fcm_json_get_string (event, "hub.event") : NULL;
  if (id == NULL || name == NULL)
    return;
  if (g_ascii_strcasecmp (name, "heartbeat") != 0)
    {
      if (g_ascii_strcasecmp (name, "syncerror") == 0)
        g_ptr_array_add (sub->syncerrors, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
      else
        {
          g_hash_table_insert (sub->seen, g_strdup (id),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (sub->seen, id)) + 1));
          g_array_append_val (sub->arrivals, now);
          sub->received++;
        }
    }
  if (sub->ack)
    {
      g_autofree char *ack = g_strdup_printf ("{\"id\":\"%s\",\"status\":200}", id);

      soup_websocket_connection_send_text (ws, ack);
    }
}

static void
sub_closed_cb (SoupWebsocketConnection *ws,
               FaultsSub               *sub)
{
  sub->closed = TRUE;
}

static void
sub_connected_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  FaultsSub *sub = data;

  sub->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, NULL);
  if (sub->ws == NULL)
    {
      sub->closed = TRUE;
      return;
    }
  soup_websocket_connection_set_max_incoming_payload_size (sub->ws, 4 * 1024 * 1024);
  g_signal_connect (sub->ws, "message", G_CALLBACK (sub_message_cb), sub);
  g_signal_connect (sub->ws, "closed", G_CALLBACK (sub_closed_cb), sub);
}

static void
sub_posted_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  FaultsSub *sub = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) upgrade = NULL;

  if (body == NULL || soup_message_get_status (msg) != 202)
    {
      sub->closed = TRUE;
      return;
    }
  root = fcm_json_parse (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL);
  g_assert_nonnull (root);
  g_free (sub->endpoint);
  sub->endpoint = g_strdup (fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint"));
  upgrade = soup_message_new ("GET", sub->endpoint);
  soup_session_websocket_connect_async (sub->session, upgrade, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        sub_connected_cb, sub);
}

/* Starts subscribing (STU3 form) and connecting; sets confirmed, or
 * closed when the hub said no. Many can be under way at once. */
void
faults_sub_start (FaultsSub  *sub,
                  const char *hub_url,
                  const char *topic,
                  const char *name,
                  const char *events)
{
  g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe",
                                            "hub.topic", topic, "hub.events", events, "subscriber.name", name,
                                            NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", hub_url);

  sub->confirmed = sub->closed = FALSE;
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  soup_session_send_and_read_async (sub->session, msg, G_PRIORITY_DEFAULT, NULL, sub_posted_cb, sub);
}

/* Subscribes and connects; FALSE when the hub said no. */
gboolean
faults_sub_subscribe (FaultsSub  *sub,
                      const char *hub_url,
                      const char *topic,
                      const char *name,
                      const char *events)
{
  faults_sub_start (sub, hub_url, topic, name, events);
  FCM_TEST_WAIT_UNTIL (sub->confirmed || sub->closed);
  return sub->confirmed;
}

FaultsSub *
faults_sub_new (SoupSession *session,
                const char  *hub_url,
                const char  *topic,
                const char  *name,
                const char  *events)
{
  FaultsSub *sub = g_new0 (FaultsSub, 1);

  /* a session of its own: a session with many WebSocket connections gets
   * slower with each new request (libsoup 3.2 looks through them all) */
  sub->session = session != NULL ? g_object_ref (session) : soup_session_new ();
  sub->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sub->syncerrors = g_ptr_array_new_with_free_func (g_free);
  sub->arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  sub->ack = TRUE;
  if (hub_url != NULL)
    g_assert_true (faults_sub_subscribe (sub, hub_url, topic, name, events));
  return sub;
}

/* Starts unsubscribing and closing with 1000 (C-40, C-42), without
 * waiting: many can be under way at once. */
void
faults_sub_start_leaving (FaultsSub  *sub,
                          const char *hub_url,
                          const char *topic)
{
  if (sub->endpoint != NULL && hub_url != NULL)
    {
      g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "unsubscribe",
                                                "hub.topic", topic, "hub.channel.endpoint", sub->endpoint, NULL);
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", hub_url);

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
      soup_session_send_and_read_async (sub->session, msg, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
    }
  if (sub->ws != NULL && soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (sub->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

/* Unsubscribes and closes with 1000 (C-40, C-42). */
void
faults_sub_leave (FaultsSub  *sub,
                  const char *hub_url,
                  const char *topic)
{
  if (sub->endpoint != NULL && hub_url != NULL)
    {
      g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "unsubscribe",
                                                "hub.topic", topic, "hub.channel.endpoint", sub->endpoint, NULL);

      fcm_test_http (sub->session, "POST", hub_url, "application/x-www-form-urlencoded", form, -1, NULL, NULL);
    }
  if (sub->ws != NULL && soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (sub->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      FCM_TEST_WAIT_UNTIL (soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_CLOSED);
    }
}

void
faults_sub_free (FaultsSub *sub)
{
  if (sub->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (sub->ws, sub);
      g_clear_object (&sub->ws);
    }
  g_clear_object (&sub->session);
  g_hash_table_unref (sub->seen);
  g_ptr_array_unref (sub->syncerrors);
  g_array_unref (sub->arrivals);
  g_free (sub->endpoint);
  g_free (sub);
}

guint
faults_sub_count (FaultsSub  *sub,
                  const char *id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (sub->seen, id));
}

/* ------------------------------------------------------------------------ */
/* publishing                                                               */

char *
faults_event_json (const char *topic,
                   const char *name,
                   const char *id,
                   gsize       padding)
{
  g_autofree char *pad = g_strnfill (padding, 'p');
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *timestamp = g_date_time_format_iso8601 (now);

  return g_strdup_printf ("{\"timestamp\":\"%s\",\"id\":\"%s\",\"event\":{\"hub.topic\":\"%s\","
                          "\"hub.event\":\"%s\",\"context\":[{\"key\":\"padding\",\"resource\":"
                          "{\"resourceType\":\"Basic\",\"id\":\"pad\",\"note\":\"%s\"}}]}}",
                          timestamp, id, topic, name, pad);
}

guint
faults_publish (SoupSession *session,
                const char  *hub_url,
                const char  *json)
{
  return fcm_test_http (session, "POST", hub_url, "application/json", json, -1, NULL, NULL);
}
