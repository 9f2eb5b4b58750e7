/* fcm-context-store-private.h: what the two files of FcmContextStore share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fcm-context-store.c        the object and its list model, the state
 *                              helpers, Get Current Context answers,
 *                              clearing, getters
 *   fcm-context-store-apply.c  applying an open, close, update or select
 *
 * Functions shared between them have an _fcm_context_store_ prefix.
 */

#pragma once

#include "fcm-context-store.h"

G_BEGIN_DECLS

/**
 * FcmContextStore:
 *
 * Applies `*-open`, `-close`, `-update` and `-select` events, in order, to
 * the contexts a subscriber knows about, and exposes them as a #GListModel
 * of #FcmContextItem (in the order they were opened).
 *
 * - Several contexts may be open at once; the last opened (or resumed) one
 *   is current, the others are suspended (C-37). Re-opening a known anchor
 *   resumes it.
 * - A close drops that context and its content; when it was current, the
 *   current context becomes empty, with no fall-back (C-35).
 * - `context.versionId` is kept per context (C-32); an update whose
 *   `context.priorVersionId` differs from the stored version marks the
 *   context stale: content was missed and must be fetched again (C-33).
 *   The new version is always stored.
 * - An event older than the one that set the current context is dropped and
 *   reported when it would change the current context (C-27; an older close
 *   of a suspended context is applied); a repeated event id is ignored
 *   (C-38, C-67).
 */
struct _FcmContextStore
{
  GObject     parent_instance;

  GPtrArray  *items;          /* FcmContextItem, in opening order */
  FcmContextItem *current;    /* borrowed from items, or NULL */
  gint64      anchor_usec;    /* timestamp of the event that set the current context */
  GHashTable *seen_ids;       /* recent event ids */
  GQueue      seen_order;
  guint       n_dropped;
  guint       disconnected : 1;
  guint       stale : 1;      /* cached value of the "stale" property */
};

void            _fcm_context_store_update_state        (FcmContextStore *self,
                                                        FcmContextItem  *old_current,
                                                        const char      *old_version);
void            _fcm_context_store_set_current         (FcmContextStore *self,
                                                        FcmContextItem  *item);
gint            _fcm_context_store_find_item           (FcmContextStore *self,
                                                        const char      *anchor_type,
                                                        const char      *anchor_id);
void            _fcm_context_store_append_item         (FcmContextStore *self,
                                                        FcmContextItem  *item);
void            _fcm_context_store_remove_item         (FcmContextStore *self,
                                                        guint            position);
void            _fcm_context_store_emit_dropped        (FcmContextStore *self,
                                                        FcmEvent        *event);
char           *_fcm_context_store_normalize_reference (const char      *reference);
char           *_fcm_context_store_resource_reference  (const FcmJson   *resource);

G_END_DECLS
