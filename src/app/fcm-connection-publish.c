/* fcm-connection-publish.c: a connection's context requests and the contexts it builds for them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Publishing a context change to the hub (C-44, with the versionId of the
 * report updated, C-56) and building the contexts the window's report
 * buttons send: close, resume, a demo measurement, select. GTK-free, as
 * the rest of FcmConnection.
 */

#define G_LOG_DOMAIN "FcmConnection"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-connection-private.h"

static void
publish_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  guint status;

  status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, &reason, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&reason), g_free);
  g_task_return_int (task, status);
}

/**
 * fcm_connection_publish_async:
 * @event_name: the event, e.g. %FCM_EVENT_DIAGNOSTIC_REPORT_OPEN
 * @context: (transfer full): its context array
 *
 * Requests a context change (C-44). An update carries the versionId of the
 * current context (C-56), so the hub can refuse a stale one.
 */
void
fcm_connection_publish_async (FcmConnection       *self,
                              const char          *event_name,
                              JsonArray           *context,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(JsonArray) owned = context;
  g_autofree char *id = g_uuid_string_random ();
  const char *version_id = NULL;

  g_return_if_fail (FCM_IS_CONNECTION (self));
  g_return_if_fail (event_name != NULL);
  g_return_if_fail (context != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_connection_publish_async);
  if (self->recording != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_READ_ONLY, "%s",
                               _("A recording is read-only: it has no hub to publish to"));
      return;
    }

  event = fcm_event_new (id, NULL, fcm_hub_client_get_topic (self->client), event_name,
                         owned, NULL, NULL);
  if (fcm_event_name_equal (event_name, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE))
    {
      /* the version of the report updated, which may be a suspended one */
      FcmContextStore *store = fcm_monitor_get_context_store (self->monitor);
      g_autofree char *report_id = fcm_event_dup_context_id (event, "report", "DiagnosticReport");
      FcmContextItem *item = report_id ? fcm_context_store_lookup (store, report_id) : NULL;

      version_id = item ? fcm_context_item_get_version_id (item) : fcm_context_store_get_version_id (store);
      g_clear_object (&event);
      event = fcm_event_new (id, NULL, fcm_hub_client_get_topic (self->client), event_name,
                             owned, version_id, NULL);
    }
  fcm_hub_client_publish_async (self->client, event, cancellable, publish_cb, g_steal_pointer (&task));
}

/**
 * fcm_connection_publish_finish:
 * @out_reason: (out) (optional) (transfer full): the hub's reason, if it gave one
 *
 * Returns: the hub's HTTP status, or 0 with @error set
 */
guint
fcm_connection_publish_finish (FcmConnection  *self,
                               GAsyncResult   *result,
                               char          **out_reason,
                               GError        **error)
{
  gssize status;

  g_return_val_if_fail (FCM_IS_CONNECTION (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  status = g_task_propagate_int (G_TASK (result), error);
  if (status < 0)
    return 0;
  if (out_reason != NULL)
    *out_reason = g_strdup (g_task_get_task_data (G_TASK (result)));
  return (guint) status;
}

/* @item, or the current report when @item is NULL */
static FcmContextItem *
require_item (FcmConnection  *self,
              FcmContextItem *item,
              GError        **error)
{
  if (item == NULL)
    item = fcm_context_store_get_current (fcm_monitor_get_context_store (self->monitor));

  if (item == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("No report is open"));
  return item;
}

/**
 * fcm_connection_build_close:
 *
 * Returns: (transfer full): the context to close the current report (C-47), or
 *   %NULL with @error set when none is open
 */
JsonArray *
fcm_connection_build_close (FcmConnection  *self,
                            GError        **error)
{
  return fcm_connection_build_close_for (self, NULL, error);
}

/**
 * fcm_connection_build_close_for:
 * @item: (nullable): an open report, current or suspended; %NULL for the
 *   current one
 *
 * Returns: (transfer full): the context to close @item (C-50), or %NULL
 *   with @error set
 */
JsonArray *
fcm_connection_build_close_for (FcmConnection   *self,
                                FcmContextItem  *item,
                                GError         **error)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);

  if (!(item = require_item (self, item, error)))
    return NULL;
  return fcm_context_build_close (fcm_context_item_get_anchor_id (item),
                                  fcm_context_item_get_patient_id (item),
                                  fcm_context_item_get_study_id (item));
}

/**
 * fcm_connection_build_resume:
 * @item: an open report
 *
 * C-37, C-48: resuming a report re-sends its open's context (with a new
 * event id).
 *
 * Returns: (transfer full): the `DiagnosticReport-open` context of @item
 */
JsonArray *
fcm_connection_build_resume (FcmConnection  *self,
                             FcmContextItem *item)
{
  JsonArray *context;
  JsonArray *copy;

  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (item), NULL);

  context = fcm_context_item_get_context (item);
  copy = json_array_sized_new (json_array_get_length (context));
  for (guint i = 0; i < json_array_get_length (context); i++)
    json_array_add_element (copy, json_node_copy (json_array_get_element (context, i)));
  return copy;
}

/**
 * fcm_connection_build_demo_update:
 *
 * An update of the current report that adds one demo measurement: a
 * preliminary imaging Observation (a length in mm), PUT into the content
 * Bundle (C-56, C-58).
 *
 * Returns: (transfer full): the context, or %NULL with @error set
 */
JsonArray *
fcm_connection_build_demo_update (FcmConnection  *self,
                                  GError        **error)
{
  return fcm_connection_build_demo_update_for (self, NULL, error);
}

/**
 * fcm_connection_build_demo_update_for:
 * @item: (nullable): an open report; %NULL for the current one
 *
 * Returns: (transfer full): the demo update of @item, or %NULL with @error set
 */
JsonArray *
fcm_connection_build_demo_update_for (FcmConnection   *self,
                                      FcmContextItem  *item,
                                      GError         **error)
{
  g_autoptr(JsonArray) entries = NULL;

  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);

  if (!(item = require_item (self, item, error)))
    return NULL;

  entries = fcm_context_build_measurement (fcm_context_item_get_patient_id (item),
                                           fcm_context_item_get_study_id (item),
                                           g_random_int_range (20, 400) / 10.0);
  return fcm_context_build_update (fcm_context_item_get_anchor_id (item),
                                   fcm_context_item_get_patient_id (item),
                                   entries);
}

/**
 * fcm_connection_build_select:
 *
 * A select of the newest resource in the current report's content (C-59), so
 * the other apps can highlight it.
 *
 * Returns: (transfer full): the context, or %NULL with @error set when the
 *   report has no content to select
 */
JsonArray *
fcm_connection_build_select (FcmConnection  *self,
                             GError        **error)
{
  return fcm_connection_build_select_for (self, NULL, error);
}

/**
 * fcm_connection_build_select_for:
 * @item: (nullable): an open report; %NULL for the current one
 *
 * Returns: (transfer full): a select of @item's newest content, or %NULL
 *   with @error set
 */
JsonArray *
fcm_connection_build_select_for (FcmConnection   *self,
                                 FcmContextItem  *current,
                                 GError         **error)
{
  g_autoptr(JsonNode) bundle = NULL;
  g_autofree char *reference = NULL;
  JsonArray *entries = NULL;

  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);

  if (!(current = require_item (self, current, error)))
    return NULL;

  bundle = fcm_context_item_dup_content_bundle (current);
  if (bundle != NULL && JSON_NODE_HOLDS_OBJECT (bundle))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (bundle), "entry");

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        entries = json_node_get_array (node);
    }

  for (guint i = entries ? json_array_get_length (entries) : 0; i > 0 && reference == NULL; i--)
    {
      JsonNode *node = json_array_get_element (entries, i - 1);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *rnode = entry ? json_object_get_member (entry, "resource") : NULL;
      JsonObject *resource = rnode && JSON_NODE_HOLDS_OBJECT (rnode) ? json_node_get_object (rnode) : NULL;
      const char *type = resource ? json_object_get_string_member_with_default (resource, "resourceType", NULL) : NULL;
      const char *id = resource ? json_object_get_string_member_with_default (resource, "id", NULL) : NULL;

      if (type != NULL && id != NULL)
        reference = g_strdup_printf ("%s/%s", type, id);
    }

  if (reference == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The report has no content to select yet; add an observation with Update first"));
      return NULL;
    }

  {
    const char *refs[] = { reference, NULL };
    return fcm_context_build_select (fcm_context_item_get_anchor_id (current), refs);
  }
}
