/* fcm-doc.c: a parsed JSON document, read-only, for the hot path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser is cJSON (Debian's libcjson, a maintained C library): we only
 * wrap it. The checks every JSON text gets (size, UTF-8, nesting depth) are
 * the ones fcm_json_parse() applies (fcm-json.c), and a text must be exactly
 * one JSON value: whatever follows the value is refused here, before any
 * parser keeps it (issue 14: "1[…]" made json-glib hold the rest).
 *
 * Here: parsing, the document, and the json-glib copies both ways; the
 * accessors of its values are in fcm-doc-read.c.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "fcm-doc-private.h"
#include "fcm-error.h"
#include "fcm-json-private.h"

/* ---------------------------------------------------------------- allocation
 *
 * cJSON allocates every value, member name and string on its own (about
 * 300 allocations for a 1.7 KB event) and frees them one by one. While a
 * text is parsed, its allocations come from a few blocks owned by the
 * document instead, and are freed with it (docs/performance.md). cJSON's
 * hooks are process-wide: outside a parse of ours (on this thread) they
 * are plain malloc() and free(), so cJSON_Create*, cJSON_Print and
 * cJSON_Delete of trees made that way work as usual.
 */

typedef struct _Block Block;

struct _Block
{
  Block *next;
  gsize  size;      /* bytes after the header */
  gsize  used;
  gsize  padding;   /* a 32-byte header keeps the data 16-byte aligned */
};

typedef struct
{
  Block *blocks;     /* the one being filled first */
  gsize  next_size;
} Arena;

#define ARENA_ALIGN     16
#define ARENA_MAX_BLOCK (1024 * 1024)

/* the arena of the parse under way on this thread, if any */
static __thread Arena *parsing;

static void *
arena_alloc (Arena *arena,
             gsize  size)
{
  Block *block = arena->blocks;
  void *p;

  size = (size + ARENA_ALIGN - 1) & ~(gsize) (ARENA_ALIGN - 1);
  if (block == NULL || block->size - block->used < size)
    {
      gsize want = MAX (arena->next_size, size);

      block = g_malloc (sizeof (Block) + want);
      block->size = want;
      block->used = 0;
      block->next = arena->blocks;
      arena->blocks = block;
      arena->next_size = MIN (arena->next_size * 2, ARENA_MAX_BLOCK);
    }

  p = (char *) (block + 1) + block->used;
  block->used += size;
  return p;
}

static void
arena_clear (Arena *arena)
{
  while (arena->blocks != NULL)
    {
      Block *next = arena->blocks->next;

      g_free (arena->blocks);
      arena->blocks = next;
    }
}

static void *
hook_malloc (size_t size)
{
  return parsing != NULL ? arena_alloc (parsing, size) : malloc (size);
}

static void
hook_free (void *p)
{
  /* during a parse, cJSON frees only what it allocated in that parse (a
   * failed parse frees its partial tree): that memory is the arena's */
  if (parsing == NULL)
    free (p);
}

/* cJSON's tree of one JSON value, allocated in @arena (its first block
 * sized for a text of @length bytes) */
static cJSON *
arena_parse (Arena       *arena,
             const char  *text,
             gsize        length,
             const char **out_end)
{
  static gsize hooks_set;
  cJSON *root;

  if (g_once_init_enter (&hooks_set))
    {
      cJSON_Hooks hooks = { hook_malloc, hook_free };

      cJSON_InitHooks (&hooks);
      g_once_init_leave (&hooks_set, 1);
    }

  /* a 1.7 KB event takes about 10 KB of values and strings */
  arena->next_size = CLAMP (length * 6, 1024, ARENA_MAX_BLOCK);

  g_assert (parsing == NULL);
  parsing = arena;
  root = cJSON_ParseWithLengthOpts (text, length, out_end, FALSE);
  parsing = NULL;

  return root;
}

struct _FcmDoc
{
  grefcount  ref;
  cJSON     *root;
  Arena      arena;    /* where root lives; no blocks: root is cJSON_Delete()d */
};

G_DEFINE_BOXED_TYPE (FcmDoc, fcm_doc, fcm_doc_ref, fcm_doc_unref)

/* 2^53: integers up to this are exact in a double */
#define MAX_EXACT_INT 9007199254740992.0

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
text_position (const char *text,
               gsize       offset,
               guint      *out_line,
               guint      *out_column)
{
  guint line = 1;
  gsize line_start = 0;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      {
        line++;
        line_start = i + 1;
      }

  *out_line = line;
  *out_column = (guint) g_utf8_strlen (text + line_start, offset - line_start) + 1;
}

/* A short, printable description of what is at @offset. */
static char *
describe_at (const char *text,
             gsize       length,
             gsize       offset)
{
  const char *next;

  if (offset >= length)
    return g_strdup (_("end of text"));

  next = g_utf8_next_char (text + offset);
  if ((gsize) (next - text) > length)
    next = text + length;
  if ((guchar) text[offset] < 0x20)
    return g_strdup_printf (_("control character U+%04X"), (guint) (guchar) text[offset]);
  return g_strdup_printf ("“%.*s”", (int) (next - (text + offset)), text + offset);
}

/*
 * parse_one_value:
 *
 * Parses @text (already checked by _fcm_json_check_text()) as exactly one
 * JSON value with optional white space around it.
 *
 * Returns: (transfer full): cJSON's tree, or %NULL with @error set
 */
static cJSON *
parse_one_value (Arena       *arena,
                 const char  *text,
                 gsize        length,
                 GError     **error)
{
  const char *end = NULL;
  g_autofree char *what = NULL;
  cJSON *root;
  gsize pos;
  guint line, column;

  root = arena_parse (arena, text, length, &end);
  pos = end != NULL && end >= text ? MIN ((gsize) (end - text), length) : 0;

  if (root == NULL)
    {
      gsize first = 0;

      while (first < length && is_json_space (text[first]))
        first++;
      if (first == length)
        {
          g_set_error_literal (error, FCM_ERROR, FCM_ERROR_INVALID_JSON, _("Empty JSON document"));
          return NULL;
        }

      /* cJSON may stop inside a multi-byte character: quote all of it,
       * not a lone continuation byte (found by fuzz-http) */
      while (pos > 0 && pos < length && ((guchar) text[pos] & 0xC0) == 0x80)
        pos--;
      what = describe_at (text, length, pos);
      text_position (text, pos, &line, &column);
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_JSON,
                   /* Translators: the last %s is what is there: a quoted character, or "end of text" */
                   _("Not valid JSON: syntax error near line %u, column %u (byte %zu, %s)"),
                   line, column, (size_t) pos, what);
      return NULL;
    }

  while (pos < length && is_json_space (text[pos]))
    pos++;

  if (pos < length)
    {
      what = describe_at (text, length, pos);
      text_position (text, pos, &line, &column);
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_JSON,
                   /* Translators: the first %s is a quoted character */
                   _("Not valid JSON: %s after the end of the JSON value at line %u, column %u "
                     "(byte %zu); a message is exactly one JSON value"),
                   what, line, column, (size_t) pos);
      return NULL;
    }

  return root;
}

/*
 * _fcm_doc_check_one_value:
 *
 * For parsers that keep what follows a value (json-glib): %TRUE when
 * @text (checked by _fcm_json_check_text()) is exactly one JSON value.
 */
gboolean
_fcm_doc_check_one_value (const char  *text,
                          gsize        length,
                          GError     **error)
{
  Arena arena = { NULL, 0 };
  cJSON *root = parse_one_value (&arena, text, length, error);

  arena_clear (&arena);
  return root != NULL;
}

/**
 * fcm_doc_parse:
 * @text: JSON text
 * @length: length of @text, or -1 if NUL-terminated
 * @error: return location for a #GError
 *
 * Parses @text after the checks every JSON text gets (size, UTF-8 without
 * NUL bytes, nesting depth). The text must be one JSON value: anything after
 * it other than white space is an %FCM_ERROR_INVALID_JSON error that says
 * where.
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
/* Whether @node nests deeper than FCM_JSON_MAX_DEPTH containers, counting
 * @depth above it (cJSON itself stops at 1,000 levels). */
static gboolean
too_deep (const cJSON *node,
          guint        depth)
{
  if (++depth > FCM_JSON_MAX_DEPTH)
    return TRUE;

  for (const cJSON *child = node->child; child != NULL; child = child->next)
    if ((KIND (child) == cJSON_Array || KIND (child) == cJSON_Object) && too_deep (child, depth))
      return TRUE;

  return FALSE;
}

FcmDoc *
fcm_doc_parse (const char  *text,
               gssize       length,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  Arena arena = { NULL, 0 };
  FcmDoc *doc;
  cJSON *root;
  gsize len;

  if (text == NULL)
    {
      g_set_error_literal (error, FCM_ERROR, FCM_ERROR_INVALID_JSON, _("No JSON text given"));
      return NULL;
    }

  len = length < 0 ? strlen (text) : (gsize) length;
  if (!_fcm_json_check_size_and_utf8 (text, len, error))
    return NULL;

  /* The depth is checked on the tree (a walk over ~100 values) rather than
   * by scanning every byte first; the scan runs only to report a text that
   * is too deep, with the byte where it is. */
  root = parse_one_value (&arena, text, len, &local_error);
  if (root != NULL && (KIND (root) == cJSON_Array || KIND (root) == cJSON_Object) &&
      too_deep (root, 0))
    root = NULL;
  if (root == NULL)
    {
      arena_clear (&arena);
      if (_fcm_json_check_depth (text, len, error))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, FCM_ERROR, FCM_ERROR_TOO_DEEP,
                         _("JSON nests deeper than %d levels"), FCM_JSON_MAX_DEPTH);
        }
      return NULL;
    }

  doc = g_new (FcmDoc, 1);
  g_ref_count_init (&doc->ref);
  doc->root = root;
  doc->arena = arena;
  return doc;
}

/* cJSON's copy of a json-glib tree. A node built in code may hold an
 * object or array type with no object or array ("hollow"), or a NULL
 * string: those become null, as the readers treat them as "not an object". */
static cJSON *
from_node (JsonNode  *node,
           guint      depth,
           GError   **error)
{
  cJSON *c = NULL;

  if (depth > FCM_JSON_MAX_DEPTH)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_TOO_DEEP,
                   _("JSON nests deeper than %d levels"), FCM_JSON_MAX_DEPTH);
      return NULL;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (object == NULL)
          break;
        c = cJSON_CreateObject ();
        json_object_iter_init_ordered (&iter, object);
        while (c != NULL && json_object_iter_next_ordered (&iter, &name, &member))
          {
            cJSON *child = from_node (member, depth + 1, error);

            if (child == NULL)
              g_clear_pointer (&c, cJSON_Delete);
            else
              cJSON_AddItemToObject (c, name, child);
          }
        return c;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n;

        if (array == NULL)
          break;
        c = cJSON_CreateArray ();
        n = json_array_get_length (array);
        for (guint i = 0; c != NULL && i < n; i++)
          {
            cJSON *child = from_node (json_array_get_element (array, i), depth + 1, error);

            if (child == NULL)
              g_clear_pointer (&c, cJSON_Delete);
            else
              cJSON_AddItemToArray (c, child);
          }
        return c;
      }

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          c = cJSON_CreateNumber ((double) json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          c = cJSON_CreateNumber (json_node_get_double (node));
        else if (type == G_TYPE_BOOLEAN)
          c = cJSON_CreateBool (json_node_get_boolean (node));
        else if (type == G_TYPE_STRING && json_node_get_string (node) != NULL)
          c = cJSON_CreateString (json_node_get_string (node));
        break;
      }

    case JSON_NODE_NULL:
    default:
      break;
    }

  return c != NULL ? c : cJSON_CreateNull ();
}

/**
 * fcm_doc_new_from_node:
 * @node: a json-glib tree
 * @error: return location for a #GError
 *
 * A document with the same content as @node, for the few callers that have
 * a JsonNode and need the readers of the hot path (the validator's and the
 * context store's JsonNode entry points).
 *
 * Returns: (transfer full): the document, or %NULL with @error set (a tree
 *   deeper than the limit)
 */
FcmDoc *
fcm_doc_new_from_node (JsonNode  *node,
                       GError   **error)
{
  FcmDoc *doc;
  cJSON *root;

  g_return_val_if_fail (node != NULL, NULL);

  if (!(root = from_node (node, 0, error)))
    return NULL;

  doc = g_new0 (FcmDoc, 1);
  g_ref_count_init (&doc->ref);
  doc->root = root;
  return doc;
}

FcmDoc *
fcm_doc_ref (FcmDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  g_ref_count_inc (&doc->ref);
  return doc;
}

void
fcm_doc_unref (FcmDoc *doc)
{
  g_return_if_fail (doc != NULL);

  if (g_ref_count_dec (&doc->ref))
    {
      if (doc->arena.blocks != NULL)
        arena_clear (&doc->arena);
      else
        cJSON_Delete (doc->root);
      g_free (doc);
    }
}

/**
 * fcm_doc_get_root:
 *
 * Returns: (transfer none): the document's value
 */
const FcmJson *
fcm_doc_get_root (FcmDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return VALUE (doc->root);
}

/* ---------------------------------------------------------------- json-glib */

static JsonNode *
to_node (const cJSON *c)
{
  JsonNode *node = json_node_alloc ();

  switch (KIND (c))
    {
    case cJSON_False:
    case cJSON_True:
      return json_node_init_boolean (node, KIND (c) == cJSON_True);

    case cJSON_Number:
      /* json-glib reads "1" as an int and "1.5" as a double; cJSON keeps a
       * double: whole numbers that are exact in it become ints again */
      if (isfinite (c->valuedouble) && c->valuedouble == floor (c->valuedouble) &&
          fabs (c->valuedouble) <= MAX_EXACT_INT)
        return json_node_init_int (node, (gint64) c->valuedouble);
      return json_node_init_double (node, c->valuedouble);

    case cJSON_String:
      return json_node_init_string (node, c->valuestring);

    case cJSON_Array:
      {
        JsonArray *array = json_array_new ();

        for (const cJSON *e = c->child; e != NULL; e = e->next)
          json_array_add_element (array, to_node (e));
        json_node_init_array (node, array);
        json_array_unref (array);
        return node;
      }

    case cJSON_Object:
      {
        JsonObject *object = json_object_new ();

        /* like json-glib's parser: the last of repeated names wins */
        for (const cJSON *m = c->child; m != NULL; m = m->next)
          json_object_set_member (object, m->string, to_node (m));
        json_node_init_object (node, object);
        json_object_unref (object);
        return node;
      }

    case cJSON_NULL:
    default:
      return json_node_init_null (node);
    }
}

/**
 * fcm_doc_to_node:
 * @value: a value
 *
 * A json-glib copy of @value, for an API or a view that takes a JsonNode.
 * Whole numbers up to 2^53 become ints, other numbers doubles.
 *
 * Returns: (transfer full): a new, sealed (immutable) tree
 */
JsonNode *
fcm_doc_to_node (const FcmJson *value)
{
  JsonNode *node;

  g_return_val_if_fail (value != NULL, NULL);

  node = to_node (CJ (value));
  json_node_seal (node);
  return node;
}

/**
 * fcm_doc_to_string:
 *
 * Returns: (transfer full): @value written as compact JSON
 */
char *
fcm_doc_to_string (const FcmJson *value)
{
  char *printed;
  char *copy;

  g_return_val_if_fail (value != NULL, NULL);

  printed = cJSON_PrintUnformatted (CJ (value));
  if (printed == NULL)
    g_error ("%s: out of memory", G_STRFUNC);
  copy = g_strdup (printed);
  cJSON_free (printed);
  return copy;
}
