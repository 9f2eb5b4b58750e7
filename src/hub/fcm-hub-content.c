/* fcm-hub-content.c: content sharing (H-24, H-25, H-27)
 *
 * A DiagnosticReport-update carries a transaction Bundle of PUT and DELETE
 * entries. It is checked as a whole before anything is applied to the
 * context's content, so a rejected one changes nothing (H-25); it may
 * neither change the identifiers of the patient or study nor delete a
 * context resource. Also the lookups a -select needs (H-27).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include "fcm-hub-private.h"

char *
_fcm_hub_resource_key (JsonObject *resource)
{
  const char *type = fcm_json_get_string (resource, "resourceType");
  const char *id = fcm_json_get_string (resource, "id");

  if (type == NULL || id == NULL)
    return NULL;
  return g_strdup_printf ("%s/%s", type, id);
}

gboolean
_fcm_hub_context_knows (Context    *ctx,
                        const char *key)
{
  if (json_object_has_member (ctx->content, key))
    return TRUE;

  for (guint i = 0; i < json_array_get_length (ctx->context); i++)
    {
      JsonObject *item = fcm_json_array_get_object (ctx->context, i);
      g_autofree char *k = _fcm_hub_resource_key (fcm_json_get_object (item, "resource"));

      if (g_strcmp0 (k, key) == 0)
        return TRUE;
    }
  return FALSE;
}

static JsonObject *
context_lookup_resource (Context    *ctx,
                         const char *key)
{
  for (guint i = 0; i < json_array_get_length (ctx->context); i++)
    {
      JsonObject *item = fcm_json_array_get_object (ctx->context, i);
      JsonObject *res = fcm_json_get_object (item, "resource");
      g_autofree char *k = _fcm_hub_resource_key (res);

      if (g_strcmp0 (k, key) == 0)
        return res;
    }
  return NULL;
}

/* Validates a DiagnosticReport-update Bundle completely before anything is
 * applied (H-24, H-25). */
gboolean
_fcm_hub_check_update_bundle (Context    *ctx,
                              JsonObject *bundle,
                              Verdict    *v)
{
  JsonArray *entries;

  if (bundle == NULL || g_strcmp0 (fcm_json_get_string (bundle, "resourceType"), "Bundle") != 0)
    REJECT (v, 400, "updates: expected a Bundle resource");
  if (g_strcmp0 (fcm_json_get_string (bundle, "type"), "transaction") != 0)
    REJECT (v, 400, "updates: Bundle.type must be \"transaction\"");

  entries = fcm_json_get_array (bundle, "entry");
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = fcm_json_array_get_object (entries, i);
      JsonObject *request = fcm_json_get_object (entry, "request");
      const char *method = fcm_json_get_string (request, "method");
      const char *url = fcm_json_get_string (request, "url");

      if (entry == NULL || method == NULL || url == NULL)
        REJECT (v, 400, "updates: entry[%u] needs request.method and request.url", i);

      if (g_str_equal (method, "PUT"))
        {
          JsonObject *res = fcm_json_get_object (entry, "resource");
          g_autofree char *key = _fcm_hub_resource_key (res);
          JsonObject *original;

          if (key == NULL)
            REJECT (v, 400, "updates: entry[%u] PUT needs a resource with resourceType and id", i);
          original = context_lookup_resource (ctx, key);
          if (original != NULL &&
              (g_str_has_prefix (key, "Patient/") || g_str_has_prefix (key, "ImagingStudy/")))
            {
              JsonNode *a = json_object_get_member (original, "identifier");
              JsonNode *b = json_object_get_member (res, "identifier");

              if ((a == NULL) != (b == NULL) || (a != NULL && !json_node_equal (a, b)))
                REJECT (v, 400, "updates: entry[%u] changes the identifiers of %s", i, key);
            }
        }
      else if (g_str_equal (method, "DELETE"))
        {
          JsonObject *original = context_lookup_resource (ctx, url);
          const char *type = original != NULL ? fcm_json_get_string (original, "resourceType") : NULL;

          if (g_strcmp0 (type, "Patient") == 0 || g_strcmp0 (type, "ImagingStudy") == 0 ||
              g_strcmp0 (type, ctx->anchor_type) == 0)
            REJECT (v, 400, "updates: entry[%u] deletes the context resource %s", i, url);
        }
      else
        REJECT (v, 400, "updates: entry[%u] uses method %s; only PUT and DELETE are allowed", i, method);
    }

  return TRUE;
}

void
_fcm_hub_apply_update_bundle (Context    *ctx,
                              JsonObject *bundle)
{
  JsonArray *entries = fcm_json_get_array (bundle, "entry");

  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = fcm_json_array_get_object (entries, i);
      JsonObject *request = fcm_json_get_object (entry, "request");
      const char *method = fcm_json_get_string (request, "method");

      if (g_strcmp0 (method, "PUT") == 0)
        {
          JsonNode *res = json_object_get_member (entry, "resource");
          g_autofree char *key = _fcm_hub_resource_key (json_node_get_object (res));

          json_object_set_member (ctx->content, key, json_node_copy (res));
        }
      else if (json_object_has_member (ctx->content, fcm_json_get_string (request, "url")))
        json_object_remove_member (ctx->content, fcm_json_get_string (request, "url"));
    }
}
