/* fcm-anonymizer.h: keyed pseudonyms for the PHI in FHIRcast messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FCM_ANONYMIZER_KEY_SIZE 32

#define FCM_TYPE_ANONYMIZER (fcm_anonymizer_get_type ())
G_DECLARE_FINAL_TYPE (FcmAnonymizer, fcm_anonymizer, FCM, ANONYMIZER, GObject)

FcmAnonymizer *fcm_anonymizer_new              (void) G_GNUC_WARN_UNUSED_RESULT;
FcmAnonymizer *fcm_anonymizer_new_with_key     (const guint8  *key,
                                                gsize          key_len) G_GNUC_WARN_UNUSED_RESULT;
void           fcm_anonymizer_learn_text       (FcmAnonymizer *self,
                                                const char    *text);
char          *fcm_anonymizer_rewrite_text     (FcmAnonymizer *self,
                                                const char    *text) G_GNUC_WARN_UNUSED_RESULT;
void           fcm_anonymizer_rewrite_node     (FcmAnonymizer *self,
                                                JsonNode      *node);
guint          fcm_anonymizer_get_n_values     (FcmAnonymizer *self);

G_END_DECLS
