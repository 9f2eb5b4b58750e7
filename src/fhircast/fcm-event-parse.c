/* fcm-event-parse.c: making an event: reading a message, or building one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmEvent (see fcm-event-internal.h): the one reader of a
 * message (event_from_doc(): tolerant of what real peers bend, strict about
 * types, each error with its JSON path) behind every constructor, and
 * fcm_event_new(), which builds a message and reads it back.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-error.h"
#include "fcm-event-internal.h"
#include "fcm-json-private.h"

static gboolean
read_string_member (const FcmJson  *object,
                    const char     *member,
                    const char     *path,
                    gboolean        required,
                    const char    **out_value,
                    GError        **error)
{
  const FcmJson *node = fcm_doc_member (object, member);

  *out_value = NULL;

  if (node == NULL)
    {
      if (required)
        {
          g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                       /* Translators: %s is a JSON path such as $.event.context */
                       _("%s: required member is missing"), path);
          return FALSE;
        }
      return TRUE;
    }

  if (!fcm_doc_is_string (node))
    {
      /* a null version id is seen in the wild; treat it as absent */
      if (!required && fcm_doc_is_null (node))
        return TRUE;

      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   /* Translators: a JSON path, then a JSON type such as "an object" */
                   _("%s: expected a string, got %s"), path, fcm_doc_type_name (node));
      return FALSE;
    }

  *out_value = fcm_doc_string (node);
  return TRUE;
}

/*
 * event_from_doc:
 * @doc: the parsed message (a reference is taken)
 * @raw: (transfer full): the text @doc was parsed from, a #GRefString
 * @root: (nullable): the same message as a json-glib tree, if the caller has one
 *
 * The one reader of a message: fields point into @doc.
 */
static FcmEvent *
event_from_doc (FcmDoc      *doc,
                char        *raw,
                JsonNode    *root,
                GError     **error)
{
  g_autoptr(FcmEvent) self = g_object_new (FCM_TYPE_EVENT, NULL);
  const FcmJson *message = fcm_doc_get_root (doc);
  const FcmJson *event;
  const FcmJson *node;
  gboolean wrapped = FALSE;
  guint i = 0;

  /* owned from here on, whatever happens */
  self->doc = fcm_doc_ref (doc);
  self->raw = raw;
  self->root = root != NULL ? json_node_ref (root) : NULL;

  if (!fcm_doc_is_object (message))
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   /* Translators: a JSON path, then a JSON type such as "an array" */
                   _("%s: expected an object, got %s"), "$", fcm_doc_type_name (message));
      return NULL;
    }

  /* The 2019 prototype wraps every frame as {"header": {…}, "body": {…}}. */
  if (!fcm_doc_has_member (message, "event") &&
      fcm_doc_has_member (message, "header") &&
      fcm_doc_has_member (message, "body"))
    {
      node = fcm_doc_member (message, "body");
      if (!fcm_doc_is_object (node))
        {
          g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                       _("%s: expected an object, got %s"), "$.body",
                       fcm_doc_type_name (node));
          return NULL;
        }
      message = node;
      wrapped = TRUE;
    }

  self->legacy_wrapped = wrapped;

#define PATH(p) (wrapped ? "$.body." p : "$." p)

  if (!read_string_member (message, "timestamp", PATH ("timestamp"), TRUE, &self->timestamp, error) ||
      !read_string_member (message, "id", PATH ("id"), TRUE, &self->id, error))
    return NULL;

  event = fcm_doc_member (message, "event");
  if (event == NULL)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("%s: required member is missing"), PATH ("event"));
      return NULL;
    }
  if (!fcm_doc_is_object (event))
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("%s: expected an object, got %s"), PATH ("event"),
                   fcm_doc_type_name (event));
      return NULL;
    }

  if (!read_string_member (event, "hub.topic", PATH ("event['hub.topic']"), FALSE, &self->topic, error) ||
      !read_string_member (event, "hub.event", PATH ("event['hub.event']"), TRUE, &self->name, error) ||
      !read_string_member (event, "context.versionId", PATH ("event['context.versionId']"), FALSE,
                           &self->version_id, error) ||
      !read_string_member (event, "context.priorVersionId", PATH ("event['context.priorVersionId']"),
                           FALSE, &self->prior_version_id, error))
    return NULL;

  /* digest §4.3 item 2: also read the undotted spellings from FC §2.3 */
  if (self->version_id == NULL &&
      !read_string_member (event, "versionId", PATH ("event.versionId"), FALSE,
                           &self->version_id, error))
    return NULL;
  if (self->prior_version_id == NULL &&
      !read_string_member (event, "priorVersionId", PATH ("event.priorVersionId"), FALSE,
                           &self->prior_version_id, error))
    return NULL;

  node = fcm_doc_member (event, "context");
  if (node != NULL)
    {
      if (!fcm_doc_is_array (node))
        {
          g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                       _("%s: expected an array, got %s"), PATH ("event.context"),
                       fcm_doc_type_name (node));
          return NULL;
        }

      FCM_DOC_FOREACH (node, item)
        {
          if (!fcm_doc_is_object (item))
            {
              g_autofree char *item_path = g_strdup_printf ("%s.event.context[%u]",
                                                            wrapped ? "$.body" : "$", i);

              g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                           _("%s: expected an object, got %s"), item_path,
                           fcm_doc_type_name (item));
              return NULL;
            }
          i++;
        }

      self->context_doc = node;
    }

#undef PATH

  self->message = message;
  self->canonical_name = fcm_event_name_canonicalize (self->name);
  if (!fcm_json_parse_timestamp (self->timestamp, &self->timestamp_usec))
    self->timestamp_usec = G_MININT64;

  return g_steal_pointer (&self);
}

/**
 * fcm_event_new_from_json:
 * @text: the message text
 * @length: length of @text, or -1 if NUL-terminated
 * @error: return location for a #GError
 *
 * Parses a notification or request. Any malformed input gives %NULL and an
 * error naming what is wrong and where (a JSON path such as
 * `$.event.context[2]`).
 *
 * Returns: (transfer full) (nullable): a new #FcmEvent
 */
FcmEvent *
fcm_event_new_from_json (const char  *text,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(FcmDoc) doc = NULL;
  gsize len;

  if (!(doc = fcm_doc_parse (text, length, error)))
    return NULL;

  len = length < 0 ? strlen (text) : (gsize) length;
  return event_from_doc (doc, g_ref_string_new_len (text, (gssize) len), NULL, error);
}

/**
 * fcm_event_new_from_node:
 * @root: a parsed message
 * @error: return location for a #GError
 *
 * Like fcm_event_new_from_json() for an already parsed document. @root is
 * kept as the event's json-glib tree (fcm_event_get_root()).
 *
 * Returns: (transfer full) (nullable): a new #FcmEvent
 */
FcmEvent *
fcm_event_new_from_node (JsonNode  *root,
                         GError   **error)
{
  g_autoptr(FcmDoc) doc = NULL;
  g_autofree char *text = NULL;
  FcmEvent *self;

  g_return_val_if_fail (root != NULL, NULL);

  text = fcm_json_to_string (root, FALSE);
  if (!(doc = fcm_doc_parse (text, -1, error)))
    return NULL;

  self = event_from_doc (doc, g_ref_string_new (text), root, error);
  if (self != NULL)
    self->raw_is_compact = TRUE;
  return self;
}

/*
 * _fcm_event_new_from_doc:
 * @doc: a parsed message
 * @raw: the text @doc was parsed from, a #GRefString (a reference is taken)
 *
 * Like fcm_event_new_from_json(), for a message already parsed: the event
 * shares @doc and @raw (FcmMessage parses each frame once).
 *
 * Returns: (transfer full) (nullable): a new #FcmEvent
 */
FcmEvent *
_fcm_event_new_from_doc (FcmDoc      *doc,
                         const char  *raw,
                         GError     **error)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (raw != NULL, NULL);

  return event_from_doc (doc, g_ref_string_acquire ((char *) raw), NULL, error);
}

/**
 * fcm_event_new:
 * @id: the event id (a UUID, C-45)
 * @timestamp: (nullable): ISO 8601 UTC time, or %NULL for now
 * @topic: the session topic
 * @name: the event name
 * @context: (nullable): the context array (not modified)
 * @version_id: (nullable): `context.versionId`
 * @prior_version_id: (nullable): `context.priorVersionId`
 *
 * Builds a message, written with the dotted version keys (digest §4.3
 * item 2).
 *
 * Returns: (transfer full): a new #FcmEvent
 */
FcmEvent *
fcm_event_new (const char *id,
               const char *timestamp,
               const char *topic,
               const char *name,
               JsonArray  *context,
               const char *version_id,
               const char *prior_version_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GError) error = NULL;
  FcmEvent *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (topic != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (timestamp == NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();

      now = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.%fZ");
      /* trim microseconds to milliseconds: "…SS.mmmuuuZ" → "…SS.mmmZ" */
      if (strlen (now) > 4)
        memmove (now + strlen (now) - 4, "Z", 2);
      timestamp = now;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "event");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "hub.topic");
  json_builder_add_string_value (builder, topic);
  json_builder_set_member_name (builder, "hub.event");
  json_builder_add_string_value (builder, name);
  if (version_id != NULL)
    {
      json_builder_set_member_name (builder, "context.versionId");
      json_builder_add_string_value (builder, version_id);
    }
  if (prior_version_id != NULL)
    {
      json_builder_set_member_name (builder, "context.priorVersionId");
      json_builder_add_string_value (builder, prior_version_id);
    }
  json_builder_set_member_name (builder, "context");
  if (context != NULL)
    {
      JsonNode *ctx = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (ctx, context);
      json_builder_add_value (builder, ctx);
    }
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  self = fcm_event_new_from_node (root, &error);

  /* Only non-object context items can fail here; that is a programmer error. */
  if (self == NULL)
    g_critical ("fcm_event_new: %s", error->message);

  return self;
}
