/* fcm-leave.c: leaving every hub cleanly before the app exits
 *
 * Quit, SIGTERM/SIGINT/SIGHUP and the end of the desktop session all end
 * here. First every connection unsubscribes, and its client closes the
 * socket with 1000 (C-42), so no hub sees an abnormal close and sends a
 * syncerror for us (H-35). Only then do the built-in hubs stop: they close
 * their other subscribers' sockets with 1001 ("going away", again no
 * syncerror) and the close handshakes run out. All of it within a deadline:
 * a hub that does not answer the unsubscribe is not waited for forever.
 * No GTK here, so tests drive it with plain connections.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmLeave"

#include "config.h"
#include <glib/gi18n.h>

#include "fcm-connection.h"
#include "fcm-leave.h"

/* Of the whole deadline, how much the unsubscribes may take; the rest is
 * for the built-in hubs' close handshakes. */
#define UNSUBSCRIBE_SHARE 0.6
/* How often the hubs' unfinished close handshakes are counted. */
#define CLOSING_POLL_MS 10

typedef struct
{
  GPtrArray *connections;
  guint      pending;        /* unsubscribes not answered yet */
  guint      unsubscribe_id; /* end of the unsubscribe share */
  guint      deadline_id;
  guint      poll_id;
  gboolean   hubs_stopped;
  gboolean   timed_out;
  gboolean   done;
} Leave;

static void
leave_free (Leave *leave)
{
  g_clear_handle_id (&leave->unsubscribe_id, g_source_remove);
  g_clear_handle_id (&leave->deadline_id, g_source_remove);
  g_clear_handle_id (&leave->poll_id, g_source_remove);
  g_ptr_array_unref (leave->connections);
  g_free (leave);
}

static guint
count_closing (Leave *leave)
{
  guint n = 0;

  for (guint i = 0; i < leave->connections->len; i++)
    {
      FcmHub *hub = fcm_connection_get_hub (g_ptr_array_index (leave->connections, i));

      if (hub != NULL)
        n += fcm_hub_get_n_closing (hub);
    }
  return n;
}

static void
finish (GTask *task)
{
  Leave *leave = g_task_get_task_data (task);

  if (leave->done)
    return;
  leave->done = TRUE;
  g_clear_handle_id (&leave->unsubscribe_id, g_source_remove);
  g_clear_handle_id (&leave->deadline_id, g_source_remove);
  g_clear_handle_id (&leave->poll_id, g_source_remove);

  if (leave->timed_out)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             _("Not every hub was left cleanly in time"));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
poll_closing_cb (gpointer user_data)
{
  GTask *task = user_data;
  Leave *leave = g_task_get_task_data (task);

  if (count_closing (leave) > 0)
    return G_SOURCE_CONTINUE;
  leave->poll_id = 0;
  finish (task);
  return G_SOURCE_REMOVE;
}

/* Every unsubscribe answered (or its time is up): the built-in hubs close
 * the sockets of everyone else with 1001. */
static void
stop_hubs (GTask *task)
{
  Leave *leave = g_task_get_task_data (task);

  if (leave->hubs_stopped)
    return;
  leave->hubs_stopped = TRUE;
  g_clear_handle_id (&leave->unsubscribe_id, g_source_remove);

  for (guint i = 0; i < leave->connections->len; i++)
    {
      FcmHub *hub = fcm_connection_get_hub (g_ptr_array_index (leave->connections, i));

      if (hub != NULL)
        fcm_hub_shutdown (hub);
    }

  if (count_closing (leave) == 0)
    finish (task);
  else
    leave->poll_id = g_timeout_add_full (G_PRIORITY_DEFAULT, CLOSING_POLL_MS, poll_closing_cb,
                                         g_object_ref (task), g_object_unref);
}

static void
unsubscribed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Leave *leave = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* A refusal still ended with the socket closed with 1000 (C-42). */
  if (!fcm_hub_client_unsubscribe_finish (FCM_HUB_CLIENT (source), result, &error))
    g_debug ("leaving: unsubscribing failed: %s", error->message);

  if (--leave->pending == 0)
    stop_hubs (task);
}

static gboolean
unsubscribe_time_up_cb (gpointer user_data)
{
  GTask *task = user_data;
  Leave *leave = g_task_get_task_data (task);

  leave->unsubscribe_id = 0;
  g_debug ("leaving: %u unsubscribes unanswered", leave->pending);
  leave->timed_out = TRUE;
  stop_hubs (task);
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  Leave *leave = g_task_get_task_data (task);

  leave->deadline_id = 0;
  leave->timed_out = TRUE;
  finish (task);
  return G_SOURCE_REMOVE;
}

/**
 * fcm_leave_async:
 * @connections: (element-type FcmConnection): the app's connections
 * @timeout_ms: the most it may take, e.g. %FCM_LEAVE_TIMEOUT_MS
 *
 * Unsubscribes every connection (each client closes its socket with 1000
 * afterwards, C-42), then stops the built-in hubs among them (their other
 * subscribers' sockets are closed with 1001) and waits for the close
 * handshakes. Completes when all of that is done or @timeout_ms passed.
 */
void
fcm_leave_async (GPtrArray           *connections,
                 guint                timeout_ms,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Leave *leave;

  g_return_if_fail (connections != NULL);

  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, fcm_leave_async);
  leave = g_new0 (Leave, 1);
  leave->connections = g_ptr_array_ref (connections);
  g_task_set_task_data (task, leave, (GDestroyNotify) leave_free);

  /* The sources hold the task: it is completed by the last of them. */
  leave->deadline_id = g_timeout_add_full (G_PRIORITY_DEFAULT, timeout_ms, deadline_cb,
                                           g_object_ref (task), g_object_unref);
  leave->unsubscribe_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (timeout_ms * UNSUBSCRIBE_SHARE),
                                              unsubscribe_time_up_cb,
                                              g_object_ref (task), g_object_unref);

  for (guint i = 0; i < connections->len; i++)
    {
      FcmConnection *connection = g_ptr_array_index (connections, i);

      /* Also stops a client that is reconnecting or waiting to retry. */
      leave->pending++;
      fcm_hub_client_unsubscribe_async (fcm_connection_get_client (connection), NULL,
                                        unsubscribed_cb, g_object_ref (task));
    }

  if (leave->pending == 0)
    stop_hubs (task);
}

/**
 * fcm_leave_finish:
 *
 * Returns: %TRUE when every hub was left in time; %FALSE with
 *   %G_IO_ERROR_TIMED_OUT when the deadline cut it short
 */
gboolean
fcm_leave_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
