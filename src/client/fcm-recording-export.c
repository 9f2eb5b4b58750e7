/* fcm-recording-export.c: a recording with the PHI removed, for a bug report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a recording (fcm-recording.c). The output is the same
 * recording with every message anonymized (fcm-anonymizer.c, a fresh key
 * per export), each message followed by what the validator finds in the
 * anonymized text ("issues": the rule ids the original breaks, since the
 * pseudonyms keep what the rules look at), and a last "summary" line that
 * counts them: what to attach to an issue.
 *
 * The work is done a batch of lines per main-loop callback, so the app
 * stays responsive while a large recording is anonymized.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-anonymizer.h"
#include "fcm-error.h"
#include "fcm-hub-client.h"
#include "fcm-json-private.h"
#include "fcm-recording.h"

/* lines per main-loop callback (each parsed, anonymized, validated) */
#define BATCH 64

typedef struct
{
  GBytes *input;
  GPtrArray *lines;            /* const char *, into input's copy */
  char *text;                  /* the input, NUL-terminated, cut into lines */
  guint index;
  gboolean rewriting;          /* pass 2 */
  FcmAnonymizer *anonymizer;
  FcmValidator *notifications;
  FcmValidator *requests;
  GString *out;
  GHashTable *rules;           /* rule id → count */
  guint n_messages;
  guint n_errors;
  guint n_warnings;
  guint n_dropped;
  guint source_id;
} Export;

static void
export_free (Export *e)
{
  g_clear_handle_id (&e->source_id, g_source_remove);
  g_bytes_unref (e->input);
  g_clear_pointer (&e->lines, g_ptr_array_unref);
  g_free (e->text);
  g_clear_object (&e->anonymizer);
  g_clear_object (&e->notifications);
  g_clear_object (&e->requests);
  if (e->out != NULL)
    g_string_free (e->out, TRUE);
  g_hash_table_unref (e->rules);
  g_free (e);
}

/* a record's members, in order, into a new object that may be changed */
static JsonObject *
copy_record (JsonObject *record)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, record);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, json_node_copy (member));
  return copy;
}

static void
append_object (GString    *out,
               JsonObject *obj)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (node, obj);
  text = fcm_json_to_string (node, FALSE);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

static JsonArray *
issues_of (Export        *e,
           FcmRecordType  type,
           const char    *text)
{
  FcmValidator *validator = type == FCM_RECORD_REQUEST ? e->requests : e->notifications;
  g_autoptr(GPtrArray) issues = fcm_validator_validate_text (validator, text, -1, NULL);
  JsonArray *array = json_array_new ();

  e->n_messages++;
  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);
      const char *rule = fcm_issue_get_rule_id (issue);

      json_array_add_element (array, fcm_issue_to_json (issue));
      if (fcm_issue_get_severity (issue) == FCM_SEVERITY_ERROR)
        e->n_errors++;
      else if (fcm_issue_get_severity (issue) == FCM_SEVERITY_WARNING)
        e->n_warnings++;
      /* the recording's own rule ids: copied, not interned (a file's
       * strings must not grow GLib's table of interned strings for good) */
      if (rule != NULL)
        g_hash_table_insert (e->rules, g_strdup (rule),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (e->rules, rule)) + 1));
    }
  return array;
}

static void
rewrite_line (Export     *e,
              const char *line)
{
  FcmRecord record;

  if (!fcm_record_parse (line, -1, &record, NULL))
    {
      e->n_dropped++;
      return;
    }
  switch (record.type)
    {
    case FCM_RECORD_HEADER:
      {
        g_autoptr(JsonObject) header = copy_record (record.object);

        json_object_set_boolean_member (header, "anonymized", TRUE);
        json_object_set_string_member (header, "note",
          "Patient names, identifiers, ids and birth dates are replaced by keyed pseudonyms "
          "(HMAC-SHA256 under a random key that was not kept); every message is followed by "
          "the validator's issues in the anonymized text");
        append_object (e->out, header);
      }
      break;
    case FCM_RECORD_FRAME:
    case FCM_RECORD_ACK:
    case FCM_RECORD_REQUEST:
    case FCM_RECORD_CONTEXT:
      {
        g_autofree char *text = fcm_anonymizer_rewrite_text (e->anonymizer, record.text);
        g_autoptr(JsonObject) copy = copy_record (record.object);

        json_object_set_string_member (copy, "text", text);
        json_object_set_array_member (copy, "issues", issues_of (e, record.type, text));
        append_object (e->out, copy);
      }
      break;
    case FCM_RECORD_STATE:
      append_object (e->out, record.object);
      break;
    case FCM_RECORD_SUMMARY:
    case FCM_RECORD_OTHER:
    default:
      /* an earlier export's summary, or a line this version cannot vouch for */
      e->n_dropped++;
      break;
    }
  fcm_record_clear (&record);
}

static void
learn_line (Export     *e,
            const char *line)
{
  FcmRecord record;

  if (!fcm_record_parse (line, -1, &record, NULL))
    return;
  if (record.text != NULL)
    fcm_anonymizer_learn_text (e->anonymizer, record.text);
  fcm_record_clear (&record);
}

static void
append_summary (Export *e)
{
  g_autoptr(JsonObject) summary = json_object_new ();
  g_autoptr(JsonObject) rules = json_object_new ();
  g_autoptr(GList) ids = g_hash_table_get_keys (e->rules);
  g_autoptr(GString) at = g_string_new (NULL);

  fcm_recording_append_time (at, g_get_real_time ());
  ids = g_list_sort (ids, (GCompareFunc) g_strcmp0);
  for (GList *l = ids; l != NULL; l = l->next)
    json_object_set_int_member (rules, l->data, GPOINTER_TO_UINT (g_hash_table_lookup (e->rules, l->data)));
  json_object_set_string_member (summary, "at", at->str);
  json_object_set_string_member (summary, "dir", "local");
  json_object_set_string_member (summary, "type", "summary");
  json_object_set_int_member (summary, "messages", e->n_messages);
  json_object_set_int_member (summary, "errors", e->n_errors);
  json_object_set_int_member (summary, "warnings", e->n_warnings);
  json_object_set_object_member (summary, "rules", g_steal_pointer (&rules));
  json_object_set_int_member (summary, "pseudonymized", fcm_anonymizer_get_n_values (e->anonymizer));
  json_object_set_int_member (summary, "dropped", e->n_dropped);
  append_object (e->out, summary);
}

static gboolean
batch_cb (gpointer user_data)
{
  GTask *task = user_data;
  Export *e = g_task_get_task_data (task);
  guint end = MIN (e->index + BATCH, e->lines->len);

  if (g_task_return_error_if_cancelled (task))
    {
      e->source_id = 0;
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  for (; e->index < end; e->index++)
    {
      const char *line = g_ptr_array_index (e->lines, e->index);

      if (e->rewriting)
        rewrite_line (e, line);
      else
        learn_line (e, line);
    }
  if (e->index < e->lines->len)
    return G_SOURCE_CONTINUE;
  if (!e->rewriting)
    {
      /* pass 2 */
      e->rewriting = TRUE;
      e->index = 0;
      return G_SOURCE_CONTINUE;
    }

  e->source_id = 0;
  append_summary (e);
  g_task_return_pointer (task, g_string_free_to_bytes (g_steal_pointer (&e->out)),
                         (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/**
 * fcm_recording_anonymize_async:
 * @input: a recording's text
 *
 * Makes @input anonymized, each message with its validation issues, and a
 * summary line. The key of the pseudonyms is made for this call and
 * forgotten after it.
 */
void
fcm_recording_anonymize_async (GBytes             *input,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  GTask *task;
  Export *e;
  gsize size = 0;
  const char *data;
  char *line, *next;

  g_return_if_fail (input != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_recording_anonymize_async);
  e = g_new0 (Export, 1);
  e->input = g_bytes_ref (input);
  e->anonymizer = fcm_anonymizer_new ();
  e->notifications = fcm_validator_new ();
  fcm_validator_set_role (e->notifications, FCM_VALIDATOR_ROLE_NOTIFICATION);
  e->requests = fcm_validator_new ();
  fcm_validator_set_role (e->requests, FCM_VALIDATOR_ROLE_REQUEST);
  e->out = g_string_new (NULL);
  e->rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  e->lines = g_ptr_array_new ();
  g_task_set_task_data (task, e, (GDestroyNotify) export_free);

  data = g_bytes_get_data (input, &size);
  e->text = g_strndup (data, size);
  for (line = e->text; line != NULL && *line != '\0'; line = next)
    {
      char *end = strchr (line, '\n');

      next = end ? end + 1 : NULL;
      if (end != NULL)
        *end = '\0';
      if (end != NULL && end > line && end[-1] == '\r')
        end[-1] = '\0';
      if (*line != '\0')
        g_ptr_array_add (e->lines, line);
    }
  {
    FcmRecord first = { 0 };

    if (e->lines->len == 0 || !fcm_record_parse (g_ptr_array_index (e->lines, 0), -1, &first, NULL) ||
        first.type != FCM_RECORD_HEADER)
      {
        fcm_record_clear (&first);
        g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE, "%s",
                                 _("This is not a FHIRcast recording (no header line)"));
        g_object_unref (task);
        return;
      }
    fcm_record_clear (&first);
  }
  e->source_id = g_idle_add_full (G_PRIORITY_LOW, batch_cb, task, NULL);
}

/**
 * fcm_recording_anonymize_finish:
 *
 * Returns: (transfer full): the anonymized recording, or %NULL on error
 */
GBytes *
fcm_recording_anonymize_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* the client state a note of the monitor stands for */
static const char *
note_state (const char *note)
{
  if (g_str_equal (note, FCM_NOTE_SUBSCRIBED) || g_str_equal (note, FCM_NOTE_RESUBSCRIBED))
    return fcm_client_state_to_string (FCM_CLIENT_STATE_ACTIVE);
  if (g_str_equal (note, FCM_NOTE_CONNECTION_LOST))
    return fcm_client_state_to_string (FCM_CLIENT_STATE_RECONNECTING);
  if (g_str_equal (note, FCM_NOTE_ENDED))
    return fcm_client_state_to_string (FCM_CLIENT_STATE_DENIED);
  if (g_str_equal (note, FCM_NOTE_FAILED))
    return fcm_client_state_to_string (FCM_CLIENT_STATE_ERROR);
  if (g_str_equal (note, FCM_NOTE_UNSUBSCRIBED))
    return fcm_client_state_to_string (FCM_CLIENT_STATE_DISCONNECTED);
  return NULL;
}

/**
 * fcm_recording_from_event_log:
 * @hub_url: (nullable): the hub
 * @topic: (nullable): the topic
 *
 * A recording made from what a timeline holds, for a connection that was
 * not recorded: each entry's text as a frame at its receive time, followed
 * by the ack it got. (Requests sent and context answers are not in a
 * timeline.)
 *
 * Returns: (transfer full): the recording's text
 */
GBytes *
fcm_recording_from_event_log (FcmEventLog *event_log,
                              const char  *hub_url,
                              const char  *topic)
{
  GString *out = g_string_new ("{\"recording\":\"fhircast\",\"version\":");
  g_autofree char *hub = fcm_recording_public_url (hub_url);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (event_log));
  guint64 seq = 0;

  g_string_append_printf (out, "%d,\"program\":", FCM_RECORDING_VERSION);
  fcm_recording_append_string (out, GETTEXT_PACKAGE " " PACKAGE_VERSION);
  g_string_append (out, ",\"started\":\"");
  fcm_recording_append_time (out, g_get_real_time ());
  g_string_append (out, "\",\"part\":0,\"from\":\"timeline\"");
  if (hub != NULL)
    {
      g_string_append (out, ",\"hub\":");
      fcm_recording_append_string (out, hub);
    }
  if (topic != NULL)
    {
      g_string_append (out, ",\"topic\":");
      fcm_recording_append_string (out, topic);
    }
  g_string_append (out, "}\n");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (event_log), i);
      g_autofree char *text = fcm_event_log_entry_dup_text (entry);
      const char *id = fcm_event_log_entry_get_event_id (entry);
      guint status = fcm_event_log_entry_get_ack_status (entry);
      const char *note = fcm_event_log_entry_get_note (entry);

      /* the monitor's notes (issue 11.9) were no frames: the state change
       * they note, which a replay notes again */
      if (note != NULL)
        {
          const char *state = note_state (note);

          if (state == NULL)
            continue;
          g_string_append_printf (out, "{\"seq\":%" G_GUINT64_FORMAT ",\"at\":\"", ++seq);
          fcm_recording_append_time (out, fcm_event_log_entry_get_received (entry));
          g_string_append_printf (out, "\",\"dir\":\"local\",\"type\":\"state\",\"state\":\"%s\"}\n", state);
          continue;
        }
      g_string_append_printf (out, "{\"seq\":%" G_GUINT64_FORMAT ",\"at\":\"", ++seq);
      fcm_recording_append_time (out, fcm_event_log_entry_get_received (entry));
      g_string_append (out, "\",\"dir\":\"in\",\"type\":\"frame\",\"text\":");
      fcm_recording_append_string (out, text);
      g_string_append (out, "}\n");
      if (status > 0 && id != NULL)
        {
          g_autoptr(GString) ack = g_string_new ("{\"id\":");

          fcm_recording_append_string (ack, id);
          g_string_append_printf (ack, ",\"status\":\"%u\"}", status);
          g_string_append_printf (out, "{\"seq\":%" G_GUINT64_FORMAT ",\"at\":\"", ++seq);
          fcm_recording_append_time (out, fcm_event_log_entry_get_received (entry));
          g_string_append (out, "\",\"dir\":\"out\",\"type\":\"ack\",\"id\":");
          fcm_recording_append_string (out, id);
          g_string_append_printf (out, ",\"status\":%u,\"text\":", status);
          fcm_recording_append_string (out, ack->str);
          g_string_append (out, "}\n");
        }
    }
  return g_string_free_to_bytes (out);
}
