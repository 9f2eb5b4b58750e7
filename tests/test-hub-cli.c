/* test-hub-cli.c: the hub over TLS and `fhircast hub` as a process
 *
 * https:// and wss:// with a pinned self-signed certificate, in this
 * process and from the command line, and `fhircast hub` with its options:
 * the URL it prints, options it refuses, --users, --admin, --tokens and
 * --audit.
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

/* A self-signed P-256 certificate for 127.0.0.1, test use only (toolchain §6). */
static const char test_tls_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBmzCCAUGgAwIBAgIUfVB3fZxYayd/Pw4sF+lnQixC5JMwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjA1NTY0OFoYDzIxMjYxMDI5\n"
  "MDU1NjQ4WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAASxLyWynGF8wsvFUmizaXz1NcZvIMt9GvIvKFcHQrj5uWu6xzyFjL/z\n"
  "ZdkbRc/tUmwmS9L5azd5QfkhNRreQ9veo28wbTAdBgNVHQ4EFgQUz8bbwzVbD3tn\n"
  "yQxnoAiLB/MNX00wHwYDVR0jBBgwFoAUz8bbwzVbD3tnyQxnoAiLB/MNX00wDwYD\n"
  "VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI\n"
  "zj0EAwIDSAAwRQIhAOBaVPyQpOuZUOmf55xEKbk/lrOeLW3rnDhxIaCsagWiAiBb\n"
  "2o/8iQjfW1HDId2ofsZ4PqvG4qyR0BnQIplsco9dPw==\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpDSSTOwFUCEfiM5G\n"
  "lUlyd/QZFCufYp+B+f0hCWr9FcmhRANCAASxLyWynGF8wsvFUmizaXz1NcZvIMt9\n"
  "GvIvKFcHQrj5uWu6xzyFjL/zZdkbRc/tUmwmS9L5azd5QfkhNRreQ9ve\n"
  "-----END PRIVATE KEY-----\n";

static gboolean
accept_any_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              data)
{
  GTlsCertificate *expected = data;

  return g_tls_certificate_is_same (certificate, expected);
}

/* https:// and wss:// with a pinned self-signed certificate */
static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(FcmHub) hub = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) ws_msg = NULL;
  g_autoptr(Client) c = client_new ();
  g_autofree char *form = NULL;
  g_autofree char *body = NULL;
  Fixture f = { NULL, NULL, NULL, 0 };

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend");
      return;
    }

  cert = g_tls_certificate_new_from_pem (test_tls_pem, -1, &error);
  g_assert_no_error (error);
  hub = fcm_hub_new ();
  g_assert_true (fcm_hub_listen (hub, NULL, 0, cert, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fcm_hub_get_url (hub), "https://127.0.0.1:"));
  session = soup_session_new ();
  f.hub = hub;
  f.session = session;
  f.url = fcm_hub_get_url (hub);

  form = g_strdup ("hub.channel.type=websocket&hub.mode=subscribe&hub.topic=" TOPIC "&hub.events=syncerror");
  msg = soup_message_new ("POST", f.url);
  {
    g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), cert);
  g_assert_cmpuint (fcm_test_send (session, msg, &body), ==, 202);
  c->endpoint = endpoint_from_body (body);
  g_assert_true (g_str_has_prefix (c->endpoint, "wss://127.0.0.1:"));

  ws_msg = soup_message_new ("GET", c->endpoint);
  g_signal_connect (ws_msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), cert);
  soup_session_websocket_connect_async (session, ws_msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        client_connect_cb, c);
  FCM_TEST_WAIT_UNTIL (c->connect_done);
  g_assert_no_error (c->error);
  FCM_TEST_WAIT_UNTIL (client_find_mode (c, "subscribe") != NULL);

  fcm_hub_shutdown (hub);
  FCM_TEST_WAIT_UNTIL (client_is_closed (c));
  g_assert_cmpuint (soup_websocket_connection_get_close_code (c->ws), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

/* `fhircast hub`: first line is hub.url; SIGTERM exits 0 */
static void
test_cli (void)
{
  const char *cli = g_getenv ("FHIRCAST_CLI");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  if (cli == NULL)
    {
      g_test_skip ("FHIRCAST_CLI not set");
      return;
    }

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, cli, "hub", "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/fhircast"));
  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* `fhircast hub` as a process                                              */

/* Starts `fhircast hub ARGS…` and reads its first stdout line, the hub.url. */
static GSubprocess *
cli_spawn (char       **out_url,
           const char  *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *proc;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer)g_getenv ("FHIRCAST_CLI"));
  g_ptr_array_add (argv, (gpointer)"hub");
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *)argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  *out_url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out_url);
  return proc;
}

static void
cli_terminate (GSubprocess *proc)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

/* A blocking GET; returns the status and the body. */
static guint
cli_get (const char       *url,
         GTlsCertificate  *pinned,
         char            **out_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  if (pinned != NULL)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), pinned);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return soup_message_get_status (msg);
}

static gboolean
cli_available (void)
{
  if (g_getenv ("FHIRCAST_CLI") == NULL)
    {
      g_test_skip ("FHIRCAST_CLI not set");
      return FALSE;
    }
  return TRUE;
}

/* the hub answers .well-known at the URL it printed */
static void
test_cli_well_known (void)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *url = NULL;
  g_autofree char *wk = NULL;
  g_autofree char *body = NULL;

  if (!cli_available ())
    return;
  proc = cli_spawn (&url, "--port", "0", "--no-auth", NULL);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  wk = g_strconcat (url, "/.well-known/fhircast-configuration", NULL);
  g_assert_cmpuint (cli_get (wk, NULL, &body), ==, 200);
  g_assert_nonnull (strstr (body, "\"eventsSupported\""));
  cli_terminate (proc);
}

/* bad command lines: exit 64 (EX_USAGE) with a message on stderr */
static void
test_cli_bad_options (void)
{
  static const char * const cases[][5] = {
    { "--bogus", NULL },
    { "--port", "70000", NULL },
    { "--port", "x", NULL },
    { "--secret", "s", "--no-auth", NULL },
    { "--tokens", "tokens.ini", "--secret", "s", NULL },
    { "--tokens", "tokens.ini", "--no-auth", NULL },
    { "--tls-cert", "/nonexistent.pem", NULL },
    { "--admin", "--host", "0.0.0.0", NULL },
    { "--ack-timeout", "-1", NULL },
    { "--syncerror-resend", "0", NULL },
    { "--syncerror-resends", "-1", NULL },
    { "extra-argument", NULL },
  };

  if (!cli_available ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (argv, (gpointer)g_getenv ("FHIRCAST_CLI"));
      g_ptr_array_add (argv, (gpointer)"hub");
      for (guint j = 0; cases[i][j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer)cases[i][j]);
      g_ptr_array_add (argv, NULL);
      proc = g_subprocess_newv ((const char * const *)argv->pdata,
                                G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error));
      g_assert_no_error (error);
      g_test_message ("case %u: %s", i, err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 64);
      g_assert_true (g_str_has_prefix (err, "hub: "));
    }
}

/* --users and --admin through the command line */
static void
test_cli_users_admin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *topic2 = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *admin_file = NULL;
  g_autofree char *get = NULL;

  if (!cli_available ())
    return;
  dir = g_dir_make_tmp ("fcm-hub-cli-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "users.ini", NULL);
  g_assert_true (g_file_set_contents (path, "[Dr Smith]\nusers=joe;joe2\n", -1, &error));
  g_assert_no_error (error);
  admin_file = g_build_filename (dir, "admin-token", NULL);
  g_assert_true (g_file_set_contents (admin_file, "admin-token-3f9c\n", -1, &error));
  g_assert_no_error (error);

  proc = cli_spawn (&url, "--port", "0", "--secret", "S", "--users", path, "--admin", "--legacy",
                    "--admin-token-file", admin_file, "--syncerror-resend", "0.5", "--syncerror-resends", "2", NULL);
  base = g_strndup (url, strlen (url) - strlen ("/fhircast"));
  get = g_strconcat (base, "/gettopic?username=joe&secret=S", NULL);
  g_assert_cmpuint (cli_get (get, NULL, &topic), ==, 200);
  g_free (get);
  get = g_strconcat (base, "/authenticate?username=joe2&secret=S", NULL);
  g_assert_cmpuint (cli_get (get, NULL, &topic2), ==, 200);
  g_assert_cmpstr (topic, ==, topic2);
  g_assert_cmpuint (strlen (topic), ==, 36);
  /* admin is behind its own token (issue 14.4), not the shared secret */
  g_free (get);
  get = g_strconcat (base, "/admin/topics", NULL);
  g_assert_cmpuint (cli_get (get, NULL, &admin), ==, 401);
  cli_terminate (proc);

  g_assert_cmpint (g_unlink (admin_file), ==, 0);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --tokens and --audit through the command line; a bad tokens file exits 2 */
static void
test_cli_tokens_audit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *tokens = g_test_build_filename (G_TEST_DIST, "data", "hub-tokens.ini", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *url = NULL;
  g_autofree char *cur = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_auto(GStrv) lines = NULL;

  if (!cli_available ())
    return;
  dir = g_dir_make_tmp ("fcm-hub-cli-XXXXXX", &error);
  g_assert_no_error (error);
  audit = g_build_filename (dir, "audit.jsonl", NULL);
  bad = g_build_filename (dir, "bad.ini", NULL);

  proc = cli_spawn (&url, "--port", "0", "--tokens", tokens, "--audit", audit, NULL);
  cur = g_strconcat (url, "/", TOPIC, NULL);
  g_assert_cmpuint (cli_get (cur, NULL, NULL), ==, 401);
  session = soup_session_new ();
  msg = soup_message_new ("GET", cur);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", T_WATCHER);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);   /* known token, unknown topic */
  cli_terminate (proc);
  g_clear_object (&proc);

  g_assert_true (g_file_get_contents (audit, &text, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", text);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (lines[0], "\"transaction\":\"RAD-153\""));
  g_assert_nonnull (strstr (lines[0], "\"outcome\":401"));
  g_assert_nonnull (strstr (lines[1], "\"outcome\":404"));
  g_assert_nonnull (strstr (lines[1], "\"requester\":\"Desk Watcher\""));
  g_assert_null (strstr (text, "secret"));

  /* an invalid tokens file: exit 2 with the reason */
  g_assert_true (g_file_set_contents (bad, "[token a]\nsecret=x\nscopes=openid\n", -1, &error));
  g_assert_no_error (error);
  g_clear_object (&proc);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           g_getenv ("FHIRCAST_CLI"), "hub", "--tokens", bad, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  g_assert_nonnull (strstr (err, "openid"));

  g_assert_cmpint (g_unlink (audit), ==, 0);
  g_assert_cmpint (g_unlink (bad), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --tls-cert/--tls-key with a certificate made by openssl */
static void
test_cli_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *key = NULL;
  g_autofree char *url = NULL;
  g_autofree char *wk = NULL;

  if (!cli_available ())
    return;
  if (!(cert = fcm_test_make_certificate ("fcm-hub-tls", &dir, &pem, &key)))
    return;

  proc = cli_spawn (&url, "--port", "0", "--tls-cert", pem, "--tls-key", key, NULL);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  wk = g_strconcat (url, "/.well-known/fhircast-configuration", NULL);
  g_assert_cmpuint (cli_get (wk, cert, NULL), ==, 200);
  cli_terminate (proc);

  g_assert_cmpint (g_unlink (pem), ==, 0);
  g_assert_cmpint (g_unlink (key), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/hub/cli", test_cli);
  g_test_add_func ("/fcm/hub/tls", test_tls);
  g_test_add_func ("/fcm/hub/cli/well-known", test_cli_well_known);
  g_test_add_func ("/fcm/hub/cli/bad-options", test_cli_bad_options);
  g_test_add_func ("/fcm/hub/cli/users-admin", test_cli_users_admin);
  g_test_add_func ("/fcm/hub/cli/tls", test_cli_tls);
  g_test_add_func ("/fcm/hub/cli/tokens-audit", test_cli_tokens_audit);

  return g_test_run ();
}
