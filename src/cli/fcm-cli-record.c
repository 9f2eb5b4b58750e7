/* fcm-cli-record.c: `fhircast watch --record FILE`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recording is written by FcmRecorder (src/client/fcm-recorder.c),
 * attached to the client before the monitor, so each frame is queued for
 * the file before watch prints it. What watch prints waits until the
 * recorder says the lines queued so far are in the file: a line shown on
 * the terminal is a line recorded, even if watch is killed (SIGKILL) right
 * after showing it.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "fcm-client.h"
#include "fcm-cli-private.h"

typedef struct
{
  guint64 seq;       /* shown once the recorder wrote up to here */
  char *line;
} Held;

struct _FcmCliRecord
{
  FcmRecorder *recorder;
  GQueue held;
  gboolean closed;
  gboolean failed;
  void (*on_failure) (gpointer data);
  gpointer data;
};

static void
held_free (Held *held)
{
  g_free (held->line);
  g_free (held);
}

static void
show (const char *line)
{
  fputs (line, stdout);
  fputc ('\n', stdout);
}

static void
release (FcmCliRecord *rec,
         guint64       written)
{
  gboolean any = FALSE;

  while (!g_queue_is_empty (&rec->held))
    {
      Held *held = g_queue_peek_head (&rec->held);

      if (held->seq > written && !rec->failed && !rec->closed)
        break;
      show (held->line);
      held_free (g_queue_pop_head (&rec->held));
      any = TRUE;
    }
  if (any)
    fflush (stdout);
}

static void
written_cb (FcmRecorder  *recorder,
            guint64       seq,
            FcmCliRecord *rec)
{
  release (rec, seq);
}

static void
error_cb (FcmRecorder  *recorder,
          GParamSpec   *pspec,
          FcmCliRecord *rec)
{
  rec->failed = TRUE;
  fprintf (stderr, "watch: %s\n", fcm_recorder_get_error (recorder)->message);
  release (rec, G_MAXUINT64);
  if (rec->on_failure != NULL)
    rec->on_failure (rec->data);
}

/**
 * fcm_cli_parse_size:
 * @text: "65536", "64K", "64M" or "1G" (powers of 1024)
 *
 * Returns: %FALSE for anything else, or less than 1 KiB
 */
gboolean
fcm_cli_parse_size (const char *text,
                    guint64    *out_bytes)
{
  guint64 value = 0, unit = 1;
  char *end = NULL;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  value = g_ascii_strtoull (text, &end, 10);
  switch (g_ascii_toupper (*end))
    {
    case 'K': unit = 1024; end++; break;
    case 'M': unit = 1024 * 1024; end++; break;
    case 'G': unit = 1024 * 1024 * 1024; end++; break;
    default: break;
    }
  if (g_ascii_toupper (*end) == 'I' && unit > 1)
    end++;
  if (g_ascii_toupper (*end) == 'B')
    end++;
  if (*end != '\0' || value == 0 || value > G_MAXUINT64 / unit || value * unit < 1024)
    return FALSE;
  *out_bytes = value * unit;
  return TRUE;
}

/**
 * fcm_cli_record_new:
 * @client: the subscriber; no #FcmMonitor made for it yet
 * @on_failure: called when the file cannot be written (the error is on
 *   stderr already)
 *
 * Returns: (transfer full): the recording; the file is opened with the
 *   first line (an error then goes to stderr and makes
 *   fcm_cli_record_failed() true)
 */
FcmCliRecord *
fcm_cli_record_new (const char   *path,
                    guint64       max_size,
                    guint         max_files,
                    FcmHubClient *client,
                    void        (*on_failure) (gpointer data),
                    gpointer      data)
{
  FcmCliRecord *rec = g_new0 (FcmCliRecord, 1);

  rec->on_failure = on_failure;
  rec->data = data;
  g_queue_init (&rec->held);
  rec->recorder = fcm_recorder_new (path);
  fcm_recorder_set_limits (rec->recorder, max_size, max_files);
  fcm_recorder_attach (rec->recorder, client);
  g_signal_connect (rec->recorder, "written", G_CALLBACK (written_cb), rec);
  g_signal_connect (rec->recorder, "notify::error", G_CALLBACK (error_cb), rec);
  return rec;
}

gboolean
fcm_cli_record_failed (FcmCliRecord *rec)
{
  return rec->failed;
}

/**
 * fcm_cli_record_show:
 * @line: one line of output (without its newline)
 *
 * Prints @line once everything recorded so far is in the file.
 */
void
fcm_cli_record_show (FcmCliRecord *rec,
                     const char   *line)
{
  guint64 seq = fcm_recorder_get_queued_seq (rec->recorder);
  Held *held;

  if ((seq <= fcm_recorder_get_written_seq (rec->recorder) && g_queue_is_empty (&rec->held)) ||
      rec->failed)
    {
      show (line);
      fflush (stdout);
      return;
    }
  held = g_new0 (Held, 1);
  held->seq = seq;
  held->line = g_strdup (line);
  g_queue_push_tail (&rec->held, held);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  FcmCliRecord *rec = data;
  g_autoptr(GError) error = NULL;

  if (!fcm_recorder_close_finish (FCM_RECORDER (source), result, &error) && !rec->failed)
    {
      rec->failed = TRUE;
      fprintf (stderr, "watch: %s\n", error->message);
    }
  rec->closed = TRUE;
}

/**
 * fcm_cli_record_finish:
 *
 * Writes what is queued, closes the file, prints what was held and frees
 * @rec.
 *
 * Returns: %FALSE if the recording failed at any point
 */
gboolean
fcm_cli_record_finish (FcmCliRecord *rec)
{
  gboolean ok;

  fcm_recorder_close_async (rec->recorder, NULL, closed_cb, rec);
  while (!rec->closed)
    g_main_context_iteration (NULL, TRUE);
  release (rec, G_MAXUINT64);
  ok = !rec->failed;
  g_signal_handlers_disconnect_by_data (rec->recorder, rec);
  g_object_unref (rec->recorder);
  g_queue_clear_full (&rec->held, (GDestroyNotify) held_free);
  g_free (rec);
  return ok;
}
