/* test-cli.c: the built `fhircast` command, run through GSubprocess
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static const char *
cli_path (void)
{
  const char *path = g_getenv ("FHIRCAST_CLI");

  g_assert_nonnull (path);
  return path;
}

static char *
data_path (const char *subdir,
           const char *name)
{
  return g_build_filename (g_test_get_dir (G_TEST_DIST), "data", subdir, name, NULL);
}

/* Runs the CLI with argv (NULL-terminated, without the program), feeding
 * @input on stdin; @language (nullable) becomes its $LANGUAGE, with the
 * translations built in this build dir. */
static void
run_cli_in (Run                *run,
            const char         *language,
            const char         *input,
            const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) cli_path ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (language != NULL)
    {
      g_assert_nonnull (g_getenv ("FCM_TEST_LOCALEDIR"));
      g_subprocess_launcher_setenv (launcher, "FCM_LOCALEDIR", g_getenv ("FCM_TEST_LOCALEDIR"), TRUE);
      g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
    }
  else
    {
      g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
    }
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (proc, input ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);

  /* nothing we run may print a GLib critical or warning */
  g_assert_null (strstr (run->err, "CRITICAL"));
  g_assert_null (strstr (run->err, "WARNING"));
}

static void
run_cli (Run                *run,
         const char         *input,
         const char * const *args)
{
  run_cli_in (run, NULL, input, args);
}

static void
test_cli_help (void)
{
  g_auto(Run) top = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) help = { 0 };

  run_cli (&top, NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (top.status, ==, 0);
  g_assert_nonnull (strstr (top.out, "validate"));

  run_cli (&none, NULL, (const char *[]) { NULL });
  g_assert_cmpint (none.status, ==, 64);

  run_cli (&unknown, NULL, (const char *[]) { "frobnicate", NULL });
  g_assert_cmpint (unknown.status, ==, 64);
  g_assert_nonnull (strstr (unknown.err, "frobnicate"));

  g_assert_nonnull (strstr (top.out, "--version"));

  /* the usage line names the command and its files once; exit 64 is documented */
  run_cli (&help, NULL, (const char *[]) { "validate", "--help", NULL });
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--json"));
  g_assert_nonnull (strstr (help.out, "fhircast validate [OPTION…] FILE… | -\n"));
  g_assert_null (strstr (help.out, "FILE… FILE…"));
  g_assert_nonnull (strstr (help.out, "64 bad command line"));

  /* every command's --help has an example */
  for (const char *p = strstr (top.out, "Commands:\n"); p != NULL && (p = strchr (p, '\n')) != NULL;)
    {
      g_auto(Run) command = { 0 };
      g_autofree char *name = NULL;
      g_autofree char *runs = NULL;

      p++;
      if (!g_str_has_prefix (p, "  "))
        break;
      name = g_strndup (p + 2, strcspn (p + 2, " "));
      run_cli (&command, NULL, (const char *[]) { name, "--help", NULL });
      g_assert_cmpint (command.status, ==, 0);
      if (strstr (command.out, "Example") == NULL)
        g_error ("fhircast %s --help shows no example", name);
      runs = g_strconcat ("fhircast ", name, " ", NULL);
      if (strstr (command.out, runs) == NULL)
        g_error ("fhircast %s --help: no example or usage runs it", name);
    }
}

static void
test_cli_validate_vectors (void)
{
  g_autoptr(GPtrArray) files = fcm_test_list_data ("data/vectors", ".json");
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_auto(Run) run = { 0 };

  g_ptr_array_add (args, g_strdup ("validate"));
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (args, data_path ("vectors", g_ptr_array_index (files, i)));
  g_ptr_array_add (args, NULL);

  run_cli (&run, NULL, (const char * const *) args->pdata);
  if (run.status != 0)
    g_printerr ("%s\n%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "diagnosticreport-open.json: valid"));
}

static void
test_cli_validate_invalid (void)
{
  g_autofree char *path = data_path ("vectors", "diagnosticreport-open.json");
  g_autofree char *good = fcm_test_load_text ("data", "vectors", "diagnosticreport-open.json", NULL);
  g_autofree char *broken = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) mixed = { 0 };
  char *study;

  /* drop the study context: DiagnosticReport-open requires it (C-46) */
  broken = g_strdup (good);
  study = strstr (broken, "\"key\": \"study\"");
  g_assert_nonnull (study);
  memcpy (study, "\"key\": \"stuff\"", strlen ("\"key\": \"stuff\""));

  run_cli (&run, broken, (const char *[]) { "validate", "-", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "-: error C-46"));
  g_assert_nonnull (strstr (run.out, "invalid"));

  /* a valid file and an invalid one: 1 */
  run_cli (&mixed, broken, (const char *[]) { "validate", path, "-", NULL });
  g_assert_cmpint (mixed.status, ==, 1);
  g_assert_nonnull (strstr (mixed.out, "diagnosticreport-open.json: valid"));
}

static void
test_cli_validate_json (void)
{
  g_autofree char *path = data_path ("vectors", "websocket-ack.json");
  g_auto(Run) run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) first_root = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *first;
  JsonObject *second;
  JsonArray *issues;

  run_cli (&run, "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"id\":\"x\",\"event\":{}}",
           (const char *[]) { "validate", "--json", path, "-", NULL });
  g_assert_cmpint (run.status, ==, 1);

  /* NDJSON: one object per file, each on one line */
  lines = g_strsplit (g_strchomp (run.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  first_root = fcm_json_parse (lines[0], -1, &error);
  g_assert_no_error (error);
  root = fcm_json_parse (lines[1], -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (first_root));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  first = json_node_get_object (first_root);
  g_assert_cmpstr (fcm_json_get_string (first, "kind"), ==, "ack");
  g_assert_true (json_object_get_boolean_member (first, "valid"));

  second = json_node_get_object (root);
  g_assert_cmpstr (fcm_json_get_string (second, "file"), ==, "-");
  g_assert_false (json_object_get_boolean_member (second, "valid"));
  issues = fcm_json_get_array (second, "issues");
  g_assert_nonnull (issues);
  g_assert_cmpuint (json_array_get_length (issues), >, 0);
  {
    JsonObject *issue = fcm_json_array_get_object (issues, 0);

    g_assert_cmpstr (fcm_json_get_string (issue, "severity"), ==, "error");
    g_assert_nonnull (fcm_json_get_string (issue, "rule"));
    g_assert_nonnull (fcm_json_get_string (issue, "path"));
    g_assert_nonnull (fcm_json_get_string (issue, "message"));
  }
}

static void
test_cli_validate_unreadable (void)
{
  g_autofree char *good = data_path ("vectors", "diagnosticreport-open.json");
  g_auto(Run) missing = { 0 };
  g_auto(Run) garbage = { 0 };
  g_auto(Run) bad_role = { 0 };
  g_auto(Run) no_file = { 0 };

  run_cli (&missing, NULL, (const char *[]) { "validate", good, "/nonexistent/x.json", NULL });
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "/nonexistent/x.json"));

  /* not JSON at all is readable but invalid */
  run_cli (&garbage, "\xff\xfe not json", (const char *[]) { "validate", "-", NULL });
  g_assert_cmpint (garbage.status, ==, 1);
  g_assert_nonnull (strstr (garbage.out, "JSON"));

  run_cli (&bad_role, NULL, (const char *[]) { "validate", "--role", "boss", good, NULL });
  g_assert_cmpint (bad_role.status, ==, 64);

  run_cli (&no_file, NULL, (const char *[]) { "validate", NULL });
  g_assert_cmpint (no_file.status, ==, 64);
}

/* Under LANGUAGE=de (LC_ALL=C.UTF-8, as the tests run; glibc only ignores
 * LANGUAGE in the plain "C" locale) the validator's explanations and the
 * verdict are German, while the rule id, the JSON path, the severity and
 * the JSON keys stay as they are: they are what scripts and the spec use
 * (issue 12.6). */
static void
test_cli_validate_german (void)
{
  g_autofree char *path = data_path ("invalid", "close-missing-report.json");
  g_autofree char *prefix = g_strconcat (path, ": error C-50 $.event.context: ", NULL);
  g_auto(Run) english = { 0 };
  g_auto(Run) german = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) usage = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *issue;

  run_cli (&english, NULL, (const char *[]) { "validate", path, NULL });
  g_assert_cmpint (english.status, ==, 1);
  g_assert_true (g_str_has_prefix (english.out, prefix));
  g_assert_nonnull (strstr (english.out, "needs a 'report' context item with the id used in the -open"));
  g_assert_nonnull (strstr (english.out, ": invalid (event)"));

  run_cli_in (&german, "de", NULL, (const char *[]) { "validate", path, NULL });
  g_assert_cmpint (german.status, ==, 1);
  g_assert_true (g_str_has_prefix (german.out, prefix));
  g_assert_nonnull (strstr (german.out, "DiagnosticReport-close braucht ein Kontextelement 'report' "
                                        "mit der im -open verwendeten ID"));
  g_assert_null (strstr (german.out, "needs a 'report'"));
  g_assert_nonnull (strstr (german.out, ": ungültig (event)"));

  /* --json (NDJSON, one file: one line): the message is German, the keys,
   * the rule and the path are not */
  run_cli_in (&json, "de", NULL, (const char *[]) { "validate", "--json", path, NULL });
  g_assert_cmpint (json.status, ==, 1);
  root = fcm_json_parse (g_strchomp (json.out), -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  issue = fcm_json_array_get_object (fcm_json_get_array (json_node_get_object (root), "issues"), 0);
  g_assert_nonnull (issue);
  g_assert_cmpstr (fcm_json_get_string (issue, "severity"), ==, "error");
  g_assert_cmpstr (fcm_json_get_string (issue, "rule"), ==, "C-50");
  g_assert_cmpstr (fcm_json_get_string (issue, "path"), ==, "$.event.context");
  g_assert_true (g_str_has_prefix (fcm_json_get_string (issue, "message"), "DiagnosticReport-close braucht"));

  /* the command's own text too, command names untouched */
  run_cli_in (&usage, "de", NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (usage.status, ==, 0);
  g_assert_nonnull (strstr (usage.out, "Aufruf: fhircast BEFEHL"));
  g_assert_nonnull (strstr (usage.out, "  validate   FHIRcast-Nachrichten gegen"));
}

/* The open vector on one line, as a recorded stream has it. */
static char *
compact_vector (const char *name)
{
  g_autofree char *text = fcm_test_load_text ("data", "vectors", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = fcm_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return fcm_json_to_string (node, FALSE);
}

/* Issue 14.2: a message followed by more JSON is not one valid message
 * (json-glib stopped after the first value, so this used to say "valid"). */
static void
test_cli_validate_trailing (void)
{
  g_autofree char *open = compact_vector ("diagnosticreport-open.json");
  g_autofree char *two = g_strconcat (open, "{\"id\":5}", NULL);
  g_autofree char *one_then_array = g_strconcat ("1[", open, ",", open, "]", NULL);
  g_auto(Run) run = { 0 };
  g_auto(Run) array = { 0 };
  g_auto(Run) spaced = { 0 };

  run_cli (&run, two, (const char *[]) { "validate", "-", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "-: error JSON $"));
  g_assert_nonnull (strstr (run.out, "a message is exactly one JSON value"));
  g_assert_nonnull (strstr (run.out, "-: invalid"));

  run_cli (&array, one_then_array, (const char *[]) { "validate", "-", NULL });
  g_assert_cmpint (array.status, ==, 1);
  g_assert_nonnull (strstr (array.out, "after the end of the JSON value at line 1, column 2"));

  /* white space after the value is still one message */
  {
    g_autofree char *trailing_space = g_strconcat (open, "\n\n  \n", NULL);

    run_cli (&spaced, trailing_space, (const char *[]) { "validate", "-", NULL });
    g_assert_cmpint (spaced.status, ==, 0);
  }
}

/* Issue 15.3: --ndjson checks a recorded stream, one message a line, in
 * one call; issues name the line; --json then prints one object a line. */
static void
test_cli_validate_ndjson (void)
{
  g_autofree char *open = compact_vector ("diagnosticreport-open.json");
  g_autofree char *ack = compact_vector ("websocket-ack.json");
  g_autofree char *stream = g_strdup_printf ("%s\n\n%s{\"id\":5}\n%s\r\n%s", open, open, ack, open);
  g_autofree char *clean = g_strdup_printf ("%s\n%s\n", open, ack);
  g_auto(Run) run = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) good = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(GStrv) lines = NULL;
  const gint64 expected_lines[] = { 1, 3, 4, 5 };

  run_cli (&run, stream, (const char *[]) { "validate", "--ndjson", "-", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "-:1: valid (event)"));
  g_assert_null (strstr (run.out, "-:2:"));    /* blank lines are skipped */
  g_assert_nonnull (strstr (run.out, "-:3: error JSON $"));
  g_assert_nonnull (strstr (run.out, "-:3: invalid"));
  g_assert_nonnull (strstr (run.out, "-:4: valid with warnings (ack)"));
  g_assert_nonnull (strstr (run.out, "-:5: valid (event)"));  /* no final newline */

  run_cli (&json, stream, (const char *[]) { "validate", "--ndjson", "--json", "-", NULL });
  g_assert_cmpint (json.status, ==, 1);
  lines = g_strsplit (g_strstrip (json.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected_lines));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = fcm_json_parse (lines[i], -1, &error);
      JsonObject *result;

      g_assert_no_error (error);
      result = json_node_get_object (node);
      g_assert_cmpint (json_object_get_int_member (result, "line"), ==, expected_lines[i]);
      g_assert_cmpstr (fcm_json_get_string (result, "file"), ==, "-");
      g_assert_true (json_object_get_boolean_member (result, "valid") == (i != 1));
    }

  run_cli (&good, clean, (const char *[]) { "validate", "--ndjson", "-", NULL });
  g_assert_cmpint (good.status, ==, 0);

  run_cli (&missing, NULL, (const char *[]) { "validate", "--ndjson", "/nonexistent/x.ndjson", NULL });
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "/nonexistent/x.ndjson"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/cli/help", test_cli_help);
  g_test_add_func ("/fcm/cli/validate/vectors", test_cli_validate_vectors);
  g_test_add_func ("/fcm/cli/validate/invalid", test_cli_validate_invalid);
  g_test_add_func ("/fcm/cli/validate/json", test_cli_validate_json);
  g_test_add_func ("/fcm/cli/validate/unreadable", test_cli_validate_unreadable);
  g_test_add_func ("/fcm/cli/validate/german", test_cli_validate_german);
  g_test_add_func ("/fcm/cli/validate/trailing-content", test_cli_validate_trailing);
  g_test_add_func ("/fcm/cli/validate/ndjson", test_cli_validate_ndjson);

  return g_test_run ();
}
