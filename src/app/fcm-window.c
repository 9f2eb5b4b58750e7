/* fcm-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sidebar of hub connections (C-07), and for the selected one: the
 * context panel, the event timeline with its details, the buttons that
 * request context changes (C-44) with the hub's answer inline, and the
 * persistent alert while sync is lost (C-63..C-68).
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "fcm-context-panel.h"
#include "fcm-client.h"
#include "fcm-open-report-dialog.h"
#include "fcm-timeline.h"
#include "fcm-window-private.h"

struct _FcmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GListStore           *connections;
  FcmConnection        *connection;       /* the selected one */
  GCancellable         *cancellable;
  gboolean              alert_dismissed;  /* for the current alert text */
  char                 *alert_text;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwFlap              *flap;
  GtkListBox           *connection_list;
  GtkWidget            *connection_details;
  GtkLabel             *hub_url_label;
  GtkLabel             *topic_label;
  GtkRevealer          *alert_revealer;
  GtkLabel             *alert_title;
  GtkLabel             *alert_label;
  GtkImage             *alert_icon;
  GtkLabel             *answer_label;
  GtkWidget            *open_button;
  GtkWidget            *close_button;
  GtkWidget            *update_button;
  GtkWidget            *select_button;
  FcmContextPanel      *context_panel;
  FcmTimeline          *timeline;
};

G_DEFINE_FINAL_TYPE (FcmWindow, fcm_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_current (FcmWindow *self);

/**
 * fcm_window_new:
 * @application: the #FcmApplication
 *
 * Returns: (transfer none): a new main window, owned by GTK's toplevel list
 */
FcmWindow *
fcm_window_new (FcmApplication *application)
{
  g_return_val_if_fail (FCM_IS_APPLICATION (application), NULL);

  return g_object_new (FCM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/* ------------------------------------------------------------ notifications */

static char *
notification_id (FcmConnection *connection)
{
  return g_strdup_printf ("sync-%p", (gpointer) connection);
}

/* Tell the user: a toast in the window, and a desktop notification when the
 * window is not focused (it stays in the shell's list until sync returns). */
static void
tell_user (FcmWindow     *self,
           FcmConnection *connection,
           const char    *title,
           const char    *body)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 5);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  if (FCM_IS_APPLICATION (app) && !gtk_window_is_active (GTK_WINDOW (self)) &&
      fcm_application_get_can_notify (FCM_APPLICATION (app)))
    {
      g_autoptr(GNotification) notification = g_notification_new (title);
      g_autoptr(GIcon) icon = g_themed_icon_new ("dialog-warning-symbolic");
      g_autofree char *id = notification_id (connection);

      g_notification_set_body (notification, body);
      g_notification_set_icon (notification, icon);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_notification_set_default_action (notification, "app.show-window");
      g_application_send_notification (app, id, notification);
    }
}

static void
withdraw_notification (FcmWindow     *self,
                       FcmConnection *connection)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *id = notification_id (connection);

  if (FCM_IS_APPLICATION (app) && g_application_get_is_registered (app) &&
      fcm_application_get_can_notify (FCM_APPLICATION (app)))
    g_application_withdraw_notification (app, id);
}

/* ------------------------------------------------------------------ alerts */

static void
update_alert (FcmWindow *self)
{
  g_autofree char *text = NULL;
  gboolean sync_lost = FALSE;

  if (self->connection != NULL)
    {
      text = fcm_connection_dup_alert (self->connection);
      sync_lost = !fcm_connection_get_connection_lost (self->connection);
    }

  if (g_strcmp0 (text, self->alert_text) != 0)
    {
      g_free (self->alert_text);
      self->alert_text = g_strdup (text);
      self->alert_dismissed = FALSE;
    }

  if (text != NULL)
    {
      gtk_label_set_text (self->alert_title, sync_lost ? _("Sync Lost") : _("Not Connected"));
      gtk_label_set_text (self->alert_label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->alert_revealer),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      sync_lost ? _("Sync lost") : _("Not connected"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                      -1);
    }
  gtk_revealer_set_reveal_child (self->alert_revealer, text != NULL && !self->alert_dismissed);
}

/* Any connection: sync lost or connection lost → tell the user, once per change. */
static void
connection_alert_changed_cb (FcmConnection *connection,
                             GParamSpec    *pspec,
                             FcmWindow     *self)
{
  g_autofree char *text = fcm_connection_dup_alert (connection);
  const char *previous = g_object_get_data (G_OBJECT (connection), "fcm-alert-text");

  if (g_strcmp0 (text, previous) != 0)
    {
      if (text != NULL)
        {
          gboolean sync_lost = !fcm_connection_get_connection_lost (connection);
          g_autofree char *title = NULL;

          /* Translators: %s is a hub, e.g. "Built-in Hub" or "hub.example.org:443" */
          title = g_strdup_printf (sync_lost ? _("Sync lost on %s") : _("Connection lost to %s"),
                                   fcm_connection_get_title (connection));
          tell_user (self, connection, title, text);
        }
      else
        {
          /* C-66: restored; the alert and the desktop notification go away */
          withdraw_notification (self, connection);
          if (previous != NULL)
            {
              g_autofree char *title = g_strdup_printf (_("Back in sync on %s"),
                                                        fcm_connection_get_title (connection));
              adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
            }
        }
      g_object_set_data_full (G_OBJECT (connection), "fcm-alert-text",
                              g_steal_pointer (&text), g_free);
    }

  if (connection == self->connection)
    update_current (self);
}

static void
dismiss_alert_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  self->alert_dismissed = TRUE;
  gtk_revealer_set_reveal_child (self->alert_revealer, FALSE);
}

/* ----------------------------------------------------------------- actions */

static FcmContextItem *
current_context (FcmWindow *self)
{
  if (self->connection == NULL)
    return NULL;
  return fcm_context_store_get_current (fcm_monitor_get_context_store (fcm_connection_get_monitor (self->connection)));
}

static void
set_button_state (GtkWidget  *button,
                  gboolean    enabled,
                  const char *enabled_tooltip,
                  const char *disabled_tooltip)
{
  /* The action's enabled state drives sensitivity; the tooltip says why not. */
  gtk_widget_set_tooltip_text (button, enabled ? enabled_tooltip : disabled_tooltip);
}

static void
update_actions (FcmWindow *self)
{
  gboolean live = self->connection != NULL && fcm_connection_get_live (self->connection);
  gboolean has_report = live && current_context (self) != NULL;
  const char *why_not = live ? _("No report is open") : _("Not connected to a hub");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-report", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-report", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.update-report", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.select-content", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reconnect", self->connection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-connection", self->connection != NULL);

  set_button_state (self->open_button, live,
                    _("Open a report in the session (Ctrl+O)"), _("Not connected to a hub"));
  set_button_state (self->close_button, has_report,
                    _("Close the current report (Ctrl+Shift+W)"), why_not);
  set_button_state (self->update_button, has_report,
                    _("Add a demo measurement to the current report (Ctrl+U)"), why_not);
  set_button_state (self->select_button, has_report,
                    _("Select the newest content of the current report (Ctrl+E)"), why_not);
}

static void
update_current (FcmWindow *self)
{
  if (self->connection != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s · %s",
                                                   fcm_connection_get_title (self->connection),
                                                   fcm_connection_get_status_text (self->connection));
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    adw_window_title_set_subtitle (self->window_title, _("Not connected"));

  update_actions (self);
  update_alert (self);
}

static void
context_changed_cb (FcmWindow *self)
{
  update_actions (self);
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

  gtk_label_set_text (self->answer_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->answer_label), text);
  gtk_widget_set_visible (GTK_WIDGET (self->answer_label), TRUE);
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
      publish (self, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, context);
    }
}

static void
open_report_action (GtkWidget  *widget,
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
               JsonArray  *(*build) (FcmConnection *, GError **))
{
  g_autoptr(GError) error = NULL;
  JsonArray *context;

  if (self->connection == NULL)
    return;
  context = build (self->connection, &error);
  if (context == NULL)
    {
      show_answer (self, event_name, 0, error->message, TRUE);
      return;
    }
  publish (self, event_name, context);
}

static void
close_report_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  publish_built (FCM_WINDOW (widget), FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, fcm_connection_build_close);
}

static void
update_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  publish_built (FCM_WINDOW (widget), FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, fcm_connection_build_demo_update);
}

static void
select_content_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  publish_built (FCM_WINDOW (widget), FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, fcm_connection_build_select);
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  if (self->connection != NULL)
    fcm_connection_start (self->connection);
}

static void
remove_connection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  /* unsubscribes (C-19); the built-in hub stops with its connection */
  if (self->connection != NULL)
    fcm_window_remove_connection (self, self->connection);
}

static void
export_timeline_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gtk_widget_activate_action (GTK_WIDGET (FCM_WINDOW (widget)->timeline), "timeline.export", NULL);
}

static void
clear_timeline_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_widget_activate_action (GTK_WIDGET (FCM_WINDOW (widget)->timeline), "timeline.clear", NULL);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

/* ---------------------------------------------------------- add connection */

typedef struct
{
  GtkEditable *url;
  GtkEditable *topic;
  GtkEditable *name;
} AddFields;

static gboolean
hub_url_valid (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  return uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0' &&
         (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0);
}

static void
add_fields_changed_cb (AdwMessageDialog *dialog)
{
  AddFields *fields = g_object_get_data (G_OBJECT (dialog), "fields");
  const char *url = gtk_editable_get_text (fields->url);
  const char *topic = gtk_editable_get_text (fields->topic);
  gboolean url_ok = hub_url_valid (url);

  if (url[0] != '\0' && !url_ok)
    gtk_widget_add_css_class (GTK_WIDGET (fields->url), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (fields->url), "error");
  adw_message_dialog_set_response_enabled (dialog, "connect", url_ok && topic[0] != '\0');
}

static void
add_connection_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            FcmWindow        *self)
{
  AddFields *fields = g_object_get_data (G_OBJECT (dialog), "fields");
  g_autoptr(FcmConnection) connection = NULL;
  const char *name;

  if (g_strcmp0 (response, "connect") != 0)
    return;

  name = gtk_editable_get_text (fields->name);
  connection = fcm_connection_new (gtk_editable_get_text (fields->url),
                                   gtk_editable_get_text (fields->topic),
                                   name[0] ? name : NULL);
  fcm_window_add_connection (self, connection);
  fcm_connection_start (connection);
}

static GtkEditable *
add_entry_row (AdwPreferencesGroup *group,
               const char          *title,
               const char          *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  adw_preferences_group_add (group, row);
  return GTK_EDITABLE (row);
}

static void
add_connection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  g_autofree char *name = g_settings_get_string (self->settings, "subscriber-name");
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AddFields *fields = g_new0 (AddFields, 1);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add Hub"),
                                   _("Subscribe to a session on another FHIRcast hub. "
                                     "The hub URL is its hub.url, for example "
                                     "http://localhost:8080/api/hub."));
  fields->url = add_entry_row (group, _("Hub URL"), NULL);
  fields->topic = add_entry_row (group, _("Topic"), NULL);
  fields->name = add_entry_row (group, _("Subscriber Name"), name);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (group));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "connect", _("C_onnect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "connect",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "connect");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "fields", fields, g_free);
  g_signal_connect_swapped (fields->url, "changed", G_CALLBACK (add_fields_changed_cb), dialog);
  g_signal_connect_swapped (fields->topic, "changed", G_CALLBACK (add_fields_changed_cb), dialog);
  add_fields_changed_cb (ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_connection_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------- the sidebar */

static const char *
state_icon (FcmConnection *connection)
{
  if (fcm_connection_get_connection_lost (connection))
    return "network-error-symbolic";
  if (fcm_monitor_get_sync_lost (fcm_connection_get_monitor (connection)))
    return "dialog-warning-symbolic";

  switch (fcm_connection_get_state (connection))
    {
    case FCM_CLIENT_STATE_ACTIVE:
    case FCM_CLIENT_STATE_RENEWING:
      return "emblem-ok-symbolic";
    case FCM_CLIENT_STATE_SUBSCRIBING:
    case FCM_CLIENT_STATE_CONNECTING:
    case FCM_CLIENT_STATE_RECONNECTING:
      return "network-wired-acquiring-symbolic";
    case FCM_CLIENT_STATE_DENIED:
    case FCM_CLIENT_STATE_ERROR:
      return "network-error-symbolic";
    case FCM_CLIENT_STATE_DISCONNECTED:
    default:
      return "network-offline-symbolic";
    }
}

static void
row_status_changed_cb (FcmConnection *connection,
                       GParamSpec    *pspec,
                       GtkWidget     *row)
{
  GtkImage *icon = g_object_get_data (G_OBJECT (row), "icon");
  GtkLabel *status = g_object_get_data (G_OBJECT (row), "status");
  g_autofree char *label = NULL;

  gtk_image_set_from_icon_name (icon, state_icon (connection));
  gtk_label_set_text (status, fcm_connection_get_status_text (connection));
  /* Translators: 1: a hub, 2: its state, e.g. "Built-in Hub, Live" */
  label = g_strdup_printf (_("%s, %s"), fcm_connection_get_title (connection),
                           fcm_connection_get_status_text (connection));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (fcm_monitor_get_sync_lost (fcm_connection_get_monitor (connection)) ||
      fcm_connection_get_state (connection) >= FCM_CLIENT_STATE_RECONNECTING)
    gtk_widget_add_css_class (GTK_WIDGET (icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (icon), "warning");
}

static GtkWidget *
create_connection_row (gpointer item,
                       gpointer user_data)
{
  FcmConnection *connection = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *title = gtk_label_new (fcm_connection_get_title (connection));
  GtkWidget *status = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_label_set_ellipsize (GTK_LABEL (status), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (status, "caption");
  gtk_widget_add_css_class (status, "dim-label");
  gtk_widget_set_tooltip_text (title, fcm_connection_get_subtitle (connection));
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), status);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "status", status);
  g_signal_connect_object (connection, "notify::status-text",
                           G_CALLBACK (row_status_changed_cb), row, 0);
  g_signal_connect_object (connection, "notify::sync-lost",
                           G_CALLBACK (row_status_changed_cb), row, 0);
  row_status_changed_cb (connection, NULL, row);
  return row;
}

static void
row_selected_cb (GtkListBox    *list,
                 GtkListBoxRow *row,
                 FcmWindow     *self)
{
  g_autoptr(FcmConnection) connection = NULL;

  if (row == NULL)
    return;
  connection = g_list_model_get_item (G_LIST_MODEL (self->connections),
                                      gtk_list_box_row_get_index (row));
  fcm_window_set_connection (self, connection);
}

/* ------------------------------------------------------------------ public */

/**
 * fcm_window_get_connections:
 *
 * Returns: (transfer none): a #GListModel of #FcmConnection
 */
GListModel *
fcm_window_get_connections (FcmWindow *self)
{
  g_return_val_if_fail (FCM_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->connections);
}

/**
 * fcm_window_add_connection:
 *
 * Lists @connection in the sidebar and selects it. The caller starts it.
 */
void
fcm_window_add_connection (FcmWindow     *self,
                           FcmConnection *connection)
{
  guint n;

  g_return_if_fail (FCM_IS_WINDOW (self));
  g_return_if_fail (FCM_IS_CONNECTION (connection));

  g_signal_connect_object (connection, "notify::status-text",
                           G_CALLBACK (connection_alert_changed_cb), self, 0);
  g_signal_connect_object (connection, "notify::sync-lost",
                           G_CALLBACK (connection_alert_changed_cb), self, 0);
  g_list_store_append (self->connections, connection);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));
  gtk_list_box_select_row (self->connection_list,
                           gtk_list_box_get_row_at_index (self->connection_list, n - 1));
  fcm_window_set_connection (self, connection);
}

/**
 * fcm_window_remove_connection:
 *
 * Unsubscribes @connection (C-19) and takes it out of the sidebar; the next
 * one is shown if it was the shown one.
 */
void
fcm_window_remove_connection (FcmWindow     *self,
                              FcmConnection *connection)
{
  guint position;

  g_return_if_fail (FCM_IS_WINDOW (self));
  g_return_if_fail (FCM_IS_CONNECTION (connection));

  if (!g_list_store_find (self->connections, connection, &position))
    return;

  g_object_ref (connection);
  g_signal_handlers_disconnect_by_data (connection, self);
  withdraw_notification (self, connection);
  fcm_connection_stop (connection);
  if (self->connection == connection)
    fcm_window_set_connection (self, NULL);
  g_list_store_remove (self->connections, position);
  if (self->connection == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->connections)) > 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->connection_list, 0);

      gtk_list_box_select_row (self->connection_list, row);
      row_selected_cb (self->connection_list, row, self);
    }
  g_object_unref (connection);
}

/**
 * fcm_window_get_connection:
 *
 * Returns: (transfer none) (nullable): the connection shown
 */
FcmConnection *
fcm_window_get_connection (FcmWindow *self)
{
  g_return_val_if_fail (FCM_IS_WINDOW (self), NULL);
  return self->connection;
}

void
fcm_window_set_connection (FcmWindow     *self,
                           FcmConnection *connection)
{
  g_return_if_fail (FCM_IS_WINDOW (self));
  g_return_if_fail (!connection || FCM_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  if (self->connection != NULL)
    {
      FcmContextStore *store = fcm_monitor_get_context_store (fcm_connection_get_monitor (self->connection));

      g_signal_handlers_disconnect_by_func (store, context_changed_cb, self);
    }
  g_set_object (&self->connection, connection);

  if (connection != NULL)
    {
      FcmMonitor *monitor = fcm_connection_get_monitor (connection);

      /* items-changed can come before the store names its new current item */
      g_signal_connect_object (fcm_monitor_get_context_store (monitor), "notify::current",
                               G_CALLBACK (context_changed_cb), self, G_CONNECT_SWAPPED);
      fcm_context_panel_set_monitor (self->context_panel, monitor);
      fcm_timeline_set_event_log (self->timeline, fcm_monitor_get_event_log (monitor));
      /* what another app needs to join this session */
      gtk_label_set_text (self->hub_url_label, fcm_hub_client_get_hub_url (fcm_connection_get_client (connection)));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->hub_url_label), gtk_label_get_text (self->hub_url_label));
      gtk_label_set_text (self->topic_label, fcm_hub_client_get_topic (fcm_connection_get_client (connection)));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->topic_label), gtk_label_get_text (self->topic_label));
      gtk_widget_set_visible (self->connection_details, TRUE);
    }
  else
    {
      gtk_widget_set_visible (self->connection_details, FALSE);
      fcm_context_panel_set_monitor (self->context_panel, NULL);
      fcm_timeline_set_event_log (self->timeline, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->answer_label), FALSE);
  update_current (self);
}

void
fcm_window_get_parts (FcmWindow      *self,
                      FcmWindowParts *parts)
{
  g_return_if_fail (FCM_IS_WINDOW (self));

  parts->alert_revealer = self->alert_revealer;
  parts->alert_title = self->alert_title;
  parts->alert_label = self->alert_label;
  parts->answer_label = self->answer_label;
  parts->context_panel = GTK_WIDGET (self->context_panel);
  parts->timeline = GTK_WIDGET (self->timeline);
  parts->connection_list = self->connection_list;
  parts->open_button = self->open_button;
}

/* ------------------------------------------------------------ window state */

static void
restore_window_state (FcmWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (FcmWindow *self)
{
  int width = 0;
  int height = 0;

  /* In GTK 4 the default size follows the unmaximized window size. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
fcm_window_close_request (GtkWindow *window)
{
  FcmWindow *self = FCM_WINDOW (window);
  GtkWindowClass *parent_class = GTK_WINDOW_CLASS (fcm_window_parent_class);

  save_window_state (self);

  if (parent_class->close_request != NULL)
    return parent_class->close_request (window);

  return FALSE;
}

static void
is_active_cb (FcmWindow *self)
{
  /* Back in the window: the toast and the alert say it all now. */
  if (gtk_window_is_active (GTK_WINDOW (self)))
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->connections)); i++)
      {
        g_autoptr(FcmConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);
        g_autofree char *text = fcm_connection_dup_alert (connection);

        if (text == NULL)
          withdraw_notification (self, connection);
      }
}

static void
fcm_window_constructed (GObject *object)
{
  FcmWindow *self = FCM_WINDOW (object);
  GtkApplication *app;

  G_OBJECT_CLASS (fcm_window_parent_class)->constructed (object);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (FCM_IS_APPLICATION (app))
    self->settings = g_object_ref (fcm_application_get_settings (FCM_APPLICATION (app)));
  else
    self->settings = g_settings_new (BASE_APP_ID);

  restore_window_state (self);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
fcm_window_dispose (GObject *object)
{
  FcmWindow *self = FCM_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->connection != NULL)
    {
      FcmContextStore *store = fcm_monitor_get_context_store (fcm_connection_get_monitor (self->connection));

      g_signal_handlers_disconnect_by_func (store, context_changed_cb, self);
    }
  for (guint i = 0; self->connections && i < g_list_model_get_n_items (G_LIST_MODEL (self->connections)); i++)
    {
      g_autoptr(FcmConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      g_signal_handlers_disconnect_by_data (connection, self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_WINDOW);

  g_clear_object (&self->connection);
  g_clear_object (&self->connections);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fcm_window_parent_class)->dispose (object);
}

static void
fcm_window_finalize (GObject *object)
{
  FcmWindow *self = FCM_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_free (self->alert_text);

  G_OBJECT_CLASS (fcm_window_parent_class)->finalize (object);
}

static void
fcm_window_class_init (FcmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = fcm_window_constructed;
  object_class->dispose = fcm_window_dispose;
  object_class->finalize = fcm_window_finalize;

  window_class->close_request = fcm_window_close_request;

  g_type_ensure (FCM_TYPE_CONTEXT_PANEL);
  g_type_ensure (FCM_TYPE_TIMELINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/"
                                               "fcm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, connection_list);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, connection_details);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, hub_url_label);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, topic_label);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, alert_revealer);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, alert_title);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, alert_label);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, alert_icon);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, answer_label);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, close_button);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, update_button);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, select_button);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, context_panel);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, timeline);

  gtk_widget_class_install_action (widget_class, "win.open-report", NULL, open_report_action);
  gtk_widget_class_install_action (widget_class, "win.close-report", NULL, close_report_action);
  gtk_widget_class_install_action (widget_class, "win.update-report", NULL, update_report_action);
  gtk_widget_class_install_action (widget_class, "win.select-content", NULL, select_content_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-alert", NULL, dismiss_alert_action);
  gtk_widget_class_install_action (widget_class, "win.add-connection", NULL, add_connection_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.remove-connection", NULL, remove_connection_action);
  gtk_widget_class_install_action (widget_class, "win.export-timeline", NULL, export_timeline_action);
  gtk_widget_class_install_action (widget_class, "win.clear-timeline", NULL, clear_timeline_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_W, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.close-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.update-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.select-content", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-connection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reconnect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.export-timeline", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
}

static void
fcm_window_init (FcmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->connections = g_list_store_new (FCM_TYPE_CONNECTION);
  gtk_list_box_bind_model (self->connection_list, G_LIST_MODEL (self->connections),
                           create_connection_row, self, NULL);
  g_signal_connect_object (self->connection_list, "row-selected",
                           G_CALLBACK (row_selected_cb), self, 0);
  g_signal_connect_object (self, "notify::is-active", G_CALLBACK (is_active_cb), self, G_CONNECT_SWAPPED);
  update_current (self);
}
