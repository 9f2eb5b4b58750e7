/* test-hub-ack.c: the subscribers' acknowledgements and the hub's syncerrors
 *
 * What an ack may look like, what a refused, late or missing one does (the
 * syncerror to the publisher and the others, the subscriber dropped after
 * the ack timeout), and a subscriber's own syncerror. Every test starts its
 * own FcmHub on 127.0.0.1 port 0 and talks to it with SoupSession (HTTP and
 * WebSocket). Rule ids refer to the spec digest, §2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-hub-util.h"

/* H-32, H-33, H-36, H-20 (failing acks don't change the context) */
static void
test_ack_refused (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Refuser", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  g_autoptr(JsonNode) current = NULL;
  g_autofree char *version = NULL;
  JsonArray *coding;

  a->ack_mode = ACK_NUMBER;
  a->ack_status = 409;
  version = open_report (f, b, "ev-o1", "rpt-1");

  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, "ev-o1");
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "DiagnosticReport-open");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Refuser");
  g_assert_cmpuint (client_count (a, "syncerror"), ==, 0);

  current = get_current (f);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (current), "context.versionId"), ==, version);

  /* status as a string */
  a->ack_mode = ACK_STRING;
  a->ack_status = 500;
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 2);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "x-custom-marker");
}

/* H-37: an unacknowledged hub syncerror is resent with its id and
 * timestamp, a limited number of times, and never cascades */
static void
test_syncerror_resend (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Client) refuser = subscribe (f, "Refuser", ALL_EVENTS);
  g_autoptr(Client) deaf = subscribe (f, "Deaf", ALL_EVENTS);
  g_autoptr(Client) acker = subscribe (f, "Acker", ALL_EVENTS);
  JsonNode *first;

  g_assert_cmpfloat (fcm_hub_get_syncerror_resend_interval (f->hub), ==, 10.0);
  g_assert_cmpuint (fcm_hub_get_syncerror_resends (f->hub), ==, 1);
  fcm_hub_set_syncerror_resend (f->hub, 0.15, 2);
  refuser->ack_status = 409;
  deaf->no_ack_syncerror = TRUE;

  g_free (open_report (f, acker, "ev-o1", "rpt-1"));
  FCM_TEST_WAIT_UNTIL (client_count (deaf, "syncerror") == 3);
  first = g_ptr_array_index (deaf->frames, 0);
  for (guint i = 0; i < deaf->frames->len; i++)
    {
      JsonNode *frame = g_ptr_array_index (deaf->frames, i);

      if (g_strcmp0 (frame_event_name (frame), "syncerror") != 0)
        continue;
      if (g_strcmp0 (frame_event_name (first), "syncerror") != 0)
        first = frame;
      g_assert_cmpstr (frame_get (frame, "id"), ==, frame_get (first, "id"));
      g_assert_cmpstr (frame_get (frame, "timestamp"), ==, frame_get (first, "timestamp"));
    }
  {
    /* no fourth copy */
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > until);
  }
  refuser->ack_status = 200;
  send_marker (f, (Client *[]) { refuser, deaf, acker }, 3);
  g_assert_cmpuint (client_count (deaf, "syncerror"), ==, 3);
  g_assert_cmpuint (client_count (acker, "syncerror"), ==, 1);
  g_assert_cmpuint (client_count (refuser, "syncerror"), ==, 0);
  g_assert_cmpuint (f->n_syncerror_signals, ==, 1);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 3);

  /* resends off */
  fcm_hub_set_syncerror_resend (f->hub, 0.1, 0);
  refuser->ack_status = 409;
  send_marker (f, (Client *[]) { refuser, deaf, acker }, 3);
  FCM_TEST_WAIT_UNTIL (client_count (deaf, "syncerror") == 4);
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC * 3 / 10;

    FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > until);
  }
  refuser->ack_status = 200;
  send_marker (f, (Client *[]) { refuser, deaf, acker }, 3);
  g_assert_cmpuint (client_count (deaf, "syncerror"), ==, 4);
}

/* H-32: an ack without status (Medplum) is success; "200" strings too */
static void
test_ack_success_forms (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Medplum", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);

  fcm_hub_set_ack_timeout (f->hub, 0.3);
  a->ack_mode = ACK_NO_STATUS;
  b->ack_mode = ACK_STRING;
  b->ack_status = 202;
  send_marker (f, (Client *[]) { a, b }, 2);
  g_free (open_report (f, a, "ev-o1", "rpt-1"));
  {
    /* outlive the ack timeout on the main loop, then a barrier */
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > until);
  }
  send_marker (f, (Client *[]) { a, b }, 2);
  g_assert_cmpuint (client_count (a, "syncerror") + client_count (b, "syncerror"), ==, 0);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
  g_assert_cmpuint (f->n_syncerror_signals, ==, 0);
}

/* C-28 acks spelled differently (members swapped, whitespace, an escape in
 * the id) mean the same: the hub's quick ack reader must agree with the
 * full JSON parser. A refusal is only seen if id and status were read. */
static void
test_ack_spellings (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Refuser", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  JsonArray *coding;

  a->ack_mode = ACK_SPACED;
  a->ack_status = 409;
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "x-custom-marker");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Refuser");

  a->ack_mode = ACK_ESCAPED;
  a->ack_status = 500;
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 2);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Refuser");
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
}

/* H-32, H-33: what the quick ack reader takes (status a string of three
 * digits, a "timestamp" beside it, in any order) and what it leaves to the
 * full parser (other strings, which count as success as they always did)
 * give the same verdicts: a refusal is seen, the others are successes. */
static void
test_ack_string_status (Fixture       *f,
                        gconstpointer  data)
{
  const char * const successes[] = {
    "{\"timestamp\":\"2025-03-14T09:26:54Z\",\"status\":\"202\",\"id\":\"@ID@\"}",
    "{\"id\":\"@ID@\",\"status\":\"OK\"}",
    "{\"id\":\"@ID@\",\"status\":\"20\"}",
    "{\"id\":\"@ID@\",\"status\":\"099\"}",
    "{\"id\":\"@ID@\",\"status\":\" 409\"}",
    "{\"id\":\"@ID@\",\"timestamp\":\"2025-03-14T09:26:54\\u005a\"}",
  };
  g_autoptr(Client) a = subscribe (f, "Refuser", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  JsonArray *coding;

  a->ack_mode = ACK_TEMPLATE;
  a->ack_template = "{\"status\":\"409\",\"id\":\"@ID@\",\"timestamp\":\"2025-03-14T09:26:54Z\"}";
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "x-custom-marker");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Refuser");

  for (guint i = 0; i < G_N_ELEMENTS (successes); i++)
    {
      a->ack_template = successes[i];
      send_marker (f, (Client *[]) { a, b }, 2);
    }
  /* the refusal after them is the second syncerror, about its own event:
   * a success read as a refusal would have come first */
  a->ack_template = "{\"id\":\"@ID@\",\"status\":\"500\"}";
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 2);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, frame_get (client_last (a, "x-custom-marker"), "id"));
  g_assert_cmpuint (f->n_syncerror_signals, ==, 2);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
}

/* H-34: one timer serves every ack deadline; a shorter timeout set later
 * fires first, before the earlier notification's longer one */
static void
test_ack_timeout_order (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Client) silent = NULL;
  g_autoptr(Client) b = NULL;
  JsonArray *coding;

  /* longer than FCM_TEST_WAIT_UNTIL's limit: a timer armed only for the
   * first deadline would fail the wait below */
  fcm_hub_set_ack_timeout (f->hub, 60.0);
  silent = subscribe (f, "Silent", ALL_EVENTS);
  b = subscribe (f, "Watcher", ALL_EVENTS);
  silent->ack_mode = ACK_NONE;

  g_free (open_report (f, b, "ev-o1", "rpt-1"));
  fcm_hub_set_ack_timeout (f->hub, 0.2);
  send_marker (f, (Client *[]) { silent, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1 && client_is_closed (silent));
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "x-custom-marker");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Silent");
}

/* H-34 */
static void
test_ack_timeout (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Client) silent = NULL;
  g_autoptr(Client) b = NULL;
  JsonArray *coding;

  fcm_hub_set_ack_timeout (f->hub, 0.2);
  silent = subscribe (f, "Silent", ALL_EVENTS);
  b = subscribe (f, "Watcher", ALL_EVENTS);
  silent->ack_mode = ACK_NONE;

  g_free (open_report (f, b, "ev-o1", "rpt-1"));
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1 && client_is_closed (silent));
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, "ev-o1");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Silent");
  g_assert_nonnull (client_find_mode (silent, "denied"));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
}

/* H-34 with a threshold: the second consecutive miss unsubscribes */
static void
test_ack_timeout_threshold (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Client) slow = NULL;
  g_autoptr(Client) b = NULL;

  fcm_hub_set_ack_timeout (f->hub, 0.2);
  fcm_hub_set_max_missed_acks (f->hub, 2);
  slow = subscribe (f, "Slow", ALL_EVENTS);
  b = subscribe (f, "Watcher", ALL_EVENTS);
  slow->ack_mode = ACK_NONE;

  send_marker (f, (Client *[]) { slow, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  g_assert_false (client_is_closed (slow));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);

  send_marker (f, (Client *[]) { slow, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 2 && client_is_closed (slow));
  g_assert_nonnull (client_find_mode (slow, "denied"));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
}

/* H-35 */
static void
test_abnormal_close (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Client) polite = subscribe (f, "Polite", ALL_EVENTS);
  g_autoptr(Client) rude = subscribe (f, "Rude", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  JsonArray *coding;

  soup_websocket_connection_close (polite->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  FCM_TEST_WAIT_UNTIL (client_is_closed (polite));
  send_marker (f, (Client *[]) { b }, 1);
  g_assert_cmpuint (client_count (b, "syncerror"), ==, 0);
  /* a clean close keeps the subscription (the client may reconnect) */
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 3);

  soup_websocket_connection_close (rude->ws, 4000, "bye");
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "syncerror");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Rude");
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
}

/* H-38 */
static void
test_subscriber_syncerror (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "ACME Report Creator", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  const char *text =
    "{\"timestamp\":\"2025-03-14T09:27:00Z\",\"id\":\"se-1\",\"event\":{\"hub.topic\":\"" TOPIC "\","
    "\"hub.event\":\"syncerror\",\"context\":[{\"key\":\"operationoutcome\",\"resource\":"
    "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"warning\",\"code\":\"processing\","
    "\"diagnostics\":\"refused\",\"details\":{\"coding\":["
    "{\"system\":\"https://fhircast.hl7.org/events/syncerror/eventid\",\"code\":\"e1\"},"
    "{\"system\":\"https://fhircast.hl7.org/events/syncerror/eventname\",\"code\":\"DiagnosticReport-open\"},"
    "{\"system\":\"https://fhircast.hl7.org/events/syncerror/subscribername\",\"code\":\"ACME Report Creator\"}"
    "]}}]}}]}}";

  g_assert_cmpuint (post_json (f, text), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  g_assert_cmpstr (frame_get (client_last (b, "syncerror"), "id"), ==, "se-1");
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "syncerror"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/hub/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("ack/refused", test_ack_refused);
  ADD ("ack/success-forms", test_ack_success_forms);
  ADD ("ack/string-status", test_ack_string_status);
  ADD ("ack/spellings", test_ack_spellings);
  ADD ("ack/timeout", test_ack_timeout);
  ADD ("ack/timeout-order", test_ack_timeout_order);
  ADD ("ack/timeout-threshold", test_ack_timeout_threshold);
  ADD ("ack/abnormal-close", test_abnormal_close);
  ADD ("ack/subscriber-syncerror", test_subscriber_syncerror);
  ADD ("ack/syncerror-resend", test_syncerror_resend);
#undef ADD

  return g_test_run ();
}
