/* fcm-hub-context.c: context change requests and the topic's context (H-15..H-30)
 *
 * A JSON POST to the hub is a FHIRcast event: it is parsed, checked
 * against the token's write scope and the validator (H-15), answered again
 * for a retried id (H-19), then decided by process_event(): an -open opens
 * or resumes a context with a new versionId (H-20, H-23), a -close drops
 * it (H-26), an -update checks the versionId and applies its Bundle (H-24,
 * H-25), a -select checks what it selects (H-27); a context that is not
 * open is 409 (H-16) and other events are relayed (H-22). An accepted
 * change is broadcast with the events it implies (H-18, H-21); a posted
 * syncerror is relayed to the others (H-38). The admin async fault answers
 * 202 and decides later (H-17).
 *
 * Also Get Current Context: GET {hub.url}/{topic} (H-29, H-30).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <stdlib.h>

#include "fcm-hub-private.h"

/* The context key of an anchor type (FC §3.6: report, study, patient, …). */
static char *
anchor_key_of (const char *anchor_type)
{
  if (g_ascii_strcasecmp (anchor_type, "DiagnosticReport") == 0)
    return g_strdup ("report");
  if (g_ascii_strcasecmp (anchor_type, "ImagingStudy") == 0)
    return g_strdup ("study");
  return g_ascii_strdown (anchor_type, -1);
}

/* ------------------------------------------------------------------------ */
/* per-topic state                                                          */

static void
context_free (Context *ctx)
{
  g_free (ctx->anchor_type);
  g_free (ctx->anchor_id);
  g_free (ctx->open_name);
  g_free (ctx->version_id);
  g_free (ctx->open_ids[0]);
  g_free (ctx->open_ids[1]);
  g_clear_pointer (&ctx->open_message, json_node_unref);
  g_clear_pointer (&ctx->context, json_array_unref);
  g_clear_pointer (&ctx->content, json_object_unref);
  g_free (ctx);
}

void
_fcm_hub_topic_free (Topic *topic)
{
  g_free (topic->topic);
  g_ptr_array_unref (topic->contexts);
  g_queue_clear (&topic->processed_order);   /* the keys are the table's */
  g_hash_table_unref (topic->processed);
  g_free (topic);
}

/* H-19: @id was processed with @status; only the newest processed_max ids
 * are remembered */
static void
topic_remember (FcmHub     *self,
                Topic      *topic,
                const char *id,
                guint       status)
{
  char *key;

  if (g_hash_table_contains (topic->processed, id))
    {
      g_hash_table_insert (topic->processed, g_strdup (id), GUINT_TO_POINTER (status));
      return;
    }
  key = g_strdup (id);
  g_hash_table_insert (topic->processed, key, GUINT_TO_POINTER (status));
  g_queue_push_tail (&topic->processed_order, key);
  while (topic->processed_order.length > MAX (self->processed_max, 1))
    g_hash_table_remove (topic->processed, g_queue_pop_head (&topic->processed_order));
}

static void
topic_forget (Topic      *topic,
              const char *id)
{
  gpointer key;

  if (g_hash_table_lookup_extended (topic->processed, id, &key, NULL))
    {
      g_queue_remove (&topic->processed_order, key);
      g_hash_table_remove (topic->processed, id);
    }
}

Topic *
_fcm_hub_ensure_topic (FcmHub     *self,
                       const char *name)
{
  Topic *topic = g_hash_table_lookup (self->topics, name);

  if (topic == NULL)
    {
      topic = g_new0 (Topic, 1);
      topic->topic = g_strdup (name);
      topic->contexts = g_ptr_array_new_with_free_func ((GDestroyNotify)context_free);
      topic->processed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->topics, topic->topic, topic);
    }
  return topic;
}

static Context *
topic_find_context (Topic      *topic,
                    const char *anchor_type,
                    const char *anchor_id)
{
  for (guint i = 0; i < topic->contexts->len; i++)
    {
      Context *ctx = g_ptr_array_index (topic->contexts, i);

      if (g_ascii_strcasecmp (ctx->anchor_type, anchor_type) == 0 &&
          g_strcmp0 (ctx->anchor_id, anchor_id) == 0)
        return ctx;
    }
  return NULL;
}

static char *
topic_new_version (void)
{
  return _fcm_hub_random_uuid ();
}

/* ---- context changes ---- */

static gboolean
require_key (FcmEvent   *event,
             const char *key,
             Verdict    *v)
{
  if (fcm_event_lookup_context (event, key) == NULL)
    REJECT (v, 400, "%s: context key \"%s\" is missing", fcm_event_get_name (event), key);
  return TRUE;
}

static void
set_event_member (JsonNode   *message,
                  const char *member,
                  const char *value)
{
  JsonObject *event = fcm_json_get_object (json_node_get_object (message), "event");

  if (value != NULL)
    json_object_set_string_member (event, member, value);
  else if (json_object_has_member (event, member))
    json_object_remove_member (event, member);
}

/* Decides on a context change and updates the topic's state. On success
 * *out_message holds the message to broadcast. */
static gboolean
process_event (FcmHub      *self,
               Topic       *topic,
               FcmEvent    *event,
               JsonNode   **out_message,
               JsonArray  **out_anchor_context,
               Verdict     *v)
{
  const char *name = fcm_event_get_name (event);
  g_autoptr(JsonNode) message = json_node_copy (fcm_event_get_root (event));
  g_autofree char *anchor_type = _fcm_hub_anchor_type_of (name);
  g_autofree char *anchor_key = anchor_type != NULL ? anchor_key_of (anchor_type) : NULL;
  g_autofree char *anchor_id = NULL;
  gboolean is_open = _fcm_hub_has_suffix_ci (name, "-open");
  gboolean is_close = _fcm_hub_has_suffix_ci (name, "-close");
  gboolean is_update = _fcm_hub_has_suffix_ci (name, "-update");
  gboolean is_select = _fcm_hub_has_suffix_ci (name, "-select");
  gboolean is_report = anchor_type != NULL && g_ascii_strcasecmp (anchor_type, "DiagnosticReport") == 0;
  Context *ctx = NULL;

  v->status = SOUP_STATUS_OK;

  if (fcm_event_name_equal (name, "syncerror"))
    {
      JsonObject *oo = fcm_event_lookup_resource (event, "operationoutcome");

      if (oo == NULL || g_strcmp0 (fcm_json_get_string (oo, "resourceType"), "OperationOutcome") != 0 ||
          fcm_json_get_array (oo, "issue") == NULL)
        REJECT (v, 400, "syncerror: context \"operationoutcome\" with an OperationOutcome is required");
      *out_message = g_steal_pointer (&message);
      return TRUE;
    }

  /* Home-open has no anchor (FC §3.2.5) */
  if (anchor_type == NULL || g_ascii_strcasecmp (anchor_type, "Home") == 0 ||
      !(is_open || is_close || is_update || is_select))
    {
      *out_message = g_steal_pointer (&message);
      return TRUE;   /* H-22: relay anything else */
    }

  if (!require_key (event, anchor_key, v))
    return FALSE;
  anchor_id = fcm_event_dup_context_id (event, anchor_key, NULL);
  if (anchor_id == NULL)
    REJECT (v, 400, "%s: context \"%s\" has no resource id", name, anchor_key);
  ctx = topic_find_context (topic, anchor_type, anchor_id);

  if (is_open)
    {
      static const char * const open_keys[] = { "patient", "study" };
      g_autofree char *version = topic_new_version ();
      JsonArray *context = fcm_event_get_context (event);

      if (is_report && (!require_key (event, "patient", v) || !require_key (event, "study", v)))
        return FALSE;

      if (ctx != NULL)
        {
          /* resume only when patient and study match (H-20) */
          guint idx = 0;

          for (guint i = 0; i < G_N_ELEMENTS (open_keys); i++)
            {
              g_autofree char *a = fcm_event_dup_context_id (event, open_keys[i], NULL);

              if (g_strcmp0 (a, ctx->open_ids[i]) != 0)
                REJECT (v, 400, "%s: %s/%s is already open with a different %s", name,
                        anchor_type, anchor_id, open_keys[i]);
            }
          /* move it to the end: it becomes the current context */
          if (g_ptr_array_find (topic->contexts, ctx, &idx))
            g_ptr_array_steal_index (topic->contexts, idx);
        }
      else
        {
          ctx = g_new0 (Context, 1);
          ctx->anchor_type = g_strdup (anchor_type);
          ctx->anchor_id = g_strdup (anchor_id);
          ctx->content = json_object_new ();
        }

      g_free (ctx->open_name);
      ctx->open_name = g_strdup (name);
      for (guint i = 0; i < G_N_ELEMENTS (open_keys); i++)
        {
          g_free (ctx->open_ids[i]);
          ctx->open_ids[i] = fcm_event_dup_context_id (event, open_keys[i], NULL);
        }
      g_free (ctx->version_id);
      ctx->version_id = g_steal_pointer (&version);
      g_clear_pointer (&ctx->context, json_array_unref);
      ctx->context = json_array_ref (context);
      set_event_member (message, "context.versionId", ctx->version_id);   /* H-23 */
      g_clear_pointer (&ctx->open_message, json_node_unref);
      ctx->open_message = json_node_copy (message);
      g_ptr_array_add (topic->contexts, ctx);
      topic->current = ctx;
      *out_anchor_context = json_array_ref (ctx->context);
      *out_message = g_steal_pointer (&message);
      return TRUE;
    }

  if (ctx == NULL)
    REJECT (v, 409, "%s: %s/%s is not an open context", name, anchor_type, anchor_id);   /* H-16 */

  if (is_close)
    {
      if (topic->current == ctx)
        topic->current = NULL;   /* H-20: empty, no fallback */
      *out_anchor_context = json_array_ref (ctx->context);
      g_ptr_array_remove (topic->contexts, ctx);   /* H-26 */
      *out_message = g_steal_pointer (&message);
      return TRUE;
    }

  if (is_update)
    {
      const char *version = fcm_event_get_version_id (event);
      JsonObject *bundle;
      g_autofree char *prior = NULL;

      if (!require_key (event, "updates", v))
        return FALSE;
      if (version == NULL)
        REJECT (v, 400, "%s: context.versionId is required", name);
      if (g_strcmp0 (version, ctx->version_id) != 0)
        REJECT (v, 400, "%s: context.versionId does not match the current version", name);   /* H-24 */
      bundle = fcm_event_lookup_resource (event, "updates");
      if (!_fcm_hub_check_update_bundle (ctx, bundle, v))
        return FALSE;   /* H-25: nothing applied */

      _fcm_hub_apply_update_bundle (ctx, bundle);
      prior = g_steal_pointer (&ctx->version_id);
      ctx->version_id = topic_new_version ();
      set_event_member (message, "context.versionId", ctx->version_id);
      set_event_member (message, "context.priorVersionId", prior);
      set_event_member (message, "versionId", NULL);
      *out_message = g_steal_pointer (&message);
      return TRUE;
    }

  /* select (H-27) */
  {
    JsonArray *context = fcm_event_get_context (event);
    gboolean have_select = FALSE;
    gboolean unknown = FALSE;

    for (guint i = 0; i < json_array_get_length (context); i++)
      {
        JsonObject *item = fcm_json_array_get_object (context, i);
        JsonObject *ref;
        g_autofree char *key = NULL;

        if (g_strcmp0 (fcm_json_get_string (item, "key"), "select") != 0)
          continue;
        have_select = TRUE;
        if ((ref = fcm_json_get_object (item, "reference")))
          key = g_strdup (fcm_json_get_string (ref, "reference"));
        else
          key = _fcm_hub_resource_key (fcm_json_get_object (item, "resource"));
        if (key == NULL || !_fcm_hub_context_knows (ctx, key))
          unknown = TRUE;
      }
    if (!have_select)
      REJECT (v, 400, "%s: context key \"select\" is missing", name);
    if (unknown)
      v->status = SOUP_STATUS_PARTIAL_CONTENT;
    *out_message = g_steal_pointer (&message);
    return TRUE;
  }
}

static Subscriber *
find_by_name (FcmHub     *self,
              const char *topic,
              const char *name)
{
  GHashTableIter iter;
  gpointer value;

  if (name == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->subscribers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Subscriber *sub = value;

      if (g_str_equal (sub->topic, topic) && g_strcmp0 (sub->name, name) == 0)
        return sub;
    }
  return NULL;
}

/* The subscriber named in a posted syncerror's subscribername coding. */
static const char *
syncerror_subscriber_name (FcmEvent *event)
{
  JsonObject *oo = fcm_event_lookup_resource (event, "operationoutcome");
  JsonObject *issue = fcm_json_array_get_object (fcm_json_get_array (oo, "issue"), 0);
  JsonArray *coding = fcm_json_get_array (fcm_json_get_object (issue, "details"), "coding");

  for (guint i = 0; coding != NULL && i < json_array_get_length (coding); i++)
    {
      JsonObject *c = fcm_json_array_get_object (coding, i);

      if (g_strcmp0 (fcm_json_get_string (c, "system"), SYNCERROR_SYSTEM "subscribername") == 0)
        return fcm_json_get_string (c, "code");
    }
  return NULL;
}

/* Broadcasts an accepted context change (H-18, H-21, H-38). */
static void
hub_publish (FcmHub    *self,
             FcmEvent  *event,
             JsonNode  *message,
             JsonArray *anchor_context)
{
  const char *topic_name = fcm_event_get_topic (event);
  const char *id = fcm_event_get_id (event);
  g_autofree char *text = _fcm_hub_node_to_string (message);

  if (fcm_event_name_equal (fcm_event_get_name (event), "syncerror"))
    {
      /* H-38: pass it on to the others */
      Subscriber *origin = find_by_name (self, topic_name, syncerror_subscriber_name (event));

      _fcm_hub_broadcast (self, topic_name, id, "syncerror", text, origin);
      g_signal_emit (self, _fcm_hub_signals[SIGNAL_SYNCERROR], 0, topic_name, "relayed subscriber syncerror");
      return;
    }
  _fcm_hub_broadcast (self, topic_name, id, fcm_event_get_name (event), text, NULL);
  _fcm_hub_derive_implied (self, event, anchor_context);
}

void
_fcm_hub_async_job_free (AsyncJob *job)
{
  g_clear_handle_id (&job->source_id, g_source_remove);
  g_free (job->sub_id);
  g_clear_object (&job->event);
  g_free (job->reason);
  g_free (job);
}

static gboolean
async_job_cb (gpointer data)
{
  AsyncJob *job = data;
  FcmHub *self = job->hub;
  Subscriber *sub = g_hash_table_lookup (self->subscribers, job->sub_id);
  Topic *topic = g_hash_table_lookup (self->topics, fcm_event_get_topic (job->event));
  const char *id = fcm_event_get_id (job->event);

  job->source_id = 0;
  if (topic != NULL && !job->reject)
    {
      g_autoptr(JsonNode) message = NULL;
      g_autoptr(JsonArray) anchor_context = NULL;
      Verdict v = { 0, NULL };

      if (process_event (self, topic, job->event, &message, &anchor_context, &v))
        hub_publish (self, job->event, message, anchor_context);
      else
        {
          /* a rejected id may be retried (H-19) */
          topic_forget (topic, id);
          if (sub != NULL)
            _fcm_hub_syncerror_to_requester (self, sub, job->event, v.reason);
          g_free (v.reason);
        }
    }
  else if (sub != NULL)
    _fcm_hub_syncerror_to_requester (self, sub, job->event,
                                     job->reason != NULL ? job->reason : "rejected by the hub administrator");

  g_hash_table_remove (self->async_jobs, job);
  return G_SOURCE_REMOVE;
}

/* The subscriber of @topic with an armed async fault (admin), if any. */
static Subscriber *
find_async_requester (FcmHub     *self,
                      const char *topic)
{
  g_autofree gpointer *keys = NULL;
  GHashTableIter iter;
  gpointer value;
  gboolean armed = FALSE;
  guint n = 0;

  /* the usual case, no fault armed: no sorting */
  g_hash_table_iter_init (&iter, self->subscribers);
  while (!armed && g_hash_table_iter_next (&iter, NULL, &value))
    armed = ((Subscriber *) value)->async_mode != ASYNC_OFF;
  if (!armed)
    return NULL;

  /* sorted, so that the choice does not depend on hash order */
  keys = g_hash_table_get_keys_as_array (self->subscribers, &n);
  qsort (keys, n, sizeof (gpointer), _fcm_hub_compare_strings);
  for (guint i = 0; i < n; i++)
    {
      Subscriber *sub = g_hash_table_lookup (self->subscribers, keys[i]);

      if (g_str_equal (sub->topic, topic) && sub->async_mode != ASYNC_OFF && sub->async_left != 0)
        return sub;
    }
  return NULL;
}

void
_fcm_hub_handle_context_change (FcmHub            *self,
                                SoupServerMessage *msg,
                                const char        *path_topic,
                                const char        *body,
                                gsize              length,
                                Token             *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(JsonArray) anchor_context = NULL;
  Verdict v = { 0, NULL };
  Subscriber *requester;
  const char *topic_name;
  const char *id;
  Topic *topic;
  gpointer seen;

  /* json-glib would cut a string at an escaped NUL */
  if (_fcm_hub_json_has_nul (body, length))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "JSON strings must not contain \\u0000");
      return;
    }
  event = fcm_event_new_from_json (body, length, &error);
  if (event == NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, error->message);   /* H-15 */
      return;
    }
  if (fcm_event_is_legacy_wrapped (event))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "wrapped (pre-STU3) messages are not accepted");
      return;
    }

  topic_name = fcm_event_get_topic (event);
  _fcm_hub_audit_note (self, _fcm_hub_audit_transaction_of (fcm_event_get_name (event)), "context-change",
                       _fcm_hub_check_topic (topic_name) == NULL ? topic_name : NULL);
  _fcm_hub_audit_note_event (self, fcm_event_get_name (event), fcm_event_get_id (event));

  /* H-03: sending an event needs its .write scope */
  if (token != NULL && !_fcm_hub_token_allows (token, fcm_event_get_name (event), TRUE))
    {
      g_autofree char *reason = g_strdup_printf ("the bearer token lacks the scope fhircast/%s.write",
                                                 fcm_event_get_name (event));

      g_debug ("%s refused for %s: no write scope", fcm_event_get_name (event), token->name);
      _fcm_hub_respond_text (msg, SOUP_STATUS_FORBIDDEN, reason);
      return;
    }

  if (topic_name == NULL || *topic_name == '\0')
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "$.event['hub.topic']: required member is missing");
      return;
    }
  if (_fcm_hub_check_topic (topic_name) != NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, _fcm_hub_check_topic (topic_name));
      return;
    }
  if (path_topic != NULL && !g_str_equal (path_topic, topic_name))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "event hub.topic does not match the URL");
      return;
    }
  topic = g_hash_table_lookup (self->topics, topic_name);
  if (topic == NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "hub.topic is not a known session");
      return;
    }

  id = fcm_event_get_id (event);
  if (self->validate)
    {
      g_autoptr(GPtrArray) issues = fcm_validator_validate_event (self->validator, event);

      /* H-15: the first error, "RULE: message", as the plain-text reason */
      for (guint i = 0; issues != NULL && i < issues->len; i++)
        {
          FcmIssue *issue = g_ptr_array_index (issues, i);

          if (fcm_issue_get_severity (issue) == FCM_SEVERITY_ERROR)
            {
              g_autofree char *reason = g_strdup_printf ("%s: %s (%s)", fcm_issue_get_rule_id (issue),
                                                         fcm_issue_get_message (issue),
                                                         fcm_issue_get_path (issue));

              _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, reason);
              return;
            }
        }
    }

  if (g_hash_table_lookup_extended (topic->processed, id, NULL, &seen))
    {
      /* H-19: a retry; answer again, broadcast nothing */
      soup_server_message_set_status (msg, GPOINTER_TO_UINT (seen), NULL);
      return;
    }

  /* H-17: an armed admin fault answers 202 and decides later */
  if (!fcm_event_name_equal (fcm_event_get_name (event), "syncerror") &&
      (requester = find_async_requester (self, topic_name)) != NULL)
    {
      AsyncJob *job = g_new0 (AsyncJob, 1);

      job->reject = requester->async_mode == ASYNC_REJECT;
      if (requester->async_left > 0 && --requester->async_left == 0)
        requester->async_mode = ASYNC_OFF;
      job->hub = self;
      job->sub_id = g_strdup (requester->id);
      job->event = g_object_ref (event);
      job->reason = g_strdup (requester->async_reason);
      job->source_id = g_timeout_add (requester->async_delay_ms, async_job_cb, job);
      g_hash_table_add (self->async_jobs, job);
      if (!job->reject)
        topic_remember (self, topic, id, SOUP_STATUS_ACCEPTED);
      soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
      return;
    }

  if (!process_event (self, topic, event, &message, &anchor_context, &v))
    {
      _fcm_hub_respond_text (msg, v.status, v.reason);
      g_free (v.reason);
      return;
    }

  topic_remember (self, topic, id, v.status);
  soup_server_message_set_status (msg, v.status, NULL);
  if (token != NULL)
    g_debug ("%s %s accepted from %s", fcm_event_get_name (event), id, token->name);
  hub_publish (self, event, message, anchor_context);
}

void
_fcm_hub_handle_get_context (FcmHub            *self,
                             SoupServerMessage *msg,
                             const char        *topic_name,
                             Token             *token)
{
  Topic *topic = g_hash_table_lookup (self->topics, topic_name);
  g_autoptr(JsonObject) obj = json_object_new ();
  JsonArray *context;
  Context *ctx;

  _fcm_hub_audit_note (self, "RAD-153", "get-context", topic_name);
  if (token != NULL && !_fcm_hub_token_reads_any (token))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_FORBIDDEN, "the bearer token has no fhircast/….read scope");
      return;
    }
  if (topic == NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "unknown topic");
      return;
    }

  ctx = topic->current;
  /* H-03: a context the token may not read (no read scope for its -open) looks empty */
  if (ctx != NULL && token != NULL)
    {
      g_autofree char *open_name = g_strconcat (ctx->anchor_type, "-open", NULL);

      if (!_fcm_hub_token_allows (token, open_name, FALSE))
        ctx = NULL;
    }
  context = json_array_new ();
  json_object_set_string_member (obj, "context.type", ctx != NULL ? ctx->anchor_type : "");
  if (ctx != NULL)
    {
      JsonObject *bundle = json_object_new ();
      JsonArray *entries = json_array_new ();
      JsonObject *item = json_object_new ();
      GList *members = json_object_get_members (ctx->content);

      json_object_set_string_member (obj, "context.versionId", ctx->version_id);
      for (guint i = 0; i < json_array_get_length (ctx->context); i++)
        json_array_add_element (context, json_node_copy (json_array_get_element (ctx->context, i)));

      /* H-29/H-30: one collection Bundle, no request elements */
      json_object_set_string_member (bundle, "resourceType", "Bundle");
      json_object_set_string_member (bundle, "type", "collection");
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonObject *entry = json_object_new ();

          json_object_set_string_member (entry, "fullUrl", l->data);
          json_object_set_member (entry, "resource",
                                  json_node_copy (json_object_get_member (ctx->content, l->data)));
          json_array_add_object_element (entries, entry);
        }
      g_list_free (members);
      json_object_set_array_member (bundle, "entry", entries);
      json_object_set_string_member (item, "key", "content");
      json_object_set_object_member (item, "resource", bundle);
      json_array_add_object_element (context, item);
    }
  json_object_set_array_member (obj, "context", context);
  _fcm_hub_respond_json (msg, SOUP_STATUS_OK, obj);
}
