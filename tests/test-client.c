/* test-client.c: FcmHubClient against the reference hub over loopback
 *
 * Subscribing, the builders' events, acks (200, 409, 202 and its
 * follow-up) and the order frames are sent in, heartbeats and denials.
 * The helpers shared with the other test-client-* programs are in
 * fcm-test-client-util.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-client-util.h"

/* Our POSTs end their connection with the answer (Connection: close):
 * libsoup never reuses a POST's connection, and libsoup 3.2.3's server
 * keeps a keep-alive connection its client closes between two requests in
 * its list of clients for good (docs/hub.md). After 20 context changes the
 * hub holds no more of our connections than before them. */
static void
test_posts_leave_no_connection (Fixture       *f,
                                gconstpointer  data)
{
  guint before;

  sub_subscribe (f->a);
  g_assert_true (f->a->ok);
  run_for (200);
  before = _fcm_hub_conn_get_n_live_sockets ();
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *report = g_strdup_printf ("rpt-%u", i);
      g_autoptr(FcmEvent) event = open_event (f, report);

      g_assert_cmpuint (publish (f->a, event, NULL), ==, 200);
    }
  FCM_TEST_WAIT_UNTIL (_fcm_hub_conn_get_n_live_sockets () <= before);
  /* and it stays so */
  run_for (200);
  g_test_message ("connections the hub accepted and still holds: before %u, after %u", before,
                  _fcm_hub_conn_get_n_live_sockets ());
  g_assert_cmpuint (_fcm_hub_conn_get_n_live_sockets (), <=, before);
}

/* C-11, C-12, C-15, C-17, C-19, C-22, C-40, C-42 */
static void
test_subscribe (Fixture       *f,
                gconstpointer  data)
{
  const char * const *granted;
  JsonNode *context;

  g_assert_cmpint (fcm_hub_client_get_state (f->a->client), ==, FCM_CLIENT_STATE_DISCONNECTED);
  sub_subscribe (f->a);
  g_assert_no_error (f->a->error);
  g_assert_true (f->a->ok);
  g_assert_cmpint (fcm_hub_client_get_state (f->a->client), ==, FCM_CLIENT_STATE_ACTIVE);
  g_assert_true (sub_has_state (f->a, "subscribing"));
  g_assert_true (sub_has_state (f->a, "connecting"));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, f->topic), ==, 1);

  granted = fcm_hub_client_get_granted_events (f->a->client);
  g_assert_true (g_strv_contains (granted, "DiagnosticReport-open"));
  g_assert_true (g_strv_contains (granted, "SyncError"));
  g_assert_cmpuint (fcm_hub_client_get_lease_seconds (f->a->client), ==, 3600);

  /* C-22: the (empty) current context was fetched */
  context = fcm_hub_client_get_current_context (f->a->client);
  g_assert_nonnull (context);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (context));
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (context), "context.type"), ==, "");

  sub_unsubscribe (f->a);
  g_assert_cmpint (fcm_hub_client_get_state (f->a->client), ==, FCM_CLIENT_STATE_DISCONNECTED);
  FCM_TEST_WAIT_UNTIL (fcm_hub_get_n_subscribers (f->hub, f->topic) == 0);
  g_assert_cmpuint (f->a->n_denied, ==, 0);   /* our own unsubscribe's denial is not a denial */
}

/* Current context after a replayed open (C-21, C-22) and the builders pass the validator (C-46, C-47, C-50) */
static void
test_builders_valid (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(FcmEvent) open = open_event (f, "rpt-1");
  g_autoptr(FcmEvent) close = close_event (f, "rpt-1");
  g_autoptr(JsonArray) se = fcm_context_build_syncerror ("id-1", "DiagnosticReport-open", "Me", "no");
  g_autoptr(FcmEvent) syncerror = make_event (f, "syncerror", se);
  const char *sel[] = { "ImagingStudy/st-1", NULL };
  g_autoptr(JsonArray) sel_ctx = fcm_context_build_select ("rpt-1", sel);
  g_autoptr(FcmEvent) select = make_event (f, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, sel_ctx);
  FcmEvent *all[] = { open, close, syncerror, select };

  fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_REQUEST);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(GPtrArray) issues = fcm_validator_validate_event (validator, all[i]);

      for (guint j = 0; j < issues->len; j++)
        {
          FcmIssue *issue = g_ptr_array_index (issues, j);

          if (fcm_issue_get_severity (issue) == FCM_SEVERITY_ERROR)
            g_test_message ("%s: %s %s (%s)", fcm_event_get_name (all[i]),
                            fcm_issue_get_rule_id (issue), fcm_issue_get_message (issue),
                            fcm_issue_get_path (issue));
        }
      g_assert_false (fcm_issues_have_errors (issues));
    }
}

/* C-28: every notification acked, the hub matched every ack; echo (C-38); C-21 replay; C-22 */
static void
test_acks (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(FcmEvent) open = open_event (f, "rpt-1");
  g_autoptr(FcmEvent) close = close_event (f, "rpt-1");
  g_autofree char *subs = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list;
  Sub *c;

  sub_subscribe (f->a);
  sub_subscribe (f->b);
  g_assert_cmpuint (publish (f->a, open, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (f->a->events->len == 1 && f->b->events->len == 1);
  g_assert_cmpstr (fcm_event_get_id (g_ptr_array_index (f->a->events, 0)), ==, fcm_event_get_id (open));

  /* a late subscriber gets the replayed open and fetches the context */
  c = sub_new (f, "Client C");
  sub_subscribe (c);
  g_assert_no_error (c->error);
  FCM_TEST_WAIT_UNTIL (c->events->len == 1);
  g_assert_cmpstr (fcm_event_get_id (g_ptr_array_index (c->events, 0)), ==, fcm_event_get_id (open));
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (fcm_hub_client_get_current_context (c->client)),
                                        "context.type"), ==, "DiagnosticReport");

  g_assert_cmpuint (publish (f->b, close, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (f->a->events->len == 2 && f->b->events->len == 2 && c->events->len == 2);
  g_assert_cmpuint (f->a->acks->len, ==, 2);
  g_assert_cmpuint (c->acks->len, ==, 2);

  /* past the hub's ack timeout: no syncerror, every ack matched */
  run_for (700);
  g_assert_cmpuint (f->hub_syncerrors, ==, 0);
  subs = admin (f, "GET", "/admin/subscribers");
  root = parse (subs);
  list = fcm_json_get_array (json_node_get_object (root), "subscribers");
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *s = fcm_json_array_get_object (list, i);
      gint64 pending = -1, missed = -1;

      g_assert_true (fcm_json_get_int (s, "acksPending", &pending));
      g_assert_cmpint (pending, ==, 0);
      g_assert_true (fcm_json_get_int (s, "missedAcks", &missed));
      g_assert_cmpint (missed, ==, 0);
      /* a number, not null: the hub matched an ack of ours */
      g_assert_true (json_object_has_member (s, "lastAckLatencyMs"));
      g_assert_true (JSON_NODE_TYPE (json_object_get_member (s, "lastAckLatencyMs")) == JSON_NODE_VALUE);
    }
  sub_unsubscribe (c);
  sub_free (c);
}

/* fcm_hub_client_set_frame_priority(): a busy main loop (a source of the
 * default priority always ready, as a GUI's views applying a burst) holds
 * back the handing on of frames, never their acks (C-28, C-29); once it
 * lets go, the frames are handed on in order, a few dozen a turn, with
 * sources of a higher priority (a window's redraw) run in between; and a
 * loop that is never free holds them back only so long. */
typedef struct
{
  Sub     *sub;
  gint64   released;     /* wall clock: when the busy loop let go */
  guint    read_before;  /* messages stamped as read before that */
  GString *order;        /* "m" per "message", "a" per "sent" ack */
  GArray  *between;      /* events handed on when a redraw-like source ran */
  guint    probe_id;
} FrameOrder;

static gboolean
busy_cb (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
order_message_cb (FcmHubClient *client,
                  FcmMessage   *message,
                  FrameOrder   *o)
{
  if (fcm_message_get_kind (message) != FCM_MESSAGE_EVENT)
    return;
  g_string_append_c (o->order, 'm');
  /* stamped when read, not when handed on (the timeline's receive time) */
  if (o->released != 0 && fcm_message_get_received_usec (message) < o->released)
    o->read_before++;
}

static void
order_sent_cb (FcmHubClient *client,
               const char   *what,
               const char   *id,
               guint         status,
               const char   *text,
               FrameOrder   *o)
{
  if (g_strcmp0 (what, "ack") == 0)
    g_string_append_c (o->order, 'a');
}

static gboolean
probe_cb (gpointer data)
{
  FrameOrder *o = data;
  guint n = o->sub->events->len;

  g_array_append_val (o->between, n);
  o->probe_id = 0;
  return G_SOURCE_REMOVE;
}

/* each event handed on asks for one run of a source at the redraw's priority */
static void
order_event_cb (FcmHubClient *client,
                FcmEvent     *event,
                FrameOrder   *o)
{
  if (o->probe_id == 0)
    o->probe_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, probe_cb, o, NULL);
}

static guint
acks_pending (Fixture *f)
{
  g_autofree char *subs = admin (f, "GET", "/admin/subscribers");
  g_autoptr(JsonNode) root = parse (subs);
  JsonArray *list = fcm_json_get_array (json_node_get_object (root), "subscribers");
  gint64 pending = 0, all = 0;

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_assert_true (fcm_json_get_int (fcm_json_array_get_object (list, i), "acksPending", &pending));
      all += pending;
    }
  return (guint) all;
}

static void
test_frame_priority (Fixture       *f,
                     gconstpointer  data)
{
  enum { N = 200 };
  FrameOrder o = { f->a, 0, 0, g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (guint)), 0 };
  guint busy_runs = 0, busy_id;
  GString *expected = g_string_new (NULL);

  /* no escalation in the first part, however slow the machine */
  fcm_hub_client_set_frame_priority (f->a->client, G_PRIORITY_HIGH_IDLE + 30, G_MAXUINT);
  g_signal_connect (f->a->client, "message", G_CALLBACK (order_message_cb), &o);
  g_signal_connect (f->a->client, "sent", G_CALLBACK (order_sent_cb), &o);
  g_signal_connect (f->a->client, "event", G_CALLBACK (order_event_cb), &o);
  sub_subscribe (f->a);

  busy_id = g_idle_add_full (G_PRIORITY_DEFAULT, busy_cb, &busy_runs, NULL);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *report = g_strdup_printf ("rpt-%u", i);
      g_autoptr(FcmEvent) open = open_event (f, report);

      g_assert_cmpuint (publish (f->b, open, NULL), ==, 200);
    }
  /* every event acked at the hub while none was handed on */
  FCM_TEST_WAIT_UNTIL (acks_pending (f) == 0);
  g_assert_cmpuint (f->a->events->len, ==, 0);
  g_assert_cmpuint (f->a->acks->len, ==, 0);
  g_assert_cmpuint (o.order->len, ==, 0);
  g_assert_cmpuint (busy_runs, >, 0);

  o.released = g_get_real_time ();
  g_source_remove (busy_id);
  FCM_TEST_WAIT_UNTIL (f->a->events->len == N);
  g_assert_cmpuint (o.read_before, ==, N);
  /* in order, each ack reported after its message (the event log's order) */
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *report = g_strdup_printf ("rpt-%u", i);
      FcmEvent *event = g_ptr_array_index (f->a->events, i);

      g_assert_cmpstr (fcm_json_get_string (fcm_event_lookup_resource (event, "report"), "id"), ==, report);
      g_string_append (expected, "ma");
    }
  g_assert_cmpstr (o.order->str, ==, expected->str);
  g_assert_cmpuint (f->a->acks->len, ==, N);
  /* a source of the redraw's priority ran while the frames were being handed on */
  g_assert_cmpuint (o.between->len, >, 0);
  g_assert_cmpuint (g_array_index (o.between, guint, 0), >, 0);
  g_assert_cmpuint (g_array_index (o.between, guint, 0), <, N);

  /* what was read is handed on before we leave the socket */
  busy_id = g_idle_add_full (G_PRIORITY_DEFAULT, busy_cb, &busy_runs, NULL);
  {
    g_autoptr(FcmEvent) close = close_event (f, "rpt-0");

    g_assert_cmpuint (publish (f->b, close, NULL), ==, 200);
  }
  FCM_TEST_WAIT_UNTIL (acks_pending (f) == 0);
  g_assert_cmpuint (f->a->events->len, ==, N);
  sub_unsubscribe (f->a);
  g_assert_cmpuint (f->a->events->len, ==, N + 1);
  g_source_remove (busy_id);

  /* a loop never free at a priority above the frames' (a redraw always
   * due): they wait at most the maximum wait, then take turns */
  fcm_hub_client_set_frame_priority (f->a->client, G_PRIORITY_HIGH_IDLE + 30, 20);
  sub_subscribe (f->a);
  busy_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, busy_cb, &busy_runs, NULL);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(FcmEvent) open = open_event (f, "rpt-late");

      g_assert_cmpuint (publish (f->b, open, NULL), ==, 200);
      run_for (2);
    }
  /* (subscribing again, the hub replays the report still open first: C-21) */
  FCM_TEST_WAIT_UNTIL (f->a->events->len >= N + 1 + 20 &&
                       g_strcmp0 (fcm_json_get_string (fcm_event_lookup_resource (g_ptr_array_index (f->a->events, f->a->events->len - 20), "report"), "id"), "rpt-late") == 0);
  g_source_remove (busy_id);

  g_clear_handle_id (&o.probe_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (f->a->client, &o);
  g_string_free (o.order, TRUE);
  g_string_free (expected, TRUE);
  g_array_unref (o.between);
}

/* C-69: heartbeats are acked and not reported as events */
static void
test_heartbeat_acked (Fixture       *f,
                      gconstpointer  data)
{
  fcm_hub_set_heartbeat (f->hub, 1);
  sub_subscribe (f->a);
  FCM_TEST_WAIT_UNTIL (f->a->acks->len >= 1);
  g_assert_cmpuint (f->a->events->len, ==, 0);
  g_assert_cmpint (fcm_hub_client_get_state (f->a->client), ==, FCM_CLIENT_STATE_ACTIVE);
}

/* C-28 policy 409 → the hub sends the others a syncerror (C-63), which is acked too */
static void
test_ack_409 (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(FcmEvent) open = open_event (f, "rpt-1");
  FcmEvent *se;

  fcm_hub_client_set_ack_policy (f->a->client, "diagnosticreport-OPEN", 409);
  g_assert_cmpuint (fcm_hub_client_get_ack_status (f->a->client, "DiagnosticReport-open"), ==, 409);
  g_assert_cmpuint (fcm_hub_client_get_ack_status (f->a->client, "DiagnosticReport-close"), ==, 200);
  sub_subscribe (f->a);
  sub_subscribe (f->b);
  g_assert_cmpuint (publish (f->b, open, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (f->b->syncerrors->len == 1);
  g_assert_cmpuint (f->a->syncerrors->len, ==, 0);
  se = g_ptr_array_index (f->b->syncerrors, 0);
  g_assert_nonnull (strstr (fcm_event_get_raw (se), "Client A"));
  g_assert_nonnull (strstr (fcm_event_get_raw (se), fcm_event_get_id (open)));
  {
    g_autofree char *expect = g_strdup_printf ("%s 409", fcm_event_get_id (open));
    g_autofree char *ack_se = g_strdup_printf ("%s 200", fcm_event_get_id (se));

    g_assert_cmpstr (g_ptr_array_index (f->a->acks, 0), ==, expect);
    /* B acked the open (200) and the syncerror */
    FCM_TEST_WAIT_UNTIL (f->b->acks->len == 2);
    g_assert_cmpstr (g_ptr_array_index (f->b->acks, 1), ==, ack_se);
  }
}

/* C-30 / C-60: 202, then a syncerror POST naming us, relayed to the other subscriber */
static void
test_ack_202_followup (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(FcmEvent) open = open_event (f, "rpt-1");
  const char *raw;

  fcm_hub_client_set_ack_policy (f->a->client, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, 202);
  sub_subscribe (f->a);
  sub_subscribe (f->b);
  g_assert_cmpuint (publish (f->b, open, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (f->b->syncerrors->len == 1);
  raw = fcm_event_get_raw (g_ptr_array_index (f->b->syncerrors, 0));
  g_assert_nonnull (strstr (raw, "https://fhircast.hl7.org/events/syncerror/subscribername"));
  g_assert_nonnull (strstr (raw, "Client A"));
  g_assert_nonnull (strstr (raw, fcm_event_get_id (open)));
  /* the hub relays a subscriber syncerror to everyone but its author (H-38) */
  run_for (200);
  g_assert_cmpuint (f->a->syncerrors->len, ==, 0);
  /* 202 is a success ack: the one syncerror is our own, relayed (not a hub-generated one) */
  g_assert_cmpuint (f->hub_syncerrors, ==, 1);
  g_assert_nonnull (strstr (raw, "Client A did not follow"));
}

/* C-20: denial → state denied, no retry */
static void
test_denial (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *answer = NULL;

  sub_subscribe (f->a);
  path = g_strdup_printf ("/admin/subscribers/%s/deny?reason=go%%20away", endpoint_id (f->a->client));
  answer = admin (f, "POST", path);
  FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (f->a->client) == FCM_CLIENT_STATE_DENIED);
  g_assert_cmpuint (f->a->n_denied, ==, 1);
  g_assert_cmpstr (f->a->denied, ==, "go away");
  run_for (500);
  g_assert_cmpint (fcm_hub_client_get_state (f->a->client), ==, FCM_CLIENT_STATE_DENIED);
  g_assert_false (sub_has_state (f->a, "reconnecting"));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, f->topic), ==, 0);
}

/* C-15: a refused subscribe is an error with the hub's reason; state error */
static void
test_subscribe_refused (Fixture       *f,
                        gconstpointer  data)
{
  fcm_hub_set_secret (f->hub, "s3cret");
  sub_subscribe (f->a);
  g_assert_error (f->a->error, FCM_ERROR, FCM_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (f->a->error->message, "s3cret"));
  g_assert_cmpint (fcm_hub_client_get_state (f->a->client), ==, FCM_CLIENT_STATE_ERROR);
  g_clear_error (&f->a->error);

  fcm_hub_client_set_token (f->a->client, "s3cret");
  sub_subscribe (f->a);
  g_assert_no_error (f->a->error);
  g_assert_cmpint (fcm_hub_client_get_state (f->a->client), ==, FCM_CLIENT_STATE_ACTIVE);
  g_assert_nonnull (fcm_hub_client_get_current_context (f->a->client));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/client/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("subscribe", test_subscribe);
  ADD ("posts-leave-no-connection", test_posts_leave_no_connection);
  ADD ("subscribe-refused", test_subscribe_refused);
  ADD ("builders-valid", test_builders_valid);
  ADD ("acks", test_acks);
  ADD ("heartbeat", test_heartbeat_acked);
  ADD ("frame-priority", test_frame_priority);
  ADD ("ack-409", test_ack_409);
  ADD ("ack-202-followup", test_ack_202_followup);
  ADD ("denial", test_denial);

  return g_test_run ();
}
