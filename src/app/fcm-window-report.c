/* fcm-window-report.c: the window's report buttons
 *
 * Open, Close, Update and Select ask the hub for a context change (C-44)
 * on the shown connection; the hub's answer (or the error) shows inline in
 * the header. The buttons are enabled only when the request can be made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "fcm-open-report-dialog.h"
#include "fcm-window-private.h"

/* what Close, Update and Select act on: the suspended report chosen in the
 * panel, else the current one */
static FcmContextItem *
target_context (FcmWindow *self)
{
  if (self->connection == NULL)
    return NULL;
  return fcm_context_panel_get_target (self->context_panel);
}

static gboolean
button_query_tooltip_cb (GtkWidget  *button,
                         int         x,
                         int         y,
                         gboolean    keyboard,
                         GtkTooltip *tooltip,
                         gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "fcm-tooltip");

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
set_button_state (GtkWidget  *button,
                  gboolean    enabled,
                  const char *enabled_tooltip,
                  const char *disabled_tooltip)
{
  const char *text = enabled ? enabled_tooltip : disabled_tooltip;

  /* The action's enabled state drives sensitivity; the tooltip says why
   * not. It runs for every context change: the tooltip is computed when
   * the pointer asks (GTK 4.8 asks the X server where the pointer is on
   * every gtk_widget_set_tooltip_text), the description set only when it
   * changes. */
  if (!gtk_widget_get_has_tooltip (button))
    {
      g_signal_connect (button, "query-tooltip", G_CALLBACK (button_query_tooltip_cb), NULL);
      gtk_widget_set_has_tooltip (button, TRUE);
    }
  if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "fcm-tooltip"), text) == 0)
    return;
  g_object_set_data_full (G_OBJECT (button), "fcm-tooltip", g_strdup (text), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/* for tests: what the button's tooltip says now */
const char *
_fcm_window_get_button_tooltip (GtkWidget *button)
{
  return g_object_get_data (G_OBJECT (button), "fcm-tooltip");
}

/* only when it changes: every context change comes here, and each call
 * updates the action muxers of the window's widgets */
static void
set_action_enabled (FcmWindow  *self,
                    const char *action_name,
                    gboolean    enabled)
{
  gpointer known = g_object_get_data (G_OBJECT (self), action_name);

  if (known != NULL && GPOINTER_TO_INT (known) - 1 == !!enabled)
    return;
  g_object_set_data (G_OBJECT (self), action_name, GINT_TO_POINTER (!!enabled + 1));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), action_name, enabled);
}

void
_fcm_window_update_actions (FcmWindow *self)
{
  gboolean live = self->connection != NULL && fcm_connection_get_live (self->connection);
  FcmContextItem *target = live ? target_context (self) : NULL;
  gboolean has_report = target != NULL;
  gboolean suspended = has_report && !fcm_context_item_get_current (target);
  const char *why_not = live ? _("No report is open") : _("Not connected to a hub");
  g_autofree char *close_tip = NULL;
  g_autofree char *update_tip = NULL;
  g_autofree char *select_tip = NULL;

  set_action_enabled (self, "win.open-report", live);
  set_action_enabled (self, "win.close-report", has_report);
  set_action_enabled (self, "win.update-report", has_report);
  set_action_enabled (self, "win.select-content", has_report);
  set_action_enabled (self, "win.reconnect", self->connection != NULL);
  set_action_enabled (self, "win.remove-connection", self->connection != NULL);

  set_button_state (self->open_button, live,
                    _("Open a report in the session (Ctrl+O)"), _("Not connected to a hub"));
  if (suspended)
    {
      const char *id = fcm_context_item_get_anchor_id (target);

      /* Translators: %s is the id of a suspended report chosen in the panel */
      close_tip = g_strdup_printf (_("Close the suspended report %s (Ctrl+Shift+W)"), id);
      /* Translators: %s is the id of a suspended report chosen in the panel */
      update_tip = g_strdup_printf (_("Add a demo measurement to the suspended report %s (Ctrl+U)"), id);
      /* Translators: %s is the id of a suspended report chosen in the panel */
      select_tip = g_strdup_printf (_("Select the newest content of the suspended report %s (Ctrl+E)"), id);
    }
  set_button_state (self->close_button, has_report,
                    close_tip ? close_tip : _("Close the current report (Ctrl+Shift+W)"), why_not);
  set_button_state (self->update_button, has_report,
                    update_tip ? update_tip : _("Add a demo measurement to the current report (Ctrl+U)"),
                    why_not);
  set_button_state (self->select_button, has_report,
                    select_tip ? select_tip : _("Select the newest content of the current report (Ctrl+E)"),
                    why_not);
  set_action_enabled (self, "win.resume-report", live);
  set_action_enabled (self, "win.close-suspended", live);
}

static void
show_answer (FcmWindow  *self,
             const char *what,
             guint       status,
             const char *reason,
             gboolean    failed)
{
  g_autofree char *text = NULL;
  const char *phrase = status ? soup_status_get_phrase (status) : NULL;

  if (status == 0)
    /* Translators: 1: an event name, 2: an error message */
    text = g_strdup_printf (_("%s: %s"), what, reason ? reason : _("failed"));
  else if (reason != NULL && reason[0] != '\0')
    /* Translators: 1: an event name, 2: HTTP status code, 3: its phrase, 4: the hub's reason */
    text = g_strdup_printf (_("%s: %u %s — %s"), what, status, phrase ? phrase : "", reason);
  else
    text = g_strdup_printf (_("%s: %u %s"), what, status, phrase ? phrase : "");

  /* Testing mode refuses the echo of our own event too: the hub's 200 here
   * and the 409 in the row's Ack cell, said side by side */
  if (!failed && !g_str_equal (what, FCM_EVENT_SYNCERROR))
    {
      g_autofree char *policy = g_settings_get_string (self->settings, "ack-policy");
      guint ack = (guint) g_ascii_strtoull (policy, NULL, 10);

      if (ack != 200 && ack != 0)
        {
          g_autofree char *plain = g_steal_pointer (&text);

          /* Translators: 1: the hub's answer, e.g. "DiagnosticReport-open: 200 OK", 2: an HTTP status */
          text = g_strdup_printf (_("%s · this app answers %u (Testing)"), plain, ack);
        }
    }

  gtk_label_set_text (self->answer_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->answer_label), text);
  /* no green "200 OK" while an alert says sync is lost (it came first) */
  gtk_widget_set_visible (GTK_WIDGET (self->answer_label),
                          failed || self->connection == NULL ||
                          fcm_connection_get_alert_kind (self->connection) == FCM_CONNECTION_ALERT_NONE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->answer_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->answer_label), "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->answer_label), failed ? "error" : "success");
}

typedef struct
{
  GWeakRef   window;  /* the answer may come after the window is gone */
  char      *what;
} Publish;

static void
publish_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Publish *p = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmWindow) window = g_weak_ref_get (&p->window);
  g_autofree char *reason = NULL;
  guint status;

  status = fcm_connection_publish_finish (FCM_CONNECTION (source), result, &reason, &error);
  if (window != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_answer (window, p->what, status, error ? error->message : reason,
                 error != NULL || status < 200 || status >= 300);
  g_weak_ref_clear (&p->window);
  g_free (p->what);
  g_free (p);
}

static void
publish (FcmWindow  *self,
         const char *event_name,
         JsonArray  *context)
{
  Publish *p = g_new0 (Publish, 1);

  g_weak_ref_init (&p->window, self);
  p->what = g_strdup (event_name);
  gtk_label_set_text (self->answer_label, _("Sending…"));
  gtk_widget_set_visible (GTK_WIDGET (self->answer_label), TRUE);
  fcm_connection_publish_async (self->connection, event_name, context, self->cancellable, publish_cb, p);
}

static void
open_report_response_cb (FcmOpenReportDialog *dialog,
                         const char          *response,
                         FcmWindow           *self)
{
  if (g_strcmp0 (response, "open") == 0 && self->connection != NULL)
    {
      JsonArray *context = fcm_context_build_open (fcm_open_report_dialog_get_report_id (dialog),
                                                   fcm_open_report_dialog_get_patient_id (dialog),
                                                   fcm_open_report_dialog_get_study_id (dialog),
                                                   fcm_open_report_dialog_get_accession (dialog),
                                                   fcm_open_report_dialog_get_mrn (dialog));
      g_autoptr(GError) error = NULL;
      FcmReportDetails details;

      /* the dialog lets "open" through only when the details are valid */
      fcm_open_report_dialog_get_details (dialog, &details);
      if (!fcm_context_add_details (context, &details, &error))
        {
          json_array_unref (context);
          show_answer (self, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, 0, error->message, TRUE);
          return;
        }
      publish (self, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, context);
    }
}

void
_fcm_window_open_report_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  FcmOpenReportDialog *dialog = fcm_open_report_dialog_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "response", G_CALLBACK (open_report_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
publish_built (FcmWindow  *self,
               const char *event_name,
               JsonArray  *(*build) (FcmConnection *, FcmContextItem *, GError **),
               FcmContextItem *item)
{
  g_autoptr(GError) error = NULL;
  JsonArray *context;

  if (self->connection == NULL)
    return;
  context = build (self->connection, item, &error);
  if (context == NULL)
    {
      show_answer (self, event_name, 0, error->message, TRUE);
      return;
    }
  publish (self, event_name, context);
}

/* the actions whose context the connection builds from the target report */
static const struct
{
  const char *action_name;
  const char *event_name;
  JsonArray  *(*build) (FcmConnection *, FcmContextItem *, GError **);
} built_events[] = {
  { "win.close-report", FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, fcm_connection_build_close_for },
  { "win.update-report", FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, fcm_connection_build_demo_update_for },
  { "win.select-content", FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, fcm_connection_build_select_for },
};

/* win.close-report, win.update-report and win.select-content: on the
 * suspended report chosen in the panel, else on the current one */
void
_fcm_window_publish_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  for (guint i = 0; i < G_N_ELEMENTS (built_events); i++)
    if (g_strcmp0 (action_name, built_events[i].action_name) == 0)
      publish_built (self, built_events[i].event_name, built_events[i].build, target_context (self));
}

static FcmContextItem *
lookup_report (FcmWindow *self,
               GVariant  *parameter)
{
  if (self->connection == NULL || parameter == NULL)
    return NULL;
  return fcm_context_store_lookup (fcm_monitor_get_context_store (fcm_connection_get_monitor (self->connection)),
                                   g_variant_get_string (parameter, NULL));
}

/* win.resume-report(s): re-open a suspended report (C-37, C-48) */
void
_fcm_window_resume_report_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  FcmContextItem *item = lookup_report (self, parameter);

  if (item == NULL)
    {
      show_answer (self, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, 0, _("That report is no longer open"), TRUE);
      return;
    }
  publish (self, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, fcm_connection_build_resume (self->connection, item));
}

/* win.close-suspended(s): close a report from the suspended list (C-50) */
void
_fcm_window_close_suspended_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  FcmContextItem *item = lookup_report (self, parameter);

  if (item == NULL)
    {
      show_answer (self, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, 0, _("That report is no longer open"), TRUE);
      return;
    }
  publish_built (self, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, fcm_connection_build_close_for, item);
}
