/* fcm-validator-content.c: content sharing, DiagnosticReport-update and -select
 *
 * -update: the 'updates' transaction Bundle, its PUT/DELETE entries and the
 * version ids of requests and notifications (C-56, C-57, H-24). -select:
 * the selected resources or references in their three shapes (C-58).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-validator-private.h"

/* ------------------------------------------------------------------------ */
/* Bundles in context items (C-56, H-29)                                    */
/* ------------------------------------------------------------------------ */

/**
 * fcm_check_bundle:
 * @bundle: the Bundle held by the context item @key (its resourceType
 *   already checked by the caller)
 * @path: the JSON path of @bundle
 * @key: the context item's key, for the messages ("updates", "content")
 * @bundle_type: the Bundle.type it must have
 * @check_entry: called for every entry that is an object
 *
 * What the updates Bundle of -update (C-56) and the content Bundle of a
 * current context (H-29) share: the Bundle type, and entries that are
 * objects.
 *
 * Returns: the entry array, or %NULL when it is absent or not an array
 */
const FcmJson *
fcm_check_bundle (FcmCheck           *c,
                  const FcmJson      *bundle,
                  const char         *path,
                  const char         *key,
                  const char         *bundle_type,
                  const char         *rule,
                  FcmBundleEntryFunc  check_entry,
                  gpointer            user_data)
{
  g_autofree char *entry_path = fcm_path_member (path, "entry");
  g_autofree char *why = g_strdup_printf (_("the %s Bundle has type '%s'"), key, bundle_type);
  const char *type;
  const FcmJson *entries;
  guint i = 0;

  type = fcm_check_require_string (c, bundle, path, "type", rule, ERROR, why);
  if (type != NULL && strcmp (type, bundle_type) != 0)
    {
      g_autofree char *type_path = fcm_path_member (path, "type");

      fcm_check_add (c, ERROR, rule, type_path,
                     _("The %s Bundle must have type '%s', got '%.*s%s'"), key, bundle_type,
                     SHOW (type));
    }

  entries = fcm_check_read_array (c, bundle, path, "entry", rule);

  FCM_DOC_FOREACH (entries, node)
    {
      g_autofree char *one_path = fcm_path_index (entry_path, i++);

      if (fcm_as_object (node) == NULL)
        fcm_check_add (c, ERROR, rule, one_path, _("Bundle entries must be objects, got %s"),
                       fcm_doc_type_name (node));
      else
        check_entry (c, node, one_path, user_data);
    }

  return entries;
}

/* ------------------------------------------------------------------------ */
/* DiagnosticReport-update (C-56, C-57, H-24)                               */
/* ------------------------------------------------------------------------ */

/* One entry of the updates Bundle; @user_data is the set of the
 * resources seen so far. */
static void
check_update_entry (FcmCheck      *c,
                    const FcmJson *entry,
                    const char    *entry_path,
                    gpointer       user_data)
{
  GHashTable *seen = user_data;
  g_autofree char *request_path = fcm_path_member (entry_path, "request");
  g_autofree char *method_path = fcm_path_member (request_path, "method");
  g_autofree char *resource_path = fcm_path_member (entry_path, "resource");
  g_autofree char *identity = NULL;
  const FcmJson *request;
  const FcmJson *resource_node;
  const FcmJson *resource;
  const char *method = NULL;
  const char *url = NULL;
  const char *full_url;
  gboolean has_full_url;

  resource_node = fcm_get_member (entry, "resource");
  resource = fcm_as_object (resource_node);
  full_url = fcm_check_read_string (c, entry, entry_path, "fullUrl", "C-56", &has_full_url);

  request = fcm_check_read_object (c, entry, entry_path, "request", "C-56");
  if (request == NULL && fcm_get_member (entry, "request") == NULL)
    fcm_check_add (c, ERROR, "C-56", request_path,
                   _("Update bundle entries need 'request' with 'method' (PUT or DELETE) and "
                     "'url'"));

  if (request != NULL)
    {
      method = fcm_check_require_string (c, request, request_path, "method", "C-56", ERROR,
                                         N_("PUT or DELETE"));
      url = fcm_check_require_string (c, request, request_path, "url", "C-56", ERROR,
                                      N_("the FC content-update-bundle profile requires request.url "
                                         "(the FC §3.6.3 examples omit it, digest §4.3 item 7)"));
    }

  if (method == NULL)
    {
      /* reported above */
    }
  else if (strcmp (method, "PUT") == 0)
    {
      if (resource_node == NULL)
        fcm_check_add (c, ERROR, "C-56", resource_path,
                       _("A PUT entry needs the 'resource' it writes"));
      else if (resource == NULL)
        fcm_check_add (c, ERROR, "C-56", resource_path,
                       _("'resource' must be a FHIR resource object, got %s"),
                       fcm_doc_type_name (resource_node));
      else
        {
          const char *type = fcm_check_read_string (c, resource, resource_path, "resourceType",
                                                    "C-56", NULL);
          const char *id = fcm_check_read_string (c, resource, resource_path, "id", "C-56", NULL);

          if (type == NULL)
            fcm_check_add (c, ERROR, "C-56", resource_path,
                           _("The PUT resource has no 'resourceType'"));
          if (type != NULL && id != NULL && url != NULL)
            {
              g_autofree char *want = g_strconcat (type, "/", id, NULL);
              g_autofree char *have = fcm_json_reference_key (url);

              if (g_strcmp0 (want, have) != 0)
                {
                  g_autofree char *url_path = fcm_path_member (request_path, "url");

                  fcm_check_add (c, WARNING, "C-56", url_path,
                                 _("request.url '%.*s%s' does not name the resource it carries "
                                   "(%.*s%s)"), SHOW (url), SHOW (want));
                }
            }
        }
    }
  else if (strcmp (method, "DELETE") == 0)
    {
      g_autofree char *target = NULL;

      if (!has_full_url)
        {
          g_autofree char *full_url_path = fcm_path_member (entry_path, "fullUrl");

          fcm_check_add (c, ERROR, "C-56", full_url_path, _("A DELETE entry needs 'fullUrl'"));
        }
      else if (full_url != NULL && *full_url == '\0')
        {
          g_autofree char *full_url_path = fcm_path_member (entry_path, "fullUrl");

          fcm_check_add (c, ERROR, "C-56", full_url_path, _("'fullUrl' must not be empty"));
        }

      if (resource_node != NULL)
        fcm_check_add (c, ERROR, "C-56", resource_path, _("A DELETE entry carries no 'resource'"));

      target = fcm_json_reference_key (url != NULL ? url : full_url);
      if (target != NULL &&
          (g_str_has_prefix (target, "Patient/") || g_str_has_prefix (target, "ImagingStudy/")))
        fcm_check_add (c, ERROR, "C-57", entry_path,
                       _("An update must never delete the patient or study context (%.*s%s); IRA "
                         "answers 400. Close and re-open the report instead"), SHOW (target));
    }
  else if (strcmp (method, "POST") == 0)
    {
      fcm_check_add (c, ERROR, "C-56", method_path,
                     _("POST entries are not allowed: the FC content-update-bundle profile allows "
                       "only PUT and DELETE (IRA examples and some clients use POST, digest §4.3 "
                       "item 7)"));
    }
  else
    {
      fcm_check_add (c, ERROR, "C-56", method_path,
                     _("request.method must be PUT or DELETE, got '%.*s%s'"), SHOW (method));
    }

  /* A resource may appear only once in the bundle. */
  if (resource != NULL && fcm_doc_get_string (resource, "resourceType") != NULL &&
      fcm_doc_get_string (resource, "id") != NULL)
    identity = g_strconcat (fcm_doc_get_string (resource, "resourceType"), "/",
                            fcm_doc_get_string (resource, "id"), NULL);
  else
    identity = fcm_json_reference_key (url != NULL ? url : full_url);

  if (identity != NULL)
    {
      if (g_hash_table_contains (seen, identity))
        fcm_check_add (c, ERROR, "C-56", entry_path,
                       _("%.*s%s appears more than once in the bundle; a resource may appear only "
                         "once"), SHOW (identity));
      else
        g_hash_table_add (seen, g_steal_pointer (&identity));
    }
}

static void
check_update_bundle (FcmCheck      *c,
                     const FcmJson *bundle,
                     const char    *path)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *resource_type;
  const FcmJson *entries;

  resource_type = fcm_doc_get_string (bundle, "resourceType");
  if (resource_type == NULL)
    return; /* reported by the generic item check */

  if (strcmp (resource_type, "Bundle") != 0)
    {
      g_autofree char *rt_path = fcm_path_member (path, "resourceType");

      fcm_check_add (c, ERROR, "C-56", rt_path, _("'updates' must be a Bundle, got '%.*s%s'"),
                     SHOW (resource_type));
      return;
    }

  entries = fcm_check_bundle (c, bundle, path, "updates", "transaction", "C-56",
                              check_update_entry, seen);
  if (entries == NULL && fcm_get_member (bundle, "entry") == NULL)
    {
      g_autofree char *entry_path = fcm_path_member (path, "entry");

      fcm_check_add (c, INFO, "C-56", entry_path, _("The updates Bundle has no entries"));
    }
}

/* -update and -select name the report whose content they change. */
static void
check_report_item (FcmCheck     *c,
                   FcmEventInfo *ev,
                   const char   *rule)
{
  g_autofree char *item_path = NULL;
  const FcmJson *item;
  guint idx = 0;

  if (!(item = fcm_find_item (ev->context, "report", &idx)))
    {
      fcm_check_add (c, ERROR, rule, ev->ctx_path,
                     _("%s needs a 'report' context item (a reference to DiagnosticReport/<id>)"),
                     ev->canonical);
      return;
    }

  item_path = fcm_path_index (ev->ctx_path, idx);
  g_free (fcm_check_report_item_id (c, item, item_path, rule));
}

void
fcm_check_dr_update (FcmCheck     *c,
                     FcmEventInfo *ev)
{
  FcmItemIter it = FCM_ITEM_ITER_INIT;
  const FcmJson *updates;
  guint n_updates = 0;

  check_report_item (c, ev, "C-56");

  while ((updates = fcm_next_item (ev->context, "updates", &it)))
    {
      g_autofree char *item_path = NULL;
      g_autofree char *res_path = NULL;
      const FcmJson *bundle;

      item_path = fcm_path_index (ev->ctx_path, it.index);
      if (++n_updates > 1)
        {
          fcm_check_add (c, ERROR, "C-56", item_path,
                         _("%s carries more than one 'updates' item; exactly one Bundle is "
                           "allowed"), ev->canonical);
          continue;
        }

      res_path = fcm_path_member (item_path, "resource");
      if (!(bundle = fcm_doc_get_object (updates, "resource")))
        {
          if (fcm_get_member (updates, "resource") == NULL)
            fcm_check_add (c, ERROR, "C-56", res_path,
                           _("'updates' must hold the Bundle as 'resource'"));
          continue;
        }

      check_update_bundle (c, bundle, res_path);
    }

  if (n_updates == 0)
    fcm_check_add (c, ERROR, "C-56", ev->ctx_path,
                   _("%s needs an 'updates' context item holding a transaction Bundle"),
                   ev->canonical);

  /* Requests carry the version the sender knows; hub notifications carry
   * the new version and the one it replaces (C-56, H-24). */
  if (ev->notification)
    {
      if (!ev->has_version)
        {
          g_autofree char *version_path = fcm_path_member (ev->ev_path, "context.versionId");

          fcm_check_add (c, ERROR, "H-24", version_path,
                         _("A %s notification must carry the new 'context.versionId'"),
                         ev->canonical);
        }
      if (!ev->has_prior_version)
        {
          g_autofree char *prior_path = fcm_path_member (ev->ev_path, "context.priorVersionId");

          fcm_check_add (c, ERROR, "H-24", prior_path,
                         _("A %s notification must carry 'context.priorVersionId' (the version it "
                           "replaces)"), ev->canonical);
        }
      if (ev->version_id != NULL && ev->prior_version_id != NULL &&
          strcmp (ev->version_id, ev->prior_version_id) == 0)
        {
          g_autofree char *version_path = fcm_path_member (ev->ev_path, "context.versionId");

          fcm_check_add (c, ERROR, "H-24", version_path,
                         _("'context.versionId' equals 'context.priorVersionId'; the hub creates a "
                           "new version for every applied update"));
        }
    }
  else if (!ev->has_version)
    {
      g_autofree char *version_path = fcm_path_member (ev->ev_path, "context.versionId");

      fcm_check_add (c, ERROR, "C-56", version_path,
                     _("A %s request must carry 'context.versionId' (the newest version the sender "
                       "knows); a hub following the spec rejects it otherwise"), ev->canonical);
    }
}

/* ------------------------------------------------------------------------ */
/* DiagnosticReport-select (C-58)                                           */
/* ------------------------------------------------------------------------ */

static void
check_selected_node (FcmCheck      *c,
                     const FcmJson *node,
                     const char    *path,
                     gboolean       as_reference)
{
  const FcmJson *obj;

  if (!(obj = fcm_as_object (node)))
    {
      fcm_check_add (c, ERROR, "C-58", path, _("A selected item must be an object, got %s"),
                     fcm_doc_type_name (node));
      return;
    }


  if (as_reference || (fcm_get_member (obj, "resourceType") == NULL &&
                       fcm_get_member (obj, "reference") != NULL))
    {
      fcm_check_reference_object (c, obj, path, "C-58");
      return;
    }

  fcm_check_require_string (c, obj, path, "resourceType", "C-58", ERROR,
                            N_("a selected resource needs its type"));
  fcm_check_require_string (c, obj, path, "id", "C-58", ERROR,
                            N_("a selected resource is identified by its id"));
}

void
fcm_check_dr_select (FcmCheck     *c,
                     FcmEventInfo *ev)
{
  FcmItemIter it = FCM_ITEM_ITER_INIT;
  const FcmJson *select;
  guint n_select = 0;

  check_report_item (c, ev, "C-58");

  /* Three shapes (digest §4.3 item 5): repeated {"key":"select","reference":{…}},
   * one {"key":"select","resource":[…]} (IRA), and one
   * {"key":"select","reference":[…]}. A single resource object is read too. */
  while ((select = fcm_next_item (ev->context, "select", &it)))
    {
      g_autofree char *item_path = NULL;
      const char *member = "reference";
      g_autofree char *value_path = NULL;
      const FcmJson *value;

      n_select++;
      item_path = fcm_path_index (ev->ctx_path, it.index);

      if ((value = fcm_get_member (select, "reference")) == NULL)
        {
          member = "resource";
          value = fcm_get_member (select, "resource");
        }

      if (value == NULL)
        continue; /* reported by the generic item check */

      value_path = fcm_path_member (item_path, member);

      if (fcm_as_array (value) != NULL)
        {
          guint j = 0;

          FCM_DOC_FOREACH (value, selected)
            {
              g_autofree char *one_path = fcm_path_index (value_path, j++);

              check_selected_node (c, selected, one_path, strcmp (member, "reference") == 0);
            }
        }
      else if (fcm_as_object (value) != NULL && strcmp (member, "resource") == 0)
        {
          check_selected_node (c, value, value_path, FALSE);
        }
      /* a reference object was checked by the generic item check */
    }

  if (n_select == 0)
    fcm_check_add (c, ERROR, "C-58", ev->ctx_path,
                   _("%s needs 'select' context (IRA answers 400 without it); an empty selection "
                     "is {\"key\": \"select\", \"resource\": []}"), ev->canonical);
}
