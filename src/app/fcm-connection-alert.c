/* fcm-connection-alert.c: what a connection's alert says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kind of trouble (could not connect, connection lost, ended, sync
 * lost; a lost connection before a lost sync, C-68 before C-63), the
 * alert's title naming the hub and its text, and the words for testing
 * mode. GTK-free, as the rest of FcmConnection.
 */

#define G_LOG_DOMAIN "FcmConnection"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fcm-connection-private.h"

/**
 * fcm_connection_get_alert_kind:
 *
 * Returns: what the alert is about; a lost connection comes before a lost
 *   sync (C-68 before C-63)
 */
FcmConnectionAlert
fcm_connection_get_alert_kind (FcmConnection *self)
{
  FcmClientState state;

  g_return_val_if_fail (FCM_IS_CONNECTION (self), FCM_CONNECTION_ALERT_NONE);

  state = fcm_monitor_get_state (self->monitor);
  if (self->failed && !_fcm_connection_state_is_live (state))
    return FCM_CONNECTION_ALERT_COULD_NOT_CONNECT;
  switch (state)
    {
    case FCM_CLIENT_STATE_ERROR:
      return FCM_CONNECTION_ALERT_COULD_NOT_CONNECT;
    case FCM_CLIENT_STATE_RECONNECTING:
      return self->ever_live ? FCM_CONNECTION_ALERT_CONNECTION_LOST
                             : FCM_CONNECTION_ALERT_COULD_NOT_CONNECT;
    case FCM_CLIENT_STATE_DENIED:
      return FCM_CONNECTION_ALERT_ENDED;
    case FCM_CLIENT_STATE_DISCONNECTED:
    case FCM_CLIENT_STATE_SUBSCRIBING:
    case FCM_CLIENT_STATE_CONNECTING:
    case FCM_CLIENT_STATE_ACTIVE:
    case FCM_CLIENT_STATE_RENEWING:
    default:
      break;
    }
  if (fcm_monitor_get_sync_lost (self->monitor))
    return FCM_CONNECTION_ALERT_SYNC_LOST;
  return FCM_CONNECTION_ALERT_NONE;
}

/**
 * fcm_connection_dup_alert_title:
 *
 * Returns: (transfer full) (nullable): the alert's headline, naming the hub:
 *   "Sync lost on Built-in Hub", "Could not connect to hub.example.org";
 *   %NULL when all is well
 */
char *
fcm_connection_dup_alert_title (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);

  /* Translators: %s is a hub, e.g. "Built-in Hub" or "hub.example.org:443" */
  switch (fcm_connection_get_alert_kind (self))
    {
    case FCM_CONNECTION_ALERT_COULD_NOT_CONNECT:
      return g_strdup_printf (_("Could not connect to %s"), self->title);
    case FCM_CONNECTION_ALERT_CONNECTION_LOST:
      return g_strdup_printf (_("Connection lost to %s"), self->title);
    case FCM_CONNECTION_ALERT_ENDED:
      return g_strdup_printf (_("Subscription ended by %s"), self->title);
    case FCM_CONNECTION_ALERT_SYNC_LOST:
      return g_strdup_printf (_("Sync lost on %s"), self->title);
    case FCM_CONNECTION_ALERT_NONE:
    default:
      return NULL;
    }
}

static char *
sync_lost_text (FcmConnection *self)
{
  FcmEvent *syncerror = fcm_monitor_get_last_sync_error (self->monitor);
  const char *event_id = NULL, *event_name = NULL, *subscriber = NULL, *diagnostics = NULL;

  if (syncerror != NULL)
    fcm_event_get_syncerror_details (syncerror, &event_id, &event_name, &subscriber, &diagnostics);
  if (subscriber == NULL || subscriber[0] == '\0')
    subscriber = _("An application");
  if (event_name == NULL)
    event_name = _("an event");
  if (diagnostics != NULL &&
      (strstr (diagnostics, subscriber) != NULL || strstr (diagnostics, event_name) != NULL))
    /* Translators: 1: the hub's reason, e.g. "Viewer refused to follow
     * DiagnosticReport-open (HTTP 409)", 2: an event id */
    return g_strdup_printf (_("%s. Event %s."), diagnostics, event_id ? event_id : "?");
  if (diagnostics != NULL)
    /* Translators: 1: an app name, 2: an event name, 3: the hub's reason, 4: an event id */
    return g_strdup_printf (_("%s did not follow %s: %s. Event %s."),
                            subscriber, event_name, diagnostics, event_id ? event_id : "?");
  /* Translators: 1: an app name, 2: an event name, 3: an event id */
  return g_strdup_printf (_("%s did not follow %s (event %s)."),
                          subscriber, event_name, event_id ? event_id : "?");
}

/**
 * fcm_connection_dup_alert:
 *
 * What the alert says under its title: the last syncerror while sync is
 * lost (what failed, which app, which event), why the hub could not be
 * reached, or what happens now. Whether the context shown may be stale is
 * the context panel's to say, not repeated here.
 *
 * Returns: (transfer full) (nullable): the text, %NULL when all is well
 */
char *
fcm_connection_dup_alert (FcmConnection *self)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (self), NULL);

  switch (fcm_connection_get_alert_kind (self))
    {
    case FCM_CONNECTION_ALERT_COULD_NOT_CONNECT:
      if (self->last_error != NULL)
        return g_strdup (self->last_error);
      if (fcm_monitor_get_state (self->monitor) == FCM_CLIENT_STATE_RECONNECTING)
        return g_strdup (_("The hub did not answer. Trying again."));
      return g_strdup (_("The hub did not accept the subscription."));
    case FCM_CONNECTION_ALERT_CONNECTION_LOST:
      return g_strdup (_("The hub is out of reach. Reconnecting, waiting longer after each try."));
    case FCM_CONNECTION_ALERT_ENDED:
      return g_strdup (_("The hub ended the subscription. Reconnect to subscribe again."));
    case FCM_CONNECTION_ALERT_SYNC_LOST:
      return sync_lost_text (self);
    case FCM_CONNECTION_ALERT_NONE:
    default:
      return NULL;
    }
}

/**
 * fcm_testing_describe:
 * @ack_status: the status our acks carry (Preferences → Testing, C-28)
 *
 * Returns: (transfer full) (nullable): what testing mode does, for the
 *   window's banner and the tray: "Testing: refusing every event with 409";
 *   %NULL for 200, normal operation
 */
char *
fcm_testing_describe (guint ack_status)
{
  if (ack_status == 200 || ack_status == 0)
    return NULL;
  if (ack_status == 202)
    /* C-30, C-60: accepted, then refused with a syncerror */
    return g_strdup (_("Testing: accepting every event with 202, then refusing it with a syncerror"));
  if (ack_status >= 200 && ack_status < 300)
    /* Translators: %u is an HTTP status */
    return g_strdup_printf (_("Testing: answering every event with %u"), ack_status);
  /* Translators: %u is an HTTP status, e.g. 409 */
  return g_strdup_printf (_("Testing: refusing every event with %u"), ack_status);
}
