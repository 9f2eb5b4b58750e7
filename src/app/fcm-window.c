/* fcm-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-core.h"
#include "fcm-window.h"

struct _FcmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwStatusPage        *status_page;
  GtkLabel             *hub_label;
};

G_DEFINE_FINAL_TYPE (FcmWindow, fcm_window, ADW_TYPE_APPLICATION_WINDOW)

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

static void
update_hub_label (FcmWindow *self)
{
  g_autofree char *hub_url = g_settings_get_string (self->settings, "hub-url");
  g_autofree char *text = NULL;

  if (hub_url[0] == '\0')
    text = g_strdup (_("Configured hub: the built-in reference hub"));
  else
    /* Translators: %s is the URL of a FHIRcast hub */
    text = g_strdup_printf (_("Configured hub: %s"), hub_url);

  gtk_label_set_text (self->hub_label, text);
}

static void
on_hub_url_changed_cb (FcmWindow  *self,
                       const char *key,
                       GSettings  *settings)
{
  update_hub_label (self);
}

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

  g_signal_connect_object (self->settings, "changed::hub-url",
                           G_CALLBACK (on_hub_url_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_hub_label (self);
  restore_window_state (self);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
fcm_window_dispose (GObject *object)
{
  FcmWindow *self = FCM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_WINDOW);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fcm_window_parent_class)->dispose (object);
}

static void
fcm_window_class_init (FcmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = fcm_window_constructed;
  object_class->dispose = fcm_window_dispose;

  window_class->close_request = fcm_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/"
                                               "fcm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, hub_label);
}

static void
fcm_window_init (FcmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
