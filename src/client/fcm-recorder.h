/* fcm-recorder.h: records a subscriber's session, append-only, as NDJSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-hub-client.h"
#include "fcm-recording.h"

G_BEGIN_DECLS

#define FCM_TYPE_RECORDER (fcm_recorder_get_type ())
G_DECLARE_FINAL_TYPE (FcmRecorder, fcm_recorder, FCM, RECORDER, GObject)

FcmRecorder  *fcm_recorder_new             (const char          *path) G_GNUC_WARN_UNUSED_RESULT;
const char   *fcm_recorder_get_path        (FcmRecorder         *self);
void          fcm_recorder_set_limits      (FcmRecorder         *self,
                                            guint64              max_size,
                                            guint                max_files);
void          fcm_recorder_attach          (FcmRecorder         *self,
                                            FcmHubClient        *client);
void          fcm_recorder_record          (FcmRecorder         *self,
                                            FcmRecordType        type,
                                            const char          *id,
                                            guint                status,
                                            const char          *text);
guint64       fcm_recorder_get_queued_seq  (FcmRecorder         *self);
guint64       fcm_recorder_get_written_seq (FcmRecorder         *self);
guint64       fcm_recorder_get_size        (FcmRecorder         *self);
const GError *fcm_recorder_get_error       (FcmRecorder         *self);

void          fcm_recorder_close_async     (FcmRecorder         *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      fcm_recorder_close_finish    (FcmRecorder         *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
