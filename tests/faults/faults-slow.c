/* faults-slow.c: a subscriber that stops reading
 *
 * Issue 14.10. `fhircast hub` in its own process with its defaults; nine
 * subscribers here read and acknowledge everything, and one more does the
 * WebSocket handshake and then never reads again. Notifications of 16 KB
 * are published one after the other, each until the nine have it. The
 * nine's delivery latency (publish to arrival) with the stuck one stays
 * within 2× of what it is without it (5 ms of slack for a loaded
 * machine), the hub's memory stays bounded (its queue for the stuck one is
 * capped at 4 MiB, on top of what the kernel buffers), and the stuck one
 * is unsubscribed with a syncerror naming it. The ack timeout is 60 s
 * here, and the syncerror says why: the cap ends it, not a missed ack.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-faults-util.h"

#define N_READERS 9
#define TOPIC "faults-slow-topic"
#define PADDING (16 * 1024)

/* Publishes @n events; appends each reader's delivery latency (µs). */
static void
publish_round (FaultsHub   *hub,
               SoupSession *session,
               FaultsSub  **readers,
               const char  *prefix,
               guint        n,
               GArray      *latencies,
               gsize       *peak_rss)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%04u", prefix, i);
      g_autofree char *json = faults_event_json (TOPIC, "x-faults-bulk", id, PADDING);
      gint64 start = g_get_monotonic_time ();
      guint before[N_READERS];

      for (guint r = 0; r < N_READERS; r++)
        before[r] = readers[r]->arrivals->len;
      g_assert_cmpuint (faults_publish (session, hub->url, json), ==, 200);
      for (guint r = 0; r < N_READERS; r++)
        {
          gint64 latency;

          FCM_TEST_WAIT_UNTIL (faults_sub_count (readers[r], id) == 1);
          latency = g_array_index (readers[r]->arrivals, gint64, before[r]) - start;
          g_array_append_val (latencies, latency);
        }
      *peak_rss = MAX (*peak_rss, faults_proc_rss_kib (hub->pid));
    }
}

static void
test_slow_subscriber (void)
{
  g_autoptr(FaultsHub) hub = faults_hub_start (0, (const char *[]) { "--ack-timeout", "60", NULL });
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GArray) base = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) slow = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GSocket) stuck = NULL;
  g_autoptr(SoupMessage) upgrade = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *form = NULL;
  g_autofree char *body = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GUri) endpoint = NULL;
  FaultsSub *readers[N_READERS];
  gsize rss_start, peak_base = 0, peak_slow = 0;
  gint64 base_p99, slow_p99, stuck_at, removed_at = 0;
  guint sent = 0;

  for (guint r = 0; r < N_READERS; r++)
    {
      g_autofree char *name = g_strdup_printf ("reader-%u", r);

      readers[r] = faults_sub_new (session, hub->url, TOPIC, name, "x-faults-bulk,syncerror");
    }
  publish_round (hub, session, readers, "warm", 20, base, &peak_base);
  g_array_set_size (base, 0);
  rss_start = faults_proc_rss_kib (hub->pid);
  publish_round (hub, session, readers, "base", 120, base, &peak_base);

  /* the stuck one: subscribes, sends the upgrade, never reads */
  form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic", TOPIC,
                           "hub.events", "x-faults-bulk", "subscriber.name", "Stuck Reader", NULL);
  g_assert_cmpuint (fcm_test_http (session, "POST", hub->url, "application/x-www-form-urlencoded", form, -1, NULL,
                                   &body), ==, 202);
  root = fcm_json_parse (body, -1, NULL);
  endpoint = g_uri_parse (fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint"),
                          G_URI_FLAGS_NONE, NULL);
  stuck = fcm_test_raw_connect (hub->url);
  request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n", g_uri_get_path (endpoint), hub->port);
  g_assert_true (fcm_test_raw_send (stuck, request, strlen (request)));
  stuck_at = g_get_monotonic_time ();

  /* publish until the readers have heard that it was dropped */
  while (readers[0]->syncerrors->len == 0)
    {
      g_autofree char *prefix = g_strdup_printf ("slow%u", sent);

      g_assert_cmpuint (sent, <, 5000);
      publish_round (hub, session, readers, prefix, 10, slow, &peak_slow);
      sent += 10;
      if (readers[0]->syncerrors->len > 0 && removed_at == 0)
        removed_at = g_get_monotonic_time ();
    }
  /* and a while longer with the stuck socket still open on our side */
  publish_round (hub, session, readers, "after", 50, slow, &peak_slow);

  base_p99 = faults_percentile (base, 99);
  slow_p99 = faults_percentile (slow, 99);
  g_print ("# FIGURE slow: readers' p99 %.2f ms without, %.2f ms with a stuck subscriber (limit 2x + 5 ms); "
           "p50 %.2f / %.2f ms; stuck one dropped after %u notifications of 16 KB, %.1f s; hub RSS %zu KiB "
           "at the start, peak %zu KiB\n",
           base_p99 / 1000.0, slow_p99 / 1000.0, faults_percentile (base, 50) / 1000.0,
           faults_percentile (slow, 50) / 1000.0, sent, (removed_at - stuck_at) / 1e6, rss_start, peak_slow);
  g_print ("# syncerror: %s\n", (const char *) g_ptr_array_index (readers[0]->syncerrors, 0));

  for (guint r = 0; r < N_READERS; r++)
    {
      g_assert_cmpuint (readers[r]->syncerrors->len, ==, 1);
      g_assert_nonnull (strstr (g_ptr_array_index (readers[r]->syncerrors, 0), "Stuck Reader stopped reading"));
      g_assert_false (readers[r]->closed);
    }
  g_assert_cmpint (slow_p99, <=, 2 * base_p99 + 5000);
  /* the cap (4 MiB) and the socket buffers, not 16 KB per notification;
   * under ASan (make check-asan) freed memory sits in its quarantine, so
   * the hub's RSS says nothing there */
  if (g_getenv ("FCM_TEST_ASAN") == NULL)
    g_assert_cmpuint (peak_slow, <, rss_start + 48 * 1024);
  g_assert_true (fcm_test_raw_wait_closed (stuck));

  for (guint r = 0; r < N_READERS; r++)
    {
      faults_sub_leave (readers[r], hub->url, TOPIC);
      faults_sub_free (readers[r]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fcm/faults/slow-subscriber", test_slow_subscriber);
  return g_test_run ();
}
