/* fcm-window-sidebar.c: the window's hub connections
 *
 * The sidebar lists the connections (C-07) with their state; the selected
 * one is shown in the context panel, the timeline and the header. Hubs are
 * added with the "Add Hub" dialog and removed (unsubscribed) from the menu.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-a11y.h"
#include "fcm-recordings.h"
#include "fcm-window-private.h"

/* ------------------------------------------------------------- the sidebar */

static const char *
state_icon (FcmConnection *connection)
{
  if (fcm_connection_get_connection_lost (connection))
    return "network-error-symbolic";
  if (fcm_monitor_get_sync_lost (fcm_connection_get_monitor (connection)))
    return "dialog-error-symbolic";

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
  /* as the alert: red while sync or the hub is lost */
  if (fcm_connection_get_alert_kind (connection) != FCM_CONNECTION_ALERT_NONE)
    gtk_widget_add_css_class (GTK_WIDGET (icon), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (icon), "error");
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
  g_signal_connect_object (connection, "notify::alert",
                           G_CALLBACK (row_status_changed_cb), row, 0);
  row_status_changed_cb (connection, NULL, row);
  return row;
}

/* The row of the shown connection is the selected one. */
static void
select_shown_row (FcmWindow *self)
{
  guint position;
  GtkListBoxRow *row = NULL;

  if (self->connection_list == NULL)   /* disposed */
    return;
  if (self->connection != NULL && g_list_store_find (self->connections, self->connection, &position))
    row = gtk_list_box_get_row_at_index (self->connection_list, position);
  if (gtk_list_box_get_selected_row (self->connection_list) == row)
    return;
  if (row != NULL)
    gtk_list_box_select_row (self->connection_list, row);
  else
    gtk_list_box_unselect_all (self->connection_list);
}

/* Activating a row (click, Enter, Space) shows its connection. */
static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  FcmWindow     *self)
{
  g_autoptr(FcmConnection) connection = NULL;

  connection = g_list_model_get_item (G_LIST_MODEL (self->connections),
                                      gtk_list_box_row_get_index (row));
  fcm_window_set_connection (self, connection);
}

/* Moving the keyboard focus onto a row selects it in GtkListBox; that must
 * not switch the monitored hub, so the selection goes back to the shown
 * connection's row (the focus stays where it is). */
static void
row_selected_cb (GtkListBox    *list,
                 GtkListBoxRow *row,
                 FcmWindow     *self)
{
  select_shown_row (self);
}

/* the list of connections, bound to the sidebar (init) */
void
_fcm_window_setup_sidebar (FcmWindow *self)
{
  self->connections = g_list_store_new (FCM_TYPE_CONNECTION);
  gtk_list_box_bind_model (self->connection_list, G_LIST_MODEL (self->connections),
                           create_connection_row, self, NULL);
  gtk_list_box_set_activate_on_single_click (self->connection_list, TRUE);
  g_signal_connect_object (self->connection_list, "row-activated",
                           G_CALLBACK (row_activated_cb), self, 0);
  g_signal_connect_object (self->connection_list, "row-selected",
                           G_CALLBACK (row_selected_cb), self, 0);
}

/* ---------------------------------------------------- the shown connection */

static void
context_changed_cb (FcmWindow *self)
{
  _fcm_window_update_actions (self);
}

/* stop following the shown connection's report */
void
_fcm_window_unwatch_context (FcmWindow *self)
{
  if (self->connection != NULL)
    {
      FcmContextStore *store = fcm_monitor_get_context_store (fcm_connection_get_monitor (self->connection));

      g_signal_handlers_disconnect_by_func (store, context_changed_cb, self);
    }
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
  g_return_if_fail (FCM_IS_WINDOW (self));
  g_return_if_fail (FCM_IS_CONNECTION (connection));

  _fcm_window_watch_alerts (self, connection);
  g_list_store_append (self->connections, connection);
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
  _fcm_window_unwatch_alerts (self, connection);
  g_signal_handlers_disconnect_by_data (connection, self);
  fcm_connection_stop (connection);
  if (self->connection == connection)
    fcm_window_set_connection (self, NULL);
  g_list_store_remove (self->connections, position);
  if (self->connection == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->connections)) > 0)
    {
      g_autoptr(FcmConnection) first = g_list_model_get_item (G_LIST_MODEL (self->connections), 0);

      fcm_window_set_connection (self, first);
    }
  _fcm_window_update_current (self);
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

  _fcm_window_unwatch_context (self);
  g_set_object (&self->connection, connection);
  select_shown_row (self);

  if (connection != NULL)
    {
      FcmMonitor *monitor = fcm_connection_get_monitor (connection);

      /* items-changed can come before the store names its new current item */
      g_signal_connect_object (fcm_monitor_get_context_store (monitor), "notify::current",
                               G_CALLBACK (context_changed_cb), self, G_CONNECT_SWAPPED);
      fcm_context_panel_set_monitor (self->context_panel, monitor);
      fcm_subscribers_panel_set_connection (self->subscribers_panel, connection);
      /* a row shows once it is in the recording (issue 16.5) */
      fcm_timeline_set_recorder (self->timeline, fcm_recordings_get_recorder (connection));
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
      fcm_subscribers_panel_set_connection (self->subscribers_panel, NULL);
      fcm_timeline_set_recorder (self->timeline, NULL);
      fcm_timeline_set_event_log (self->timeline, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->answer_label), FALSE);
  _fcm_window_update_current (self);
  _fcm_window_notify_connection (self);
}

/* ----------------------------------------------------------------- actions */

/**
 * _fcm_window_find_connection:
 * @id: fcm_connection_get_id()
 *
 * Returns: (transfer none) (nullable): the connection listed with @id
 */
FcmConnection *
_fcm_window_find_connection (FcmWindow  *self,
                             const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->connections)); i++)
    {
      g_autoptr(FcmConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      if (g_strcmp0 (fcm_connection_get_id (connection), id) == 0)
        return connection;  /* the list keeps it */
    }
  return NULL;
}

/* win.reconnect (the shown hub) and win.reconnect-connection ("s": an id) */
void
_fcm_window_reconnect_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  FcmConnection *connection = self->connection;

  if (parameter != NULL)
    connection = _fcm_window_find_connection (self, g_variant_get_string (parameter, NULL));
  if (connection != NULL)
    fcm_connection_start (connection);
}

/**
 * fcm_window_show_connection:
 *
 * Selects @connection in the sidebar and shows it.
 */
void
fcm_window_show_connection (FcmWindow     *self,
                            FcmConnection *connection)
{
  guint position;

  g_return_if_fail (FCM_IS_WINDOW (self));
  g_return_if_fail (FCM_IS_CONNECTION (connection));

  if (!g_list_store_find (self->connections, connection, &position))
    return;
  gtk_list_box_select_row (self->connection_list, gtk_list_box_get_row_at_index (self->connection_list, position));
  fcm_window_set_connection (self, connection);
}

/* win.show-connection ("s": an id): from an alert about another hub */
void
_fcm_window_show_connection_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  FcmConnection *connection = _fcm_window_find_connection (self, g_variant_get_string (parameter, NULL));

  if (connection != NULL)
    fcm_window_show_connection (self, connection);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    FcmWindow        *self)
{
  FcmConnection *connection = g_object_get_data (G_OBJECT (dialog), "fcm-connection");

  /* unsubscribes (C-19); the built-in hub stops with its connection; a hub
   * added with Add Hub is not subscribed to at the next start */
  if (g_strcmp0 (response, "remove") == 0)
    {
      fcm_application_forget_hub (FCM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                                  connection);
      fcm_window_remove_connection (self, connection);
    }
}

/* Remove Hub asks first (issue 11.8): removing unsubscribes (C-19), drops
 * the hub's timeline, and stops the built-in hub with the session of every
 * app on it; an undo could not bring that back as it was */
void
_fcm_window_remove_connection_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->connection == NULL)
    return;
  /* Translators: %s is a hub, e.g. "Built-in Hub" or "hub.example.org:443" */
  heading = g_strdup_printf (_("Remove %s?"), fcm_connection_get_title (self->connection));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   fcm_connection_get_embedded (self->connection)
                                   ? _("The built-in hub stops: every app in its session loses the session. "
                                       "Its timeline is discarded.")
                                   : _("This app unsubscribes from the session on this hub and discards its "
                                       "timeline. Other apps in the session are not affected."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "fcm-connection", g_object_ref (self->connection), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------- add connection */

typedef struct
{
  GtkEditable *url;
  GtkEditable *topic;
  GtkEditable *name;
  GtkEditable *token;
  GtkLabel    *url_error;
  GtkLabel    *topic_error;
  gboolean     topic_touched;  /* typed in, or Enter pressed: "required" may show */
} AddFields;

static const char *
hub_url_problem (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url[0] == '\0')
    return _("The hub URL is required, for example http://localhost:8080/api/hub.");
  for (const char *p = url; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return _("A URL has no spaces.");
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    return _("Not a hub URL: it starts with http:// or https://, for example http://localhost:8080/api/hub.");
  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return _("Not a hub URL: the host name is missing after http:// or https://.");
  return NULL;
}

static const char *
topic_problem (const char *topic)
{
  if (topic[0] == '\0')
    return _("The topic is required: the session's name on the hub, as the reporting app shows it.");
  for (const char *p = topic; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return _("The topic cannot hold control characters.");
  return NULL;
}

static gboolean
add_fields_check (AdwMessageDialog *dialog,
                  gboolean          show_required)
{
  AddFields *fields = g_object_get_data (G_OBJECT (dialog), "fields");
  const char *url = gtk_editable_get_text (fields->url);
  const char *topic = gtk_editable_get_text (fields->topic);
  const char *url_why = hub_url_problem (url);
  const char *topic_why = topic_problem (topic);

  /* what is missing is said once it matters; what is wrong at once */
  fcm_a11y_set_error (GTK_WIDGET (fields->url), fields->url_error,
                      url[0] != '\0' || show_required ? url_why : NULL);
  fcm_a11y_set_error (GTK_WIDGET (fields->topic), fields->topic_error,
                      topic[0] != '\0' || show_required || fields->topic_touched ? topic_why : NULL);
  adw_message_dialog_set_response_enabled (dialog, "connect", url_why == NULL && topic_why == NULL);
  return url_why == NULL && topic_why == NULL;
}

static void
add_fields_changed_cb (AdwMessageDialog *dialog)
{
  add_fields_check (dialog, FALSE);
}

static void
add_topic_changed_cb (AdwMessageDialog *dialog)
{
  AddFields *fields = g_object_get_data (G_OBJECT (dialog), "fields");

  fields->topic_touched = TRUE;
  add_fields_check (dialog, FALSE);
}

/* Enter: connects when the fields are valid (activates-default); else it
 * says why under the fields and goes to the first one to fix. */
static void
add_entry_activated_cb (AdwMessageDialog *dialog)
{
  AddFields *fields = g_object_get_data (G_OBJECT (dialog), "fields");

  if (add_fields_check (dialog, TRUE))
    return;
  gtk_widget_error_bell (GTK_WIDGET (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (hub_url_problem (gtk_editable_get_text (fields->url)) ? fields->url
                                                                                           : fields->topic));
}

static void
add_connection_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            FcmWindow        *self)
{
  AddFields *fields = g_object_get_data (G_OBJECT (dialog), "fields");
  const char *name;

  if (g_strcmp0 (response, "connect") != 0)
    return;

  /* subscribed with the preferences' events, and remembered for the next
   * start (the token in the keyring) */
  name = gtk_editable_get_text (fields->name);
  fcm_application_add_hub (FCM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                           gtk_editable_get_text (fields->url),
                           gtk_editable_get_text (fields->topic),
                           name[0] ? name : NULL,
                           gtk_editable_get_text (fields->token));
}

/* A group holding one entry row and, under it, the label that says what
 * is wrong with its value. */
static GtkEditable *
add_entry_row (GtkBox      *box,
               const char  *title,
               const char  *text,
               GtkLabel   **out_error)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  if (out_error != NULL)
    {
      GtkWidget *error = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (error), 0);
      gtk_label_set_wrap (GTK_LABEL (error), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (error), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_margin_top (error, 6);
      gtk_widget_add_css_class (error, "caption");
      gtk_widget_add_css_class (error, "error");
      gtk_widget_set_visible (error, FALSE);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), error);
      *out_error = GTK_LABEL (error);
    }
  gtk_box_append (box, group);
  return GTK_EDITABLE (row);
}

void
_fcm_window_add_connection_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  g_autofree char *name = g_settings_get_string (self->settings, "subscriber-name");
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  AddFields *fields = g_new0 (AddFields, 1);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add Hub"),
                                   /* the example on a line of its own: wrapped, a URL
                                    * broke after "http://" */
                                   _("Subscribe to a session on another FHIRcast hub. "
                                     "The hub URL is its hub.url, for example:\n"
                                     "http://localhost:8080/api/hub"));
  fields->url = add_entry_row (box, _("Hub URL"), NULL, &fields->url_error);
  fields->topic = add_entry_row (box, _("Topic"), NULL, &fields->topic_error);
  fields->name = add_entry_row (box, _("Subscriber Name"), name, NULL);
  /* kept in the keyring for the hub's URL, never in the settings */
  {
    GtkWidget *token_group = adw_preferences_group_new ();

    fields->token = GTK_EDITABLE (adw_password_entry_row_new ());
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fields->token), _("Access Token (optional)"));
    adw_entry_row_set_activates_default (ADW_ENTRY_ROW (fields->token), TRUE);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (token_group), GTK_WIDGET (fields->token));
    gtk_box_append (box, token_group);
  }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (box));
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
  g_signal_connect_swapped (fields->topic, "changed", G_CALLBACK (add_topic_changed_cb), dialog);
  g_signal_connect_swapped (fields->url, "entry-activated", G_CALLBACK (add_entry_activated_cb), dialog);
  g_signal_connect_swapped (fields->topic, "entry-activated", G_CALLBACK (add_entry_activated_cb), dialog);
  g_signal_connect_swapped (fields->name, "entry-activated", G_CALLBACK (add_entry_activated_cb), dialog);
  add_fields_check (ADW_MESSAGE_DIALOG (dialog), FALSE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_connection_response_cb), self, 0);
  fcm_a11y_fix_names (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------- copy */

static void
copy_label (FcmWindow  *self,
            GtkLabel   *label,
            const char *toast)
{
  const char *text = gtk_label_get_text (label);

  if (text == NULL || text[0] == '\0')
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (toast));
}

/* win.copy-hub-url and win.copy-topic: what another app needs to join the
 * session, in full, whatever the sidebar's width cuts off */
void
_fcm_window_copy_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  if (g_str_equal (action_name, "win.copy-hub-url"))
    copy_label (self, self->hub_url_label, _("Hub URL copied"));
  else
    copy_label (self, self->topic_label, _("Topic copied"));
}
