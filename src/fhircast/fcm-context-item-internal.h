/* fcm-context-item-internal.h: what the two files of FcmContextItem share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FcmContextItem (FcmContextStore uses fcm-context-item-private.h) is two
 * files:
 *
 *   fcm-context-item.c          the object: properties, version, current,
 *                               stale, selection, shared content, getters
 *   fcm-context-item-details.c  the report status, patient and study read
 *                               from an open's context
 */

#pragma once

#include "fcm-context-item-private.h"

G_BEGIN_DECLS

/**
 * FcmContextItem:
 *
 * A context opened by a `*-open` event and not closed yet: the anchor
 * (usually a DiagnosticReport), the patient and study it belongs to (kept
 * here because later events carry only the report, C-36), the content
 * version (C-32), the shared content (C-33) and the current selection
 * (C-34). Exactly one item of an #FcmContextStore may be current; the others
 * are suspended (C-37).
 */
struct _FcmContextItem
{
  GObject     parent_instance;

  char       *anchor_type;
  char       *anchor_id;
  char       *report_status;
  char       *patient_id;
  char       *patient_name;
  char       *patient_sex;
  char       *birth_date;
  char       *mrn;
  char       *study_id;
  char       *study_uid;
  char       *accession;
  char       *study_description;
  char       *modality;
  char       *study_date;
  char       *version_id;
  char       *opened_by;
  GStrv       selection;
  FcmDoc     *context_owner; /* holds context_doc */
  const FcmJson *context_doc; /* the open's context array, or NULL */
  JsonArray  *context;      /* json-glib copy of context_doc, made on demand */
  GHashTable *content;      /* "Type/id" → Content */
  GPtrArray  *content_order; /* keys in insertion order, for stable output */

  guint       current : 1;
  guint       stale : 1;
};

enum {
  PROP_0,
  PROP_ANCHOR_TYPE,
  PROP_ANCHOR_ID,
  PROP_REPORT_STATUS,
  PROP_PATIENT_ID,
  PROP_PATIENT_NAME,
  PROP_PATIENT_SEX,
  PROP_BIRTH_DATE,
  PROP_MRN,
  PROP_STUDY_ID,
  PROP_STUDY_UID,
  PROP_ACCESSION,
  PROP_STUDY_DESCRIPTION,
  PROP_MODALITY,
  PROP_STUDY_DATE,
  PROP_VERSION_ID,
  PROP_OPENED_BY,
  PROP_CURRENT,
  PROP_STALE,
  PROP_SELECTION,
  PROP_N_CONTENT,
  N_PROPS
};

/* notifies @prop when *@ptr changes to @value */
void _fcm_context_item_update_str (FcmContextItem *self,
                                   char          **ptr,
                                   const char     *value,
                                   guint           prop);

G_END_DECLS
