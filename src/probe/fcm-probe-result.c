/* fcm-probe-result.c: the outcome of one conformance probe scenario
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include "fcm-probe-result.h"

/**
 * FcmProbeResult:
 *
 * What one scenario found: its id, title and the rule ids it checks, the
 * verdict, a list of findings (an #FcmIssue each: %FCM_SEVERITY_ERROR is a
 * broken rule, %FCM_SEVERITY_WARNING a missed recommendation,
 * %FCM_SEVERITY_INFO a check that held) and the evidence: the requests,
 * answers and frames exchanged, one per line, with tokens and endpoint ids
 * already redacted.
 *
 * The verdict follows from the findings: any error fails the scenario;
 * otherwise a skip reason makes it skipped, and any warning a warning.
 */

struct _FcmProbeResult
{
  GObject    parent_instance;

  char      *kind;
  char      *id;
  char      *title;
  char     **rule_ids;
  GPtrArray *findings;
  GString   *evidence;
  char      *skip_reason;
  double     duration;
};

G_DEFINE_FINAL_TYPE (FcmProbeResult, fcm_probe_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_VERDICT,
  PROP_MESSAGE,
  PROP_DURATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
fcm_probe_verdict_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { FCM_PROBE_VERDICT_PASS, "FCM_PROBE_VERDICT_PASS", "pass" },
        { FCM_PROBE_VERDICT_WARNING, "FCM_PROBE_VERDICT_WARNING", "warning" },
        { FCM_PROBE_VERDICT_FAIL, "FCM_PROBE_VERDICT_FAIL", "fail" },
        { FCM_PROBE_VERDICT_SKIPPED, "FCM_PROBE_VERDICT_SKIPPED", "skipped" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("FcmProbeVerdict"), values);

      g_once_init_leave (&type_id, id);
    }
  return type_id;
}

/**
 * fcm_probe_verdict_to_string:
 *
 * Returns: "pass", "warning", "fail" or "skipped" (not translated: the
 *   machine-readable reports use it)
 */
const char *
fcm_probe_verdict_to_string (FcmProbeVerdict verdict)
{
  switch (verdict)
    {
    case FCM_PROBE_VERDICT_PASS:
      return "pass";
    case FCM_PROBE_VERDICT_WARNING:
      return "warning";
    case FCM_PROBE_VERDICT_FAIL:
      return "fail";
    case FCM_PROBE_VERDICT_SKIPPED:
      return "skipped";
    default:
      return "fail";
    }
}

static void
fcm_probe_result_finalize (GObject *object)
{
  FcmProbeResult *self = (FcmProbeResult *) object;

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->rule_ids, g_strfreev);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_string_free (self->evidence, TRUE);
  g_clear_pointer (&self->skip_reason, g_free);

  G_OBJECT_CLASS (fcm_probe_result_parent_class)->finalize (object);
}

static void
fcm_probe_result_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FcmProbeResult *self = FCM_PROBE_RESULT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_VERDICT:
      g_value_set_enum (value, fcm_probe_result_get_verdict (self));
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, fcm_probe_result_get_message (self));
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_probe_result_class_init (FcmProbeResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fcm_probe_result_finalize;
  object_class->get_property = fcm_probe_result_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_VERDICT] = g_param_spec_enum ("verdict", NULL, NULL, FCM_TYPE_PROBE_VERDICT,
                                                FCM_PROBE_VERDICT_PASS, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fcm_probe_result_init (FcmProbeResult *self)
{
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
  self->evidence = g_string_new (NULL);
}

/**
 * fcm_probe_result_new:
 * @kind: "hub" or "subscriber"
 * @id: the scenario id
 * @title: the (translated) title
 * @rules: comma-separated rule ids
 *
 * Returns: (transfer full): an empty result (verdict pass until findings say otherwise)
 */
FcmProbeResult *
fcm_probe_result_new (const char *kind,
                      const char *id,
                      const char *title,
                      const char *rules)
{
  FcmProbeResult *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (FCM_TYPE_PROBE_RESULT, NULL);
  self->kind = g_strdup (kind != NULL ? kind : "");
  self->id = g_strdup (id);
  self->title = g_strdup (title != NULL ? title : id);
  self->rule_ids = g_strsplit (rules != NULL ? rules : "", ",", -1);
  for (guint i = 0; self->rule_ids[i] != NULL; i++)
    g_strstrip (self->rule_ids[i]);
  return self;
}

const char *
fcm_probe_result_get_kind (FcmProbeResult *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), NULL);
  return self->kind;
}

const char *
fcm_probe_result_get_id (FcmProbeResult *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), NULL);
  return self->id;
}

const char *
fcm_probe_result_get_title (FcmProbeResult *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), NULL);
  return self->title;
}

/**
 * fcm_probe_result_get_rule_ids:
 *
 * Returns: (transfer none): the rule ids the scenario checks
 */
const char * const *
fcm_probe_result_get_rule_ids (FcmProbeResult *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), NULL);
  return (const char * const *) self->rule_ids;
}

static FcmIssue *
first_with_severity (FcmProbeResult *self,
                     FcmSeverity     severity)
{
  for (guint i = 0; i < self->findings->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (self->findings, i);

      if (fcm_issue_get_severity (issue) == severity)
        return issue;
    }
  return NULL;
}

FcmProbeVerdict
fcm_probe_result_get_verdict (FcmProbeResult *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), FCM_PROBE_VERDICT_FAIL);

  if (first_with_severity (self, FCM_SEVERITY_ERROR) != NULL)
    return FCM_PROBE_VERDICT_FAIL;
  if (self->skip_reason != NULL)
    return FCM_PROBE_VERDICT_SKIPPED;
  if (first_with_severity (self, FCM_SEVERITY_WARNING) != NULL)
    return FCM_PROBE_VERDICT_WARNING;
  return FCM_PROBE_VERDICT_PASS;
}

/**
 * fcm_probe_result_get_message:
 *
 * Returns: the reason for the verdict: the first broken rule's message, the
 *   skip reason or the first warning; "" for a pass
 */
const char *
fcm_probe_result_get_message (FcmProbeResult *self)
{
  FcmIssue *issue;

  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), NULL);

  if ((issue = first_with_severity (self, FCM_SEVERITY_ERROR)) != NULL)
    return fcm_issue_get_message (issue);
  if (self->skip_reason != NULL)
    return self->skip_reason;
  if ((issue = first_with_severity (self, FCM_SEVERITY_WARNING)) != NULL)
    return fcm_issue_get_message (issue);
  return "";
}

const char *
fcm_probe_result_get_evidence (FcmProbeResult *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), NULL);
  return self->evidence->str;
}

/**
 * fcm_probe_result_get_duration:
 *
 * Returns: how long the scenario ran, in seconds
 */
double
fcm_probe_result_get_duration (FcmProbeResult *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), 0);
  return self->duration;
}

/**
 * fcm_probe_result_get_findings:
 *
 * Returns: (transfer none) (element-type FcmIssue): every check, in order
 */
GPtrArray *
fcm_probe_result_get_findings (FcmProbeResult *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), NULL);
  return self->findings;
}

/**
 * fcm_probe_result_dup_failed_rules:
 *
 * Returns: (transfer full): the rule ids of the failed checks, each once
 */
char **
fcm_probe_result_dup_failed_rules (FcmProbeResult *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), NULL);

  for (guint i = 0; i < self->findings->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (self->findings, i);
      const char *rule = fcm_issue_get_rule_id (issue);

      if (fcm_issue_get_severity (issue) == FCM_SEVERITY_ERROR &&
          g_hash_table_add (seen, (gpointer) rule))
        g_strv_builder_add (builder, rule);
    }
  return g_strv_builder_end (builder);
}

gboolean
fcm_probe_result_has_failed_rule (FcmProbeResult *self,
                                  const char     *rule_id)
{
  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), FALSE);

  for (guint i = 0; i < self->findings->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (self->findings, i);

      if (fcm_issue_get_severity (issue) == FCM_SEVERITY_ERROR &&
          g_strcmp0 (fcm_issue_get_rule_id (issue), rule_id) == 0)
        return TRUE;
    }
  return FALSE;
}

void
fcm_probe_result_add_finding (FcmProbeResult *self,
                              FcmSeverity     severity,
                              const char     *rule_id,
                              const char     *message)
{
  FcmProbeVerdict before;

  g_return_if_fail (FCM_IS_PROBE_RESULT (self));

  before = fcm_probe_result_get_verdict (self);
  g_ptr_array_add (self->findings, fcm_issue_new (severity, rule_id ? rule_id : "", NULL, message));
  if (fcm_probe_result_get_verdict (self) != before)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
}

/**
 * fcm_probe_result_skip:
 * @reason: why the scenario could not run
 *
 * Marks the result skipped (the first reason is kept). Failures still win.
 */
void
fcm_probe_result_skip (FcmProbeResult *self,
                       const char     *reason)
{
  g_return_if_fail (FCM_IS_PROBE_RESULT (self));

  if (self->skip_reason != NULL)
    return;
  self->skip_reason = g_strdup (reason != NULL ? reason : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

/**
 * fcm_probe_result_append_evidence:
 * @line: one line, already redacted
 */
void
fcm_probe_result_append_evidence (FcmProbeResult *self,
                                  const char     *line)
{
  g_return_if_fail (FCM_IS_PROBE_RESULT (self));

  g_string_append (self->evidence, line);
  g_string_append_c (self->evidence, '\n');
}

void
fcm_probe_result_set_duration (FcmProbeResult *self,
                               double          seconds)
{
  g_return_if_fail (FCM_IS_PROBE_RESULT (self));

  self->duration = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

/**
 * fcm_probe_result_to_json:
 *
 * Returns: (transfer full): `{"kind", "id", "title", "verdict", "rules",
 *   "failedRules", "message", "duration", "findings": [{"severity", "rule",
 *   "message"}], "evidence"}`: one line of the NDJSON report
 */
JsonNode *
fcm_probe_result_to_json (FcmProbeResult *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) failed = NULL;

  g_return_val_if_fail (FCM_IS_PROBE_RESULT (self), NULL);

  failed = fcm_probe_result_dup_failed_rules (self);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, self->kind);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->id);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, self->title);
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, fcm_probe_verdict_to_string (fcm_probe_result_get_verdict (self)));
  json_builder_set_member_name (b, "rules");
  json_builder_begin_array (b);
  for (guint i = 0; self->rule_ids[i] != NULL; i++)
    if (self->rule_ids[i][0] != '\0')
      json_builder_add_string_value (b, self->rule_ids[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "failedRules");
  json_builder_begin_array (b);
  for (guint i = 0; failed[i] != NULL; i++)
    json_builder_add_string_value (b, failed[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, fcm_probe_result_get_message (self));
  json_builder_set_member_name (b, "duration");
  json_builder_add_double_value (b, self->duration);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->findings->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (self->findings, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, fcm_severity_to_string (fcm_issue_get_severity (issue)));
      json_builder_set_member_name (b, "rule");
      json_builder_add_string_value (b, fcm_issue_get_rule_id (issue));
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, fcm_issue_get_message (issue));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "evidence");
  json_builder_add_string_value (b, self->evidence->str);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
