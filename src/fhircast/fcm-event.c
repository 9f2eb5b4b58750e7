/* fcm-event.c: one FHIRcast event notification or context-change request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Making an event (reading a message, building one) is in fcm-event-parse.c.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-event-internal.h"
#include "fcm-json-private.h"

G_DEFINE_FINAL_TYPE (FcmEvent, fcm_event, G_TYPE_OBJECT)

static void
fcm_event_finalize (GObject *object)
{
  FcmEvent *self = (FcmEvent *)object;

  g_clear_pointer (&self->context, json_array_unref);
  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->doc, fcm_doc_unref);
  g_clear_pointer (&self->raw, g_ref_string_release);

  G_OBJECT_CLASS (fcm_event_parent_class)->finalize (object);
}

static void
fcm_event_class_init (FcmEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fcm_event_finalize;
}

static void
fcm_event_init (FcmEvent *self)
{
  self->timestamp_usec = G_MININT64;
}

/* Known event names in their recommended spelling, plus the 2019 prototype
 * and May-2019 ballot names mapped onto STU3 (digest §4.1 item 6). */
#define KNOWN(name, canonical, legacy) { name, sizeof (name) - 1, canonical, legacy }

static const struct {
  const char *name;
  gsize       length;
  const char *canonical;
  gboolean    legacy;
} known_names[] = {
  KNOWN ("DiagnosticReport-open", "DiagnosticReport-open", FALSE),
  KNOWN ("DiagnosticReport-close", "DiagnosticReport-close", FALSE),
  KNOWN ("DiagnosticReport-update", "DiagnosticReport-update", FALSE),
  KNOWN ("DiagnosticReport-select", "DiagnosticReport-select", FALSE),
  KNOWN ("ImagingStudy-open", "ImagingStudy-open", FALSE),
  KNOWN ("ImagingStudy-close", "ImagingStudy-close", FALSE),
  KNOWN ("ImagingStudy-update", "ImagingStudy-update", FALSE),
  KNOWN ("ImagingStudy-select", "ImagingStudy-select", FALSE),
  KNOWN ("Patient-open", "Patient-open", FALSE),
  KNOWN ("Patient-close", "Patient-close", FALSE),
  KNOWN ("Patient-update", "Patient-update", FALSE),
  KNOWN ("Patient-select", "Patient-select", FALSE),
  KNOWN ("Encounter-open", "Encounter-open", FALSE),
  KNOWN ("Encounter-close", "Encounter-close", FALSE),
  KNOWN ("Encounter-update", "Encounter-update", FALSE),
  KNOWN ("Encounter-select", "Encounter-select", FALSE),
  KNOWN ("Home-open", "Home-open", FALSE),
  KNOWN ("SyncError", "SyncError", FALSE),
  KNOWN ("userLogout", "userLogout", FALSE),
  KNOWN ("userHibernate", "userHibernate", FALSE),
  KNOWN ("heartbeat", "heartbeat", FALSE),
  KNOWN ("open-imaging-study", "ImagingStudy-open", TRUE),
  KNOWN ("switch-imaging-study", "ImagingStudy-open", TRUE),
  KNOWN ("close-imaging-study", "ImagingStudy-close", TRUE),
  KNOWN ("open-patient-chart", "Patient-open", TRUE),
  KNOWN ("switch-patient-chart", "Patient-open", TRUE),
  KNOWN ("close-patient-chart", "Patient-close", TRUE),
  KNOWN ("user-logout", "userLogout", TRUE),
  KNOWN ("logout", "userLogout", TRUE),
  KNOWN ("user-hibernate", "userHibernate", TRUE),
  KNOWN ("sync-error", "SyncError", TRUE),
};

#undef KNOWN

static gint
find_known_name (const char *name)
{
  gsize length;
  char first;

  if (name == NULL)
    return -1;

  /* several times per received event: compare the length and the first
   * letter before the whole name. Every known name starts with a letter,
   * which | 0x20 makes lower case: for any other first byte the test only
   * has to fail, and it does (no known name starts with what | 0x20 makes
   * of it), without a call per entry. */
  length = strlen (name);
  first = (char) (name[0] | 0x20);
  for (guint i = 0; i < G_N_ELEMENTS (known_names); i++)
    {
      /* C-14: event names compare case-insensitively */
      if (known_names[i].length == length &&
          (char) (known_names[i].name[0] | 0x20) == first &&
          g_ascii_strcasecmp (known_names[i].name, name) == 0)
        return i;
    }

  return -1;
}

/**
 * fcm_event_name_canonicalize:
 * @name: an event name in any case, possibly a legacy name
 *
 * Returns: the recommended STU3 spelling of @name (C-14), the STU3 name for
 *   a 2019 prototype name, or @name itself when it is not a known event
 */
const char *
fcm_event_name_canonicalize (const char *name)
{
  gint i = find_known_name (name);

  return i < 0 ? name : known_names[i].canonical;
}

/**
 * fcm_event_name_is_legacy:
 *
 * Returns: %TRUE for a 2019-prototype / May-2019-ballot event name
 */
gboolean
fcm_event_name_is_legacy (const char *name)
{
  gint i = find_known_name (name);

  return i >= 0 && known_names[i].legacy;
}

/**
 * fcm_event_name_equal:
 *
 * Compares event names case-insensitively (C-14, H-06), after mapping
 * legacy names to their STU3 equivalent.
 */
gboolean
fcm_event_name_equal (const char *a,
                      const char *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_ascii_strcasecmp (fcm_event_name_canonicalize (a),
                             fcm_event_name_canonicalize (b)) == 0;
}

const char *
fcm_event_get_id (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->id;
}

const char *
fcm_event_get_timestamp (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->timestamp;
}

/**
 * fcm_event_get_timestamp_usec:
 *
 * Returns: the timestamp as microseconds since the epoch, or %G_MININT64
 *   when it could not be parsed
 */
gint64
fcm_event_get_timestamp_usec (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), G_MININT64);
  return self->timestamp_usec;
}

const char *
fcm_event_get_topic (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->topic;
}

/**
 * fcm_event_get_name:
 *
 * Returns: `hub.event` as it was spelled on the wire
 */
const char *
fcm_event_get_name (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->name;
}

/**
 * fcm_event_get_canonical_name:
 *
 * Returns: the recommended STU3 spelling of the event name
 */
const char *
fcm_event_get_canonical_name (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->canonical_name;
}

gboolean
fcm_event_has_name (FcmEvent   *self,
                    const char *name)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), FALSE);

  /* fcm_event_name_equal() with our side canonicalized once, when read;
   * callers mostly pass a canonical spelling (FCM_EVENT_*) */
  if (name == NULL)
    return FALSE;
  if (self->canonical_name != NULL && strcmp (self->canonical_name, name) == 0)
    return TRUE;
  return g_ascii_strcasecmp (self->canonical_name, fcm_event_name_canonicalize (name)) == 0;
}

/**
 * fcm_event_get_context:
 *
 * The context as a json-glib array, made from the message on the first call
 * (the readers of the hot path use fcm_event_get_context_doc()).
 *
 * Returns: (transfer none): the context array (empty when absent)
 */
JsonArray *
fcm_event_get_context (FcmEvent *self)
{
  JsonObject *message;
  JsonObject *event;
  JsonArray *context;

  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);

  if (self->context != NULL)
    return self->context;

  message = json_node_get_object (fcm_event_get_root (self));
  if (self->legacy_wrapped)
    message = fcm_json_get_object (message, "body");
  event = fcm_json_get_object (message, "event");
  context = fcm_json_get_array (event, "context");
  self->context = context != NULL ? json_array_ref (context) : json_array_new ();
  return self->context;
}

/**
 * fcm_event_lookup_context:
 * @key: a context key, compared case-sensitively (C-14)
 *
 * Returns: (transfer none) (nullable): the first context item with @key
 */
JsonObject *
fcm_event_lookup_context (FcmEvent   *self,
                          const char *key)
{
  JsonArray *context;

  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (fcm_event_lookup_context_doc (self, key) == NULL)
    return NULL;

  context = fcm_event_get_context (self);
  for (guint i = 0; i < json_array_get_length (context); i++)
    {
      JsonObject *item = fcm_json_array_get_object (context, i);

      if (g_strcmp0 (fcm_json_get_string (item, "key"), key) == 0)
        return item;
    }

  return NULL;
}

/**
 * fcm_event_lookup_resource:
 *
 * Returns: (transfer none) (nullable): the `resource` object of the context
 *   item with @key
 */
JsonObject *
fcm_event_lookup_resource (FcmEvent   *self,
                           const char *key)
{
  return fcm_json_get_object (fcm_event_lookup_context (self, key), "resource");
}

/**
 * fcm_event_get_doc:
 *
 * Returns: (transfer none): the whole message as an #FcmDoc, including a
 *   legacy wrapper
 */
FcmDoc *
fcm_event_get_doc (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->doc;
}

/**
 * fcm_event_get_message_doc:
 *
 * Returns: (transfer none): the message object in fcm_event_get_doc(): its
 *   root, or the `body` of a 2019 wrapper
 */
const FcmJson *
fcm_event_get_message_doc (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->message;
}

/**
 * fcm_event_get_context_doc:
 *
 * Returns: (transfer none) (nullable): the context array, every element an
 *   object; %NULL when the message has none
 */
const FcmJson *
fcm_event_get_context_doc (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->context_doc;
}

/**
 * fcm_event_lookup_context_doc:
 * @key: a context key, compared case-sensitively (C-14)
 *
 * Returns: (transfer none) (nullable): the first context item with @key
 */
const FcmJson *
fcm_event_lookup_context_doc (FcmEvent   *self,
                              const char *key)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return _fcm_context_lookup (self->context_doc, key);
}

/*
 * _fcm_context_lookup:
 * @context: (nullable): a context array
 * @key: a context key, compared case-sensitively (C-14)
 *
 * Returns: (nullable): the first item of @context with @key
 */
const FcmJson *
_fcm_context_lookup (const FcmJson *context,
                     const char    *key)
{
  FCM_DOC_FOREACH (context, item)
    if (g_strcmp0 (fcm_doc_get_string (item, "key"), key) == 0)
      return item;

  return NULL;
}

/**
 * fcm_event_lookup_resource_doc:
 *
 * Returns: (transfer none) (nullable): the `resource` object of the context
 *   item with @key
 */
const FcmJson *
fcm_event_lookup_resource_doc (FcmEvent   *self,
                               const char *key)
{
  return fcm_doc_get_object (fcm_event_lookup_context_doc (self, key), "resource");
}

/**
 * fcm_event_dup_context_id:
 * @key: the context key ("report", "patient", …)
 * @resource_type: (nullable): the expected resource type
 *
 * Finds the id of a context item given either as a `resource` with an `id`
 * or as a `reference` (FC uses references in update/select, IRA resources:
 * digest §4.3 item 6).
 *
 * Returns: (transfer full) (nullable): the resource id
 */
char *
fcm_event_dup_context_id (FcmEvent   *self,
                          const char *key,
                          const char *resource_type)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);

  return _fcm_context_dup_id (self->context_doc, key, resource_type);
}

/*
 * _fcm_context_dup_id:
 * @context: (nullable): a context array
 *
 * fcm_event_dup_context_id() for a context array.
 */
char *
_fcm_context_dup_id (const FcmJson *context,
                     const char    *key,
                     const char    *resource_type)
{
  const FcmJson *item;
  const FcmJson *obj;

  if (!(item = _fcm_context_lookup (context, key)))
    return NULL;

  if ((obj = fcm_doc_get_object (item, "resource")))
    {
      const char *type = fcm_doc_get_string (obj, "resourceType");
      const char *id = fcm_doc_get_string (obj, "id");

      if (id == NULL || (resource_type != NULL && g_strcmp0 (type, resource_type) != 0))
        return NULL;
      return g_strdup (id);
    }

  if ((obj = fcm_doc_get_object (item, "reference")))
    return fcm_json_reference_id (fcm_doc_get_string (obj, "reference"), resource_type);

  return NULL;
}

const char *
fcm_event_get_version_id (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->version_id;
}

const char *
fcm_event_get_prior_version_id (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->prior_version_id;
}

/**
 * fcm_event_get_root:
 *
 * The message as a json-glib tree: the one it was made from, or one made
 * from the message on the first call.
 *
 * Returns: (transfer none): the whole message, including a legacy wrapper
 */
JsonNode *
fcm_event_get_root (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);

  if (self->root == NULL)
    self->root = fcm_doc_to_node (fcm_doc_get_root (self->doc));
  return self->root;
}

/**
 * fcm_event_get_raw:
 *
 * Returns: the message text exactly as received (or as generated)
 */
const char *
fcm_event_get_raw (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);
  return self->raw;
}

gboolean
fcm_event_is_legacy_wrapped (FcmEvent *self)
{
  g_return_val_if_fail (FCM_IS_EVENT (self), FALSE);
  return self->legacy_wrapped;
}

/**
 * fcm_event_to_json:
 * @pretty: indent the output
 *
 * Serializes the message (as json-glib writes it). For a legacy-wrapped
 * message only the unwrapped STU3 body is written.
 *
 * Returns: (transfer full): JSON text
 */
char *
fcm_event_to_json (FcmEvent *self,
                   gboolean  pretty)
{
  g_autoptr(JsonNode) node = NULL;
  JsonNode *root;

  g_return_val_if_fail (FCM_IS_EVENT (self), NULL);

  /* made from a tree: the raw text is that tree written compactly */
  if (!self->legacy_wrapped && !pretty && self->raw_is_compact)
    return g_strdup (self->raw);

  root = fcm_event_get_root (self);
  if (!self->legacy_wrapped)
    return fcm_json_to_string (root, pretty);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, fcm_json_get_object (json_node_get_object (root), "body"));
  return fcm_json_to_string (node, pretty);
}

/**
 * fcm_event_get_syncerror_details:
 * @out_event_id: (out) (optional) (transfer none): the id of the event that failed
 * @out_event_name: (out) (optional) (transfer none): its name
 * @out_subscriber: (out) (optional) (transfer none): the subscriber that failed
 * @out_diagnostics: (out) (optional) (transfer none): the human-readable reason
 *
 * Reads the OperationOutcome of a syncerror: its first issue's diagnostics and
 * the eventid, eventname and subscribername codings (H-24, C-63). Missing parts
 * are set to %NULL; codings are matched on the end of their system so that the
 * older "…/syncerror/…" spellings work too.
 *
 * Returns: %TRUE if the event carries an OperationOutcome
 */
gboolean
fcm_event_get_syncerror_details (FcmEvent    *self,
                                 const char **out_event_id,
                                 const char **out_event_name,
                                 const char **out_subscriber,
                                 const char **out_diagnostics)
{
  static const char * const suffixes[] = { "/eventid", "/eventname", "/subscribername" };
  const char *found[G_N_ELEMENTS (suffixes)] = { NULL, };
  const char *diagnostics = NULL;
  const FcmJson *resource;

  g_return_val_if_fail (FCM_IS_EVENT (self), FALSE);

  resource = fcm_event_lookup_resource_doc (self, "operationoutcome");

  FCM_DOC_FOREACH (fcm_doc_get_array (resource, "issue"), issue)
    {
      const FcmJson *details = fcm_doc_get_object (issue, "details");

      if (diagnostics == NULL)
        diagnostics = fcm_doc_get_string (issue, "diagnostics");

      FCM_DOC_FOREACH (fcm_doc_get_array (details, "coding"), coding)
        {
          const char *system = fcm_doc_get_string (coding, "system");

          for (guint k = 0; system != NULL && k < G_N_ELEMENTS (suffixes); k++)
            if (found[k] == NULL && g_str_has_suffix (system, suffixes[k]))
              found[k] = fcm_doc_get_string (coding, "code");
        }
    }

  if (out_event_id != NULL)
    *out_event_id = found[0];
  if (out_event_name != NULL)
    *out_event_name = found[1];
  if (out_subscriber != NULL)
    *out_subscriber = found[2];
  if (out_diagnostics != NULL)
    *out_diagnostics = diagnostics;

  return resource != NULL;
}
