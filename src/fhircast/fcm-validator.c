/* fcm-validator.c: conformance checks for FHIRcast messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-validator-private.h"

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
/* IRA RAD-146: the events a subscription must at least ask for (C-12). */
static const char * const ira_required_events[] = {
  "DiagnosticReport-open",
  "DiagnosticReport-close",
  "DiagnosticReport-update",
  "DiagnosticReport-select",
  "syncerror",
};

static gboolean
str_has_prefix_ci (const char *s,
                   const char *prefix)
{
  return s != NULL && g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

/* ------------------------------------------------------------------------ */
/* Shared value checks                                                      */
/* ------------------------------------------------------------------------ */

/* hub.lease_seconds as a JSON member: a positive integer number (C-19). */
static void
check_lease_node (FcmCheck   *c,
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
        fcm_check_add (c, ERROR, rule, path,
                       "'hub.lease_seconds' must be a positive integer number of seconds, got %g",
                       d);
      return;
    }

  if (fcm_json_node_is_string (node))
    {
      const char *s = json_node_get_string (node);

      if (fcm_parse_positive (s, NULL))
        fcm_check_add (c, WARNING, rule, path,
                       "'hub.lease_seconds' is the string \"%.*s%s\"; it should be a number",
                       SHOW (s));
      else
        fcm_check_add (c, ERROR, rule, path,
                       "'hub.lease_seconds' must be a positive integer, got \"%.*s%s\"", SHOW (s));
      return;
    }

  fcm_check_add (c, ERROR, rule, path, "'hub.lease_seconds' must be a positive integer, got %s",
                 fcm_json_node_type_name (node));
}

static void
check_ws_url (FcmCheck   *c,
              const char *url,
              const char *path,
              const char *rule,
              const char *what)
{
  g_autofree char *stripped = g_strstrip (g_strdup (url));

  if (strcmp (stripped, url) != 0)
    fcm_check_add (c, WARNING, rule, path,
                   "%s has leading or trailing whitespace; it is trimmed before comparing "
                   "endpoints (digest §4.3 item 13)", what);

  if (str_has_prefix_ci (stripped, "wss://"))
    {
      if (!g_uri_is_valid (stripped, G_URI_FLAGS_NONE, NULL))
        fcm_check_add (c, ERROR, rule, path, "%s '%.*s%s' is not a valid URL", what,
                       SHOW (stripped));
    }
  else if (str_has_prefix_ci (stripped, "ws://"))
    {
      if (!g_uri_is_valid (stripped, G_URI_FLAGS_NONE, NULL))
        fcm_check_add (c, ERROR, rule, path, "%s '%.*s%s' is not a valid URL", what,
                       SHOW (stripped));
      else
        fcm_check_add (c, WARNING, "C-06", path,
                       "%s uses ws://; FHIRcast requires wss:// (plain ws is for a loopback test "
                       "hub only)", what);
    }
  else
    {
      fcm_check_add (c, ERROR, rule, path, "%s must be a wss:// WebSocket URL, got '%.*s%s'",
                     what, SHOW (stripped));
    }
}

/* A comma-separated hub.events list (C-12, C-13, C-14). */
static void
check_events_list (FcmCheck   *c,
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
          fcm_check_add (c, WARNING, "C-13", path,
                         "hub.events contains an empty entry at position %u", i);
          continue;
        }

      n_names++;

      if (strchr (name, '*') != NULL)
        {
          fcm_check_add (c, is_subscribe_request ? ERROR : WARNING, "C-13", path,
                         "hub.events entry '%.*s%s' is a wildcard; wildcards are spec shorthand "
                         "only and hubs do not accept them", SHOW (name));
          continue;
        }

      /* hub.events is a case-insensitive set (H-06) */
      for (guint j = 0; j < seen->len && !duplicate; j++)
        duplicate = g_ascii_strcasecmp (g_ptr_array_index (seen, j), name) == 0;

      if (duplicate)
        fcm_check_add (c, WARNING, "C-13", path,
                       "hub.events lists '%.*s%s' more than once (names compare "
                       "case-insensitively, C-14)", SHOW (name));
      else
        g_ptr_array_add (seen, name);

      if (fcm_event_name_is_legacy (name))
        fcm_check_add (c, WARNING, "C-14", path,
                       "hub.events entry '%.*s%s' is a 2019 prototype event name; STU3 calls it "
                       "'%s'", SHOW (name), fcm_event_name_canonicalize (name));
    }

  if (n_names == 0)
    {
      fcm_check_add (c, is_subscribe_request ? ERROR : WARNING,
                     is_subscribe_request ? "H-05" : rule, path, "hub.events lists no event");
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
    fcm_check_add (c, WARNING, "C-12", path,
                   "IRA requires hub.events to include at least "
                   "DiagnosticReport-open/-close/-update/-select and syncerror; missing: %s",
                   missing->str);
}

/* ------------------------------------------------------------------------ */
/* heartbeat                                                                */
/* ------------------------------------------------------------------------ */

void
fcm_check_heartbeat (FcmCheck     *c,
                     FcmEventInfo *ev)
{
  JsonObject *item;
  guint idx = 0;

  fcm_check_add (c, INFO, "C-69", ev->ev_path,
                 "heartbeat is not part of FHIRcast STU3 (removed in June 2024); accepted as a "
                 "liveness signal and acknowledged");

  if ((item = fcm_find_item (ev->context, "period", &idx)))
    {
      JsonNode *value = fcm_get_member (item, "decimal");
      g_autofree char *item_path = fcm_path_index (ev->ctx_path, idx);
      g_autofree char *value_path = fcm_path_member (item_path, "decimal");

      if (value == NULL)
        fcm_check_add (c, WARNING, "C-69", item_path,
                       "The heartbeat 'period' is given as 'decimal'");
      else if (!(JSON_NODE_HOLDS_VALUE (value) &&
                 (json_node_get_value_type (value) == G_TYPE_INT64 ||
                  json_node_get_value_type (value) == G_TYPE_DOUBLE ||
                  json_node_get_value_type (value) == G_TYPE_STRING)))
        fcm_check_add (c, WARNING, "C-69", value_path,
                       "The heartbeat period must be a number of seconds, got %s",
                       fcm_json_node_type_name (value));
    }
}

/* ------------------------------------------------------------------------ */
/* Legacy events                                                            */
/* ------------------------------------------------------------------------ */

void
fcm_validate_legacy_event (FcmCheck   *c,
                           JsonObject *root)
{
  JsonNode *header = fcm_get_member (root, "header");
  JsonNode *body = fcm_get_member (root, "body");

  fcm_check_add (c, WARNING, "C-25", "$",
                 "2019 prototype {\"header\", \"body\"} wrapper (legacy); STU3 sends the bare "
                 "{\"timestamp\", \"id\", \"event\"}");

  if (header != NULL && fcm_as_object (header) == NULL)
    fcm_check_add (c, WARNING, "C-25", "$.header",
                   "'header' should be an object of HTTP headers, got %s",
                   fcm_json_node_type_name (header));

  if (fcm_as_object (body) == NULL)
    {
      fcm_check_add (c, ERROR, "C-25", "$.body",
                     "'body' must be an object {\"timestamp\", \"id\", \"event\"}, got %s",
                     fcm_json_node_type_name (body));
      return;
    }

  fcm_validate_event_message (c, fcm_as_object (body), "$.body");
}

/* ------------------------------------------------------------------------ */
/* Subscription messages (C-11 … C-20, C-40, H-05, H-14)                    */
/* ------------------------------------------------------------------------ */

void
fcm_validate_confirmation (FcmCheck   *c,
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

  mode = fcm_check_read_string (c, root, "$", "hub.mode", rule, NULL);
  if (mode != NULL && strcmp (mode, denial ? "denied" : "subscribe") != 0)
    fcm_check_add (c, ERROR, rule, "$['hub.mode']",
                   "A hub frame has 'hub.mode' \"subscribe\" (confirmation) or \"denied\" "
                   "(denial), got '%.*s%s'", SHOW (mode));

  topic = fcm_check_read_string (c, root, "$", "hub.topic", rule, &has_topic);
  if (!has_topic)
    fcm_check_add (c, denial ? ERROR : WARNING, rule, "$['hub.topic']",
                   denial ? "A denial names the 'hub.topic' it refers to"
                : "The confirmation has no 'hub.topic' (the sandbox.js hub omits it); "
                  "FHIRcast sends it");
  else if (topic != NULL && *topic == '\0')
    fcm_check_add (c, ERROR, rule, "$['hub.topic']", "'hub.topic' must not be empty");

  events = fcm_check_read_string (c, root, "$", "hub.events", rule, &has_events);
  if (!has_events)
    fcm_check_add (c, WARNING, rule, "$['hub.events']",
                   denial ? "The denial has no 'hub.events'"
                : "The confirmation has no 'hub.events' (the sandbox.js hub omits it); without "
                  "it the granted event set is unknown");
  else if (events != NULL)
    check_events_list (c, events, "$['hub.events']", rule, FALSE);

  lease = fcm_get_member (root, "hub.lease_seconds");
  if (!denial)
    {
      if (lease == NULL)
        fcm_check_add (c, ERROR, rule, "$['hub.lease_seconds']",
                       "The confirmation must carry 'hub.lease_seconds', the granted lease");
      else
        check_lease_node (c, lease, "$['hub.lease_seconds']", rule);
    }
  else
    {
      JsonNode *reason = fcm_get_member (root, "hub.reason");

      if (reason != NULL && !fcm_json_node_is_string (reason))
        fcm_check_add (c, ERROR, rule, "$['hub.reason']", "'hub.reason' must be a string, got %s",
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

void
fcm_check_form (FcmCheck   *c,
                GHashTable *form,
                const char *base)
{
  g_autofree char *mode_path = fcm_path_member (base, "hub.mode");
  g_autofree char *type_path = fcm_path_member (base, "hub.channel.type");
  g_autofree char *topic_path = fcm_path_member (base, "hub.topic");
  g_autofree char *events_path = fcm_path_member (base, "hub.events");
  g_autofree char *lease_path = fcm_path_member (base, "hub.lease_seconds");
  g_autofree char *endpoint_path = fcm_path_member (base, "hub.channel.endpoint");
  g_autofree char *name_path = fcm_path_member (base, "subscriber.name");
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
    fcm_check_add (c, ERROR, "H-05", mode_path,
                   "'hub.mode' is required: \"subscribe\" or \"unsubscribe\"");
  else if (strcmp (mode, "unsubscribe") == 0)
    unsubscribe = TRUE;
  else if (strcmp (mode, "subscribe") != 0)
    fcm_check_add (c, ERROR, "H-05", mode_path,
                   "'hub.mode' must be \"subscribe\" or \"unsubscribe\", got '%.*s%s'",
                   SHOW (mode));

  rule = unsubscribe ? "H-14" : "H-05";

  if (!has_type)
    fcm_check_add (c, ERROR, rule, type_path,
                   "'hub.channel.type' is required and must be \"websocket\" (IRA answers 400)");
  else if (strcmp (type, "websocket") != 0)
    fcm_check_add (c, ERROR, rule, type_path,
                   "'hub.channel.type' must be \"websocket\", got '%.*s%s' (IRA answers 400)",
                   SHOW (type));

  if (fcm_is_blank (topic))
    fcm_check_add (c, ERROR, rule, topic_path, "'hub.topic' is %s (IRA answers 400)",
                   has_topic ? "empty" : "missing");
  else if (g_ascii_isspace (topic[0]) || g_ascii_isspace (topic[strlen (topic) - 1]))
    fcm_check_add (c, WARNING, "C-12", topic_path,
                   "'hub.topic' has leading or trailing whitespace");

  if (!unsubscribe)
    {
      if (fcm_is_blank (events))
        fcm_check_add (c, ERROR, "H-05", events_path,
                       "'hub.events' is %s on subscribe (IRA answers 400)",
                       has_events ? "empty" : "missing");
      else
        check_events_list (c, events, events_path, "C-12", TRUE);

      if (!has_name)
        fcm_check_add (c, WARNING, "C-12", name_path,
                       "IRA requires 'subscriber.name' (FC: optional; @medplum/core omits it); it "
                       "identifies the subscriber in syncerrors");
      else if (fcm_is_blank (name))
        fcm_check_add (c, ERROR, "H-05", name_path, "'subscriber.name' is empty (IRA answers 400)");

      if (has_endpoint && !fcm_is_blank (endpoint))
        check_ws_url (c, endpoint, endpoint_path, "C-12", "'hub.channel.endpoint'");
      else if (has_endpoint)
        fcm_check_add (c, ERROR, "C-12", endpoint_path,
                       "'hub.channel.endpoint' is empty; omit it for a new subscription");
    }
  else
    {
      if (fcm_is_blank (endpoint))
        fcm_check_add (c, ERROR, "H-14", endpoint_path,
                       "'hub.channel.endpoint' is %s; unsubscribe needs the endpoint being "
                       "cancelled (C-40, IRA answers 400)", has_endpoint ? "empty" : "missing");
      else
        check_ws_url (c, endpoint, endpoint_path, "H-14", "'hub.channel.endpoint'");
    }

  if (has_lease && !fcm_parse_positive (lease, NULL))
    fcm_check_add (c, ERROR, "C-12", lease_path,
                   "'hub.lease_seconds' must be a positive integer number of seconds, got '%.*s%s'",
                   SHOW (lease));

  if (g_hash_table_contains (form, "hub.lease"))
    {
      g_autofree char *wrong_path = fcm_path_member (base, "hub.lease");

      fcm_check_add (c, WARNING, "C-12", wrong_path,
                     "'hub.lease' is not a FHIRcast parameter (some clients send it); the lease is "
                     "'hub.lease_seconds'");
    }
}

void
fcm_validate_subscription_request (FcmCheck   *c,
                                   JsonObject *root)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) members = NULL;
  JsonObject *headers;
  JsonObject *form_obj;
  const char *method;
  const char *body;

  method = fcm_check_read_string (c, root, "$", "method", "C-11", NULL);
  if (method != NULL && strcmp (method, "POST") != 0)
    fcm_check_add (c, ERROR, "C-11", "$.method",
                   "Subscribe and unsubscribe are POSTs to hub.url, got '%.*s%s'", SHOW (method));

  headers = fcm_check_read_object (c, root, "$", "headers", "C-11");
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

          header_path = fcm_path_member ("$.headers", header);
          value = fcm_check_read_string (c, headers, "$.headers", header, "C-11", NULL);
          if (value != NULL && !str_has_prefix_ci (value, "application/x-www-form-urlencoded"))
            fcm_check_add (c, ERROR, "C-11", header_path,
                           "Subscribe and unsubscribe bodies are "
                           "application/x-www-form-urlencoded, got '%.*s%s'", SHOW (value));
        }
    }

  form_obj = fcm_check_read_object (c, root, "$", "form", "C-11");
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
          g_autofree char *value_path = fcm_path_member ("$.form", name);

          fcm_check_add (c, ERROR, "C-11", value_path, "Form parameters are strings, got %s",
                         fcm_json_node_type_name (value));
        }
    }

  fcm_check_form (c, form, "$.form");

  /* The exact wire body, when given, must decode to the same parameters,
   * each at most once (C-11). */
  body = fcm_check_read_string (c, root, "$", "body", "C-11", NULL);
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
            fcm_check_add (c, ERROR, "C-11", "$.body",
                           "Parameter '%.*s%s' appears more than once; each parameter appears at "
                           "most once and multiple values are comma-separated", SHOW (attr));
          g_hash_table_replace (decoded, attr, value);
        }

      if (error != NULL)
        {
          fcm_check_add (c, ERROR, "C-11", "$.body",
                         "The body is not valid form-urlencoded data: %s", error->message);
          return;
        }

      g_hash_table_iter_init (&hiter, form);
      while (g_hash_table_iter_next (&hiter, &key, &form_value))
        {
          const char *wire = g_hash_table_lookup (decoded, key);

          if (g_strcmp0 (wire, form_value) != 0)
            fcm_check_add (c, WARNING, "C-11", "$.body",
                           "The wire body does not match 'form' for '%.*s%s'",
                           SHOW ((const char *) key));
        }
    }
}

void
fcm_validate_subscription_response (FcmCheck   *c,
                                    JsonObject *root)
{
  const char *endpoint;

  endpoint = fcm_check_require_string (c, root, "$", "hub.channel.endpoint", "C-15", ERROR,
                                       "the WebSocket URL to connect to");
  if (endpoint != NULL)
    check_ws_url (c, endpoint, "$['hub.channel.endpoint']", "C-15", "'hub.channel.endpoint'");
}

void
fcm_validate_gettopic (FcmCheck   *c,
                       JsonObject *root)
{
  JsonNode *body = fcm_get_member (root, "responseBody");
  const char *method;

  fcm_check_add (c, WARNING, "C-01", "$",
                 "2019 prototype GetTopic topic discovery (legacy); STU3 obtains hub.topic from "
                 "the launch (SMART or otherwise)");

  method = fcm_check_read_string (c, root, "$", "method", "C-01", NULL);
  if (method != NULL && strcmp (method, "GET") != 0)
    fcm_check_add (c, WARNING, "C-01", "$.method", "GetTopic is a GET, got '%.*s%s'",
                   SHOW (method));

  if (body != NULL && !fcm_json_node_is_string (body))
    fcm_check_add (c, ERROR, "C-01", "$.responseBody",
                   "The GetTopic answer is the bare topic string, got %s",
                   fcm_json_node_type_name (body));
  else if (body != NULL && fcm_is_blank (json_node_get_string (body)))
    fcm_check_add (c, ERROR, "C-01", "$.responseBody", "The GetTopic answer (the topic) is empty");
}

/* ------------------------------------------------------------------------ */
/* Acks and status frames (C-28, H-32)                                      */
/* ------------------------------------------------------------------------ */

void
fcm_validate_ack (FcmCheck   *c,
                  JsonObject *root)
{
  JsonNode *status = fcm_get_member (root, "status");
  JsonNode *timestamp = fcm_get_member (root, "timestamp");
  gboolean is_string;
  gint64 code;

  fcm_check_require_string (c, root, "$", "id", "C-28", ERROR, "the id of the acknowledged event");

  if (status == NULL)
    {
      fcm_check_add (c, WARNING, "C-28", "$.status",
                     "The ack has no 'status' (as @medplum/core sends); FHIRcast acks carry the "
                     "HTTP status code, e.g. \"200\"");
    }
  else
    {
      code = fcm_status_code_from_node (status, &is_string);

      if ((code < 100 || code > 599) && is_string)
        fcm_check_add (c, ERROR, "C-28", "$.status",
                       "'status' must be an HTTP status code (200, 202, 409, 4xx, 5xx), got "
                       "\"%.*s%s\"", SHOW (json_node_get_string (status)));
      else if (code < 100 || code > 599)
        fcm_check_add (c, ERROR, "C-28", "$.status",
                       "'status' must be an HTTP status code (200, 202, 409, 4xx, 5xx), got %s%s",
                       fcm_json_node_type_name (status), code > 0 ? " out of range" : "");
      else if (is_string)
        fcm_check_add (c, WARNING, "C-28", "$.status",
                       "'status' is the string \"%" G_GINT64_FORMAT "\": FC's table says numeric "
                       "HTTP status code while every example sends a string; hubs accept both "
                       "(H-32, digest §4.3 item 1)", code);
    }

  if (timestamp != NULL && !fcm_json_node_is_string (timestamp))
    fcm_check_add (c, WARNING, "C-28", "$.timestamp", "'timestamp' should be a string, got %s",
                   fcm_json_node_type_name (timestamp));
}

void
fcm_validate_legacy_status (FcmCheck   *c,
                            JsonObject *root)
{
  JsonNode *status = fcm_get_member (root, "status");
  const char *code_name = "statusCode";
  JsonNode *code_node = fcm_get_member (root, "statusCode");
  const char *timestamp;
  gboolean is_string;

  fcm_check_add (c, WARNING, "C-28", "$",
                 "2019 prototype status frame {\"timestamp\", \"status\", \"statusCode\"} "
                 "(legacy); STU3 acknowledges with {\"id\", \"status\"}");

  if (code_node == NULL && (code_node = fcm_get_member (root, "statuscode")) != NULL)
    code_name = "statuscode";

  if (status != NULL && !fcm_json_node_is_string (status) && code_node == NULL)
    {
      /* {"status": 200} with neither id nor statusCode */
      code_node = status;
      code_name = "status";
    }
  else if (status != NULL && !fcm_json_node_is_string (status))
    {
      fcm_check_add (c, ERROR, "C-28", "$.status",
                     "'status' must be a string such as \"OK\", got %s",
                     fcm_json_node_type_name (status));
    }

  if (code_node == NULL)
    {
      fcm_check_add (c, WARNING, "C-28", "$.statusCode", "The status frame has no 'statusCode'");
    }
  else
    {
      g_autofree char *code_path = fcm_path_member ("$", code_name);
      gint64 code = fcm_status_code_from_node (code_node, &is_string);

      if (code < 100 || code > 599)
        fcm_check_add (c, ERROR, "C-28", code_path, "'%s' must be an HTTP status code, got %s",
                       code_name, fcm_json_node_type_name (code_node));
    }

  timestamp = fcm_check_read_string (c, root, "$", "timestamp", "C-28", NULL);
  if (timestamp != NULL)
    fcm_check_timestamp (c, timestamp, "$.timestamp", "C-25");
}

/* ------------------------------------------------------------------------ */
/* Get Current Context (C-52, H-29)                                         */
/* ------------------------------------------------------------------------ */

static void
check_content_bundle (FcmCheck   *c,
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

  if (!(item = fcm_find_item (context, "content", &idx)))
    {
      fcm_check_add (c, empty_context ? INFO : WARNING, "H-29", ctx_path,
                     "No 'content' item: IRA requires a {\"key\": \"content\", \"resource\": "
                     "<Bundle type=collection>} entry in the current context%s",
                     empty_context ? " (with no entries when there is no content)" : "");
      return;
    }

  item_path = fcm_path_index (ctx_path, idx);
  res_path = fcm_path_member (item_path, "resource");
  if (!(bundle = fcm_json_get_object (item, "resource")))
    return; /* reported by the generic item check */

  if (g_strcmp0 (fcm_json_get_string (bundle, "resourceType"), "Bundle") != 0)
    {
      g_autofree char *type_path = fcm_path_member (res_path, "resourceType");

      fcm_check_add (c, ERROR, "H-29", type_path, "'content' must be a Bundle");
      return;
    }

  type = fcm_check_require_string (c, bundle, res_path, "type", "H-29", ERROR,
                                   "the content Bundle has type 'collection'");
  if (type != NULL && strcmp (type, "collection") != 0)
    {
      g_autofree char *type_path = fcm_path_member (res_path, "type");

      fcm_check_add (c, ERROR, "H-29", type_path,
                     "The content Bundle must have type 'collection', got '%.*s%s'", SHOW (type));
    }

  entry_path = fcm_path_member (res_path, "entry");
  entries = fcm_check_read_array (c, bundle, res_path, "entry", "H-29");
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      g_autofree char *one_path = fcm_path_index (entry_path, i);
      JsonObject *entry = fcm_json_array_get_object (entries, i);

      if (entry == NULL)
        fcm_check_add (c, ERROR, "H-29", one_path, "Bundle entries must be objects, got %s",
                       fcm_json_node_type_name (json_array_get_element (entries, i)));
      else if (fcm_get_member (entry, "request") != NULL)
        {
          g_autofree char *request_path = fcm_path_member (one_path, "request");

          fcm_check_add (c, ERROR, "H-29", request_path,
                         "Entries of the content Bundle carry no 'request' (it is a collection)");
        }
    }
}

void
fcm_validate_current_context (FcmCheck *c,
                              JsonNode *root)
{
  JsonObject *obj;
  JsonNode *node;
  JsonArray *context = NULL;
  const char *type;
  gboolean has_type;
  gboolean has_version;
  gboolean empty;

  if (fcm_as_array (root) != NULL)
    {
      fcm_check_add (c, WARNING, "C-52", "$",
                     "A bare context array (as the sandbox.js hub answers); Get Current Context "
                     "returns {\"context.type\", \"context.versionId\", \"context\"}");
      fcm_check_context_array (c, fcm_as_array (root), "$");
      return;
    }

  obj = fcm_as_object (root);

  /* 2019 prototype: {timestamp, id, event: {hub.topic, context}} */
  if ((node = fcm_get_member (obj, "event")) != NULL && fcm_as_object (node) != NULL)
    {
      JsonObject *event = fcm_as_object (node);
      const char *timestamp;

      fcm_check_add (c, WARNING, "C-52", "$",
                     "2019 prototype current-context shape {\"timestamp\", \"id\", \"event\"} "
                     "(legacy); STU3 answers {\"context.type\", \"context.versionId\", "
                     "\"context\"}");

      timestamp = fcm_check_read_string (c, obj, "$", "timestamp", "C-25", NULL);
      if (timestamp != NULL)
        fcm_check_timestamp (c, timestamp, "$.timestamp", "C-25");
      fcm_check_read_string (c, event, "$.event", "hub.topic", "C-25", NULL);

      if ((context = fcm_check_read_array (c, event, "$.event", "context", "C-52")) != NULL)
        fcm_check_context_array (c, context, "$.event.context");
      else if (fcm_get_member (event, "context") == NULL)
        fcm_check_add (c, ERROR, "C-52", "$.event.context", "Required member 'context' is missing");
      return;
    }

  context = fcm_check_read_array (c, obj, "$", "context", "C-52");
  if (context == NULL && fcm_get_member (obj, "context") == NULL)
    fcm_check_add (c, ERROR, "C-52", "$.context",
                   "Required member 'context' is missing (an empty current context is [])");
  if (context != NULL)
    fcm_check_context_array (c, context, "$.context");

  empty = context == NULL || json_array_get_length (context) == 0;

  type = fcm_check_read_string (c, obj, "$", "context.type", "C-52", &has_type);
  if (!has_type)
    fcm_check_add (c, ERROR, "C-52", "$['context.type']",
                   "Required member 'context.type' is missing (the anchor resource type, or \"\")");
  else if (type != NULL && *type == '\0' && !empty)
    fcm_check_add (c, WARNING, "C-52", "$['context.type']",
                   "'context.type' is empty but the context is not");
  else if (type != NULL && *type != '\0' && empty && context != NULL)
    fcm_check_add (c, WARNING, "C-52", "$['context.type']",
                   "'context.type' is '%.*s%s' but the context is empty", SHOW (type));
  else if (type != NULL && *type != '\0' && !g_ascii_isupper (*type))
    fcm_check_add (c, WARNING, "C-52", "$['context.type']",
                   "'context.type' should be a FHIR resource type such as 'DiagnosticReport', got "
                   "'%.*s%s'", SHOW (type));

  fcm_check_read_string (c, obj, "$", "context.versionId", "C-52", &has_version);
  if (!has_version)
    {
      if (empty)
        fcm_check_add (c, INFO, "C-52", "$['context.versionId']",
                       "'context.versionId' is omitted; accepted for an empty context (digest §4.3 "
                       "item 12)");
      else
        fcm_check_add (c, ERROR, "C-52", "$['context.versionId']",
                       "Required member 'context.versionId' is missing; it is needed to detect "
                       "missed updates (C-33)");
    }

  if (context != NULL)
    check_content_bundle (c, context, "$.context", empty);
}

/* ------------------------------------------------------------------------ */
/* Configuration (C-05, H-01) and Backport (digest §4.2)                    */
/* ------------------------------------------------------------------------ */

void
fcm_validate_configuration (FcmCheck   *c,
                            JsonObject *root)
{
  JsonArray *events;
  JsonObject *capabilities;
  JsonNode *node;
  gboolean websocket;
  gboolean has_current = FALSE;

  events = fcm_check_read_array (c, root, "$", "eventsSupported", "H-01");
  if (events == NULL && fcm_get_member (root, "eventsSupported") == NULL)
    fcm_check_add (c, ERROR, "H-01", "$.eventsSupported",
                   "Required member 'eventsSupported' (array of event names) is missing");
  else if (events != NULL)
    {
      if (json_array_get_length (events) == 0)
        fcm_check_add (c, WARNING, "H-01", "$.eventsSupported", "'eventsSupported' lists no event");

      for (guint i = 0; i < json_array_get_length (events); i++)
        if (fcm_json_array_get_string (events, i) == NULL)
          {
            g_autofree char *one_path = fcm_path_index ("$.eventsSupported", i);

            fcm_check_add (c, ERROR, "H-01", one_path, "Event names are strings, got %s",
                           fcm_json_node_type_name (json_array_get_element (events, i)));
          }
    }

  node = fcm_get_member (root, "websocketSupport");
  if (node == NULL)
    fcm_check_add (c, ERROR, "H-01", "$.websocketSupport", "'websocketSupport': true is required");
  else if (!fcm_json_get_bool (root, "websocketSupport", &websocket))
    fcm_check_add (c, ERROR, "H-01", "$.websocketSupport",
                   "'websocketSupport' must be a boolean, got %s", fcm_json_node_type_name (node));
  else if (!websocket)
    fcm_check_add (c, ERROR, "H-01", "$.websocketSupport",
                   "'websocketSupport' must be true: FHIRcast STU3 is WebSocket only");

  node = fcm_get_member (root, "fhircastVersion");
  if (node == NULL)
    fcm_check_add (c, WARNING, "H-01", "$.fhircastVersion",
                   "'fhircastVersion' (e.g. \"3.0.0\") SHOULD be present");
  else if (!fcm_json_node_is_string (node))
    fcm_check_add (c, ERROR, "H-01", "$.fhircastVersion",
                   "'fhircastVersion' must be a string, got %s", fcm_json_node_type_name (node));

  if ((node = fcm_get_member (root, "getCurrentSupport")) != NULL)
    {
      has_current = TRUE;
      if (!fcm_json_get_bool (root, "getCurrentSupport", NULL))
        fcm_check_add (c, ERROR, "C-05", "$.getCurrentSupport",
                       "'getCurrentSupport' must be a boolean, got %s",
                       fcm_json_node_type_name (node));
    }

  capabilities = fcm_check_read_object (c, root, "$", "capabilities", "C-05");
  if (capabilities != NULL)
    {
      static const char * const flags[] = {
        "supportsGetCurrentContext",
        "supportsNonCurrentContextUpdates",
      };

      for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
        {
          if ((node = fcm_get_member (capabilities, flags[i])) == NULL)
            continue;
          if (i == 0)
            has_current = TRUE;
          if (!fcm_json_get_bool (capabilities, flags[i], NULL))
            {
              g_autofree char *flag_path = fcm_path_member ("$.capabilities", flags[i]);

              fcm_check_add (c, ERROR, "C-05", flag_path, "'%s' must be a boolean, got %s",
                             flags[i], fcm_json_node_type_name (node));
            }
        }
    }

  if (!has_current)
    fcm_check_add (c, INFO, "H-01", "$",
                   "Neither 'getCurrentSupport' nor 'capabilities.supportsGetCurrentContext' is "
                   "given; hubs should include both");

  if (fcm_get_member (root, "webhookSupport") != NULL)
    fcm_check_add (c, INFO, "C-05", "$.webhookSupport",
                   "'webhookSupport' is ignored (STU3 is WebSocket only)");

  if ((node = fcm_get_member (root, "fhirVersion")) != NULL && !fcm_json_node_is_string (node))
    fcm_check_add (c, WARNING, "C-05", "$.fhirVersion", "'fhirVersion' should be a string, got %s",
                   fcm_json_node_type_name (node));
}

static void
validate_backport (FcmCheck   *c,
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
      fcm_check_add (c, INFO, "C-25", "$",
                     "FHIR Subscriptions R5 Backport notification Bundle (type %.*s%s, status type "
                     "%.*s%s): recognised only, not a FHIRcast message (digest §4.2)",
                     SHOW (bundle_type), SHOW (type));
    }
  else if (resource_type != NULL)
    {
      fcm_check_add (c, INFO, "C-25", "$",
                     "FHIR Subscriptions R5 Backport %.*s%s (e.g. a $get-ws-binding-token answer): "
                     "recognised only, not a FHIRcast message (digest §4.2)", SHOW (resource_type));
    }
  else
    {
      fcm_check_add (c, INFO, "C-25", "$",
                     "FHIR Subscriptions R5 Backport bind-with-token message: recognised only, not "
                     "a FHIRcast message (digest §4.2)");
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
      JsonArray *array = fcm_as_array (root);

      if (array == NULL)
        return FCM_MESSAGE_UNKNOWN;

      /* sandbox.js answers Get Current Context with a bare context array */
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!has_key_object (array, i))
          return FCM_MESSAGE_UNKNOWN;
      return FCM_MESSAGE_CURRENT_CONTEXT;
    }

  if (!(obj = fcm_as_object (root)))
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

  if ((node = fcm_get_member (obj, "event")) != NULL)
    {
      /* 2019 prototype Get Current Context: an event without a name */
      if (fcm_as_object (node) != NULL)
        {
          JsonObject *event = fcm_as_object (node);

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
  FcmCheck c;

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);

  kind = fcm_validator_classify (root);

  /* With an explicit role the message is expected to be an event: then
   * {timestamp, id, event} lacking hub.event is not a 2019 current context,
   * and {timestamp, id} without status is not a Medplum-style ack but an
   * event lacking 'event'. */
  if (self->role != FCM_VALIDATOR_ROLE_ANY && fcm_as_object (root) != NULL)
    {
      JsonObject *obj = fcm_as_object (root);

      if (kind == FCM_MESSAGE_CURRENT_CONTEXT && json_object_has_member (obj, "event"))
        kind = FCM_MESSAGE_EVENT;
      else if (kind == FCM_MESSAGE_ACK && json_object_has_member (obj, "timestamp") &&
               !json_object_has_member (obj, "status"))
        kind = FCM_MESSAGE_EVENT;
    }

  fcm_check_init (&c, self->role);

  switch (kind)
    {
    case FCM_MESSAGE_EVENT:
      fcm_validate_event_message (&c, fcm_as_object (root), "$");
      break;

    case FCM_MESSAGE_LEGACY_EVENT:
      fcm_validate_legacy_event (&c, fcm_as_object (root));
      break;

    case FCM_MESSAGE_CONFIRMATION:
      fcm_validate_confirmation (&c, fcm_as_object (root), FALSE);
      break;

    case FCM_MESSAGE_DENIAL:
      fcm_validate_confirmation (&c, fcm_as_object (root), TRUE);
      break;

    case FCM_MESSAGE_ACK:
      fcm_validate_ack (&c, fcm_as_object (root));
      break;

    case FCM_MESSAGE_LEGACY_STATUS:
      fcm_validate_legacy_status (&c, fcm_as_object (root));
      break;

    case FCM_MESSAGE_CURRENT_CONTEXT:
      fcm_validate_current_context (&c, root);
      break;

    case FCM_MESSAGE_SUBSCRIPTION_REQUEST:
      fcm_validate_subscription_request (&c, fcm_as_object (root));
      break;

    case FCM_MESSAGE_SUBSCRIPTION_RESPONSE:
      fcm_validate_subscription_response (&c, fcm_as_object (root));
      break;

    case FCM_MESSAGE_CONFIGURATION:
      fcm_validate_configuration (&c, fcm_as_object (root));
      break;

    case FCM_MESSAGE_BACKPORT:
      validate_backport (&c, fcm_as_object (root));
      break;

    case FCM_MESSAGE_GETTOPIC:
      fcm_validate_gettopic (&c, fcm_as_object (root));
      break;

    case FCM_MESSAGE_UNKNOWN:
    default:
      if (root == NULL)
        fcm_check_add (&c, ERROR, "C-25", "$", "No message");
      else if (!JSON_NODE_HOLDS_OBJECT (root))
        fcm_check_add (&c, ERROR, "C-25", "$", "A FHIRcast message is a JSON object, got %s",
                       fcm_json_node_type_name (root));
      else
        fcm_check_add (&c, ERROR, "C-25", "$",
                       "Not a recognised FHIRcast message: expected an event {\"timestamp\", "
                       "\"id\", \"event\"}, a hub frame {\"hub.mode\", …}, an ack {\"id\", "
                       "\"status\"} or a current-context answer {\"context.type\", \"context\"}");
      kind = FCM_MESSAGE_UNKNOWN;
      break;
    }

  if (out_kind != NULL)
    *out_kind = kind;

  return fcm_check_finish (&c);
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
  FcmCheck c;

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);

  fcm_check_init (&c, self->role);

  if (form == NULL)
    fcm_check_add (&c, ERROR, "H-05", "$", "No form parameters");
  else
    fcm_check_form (&c, form, "$");

  return fcm_check_finish (&c);
}
