/* fcm-doc.c: a parsed JSON document, read-only, for the hot path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser is cJSON (Debian's libcjson, a maintained C library): we only
 * wrap it. The checks every JSON text gets (size, UTF-8, nesting depth) are
 * the ones fcm_json_parse() applies (fcm-json.c), and a text must be exactly
 * one JSON value: whatever follows the value is refused here, before any
 * parser keeps it (issue 14: "1[…]" made json-glib hold the rest).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "fcm-doc.h"
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

/* FcmJson is cJSON's node, seen read-only. */
#define CJ(value)   ((const cJSON *) (value))
#define VALUE(node) ((const FcmJson *) (node))
#define KIND(node)  ((node)->type & 0xFF)

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

/* ---------------------------------------------------------------- values */

FcmJsonType
fcm_doc_type (const FcmJson *value)
{
  if (value == NULL)
    return FCM_JSON_NULL;

  switch (KIND (CJ (value)))
    {
    case cJSON_False:
    case cJSON_True:
      return FCM_JSON_BOOLEAN;
    case cJSON_Number:
      return FCM_JSON_NUMBER;
    case cJSON_String:
      return FCM_JSON_STRING;
    case cJSON_Array:
      return FCM_JSON_ARRAY;
    case cJSON_Object:
      return FCM_JSON_OBJECT;
    default:
      return FCM_JSON_NULL;
    }
}

/**
 * fcm_doc_type_name:
 *
 * Returns: a short JSON type name for messages ("an object", "a string", …),
 *   the same words as fcm_json_node_type_name()
 */
const char *
fcm_doc_type_name (const FcmJson *value)
{
  if (value == NULL)
    return _("nothing");

  switch (fcm_doc_type (value))
    {
    case FCM_JSON_OBJECT:
      return _("an object");
    case FCM_JSON_ARRAY:
      return _("an array");
    case FCM_JSON_STRING:
      return _("a string");
    case FCM_JSON_BOOLEAN:
      return _("a boolean");
    case FCM_JSON_NUMBER:
      return _("a number");
    case FCM_JSON_NULL:
    default:
      return "null";
    }
}

gboolean
fcm_doc_is_object (const FcmJson *value)
{
  return value != NULL && KIND (CJ (value)) == cJSON_Object;
}

gboolean
fcm_doc_is_array (const FcmJson *value)
{
  return value != NULL && KIND (CJ (value)) == cJSON_Array;
}

gboolean
fcm_doc_is_string (const FcmJson *value)
{
  return value != NULL && KIND (CJ (value)) == cJSON_String;
}

gboolean
fcm_doc_is_null (const FcmJson *value)
{
  return value != NULL && KIND (CJ (value)) == cJSON_NULL;
}

/**
 * fcm_doc_string:
 *
 * Returns: (nullable): the string, or %NULL when @value is not a string
 */
const char *
fcm_doc_string (const FcmJson *value)
{
  return fcm_doc_is_string (value) ? CJ (value)->valuestring : NULL;
}

gboolean
fcm_doc_number (const FcmJson *value,
                double        *out_value)
{
  if (value == NULL || KIND (CJ (value)) != cJSON_Number)
    return FALSE;
  if (out_value != NULL)
    *out_value = CJ (value)->valuedouble;
  return TRUE;
}

/**
 * fcm_doc_int:
 * @out_value: (out) (optional): the value
 *
 * Returns: %TRUE when @value is a number with no fractional part that fits
 *   in a #gint64 (1 and 1.0 alike, as fcm_json_get_int() reads them)
 */
gboolean
fcm_doc_int (const FcmJson *value,
             gint64        *out_value)
{
  double d;

  if (!fcm_doc_number (value, &d))
    return FALSE;
  if (!isfinite (d) || d != floor (d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
    return FALSE;
  if (out_value != NULL)
    *out_value = (gint64) d;
  return TRUE;
}

gboolean
fcm_doc_boolean (const FcmJson *value,
                 gboolean      *out_value)
{
  if (value == NULL || (KIND (CJ (value)) != cJSON_True && KIND (CJ (value)) != cJSON_False))
    return FALSE;
  if (out_value != NULL)
    *out_value = KIND (CJ (value)) == cJSON_True;
  return TRUE;
}

/* ---------------------------------------------------------------- containers */

/**
 * fcm_doc_member:
 * @object: (nullable): an object
 * @name: a member name, compared case-sensitively
 *
 * Returns: (nullable): the member's value (the last one when the name is
 *   repeated), %NULL when @object is not an object or has no such member
 */
const FcmJson *
fcm_doc_member (const FcmJson *object,
                const char    *name)
{
  const cJSON *found = NULL;

  if (!fcm_doc_is_object (object) || name == NULL)
    return NULL;

  /* every member is looked at (the last match wins): compare the first
   * byte before calling strcmp() */
  for (const cJSON *c = CJ (object)->child; c != NULL; c = c->next)
    if (c->string != NULL && c->string[0] == name[0] && strcmp (c->string, name) == 0)
      found = c;

  return VALUE (found);
}

gboolean
fcm_doc_has_member (const FcmJson *object,
                    const char    *name)
{
  return fcm_doc_member (object, name) != NULL;
}

const char *
fcm_doc_get_string (const FcmJson *object,
                    const char    *name)
{
  return fcm_doc_string (fcm_doc_member (object, name));
}

const FcmJson *
fcm_doc_get_object (const FcmJson *object,
                    const char    *name)
{
  const FcmJson *value = fcm_doc_member (object, name);

  return fcm_doc_is_object (value) ? value : NULL;
}

const FcmJson *
fcm_doc_get_array (const FcmJson *object,
                   const char    *name)
{
  const FcmJson *value = fcm_doc_member (object, name);

  return fcm_doc_is_array (value) ? value : NULL;
}

gboolean
fcm_doc_get_int (const FcmJson *object,
                 const char    *name,
                 gint64        *out_value)
{
  return fcm_doc_int (fcm_doc_member (object, name), out_value);
}

/**
 * fcm_doc_length:
 *
 * Returns: the number of elements (or members) of an array (or object), 0
 *   for anything else. Linear in that number.
 */
guint
fcm_doc_length (const FcmJson *container)
{
  guint n = 0;

  FCM_DOC_FOREACH (container, child)
    n++;
  return n;
}

/**
 * fcm_doc_first:
 *
 * Returns: (nullable): the first element of an array or member of an
 *   object, %NULL when empty or not a container
 */
const FcmJson *
fcm_doc_first (const FcmJson *container)
{
  if (!fcm_doc_is_array (container) && !fcm_doc_is_object (container))
    return NULL;
  return VALUE (CJ (container)->child);
}

const FcmJson *
fcm_doc_next (const FcmJson *child)
{
  return child != NULL ? VALUE (CJ (child)->next) : NULL;
}

/**
 * fcm_doc_name:
 *
 * Returns: (nullable): the name of an object member reached with
 *   fcm_doc_first() / fcm_doc_next(), %NULL for an array element
 */
const char *
fcm_doc_name (const FcmJson *member)
{
  return member != NULL ? CJ (member)->string : NULL;
}

/**
 * fcm_doc_index:
 *
 * Returns: (nullable): element @index_ of @array. Linear: walk arrays with
 *   FCM_DOC_FOREACH.
 */
const FcmJson *
fcm_doc_index (const FcmJson *array,
               guint          index_)
{
  if (!fcm_doc_is_array (array))
    return NULL;

  for (const cJSON *c = CJ (array)->child; c != NULL; c = c->next)
    if (index_-- == 0)
      return VALUE (c);

  return NULL;
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
