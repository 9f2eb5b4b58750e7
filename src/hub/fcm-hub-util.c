/* fcm-hub-util.c: small helpers shared by the hub's files
 *
 * Random ids from the OS CSPRNG (endpoint ids, topics, versionIds and
 * event ids, H-02), endpoint ids redacted for logs, JSON to text,
 * event-name helpers ("DiagnosticReport-open" → "DiagnosticReport").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "fcm-hub-private.h"

char *
_fcm_hub_random_hex (gsize n_bytes)
{
  guint8 buf[32];
  GString *out = g_string_new (NULL);
  gsize got = 0;

  g_assert (n_bytes <= sizeof buf);

  /* the OS CSPRNG; these ids are bearer tickets (H-02) */
  while (got < n_bytes)
    {
      gssize r = getrandom (buf + got, n_bytes - got, 0);

      if (r < 0)
        g_error ("getrandom() failed: %s", g_strerror (errno));
      got += (gsize)r;
    }

  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (out, "%02x", buf[i]);

  return g_string_free (out, FALSE);
}

char *
_fcm_hub_random_uuid (void)
{
  g_autofree char *hex = _fcm_hub_random_hex (16);

  /* RFC 9562 version 4 (random) and variant 10xx bits */
  hex[12] = '4';
  hex[16] = "89ab"[g_ascii_xdigit_value (hex[16]) & 3];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* Redacts an endpoint id for logs: the first 4 characters only. */
char *
_fcm_hub_redact (const char *text)
{
  if (text == NULL)
    return g_strdup ("(null)");
  return g_strdup_printf ("%.4s…", text);
}

char *
_fcm_hub_node_to_string (JsonNode *node)
{
  return fcm_json_to_string (node, FALSE);
}

char *
_fcm_hub_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return _fcm_hub_node_to_string (node);
}

gboolean
_fcm_hub_has_suffix_ci (const char *name,
                        const char *suffix)
{
  gsize n = strlen (name), m = strlen (suffix);

  return n > m && g_ascii_strcasecmp (name + n - m, suffix) == 0;
}

/* "DiagnosticReport-open" → "DiagnosticReport" */
char *
_fcm_hub_anchor_type_of (const char *name)
{
  const char *canonical = fcm_event_name_canonicalize (name);
  const char *dash = strrchr (canonical, '-');

  return dash != NULL ? g_strndup (canonical, dash - canonical) : NULL;
}

int
_fcm_hub_compare_strings (gconstpointer a,
                          gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

const char *
_fcm_hub_form_get (GHashTable *form,
                   const char *key)
{
  return form != NULL ? g_hash_table_lookup (form, key) : NULL;
}

gboolean
_fcm_hub_is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Why @topic can't be a topic, or NULL when it can: UTF-8 text of at most
 * MAX_TOPIC_BYTES, no control characters (H-02: topics are opaque, but
 * they go into JSON, logs and audit records). */
const char *
_fcm_hub_check_topic (const char *topic)
{
  if (topic == NULL || *topic == '\0')
    return "hub.topic is missing or empty";
  if (strlen (topic) > MAX_TOPIC_BYTES)
    return "hub.topic is longer than 256 bytes";
  if (!g_utf8_validate (topic, -1, NULL))
    return "hub.topic is not UTF-8";
  for (const char *p = topic; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return "hub.topic contains a control character";
  return NULL;
}

/* Whether JSON text carries an escaped NUL (\u0000) in a string: json-glib
 * would cut the string there. */
gboolean
_fcm_hub_json_has_nul (const char *text,
                       gsize       length)
{
  const char *end = text + length;

  for (const char *p = text; p < end; p++)
    {
      gsize backslashes = 0;

      if (*p != '\\')
        continue;
      while (p < end && *p == '\\')
        {
          backslashes++;
          p++;
        }
      /* an odd run escapes what follows */
      if (backslashes % 2 == 1 && end - p >= 5 && p[0] == 'u' &&
          p[1] == '0' && p[2] == '0' && p[3] == '0' && p[4] == '0')
        return TRUE;
      p--;
    }
  return FALSE;
}

static GBytes *
form_unescape (const char *start,
               const char *end)
{
  g_autofree char *plus = g_strndup (start, end - start);

  for (char *p = plus; *p != '\0'; p++)
    if (*p == '+')
      *p = ' ';
  return g_uri_unescape_bytes (plus, -1, NULL, NULL);
}

/*
 * _fcm_hub_form_decode:
 * @out_bad_field: (out): the field that is not text, when it fails
 *
 * application/x-www-form-urlencoded as soup_form_decode() reads it (the
 * last of repeated keys wins; pairs without '=' are skipped), in one pass,
 * but every key and value must be UTF-8 without NUL: soup_form_decode()
 * would cut a value at an encoded %00 without saying so.
 *
 * Returns: (transfer full) (nullable): key → value, or %NULL
 */
GHashTable *
_fcm_hub_form_decode (const char  *text,
                      gsize        length,
                      const char **out_bad_field)
{
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p = text, *end = text + length;

  *out_bad_field = NULL;
  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp != NULL ? amp : end;
      const char *eq = memchr (p, '=', pair_end - p);

      if (eq != NULL)
        {
          g_autoptr(GBytes) key = form_unescape (p, eq);
          g_autoptr(GBytes) value = form_unescape (eq + 1, pair_end);
          gsize key_len = 0, value_len = 0;
          const char *key_data = key != NULL ? g_bytes_get_data (key, &key_len) : NULL;
          const char *value_data = value != NULL ? g_bytes_get_data (value, &value_len) : NULL;

          if (key == NULL || value == NULL ||
              (key_len > 0 && memchr (key_data, '\0', key_len) != NULL) ||
              (value_len > 0 && memchr (value_data, '\0', value_len) != NULL) ||
              !g_utf8_validate (key_data != NULL ? key_data : "", key_len, NULL) ||
              !g_utf8_validate (value_data != NULL ? value_data : "", value_len, NULL))
            {
              g_autofree char *name = key != NULL ? g_strndup (key_data, key_len) : NULL;

              /* name the field when it is one we know */
              *out_bad_field = "a field";
              for (const char *const *known = (const char *const[]) { "hub.topic", "hub.events", "hub.mode",
                                                                      "hub.channel.type", "hub.channel.endpoint",
                                                                      "subscriber.name", "hub.lease_seconds",
                                                                      "hub.lease", NULL };
                   *known != NULL; known++)
                if (name != NULL && g_str_equal (name, *known))
                  *out_bad_field = *known;
              return NULL;
            }
          g_hash_table_replace (form, g_strndup (key_data != NULL ? key_data : "", key_len),
                                g_strndup (value_data != NULL ? value_data : "", value_len));
        }
      p = pair_end + 1;
    }
  return g_steal_pointer (&form);
}
