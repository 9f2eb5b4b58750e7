/* test-cli-security.c: what the `fhircast` commands print, and where secrets come from
 *
 * Issue 14 points 6 and 11, with the built `fhircast` run as processes and
 * G_MESSAGES_DEBUG=all: log output goes to stderr (stdout stays the hub's
 * URL, watch's NDJSON); tokens come from files or FHIRCAST_TOKEN and never
 * appear in any output, log or audit record, nor does a full endpoint id;
 * a token on the command line is warned about; plain http:// off this
 * machine is refused. Only loopback addresses are contacted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fcm-json-private.h"
#include "fcm-test-util.h"

#define READER_SECRET "reader-token-7c41e9b2"
#define WRITER_SECRET "writer-token-0d5fa613"
#define ADMIN_SECRET "admin-token-e28b5c70"
#define HUB_SECRET "hub-secret-4b19d7c3"

typedef struct
{
  char *dir;
  char *out;        /* the command's stdout, as written */
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "FHIRCAST_TOKEN");
  return launcher;
}

static GPtrArray *
argv_new (const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("FHIRCAST_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs `fhircast ARGS…` to its end; @token (nullable) as FHIRCAST_TOKEN. */
static void
run_cli (Run                *run,
         const char         *token,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                          G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = argv_new (args);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, "FHIRCAST_TOKEN", token, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);
}

/* `fhircast hub ARGS…` with its stdout and stderr in files of @dir (a pipe
 * could fill up with debug output and block it); its first line is its URL. */
typedef struct
{
  GSubprocess *proc;
  char        *out_path;
  char        *err_path;
  char        *url;
} Hub;

static void
hub_start (Hub                *hub,
           const char         *dir,
           const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) (10 * G_USEC_PER_SEC * fcm_test_timeout_scale ());

  hub->out_path = g_build_filename (dir, "hub.out", NULL);
  hub->err_path = g_build_filename (dir, "hub.err", NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, hub->out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, hub->err_path);
  g_ptr_array_add (argv, (gpointer) g_getenv ("FHIRCAST_CLI"));
  g_ptr_array_add (argv, (gpointer) "hub");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  hub->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  while (hub->url == NULL)
    {
      g_autofree char *out = NULL;
      const char *newline;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (g_file_get_contents (hub->out_path, &out, NULL, NULL) && (newline = strchr (out, '\n')) != NULL)
        hub->url = g_strndup (out, newline - out);
      else
        g_usleep (10000);
    }
}

/* Stops the hub; returns what it wrote (out and err). */
static void
hub_stop (Hub  *hub,
          Run  *run)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (hub->proc, SIGTERM);
  g_assert_true (g_subprocess_wait (hub->proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (hub->proc));
  run->status = g_subprocess_get_exit_status (hub->proc);
  g_assert_true (g_file_get_contents (hub->out_path, &run->out, NULL, NULL));
  g_assert_true (g_file_get_contents (hub->err_path, &run->err, NULL, NULL));
  g_assert_cmpint (g_unlink (hub->out_path), ==, 0);
  g_assert_cmpint (g_unlink (hub->err_path), ==, 0);
  g_clear_object (&hub->proc);
  g_free (hub->out_path);
  g_free (hub->err_path);
  g_free (hub->url);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* None of @secrets (NULL-terminated) is in @text (named @what). */
static void
assert_no_secret (const char         *what,
                  const char         *text,
                  const char * const *secrets)
{
  for (guint i = 0; secrets[i] != NULL; i++)
    if (text != NULL && strstr (text, secrets[i]) != NULL)
      g_error ("%s shows the secret %.6s…", what, secrets[i]);
}

/* Every line of @text is a JSON object. */
static void
assert_ndjson (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_true (g_str_has_suffix (text, "\n"));
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonNode) root = fcm_json_parse (lines[i], -1, NULL);

      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        g_error ("not an NDJSON line: %s", lines[i]);
    }
}

/* ------------------------------------------------------------------------ */

/* Issue 14.6: with G_MESSAGES_DEBUG=all the hub's stdout is its URL alone
 * and watch's is NDJSON alone: the debug lines (GLib's default writer put
 * them on stdout) go to stderr. */
static void
test_logs_on_stderr (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-cli-log-XXXXXX", &error);
  g_auto(Run) hub_run = { NULL, };
  g_auto(Run) watch = { NULL, };
  g_auto(Run) publish = { NULL, };
  g_autoptr(GSubprocess) watcher = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *expected = NULL;
  Hub hub = { NULL, };

  g_assert_no_error (error);
  hub_start (&hub, dir, (const char *[]) { "--port", "0", NULL });
  g_assert_true (g_str_has_prefix (hub.url, "http://127.0.0.1:"));
  expected = g_strconcat (hub.url, "\n", NULL);

  /* watch until one event, while it is published */
  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  watcher = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("FHIRCAST_CLI"), "watch", "--hub", hub.url,
                                         "--topic", "log-topic", "--count", "1", "--timeout", "30", NULL);
  g_assert_no_error (error);
  /* publish once the topic exists (watch subscribed); an open that comes
   * before watch's socket is replayed to it on connect (H-12) */
  for (guint tries = 0; ; tries++)
    {
      run_cli (&publish, NULL, (const char *[]) { "publish", "--hub", hub.url, "--topic", "log-topic",
                                                  "DiagnosticReport-open", "--report", "r1", "--patient", "p1",
                                                  "--study", "s1", "--mrn", "m1", "--accession", "a1", NULL });
      if (publish.status == 0)
        break;
      g_assert_cmpuint (tries, <, 500 * fcm_test_timeout_scale ());
      run_clear (&publish);
      g_usleep (20000);
    }
  assert_ndjson (publish.out);
  g_assert_nonnull (strstr (publish.err, "DEBUG"));   /* the debug output is there, on stderr */
  g_subprocess_communicate_utf8 (watcher, NULL, NULL, &watch.out, &watch.err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (watcher), ==, 0);
  assert_ndjson (watch.out);
  g_assert_nonnull (strstr (watch.out, "\"kind\":\"event\""));
  g_assert_nonnull (strstr (watch.err, "DEBUG"));

  hub_stop (&hub, &hub_run);
  g_assert_cmpint (hub_run.status, ==, 0);
  g_assert_cmpstr (hub_run.out, ==, expected);
  g_assert_nonnull (strstr (hub_run.err, "DEBUG"));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static char *
admin_endpoint_id (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *admin = g_strdup_printf ("%.*s/admin/subscribers", (int) (strlen (url) - strlen ("/fhircast")),
                                            url);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", admin);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *subscribers;
  JsonObject *first;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " ADMIN_SECRET);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = fcm_json_parse (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL);
  subscribers = fcm_json_get_array (json_node_get_object (root), "subscribers");
  if (json_array_get_length (subscribers) == 0)
    return NULL;
  first = json_array_get_object_element (subscribers, 0);
  if (!json_object_get_boolean_member (first, "connected"))
    return NULL;
  return g_strdup (fcm_json_get_string (first, "endpoint"));
}

/* Issue 14.11: tokens from a file or FHIRCAST_TOKEN; none of them, the
 * admin token or the subscription's full endpoint id in anything the hub,
 * watch, publish and context write (stdout, stderr with every debug
 * message, the audit trail), nor on their command lines. */
static void
test_secrets_stay_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-cli-secrets-XXXXXX", &error);
  g_autofree char *tokens = NULL;
  g_autofree char *reader = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *audit = g_build_filename (dir, "audit.jsonl", NULL);
  g_autofree char *audit_text = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *cmdline_path = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) watcher = NULL;
  g_auto(Run) hub_run = { NULL, };
  g_auto(Run) watch = { NULL, };
  g_auto(Run) publish = { NULL, };
  g_auto(Run) context = { NULL, };
  const char *secrets[] = { READER_SECRET, WRITER_SECRET, ADMIN_SECRET, NULL, NULL };
  Hub hub = { NULL, };
  gint64 deadline;

  g_assert_no_error (error);
  tokens = write_file (dir, "tokens.ini",
                       "[token reader]\nname=Watcher\nsecret=" READER_SECRET "\nscopes=fhircast/*.read\n"
                       "[token writer]\nname=Publisher\nsecret=" WRITER_SECRET "\nscopes=fhircast/*.write\n");
  reader = write_file (dir, "reader.token", READER_SECRET "\n");
  admin = write_file (dir, "admin.token", ADMIN_SECRET "\n");
  hub_start (&hub, dir, (const char *[]) { "--port", "0", "--tokens", tokens, "--admin", "--admin-token-file",
                                           admin, "--audit", audit, NULL });

  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  watcher = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("FHIRCAST_CLI"), "watch", "--hub", hub.url,
                                         "--topic", "secret-topic", "--token-file", reader, "--count", "1",
                                         "--timeout", "30", NULL);
  g_assert_no_error (error);
  /* its endpoint, from the admin API, once its socket is up */
  deadline = g_get_monotonic_time () + (gint64) (10 * G_USEC_PER_SEC * fcm_test_timeout_scale ());
  while ((endpoint = admin_endpoint_id (hub.url)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  secrets[3] = endpoint;
  g_assert_cmpuint (strlen (endpoint), ==, 32);

  /* the hub's command line carries no secret */
  cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (hub.proc));
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, NULL, NULL));
  assert_no_secret ("the hub's command line", cmdline, secrets);

  run_cli (&publish, WRITER_SECRET, (const char *[]) { "publish", "--hub", hub.url, "--topic", "secret-topic",
                                                        "DiagnosticReport-open", "--report", "r1", "--patient",
                                                        "p1", "--study", "s1", "--mrn", "m1", "--accession", "a1",
                                                        NULL });
  g_assert_cmpint (publish.status, ==, 0);
  g_subprocess_communicate_utf8 (watcher, NULL, NULL, &watch.out, &watch.err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (watcher), ==, 0);
  g_assert_nonnull (strstr (watch.out, "\"kind\":\"event\""));
  run_cli (&context, NULL, (const char *[]) { "context", "--hub", hub.url, "--topic", "secret-topic",
                                              "--token-file", reader, NULL });
  g_assert_cmpint (context.status, ==, 0);
  hub_stop (&hub, &hub_run);
  g_assert_true (g_file_get_contents (audit, &audit_text, NULL, NULL));
  g_assert_nonnull (strstr (audit_text, "\"requester\":\"Publisher\""));

  assert_no_secret ("hub stdout", hub_run.out, secrets);
  assert_no_secret ("hub stderr", hub_run.err, secrets);
  assert_no_secret ("watch stdout", watch.out, secrets);
  assert_no_secret ("watch stderr", watch.err, secrets);
  assert_no_secret ("publish stdout", publish.out, secrets);
  assert_no_secret ("publish stderr", publish.err, secrets);
  assert_no_secret ("context stdout", context.out, secrets);
  assert_no_secret ("context stderr", context.err, secrets);
  assert_no_secret ("the audit trail", audit_text, secrets);
  /* and the logs were on: the debug output is really there */
  g_assert_nonnull (strstr (hub_run.err, "DEBUG"));
  g_assert_nonnull (strstr (watch.err, "DEBUG"));

  for (const char *const *path = (const char *const[]) { tokens, reader, admin, audit, NULL }; *path != NULL; path++)
    g_assert_cmpint (g_unlink (*path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Issue 14.11: `fhircast hub --secret-file` and `gettopic --secret-file`:
 * the secret comes from a file, works, is on no command line and in no
 * output; a client without it gets 401 (exit 1), with it from
 * FHIRCAST_TOKEN or --token-file 200. */
static void
test_secret_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-cli-secret-file-XXXXXX", &error);
  g_autofree char *secret = NULL;
  g_autofree char *users = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *cmdline_path = NULL;
  g_auto(Run) hub_run = { NULL, };
  g_auto(Run) none = { NULL, };
  g_auto(Run) from_env = { NULL, };
  g_auto(Run) from_file = { NULL, };
  g_auto(Run) topic = { NULL, };
  const char *secrets[] = { HUB_SECRET, NULL };
  Hub hub = { NULL, };

  g_assert_no_error (error);
  secret = write_file (dir, "hub.secret", HUB_SECRET "\n");
  users = write_file (dir, "users.ini", "[Dr Smith]\nusers=joe\n");
  hub_start (&hub, dir, (const char *[]) { "--port", "0", "--secret-file", secret, "--users", users, NULL });
  cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (hub.proc));
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, NULL, NULL));
  assert_no_secret ("the hub's command line", cmdline, secrets);

  run_cli (&none, NULL, (const char *[]) { "gettopic", "--hub", hub.url, "--user", "joe", NULL });
  g_assert_cmpint (none.status, ==, 1);
  run_cli (&topic, NULL, (const char *[]) { "gettopic", "--hub", hub.url, "--user", "joe", "--secret-file", secret,
                                            NULL });
  g_assert_cmpint (topic.status, ==, 0);
  g_strchomp (topic.out);
  g_assert_cmpuint (strlen (topic.out), ==, 36);   /* a UUID */
  run_clear (&none);
  run_cli (&none, NULL, (const char *[]) { "context", "--hub", hub.url, "--topic", topic.out, NULL });
  g_assert_cmpint (none.status, ==, 1);
  g_assert_nonnull (strstr (none.err, "401"));
  /* the topic exists once somebody subscribed or published: either way
   * the answer is the hub's, not a 401 */
  run_cli (&from_env, HUB_SECRET, (const char *[]) { "context", "--hub", hub.url, "--topic", topic.out, NULL });
  g_assert_null (strstr (from_env.err, "401"));
  run_cli (&from_file, NULL, (const char *[]) { "context", "--hub", hub.url, "--topic", topic.out, "--token-file",
                                                secret, NULL });
  g_assert_null (strstr (from_file.err, "401"));
  g_assert_cmpint (from_file.status, ==, from_env.status);
  /* no warning: nothing secret was on a command line */
  g_assert_null (strstr (from_file.err, "warning"));
  g_assert_null (strstr (topic.err, "warning"));
  hub_stop (&hub, &hub_run);

  assert_no_secret ("hub output", hub_run.out, secrets);
  assert_no_secret ("hub stderr", hub_run.err, secrets);
  assert_no_secret ("context stderr", from_env.err, secrets);
  assert_no_secret ("context stdout", from_env.out, secrets);
  assert_no_secret ("context stderr", from_file.err, secrets);
  assert_no_secret ("gettopic stderr", topic.err, secrets);
  assert_no_secret ("gettopic stdout", topic.out, secrets);

  g_assert_cmpint (g_unlink (secret), ==, 0);
  g_assert_cmpint (g_unlink (users), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A secret on the command line still works, with a warning; the two ways
 * of giving the token exclude each other. */
static void
test_command_line_secret_warns (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-cli-warn-XXXXXX", &error);
  g_autofree char *file = NULL;
  g_auto(Run) hub_run = { NULL, };
  g_auto(Run) context = { NULL, };
  g_auto(Run) both = { NULL, };
  g_auto(Run) hub_secret = { NULL, };
  Hub hub = { NULL, };

  g_assert_no_error (error);
  file = write_file (dir, "token", "whatever\n");
  hub_start (&hub, dir, (const char *[]) { "--port", "0", NULL });
  run_cli (&context, NULL, (const char *[]) { "context", "--hub", hub.url, "--topic", "t", "--token", "abc", NULL });
  g_assert_cmpint (context.status, ==, 1);   /* unknown topic: 404 */
  g_assert_nonnull (strstr (context.err, "context: warning: --token puts the secret on the command line"));
  run_cli (&both, NULL, (const char *[]) { "context", "--hub", hub.url, "--topic", "t", "--token", "abc",
                                           "--token-file", file, NULL });
  g_assert_cmpint (both.status, ==, 64);
  g_assert_nonnull (strstr (both.err, "--token and --token-file exclude each other"));
  hub_stop (&hub, &hub_run);

  run_cli (&hub_secret, NULL, (const char *[]) { "hub", "--secret", "S", "--port", "70000", NULL });
  g_assert_cmpint (hub_secret.status, ==, 64);
  g_assert_nonnull (strstr (hub_secret.err, "hub: warning: --secret puts the secret on the command line"));

  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Issue 14.11: plain http:// to a hub that is not on this machine is
 * refused before anything is sent, and so is a hub listening on such an
 * address without a certificate (192.0.2.0/24 is TEST-NET-1: nothing is
 * contacted). */
static void
test_plain_http_off_loopback (void)
{
  static const char *const commands[][8] = {
    { "context", "--hub", "http://192.0.2.10/fhircast", "--topic", "t", NULL },
    { "watch", "--hub", "http://192.0.2.10/fhircast", "--topic", "t", NULL },
    { "publish", "--hub", "http://192.0.2.10:8080/fhircast", "--topic", "t", "DiagnosticReport-close", "--report",
      "r" },
  };
  g_auto(Run) hub = { NULL, };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) run = { NULL, };
      const char *args[10] = { NULL, };

      memcpy (args, commands[i], sizeof commands[i]);
      run_cli (&run, NULL, args);
      g_test_message ("%s: %s", commands[i][0], run.err);
      g_assert_cmpint (run.status, ==, 64);
      g_assert_nonnull (strstr (run.err, "refusing plain http:// to 192.0.2.10"));
    }
  run_cli (&hub, NULL, (const char *[]) { "hub", "--host", "192.0.2.10", NULL });
  g_assert_cmpint (hub.status, ==, 64);
  g_assert_nonnull (strstr (hub.err, "needs --tls-cert and --tls-key (or --insecure)"));
}

/* Issue 14.10: the cap on a subscriber's unsent notifications is set from
 * the command line too (bench-drain raises it for its backlog); a value out
 * of range is a usage error, not a hub without a cap. */
static void
test_hub_max_queue_range (void)
{
  static const char *const values[] = { "-1", "4097", "x" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_auto(Run) run = { NULL, };

      run_cli (&run, NULL, (const char *[]) { "hub", "--port", "0", "--max-queue", values[i], NULL });
      g_test_message ("--max-queue %s: %s", values[i], run.err);
      g_assert_cmpint (run.status, ==, 64);
      g_assert_nonnull (strstr (run.err, "hub: "));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/cli/security/logs-on-stderr", test_logs_on_stderr);
  g_test_add_func ("/fcm/cli/security/secrets-stay-secret", test_secrets_stay_secret);
  g_test_add_func ("/fcm/cli/security/secret-file", test_secret_file);
  g_test_add_func ("/fcm/cli/security/command-line-secret-warns", test_command_line_secret_warns);
  g_test_add_func ("/fcm/cli/security/plain-http-off-loopback", test_plain_http_off_loopback);
  g_test_add_func ("/fcm/cli/hub/max-queue-range", test_hub_max_queue_range);

  return g_test_run ();
}
