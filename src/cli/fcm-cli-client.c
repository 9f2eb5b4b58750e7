/* fcm-cli-client.c: `fhircast publish`, `fhircast context`, `fhircast gettopic`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Also what every client command shares: the options, the client for
 * them, waiting for one request. `watch` is in fcm-cli-watch.c.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fcm-client.h"
#include "fcm-json-private.h"
#include "fcm-cli-private.h"
#include "fcm-cli-client-private.h"

/* ------------------------------------------------------------------ common set-up */

/* Parses the options of subcommand @cmd ("fhircast CMD" in --help), whose
 * --help ends with @description (its examples, and the exit status); FALSE
 * after printing why for a bad command line. */
gboolean
fcm_cli_parse_options (const char    *cmd,
                       const char    *parameter,
                       const char    *summary,
                       const char    *description,
                       GOptionEntry  *entries,
                       int           *argc,
                       char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strconcat ("fhircast ", cmd, NULL);

  g_set_prgname (prgname);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "%s: %s\n", cmd, error->message);
      return FALSE;
    }
  return TRUE;
}

/* One request to the hub at a time: start it with wait_cb and &wait, then
 * wait_for_result() runs the main loop until it is done. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Wait *wait = data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for_result (Wait *wait)
{
  g_clear_object (&wait->result);
  if (wait->loop == NULL)
    wait->loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (wait->loop);
  return wait->result;
}

static void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Wait, wait_clear)

/* Prints "CMD: why" and returns the exit status of a failed request. */
static int
request_failed (const char   *cmd,
                const GError *error)
{
  fprintf (stderr, "%s: %s\n", cmd, error->message);
  return FCM_CLI_EXIT_INVALID;
}

void
_fcm_cli_client_options_clear (ClientOptions *o)
{
  g_free (o->hub);
  g_free (o->topic);
  if (o->token != NULL)
    memset (o->token, 0, strlen (o->token));
  g_free (o->token);
  g_free (o->token_file);
  g_free (o->ca_file);
}

/* The bearer token: --token (with a warning), --token-file or FHIRCAST_TOKEN.
 * FALSE after printing why (@exit_code set). */
static gboolean
resolve_token (const char    *cmd,
               ClientOptions *o,
               int           *exit_code)
{
  g_autoptr(GError) error = NULL;
  const char *env = g_getenv ("FHIRCAST_TOKEN");

  if (o->token != NULL && o->token_file != NULL)
    {
      fprintf (stderr, "%s: %s\n", cmd, _("--token and --token-file exclude each other"));
      *exit_code = FCM_CLI_EXIT_USAGE;
      return FALSE;
    }
  if (o->token != NULL)
    fcm_cli_warn_command_line_secret (cmd, "--token", "--token-file or FHIRCAST_TOKEN");
  else if (o->token_file != NULL)
    {
      o->token = fcm_cli_read_secret_file (o->token_file, &error);
      if (o->token == NULL)
        {
          fprintf (stderr, "%s: %s\n", cmd, error->message);
          *exit_code = FCM_CLI_EXIT_UNREADABLE;
          return FALSE;
        }
    }
  else if (env != NULL && *env != '\0')
    o->token = g_strdup (env);
  return TRUE;
}

/* A client for --hub and --topic, with the token, --ca-file and --insecure. */
FcmHubClient *
_fcm_cli_make_client_from_options (const char    *cmd,
                                   ClientOptions *o,
                                   int           *exit_code)
{
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  if (o->hub == NULL || o->topic == NULL || o->topic[0] == '\0')
    {
      fprintf (stderr, "%s: %s\n", cmd, _("--hub and --topic are required"));
      *exit_code = FCM_CLI_EXIT_USAGE;
      return NULL;
    }
  if (!g_str_has_prefix (o->hub, "http://") && !g_str_has_prefix (o->hub, "https://"))
    {
      fprintf (stderr, "%s: %s\n", cmd, _("--hub must be an http:// or https:// URL"));
      *exit_code = FCM_CLI_EXIT_USAGE;
      return NULL;
    }
  if (!resolve_token (cmd, o, exit_code))
    return NULL;
  client = fcm_hub_client_new (o->hub, o->topic);
  fcm_hub_client_set_insecure (client, o->insecure);
  /* the same check the client makes, up front: a clear error and exit 64 */
  uri = g_uri_parse (o->hub, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      fprintf (stderr, "%s: %s\n", cmd, _("--hub must be an http:// or https:// URL"));
      *exit_code = FCM_CLI_EXIT_USAGE;
      return NULL;
    }
  if (!o->insecure && g_str_has_prefix (o->hub, "http://"))
    {
      g_autoptr(GInetAddress) address = NULL;
      g_autofree char *host = g_strdup (g_uri_get_host (uri));

      if (host[0] == '[')
        {
          memmove (host, host + 1, strlen (host));
          host[strlen (host) - 1] = '\0';
        }
      address = g_inet_address_new_from_string (host);
      if (g_ascii_strcasecmp (host, "localhost") != 0 &&
          (address == NULL || !g_inet_address_get_is_loopback (address)))
        {
          fprintf (stderr, _("%s: refusing plain http:// to %s, which is not this machine: the token and patient "
                             "context would cross the network unencrypted; use https:// (or --insecure)\n"),
                   cmd, g_uri_get_host (uri));
          *exit_code = FCM_CLI_EXIT_USAGE;
          return NULL;
        }
    }
  fcm_hub_client_set_token (client, o->token);
  if (o->ca_file != NULL && !fcm_hub_client_set_ca_file (client, o->ca_file, &error))
    {
      fprintf (stderr, "%s: %s\n", cmd, error->message);
      *exit_code = FCM_CLI_EXIT_UNREADABLE;
      return NULL;
    }
  return g_steal_pointer (&client);
}

/* _fcm_cli_make_client_from_options() for the subcommands without the
 * client options (replay): the same token rules (a warning for --token,
 * else FHIRCAST_TOKEN) and no plain http:// off this machine */
FcmHubClient *
fcm_cli_make_client (const char *cmd,
                     const char *hub,
                     const char *topic,
                     const char *token,
                     const char *ca_file,
                     int        *exit_code)
{
  g_auto(ClientOptions) o = { g_strdup (hub), g_strdup (topic), g_strdup (token), NULL, g_strdup (ca_file), FALSE };

  return _fcm_cli_make_client_from_options (cmd, &o, exit_code);
}

/* ------------------------------------------------------------------ publish */

/* sandbox.js takes events at {hub.url}/{topic} only, and a POST to hub.url
 * hangs: say that --topic-path exists as soon as the first try times out
 * (the client keeps retrying meanwhile), or when the hub answers 404/405 */
static const char *
topic_path_hint (void)
{
  return _("a hub that takes events at {hub.url}/{topic} (such as sandbox.js, see docs/cli.md) "
           "needs --topic-path");
}

static gboolean
no_answer_hint_cb (gpointer data)
{
  guint *id = data;

  *id = 0;
  fprintf (stderr, "publish: %s; %s\n", _("no answer from the hub yet (retrying)"), topic_path_hint ());
  return G_SOURCE_REMOVE;
}

int
fcm_cli_publish (int    argc,
                 char **argv)
{
  g_auto(ClientOptions) o = { NULL, };
  g_autofree char *report = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *study = NULL;
  g_autofree char *accession = NULL;
  g_autofree char *mrn = NULL;
  g_autofree char *file = NULL;
  g_autofree char *id = NULL;
  g_autofree char *version_id = NULL;
  g_autofree char *patient_name = NULL;
  g_autofree char *birth_date = NULL;
  g_autofree char *sex = NULL;
  g_autofree char *study_description = NULL;
  g_autofree char *modality = NULL;
  g_autofree char *study_date = NULL;
  gboolean topic_path = FALSE;
  double timeout = 10;
  guint hint_id = 0;
  GOptionEntry entries[] = {
    CLIENT_OPTION_ENTRIES (o),
    { "topic-path", 0, 0, G_OPTION_ARG_NONE, &topic_path, N_("POST to URL/TOPIC instead of URL"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout, N_("Seconds to wait for each try before resending (default 10; 3 tries)"), N_("S") },
    { "report", 0, 0, G_OPTION_ARG_STRING, &report, N_("DiagnosticReport id"), N_("ID") },
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient, N_("Patient id"), N_("ID") },
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("ImagingStudy id"), N_("ID") },
    { "accession", 0, 0, G_OPTION_ARG_STRING, &accession, N_("Accession number"), N_("A") },
    { "mrn", 0, 0, G_OPTION_ARG_STRING, &mrn, N_("Medical record number"), N_("M") },
    { "patient-name", 0, 0, G_OPTION_ARG_STRING, &patient_name, N_("Patient's name (open), e.g. \"Jane Doe\" or \"Doe, Jane\""), N_("NAME") },
    { "birth-date", 0, 0, G_OPTION_ARG_STRING, &birth_date, N_("Patient's birth date (open)"), N_("YYYY-MM-DD") },
    { "sex", 0, 0, G_OPTION_ARG_STRING, &sex, N_("Patient's sex (open): male, female, other or unknown"), N_("SEX") },
    { "study-description", 0, 0, G_OPTION_ARG_STRING, &study_description, N_("Study description (open)"), N_("TEXT") },
    { "modality", 0, 0, G_OPTION_ARG_STRING, &modality, N_("Study modality (open), a DICOM code such as CT"), N_("CODE") },
    { "study-date", 0, 0, G_OPTION_ARG_STRING, &study_date, N_("Study date (open)"), N_("YYYY-MM-DD") },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file, N_("Context array (or a whole message) from FILE, “-” for standard input"), N_("FILE") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("Event id (default: a new UUID)"), N_("ID") },
    { "version-id", 0, 0, G_OPTION_ARG_STRING, &version_id, N_("context.versionId (update; default: the hub's current one)"), N_("V") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(JsonArray) ctx = NULL;
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autofree char *line = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *sent_id = NULL;
  g_auto(Wait) wait = { 0 };
  const char *name;
  guint status;
  int exit_code = 0;

  if (!fcm_cli_parse_options ("publish", _("EVENT"), _("Request a context change (POST an event to the hub)."),
                              _("Examples:\n"
                                "  fhircast publish --hub URL --topic T DiagnosticReport-open --report rpt-1 \\\n"
                                "    --patient pat-1 --study st-1 --mrn MRN-1 --accession ACC-1\n"
                                "  fhircast publish --hub URL --topic T DiagnosticReport-close --report rpt-1\n"
                                "  jq .event.context update.json | fhircast publish --hub URL --topic T "
                                "DiagnosticReport-update --file -\n\n"
                                "Exit status: 0 the hub answered 2xx; 1 it refused or did not answer; "
                                "2 --file can't be read;\n64 bad command line."),
                              entries, &argc, &argv))
    return FCM_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "publish: %s\n", _("exactly one EVENT name is needed"));
      return FCM_CLI_EXIT_USAGE;
    }
  name = argv[1];
  if (!(timeout >= 0.05 && timeout <= 3600))
    {
      fprintf (stderr, "publish: %s\n", _("--timeout takes 0.05 to 3600 seconds"));
      return FCM_CLI_EXIT_USAGE;
    }
  client = _fcm_cli_make_client_from_options ("publish", &o, &exit_code);
  if (client == NULL)
    return exit_code;
  fcm_hub_client_set_request_timeout (client, (guint) (timeout * 1000));

  if (file != NULL)
    {
      ctx = fcm_cli_context_from_file (file, &error);
      if (ctx == NULL)
        {
          fprintf (stderr, "publish: %s\n", error->message);
          return FCM_CLI_EXIT_UNREADABLE;
        }
    }
  else if (fcm_event_name_equal (name, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN))
    {
      FcmReportDetails details = { patient_name, sex, birth_date, study_description, modality, study_date };

      if (report == NULL || patient == NULL || study == NULL)
        {
          fprintf (stderr, "publish: %s\n", _("an open needs --report, --patient and --study"));
          return FCM_CLI_EXIT_USAGE;
        }
      ctx = fcm_context_build_open (report, patient, study, accession, mrn);
      if (!fcm_context_add_details (ctx, &details, &error))
        {
          fprintf (stderr, "publish: %s\n", error->message);
          return FCM_CLI_EXIT_USAGE;
        }
      /* nothing is made up from the ids: say what the open goes without */
      if (mrn == NULL)
        fprintf (stderr, "publish: %s\n",
                 _("no --mrn: the open carries no medical record number (hubs that follow IHE IRA refuse it)"));
      if (accession == NULL)
        fprintf (stderr, "publish: %s\n",
                 _("no --accession: the open carries no accession number (hubs that follow IHE IRA refuse it)"));
    }
  else if (fcm_event_name_equal (name, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE))
    {
      if (report == NULL)
        {
          fprintf (stderr, "publish: %s\n", _("a close needs --report"));
          return FCM_CLI_EXIT_USAGE;
        }
      ctx = fcm_context_build_close (report, patient, study);
    }
  else if (fcm_event_name_equal (name, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT) && report != NULL)
    {
      g_autofree char *ref = study ? g_strdup_printf ("ImagingStudy/%s", study) : NULL;
      const char *refs[] = { ref, NULL };

      ctx = fcm_context_build_select (report, refs);
    }
  else
    {
      fprintf (stderr, "publish: %s\n", _("give the context with --file for this event"));
      return FCM_CLI_EXIT_USAGE;
    }

  fcm_hub_client_set_post_to_topic (client, topic_path);
  if (id == NULL)
    id = g_uuid_string_random ();

  /* C-56: an update carries the newest versionId we know; ask the hub when not given */
  if (version_id == NULL && fcm_event_name_equal (name, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE))
    {
      g_autoptr(JsonNode) current = NULL;

      fcm_hub_client_get_context_async (client, NULL, wait_cb, &wait);
      current = fcm_hub_client_get_context_finish (client, wait_for_result (&wait), &error);
      if (current == NULL)
        return request_failed ("publish", error);
      if (JSON_NODE_HOLDS_OBJECT (current))
        version_id = g_strdup (fcm_json_get_string (json_node_get_object (current), "context.versionId"));
    }
  event = fcm_event_new (id, NULL, o.topic, name, ctx, version_id, NULL);

  fcm_hub_client_publish_async (client, event, NULL, wait_cb, &wait);
  if (!topic_path)
    hint_id = g_timeout_add ((guint) (timeout * 1000) + 50, no_answer_hint_cb, &hint_id);
  status = fcm_hub_client_publish_finish (client, wait_for_result (&wait), &reason, &sent_id, &error);
  g_clear_handle_id (&hint_id, g_source_remove);
  if (error != NULL)
    return request_failed ("publish", error);
  if (!topic_path && (status == 404 || status == 405))
    fprintf (stderr, "publish: %s %u; %s\n", _("the hub answered"), status, topic_path_hint ());

  obj = json_object_new ();
  json_object_set_int_member (obj, "status", status);
  json_object_set_string_member (obj, "id", sent_id);
  out = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (out, obj);
  line = fcm_json_to_string (out, FALSE);
  printf ("%s\n", line);
  if ((status < 200 || status >= 300) && reason != NULL && reason[0] != '\0')
    fprintf (stderr, "publish: %s\n", reason);
  return status >= 200 && status < 300 ? FCM_CLI_EXIT_OK : FCM_CLI_EXIT_INVALID;
}

/* ------------------------------------------------------------------ context */

int
fcm_cli_context (int    argc,
                 char **argv)
{
  g_auto(ClientOptions) o = { NULL, };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    CLIENT_OPTION_ENTRIES (o),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print {\"context\": the answer, \"stu3\": its shape is STU3's, \"issues\": […]}"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(JsonNode) context = NULL;
  g_autofree char *text = NULL;
  g_auto(Wait) wait = { 0 };
  int exit_code = 0;

  if (!fcm_cli_parse_options ("context", NULL, _("Print the current context of a topic (Get Current Context)."),
                              _("Examples:\n"
                                "  fhircast context --hub http://127.0.0.1:8080/fhircast --topic demo\n"
                                "  fhircast context --hub URL --topic T --json | jq .issues\n\n"
                                "Exit status: 0 the hub answered 2xx; 1 otherwise; 64 bad command line."),
                              entries, &argc, &argv))
    return FCM_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      fprintf (stderr, "context: %s: %s\n", _("unexpected argument"), argv[1]);
      return FCM_CLI_EXIT_USAGE;
    }
  client = _fcm_cli_make_client_from_options ("context", &o, &exit_code);
  if (client == NULL)
    return exit_code;

  fcm_hub_client_get_context_async (client, NULL, wait_cb, &wait);
  context = fcm_hub_client_get_context_finish (client, wait_for_result (&wait), &error);
  if (context == NULL)
    return request_failed ("context", error);

  text = fcm_cli_context_answer (context, json);
  printf ("%s\n", text);
  return FCM_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------ gettopic */

int
fcm_cli_gettopic (int    argc,
                  char **argv)
{
  ClientOptions o = { NULL, };
  g_autofree char *user = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *secret_file = NULL;
  GOptionEntry entries[] = {
    { "hub", 0, 0, G_OPTION_ARG_STRING, &o.hub, N_("Base URL of the hub"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("User name"), N_("USER") },
    { "secret", 0, 0, G_OPTION_ARG_STRING, &secret, N_("Application secret (visible to other users: prefer --secret-file)"), N_("SECRET") },
    { "secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file, N_("Application secret in the first line of FILE"), N_("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o.ca_file, N_("Trust the CA certificates in FILE (PEM)"), N_("FILE") },
    { "insecure", 0, 0, G_OPTION_ARG_NONE, &o.insecure, N_("Allow plain http:// to a hub that is not on this machine"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autofree char *topic = NULL;
  g_auto(Wait) wait = { 0 };
  int exit_code = 0;

  if (!fcm_cli_parse_options ("gettopic", NULL, _("Ask a 2019-prototype hub for a user's topic (GetTopic)."),
                              _("Example:\n"
                                "  topic=$(fhircast gettopic --hub http://127.0.0.1:8080 --user joe --secret-file S.txt)\n\n"
                                "Exit status: 0 a topic was printed; 1 the hub refused; 2 --secret-file can't be read;\n"
                                "64 bad command line."),
                              entries, &argc, &argv))
    {
      _fcm_cli_client_options_clear (&o);
      return FCM_CLI_EXIT_USAGE;
    }
  o.topic = g_strdup ("-");
  if (argc > 1 || user == NULL || (secret != NULL && secret_file != NULL))
    {
      fprintf (stderr, "gettopic: %s\n", _("--hub and --user are required (and at most one of --secret and --secret-file), and nothing else"));
      _fcm_cli_client_options_clear (&o);
      return FCM_CLI_EXIT_USAGE;
    }
  if (secret != NULL)
    fcm_cli_warn_command_line_secret ("gettopic", "--secret", "--secret-file");
  if (secret_file != NULL && (secret = fcm_cli_read_secret_file (secret_file, &error)) == NULL)
    {
      fprintf (stderr, "gettopic: %s\n", error->message);
      _fcm_cli_client_options_clear (&o);
      return FCM_CLI_EXIT_UNREADABLE;
    }
  /* GetTopic carries no bearer token: the environment's is not used */
  g_unsetenv ("FHIRCAST_TOKEN");
  client = _fcm_cli_make_client_from_options ("gettopic", &o, &exit_code);
  _fcm_cli_client_options_clear (&o);
  if (client == NULL)
    return exit_code;

  fcm_hub_client_gettopic_async (client, user, secret, NULL, wait_cb, &wait);
  topic = fcm_hub_client_gettopic_finish (client, wait_for_result (&wait), &error);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  if (topic == NULL)
    return request_failed ("gettopic", error);
  printf ("%s\n", topic);
  return FCM_CLI_EXIT_OK;
}
