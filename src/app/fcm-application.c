/* fcm-application.c: the AdwApplication of the desktop app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmApplication"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-application-private.h"
#include "fcm-connection.h"
#include "fcm-preferences-window.h"
#include "fcm-secret.h"
#include "fcm-tray.h"
#include "fcm-window.h"
#include "fcm-window-private.h"

/* Fixed, so that the .Devel flavour finds the same resources (style.css,
 * gtk/help-overlay.ui, icons/) as the stable one. */
#define FCM_RESOURCE_BASE_PATH "/io/github/fhircastmonitor/FhircastMonitor"

struct _FcmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  FcmTray        *tray;
  gboolean        started_connections;
  guint           notify_watch[2];
  guint           settings_idle;
  gboolean        notify_owned[2];
  gboolean        testing_was_on;   /* at start-up: say that it is off now */
};

G_DEFINE_FINAL_TYPE (FcmApplication, fcm_application, ADW_TYPE_APPLICATION)

/**
 * fcm_application_new:
 * @application_id: the application id, usually `APP_ID`
 * @flags: #GApplicationFlags
 *
 * Returns: (transfer full): a new #FcmApplication
 */
FcmApplication *
fcm_application_new (const char        *application_id,
                     GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (FCM_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", FCM_RESOURCE_BASE_PATH,
                       NULL);
}

/**
 * fcm_application_get_settings:
 * @self: a #FcmApplication
 *
 * Returns: (transfer none): the application's #GSettings
 */
GSettings *
fcm_application_get_settings (FcmApplication *self)
{
  g_return_val_if_fail (FCM_IS_APPLICATION (self), NULL);

  /* Created on first use so that a missing schema only hurts code that
   * really needs settings. The schema id is shared by both flavours. */
  if (self->settings == NULL)
    self->settings = g_settings_new (BASE_APP_ID);

  return self->settings;
}

static FcmWindow *
ensure_window (FcmApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (fcm_window_new (self));
  return FCM_WINDOW (window);
}

static guint
ack_policy_status (FcmApplication *self)
{
  g_autofree char *ack = g_settings_get_string (fcm_application_get_settings (self), "ack-policy");
  guint status = (guint) g_ascii_strtoull (ack, NULL, 10);

  return status >= 200 && status <= 599 ? status : 200;
}

/* The tray shows the worst state of all connections: attention while any
 * has lost sync or its hub (C-68), or testing mode refuses every event;
 * active while all are live. */
static void
update_tray (FcmApplication *self)
{
  FcmTrayStatus status = FCM_TRAY_STATUS_PASSIVE;
  g_autofree char *body = NULL;
  g_autofree char *testing = fcm_testing_describe (ack_policy_status (self));
  guint n_live = 0, n_alert = 0;

  if (self->tray == NULL)
    return;

  for (const GList *w = gtk_application_get_windows (GTK_APPLICATION (self)); w != NULL; w = w->next)
    {
      GListModel *connections;

      if (!FCM_IS_WINDOW (w->data))
        continue;
      connections = fcm_window_get_connections (FCM_WINDOW (w->data));
      for (guint i = 0; connections != NULL && i < g_list_model_get_n_items (connections); i++)
        {
          g_autoptr(FcmConnection) connection = g_list_model_get_item (connections, i);
          g_autofree char *title = fcm_connection_dup_alert_title (connection);

          if (title != NULL)
            {
              g_autofree char *text = fcm_connection_dup_alert (connection);

              n_alert++;
              if (body == NULL)
                /* Translators: the tray tooltip: an alert's title, then its text */
                body = g_strdup_printf (_("%s: %s"), title, text);
            }
          else if (fcm_connection_get_live (connection))
            n_live++;
        }
    }

  if (n_alert > 0 || testing != NULL)
    status = FCM_TRAY_STATUS_NEEDS_ATTENTION;
  else if (n_live > 0)
    status = FCM_TRAY_STATUS_ACTIVE;
  fcm_tray_set_status (self->tray, status);

  if (body == NULL)
    /* Translators: tray tooltip; %u is a number of hub connections */
    body = g_strdup_printf (ngettext ("%u hub connection live", "%u hub connections live", n_live), n_live);
  if (testing != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s\n%s", testing, body);

      g_free (body);
      body = g_steal_pointer (&both);
    }
  fcm_tray_set_tooltip (self->tray, _("FHIRcast Monitor"), body);
}

static void
connection_changed_cb (FcmApplication *self)
{
  update_tray (self);
}

static void
token_lookup_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FcmConnection) connection = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = fcm_secret_lookup_token_finish (result, &error);

  /* No Secret Service is not fatal: the hub may not need a token. */
  if (error != NULL)
    g_debug ("no token from the keyring: %s", error->message);
  if (token != NULL)
    fcm_hub_client_set_token (fcm_connection_get_client (connection), token);
  fcm_connection_start (connection);
}

/**
 * fcm_application_add_connection:
 * @self: a #FcmApplication
 * @connection: a new connection
 *
 * Applies the preferences (events, lease, ack policy), lists the connection
 * in the window and starts it; for another hub, with the token stored in
 * the keyring for its URL.
 */
/* Testing other apps: the status our acks carry (C-28); 200 follows. */
static void
apply_ack_policy (FcmApplication *self,
                  FcmHubClient   *client)
{
  static const char * const events[] = {
    FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE,
    FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT,
  };
  guint status = ack_policy_status (self);

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    fcm_hub_client_set_ack_policy (client, events[i], status);
}

static void
add_connection (FcmApplication *self,
                FcmConnection  *connection,
                gboolean        start)
{
  GSettings *settings = fcm_application_get_settings (self);
  FcmHubClient *client = fcm_connection_get_client (connection);
  g_auto(GStrv) events = g_settings_get_strv (settings, "events");

  g_return_if_fail (FCM_IS_APPLICATION (self));
  g_return_if_fail (FCM_IS_CONNECTION (connection));

  if (events[0] != NULL)
    fcm_hub_client_set_events (client, (const char * const *) events);
  fcm_hub_client_set_lease_seconds (client, (guint) g_settings_get_int (settings, "lease-seconds"));
  apply_ack_policy (self, client);

  g_signal_connect_object (connection, "notify::status-text",
                           G_CALLBACK (connection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::alert",
                           G_CALLBACK (connection_changed_cb), self, G_CONNECT_SWAPPED);

  fcm_window_add_connection (ensure_window (self), connection);
  update_tray (self);

  if (!start)
    return;
  if (fcm_connection_get_embedded (connection) || fcm_hub_client_get_token (client) != NULL)
    fcm_connection_start (connection);
  else
    fcm_secret_lookup_token_async (fcm_hub_client_get_hub_url (client), NULL,
                                   token_lookup_cb, g_object_ref (connection));
}

void
fcm_application_add_connection (FcmApplication *self,
                                FcmConnection  *connection)
{
  add_connection (self, connection, TRUE);
}

/* The connection made from the preferences, replaced when they change. */
static void
add_settings_connection (FcmApplication *self,
                         FcmConnection  *connection,
                         gboolean        start)
{
  g_object_set_data (G_OBJECT (connection), "fcm-from-settings", GINT_TO_POINTER (TRUE));
  add_connection (self, connection, start);
}

static gboolean
reconnect_from_settings (gpointer user_data)
{
  FcmApplication *self = user_data;

  self->settings_idle = 0;
  for (const GList *w = gtk_application_get_windows (GTK_APPLICATION (self)); w != NULL; w = w->next)
    {
      GListModel *connections;

      if (!FCM_IS_WINDOW (w->data))
        continue;
      connections = fcm_window_get_connections (FCM_WINDOW (w->data));
      for (guint i = g_list_model_get_n_items (connections); i > 0; i--)
        {
          g_autoptr(FcmConnection) connection = g_list_model_get_item (connections, i - 1);

          if (g_object_get_data (G_OBJECT (connection), "fcm-from-settings"))
            fcm_window_remove_connection (FCM_WINDOW (w->data), connection);
        }
    }
  _fcm_application_start_default_connections (self);
  return G_SOURCE_REMOVE;
}

/* Hub URL, topic or GetTopic user changed: connect there instead, once the
 * preferences window has written all of them (one idle for a burst). */
static void
connection_settings_changed_cb (FcmApplication *self)
{
  if (self->started_connections && self->settings_idle == 0)
    self->settings_idle = g_idle_add (reconnect_from_settings, self);
}

static void
ack_policy_changed_cb (FcmApplication *self)
{
  update_tray (self);
  for (const GList *w = gtk_application_get_windows (GTK_APPLICATION (self)); w != NULL; w = w->next)
    {
      GListModel *connections;

      if (!FCM_IS_WINDOW (w->data))
        continue;
      connections = fcm_window_get_connections (FCM_WINDOW (w->data));
      for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
        {
          g_autoptr(FcmConnection) connection = g_list_model_get_item (connections, i);

          apply_ack_policy (self, fcm_connection_get_client (connection));
        }
    }
}

typedef struct
{
  FcmApplication *app;
  char           *hub_url;
  char           *name;
  char           *user;
  char           *token;
} Discovery;

static void
discovery_free (Discovery *d)
{
  g_object_unref (d->app);
  g_free (d->hub_url);
  g_free (d->name);
  g_free (d->user);
  g_free (d->token);
  g_free (d);
}

static void
gettopic_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Discovery *d = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *topic = fcm_hub_client_gettopic_finish (FCM_HUB_CLIENT (source), result, &error);
  g_autoptr(FcmConnection) connection = NULL;

  connection = fcm_connection_new (d->hub_url, topic ? topic : "", d->name);
  if (d->token != NULL)
    fcm_hub_client_set_token (fcm_connection_get_client (connection), d->token);
  if (topic == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("No topic for user “%s”: %s"), d->user, error->message);

      add_settings_connection (d->app, connection, FALSE);
      fcm_connection_set_failed (connection, message);
    }
  else
    add_settings_connection (d->app, connection, TRUE);
  discovery_free (d);
}

static void
discovery_token_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Discovery *d = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) lookup = NULL;

  d->token = fcm_secret_lookup_token_finish (result, &error);
  if (error != NULL)
    g_debug ("no token from the keyring: %s", error->message);

  /* the 2019 prototype's discovery: GET /gettopic?username=&secret= */
  lookup = fcm_hub_client_new (d->hub_url, "");
  fcm_hub_client_gettopic_async (lookup, d->user, d->token ? d->token : "", NULL, gettopic_cb, d);
}

/* With nothing configured, the built-in hub; else the configured hub and
 * topic, or the topic the hub gives the configured user (GetTopic). */
void
_fcm_application_stop_following_settings (FcmApplication *self)
{
  self->started_connections = FALSE;
  g_clear_handle_id (&self->settings_idle, g_source_remove);
}

void
_fcm_application_start_default_connections (FcmApplication *self)
{
  GSettings *settings = fcm_application_get_settings (self);
  g_autofree char *hub_url = g_settings_get_string (settings, "hub-url");
  g_autofree char *topic = g_settings_get_string (settings, "topic");
  g_autofree char *user = g_settings_get_string (settings, "gettopic-user");
  g_autofree char *name = g_settings_get_string (settings, "subscriber-name");
  g_autoptr(FcmConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  self->started_connections = TRUE;  /* and follow the preferences from now on */
  if (hub_url[0] == '\0')
    {
      connection = fcm_connection_new_embedded (&error);
      if (connection == NULL)
        {
          /* shown in the window instead of a silent empty app */
          connection = fcm_connection_new ("http://127.0.0.1/", "", name);
          add_settings_connection (self, connection, FALSE);
          fcm_connection_set_failed (connection, error->message);
          return;
        }
      fcm_hub_client_set_subscriber_name (fcm_connection_get_client (connection), name);
      add_settings_connection (self, connection, TRUE);
    }
  else if (topic[0] == '\0' && user[0] != '\0')
    {
      Discovery *d = g_new0 (Discovery, 1);

      d->app = g_object_ref (self);
      d->hub_url = g_steal_pointer (&hub_url);
      d->name = g_steal_pointer (&name);
      d->user = g_steal_pointer (&user);
      fcm_secret_lookup_token_async (d->hub_url, NULL, discovery_token_cb, d);
    }
  else if (topic[0] == '\0')
    {
      connection = fcm_connection_new (hub_url, "", name);
      add_settings_connection (self, connection, FALSE);
      fcm_connection_set_failed (connection, _("No topic configured: set a topic or a GetTopic user in the preferences"));
    }
  else
    {
      connection = fcm_connection_new (hub_url, topic, name);
      add_settings_connection (self, connection, TRUE);
    }
}

static void
fcm_application_activate (GApplication *app)
{
  FcmApplication *self = FCM_APPLICATION (app);
  FcmWindow *window = ensure_window (self);

  gtk_window_present (GTK_WINDOW (window));

  if (self->testing_was_on)
    {
      self->testing_was_on = FALSE;
      _fcm_window_add_toast (window, adw_toast_new (_("Testing mode was on when the app last quit; "
                                                      "it is off now: every event is acknowledged with 200 OK")));
    }

  if (!self->started_connections)
    {
      self->started_connections = TRUE;
      if (g_settings_get_boolean (fcm_application_get_settings (self), "auto-connect"))
        _fcm_application_start_default_connections (self);
    }
}

static int
fcm_application_command_line (GApplication            *app,
                              GApplicationCommandLine *command_line)
{
  FcmApplication *self = FCM_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *hub = NULL, *topic = NULL, *name = NULL;
  g_autoptr(FcmConnection) connection = NULL;

  g_variant_dict_lookup (options, "hub", "&s", &hub);
  g_variant_dict_lookup (options, "topic", "&s", &topic);
  g_variant_dict_lookup (options, "name", "&s", &name);

  if (hub == NULL && (topic != NULL || name != NULL))
    {
      g_application_command_line_printerr (command_line, "%s\n",
                                           _("--topic and --name need --hub"));
      return 64;
    }
  if (hub != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (hub, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_uri_get_host (uri) == NULL ||
          (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        {
          g_application_command_line_printerr (command_line, "%s\n",
                                               _("--hub needs an http:// or https:// URL"));
          return 64;
        }
      if (topic == NULL)
        {
          g_application_command_line_printerr (command_line, "%s\n", _("--hub needs --topic"));
          return 64;
        }
      /* an explicit hub replaces the default connection of a first start */
      self->started_connections = TRUE;
      connection = fcm_connection_new (hub, topic, name);
      fcm_application_add_connection (self, connection);
    }

  g_application_activate (app);
  return 0;
}

/* `--version` is answered in the launching process, before registering on
 * the bus or opening a display. */
static int
fcm_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "fhircast-monitor", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
fcm_application_preferences_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  FcmApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *prefs = fcm_preferences_window_new (parent, fcm_application_get_settings (self));

  gtk_window_present (GTK_WINDOW (prefs));
}

static void
fcm_application_show_window_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static FcmConnection *
find_connection (FcmApplication  *self,
                 const char      *id,
                 FcmWindow      **out_window)
{
  for (const GList *w = gtk_application_get_windows (GTK_APPLICATION (self)); w != NULL; w = w->next)
    {
      FcmConnection *connection;

      if (!FCM_IS_WINDOW (w->data))
        continue;
      connection = _fcm_window_find_connection (FCM_WINDOW (w->data), id);
      if (connection != NULL)
        {
          *out_window = FCM_WINDOW (w->data);
          return connection;
        }
    }
  return NULL;
}

/* app.show-connection ("s": a connection id): a notification's Show */
static void
fcm_application_show_connection_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  FcmApplication *self = user_data;
  FcmWindow *window = NULL;
  FcmConnection *connection = find_connection (self, g_variant_get_string (parameter, NULL), &window);

  if (connection != NULL)
    {
      fcm_window_show_connection (window, connection);
      gtk_window_present (GTK_WINDOW (window));
    }
  else
    g_application_activate (G_APPLICATION (self));
}

/* app.reconnect-connection ("s"): a notification's Reconnect */
static void
fcm_application_reconnect_connection_action (GSimpleAction *action,
                                             GVariant      *parameter,
                                             gpointer       user_data)
{
  FcmApplication *self = user_data;
  FcmWindow *window = NULL;
  FcmConnection *connection = find_connection (self, g_variant_get_string (parameter, NULL), &window);

  if (connection != NULL)
    fcm_connection_start (connection);
}

/* GNotification warns on the terminal when nobody receives notifications
 * (no shell, no daemon): only send while a receiver is on the bus. */
static const char * const notification_services[] = {
  "org.gtk.Notifications",          /* GNOME Shell */
  "org.freedesktop.Notifications",  /* other desktops; D-Bus activated */
};

static void
notify_appeared_cb (GDBusConnection *connection,
                    const char      *name,
                    const char      *owner,
                    gpointer         user_data)
{
  FcmApplication *self = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (notification_services); i++)
    if (g_strcmp0 (name, notification_services[i]) == 0)
      self->notify_owned[i] = TRUE;
}

static void
notify_vanished_cb (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  FcmApplication *self = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (notification_services); i++)
    if (g_strcmp0 (name, notification_services[i]) == 0)
      self->notify_owned[i] = FALSE;
}

/**
 * fcm_application_get_can_notify:
 * @self: a #FcmApplication
 *
 * Returns: whether desktop notifications reach someone (a portal inside
 *   Flatpak, else a notification service on the session bus)
 */
gboolean
fcm_application_get_can_notify (FcmApplication *self)
{
  g_return_val_if_fail (FCM_IS_APPLICATION (self), FALSE);

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return TRUE;
  return self->notify_owned[0] || self->notify_owned[1];
}

static void
tray_activate_cb (FcmTray        *tray,
                  int             x,
                  int             y,
                  FcmApplication *self)
{
  g_application_activate (G_APPLICATION (self));
}

static void
fcm_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  FcmApplication *self = user_data;
  static const char *developers[] = {
    "The FHIRcast Monitor developers",
    NULL
  };
  GtkWindow *parent;
  GtkWidget *about;

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* The same facts as the metainfo file (data/…metainfo.xml.in.in). */
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", parent != NULL,
                        "application-icon", APP_ID,
                        "application-name", _("FHIRcast Monitor"),
                        "developer-name", _("The FHIRcast Monitor developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Watch radiology reporting sessions over FHIRcast: "
                                      "follow the shared context, see every event in a "
                                      "timeline and check it against FHIRcast STU3 and "
                                      "IHE IRA."),
                        "website", "https://github.com/fhircastmonitor/fhircast-monitor",
                        "issue-url", "https://github.com/fhircastmonitor/fhircast-monitor/issues",
                        "copyright", _("© 2026 The FHIRcast Monitor developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: Replace "translator-credits" with your name/year */
                        "translator-credits", _("translator-credits"),
                        "release-notes-version", "0.1.0",
                        "release-notes", _("<p>First preview release: the built-in reference hub, "
                                           "the context panel, the event timeline with validation, "
                                           "sync-lost alerts, and opening, updating and closing "
                                           "reports.</p>"),
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
fcm_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  FcmApplication *self = user_data;
  GList *windows;

  /* Close the windows first so that they can save their state. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  g_list_foreach (windows, (GFunc) g_object_ref, NULL);
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "about", fcm_application_about_action },
  { "preferences", fcm_application_preferences_action },
  { "show-window", fcm_application_show_window_action },
  { "show-connection", fcm_application_show_connection_action, "s" },
  { "reconnect-connection", fcm_application_reconnect_connection_action, "s" },
  { "quit", fcm_application_quit_action },
};

static void
fcm_application_startup (GApplication *app)
{
  FcmApplication *self = FCM_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  GDBusConnection *bus;

  G_APPLICATION_CLASS (fcm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);

  /* Testing mode (acks that refuse every event) is not restored at start:
   * an app that silently refuses the session's events after a restart would
   * break sync for every app in it. Start in normal mode and say so. */
  if (ack_policy_status (self) != 200)
    {
      self->testing_was_on = TRUE;
      g_settings_set_string (fcm_application_get_settings (self), "ack-policy", "200");
    }

  /* preferences apply at once: another hub or topic, another ack status */
  for (guint i = 0; i < 3; i++)
    {
      static const char * const keys[] = { "changed::hub-url", "changed::topic", "changed::gettopic-user" };

      g_signal_connect_object (fcm_application_get_settings (self), keys[i],
                               G_CALLBACK (connection_settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (fcm_application_get_settings (self), "changed::ack-policy",
                           G_CALLBACK (ack_policy_changed_cb), self, G_CONNECT_SWAPPED);

  /* A tray icon where the desktop has a StatusNotifierWatcher; nothing otherwise. */
  bus = g_application_get_dbus_connection (app);
  if (bus != NULL)
    {
      self->tray = fcm_tray_new (g_application_get_application_id (app), g_application_get_application_id (app));
      g_signal_connect_object (self->tray, "activate", G_CALLBACK (tray_activate_cb), self, 0);
      fcm_tray_register (self->tray, bus);
      update_tray (self);

      for (guint i = 0; i < G_N_ELEMENTS (notification_services); i++)
        self->notify_watch[i] =
          g_bus_watch_name_on_connection (bus, notification_services[i],
                                          i == 1 ? G_BUS_NAME_WATCHER_FLAGS_AUTO_START
                                                 : G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          notify_appeared_cb, notify_vanished_cb,
                                          self, NULL);
    }
}

static void
fcm_application_dispose (GObject *object)
{
  FcmApplication *self = FCM_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->tray);
  g_clear_handle_id (&self->settings_idle, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (self->notify_watch); i++)
    g_clear_handle_id (&self->notify_watch[i], g_bus_unwatch_name);

  G_OBJECT_CLASS (fcm_application_parent_class)->dispose (object);
}

static void
fcm_application_class_init (FcmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = fcm_application_dispose;

  app_class->activate = fcm_application_activate;
  app_class->command_line = fcm_application_command_line;
  app_class->handle_local_options = fcm_application_handle_local_options;
  app_class->startup = fcm_application_startup;
}

static void
fcm_application_init (FcmApplication *self)
{
  static const GOptionEntry options[] = {
    { "hub", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Subscribe to this hub (its hub.url) instead of the built-in one"), N_("URL") },
    { "topic", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Session topic on that hub"), N_("TOPIC") },
    { "name", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Subscriber name to send to the hub"), N_("NAME") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the program name and version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}
