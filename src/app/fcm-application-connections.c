/* fcm-application-connections.c: settings and options into connections
 *
 * The application's connections come from three places: the preferences
 * (the built-in hub, or the configured hub and topic, or the topic the hub
 * gives a GetTopic user), the command line (--hub, --topic, --name) and Add
 * Hub. Every one gets the preferences' events, lease and ack policy, is
 * listed in the window and started, with the token from the keyring for
 * another hub. The connection made from the preferences is replaced when
 * they change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmApplication"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-application-private.h"
#include "fcm-connection.h"
#include "fcm-recordings.h"
#include "fcm-secret.h"

static void
connection_changed_cb (FcmApplication *self)
{
  _fcm_application_update_tray (self);
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

/* Testing other apps: the status our acks carry (C-28); 200 follows. */
static void
apply_ack_policy (FcmApplication *self,
                  FcmHubClient   *client)
{
  static const char * const events[] = {
    FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE,
    FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT,
  };
  guint status = _fcm_application_ack_policy_status (self);

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    fcm_hub_client_set_ack_policy (client, events[i], status);
}

/* @events: (nullable): instead of the preferences' events (a remembered hub) */
void
_fcm_application_add_connection_full (FcmApplication     *self,
                FcmConnection      *connection,
                gboolean            start,
                const char * const *events)
{
  GSettings *settings = fcm_application_get_settings (self);
  FcmHubClient *client = fcm_connection_get_client (connection);
  g_auto(GStrv) preferred = g_settings_get_strv (settings, "events");
  FcmContextStore *store = fcm_monitor_get_context_store (fcm_connection_get_monitor (connection));

  g_return_if_fail (FCM_IS_APPLICATION (self));
  g_return_if_fail (FCM_IS_CONNECTION (connection));

  if (events == NULL || events[0] == NULL)
    events = (const char * const *) preferred;
  if (events[0] != NULL)
    fcm_hub_client_set_events (client, events);
  fcm_hub_client_set_lease_seconds (client, (guint) g_settings_get_int (settings, "lease-seconds"));
  apply_ack_policy (self, client);

  fcm_recordings_attach (connection, settings);   /* issue 16.5: every session recorded */
  g_signal_connect_object (connection, "notify::status-text",
                           G_CALLBACK (connection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::alert",
                           G_CALLBACK (connection_changed_cb), self, G_CONNECT_SWAPPED);
  /* the tray names the patient */
  g_signal_connect_object (store, "notify::current",
                           G_CALLBACK (connection_changed_cb), self, G_CONNECT_SWAPPED);

  fcm_window_add_connection (_fcm_application_ensure_window (self), connection);
  _fcm_application_update_tray (self);

  if (!start)
    return;
  if (fcm_connection_get_embedded (connection) || fcm_hub_client_get_token (client) != NULL)
    fcm_connection_start (connection);
  else
    fcm_secret_lookup_token_async (fcm_hub_client_get_hub_url (client), NULL,
                                   token_lookup_cb, g_object_ref (connection));
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
void
fcm_application_add_connection (FcmApplication *self,
                                FcmConnection  *connection)
{
  _fcm_application_add_connection_full (self, connection, TRUE, NULL);
}

/* The connection made from the preferences, replaced when they change. */
void
_fcm_application_add_settings_connection (FcmApplication *self,
                                          FcmConnection  *connection,
                                          gboolean        start)
{
  g_object_set_data (G_OBJECT (connection), "fcm-from-settings", GINT_TO_POINTER (TRUE));
  _fcm_application_add_connection_full (self, connection, start, NULL);
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

          if (!g_object_get_data (G_OBJECT (connection), "fcm-from-settings"))
            continue;
          /* its port is free for the new hub at once, even while
           * something still holds the old connection */
          if (fcm_connection_get_hub (connection) != NULL)
            fcm_hub_shutdown (fcm_connection_get_hub (connection));
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

/* Port or topic of the built-in hub changed in the preferences (not just
 * stored after a first start): the hub moves there. */
static void
builtin_settings_changed_cb (FcmApplication *self)
{
  g_autofree char *hub_url = g_settings_get_string (fcm_application_get_settings (self), "hub-url");

  if (self->storing_builtin)
    return;
  if (hub_url[0] == '\0' && !_fcm_application_builtin_hub_matches_settings (self))
    connection_settings_changed_cb (self);
}

static void
ack_policy_changed_cb (FcmApplication *self)
{
  _fcm_application_update_tray (self);
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

      _fcm_application_add_settings_connection (d->app, connection, FALSE);
      fcm_connection_set_failed (connection, message);
    }
  else
    _fcm_application_add_settings_connection (d->app, connection, TRUE);
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

void
_fcm_application_stop_following_settings (FcmApplication *self)
{
  self->started_connections = FALSE;
  g_clear_handle_id (&self->settings_idle, g_source_remove);
}

/* With nothing configured, the built-in hub; else the configured hub and
 * topic, or the topic the hub gives the configured user (GetTopic). */
void
_fcm_application_start_default_connections (FcmApplication *self)
{
  GSettings *settings = fcm_application_get_settings (self);
  g_autofree char *hub_url = g_settings_get_string (settings, "hub-url");
  g_autofree char *topic = g_settings_get_string (settings, "topic");
  g_autofree char *user = g_settings_get_string (settings, "gettopic-user");
  g_autofree char *name = g_settings_get_string (settings, "subscriber-name");
  g_autoptr(FcmConnection) connection = NULL;

  self->started_connections = TRUE;  /* and follow the preferences from now on */
  if (hub_url[0] == '\0')
    _fcm_application_start_builtin_hub (self, name);
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
      _fcm_application_add_settings_connection (self, connection, FALSE);
      fcm_connection_set_failed (connection, _("No topic configured: set a topic or a GetTopic user in the preferences"));
    }
  else
    {
      connection = fcm_connection_new (hub_url, topic, name);
      _fcm_application_add_settings_connection (self, connection, TRUE);
    }
}

void
_fcm_application_follow_settings (FcmApplication *self)
{
  for (guint i = 0; i < 3; i++)
    {
      static const char * const keys[] = { "changed::hub-url", "changed::topic", "changed::gettopic-user" };

      g_signal_connect_object (fcm_application_get_settings (self), keys[i],
                               G_CALLBACK (connection_settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (fcm_application_get_settings (self), "changed::ack-policy",
                           G_CALLBACK (ack_policy_changed_cb), self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < 2; i++)
    {
      static const char * const keys[] = { "changed::builtin-hub-port", "changed::builtin-hub-topic" };

      g_signal_connect_object (fcm_application_get_settings (self), keys[i],
                               G_CALLBACK (builtin_settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

/* --hub, --topic and --name: a connection to that hub, instead of the
 * default one of a first start. Returns an exit status, 0 if all is well. */
int
_fcm_application_connect_from_options (FcmApplication          *self,
                                       GApplicationCommandLine *command_line,
                                       GVariantDict            *options)
{
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

  return 0;
}
