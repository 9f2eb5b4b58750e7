/* fcm-validator-subscription.c: subscriptions, hub frames and acks
 *
 * The subscribe/unsubscribe form (C-11 … C-14, C-40, H-05, H-14), the hub's
 * answer with the WebSocket endpoint (C-15), the confirmation and denial
 * frames on the socket (C-19, C-20) and the ack a subscriber sends for each
 * event (C-28, H-32).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-validator-private.h"

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
/* Subscribe and unsubscribe (C-11 … C-15, C-40, H-05, H-14)                */
/* ------------------------------------------------------------------------ */

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
                   _("%s has leading or trailing whitespace; it is trimmed before comparing "
                     "endpoints (digest §4.3 item 13)"), what);

  if (str_has_prefix_ci (stripped, "wss://"))
    {
      if (!g_uri_is_valid (stripped, G_URI_FLAGS_NONE, NULL))
        fcm_check_add (c, ERROR, rule, path, _("%s '%.*s%s' is not a valid URL"), what,
                       SHOW (stripped));
    }
  else if (str_has_prefix_ci (stripped, "ws://"))
    {
      if (!g_uri_is_valid (stripped, G_URI_FLAGS_NONE, NULL))
        fcm_check_add (c, ERROR, rule, path, _("%s '%.*s%s' is not a valid URL"), what,
                       SHOW (stripped));
      else
        fcm_check_add (c, WARNING, "C-06", path,
                       _("%s uses ws://; FHIRcast requires wss:// (plain ws is for a loopback test "
                         "hub only)"), what);
    }
  else
    {
      fcm_check_add (c, ERROR, rule, path, _("%s must be a wss:// WebSocket URL, got '%.*s%s'"),
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
                         _("hub.events contains an empty entry at position %u"), i);
          continue;
        }

      n_names++;

      if (strchr (name, '*') != NULL)
        {
          fcm_check_add (c, is_subscribe_request ? ERROR : WARNING, "C-13", path,
                         _("hub.events entry '%.*s%s' is a wildcard; wildcards are spec shorthand "
                           "only and hubs do not accept them"), SHOW (name));
          continue;
        }

      /* hub.events is a case-insensitive set (H-06) */
      for (guint j = 0; j < seen->len && !duplicate; j++)
        duplicate = g_ascii_strcasecmp (g_ptr_array_index (seen, j), name) == 0;

      if (duplicate)
        fcm_check_add (c, WARNING, "C-13", path,
                       _("hub.events lists '%.*s%s' more than once (names compare "
                         "case-insensitively, C-14)"), SHOW (name));
      else
        g_ptr_array_add (seen, name);

      if (fcm_event_name_is_legacy (name))
        fcm_check_add (c, WARNING, "C-14", path,
                       _("hub.events entry '%.*s%s' is a 2019 prototype event name; STU3 calls it "
                         "'%s'"), SHOW (name), fcm_event_name_canonicalize (name));
    }

  if (n_names == 0)
    {
      fcm_check_add (c, is_subscribe_request ? ERROR : WARNING,
                     is_subscribe_request ? "H-05" : rule, path, _("hub.events lists no event"));
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
                   _("IRA requires hub.events to include at least "
                     "DiagnosticReport-open/-close/-update/-select and syncerror; missing: %s"),
                   missing->str);
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
                   _("'hub.mode' is required: \"subscribe\" or \"unsubscribe\""));
  else if (strcmp (mode, "unsubscribe") == 0)
    unsubscribe = TRUE;
  else if (strcmp (mode, "subscribe") != 0)
    fcm_check_add (c, ERROR, "H-05", mode_path,
                   _("'hub.mode' must be \"subscribe\" or \"unsubscribe\", got '%.*s%s'"),
                   SHOW (mode));

  rule = unsubscribe ? "H-14" : "H-05";

  if (!has_type)
    fcm_check_add (c, ERROR, rule, type_path,
                   _("'hub.channel.type' is required and must be \"websocket\" (IRA answers 400)"));
  else if (strcmp (type, "websocket") != 0)
    fcm_check_add (c, ERROR, rule, type_path,
                   _("'hub.channel.type' must be \"websocket\", got '%.*s%s' (IRA answers 400)"),
                   SHOW (type));

  if (fcm_is_blank (topic))
    fcm_check_add (c, ERROR, rule, topic_path,
                   has_topic ? _("'hub.topic' is empty (IRA answers 400)")
                             : _("'hub.topic' is missing (IRA answers 400)"));
  else if (g_ascii_isspace (topic[0]) || g_ascii_isspace (topic[strlen (topic) - 1]))
    fcm_check_add (c, WARNING, "C-12", topic_path,
                   _("'hub.topic' has leading or trailing whitespace"));

  if (!unsubscribe)
    {
      if (fcm_is_blank (events))
        fcm_check_add (c, ERROR, "H-05", events_path,
                       has_events ? _("'hub.events' is empty on subscribe (IRA answers 400)")
                                  : _("'hub.events' is missing on subscribe (IRA answers 400)"));
      else
        check_events_list (c, events, events_path, "C-12", TRUE);

      if (!has_name)
        fcm_check_add (c, WARNING, "C-12", name_path,
                       _("IRA requires 'subscriber.name' (FC: optional; @medplum/core omits it); "
                         "it identifies the subscriber in syncerrors"));
      else if (fcm_is_blank (name))
        fcm_check_add (c, ERROR, "H-05", name_path,
                       _("'subscriber.name' is empty (IRA answers 400)"));

      if (has_endpoint && !fcm_is_blank (endpoint))
        check_ws_url (c, endpoint, endpoint_path, "C-12", "'hub.channel.endpoint'");
      else if (has_endpoint)
        fcm_check_add (c, ERROR, "C-12", endpoint_path,
                       _("'hub.channel.endpoint' is empty; omit it for a new subscription"));
    }
  else
    {
      if (fcm_is_blank (endpoint))
        fcm_check_add (c, ERROR, "H-14", endpoint_path,
                       has_endpoint ? _("'hub.channel.endpoint' is empty; unsubscribe needs the "
                                        "endpoint being cancelled (C-40, IRA answers 400)")
                                    : _("'hub.channel.endpoint' is missing; unsubscribe needs the "
                                        "endpoint being cancelled (C-40, IRA answers 400)"));
      else
        check_ws_url (c, endpoint, endpoint_path, "H-14", "'hub.channel.endpoint'");
    }

  if (has_lease && !fcm_parse_positive (lease, NULL))
    fcm_check_add (c, ERROR, "C-12", lease_path,
                   _("'hub.lease_seconds' must be a positive integer number of seconds, got "
                     "'%.*s%s'"), SHOW (lease));

  if (g_hash_table_contains (form, "hub.lease"))
    {
      g_autofree char *wrong_path = fcm_path_member (base, "hub.lease");

      fcm_check_add (c, WARNING, "C-12", wrong_path,
                     _("'hub.lease' is not a FHIRcast parameter (some clients send it); the lease "
                       "is 'hub.lease_seconds'"));
    }
}

void
fcm_validate_subscription_request (FcmCheck      *c,
                                   const FcmJson *root)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  const FcmJson *headers;
  const FcmJson *form_obj;
  const char *method;
  const char *body;

  method = fcm_check_read_string (c, root, "$", "method", "C-11", NULL);
  if (method != NULL && strcmp (method, "POST") != 0)
    fcm_check_add (c, ERROR, "C-11", "$.method",
                   _("Subscribe and unsubscribe are POSTs to hub.url, got '%.*s%s'"),
                   SHOW (method));

  headers = fcm_check_read_object (c, root, "$", "headers", "C-11");
  if (headers != NULL)
    {
      FCM_DOC_FOREACH (headers, member)
        {
          const char *header = fcm_doc_name (member);
          const char *value;
          g_autofree char *header_path = NULL;

          if (g_ascii_strcasecmp (header, "Content-Type") != 0)
            continue;

          header_path = fcm_path_member ("$.headers", header);
          value = fcm_check_read_string (c, headers, "$.headers", header, "C-11", NULL);
          if (value != NULL && !str_has_prefix_ci (value, "application/x-www-form-urlencoded"))
            fcm_check_add (c, ERROR, "C-11", header_path,
                           _("Subscribe and unsubscribe bodies are "
                             "application/x-www-form-urlencoded, got '%.*s%s'"), SHOW (value));
        }
    }

  form_obj = fcm_check_read_object (c, root, "$", "form", "C-11");
  if (form_obj == NULL)
    return;

  FCM_DOC_FOREACH (form_obj, value)
    {
      const char *name = fcm_doc_name (value);

      if (fcm_doc_is_string (value))
        {
          g_hash_table_insert (form, (gpointer) name, (gpointer) fcm_doc_string (value));
        }
      else
        {
          g_autofree char *value_path = fcm_path_member ("$.form", name);

          fcm_check_add (c, ERROR, "C-11", value_path, _("Form parameters are strings, got %s"),
                         fcm_doc_type_name (value));
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
                           _("Parameter '%.*s%s' appears more than once; each parameter appears at "
                             "most once and multiple values are comma-separated"), SHOW (attr));
          g_hash_table_replace (decoded, attr, value);
        }

      if (error != NULL)
        {
          fcm_check_add (c, ERROR, "C-11", "$.body",
                         _("The body is not valid form-urlencoded data: %s"), error->message);
          return;
        }

      g_hash_table_iter_init (&hiter, form);
      while (g_hash_table_iter_next (&hiter, &key, &form_value))
        {
          const char *wire = g_hash_table_lookup (decoded, key);

          if (g_strcmp0 (wire, form_value) != 0)
            fcm_check_add (c, WARNING, "C-11", "$.body",
                           _("The wire body does not match 'form' for '%.*s%s'"),
                           SHOW ((const char *) key));
        }
    }
}

void
fcm_validate_subscription_response (FcmCheck      *c,
                                    const FcmJson *root)
{
  const char *endpoint;

  endpoint = fcm_check_require_string (c, root, "$", "hub.channel.endpoint", "C-15", ERROR,
                                       N_("the WebSocket URL to connect to"));
  if (endpoint != NULL)
    check_ws_url (c, endpoint, "$['hub.channel.endpoint']", "C-15", "'hub.channel.endpoint'");
}

/* ------------------------------------------------------------------------ */
/* Confirmation and denial frames (C-19, C-20)                              */
/* ------------------------------------------------------------------------ */

/* hub.lease_seconds as a JSON member: a positive integer number (C-19). */
static void
check_lease_node (FcmCheck      *c,
                  const FcmJson *node,
                  const char    *path,
                  const char    *rule)
{
  double d;

  if (fcm_doc_number (node, &d))
    {
      gboolean integral = fcm_doc_int (node, NULL);

      if (!integral || d <= 0)
        fcm_check_add (c, ERROR, rule, path,
                       _("'hub.lease_seconds' must be a positive integer number of seconds, got "
                         "%g"), d);
      return;
    }

  if (fcm_doc_is_string (node))
    {
      const char *s = fcm_doc_string (node);

      if (fcm_parse_positive (s, NULL))
        fcm_check_add (c, WARNING, rule, path,
                       _("'hub.lease_seconds' is the string \"%.*s%s\"; it should be a number"),
                       SHOW (s));
      else
        fcm_check_add (c, ERROR, rule, path,
                       _("'hub.lease_seconds' must be a positive integer, got \"%.*s%s\""),
                       SHOW (s));
      return;
    }

  fcm_check_add (c, ERROR, rule, path, _("'hub.lease_seconds' must be a positive integer, got %s"),
                 fcm_doc_type_name (node));
}

void
fcm_validate_confirmation (FcmCheck      *c,
                           const FcmJson *root,
                           gboolean       denial)
{
  const char *rule = denial ? "C-20" : "C-19";
  const char *mode;
  const char *topic;
  const char *events;
  gboolean has_topic;
  gboolean has_events;
  const FcmJson *lease;

  mode = fcm_check_read_string (c, root, "$", "hub.mode", rule, NULL);
  if (mode != NULL && strcmp (mode, denial ? "denied" : "subscribe") != 0)
    fcm_check_add (c, ERROR, rule, "$['hub.mode']",
                   _("A hub frame has 'hub.mode' \"subscribe\" (confirmation) or \"denied\" "
                     "(denial), got '%.*s%s'"), SHOW (mode));

  topic = fcm_check_read_string (c, root, "$", "hub.topic", rule, &has_topic);
  if (!has_topic)
    fcm_check_add (c, denial ? ERROR : WARNING, rule, "$['hub.topic']",
                   denial ? _("A denial names the 'hub.topic' it refers to")
                          : _("The confirmation has no 'hub.topic' (the sandbox.js hub omits "
                              "it); FHIRcast sends it"));
  else if (topic != NULL && *topic == '\0')
    fcm_check_add (c, ERROR, rule, "$['hub.topic']", _("'hub.topic' must not be empty"));

  events = fcm_check_read_string (c, root, "$", "hub.events", rule, &has_events);
  if (!has_events)
    fcm_check_add (c, WARNING, rule, "$['hub.events']",
                   denial ? _("The denial has no 'hub.events'")
                          : _("The confirmation has no 'hub.events' (the sandbox.js hub omits "
                              "it); without it the granted event set is unknown"));
  else if (events != NULL)
    check_events_list (c, events, "$['hub.events']", rule, FALSE);

  lease = fcm_get_member (root, "hub.lease_seconds");
  if (!denial)
    {
      if (lease == NULL)
        fcm_check_add (c, ERROR, rule, "$['hub.lease_seconds']",
                       _("The confirmation must carry 'hub.lease_seconds', the granted lease"));
      else
        check_lease_node (c, lease, "$['hub.lease_seconds']", rule);
    }
  else
    {
      const FcmJson *reason = fcm_get_member (root, "hub.reason");

      if (reason != NULL && !fcm_doc_is_string (reason))
        fcm_check_add (c, ERROR, rule, "$['hub.reason']",
                       _("'hub.reason' must be a string, got %s"),
                       fcm_doc_type_name (reason));
      if (lease != NULL)
        check_lease_node (c, lease, "$['hub.lease_seconds']", rule);
    }
}

/* ------------------------------------------------------------------------ */
/* Acks (C-28, H-32)                                                        */
/* ------------------------------------------------------------------------ */

void
fcm_validate_ack (FcmCheck      *c,
                  const FcmJson *root)
{
  const FcmJson *status = fcm_get_member (root, "status");
  const FcmJson *timestamp = fcm_get_member (root, "timestamp");
  gboolean is_string;
  gint64 code;

  fcm_check_require_string (c, root, "$", "id", "C-28", ERROR,
                            N_("the id of the acknowledged event"));

  if (status == NULL)
    {
      fcm_check_add (c, WARNING, "C-28", "$.status",
                     _("The ack has no 'status' (as @medplum/core sends); FHIRcast acks carry the "
                       "HTTP status code, e.g. \"200\""));
    }
  else
    {
      code = fcm_status_code_from_node (status, &is_string);

      if ((code < 100 || code > 599) && is_string)
        fcm_check_add (c, ERROR, "C-28", "$.status",
                       _("'status' must be an HTTP status code (200, 202, 409, 4xx, 5xx), got "
                         "\"%.*s%s\""), SHOW (fcm_doc_string (status)));
      else if (code > 0 && (code < 100 || code > 599))
        fcm_check_add (c, ERROR, "C-28", "$.status",
                       _("'status' must be an HTTP status code (200, 202, 409, 4xx, 5xx), got "
                         "%s out of range"), fcm_doc_type_name (status));
      else if (code < 100 || code > 599)
        fcm_check_add (c, ERROR, "C-28", "$.status",
                       _("'status' must be an HTTP status code (200, 202, 409, 4xx, 5xx), got %s"),
                       fcm_doc_type_name (status));
      else if (is_string)
        fcm_check_add (c, WARNING, "C-28", "$.status",
                       _("'status' is the string \"%lld\": FC's table says numeric HTTP status "
                         "code while every example sends a string; hubs accept both (H-32, "
                         "digest §4.3 item 1)"), (long long) code);
    }

  if (timestamp != NULL && !fcm_doc_is_string (timestamp))
    fcm_check_add (c, WARNING, "C-28", "$.timestamp", _("'timestamp' should be a string, got %s"),
                   fcm_doc_type_name (timestamp));
}
