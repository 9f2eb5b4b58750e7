/* fcm-context-store.h: the local view of a session's contexts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-context-item.h"
#include "fcm-event.h"

G_BEGIN_DECLS

/**
 * FcmContextResult:
 * @FCM_CONTEXT_APPLIED: the event changed the stored contexts
 * @FCM_CONTEXT_IGNORED: not a context event, a duplicate, or for an anchor
 *   we do not know (C-33, C-34)
 * @FCM_CONTEXT_DROPPED: older than the event that set the current context
 *   and would change the current context (C-27: an open, or an event about
 *   the current one); reported through #FcmContextStore::event-dropped
 * @FCM_CONTEXT_REJECTED: malformed for its event type; the error says why
 */
typedef enum
{
  FCM_CONTEXT_APPLIED,
  FCM_CONTEXT_IGNORED,
  FCM_CONTEXT_DROPPED,
  FCM_CONTEXT_REJECTED,
} FcmContextResult;

#define FCM_TYPE_CONTEXT_STORE (fcm_context_store_get_type ())

G_DECLARE_FINAL_TYPE (FcmContextStore, fcm_context_store, FCM, CONTEXT_STORE, GObject)

FcmContextStore  *fcm_context_store_new           (void) G_GNUC_WARN_UNUSED_RESULT;
FcmContextResult  fcm_context_store_apply         (FcmContextStore  *self,
                                                   FcmEvent         *event,
                                                   GError          **error);
gboolean          fcm_context_store_load_current  (FcmContextStore  *self,
                                                   JsonNode         *response,
                                                   GError          **error);
void              fcm_context_store_clear         (FcmContextStore  *self);
FcmContextItem   *fcm_context_store_get_current   (FcmContextStore  *self);
FcmContextItem   *fcm_context_store_lookup        (FcmContextStore  *self,
                                                   const char       *anchor_id);
const char       *fcm_context_store_get_version_id (FcmContextStore *self);
gboolean          fcm_context_store_get_stale     (FcmContextStore  *self);
void              fcm_context_store_set_disconnected (FcmContextStore *self,
                                                   gboolean          disconnected);
guint             fcm_context_store_get_n_dropped (FcmContextStore  *self);

const char       *fcm_context_anchor_key          (const char       *anchor_type);

G_END_DECLS
