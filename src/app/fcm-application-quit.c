/* fcm-application-quit.c: running in the background, and leaving cleanly
 *
 * The monitor runs all day. While "run-in-background" is on (the default),
 * closing the main window only hides it: every connection, the built-in
 * hub and the tray icon stay; activating the app or the tray icon shows the
 * window again. Quit (the menu, the tray, Ctrl+Q) is the way to stop, and
 * it first asks when other applications use the built-in hub, naming them:
 * quitting stops the hub under them.
 *
 * Every way out leaves cleanly (fcm-leave.c): Quit, SIGTERM, SIGINT and
 * SIGHUP (logout, `systemctl --user stop`, `kill`), the end of the desktop
 * session (GtkApplication's query-end), and, as a last resort, anything
 * else that ends the main loop (the session manager's EndSession quits
 * GtkApplication by itself): shutdown then leaves before the process ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmApplication"

#include "config.h"

#include <signal.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "fcm-application-private.h"
#include "fcm-leave.h"

/* ------------------------------------------------------------ background */

static gboolean
window_close_request_cb (GtkWindow      *window,
                         FcmApplication *self)
{
  /* Runs after the window saved its size (its class handler). */
  if (self->leaving)
    return FALSE;

  if (g_settings_get_boolean (fcm_application_get_settings (self), "run-in-background"))
    {
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      return TRUE;
    }

  /* Closing the window is quitting: asked like Quit, and leaving cleanly. */
  g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
  return TRUE;
}

static void
window_added_cb (FcmApplication *self,
                 GtkWindow      *window)
{
  if (FCM_IS_WINDOW (window))
    g_signal_connect_object (window, "close-request",
                             G_CALLBACK (window_close_request_cb), self, G_CONNECT_AFTER);
}

/* -------------------------------------------------------------- leaving */

static void
close_windows (FcmApplication *self)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing lets the windows save their state. */
  g_list_foreach (windows, (GFunc) g_object_ref, NULL);
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);
}

static void
left_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FcmApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fcm_leave_finish (result, &error))
    g_message ("%s", error->message);
  self->left = TRUE;
  close_windows (self);
  g_application_quit (G_APPLICATION (self));
}

/**
 * _fcm_application_leave_and_quit:
 *
 * Unsubscribes everywhere and stops the built-in hub (fcm_leave_async()),
 * then closes the windows and quits. Asks nothing: Quit asks first.
 */
void
_fcm_application_leave_and_quit (FcmApplication *self)
{
  g_autoptr(GPtrArray) connections = NULL;

  if (self->leaving)
    return;
  self->leaving = TRUE;
  if (self->quit_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->quit_dialog));

  connections = _fcm_application_dup_connections (self);
  fcm_leave_async (connections, FCM_LEAVE_TIMEOUT_MS, left_cb, g_object_ref (self));
}

static void
left_now_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!fcm_leave_finish (result, &error))
    g_message ("%s", error->message);
  *done = TRUE;
}

/**
 * _fcm_application_leave_now:
 *
 * From shutdown, when the main loop ended without leaving first (the
 * session manager's EndSession and Stop quit GtkApplication directly):
 * leaves, running the main context until done (at most
 * %FCM_LEAVE_TIMEOUT_MS, fcm_leave_async() has its own deadline).
 */
void
_fcm_application_leave_now (FcmApplication *self)
{
  g_autoptr(GPtrArray) connections = NULL;
  gboolean done = FALSE;

  if (self->leaving)
    {
      /* already under way (a signal came during a slow leave): finish it */
      while (!self->left)
        g_main_context_iteration (NULL, TRUE);
      return;
    }
  self->leaving = TRUE;
  connections = _fcm_application_dup_connections (self);
  if (connections->len == 0)
    return;
  fcm_leave_async (connections, FCM_LEAVE_TIMEOUT_MS, left_now_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  self->left = TRUE;
}

/* ------------------------------------------------------------------ Quit */

/**
 * _fcm_application_dup_other_subscribers:
 *
 * Returns: (transfer full): the names of the applications whose WebSocket
 *   to a built-in hub is open, without our own subscriptions there; ""
 *   for one that gave no name
 */
GStrv
_fcm_application_dup_other_subscribers (FcmApplication *self)
{
  g_autoptr(GPtrArray) connections = _fcm_application_dup_connections (self);
  g_autoptr(GStrvBuilder) others = g_strv_builder_new ();

  for (guint i = 0; i < connections->len; i++)
    {
      FcmHub *hub = fcm_connection_get_hub (g_ptr_array_index (connections, i));
      g_autoptr(GPtrArray) names = NULL;
      g_auto(GStrv) all = NULL;

      if (hub == NULL)
        continue;
      all = fcm_hub_dup_subscriber_names (hub, NULL);
      names = g_ptr_array_new ();
      for (guint j = 0; all[j] != NULL; j++)
        g_ptr_array_add (names, all[j]);

      /* each of our own subscriptions on this hub is one name less */
      for (guint j = 0; j < connections->len; j++)
        {
          FcmHubClient *client = fcm_connection_get_client (g_ptr_array_index (connections, j));
          const char *name = fcm_hub_client_get_subscriber_name (client);
          guint position;

          if (g_strcmp0 (fcm_hub_client_get_hub_url (client), fcm_hub_get_url (hub)) != 0 ||
              fcm_hub_client_get_endpoint (client) == NULL)
            continue;
          if (g_ptr_array_find_with_equal_func (names, name ? name : "", g_str_equal, &position))
            g_ptr_array_remove_index (names, position);
        }
      for (guint j = 0; j < names->len; j++)
        g_strv_builder_add (others, g_ptr_array_index (names, j));
    }

  return g_strv_builder_end (others);
}

/**
 * _fcm_application_describe_subscribers:
 * @names: application names, at least one
 *
 * Returns: (transfer full): "Reporting App and PACS are connected to the
 *   built-in hub."
 */
char *
_fcm_application_describe_subscribers (const char * const *names)
{
  guint n = g_strv_length ((char **) names);
  g_autofree char *list = NULL;

  g_return_val_if_fail (n > 0, NULL);

  for (guint i = 0; i < n; i++)
    {
      const char *name = names[i][0] != '\0' ? names[i] : _("An unnamed application");
      char *longer;

      if (i == 0)
        longer = g_strdup (name);
      else if (i + 1 < n)
        /* Translators: joins the names of applications but the last: "PACS, Viewer" */
        longer = g_strdup_printf (_("%s, %s"), list, name);
      else
        /* Translators: joins the last application name: "PACS, Viewer and Reporting App" */
        longer = g_strdup_printf (_("%s and %s"), list, name);
      g_free (list);
      list = longer;
    }

  /* Translators: %s is one or more application names: "Reporting App and PACS" */
  return g_strdup_printf (ngettext ("%s is connected to the built-in hub.",
                                    "%s are connected to the built-in hub.", n), list);
}

static void
quit_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  FcmApplication   *self)
{
  if (g_strcmp0 (response, "quit") == 0)
    _fcm_application_leave_and_quit (self);
}

static void
quit_dialog_destroyed_cb (FcmApplication *self)
{
  self->quit_dialog = NULL;
}

/* app.quit: ask first while other applications use the built-in hub */
void
_fcm_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  FcmApplication *self = user_data;
  g_auto(GStrv) others = _fcm_application_dup_other_subscribers (self);
  g_autofree char *who = NULL;
  g_autofree char *body = NULL;
  FcmWindow *window = _fcm_application_get_window (self);
  GtkWindow *parent = NULL;

  if (others[0] == NULL)
    {
      _fcm_application_leave_and_quit (self);
      return;
    }
  if (self->quit_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->quit_dialog));
      return;
    }

  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)))
    parent = GTK_WINDOW (window);
  who = _fcm_application_describe_subscribers ((const char * const *) others);
  /* Translators: %s says who uses the hub: "Reporting App and PACS are connected to the built-in hub." */
  body = g_strdup_printf (_("%s Quitting stops the hub, and they lose the reporting session "
                            "until FHIRcast Monitor runs again."), who);
  self->quit_dialog = adw_message_dialog_new (parent, _("Quit FHIRcast Monitor?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self->quit_dialog),
                                    "cancel", _("_Cancel"),
                                    "quit", _("_Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self->quit_dialog), "quit",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self->quit_dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self->quit_dialog), "cancel");
  g_signal_connect_object (self->quit_dialog, "response", G_CALLBACK (quit_response_cb), self, 0);
  g_signal_connect_object (self->quit_dialog, "destroy", G_CALLBACK (quit_dialog_destroyed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->quit_dialog));
}

/* ------------------------------------------------- signals, session end */

static gboolean
unix_signal_cb (gpointer user_data)
{
  FcmApplication *self = user_data;

  g_debug ("signal received: leaving");
  _fcm_application_leave_and_quit (self);
  return G_SOURCE_CONTINUE;
}

static void
query_end_cb (FcmApplication *self)
{
  g_debug ("the session ends: leaving");
  _fcm_application_leave_and_quit (self);
}

static void
shutdown_cb (FcmApplication *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_source); i++)
    g_clear_handle_id (&self->signal_source[i], g_source_remove);
}

/**
 * _fcm_application_setup_quit:
 *
 * From startup (the primary instance only): hidden windows instead of
 * closed ones, and the signals that make the app leave.
 */
void
_fcm_application_setup_quit (FcmApplication *self)
{
  static const int signums[] = { SIGTERM, SIGINT, SIGHUP };

  G_STATIC_ASSERT (G_N_ELEMENTS (signums) == G_N_ELEMENTS (((FcmApplication *) NULL)->signal_source));

  g_signal_connect (self, "window-added", G_CALLBACK (window_added_cb), NULL);
  g_signal_connect (self, "query-end", G_CALLBACK (query_end_cb), NULL);
  g_signal_connect (self, "shutdown", G_CALLBACK (shutdown_cb), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (signums); i++)
    self->signal_source[i] = g_unix_signal_add (signums[i], unix_signal_cb, self);
}
