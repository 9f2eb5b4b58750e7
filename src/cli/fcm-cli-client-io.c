/* fcm-cli-client-io.c: what the client commands read and print
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `publish --file F` (a context array or a whole message, "-" for standard
 * input) and `context`'s answer with its shape checked (C-52).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "fcm-client.h"
#include "fcm-json-private.h"
#include "fcm-cli-private.h"

/* the whole of standard input (a one-shot command may block) */
static char *
read_stdin (gsize   *out_len,
            GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char chunk[8192];
  size_t n;

  while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
    {
      if (text->len + n > FCM_JSON_MAX_BYTES)
        {
          g_set_error (error, FCM_ERROR, FCM_ERROR_TOO_LARGE,
                       _("Standard input is larger than %d bytes"), FCM_JSON_MAX_BYTES);
          return NULL;
        }
      g_string_append_len (text, chunk, (gssize) n);
    }
  if (ferror (stdin))
    {
      g_set_error_literal (error, FCM_ERROR, FCM_ERROR_IO, _("Could not read standard input"));
      return NULL;
    }
  *out_len = text->len;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* --file F, or standard input for "-" */
JsonArray *
fcm_cli_context_from_file (const char  *path,
                   GError     **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(JsonNode) root = NULL;

  if (g_strcmp0 (path, "-") == 0)
    {
      if ((text = read_stdin (&len, error)) == NULL)
        return NULL;
    }
  else if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  root = fcm_json_parse (text, (gssize) len, error);
  if (root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_array_ref (json_node_get_array (root));
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *event = fcm_json_get_object (json_node_get_object (root), "event");
      JsonArray *context = event ? fcm_json_get_array (event, "context") : NULL;

      if (context == NULL)
        context = fcm_json_get_array (json_node_get_object (root), "context");
      if (context != NULL)
        return json_array_ref (context);
    }
  g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
               "%s: %s", path, _("expected a context array or a message with event.context"));
  return NULL;
}

/**
 * fcm_cli_context_answer:
 * @context: a Get Current Context answer
 * @json: --json
 *
 * Says on stderr what is wrong with the answer's shape, with the rule ids.
 *
 * Returns: (transfer full): the line to print: the answer as it came, or
 *   with --json {"context": answer, "stu3": bool, "issues": [...]}
 */
char *
fcm_cli_context_answer (JsonNode *context,
                        gboolean  json)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(GPtrArray) issues = NULL;
  char *text;
  gboolean stu3;

  /* C-52: STU3 answers {"context.type", "context.versionId", "context"}; a bare
   * array (sandbox.js, or an empty body) or the 2019 shape is a peer's quirk:
   * printed as answered, and said so */
  stu3 = JSON_NODE_HOLDS_OBJECT (context) &&
         json_object_has_member (json_node_get_object (context), "context") &&
         !json_object_has_member (json_node_get_object (context), "event");
  issues = fcm_validator_validate (validator, context, NULL);
  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      if (fcm_issue_get_severity (issue) == FCM_SEVERITY_INFO)
        continue;
      fprintf (stderr, "context: %s %s %s: %s%s\n",
               fcm_severity_to_string (fcm_issue_get_severity (issue)), fcm_issue_get_rule_id (issue),
               fcm_issue_get_path (issue) ? fcm_issue_get_path (issue) : "$", fcm_issue_get_message (issue),
               stu3 ? "" : _(" (not FHIRcast STU3)"));
    }
  if (json)
    {
      g_autoptr(JsonObject) obj = json_object_new ();
      g_autoptr(JsonNode) out = json_node_new (JSON_NODE_OBJECT);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < issues->len; i++)
        json_array_add_element (array, fcm_issue_to_json (g_ptr_array_index (issues, i)));
      json_object_set_member (obj, "context", json_node_copy (context));
      json_object_set_boolean_member (obj, "stu3", stu3);
      json_object_set_array_member (obj, "issues", array);
      json_node_set_object (out, obj);
      text = fcm_json_to_string (out, FALSE);
    }
  else
    text = fcm_json_to_string (context, FALSE);
  return text;
}
