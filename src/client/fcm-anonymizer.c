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
 *
 * This file: the object and the walk through a message;
 * fcm-anonymizer-pseudonyms.c: the keyed pseudonyms and the free-text
 * replacement.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "fcm-anonymizer-private.h"
#include "fcm-json-private.h"

G_DEFINE_FINAL_TYPE (FcmAnonymizer, fcm_anonymizer, G_TYPE_OBJECT)

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
    _fcm_anonymizer_remember (w->self, original, value);
  else
    json_node_set_string (node, value);
}

static void
rewrite_string_node (Walk       *w,
                     JsonNode   *node,
                     const char *member)
{
  g_autofree char *text = NULL;

  if (w->learn || member == NULL || _fcm_anonymizer_is_structural (member) || !fcm_json_node_is_string (node))
    return;
  text = _fcm_anonymizer_rewrite_free_text (w->self, json_node_get_string (node));
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

          set_string (w, value, original, _fcm_anonymizer_pseudo_identifier (w->self, original));
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

          set_string (w, item, original, _fcm_anonymizer_pseudo_identifier (w->self, original));
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
  pseudonym = _fcm_anonymizer_pseudo_name (w->self, original, w->learn);
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
              set_string (w, value, original, _fcm_anonymizer_cached (w->self, "shape", original, _fcm_anonymizer_make_shape));
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

          set_string (w, node, original, _fcm_anonymizer_cached (w->self, "shape", original, _fcm_anonymizer_make_shape));
        }
      else if (g_strcmp0 (name, "identifier") == 0)
        walk_identifiers (w, node);
      else if (g_strcmp0 (name, "birthDate") == 0 && fcm_json_node_is_string (node))
        {
          g_autofree char *original = g_strdup (json_node_get_string (node));

          set_string (w, node, original, _fcm_anonymizer_cached (w->self, "date", original, _fcm_anonymizer_make_date));
        }
      else if (g_strcmp0 (name, "name") == 0 && (person || (is_resource && type == NULL)))
        walk_names (w, node);
      else if (g_strcmp0 (name, "telecom") == 0 || g_strcmp0 (name, "address") == 0)
        walk_contact (w, node);
      else if ((g_strcmp0 (name, "reference") == 0 || g_strcmp0 (name, "fullUrl") == 0 ||
                (request && g_strcmp0 (name, "url") == 0)) && fcm_json_node_is_string (node))
        {
          g_autofree char *original = g_strdup (json_node_get_string (node));
          g_autofree char *pseudonym = _fcm_anonymizer_pseudo_reference (w->self, original, w->learn);

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
      out = _fcm_anonymizer_rewrite_free_text (self, text);
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
