/* fcm-cli.c: the `fhircast` command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "fcm-fhircast.h"
#include "fcm-cli-private.h"

static const FcmCliCommand commands[] = {
  { "hub", N_("Run a FHIRcast reference hub"), fcm_cli_hub },
  { "validate", N_("Check FHIRcast messages against STU3 and IHE IRA rules"), fcm_cli_validate },
  { "watch", N_("Subscribe to a topic and print what arrives, one JSON object per line"), fcm_cli_watch },
  { "publish", N_("Request a context change"), fcm_cli_publish },
  { "context", N_("Print the current context of a topic"), fcm_cli_context },
  { "gettopic", N_("Ask a 2019-prototype hub for a user's topic"), fcm_cli_gettopic },
  { "probe", N_("Test a hub or a subscriber against FHIRcast STU3 and IHE IRA"), fcm_cli_probe },
  { "replay", N_("Publish a recorded session's context changes into a hub"), fcm_cli_replay },
  { "anonymize", N_("Remove the PHI from a recording, for a bug report"), fcm_cli_anonymize },
};

/* Every log message goes to stderr: stdout carries the commands' output
 * (the hub's first line is its URL, watch writes NDJSON), and GLib's
 * default writer prints debug and info messages there. Debug messages
 * still follow G_MESSAGES_DEBUG. */
static GLogWriterOutput
log_to_stderr (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  g_autofree char *line = NULL;
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
  if (g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;
  line = g_log_writer_format_fields (log_level, fields, n_fields, g_log_writer_supports_color (STDERR_FILENO));
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

/* libsoup logs four debug messages for each WebSocket message in and out
 * (received, delivering, queued, sent): draining a backlog that was ~5 %
 * of `fhircast watch`'s time, most of it GLib's default handler passing
 * each on to the writer above to be dropped there. GLib formats a message
 * before any handler runs, so that part stays; when G_MESSAGES_DEBUG does
 * not ask for libsoup's (checked once, at start), they end here. */
static void
drop_log_message (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
}

/* The first line of @path, without its line ending. */
char *
fcm_cli_read_secret_file (const char  *path,
                          GError     **error)
{
  g_autofree char *contents = NULL;
  char *secret;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  secret = g_strndup (contents, strcspn (contents, "\r\n"));
  memset (contents, 0, strlen (contents));
  if (*secret == '\0')
    {
      g_free (secret);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s: the first line is empty"), path);
      return NULL;
    }
  return secret;
}

void
fcm_cli_warn_command_line_secret (const char *cmd,
                                  const char *option,
                                  const char *instead)
{
  fprintf (stderr, _("%s: warning: %s puts the secret on the command line, where every local user can read it "
                     "(/proc/PID/cmdline); use %s\n"), cmd, option, instead);
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n", _("Usage: fhircast COMMAND [OPTION…]"));
  fprintf (stream, "%s\n\n", _("       fhircast --help | --version"));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  %-10s %s\n", "--help", _("Print this list of commands"));
  fprintf (stream, "  %-10s %s\n", "--version", _("Print the version of fhircast and exit"));
  fprintf (stream, "\n%s\n", _("Run “fhircast COMMAND --help” for the options of a command and an example."));
}

int
main (int   argc,
      char *argv[])
{
  fcm_i18n_init ();
  g_set_prgname ("fhircast");
  g_log_set_writer_func (log_to_stderr, NULL, NULL);
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "libsoup"))
    g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG, drop_log_message, NULL);

  if (argc < 2)
    {
      print_usage (stderr);
      return FCM_CLI_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return 0;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      printf ("fhircast %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, _("fhircast: unknown command “%s”\n\n"), argv[1]);
  print_usage (stderr);
  return FCM_CLI_EXIT_USAGE;
}
