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
