/* fcm-anonymizer-pseudonyms.c: the keyed pseudonyms of FcmAnonymizer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmAnonymizer (see fcm-anonymizer.c for what is replaced and why
 * the pseudonyms keep the shape the rules check): a keyed stream of bytes
 * per value (HMAC-SHA256), the pseudonym of each kind of value made from
 * it, and the replacement of known values in free text.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-anonymizer-private.h"

/* ---------------------------------------------------------------- the keyed stream */

typedef struct
{
  FcmAnonymizer *self;
  const char *ns;
  const char *value;
  guint counter;
  guint8 block[32];
  guint pos;
} Prf;

static void
prf_init (Prf           *prf,
          FcmAnonymizer *self,
          const char    *ns,
          const char    *value)
{
  memset (prf, 0, sizeof *prf);
  prf->self = self;
  prf->ns = ns;
  prf->value = value;
  prf->pos = sizeof prf->block;
}

static guint8
prf_byte (Prf *prf)
{
  if (prf->pos == sizeof prf->block)
    {
      g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, prf->self->key, sizeof prf->self->key);
      guint8 counter[4] = { prf->counter >> 24, prf->counter >> 16, prf->counter >> 8, prf->counter };
      gsize len = sizeof prf->block;

      g_hmac_update (hmac, (const guchar *) prf->ns, -1);
      g_hmac_update (hmac, (const guchar *) "\x1f", 1);
      g_hmac_update (hmac, (const guchar *) prf->value, -1);
      g_hmac_update (hmac, (const guchar *) "\x1f", 1);
      g_hmac_update (hmac, counter, sizeof counter);
      g_hmac_get_digest (hmac, prf->block, &len);
      prf->counter++;
      prf->pos = 0;
    }
  return prf->block[prf->pos++];
}

/* uniform in [0, n), n ≤ 256 */
static guint
prf_uniform (Prf   *prf,
             guint  n)
{
  guint limit = 256 - 256 % n;
  guint b;

  do
    b = prf_byte (prf);
  while (b >= limit);
  return b % n;
}

/* ---------------------------------------------------------------- pseudonyms */

void
_fcm_anonymizer_remember (FcmAnonymizer *self,
          const char    *original,
          const char    *pseudonym)
{
  if (strlen (original) < 2 || g_strcmp0 (original, pseudonym) == 0 ||
      g_hash_table_contains (self->known, original))
    return;
  {
    char *key = g_strdup (original);

    g_hash_table_insert (self->known, key, g_strdup (pseudonym));
    g_ptr_array_add (self->by_length, key);
  }
  self->sorted = FALSE;
}

const char *
_fcm_anonymizer_cached (FcmAnonymizer *self,
        const char    *ns,
        const char    *value,
        FcmPseudonymFunc make)
{
  g_autofree char *cache_key = g_strconcat (ns, "\x1f", value, NULL);
  char *pseudonym = g_hash_table_lookup (self->cache, cache_key);

  if (pseudonym == NULL)
    {
      pseudonym = make (self, value);
      g_hash_table_insert (self->cache, g_steal_pointer (&cache_key), pseudonym);
    }
  return pseudonym;
}

/* digits stay digits (a run's first digit stays zero or non-zero), letters
 * letters of the same case, everything else as it is */
char *
_fcm_anonymizer_make_shape (FcmAnonymizer *self,
            const char    *value)
{
  GString *out = g_string_sized_new (strlen (value));
  Prf prf;

  prf_init (&prf, self, "shape", value);
  for (const char *p = value; *p != '\0'; p++)
    {
      char c = *p;

      if (g_ascii_isdigit (c))
        {
          gboolean run_start = p == value || !g_ascii_isdigit (p[-1]);

          if (run_start)
            c = c == '0' ? '0' : (char) ('1' + prf_uniform (&prf, 9));
          else
            c = (char) ('0' + prf_uniform (&prf, 10));
        }
      else if (g_ascii_islower (c))
        c = (char) ('a' + prf_uniform (&prf, 26));
      else if (g_ascii_isupper (c))
        c = (char) ('A' + prf_uniform (&prf, 26));
      g_string_append_c (out, c);
    }
  return g_string_free (out, FALSE);
}

/* "1.2.840…" or "urn:oid:1.2.840…", each arc 0 or without a leading zero */
static gboolean
is_oid (const char *value,
        const char **out_arcs)
{
  const char *p = g_str_has_prefix (value, "urn:oid:") ? value + strlen ("urn:oid:") : value;
  guint arcs = 0;

  *out_arcs = p;
  while (*p != '\0')
    {
      const char *start = p;

      while (g_ascii_isdigit (*p))
        p++;
      if (p == start || (p - start > 1 && *start == '0'))
        return FALSE;
      arcs++;
      if (*p == '.')
        {
          p++;
          if (*p == '\0')
            return FALSE;
        }
      else if (*p != '\0')
        return FALSE;
    }
  return arcs >= 2;
}

/* a valid OID under 2.25 (UUID-derived): 37 digits stay below 2^128 */
static char *
make_oid (FcmAnonymizer *self,
          const char    *value)
{
  const char *arcs;
  GString *out = g_string_new (NULL);
  Prf prf;

  is_oid (value, &arcs);
  g_string_append_len (out, value, arcs - value);
  g_string_append (out, "2.25.");
  prf_init (&prf, self, "oid", value);
  g_string_append_c (out, (char) ('1' + prf_uniform (&prf, 9)));
  for (guint i = 1; i < 37; i++)
    g_string_append_c (out, (char) ('0' + prf_uniform (&prf, 10)));
  return g_string_free (out, FALSE);
}

const char *
_fcm_anonymizer_pseudo_identifier (FcmAnonymizer *self,
                   const char    *value)
{
  const char *arcs;

  if (is_oid (value, &arcs))
    return _fcm_anonymizer_cached (self, "oid", value, make_oid);
  return _fcm_anonymizer_cached (self, "shape", value, _fcm_anonymizer_make_shape);
}

/* YYYY, YYYY-MM or YYYY-MM-DD: another date of the same precision */
char *
_fcm_anonymizer_make_date (FcmAnonymizer *self,
           const char    *value)
{
  gsize len = strlen (value);
  guint year, month, day;
  Prf prf;

  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_isdigit (value[i]) || ((i == 4 || i == 7) && value[i] == '-')))
      return _fcm_anonymizer_make_shape (self, value);
  if (len != 4 && len != 7 && len != 10)
    return _fcm_anonymizer_make_shape (self, value);

  prf_init (&prf, self, "date", value);
  year = 1920 + prf_uniform (&prf, 90);
  month = 1 + prf_uniform (&prf, 12);
  day = 1 + prf_uniform (&prf, 28);
  if (len == 4)
    return g_strdup_printf ("%04u", year);
  if (len == 7)
    return g_strdup_printf ("%04u-%02u", year, month);
  return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
}

/* a made-up word per name token, the same for the same token in any case */
static char *
make_name_word (FcmAnonymizer *self,
                const char    *lower)
{
  static const char consonants[] = "bdfgklmnprstvz";
  static const char vowels[] = "aeiou";
  GString *out = g_string_new (NULL);
  Prf prf;

  prf_init (&prf, self, "name", lower);
  for (guint i = 0; i < 3; i++)
    {
      g_string_append_c (out, consonants[prf_uniform (&prf, sizeof consonants - 1)]);
      g_string_append_c (out, vowels[prf_uniform (&prf, sizeof vowels - 1)]);
    }
  out->str[0] = g_ascii_toupper (out->str[0]);
  return g_string_free (out, FALSE);
}

static gboolean
has_letter (const char *token)
{
  for (const char *p = token; *p != '\0'; p++)
    if (g_ascii_isalpha (*p) || (guchar) *p >= 0x80)
      return TRUE;
  return FALSE;
}

/* "Doe, Jane" → "Kemolu, Tarisa": tokens between spaces, commas and ^ */
char *
_fcm_anonymizer_pseudo_name (FcmAnonymizer *self,
             const char    *text,
             gboolean       learn)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      gsize sep = strspn (p, " ,^\t");
      gsize len;

      g_string_append_len (out, p, sep);
      p += sep;
      len = strcspn (p, " ,^\t");
      if (len > 0)
        {
          g_autofree char *token = g_strndup (p, len);
          g_autofree char *lower = g_utf8_strdown (token, -1);

          if (has_letter (token))
            {
              const char *word = _fcm_anonymizer_cached (self, "name", lower, make_name_word);

              g_string_append (out, word);
              if (learn)
                _fcm_anonymizer_remember (self, token, word);
            }
          else
            g_string_append (out, token);
        }
      p += len;
    }
  return g_string_free (out, FALSE);
}

/* "Patient/pat-1", "https://x/fhir/Patient/pat-1/_history/2": the id after a
 * resource type follows that id's pseudonym */
char *
_fcm_anonymizer_pseudo_reference (FcmAnonymizer *self,
                  const char    *reference,
                  gboolean       learn)
{
  g_auto(GStrv) parts = g_strsplit (reference, "/", -1);

  for (guint i = 0; parts[i] != NULL && parts[i + 1] != NULL; i++)
    {
      const char *type = parts[i];
      gboolean is_type = g_ascii_isupper (type[0]);

      for (const char *p = type; *p != '\0' && is_type; p++)
        is_type = g_ascii_isalpha (*p);
      if (is_type && parts[i + 1][0] != '\0' && parts[i + 1][0] != '_')
        {
          const char *pseudonym = _fcm_anonymizer_cached (self, "shape", parts[i + 1], _fcm_anonymizer_make_shape);

          if (learn)
            _fcm_anonymizer_remember (self, parts[i + 1], pseudonym);
          g_free (parts[i + 1]);
          parts[i + 1] = g_strdup (pseudonym);
          i++;
        }
    }
  return g_strjoinv ("/", parts);
}

/* ---------------------------------------------------------------- free text */

static int
compare_longest_first (gconstpointer a,
                       gconstpointer b)
{
  return (int) strlen (*(const char **) b) - (int) strlen (*(const char **) a);
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* every known value, as a whole word (ASCII case ignored), replaced */
char *
_fcm_anonymizer_rewrite_free_text (FcmAnonymizer *self,
                   const char    *text)
{
  g_autoptr(GString) out = NULL;

  if (!self->sorted)
    {
      g_ptr_array_sort (self->by_length, compare_longest_first);
      self->sorted = TRUE;
    }
  for (guint i = 0; i < self->by_length->len; i++)
    {
      const char *original = g_ptr_array_index (self->by_length, i);
      const char *pseudonym = g_hash_table_lookup (self->known, original);
      gsize olen = strlen (original);
      const char *hay = out ? out->str : text;
      g_autoptr(GString) next = NULL;
      const char *p, *run;

      for (p = run = hay; *p != '\0'; p++)
        {
          if (g_ascii_strncasecmp (p, original, olen) != 0 ||
              (p > hay && is_word_char (p[-1])) || is_word_char (p[olen]))
            continue;
          if (next == NULL)
            next = g_string_new (NULL);
          g_string_append_len (next, run, p - run);
          g_string_append (next, pseudonym);
          p += olen - 1;
          run = p + 1;
        }
      if (next == NULL)
        continue;
      g_string_append (next, run);
      if (out != NULL)
        g_string_free (out, TRUE);
      out = g_steal_pointer (&next);
    }
  return out ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* Members whose text is structure, never free text. */
gboolean
_fcm_anonymizer_is_structural (const char *member)
{
  static const char * const names[] = {
    "timestamp", "id", "hub.topic", "hub.event", "hub.events", "hub.mode", "hub.channel.type",
    "hub.channel.endpoint", "resourceType", "system", "code", "status", "key", "context.type",
    "context.versionId", "context.priorVersionId", "versionId", "priorVersionId", "type", "method",
    "version", "lastUpdated", "started", "issued", "date", "severity", "mode", "modality",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (member, names[i]) == 0)
      return TRUE;
  return FALSE;
}

