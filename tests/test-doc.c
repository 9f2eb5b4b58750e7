/* test-doc.c: FcmDoc (the cJSON document of the hot path) and the one-value
 * rule every JSON parse in src/ applies (issue 14)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-doc.h"
#include "fcm-error.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

static void
test_doc_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmDoc) doc = NULL;
  const FcmJson *root;
  const FcmJson *list;
  gint64 n = 0;
  double d = 0;
  gboolean b = FALSE;
  guint i = 0;

  doc = fcm_doc_parse ("{\"s\":\"x\",\"n\":42,\"f\":1.5,\"whole\":2.0,\"t\":true,\"z\":null,"
                       "\"o\":{\"k\":\"v\"},\"a\":[1,\"two\",{},[]],\"dup\":1,\"dup\":2}", -1, &error);
  g_assert_no_error (error);
  root = fcm_doc_get_root (doc);

  g_assert_cmpint (fcm_doc_type (root), ==, FCM_JSON_OBJECT);
  g_assert_cmpstr (fcm_doc_get_string (root, "s"), ==, "x");
  g_assert_null (fcm_doc_get_string (root, "n"));       /* a number is not a string */
  g_assert_null (fcm_doc_get_string (root, "S"));       /* names are case-sensitive */
  g_assert_true (fcm_doc_get_int (root, "n", &n));
  g_assert_cmpint (n, ==, 42);
  g_assert_false (fcm_doc_get_int (root, "f", NULL));   /* 1.5 is not whole */
  g_assert_true (fcm_doc_get_int (root, "whole", &n));
  g_assert_cmpint (n, ==, 2);
  g_assert_true (fcm_doc_number (fcm_doc_member (root, "f"), &d));
  g_assert_cmpfloat (d, ==, 1.5);
  g_assert_true (fcm_doc_boolean (fcm_doc_member (root, "t"), &b));
  g_assert_true (b);
  g_assert_false (fcm_doc_boolean (fcm_doc_member (root, "z"), &b));
  g_assert_true (fcm_doc_is_null (fcm_doc_member (root, "z")));
  g_assert_true (fcm_doc_has_member (root, "z"));
  g_assert_false (fcm_doc_has_member (root, "missing"));
  g_assert_cmpstr (fcm_doc_get_string (fcm_doc_get_object (root, "o"), "k"), ==, "v");
  g_assert_null (fcm_doc_get_object (root, "a"));
  g_assert_null (fcm_doc_get_array (root, "o"));
  /* as json-glib: the last of repeated names wins */
  g_assert_true (fcm_doc_get_int (root, "dup", &n));
  g_assert_cmpint (n, ==, 2);

  list = fcm_doc_get_array (root, "a");
  g_assert_cmpuint (fcm_doc_length (list), ==, 4);
  g_assert_cmpstr (fcm_doc_string (fcm_doc_index (list, 1)), ==, "two");
  g_assert_null (fcm_doc_index (list, 4));
  FCM_DOC_FOREACH (list, item)
    {
      static const FcmJsonType types[] = { FCM_JSON_NUMBER, FCM_JSON_STRING, FCM_JSON_OBJECT, FCM_JSON_ARRAY };

      g_assert_cmpint (fcm_doc_type (item), ==, types[i]);
      g_assert_null (fcm_doc_name (item));
      i++;
    }
  g_assert_cmpuint (i, ==, 4);
  g_assert_cmpstr (fcm_doc_name (fcm_doc_first (root)), ==, "s");
  g_assert_cmpstr (fcm_doc_type_name (fcm_doc_member (root, "a")), ==, "an array");
  g_assert_cmpstr (fcm_doc_type_name (NULL), ==, "nothing");

  /* every reader takes NULL and wrong types */
  g_assert_null (fcm_doc_member (NULL, "x"));
  g_assert_null (fcm_doc_member (list, "x"));
  g_assert_null (fcm_doc_first (fcm_doc_member (root, "s")));
  g_assert_cmpuint (fcm_doc_length (NULL), ==, 0);
  g_assert_null (fcm_doc_string (NULL));
}

/* The json-glib copy has the content json-glib's own parser gives, for
 * every vector. */
static void
test_doc_to_node (void)
{
  g_autoptr(GPtrArray) files = fcm_test_list_data ("data/vectors", ".json");

  g_assert_cmpuint (files->len, >, 10);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(FcmDoc) doc = NULL;
      g_autoptr(JsonNode) ours = NULL;
      g_autoptr(JsonNode) theirs = NULL;
      g_autoptr(FcmDoc) again = NULL;
      g_autofree char *printed = NULL;

      text = fcm_test_load_text ("data", "vectors", g_ptr_array_index (files, i), NULL);
      doc = fcm_doc_parse (text, -1, &error);
      g_assert_no_error (error);
      theirs = fcm_json_parse (text, -1, &error);
      g_assert_no_error (error);
      ours = fcm_doc_to_node (fcm_doc_get_root (doc));
      g_assert_true (json_node_is_immutable (ours));
      if (!json_node_equal (ours, theirs))
        g_error ("%s: the json-glib copy differs", (char *) g_ptr_array_index (files, i));

      /* and back: a document from a JsonNode, and cJSON's own writer */
      again = fcm_doc_new_from_node (theirs, &error);
      g_assert_no_error (error);
      printed = fcm_doc_to_string (fcm_doc_get_root (again));
      g_clear_pointer (&ours, json_node_unref);
      ours = fcm_json_parse (printed, -1, &error);
      g_assert_no_error (error);
      g_assert_true (json_node_equal (ours, theirs));
    }
}

static void
check_rejected (const char *text,
                gssize      length,
                FcmError    code,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmDoc) doc = fcm_doc_parse (text, length, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_null (doc);
  g_assert_error (error, FCM_ERROR, code);
  if (message != NULL && strstr (error->message, message) == NULL)
    g_error ("fcm_doc_parse (%.40s): “%s” does not mention “%s”", text, error->message, message);
  g_clear_error (&error);

  /* the json-glib path refuses it the same way */
  node = fcm_json_parse (text, length, &error);
  g_assert_null (node);
  g_assert_error (error, FCM_ERROR, code);
  if (message != NULL && strstr (error->message, message) == NULL)
    g_error ("fcm_json_parse (%.40s): “%s” does not mention “%s”", text, error->message, message);
}

static void
test_doc_bad_input (void)
{
  GString *deep = g_string_new (NULL);

  check_rejected ("", -1, FCM_ERROR_INVALID_JSON, "Empty JSON document");
  check_rejected (" \n\t", -1, FCM_ERROR_INVALID_JSON, "Empty JSON document");
  check_rejected ("{\"a\":", -1, FCM_ERROR_INVALID_JSON, "Not valid JSON: syntax error near line 1");
  check_rejected ("{\"a\":1,}", -1, FCM_ERROR_INVALID_JSON, "line 1, column 8 (byte 7, “}”)");
  check_rejected ("{\n  \"a\": tru\n}", -1, FCM_ERROR_INVALID_JSON, "line 2");
  check_rejected ("/*c*/1", -1, FCM_ERROR_INVALID_JSON, "Not valid JSON");
  check_rejected ("{\"a\":\"\xff\"}", -1, FCM_ERROR_INVALID_UTF8, "not valid UTF-8");
  check_rejected ("{\"a\":\"b\0\"}", 10, FCM_ERROR_INVALID_UTF8, "NUL");
  check_rejected (NULL, -1, FCM_ERROR_INVALID_JSON, "No JSON text");

  for (guint i = 0; i < FCM_JSON_MAX_DEPTH + 1; i++)
    g_string_append_c (deep, '[');
  check_rejected (deep->str, deep->len, FCM_ERROR_TOO_DEEP, "deeper");
  g_string_free (deep, TRUE);
}

/* Issue 14: json-glib stops after the first value and keeps the rest; a
 * text that goes on after its value is refused before json-glib sees it.
 * json-glib itself accepts each of these (checked first), so the error can
 * only come from the check in front of it. */
static void
test_doc_trailing_content (void)
{
  static const struct { const char *text; const char *where; } cases[] = {
    { "1[{\"a\":1},{\"b\":2}]", "“[” after the end of the JSON value at line 1, column 2 (byte 1)" },
    { "{\"id\":\"a\"}{\"id\":5}", "“{” after the end of the JSON value at line 1, column 11 (byte 10)" },
    { "{\"id\":\"a\"}\n{\"id\":5}", "line 2, column 1 (byte 11)" },
    { "[1] [2]", "“[” after the end" },
    { "true{}", "“{” after the end" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* json-glib alone takes these as valid (and keeps what follows the
       * value: the leak of issue 14.2, which LSan reports in make
       * check-asan, so it is shown only outside ASan) */
      if (g_getenv ("FCM_TEST_ASAN") == NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          g_assert_true (json_parser_load_from_data (parser, cases[i].text, -1, NULL));
        }
      check_rejected (cases[i].text, -1, FCM_ERROR_INVALID_JSON, cases[i].where);
      check_rejected (cases[i].text, -1, FCM_ERROR_INVALID_JSON, "a message is exactly one JSON value");
    }

  /* white space around the value is fine */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FcmDoc) doc = fcm_doc_parse (" \r\n{\"a\":1}\n\t ", -1, &error);
    g_autoptr(JsonNode) node = fcm_json_parse (" {\"a\":1}\n", -1, &error);

    g_assert_no_error (error);
    g_assert_nonnull (doc);
    g_assert_nonnull (node);
  }
}

/* The attack of issue 14: "1" and then 4 MiB of objects. Refused with a
 * message, quickly, and without keeping anything: the same text parsed
 * 50 times does not grow the heap (json-glib kept the rest: +69 MB per MiB). */
static void
test_doc_trailing_memory (void)
{
  GString *big = g_string_new ("1[");
  g_autofree char *status = NULL;
  guint64 before_kb = 0, after_kb = 0;
  const char *p;

  while (big->len < 4 * 1024 * 1024)
    g_string_append (big, "{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{\"family\":\"X\"}]},");
  g_string_append (big, "{}]");

  for (guint round = 0; round < 52; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = fcm_json_parse (big->str, big->len, &error);

      g_assert_null (node);
      g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_JSON);
      g_assert_nonnull (strstr (error->message, "after the end of the JSON value"));

      /* measured after two warm-up rounds */
      if (round == 1 || round == 51)
        {
          g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
          p = strstr (status, "VmRSS:");
          g_assert_nonnull (p);
          *(round == 1 ? &before_kb : &after_kb) = g_ascii_strtoull (p + 6, NULL, 10);
          g_clear_pointer (&status, g_free);
        }
    }

  g_test_message ("RSS before %" G_GUINT64_FORMAT " kB, after 50 rejected 4 MiB texts %" G_GUINT64_FORMAT " kB",
                  before_kb, after_kb);
  g_assert_cmpuint (after_kb, <, before_kb + 8 * 1024);
  g_string_free (big, TRUE);
}

/* The UTF-8 check has its own ASCII fast path: it must agree with GLib's
 * g_utf8_validate_len() on every text, and name the same first bad byte. */
static void
test_doc_utf8 (void)
{
  static const char * const pieces[] = {
    "a", "abcdefgh", "0123456", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9d\x84\x9e",
    "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\xff", "\xc3",
    "\x01", "\x7f",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);

  for (guint round = 0; round < 20000; round++)
    {
      g_autoptr(GString) text = g_string_new ("\"");
      g_autoptr(GError) error = NULL;
      g_autoptr(FcmDoc) doc = NULL;
      guint n = g_rand_int_range (rand, 0, 12);
      const char *bad = NULL;
      gboolean valid;

      for (guint i = 0; i < n; i++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      if (g_rand_int_range (rand, 0, 20) == 0)
        g_string_append_len (text, "x\0y", 3);
      g_string_append_c (text, '"');

      valid = g_utf8_validate_len (text->str, text->len, &bad);
      doc = fcm_doc_parse (text->str, text->len, &error);
      if (valid)
        {
          g_assert_false (g_error_matches (error, FCM_ERROR, FCM_ERROR_INVALID_UTF8));
        }
      else
        {
          g_autofree char *offset = g_strdup_printf ("offset %zu", (size_t) (bad - text->str));

          g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_UTF8);
          g_assert_nonnull (strstr (error->message, offset));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/doc/read", test_doc_read);
  g_test_add_func ("/fcm/doc/to-node", test_doc_to_node);
  g_test_add_func ("/fcm/doc/bad-input", test_doc_bad_input);
  g_test_add_func ("/fcm/doc/utf8", test_doc_utf8);
  g_test_add_func ("/fcm/doc/trailing-content", test_doc_trailing_content);
  g_test_add_func ("/fcm/doc/trailing-memory", test_doc_trailing_memory);

  return g_test_run ();
}
