/* fcm-context-store.c: the local view of a session's contexts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-context-item-private.h"
#include "fcm-context-store.h"
#include "fcm-error.h"
#include "fcm-event-private.h"
#include "fcm-json-private.h"

/**
 * FcmContextStore:
 *
 * Applies `*-open`, `-close`, `-update` and `-select` events, in order, to
 * the contexts a subscriber knows about, and exposes them as a #GListModel
 * of #FcmContextItem (in the order they were opened).
 *
 * - Several contexts may be open at once; the last opened (or resumed) one
 *   is current, the others are suspended (C-37). Re-opening a known anchor
 *   resumes it.
 * - A close drops that context and its content; when it was current, the
 *   current context becomes empty, with no fall-back (C-35).
 * - `context.versionId` is kept per context (C-32); an update whose
 *   `context.priorVersionId` differs from the stored version marks the
 *   context stale: content was missed and must be fetched again (C-33).
 *   The new version is always stored.
 * - An event older than the one that set the current context is dropped and
 *   reported when it would change the current context (C-27; an older close
 *   of a suspended context is applied); a repeated event id is ignored
 *   (C-38, C-67).
 */
struct _FcmContextStore
{
  GObject     parent_instance;

  GPtrArray  *items;          /* FcmContextItem, in opening order */
  FcmContextItem *current;    /* borrowed from items, or NULL */
  gint64      anchor_usec;    /* timestamp of the event that set the current context */
  GHashTable *seen_ids;       /* recent event ids */
  GQueue      seen_order;
  guint       n_dropped;
  guint       disconnected : 1;
  guint       stale : 1;      /* cached value of the "stale" property */
};

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

#define MAX_SEEN_IDS 1024

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
static void
update_state (FcmContextStore *self,
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

static void
set_current (FcmContextStore *self,
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

static gint
find_item (FcmContextStore *self,
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

static void
append_item (FcmContextStore *self,
             FcmContextItem  *item)
{
  g_ptr_array_add (self->items, item);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
remove_item (FcmContextStore *self,
             guint            position)
{
  FcmContextItem *item = g_ptr_array_index (self->items, position);

  if (item == self->current)
    set_current (self, NULL);

  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Turns a reference or fullUrl (possibly absolute) into "Type/id"; other
 * URIs (urn:uuid:…) are kept as they are. */
static char *
normalize_reference (const char *reference)
{
  char *key = fcm_json_reference_key (reference);

  if (key == NULL && reference != NULL && *reference != '\0')
    return g_strdup (reference);

  return key;
}

static char *
resource_reference (const FcmJson *resource)
{
  const char *type = fcm_doc_get_string (resource, "resourceType");
  const char *id = fcm_doc_get_string (resource, "id");

  if (type == NULL || id == NULL)
    return NULL;

  return g_strconcat (type, "/", id, NULL);
}

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
          op.reference = normalize_reference (url ? url : full_url);
        }
      else if (op.resource != NULL)
        {
          /* PUT per C-56; POST is not conformant but seen in the field
           * (interop.md); the validator reports it, the store still follows */
          op.reference = resource_reference (op.resource);
          if (op.reference == NULL)
            op.reference = normalize_reference (url ? url : full_url);
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
  ref = normalize_reference (fcm_doc_get_string (node, "reference"));
  if (ref == NULL)
    ref = resource_reference (node);
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

static void
emit_dropped (FcmContextStore *self,
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
       (pos = find_item (self, anchor_type, anchor_id)) < 0 ||
       g_ptr_array_index (self->items, pos) == self->current))
    {
      emit_dropped (self, event);
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
  pos = find_item (self, anchor_type, anchor_id);
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
          append_item (self, item);
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
      set_current (self, item);
      self->anchor_usec = ts;
    }
  else if (g_ascii_strcasecmp (action, "close") == 0)
    {
      if (item == NULL)
        {
          update_state (self, old_current, old_version);
          return FCM_CONTEXT_IGNORED;
        }

      /* C-35: drop the context and its content; no fall-back */
      remove_item (self, pos);
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

  update_state (self, old_current, old_version);

  return FCM_CONTEXT_APPLIED;
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
      set_current (self, NULL);
      update_state (self, old_current, old_version);
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

  pos = find_item (self, type, anchor_id);
  if (pos >= 0)
    {
      item = g_ptr_array_index (self->items, pos);
      /* the answer does not say which event opened it: what the open said stays */
      opened_by = g_strdup (fcm_context_item_get_opened_by (item));
    }
  else
    {
      item = _fcm_context_item_new (type, anchor_id);
      append_item (self, item);
    }

  g_object_freeze_notify (G_OBJECT (item));
  _fcm_context_item_set_context (item, doc, context, opened_by);
  if (version != NULL)
    _fcm_context_item_set_version_id (item, version);
  _fcm_context_item_clear_content (item);
  FCM_DOC_FOREACH (fcm_doc_get_array (content, "entry"), entry)
    {
      const FcmJson *res = fcm_doc_get_object (entry, "resource");
      g_autofree char *ref = res ? resource_reference (res) : NULL;

      if (ref == NULL)
        ref = normalize_reference (fcm_doc_get_string (entry, "fullUrl"));
      if (ref != NULL && res != NULL)
        _fcm_context_item_put_content (item, ref, doc, res);
    }
  _fcm_context_item_set_stale (item, FALSE);
  g_object_thaw_notify (G_OBJECT (item));

  set_current (self, item);

  update_state (self, old_current, old_version);
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
  set_current (self, NULL);

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

  update_state (self, old_current, old_version);
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

  pos = find_item (self, NULL, anchor_id);
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
  update_state (self, self->current, fcm_context_store_get_version_id (self));
}

guint
fcm_context_store_get_n_dropped (FcmContextStore *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_STORE (self), 0);
  return self->n_dropped;
}
