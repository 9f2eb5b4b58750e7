/* fcm-issue.c: one finding of the FHIRcast message validator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include "fcm-issue.h"

/**
 * FcmIssue:
 *
 * An immutable validator finding: a severity, the id of the digest rule it
 * is about (`C-xx`, `H-xx`, or `JSON` for unparseable text), a JSON path
 * such as `$.event.context[2].resource.identifier` and a human-readable
 * message.
 */
struct _FcmIssue
{
  GObject      parent_instance;

  FcmSeverity  severity;
  char        *rule_id;
  char        *path;
  char        *message;
};

G_DEFINE_FINAL_TYPE (FcmIssue, fcm_issue, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (FcmSeverity, fcm_severity,
                    G_DEFINE_ENUM_VALUE (FCM_SEVERITY_INFO, "info"),
                    G_DEFINE_ENUM_VALUE (FCM_SEVERITY_WARNING, "warning"),
                    G_DEFINE_ENUM_VALUE (FCM_SEVERITY_ERROR, "error"))

enum {
  PROP_0,
  PROP_SEVERITY,
  PROP_RULE_ID,
  PROP_PATH,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fcm_issue_finalize (GObject *object)
{
  FcmIssue *self = (FcmIssue *)object;

  g_clear_pointer (&self->rule_id, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (fcm_issue_parent_class)->finalize (object);
}

static void
fcm_issue_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FcmIssue *self = FCM_ISSUE (object);

  switch (prop_id)
    {
    case PROP_SEVERITY:
      g_value_set_enum (value, self->severity);
      break;

    case PROP_RULE_ID:
      g_value_set_string (value, self->rule_id);
      break;

    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_issue_class_init (FcmIssueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fcm_issue_finalize;
  object_class->get_property = fcm_issue_get_property;

  /**
   * FcmIssue:severity:
   *
   * How serious the finding is.
   */
  properties[PROP_SEVERITY] =
    g_param_spec_enum ("severity", NULL, NULL,
                       FCM_TYPE_SEVERITY,
                       FCM_SEVERITY_ERROR,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * FcmIssue:rule-id:
   *
   * The digest rule the finding is about ("C-46", "H-24", "JSON", …).
   */
  properties[PROP_RULE_ID] =
    g_param_spec_string ("rule-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * FcmIssue:path:
   *
   * A JSON path to the offending member, e.g. `$.event.context[2].resource`.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * FcmIssue:message:
   *
   * A human-readable description.
   */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fcm_issue_init (FcmIssue *self)
{
  self->severity = FCM_SEVERITY_ERROR;
}

/**
 * fcm_issue_new:
 * @severity: the severity
 * @rule_id: the digest rule id ("C-25", …)
 * @path: (nullable): JSON path of the offending member; %NULL means "$"
 * @message: human-readable text
 *
 * Returns: (transfer full): a new #FcmIssue
 */
FcmIssue *
fcm_issue_new (FcmSeverity  severity,
               const char  *rule_id,
               const char  *path,
               const char  *message)
{
  FcmIssue *self;

  g_return_val_if_fail (rule_id != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (FCM_TYPE_ISSUE, NULL);
  self->severity = CLAMP (severity, FCM_SEVERITY_INFO, FCM_SEVERITY_ERROR);
  self->rule_id = g_strdup (rule_id);
  self->path = g_strdup (path != NULL ? path : "$");
  self->message = g_strdup (message);

  return self;
}

FcmSeverity
fcm_issue_get_severity (FcmIssue *self)
{
  g_return_val_if_fail (FCM_IS_ISSUE (self), FCM_SEVERITY_ERROR);
  return self->severity;
}

const char *
fcm_issue_get_rule_id (FcmIssue *self)
{
  g_return_val_if_fail (FCM_IS_ISSUE (self), NULL);
  return self->rule_id;
}

const char *
fcm_issue_get_path (FcmIssue *self)
{
  g_return_val_if_fail (FCM_IS_ISSUE (self), NULL);
  return self->path;
}

const char *
fcm_issue_get_message (FcmIssue *self)
{
  g_return_val_if_fail (FCM_IS_ISSUE (self), NULL);
  return self->message;
}

/**
 * fcm_issue_to_json:
 *
 * Returns: (transfer full): `{"severity", "rule", "path", "message"}`
 */
JsonNode *
fcm_issue_to_json (FcmIssue *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (FCM_IS_ISSUE (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, fcm_severity_to_string (self->severity));
  json_builder_set_member_name (builder, "rule");
  json_builder_add_string_value (builder, self->rule_id ? self->rule_id : "");
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, self->path ? self->path : "$");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, self->message ? self->message : "");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * fcm_severity_to_string:
 *
 * Returns: "error", "warning" or "info"
 */
const char *
fcm_severity_to_string (FcmSeverity severity)
{
  switch (severity)
    {
    case FCM_SEVERITY_INFO:
      return "info";

    case FCM_SEVERITY_WARNING:
      return "warning";

    case FCM_SEVERITY_ERROR:
      return "error";

    default:
      return "error";
    }
}

/**
 * fcm_issues_have_errors:
 * @issues: (element-type FcmIssue) (nullable): validator output
 *
 * Returns: %TRUE if any issue has %FCM_SEVERITY_ERROR
 */
gboolean
fcm_issues_have_errors (GPtrArray *issues)
{
  if (issues == NULL)
    return FALSE;

  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      if (FCM_IS_ISSUE (issue) && issue->severity == FCM_SEVERITY_ERROR)
        return TRUE;
    }

  return FALSE;
}
