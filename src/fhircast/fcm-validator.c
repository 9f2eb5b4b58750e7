/* fcm-validator.c: conformance checks for FHIRcast messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-message.h"
#include "fcm-validator.h"

/**
 * FcmValidator:
 *
 * Checks FHIRcast messages against the project's spec digest
 * (`fhircast-digest.md`): every finding is an #FcmIssue naming the digest
 * rule (`C-xx` for client rules, `H-xx` for hub rules), a JSON path and a
 * precise message.
 *
 * Severity policy:
 *
 * - %FCM_SEVERITY_ERROR: a SHALL is broken (IRA would answer 400, a peer
 *   could not use the message).
 * - %FCM_SEVERITY_WARNING: what the digest lists as an ambiguity (§4.3),
 *   legacy 2019-prototype forms, and known peer habits (interop.md) that
 *   we tolerate.
 * - %FCM_SEVERITY_INFO: recognised but out of scope (R5 Backport, the
 *   pre-STU3 heartbeat, custom events).
 *
 * The validator never trusts JSON types: any input, however malformed,
 * produces issues and never a GLib critical.
 */
struct _FcmValidator
{
  GObject           parent_instance;

  FcmValidatorRole  role;
};

G_DEFINE_FINAL_TYPE (FcmValidator, fcm_validator, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (FcmMessageKind, fcm_message_kind,
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_EVENT, "event"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_LEGACY_EVENT, "legacy-event"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_CONFIRMATION, "confirmation"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_DENIAL, "denial"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_ACK, "ack"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_LEGACY_STATUS, "legacy-status"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_CURRENT_CONTEXT, "current-context"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_SUBSCRIPTION_REQUEST, "subscription-request"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_SUBSCRIPTION_RESPONSE,
                                         "subscription-response"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_CONFIGURATION, "configuration"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_BACKPORT, "backport"),
                    G_DEFINE_ENUM_VALUE (FCM_MESSAGE_GETTOPIC, "gettopic"))

G_DEFINE_ENUM_TYPE (FcmValidatorRole, fcm_validator_role,
                    G_DEFINE_ENUM_VALUE (FCM_VALIDATOR_ROLE_ANY, "any"),
                    G_DEFINE_ENUM_VALUE (FCM_VALIDATOR_ROLE_REQUEST, "request"),
                    G_DEFINE_ENUM_VALUE (FCM_VALIDATOR_ROLE_NOTIFICATION, "notification"))

enum {
  PROP_0,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* At most this many issues are reported per message; a summary issue
 * replaces the rest (huge arrays of garbage must not produce huge output). */
#define MAX_ISSUES 200

/* Characters of a quoted value shown in a message. */
#define MAX_SHOWN 60

#define SYSTEM_V2_0203      "http://terminology.hl7.org/CodeSystem/v2-0203"
#define SYSTEM_DCM          "http://dicom.nema.org/resources/ontology/DCM"
#define SYSTEM_DICOM_UID    "urn:dicom:uid"
#define SYNCERROR_SYSTEM    "https://fhircast.hl7.org/events/syncerror/"

#define ERROR   FCM_SEVERITY_ERROR
#define WARNING FCM_SEVERITY_WARNING
#define INFO    FCM_SEVERITY_INFO

/* IRA RAD-146: the events a subscription must at least ask for (C-12). */
static const char * const ira_required_events[] = {
  "DiagnosticReport-open",
  "DiagnosticReport-close",
  "DiagnosticReport-update",
  "DiagnosticReport-select",
  "syncerror",
};

typedef struct
{
  FcmValidatorRole  role;
  GPtrArray        *issues;
  guint             n_dropped;
  FcmSeverity       dropped_severity;
  char             *dropped_rule;
} Check;

typedef struct
{
  const char  *name;           /* hub.event as sent, or NULL */
  const char  *canonical;      /* its STU3 spelling */
  JsonObject  *event;
  JsonArray   *context;        /* NULL when absent or not an array */
  char        *ev_path;
  char        *ctx_path;
  const char  *version_id;
  const char  *prior_version_id;
  gboolean     has_version;
  gboolean     has_prior_version;
  gboolean     notification;   /* a hub notification rather than a request */
} EventInfo;

/* ------------------------------------------------------------------------ */
/* Issue collection and message helpers                                     */
/* ------------------------------------------------------------------------ */

static void add (Check       *c,
                 FcmSeverity  severity,
                 const char  *rule,
                 const char  *path,
                 const char  *format,
                 ...) G_GNUC_PRINTF (5, 6);

static void
check_init (Check            *c,
            FcmValidatorRole  role)
{
  c->role = role;
  c->issues = g_ptr_array_new_with_free_func (g_object_unref);
  c->n_dropped = 0;
  c->dropped_severity = INFO;
  c->dropped_rule = NULL;
}

static GPtrArray *
check_finish (Check *c)
{
  if (c->n_dropped > 0)
    {
      g_autofree char *message =
        g_strdup_printf ("%u further issue(s) were not reported (limit of %d per message)",
                         c->n_dropped, MAX_ISSUES);

      g_ptr_array_add (c->issues,
                       fcm_issue_new (c->dropped_severity, c->dropped_rule, "$", message));
    }

  g_clear_pointer (&c->dropped_rule, g_free);

  return g_steal_pointer (&c->issues);
}

static void
add (Check       *c,
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
static int
show_len (const char *s)
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

static const char *
show_more (const char *s)
{
  if (s == NULL)
    return "";

  return s[show_len (s)] != '\0' ? "…" : "";
}

/* Use with a "%.*s%s" conversion. */
#define SHOW(s) show_len (s), ((s) != NULL ? (s) : ""), show_more (s)

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

static char *
path_member (const char *base,
             const char *name)
{
  if (is_identifier (name))
    return g_strdup_printf ("%s.%s", base, name);

  return g_strdup_printf ("%s['%.*s%s']", base, SHOW (name));
}

static char *
path_index (const char *base,
            guint       index_)
{
  return g_strdup_printf ("%s[%u]", base, index_);
}

/* A node's object or array, or NULL when it holds something else. A node
 * built in code may hold an object type with no object: treat that as "not
 * an object" rather than pass NULL to json-glib. */
static JsonObject *
as_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
as_array (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return NULL;

  return json_object_get_member (object, name);
}

static gboolean
is_lower_case (const char *s)
{
  for (; *s; s++)
    if (g_ascii_isupper (*s))
      return FALSE;

  return TRUE;
}

static gboolean
str_has_prefix_ci (const char *s,
                   const char *prefix)
{
  return s != NULL && g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

/* A string member; a member of another type is reported as an error. */
static const char *
read_string (Check      *c,
             JsonObject *object,
             const char *base,
             const char *name,
             const char *rule,
             gboolean   *out_present)
{
  JsonNode *node = get_member (object, name);
  g_autofree char *path = NULL;

  if (out_present != NULL)
    *out_present = node != NULL;

  if (node == NULL)
    return NULL;

  if (fcm_json_node_is_string (node))
    return json_node_get_string (node);

  path = path_member (base, name);
  add (c, ERROR, rule, path, "'%s' must be a string, got %s",
       name, fcm_json_node_type_name (node));

  return NULL;
}

/* A required, non-empty string member. */
static const char *
require_string (Check       *c,
                JsonObject  *object,
                const char  *base,
                const char  *name,
                const char  *rule,
                FcmSeverity  severity,
                const char  *why)
{
  g_autofree char *path = path_member (base, name);
  gboolean present;
  const char *value;

  value = read_string (c, object, base, name, rule, &present);

  if (!present)
    {
      add (c, severity, rule, path, "Required member '%s' is missing%s%s",
           name, why ? ": " : "", why ? why : "");
      return NULL;
    }

  if (value != NULL && *value == '\0')
    {
      add (c, severity, rule, path, "'%s' must not be empty%s%s",
           name, why ? ": " : "", why ? why : "");
      return NULL;
    }

  return value;
}

/* An object member. Absent: NULL without issue. Wrong type: error. */
static JsonObject *
read_object (Check      *c,
             JsonObject *object,
             const char *base,
             const char *name,
             const char *rule)
{
  JsonNode *node = get_member (object, name);
  g_autofree char *path = NULL;

  if (node == NULL)
    return NULL;

  if (as_object (node) != NULL)
    return as_object (node);

  path = path_member (base, name);
  add (c, ERROR, rule, path, "'%s' must be an object, got %s",
       name, fcm_json_node_type_name (node));

  return NULL;
}

/* An array member. Absent: NULL without issue. Wrong type: error. */
static JsonArray *
read_array (Check      *c,
            JsonObject *object,
            const char *base,
            const char *name,
            const char *rule)
{
  JsonNode *node = get_member (object, name);
  g_autofree char *path = NULL;

  if (node == NULL)
    return NULL;

  if (as_array (node) != NULL)
    return as_array (node);

  path = path_member (base, name);
  add (c, ERROR, rule, path, "'%s' must be an array, got %s",
       name, fcm_json_node_type_name (node));

  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Shared value checks                                                      */
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

static void
check_timestamp (Check      *c,
                 const char *value,
                 const char *path,
                 const char *rule)
{
  gboolean utc;

  if (!fcm_json_parse_timestamp (value, NULL))
    {
      add (c, ERROR, rule, path,
           "'%.*s%s' is not an ISO 8601 date-time (expected e.g. 2025-03-14T09:26:53.589Z)",
           SHOW (value));
      return;
    }

  if (!timestamp_zone (value, &utc))
    add (c, WARNING, rule, path,
         "Timestamp '%.*s%s' has no time zone; it is read as UTC (digest §4.3 item 14), "
         "but FHIRcast timestamps are UTC and should end in 'Z'",
         SHOW (value));
  else if (!utc)
    add (c, INFO, "C-45", path,
         "Timestamp '%.*s%s' uses a UTC offset; FHIRcast timestamps are UTC",
         SHOW (value));
}

/* Parses a positive integer written as decimal digits. */
static gboolean
parse_positive (const char *text,
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

/* hub.lease_seconds as a JSON member: a positive integer number (C-19). */
static void
check_lease_node (Check      *c,
                  JsonNode   *node,
                  const char *path,
                  const char *rule)
{
  if (JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_INT64 ||
       json_node_get_value_type (node) == G_TYPE_DOUBLE))
    {
      gboolean integral;
      double d;

      if (json_node_get_value_type (node) == G_TYPE_INT64)
        {
          d = (double) json_node_get_int (node);
          integral = TRUE;
        }
      else
        {
          d = json_node_get_double (node);
          /* range check first: converting an out-of-range double is undefined */
          integral = d > -9.0e18 && d < 9.0e18 && d == (double) (gint64) d;
        }

      if (!integral || d <= 0)
        add (c, ERROR, rule, path,
             "'hub.lease_seconds' must be a positive integer number of seconds, got %g", d);
      return;
    }

  if (fcm_json_node_is_string (node))
    {
      const char *s = json_node_get_string (node);

      if (parse_positive (s, NULL))
        add (c, WARNING, rule, path,
             "'hub.lease_seconds' is the string \"%.*s%s\"; it should be a number", SHOW (s));
      else
        add (c, ERROR, rule, path,
             "'hub.lease_seconds' must be a positive integer, got \"%.*s%s\"", SHOW (s));
      return;
    }

  add (c, ERROR, rule, path, "'hub.lease_seconds' must be a positive integer, got %s",
       fcm_json_node_type_name (node));
}

/* An HTTP status code given as a number or a numeric string; returns the
 * code or 0 when it is not one. */
static gint64
status_code_from_node (JsonNode *node,
                       gboolean *out_is_string)
{
  *out_is_string = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= 0 && d < 1000 && d == (double) (gint64) d)
        return (gint64) d;
      return -1;
    }

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      guint64 v;

      *out_is_string = TRUE;
      if (strlen (s) == 3 && parse_positive (s, &v))
        return (gint64) v;
      return -1;
    }

  return -1;
}

static void
check_ws_url (Check      *c,
              const char *url,
              const char *path,
              const char *rule,
              const char *what)
{
  g_autofree char *stripped = g_strstrip (g_strdup (url));

  if (strcmp (stripped, url) != 0)
    add (c, WARNING, rule, path,
         "%s has leading or trailing whitespace; it is trimmed before comparing "
         "endpoints (digest §4.3 item 13)", what);

  if (str_has_prefix_ci (stripped, "wss://"))
    {
      if (!g_uri_is_valid (stripped, G_URI_FLAGS_NONE, NULL))
        add (c, ERROR, rule, path, "%s '%.*s%s' is not a valid URL", what, SHOW (stripped));
    }
  else if (str_has_prefix_ci (stripped, "ws://"))
    {
      if (!g_uri_is_valid (stripped, G_URI_FLAGS_NONE, NULL))
        add (c, ERROR, rule, path, "%s '%.*s%s' is not a valid URL", what, SHOW (stripped));
      else
        add (c, WARNING, "C-06", path,
             "%s uses ws://; FHIRcast requires wss:// (plain ws is for a loopback test hub only)",
             what);
    }
  else
    {
      add (c, ERROR, rule, path, "%s must be a wss:// WebSocket URL, got '%.*s%s'",
           what, SHOW (stripped));
    }
}

/* A comma-separated hub.events list (C-12, C-13, C-14). */
static void
check_events_list (Check      *c,
                   const char *events,
                   const char *path,
                   const char *rule,
                   gboolean    is_subscribe_request)
{
  g_auto(GStrv) names = g_strsplit (events, ",", -1);
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n_names = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = g_strstrip (names[i]);
      gboolean duplicate = FALSE;

      if (*name == '\0')
        {
          add (c, WARNING, "C-13", path, "hub.events contains an empty entry at position %u", i);
          continue;
        }

      n_names++;

      if (strchr (name, '*') != NULL)
        {
          add (c, is_subscribe_request ? ERROR : WARNING, "C-13", path,
               "hub.events entry '%.*s%s' is a wildcard; wildcards are spec shorthand only "
               "and hubs do not accept them", SHOW (name));
          continue;
        }

      /* hub.events is a case-insensitive set (H-06) */
      for (guint j = 0; j < seen->len && !duplicate; j++)
        duplicate = g_ascii_strcasecmp (g_ptr_array_index (seen, j), name) == 0;

      if (duplicate)
        add (c, WARNING, "C-13", path,
             "hub.events lists '%.*s%s' more than once (names compare case-insensitively, C-14)",
             SHOW (name));
      else
        g_ptr_array_add (seen, name);

      if (fcm_event_name_is_legacy (name))
        add (c, WARNING, "C-14", path,
             "hub.events entry '%.*s%s' is a 2019 prototype event name; STU3 calls it '%s'",
             SHOW (name), fcm_event_name_canonicalize (name));
    }

  if (n_names == 0)
    {
      add (c, is_subscribe_request ? ERROR : WARNING, is_subscribe_request ? "H-05" : rule, path,
           "hub.events lists no event");
      return;
    }

  if (!is_subscribe_request)
    return;

  for (guint k = 0; k < G_N_ELEMENTS (ira_required_events); k++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < seen->len && !found; j++)
        found = fcm_event_name_equal (g_ptr_array_index (seen, j), ira_required_events[k]);

      if (!found)
        g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", ira_required_events[k]);
    }

  if (missing->len > 0)
    add (c, WARNING, "C-12", path,
         "IRA requires hub.events to include at least DiagnosticReport-open/-close/-update/"
         "-select and syncerror; missing: %s", missing->str);
}

/* ------------------------------------------------------------------------ */
/* Context items (C-25, C-14)                                               */
/* ------------------------------------------------------------------------ */

static gboolean
key_matches (const char *key,
             const char *wanted)
{
  /* Keys compare case-sensitively (C-14), but capitalised keys such as
   * "Report" appear in IRA examples: they were already flagged by
   * check_context_item(), so read them leniently (digest §4.3 item 6). */
  return key != NULL && g_ascii_strcasecmp (key, wanted) == 0;
}

static JsonObject *
find_item (JsonArray  *context,
           const char *key,
           guint      *out_index)
{
  guint n;

  if (context == NULL)
    return NULL;

  n = json_array_get_length (context);

  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < n; i++)
        {
          JsonObject *item = fcm_json_array_get_object (context, i);
          const char *item_key = fcm_json_get_string (item, "key");

          if (item_key == NULL)
            continue;

          if (pass == 0 ? strcmp (item_key, key) == 0 : key_matches (item_key, key))
            {
              if (out_index != NULL)
                *out_index = i;
              return item;
            }
        }
    }

  return NULL;
}

static void
check_reference_object (Check      *c,
                        JsonObject *reference,
                        const char *path,
                        const char *rule)
{
  gboolean has_ref;
  const char *ref;

  ref = read_string (c, reference, path, "reference", rule, &has_ref);

  if (!has_ref && get_member (reference, "identifier") == NULL)
    add (c, ERROR, rule, path,
         "A Reference needs 'reference' (e.g. \"DiagnosticReport/<id>\") or 'identifier'");
  else if (has_ref && ref != NULL && *ref == '\0')
    add (c, ERROR, rule, path, "'reference' must not be empty");
}

/* Checks one context[] item; returns its key or NULL. */
static const char *
check_context_item (Check      *c,
                    JsonNode   *node,
                    const char *path)
{
  g_autoptr(GList) members = NULL;
  JsonObject *item;
  const char *key;
  gboolean has_key;
  guint n_values = 0;

  if (!(item = as_object (node)))
    {
      add (c, ERROR, "C-25", path,
           "Context items must be objects {\"key\", \"resource\"|\"reference\"|<datatype>}, "
           "got %s", fcm_json_node_type_name (node));
      return NULL;
    }

  key = read_string (c, item, path, "key", "C-25", &has_key);

  if (!has_key)
    {
      g_autofree char *key_path = path_member (path, "key");

      add (c, ERROR, "C-25", key_path, "Context item has no 'key'");
    }
  else if (key != NULL && *key == '\0')
    {
      g_autofree char *key_path = path_member (path, "key");

      add (c, ERROR, "C-25", key_path, "Context item has an empty 'key'");
    }
  else if (key != NULL && !is_lower_case (key))
    {
      g_autofree char *key_path = path_member (path, "key");
      g_autofree char *lower = g_ascii_strdown (key, -1);

      add (c, WARNING, "C-14", key_path,
           "Context key '%.*s%s' is not lower case; keys are lower case and compared "
           "case-sensitively (read leniently as '%.*s%s', digest §4.3 item 6)",
           SHOW (key), SHOW (lower));
    }

  members = json_object_get_members (item);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (item, name);
      g_autofree char *value_path = NULL;
      gboolean is_select = key_matches (key, "select");

      if (strcmp (name, "key") == 0 || name[0] == '_')
        continue;

      n_values++;
      value_path = path_member (path, name);

      if (strcmp (name, "resource") == 0)
        {
          if (as_object (value) != NULL)
            {
              JsonObject *resource = as_object (value);
              gboolean has_type;

              read_string (c, resource, value_path, "resourceType", "C-25", &has_type);
              if (!has_type)
                {
                  g_autofree char *type_path = path_member (value_path, "resourceType");

                  add (c, ERROR, "C-25", type_path,
                       "'resource' must be a FHIR resource with a 'resourceType'");
                }
            }
          else if (!(is_select && as_array (value) != NULL))
            {
              add (c, ERROR, "C-25", value_path,
                   "'resource' must be a FHIR resource object, got %s",
                   fcm_json_node_type_name (value));
            }
        }
      else if (strcmp (name, "reference") == 0)
        {
          if (as_object (value) != NULL)
            check_reference_object (c, as_object (value), value_path, "C-25");
          else if (!(is_select && as_array (value) != NULL))
            add (c, ERROR, "C-25", value_path,
                 "'reference' must be a FHIR Reference object, got %s",
                 fcm_json_node_type_name (value));
        }
      else if (!g_ascii_islower (name[0]))
        {
          add (c, WARNING, "C-25", value_path,
               "Context value member '%.*s%s' is not 'resource', 'reference' or a lower-case "
               "FHIR datatype name such as 'decimal'", SHOW (name));
        }
    }

  if (n_values == 0)
    add (c, ERROR, "C-25", path,
         "Context item '%.*s%s' carries no value: expected 'resource', 'reference' or a "
         "lower-case datatype member", SHOW (key));
  else if (n_values > 1)
    add (c, WARNING, "C-25", path,
         "Context item '%.*s%s' carries %u value members; expected exactly one",
         SHOW (key), n_values);

  return key;
}

static void
check_context_array (Check      *c,
                     JsonArray  *context,
                     const char *path)
{
  guint n = json_array_get_length (context);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_path = path_index (path, i);

      check_context_item (c, json_array_get_element (context, i), item_path);
    }
}

/* ------------------------------------------------------------------------ */
/* DiagnosticReport events (C-46 … C-58, H-15, H-23, H-24)                  */
/* ------------------------------------------------------------------------ */

/* The `resource` of the first context item @key, checked to be @type. */
static JsonObject *
context_resource (Check       *c,
                  EventInfo   *ev,
                  const char  *key,
                  const char  *type,
                  const char  *rule,
                  char       **out_path)
{
  g_autofree char *item_path = NULL;
  g_autofree char *res_path = NULL;
  JsonObject *item;
  JsonObject *resource;
  const char *resource_type;
  guint idx = 0;

  *out_path = NULL;

  if (!(item = find_item (ev->context, key, &idx)))
    {
      add (c, ERROR, rule, ev->ctx_path,
           "%s needs a '%s' context item holding the %s", ev->canonical, key, type);
      return NULL;
    }

  item_path = path_index (ev->ctx_path, idx);
  res_path = path_member (item_path, "resource");

  if (!(resource = fcm_json_get_object (item, "resource")))
    {
      if (get_member (item, "reference") != NULL)
        add (c, ERROR, rule, item_path,
             "'%s' must be given as a %s resource in %s, not as a reference "
             "(the identifiers IRA requires travel with the resource)",
             key, type, ev->canonical);
      /* otherwise the generic item check has already reported it */
      return NULL;
    }

  resource_type = fcm_json_get_string (resource, "resourceType");
  if (resource_type == NULL)
    return NULL;

  if (strcmp (resource_type, type) != 0)
    {
      g_autofree char *type_path = path_member (res_path, "resourceType");

      add (c, ERROR, rule, type_path, "'%s' must be a %s, got '%.*s%s'",
           key, type, SHOW (resource_type));
      return NULL;
    }

  *out_path = g_steal_pointer (&res_path);
  return resource;
}

/* The first identifier whose type has a coding with @code. */
static JsonObject *
find_identifier_by_type (JsonArray   *identifiers,
                         const char  *code,
                         guint       *out_index,
                         const char **out_system)
{
  guint n = identifiers ? json_array_get_length (identifiers) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *identifier = fcm_json_array_get_object (identifiers, i);
      JsonArray *codings = fcm_json_get_array (fcm_json_get_object (identifier, "type"), "coding");
      guint m = codings ? json_array_get_length (codings) : 0;

      for (guint j = 0; j < m; j++)
        {
          JsonObject *coding = fcm_json_array_get_object (codings, j);

          if (g_strcmp0 (fcm_json_get_string (coding, "code"), code) == 0)
            {
              *out_index = i;
              *out_system = fcm_json_get_string (coding, "system");
              return identifier;
            }
        }
    }

  return NULL;
}

static JsonArray *
require_identifiers (Check      *c,
                     JsonObject *resource,
                     const char *res_path,
                     const char *what)
{
  g_autofree char *path = path_member (res_path, "identifier");
  JsonArray *identifiers = read_array (c, resource, res_path, "identifier", "C-47");

  if (identifiers == NULL && get_member (resource, "identifier") == NULL)
    add (c, ERROR, "C-47", path, "%s needs 'identifier' (%s)", "The resource", what);
  else if (identifiers != NULL && json_array_get_length (identifiers) == 0)
    add (c, ERROR, "C-47", path, "'identifier' is empty (%s)", what);

  return identifiers;
}

static gboolean
is_oid (const char *s)
{
  gboolean need_digit = TRUE;

  if (s == NULL || *s == '\0')
    return FALSE;

  for (; *s; s++)
    {
      if (g_ascii_isdigit (*s))
        need_digit = FALSE;
      else if (*s == '.' && !need_digit)
        need_digit = TRUE;
      else
        return FALSE;
    }

  return !need_digit;
}

/* `subject` must reference Patient/<patient_id> (C-47). */
static void
check_subject (Check      *c,
               JsonObject *resource,
               const char *res_path,
               const char *owner,
               const char *patient_id)
{
  g_autofree char *subject_path = path_member (res_path, "subject");
  g_autofree char *ref_path = path_member (subject_path, "reference");
  g_autofree char *ref_id = NULL;
  JsonObject *subject = read_object (c, resource, res_path, "subject", "C-47");
  const char *ref;

  if (subject == NULL)
    {
      if (get_member (resource, "subject") == NULL)
        add (c, ERROR, "C-47", subject_path, "%s needs 'subject' referencing the Patient", owner);
      return;
    }

  ref = require_string (c, subject, subject_path, "reference", "C-47", ERROR,
                        "the subject must reference the Patient in this event");
  if (ref == NULL)
    return;

  ref_id = fcm_json_reference_id (ref, "Patient");
  if (ref_id == NULL)
    add (c, ERROR, "C-47", ref_path, "%s.subject '%.*s%s' is not a reference to a Patient",
         owner, SHOW (ref));
  else if (patient_id != NULL && strcmp (ref_id, patient_id) != 0)
    add (c, ERROR, "C-47", ref_path,
         "%s.subject references Patient/%.*s%s but the patient in this event has id '%.*s%s'",
         owner, SHOW (ref_id), SHOW (patient_id));
}

static void
check_open_patient (Check      *c,
                    JsonObject *patient,
                    const char *res_path)
{
  g_autofree char *ids_path = path_member (res_path, "identifier");
  JsonArray *identifiers;
  JsonObject *mr;
  const char *system = NULL;
  guint idx = 0;

  identifiers = require_identifiers (c, patient, res_path,
                                     "IRA needs one typed v2-0203 MR with a value");
  if (identifiers == NULL || json_array_get_length (identifiers) == 0)
    return;

  if (!(mr = find_identifier_by_type (identifiers, "MR", &idx, &system)))
    {
      add (c, ERROR, "C-47", ids_path,
           "Patient has no identifier with type v2-0203 'MR' (medical record number), "
           "which IRA's PatientContext requires");
      return;
    }

  {
    g_autofree char *mr_path = path_index (ids_path, idx);

    if (system != NULL && strcmp (system, SYSTEM_V2_0203) != 0)
      add (c, WARNING, "C-47", mr_path,
           "The MR identifier type is coded in '%.*s%s' instead of %s",
           SHOW (system), SYSTEM_V2_0203);

    require_string (c, mr, mr_path, "value", "C-47", ERROR,
                    "the MR identifier needs a value");
  }
}

static void
check_open_study (Check      *c,
                  JsonObject *study,
                  const char *res_path,
                  const char *patient_id)
{
  g_autofree char *ids_path = path_member (res_path, "identifier");
  JsonArray *identifiers;
  JsonObject *uid;
  JsonObject *acsn;
  const char *system = NULL;
  const char *status;
  guint idx = 0;

  identifiers = require_identifiers (c, study, res_path,
                                     "IRA needs the Study Instance UID and the ACSN accession");

  if (identifiers != NULL && json_array_get_length (identifiers) > 0)
    {
      /* Study Instance UID slice: type DCM 110180, system urn:dicom:uid,
       * value urn:oid:<uid>. Find it by type, else by system. */
      uid = find_identifier_by_type (identifiers, "110180", &idx, &system);
      if (uid == NULL)
        {
          guint n = json_array_get_length (identifiers);

          for (guint i = 0; i < n && uid == NULL; i++)
            {
              JsonObject *identifier = fcm_json_array_get_object (identifiers, i);

              if (g_strcmp0 (fcm_json_get_string (identifier, "system"), SYSTEM_DICOM_UID) == 0)
                {
                  g_autofree char *type_path = NULL;
                  g_autofree char *id_path = path_index (ids_path, i);

                  uid = identifier;
                  idx = i;
                  type_path = path_member (id_path, "type");
                  add (c, ERROR, "C-47", type_path,
                       "The Study Instance UID identifier must have type DCM 110180 "
                       "(system %s, code 110180)", SYSTEM_DCM);
                }
            }
        }

      if (uid == NULL)
        {
          add (c, ERROR, "C-47", ids_path,
               "ImagingStudy has no Study Instance UID identifier (type DCM 110180, "
               "system urn:dicom:uid, value urn:oid:<uid>)");
        }
      else
        {
          g_autofree char *uid_path = path_index (ids_path, idx);
          g_autofree char *system_path = path_member (uid_path, "system");
          g_autofree char *value_path = path_member (uid_path, "value");
          const char *uid_system;
          const char *value;

          if (system != NULL && strcmp (system, SYSTEM_DCM) != 0)
            add (c, WARNING, "C-47", uid_path,
                 "The Study Instance UID type is coded in '%.*s%s' instead of %s",
                 SHOW (system), SYSTEM_DCM);

          uid_system = require_string (c, uid, uid_path, "system", "C-47", ERROR,
                                       "the Study Instance UID identifier's system is "
                                       "urn:dicom:uid");
          if (uid_system != NULL && strcmp (uid_system, SYSTEM_DICOM_UID) != 0)
            add (c, ERROR, "C-47", system_path,
                 "The Study Instance UID identifier's system must be 'urn:dicom:uid', got "
                 "'%.*s%s'", SHOW (uid_system));

          value = require_string (c, uid, uid_path, "value", "C-47", ERROR,
                                  "the Study Instance UID value is urn:oid:<uid>");
          if (value != NULL &&
              !(g_str_has_prefix (value, "urn:oid:") && is_oid (value + strlen ("urn:oid:"))))
            add (c, ERROR, "C-47", value_path,
                 "The Study Instance UID value must be 'urn:oid:' followed by a dotted "
                 "numeric UID, got '%.*s%s'", SHOW (value));
        }

      if (!(acsn = find_identifier_by_type (identifiers, "ACSN", &idx, &system)))
        {
          add (c, ERROR, "C-47", ids_path,
               "ImagingStudy has no accession number identifier (type v2-0203 'ACSN'), "
               "which IRA's ImagingStudyContext requires");
        }
      else
        {
          g_autofree char *acsn_path = path_index (ids_path, idx);

          require_string (c, acsn, acsn_path, "value", "C-47", ERROR,
                          "the ACSN identifier needs the accession number");
        }
    }

  status = require_string (c, study, res_path, "status", "C-47", ERROR,
                           "IRA fixes ImagingStudy.status to 'available'");
  if (status != NULL && strcmp (status, "available") != 0)
    {
      g_autofree char *status_path = path_member (res_path, "status");

      add (c, ERROR, "C-47", status_path,
           "ImagingStudy.status must be 'available' (IRA ImagingStudyContext), got '%.*s%s'",
           SHOW (status));
    }

  check_subject (c, study, res_path, "ImagingStudy", patient_id);
}

static void
check_study_reference (Check      *c,
                       JsonNode   *node,
                       const char *path,
                       GPtrArray  *study_ids)
{
  g_autofree char *id = NULL;
  JsonObject *ref_obj;
  const char *ref;

  if (!(ref_obj = as_object (node)))
    {
      add (c, ERROR, "C-47", path, "A study reference must be a Reference object, got %s",
           fcm_json_node_type_name (node));
      return;
    }

  ref = require_string (c, ref_obj, path, "reference", "C-47", ERROR,
                        "the report references the ImagingStudy as \"ImagingStudy/<id>\"");
  if (ref == NULL)
    return;

  if (!(id = fcm_json_reference_id (ref, "ImagingStudy")))
    {
      g_autofree char *ref_path = path_member (path, "reference");

      add (c, ERROR, "C-47", ref_path, "'%.*s%s' is not a reference to an ImagingStudy",
           SHOW (ref));
      return;
    }

  for (guint i = 0; i < study_ids->len; i++)
    if (strcmp (g_ptr_array_index (study_ids, i), id) == 0)
      return;

  {
    g_autofree char *ref_path = path_member (path, "reference");

    add (c, WARNING, "C-47", ref_path,
         "The report references ImagingStudy/%.*s%s, which is not a study in this event",
         SHOW (id));
  }
}

static void
check_open_report (Check      *c,
                   JsonObject *report,
                   const char *res_path,
                   const char *patient_id,
                   GPtrArray  *study_ids)
{
  g_autofree char *element_path = NULL;
  const char *element = "study";
  JsonNode *node;

  require_string (c, report, res_path, "status", "C-47", ERROR,
                  "DiagnosticReport.status is mandatory (IRA fixes 'unknown' on open)");
  check_subject (c, report, res_path, "DiagnosticReport", patient_id);

  node = get_member (report, "study");
  if (node == NULL && (node = get_member (report, "imagingStudy")) != NULL)
    {
      element = "imagingStudy";
      element_path = path_member (res_path, element);
      add (c, WARNING, "C-47", element_path,
           "DiagnosticReport uses the R4 element 'imagingStudy'; IRA (FHIR R5) uses 'study' "
           "(digest §4.3 item 9). Both are accepted");
    }

  if (element_path == NULL)
    element_path = path_member (res_path, element);

  if (node == NULL)
    {
      add (c, ERROR, "C-47", element_path,
           "DiagnosticReport needs a reference to the ImagingStudy ('study' in R5/IRA, "
           "'imagingStudy' in R4)");
    }
  else if (as_array (node) != NULL)
    {
      JsonArray *refs = as_array (node);
      guint n = json_array_get_length (refs);

      if (n == 0)
        add (c, ERROR, "C-47", element_path, "'%s' is empty; the report must reference the study",
             element);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *ref_path = path_index (element_path, i);

          check_study_reference (c, json_array_get_element (refs, i), ref_path, study_ids);
        }
    }
  else if (as_object (node) != NULL)
    {
      add (c, WARNING, "C-47", element_path,
           "'%s' is a single Reference; it is an array (0..*) in FHIR", element);
      check_study_reference (c, node, element_path, study_ids);
    }
  else
    {
      add (c, ERROR, "C-47", element_path, "'%s' must be an array of References, got %s",
           element, fcm_json_node_type_name (node));
    }

  if (get_member (report, "identifier") == NULL && get_member (report, "basedOn") == NULL)
    add (c, WARNING, "C-47", res_path,
         "FC's DiagnosticReport-open profile wants a business 'identifier' or a 'basedOn' "
         "ServiceRequest carrying the ACSN accession (at least one of the two)");

  if (get_member (report, "code") == NULL)
    add (c, WARNING, "C-47", res_path, "DiagnosticReport.code is mandatory in base FHIR");
}

static void
check_dr_open (Check     *c,
               EventInfo *ev)
{
  g_autofree char *report_path = NULL;
  g_autofree char *patient_path = NULL;
  g_autoptr(GPtrArray) study_ids = g_ptr_array_new ();
  JsonObject *report;
  JsonObject *patient;
  const char *patient_id = NULL;
  guint n_studies = 0;
  guint n;

  report = context_resource (c, ev, "report", "DiagnosticReport", "C-46", &report_path);
  patient = context_resource (c, ev, "patient", "Patient", "C-46", &patient_path);

  if (patient != NULL)
    {
      patient_id = require_string (c, patient, patient_path, "id", "C-47", ERROR,
                                   "every context resource needs an id");
      check_open_patient (c, patient, patient_path);
    }

  /* `study` is 0..* in FC; IRA requires at least one. */
  n = ev->context ? json_array_get_length (ev->context) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = fcm_json_array_get_object (ev->context, i);
      g_autofree char *item_path = NULL;
      g_autofree char *res_path = NULL;
      g_autofree char *type_path = NULL;
      JsonObject *study;
      const char *study_type;
      const char *study_id;

      if (!key_matches (fcm_json_get_string (item, "key"), "study"))
        continue;

      n_studies++;
      item_path = path_index (ev->ctx_path, i);
      res_path = path_member (item_path, "resource");
      type_path = path_member (res_path, "resourceType");

      if (!(study = fcm_json_get_object (item, "resource")))
        {
          if (get_member (item, "reference") != NULL)
            add (c, ERROR, "C-46", item_path,
                 "'study' must be given as an ImagingStudy resource in %s, not as a reference "
                 "(the identifiers IRA requires travel with the resource)", ev->canonical);
          continue;
        }

      study_type = fcm_json_get_string (study, "resourceType");
      if (study_type == NULL)
        continue;
      if (strcmp (study_type, "ImagingStudy") != 0)
        {
          add (c, ERROR, "C-46", type_path, "'study' must be a ImagingStudy, got '%.*s%s'",
               SHOW (study_type));
          continue;
        }

      study_id = require_string (c, study, res_path, "id", "C-47", ERROR,
                                 "every context resource needs an id");
      if (study_id != NULL)
        g_ptr_array_add (study_ids, (gpointer) study_id);

      check_open_study (c, study, res_path, patient_id);
    }

  if (n_studies == 0)
    add (c, ERROR, "C-46", ev->ctx_path,
         "%s needs a 'study' context item holding the ImagingStudy (required by IRA)",
         ev->canonical);

  if (report != NULL)
    {
      require_string (c, report, report_path, "id", "C-47", ERROR,
                      "every context resource needs an id, reused by the later -close");
      check_open_report (c, report, report_path, patient_id, study_ids);
    }

  if (c->role == FCM_VALIDATOR_ROLE_NOTIFICATION && !ev->has_version)
    {
      g_autofree char *version_path = path_member (ev->ev_path, "context.versionId");

      add (c, WARNING, "H-23", version_path,
           "The hub assigns a context.versionId on every -open and sends it in the "
           "notification; it is missing");
    }
}

/* The DiagnosticReport id of a `report` item given as a resource (IRA) or
 * a reference (FC); digest §4.3 item 6. */
static char *
report_item_id (Check      *c,
                JsonObject *item,
                const char *item_path,
                const char *rule)
{
  JsonObject *obj;

  if ((obj = fcm_json_get_object (item, "resource")))
    {
      g_autofree char *res_path = path_member (item_path, "resource");
      const char *type = fcm_json_get_string (obj, "resourceType");
      const char *id;

      if (type != NULL && strcmp (type, "DiagnosticReport") != 0)
        {
          g_autofree char *type_path = path_member (res_path, "resourceType");

          add (c, ERROR, rule, type_path, "'report' must be a DiagnosticReport, got '%.*s%s'",
               SHOW (type));
          return NULL;
        }

      id = require_string (c, obj, res_path, "id", rule, ERROR,
                           "the report must carry the id used in the -open");
      return g_strdup (id);
    }

  if ((obj = fcm_json_get_object (item, "reference")))
    {
      g_autofree char *ref_path = path_member (item_path, "reference");
      const char *ref = fcm_json_get_string (obj, "reference");
      char *id = fcm_json_reference_id (ref, "DiagnosticReport");

      if (id == NULL && ref != NULL)
        {
          g_autofree char *inner_path = path_member (ref_path, "reference");

          add (c, ERROR, rule, inner_path,
               "'report' must reference \"DiagnosticReport/<id>\", got '%.*s%s'", SHOW (ref));
        }
      else if (id == NULL && get_member (obj, "reference") == NULL)
        {
          add (c, ERROR, rule, ref_path,
               "'report' must reference \"DiagnosticReport/<id>\" so the hub can find the context");
        }

      return id;
    }

  return NULL;
}

static void
check_dr_close (Check     *c,
                EventInfo *ev)
{
  g_autofree char *item_path = NULL;
  JsonObject *item;
  JsonObject *resource;
  guint idx = 0;

  if (!(item = find_item (ev->context, "report", &idx)))
    {
      add (c, ERROR, "C-50", ev->ctx_path,
           "%s needs a 'report' context item with the id used in the -open", ev->canonical);
      return;
    }

  item_path = path_index (ev->ctx_path, idx);

  if ((resource = fcm_json_get_object (item, "resource")))
    {
      g_autofree char *res_path = path_member (item_path, "resource");
      const char *type = fcm_json_get_string (resource, "resourceType");

      if (type != NULL && strcmp (type, "DiagnosticReport") != 0)
        {
          g_autofree char *type_path = path_member (res_path, "resourceType");

          add (c, ERROR, "C-50", type_path, "'report' must be a DiagnosticReport, got '%.*s%s'",
               SHOW (type));
        }

      require_string (c, resource, res_path, "id", "H-15", ERROR,
                      "IRA answers 400 when the report's resource.id is missing on -close");
    }
  else if (fcm_json_get_object (item, "reference"))
    {
      g_autofree char *id = report_item_id (c, item, item_path, "H-15");

      if (id != NULL)
        add (c, WARNING, "C-50", item_path,
             "'report' is given as a reference; IRA expects the DiagnosticReport resource "
             "with the id used in the -open (digest §4.3 item 6)");
    }

  if (find_item (ev->context, "patient", NULL) == NULL)
    add (c, WARNING, "C-50", ev->ctx_path,
         "FC STU3 also requires 'patient' (with the ids of the -open) in %s; IRA accepts "
         "'report' alone", ev->canonical);
}

static void
check_update_entry (Check      *c,
                    JsonNode   *node,
                    const char *entry_path,
                    GHashTable *seen)
{
  g_autofree char *request_path = path_member (entry_path, "request");
  g_autofree char *method_path = path_member (request_path, "method");
  g_autofree char *resource_path = path_member (entry_path, "resource");
  g_autofree char *identity = NULL;
  JsonObject *entry;
  JsonObject *request;
  JsonNode *resource_node;
  JsonObject *resource;
  const char *method = NULL;
  const char *url = NULL;
  const char *full_url;
  gboolean has_full_url;

  if (!(entry = as_object (node)))
    {
      add (c, ERROR, "C-56", entry_path, "Bundle entries must be objects, got %s",
           fcm_json_node_type_name (node));
      return;
    }

  resource_node = get_member (entry, "resource");
  resource = as_object (resource_node);
  full_url = read_string (c, entry, entry_path, "fullUrl", "C-56", &has_full_url);

  request = read_object (c, entry, entry_path, "request", "C-56");
  if (request == NULL && get_member (entry, "request") == NULL)
    add (c, ERROR, "C-56", request_path,
         "Update bundle entries need 'request' with 'method' (PUT or DELETE) and 'url'");

  if (request != NULL)
    {
      method = require_string (c, request, request_path, "method", "C-56", ERROR,
                               "PUT or DELETE");
      url = require_string (c, request, request_path, "url", "C-56", ERROR,
                            "the FC content-update-bundle profile requires request.url "
                            "(the FC §3.6.3 examples omit it, digest §4.3 item 7)");
    }

  if (method == NULL)
    {
      /* reported above */
    }
  else if (strcmp (method, "PUT") == 0)
    {
      if (resource_node == NULL)
        add (c, ERROR, "C-56", resource_path, "A PUT entry needs the 'resource' it writes");
      else if (resource == NULL)
        add (c, ERROR, "C-56", resource_path, "'resource' must be a FHIR resource object, got %s",
             fcm_json_node_type_name (resource_node));
      else
        {
          const char *type = read_string (c, resource, resource_path, "resourceType", "C-56", NULL);
          const char *id = read_string (c, resource, resource_path, "id", "C-56", NULL);

          if (type == NULL)
            add (c, ERROR, "C-56", resource_path, "The PUT resource has no 'resourceType'");
          if (type != NULL && id != NULL && url != NULL)
            {
              g_autofree char *want = g_strdup_printf ("%s/%s", type, id);
              g_autofree char *have = fcm_json_reference_key (url);

              if (g_strcmp0 (want, have) != 0)
                {
                  g_autofree char *url_path = path_member (request_path, "url");

                  add (c, WARNING, "C-56", url_path,
                       "request.url '%.*s%s' does not name the resource it carries (%.*s%s)",
                       SHOW (url), SHOW (want));
                }
            }
        }
    }
  else if (strcmp (method, "DELETE") == 0)
    {
      g_autofree char *target = NULL;

      if (!has_full_url)
        {
          g_autofree char *full_url_path = path_member (entry_path, "fullUrl");

          add (c, ERROR, "C-56", full_url_path, "A DELETE entry needs 'fullUrl'");
        }
      else if (full_url != NULL && *full_url == '\0')
        {
          g_autofree char *full_url_path = path_member (entry_path, "fullUrl");

          add (c, ERROR, "C-56", full_url_path, "'fullUrl' must not be empty");
        }

      if (resource_node != NULL)
        add (c, ERROR, "C-56", resource_path, "A DELETE entry carries no 'resource'");

      target = fcm_json_reference_key (url != NULL ? url : full_url);
      if (target != NULL &&
          (g_str_has_prefix (target, "Patient/") || g_str_has_prefix (target, "ImagingStudy/")))
        add (c, ERROR, "C-57", entry_path,
             "An update must never delete the patient or study context (%.*s%s); IRA answers "
             "400. Close and re-open the report instead", SHOW (target));
    }
  else if (strcmp (method, "POST") == 0)
    {
      add (c, ERROR, "C-56", method_path,
           "POST entries are not allowed: the FC content-update-bundle profile allows only PUT "
           "and DELETE (IRA examples and some clients use POST, digest §4.3 item 7)");
    }
  else
    {
      add (c, ERROR, "C-56", method_path,
           "request.method must be PUT or DELETE, got '%.*s%s'", SHOW (method));
    }

  /* A resource may appear only once in the bundle. */
  if (resource != NULL && fcm_json_get_string (resource, "resourceType") != NULL &&
      fcm_json_get_string (resource, "id") != NULL)
    identity = g_strdup_printf ("%s/%s", fcm_json_get_string (resource, "resourceType"),
                                fcm_json_get_string (resource, "id"));
  else
    identity = fcm_json_reference_key (url != NULL ? url : full_url);

  if (identity != NULL)
    {
      if (g_hash_table_contains (seen, identity))
        add (c, ERROR, "C-56", entry_path,
             "%.*s%s appears more than once in the bundle; a resource may appear only once",
             SHOW (identity));
      else
        g_hash_table_add (seen, g_steal_pointer (&identity));
    }
}

static void
check_update_bundle (Check      *c,
                     JsonObject *bundle,
                     const char *path)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *entry_path = path_member (path, "entry");
  g_autofree char *type_path = path_member (path, "type");
  const char *resource_type;
  const char *type;
  JsonArray *entries;

  resource_type = fcm_json_get_string (bundle, "resourceType");
  if (resource_type == NULL)
    return; /* reported by the generic item check */

  if (strcmp (resource_type, "Bundle") != 0)
    {
      g_autofree char *rt_path = path_member (path, "resourceType");

      add (c, ERROR, "C-56", rt_path, "'updates' must be a Bundle, got '%.*s%s'",
           SHOW (resource_type));
      return;
    }

  type = require_string (c, bundle, path, "type", "C-56", ERROR,
                         "the updates Bundle has type 'transaction'");
  if (type != NULL && strcmp (type, "transaction") != 0)
    add (c, ERROR, "C-56", type_path,
         "The updates Bundle must have type 'transaction', got '%.*s%s'", SHOW (type));

  entries = read_array (c, bundle, path, "entry", "C-56");
  if (entries == NULL)
    {
      if (get_member (bundle, "entry") == NULL)
        add (c, INFO, "C-56", entry_path, "The updates Bundle has no entries");
      return;
    }

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      g_autofree char *one_path = path_index (entry_path, i);

      check_update_entry (c, json_array_get_element (entries, i), one_path, seen);
    }
}

static void
check_dr_update (Check     *c,
                 EventInfo *ev)
{
  JsonObject *item;
  guint idx = 0;
  guint n_updates = 0;
  guint n;

  if (!(item = find_item (ev->context, "report", &idx)))
    {
      add (c, ERROR, "C-56", ev->ctx_path,
           "%s needs a 'report' context item (a reference to DiagnosticReport/<id>)",
           ev->canonical);
    }
  else
    {
      g_autofree char *item_path = path_index (ev->ctx_path, idx);

      g_free (report_item_id (c, item, item_path, "C-56"));
    }

  n = ev->context ? json_array_get_length (ev->context) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *updates = fcm_json_array_get_object (ev->context, i);
      g_autofree char *item_path = NULL;
      g_autofree char *res_path = NULL;
      JsonObject *bundle;

      if (!key_matches (fcm_json_get_string (updates, "key"), "updates"))
        continue;

      item_path = path_index (ev->ctx_path, i);
      if (++n_updates > 1)
        {
          add (c, ERROR, "C-56", item_path,
               "%s carries more than one 'updates' item; exactly one Bundle is allowed",
               ev->canonical);
          continue;
        }

      res_path = path_member (item_path, "resource");
      if (!(bundle = fcm_json_get_object (updates, "resource")))
        {
          if (get_member (updates, "resource") == NULL)
            add (c, ERROR, "C-56", res_path, "'updates' must hold the Bundle as 'resource'");
          continue;
        }

      check_update_bundle (c, bundle, res_path);
    }

  if (n_updates == 0)
    add (c, ERROR, "C-56", ev->ctx_path,
         "%s needs an 'updates' context item holding a transaction Bundle", ev->canonical);

  /* Requests carry the version the sender knows; hub notifications carry
   * the new version and the one it replaces (C-56, H-24). */
  if (ev->notification)
    {
      if (!ev->has_version)
        {
          g_autofree char *version_path = path_member (ev->ev_path, "context.versionId");

          add (c, ERROR, "H-24", version_path,
               "A %s notification must carry the new 'context.versionId'", ev->canonical);
        }
      if (!ev->has_prior_version)
        {
          g_autofree char *prior_path = path_member (ev->ev_path, "context.priorVersionId");

          add (c, ERROR, "H-24", prior_path,
               "A %s notification must carry 'context.priorVersionId' (the version it replaces)",
               ev->canonical);
        }
      if (ev->version_id != NULL && ev->prior_version_id != NULL &&
          strcmp (ev->version_id, ev->prior_version_id) == 0)
        {
          g_autofree char *version_path = path_member (ev->ev_path, "context.versionId");

          add (c, ERROR, "H-24", version_path,
               "'context.versionId' equals 'context.priorVersionId'; the hub creates a new "
               "version for every applied update");
        }
    }
  else if (!ev->has_version)
    {
      g_autofree char *version_path = path_member (ev->ev_path, "context.versionId");

      add (c, ERROR, "C-56", version_path,
           "A %s request must carry 'context.versionId' (the newest version the sender knows); "
           "a hub following the spec rejects it otherwise", ev->canonical);
    }
}

static void
check_selected_node (Check      *c,
                     JsonNode   *node,
                     const char *path,
                     gboolean    as_reference)
{
  JsonObject *obj;

  if (!(obj = as_object (node)))
    {
      add (c, ERROR, "C-58", path, "A selected item must be an object, got %s",
           fcm_json_node_type_name (node));
      return;
    }


  if (as_reference || (get_member (obj, "resourceType") == NULL &&
                       get_member (obj, "reference") != NULL))
    {
      check_reference_object (c, obj, path, "C-58");
      return;
    }

  require_string (c, obj, path, "resourceType", "C-58", ERROR,
                  "a selected resource needs its type");
  require_string (c, obj, path, "id", "C-58", ERROR,
                  "a selected resource is identified by its id");
}

static void
check_dr_select (Check     *c,
                 EventInfo *ev)
{
  JsonObject *item;
  guint idx = 0;
  guint n_select = 0;
  guint n;

  if (!(item = find_item (ev->context, "report", &idx)))
    {
      add (c, ERROR, "C-58", ev->ctx_path,
           "%s needs a 'report' context item (a reference to DiagnosticReport/<id>)",
           ev->canonical);
    }
  else
    {
      g_autofree char *item_path = path_index (ev->ctx_path, idx);

      g_free (report_item_id (c, item, item_path, "C-58"));
    }

  /* Three shapes (digest §4.3 item 5): repeated {"key":"select","reference":{…}},
   * one {"key":"select","resource":[…]} (IRA), and one
   * {"key":"select","reference":[…]}. A single resource object is read too. */
  n = ev->context ? json_array_get_length (ev->context) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *select = fcm_json_array_get_object (ev->context, i);
      g_autofree char *item_path = NULL;
      const char *member = "reference";
      g_autofree char *value_path = NULL;
      JsonNode *value;

      if (!key_matches (fcm_json_get_string (select, "key"), "select"))
        continue;

      n_select++;
      item_path = path_index (ev->ctx_path, i);

      if ((value = get_member (select, "reference")) == NULL)
        {
          member = "resource";
          value = get_member (select, "resource");
        }

      if (value == NULL)
        continue; /* reported by the generic item check */

      value_path = path_member (item_path, member);

      if (as_array (value) != NULL)
        {
          JsonArray *selected = as_array (value);

          for (guint j = 0; j < json_array_get_length (selected); j++)
            {
              g_autofree char *one_path = path_index (value_path, j);

              check_selected_node (c, json_array_get_element (selected, j), one_path,
                                   strcmp (member, "reference") == 0);
            }
        }
      else if (as_object (value) != NULL && strcmp (member, "resource") == 0)
        {
          check_selected_node (c, value, value_path, FALSE);
        }
      /* a reference object was checked by the generic item check */
    }

  if (n_select == 0)
    add (c, ERROR, "C-58", ev->ctx_path,
         "%s needs 'select' context (IRA answers 400 without it); an empty selection is "
         "{\"key\": \"select\", \"resource\": []}", ev->canonical);
}

/* ------------------------------------------------------------------------ */
/* syncerror (C-60, C-63, C-64, H-36)                                       */
/* ------------------------------------------------------------------------ */

typedef enum
{
  CODING_EVENT_ID,
  CODING_EVENT_NAME,
  CODING_SUBSCRIBER_NAME,
  N_CODINGS
} CodingRole;

static gint
coding_role_from_system (const char *system,
                         gboolean   *out_old_spelling)
{
  const char *slash;

  *out_old_spelling = FALSE;

  if (system == NULL || (slash = strrchr (system, '/')) == NULL ||
      strstr (system, "/syncerror/") == NULL)
    return -1;

  slash++;
  if (strcmp (slash, "eventid") == 0)
    return CODING_EVENT_ID;
  if (strcmp (slash, "eventname") == 0)
    return CODING_EVENT_NAME;
  if (strcmp (slash, "subscribername") == 0)
    return CODING_SUBSCRIBER_NAME;
  if (strcmp (slash, "subscriber") == 0)
    {
      *out_old_spelling = TRUE;
      return CODING_SUBSCRIBER_NAME;
    }

  return -1;
}

static void
check_syncerror (Check     *c,
                 EventInfo *ev)
{
  static const char * const coding_names[N_CODINGS] = { "eventid", "eventname", "subscribername" };
  static const char * const coding_meaning[N_CODINGS] = {
    "the id of the event that caused the error",
    "the name of the event that caused the error",
    "the subscriber.name of the subscriber that caused the error",
  };
  const char *rule = c->role == FCM_VALIDATOR_ROLE_REQUEST ? "C-60" : "H-36";
  g_autofree char *item_path = NULL;
  g_autofree char *res_path = NULL;
  g_autofree char *issue_array_path = NULL;
  g_autofree char *issue_path = NULL;
  g_autofree char *details_path = NULL;
  g_autofree char *coding_path = NULL;
  JsonObject *item;
  JsonObject *outcome;
  JsonArray *issues;
  JsonObject *issue;
  JsonObject *details;
  JsonArray *codings;
  JsonObject *found[N_CODINGS] = { NULL, };
  guint found_index[N_CODINGS] = { 0, };
  const char *resource_type;
  const char *severity;
  const char *code;
  guint idx = 0;
  guint n;

  if (!(item = find_item (ev->context, "operationoutcome", &idx)))
    {
      add (c, ERROR, rule, ev->ctx_path,
           "A syncerror needs an 'operationoutcome' context item holding an OperationOutcome "
           "(IRA answers 400 without it, H-15)");
      return;
    }

  item_path = path_index (ev->ctx_path, idx);
  res_path = path_member (item_path, "resource");

  if (!(outcome = fcm_json_get_object (item, "resource")))
    {
      if (get_member (item, "resource") == NULL)
        add (c, ERROR, rule, res_path,
             "'operationoutcome' must hold the OperationOutcome as 'resource'");
      return;
    }

  resource_type = fcm_json_get_string (outcome, "resourceType");
  if (resource_type == NULL)
    return;
  if (strcmp (resource_type, "OperationOutcome") != 0)
    {
      g_autofree char *type_path = path_member (res_path, "resourceType");

      add (c, ERROR, rule, type_path,
           "'operationoutcome' must be an OperationOutcome, got '%.*s%s'", SHOW (resource_type));
      return;
    }

  issue_array_path = path_member (res_path, "issue");
  issues = read_array (c, outcome, res_path, "issue", rule);
  if (issues == NULL || json_array_get_length (issues) == 0)
    {
      if (issues != NULL || get_member (outcome, "issue") == NULL)
        add (c, ERROR, rule, issue_array_path, "The OperationOutcome needs at least one 'issue'");
      return;
    }

  issue_path = path_index (issue_array_path, 0);
  if (!(issue = fcm_json_array_get_object (issues, 0)))
    {
      add (c, ERROR, rule, issue_path, "issue[0] must be an object, got %s",
           fcm_json_node_type_name (json_array_get_element (issues, 0)));
      return;
    }

  severity = require_string (c, issue, issue_path, "severity", rule, ERROR,
                             "'warning' (FC STU3) or 'information' (IRA)");
  if (severity != NULL)
    {
      g_autofree char *severity_path = path_member (issue_path, "severity");

      if (strcmp (severity, "information") == 0)
        add (c, WARNING, "C-64", severity_path,
             "syncerror severity 'information' follows IRA/the pre-2024 FC profile; FC STU3 fixes "
             "'warning' (digest §4.3 item 3). Both are accepted");
      else if (strcmp (severity, "warning") != 0)
        add (c, ERROR, rule, severity_path,
             "syncerror severity must be 'warning' (FC STU3) or 'information' (IRA), got '%.*s%s'",
             SHOW (severity));
    }

  code = require_string (c, issue, issue_path, "code", rule, ERROR, "'processing'");
  if (code != NULL && strcmp (code, "processing") != 0)
    {
      g_autofree char *code_path = path_member (issue_path, "code");

      if (strcmp (code, "too-long") == 0)
        add (c, INFO, "C-59", code_path,
             "issue.code 'too-long': the subscriber could not handle the bundle size");
      else
        add (c, WARNING, rule, code_path,
             "syncerror issue.code is 'processing', got '%.*s%s'", SHOW (code));
    }

  require_string (c, issue, issue_path, "diagnostics", rule, ERROR,
                  "a human-readable description is required");

  details_path = path_member (issue_path, "details");
  details = read_object (c, issue, issue_path, "details", rule);
  if (details == NULL)
    {
      if (get_member (issue, "details") == NULL)
        add (c, ERROR, rule, details_path,
             "issue[0] needs 'details.coding' with the event id, event name and subscriber name");
      return;
    }

  coding_path = path_member (details_path, "coding");
  codings = read_array (c, details, details_path, "coding", rule);
  if (codings == NULL)
    {
      if (get_member (details, "coding") == NULL)
        add (c, ERROR, rule, coding_path,
             "details needs 'coding' with the event id, event name and subscriber name");
      return;
    }

  /* Read by system (both subscriber spellings), fall back to position (IRA
   * defines the codings by index): digest §4.3 item 4. */
  n = json_array_get_length (codings);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *coding = fcm_json_array_get_object (codings, i);
      gboolean old_spelling;
      gint role;

      if (coding == NULL)
        {
          g_autofree char *one_path = path_index (coding_path, i);

          add (c, ERROR, rule, one_path, "A coding must be an object, got %s",
               fcm_json_node_type_name (json_array_get_element (codings, i)));
          continue;
        }

      role = coding_role_from_system (fcm_json_get_string (coding, "system"), &old_spelling);
      if (role < 0 || found[role] != NULL)
        continue;

      found[role] = coding;
      found_index[role] = i;

      if (old_spelling)
        {
          g_autofree char *system_path = NULL;
          g_autofree char *one_path = path_index (coding_path, i);

          system_path = path_member (one_path, "system");
          add (c, INFO, "C-63", system_path,
               "The subscriber coding uses the system '…/syncerror/subscriber' of the FC §3.2.1 "
               "example; the FC profile spells it '…/syncerror/subscribername' "
               "(digest §4.3 item 4)");
        }
    }

  for (guint r = 0; r < N_CODINGS; r++)
    {
      g_autofree char *one_path = NULL;
      const char *value;

      if (found[r] == NULL)
        {
          JsonObject *coding = fcm_json_array_get_object (codings, r);
          gboolean old_spelling;

          if (coding != NULL &&
              coding_role_from_system (fcm_json_get_string (coding, "system"), &old_spelling) < 0)
            {
              found[r] = coding;
              found_index[r] = r;
              one_path = path_index (coding_path, r);
              add (c, WARNING, "C-63", one_path,
                   "No coding with system %s%s; read %s from position %u (IRA defines the "
                   "codings by index)", SYNCERROR_SYSTEM, coding_names[r], coding_names[r], r);
            }
          else
            {
              add (c, ERROR, rule, coding_path,
                   "details.coding lacks the %s coding (%s%s): %s",
                   coding_names[r], SYNCERROR_SYSTEM, coding_names[r], coding_meaning[r]);
              continue;
            }
        }

      if (one_path == NULL)
        one_path = path_index (coding_path, found_index[r]);

      value = require_string (c, found[r], one_path, "code", rule, ERROR, coding_meaning[r]);

      if (r == CODING_EVENT_NAME && value != NULL && c->role == FCM_VALIDATOR_ROLE_REQUEST &&
          (g_str_has_suffix (value, "-update") || g_str_has_suffix (value, "-select") ||
           g_str_has_suffix (value, "-UPDATE") || g_str_has_suffix (value, "-SELECT")))
        {
          g_autofree char *code_path = path_member (one_path, "code");

          add (c, WARNING, "C-61", code_path,
               "Subscribers must not use syncerror to reject %.*s%s (no syncerror for *-update or "
               "*-select)", SHOW (value));
        }
    }
}

static void
check_heartbeat (Check     *c,
                 EventInfo *ev)
{
  JsonObject *item;
  guint idx = 0;

  add (c, INFO, "C-69", ev->ev_path,
       "heartbeat is not part of FHIRcast STU3 (removed in June 2024); accepted as a liveness "
       "signal and acknowledged");

  if ((item = find_item (ev->context, "period", &idx)))
    {
      JsonNode *value = get_member (item, "decimal");
      g_autofree char *item_path = path_index (ev->ctx_path, idx);
      g_autofree char *value_path = path_member (item_path, "decimal");

      if (value == NULL)
        add (c, WARNING, "C-69", item_path, "The heartbeat 'period' is given as 'decimal'");
      else if (!(JSON_NODE_HOLDS_VALUE (value) &&
                 (json_node_get_value_type (value) == G_TYPE_INT64 ||
                  json_node_get_value_type (value) == G_TYPE_DOUBLE ||
                  json_node_get_value_type (value) == G_TYPE_STRING)))
        add (c, WARNING, "C-69", value_path,
             "The heartbeat period must be a number of seconds, got %s",
             fcm_json_node_type_name (value));
    }
}

/* ------------------------------------------------------------------------ */
/* Event messages (C-25, C-44, H-31)                                        */
/* ------------------------------------------------------------------------ */

static const char *
read_version (Check      *c,
              JsonObject *event,
              const char *ev_path,
              const char *dotted,
              const char *plain,
              gboolean   *out_present)
{
  g_autofree char *path = NULL;
  const char *name = dotted;
  JsonNode *node;

  *out_present = FALSE;

  if ((node = get_member (event, dotted)) == NULL &&
      (node = get_member (event, plain)) != NULL)
    {
      name = plain;
      path = path_member (ev_path, plain);
      add (c, WARNING, "C-25", path,
           "'%s' is the undotted spelling of FC §2.3's table; every example uses '%s' "
           "(digest §4.3 item 2)", plain, dotted);
    }

  if (node == NULL)
    return NULL;

  if (path == NULL)
    path = path_member (ev_path, name);

  if (JSON_NODE_HOLDS_NULL (node))
    {
      add (c, WARNING, "C-25", path, "'%s' is null; read as absent", name);
      return NULL;
    }

  *out_present = TRUE;

  if (!fcm_json_node_is_string (node))
    {
      add (c, ERROR, "C-25", path, "'%s' must be a string, got %s",
           name, fcm_json_node_type_name (node));
      return NULL;
    }

  if (*json_node_get_string (node) == '\0')
    {
      add (c, ERROR, "C-25", path, "'%s' must not be empty", name);
      return NULL;
    }

  return json_node_get_string (node);
}

static void
check_event_name (Check      *c,
                  const char *name,
                  const char *canonical,
                  const char *path)
{
  if (fcm_event_name_is_legacy (name))
    add (c, WARNING, "C-14", path,
         "'%.*s%s' is a 2019 prototype / May-2019 ballot event name (legacy); STU3 calls it '%s'",
         SHOW (name), canonical);
  else if (canonical == name)
    add (c, INFO, "H-22", path,
         "'%.*s%s' is not an event of the FHIRcast catalog; as a custom event only its generic "
         "shape is checked (hubs relay any valid event)", SHOW (name));
  else if (strcmp (name, canonical) != 0 && g_ascii_strcasecmp (name, "syncerror") != 0)
    add (c, INFO, "C-14", path,
         "Event names match case-insensitively, so '%.*s%s' is fine; the recommended spelling "
         "is '%s'", SHOW (name), canonical);
}

static void
validate_event_message (Check      *c,
                        JsonObject *message,
                        const char *base)
{
  const char *shape_rule = c->role == FCM_VALIDATOR_ROLE_REQUEST ? "C-44" : "H-31";
  g_autofree char *ts_path = path_member (base, "timestamp");
  g_autofree char *name_path = NULL;
  EventInfo ev = { NULL, };
  JsonNode *node;
  const char *timestamp;
  gboolean is_heartbeat;

  timestamp = require_string (c, message, base, "timestamp", shape_rule, ERROR,
                              "when the event happened, ISO 8601 in UTC");
  if (timestamp != NULL)
    check_timestamp (c, timestamp, ts_path, "C-25");

  require_string (c, message, base, "id", shape_rule, ERROR,
                  "the event id, unique per hub (a UUID)");

  ev.ev_path = path_member (base, "event");
  node = get_member (message, "event");

  if (node == NULL)
    {
      add (c, ERROR, shape_rule, ev.ev_path,
           "Required member 'event' is missing: {\"hub.topic\", \"hub.event\", \"context\"}");
      goto out;
    }

  if (!(ev.event = as_object (node)))
    {
      add (c, ERROR, shape_rule, ev.ev_path,
           "'event' must be an object {\"hub.topic\", \"hub.event\", \"context\"}, got %s",
           fcm_json_node_type_name (node));
      goto out;
    }

  ev.ctx_path = path_member (ev.ev_path, "context");
  name_path = path_member (ev.ev_path, "hub.event");

  require_string (c, ev.event, ev.ev_path, "hub.topic", "C-25", ERROR, "the session topic");
  ev.name = require_string (c, ev.event, ev.ev_path, "hub.event", "C-25", ERROR,
                            "the event name");
  ev.canonical = ev.name ? fcm_event_name_canonicalize (ev.name) : NULL;
  is_heartbeat = ev.canonical != NULL && g_ascii_strcasecmp (ev.canonical, "heartbeat") == 0;

  ev.version_id = read_version (c, ev.event, ev.ev_path, "context.versionId", "versionId",
                                &ev.has_version);
  ev.prior_version_id = read_version (c, ev.event, ev.ev_path, "context.priorVersionId",
                                      "priorVersionId", &ev.has_prior_version);
  ev.notification = c->role == FCM_VALIDATOR_ROLE_NOTIFICATION ||
                    (c->role == FCM_VALIDATOR_ROLE_ANY && ev.has_prior_version);

  node = get_member (ev.event, "context");
  if (node == NULL)
    add (c, is_heartbeat ? WARNING : ERROR, "C-25", ev.ctx_path,
         "Required member 'context' is missing (an empty context is [])");
  else if (!(ev.context = as_array (node)))
    add (c, ERROR, "C-25", ev.ctx_path, "'context' must be an array, got %s",
         fcm_json_node_type_name (node));
  else
    check_context_array (c, ev.context, ev.ctx_path);

  if (ev.name == NULL)
    goto out;

  check_event_name (c, ev.name, ev.canonical, name_path);

  if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN) == 0)
    check_dr_open (c, &ev);
  else if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE) == 0)
    check_dr_close (c, &ev);
  else if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE) == 0)
    check_dr_update (c, &ev);
  else if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT) == 0)
    check_dr_select (c, &ev);
  else if (g_ascii_strcasecmp (ev.canonical, FCM_EVENT_SYNCERROR) == 0)
    check_syncerror (c, &ev);
  else if (is_heartbeat)
    check_heartbeat (c, &ev);

out:
  g_free (ev.ev_path);
  g_free (ev.ctx_path);
}

static void
validate_legacy_event (Check      *c,
                       JsonObject *root)
{
  JsonNode *header = get_member (root, "header");
  JsonNode *body = get_member (root, "body");

  add (c, WARNING, "C-25", "$",
       "2019 prototype {\"header\", \"body\"} wrapper (legacy); STU3 sends the bare "
       "{\"timestamp\", \"id\", \"event\"}");

  if (header != NULL && as_object (header) == NULL)
    add (c, WARNING, "C-25", "$.header", "'header' should be an object of HTTP headers, got %s",
         fcm_json_node_type_name (header));

  if (as_object (body) == NULL)
    {
      add (c, ERROR, "C-25", "$.body",
           "'body' must be an object {\"timestamp\", \"id\", \"event\"}, got %s",
           fcm_json_node_type_name (body));
      return;
    }

  validate_event_message (c, as_object (body), "$.body");
}

/* ------------------------------------------------------------------------ */
/* Subscription messages (C-11 … C-20, C-40, H-05, H-14)                    */
/* ------------------------------------------------------------------------ */

static void
validate_confirmation (Check      *c,
                       JsonObject *root,
                       gboolean    denial)
{
  const char *rule = denial ? "C-20" : "C-19";
  const char *mode;
  const char *topic;
  const char *events;
  gboolean has_topic;
  gboolean has_events;
  JsonNode *lease;

  mode = read_string (c, root, "$", "hub.mode", rule, NULL);
  if (mode != NULL && strcmp (mode, denial ? "denied" : "subscribe") != 0)
    add (c, ERROR, rule, "$['hub.mode']",
         "A hub frame has 'hub.mode' \"subscribe\" (confirmation) or \"denied\" (denial), got "
         "'%.*s%s'", SHOW (mode));

  topic = read_string (c, root, "$", "hub.topic", rule, &has_topic);
  if (!has_topic)
    add (c, denial ? ERROR : WARNING, rule, "$['hub.topic']",
         denial ? "A denial names the 'hub.topic' it refers to"
                : "The confirmation has no 'hub.topic' (the sandbox.js hub omits it); "
                  "FHIRcast sends it");
  else if (topic != NULL && *topic == '\0')
    add (c, ERROR, rule, "$['hub.topic']", "'hub.topic' must not be empty");

  events = read_string (c, root, "$", "hub.events", rule, &has_events);
  if (!has_events)
    add (c, WARNING, rule, "$['hub.events']",
         denial ? "The denial has no 'hub.events'"
                : "The confirmation has no 'hub.events' (the sandbox.js hub omits it); without "
                  "it the granted event set is unknown");
  else if (events != NULL)
    check_events_list (c, events, "$['hub.events']", rule, FALSE);

  lease = get_member (root, "hub.lease_seconds");
  if (!denial)
    {
      if (lease == NULL)
        add (c, ERROR, rule, "$['hub.lease_seconds']",
             "The confirmation must carry 'hub.lease_seconds', the granted lease");
      else
        check_lease_node (c, lease, "$['hub.lease_seconds']", rule);
    }
  else
    {
      JsonNode *reason = get_member (root, "hub.reason");

      if (reason != NULL && !fcm_json_node_is_string (reason))
        add (c, ERROR, rule, "$['hub.reason']", "'hub.reason' must be a string, got %s",
             fcm_json_node_type_name (reason));
      if (lease != NULL)
        check_lease_node (c, lease, "$['hub.lease_seconds']", rule);
    }
}

static const char *
form_lookup (GHashTable *form,
             const char *name,
             gboolean   *out_present)
{
  gpointer value = NULL;

  *out_present = g_hash_table_lookup_extended (form, name, NULL, &value);

  return value != NULL ? value : (*out_present ? "" : NULL);
}

static gboolean
is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;

  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;

  return TRUE;
}

static void
check_form (Check      *c,
            GHashTable *form,
            const char *base)
{
  g_autofree char *mode_path = path_member (base, "hub.mode");
  g_autofree char *type_path = path_member (base, "hub.channel.type");
  g_autofree char *topic_path = path_member (base, "hub.topic");
  g_autofree char *events_path = path_member (base, "hub.events");
  g_autofree char *lease_path = path_member (base, "hub.lease_seconds");
  g_autofree char *endpoint_path = path_member (base, "hub.channel.endpoint");
  g_autofree char *name_path = path_member (base, "subscriber.name");
  const char *mode, *type, *topic, *events, *lease, *endpoint, *name;
  gboolean has_mode, has_type, has_topic, has_events, has_lease, has_endpoint, has_name;
  gboolean unsubscribe = FALSE;
  const char *rule;

  mode = form_lookup (form, "hub.mode", &has_mode);
  type = form_lookup (form, "hub.channel.type", &has_type);
  topic = form_lookup (form, "hub.topic", &has_topic);
  events = form_lookup (form, "hub.events", &has_events);
  lease = form_lookup (form, "hub.lease_seconds", &has_lease);
  endpoint = form_lookup (form, "hub.channel.endpoint", &has_endpoint);
  name = form_lookup (form, "subscriber.name", &has_name);

  if (!has_mode)
    add (c, ERROR, "H-05", mode_path,
         "'hub.mode' is required: \"subscribe\" or \"unsubscribe\"");
  else if (strcmp (mode, "unsubscribe") == 0)
    unsubscribe = TRUE;
  else if (strcmp (mode, "subscribe") != 0)
    add (c, ERROR, "H-05", mode_path,
         "'hub.mode' must be \"subscribe\" or \"unsubscribe\", got '%.*s%s'", SHOW (mode));

  rule = unsubscribe ? "H-14" : "H-05";

  if (!has_type)
    add (c, ERROR, rule, type_path,
         "'hub.channel.type' is required and must be \"websocket\" (IRA answers 400)");
  else if (strcmp (type, "websocket") != 0)
    add (c, ERROR, rule, type_path,
         "'hub.channel.type' must be \"websocket\", got '%.*s%s' (IRA answers 400)", SHOW (type));

  if (is_blank (topic))
    add (c, ERROR, rule, topic_path, "'hub.topic' is %s (IRA answers 400)",
         has_topic ? "empty" : "missing");
  else if (g_ascii_isspace (topic[0]) || g_ascii_isspace (topic[strlen (topic) - 1]))
    add (c, WARNING, "C-12", topic_path, "'hub.topic' has leading or trailing whitespace");

  if (!unsubscribe)
    {
      if (is_blank (events))
        add (c, ERROR, "H-05", events_path, "'hub.events' is %s on subscribe (IRA answers 400)",
             has_events ? "empty" : "missing");
      else
        check_events_list (c, events, events_path, "C-12", TRUE);

      if (!has_name)
        add (c, WARNING, "C-12", name_path,
             "IRA requires 'subscriber.name' (FC: optional; @medplum/core omits it); it "
             "identifies the subscriber in syncerrors");
      else if (is_blank (name))
        add (c, ERROR, "H-05", name_path, "'subscriber.name' is empty (IRA answers 400)");

      if (has_endpoint && !is_blank (endpoint))
        check_ws_url (c, endpoint, endpoint_path, "C-12", "'hub.channel.endpoint'");
      else if (has_endpoint)
        add (c, ERROR, "C-12", endpoint_path,
             "'hub.channel.endpoint' is empty; omit it for a new subscription");
    }
  else
    {
      if (is_blank (endpoint))
        add (c, ERROR, "H-14", endpoint_path,
             "'hub.channel.endpoint' is %s; unsubscribe needs the endpoint being cancelled "
             "(C-40, IRA answers 400)", has_endpoint ? "empty" : "missing");
      else
        check_ws_url (c, endpoint, endpoint_path, "H-14", "'hub.channel.endpoint'");
    }

  if (has_lease && !parse_positive (lease, NULL))
    add (c, ERROR, "C-12", lease_path,
         "'hub.lease_seconds' must be a positive integer number of seconds, got '%.*s%s'",
         SHOW (lease));

  if (g_hash_table_contains (form, "hub.lease"))
    {
      g_autofree char *wrong_path = path_member (base, "hub.lease");

      add (c, WARNING, "C-12", wrong_path,
           "'hub.lease' is not a FHIRcast parameter (some clients send it); the lease is "
           "'hub.lease_seconds'");
    }
}

static void
validate_subscription_request (Check      *c,
                               JsonObject *root)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) members = NULL;
  JsonObject *headers;
  JsonObject *form_obj;
  const char *method;
  const char *body;

  method = read_string (c, root, "$", "method", "C-11", NULL);
  if (method != NULL && strcmp (method, "POST") != 0)
    add (c, ERROR, "C-11", "$.method",
         "Subscribe and unsubscribe are POSTs to hub.url, got '%.*s%s'", SHOW (method));

  headers = read_object (c, root, "$", "headers", "C-11");
  if (headers != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (headers);

      for (const GList *l = names; l != NULL; l = l->next)
        {
          const char *header = l->data;
          const char *value;
          g_autofree char *header_path = NULL;

          if (g_ascii_strcasecmp (header, "Content-Type") != 0)
            continue;

          header_path = path_member ("$.headers", header);
          value = read_string (c, headers, "$.headers", header, "C-11", NULL);
          if (value != NULL && !str_has_prefix_ci (value, "application/x-www-form-urlencoded"))
            add (c, ERROR, "C-11", header_path,
                 "Subscribe and unsubscribe bodies are application/x-www-form-urlencoded, got "
                 "'%.*s%s'", SHOW (value));
        }
    }

  form_obj = read_object (c, root, "$", "form", "C-11");
  if (form_obj == NULL)
    return;

  members = json_object_get_members (form_obj);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (form_obj, name);

      if (fcm_json_node_is_string (value))
        {
          g_hash_table_insert (form, (gpointer) name, (gpointer) json_node_get_string (value));
        }
      else
        {
          g_autofree char *value_path = path_member ("$.form", name);

          add (c, ERROR, "C-11", value_path, "Form parameters are strings, got %s",
               fcm_json_node_type_name (value));
        }
    }

  check_form (c, form, "$.form");

  /* The exact wire body, when given, must decode to the same parameters,
   * each at most once (C-11). */
  body = read_string (c, root, "$", "body", "C-11", NULL);
  if (body != NULL)
    {
      g_autoptr(GHashTable) decoded = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, g_free);
      g_autoptr(GError) error = NULL;
      GUriParamsIter iter;
      char *attr;
      char *value;
      GHashTableIter hiter;
      gpointer key, form_value;

      g_uri_params_iter_init (&iter, body, -1, "&", G_URI_PARAMS_WWW_FORM);
      while (g_uri_params_iter_next (&iter, &attr, &value, &error))
        {
          if (g_hash_table_contains (decoded, attr))
            add (c, ERROR, "C-11", "$.body",
                 "Parameter '%.*s%s' appears more than once; each parameter appears at most once "
                 "and multiple values are comma-separated", SHOW (attr));
          g_hash_table_replace (decoded, attr, value);
        }

      if (error != NULL)
        {
          add (c, ERROR, "C-11", "$.body", "The body is not valid form-urlencoded data: %s",
               error->message);
          return;
        }

      g_hash_table_iter_init (&hiter, form);
      while (g_hash_table_iter_next (&hiter, &key, &form_value))
        {
          const char *wire = g_hash_table_lookup (decoded, key);

          if (g_strcmp0 (wire, form_value) != 0)
            add (c, WARNING, "C-11", "$.body",
                 "The wire body does not match 'form' for '%.*s%s'", SHOW ((const char *) key));
        }
    }
}

static void
validate_subscription_response (Check      *c,
                                JsonObject *root)
{
  const char *endpoint;

  endpoint = require_string (c, root, "$", "hub.channel.endpoint", "C-15", ERROR,
                             "the WebSocket URL to connect to");
  if (endpoint != NULL)
    check_ws_url (c, endpoint, "$['hub.channel.endpoint']", "C-15", "'hub.channel.endpoint'");
}

static void
validate_gettopic (Check      *c,
                   JsonObject *root)
{
  JsonNode *body = get_member (root, "responseBody");
  const char *method;

  add (c, WARNING, "C-01", "$",
       "2019 prototype GetTopic topic discovery (legacy); STU3 obtains hub.topic from the launch "
       "(SMART or otherwise)");

  method = read_string (c, root, "$", "method", "C-01", NULL);
  if (method != NULL && strcmp (method, "GET") != 0)
    add (c, WARNING, "C-01", "$.method", "GetTopic is a GET, got '%.*s%s'", SHOW (method));

  if (body != NULL && !fcm_json_node_is_string (body))
    add (c, ERROR, "C-01", "$.responseBody",
         "The GetTopic answer is the bare topic string, got %s", fcm_json_node_type_name (body));
  else if (body != NULL && is_blank (json_node_get_string (body)))
    add (c, ERROR, "C-01", "$.responseBody", "The GetTopic answer (the topic) is empty");
}

/* ------------------------------------------------------------------------ */
/* Acks and status frames (C-28, H-32)                                      */
/* ------------------------------------------------------------------------ */

static void
validate_ack (Check      *c,
              JsonObject *root)
{
  JsonNode *status = get_member (root, "status");
  JsonNode *timestamp = get_member (root, "timestamp");
  gboolean is_string;
  gint64 code;

  require_string (c, root, "$", "id", "C-28", ERROR, "the id of the acknowledged event");

  if (status == NULL)
    {
      add (c, WARNING, "C-28", "$.status",
           "The ack has no 'status' (as @medplum/core sends); FHIRcast acks carry the HTTP "
           "status code, e.g. \"200\"");
    }
  else
    {
      code = status_code_from_node (status, &is_string);

      if ((code < 100 || code > 599) && is_string)
        add (c, ERROR, "C-28", "$.status",
             "'status' must be an HTTP status code (200, 202, 409, 4xx, 5xx), got \"%.*s%s\"",
             SHOW (json_node_get_string (status)));
      else if (code < 100 || code > 599)
        add (c, ERROR, "C-28", "$.status",
             "'status' must be an HTTP status code (200, 202, 409, 4xx, 5xx), got %s%s",
             fcm_json_node_type_name (status), code > 0 ? " out of range" : "");
      else if (is_string)
        add (c, WARNING, "C-28", "$.status",
             "'status' is the string \"%" G_GINT64_FORMAT "\": FC's table says numeric HTTP status "
             "code while every example sends a string; hubs accept both (H-32, digest §4.3 "
             "item 1)", code);
    }

  if (timestamp != NULL && !fcm_json_node_is_string (timestamp))
    add (c, WARNING, "C-28", "$.timestamp", "'timestamp' should be a string, got %s",
         fcm_json_node_type_name (timestamp));
}

static void
validate_legacy_status (Check      *c,
                        JsonObject *root)
{
  JsonNode *status = get_member (root, "status");
  const char *code_name = "statusCode";
  JsonNode *code_node = get_member (root, "statusCode");
  const char *timestamp;
  gboolean is_string;

  add (c, WARNING, "C-28", "$",
       "2019 prototype status frame {\"timestamp\", \"status\", \"statusCode\"} (legacy); STU3 "
       "acknowledges with {\"id\", \"status\"}");

  if (code_node == NULL && (code_node = get_member (root, "statuscode")) != NULL)
    code_name = "statuscode";

  if (status != NULL && !fcm_json_node_is_string (status) && code_node == NULL)
    {
      /* {"status": 200} with neither id nor statusCode */
      code_node = status;
      code_name = "status";
    }
  else if (status != NULL && !fcm_json_node_is_string (status))
    {
      add (c, ERROR, "C-28", "$.status", "'status' must be a string such as \"OK\", got %s",
           fcm_json_node_type_name (status));
    }

  if (code_node == NULL)
    {
      add (c, WARNING, "C-28", "$.statusCode", "The status frame has no 'statusCode'");
    }
  else
    {
      g_autofree char *code_path = path_member ("$", code_name);
      gint64 code = status_code_from_node (code_node, &is_string);

      if (code < 100 || code > 599)
        add (c, ERROR, "C-28", code_path, "'%s' must be an HTTP status code, got %s",
             code_name, fcm_json_node_type_name (code_node));
    }

  timestamp = read_string (c, root, "$", "timestamp", "C-28", NULL);
  if (timestamp != NULL)
    check_timestamp (c, timestamp, "$.timestamp", "C-25");
}

/* ------------------------------------------------------------------------ */
/* Get Current Context (C-52, H-29)                                         */
/* ------------------------------------------------------------------------ */

static void
check_content_bundle (Check      *c,
                      JsonArray  *context,
                      const char *ctx_path,
                      gboolean    empty_context)
{
  g_autofree char *item_path = NULL;
  g_autofree char *res_path = NULL;
  g_autofree char *entry_path = NULL;
  JsonObject *item;
  JsonObject *bundle;
  const char *type;
  JsonArray *entries;
  guint idx = 0;

  if (!(item = find_item (context, "content", &idx)))
    {
      add (c, empty_context ? INFO : WARNING, "H-29", ctx_path,
           "No 'content' item: IRA requires a {\"key\": \"content\", \"resource\": <Bundle "
           "type=collection>} entry in the current context%s",
           empty_context ? " (with no entries when there is no content)" : "");
      return;
    }

  item_path = path_index (ctx_path, idx);
  res_path = path_member (item_path, "resource");
  if (!(bundle = fcm_json_get_object (item, "resource")))
    return; /* reported by the generic item check */

  if (g_strcmp0 (fcm_json_get_string (bundle, "resourceType"), "Bundle") != 0)
    {
      g_autofree char *type_path = path_member (res_path, "resourceType");

      add (c, ERROR, "H-29", type_path, "'content' must be a Bundle");
      return;
    }

  type = require_string (c, bundle, res_path, "type", "H-29", ERROR,
                         "the content Bundle has type 'collection'");
  if (type != NULL && strcmp (type, "collection") != 0)
    {
      g_autofree char *type_path = path_member (res_path, "type");

      add (c, ERROR, "H-29", type_path, "The content Bundle must have type 'collection', got "
           "'%.*s%s'", SHOW (type));
    }

  entry_path = path_member (res_path, "entry");
  entries = read_array (c, bundle, res_path, "entry", "H-29");
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      g_autofree char *one_path = path_index (entry_path, i);
      JsonObject *entry = fcm_json_array_get_object (entries, i);

      if (entry == NULL)
        add (c, ERROR, "H-29", one_path, "Bundle entries must be objects, got %s",
             fcm_json_node_type_name (json_array_get_element (entries, i)));
      else if (get_member (entry, "request") != NULL)
        {
          g_autofree char *request_path = path_member (one_path, "request");

          add (c, ERROR, "H-29", request_path,
               "Entries of the content Bundle carry no 'request' (it is a collection)");
        }
    }
}

static void
validate_current_context (Check    *c,
                          JsonNode *root)
{
  JsonObject *obj;
  JsonNode *node;
  JsonArray *context = NULL;
  const char *type;
  gboolean has_type;
  gboolean has_version;
  gboolean empty;

  if (as_array (root) != NULL)
    {
      add (c, WARNING, "C-52", "$",
           "A bare context array (as the sandbox.js hub answers); Get Current Context returns "
           "{\"context.type\", \"context.versionId\", \"context\"}");
      check_context_array (c, as_array (root), "$");
      return;
    }

  obj = as_object (root);

  /* 2019 prototype: {timestamp, id, event: {hub.topic, context}} */
  if ((node = get_member (obj, "event")) != NULL && as_object (node) != NULL)
    {
      JsonObject *event = as_object (node);
      const char *timestamp;

      add (c, WARNING, "C-52", "$",
           "2019 prototype current-context shape {\"timestamp\", \"id\", \"event\"} (legacy); "
           "STU3 answers {\"context.type\", \"context.versionId\", \"context\"}");

      timestamp = read_string (c, obj, "$", "timestamp", "C-25", NULL);
      if (timestamp != NULL)
        check_timestamp (c, timestamp, "$.timestamp", "C-25");
      read_string (c, event, "$.event", "hub.topic", "C-25", NULL);

      if ((context = read_array (c, event, "$.event", "context", "C-52")) != NULL)
        check_context_array (c, context, "$.event.context");
      else if (get_member (event, "context") == NULL)
        add (c, ERROR, "C-52", "$.event.context", "Required member 'context' is missing");
      return;
    }

  context = read_array (c, obj, "$", "context", "C-52");
  if (context == NULL && get_member (obj, "context") == NULL)
    add (c, ERROR, "C-52", "$.context",
         "Required member 'context' is missing (an empty current context is [])");
  if (context != NULL)
    check_context_array (c, context, "$.context");

  empty = context == NULL || json_array_get_length (context) == 0;

  type = read_string (c, obj, "$", "context.type", "C-52", &has_type);
  if (!has_type)
    add (c, ERROR, "C-52", "$['context.type']",
         "Required member 'context.type' is missing (the anchor resource type, or \"\")");
  else if (type != NULL && *type == '\0' && !empty)
    add (c, WARNING, "C-52", "$['context.type']",
         "'context.type' is empty but the context is not");
  else if (type != NULL && *type != '\0' && empty && context != NULL)
    add (c, WARNING, "C-52", "$['context.type']",
         "'context.type' is '%.*s%s' but the context is empty", SHOW (type));
  else if (type != NULL && *type != '\0' && !g_ascii_isupper (*type))
    add (c, WARNING, "C-52", "$['context.type']",
         "'context.type' should be a FHIR resource type such as 'DiagnosticReport', got '%.*s%s'",
         SHOW (type));

  read_string (c, obj, "$", "context.versionId", "C-52", &has_version);
  if (!has_version)
    {
      if (empty)
        add (c, INFO, "C-52", "$['context.versionId']",
             "'context.versionId' is omitted; accepted for an empty context (digest §4.3 item 12)");
      else
        add (c, ERROR, "C-52", "$['context.versionId']",
             "Required member 'context.versionId' is missing; it is needed to detect missed "
             "updates (C-33)");
    }

  if (context != NULL)
    check_content_bundle (c, context, "$.context", empty);
}

/* ------------------------------------------------------------------------ */
/* Configuration (C-05, H-01) and Backport (digest §4.2)                    */
/* ------------------------------------------------------------------------ */

static void
validate_configuration (Check      *c,
                        JsonObject *root)
{
  JsonArray *events;
  JsonObject *capabilities;
  JsonNode *node;
  gboolean websocket;
  gboolean has_current = FALSE;

  events = read_array (c, root, "$", "eventsSupported", "H-01");
  if (events == NULL && get_member (root, "eventsSupported") == NULL)
    add (c, ERROR, "H-01", "$.eventsSupported",
         "Required member 'eventsSupported' (array of event names) is missing");
  else if (events != NULL)
    {
      if (json_array_get_length (events) == 0)
        add (c, WARNING, "H-01", "$.eventsSupported", "'eventsSupported' lists no event");

      for (guint i = 0; i < json_array_get_length (events); i++)
        if (fcm_json_array_get_string (events, i) == NULL)
          {
            g_autofree char *one_path = path_index ("$.eventsSupported", i);

            add (c, ERROR, "H-01", one_path, "Event names are strings, got %s",
                 fcm_json_node_type_name (json_array_get_element (events, i)));
          }
    }

  node = get_member (root, "websocketSupport");
  if (node == NULL)
    add (c, ERROR, "H-01", "$.websocketSupport", "'websocketSupport': true is required");
  else if (!fcm_json_get_bool (root, "websocketSupport", &websocket))
    add (c, ERROR, "H-01", "$.websocketSupport", "'websocketSupport' must be a boolean, got %s",
         fcm_json_node_type_name (node));
  else if (!websocket)
    add (c, ERROR, "H-01", "$.websocketSupport",
         "'websocketSupport' must be true: FHIRcast STU3 is WebSocket only");

  node = get_member (root, "fhircastVersion");
  if (node == NULL)
    add (c, WARNING, "H-01", "$.fhircastVersion",
         "'fhircastVersion' (e.g. \"3.0.0\") SHOULD be present");
  else if (!fcm_json_node_is_string (node))
    add (c, ERROR, "H-01", "$.fhircastVersion", "'fhircastVersion' must be a string, got %s",
         fcm_json_node_type_name (node));

  if ((node = get_member (root, "getCurrentSupport")) != NULL)
    {
      has_current = TRUE;
      if (!fcm_json_get_bool (root, "getCurrentSupport", NULL))
        add (c, ERROR, "C-05", "$.getCurrentSupport",
             "'getCurrentSupport' must be a boolean, got %s", fcm_json_node_type_name (node));
    }

  capabilities = read_object (c, root, "$", "capabilities", "C-05");
  if (capabilities != NULL)
    {
      static const char * const flags[] = {
        "supportsGetCurrentContext",
        "supportsNonCurrentContextUpdates",
      };

      for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
        {
          if ((node = get_member (capabilities, flags[i])) == NULL)
            continue;
          if (i == 0)
            has_current = TRUE;
          if (!fcm_json_get_bool (capabilities, flags[i], NULL))
            {
              g_autofree char *flag_path = path_member ("$.capabilities", flags[i]);

              add (c, ERROR, "C-05", flag_path, "'%s' must be a boolean, got %s",
                   flags[i], fcm_json_node_type_name (node));
            }
        }
    }

  if (!has_current)
    add (c, INFO, "H-01", "$",
         "Neither 'getCurrentSupport' nor 'capabilities.supportsGetCurrentContext' is given; "
         "hubs should include both");

  if (get_member (root, "webhookSupport") != NULL)
    add (c, INFO, "C-05", "$.webhookSupport",
         "'webhookSupport' is ignored (STU3 is WebSocket only)");

  if ((node = get_member (root, "fhirVersion")) != NULL && !fcm_json_node_is_string (node))
    add (c, WARNING, "C-05", "$.fhirVersion", "'fhirVersion' should be a string, got %s",
         fcm_json_node_type_name (node));
}

static void
validate_backport (Check      *c,
                   JsonObject *root)
{
  const char *resource_type = fcm_json_get_string (root, "resourceType");
  JsonObject *first;
  const char *bundle_type;
  const char *type;

  if (g_strcmp0 (resource_type, "Bundle") == 0)
    {
      JsonArray *entries = fcm_json_get_array (root, "entry");

      first = fcm_json_get_object (fcm_json_array_get_object (entries, 0), "resource");
      type = fcm_json_get_string (first, "type");
      bundle_type = fcm_json_get_string (root, "type");
      if (type == NULL)
        type = "?";
      if (bundle_type == NULL)
        bundle_type = "?";
      add (c, INFO, "C-25", "$",
           "FHIR Subscriptions R5 Backport notification Bundle (type %.*s%s, status type %.*s%s): "
           "recognised only, not a FHIRcast message (digest §4.2)",
           SHOW (bundle_type), SHOW (type));
    }
  else if (resource_type != NULL)
    {
      add (c, INFO, "C-25", "$",
           "FHIR Subscriptions R5 Backport %.*s%s (e.g. a $get-ws-binding-token answer): "
           "recognised only, not a FHIRcast message (digest §4.2)", SHOW (resource_type));
    }
  else
    {
      add (c, INFO, "C-25", "$",
           "FHIR Subscriptions R5 Backport bind-with-token message: recognised only, not a "
           "FHIRcast message (digest §4.2)");
    }
}

/* ------------------------------------------------------------------------ */
/* Classification                                                           */
/* ------------------------------------------------------------------------ */

static gboolean
has (JsonObject *object,
     const char *member)
{
  return object != NULL && json_object_has_member (object, member);
}

static gboolean
has_key_object (JsonArray *array,
                guint      index_)
{
  JsonObject *item = fcm_json_array_get_object (array, index_);

  return item != NULL && json_object_has_member (item, "key");
}

/**
 * fcm_validator_classify:
 * @root: (nullable): a parsed message
 *
 * Works out what kind of message @root is, in the order of digest §4.4:
 * prototype wrapper, Backport resource, hub frames (`hub.mode`), HTTP
 * envelope fixtures, events, current-context answers, subscription
 * response, configuration, acks, prototype status frames.
 *
 * Returns: the message kind
 */
FcmMessageKind
fcm_validator_classify (JsonNode *root)
{
  JsonObject *obj;
  JsonNode *node;
  const char *resource_type;

  if (root == NULL)
    return FCM_MESSAGE_UNKNOWN;

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = as_array (root);

      if (array == NULL)
        return FCM_MESSAGE_UNKNOWN;

      /* sandbox.js answers Get Current Context with a bare context array */
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!has_key_object (array, i))
          return FCM_MESSAGE_UNKNOWN;
      return FCM_MESSAGE_CURRENT_CONTEXT;
    }

  if (!(obj = as_object (root)))
    return FCM_MESSAGE_UNKNOWN;


  if (has (obj, "header") && has (obj, "body") && !has (obj, "event"))
    return FCM_MESSAGE_LEGACY_EVENT;

  resource_type = fcm_json_get_string (obj, "resourceType");
  if (resource_type != NULL)
    {
      if (strcmp (resource_type, "Bundle") == 0 || strcmp (resource_type, "Parameters") == 0 ||
          strcmp (resource_type, "SubscriptionStatus") == 0 ||
          strcmp (resource_type, "Subscription") == 0)
        return FCM_MESSAGE_BACKPORT;
      return FCM_MESSAGE_UNKNOWN;
    }

  if (g_strcmp0 (fcm_json_get_string (obj, "type"), "bind-with-token") == 0 ||
      has (obj, "jsonFrameVariant") || has (obj, "textFrame"))
    return FCM_MESSAGE_BACKPORT;

  if (has (obj, "hub.mode"))
    {
      if (g_strcmp0 (fcm_json_get_string (obj, "hub.mode"), "denied") == 0)
        return FCM_MESSAGE_DENIAL;
      return FCM_MESSAGE_CONFIRMATION;
    }

  if (has (obj, "method") && has (obj, "url"))
    {
      const char *url = fcm_json_get_string (obj, "url");

      if (has (obj, "form"))
        return FCM_MESSAGE_SUBSCRIPTION_REQUEST;
      if (has (obj, "responseBody") ||
          (url != NULL &&
           (strstr (url, "gettopic") != NULL || strstr (url, "/authenticate") != NULL)))
        return FCM_MESSAGE_GETTOPIC;
      return FCM_MESSAGE_UNKNOWN;
    }

  if ((node = get_member (obj, "event")) != NULL)
    {
      /* 2019 prototype Get Current Context: an event without a name */
      if (as_object (node) != NULL)
        {
          JsonObject *event = as_object (node);

          if (!has (event, "hub.event") && fcm_json_get_array (event, "context") != NULL)
            return FCM_MESSAGE_CURRENT_CONTEXT;
        }
      return FCM_MESSAGE_EVENT;
    }

  if (has (obj, "context.type") || has (obj, "context.versionId") || has (obj, "context"))
    return FCM_MESSAGE_CURRENT_CONTEXT;

  if (has (obj, "hub.channel.endpoint"))
    return FCM_MESSAGE_SUBSCRIPTION_RESPONSE;

  if (has (obj, "eventsSupported") || has (obj, "websocketSupport") ||
      has (obj, "fhircastVersion") || has (obj, "getCurrentSupport"))
    return FCM_MESSAGE_CONFIGURATION;

  if (has (obj, "id"))
    return FCM_MESSAGE_ACK;

  if (has (obj, "status") || has (obj, "statusCode") || has (obj, "statuscode"))
    return FCM_MESSAGE_LEGACY_STATUS;

  return FCM_MESSAGE_UNKNOWN;
}

/**
 * fcm_message_kind_to_string:
 *
 * Returns: a short name such as "event" or "confirmation"
 */
const char *
fcm_message_kind_to_string (FcmMessageKind kind)
{
  switch (kind)
    {
    case FCM_MESSAGE_UNKNOWN:
      return "unknown";
    case FCM_MESSAGE_EVENT:
      return "event";
    case FCM_MESSAGE_LEGACY_EVENT:
      return "legacy-event";
    case FCM_MESSAGE_CONFIRMATION:
      return "confirmation";
    case FCM_MESSAGE_DENIAL:
      return "denial";
    case FCM_MESSAGE_ACK:
      return "ack";
    case FCM_MESSAGE_LEGACY_STATUS:
      return "legacy-status";
    case FCM_MESSAGE_CURRENT_CONTEXT:
      return "current-context";
    case FCM_MESSAGE_SUBSCRIPTION_REQUEST:
      return "subscription-request";
    case FCM_MESSAGE_SUBSCRIPTION_RESPONSE:
      return "subscription-response";
    case FCM_MESSAGE_CONFIGURATION:
      return "configuration";
    case FCM_MESSAGE_BACKPORT:
      return "backport";
    case FCM_MESSAGE_GETTOPIC:
      return "gettopic";
    default:
      return "unknown";
    }
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */
/* ------------------------------------------------------------------------ */

static void
fcm_validator_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FcmValidator *self = FCM_VALIDATOR (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_validator_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FcmValidator *self = FCM_VALIDATOR (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      fcm_validator_set_role (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_validator_class_init (FcmValidatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fcm_validator_get_property;
  object_class->set_property = fcm_validator_set_property;

  /**
   * FcmValidator:role:
   *
   * Whether events are checked as context-change requests, as hub
   * notifications, or inferred from the message.
   */
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       FCM_TYPE_VALIDATOR_ROLE,
                       FCM_VALIDATOR_ROLE_ANY,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fcm_validator_init (FcmValidator *self)
{
  self->role = FCM_VALIDATOR_ROLE_ANY;
}

FcmValidator *
fcm_validator_new (void)
{
  return g_object_new (FCM_TYPE_VALIDATOR, NULL);
}

void
fcm_validator_set_role (FcmValidator     *self,
                        FcmValidatorRole  role)
{
  g_return_if_fail (FCM_IS_VALIDATOR (self));
  g_return_if_fail (role <= FCM_VALIDATOR_ROLE_NOTIFICATION);

  if (self->role == role)
    return;

  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

FcmValidatorRole
fcm_validator_get_role (FcmValidator *self)
{
  g_return_val_if_fail (FCM_IS_VALIDATOR (self), FCM_VALIDATOR_ROLE_ANY);
  return self->role;
}

/**
 * fcm_validator_validate:
 * @self: a #FcmValidator
 * @root: (nullable): a parsed message
 * @out_kind: (out) (optional): the kind the message was validated as
 *
 * Returns: (transfer container) (element-type FcmIssue): the issues found;
 *   never %NULL, empty when the message is valid
 */
GPtrArray *
fcm_validator_validate (FcmValidator   *self,
                        JsonNode       *root,
                        FcmMessageKind *out_kind)
{
  FcmMessageKind kind;
  Check c;

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);

  kind = fcm_validator_classify (root);

  /* With an explicit role the message is expected to be an event: then
   * {timestamp, id, event} lacking hub.event is not a 2019 current context,
   * and {timestamp, id} without status is not a Medplum-style ack but an
   * event lacking 'event'. */
  if (self->role != FCM_VALIDATOR_ROLE_ANY && as_object (root) != NULL)
    {
      JsonObject *obj = as_object (root);

      if (kind == FCM_MESSAGE_CURRENT_CONTEXT && json_object_has_member (obj, "event"))
        kind = FCM_MESSAGE_EVENT;
      else if (kind == FCM_MESSAGE_ACK && json_object_has_member (obj, "timestamp") &&
               !json_object_has_member (obj, "status"))
        kind = FCM_MESSAGE_EVENT;
    }

  check_init (&c, self->role);

  switch (kind)
    {
    case FCM_MESSAGE_EVENT:
      validate_event_message (&c, as_object (root), "$");
      break;

    case FCM_MESSAGE_LEGACY_EVENT:
      validate_legacy_event (&c, as_object (root));
      break;

    case FCM_MESSAGE_CONFIRMATION:
      validate_confirmation (&c, as_object (root), FALSE);
      break;

    case FCM_MESSAGE_DENIAL:
      validate_confirmation (&c, as_object (root), TRUE);
      break;

    case FCM_MESSAGE_ACK:
      validate_ack (&c, as_object (root));
      break;

    case FCM_MESSAGE_LEGACY_STATUS:
      validate_legacy_status (&c, as_object (root));
      break;

    case FCM_MESSAGE_CURRENT_CONTEXT:
      validate_current_context (&c, root);
      break;

    case FCM_MESSAGE_SUBSCRIPTION_REQUEST:
      validate_subscription_request (&c, as_object (root));
      break;

    case FCM_MESSAGE_SUBSCRIPTION_RESPONSE:
      validate_subscription_response (&c, as_object (root));
      break;

    case FCM_MESSAGE_CONFIGURATION:
      validate_configuration (&c, as_object (root));
      break;

    case FCM_MESSAGE_BACKPORT:
      validate_backport (&c, as_object (root));
      break;

    case FCM_MESSAGE_GETTOPIC:
      validate_gettopic (&c, as_object (root));
      break;

    case FCM_MESSAGE_UNKNOWN:
    default:
      if (root == NULL)
        add (&c, ERROR, "C-25", "$", "No message");
      else if (!JSON_NODE_HOLDS_OBJECT (root))
        add (&c, ERROR, "C-25", "$", "A FHIRcast message is a JSON object, got %s",
             fcm_json_node_type_name (root));
      else
        add (&c, ERROR, "C-25", "$",
             "Not a recognised FHIRcast message: expected an event {\"timestamp\", \"id\", "
             "\"event\"}, a hub frame {\"hub.mode\", …}, an ack {\"id\", \"status\"} or a "
             "current-context answer {\"context.type\", \"context\"}");
      kind = FCM_MESSAGE_UNKNOWN;
      break;
    }

  if (out_kind != NULL)
    *out_kind = kind;

  return check_finish (&c);
}

/**
 * fcm_validator_validate_text:
 * @self: a #FcmValidator
 * @text: the message text
 * @length: length of @text, or -1 if NUL-terminated
 * @out_kind: (out) (optional): the kind the message was validated as
 *
 * Like fcm_validator_validate() for unparsed text. Text that is not JSON
 * (bad syntax, invalid UTF-8, too large or too deep) gives a single error
 * with rule id "JSON".
 *
 * Returns: (transfer container) (element-type FcmIssue): the issues found
 */
GPtrArray *
fcm_validator_validate_text (FcmValidator   *self,
                             const char     *text,
                             gssize          length,
                             FcmMessageKind *out_kind)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *issues;

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);

  if (!(root = fcm_json_parse (text, length, &error)))
    {
      if (out_kind != NULL)
        *out_kind = FCM_MESSAGE_UNKNOWN;

      issues = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (issues, fcm_issue_new (ERROR, "JSON", "$", error->message));
      return issues;
    }

  return fcm_validator_validate (self, root, out_kind);
}

/**
 * fcm_validator_validate_event:
 * @self: a #FcmValidator
 * @event: a parsed event
 *
 * Validates the message @event was parsed from (including a 2019
 * prototype wrapper).
 *
 * Returns: (transfer container) (element-type FcmIssue): the issues found
 */
GPtrArray *
fcm_validator_validate_event (FcmValidator *self,
                              FcmEvent     *event)
{
  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (FCM_IS_EVENT (event), NULL);

  return fcm_validator_validate (self, fcm_event_get_root (event), NULL);
}

/**
 * fcm_validator_validate_form:
 * @self: a #FcmValidator
 * @form: (element-type utf8 utf8): decoded subscribe/unsubscribe parameters
 *
 * Checks a subscribe or unsubscribe form as the hub receives it (C-12,
 * C-13, C-40, H-05, H-14).
 *
 * Returns: (transfer container) (element-type FcmIssue): the issues found
 */
GPtrArray *
fcm_validator_validate_form (FcmValidator *self,
                             GHashTable   *form)
{
  Check c;

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);

  check_init (&c, self->role);

  if (form == NULL)
    add (&c, ERROR, "H-05", "$", "No form parameters");
  else
    check_form (&c, form, "$");

  return check_finish (&c);
}

/**
 * fcm_validator_validate_message:
 * @self: a #FcmValidator
 * @message: a received message
 * @out_kind: (out) (optional): the kind the message was validated as
 *
 * Like fcm_validator_validate() on the tree @message was parsed into, so
 * that a received frame is parsed only once. A message that is not JSON
 * gives the single "JSON" error of fcm_validator_validate_text().
 *
 * Returns: (transfer container) (element-type FcmIssue): the issues found
 */
GPtrArray *
fcm_validator_validate_message (FcmValidator   *self,
                                FcmMessage     *message,
                                FcmMessageKind *out_kind)
{
  const GError *error;
  GPtrArray *issues;

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  if (fcm_message_get_root (message) != NULL)
    return fcm_validator_validate (self, fcm_message_get_root (message), out_kind);

  error = fcm_message_get_error (message);
  if (out_kind != NULL)
    *out_kind = FCM_MESSAGE_UNKNOWN;
  issues = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (issues, fcm_issue_new (FCM_SEVERITY_ERROR, "JSON", "$",
                                          error != NULL ? error->message : "Not JSON"));
  return issues;
}
