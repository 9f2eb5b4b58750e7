/* fcm-validator.c: conformance checks for FHIRcast messages
 *
 * The object, its public API, the classification of a message by kind and
 * the dispatch to the file that checks that kind (see the list in
 * fcm-validator-private.h). R5 Backport messages are only recognised here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-message.h"
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

/* ------------------------------------------------------------------------ */
/* R5 Backport (digest §4.2)                                                */
/* ------------------------------------------------------------------------ */

static void
validate_backport (FcmCheck      *c,
                   const FcmJson *root)
{
  const char *resource_type = fcm_doc_get_string (root, "resourceType");
  const FcmJson *first;
  const char *bundle_type;
  const char *type;

  if (g_strcmp0 (resource_type, "Bundle") == 0)
    {
      const FcmJson *entries = fcm_doc_get_array (root, "entry");

      first = fcm_doc_get_object (fcm_doc_first (entries), "resource");
      type = fcm_doc_get_string (first, "type");
      bundle_type = fcm_doc_get_string (root, "type");
      if (type == NULL)
        type = "?";
      if (bundle_type == NULL)
        bundle_type = "?";
      fcm_check_add (c, INFO, "C-25", "$",
                     _("FHIR Subscriptions R5 Backport notification Bundle (type %.*s%s, status "
                       "type %.*s%s): recognised only, not a FHIRcast message (digest §4.2)"),
                     SHOW (bundle_type), SHOW (type));
    }
  else if (resource_type != NULL)
    {
      fcm_check_add (c, INFO, "C-25", "$",
                     _("FHIR Subscriptions R5 Backport %.*s%s (e.g. a $get-ws-binding-token "
                       "answer): recognised only, not a FHIRcast message (digest §4.2)"),
                     SHOW (resource_type));
    }
  else
    {
      fcm_check_add (c, INFO, "C-25", "$",
                     _("FHIR Subscriptions R5 Backport bind-with-token message: recognised only, "
                       "not a FHIRcast message (digest §4.2)"));
    }
}

/* ------------------------------------------------------------------------ */
/* Classification                                                           */
/* ------------------------------------------------------------------------ */

static gboolean
has (const FcmJson *object,
     const char    *member)
{
  return fcm_doc_has_member (object, member);
}

/**
 * fcm_validator_classify_doc:
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
fcm_validator_classify_doc (const FcmJson *root)
{
  const FcmJson *obj;
  const FcmJson *node;
  const char *resource_type;

  if (root == NULL)
    return FCM_MESSAGE_UNKNOWN;

  if (fcm_doc_is_array (root))
    {
      /* sandbox.js answers Get Current Context with a bare context array */
      FCM_DOC_FOREACH (root, item)
        if (!has (item, "key"))
          return FCM_MESSAGE_UNKNOWN;
      return FCM_MESSAGE_CURRENT_CONTEXT;
    }

  if (!(obj = fcm_as_object (root)))
    return FCM_MESSAGE_UNKNOWN;

  if (has (obj, "header") && has (obj, "body") && !has (obj, "event"))
    return FCM_MESSAGE_LEGACY_EVENT;

  resource_type = fcm_doc_get_string (obj, "resourceType");
  if (resource_type != NULL)
    {
      if (strcmp (resource_type, "Bundle") == 0 || strcmp (resource_type, "Parameters") == 0 ||
          strcmp (resource_type, "SubscriptionStatus") == 0 ||
          strcmp (resource_type, "Subscription") == 0)
        return FCM_MESSAGE_BACKPORT;
      return FCM_MESSAGE_UNKNOWN;
    }

  if (g_strcmp0 (fcm_doc_get_string (obj, "type"), "bind-with-token") == 0 ||
      has (obj, "jsonFrameVariant") || has (obj, "textFrame"))
    return FCM_MESSAGE_BACKPORT;

  if (has (obj, "hub.mode"))
    {
      if (g_strcmp0 (fcm_doc_get_string (obj, "hub.mode"), "denied") == 0)
        return FCM_MESSAGE_DENIAL;
      return FCM_MESSAGE_CONFIRMATION;
    }

  if (has (obj, "method") && has (obj, "url"))
    {
      const char *url = fcm_doc_get_string (obj, "url");

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
          const FcmJson *event = fcm_as_object (node);

          if (!has (event, "hub.event") && fcm_doc_get_array (event, "context") != NULL)
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
 * fcm_validator_classify:
 * @root: (nullable): a parsed message
 *
 * fcm_validator_classify_doc() for a json-glib tree.
 *
 * Returns: the message kind
 */
FcmMessageKind
fcm_validator_classify (JsonNode *root)
{
  g_autoptr(FcmDoc) doc = NULL;

  if (root == NULL || !(doc = fcm_doc_new_from_node (root, NULL)))
    return FCM_MESSAGE_UNKNOWN;

  return fcm_validator_classify_doc (fcm_doc_get_root (doc));
}

/* An issue list with the single "JSON" error of a text that is not JSON. */
static GPtrArray *
not_json (const char     *message,
          FcmMessageKind *out_kind)
{
  GPtrArray *issues = g_ptr_array_new_with_free_func (g_object_unref);

  if (out_kind != NULL)
    *out_kind = FCM_MESSAGE_UNKNOWN;
  g_ptr_array_add (issues, fcm_issue_new (ERROR, "JSON", "$", message));
  return issues;
}

/**
 * fcm_validator_validate:
 * @self: a #FcmValidator
 * @root: (nullable): a parsed message
 * @out_kind: (out) (optional): the kind the message was validated as
 *
 * fcm_validator_validate_doc() for a json-glib tree (read as an #FcmDoc).
 *
 * Returns: (transfer container) (element-type FcmIssue): the issues found;
 *   never %NULL, empty when the message is valid
 */
GPtrArray *
fcm_validator_validate (FcmValidator   *self,
                        JsonNode       *root,
                        FcmMessageKind *out_kind)
{
  g_autoptr(FcmDoc) doc = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);

  if (root == NULL)
    return fcm_validator_validate_doc (self, NULL, out_kind);
  if (!(doc = fcm_doc_new_from_node (root, &error)))
    return not_json (error->message, out_kind);

  return fcm_validator_validate_doc (self, fcm_doc_get_root (doc), out_kind);
}

/**
 * fcm_validator_validate_doc:
 * @self: a #FcmValidator
 * @root: (nullable): a parsed message
 * @out_kind: (out) (optional): the kind the message was validated as
 *
 * Checks one message against FHIRcast STU3 and IHE IRA. Every other
 * validate function comes here.
 *
 * Returns: (transfer container) (element-type FcmIssue): the issues found;
 *   never %NULL, empty when the message is valid
 */
GPtrArray *
fcm_validator_validate_doc (FcmValidator   *self,
                            const FcmJson  *root,
                            FcmMessageKind *out_kind)
{
  FcmMessageKind kind;
  FcmCheck c;

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);

  kind = fcm_validator_classify_doc (root);

  /* With an explicit role the message is expected to be an event: then
   * {timestamp, id, event} lacking hub.event is not a 2019 current context,
   * and {timestamp, id} without status is not a Medplum-style ack but an
   * event lacking 'event'. */
  if (self->role != FCM_VALIDATOR_ROLE_ANY && fcm_as_object (root) != NULL)
    {
      const FcmJson *obj = fcm_as_object (root);

      if (kind == FCM_MESSAGE_CURRENT_CONTEXT && has (obj, "event"))
        kind = FCM_MESSAGE_EVENT;
      else if (kind == FCM_MESSAGE_ACK && has (obj, "timestamp") && !has (obj, "status"))
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
        fcm_check_add (&c, ERROR, "C-25", "$", _("No message"));
      else if (!fcm_doc_is_object (root))
        fcm_check_add (&c, ERROR, "C-25", "$", _("A FHIRcast message is a JSON object, got %s"),
                       fcm_doc_type_name (root));
      else
        fcm_check_add (&c, ERROR, "C-25", "$",
                       _("Not a recognised FHIRcast message: expected an event {\"timestamp\", "
                         "\"id\", \"event\"}, a hub frame {\"hub.mode\", …}, an ack {\"id\", "
                         "\"status\"} or a current-context answer {\"context.type\", "
                         "\"context\"}"));
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
  g_autoptr(FcmDoc) doc = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);

  if (!(doc = fcm_doc_parse (text, length, &error)))
    return not_json (error->message, out_kind);

  return fcm_validator_validate_doc (self, fcm_doc_get_root (doc), out_kind);
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

  return fcm_validator_validate_doc (self, fcm_doc_get_root (fcm_event_get_doc (event)), NULL);
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
    fcm_check_add (&c, ERROR, "H-05", "$", _("No form parameters"));
  else
    fcm_check_form (&c, form, "$");

  return fcm_check_finish (&c);
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

  g_return_val_if_fail (FCM_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  if (fcm_message_get_doc (message) != NULL)
    return fcm_validator_validate_doc (self, fcm_doc_get_root (fcm_message_get_doc (message)),
                                       out_kind);

  error = fcm_message_get_error (message);
  return not_json (error != NULL ? error->message : _("Not JSON"), out_kind);
}
