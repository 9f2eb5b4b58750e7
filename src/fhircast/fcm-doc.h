/* fcm-doc.h: a parsed JSON document, read-only, for the hot path
 *
 * An FcmDoc is one JSON text parsed by cJSON: a compact tree with no hash
 * table per object and one allocation per value, about ten times cheaper to
 * build and free than a json-glib tree (docs/performance.md). Received
 * messages, events, the validator and the context store read it through the
 * accessors below; a JsonNode is made only where an API or the UI needs one
 * (fcm_doc_to_node()).
 *
 * An FcmJson is a value inside a document: a borrowed pointer that is valid
 * as long as its FcmDoc is. Every accessor accepts %NULL and a value of the
 * wrong type and then answers %NULL / %FALSE, so readers never check twice.
 *
 * Objects are small lists: a member lookup walks the members and, as
 * json-glib does, the last of repeated names wins. Walk arrays with
 * FCM_DOC_FOREACH, not by index: fcm_doc_index() is linear.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _FcmDoc  FcmDoc;
typedef struct _FcmJson FcmJson;

typedef enum
{
  FCM_JSON_NULL,
  FCM_JSON_BOOLEAN,
  FCM_JSON_NUMBER,
  FCM_JSON_STRING,
  FCM_JSON_ARRAY,
  FCM_JSON_OBJECT,
} FcmJsonType;

#define FCM_TYPE_DOC (fcm_doc_get_type ())

GType           fcm_doc_get_type          (void) G_GNUC_CONST;

FcmDoc         *fcm_doc_parse             (const char     *text,
                                           gssize          length,
                                           GError        **error) G_GNUC_WARN_UNUSED_RESULT;
FcmDoc         *fcm_doc_new_from_node     (JsonNode       *node,
                                           GError        **error) G_GNUC_WARN_UNUSED_RESULT;
FcmDoc         *fcm_doc_ref               (FcmDoc         *doc);
void            fcm_doc_unref             (FcmDoc         *doc);
const FcmJson  *fcm_doc_get_root          (FcmDoc         *doc);

/* values */
FcmJsonType     fcm_doc_type              (const FcmJson  *value);
const char     *fcm_doc_type_name         (const FcmJson  *value);
gboolean        fcm_doc_is_object         (const FcmJson  *value);
gboolean        fcm_doc_is_array          (const FcmJson  *value);
gboolean        fcm_doc_is_string         (const FcmJson  *value);
gboolean        fcm_doc_is_null           (const FcmJson  *value);
const char     *fcm_doc_string            (const FcmJson  *value);
gboolean        fcm_doc_number            (const FcmJson  *value,
                                           double         *out_value);
gboolean        fcm_doc_int               (const FcmJson  *value,
                                           gint64         *out_value);
gboolean        fcm_doc_boolean           (const FcmJson  *value,
                                           gboolean       *out_value);

/* objects and arrays */
const FcmJson  *fcm_doc_member            (const FcmJson  *object,
                                           const char     *name);
gboolean        fcm_doc_has_member        (const FcmJson  *object,
                                           const char     *name);
const char     *fcm_doc_get_string        (const FcmJson  *object,
                                           const char     *name);
const FcmJson  *fcm_doc_get_object        (const FcmJson  *object,
                                           const char     *name);
const FcmJson  *fcm_doc_get_array         (const FcmJson  *object,
                                           const char     *name);
gboolean        fcm_doc_get_int           (const FcmJson  *object,
                                           const char     *name,
                                           gint64         *out_value);
guint           fcm_doc_length            (const FcmJson  *container);
const FcmJson  *fcm_doc_first             (const FcmJson  *container);
const FcmJson  *fcm_doc_next              (const FcmJson  *child);
const char     *fcm_doc_name              (const FcmJson  *member);
const FcmJson  *fcm_doc_index             (const FcmJson  *array,
                                           guint           index_);

/* Walks the members of an object or the elements of an array. */
#define FCM_DOC_FOREACH(container, child) \
  for (const FcmJson *child = fcm_doc_first (container); child != NULL; child = fcm_doc_next (child))

/* json-glib, for the API and the UI */
JsonNode       *fcm_doc_to_node           (const FcmJson  *value) G_GNUC_WARN_UNUSED_RESULT;
char           *fcm_doc_to_string         (const FcmJson  *value) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FcmDoc, fcm_doc_unref)

G_END_DECLS
