/* fcm-recording.h: recorded sessions, the file format and reading it back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fcm-context-store.h"
#include "fcm-event-log.h"

G_BEGIN_DECLS

/* The format's version, in every header line ("version"). */
#define FCM_RECORDING_VERSION 1

/* Defaults of the size cap: 64 MiB a file, the current one and 4 older parts. */
#define FCM_RECORDING_DEFAULT_MAX_SIZE  (64 * 1024 * 1024)
#define FCM_RECORDING_DEFAULT_MAX_FILES 5

/**
 * FcmRecordType:
 * @FCM_RECORD_HEADER: the first line of every file: who recorded what
 * @FCM_RECORD_FRAME: a frame received on the WebSocket ("in")
 * @FCM_RECORD_ACK: an ack we sent ("out")
 * @FCM_RECORD_REQUEST: a context change we POSTed ("out")
 * @FCM_RECORD_CONTEXT: a Get Current Context answer ("in")
 * @FCM_RECORD_STATE: the subscriber's state changed ("local")
 * @FCM_RECORD_SUMMARY: the validation summary of an anonymized export
 * @FCM_RECORD_OTHER: a line of a type this version does not know
 */
typedef enum {
  FCM_RECORD_HEADER,
  FCM_RECORD_FRAME,
  FCM_RECORD_ACK,
  FCM_RECORD_REQUEST,
  FCM_RECORD_CONTEXT,
  FCM_RECORD_STATE,
  FCM_RECORD_SUMMARY,
  FCM_RECORD_OTHER,
} FcmRecordType;

/**
 * FcmRecord:
 * @type: what the line is
 * @at_usec: when it was received or sent (microseconds since the epoch, UTC)
 * @text: (nullable): the raw text of a frame, ack or request
 * @id: (nullable): the event id an ack or a request is about
 * @status: the status of an ack, else 0
 * @state: (nullable): the state of a state line
 * @object: the whole line (for the header's members and anything else)
 *
 * One line of a recording, read by fcm_record_parse(). The strings belong
 * to @object.
 */
typedef struct
{
  FcmRecordType  type;
  gint64         at_usec;
  const char    *text;
  const char    *id;
  guint          status;
  const char    *state;
  JsonObject    *object;
} FcmRecord;

const char *fcm_record_type_to_string     (FcmRecordType  type);

gboolean    fcm_record_parse              (const char    *line,
                                           gssize         length,
                                           FcmRecord     *record,
                                           GError       **error);
void        fcm_record_clear              (FcmRecord     *record);
const char *fcm_record_get_string         (FcmRecord     *record,
                                           const char    *member);

GPtrArray  *fcm_recording_read_file       (const char    *path,
                                           GError       **error) G_GNUC_WARN_UNUSED_RESULT;

char       *fcm_recording_part_path       (const char    *path,
                                           guint          part) G_GNUC_WARN_UNUSED_RESULT;
char       *fcm_recording_default_dir     (void) G_GNUC_WARN_UNUSED_RESULT;
char       *fcm_recording_default_name    (const char    *hub_url,
                                           GDateTime     *started) G_GNUC_WARN_UNUSED_RESULT;
char       *fcm_recording_public_url      (const char    *url) G_GNUC_WARN_UNUSED_RESULT;

void        fcm_recording_append_time     (GString       *out,
                                           gint64         usec);
void        fcm_recording_append_string   (GString       *out,
                                           const char    *text);

/**
 * FcmRecordingInfo:
 * @hub_url: (nullable): the hub a recording was made against
 * @topic: (nullable): its topic
 * @subscriber: (nullable): subscriber.name
 * @started_usec: when the first header says it started, or 0
 * @n_frames: frames read
 * @n_skipped: lines that could not be read (not JSON, not a record)
 *
 * What fcm_recording_load_finish() found besides the frames.
 */
typedef struct
{
  char   *hub_url;
  char   *topic;
  char   *subscriber;
  gint64  started_usec;
  guint   n_frames;
  guint   n_skipped;
} FcmRecordingInfo;

void        fcm_recording_info_free       (FcmRecordingInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FcmRecordingInfo, fcm_recording_info_free)

void        fcm_recording_load_async      (GFile             *file,
                                           FcmEventLog       *event_log,
                                           FcmContextStore   *context_store,
                                           GCancellable      *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer           user_data);
FcmRecordingInfo *fcm_recording_load_finish (GAsyncResult    *result,
                                           GError          **error) G_GNUC_WARN_UNUSED_RESULT;

/* fcm-recording-export.c: with the PHI removed, for a bug report */
void        fcm_recording_anonymize_async  (GBytes           *input,
                                            GCancellable     *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer          user_data);
GBytes     *fcm_recording_anonymize_finish (GAsyncResult     *result,
                                            GError          **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes     *fcm_recording_from_event_log   (FcmEventLog      *event_log,
                                            const char       *hub_url,
                                            const char       *topic) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
