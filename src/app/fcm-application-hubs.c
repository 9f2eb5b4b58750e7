/* fcm-application-hubs.c: sessions that survive a restart
 *
 * Other applications on the workstation are configured once with the
 * built-in hub's URL and the monitor's topic, so both stay the same across
 * restarts: chosen on the first start and stored ("builtin-hub-port",
 * "builtin-hub-topic"), changeable in the preferences. When another program
 * has taken the port, the monitor says so and offers a free one nearby.
 *
 * Hubs added with Add Hub are remembered ("hubs": URL, topic, subscriber
 * name, events; the token in the keyring, fcm-secret.c) and subscribed to
 * again at start; Remove Hub forgets them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmApplication"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-application-private.h"
#include "fcm-secret.h"

#define REMEMBERED_KEY "fcm-remembered"

/* --------------------------------------------------------- the built-in hub */

static guint
url_port (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : 0;
}

static FcmConnection *
find_builtin (FcmApplication *self)
{
  g_autoptr(GPtrArray) connections = _fcm_application_dup_connections (self);

  for (guint i = 0; i < connections->len; i++)
    {
      FcmConnection *connection = g_ptr_array_index (connections, i);

      if (fcm_connection_get_embedded (connection) &&
          g_object_get_data (G_OBJECT (connection), "fcm-from-settings"))
        return connection;  /* the window holds it */
    }
  return NULL;
}

/**
 * _fcm_application_builtin_hub_matches_settings:
 *
 * Returns: whether the built-in hub runs on the stored port and topic (so
 *   that storing what the first start chose changes nothing)
 */
gboolean
_fcm_application_builtin_hub_matches_settings (FcmApplication *self)
{
  GSettings *settings = fcm_application_get_settings (self);
  FcmConnection *builtin = find_builtin (self);
  g_autofree char *topic = g_settings_get_string (settings, "builtin-hub-topic");
  FcmHubClient *client;

  if (builtin == NULL)
    return FALSE;
  client = fcm_connection_get_client (builtin);
  return url_port (fcm_hub_get_url (fcm_connection_get_hub (builtin))) ==
         (guint) g_settings_get_int (settings, "builtin-hub-port") &&
         g_strcmp0 (fcm_hub_client_get_topic (client), topic) == 0;
}

static gboolean
port_is_free (guint port)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  return socket != NULL && g_socket_bind (socket, address, TRUE, NULL);
}

/**
 * _fcm_application_find_free_port:
 * @near: the port that is taken
 *
 * Returns: a loopback port free right now: one of the next few after
 *   @near if possible (easy to tell apart), else any; 0 if none
 */
guint
_fcm_application_find_free_port (guint near)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  for (guint port = near + 1; near != 0 && port <= near + 20 && port <= G_MAXUINT16; port++)
    if (port_is_free (port))
      return port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  any = g_inet_socket_address_new (loopback, 0);
  if (socket == NULL || !g_socket_bind (socket, any, TRUE, NULL) ||
      (bound = g_socket_get_local_address (socket, NULL)) == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/**
 * _fcm_application_start_builtin_hub:
 * @subscriber_name: the name the monitor subscribes with
 *
 * Starts the built-in hub on the stored port and subscribes to the stored
 * topic; on a first start both are chosen and stored. A taken port fails
 * the connection with a clear reason and offers another port.
 */
void
_fcm_application_start_builtin_hub (FcmApplication *self,
                                    const char     *subscriber_name)
{
  GSettings *settings = fcm_application_get_settings (self);
  guint port = (guint) g_settings_get_int (settings, "builtin-hub-port");
  g_autofree char *topic = g_settings_get_string (settings, "builtin-hub-topic");
  g_autoptr(FcmConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  FcmHubClient *client;

  self->taken_port = 0;
  connection = fcm_connection_new_embedded_at (port, topic, &error);
  if (connection == NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/", port);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE) && port != 0)
        {
          self->taken_port = port;
          /* Translators: %u is a port number */
          message = g_strdup_printf (_("Another program uses port %u, so the built-in hub cannot "
                                       "listen there. Choose another port in the preferences."), port);
        }
      else
        message = g_strdup (error->message);

      /* shown in the window instead of a silent empty app */
      connection = fcm_connection_new (url, topic, subscriber_name);
      _fcm_application_add_settings_connection (self, connection, FALSE);
      fcm_connection_set_failed (connection, message);
      if (self->taken_port != 0)
        _fcm_application_show_port_taken (self);
      return;
    }

  client = fcm_connection_get_client (connection);
  fcm_hub_client_set_subscriber_name (client, subscriber_name);
  _fcm_application_add_settings_connection (self, connection, TRUE);

  /* chosen now, kept from now on; no restart for that (nor, should the
   * backend tell later, once it sees that the hub already runs there) */
  self->storing_builtin = TRUE;
  if (port == 0)
    g_settings_set_int (settings, "builtin-hub-port", (int) url_port (fcm_hub_get_url (fcm_connection_get_hub (connection))));
  if (topic[0] == '\0')
    g_settings_set_string (settings, "builtin-hub-topic", fcm_hub_client_get_topic (client));
  self->storing_builtin = FALSE;
}

static void
port_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  FcmApplication   *self)
{
  guint port = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "fcm-port"));

  if (g_strcmp0 (response, "use") == 0 && port != 0)
    g_settings_set_int (fcm_application_get_settings (self), "builtin-hub-port", (int) port);
}

static void
port_dialog_destroyed_cb (FcmApplication *self)
{
  self->port_dialog = NULL;
}

/**
 * _fcm_application_show_port_taken:
 *
 * Says that the built-in hub's port is taken and offers a free one, over
 * the window if it is shown; else when it is (not with --background).
 */
void
_fcm_application_show_port_taken (FcmApplication *self)
{
  FcmWindow *window = _fcm_application_get_window (self);
  g_autofree char *body = NULL;
  g_autofree char *use = NULL;
  guint port;

  if (self->taken_port == 0 || self->port_dialog != NULL ||
      window == NULL || !gtk_widget_get_visible (GTK_WIDGET (window)))
    return;

  port = _fcm_application_find_free_port (self->taken_port);
  /* Translators: 1: the port that is taken, 2: the port offered instead */
  body = g_strdup_printf (_("Another program uses port %u, so the built-in hub cannot start there. "
                            "Applications set up with that port cannot reach it. Use port %u "
                            "instead? They will then need the new hub URL."),
                          self->taken_port, port);
  /* Translators: %u is a port number */
  use = g_strdup_printf (_("_Use Port %u"), port);

  self->port_dialog = adw_message_dialog_new (GTK_WINDOW (window), _("The Hub’s Port Is Taken"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self->port_dialog),
                                    "cancel", _("_Not Now"),
                                    "use", use,
                                    NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->port_dialog), "use", port != 0);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self->port_dialog), "use",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self->port_dialog), "cancel");
  g_object_set_data (G_OBJECT (self->port_dialog), "fcm-port", GUINT_TO_POINTER (port));
  g_signal_connect_object (self->port_dialog, "response", G_CALLBACK (port_response_cb), self, 0);
  g_signal_connect_object (self->port_dialog, "destroy", G_CALLBACK (port_dialog_destroyed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->port_dialog));
}

/* ------------------------------------------------------- remembered hubs */

static GVariant *
hub_entry (const char         *hub_url,
           const char         *topic,
           const char         *name,
           const char * const *events)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "url", "s", hub_url);
  g_variant_dict_insert (&dict, "topic", "s", topic);
  g_variant_dict_insert (&dict, "name", "s", name ? name : "");
  g_variant_dict_insert_value (&dict, "events", g_variant_new_strv (events, -1));
  return g_variant_dict_end (&dict);
}

static gboolean
entry_is (GVariant   *entry,
          const char *hub_url,
          const char *topic)
{
  const char *url = NULL, *t = NULL;

  return g_variant_lookup (entry, "url", "&s", &url) && g_variant_lookup (entry, "topic", "&s", &t) &&
         g_str_equal (url, hub_url) && g_str_equal (t, topic);
}

/* The remembered hubs but (url, topic), and with @add appended if given. */
static void
store_hubs (FcmApplication *self,
            const char     *hub_url,
            const char     *topic,
            GVariant       *add)
{
  GSettings *settings = fcm_application_get_settings (self);
  g_autoptr(GVariant) hubs = g_settings_get_value (settings, "hubs");
  GVariantBuilder builder;
  GVariantIter iter;
  GVariant *entry;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_iter_init (&iter, hubs);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      if (!entry_is (entry, hub_url, topic))
        g_variant_builder_add_value (&builder, entry);
      g_variant_unref (entry);
    }
  if (add != NULL)
    g_variant_builder_add_value (&builder, add);
  g_settings_set_value (settings, "hubs", g_variant_builder_end (&builder));
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* the connection already has it; only the next start would miss it */
  if (!fcm_secret_store_token_finish (result, &error))
    g_message ("The hub’s token could not be kept in the keyring: %s", error->message);
}

/**
 * fcm_application_add_hub:
 * @hub_url: the hub's base URL (hub.url)
 * @topic: the session topic
 * @subscriber_name: (nullable): subscriber.name to send
 * @token: (nullable): a bearer token for the hub, kept in the keyring
 *
 * What Add Hub does: subscribes (with the preferences' events, lease and
 * ack policy) and remembers the hub, so the next start subscribes again.
 */
void
fcm_application_add_hub (FcmApplication *self,
                         const char     *hub_url,
                         const char     *topic,
                         const char     *subscriber_name,
                         const char     *token)
{
  g_autoptr(FcmConnection) connection = NULL;
  g_auto(GStrv) events = NULL;

  g_return_if_fail (FCM_IS_APPLICATION (self));
  g_return_if_fail (hub_url != NULL && topic != NULL);

  connection = fcm_connection_new (hub_url, topic, subscriber_name);
  g_object_set_data (G_OBJECT (connection), REMEMBERED_KEY, GINT_TO_POINTER (TRUE));
  if (token != NULL && token[0] != '\0')
    {
      fcm_hub_client_set_token (fcm_connection_get_client (connection), token);
      fcm_secret_store_token_async (hub_url, token, NULL, token_stored_cb, NULL);
    }
  events = g_settings_get_strv (fcm_application_get_settings (self), "events");
  store_hubs (self, hub_url, topic, hub_entry (hub_url, topic, subscriber_name, (const char * const *) events));
  fcm_application_add_connection (self, connection);
}

/* Is @hub_url still used by another remembered hub or the preferences? */
static gboolean
hub_url_in_use (FcmApplication *self,
                const char     *hub_url)
{
  GSettings *settings = fcm_application_get_settings (self);
  g_autofree char *preferred = g_settings_get_string (settings, "hub-url");
  g_autoptr(GVariant) hubs = g_settings_get_value (settings, "hubs");
  GVariantIter iter;
  GVariant *entry;
  gboolean used = g_str_equal (preferred, hub_url);

  g_variant_iter_init (&iter, hubs);
  while (!used && (entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *url = NULL;

      used = g_variant_lookup (entry, "url", "&s", &url) && g_str_equal (url, hub_url);
      g_variant_unref (entry);
    }
  return used;
}

static void
token_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fcm_secret_clear_token_finish (result, &error))
    g_debug ("no token cleared: %s", error->message);
}

/**
 * fcm_application_forget_hub:
 * @connection: a connection being removed (Remove Hub)
 *
 * A hub added with Add Hub is not subscribed to at the next start any
 * more, and its token leaves the keyring unless another hub uses it.
 */
void
fcm_application_forget_hub (FcmApplication *self,
                            FcmConnection  *connection)
{
  FcmHubClient *client;
  const char *hub_url;

  g_return_if_fail (FCM_IS_APPLICATION (self));
  g_return_if_fail (FCM_IS_CONNECTION (connection));

  if (!g_object_get_data (G_OBJECT (connection), REMEMBERED_KEY))
    return;
  client = fcm_connection_get_client (connection);
  hub_url = fcm_hub_client_get_hub_url (client);
  store_hubs (self, hub_url, fcm_hub_client_get_topic (client), NULL);
  if (!hub_url_in_use (self, hub_url))
    fcm_secret_clear_token_async (hub_url, NULL, token_cleared_cb, NULL);
}

/**
 * _fcm_application_start_remembered_hubs:
 *
 * At start: a connection to every hub added with Add Hub, with its
 * subscriber name and events; each looks its token up in the keyring.
 */
void
_fcm_application_start_remembered_hubs (FcmApplication *self)
{
  g_autoptr(GVariant) hubs = g_settings_get_value (fcm_application_get_settings (self), "hubs");
  GVariantIter iter;
  GVariant *entry;

  g_variant_iter_init (&iter, hubs);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *url = NULL, *topic = NULL, *name = NULL;
      g_autofree const char **events = NULL;

      if (g_variant_lookup (entry, "url", "&s", &url) && g_variant_lookup (entry, "topic", "&s", &topic))
        {
          g_autoptr(FcmConnection) connection = NULL;

          if (!g_variant_lookup (entry, "name", "&s", &name) || name[0] == '\0')
            name = NULL;
          g_variant_lookup (entry, "events", "^a&s", &events);
          connection = fcm_connection_new (url, topic, name);
          g_object_set_data (G_OBJECT (connection), REMEMBERED_KEY, GINT_TO_POINTER (TRUE));
          _fcm_application_add_connection_full (self, connection, TRUE, events);
        }
      g_variant_unref (entry);
    }
}
