/* test-app-signals.c: the real fhircast-monitor leaves cleanly on a signal
 *
 * Issue 12.4, end to end. The app runs as its own process, started as
 * autostart does (--background), with its settings in a key file: the
 * built-in hub on a known port and topic, and a hub added with Add Hub (one
 * that runs in this test). Another application subscribes to the built-in
 * hub, and another to the other hub, both to syncerror too. Then SIGTERM
 * (also SIGINT, SIGHUP): within 2 s the built-in hub closes the other
 * application's socket with 1001, the app unsubscribes from the other hub,
 * the process exits with 0, and no hub generates a syncerror for an
 * abnormal close.
 *
 * Usage: test-app-signals PATH/TO/fhircast-monitor. Needs a display (the
 * app is a GTK app even without a window): exits 77 (SKIP) without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "fcm-hub.h"
#include "fcm-test-util.h"

static const char *monitor_path;

typedef struct
{
  FcmHub      *hub;            /* the other hub, "added with Add Hub" */
  char        *config;         /* XDG_CONFIG_HOME of the app */
  guint        port;           /* of the built-in hub */
  char        *builtin_url;
  GSubprocess *app;
  gboolean     exited;
  guint        n_syncerrors;
  GPtrArray   *removed;        /* "name: reason" on the other hub */
} Fixture;

static void
syncerror_cb (FcmHub     *hub,
              const char *topic,
              const char *diagnostics,
              Fixture    *f)
{
  g_test_message ("syncerror: %s", diagnostics);
  f->n_syncerrors++;
}

static void
removed_cb (FcmHub     *hub,
            const char *topic,
            const char *name,
            const char *reason,
            Fixture    *f)
{
  g_ptr_array_add (f->removed, g_strdup_printf ("%s: %s", name ? name : "?", reason));
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The app's settings as GSettings' keyfile backend keeps them. */
static void
write_settings (Fixture *f)
{
  g_autofree char *folder = g_build_filename (f->config, "glib-2.0", "settings", NULL);
  g_autofree char *path = g_build_filename (folder, "keyfile", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  text = g_strdup_printf ("[io/github/fhircastmonitor/FhircastMonitor]\n"
                          "builtin-hub-port=%u\n"
                          "builtin-hub-topic='reading-room'\n"
                          "hubs=[{'url': <'%s'>, 'topic': <'ward-3'>, 'name': <'FHIRcast Monitor'>, "
                          "'events': <['DiagnosticReport-open', 'SyncError']>}]\n",
                          f->port, fcm_hub_get_url (f->hub));
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  f->exited = TRUE;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  int *state = user_data;
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source),
                                                                             result, NULL);

  *state = connection != NULL ? 1 : 2;
}

static gboolean
builtin_hub_listens (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  int state = 0;

  g_socket_client_connect_to_host_async (client, "127.0.0.1", (guint16) f->port, NULL, connected_cb, &state);
  FCM_TEST_WAIT_UNTIL (state != 0);
  return state == 1;
}

static guint
n_open (FcmHub     *hub,
        const char *topic)
{
  g_auto(GStrv) names = fcm_hub_dup_subscriber_names (hub, topic);

  return g_strv_length (names);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;

  f->removed = g_ptr_array_new_with_free_func (g_free);
  f->hub = fcm_hub_new ();
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (f->hub, "syncerror", G_CALLBACK (syncerror_cb), f);
  g_signal_connect (f->hub, "subscriber-removed", G_CALLBACK (removed_cb), f);

  f->config = g_dir_make_tmp ("fcm-app-signals-XXXXXX", &error);
  g_assert_no_error (error);
  f->port = free_port ();
  f->builtin_url = g_strdup_printf ("http://127.0.0.1:%u/fhircast", f->port);
  write_settings (f);

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", f->config, TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  f->app = g_subprocess_launcher_spawn (launcher, &error, monitor_path, "--background", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (f->app, NULL, exited_cb, f);

  /* up: the built-in hub listens, and the app is subscribed to the other hub */
  FCM_TEST_WAIT_UNTIL (!f->exited && builtin_hub_listens (f));
  FCM_TEST_WAIT_UNTIL (f->exited || n_open (f->hub, "ward-3") == 1);
  g_assert_false (f->exited);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *settings = g_build_filename (f->config, "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *folder = g_path_get_dirname (settings);
  g_autofree char *parent = g_path_get_dirname (folder);

  if (!f->exited)
    g_subprocess_force_exit (f->app);
  FCM_TEST_WAIT_UNTIL (f->exited);
  g_clear_object (&f->app);
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  g_unlink (settings);
  g_rmdir (folder);
  g_rmdir (parent);
  g_rmdir (f->config);
  g_free (f->config);
  g_free (f->builtin_url);
  g_ptr_array_unref (f->removed);
}

static void
test_signal (Fixture       *f,
             gconstpointer  data)
{
  int signum = GPOINTER_TO_INT (data);
  g_autoptr(FcmTestSubscriber) reporting = NULL;
  g_autoptr(FcmTestSubscriber) viewer = NULL;
  gint64 sent, deadline;

  reporting = fcm_test_subscriber_new (f->builtin_url, "reading-room", "Reporting App",
                                       "DiagnosticReport-open,DiagnosticReport-close,SyncError");
  viewer = fcm_test_subscriber_new (fcm_hub_get_url (f->hub), "ward-3", "Viewer",
                                    "DiagnosticReport-open,SyncError");
  FCM_TEST_WAIT_UNTIL (n_open (f->hub, "ward-3") == 2);

  sent = g_get_monotonic_time ();
  g_subprocess_send_signal (f->app, signum);

  /* the built-in hub went away: 1001 to the other application, in 2 s */
  FCM_TEST_WAIT_UNTIL (reporting->closed);
  g_assert_cmpuint (reporting->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpint (reporting->closed_at - sent, <, 2 * G_USEC_PER_SEC);

  /* and the app is gone, normally */
  FCM_TEST_WAIT_UNTIL (f->exited);
  g_assert_true (g_subprocess_get_if_exited (f->app));
  g_assert_cmpint (g_subprocess_get_exit_status (f->app), ==, 0);
  g_test_message ("signal %d: 1001 after %.0f ms, exit after %.0f ms", signum,
                  (reporting->closed_at - sent) / 1000.0, (g_get_monotonic_time () - sent) / 1000.0);

  /* it unsubscribed from the other hub (C-42); that hub's other
   * application stays, and nobody heard of a syncerror (H-35) */
  g_assert_cmpuint (f->removed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->removed, 0), ==, "FHIRcast Monitor: unsubscribed");
  g_assert_false (viewer->closed);
  deadline = g_get_monotonic_time () + 300 * 1000;
  FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > deadline);
  g_assert_cmpuint (f->n_syncerrors, ==, 0);
  g_assert_cmpuint (viewer->events->len, ==, 0);
  for (guint i = 0; i < reporting->events->len; i++)
    g_assert_cmpstr (g_ptr_array_index (reporting->events, i), !=, "SyncError");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    {
      g_printerr ("usage: test-app-signals PATH/TO/fhircast-monitor\n");
      return 1;
    }
  monitor_path = argv[1];
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("test-app-signals: no display, skipping\n");
      return 77;
    }

  g_test_add ("/app/signals/sigterm", Fixture, GINT_TO_POINTER (SIGTERM), fixture_setup, test_signal, fixture_teardown);
  g_test_add ("/app/signals/sigint", Fixture, GINT_TO_POINTER (SIGINT), fixture_setup, test_signal, fixture_teardown);
  g_test_add ("/app/signals/sighup", Fixture, GINT_TO_POINTER (SIGHUP), fixture_setup, test_signal, fixture_teardown);

  return g_test_run ();
}
