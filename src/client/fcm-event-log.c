/* fcm-event-log.c: a timeline of everything a subscriber received (GListModel)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The log and its NDJSON export; its entries are fcm-event-log-entry.c
 * (see fcm-event-log-private.h).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-event-log-private.h"
#include "fcm-json-private.h"

/* ------------------------------------------------------------------ log */

#define DEFAULT_MAX_ENTRIES 10000

struct _FcmEventLog
{
  GObject parent_instance;

  GPtrArray *entries;
  guint max_entries;
};

static void fcm_event_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FcmEventLog, fcm_event_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, fcm_event_log_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_MAX_ENTRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
fcm_event_log_get_item_type (GListModel *model)
{
  return FCM_TYPE_EVENT_LOG_ENTRY;
}

static guint
fcm_event_log_get_n_items (GListModel *model)
{
  return FCM_EVENT_LOG (model)->entries->len;
}

static gpointer
fcm_event_log_get_item (GListModel *model,
                        guint       position)
{
  FcmEventLog *self = FCM_EVENT_LOG (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
fcm_event_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fcm_event_log_get_item_type;
  iface->get_n_items = fcm_event_log_get_n_items;
  iface->get_item = fcm_event_log_get_item;
}

static void
fcm_event_log_finalize (GObject *object)
{
  FcmEventLog *self = FCM_EVENT_LOG (object);

  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (fcm_event_log_parent_class)->finalize (object);
}

static void
fcm_event_log_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FcmEventLog *self = FCM_EVENT_LOG (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->entries->len);
      break;
    case PROP_MAX_ENTRIES:
      g_value_set_uint (value, self->max_entries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_event_log_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FcmEventLog *self = FCM_EVENT_LOG (object);

  switch (prop_id)
    {
    case PROP_MAX_ENTRIES:
      fcm_event_log_set_max_entries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_event_log_class_init (FcmEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fcm_event_log_finalize;
  object_class->get_property = fcm_event_log_get_property;
  object_class->set_property = fcm_event_log_set_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MAX_ENTRIES] =
    g_param_spec_uint ("max-entries", NULL, NULL, 1, G_MAXUINT, DEFAULT_MAX_ENTRIES,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fcm_event_log_init (FcmEventLog *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_entries = DEFAULT_MAX_ENTRIES;
}

FcmEventLog *
fcm_event_log_new (void)
{
  return g_object_new (FCM_TYPE_EVENT_LOG, NULL);
}

/* a lowered limit: oldest out at the front, one change over the whole list */
static void
trim (FcmEventLog *self)
{
  guint old_len = self->entries->len;

  if (old_len <= self->max_entries)
    return;
  g_ptr_array_remove_range (self->entries, 0, old_len - self->max_entries);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->entries->len);
}

void
fcm_event_log_append (FcmEventLog      *self,
                      FcmEventLogEntry *entry)
{
  g_return_if_fail (FCM_IS_EVENT_LOG (self));
  g_return_if_fail (FCM_IS_EVENT_LOG_ENTRY (entry));

  /* a full log: the oldest out at the front, then the newest in at the end,
   * as two small changes, so that filter models and list views do not redo
   * the whole list for every message */
  if (self->entries->len >= self->max_entries)
    {
      guint drop = self->entries->len - self->max_entries + 1;

      g_ptr_array_remove_range (self->entries, 0, drop);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, drop, 0);
    }
  g_ptr_array_add (self->entries, g_object_ref (entry));
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * fcm_event_log_find_event:
 *
 * Returns: (transfer none) (nullable): the newest entry for @event_id
 */
FcmEventLogEntry *
fcm_event_log_find_event (FcmEventLog *self,
                          const char  *event_id)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  for (guint i = self->entries->len; i > 0; i--)
    {
      FcmEventLogEntry *entry = g_ptr_array_index (self->entries, i - 1);

      if (entry->has_id && strcmp (FCM_PACKED_TEXT_TAIL (&entry->text), event_id) == 0)
        return entry;
    }
  return NULL;
}

void
fcm_event_log_clear (FcmEventLog *self)
{
  guint n;

  g_return_if_fail (FCM_IS_EVENT_LOG (self));

  n = self->entries->len;
  if (n == 0)
    return;
  g_ptr_array_set_size (self->entries, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

guint
fcm_event_log_get_max_entries (FcmEventLog *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG (self), 0);
  return self->max_entries;
}

void
fcm_event_log_set_max_entries (FcmEventLog *self,
                               guint        max_entries)
{
  g_return_if_fail (FCM_IS_EVENT_LOG (self));
  g_return_if_fail (max_entries > 0);

  if (self->max_entries == max_entries)
    return;
  self->max_entries = max_entries;
  trim (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ENTRIES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* ------------------------------------------------------------------ NDJSON export */

static char *
format_received (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *base = NULL;

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) ((usec % G_USEC_PER_SEC) / 1000));
}

static JsonNode *
entry_to_json (FcmEventLogEntry *entry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *received = format_received (entry->received);
  g_autoptr(JsonNode) message = NULL;
  g_autofree char *text = fcm_event_log_entry_dup_text (entry);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "received");
  json_builder_add_string_value (b, received);
  json_builder_set_member_name (b, "kind");
  /* a note is the monitor's, not a received message */
  json_builder_add_string_value (b, entry->is_note ? "note" : fcm_message_kind_to_string (entry->kind));
  json_builder_set_member_name (b, "latencyMs");
  if (entry->latency_ms != G_MININT32)
    json_builder_add_int_value (b, entry->latency_ms);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "ack");
  if (entry->ack_status != 0)
    json_builder_add_int_value (b, entry->ack_status);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "ownEcho");
  json_builder_add_boolean_value (b, entry->own_echo);
  json_builder_set_member_name (b, "issues");
  json_builder_begin_array (b);
  for (guint i = 0; entry->issues != NULL && i < entry->issues->n; i++)
    {
      FcmPackedIssue *issue = &entry->issues->items[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rule");
      json_builder_add_string_value (b, issue->rule);
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, fcm_severity_to_string (issue->severity));
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, issue->path);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, issue->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "message");
  /* the original message as JSON, or as a string when it was not JSON */
  message = fcm_json_parse (text, -1, NULL);
  if (message != NULL)
    json_builder_add_value (b, g_steal_pointer (&message));
  else
    json_builder_add_string_value (b, text);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/**
 * fcm_event_log_to_ndjson:
 * @subset: (nullable): a #GListModel of #FcmEventLogEntry to write (e.g. a
 *   filtered view of @self), or %NULL for every entry of @self
 *
 * One JSON object per line (newline-delimited JSON): `received` (ISO 8601
 * UTC with milliseconds), `kind`, `latencyMs` (or null), `ack` (or null),
 * `ownEcho`, `issues` (`rule`, `severity`, `path`, `message`) and `message`
 * (the original message as JSON, or a string when it was not JSON).
 *
 * Returns: (transfer full): the NDJSON text
 */
GBytes *
fcm_event_log_to_ndjson (FcmEventLog *self,
                         GListModel  *subset)
{
  GListModel *model;
  GString *out;
  guint n;

  g_return_val_if_fail (FCM_IS_EVENT_LOG (self), NULL);
  g_return_val_if_fail (subset == NULL || G_IS_LIST_MODEL (subset), NULL);

  model = subset != NULL ? subset : G_LIST_MODEL (self);
  n = g_list_model_get_n_items (model);
  out = g_string_sized_new (n * 256 + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *line = NULL;

      if (!FCM_IS_EVENT_LOG_ENTRY (item))
        continue;
      node = entry_to_json (FCM_EVENT_LOG_ENTRY (item));
      line = fcm_json_to_string (node, FALSE);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free_to_bytes (out);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * fcm_event_log_export_async:
 *
 * Writes every entry to @file as NDJSON (see fcm_event_log_to_ndjson()),
 * replacing it.
 */
void
fcm_event_log_export_async (FcmEventLog         *self,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  fcm_event_log_export_subset_async (self, NULL, file, cancellable, callback, user_data);
}

/**
 * fcm_event_log_export_subset_async:
 * @subset: (nullable): the entries to write, e.g. a filtered view of the log;
 *   %NULL for all
 *
 * Like fcm_event_log_export_async(), for the entries of @subset only.
 * Finish with fcm_event_log_export_finish().
 */
void
fcm_event_log_export_subset_async (FcmEventLog         *self,
                                   GListModel          *subset,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (FCM_IS_EVENT_LOG (self));
  g_return_if_fail (subset == NULL || G_IS_LIST_MODEL (subset));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_event_log_export_async);
  bytes = fcm_event_log_to_ndjson (self, subset);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_done_cb, g_steal_pointer (&task));
}

gboolean
fcm_event_log_export_finish (FcmEventLog   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
