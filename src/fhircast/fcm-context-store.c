/* fcm-context-store.c: the local view of a session's contexts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Applying an event is in fcm-context-store-apply.c.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fcm-context-item-private.h"
#include "fcm-context-store-private.h"
#include "fcm-error.h"
#include "fcm-event-private.h"
#include "fcm-json-private.h"

enum {
  PROP_0,
  PROP_CURRENT,
  PROP_VERSION_ID,
  PROP_STALE,
  PROP_N_DROPPED,
  PROP_N_ITEMS,
  PROP_ITEM_TYPE,
  N_PROPS
};

enum {
  SIGNAL_EVENT_DROPPED,
  N_SIGNALS
};

static GType
fcm_context_store_get_item_type (GListModel *model)
{
  return FCM_TYPE_CONTEXT_ITEM;
}

static guint
fcm_context_store_get_n_items (GListModel *model)
{
  return FCM_CONTEXT_STORE (model)->items->len;
}

static gpointer
fcm_context_store_get_item (GListModel *model,
                            guint       position)
{
  FcmContextStore *self = FCM_CONTEXT_STORE (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = fcm_context_store_get_item_type;
  iface->get_n_items = fcm_context_store_get_n_items;
  iface->get_item = fcm_context_store_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (FcmContextStore, fcm_context_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
fcm_context_store_dispose (GObject *object)
{
  FcmContextStore *self = (FcmContextStore *)object;

  self->current = NULL;
  if (self->items)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (fcm_context_store_parent_class)->dispose (object);
}

static void
fcm_context_store_finalize (GObject *object)
{
  FcmContextStore *self = (FcmContextStore *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->seen_ids, g_hash_table_unref);
  g_queue_clear (&self->seen_order);

  G_OBJECT_CLASS (fcm_context_store_parent_class)->finalize (object);
}

static void
fcm_context_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FcmContextStore *self = FCM_CONTEXT_STORE (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_object (value, self->current);
      break;
    case PROP_VERSION_ID:
      g_value_set_string (value, fcm_context_store_get_version_id (self));
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;
    case PROP_N_DROPPED:
      g_value_set_uint (value, self->n_dropped);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, FCM_TYPE_CONTEXT_ITEM);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_context_store_class_init (FcmContextStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = fcm_context_store_dispose;
  object_class->finalize = fcm_context_store_finalize;
  object_class->get_property = fcm_context_store_get_property;

  /**
   * FcmContextStore:current:
   *
   * The current context, or %NULL when the current context is empty.
   */
  properties[PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL, FCM_TYPE_CONTEXT_ITEM, flags);

  /**
   * FcmContextStore:version-id:
   *
   * `context.versionId` of the current context.
   */
  properties[PROP_VERSION_ID] = g_param_spec_string ("version-id", NULL, NULL, NULL, flags);

  /**
   * FcmContextStore:stale:
   *
   * %TRUE while the current context may be out of date: the connection is
   * down, or a version gap was seen (C-33). Cleared by
   * fcm_context_store_load_current() with a fresh Get Current Context answer.
   */
  properties[PROP_STALE] = g_param_spec_boolean ("stale", NULL, NULL, FALSE, flags);

  properties[PROP_N_DROPPED] =
    g_param_spec_uint ("n-dropped", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FcmContextStore::event-dropped:
   * @self: the store
   * @event: the dropped event
   * @reason: why it was dropped, for the user
   *
   * Emitted when an event is older than the one that set the current
   * context and is therefore not applied (C-27).
   */
  signals[SIGNAL_EVENT_DROPPED] =
    g_signal_new ("event-dropped",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, FCM_TYPE_EVENT, G_TYPE_STRING);
}

static void
fcm_context_store_init (FcmContextStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->anchor_usec = G_MININT64;
}

FcmContextStore *
fcm_context_store_new (void)
{
  return g_object_new (FCM_TYPE_CONTEXT_STORE, NULL);
}

/**
 * fcm_context_anchor_key:
 * @anchor_type: a resource type such as "DiagnosticReport"
 *
 * Returns: (nullable): the context key that names the anchor of
 *   @anchor_type events ("report" for DiagnosticReport-*), or %NULL for
 *   types that are not context anchors
 */
const char *
fcm_context_anchor_key (const char *anchor_type)
{
  static const struct { const char *type; const char *key; } anchors[] = {
    { "DiagnosticReport", "report" },
    { "ImagingStudy", "study" },
    { "Patient", "patient" },
    { "Encounter", "encounter" },
  };

  for (guint i = 0; anchor_type && i < G_N_ELEMENTS (anchors); i++)
    if (g_ascii_strcasecmp (anchors[i].type, anchor_type) == 0)
      return anchors[i].key;

  return NULL;
}

static gboolean
compute_stale (FcmContextStore *self)
{
  return self->disconnected || (self->current != NULL && fcm_context_item_get_stale (self->current));
}

/* Recomputes derived state and notifies what changed. */
void
_fcm_context_store_update_state (FcmContextStore *self,
                                 FcmContextItem  *old_current,
                                 const char      *old_version)
{
  gboolean stale = compute_stale (self);

  if (old_current != self->current)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);

  if (g_strcmp0 (old_version, fcm_context_store_get_version_id (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION_ID]);

  if (stale != self->stale)
    {
      self->stale = stale;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
    }
}

void
_fcm_context_store_set_current (FcmContextStore *self,
                                FcmContextItem  *item)
{
  if (self->current == item)
    return;

  if (self->current != NULL)
    _fcm_context_item_set_current (self->current, FALSE);
  self->current = item;
  if (item != NULL)
    _fcm_context_item_set_current (item, TRUE);
}

gint
_fcm_context_store_find_item (FcmContextStore *self,
                              const char      *anchor_type,
                              const char      *anchor_id)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      FcmContextItem *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (fcm_context_item_get_anchor_id (item), anchor_id) == 0 &&
          (anchor_type == NULL ||
           g_ascii_strcasecmp (fcm_context_item_get_anchor_type (item), anchor_type) == 0))
        return i;
    }

  return -1;
}

void
_fcm_context_store_append_item (FcmContextStore *self,
                                FcmContextItem  *item)
{
  g_ptr_array_add (self->items, item);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
_fcm_context_store_remove_item (FcmContextStore *self,
                                guint            position)
{
  FcmContextItem *item = g_ptr_array_index (self->items, position);

  if (item == self->current)
    _fcm_context_store_set_current (self, NULL);

  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Turns a reference or fullUrl (possibly absolute) into "Type/id"; other
 * URIs (urn:uuid:…) are kept as they are. */
char *
_fcm_context_store_normalize_reference (const char *reference)
{
  char *key = fcm_json_reference_key (reference);

  if (key == NULL && reference != NULL && *reference != '\0')
    return g_strdup (reference);

  return key;
}

char *
_fcm_context_store_resource_reference (const FcmJson *resource)
{
  const char *type = fcm_doc_get_string (resource, "resourceType");
  const char *id = fcm_doc_get_string (resource, "id");

  if (type == NULL || id == NULL)
    return NULL;

  return g_strconcat (type, "/", id, NULL);
}

void
_fcm_context_store_emit_dropped (FcmContextStore *self,
                                 FcmEvent        *event)
{
  g_autofree char *reason =
    /* Translators: an event name, its id and its timestamp */
    g_strdup_printf (_("%s %s is older (%s) than the event that set the current context"),
                     fcm_event_get_name (event), fcm_event_get_id (event),
                     fcm_event_get_timestamp (event));

  self->n_dropped++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
  g_signal_emit (self, signals[SIGNAL_EVENT_DROPPED], 0, event, reason);
}

/**
 * fcm_context_store_load_current:
 * @self: a #FcmContextStore
 * @response: a Get Current Context answer (C-52), or the bare context
 *   array some hubs return
 * @error: return location for a #GError
 *
 * Treats the answer as if the matching open had just arrived and replaces
 * the known content with its `content` Bundle (C-53). Clears the stale
 * state.
 *
 * Returns: %TRUE on success
 */
gboolean
fcm_context_store_load_current (FcmContextStore  *self,
                                JsonNode         *response,
                                GError          **error)
{
  g_autoptr(FcmDoc) doc = NULL;
  g_autofree char *old_version = NULL;
  g_autofree char *anchor_id = NULL;
  g_autofree char *opened_by = NULL;
  FcmContextItem *old_current;
  FcmContextItem *item;
  const FcmJson *root;
  const FcmJson *context = NULL;
  const FcmJson *content = NULL;
  const char *type = NULL;
  const char *version = NULL;
  const char *key;
  guint i = 0;
  gint pos;

  g_return_val_if_fail (FCM_IS_CONTEXT_STORE (self), FALSE);

  if (response != NULL && !(doc = fcm_doc_new_from_node (response, error)))
    return FALSE;
  root = doc != NULL ? fcm_doc_get_root (doc) : NULL;

  if (fcm_doc_is_array (root))
    {
      context = root;
    }
  else if (fcm_doc_is_object (root))
    {
      type = fcm_doc_get_string (root, "context.type");
      version = fcm_doc_get_string (root, "context.versionId");
      context = fcm_doc_get_array (root, "context");
      content = fcm_doc_get_object (root, "content");

      if (context == NULL && fcm_doc_first (root) != NULL)
        {
          g_set_error_literal (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                               _("Current context: \"context\" is missing or not an array"));
          return FALSE;
        }
    }
  else
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("Current context: expected an object, got %s"),
                   fcm_doc_type_name (root));
      return FALSE;
    }

  FCM_DOC_FOREACH (context, element)
    {
      if (!fcm_doc_is_object (element))
        {
          g_autofree char *item_path = g_strdup_printf ("context[%u]", i);

          g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                       /* Translators: %s is a JSON path such as context[2] */
                       _("Current context: %s is not an object"), item_path);
          return FALSE;
        }
      i++;
    }

  old_current = self->current;
  old_version = g_strdup (fcm_context_store_get_version_id (self));
  self->disconnected = FALSE;

  if (fcm_doc_first (context) == NULL)
    {
      _fcm_context_store_set_current (self, NULL);
      _fcm_context_store_update_state (self, old_current, old_version);
      return TRUE;
    }

  /* Find the anchor: from context.type, else the first known anchor key */
  if (type == NULL || *type == '\0')
    type = NULL;

  FCM_DOC_FOREACH (context, element)
    {
      const char *k = fcm_doc_get_string (element, "key");
      const FcmJson *res = fcm_doc_get_object (element, "resource");

      if (type != NULL)
        break;
      if (g_strcmp0 (k, "report") == 0)
        type = "DiagnosticReport";
      else if (g_strcmp0 (k, "study") == 0 && res != NULL)
        type = fcm_doc_get_string (res, "resourceType");
    }

  key = fcm_context_anchor_key (type);
  if (key == NULL)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("Current context: cannot tell the anchor (context.type \"%s\")"),
                   type ? type : "");
      return FALSE;
    }

  anchor_id = _fcm_context_dup_id (context, key, NULL);
  if (anchor_id == NULL)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("Current context: no \"%s\" with an id"), key);
      return FALSE;
    }

  /* IRA puts the content Bundle at top level or as a "content" context item */
  if (content == NULL)
    content = fcm_doc_get_object (_fcm_context_lookup (context, "content"), "resource");

  pos = _fcm_context_store_find_item (self, type, anchor_id);
  if (pos >= 0)
    {
      item = g_ptr_array_index (self->items, pos);
      /* the answer does not say which event opened it: what the open said stays */
      opened_by = g_strdup (fcm_context_item_get_opened_by (item));
    }
  else
    {
      item = _fcm_context_item_new (type, anchor_id);
      _fcm_context_store_append_item (self, item);
    }

  g_object_freeze_notify (G_OBJECT (item));
  _fcm_context_item_set_context (item, doc, context, opened_by);
  if (version != NULL)
    _fcm_context_item_set_version_id (item, version);
  _fcm_context_item_clear_content (item);
  FCM_DOC_FOREACH (fcm_doc_get_array (content, "entry"), entry)
    {
      const FcmJson *res = fcm_doc_get_object (entry, "resource");
      g_autofree char *ref = res ? _fcm_context_store_resource_reference (res) : NULL;

      if (ref == NULL)
        ref = _fcm_context_store_normalize_reference (fcm_doc_get_string (entry, "fullUrl"));
      if (ref != NULL && res != NULL)
        _fcm_context_item_put_content (item, ref, doc, res);
    }
  _fcm_context_item_set_stale (item, FALSE);
  g_object_thaw_notify (G_OBJECT (item));

  _fcm_context_store_set_current (self, item);

  _fcm_context_store_update_state (self, old_current, old_version);
  return TRUE;
}

/**
 * fcm_context_store_clear:
 *
 * Forgets every context, e.g. when switching to another session.
 */
void
fcm_context_store_clear (FcmContextStore *self)
{
  g_autofree char *old_version = NULL;
  FcmContextItem *old_current;
  guint n;

  g_return_if_fail (FCM_IS_CONTEXT_STORE (self));

  old_current = self->current;
  old_version = g_strdup (fcm_context_store_get_version_id (self));
  _fcm_context_store_set_current (self, NULL);

  n = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  self->anchor_usec = G_MININT64;
  g_hash_table_remove_all (self->seen_ids);
  g_queue_clear (&self->seen_order);

  if (n > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  _fcm_context_store_update_state (self, old_current, old_version);
}

/**
 * fcm_context_store_get_current:
 *
 * Returns: (transfer none) (nullable): the current context
 */
FcmContextItem *
fcm_context_store_get_current (FcmContextStore *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_STORE (self), NULL);
  return self->current;
}

/**
 * fcm_context_store_lookup:
 * @anchor_id: the anchor's resource id
 *
 * Returns: (transfer none) (nullable): the open context with that anchor
 */
FcmContextItem *
fcm_context_store_lookup (FcmContextStore *self,
                          const char      *anchor_id)
{
  gint pos;

  g_return_val_if_fail (FCM_IS_CONTEXT_STORE (self), NULL);

  pos = _fcm_context_store_find_item (self, NULL, anchor_id);
  return pos < 0 ? NULL : g_ptr_array_index (self->items, pos);
}

const char *
fcm_context_store_get_version_id (FcmContextStore *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_STORE (self), NULL);
  return self->current ? fcm_context_item_get_version_id (self->current) : NULL;
}

gboolean
fcm_context_store_get_stale (FcmContextStore *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_STORE (self), FALSE);
  return self->stale;
}

/**
 * fcm_context_store_set_disconnected:
 * @disconnected: whether the connection to the hub is down
 *
 * While disconnected the context may be stale (C-68); the client calls
 * fcm_context_store_load_current() after re-subscribing, which clears it.
 */
void
fcm_context_store_set_disconnected (FcmContextStore *self,
                                    gboolean         disconnected)
{
  g_return_if_fail (FCM_IS_CONTEXT_STORE (self));

  if (self->disconnected == !!disconnected)
    return;

  self->disconnected = !!disconnected;
  _fcm_context_store_update_state (self, self->current, fcm_context_store_get_version_id (self));
}

guint
fcm_context_store_get_n_dropped (FcmContextStore *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_STORE (self), 0);
  return self->n_dropped;
}
