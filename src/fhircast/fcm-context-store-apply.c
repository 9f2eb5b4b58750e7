/* fcm-context-store-apply.c: applying an event to the store's contexts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmContextStore (see fcm-context-store-private.h): an open,
 * close, update or select in the order the events arrive, with what each
 * carries (an `updates` Bundle read whole before anything changes, the
 * select references in their three shapes), the versions (C-32, C-33),
 * events older than the current context (C-27) and repeated ids (C-38).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-context-item-private.h"
#include "fcm-context-store-private.h"
#include "fcm-error.h"

#define MAX_SEEN_IDS 1024

static gboolean
remember_id (FcmContextStore *self,
             const char      *id)
{
  char *copy;

  if (id == NULL || g_hash_table_contains (self->seen_ids, id))
    return FALSE;

  copy = g_strdup (id);
  g_hash_table_add (self->seen_ids, copy);
  g_queue_push_tail (&self->seen_order, copy);

  if (self->seen_order.length > MAX_SEEN_IDS)
    g_hash_table_remove (self->seen_ids, g_queue_pop_head (&self->seen_order));

  return TRUE;
}

static void
apply_version (FcmContextItem *item,
               FcmEvent       *event)
{
  const char *prior = fcm_event_get_prior_version_id (event);
  const char *version = fcm_event_get_version_id (event);
  const char *known = fcm_context_item_get_version_id (item);

  /* C-33: a prior version that is not ours means we missed something */
  if (prior != NULL && known != NULL && g_strcmp0 (prior, known) != 0)
    _fcm_context_item_set_stale (item, TRUE);

  /* C-33: always store the new version, even if the payload is ignored */
  if (version != NULL)
    _fcm_context_item_set_version_id (item, version);
}

typedef struct
{
  gboolean       is_delete;
  char          *reference;
  const FcmJson *resource;
} BundleOp;

static void
bundle_op_clear (gpointer data)
{
  BundleOp *op = data;

  g_free (op->reference);
}

/* Reads every entry of an `updates` Bundle before anything is applied, so
 * a malformed bundle changes nothing (H-25). */
static GArray *
read_bundle (const FcmJson  *bundle,
             GError        **error)
{
  g_autoptr(GArray) ops = g_array_new (FALSE, TRUE, sizeof (BundleOp));
  guint i = 0;

  g_array_set_clear_func (ops, bundle_op_clear);

  if (g_strcmp0 (fcm_doc_get_string (bundle, "resourceType"), "Bundle") != 0)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   /* Translators: %s is the context key "updates" */
                   _("%s: resource is not a Bundle"), "updates");
      return NULL;
    }

  FCM_DOC_FOREACH (fcm_doc_get_array (bundle, "entry"), entry)
    {
      const FcmJson *request = fcm_doc_get_object (entry, "request");
      const char *method = fcm_doc_get_string (request, "method");
      const char *url = fcm_doc_get_string (request, "url");
      const char *full_url = fcm_doc_get_string (entry, "fullUrl");
      BundleOp op = { 0 };

      op.resource = fcm_doc_get_object (entry, "resource");

      if (g_strcmp0 (method, "DELETE") == 0)
        {
          op.is_delete = TRUE;
          op.reference = _fcm_context_store_normalize_reference (url ? url : full_url);
        }
      else if (op.resource != NULL)
        {
          /* PUT per C-56; POST is not conformant but seen in the field
           * (interop.md); the validator reports it, the store still follows */
          op.reference = _fcm_context_store_resource_reference (op.resource);
          if (op.reference == NULL)
            op.reference = _fcm_context_store_normalize_reference (url ? url : full_url);
        }

      if (op.reference == NULL)
        {
          g_autofree char *entry_path = g_strdup_printf ("updates.entry[%u]", i);

          g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                       /* Translators: %s is a JSON path such as updates.entry[2] */
                       _("%s: cannot tell which resource it changes"), entry_path);
          return NULL;
        }

      g_array_append_val (ops, op);
      i++;
    }

  return g_steal_pointer (&ops);
}

static void
add_selection_reference (GStrvBuilder  *builder,
                         const FcmJson *node)
{
  g_autofree char *ref = NULL;

  if (!fcm_doc_is_object (node))
    return;

  /* a Reference {"reference": "Type/id"} or a resource {"resourceType", "id"} */
  ref = _fcm_context_store_normalize_reference (fcm_doc_get_string (node, "reference"));
  if (ref == NULL)
    ref = _fcm_context_store_resource_reference (node);
  if (ref != NULL)
    g_strv_builder_add (builder, ref);
}

/* The three shapes of digest §4.3 item 5: repeated {"key":"select",
 * "reference":…} items, one {"key":"select","resource":[…]} array, or a
 * single resource. */
static GStrv
read_selection (FcmEvent *event)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  FCM_DOC_FOREACH (fcm_event_get_context_doc (event), item)
    {
      const FcmJson *value;

      if (g_strcmp0 (fcm_doc_get_string (item, "key"), "select") != 0)
        continue;

      add_selection_reference (builder, fcm_doc_member (item, "reference"));

      value = fcm_doc_member (item, "resource");
      if (fcm_doc_is_array (value))
        {
          FCM_DOC_FOREACH (value, element)
            add_selection_reference (builder, element);
        }
      else
        {
          add_selection_reference (builder, value);
        }
    }

  return g_strv_builder_end (builder);
}

/**
 * fcm_context_store_apply:
 * @self: a #FcmContextStore
 * @event: the event to apply
 * @error: return location for a #GError, set for %FCM_CONTEXT_REJECTED
 *
 * Applies one event. Events are expected in the order they arrive.
 *
 * Returns: what happened to @event
 */
FcmContextResult
fcm_context_store_apply (FcmContextStore  *self,
                         FcmEvent         *event,
                         GError          **error)
{
  g_autofree char *anchor_type = NULL;
  g_autofree char *anchor_id = NULL;
  g_autofree char *old_version = NULL;
  FcmContextItem *old_current;
  FcmContextItem *item = NULL;
  const char *name;
  const char *action;
  const char *key;
  gint64 ts;
  gint pos;

  g_return_val_if_fail (FCM_IS_CONTEXT_STORE (self), FCM_CONTEXT_REJECTED);
  g_return_val_if_fail (FCM_IS_EVENT (event), FCM_CONTEXT_REJECTED);

  name = fcm_event_get_canonical_name (event);
  action = strrchr (name, '-');
  if (action == NULL || action == name)
    return FCM_CONTEXT_IGNORED;

  anchor_type = g_strndup (name, action - name);
  action++;
  key = fcm_context_anchor_key (anchor_type);

  if (key == NULL ||
      !(g_ascii_strcasecmp (action, "open") == 0 || g_ascii_strcasecmp (action, "close") == 0 ||
        g_ascii_strcasecmp (action, "update") == 0 || g_ascii_strcasecmp (action, "select") == 0))
    return FCM_CONTEXT_IGNORED;

  anchor_id = fcm_event_dup_context_id (event, key, anchor_type);

  /* C-27: drop events older than the one that set the current context.
   * Decision: only those that would change the current context (an open,
   * or anything about the current one). An older close, update or select
   * of a suspended context is applied: the hub already did, and dropping
   * it left a closed report suspended for good (several apps, several
   * reports: the hub's order is not the senders' clocks). */
  ts = fcm_event_get_timestamp_usec (event);
  if (ts != G_MININT64 && self->anchor_usec != G_MININT64 && ts < self->anchor_usec &&
      (g_ascii_strcasecmp (action, "open") == 0 || anchor_id == NULL ||
       (pos = _fcm_context_store_find_item (self, anchor_type, anchor_id)) < 0 ||
       g_ptr_array_index (self->items, pos) == self->current))
    {
      _fcm_context_store_emit_dropped (self, event);
      return FCM_CONTEXT_DROPPED;
    }

  if (anchor_id == NULL)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   /* Translators: an event name, a context key and a FHIR resource type */
                   _("%s has no \"%s\" context with a %s id"), fcm_event_get_name (event), key,
                   anchor_type);
      return FCM_CONTEXT_REJECTED;
    }

  /* C-38/C-67: a repeated id (an echo, a retry, a resent syncerror) */
  if (!remember_id (self, fcm_event_get_id (event)))
    return FCM_CONTEXT_IGNORED;

  old_current = self->current;
  old_version = g_strdup (fcm_context_store_get_version_id (self));
  pos = _fcm_context_store_find_item (self, anchor_type, anchor_id);
  if (pos >= 0)
    item = g_ptr_array_index (self->items, pos);

  if (g_ascii_strcasecmp (action, "open") == 0)
    {
      if (item == NULL)
        {
          item = _fcm_context_item_new (anchor_type, anchor_id);
          _fcm_context_item_set_context (item, fcm_event_get_doc (event),
                                         fcm_event_get_context_doc (event),
                                         fcm_event_get_id (event));
          _fcm_context_store_append_item (self, item);
        }
      else
        {
          /* C-37: re-opening a known anchor resumes it */
          _fcm_context_item_set_context (item, fcm_event_get_doc (event),
                                         fcm_event_get_context_doc (event),
                                         fcm_event_get_id (event));
        }

      if (fcm_event_get_version_id (event) != NULL)
        {
          _fcm_context_item_set_version_id (item, fcm_event_get_version_id (event));
          _fcm_context_item_set_stale (item, FALSE);
        }
      _fcm_context_store_set_current (self, item);
      self->anchor_usec = ts;
    }
  else if (g_ascii_strcasecmp (action, "close") == 0)
    {
      if (item == NULL)
        {
          _fcm_context_store_update_state (self, old_current, old_version);
          return FCM_CONTEXT_IGNORED;
        }

      /* C-35: drop the context and its content; no fall-back */
      _fcm_context_store_remove_item (self, pos);
      self->anchor_usec = ts;
    }
  else if (g_ascii_strcasecmp (action, "update") == 0)
    {
      g_autoptr(GArray) ops = NULL;
      const FcmJson *bundle;

      if (item == NULL)
        return FCM_CONTEXT_IGNORED; /* C-33: ignore unknown anchors */

      bundle = fcm_event_lookup_resource_doc (event, "updates");
      if (bundle == NULL)
        {
          g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                       _("%s has no \"updates\" Bundle"), fcm_event_get_name (event));
          return FCM_CONTEXT_REJECTED;
        }

      if (!(ops = read_bundle (bundle, error)))
        return FCM_CONTEXT_REJECTED;

      g_object_freeze_notify (G_OBJECT (item));
      apply_version (item, event);
      for (guint i = 0; i < ops->len; i++)
        {
          BundleOp *op = &g_array_index (ops, BundleOp, i);

          if (op->is_delete)
            _fcm_context_item_delete_content (item, op->reference);
          else
            _fcm_context_item_put_content (item, op->reference, fcm_event_get_doc (event),
                                           op->resource);
        }
      g_object_thaw_notify (G_OBJECT (item));
    }
  else /* select */
    {
      g_auto(GStrv) selection = NULL;

      if (item == NULL)
        return FCM_CONTEXT_IGNORED;

      /* C-34: each select replaces the previous selection; none = nothing */
      selection = read_selection (event);
      g_object_freeze_notify (G_OBJECT (item));
      apply_version (item, event);
      _fcm_context_item_set_selection (item, selection[0] ? selection : NULL);
      g_object_thaw_notify (G_OBJECT (item));
    }

  _fcm_context_store_update_state (self, old_current, old_version);

  return FCM_CONTEXT_APPLIED;
}
