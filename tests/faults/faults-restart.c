/* faults-restart.c: the hub killed (SIGKILL) and started again, 20 subscribers
 *
 * Issue 14.10. `fhircast hub` runs in its own process; 20 FcmHubClients
 * (the subscriber library the app and `fhircast watch` use, default
 * reconnect backoff, C-68) and one publishing app are in this process.
 * The hub keeps nothing across a restart, so after it the publishing app
 * opens its report again (as an app that owns the context does once its
 * hub answers), and subscribers that connect after that get it replayed
 * (H-12). Every subscriber must be active again and hold that context
 * within 5 s of the restart, and every notification published while the
 * hub ran (before and after) must arrive exactly once at every subscriber:
 * 0 lost, 0 duplicated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-client.h"
#include "fcm-fhircast.h"
#include "fcm-test-util.h"
#include "fcm-faults-util.h"

#define N_SUBSCRIBERS 20
#define N_BEFORE 10
#define N_AFTER 10
#define TOPIC "faults-restart-topic"

typedef struct
{
  FcmHubClient *client;
  GHashTable   *seen;       /* event id -> times received */
  gint64        back_at;    /* monotonic µs: active and holding the re-opened context */
  const char   *reopen_id;
} Subscriber;

static void
event_cb (FcmHubClient *client,
          FcmEvent     *event,
          Subscriber   *s)
{
  const char *id = fcm_event_get_id (event);

  g_hash_table_insert (s->seen, g_strdup (id), GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (s->seen, id)) + 1));
  if (s->reopen_id != NULL && g_str_equal (id, s->reopen_id) && s->back_at == 0)
    s->back_at = g_get_monotonic_time ();
}

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  guint *n = data;

  g_assert_true (fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, NULL));
  (*n)++;
}

typedef struct
{
  gboolean done;
  guint    status;
} Published;

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Published *p = data;

  p->status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, NULL, NULL, NULL);
  p->done = TRUE;
}

static guint
publish (FcmHubClient *publisher,
         FcmEvent     *event)
{
  Published p = { FALSE, 0 };

  fcm_hub_client_publish_async (publisher, event, NULL, published_cb, &p);
  FCM_TEST_WAIT_UNTIL (p.done);
  return p.status;
}

static FcmEvent *
open_event (const char *id)
{
  g_autoptr(JsonArray) context = fcm_context_build_open ("rpt-restart", "pat-restart", "st-restart", "ACC-1", "MRN-1");

  return fcm_event_new (id, NULL, TOPIC, "DiagnosticReport-open", context, NULL, NULL);
}

static FcmEvent *
custom_event (const char *id)
{
  g_autoptr(JsonArray) context = json_array_new ();

  return fcm_event_new (id, NULL, TOPIC, "x-faults-note", context, NULL, NULL);
}

static void
test_restart (void)
{
  const char *const events[] = { "DiagnosticReport-open", "DiagnosticReport-close", "x-faults-note", NULL };
  g_autoptr(FaultsHub) hub = faults_hub_start (0, NULL);
  g_autoptr(FcmHubClient) publisher = fcm_hub_client_new (hub->url, TOPIC);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  Subscriber subs[N_SUBSCRIBERS] = { { NULL, }, };
  g_autofree char *reopen_id = g_strdup ("restart-reopen");
  guint subscribed = 0, port = hub->port, lost = 0, duplicated = 0, tries = 0;
  gint64 restarted, worst = 0;

  for (guint i = 0; i < N_SUBSCRIBERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("restart-%02u", i);

      subs[i].client = fcm_hub_client_new (hub->url, TOPIC);
      subs[i].seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      fcm_hub_client_set_events (subs[i].client, events);
      fcm_hub_client_set_subscriber_name (subs[i].client, name);
      g_signal_connect (subs[i].client, "event", G_CALLBACK (event_cb), &subs[i]);
      fcm_hub_client_subscribe_async (subs[i].client, NULL, subscribed_cb, &subscribed);
    }
  FCM_TEST_WAIT_UNTIL (subscribed == N_SUBSCRIBERS);
  for (guint i = 0; i < N_SUBSCRIBERS; i++)
    FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (subs[i].client) == FCM_CLIENT_STATE_ACTIVE);

  /* before: an open and notes */
  {
    g_autoptr(FcmEvent) open = open_event ("restart-open-1");

    g_assert_cmpuint (publish (publisher, open), ==, 200);
    g_ptr_array_add (ids, g_strdup ("restart-open-1"));
  }
  for (guint i = 0; i < N_BEFORE; i++)
    {
      g_autofree char *id = g_strdup_printf ("restart-before-%02u", i);
      g_autoptr(FcmEvent) note = custom_event (id);

      g_assert_cmpuint (publish (publisher, note), ==, 200);
      g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  for (guint i = 0; i < N_SUBSCRIBERS; i++)
    FCM_TEST_WAIT_UNTIL (g_hash_table_size (subs[i].seen) == ids->len);

  /* kill, start again on the same port */
  faults_hub_kill (hub);
  g_clear_pointer (&hub, faults_hub_free);
  hub = faults_hub_start (port, NULL);
  restarted = g_get_monotonic_time ();
  g_assert_cmpuint (hub->port, ==, port);

  /* the publishing app opens its report again as soon as the hub answers
   * 200 (it knows the topic again once the first subscriber is back) */
  for (guint i = 0; i < N_SUBSCRIBERS; i++)
    subs[i].reopen_id = reopen_id;
  for (;; tries++)
    {
      g_autoptr(FcmEvent) reopen = open_event (reopen_id);

      if (publish (publisher, reopen) == 200)
        break;
      g_assert_cmpuint (tries, <, 100);
      faults_run_for (50);
    }
  g_ptr_array_add (ids, g_strdup (reopen_id));
  for (guint i = 0; i < N_SUBSCRIBERS; i++)
    {
      FCM_TEST_WAIT_UNTIL (subs[i].back_at != 0 &&
                           fcm_hub_client_get_state (subs[i].client) == FCM_CLIENT_STATE_ACTIVE);
      worst = MAX (worst, subs[i].back_at - restarted);
    }

  /* after: more notes */
  for (guint i = 0; i < N_AFTER; i++)
    {
      g_autofree char *id = g_strdup_printf ("restart-after-%02u", i);
      g_autoptr(FcmEvent) note = custom_event (id);

      g_assert_cmpuint (publish (publisher, note), ==, 200);
      g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  for (guint i = 0; i < N_SUBSCRIBERS; i++)
    FCM_TEST_WAIT_UNTIL (g_hash_table_size (subs[i].seen) >= ids->len);
  /* anything late or doubled would come now */
  faults_run_for (300);

  for (guint i = 0; i < N_SUBSCRIBERS; i++)
    {
      for (guint k = 0; k < ids->len; k++)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (subs[i].seen, g_ptr_array_index (ids, k)));

          lost += n == 0;
          duplicated += n > 1 ? n - 1 : 0;
        }
      duplicated += g_hash_table_size (subs[i].seen) - MIN (g_hash_table_size (subs[i].seen), ids->len);
    }
  g_print ("# FIGURE restart: %u subscribers, %u notifications each, all back with the context %.0f ms "
           "after the restart (limit 5000), %u publish retries, lost %u, duplicated %u\n",
           N_SUBSCRIBERS, ids->len, worst / 1000.0, tries, lost, duplicated);
  g_assert_cmpint (worst, <=, 5 * G_USEC_PER_SEC * fcm_test_timeout_scale ());
  g_assert_cmpuint (lost, ==, 0);
  g_assert_cmpuint (duplicated, ==, 0);

  for (guint i = 0; i < N_SUBSCRIBERS; i++)
    {
      g_clear_object (&subs[i].client);
      g_hash_table_unref (subs[i].seen);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fcm/faults/restart", test_restart);
  return g_test_run ();
}
