/* fcm-event-details.c: the pretty JSON and validation issues of one timeline entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmEventDetails"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fcm-event-details.h"
#include "fcm-timeline-private.h"
#include "fcm-json-private.h"

struct _FcmEventDetails
{
  GtkWidget         parent_instance;

  FcmEventLogEntry *entry;

  /* Template children */
  GtkStack         *stack;
  GtkLabel         *title_label;
  GtkLabel         *id_label;
  GtkLabel         *summary_label;
  GtkListBox       *issues_list;
  GtkWidget        *issues_separator;
  GtkTextView      *text_view;
};

G_DEFINE_FINAL_TYPE (FcmEventDetails, fcm_event_details, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ shared with the timeline */

const char *
_fcm_entry_title (FcmEventLogEntry *entry)
{
  const char *name = fcm_event_log_entry_get_name (entry);
  const char *note = fcm_event_log_entry_get_note (entry);

  if (name != NULL)
    return name;

  /* the monitor's notes of connection changes (issue 11.9) */
  if (note != NULL)
    {
      if (g_str_equal (note, FCM_NOTE_SUBSCRIBED))
        return _("Subscribed");
      if (g_str_equal (note, FCM_NOTE_RESUBSCRIBED))
        return _("Resubscribed");
      if (g_str_equal (note, FCM_NOTE_CONNECTION_LOST))
        return _("Connection lost");
      if (g_str_equal (note, FCM_NOTE_ENDED))
        return _("Subscription ended");
      if (g_str_equal (note, FCM_NOTE_FAILED))
        return _("Subscribing failed");
      if (g_str_equal (note, FCM_NOTE_UNSUBSCRIBED))
        return _("Unsubscribed");
      return note;
    }

  switch (fcm_event_log_entry_get_kind (entry))
    {
    case FCM_MESSAGE_CONFIRMATION:
      return _("Confirmation");
    case FCM_MESSAGE_DENIAL:
      return _("Denial");
    case FCM_MESSAGE_ACK:
    case FCM_MESSAGE_LEGACY_STATUS:
      return _("Acknowledgement");
    case FCM_MESSAGE_CURRENT_CONTEXT:
      return _("Current context");
    case FCM_MESSAGE_UNKNOWN:
      return _("Unknown message");
    case FCM_MESSAGE_EVENT:
    case FCM_MESSAGE_LEGACY_EVENT:
    case FCM_MESSAGE_SUBSCRIPTION_REQUEST:
    case FCM_MESSAGE_SUBSCRIPTION_RESPONSE:
    case FCM_MESSAGE_CONFIGURATION:
    case FCM_MESSAGE_BACKPORT:
    case FCM_MESSAGE_GETTOPIC:
    default:
      return fcm_message_kind_to_string (fcm_event_log_entry_get_kind (entry));
    }
}

/* "✓", "2 warnings" or "1 error", and the css class of the pill */
char *
_fcm_entry_badge (FcmEventLogEntry  *entry,
                  const char       **css_class)
{
  guint errors = fcm_event_log_entry_count_issues (entry, FCM_SEVERITY_ERROR);
  guint warnings = fcm_event_log_entry_count_issues (entry, FCM_SEVERITY_WARNING);

  if (errors > 0)
    {
      *css_class = "error";
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", errors), errors);
    }
  if (warnings > 0)
    {
      *css_class = "warning";
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings), warnings);
    }
  *css_class = "success";
  return g_strdup ("✓");
}

/**
 * fcm_event_details_format_json:
 *
 * Returns: (transfer full): the entry's message, pretty-printed when it is
 *   JSON, else its text as received
 */
char *
fcm_event_details_format_json (FcmEventLogEntry *entry)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (entry), NULL);

  /* fcm_json_parse(): a text with content after its value (issue 14) is
   * shown as received, not as its first value */
  text = fcm_event_log_entry_dup_text (entry);
  if ((root = fcm_json_parse (text, -1, NULL)) == NULL)
    return g_steal_pointer (&text);
  return json_to_string (root, TRUE);
}

/* ------------------------------------------------------------------ widget */

static GtkWidget *
issue_row_new (FcmIssue *issue)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *severity;
  GtkWidget *rule;
  GtkWidget *path;
  GtkWidget *message;
  const char *css;
  const char *label;

  switch (fcm_issue_get_severity (issue))
    {
    case FCM_SEVERITY_ERROR:
      css = "error";
      label = C_("severity", "Error");
      break;
    case FCM_SEVERITY_WARNING:
      css = "warning";
      label = C_("severity", "Warning");
      break;
    case FCM_SEVERITY_INFO:
    default:
      css = "accent";
      label = C_("severity", "Info");
      break;
    }

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  severity = gtk_label_new (label);
  gtk_widget_add_css_class (severity, "fcm-badge");
  gtk_widget_add_css_class (severity, css);
  gtk_widget_set_valign (severity, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (line), severity);

  rule = gtk_label_new (fcm_issue_get_rule_id (issue));
  gtk_widget_add_css_class (rule, "heading");
  gtk_label_set_selectable (GTK_LABEL (rule), TRUE);
  gtk_box_append (GTK_BOX (line), rule);

  path = gtk_label_new (fcm_issue_get_path (issue));
  gtk_widget_add_css_class (path, "monospace");
  gtk_widget_add_css_class (path, "dim-label");
  gtk_label_set_ellipsize (GTK_LABEL (path), PANGO_ELLIPSIZE_START);
  gtk_label_set_xalign (GTK_LABEL (path), 0);
  gtk_label_set_selectable (GTK_LABEL (path), TRUE);
  gtk_widget_set_hexpand (path, TRUE);
  gtk_box_append (GTK_BOX (line), path);
  gtk_box_append (GTK_BOX (box), line);

  message = gtk_label_new (fcm_issue_get_message (issue));
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_selectable (GTK_LABEL (message), TRUE);
  gtk_box_append (GTK_BOX (box), message);

  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, fcm_issue_get_message (issue),
                                  -1);
  return box;
}

static void
update (FcmEventDetails *self)
{
  g_autofree char *json = NULL;
  g_autofree char *badge = NULL;
  GPtrArray *issues;
  GtkWidget *child;
  const char *css = NULL;
  const char *id;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->issues_list))) != NULL)
    gtk_list_box_remove (self->issues_list, child);

  if (self->entry == NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  gtk_label_set_label (self->title_label, _fcm_entry_title (self->entry));
  id = fcm_event_log_entry_get_event_id (self->entry);
  gtk_label_set_label (self->id_label, id != NULL ? id : "");

  badge = _fcm_entry_badge (self->entry, &css);
  gtk_label_set_label (self->summary_label, badge);
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), css);

  issues = fcm_event_log_entry_get_issues (self->entry);
  for (guint i = 0; i < issues->len; i++)
    gtk_list_box_append (self->issues_list, issue_row_new (g_ptr_array_index (issues, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->issues_list), issues->len > 0);
  gtk_widget_set_visible (self->issues_separator, issues->len > 0);

  json = fcm_event_details_format_json (self->entry);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), json, -1);
  gtk_stack_set_visible_child_name (self->stack, "entry");
}

static void
fcm_event_details_dispose (GObject *object)
{
  GtkWidget *child;
  FcmEventDetails *self = FCM_EVENT_DETAILS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_EVENT_DETAILS);
  /* the template's children without a bound name (toolbar, separators) */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (fcm_event_details_parent_class)->dispose (object);
}

static void
fcm_event_details_class_init (FcmEventDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fcm_event_details_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/fcm-event-details.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmEventDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, FcmEventDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, FcmEventDetails, id_label);
  gtk_widget_class_bind_template_child (widget_class, FcmEventDetails, summary_label);
  gtk_widget_class_bind_template_child (widget_class, FcmEventDetails, issues_list);
  gtk_widget_class_bind_template_child (widget_class, FcmEventDetails, issues_separator);
  gtk_widget_class_bind_template_child (widget_class, FcmEventDetails, text_view);
  gtk_widget_class_set_css_name (widget_class, "fcm-event-details");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fcm_event_details_init (FcmEventDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message details"),
                                  -1);
}

GtkWidget *
fcm_event_details_new (void)
{
  return g_object_new (FCM_TYPE_EVENT_DETAILS, NULL);
}

/**
 * fcm_event_details_set_entry:
 * @entry: (nullable): the entry to show, %NULL for the empty state
 */
void
fcm_event_details_set_entry (FcmEventDetails  *self,
                             FcmEventLogEntry *entry)
{
  g_return_if_fail (FCM_IS_EVENT_DETAILS (self));
  g_return_if_fail (entry == NULL || FCM_IS_EVENT_LOG_ENTRY (entry));

  if (!g_set_object (&self->entry, entry))
    return;
  update (self);
}

/**
 * fcm_event_details_get_entry:
 *
 * Returns: (transfer none) (nullable):
 */
FcmEventLogEntry *
fcm_event_details_get_entry (FcmEventDetails *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_DETAILS (self), NULL);
  return self->entry;
}
