/* fcm-doc-read.c: reading a document's values, objects and arrays
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The accessors of fcm-doc.h that every reader of the hot path calls: a
 * value's type and its scalar, an object's members, an array's elements.
 * Each accepts %NULL and a value of the wrong type (see fcm-doc.h); parsing
 * and the json-glib copies are in fcm-doc.c.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "fcm-doc-private.h"

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
