/* test-hub-tokens.c: the hub's shared secret, per-app tokens and audit trail
 *
 * --secret, --tokens (who may subscribe to and publish which events, the
 * lease a token allows, a tokens file the hub refuses) and --audit, the
 * ATNA-style record of who did what (H-03, H-09, H-40). Every test starts
 * its own FcmHub on 127.0.0.1 port 0 and talks to it with SoupSession (HTTP
 * and WebSocket).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-hub-util.h"

/* auth and limits */
static void
test_secret (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *wk = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);
  const char *form = "hub.channel.type=websocket&hub.mode=subscribe&hub.topic=" TOPIC "&hub.events=syncerror";

  fcm_hub_set_secret (f->hub, "s3cret");
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               "Bearer s3cre", NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               "Bearer s3cretX", NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               "Bearer s3cret", NULL), ==, 202);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, "Bearer s3cret", NULL), ==, 200);
  g_assert_cmpuint (http (f, "GET", wk, NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", wk, NULL, NULL, 0, "Bearer s3cret", NULL), ==, 200);
}

/* ---- per-app tokens (H-03, H-09) and the audit trail (H-40) ---- */

static void
fixture_setup_tokens (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "hub-tokens.ini", NULL);

  fixture_setup (f, data);
  g_assert_true (fcm_hub_load_tokens (f->hub, path, &error));
  g_assert_no_error (error);
  f->audit = g_memory_output_stream_new_resizable ();
  fcm_hub_set_audit_stream (f->hub, f->audit);
}

/* Subscribes with @auth; on 202 connects *out_client and waits for the confirmation. */
static guint
token_subscribe (Fixture     *f,
                 const char  *auth,
                 const char  *name,
                 const char  *events,
                 const char  *lease,
                 char       **out_body,
                 Client     **out_client)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  g_autofree char *body = NULL;
  guint status;

  g_hash_table_insert (form, (gpointer)"hub.channel.type", (gpointer)"websocket");
  g_hash_table_insert (form, (gpointer)"hub.mode", (gpointer)"subscribe");
  g_hash_table_insert (form, (gpointer)"hub.topic", (gpointer)TOPIC);
  g_hash_table_insert (form, (gpointer)"hub.events", (gpointer)events);
  g_hash_table_insert (form, (gpointer)"subscriber.name", (gpointer)name);
  if (lease != NULL)
    g_hash_table_insert (form, (gpointer)"hub.lease_seconds", (gpointer)lease);
  encoded = soup_form_encode_hash (form);
  status = http_full (f, "POST", f->url, "application/x-www-form-urlencoded", encoded, strlen (encoded),
                      auth, &body);
  if (status == 202 && out_client != NULL)
    {
      Client *c = client_new ();

      c->endpoint = endpoint_from_body (body);
      c->auth = g_strdup (auth);
      g_assert_true (client_connect (f, c, c->endpoint));
      FCM_TEST_WAIT_UNTIL (client_find_mode (c, "subscribe") != NULL);
      *out_client = c;
    }
  if (out_body != NULL)
    *out_body = g_steal_pointer (&body);
  return status;
}

static guint
token_post_json (Fixture     *f,
                 const char  *auth,
                 const char  *text,
                 char       **out_body)
{
  return http_full (f, "POST", f->url, "application/json", text, strlen (text), auth, out_body);
}

/* H-03: missing / unknown / expired token → 401 with a reason; scopes gate
 * subscribe (.read), publish (.write) and Get Current Context. */
static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);
  g_autofree char *wk = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  g_autofree char *body = NULL;
  g_autofree char *open = open_event ("tok-open-1", "rpt-t1", "pat-1", "st-1");
  g_autoptr(Client) watcher = NULL;
  g_autoptr(Client) creator = NULL;
  g_autoptr(JsonNode) root = NULL;

  /* 401: no token, a wrong one, an expired one, the static secret is not used */
  fcm_hub_set_secret (f->hub, "s3cret");
  g_assert_cmpuint (token_subscribe (f, NULL, "W", "syncerror", NULL, &body, NULL), ==, 401);
  g_assert_nonnull (strstr (body, "missing"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (token_subscribe (f, "Bearer s3cret", "W", "syncerror", NULL, &body, NULL), ==, 401);
  g_assert_nonnull (strstr (body, "unknown"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (token_subscribe (f, "Bearer watcher-secret-7d02a", "W", "syncerror", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (token_subscribe (f, T_EXPIRED, "W", "syncerror", NULL, &body, NULL), ==, 401);
  g_assert_nonnull (strstr (body, "expired"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_EXPIRED, NULL), ==, 401);
  g_assert_cmpuint (token_post_json (f, NULL, open, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", wk, NULL, NULL, 0, "Bearer nope", NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", wk, NULL, NULL, 0, T_WATCHER, NULL), ==, 200);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, NULL), ==, 0);

  /* subscribing needs .read for every requested event: 403 naming the scope */
  g_assert_cmpuint (token_subscribe (f, T_WATCHER, "Watcher", "DiagnosticReport-open,DiagnosticReport-update",
                                     NULL, &body, NULL), ==, 403);
  g_assert_nonnull (strstr (body, "fhircast/DiagnosticReport-update.read"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (token_subscribe (f, T_PUBLISHER, "P", "DiagnosticReport-open", NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, NULL), ==, 0);

  /* a read-only token subscribes (event names case-insensitive) but cannot publish */
  g_assert_cmpuint (token_subscribe (f, T_WATCHER, "Watcher", "diagnosticreport-open,SyncError", NULL, NULL,
                                     &watcher), ==, 202);
  g_assert_cmpuint (token_subscribe (f, T_CREATOR, "Creator", ALL_EVENTS, NULL, NULL, &creator), ==, 202);
  g_assert_cmpuint (token_post_json (f, T_WATCHER, open, &body), ==, 403);
  g_assert_nonnull (strstr (body, "fhircast/DiagnosticReport-open.write"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (client_count (watcher, "DiagnosticReport-open"), ==, 0);

  /* a write-only token publishes; the read-only one receives */
  g_assert_cmpuint (token_post_json (f, T_PUBLISHER, open, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (watcher, "DiagnosticReport-open") == 1 &&
                       client_count (creator, "DiagnosticReport-open") == 1);
  g_assert_cmpstr (frame_get (client_last (watcher, "DiagnosticReport-open"), "id"), ==, "tok-open-1");

  /* Get Current Context: some read scope needed; only what the scopes allow */
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_PUBLISHER, &body), ==, 403);
  g_assert_nonnull (strstr (body, "read"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_WATCHER, &body), ==, 200);
  root = fcm_json_parse (body, -1, NULL);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (root), "context.type"), ==, "DiagnosticReport");
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_PATIENT, &body), ==, 200);
  root = fcm_json_parse (body, -1, NULL);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (root), "context.type"), ==, "");
  g_assert_cmpuint (json_array_get_length (fcm_json_get_array (json_node_get_object (root), "context")), ==, 0);
  g_assert_null (strstr (body, "pat-1"));
}

/* H-09: the lease is capped at the token's lifetime; at expiry the
 * subscription ends with a denial and a close. */
static void
test_tokens_lease (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) c = NULL;
  g_autoptr(Client) other = NULL;
  JsonNode *denial;
  gint64 lease = 0;

  g_assert_cmpuint (token_subscribe (f, T_SHORT, "Short", "syncerror", "3600", NULL, &c), ==, 202);
  g_assert_cmpuint (token_subscribe (f, T_CREATOR, "Creator", "syncerror", "3600", NULL, &other), ==, 202);
  g_assert_true (fcm_json_get_int (json_node_get_object (client_find_mode (c, "subscribe")),
                                   "hub.lease_seconds", &lease));
  g_assert_cmpint (lease, >=, 1);
  g_assert_cmpint (lease, <=, 2);
  g_assert_true (fcm_json_get_int (json_node_get_object (client_find_mode (other, "subscribe")),
                                   "hub.lease_seconds", &lease));
  g_assert_cmpint (lease, ==, 3600);

  FCM_TEST_WAIT_UNTIL (client_is_closed (c));
  denial = client_find_mode (c, "denied");
  g_assert_nonnull (denial);
  g_assert_cmpstr (frame_get (denial, "hub.reason"), ==, "access token expired");
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
  g_assert_false (client_is_closed (other));

  /* and the token is refused from now on */
  g_assert_cmpuint (token_subscribe (f, T_SHORT, "Short", "syncerror", NULL, NULL, NULL), ==, 401);
}

/* A bad tokens file is an error and keeps the tokens loaded before. */
static void
test_tokens_file_errors (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const bad[] = {
    "",
    "[token a]\nscopes=fhircast/*.read\n",
    "[token a]\nsecret=x\n",
    "[token a]\nsecret=x\nscopes=patient/*.read\n",
    "[token a]\nsecret=x\nscopes=fhircast/Patient-open.readwrite\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nexpires=2030-01-01T00:00:00\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nlifetime=0\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nlifetime=10\nexpires=2030-01-01T00:00:00Z\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nscope=fhircast/*.write\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\n[token b]\nsecret=x\nscopes=fhircast/*.read\n",
    "[a]\nsecret=x\nscopes=fhircast/*.read\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nname=\n",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-hub-tokens-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tokens.ini", NULL);
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_true (g_file_set_contents (path, bad[i], -1, &error));
      g_assert_no_error (error);
      g_assert_false (fcm_hub_load_tokens (f->hub, path, &error));
      g_assert_nonnull (error);
      g_test_message ("case %u: %s", i, error->message);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);
    }
  /* the fixture's tokens are still in force */
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_WATCHER, NULL), ==, 404);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* H-40: one JSON line per audited transaction, in order, with the token's
 * name as requester; no secret, no full endpoint id. */
static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  static const struct { const char *transaction; guint outcome; const char *requester; } expected[] = {
    { "RAD-146", 202, "Desk Watcher" },
    { "RAD-146", 401, "127.0.0.1" },
    { "RAD-148", 403, "Desk Watcher" },
    { "RAD-148", 200, "ACME Report Creator" },
    { "RAD-153", 200, "Desk Watcher" },
    { "RAD-153", 401, "127.0.0.1" },
    { "RAD-152", 202, "Desk Watcher" },
  };
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);
  g_autofree char *open = open_event ("audit-open-1", "rpt-a1", "pat-1", "st-1");
  g_autofree char *form = NULL;
  g_autofree char *text = NULL;
  g_autoptr(Client) c = NULL;
  g_auto(GStrv) lines = NULL;
  const char *id;

  g_assert_cmpuint (token_subscribe (f, T_WATCHER, "Watcher GTK", "DiagnosticReport-open,syncerror", NULL, NULL,
                                     &c), ==, 202);
  g_assert_cmpuint (token_subscribe (f, "Bearer bogus", "Watcher GTK", "syncerror", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (token_post_json (f, T_WATCHER, open, NULL), ==, 403);
  g_assert_cmpuint (token_post_json (f, T_CREATOR, open, NULL), ==, 200);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_WATCHER, NULL), ==, 200);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_EXPIRED, NULL), ==, 401);
  /* not audited: discovery */
  g_assert_cmpuint (http_full (f, "GET", f->url, NULL, NULL, 0, T_WATCHER, NULL), ==, 404);
  form = g_strdup_printf ("hub.channel.type=websocket&hub.mode=unsubscribe&hub.topic=" TOPIC
                          "&hub.channel.endpoint=%s", c->endpoint);
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               T_WATCHER, NULL), ==, 202);

  FCM_TEST_WAIT_UNTIL (fcm_hub_get_audit_pending (f->hub) == 0);
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (f->audit)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (f->audit)));
  g_test_message ("%s", text);
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = fcm_json_parse (lines[i], -1, &error);
      g_autoptr(GDateTime) time = NULL;
      JsonObject *obj;
      gint64 outcome = 0;

      g_assert_no_error (error);
      obj = json_node_get_object (root);
      g_assert_cmpstr (fcm_json_get_string (obj, "transaction"), ==, expected[i].transaction);
      g_assert_true (fcm_json_get_int (obj, "outcome", &outcome));
      g_assert_cmpint (outcome, ==, expected[i].outcome);
      g_assert_cmpstr (fcm_json_get_string (obj, "requester"), ==, expected[i].requester);
      g_assert_cmpstr (fcm_json_get_string (obj, "address"), ==, "127.0.0.1");
      g_assert_cmpstr (fcm_json_get_string (obj, "topic"), ==, TOPIC);
      time = g_date_time_new_from_iso8601 (fcm_json_get_string (obj, "time"), NULL);
      g_assert_nonnull (time);
      g_assert_true (g_str_has_suffix (fcm_json_get_string (obj, "time"), "Z"));
    }
  /* the subscriber's name and the event are there; secrets and endpoint ids are not */
  g_assert_nonnull (strstr (lines[0], "\"subscriber\":\"Watcher GTK\""));
  g_assert_nonnull (strstr (lines[3], "\"eventId\":\"audit-open-1\""));
  g_assert_nonnull (strstr (lines[3], "\"event\":\"DiagnosticReport-open\""));
  g_assert_nonnull (strstr (lines[6], "\"action\":\"unsubscribe\""));
  id = strrchr (c->endpoint, '/') + 1;
  g_assert_null (strstr (text, id));
  g_assert_null (strstr (text, "secret"));
  g_assert_null (strstr (text, "bogus"));
}

/* Without tokens the requester is subscriber.name or the address. */
static void
test_audit_no_tokens (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GOutputStream) audit = g_memory_output_stream_new_resizable ();
  g_autoptr(Client) c = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);

  fcm_hub_set_audit_stream (f->hub, audit);
  c = subscribe (f, "Desk Watcher GTK", "syncerror");
  g_assert_cmpuint (http (f, "GET", cur, NULL, NULL, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (fcm_hub_get_audit_pending (f->hub) == 0);
  fcm_hub_set_audit_stream (f->hub, NULL);
  g_assert_cmpuint (http (f, "GET", cur, NULL, NULL, NULL), ==, 200);   /* not recorded */

  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (audit)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (audit)));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\"transaction\":\"RAD-146\""));
  g_assert_nonnull (strstr (text, "\"requester\":\"Desk Watcher GTK\""));
  g_assert_nonnull (strstr (text, "\"requesterType\":\"subscriber.name\""));
  g_assert_nonnull (strstr (text, "\"transaction\":\"RAD-153\""));
  g_assert_nonnull (strstr (text, "\"requester\":\"127.0.0.1\""));
  g_assert_nonnull (strstr (text, "\"requesterType\":\"address\""));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);   /* two records and the final newline */
  g_assert_null (strstr (text, strrchr (c->endpoint, '/') + 1));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/hub/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("auth/secret", test_secret);
  ADD ("audit/no-tokens", test_audit_no_tokens);
#undef ADD
#define ADD_TOKENS(path, fn) g_test_add ("/fcm/hub/" path, Fixture, NULL, fixture_setup_tokens, fn, fixture_teardown)
  ADD_TOKENS ("auth/tokens", test_tokens);
  ADD_TOKENS ("auth/tokens-lease", test_tokens_lease);
  ADD_TOKENS ("auth/tokens-file-errors", test_tokens_file_errors);
  ADD_TOKENS ("audit/tokens", test_audit);
#undef ADD_TOKENS

  return g_test_run ();
}
