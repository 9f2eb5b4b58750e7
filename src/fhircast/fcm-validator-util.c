/* fcm-validator-util.c: the validator's shared reader
 *
 * What every rule file of FcmValidator uses: collecting issues (with the
 * per-message limit), quoting values in messages, building JSON paths,
 * typed member getters that report a wrong type under a rule id and path,
 * the value checks several message kinds share (timestamps, positive
 * integers, HTTP status codes), finding context items by key, and reading
 * References and the `report` item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-validator-private.h"

/* At most this many issues are reported per message; a summary issue
 * replaces the rest (huge arrays of garbage must not produce huge output). */
#define MAX_ISSUES 200

/* Characters of a quoted value shown in a message. */
#define MAX_SHOWN 60

/* ------------------------------------------------------------------------ */
/* Issue collection and message helpers                                     */
/* ------------------------------------------------------------------------ */

void
fcm_check_init (FcmCheck         *c,
                FcmValidatorRole  role)
{
  c->role = role;
  c->issues = g_ptr_array_new_with_free_func (g_object_unref);
  c->n_dropped = 0;
  c->dropped_severity = INFO;
  c->dropped_rule = NULL;
}

GPtrArray *
fcm_check_finish (FcmCheck *c)
{
  if (c->n_dropped > 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("%u further issue(s) were not reported (limit of %d per message)"),
                         c->n_dropped, MAX_ISSUES);

      g_ptr_array_add (c->issues,
                       fcm_issue_new (c->dropped_severity, c->dropped_rule, "$", message));
    }

  g_clear_pointer (&c->dropped_rule, g_free);

  return g_steal_pointer (&c->issues);
}

void
fcm_check_add (FcmCheck    *c,
               FcmSeverity  severity,
               const char  *rule,
               const char  *path,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (c->issues->len >= MAX_ISSUES)
    {
      if (c->n_dropped++ == 0)
        c->dropped_rule = g_strdup (rule);
      c->dropped_severity = MAX (c->dropped_severity, severity);
      return;
    }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (c->issues, fcm_issue_new (severity, rule, path, message));
}

/* Byte length of the shown prefix of @s: at most MAX_SHOWN characters,
 * cut on a character boundary and before any invalid UTF-8. */
int
fcm_show_len (const char *s)
{
  const char *end = NULL;
  const char *p;
  guint n = 0;

  if (s == NULL)
    return 0;

  /* only look at a bounded prefix: values may be megabytes long */
  g_utf8_validate_len (s, strnlen (s, MAX_SHOWN * 4 + 1), &end);

  for (p = s; p < end && n < MAX_SHOWN; p = g_utf8_next_char (p))
    n++;

  return (int) MIN (p - s, end - s);
}

const char *
fcm_show_more (const char *s)
{
  if (s == NULL)
    return "";

  return s[fcm_show_len (s)] != '\0' ? "…" : "";
}

static gboolean
is_identifier (const char *name)
{
  if (name == NULL || !(g_ascii_isalpha (*name) || *name == '_'))
    return FALSE;

  for (const char *p = name; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_'))
      return FALSE;

  return TRUE;
}

/* Paths are made for every member the rules read, issue or not (30-40 per
 * event): they are put together here without printf. */
static char *
join3 (const char *a,
       gsize       a_len,
       const char *b,
       gsize       b_len,
       const char *c,
       gsize       c_len)
{
  char *path = g_malloc (a_len + b_len + c_len + 1);

  memcpy (path, a, a_len);
  memcpy (path + a_len, b, b_len);
  memcpy (path + a_len + b_len, c, c_len);
  path[a_len + b_len + c_len] = '\0';
  return path;
}

/* "base.name", or "base['na.me']" (at most 60 characters of the name) */
char *
fcm_path_member (const char *base,
                 const char *name)
{
  g_autofree char *quoted = NULL;
  int shown;
  const char *more;

  if (is_identifier (name))
    return join3 (base, strlen (base), ".", 1, name, strlen (name));

  shown = fcm_show_len (name);
  more = fcm_show_more (name);
  quoted = join3 ("['", 2, name != NULL ? name : "", shown, more, strlen (more));
  return join3 (base, strlen (base), quoted, strlen (quoted), "']", 2);
}

/* "base[index]" */
char *
fcm_path_index (const char *base,
                guint       index_)
{
  char digits[16];
  char *p = digits + sizeof digits;

  *--p = ']';
  do
    *--p = (char) ('0' + index_ % 10);
  while ((index_ /= 10) > 0);
  *--p = '[';

  return join3 (base, strlen (base), p, (gsize) (digits + sizeof digits - p), "", 0);
}

/* @node when it is an object (or an array), else NULL */
const FcmJson *
fcm_as_object (const FcmJson *node)
{
  return fcm_doc_is_object (node) ? node : NULL;
}

const FcmJson *
fcm_as_array (const FcmJson *node)
{
  return fcm_doc_is_array (node) ? node : NULL;
}

const FcmJson *
fcm_get_member (const FcmJson *object,
                const char    *name)
{
  return fcm_doc_member (object, name);
}

/* A string member; a member of another type is reported as an error. */
const char *
fcm_check_read_string (FcmCheck      *c,
                       const FcmJson *object,
                       const char    *base,
                       const char    *name,
                       const char    *rule,
                       gboolean      *out_present)
{
  const FcmJson *node = fcm_get_member (object, name);
  g_autofree char *path = NULL;

  if (out_present != NULL)
    *out_present = node != NULL;

  if (node == NULL)
    return NULL;

  if (fcm_doc_is_string (node))
    return fcm_doc_string (node);

  path = fcm_path_member (base, name);
  fcm_check_add (c, ERROR, rule, path, _("'%s' must be a string, got %s"),
                 name, fcm_doc_type_name (node));

  return NULL;
}

/* A required, non-empty string member. @why is untranslated (N_()): it is
 * translated only when an issue is reported, not on every message. */
const char *
fcm_check_require_string (FcmCheck      *c,
                          const FcmJson *object,
                          const char    *base,
                          const char    *name,
                          const char    *rule,
                          FcmSeverity    severity,
                          const char    *why)
{
  g_autofree char *path = NULL;
  gboolean present;
  const char *value;

  value = fcm_check_read_string (c, object, base, name, rule, &present);
  if (present && (value == NULL || *value != '\0'))
    return value;

  /* the path only for an issue: this runs for every required member of
   * every message (watch's hot path, issue 15.2) */
  path = fcm_path_member (base, name);
  if (!present)
    {
      if (why != NULL)
        fcm_check_add (c, severity, rule, path, _("Required member '%s' is missing: %s"),
                       name, _(why));
      else
        fcm_check_add (c, severity, rule, path, _("Required member '%s' is missing"), name);
      return NULL;
    }

  if (value != NULL && *value == '\0')
    {
      if (why != NULL)
        fcm_check_add (c, severity, rule, path, _("'%s' must not be empty: %s"), name, _(why));
      else
        fcm_check_add (c, severity, rule, path, _("'%s' must not be empty"), name);
      return NULL;
    }

  return value;
}

/* A member that must hold an object or an array. Absent: NULL without
 * issue. Wrong type: error. */
static const FcmJson *
read_container (FcmCheck      *c,
                const FcmJson *object,
                const char    *base,
                const char    *name,
                const char    *rule,
                FcmJsonType    type)
{
  const FcmJson *node = fcm_get_member (object, name);
  g_autofree char *path = NULL;

  if (node == NULL)
    return NULL;

  if (fcm_doc_type (node) == type)
    return node;

  path = fcm_path_member (base, name);
  fcm_check_add (c, ERROR, rule, path,
                 type == FCM_JSON_OBJECT ? _("'%s' must be an object, got %s")
                                         : _("'%s' must be an array, got %s"),
                 name, fcm_doc_type_name (node));

  return NULL;
}

const FcmJson *
fcm_check_read_object (FcmCheck      *c,
                       const FcmJson *object,
                       const char    *base,
                       const char    *name,
                       const char    *rule)
{
  return read_container (c, object, base, name, rule, FCM_JSON_OBJECT);
}

const FcmJson *
fcm_check_read_array (FcmCheck      *c,
                      const FcmJson *object,
                      const char    *base,
                      const char    *name,
                      const char    *rule)
{
  return read_container (c, object, base, name, rule, FCM_JSON_ARRAY);
}

/* ------------------------------------------------------------------------ */
/* Values several message kinds share                                       */
/* ------------------------------------------------------------------------ */

static gboolean
timestamp_zone (const char *text,
                gboolean   *out_utc)
{
  const char *time_part = strpbrk (text, "Tt ");
  const char *zone;

  *out_utc = FALSE;

  if (time_part == NULL)
    return FALSE;

  zone = strpbrk (time_part + 1, "Zz+-");
  if (zone == NULL)
    return FALSE;

  *out_utc = (*zone == 'Z' || *zone == 'z' ||
              strcmp (zone + 1, "00:00") == 0 || strcmp (zone + 1, "0000") == 0 ||
              strcmp (zone + 1, "00") == 0);
  return TRUE;
}

void
fcm_check_timestamp (FcmCheck   *c,
                     const char *value,
                     const char *path,
                     const char *rule)
{
  gboolean utc;

  if (!fcm_json_parse_timestamp (value, NULL))
    {
      fcm_check_add (c, ERROR, rule, path,
                     _("'%.*s%s' is not an ISO 8601 date-time (expected e.g. "
                       "2025-03-14T09:26:53.589Z)"), SHOW (value));
      return;
    }

  if (!timestamp_zone (value, &utc))
    fcm_check_add (c, WARNING, rule, path,
                   _("Timestamp '%.*s%s' has no time zone; it is read as UTC (digest §4.3 item "
                     "14), but FHIRcast timestamps are UTC and should end in 'Z'"), SHOW (value));
  else if (!utc)
    fcm_check_add (c, INFO, "C-45", path,
                   _("Timestamp '%.*s%s' uses a UTC offset; FHIRcast timestamps are UTC"),
                   SHOW (value));
}

/* Parses a positive integer written as decimal digits. */
gboolean
fcm_parse_positive (const char *text,
                    guint64    *out_value)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (value > (G_MAXINT64 - 9) / 10)
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
    }

  if (out_value != NULL)
    *out_value = value;

  return value > 0;
}

/* An HTTP status code given as a number or a numeric string; returns the
 * code or 0 when it is not one. */
gint64
fcm_status_code_from_node (const FcmJson *node,
                           gboolean      *out_is_string)
{
  gint64 whole;

  *out_is_string = FALSE;

  if (node == NULL || fcm_doc_is_object (node) || fcm_doc_is_array (node) || fcm_doc_is_null (node))
    return 0;

  /* a whole number, written 200 or 200.0 */
  if (fcm_doc_int (node, &whole))
    return whole;
  if (fcm_doc_number (node, NULL))
    return -1;

  if (fcm_doc_is_string (node))
    {
      const char *s = fcm_doc_string (node);
      guint64 v;

      *out_is_string = TRUE;
      if (strlen (s) == 3 && fcm_parse_positive (s, &v))
        return (gint64) v;
      return -1;
    }

  return -1;
}

gboolean
fcm_is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;

  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Context items and references                                             */
/* ------------------------------------------------------------------------ */

gboolean
fcm_key_matches (const char *key,
                 const char *wanted)
{
  /* Keys compare case-sensitively (C-14), but capitalised keys such as
   * "Report" appear in IRA examples: they were already flagged by the
   * generic item check (fcm-validator-event.c), so read them leniently
   * (digest §4.3 item 6). */
  return key != NULL && g_ascii_strcasecmp (key, wanted) == 0;
}

/* The first context item with @key; an exact match first, then one that
 * matches as fcm_key_matches() does. */
const FcmJson *
fcm_find_item (const FcmJson *context,
               const char    *key,
               guint         *out_index)
{
  for (guint pass = 0; pass < 2; pass++)
    {
      guint i = 0;

      FCM_DOC_FOREACH (context, item)
        {
          const char *item_key = fcm_doc_get_string (item, "key");

          if (item_key != NULL &&
              (pass == 0 ? strcmp (item_key, key) == 0 : fcm_key_matches (item_key, key)))
            {
              if (out_index != NULL)
                *out_index = i;
              return item;
            }
          i++;
        }
    }

  return NULL;
}

/* The next context item after the one @iter is at whose key is @key,
 * compared as fcm_key_matches() does; @iter then holds it and its
 * position. For keys that may repeat:
 *
 *   FcmItemIter it = FCM_ITEM_ITER_INIT;
 *
 *   while ((item = fcm_next_item (context, "study", &it)))
 *     … it.index …
 */
const FcmJson *
fcm_next_item (const FcmJson *context,
               const char    *key,
               FcmItemIter   *iter)
{
  const FcmJson *item;
  guint index_;

  if (!iter->started)
    {
      item = fcm_doc_first (context);
      index_ = 0;
      iter->started = TRUE;
    }
  else
    {
      item = fcm_doc_next (iter->item);
      index_ = iter->index + 1;
    }

  for (; item != NULL; item = fcm_doc_next (item), index_++)
    if (fcm_key_matches (fcm_doc_get_string (item, "key"), key))
      break;

  iter->item = item;
  iter->index = index_;
  return item;
}

void
fcm_check_reference_object (FcmCheck      *c,
                            const FcmJson *reference,
                            const char    *path,
                            const char    *rule)
{
  gboolean has_ref;
  const char *ref;

  ref = fcm_check_read_string (c, reference, path, "reference", rule, &has_ref);

  if (!has_ref && fcm_get_member (reference, "identifier") == NULL)
    fcm_check_add (c, ERROR, rule, path,
                   _("A Reference needs 'reference' (e.g. \"DiagnosticReport/<id>\") or "
                     "'identifier'"));
  else if (has_ref && ref != NULL && *ref == '\0')
    fcm_check_add (c, ERROR, rule, path, _("'reference' must not be empty"));
}

/* The DiagnosticReport id of a `report` item given as a resource (IRA) or
 * a reference (FC); digest §4.3 item 6. */
char *
fcm_check_report_item_id (FcmCheck      *c,
                          const FcmJson *item,
                          const char    *item_path,
                          const char    *rule)
{
  const FcmJson *obj;

  if ((obj = fcm_doc_get_object (item, "resource")))
    {
      g_autofree char *res_path = fcm_path_member (item_path, "resource");
      const char *type = fcm_doc_get_string (obj, "resourceType");
      const char *id;

      if (type != NULL && strcmp (type, "DiagnosticReport") != 0)
        {
          g_autofree char *type_path = fcm_path_member (res_path, "resourceType");

          fcm_check_add (c, ERROR, rule, type_path,
                         _("'report' must be a DiagnosticReport, got '%.*s%s'"), SHOW (type));
          return NULL;
        }

      id = fcm_check_require_string (c, obj, res_path, "id", rule, ERROR,
                                     N_("the report must carry the id used in the -open"));
      return g_strdup (id);
    }

  if ((obj = fcm_doc_get_object (item, "reference")))
    {
      g_autofree char *ref_path = fcm_path_member (item_path, "reference");
      const char *ref = fcm_doc_get_string (obj, "reference");
      char *id = fcm_json_reference_id (ref, "DiagnosticReport");

      if (id == NULL && ref != NULL)
        {
          g_autofree char *inner_path = fcm_path_member (ref_path, "reference");

          fcm_check_add (c, ERROR, rule, inner_path,
                         _("'report' must reference \"DiagnosticReport/<id>\", got '%.*s%s'"),
                         SHOW (ref));
        }
      else if (id == NULL && fcm_get_member (obj, "reference") == NULL)
        {
          fcm_check_add (c, ERROR, rule, ref_path,
                         _("'report' must reference \"DiagnosticReport/<id>\" so the hub can find "
                           "the context"));
        }

      return id;
    }

  return NULL;
}
