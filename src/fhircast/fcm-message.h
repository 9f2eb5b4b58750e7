/* fcm-message.h: one received FHIRcast message, parsed once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fcm-event.h"
#include "fcm-validator.h"

G_BEGIN_DECLS

#define FCM_TYPE_MESSAGE (fcm_message_get_type ())

typedef struct _FcmMessage FcmMessage;

GType           fcm_message_get_type       (void) G_GNUC_CONST;

FcmMessage     *fcm_message_new            (const char    *text,
                                            gssize         length) G_GNUC_WARN_UNUSED_RESULT;
FcmMessage     *fcm_message_new_unparsed   (const char    *text,
                                            gssize         length,
                                            const char    *reason) G_GNUC_WARN_UNUSED_RESULT;
FcmMessage     *fcm_message_ref            (FcmMessage    *self);
void            fcm_message_unref          (FcmMessage    *self);

FcmMessageKind  fcm_message_get_kind       (FcmMessage    *self);
gboolean        fcm_message_is_event       (FcmMessage    *self);
const char     *fcm_message_get_text       (FcmMessage    *self);
FcmDoc         *fcm_message_get_doc        (FcmMessage    *self);
JsonNode       *fcm_message_get_root       (FcmMessage    *self);
FcmEvent       *fcm_message_get_event      (FcmMessage    *self);
const GError   *fcm_message_get_error      (FcmMessage    *self);
gint64          fcm_message_get_received_usec (FcmMessage *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FcmMessage, fcm_message_unref)

G_END_DECLS
