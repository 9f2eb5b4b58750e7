/* fcm-cli-probe.c: `fhircast probe hub|subscriber`, conformance self-tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "fcm-probe.h"
#include "fcm-cli-private.h"

typedef struct
{
  GMainLoop           *loop;
  GCancellable        *cancellable;
  GError              *error;
  gboolean             json;
  FcmProbeReportFlags  flags;
  gboolean             header_done;
} Run;

static void
print_header (Run *run)
{
  g_autofree char *header = NULL;

  if (run->json || run->header_done)
    return;
  run->header_done = TRUE;
  header = fcm_probe_report_table_header ();
  printf ("%s\n", header);
  fflush (stdout);
}

static void
finished_cb (FcmProbe       *probe,
             FcmProbeResult *result,
             Run            *run)
{
  g_autofree char *line = NULL;

  if (run->json)
    line = fcm_probe_report_ndjson_line (result);
  else
    {
      print_header (run);
      line = fcm_probe_report_table_row (result, run->flags);
    }
  printf ("%s\n", line);
  fflush (stdout);
}

static void
action_cb (FcmSubscriberProbe       *probe,
           FcmSubscriberProbeAction  action,
           const char               *instructions,
           Run                      *run)
{
  fprintf (stderr, "probe: %s\n", instructions);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Run *run = data;

  fcm_probe_run_finish (FCM_PROBE (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
interrupt_cb (gpointer data)
{
  Run *run = data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static int
list_scenarios (FcmProbe *probe)
{
  g_autoptr(GPtrArray) list = fcm_probe_list_scenarios (probe);

  for (guint i = 0; i < list->len; i++)
    {
      const FcmProbeScenarioInfo *info = g_ptr_array_index (list, i);

      printf ("%-20s %-21s %s\n", info->id, info->rules, _(info->title));
    }
  return FCM_CLI_EXIT_OK;
}

/* Runs @probe and writes the reports. */
static int
run_probe (FcmProbe   *probe,
           gboolean    json,
           gboolean    verbose,
           const char *junit,
           const char *suite)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GListModel *results = fcm_probe_get_results (probe);
  Run run = { 0 };
  guint sigint_id, sigterm_id, n_fail = 0;
  const char *no_color = g_getenv ("NO_COLOR");

  run.loop = loop;
  run.cancellable = cancellable;
  run.json = json;
  run.flags = verbose ? FCM_PROBE_REPORT_VERBOSE : FCM_PROBE_REPORT_NONE;
  if (isatty (STDOUT_FILENO) && (no_color == NULL || no_color[0] == '\0'))
    run.flags |= FCM_PROBE_REPORT_COLOR;

  g_signal_connect (probe, "scenario-finished", G_CALLBACK (finished_cb), &run);
  if (FCM_IS_SUBSCRIBER_PROBE (probe))
    g_signal_connect (probe, "action-requested", G_CALLBACK (action_cb), &run);
  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, &run);

  fcm_probe_run_async (probe, cancellable, run_done_cb, &run);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (probe, &run);

  if (g_error_matches (run.error, FCM_PROBE_ERROR, FCM_PROBE_ERROR_UNREACHABLE) ||
      (run.error != NULL && g_list_model_get_n_items (results) == 0 &&
       !g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      fprintf (stderr, "probe: %s\n", run.error->message);
      g_clear_error (&run.error);
      return FCM_CLI_EXIT_UNREADABLE;
    }

  if (!json)
    {
      g_autofree char *summary = fcm_probe_report_summary (results);

      print_header (&run);
      printf ("\n%s\n", summary);
      for (guint i = 0; i < g_list_model_get_n_items (results); i++)
        {
          g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);

          if (verbose || fcm_probe_result_get_verdict (result) != FCM_PROBE_VERDICT_PASS)
            {
              g_autofree char *details = fcm_probe_report_details (result, run.flags);

              printf ("\n%s", details);
            }
        }
    }
  if (junit != NULL)
    {
      g_autofree char *xml = fcm_probe_report_junit (results, suite);
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (junit, xml, -1, &error))
        {
          fprintf (stderr, "probe: %s\n", error->message);
          g_clear_error (&run.error);
          return FCM_CLI_EXIT_UNREADABLE;
        }
    }
  fflush (stdout);

  fcm_probe_report_count (results, NULL, NULL, &n_fail, NULL);
  if (run.error != NULL)
    {
      fprintf (stderr, "probe: %s\n", run.error->message);
      g_clear_error (&run.error);
      return 130;
    }
  return n_fail > 0 ? FCM_CLI_EXIT_INVALID : FCM_CLI_EXIT_OK;
}

static gboolean
set_only (FcmProbe   *probe,
          const char *only)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;

  if (only == NULL)
    return TRUE;
  ids = g_strsplit (only, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    g_strstrip (ids[i]);
  if (!fcm_probe_set_only (probe, (const char * const *) ids, &error))
    {
      fprintf (stderr, "probe: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ the command */

typedef struct
{
  char     *topic;
  char     *token_file;
  char     *only;
  char     *junit;
  char     *host;
  char     *command;
  gboolean  json;
  gboolean  verbose;
  gboolean  list;
  double    timeout;
  double    window;
  double    ack_wait;
  double    connect_timeout;
  int       lease;
  int       port;
} Options;

static void
options_clear (Options *o)
{
  g_clear_pointer (&o->topic, g_free);
  g_clear_pointer (&o->token_file, g_free);
  g_clear_pointer (&o->only, g_free);
  g_clear_pointer (&o->junit, g_free);
  g_clear_pointer (&o->host, g_free);
  g_clear_pointer (&o->command, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
probe_hub (Options    *o,
           const char *url)
{
  g_autoptr(FcmHubProbe) probe = fcm_hub_probe_new (url);
  g_autoptr(GError) error = NULL;

  if (!set_only (FCM_PROBE (probe), o->only))
    return FCM_CLI_EXIT_USAGE;
  if (o->token_file != NULL)
    {
      g_autofree char *contents = NULL;
      g_autofree char *token = NULL;

      if (!g_file_get_contents (o->token_file, &contents, NULL, &error))
        {
          fprintf (stderr, "probe: %s\n", error->message);
          return FCM_CLI_EXIT_UNREADABLE;
        }
      token = g_strstrip (g_strndup (contents, strcspn (contents, "\r\n")));
      memset (contents, 0, strlen (contents));
      fcm_hub_probe_set_token (probe, token);
      memset (token, 0, strlen (token));
    }
  fcm_hub_probe_set_topic (probe, o->topic);
  fcm_hub_probe_set_lease (probe, o->lease > 0 ? (guint) o->lease : 2);
  fcm_hub_probe_set_ack_wait (probe, o->ack_wait);
  fcm_probe_set_timeout (FCM_PROBE (probe), o->timeout);
  fcm_probe_set_window (FCM_PROBE (probe), o->window);

  return run_probe (FCM_PROBE (probe), o->json, o->verbose, o->junit, "fhircast probe hub");
}

static int
probe_subscriber (Options *o)
{
  g_autoptr(FcmSubscriberProbe) probe = fcm_subscriber_probe_new ();
  g_autoptr(GError) error = NULL;

  if (o->command != NULL && !fcm_subscriber_probe_set_command (probe, o->command, &error))
    {
      fprintf (stderr, "probe: --command: %s\n", error->message);
      return FCM_CLI_EXIT_USAGE;
    }
  if (!set_only (FCM_PROBE (probe), o->only))
    return FCM_CLI_EXIT_USAGE;
  fcm_subscriber_probe_set_host (probe, o->host);
  fcm_subscriber_probe_set_port (probe, (guint) o->port);
  fcm_subscriber_probe_set_lease (probe, o->lease > 0 ? (guint) o->lease : 3);
  if (o->connect_timeout > 0)
    fcm_subscriber_probe_set_connect_timeout (probe, o->connect_timeout);
  fcm_probe_set_timeout (FCM_PROBE (probe), o->timeout);
  fcm_probe_set_window (FCM_PROBE (probe), o->window);

  if (!fcm_subscriber_probe_listen (probe, &error))
    {
      fprintf (stderr, "probe: %s\n", error->message);
      return FCM_CLI_EXIT_UNREADABLE;
    }
  if (o->command == NULL)
    {
      fprintf (stderr, "probe: %s\n", _("Point the app under test at this hub:"));
      fprintf (stderr, "  hub.url   %s\n  hub.topic %s\n", fcm_subscriber_probe_get_hub_url (probe),
               fcm_subscriber_probe_get_topic (probe));
    }
  return run_probe (FCM_PROBE (probe), o->json, o->verbose, o->junit, "fhircast probe subscriber");
}

/* An option that only one of the two targets takes, given to the other. */
static gboolean
misplaced (const char *target,
           const char *option,
           gboolean    given)
{
  if (!given)
    return FALSE;
  fprintf (stderr, _("probe: %s is for “fhircast probe %s” only\n"), option, target);
  return TRUE;
}

/**
 * fcm_cli_probe:
 *
 * `fhircast probe hub URL [OPTION…]` and `fhircast probe subscriber
 * [OPTION…]`: one option table for both (each says which target takes it),
 * so that `fhircast probe --help` lists every option.
 */
int
fcm_cli_probe (int    argc,
               char **argv)
{
  g_auto(Options) o = { NULL, };
  GOptionEntry entries[] = {
    { "only", 0, 0, G_OPTION_ARG_STRING, &o.only, N_("Run only these scenarios (comma-separated ids)"), N_("IDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print one JSON object per scenario (NDJSON) instead of a table"), NULL },
    { "junit", 0, 0, G_OPTION_ARG_FILENAME, &o.junit, N_("Also write a JUnit XML report to FILE"), N_("FILE") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &o.verbose, N_("Show every check and the evidence of every scenario"), NULL },
    { "list", 0, 0, G_OPTION_ARG_NONE, &o.list, N_("List the scenarios and exit"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o.timeout, N_("Seconds to wait for an answer, a frame or the app (default 5)"), N_("S") },
    { "window", 0, 0, G_OPTION_ARG_DOUBLE, &o.window, N_("Seconds to watch that nothing happens (default 0.5)"), N_("S") },
    { "lease", 0, 0, G_OPTION_ARG_INT, &o.lease, N_("hub: lease to ask for (default 2); subscriber: lease granted in renew (default 3)"), N_("S") },
    { "topic", 0, 0, G_OPTION_ARG_STRING, &o.topic, N_("hub: use this topic for every scenario (default: a new one each)"), N_("TOPIC") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &o.token_file, N_("hub: send the bearer token in the first line of FILE"), N_("FILE") },
    { "ack-wait", 0, 0, G_OPTION_ARG_DOUBLE, &o.ack_wait, N_("hub: seconds to wait for the hub to notice a missing ack (default 15)"), N_("S") },
    { "port", 0, 0, G_OPTION_ARG_INT, &o.port, N_("subscriber: port of the probe's hub (default 0: any free port)"), N_("PORT") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &o.host, N_("subscriber: address of the probe's hub (default 127.0.0.1)"), N_("ADDR") },
    { "command", 0, 0, G_OPTION_ARG_STRING, &o.command, N_("subscriber: run this app for each scenario; {hub} and {topic} are replaced"), N_("COMMAND") },
    { "connect-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o.connect_timeout, N_("subscriber: seconds to wait for the app to subscribe (default 60, 10 with --command)"), N_("S") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("hub URL | subscriber"));
  g_autoptr(GError) error = NULL;
  const char *target;

  o.timeout = 5;
  o.window = 0.5;
  o.ack_wait = 15;
  g_set_prgname ("fhircast probe");
  g_option_context_set_summary (context, _("Test a FHIRcast hub, or a subscriber through a hub that misbehaves on "
                                           "purpose, against FHIRcast STU3 and IHE IRA.\n\n"
                                           "Examples:\n"
                                           "  fhircast probe hub http://127.0.0.1:8080/fhircast --junit probe.xml\n"
                                           "  fhircast probe subscriber --port 8090\n"
                                           "  fhircast probe subscriber --command \"fhircast watch --hub {hub} --topic {topic}\""));
  g_option_context_set_description (context, _("Exit status: 0 all scenarios passed (warnings and skips allowed), "
                                               "1 a scenario failed, 2 the hub cannot be reached, the probe's hub "
                                               "cannot listen, or a file cannot be read or written, 64 bad usage, "
                                               "130 interrupted."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "probe: %s\n", error->message);
      return FCM_CLI_EXIT_USAGE;
    }
  target = argc > 1 ? argv[1] : NULL;

  if (o.list && target == NULL)
    {
      g_autoptr(FcmHubProbe) hub = fcm_hub_probe_new ("http://127.0.0.1/");
      g_autoptr(FcmSubscriberProbe) subscriber = fcm_subscriber_probe_new ();

      printf ("%s\n", _("hub:"));
      list_scenarios (FCM_PROBE (hub));
      printf ("\n%s\n", _("subscriber:"));
      return list_scenarios (FCM_PROBE (subscriber));
    }
  if (g_strcmp0 (target, "hub") != 0 && g_strcmp0 (target, "subscriber") != 0)
    {
      if (target == NULL)
        fprintf (stderr, "probe: %s\n", _("say what to test: hub URL, or subscriber"));
      else
        fprintf (stderr, _("probe: unknown target “%s” (hub or subscriber)\n"), target);
      return FCM_CLI_EXIT_USAGE;
    }
  if (!(o.timeout >= 0.05 && o.timeout <= 3600) || !(o.window >= 0.01 && o.window <= 600) ||
      o.lease < 0 || o.lease > 3600 || !(o.ack_wait >= 0.05 && o.ack_wait <= 3600) ||
      o.port < 0 || o.port > 65535 || o.connect_timeout < 0 || o.connect_timeout > 3600)
    {
      fprintf (stderr, "probe: %s\n", _("an option value is out of range"));
      return FCM_CLI_EXIT_USAGE;
    }

  if (g_str_equal (target, "hub"))
    {
      if (misplaced ("subscriber", "--port", o.port != 0) || misplaced ("subscriber", "--host", o.host != NULL) ||
          misplaced ("subscriber", "--command", o.command != NULL) ||
          misplaced ("subscriber", "--connect-timeout", o.connect_timeout != 0))
        return FCM_CLI_EXIT_USAGE;
      if (o.list)
        {
          g_autoptr(FcmHubProbe) hub = fcm_hub_probe_new ("http://127.0.0.1/");

          return list_scenarios (FCM_PROBE (hub));
        }
      if (argc != 3)
        {
          fprintf (stderr, "probe: %s\n", argc < 3 ? _("the hub URL is missing") : _("unexpected argument"));
          return FCM_CLI_EXIT_USAGE;
        }
      if (!g_str_has_prefix (argv[2], "http://") && !g_str_has_prefix (argv[2], "https://"))
        {
          fprintf (stderr, "probe: %s\n", _("the hub URL must be http:// or https://"));
          return FCM_CLI_EXIT_USAGE;
        }
      return probe_hub (&o, argv[2]);
    }

  if (misplaced ("hub", "--topic", o.topic != NULL) || misplaced ("hub", "--token-file", o.token_file != NULL) ||
      misplaced ("hub", "--ack-wait", o.ack_wait != 15))
    return FCM_CLI_EXIT_USAGE;
  if (o.list)
    {
      g_autoptr(FcmSubscriberProbe) subscriber = fcm_subscriber_probe_new ();

      return list_scenarios (FCM_PROBE (subscriber));
    }
  if (argc > 2)
    {
      fprintf (stderr, "probe: %s: %s\n", _("unexpected argument"), argv[2]);
      return FCM_CLI_EXIT_USAGE;
    }
  if (o.host != NULL && !g_hostname_is_ip_address (o.host))
    {
      fprintf (stderr, "probe: %s\n", _("--host must be an IP address"));
      return FCM_CLI_EXIT_USAGE;
    }
  return probe_subscriber (&o);
}
