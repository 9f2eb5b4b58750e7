/* faults-load.c: many connections and many subscribers
 *
 * Issue 14.10, against `fhircast hub` in its own process:
 * - 5,000 half-open connections (connected, then silent, or half a
 *   request with its body never finished): the hub still serves others
 *   (discovery, a subscription, a notification) within 5 s and, once
 *   their peers close them, frees them all within 20 s (its idle timeout
 *   is 600 s here, so only their closing can), back to the descriptors
 *   it held before any connection;
 * - 1,000 subscribers, 10 on each of 100 topics, 10 notifications per
 *   topic: every subscriber gets exactly its topic's 10, each once; after
 *   they all leave, the hub's descriptors are back where they started and
 *   its memory on the way back (it trims its heap once most have left).
 * The soft descriptor limit is raised for this process and the hub (it
 * inherits it) when `ulimit -n` is lower than the scenario needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-faults-util.h"

/* 5,000 in the issue (FCM_FAULTS_HALF_OPEN=N for another count). The
 * hub takes one new connection per main-loop turn (SoupServer's way),
 * and each turn goes through every open connection's GSource and
 * descriptor: taking 5,000 took it 16 to 21 s of CPU, 24 to 36 s of
 * wall time, on this 2-core machine at a load average of 4. */
#define N_HALF_OPEN_DEFAULT 5000
#define N_TOPICS 100
#define PER_TOPIC 10
#define N_EVENTS 10

static SoupSession *
session_new (void)
{
  return soup_session_new_with_options ("max-conns", 4000, "max-conns-per-host", 4000, NULL);
}

static void
test_half_open (void)
{
  const char *env = g_getenv ("FCM_FAULTS_HALF_OPEN");
  guint n_half_open = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : N_HALF_OPEN_DEFAULT;
  guint limit = faults_raise_fd_limit (n_half_open * 2 + 1000);
  g_autoptr(FaultsHub) hub = NULL;
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *wk = NULL;
  g_autofree char *json = NULL;
  FaultsSub *other;
  guint fds_start, fds_open;
  gint64 t0, start, served, accepted;

  if (limit < n_half_open * 2 + 1000)
    {
      g_test_skip ("the hard descriptor limit is too low for that many connections");
      return;
    }
  /* taking 5,000 connections takes the hub tens of seconds on a loaded
   * machine (see N_HALF_OPEN_DEFAULT); its idle timeout (60 s) could
   * close the first ones before the last come, and must not free them */
  hub = faults_hub_start (0, (const char *[]) { "--idle-timeout", "600", NULL });
  wk = g_strconcat (hub->url, "/.well-known/fhircast-configuration", NULL);
  fds_start = faults_proc_fds (hub->pid);
  g_assert_cmpuint (fcm_test_http (session, "GET", wk, NULL, NULL, 0, NULL, NULL), ==, 200);
  /* no connection of ours stays open: the session would keep its
   * keep-alive connections until its own idle timeout (60 s), and the
   * figures would count them */
  soup_session_abort (session);
  FCM_TEST_WAIT_UNTIL (faults_proc_fds (hub->pid) <= fds_start);
  fds_start = faults_proc_fds (hub->pid);
  t0 = g_get_monotonic_time ();

  for (guint i = 0; i < n_half_open; i++)
    {
      GSocket *socket = fcm_test_raw_connect (hub->url);

      if (i % 2 == 1)
        {
          static const char half[] = "POST /fhircast HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":";

          g_assert_true (fcm_test_raw_send (socket, half, sizeof half - 1));
        }
      g_ptr_array_add (sockets, socket);
      if (i % 100 == 99)
        g_main_context_iteration (NULL, FALSE);
      if (i % 500 == 499)
        g_test_message ("%u connected after %.1f s, hub fds %u", i + 1, (g_get_monotonic_time () - t0) / 1e6,
                        faults_proc_fds (hub->pid));
    }
  /* the hub has taken them all */
  start = g_get_monotonic_time ();
  while (faults_proc_fds (hub->pid) < fds_start + n_half_open)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 120 * G_USEC_PER_SEC);
      faults_run_for (200);   /* reading 5,000 entries of /proc takes CPU from the hub */
    }
  fds_open = faults_proc_fds (hub->pid);
  accepted = g_get_monotonic_time () - t0;

  /* somebody else is served as usual */
  start = g_get_monotonic_time ();
  g_assert_cmpuint (fcm_test_http (session, "GET", wk, NULL, NULL, 0, NULL, NULL), ==, 200);
  other = faults_sub_new (session, hub->url, "faults-half-open", "other", "x-faults-note");
  json = faults_event_json ("faults-half-open", "x-faults-note", "half-open-1", 10);
  g_assert_cmpuint (faults_publish (session, hub->url, json), ==, 200);
  FCM_TEST_WAIT_UNTIL (faults_sub_count (other, "half-open-1") == 1);
  served = g_get_monotonic_time () - start;
  faults_sub_leave (other, hub->url, "faults-half-open");
  faults_sub_free (other);
  soup_session_abort (session);

  /* closed by their peer, they are all freed at once: the hub's idle
   * timeout (600 s) plays no part */
  g_ptr_array_set_size (sockets, 0);   /* closes them */
  start = g_get_monotonic_time ();
  while (faults_proc_fds (hub->pid) > fds_start)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC * fcm_test_timeout_scale ());
      faults_run_for (50);
    }
  g_print ("# FIGURE half-open: descriptor limit %u; %u half-open connections taken by the hub in %.1f s; "
           "hub fds %u at the start, %u with %u half-open connections, "
           "%u after they closed; discovery + subscribe + one notification meanwhile in %.0f ms; "
           "the hub freed them in %.0f ms\n",
           limit, n_half_open, accepted / 1e6, fds_start, fds_open, n_half_open, faults_proc_fds (hub->pid), served / 1000.0,
           (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpint (served, <, 5 * G_USEC_PER_SEC * fcm_test_timeout_scale ());
}

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  (*(guint *) data)++;
}

static guint
count_closed (GPtrArray *subs)
{
  guint n = 0;

  for (guint i = 0; i < subs->len; i++)
    n += ((FaultsSub *) g_ptr_array_index (subs, i))->closed;
  return n;
}

static void
test_many_subscribers (void)
{
  g_autoptr(FaultsHub) hub = NULL;
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(GPtrArray) subs = g_ptr_array_new ();
  guint fds_start, fds_peak, fds_end, wrong = 0;
  gsize rss_start, rss_peak, rss_end;
  gint64 start, subscribed, delivered, left;

  faults_raise_fd_limit (N_TOPICS * PER_TOPIC * 2 + 1000);
  hub = faults_hub_start (0, (const char *[]) { "--max-subscriptions", "2000", NULL });
  /* one subscriber and one notification first, so that the start figures
   * include what any hub in use has */
  {
    FaultsSub *warm = faults_sub_new (session, hub->url, "faults-warm", "warm", "x-faults-note");
    g_autofree char *json = faults_event_json ("faults-warm", "x-faults-note", "warm-1", 10);

    g_assert_cmpuint (faults_publish (session, hub->url, json), ==, 200);
    FCM_TEST_WAIT_UNTIL (faults_sub_count (warm, "warm-1") == 1);
    faults_sub_leave (warm, hub->url, "faults-warm");
    faults_sub_free (warm);
    faults_run_for (200);
  }
  fds_start = faults_proc_fds (hub->pid);
  rss_start = faults_proc_rss_kib (hub->pid);

  /* all at once, as apps starting together would (one request after the
   * other would measure this process's main loop more than the hub) */
  start = g_get_monotonic_time ();
  for (guint t = 0; t < N_TOPICS; t++)
    for (guint k = 0; k < PER_TOPIC; k++)
      {
        g_autofree char *topic = g_strdup_printf ("faults-topic-%03u", t);
        g_autofree char *name = g_strdup_printf ("sub-%03u-%u", t, k);
        FaultsSub *sub = faults_sub_new (NULL, NULL, NULL, NULL, NULL);

        faults_sub_start (sub, hub->url, topic, name, "x-faults-note");
        g_ptr_array_add (subs, sub);
      }
  for (guint i = 0; i < subs->len; i++)
    {
      FaultsSub *sub = g_ptr_array_index (subs, i);

      while (!sub->confirmed && !sub->closed)
        {
          g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
          g_main_context_iteration (NULL, TRUE);
        }
      g_assert_true (sub->confirmed);
    }
  subscribed = g_get_monotonic_time () - start;
  g_test_message ("PHASE subscribed in %.1f s", subscribed / 1e6);

  /* one notification on every topic at a time, the 100 requests at once */
  start = g_get_monotonic_time ();
  for (guint e = 0; e < N_EVENTS; e++)
    {
      guint answered = 0;

      for (guint t = 0; t < N_TOPICS; t++)
        {
          g_autofree char *topic = g_strdup_printf ("faults-topic-%03u", t);
          g_autofree char *id = g_strdup_printf ("t%03u-e%02u", t, e);
          g_autofree char *json = faults_event_json (topic, "x-faults-note", id, 200);
          g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
          g_autoptr(SoupMessage) msg = soup_message_new ("POST", hub->url);

          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
          soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, published_cb, &answered);
        }
      FCM_TEST_WAIT_UNTIL (answered == N_TOPICS);
    }
  for (guint i = 0; i < subs->len; i++)
    FCM_TEST_WAIT_UNTIL (((FaultsSub *) g_ptr_array_index (subs, i))->received >= N_EVENTS);
  delivered = g_get_monotonic_time () - start;
  g_test_message ("PHASE delivered in %.1f s", delivered / 1e6);
  faults_run_for (300);   /* anything extra would come now */
  fds_peak = faults_proc_fds (hub->pid);
  rss_peak = faults_proc_rss_kib (hub->pid);

  for (guint i = 0; i < subs->len; i++)
    {
      FaultsSub *sub = g_ptr_array_index (subs, i);
      guint t = i / PER_TOPIC;

      for (guint e = 0; e < N_EVENTS; e++)
        {
          g_autofree char *id = g_strdup_printf ("t%03u-e%02u", t, e);

          wrong += faults_sub_count (sub, id) != 1;
        }
      wrong += sub->received != N_EVENTS;
    }

  for (guint i = 0; i < subs->len; i++)
    {
      FaultsSub *sub = g_ptr_array_index (subs, i);
      g_autofree char *topic = g_strdup_printf ("faults-topic-%03u", i / PER_TOPIC);

      faults_sub_start_leaving (sub, hub->url, topic);
    }
  start = g_get_monotonic_time ();
  while (count_closed (subs) < subs->len)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, TRUE);
    }
  left = g_get_monotonic_time () - start;
  g_test_message ("PHASE left in %.1f s, hub fds %u", left / 1e6, faults_proc_fds (hub->pid));
  g_ptr_array_foreach (subs, (GFunc) (void (*) (void)) faults_sub_free, NULL);
  /* and the publisher's keep-alive connections end */
  soup_session_abort (session);
  start = g_get_monotonic_time ();
  while (faults_proc_fds (hub->pid) > fds_start)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
      faults_run_for (50);
    }
  faults_run_for (1500);   /* the hub trims its heap a second after they left */
  fds_end = faults_proc_fds (hub->pid);
  rss_end = faults_proc_rss_kib (hub->pid);

  g_print ("# FIGURE many: %u subscribers on %u topics subscribed in %.1f s; %u notifications "
           "(%u per subscriber) delivered in %.1f s; wrong counts %u; all left in %.1f s; hub fds %u -> %u -> %u; "
           "hub RSS %zu -> %zu -> %zu KiB\n",
           subs->len, N_TOPICS, subscribed / 1e6, N_TOPICS * PER_TOPIC * N_EVENTS, N_EVENTS, delivered / 1e6, wrong, left / 1e6,
           fds_start, fds_peak, fds_end, rss_start, rss_peak, rss_end);
  g_assert_cmpuint (wrong, ==, 0);
  g_assert_cmpuint (fds_end, <=, fds_start);
  /* most of what the 1,000 took is given back (the hub trims its heap);
   * about 15 MB of the 26 MB it grew by stayed in runs on this machine:
   * the limit is three quarters, a regression guard and no more (not
   * under ASan, whose quarantine keeps freed memory resident) */
  if (g_getenv ("FCM_TEST_ASAN") == NULL)
    g_assert_cmpuint (rss_end, <=, rss_start + (rss_peak - MIN (rss_peak, rss_start)) * 3 / 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fcm/faults/half-open", test_half_open);
  g_test_add_func ("/fcm/faults/many-subscribers", test_many_subscribers);
  return g_test_run ();
}
