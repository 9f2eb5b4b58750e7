/* fcm-cli-anonymize.c: `fhircast anonymize IN OUT`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recording with the PHI removed, every message followed by its
 * validation issues and a summary at the end (src/client/
 * fcm-recording-export.c): what the app's "Export Bug Report…" writes.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "fcm-client.h"
#include "fcm-cli-private.h"

typedef struct
{
  GBytes *output;
  GError *error;
  gboolean done;
} Anonymize;

static void
anonymized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Anonymize *a = data;

  a->output = fcm_recording_anonymize_finish (result, &a->error);
  a->done = TRUE;
}

int
fcm_cli_anonymize (int    argc,
                   char **argv)
{
  GOptionEntry entries[] = {
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autofree char *contents = NULL;
  Anonymize a = { 0 };
  gsize length = 0;

  if (!fcm_cli_parse_options ("anonymize", _("IN OUT"),
                              _("Write recording IN to OUT with patient names, identifiers (MRN, accession, "
                                "Study Instance UID,\nids) and birth dates replaced by pseudonyms, the same "
                                "value by the same pseudonym throughout,\nand each message followed by its "
                                "validation issues: ready to attach to a bug report.\nThe pseudonyms are "
                                "keyed with a random key that is not kept. OUT “-” is standard output."),
                              _("Example:\n"
                                "  fhircast anonymize ~/.local/share/fhircast-monitor/recordings/"
                                "20251121-092653-127.0.0.1-8080.ndjson report.ndjson\n\n"
                                "Exit status: 0 written; 2 IN can't be read, is not a recording, or OUT "
                                "can't be written;\n64 bad command line."),
                              entries, &argc, &argv))
    return FCM_CLI_EXIT_USAGE;
  if (argc != 3)
    {
      fprintf (stderr, "anonymize: %s\n", _("a recording IN and where to write it, OUT, are needed"));
      return FCM_CLI_EXIT_USAGE;
    }

  /* a one-shot command: reading the file at once may block */
  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    {
      fprintf (stderr, "anonymize: %s\n", error->message);
      return FCM_CLI_EXIT_UNREADABLE;
    }
  input = g_bytes_new_take (g_steal_pointer (&contents), length);
  fcm_recording_anonymize_async (input, NULL, anonymized_cb, &a);
  while (!a.done)
    g_main_context_iteration (NULL, TRUE);
  if (a.output == NULL)
    {
      fprintf (stderr, "anonymize: %s: %s\n", argv[1], a.error->message);
      g_clear_error (&a.error);
      return FCM_CLI_EXIT_UNREADABLE;
    }

  if (g_str_equal (argv[2], "-"))
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (a.output, &size);

      if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0)
        {
          g_bytes_unref (a.output);
          return FCM_CLI_EXIT_UNREADABLE;
        }
    }
  else
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (a.output, &size);

      if (!g_file_set_contents_full (argv[2], data, (gssize) size, G_FILE_SET_CONTENTS_CONSISTENT,
                                     0600, &error))
        {
          fprintf (stderr, "anonymize: %s\n", error->message);
          g_bytes_unref (a.output);
          return FCM_CLI_EXIT_UNREADABLE;
        }
    }
  g_bytes_unref (a.output);
  return FCM_CLI_EXIT_OK;
}
