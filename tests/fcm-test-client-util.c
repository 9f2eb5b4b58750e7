/* fcm-test-client-util.c: FcmHubClient subscribers on a hub on loopback, for the test-client* programs
 *
 * The fixture (an FcmHub on 127.0.0.1 port 0 with two subscribers, a and
 * b), what each subscriber saw, publishing and the events published,
 * /admin/ requests, and running the `fhircast` program. Shared by
 * test-client.c, test-client-reconnect.c, test-client-monitor.c,
 * test-client-cli.c and test-client-hubs.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-client-util.h"

void
event_cb (FcmHubClient *client,
          FcmEvent     *event,
          Sub          *s)
{
  g_ptr_array_add (s->events, g_object_ref (event));
}

static void
syncerror_cb (FcmHubClient *client,
              FcmEvent     *event,
              Sub          *s)
{
  g_ptr_array_add (s->syncerrors, g_object_ref (event));
}

void
ack_cb (FcmHubClient *client,
        const char   *id,
        guint         status,
        Sub          *s)
{
  g_ptr_array_add (s->acks, g_strdup_printf ("%s %u", id, status));
}

static void
denied_cb (FcmHubClient *client,
           const char   *reason,
           Sub          *s)
{
  s->n_denied++;
  g_free (s->denied);
  s->denied = g_strdup (reason ? reason : "");
}

void
frame_cb (FcmHubClient   *client,
          const char     *text,
          FcmMessageKind  kind,
          Sub            *s)
{
  s->n_frames++;
}

void
state_cb (FcmHubClient *client,
          GParamSpec   *pspec,
          Sub          *s)
{
  g_ptr_array_add (s->states,
                   g_strdup (fcm_client_state_to_string (fcm_hub_client_get_state (client))));
}

Sub *
sub_new (Fixture    *f,
         const char *name)
{
  Sub *s = g_new0 (Sub, 1);

  s->client = fcm_hub_client_new (fcm_hub_get_url (f->hub), f->topic);
  fcm_hub_client_set_subscriber_name (s->client, name);
  fcm_hub_client_set_reconnect_delay (s->client, 20, 200);
  s->events = g_ptr_array_new_with_free_func (g_object_unref);
  s->syncerrors = g_ptr_array_new_with_free_func (g_object_unref);
  s->acks = g_ptr_array_new_with_free_func (g_free);
  s->states = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (s->client, "event", G_CALLBACK (event_cb), s);
  g_signal_connect (s->client, "syncerror", G_CALLBACK (syncerror_cb), s);
  g_signal_connect (s->client, "ack-sent", G_CALLBACK (ack_cb), s);
  g_signal_connect (s->client, "denied", G_CALLBACK (denied_cb), s);
  g_signal_connect (s->client, "frame", G_CALLBACK (frame_cb), s);
  g_signal_connect (s->client, "notify::state", G_CALLBACK (state_cb), s);
  return s;
}

void
sub_free (Sub *s)
{
  if (s == NULL)
    return;
  g_signal_handlers_disconnect_by_data (s->client, s);
  g_object_unref (s->client);
  g_ptr_array_unref (s->events);
  g_ptr_array_unref (s->syncerrors);
  g_ptr_array_unref (s->acks);
  g_ptr_array_unref (s->states);
  g_free (s->denied);
  g_clear_error (&s->error);
  g_free (s);
}

gboolean
sub_has_state (Sub        *s,
               const char *nick)
{
  for (guint i = 0; i < s->states->len; i++)
    if (g_str_equal (g_ptr_array_index (s->states, i), nick))
      return TRUE;
  return FALSE;
}

void
subscribe_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Sub *s = data;

  s->ok = fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &s->error);
  s->done = TRUE;
}

void
sub_subscribe (Sub *s)
{
  s->done = FALSE;
  fcm_hub_client_subscribe_async (s->client, NULL, subscribe_done_cb, s);
  FCM_TEST_WAIT_UNTIL (s->done);
}

void
unsubscribe_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  Sub *s = data;

  s->ok = fcm_hub_client_unsubscribe_finish (FCM_HUB_CLIENT (source), result, &s->error);
  s->done = TRUE;
}

void
sub_unsubscribe (Sub *s)
{
  s->done = FALSE;
  fcm_hub_client_unsubscribe_async (s->client, NULL, unsubscribe_done_cb, s);
  FCM_TEST_WAIT_UNTIL (s->done);
  g_assert_no_error (s->error);
  g_assert_true (s->ok);
}

void
publish_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Publish *p = data;

  p->status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result,
                                             &p->reason, &p->id, &p->error);
  p->done = TRUE;
}

guint
publish (Sub         *s,
         FcmEvent    *event,
         char       **out_id)
{
  Publish p = { 0 };

  fcm_hub_client_publish_async (s->client, event, NULL, publish_done_cb, &p);
  FCM_TEST_WAIT_UNTIL (p.done);
  g_assert_no_error (p.error);
  if (out_id != NULL)
    *out_id = g_steal_pointer (&p.id);
  g_free (p.id);
  g_free (p.reason);
  return p.status;
}

FcmEvent *
make_event (Fixture    *f,
            const char *name,
            JsonArray  *context)
{
  g_autofree char *id = g_uuid_string_random ();

  return fcm_event_new (id, NULL, f->topic, name, context, NULL, NULL);
}

FcmEvent *
open_event (Fixture    *f,
            const char *report)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_open (report, "pat-1", "st-1", "ACC-1", "MRN-1");

  return make_event (f, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
}

FcmEvent *
close_event (Fixture    *f,
             const char *report)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_close (report, "pat-1", "st-1");

  return make_event (f, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, ctx);
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Let the main loop run for @ms (no sleeping: the hub runs on this loop). */
void
run_for (guint ms)
{
  gboolean flag = FALSE;

  g_timeout_add (ms, set_flag_cb, &flag);
  FCM_TEST_WAIT_UNTIL (flag);
}

static void
http_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Http *h = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  h->status = soup_message_get_status (msg);
  h->body = body ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)) : g_strdup ("");
  h->done = TRUE;
}

char *
admin (Fixture    *f,
       const char *method,
       const char *path)
{
  g_autofree char *base = g_strdup (fcm_hub_get_url (f->hub));
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  Http h = { 0 };

  /* hub.url is …/fhircast; the admin paths live at the root */
  *strstr (base, FCM_HUB_BASE_PATH) = '\0';
  url = g_strconcat (base, path, NULL);
  msg = soup_message_new (method, url);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, http_done_cb, &h);
  FCM_TEST_WAIT_UNTIL (h.done);
  g_assert_cmpuint (h.status, ==, 200);
  return h.body;
}

const char *
endpoint_id (FcmHubClient *client)
{
  const char *endpoint = fcm_hub_client_get_endpoint (client);

  g_assert_nonnull (endpoint);
  return strrchr (endpoint, '/') + 1;
}

static void
hub_syncerror_cb (FcmHub     *hub,
                  const char *topic,
                  const char *diagnostics,
                  Fixture    *f)
{
  f->hub_syncerrors++;
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = fcm_hub_new ();
  fcm_hub_set_admin (f->hub, TRUE);
  fcm_hub_set_ack_timeout (f->hub, 0.5);
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (f->hub, "syncerror", G_CALLBACK (hub_syncerror_cb), f);
  f->session = soup_session_new ();
  f->topic = g_uuid_string_random ();
  f->a = sub_new (f, "Client A");
  f->b = sub_new (f, "Client B");
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sub_free (f->a);
  sub_free (f->b);
  g_signal_handlers_disconnect_by_data (f->hub, f);
  fcm_hub_shutdown (f->hub);
  g_object_unref (f->hub);
  g_object_unref (f->session);
  g_free (f->topic);
  /* let pending closes finish */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = fcm_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return node;
}

static void
cli_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Cli *c = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (G_SUBPROCESS (source)));
  c->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  c->done = TRUE;
}

GSubprocess *
cli_start (Cli                *c,
           const char * const *args)
{
  const char *cli = g_getenv ("FHIRCAST_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, cli_done_cb, c);
  return proc;
}

int
cli_run (Cli                *c,
         const char * const *args)
{
  g_autoptr(GSubprocess) proc = cli_start (c, args);

  FCM_TEST_WAIT_UNTIL (c->done);
  return c->status;
}

void
cli_clear (Cli *c)
{
  g_clear_pointer (&c->out, g_free);
  g_clear_pointer (&c->err, g_free);
  c->done = FALSE;
  c->status = -1;
}
