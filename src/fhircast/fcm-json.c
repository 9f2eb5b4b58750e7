/* fcm-json.c: defensive json-glib helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "fcm-doc.h"
#include "fcm-error.h"
#include "fcm-json-private.h"

/* json-glib's parser recurses once per nesting level, so a document like
 * "[[[[…" a million levels deep would exhaust the stack. Scan the text first
 * and refuse anything nested deeper than FCM_JSON_MAX_DEPTH. */
gboolean
_fcm_json_check_depth (const char  *text,
                       gsize        length,
                       GError     **error)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > FCM_JSON_MAX_DEPTH)
            {
              g_set_error (error, FCM_ERROR, FCM_ERROR_TOO_DEEP,
                           _("JSON nests deeper than %d levels (at byte %zu)"),
                           FCM_JSON_MAX_DEPTH, (size_t) i);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

/* g_utf8_validate_len() (NUL bytes are invalid too) with a fast path for
 * ASCII, 8 bytes at a time: JSON messages are mostly ASCII, and this runs
 * on every received frame. A multi-byte character is checked by GLib. */
static gboolean
utf8_validate (const char  *text,
               gsize        length,
               const char **out_bad)
{
  const guchar *p = (const guchar *) text;
  const guchar *stop = p + length;

  while (p < stop)
    {
      gsize n;

      while (stop - p >= 8)
        {
          guint64 v;

          memcpy (&v, p, sizeof v);
          /* a byte >= 0x80, or a zero byte */
          if ((v & G_GUINT64_CONSTANT (0x8080808080808080)) != 0 ||
              ((v - G_GUINT64_CONSTANT (0x0101010101010101)) & ~v &
               G_GUINT64_CONSTANT (0x8080808080808080)) != 0)
            break;
          p += 8;
        }
      if (p >= stop)
        break;

      if (*p > 0 && *p < 0x80)
        {
          p++;
          continue;
        }

      n = *p >= 0xC2 && *p <= 0xDF ? 2 : *p >= 0xE0 && *p <= 0xEF ? 3 : *p >= 0xF0 && *p <= 0xF4 ? 4 : 0;
      if (n == 0 || (gsize) (stop - p) < n || !g_utf8_validate_len ((const char *) p, n, NULL))
        {
          *out_bad = (const char *) p;
          return FALSE;
        }
      p += n;
    }

  return TRUE;
}

/*
 * _fcm_json_check_text:
 * @text: JSON text, @length bytes long
 *
 * The checks every JSON text gets before json-glib sees it: size, UTF-8
 * without NUL bytes, nesting depth. (fcm_doc_parse() checks the depth on
 * the parsed tree, and scans the text only to say where it is too deep.)
 *
 * Returns: %TRUE when @text may be parsed
 */
gboolean
_fcm_json_check_text (const char  *text,
                      gsize        length,
                      GError     **error)
{
  return _fcm_json_check_size_and_utf8 (text, length, error) &&
         _fcm_json_check_depth (text, length, error);
}

gboolean
_fcm_json_check_size_and_utf8 (const char  *text,
                               gsize        length,
                               GError     **error)
{
  const char *bad = NULL;

  if (length > FCM_JSON_MAX_BYTES)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_TOO_LARGE,
                   _("JSON text is %zu bytes, more than the limit of %d bytes"),
                   (size_t) length, FCM_JSON_MAX_BYTES);
      return FALSE;
    }

  if (!utf8_validate (text, length, &bad))
    {
      if (*bad == '\0')
        g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_UTF8,
                     _("JSON text contains a NUL byte at offset %zu"),
                     (size_t) (bad - text));
      else
        g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_UTF8,
                     _("JSON text is not valid UTF-8 (first bad byte at offset %zu)"),
                     (size_t) (bad - text));
      return FALSE;
    }

  return TRUE;
}

static int
hex4 (const char *p,
      const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int k = 0; k < 4; k++)
    {
      int digit = g_ascii_xdigit_value (p[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* json-glib 1.6 decodes escapes into bytes that are not UTF-8, which then go
 * out in answers and WebSocket text frames (found by tests/fuzz): a lone
 * UTF-16 surrogate ("\ud800" not followed by "\udc00"…"\udfff", or a low
 * one alone; tests/data/fuzz-regressions/message/lone-surrogate-escape), and
 * escapes RFC 8259 does not have, which its scanner reads as C escapes
 * ("\731" is the byte D9; message/octal-escape); only \" \\ \/ \b \f \n
 * \r \t and \uXXXX are JSON. (cJSON, behind fcm_doc_parse(), refuses both
 * itself.) */
static gboolean
check_escapes (const char  *text,
               gsize        length,
               GError     **error)
{
  const char *end = text + length;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (!in_string)
        {
          if (c == '"')
            in_string = TRUE;
          continue;
        }

      if (c == '"')
        in_string = FALSE;
      else if (c == '\\' && i + 1 < length)
        {
          char escaped = text[++i];
          int unit = escaped == 'u' ? hex4 (text + i + 1, end) : -1;

          if (escaped == 'u' ? unit < 0 : strchr ("\"\\/bfnrt", escaped) == NULL)
            {
              g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_JSON,
                           _("Not valid JSON: an unknown escape in a string (at byte %zu)"),
                           (size_t) i - 1);
              return FALSE;
            }
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              int low = i + 6 < length && text[i + 5] == '\\' && text[i + 6] == 'u'
                ? hex4 (text + i + 7, end) : -1;

              if (low < 0xdc00 || low > 0xdfff)
                goto lone_surrogate;
              i += 10;
            }
          else if (unit >= 0xdc00 && unit <= 0xdfff)
            goto lone_surrogate;
        }
    }

  return TRUE;

lone_surrogate:
  g_set_error_literal (error, FCM_ERROR, FCM_ERROR_INVALID_JSON,
                       _("Not valid JSON: a \\u escape names half a UTF-16 surrogate pair"));
  return FALSE;
}

/**
 * fcm_json_parse:
 * @text: JSON text
 * @length: length of @text, or -1 if NUL-terminated
 * @error: return location for a #GError
 *
 * Parses @text into a json-glib tree after checking size, UTF-8 validity
 * and nesting depth, and that @text is exactly one JSON value: json-glib
 * stops after the first value and keeps whatever follows it in memory
 * (issue 14), so content after the value is refused before json-glib sees
 * it (fcm-doc.c finds the end), and so are escapes that would decode to
 * bytes that are not UTF-8. Every JSON text in src/ is parsed here or by
 * fcm_doc_parse(), which applies the same checks.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
fcm_json_parse (const char  *text,
                gssize       length,
                GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  if (text == NULL)
    {
      g_set_error_literal (error, FCM_ERROR, FCM_ERROR_INVALID_JSON, _("No JSON text given"));
      return NULL;
    }

  len = length < 0 ? strlen (text) : (gsize) length;

  if (!_fcm_json_check_text (text, len, error) ||
      !_fcm_doc_check_one_value (text, len, error) ||
      !check_escapes (text, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, len, &local_error))
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_JSON,
                   _("Not valid JSON: %s"), local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, FCM_ERROR, FCM_ERROR_INVALID_JSON, _("Empty JSON document"));
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/* json-glib 1.6 writes a double whose shortest form has no '.' with ".0"
 * appended, which for 2e+95 gives "2e+95.0", and infinity (1e999 parses
 * to it) as "inf": neither is JSON (found by fuzz-message). */
static gboolean
has_double_json_glib_breaks (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          if (has_double_json_glib_breaks (member))
            return TRUE;
        return FALSE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (has_double_json_glib_breaks (json_array_get_element (array, i)))
            return TRUE;
        return FALSE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          double d = json_node_get_double (node);

          if (!isfinite (d))
            return TRUE;
          g_ascii_dtostr (buf, sizeof buf, d);
          return strchr (buf, '.') == NULL && strchr (buf, 'e') != NULL;
        }
      return FALSE;

    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

char *
fcm_json_to_string (JsonNode *node,
                    gboolean  pretty)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  g_return_val_if_fail (node != NULL, NULL);

  /* such a tree is written by cJSON (compact even when @pretty, infinity as
   * null); every other one by json-glib as before */
  if (has_double_json_glib_breaks (node))
    {
      g_autoptr(FcmDoc) doc = fcm_doc_new_from_node (node, NULL);

      if (doc != NULL)
        return fcm_doc_to_string (fcm_doc_get_root (doc));
    }

  json_generator_set_pretty (gen, pretty);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, node);

  return json_generator_to_data (gen, NULL);
}

/**
 * fcm_json_append_uint:
 * @width: at least this many digits (zero-padded)
 *
 * Appends @n in decimal, without printf: for the hot outputs written
 * without a JsonGenerator (an ack's status, a `watch` line's time), where
 * printf was a noticeable share (bench-drain, issue 15.2).
 */
void
fcm_json_append_uint (GString *out,
                      guint    n,
                      int      width)
{
  char digits[16];
  int i = sizeof digits;

  do
    digits[--i] = (char) ('0' + n % 10);
  while ((n /= 10) > 0 || (int) sizeof digits - i < width);
  g_string_append_len (out, digits + i, sizeof digits - i);
}

/**
 * fcm_json_append_string:
 * @out: where to write
 * @text: UTF-8 text
 *
 * Appends @text as a JSON string, quotes included (RFC 8259 §7), for the
 * few hot outputs written without a JsonGenerator (acks, `watch` lines).
 */
void
fcm_json_append_string (GString    *out,
                        const char *text)
{
  const char *run = text;
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c != '"' && c != '\\' && c >= 0x20)
        continue;
      g_string_append_len (out, run, p - run);
      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else
        g_string_append_printf (out, "\\u%04x", c);
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

/**
 * fcm_json_node_type_name:
 *
 * Returns: a short, translated JSON type name for messages ("an object",
 *   "a string", …), as in "'id' must be a string, got an object"
 */
const char *
fcm_json_node_type_name (JsonNode *node)
{
  if (node == NULL)
    {
      /* Translators: the JSON type names complete messages such as
       * "'id' must be a string, got %s"; this one stands for no value */
      return _("nothing");
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      /* Translators: as in "'id' must be a string, got an object" */
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("an array");
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);

        if (t == G_TYPE_STRING)
          return _("a string");
        if (t == G_TYPE_BOOLEAN)
          return _("a boolean");
        if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)
          return _("a number");
        return _("a value");
      }
    default:
      return _("an unknown node");
    }
}

gboolean
fcm_json_node_is_string (JsonNode *node)
{
  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

const char *
fcm_json_get_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  if (!fcm_json_node_is_string (node))
    return NULL;

  return json_node_get_string (node);
}

JsonObject *
fcm_json_get_object (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

JsonArray *
fcm_json_get_array (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

gboolean
fcm_json_get_int (JsonObject *object,
                  const char *member,
                  gint64     *out_value)
{
  JsonNode *node;
  GType t;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  t = json_node_get_value_type (node);
  if (t == G_TYPE_INT64)
    {
      if (out_value)
        *out_value = json_node_get_int (node);
      return TRUE;
    }

  if (t == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* outside gint64 the cast is undefined (found by fuzz-client:
       * "hub.lease_seconds": 3.7e34) */
      if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) ||
          d != (double) (gint64) d)
        return FALSE;
      if (out_value)
        *out_value = (gint64) d;
      return TRUE;
    }

  return FALSE;
}

gboolean
fcm_json_get_bool (JsonObject *object,
                   const char *member,
                   gboolean   *out_value)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  if (out_value)
    *out_value = json_node_get_boolean (node);
  return TRUE;
}

JsonObject *
fcm_json_array_get_object (JsonArray *array,
                           guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;

  node = json_array_get_element (array, index);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

const char *
fcm_json_array_get_string (JsonArray *array,
                           guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;

  node = json_array_get_element (array, index);
  if (!fcm_json_node_is_string (node))
    return NULL;

  return json_node_get_string (node);
}

/**
 * fcm_json_parse_timestamp:
 * @text: an ISO 8601 date-time
 * @out_usec: (out) (optional): microseconds since the Unix epoch
 *
 * Parses a timestamp leniently: a missing zone is read as UTC (digest §4.3
 * item 14). A date alone or a malformed value (such as the 3-digit hours in
 * some spec examples) is refused.
 *
 * Returns: %TRUE if @text could be read
 */
gboolean
fcm_json_parse_timestamp (const char *text,
                          gint64     *out_usec)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0' || strlen (text) > 64)
    return FALSE;

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;

  if (out_usec)
    *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);

  return TRUE;
}

/**
 * fcm_json_reference_key:
 * @reference: a FHIR reference or URL ("Patient/p1",
 *   "https://x/fhir/Patient/p1/_history/2", "Patient/p1?_elements=id")
 *
 * Returns: (transfer full) (nullable): "Type/id", or %NULL when
 *   @reference does not name a resource (e.g. "urn:uuid:…")
 */
char *
fcm_json_reference_key (const char *reference)
{
  /* the last four '/'-separated segments, last first (every bundle entry
   * and context item goes through here: no g_strsplit) */
  const char *start[4];
  gsize len[4];
  const char *end;
  const char *p;
  guint n_segments = 1;
  guint got = 0;
  guint last = 0;

  if (reference == NULL || *reference == '\0')
    return NULL;

  end = strchr (reference, '?');
  if (end == NULL)
    end = reference + strlen (reference);
  for (p = reference; p < end; p++)
    if (*p == '/')
      n_segments++;

  for (p = end; got < G_N_ELEMENTS (start); got++)
    {
      const char *s = p;

      while (s > reference && s[-1] != '/')
        s--;
      start[got] = s;
      len[got] = (gsize) (p - s);
      if (s == reference)
        {
          got++;
          break;
        }
      p = s - 1;
    }

  /* Skip a trailing "_history/N" */
  if (n_segments >= 4 && len[1] == strlen ("_history") && memcmp (start[1], "_history", len[1]) == 0)
    last = 2;

  if (got < last + 2 || len[last] == 0 || len[last + 1] == 0)
    return NULL;

  {
    char *key = g_malloc (len[last + 1] + 1 + len[last] + 1);

    memcpy (key, start[last + 1], len[last + 1]);
    key[len[last + 1]] = '/';
    memcpy (key + len[last + 1] + 1, start[last], len[last]);
    key[len[last + 1] + 1 + len[last]] = '\0';
    return key;
  }
}

/**
 * fcm_json_reference_id:
 * @reference: a FHIR reference such as "Patient/pat-1" (may be a full URL)
 * @resource_type: (nullable): the expected type, or %NULL for any
 *
 * Returns: (transfer full) (nullable): the id part, or %NULL if @reference
 *   does not name a resource of @resource_type
 */
char *
fcm_json_reference_id (const char *reference,
                       const char *resource_type)
{
  g_autofree char *key = fcm_json_reference_key (reference);
  const char *slash;

  if (key == NULL)
    return NULL;

  slash = strchr (key, '/');
  if (resource_type != NULL &&
      ((gsize) (slash - key) != strlen (resource_type) ||
       strncmp (key, resource_type, slash - key) != 0))
    return NULL;

  return g_strdup (slash + 1);
}
