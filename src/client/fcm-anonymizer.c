/* fcm-anonymizer.c: keyed pseudonyms for the PHI in FHIRcast messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a bug report may not carry: patient names, identifiers (MRN,
 * accession, Study Instance UID, resource ids) and birth dates. Each value
 * is replaced by a pseudonym made from HMAC-SHA256 under a key drawn at
 * random for one export and never written anywhere: the same value gets
 * the same pseudonym everywhere in that export (the same patient stays the
 * same pseudonym), and since the key is secret, nobody can find a known MRN's
 * pseudonym by hashing it.
 *
 * Pseudonyms keep what the validator looks at, so an anonymized message
 * breaks the same rules as the original:
 *   - ids and identifiers keep their shape (a digit stays a digit, a letter
 *     a letter of the same case, punctuation stays), so a valid FHIR id
 *     stays valid and an invalid one invalid;
 *   - an OID (a Study Instance UID, "urn:oid:" or not) becomes another
 *     valid OID under 2.25 (a UUID-derived root);
 *   - a birth date becomes another date of the same precision;
 *   - names become made-up words, token by token ("Doe, Jane" and
 *     "Jane Doe" stay the same person);
 *   - references follow the ids they point to ("Patient/pat-1" becomes
 *     "Patient/" + the pseudonym of pat-1), so the links between context
 *     items hold.
 * JSON structure, event ids, timestamps, codes and systems are kept.
 *
 * Two passes: fcm_anonymizer_learn_text() over every message first
 * collects the values, so that fcm_anonymizer_rewrite_text() can also
 * replace them where they appear in free text (a syncerror's diagnostics,
 * a reference's display, a narrative), even before the message that
 * introduces them.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "fcm-anonymizer.h"
#include "fcm-json-private.h"

struct _FcmAnonymizer
{
  GObject parent_instance;

  guint8 key[FCM_ANONYMIZER_KEY_SIZE];
  GHashTable *cache;      /* "namespace\x1fvalue" → pseudonym */
  GHashTable *known;      /* an original value → its pseudonym, for free text */
  GPtrArray *by_length;   /* the keys of known, longest first (when sorted) */
  gboolean sorted;
};

G_DEFINE_FINAL_TYPE (FcmAnonymizer, fcm_anonymizer, G_TYPE_OBJECT)

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

static void
remember (FcmAnonymizer *self,
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

typedef char *(*MakeFunc) (FcmAnonymizer *self, const char *value);

static const char *
cached (FcmAnonymizer *self,
        const char    *ns,
        const char    *value,
        MakeFunc       make)
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
static char *
make_shape (FcmAnonymizer *self,
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

static const char *
pseudo_identifier (FcmAnonymizer *self,
                   const char    *value)
{
  const char *arcs;

  if (is_oid (value, &arcs))
    return cached (self, "oid", value, make_oid);
  return cached (self, "shape", value, make_shape);
}

/* YYYY, YYYY-MM or YYYY-MM-DD: another date of the same precision */
static char *
make_date (FcmAnonymizer *self,
           const char    *value)
{
  gsize len = strlen (value);
  guint year, month, day;
  Prf prf;

  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_isdigit (value[i]) || ((i == 4 || i == 7) && value[i] == '-')))
      return make_shape (self, value);
  if (len != 4 && len != 7 && len != 10)
    return make_shape (self, value);

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
static char *
pseudo_name (FcmAnonymizer *self,
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
              const char *word = cached (self, "name", lower, make_name_word);

              g_string_append (out, word);
              if (learn)
                remember (self, token, word);
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
static char *
pseudo_reference (FcmAnonymizer *self,
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
          const char *pseudonym = cached (self, "shape", parts[i + 1], make_shape);

          if (learn)
            remember (self, parts[i + 1], pseudonym);
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
static char *
rewrite_free_text (FcmAnonymizer *self,
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
static gboolean
is_structural (const char *member)
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

/* ---------------------------------------------------------------- the walk */

typedef struct
{
  FcmAnonymizer *self;
  gboolean learn;          /* pass 1: collect; pass 2: replace */
} Walk;

static void walk_object (Walk *w, JsonObject *obj, gboolean is_resource);

/* @node (a string member @member of @obj) set to @value, in pass 2 */
static void
set_string (Walk       *w,
            JsonNode   *node,
            const char *original,
            const char *value)
{
  if (w->learn)
    remember (w->self, original, value);
  else
    json_node_set_string (node, value);
}

static void
rewrite_string_node (Walk       *w,
                     JsonNode   *node,
                     const char *member)
{
  g_autofree char *text = NULL;

  if (w->learn || member == NULL || is_structural (member) || !fcm_json_node_is_string (node))
    return;
  text = rewrite_free_text (w->self, json_node_get_string (node));
  if (text != NULL)
    json_node_set_string (node, text);
}

static void
walk_value (Walk       *w,
            JsonNode   *node,
            const char *member)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    walk_object (w, json_node_get_object (node), g_strcmp0 (member, "resource") == 0);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        walk_value (w, json_array_get_element (array, i), member);
    }
  else
    rewrite_string_node (w, node, member);
}

/* Identifier.value (MRN, accession, Study Instance UID …) */
static void
walk_identifiers (Walk     *w,
                  JsonNode *node)
{
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = array ? json_array_get_length (array) : 1;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = array ? json_array_get_element (array, i) : node;
      JsonObject *identifier = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *value = identifier ? json_object_get_member (identifier, "value") : NULL;

      if (value != NULL && fcm_json_node_is_string (value))
        {
          g_autofree char *original = g_strdup (json_node_get_string (value));

          set_string (w, value, original, pseudo_identifier (w->self, original));
        }
      if (identifier != NULL)
        {
          g_autoptr(GList) members = json_object_get_members (identifier);

          for (GList *l = members; l != NULL; l = l->next)
            if (g_strcmp0 (l->data, "value") != 0)
              walk_value (w, json_object_get_member (identifier, l->data), l->data);
        }
      else if (fcm_json_node_is_string (item))
        {
          g_autofree char *original = g_strdup (json_node_get_string (item));

          set_string (w, item, original, pseudo_identifier (w->self, original));
        }
    }
}

static void
name_string (Walk     *w,
             JsonNode *node)
{
  g_autofree char *original = NULL;
  g_autofree char *pseudonym = NULL;

  if (!fcm_json_node_is_string (node))
    return;
  original = g_strdup (json_node_get_string (node));
  pseudonym = pseudo_name (w->self, original, w->learn);
  set_string (w, node, original, pseudonym);
}

/* HumanName: family, given, text (prefix and suffix are titles, kept) */
static void
walk_names (Walk     *w,
            JsonNode *node)
{
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = array ? json_array_get_length (array) : 1;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = array ? json_array_get_element (array, i) : node;
      JsonObject *name = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      g_autoptr(GList) members = name ? json_object_get_members (name) : NULL;

      if (name == NULL)
        {
          name_string (w, item);
          continue;
        }
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (name, l->data);

          if (g_strcmp0 (l->data, "family") == 0 || g_strcmp0 (l->data, "text") == 0)
            name_string (w, member);
          else if (g_strcmp0 (l->data, "given") == 0 && JSON_NODE_HOLDS_ARRAY (member))
            {
              JsonArray *given = json_node_get_array (member);

              for (guint j = 0; j < json_array_get_length (given); j++)
                name_string (w, json_array_get_element (given, j));
            }
          else if (g_strcmp0 (l->data, "given") == 0)
            name_string (w, member);
          else
            walk_value (w, member, l->data);
        }
    }
}

static gboolean
is_person_type (const char *type)
{
  return g_strcmp0 (type, "Patient") == 0 || g_strcmp0 (type, "Practitioner") == 0 ||
         g_strcmp0 (type, "RelatedPerson") == 0 || g_strcmp0 (type, "Person") == 0;
}

/* telecom values and address lines: shapes */
static void
walk_contact (Walk     *w,
              JsonNode *node)
{
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = array ? json_array_get_length (array) : 1;
  static const char * const fields[] = { "value", "text", "line", "city", "district", "postalCode" };

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = array ? json_array_get_element (array, i) : node;
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;

      for (guint f = 0; obj != NULL && f < G_N_ELEMENTS (fields); f++)
        {
          JsonNode *member = json_object_get_member (obj, fields[f]);
          JsonArray *lines = member && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
          guint m = lines ? json_array_get_length (lines) : 1;

          for (guint j = 0; member != NULL && j < m; j++)
            {
              JsonNode *value = lines ? json_array_get_element (lines, j) : member;
              g_autofree char *original = NULL;

              if (!fcm_json_node_is_string (value))
                continue;
              original = g_strdup (json_node_get_string (value));
              set_string (w, value, original, cached (w->self, "shape", original, make_shape));
            }
        }
    }
}

static void
walk_object (Walk       *w,
             JsonObject *obj,
             gboolean    is_resource)
{
  const char *type = fcm_json_get_string (obj, "resourceType");
  gboolean person = is_person_type (type);
  gboolean request = json_object_has_member (obj, "method");
  g_autoptr(GList) members = json_object_get_members (obj);

  is_resource = is_resource || type != NULL;
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (obj, name);

      if (g_strcmp0 (name, "id") == 0 && is_resource && fcm_json_node_is_string (node))
        {
          g_autofree char *original = g_strdup (json_node_get_string (node));

          set_string (w, node, original, cached (w->self, "shape", original, make_shape));
        }
      else if (g_strcmp0 (name, "identifier") == 0)
        walk_identifiers (w, node);
      else if (g_strcmp0 (name, "birthDate") == 0 && fcm_json_node_is_string (node))
        {
          g_autofree char *original = g_strdup (json_node_get_string (node));

          set_string (w, node, original, cached (w->self, "date", original, make_date));
        }
      else if (g_strcmp0 (name, "name") == 0 && (person || (is_resource && type == NULL)))
        walk_names (w, node);
      else if (g_strcmp0 (name, "telecom") == 0 || g_strcmp0 (name, "address") == 0)
        walk_contact (w, node);
      else if ((g_strcmp0 (name, "reference") == 0 || g_strcmp0 (name, "fullUrl") == 0 ||
                (request && g_strcmp0 (name, "url") == 0)) && fcm_json_node_is_string (node))
        {
          g_autofree char *original = g_strdup (json_node_get_string (node));
          g_autofree char *pseudonym = pseudo_reference (w->self, original, w->learn);

          if (!w->learn)
            json_node_set_string (node, pseudonym);
        }
      else
        walk_value (w, node, name);
    }
}

/* ---------------------------------------------------------------- API */

/* fcm_json_parse() seals what it parses: a deep copy that may be changed */
static JsonNode *
dup_mutable (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        json_object_set_member (obj, name, dup_mutable (member));
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, obj);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *source = json_node_get_array (node);
      JsonArray *array = json_array_sized_new (json_array_get_length (source));

      for (guint i = 0; i < json_array_get_length (source); i++)
        json_array_add_element (array, dup_mutable (json_array_get_element (source, i)));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (copy, array);
    }
  else if (JSON_NODE_HOLDS_NULL (node))
    copy = json_node_new (JSON_NODE_NULL);
  else
    {
      GValue value = G_VALUE_INIT;

      copy = json_node_new (JSON_NODE_VALUE);
      json_node_get_value (node, &value);
      json_node_set_value (copy, &value);
      g_value_unset (&value);
    }
  return copy;
}

/**
 * fcm_anonymizer_learn_text:
 * @text: a message (JSON; anything else is skipped)
 *
 * Pass 1: notes the PHI in @text, so that pass 2 replaces it in free text
 * wherever it appears.
 */
void
fcm_anonymizer_learn_text (FcmAnonymizer *self,
                           const char    *text)
{
  g_autoptr(JsonNode) root = NULL;
  Walk w = { self, TRUE };

  g_return_if_fail (FCM_IS_ANONYMIZER (self));

  if (text == NULL || (root = fcm_json_parse (text, -1, NULL)) == NULL)
    return;
  walk_value (&w, root, NULL);
}

/**
 * fcm_anonymizer_rewrite_node:
 * @node: a parsed message, changed in place
 *
 * Pass 2 on a tree: every name, identifier, id, birth date and reference
 * replaced, and the values seen in pass 1 replaced in free text.
 */
void
fcm_anonymizer_rewrite_node (FcmAnonymizer *self,
                             JsonNode      *node)
{
  Walk w = { self, FALSE };

  g_return_if_fail (FCM_IS_ANONYMIZER (self));
  g_return_if_fail (node != NULL);

  walk_value (&w, node, NULL);
}

/**
 * fcm_anonymizer_rewrite_text:
 * @text: a message
 *
 * Pass 2 on a text: JSON is rewritten as by fcm_anonymizer_rewrite_node()
 * (and written compactly); anything else gets the free-text replacement.
 *
 * Returns: (transfer full): the anonymized text
 */
char *
fcm_anonymizer_rewrite_text (FcmAnonymizer *self,
                             const char    *text)
{
  g_autoptr(JsonNode) root = NULL;
  char *out;

  g_return_val_if_fail (FCM_IS_ANONYMIZER (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  root = fcm_json_parse (text, -1, NULL);
  if (root == NULL)
    {
      out = rewrite_free_text (self, text);
      return out ? out : g_strdup (text);
    }
  {
    g_autoptr(JsonNode) copy = dup_mutable (root);

    fcm_anonymizer_rewrite_node (self, copy);
    return fcm_json_to_string (copy, FALSE);
  }
}

/**
 * fcm_anonymizer_get_n_values:
 *
 * Returns: how many distinct values pass 1 found
 */
guint
fcm_anonymizer_get_n_values (FcmAnonymizer *self)
{
  g_return_val_if_fail (FCM_IS_ANONYMIZER (self), 0);
  return g_hash_table_size (self->known);
}

static void
fcm_anonymizer_finalize (GObject *object)
{
  FcmAnonymizer *self = FCM_ANONYMIZER (object);

  memset (self->key, 0, sizeof self->key);
  g_hash_table_unref (self->cache);
  g_ptr_array_unref (self->by_length);
  g_hash_table_unref (self->known);

  G_OBJECT_CLASS (fcm_anonymizer_parent_class)->finalize (object);
}

static void
fcm_anonymizer_class_init (FcmAnonymizerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fcm_anonymizer_finalize;
}

static void
fcm_anonymizer_init (FcmAnonymizer *self)
{
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->by_length = g_ptr_array_new ();
}

/**
 * fcm_anonymizer_new:
 *
 * Returns: (transfer full): an anonymizer with a fresh random key (from
 *   the kernel's random source), kept in memory only
 */
FcmAnonymizer *
fcm_anonymizer_new (void)
{
  FcmAnonymizer *self = g_object_new (FCM_TYPE_ANONYMIZER, NULL);
  gsize got = 0;

  while (got < sizeof self->key)
    {
      ssize_t n = getrandom (self->key + got, sizeof self->key - got, 0);

      if (n <= 0)
        break;
      got += (gsize) n;
    }
  /* never without a key: getrandom(2) cannot fail on Linux ≥ 3.17 once
   * the pool is ready, but fall back to GLib's seeded generator */
  for (; got < sizeof self->key; got++)
    self->key[got] = (guint8) g_random_int_range (0, 256);
  return self;
}

/**
 * fcm_anonymizer_new_with_key:
 *
 * Returns: (transfer full): an anonymizer with a given key (tests: the
 *   same key gives the same pseudonyms)
 */
FcmAnonymizer *
fcm_anonymizer_new_with_key (const guint8 *key,
                             gsize         key_len)
{
  FcmAnonymizer *self = g_object_new (FCM_TYPE_ANONYMIZER, NULL);

  g_return_val_if_fail (key != NULL && key_len > 0, self);
  for (gsize i = 0; i < sizeof self->key; i++)
    self->key[i] = key[i % key_len];
  return self;
}
