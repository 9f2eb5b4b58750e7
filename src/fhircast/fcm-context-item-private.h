/* fcm-context-item-private.h: mutators used by FcmContextStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-context-item.h"
#include "fcm-doc.h"

G_BEGIN_DECLS

FcmContextItem *_fcm_context_item_new             (const char     *anchor_type,
                                                   const char     *anchor_id);
void            _fcm_context_item_set_context     (FcmContextItem *self,
                                                   FcmDoc         *doc,
                                                   const FcmJson  *context,
                                                   const char     *opened_by);
void            _fcm_context_item_set_version_id  (FcmContextItem *self,
                                                   const char     *version_id);
void            _fcm_context_item_set_current     (FcmContextItem *self,
                                                   gboolean        current);
void            _fcm_context_item_set_stale       (FcmContextItem *self,
                                                   gboolean        stale);
void            _fcm_context_item_set_selection   (FcmContextItem *self,
                                                   GStrv           selection);
void            _fcm_context_item_put_content     (FcmContextItem *self,
                                                   const char     *reference,
                                                   FcmDoc         *doc,
                                                   const FcmJson  *resource);
gboolean        _fcm_context_item_delete_content  (FcmContextItem *self,
                                                   const char     *reference);
void            _fcm_context_item_clear_content   (FcmContextItem *self);

G_END_DECLS
