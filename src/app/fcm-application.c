/* fcm-application.c: the AdwApplication of the desktop app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmApplication"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-application.h"
#include "fcm-window.h"

/* Fixed, so that the .Devel flavour finds the same resources (style.css,
 * gtk/help-overlay.ui, icons/) as the stable one. */
#define FCM_RESOURCE_BASE_PATH "/io/github/fhircastmonitor/FhircastMonitor"

struct _FcmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
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

static void
fcm_application_activate (GApplication *app)
{
  FcmApplication *self = FCM_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (fcm_window_new (self));

  gtk_window_present (window);
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
                        "release-notes", _("<p>First preview release: the application window, "
                                           "settings and the message validator.</p>"),
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
  { "quit", fcm_application_quit_action },
};

static void
fcm_application_startup (GApplication *app)
{
  FcmApplication *self = FCM_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (fcm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

static void
fcm_application_dispose (GObject *object)
{
  FcmApplication *self = FCM_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fcm_application_parent_class)->dispose (object);
}

static void
fcm_application_class_init (FcmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = fcm_application_dispose;

  app_class->activate = fcm_application_activate;
  app_class->startup = fcm_application_startup;
}

static void
fcm_application_init (FcmApplication *self)
{
}
