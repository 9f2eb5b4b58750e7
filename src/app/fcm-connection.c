/* fcm-connection.c: one hub connection of the app (client + monitor, maybe an embedded hub)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window lists several of these at once (C-07). A connection owns the
 * subscriber (FcmHubClient), the monitor that wires it to the validator, the
 * event log and the context store, and, for the built-in hub, the FcmHub
 * itself. It turns the client's state and the monitor's syncerrors into the
 * short texts the sidebar and the alert show. It has no GTK code, so the
 * same logic is tested without widgets.
 */

#define G_LOG_DOMAIN "FcmConnection"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fcm-connection.h"
#include "fcm-connection-private.h"


G_DEFINE_FINAL_TYPE (FcmConnection, fcm_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_EMBEDDED,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_STATE,
  PROP_LIVE,
  PROP_SYNC_LOST,
  PROP_STATUS_TEXT,
  PROP_LAST_ERROR,
  PROP_ALERT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static char *
compute_status_text (FcmConnection *self)
{
  FcmClientState state = fcm_monitor_get_state (self->monitor);

  if (self->recording != NULL)
    return g_strdup (_("Recording, read-only"));
  if (self->failed && !_fcm_connection_state_is_live (state))
    return g_strdup_printf (_("Failed: %s"), self->last_error);
  if (_fcm_connection_state_is_live (state) && fcm_monitor_get_sync_lost (self->monitor))
    return g_strdup (_("Sync lost"));

  switch (state)
    {
    case FCM_CLIENT_STATE_ACTIVE:
      return g_strdup (_("Live"));
    case FCM_CLIENT_STATE_RENEWING:
      return g_strdup (_("Live, renewing the subscription"));
    case FCM_CLIENT_STATE_SUBSCRIBING:
      return g_strdup (_("Subscribing…"));
    case FCM_CLIENT_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));
    case FCM_CLIENT_STATE_RECONNECTING:
      if (!self->ever_live)
        return g_strdup (_("Could not connect, trying again…"));
      return g_strdup (_("Connection lost, reconnecting…"));
    case FCM_CLIENT_STATE_DENIED:
      return g_strdup (_("Subscription ended by the hub"));
    case FCM_CLIENT_STATE_ERROR:
      if (self->last_error != NULL)
        /* Translators: %s is an error message */
        return g_strdup_printf (_("Failed: %s"), self->last_error);
      return g_strdup (_("Failed to subscribe"));
    case FCM_CLIENT_STATE_DISCONNECTED:
    default:
      return g_strdup (self->started ? _("Disconnected") : _("Not connected"));
    }
}

static void
update_status (FcmConnection *self)
{
  g_autofree char *text = compute_status_text (self);
  g_autofree char *title = fcm_connection_dup_alert_title (self);
  g_autofree char *body = fcm_connection_dup_alert (self);
  g_autofree char *alert = title != NULL ? g_strconcat (title, "\n", body, NULL) : NULL;

  if (g_strcmp0 (text, self->status_text) != 0)
    {
      g_free (self->status_text);
      self->status_text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
    }
  if (g_strcmp0 (alert, self->alert) != 0)
    {
      g_free (self->alert);
      self->alert = g_steal_pointer (&alert);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALERT]);
    }
}

static void
monitor_state_cb (FcmMonitor    *monitor,
                  GParamSpec    *pspec,
                  FcmConnection *self)
{
  if (_fcm_connection_state_is_live (fcm_monitor_get_state (monitor)))
    self->ever_live = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
  update_status (self);
}

static void
monitor_sync_lost_cb (FcmMonitor    *monitor,
                      GParamSpec    *pspec,
                      FcmConnection *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_LOST]);
  update_status (self);
}

static void
set_last_error (FcmConnection *self,
                const char    *message)
{
  if (g_strcmp0 (message, self->last_error) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
  update_status (self);
}

/* Host and port of a URL, for titles: never the path or query, which may
 * carry a topic or a token. */
static char *
url_host_port (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (_("Unknown hub"));
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static void
setup (FcmConnection *self,
       FcmHubClient  *client)
{
  self->client = client;
  /* issue 15.1: under a stream of events the window's frames, D-Bus calls
   * and the views' applies go before the frames read meanwhile (each event
   * is still acked as soon as it is read) */
  fcm_hub_client_set_frame_priority (client, FCM_CONNECTION_FRAME_PRIORITY, 0);
  self->monitor = fcm_monitor_new (client);
  g_signal_connect_object (self->monitor, "notify::state",
                           G_CALLBACK (monitor_state_cb), self, 0);
  g_signal_connect_object (self->monitor, "notify::sync-lost",
                           G_CALLBACK (monitor_sync_lost_cb), self, 0);
  /* another syncerror while sync is lost: the alert names the newest */
  g_signal_connect_object (self->monitor, "notify::last-sync-error",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  update_status (self);
}

/* fcm_connection_new_embedded_at() on a free port, with a fresh topic */
FcmConnection *
fcm_connection_new_embedded (GError **error)
{
  return fcm_connection_new_embedded_at (0, NULL, error);
}

/**
 * fcm_connection_new_embedded_at:
 * @port: the loopback port, 0 for a free one
 * @topic: (nullable): the session topic; %NULL or "" for a fresh one
 *
 * Starts the built-in reference hub on 127.0.0.1:@port (nothing is
 * reachable from other hosts) and makes a connection to @topic on it. The
 * app keeps both across restarts: other apps on the workstation stay set up.
 *
 * Returns: (transfer full): the connection, or %NULL if the hub could not
 *   listen (%G_IO_ERROR_ADDRESS_IN_USE: another program has the port)
 */
FcmConnection *
fcm_connection_new_embedded_at (guint        port,
                                const char  *topic,
                                GError     **error)
{
  return _fcm_connection_new_embedded_full (port, topic, FALSE, error);
}

/**
 * _fcm_connection_new_embedded_full:
 * @port: the loopback port, 0 for a free one
 * @topic: (nullable): the session topic; %NULL or "" for a fresh one
 * @admin: serve the hub's /admin/ endpoints (docs/hub.md; loopback only):
 *   what bench-app-load reads the hub's ack latencies from
 *
 * fcm_connection_new_embedded_at() with the admin endpoints on or off, for
 * the screenshots and the benchmark.
 */
FcmConnection *
_fcm_connection_new_embedded_full (guint        port,
                                   const char  *topic,
                                   gboolean     admin,
                                   GError     **error)
{
  g_autoptr(FcmConnection) self = g_object_new (FCM_TYPE_CONNECTION, NULL);
  g_autofree char *fresh = NULL;
  g_autofree char *where = NULL;

  g_return_val_if_fail (port <= G_MAXUINT16, NULL);

  self->hub = fcm_hub_new ();
  fcm_hub_set_admin (self->hub, admin);
  /* Issue 15.1: the built-in hub shares the window's main loop. Under a
   * stream of events it takes new connections (each POST of a libsoup
   * publisher is one) just below GDK's redraw (GDK_PRIORITY_REDRAW is
   * G_PRIORITY_HIGH_IDLE + 20; this file is built without GTK for the
   * tests): the screen is drawn first, publishers wait. Subscribers, acks
   * and requests already read go on at the default priority. */
  fcm_hub_set_accept_priority (self->hub, G_PRIORITY_HIGH_IDLE + 21);
  if (!fcm_hub_listen (self->hub, "127.0.0.1", port, NULL, error))
    return NULL;

  /* The context panel shows the topic so that other apps on this machine
   * can join (H-02: the hub names topics). */
  if (topic == NULL || topic[0] == '\0')
    topic = fresh = g_uuid_string_random ();
  where = url_host_port (fcm_hub_get_url (self->hub));
  self->title = g_strdup (_("Built-in Hub"));
  self->subtitle = g_steal_pointer (&where);
  setup (self, fcm_hub_client_new (fcm_hub_get_url (self->hub), topic));

  return g_steal_pointer (&self);
}

/**
 * fcm_connection_new:
 * @hub_url: the hub's base URL (hub.url)
 * @topic: the session topic
 * @subscriber_name: (nullable): subscriber.name to send
 *
 * Returns: (transfer full): a connection to another hub; call fcm_connection_start()
 */
FcmConnection *
fcm_connection_new (const char *hub_url,
                    const char *topic,
                    const char *subscriber_name)
{
  FcmConnection *self;
  FcmHubClient *client;

  g_return_val_if_fail (hub_url != NULL, NULL);
  g_return_val_if_fail (topic != NULL, NULL);

  self = g_object_new (FCM_TYPE_CONNECTION, NULL);
  self->title = url_host_port (hub_url);
  self->subtitle = g_strdup (topic);
  client = fcm_hub_client_new (hub_url, topic);
  if (subscriber_name != NULL && subscriber_name[0] != '\0')
    fcm_hub_client_set_subscriber_name (client, subscriber_name);
  setup (self, client);

  return self;
}

/**
 * fcm_connection_new_recording:
 * @file: the recording it shows
 * @hub_url: (nullable): the hub it was recorded from (its header), shown
 *   only; the file's URI when %NULL
 * @topic: (nullable): the recorded topic
 *
 * A read-only connection without a hub: its monitor's event log and context
 * store are filled from @file (fcm_recording_load_async()), it never
 * subscribes and refuses to publish.
 *
 * Returns: (transfer full): the connection
 */
FcmConnection *
fcm_connection_new_recording (GFile      *file,
                              const char *hub_url,
                              const char *topic)
{
  FcmConnection *self;
  g_autofree char *uri = NULL;
  g_autofree char *where = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (FCM_TYPE_CONNECTION, NULL);
  self->recording = g_object_ref (file);
  self->title = g_file_get_basename (file);
  if (hub_url == NULL)
    hub_url = uri = g_file_get_uri (file);
  else
    where = url_host_port (hub_url);
  /* Translators: the sidebar's line under a recording's file name; %s is a hub's host and port */
  self->subtitle = where ? g_strdup_printf (_("Recorded from %s"), where) : g_strdup (_("Recording"));
  setup (self, fcm_hub_client_new (hub_url, topic ? topic : ""));
  return self;
}

/**
 * fcm_connection_get_recording:
 *
 * Returns: (transfer none) (nullable): the recording a read-only
 *   connection shows, %NULL for a live one
 */
GFile *
fcm_connection_get_recording (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  return self->recording;
}

static void
subscribe_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FcmConnection) self = user_data;
  g_autoptr(GError) error = NULL;

  if (fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &error))
    set_last_error (self, NULL);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("connection %s: subscribing failed: %s", self->title, error->message);
      set_last_error (self, error->message);
    }
}

/**
 * fcm_connection_start:
 *
 * Subscribes (C-11). Progress and failure show in #FcmConnection:state and
 * #FcmConnection:status-text; the client reconnects on its own after a loss (C-68).
 */
void
fcm_connection_start (FcmConnection *self)
{
  g_return_if_fail (FCM_IS_CONNECTION (self));

  if (self->recording != NULL)
    return;
  self->started = TRUE;
  self->failed = FALSE;
  fcm_hub_client_subscribe_async (self->client, self->cancellable,
                                  subscribe_cb, g_object_ref (self));
  update_status (self);
}

static void
unsubscribe_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fcm_hub_client_unsubscribe_finish (FCM_HUB_CLIENT (source), result, &error))
    g_debug ("connection: unsubscribing failed: %s", error->message);
}

/**
 * fcm_connection_set_failed:
 * @message: what went wrong, for the user
 *
 * Marks a connection that could not even be set up (no topic from GetTopic,
 * no token), so the sidebar and the alert say why. fcm_connection_start()
 * tries again.
 */
void
fcm_connection_set_failed (FcmConnection *self,
                           const char    *message)
{
  g_return_if_fail (FCM_IS_CONNECTION (self));
  g_return_if_fail (message != NULL);

  self->started = TRUE;
  self->failed = TRUE;
  g_free (self->last_error);
  self->last_error = NULL;
  set_last_error (self, message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/**
 * fcm_connection_stop:
 *
 * Unsubscribes (C-19), best effort.
 */
void
fcm_connection_stop (FcmConnection *self)
{
  g_return_if_fail (FCM_IS_CONNECTION (self));

  if (self->recording != NULL)
    return;
  fcm_hub_client_unsubscribe_async (self->client, NULL, unsubscribe_cb, NULL);
}

/**
 * fcm_connection_get_connection_lost:
 *
 * Returns: whether the hub is out of reach or ended the subscription (C-68);
 *   this comes before a syncerror in the alert
 */
gboolean
fcm_connection_get_connection_lost (FcmConnection *self)
{
  FcmClientState state;

  g_return_val_if_fail (FCM_IS_CONNECTION (self), FALSE);

  state = fcm_monitor_get_state (self->monitor);
  return (self->failed && !_fcm_connection_state_is_live (state)) ||
         state == FCM_CLIENT_STATE_RECONNECTING ||
         state == FCM_CLIENT_STATE_DENIED ||
         state == FCM_CLIENT_STATE_ERROR;
}

/**
 * fcm_connection_get_id:
 *
 * Returns: an id unique in this process, for actions and notifications
 *   ("app.show-connection::hub-2")
 */
const char *
fcm_connection_get_id (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  return self->id;
}

FcmMonitor *
fcm_connection_get_monitor (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  return self->monitor;
}

FcmHubClient *
fcm_connection_get_client (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  return self->client;
}

/**
 * fcm_connection_get_hub:
 *
 * Returns: (transfer none) (nullable): the embedded hub, if this connection runs one
 */
FcmHub *
fcm_connection_get_hub (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  return self->hub;
}

gboolean
fcm_connection_get_embedded (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), FALSE);
  return self->hub != NULL;
}

const char *
fcm_connection_get_title (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  return self->title;
}

const char *
fcm_connection_get_subtitle (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  return self->subtitle;
}

FcmClientState
fcm_connection_get_state (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), FCM_CLIENT_STATE_DISCONNECTED);
  return fcm_monitor_get_state (self->monitor);
}

gboolean
fcm_connection_get_live (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), FALSE);
  return _fcm_connection_state_is_live (fcm_monitor_get_state (self->monitor));
}

const char *
fcm_connection_get_status_text (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  return self->status_text;
}

const char *
fcm_connection_get_last_error (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);
  return self->last_error;
}

static void
fcm_connection_dispose (GObject *object)
{
  FcmConnection *self = FCM_CONNECTION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->client);
  if (self->hub != NULL)
    fcm_hub_shutdown (self->hub);
  g_clear_object (&self->hub);

  G_OBJECT_CLASS (fcm_connection_parent_class)->dispose (object);
}

static void
fcm_connection_finalize (GObject *object)
{
  FcmConnection *self = FCM_CONNECTION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->recording);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->status_text);
  g_free (self->last_error);
  g_free (self->alert);
  g_free (self->id);

  G_OBJECT_CLASS (fcm_connection_parent_class)->finalize (object);
}

static void
fcm_connection_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FcmConnection *self = FCM_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_EMBEDDED:
      g_value_set_boolean (value, self->hub != NULL);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->monitor ? fcm_monitor_get_state (self->monitor)
                                             : FCM_CLIENT_STATE_DISCONNECTED);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, self->monitor && fcm_connection_get_live (self));
      break;
    case PROP_SYNC_LOST:
      g_value_set_boolean (value, self->monitor && fcm_monitor_get_sync_lost (self->monitor));
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_ALERT:
      g_value_set_string (value, self->alert);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_connection_class_init (FcmConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = fcm_connection_dispose;
  object_class->finalize = fcm_connection_finalize;
  object_class->get_property = fcm_connection_get_property;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, FCM_TYPE_MONITOR, ro);
  properties[PROP_EMBEDDED] =
    g_param_spec_boolean ("embedded", NULL, NULL, FALSE, ro);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FCM_TYPE_CLIENT_STATE,
                       FCM_CLIENT_STATE_DISCONNECTED, ro);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE, ro);
  properties[PROP_SYNC_LOST] =
    g_param_spec_boolean ("sync-lost", NULL, NULL, FALSE, ro);
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL, ro);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  /**
   * FcmConnection:alert:
   *
   * The alert's title and text, a newline between, or %NULL when all is
   * well: notified whenever either changes (each new syncerror too).
   */
  properties[PROP_ALERT] =
    g_param_spec_string ("alert", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fcm_connection_init (FcmConnection *self)
{
  static guint last_id;

  self->id = g_strdup_printf ("hub-%u", ++last_id);
  self->cancellable = g_cancellable_new ();
}
