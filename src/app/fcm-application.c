/* fcm-application.c: the AdwApplication of the desktop app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmApplication"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fcm-application-private.h"
#include "fcm-preferences-window.h"
#include "fcm-tray.h"
#include "fcm-window.h"
#include "fcm-window-private.h"

/* Fixed, so that the .Devel flavour finds the same resources (style.css,
 * gtk/help-overlay.ui, icons/) as the stable one. */
#define FCM_RESOURCE_BASE_PATH "/io/github/fhircastmonitor/FhircastMonitor"

G_DEFINE_FINAL_TYPE (FcmApplication, fcm_application, ADW_TYPE_APPLICATION)

/* Asked to draw with cairo (GSK_RENDERER=cairo: software rendering, remote
 * desktops, Xvfb), the app needs no OpenGL, yet GTK 4.8 on X11 brings GL up
 * when it opens the display, to choose a visual: with Mesa's software driver
 * that is LLVM loaded and set up, about a third of the time to the first
 * frame and ~58 MB of RSS under Xvfb (docs/performance.md, First frame).
 * Tell GDK, keeping whatever GDK_DEBUG already says; before GTK starts. */
void
_fcm_application_skip_gl_when_drawing_with_cairo (void)
{
  const char *debug = g_getenv ("GDK_DEBUG");
  g_autofree char *flags = NULL;

  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") != 0 || (debug != NULL && strstr (debug, "gl") != NULL))
    return;
  flags = debug != NULL && debug[0] != '\0' ? g_strconcat (debug, ",gl-disable", NULL) : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", flags, TRUE);
}

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

  _fcm_application_skip_gl_when_drawing_with_cairo ();
  /* register-session: query-end at the end of the desktop session */
  return g_object_new (FCM_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", FCM_RESOURCE_BASE_PATH,
                       "register-session", TRUE,
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

/**
 * _fcm_application_get_window:
 *
 * Returns: (transfer none) (nullable): the main window, shown or hidden
 *   (not the preferences or another dialog)
 */
FcmWindow *
_fcm_application_get_window (FcmApplication *self)
{
  for (const GList *w = gtk_application_get_windows (GTK_APPLICATION (self)); w != NULL; w = w->next)
    if (FCM_IS_WINDOW (w->data))
      return FCM_WINDOW (w->data);
  return NULL;
}

FcmWindow *
_fcm_application_ensure_window (FcmApplication *self)
{
  FcmWindow *window = _fcm_application_get_window (self);

  if (window == NULL)
    {
      window = fcm_window_new (self);
      /* the tray names the report the window shows */
      g_signal_connect_object (window, "notify::connection",
                               G_CALLBACK (_fcm_application_update_tray), self, G_CONNECT_SWAPPED);
    }
  return window;
}

/**
 * _fcm_application_dup_connections:
 *
 * Returns: (transfer container) (element-type FcmConnection): every hub
 *   connection of the app
 */
GPtrArray *
_fcm_application_dup_connections (FcmApplication *self)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);

  for (const GList *w = gtk_application_get_windows (GTK_APPLICATION (self)); w != NULL; w = w->next)
    {
      GListModel *connections;

      if (!FCM_IS_WINDOW (w->data))
        continue;
      connections = fcm_window_get_connections (FCM_WINDOW (w->data));
      for (guint i = 0; connections != NULL && i < g_list_model_get_n_items (connections); i++)
        g_ptr_array_add (all, g_list_model_get_item (connections, i));
    }
  return all;
}

/**
 * _fcm_application_ack_policy_status:
 *
 * Returns: the status our acks carry (Preferences → Testing, C-28): 200
 *   normally, another to refuse every event on purpose
 */
guint
_fcm_application_ack_policy_status (FcmApplication *self)
{
  g_autofree char *ack = g_settings_get_string (fcm_application_get_settings (self), "ack-policy");
  guint status = (guint) g_ascii_strtoull (ack, NULL, 10);

  return status >= 200 && status <= 599 ? status : 200;
}

/* The connections of a first start wait for the window's first frame: the
 * built-in hub, the subscription and their sockets run at the default
 * priority, above GTK's redraw, and drawn first the window shows in a
 * fraction of the time, live a frame later (docs/performance.md, First
 * frame). A window that is not drawn within a second does not hold them up. */
typedef struct
{
  FcmApplication *app;
  GdkFrameClock  *clock;
  gulong          paint_id;
  guint           timeout_id;
} FirstFrameWait;

static void
first_frame_wait_done (FirstFrameWait *wait)
{
  FcmApplication *self = wait->app;

  g_clear_signal_handler (&wait->paint_id, wait->clock);
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  g_clear_object (&wait->clock);
  g_free (wait);
  if (!self->leaving)
    {
      _fcm_application_start_default_connections (self);
      _fcm_application_start_remembered_hubs (self);
    }
  g_object_unref (self);
}

static void
first_frame_painted_cb (GdkFrameClock  *clock,
                        FirstFrameWait *wait)
{
  first_frame_wait_done (wait);
}

static gboolean
first_frame_timeout_cb (gpointer data)
{
  FirstFrameWait *wait = data;

  wait->timeout_id = 0;
  first_frame_wait_done (wait);
  return G_SOURCE_REMOVE;
}

static void
start_connections_after_first_frame (FcmApplication *self,
                                     FcmWindow      *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  FirstFrameWait *wait;

  if (clock == NULL)   /* not shown (--background): nothing to wait for */
    {
      _fcm_application_start_default_connections (self);
      _fcm_application_start_remembered_hubs (self);
      return;
    }
  wait = g_new0 (FirstFrameWait, 1);
  wait->app = g_object_ref (self);
  wait->clock = g_object_ref (clock);
  wait->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (first_frame_painted_cb), wait);
  wait->timeout_id = g_timeout_add (1000, first_frame_timeout_cb, wait);
}

/* The window, and the connections of a first start; @present: show the
 * window (not with --background: tray and hubs only). */
void
_fcm_application_start (FcmApplication *self,
                        gboolean        present)
{
  FcmWindow *window;

  if (self->leaving)
    return;

  window = _fcm_application_ensure_window (self);
  if (present)
    {
      gtk_window_present (GTK_WINDOW (window));
      if (self->taken_port != 0)
        _fcm_application_show_port_taken (self);
    }
  if (self->testing_was_on && gtk_widget_get_visible (GTK_WIDGET (window)))
    {
      self->testing_was_on = FALSE;
      _fcm_window_add_toast (window, adw_toast_new (_("Testing mode was on when the app last quit; "
                                                      "it is off now: every event is acknowledged with 200 OK")));
    }

  if (!self->started_connections)
    {
      self->started_connections = TRUE;
      if (g_settings_get_boolean (fcm_application_get_settings (self), "auto-connect"))
        start_connections_after_first_frame (self, window);
    }
}

/* Launching the app again, the tray icon, a notification: the window. */
static void
fcm_application_activate (GApplication *app)
{
  _fcm_application_start (FCM_APPLICATION (app), TRUE);
}

static int
fcm_application_command_line (GApplication            *app,
                              GApplicationCommandLine *command_line)
{
  FcmApplication *self = FCM_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  int status = _fcm_application_connect_from_options (self, command_line, options);

  if (status != 0)
    return status;

  /* --background (autostart): tray and hubs, the window when asked for */
  if (g_variant_dict_contains (options, "background"))
    _fcm_application_start (self, FALSE);
  else
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

static const GActionEntry app_actions[] = {
  { "about", fcm_application_about_action },
  { "preferences", fcm_application_preferences_action },
  { "show-window", fcm_application_show_window_action },
  { "show-connection", fcm_application_show_connection_action, "s" },
  { "reconnect-connection", fcm_application_reconnect_connection_action, "s" },
  { "quit", _fcm_application_quit_action },
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
  if (_fcm_application_ack_policy_status (self) != 200)
    {
      self->testing_was_on = TRUE;
      g_settings_set_string (fcm_application_get_settings (self), "ack-policy", "200");
    }

  /* preferences apply at once: another hub or topic, another ack status */
  _fcm_application_follow_settings (self);

  /* closing hides the window; signals and the session's end leave cleanly */
  _fcm_application_setup_quit (self);

  /* A tray icon where the desktop has a StatusNotifierWatcher; nothing otherwise. */
  bus = g_application_get_dbus_connection (app);
  if (bus != NULL)
    {
      _fcm_application_setup_tray (self, bus);

      for (guint i = 0; i < G_N_ELEMENTS (notification_services); i++)
        self->notify_watch[i] =
          g_bus_watch_name_on_connection (bus, notification_services[i],
                                          i == 1 ? G_BUS_NAME_WATCHER_FLAGS_AUTO_START
                                                 : G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          notify_appeared_cb, notify_vanished_cb,
                                          self, NULL);
    }
}

/* However the main loop ended, no hub is left behind without an unsubscribe. */
static void
fcm_application_shutdown (GApplication *app)
{
  _fcm_application_leave_now (FCM_APPLICATION (app));

  G_APPLICATION_CLASS (fcm_application_parent_class)->shutdown (app);
}

static void
fcm_application_dispose (GObject *object)
{
  FcmApplication *self = FCM_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->tray);
  g_clear_object (&self->tray_menu);
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
  app_class->shutdown = fcm_application_shutdown;
}

static void
fcm_application_init (FcmApplication *self)
{
  static const GOptionEntry options[] = {
    { "hub", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Subscribe to this hub (its hub.url) instead of the built-in one"), N_("URL") },
    { "topic", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Session topic on that hub"), N_("TOPIC") },
    { "name", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Subscriber name to send to the hub"), N_("NAME") },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start without a window: the tray icon and the hub connections only (for autostart)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the program name and version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}
