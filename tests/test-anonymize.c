/* test-anonymize.c: `fhircast anonymize` on every test vector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "fcm-client.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("fcm-anonymize-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static int
cli_run (const char * const *args)
{
  const char *cli = g_getenv ("FHIRCAST_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  /* a one-shot command: its stderr goes to the test log */
  proc = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static GPtrArray *
read_records (const char *path)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = fcm_recording_read_file (path, &error);

  g_assert_no_error (error);
  return records;
}

#define RECORD(records, i) ((FcmRecord *) g_ptr_array_index ((records), (i)))

static void
collect_strings (JsonNode   *node,
                 const char *member,
                 GHashTable *phi)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (obj);
      gboolean resource = json_object_has_member (obj, "resourceType");

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *child = json_object_get_member (obj, l->data);

          if (resource && g_str_equal (l->data, "id") && fcm_json_node_is_string (child))
            g_hash_table_add (phi, g_strdup (json_node_get_string (child)));
          collect_strings (child, l->data, phi);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_strings (json_array_get_element (array, i), member, phi);
    }
  else if (fcm_json_node_is_string (node) &&
           (g_strcmp0 (member, "family") == 0 || g_strcmp0 (member, "given") == 0 ||
            g_strcmp0 (member, "birthDate") == 0 || g_strcmp0 (member, "value") == 0))
    g_hash_table_add (phi, g_strdup (json_node_get_string (node)));
}

/* the shape of a tree: member names, types and array lengths, not values */
static void
append_shape (GString  *out,
              JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *child;

      g_string_append_c (out, '{');
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &child))
        {
          g_string_append_printf (out, "%s:", name);
          append_shape (out, child);
          g_string_append_c (out, ',');
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        append_shape (out, json_array_get_element (array, i));
      g_string_append_c (out, ']');
    }
  else
    g_string_append (out, fcm_json_node_type_name (node));
}

static char *
rule_ids (FcmValidator *validator,
          const char   *text)
{
  g_autoptr(GPtrArray) issues = fcm_validator_validate_text (validator, text, -1, NULL);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      g_string_append_printf (out, "%s %s %s\n", fcm_severity_to_string (fcm_issue_get_severity (issue)),
                              fcm_issue_get_rule_id (issue), fcm_issue_get_path (issue));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every test vector, valid and invalid, as a frame of one recording (twice,
 * so that the same patient appears again later), plus a free-text line
 * naming a patient: anonymized, no name, identifier, id or birth date is
 * left; each stays one pseudonym; the structure and the validator's rule
 * ids are unchanged. */
static void
test_anonymize (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *in = g_build_filename (f->dir, "in.ndjson", NULL);
  g_autofree char *out = g_build_filename (f->dir, "out.ndjson", NULL);
  const char *args[] = { "anonymize", in, out, NULL };
  g_autoptr(GString) recording = g_string_new (
    "{\"recording\":\"fhircast\",\"version\":1,\"started\":\"2025-11-21T09:00:00.000000Z\",\"part\":0,"
    "\"topic\":\"t\"}\n");
  g_autoptr(GHashTable) phi = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) originals = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  const char *dirs[] = { "data/vectors", "data/invalid" };
  const char *free_text = "{\"note\":\"Doe, Jane MRN-448120 born 1961-04-12\"}";
  guint n_pseudonym_checks = 0;

  fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_NOTIFICATION);
  for (guint round = 0; round < 2; round++)
    for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
      {
        g_autoptr(GPtrArray) files = fcm_test_list_data (dirs[d], ".json");

        for (guint i = 0; i < files->len; i++)
          {
            g_autofree char *text = fcm_test_load_text (dirs[d], g_ptr_array_index (files, i), NULL);
            g_autoptr(JsonNode) root = fcm_json_parse (text, -1, NULL);
            g_autofree char *compact = NULL;

            if (root == NULL)
              continue;
            compact = fcm_json_to_string (root, FALSE);
            collect_strings (root, NULL, phi);
            g_ptr_array_add (originals, g_strdup (compact));
            g_string_append_printf (recording, "{\"seq\":%u,\"at\":\"2025-11-21T09:00:01.000000Z\","
                                    "\"dir\":\"in\",\"type\":\"frame\",\"text\":", originals->len);
            fcm_recording_append_string (recording, compact);
            g_string_append (recording, "}\n");
          }
      }
  /* a patient with a name and a birth date, in two events, then named in free text */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(JsonArray) context = fcm_context_build_open ("rpt-jd", "pat-jd", "1.2.840.113619.2.55.3",
                                                             "ACC-000731", "MRN-448120");
      FcmReportDetails details = { "Doe, Jane", "female", "1961-04-12", "CT Chest", "CT", "2025-11-21" };
      g_autoptr(FcmEvent) event = NULL;
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) root = NULL;

      g_assert_true (fcm_context_add_details (context, &details, &error));
      event = fcm_event_new ("6a1e9c1e-54b3-4d54-9f0e-2d7c3b1a9e01", "2025-11-21T09:00:00.000Z", "t",
                             round == 0 ? FCM_EVENT_DIAGNOSTIC_REPORT_OPEN : FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE,
                             context, "v1", NULL);
      text = fcm_event_to_json (event, FALSE);
      root = fcm_json_parse (text, -1, NULL);
      collect_strings (root, NULL, phi);
      g_ptr_array_add (originals, g_strdup (text));
      g_string_append_printf (recording, "{\"seq\":%u,\"at\":\"2025-11-21T09:00:01.000000Z\","
                              "\"dir\":\"in\",\"type\":\"frame\",\"text\":", originals->len);
      fcm_recording_append_string (recording, text);
      g_string_append (recording, "}\n");
    }
  g_assert_true (g_hash_table_contains (phi, "Doe, Jane") || g_hash_table_contains (phi, "Doe"));
  g_assert_true (g_hash_table_contains (phi, "1961-04-12"));
  g_ptr_array_add (originals, g_strdup (free_text));
  g_string_append (recording, "{\"seq\":9999,\"at\":\"2025-11-21T09:00:02.000000Z\",\"dir\":\"in\","
                              "\"type\":\"frame\",\"text\":");
  fcm_recording_append_string (recording, free_text);
  g_string_append (recording, "}\n");
  g_assert_true (g_file_set_contents (in, recording->str, (gssize) recording->len, &error));

  g_assert_cmpint (cli_run (args), ==, 0);
  g_assert_true (g_file_get_contents (out, &output, NULL, &error));
  records = read_records (out);
  g_assert_true (fcm_json_get_string (RECORD (records, 0)->object, "recording") != NULL);
  /* header, every message, the summary */
  g_assert_cmpuint (records->len, ==, originals->len + 2);
  g_assert_cmpint (RECORD (records, records->len - 1)->type, ==, FCM_RECORD_SUMMARY);

  for (guint i = 0; i < originals->len; i++)
    {
      const char *original = g_ptr_array_index (originals, i);
      FcmRecord *record = RECORD (records, i + 1);
      g_autoptr(JsonNode) a = fcm_json_parse (original, -1, NULL);
      g_autoptr(JsonNode) b = fcm_json_parse (record->text, -1, NULL);
      g_autoptr(GString) shape_a = g_string_new (NULL);
      g_autoptr(GString) shape_b = g_string_new (NULL);
      g_autofree char *rules_a = rule_ids (validator, original);
      g_autofree char *rules_b = rule_ids (validator, record->text);

      g_assert_nonnull (b);
      append_shape (shape_a, a);
      append_shape (shape_b, b);
      g_assert_cmpstr (shape_b->str, ==, shape_a->str);
      if (g_strcmp0 (rules_a, rules_b) != 0)
        g_test_message ("message %u: %s", i, original);
      g_assert_cmpstr (rules_b, ==, rules_a);
      g_assert_true (json_object_has_member (record->object, "issues"));
    }

  /* nothing left: every PHI value long enough not to occur by chance */
  {
    GHashTableIter iter;
    const char *value;

    g_hash_table_iter_init (&iter, phi);
    while (g_hash_table_iter_next (&iter, (gpointer *) &value, NULL))
      {
        g_autofree char *quoted = g_strdup_printf ("\\\"%s\\\"", value);

        if (strlen (value) < 5 || g_str_has_prefix (value, "urn:uuid:"))
          continue;
        if (strstr (output, quoted) != NULL)
          g_error ("%s is still in the anonymized recording", value);
        n_pseudonym_checks++;
      }
  }
  g_assert_cmpuint (n_pseudonym_checks, >=, 10);
  /* the free text lost the name, the MRN and the birth date */
  {
    FcmRecord *last = RECORD (records, records->len - 2);

    g_assert_null (strstr (last->text, "Doe"));
    g_assert_null (strstr (last->text, "Jane"));
    g_assert_null (strstr (last->text, "448120"));
    g_assert_null (strstr (last->text, "1961-04-12"));
  }
  /* … and so did the whole file, short values and parts of values too
   * (pseudonyms are consonant-vowel words: "Doe" and "Jane" cannot occur) */
  for (const char *value = "Doe\0Jane\0" "448120\0" "000731\0" "1961-04-12\0" "113619\0pat-jd\0rpt-jd\0";
       *value != '\0'; value += strlen (value) + 1)
    if (strstr (output, value) != NULL)
      g_error ("%s is still in the anonymized recording", value);

  /* consistent: each vector of the first round reads the same in the second */
  {
    guint n = (originals->len - 3) / 2;

    for (guint i = 0; i < n; i++)
      g_assert_cmpstr (RECORD (records, i + 1)->text, ==, RECORD (records, i + 1 + n)->text);
  }
  /* and the named patient of the open is the same in the close */
  {
    g_autoptr(JsonNode) open = fcm_json_parse (RECORD (records, originals->len - 2)->text, -1, NULL);
    g_autoptr(JsonNode) close = fcm_json_parse (RECORD (records, originals->len - 1)->text, -1, NULL);
    g_autoptr(FcmEvent) a = fcm_event_new_from_node (open, &error);
    g_autoptr(FcmEvent) b = fcm_event_new_from_node (close, &error);
    JsonObject *pa = fcm_event_lookup_context (a, "patient");
    JsonObject *pb = fcm_event_lookup_context (b, "patient");
    g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), pa);
    g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), pb);
    JsonObject *patient = fcm_json_get_object (pa, "resource");
    JsonObject *name = fcm_json_array_get_object (fcm_json_get_array (patient, "name"), 0);

    g_assert_true (json_node_equal (na, nb));
    g_assert_cmpstr (fcm_json_get_string (name, "family"), !=, "Doe");
    g_assert_nonnull (fcm_json_get_string (name, "family"));
    g_assert_nonnull (strstr (fcm_json_get_string (name, "text"), fcm_json_get_string (name, "family")));
    g_assert_cmpstr (fcm_json_get_string (patient, "birthDate"), !=, "1961-04-12");
    g_assert_cmpuint (strlen (fcm_json_get_string (patient, "birthDate")), ==, 10);

    /* the free text names her by the same pseudonyms as the resources */
    {
      FcmRecord *last = RECORD (records, records->len - 2);
      JsonArray *given = fcm_json_get_array (name, "given");
      JsonObject *identifier = fcm_json_array_get_object (fcm_json_get_array (patient, "identifier"), 0);

      g_assert_nonnull (strstr (last->text, fcm_json_get_string (name, "family")));
      g_assert_nonnull (given);
      g_assert_nonnull (strstr (last->text, json_array_get_string_element (given, 0)));
      g_assert_nonnull (strstr (last->text, fcm_json_get_string (identifier, "value")));
      g_assert_nonnull (strstr (last->text, fcm_json_get_string (patient, "birthDate")));
    }
  }

  /* two exports: different keys, different pseudonyms */
  {
    g_autofree char *out2 = g_build_filename (f->dir, "out2.ndjson", NULL);
    const char *again[] = { "anonymize", in, out2, NULL };
    g_autofree char *output2 = NULL;

    g_assert_cmpint (cli_run (again), ==, 0);
    g_assert_true (g_file_get_contents (out2, &output2, NULL, &error));
    g_assert_cmpstr (output, !=, output2);
  }
  {
    const char *not_recording[] = { "anonymize", "/dev/null", out, NULL };
    const char *usage[] = { "anonymize", in, NULL };

    g_assert_cmpint (cli_run (not_recording), ==, 2);
    g_assert_cmpint (cli_run (usage), ==, 64);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fcm/cli/anonymize", Fixture, NULL, fixture_setup, test_anonymize, fixture_teardown);

  return g_test_run ();
}
