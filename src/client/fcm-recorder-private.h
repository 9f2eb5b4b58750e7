/* fcm-recorder-private.h: what fcm-recorder.c and fcm-recorder-writer.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-recorder.h"

G_BEGIN_DECLS

/* where a line queued in pending ends, and its seq */
typedef struct
{
  gsize end;
  guint64 seq;
} Mark;

struct _FcmRecorder
{
  GObject parent_instance;

  char *path;
  GFile *file;
  guint64 max_size;
  guint max_files;

  FcmHubClient *client;        /* weak: the client may go first */
  char *hub_url;               /* public form (fcm_recording_public_url) */
  char *topic;
  char *subscriber;
  GPtrArray *secrets;          /* endpoint URLs and ids, the token: never written */

  GOutputStream *stream;
  guint64 size;                /* of the current part */
  guint part;                  /* parts started by this recorder */
  GString *pending;            /* lines queued, not yet handed to a write */
  GArray *marks;               /* Mark: where each line in pending ends, and its seq */
  gboolean fresh_part;         /* no line in this part yet: never rotate it away */
  guint64 queued_seq;          /* the last line queued */
  guint64 pending_seq;         /* the last line in pending */
  GBytes *writing;             /* handed to the write in flight */
  guint64 writing_seq;
  guint64 written_seq;         /* the last line in the kernel */
  gboolean busy;               /* opening, writing, rotating or closing */
  gboolean opened_once;
  gboolean closing;
  gboolean closed;
  guint rotate_step;
  GError *error;               /* the first failure; nothing is recorded after it */
  GPtrArray *close_tasks;
};

extern GParamSpec *_fcm_recorder_pspec_error;
extern guint _fcm_recorder_signal_written;

/* fcm-recorder.c */
void _fcm_recorder_append_header (FcmRecorder *self,
                                  GString     *out);
void _fcm_recorder_detach        (FcmRecorder *self);

/* fcm-recorder-writer.c: one step at a time: open, rotate, write, close */
void _fcm_recorder_start_work    (FcmRecorder *self);

G_END_DECLS
