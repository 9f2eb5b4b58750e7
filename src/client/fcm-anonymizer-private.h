/* fcm-anonymizer-private.h: what fcm-anonymizer.c and fcm-anonymizer-pseudonyms.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-anonymizer.h"

G_BEGIN_DECLS

struct _FcmAnonymizer
{
  GObject parent_instance;

  guint8 key[FCM_ANONYMIZER_KEY_SIZE];
  GHashTable *cache;      /* "namespace\x1fvalue" → pseudonym */
  GHashTable *known;      /* an original value → its pseudonym, for free text */
  GPtrArray *by_length;   /* the keys of known, longest first (when sorted) */
  gboolean sorted;
};

typedef char *(*FcmPseudonymFunc) (FcmAnonymizer *self,
                                   const char    *value);

void        _fcm_anonymizer_remember          (FcmAnonymizer    *self,
                                               const char       *original,
                                               const char       *pseudonym);
const char *_fcm_anonymizer_cached            (FcmAnonymizer    *self,
                                               const char       *ns,
                                               const char       *value,
                                               FcmPseudonymFunc  make);
char       *_fcm_anonymizer_make_shape        (FcmAnonymizer    *self,
                                               const char       *value);
char       *_fcm_anonymizer_make_date         (FcmAnonymizer    *self,
                                               const char       *value);
const char *_fcm_anonymizer_pseudo_identifier (FcmAnonymizer    *self,
                                               const char       *value);
char       *_fcm_anonymizer_pseudo_name       (FcmAnonymizer    *self,
                                               const char       *text,
                                               gboolean          learn);
char       *_fcm_anonymizer_pseudo_reference  (FcmAnonymizer    *self,
                                               const char       *reference,
                                               gboolean          learn);
char       *_fcm_anonymizer_rewrite_free_text (FcmAnonymizer    *self,
                                               const char       *text);
gboolean    _fcm_anonymizer_is_structural     (const char       *member);

G_END_DECLS
