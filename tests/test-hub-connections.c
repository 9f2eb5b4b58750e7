/* test-hub-connections.c: the hub lets go of every HTTP connection
 *
 * libsoup 3.2's server never closes a keep-alive connection that the client
 * closed while it was idle: the socket stays in CLOSE_WAIT, one file
 * descriptor each, for as long as the server runs, and libsoup's own
 * clients open a new connection for every POST. A hub that runs all day
 * (the app's built-in hub) ran out of descriptors after some thousands of
 * context changes. The hub answers every request but a WebSocket upgrade
 * with "Connection: close" and closes the connection itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "fcm-hub.h"
#include "fcm-test-util.h"

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_connections_closed (void)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;
  guint before;

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no /proc/self/fd");
      return;
    }
  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  before = count_fds ();

  /* ten clients, each with a context change the hub refuses (nobody is
   * subscribed to the topic) and a Get Current Context; each goes away */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autofree char *context_url = g_strdup_printf ("%s/topic-%u", fcm_hub_get_url (hub), i);
      g_autofree char *body = g_strdup_printf ("{\"timestamp\":\"2026-12-06T07:00:00Z\",\"id\":\"e-%u\","
                                               "\"event\":{\"hub.topic\":\"topic-%u\","
                                               "\"hub.event\":\"DiagnosticReport-close\",\"context\":[]}}", i, i);
      guint status;

      status = fcm_test_http (session, "POST", fcm_hub_get_url (hub), "application/json", body, -1, NULL, NULL);
      g_assert_cmpuint (status, >=, 400);
      status = fcm_test_http (session, "GET", context_url, NULL, NULL, -1, NULL, NULL);
      g_assert_cmpuint (status, >, 0);
      soup_session_abort (session);
    }

  /* every connection closed on the hub's side too (a few descriptors of
   * the sessions' resolvers and the like may come and go) */
  FCM_TEST_WAIT_UNTIL (count_fds () <= before + 2);
  fcm_hub_shutdown (hub);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fcm/hub/connections-closed", test_connections_closed);
  return g_test_run ();
}
