/* fcm-json-private.h: defensive json-glib helpers
 *
 * json-glib's *_with_default getters emit criticals when a member exists with
 * the wrong type, so every reader in core goes through these helpers, which
 * check node types first and return NULL/FALSE on any mismatch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Limits applied to every JSON text core parses. */
#define FCM_JSON_MAX_BYTES (16 * 1024 * 1024)
#define FCM_JSON_MAX_DEPTH 64

JsonNode    *fcm_json_parse                (const char  *text,
                                            gssize       length,
                                            GError     **error);
gboolean     _fcm_json_check_text          (const char  *text,
                                            gsize        length,
                                            GError     **error);
gboolean     _fcm_json_check_size_and_utf8 (const char  *text,
                                            gsize        length,
                                            GError     **error);
gboolean     _fcm_json_check_depth         (const char  *text,
                                            gsize        length,
                                            GError     **error);
gboolean     _fcm_doc_check_one_value      (const char  *text,
                                            gsize        length,
                                            GError     **error);
char        *fcm_json_to_string            (JsonNode    *node,
                                            gboolean     pretty);
void         fcm_json_append_string        (GString     *out,
                                            const char  *text);
void         fcm_json_append_uint          (GString     *out,
                                            guint        n,
                                            int          width);
const char  *fcm_json_node_type_name       (JsonNode    *node);
const char  *fcm_json_get_string           (JsonObject  *object,
                                            const char  *member);
JsonObject  *fcm_json_get_object           (JsonObject  *object,
                                            const char  *member);
JsonArray   *fcm_json_get_array            (JsonObject  *object,
                                            const char  *member);
gboolean     fcm_json_get_int              (JsonObject  *object,
                                            const char  *member,
                                            gint64      *out_value);
gboolean     fcm_json_get_bool             (JsonObject  *object,
                                            const char  *member,
                                            gboolean    *out_value);
JsonObject  *fcm_json_array_get_object     (JsonArray   *array,
                                            guint        index);
const char  *fcm_json_array_get_string     (JsonArray   *array,
                                            guint        index);
gboolean     fcm_json_node_is_string       (JsonNode    *node);
gboolean     fcm_json_parse_timestamp      (const char  *text,
                                            gint64      *out_usec);
char        *fcm_json_reference_key        (const char  *reference);
char        *fcm_json_reference_id         (const char  *reference,
                                            const char  *resource_type);

G_END_DECLS
