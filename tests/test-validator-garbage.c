/* test-validator-garbage.c: FcmValidator on garbage, huge, deep and mutated input
 *
 * Garbage, huge and deeply nested input, and every vector with each node
 * mutated or removed, gives issues and never a crash or a GLib critical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-validator-util.h"

/* ------------------------------------------------------------------------ */
/* (4) garbage, huge and deep input                                         */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const char *text;
  const char *rule;   /* an issue with this rule must be present, or NULL */
} GarbageCase;

static const GarbageCase garbage_cases[] = {
  { "", "JSON" },
  { "   ", "JSON" },
  { "{", "JSON" },
  { "{\"timestamp\": \"2025-03-14T09:26:53.589Z\", \"id\": ", "JSON" },
  { "[1, 2,", "JSON" },
  { "{\"a\": 1,}", "JSON" },
  { "nul", "JSON" },
  { "[]", "C-52" },
  { "{}", "C-25" },
  { "\"x\"", "C-25" },
  { "42", "C-25" },
  { "null", "C-25" },
  { "true", "C-25" },
  { "[1, \"a\", null]", "C-25" },
  { "[{}]", "C-25" },
  { "[{\"key\": 5}]", "C-25" },
  { "{\"event\": []}", "H-31" },
  { "{\"event\": null}", "H-31" },
  { "{\"timestamp\": 1, \"id\": {}, \"event\": {\"context\": \"x\"}}", "H-31" },
  { "{\"timestamp\": [], \"id\": [], \"event\": {\"hub.topic\": 1, \"hub.event\": 2, "
    "\"context\": [1, [], null, {}, {\"key\": []}, {\"key\": \"a\", \"resource\": 1}]}}", "C-25" },
  { "{\"timestamp\": \"x\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"DiagnosticReport-open\", \"context\": [1, \"a\", null, {\"key\": 5}, "
    "{\"key\": \"report\", \"resource\": []}, {\"key\": \"report\", \"resource\": {\"resourceType\": "
    "\"DiagnosticReport\", \"subject\": [], \"study\": \"x\", \"status\": 1}}, "
    "{\"key\": \"patient\", \"resource\": {\"resourceType\": \"Patient\", \"id\": 7, "
    "\"identifier\": \"x\"}}, {\"key\": \"study\", \"resource\": {\"resourceType\": \"ImagingStudy\", "
    "\"identifier\": [1, {\"type\": \"x\"}, {\"type\": {\"coding\": \"y\"}}, {\"type\": {\"coding\": "
    "[1, {\"code\": 5}, {\"code\": \"110180\"}]}, \"system\": [], \"value\": {}}, {\"type\": "
    "{\"coding\": [{\"code\": \"ACSN\"}]}, \"value\": 3}], \"subject\": \"x\", \"status\": []}}]}}",
    "C-47" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"DiagnosticReport-update\", \"context.versionId\": [], "
    "\"context.priorVersionId\": null, \"context\": [{\"key\": \"report\", \"reference\": "
    "{\"reference\": 5}}, {\"key\": \"updates\", \"resource\": {\"resourceType\": \"Bundle\", "
    "\"type\": 1, \"entry\": [1, {}, {\"request\": 1}, {\"request\": {\"method\": 1, \"url\": []}}, "
    "{\"request\": {\"method\": \"PUT\", \"url\": \"\"}, \"resource\": 5}, {\"request\": "
    "{\"method\": \"DELETE\", \"url\": \"a/b/c\"}, \"fullUrl\": 1, \"resource\": []}, "
    "{\"request\": {\"method\": \"PUT\", \"url\": \"/\"}, \"resource\": {\"resourceType\": []}}]}}, "
    "{\"key\": \"updates\", \"resource\": {\"resourceType\": \"Bundle\", \"entry\": {}}}]}}",
    "C-56" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"DIAGNOSTICREPORT-SELECT\", \"context\": [{\"key\": \"report\", "
    "\"resource\": {\"resourceType\": \"Patient\"}}, {\"key\": \"select\", \"resource\": "
    "[1, null, {}, {\"reference\": 1}]}, {\"key\": \"select\", \"reference\": [1, {}]}, "
    "{\"key\": \"select\", \"resource\": {\"resourceType\": 1}}]}}", "C-58" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"syncerror\", \"context\": [{\"key\": \"operationoutcome\", \"resource\": "
    "{\"resourceType\": \"OperationOutcome\", \"issue\": [{\"severity\": 1, \"code\": [], "
    "\"details\": {\"coding\": [1, null, {\"system\": 5}, {\"system\": "
    "\"https://fhircast.hl7.org/events/syncerror/eventid\", \"code\": {}}]}}]}}]}}", "H-36" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"syncerror\", \"context\": [{\"key\": \"operationoutcome\", \"resource\": "
    "{\"resourceType\": \"OperationOutcome\", \"issue\": [7]}}]}}", "H-36" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"DiagnosticReport-close\", \"context\": [{\"key\": \"report\", "
    "\"reference\": {\"identifier\": {}}}]}}", "C-50" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"heartbeat\", \"context\": [{\"key\": \"period\", \"decimal\": []}]}}", "C-69" },
  { "{\"header\": 1, \"body\": []}", "C-25" },
  { "{\"header\": {}, \"body\": {\"event\": 5}}", "C-25" },
  { "{\"hub.mode\": []}", "C-19" },
  { "{\"hub.mode\": \"denied\", \"hub.topic\": [], \"hub.events\": 5, \"hub.lease_seconds\": \"x\"}",
    "C-20" },
  { "{\"hub.mode\": \"subscribe\", \"hub.events\": \",,*,a,A\", \"hub.lease_seconds\": 1e300}",
    "C-19" },
  { "{\"id\": [], \"status\": {}}", "C-28" },
  { "{\"id\": \"x\", \"status\": 2.5}", "C-28" },
  { "{\"id\": \"x\", \"status\": -1}", "C-28" },
  { "{\"id\": \"x\", \"status\": \"99999999999999999999999\"}", "C-28" },
  { "{\"status\": [], \"statuscode\": {}}", "C-28" },
  { "{\"status\": 200}", "C-28" },
  { "{\"context\": {}, \"context.type\": 5, \"context.versionId\": []}", "C-52" },
  { "{\"context\": [{\"key\": \"content\", \"resource\": {\"resourceType\": \"Bundle\", "
    "\"entry\": [1, {\"request\": 1}]}}], \"context.type\": \"x\"}", "C-52" },
  { "{\"timestamp\": 5, \"id\": 1, \"event\": {\"context\": [1]}}", "C-25" },
  { "{\"method\": 1, \"url\": 2, \"form\": []}", "C-11" },
  { "{\"method\": \"POST\", \"url\": \"x\", \"headers\": [], \"form\": {\"hub.mode\": 1}, "
    "\"body\": \"%zz&=&&a\"}", "C-11" },
  { "{\"method\": \"POST\", \"url\": \"x\", \"form\": {\"hub.mode\": \"unsubscribe\", "
    "\"hub.channel.type\": \"websocket\", \"hub.topic\": \" \", \"hub.channel.endpoint\": "
    "\"wss://[::1\"}}", "H-14" },
  { "{\"method\": \"GET\", \"url\": \"https://x/gettopic\", \"responseBody\": \"\"}", "C-01" },
  { "{\"resourceType\": \"Bundle\", \"entry\": \"x\"}", "C-25" },
  { "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": 5}]}", "C-25" },
  { "{\"resourceType\": 5}", "C-25" },
  { "{\"type\": \"bind-with-token\", \"payload\": []}", "C-25" },
  { "{\"hub.channel.endpoint\": 7}", "C-15" },
  { "{\"hub.channel.endpoint\": \" wss://x/y \"}", "C-15" },
  { "{\"eventsSupported\": \"x\", \"capabilities\": [], \"websocketSupport\": \"yes\", "
    "\"fhircastVersion\": 3, \"getCurrentSupport\": 1, \"fhirVersion\": {}}", "H-01" },
  { "{\"eventsSupported\": [1, null], \"capabilities\": {\"supportsNonCurrentContextUpdates\": []}}",
    "H-01" },
};

static void
test_garbage (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (garbage_cases); i++)
    {
      const GarbageCase *gc = &garbage_cases[i];
      FcmValidatorRole roles[] = { ANY, REQUEST, NOTIFICATION };

      for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
        {
          g_autoptr(GPtrArray) issues = validate_text (roles[r], gc->text, -1, NULL);
          g_autofree char *listing = describe_issues (issues);

          g_test_message ("garbage %u role %d: %s%s", i, roles[r], gc->text, listing);
          g_assert_cmpuint (issues->len, >, 0);

          if (roles[r] == ANY && gc->rule != NULL &&
              !find_issue (issues, gc->rule, ERROR, NULL) &&
              !find_issue (issues, gc->rule, WARNING, NULL) &&
              !find_issue (issues, gc->rule, INFO, NULL))
            g_error ("garbage %u: expected a %s issue for %s, got:%s", i, gc->rule, gc->text,
                     listing);
        }
    }
}

static void
assert_single_json_error (GPtrArray *issues)
{
  g_assert_cmpuint (issues->len, ==, 1);
  g_assert_cmpstr (fcm_issue_get_rule_id (g_ptr_array_index (issues, 0)), ==, "JSON");
  g_assert_cmpint (fcm_issue_get_severity (g_ptr_array_index (issues, 0)), ==, ERROR);
}

static void
test_garbage_deep (void)
{
  const guint depth = 10000;
  GString *arrays = g_string_new (NULL);
  GString *objects = g_string_new (NULL);
  g_autofree char *arrays_text = NULL;
  g_autofree char *objects_text = NULL;
  g_autoptr(GPtrArray) issues1 = NULL;
  g_autoptr(GPtrArray) issues2 = NULL;
  FcmMessageKind kind = FCM_MESSAGE_EVENT;

  for (guint i = 0; i < depth; i++)
    g_string_append_c (arrays, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (arrays, ']');

  g_string_append (objects, "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"x\", \"event\": ");
  for (guint i = 0; i < depth; i++)
    g_string_append (objects, "{\"context\": ");
  g_string_append (objects, "[]");
  for (guint i = 0; i < depth + 1; i++)
    g_string_append_c (objects, '}');

  arrays_text = g_string_free (arrays, FALSE);
  objects_text = g_string_free (objects, FALSE);

  issues1 = validate_text (ANY, arrays_text, -1, &kind);
  assert_single_json_error (issues1);
  g_assert_cmpint (kind, ==, FCM_MESSAGE_UNKNOWN);

  issues2 = validate_text (NOTIFICATION, objects_text, -1, NULL);
  assert_single_json_error (issues2);
}

static void
test_garbage_bad_utf8 (void)
{
  static const char bad_utf8[] = "{\"id\": \"\xff\xfe\", \"status\": 200}";
  static const char overlong[] = "{\"id\": \"\xc0\xaf\", \"status\": 200}";
  static const char with_nul[] = "{\"id\": \"a\0b\", \"status\": 200}";
  g_autoptr(GPtrArray) issues1 = validate_text (ANY, bad_utf8, -1, NULL);
  g_autoptr(GPtrArray) issues2 = validate_text (ANY, overlong, -1, NULL);
  g_autoptr(GPtrArray) issues3 = validate_text (ANY, with_nul, sizeof with_nul - 1, NULL);

  assert_single_json_error (issues1);
  assert_single_json_error (issues2);
  assert_single_json_error (issues3);
}

static void
test_garbage_huge (void)
{
  g_autofree char *big = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *too_large = NULL;
  g_autoptr(GPtrArray) issues1 = NULL;
  g_autoptr(GPtrArray) issues2 = NULL;
  g_autoptr(GPtrArray) issues3 = NULL;
  g_autoptr(GPtrArray) issues4 = NULL;
  GString *many = g_string_new ("{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"x\", "
                                "\"event\": {\"hub.topic\": \"t\", \"hub.event\": "
                                "\"DiagnosticReport-open\", \"context\": [");
  g_autofree char *many_text = NULL;
  FcmIssue *last;
  gsize size;

  /* a 1 MiB string everywhere a string goes: messages stay short */
  big = g_strnfill (1024 * 1024, 'x');
  text = g_strdup_printf ("{\"timestamp\": \"%s\", \"id\": \"%s\", \"event\": "
                          "{\"hub.topic\": \"%s\", \"hub.event\": \"%s\", "
                          "\"context\": [{\"key\": \"%s\", \"%s\": 1}]}}",
                          big, big, big, big, big, big);
  issues1 = validate_text (ANY, text, -1, NULL);
  g_assert_nonnull (find_issue (issues1, "C-25", ERROR, "$.timestamp"));

  key_text = g_strdup_printf ("{\"hub.channel.endpoint\": \"wss://%s\"}", big);
  issues2 = validate_text (ANY, key_text, -1, NULL);
  g_assert_false (fcm_issues_have_errors (issues2));

  /* 200 000 garbage context items: issues are capped */
  for (guint i = 0; i < 200000; i++)
    g_string_append (many, i ? ", 1" : "1");
  g_string_append (many, "]}}");
  many_text = g_string_free (many, FALSE);
  issues3 = validate_text (REQUEST, many_text, -1, NULL);
  g_assert_cmpuint (issues3->len, >, 100);
  g_assert_cmpuint (issues3->len, <=, 201);
  last = g_ptr_array_index (issues3, issues3->len - 1);
  g_assert_cmpint (fcm_issue_get_severity (last), ==, ERROR);
  g_assert_nonnull (strstr (fcm_issue_get_message (last), "not reported"));

  /* beyond the size limit */
  size = FCM_JSON_MAX_BYTES + 16;
  too_large = g_malloc (size + 1);
  memset (too_large, ' ', size);
  too_large[0] = '[';
  too_large[size - 1] = ']';
  too_large[size] = '\0';
  issues4 = validate_text (ANY, too_large, size, NULL);
  assert_single_json_error (issues4);
}

/* Mutate every node of every vector in turn (replace by each JSON type, or
 * remove it) and validate: issues, never a crash or a critical. */
typedef enum
{
  MUTATE_NULL,
  MUTATE_INT,
  MUTATE_STRING,
  MUTATE_EMPTY_STRING,
  MUTATE_ARRAY,
  MUTATE_OBJECT,
  MUTATE_HOLLOW_ARRAY,   /* an array node without an array (only built in code) */
  MUTATE_HOLLOW_OBJECT,  /* an object node without an object */
  MUTATE_REMOVE,
  N_MUTATIONS
} Mutation;

/* json_node_init_*() on a parsed value node reads freed memory in
 * json-glib 1.6, so mutated nodes are new nodes put in the parent's place. */
static JsonNode *
make_node (Mutation mutation)
{
  JsonNode *node;

  switch (mutation)
    {
    case MUTATE_NULL:
      return json_node_new (JSON_NODE_NULL);
    case MUTATE_INT:
      return json_node_init_int (json_node_alloc (), -1);
    case MUTATE_STRING:
      return json_node_init_string (json_node_alloc (), "x");
    case MUTATE_EMPTY_STRING:
      return json_node_init_string (json_node_alloc (), "");
    case MUTATE_ARRAY:
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, json_array_new ());
      return node;
    case MUTATE_OBJECT:
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
      return node;
    case MUTATE_HOLLOW_ARRAY:
      return json_node_init_array (json_node_alloc (), NULL);
    case MUTATE_HOLLOW_OBJECT:
      return json_node_init_object (json_node_alloc (), NULL);
    case MUTATE_REMOVE:
    case N_MUTATIONS:
    default:
      g_assert_not_reached ();
    }
}

/* Walks @node depth-first; the @target-th descendant is mutated. */
static gboolean
mutate_walk (JsonNode *node,
             guint    *counter,
             guint     target,
             Mutation  mutation)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *child = json_object_get_member (object, l->data);

          if ((*counter)++ == target)
            {
              if (mutation == MUTATE_REMOVE)
                json_object_remove_member (object, l->data);
              else
                json_object_set_member (object, l->data, make_node (mutation));
              return TRUE;
            }
          if (mutate_walk (child, counter, target, mutation))
            return TRUE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *child = json_array_get_element (array, i);

          if ((*counter)++ == target)
            {
              g_autoptr(JsonArray) copy = NULL;

              if (mutation == MUTATE_REMOVE)
                {
                  json_array_remove_element (array, i);
                  return TRUE;
                }

              copy = json_array_sized_new (n);
              for (guint j = 0; j < n; j++)
                {
                  JsonNode *element = json_array_get_element (array, j);

                  json_array_add_element (copy, j == i ? make_node (mutation)
                                                       : json_node_copy (element));
                }
              json_node_set_array (node, copy);
              return TRUE;
            }
          if (mutate_walk (child, counter, target, mutation))
            return TRUE;
        }
    }

  return FALSE;
}

static void
test_mutations (void)
{
  g_autoptr(GPtrArray) files = fcm_test_list_data ("data/vectors", ".json");
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  guint n_runs = 0;

  for (guint f = 0; f < files->len; f++)
    {
      g_autofree char *text = fcm_test_load_text ("data", "vectors",
                                                  g_ptr_array_index (files, f), NULL);

      for (guint target = 0; ; target++)
        {
          gboolean hit = FALSE;

          for (guint m = 0; m < N_MUTATIONS; m++)
            {
              g_autoptr(JsonParser) parser = json_parser_new ();
              g_autoptr(JsonNode) root = NULL;
              g_autoptr(GPtrArray) issues = NULL;
              g_autoptr(GError) error = NULL;
              guint counter = 0;

              json_parser_load_from_data (parser, text, -1, &error);
              g_assert_no_error (error);
              root = json_parser_steal_root (parser);

              if (!mutate_walk (root, &counter, target, m))
                break;
              hit = TRUE;

              fcm_validator_set_role (validator, (target + m) % 3);
              issues = fcm_validator_validate (validator, root, NULL);
              assert_issues_well_formed (issues);
              n_runs++;
            }

          if (!hit)
            break;
        }
    }

  g_test_message ("%u mutated messages validated", n_runs);
  g_assert_cmpuint (n_runs, >, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/validator/garbage/table", test_garbage);
  g_test_add_func ("/fcm/validator/garbage/deep", test_garbage_deep);
  g_test_add_func ("/fcm/validator/garbage/bad-utf8", test_garbage_bad_utf8);
  g_test_add_func ("/fcm/validator/garbage/huge", test_garbage_huge);
  g_test_add_func ("/fcm/validator/garbage/mutations", test_mutations);

  return g_test_run ();
}
