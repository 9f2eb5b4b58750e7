/* fcm-recorder-writer.c: the recorder's file: open, write, rotate, close
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmRecorder (see fcm-recorder.c for what is recorded and why it
 * is written this way). One step at a time, each holding a reference to
 * the recorder until it is done: make the folder and open the file (each
 * part starts with its header), write whatever lines are queued (whole
 * lines, as many as the part has room for), rotate the parts at the cap,
 * close. Every step is GIO's asynchronous API: nothing blocks the main loop.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-recorder-private.h"

static void
fail (FcmRecorder *self,
      GError      *error)
{
  if (self->error == NULL)
    {
      g_prefix_error (&error, _("Recording to %s failed: "), self->path);
      self->error = error;
      g_string_truncate (self->pending, 0);
      g_array_set_size (self->marks, 0);
      g_object_notify_by_pspec (G_OBJECT (self), _fcm_recorder_pspec_error);
    }
  else
    g_error_free (error);
}

/* The end of a step: drop the reference the step held, go on. */
static void
step_done (FcmRecorder *self)
{
  self->busy = FALSE;
  _fcm_recorder_start_work (self);
  g_object_unref (self);
}

/* The file is closed (or was never opened): answer fcm_recorder_close_async(). */
static void
finish_close (FcmRecorder  *self,
              const GError *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->close_tasks);

  g_clear_object (&self->stream);
  self->closed = TRUE;
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  self->busy = FALSE;
  g_object_unref (self);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error);
  finish_close (user_data, error);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error))
    fail (self, g_steal_pointer (&error));
  else
    {
      self->size += written;
      self->written_seq = self->writing_seq;
      g_signal_emit (self, _fcm_recorder_signal_written, 0, self->written_seq);
    }
  g_clear_pointer (&self->writing, g_bytes_unref);
  step_done (self);
}

static void open_part (FcmRecorder *self);
static void rotate_next (FcmRecorder *self);

static void
rotate_step_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->rotate_step + 1 == self->max_files)
    ok = g_file_delete_finish (G_FILE (source), result, &error);
  else
    ok = g_file_move_finish (G_FILE (source), result, &error);
  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      fail (self, g_steal_pointer (&error));
      step_done (self);
      return;
    }
  rotate_next (self);
}

/* FILE.(n-1) deleted, FILE.(i-1) → FILE.i …, FILE → FILE.1, one at a time */
static void
rotate_next (FcmRecorder *self)
{
  g_autofree char *from_path = NULL;
  g_autoptr(GFile) from = NULL;

  if (self->rotate_step == 0)
    {
      open_part (self);
      return;
    }
  self->rotate_step--;
  from_path = fcm_recording_part_path (self->path, self->rotate_step);
  from = g_file_new_for_path (from_path);
  if (self->rotate_step + 1 == self->max_files)
    g_file_delete_async (from, G_PRIORITY_DEFAULT, NULL, rotate_step_cb, self);
  else
    {
      g_autofree char *to_path = fcm_recording_part_path (self->path, self->rotate_step + 1);
      g_autoptr(GFile) to = g_file_new_for_path (to_path);

      g_file_move_async (from, to, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT, NULL,
                         NULL, NULL, rotate_step_cb, self);
    }
}

static void
rotate_closed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    g_debug ("recorder: closing a full part: %s", error->message);
  g_clear_object (&self->stream);
  self->rotate_step = self->max_files;
  rotate_next (self);
}

/* Hands @len bytes of pending (whole lines, the last one @seq) to a write. */
static void
start_write (FcmRecorder *self,
             gsize        len,
             guint64      seq)
{
  guint n_marks = 0;

  while (n_marks < self->marks->len && g_array_index (self->marks, Mark, n_marks).end <= len)
    n_marks++;
  g_array_remove_range (self->marks, 0, n_marks);
  for (guint i = 0; i < self->marks->len; i++)
    g_array_index (self->marks, Mark, i).end -= len;

  self->writing = g_bytes_new (self->pending->str, len);
  g_string_erase (self->pending, 0, (gssize) len);
  self->writing_seq = seq;
  g_output_stream_write_all_async (self->stream, g_bytes_get_data (self->writing, NULL), len,
                                   G_PRIORITY_DEFAULT, NULL, written_cb, self);
}

/* Writes what is queued, as much as the part has room for: whole lines,
 * at least one into a fresh part (a line longer than the cap is never
 * split nor dropped). */
static void
write_pending (FcmRecorder *self)
{
  guint64 room = self->max_size > self->size ? self->max_size - self->size : 0;
  Mark fit = { 0, 0 };

  if (self->pending->len <= room)
    {
      start_write (self, self->pending->len, self->pending_seq);
      return;
    }
  for (guint i = 0; i < self->marks->len; i++)
    {
      Mark *mark = &g_array_index (self->marks, Mark, i);

      if (mark->end > room && (i > 0 || !self->fresh_part))
        break;
      fit = *mark;
    }
  start_write (self, fit.end, fit.seq);
}

/* One step at a time, in order: open, rotate, write what is queued, close. */
void
_fcm_recorder_start_work (FcmRecorder *self)
{
  if (self->busy || self->closed)
    return;

  if (self->error == NULL && self->pending->len > 0)
    {
      self->busy = TRUE;
      g_object_ref (self);
      if (self->stream == NULL)
        open_part (self);
      else if (!self->fresh_part && self->size + g_array_index (self->marks, Mark, 0).end > self->max_size)
        g_output_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, rotate_closed_cb, self);
      else
        {
          write_pending (self);
          self->fresh_part = FALSE;
        }
      return;
    }

  if (self->closing)
    {
      self->busy = TRUE;
      g_object_ref (self);
      _fcm_recorder_detach (self);
      if (self->stream != NULL)
        g_output_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, closed_cb, self);
      else
        finish_close (self, NULL);
    }
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) stream = g_file_append_to_finish (G_FILE (source), result, &error);
  g_autoptr(GFileInfo) info = NULL;
  GString *header = g_string_new (NULL);

  if (stream == NULL)
    {
      g_string_free (header, TRUE);
      fail (self, g_steal_pointer (&error));
      step_done (self);
      return;
    }
  self->stream = G_OUTPUT_STREAM (g_steal_pointer (&stream));
  /* appending to a file of an earlier run: its size counts (cheap fstat) */
  info = g_file_output_stream_query_info (G_FILE_OUTPUT_STREAM (self->stream),
                                          G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  self->size = info ? (guint64) g_file_info_get_size (info) : 0;

  /* each part starts with a header, written before the lines queued meanwhile */
  _fcm_recorder_append_header (self, header);
  self->part++;
  self->fresh_part = TRUE;
  self->writing = g_string_free_to_bytes (g_steal_pointer (&header));
  self->writing_seq = self->written_seq;
  g_output_stream_write_all_async (self->stream, g_bytes_get_data (self->writing, NULL),
                                   g_bytes_get_size (self->writing), G_PRIORITY_DEFAULT, NULL,
                                   written_cb, self);
}

static void
mkdir_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_make_directory_finish (G_FILE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autoptr(GFile) parent = g_file_get_parent (G_FILE (source));

      /* its parent is missing too: make that first, then this one again */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) && parent != NULL &&
          g_object_get_data (source, "fcm-retried") == NULL)
        {
          g_object_set_data (G_OBJECT (parent), "fcm-then", g_object_ref (source));
          g_file_make_directory_async (parent, G_PRIORITY_DEFAULT, NULL, mkdir_cb, self);
          return;
        }
      fail (self, g_steal_pointer (&error));
      step_done (self);
      return;
    }

  if (g_object_get_data (source, "fcm-then") != NULL)
    {
      GFile *then = g_object_steal_data (source, "fcm-then");

      g_object_set_data (G_OBJECT (then), "fcm-retried", GINT_TO_POINTER (TRUE));
      g_file_make_directory_async (then, G_PRIORITY_DEFAULT, NULL, mkdir_cb, self);
      g_object_unref (then);
      return;
    }
  g_file_append_to_async (self->file, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, NULL, opened_cb, self);
}

static void
open_part (FcmRecorder *self)
{
  if (!self->opened_once)
    {
      g_autoptr(GFile) dir = g_file_get_parent (self->file);

      /* the first time: make the folder (and its parents) if needed */
      self->opened_once = TRUE;
      if (dir != NULL)
        {
          g_file_make_directory_async (dir, G_PRIORITY_DEFAULT, NULL, mkdir_cb, self);
          return;
        }
    }
  g_file_append_to_async (self->file, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, NULL, opened_cb, self);
}

